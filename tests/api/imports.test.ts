/**
 * Survey data import on PGlite and PostgreSQL: every format and
 * CRS, preview then commit (all or nothing), and hostile files — zip bomb, zip-slip, truncated
 * .shp, missing .shx/.dbf, NaN and huge coordinates, a GK file declared as WGS84, duplicate
 * codes, too many features, XML entities, an oversized file — each refused with a clear message
 * and nothing written. 宗地代码 / 控规地块编号 columns (GeoJSON, DBF, CSV): previewed, validated
 * with the shared rule (a malformed one is an error of its feature), unique, stored on commit.
 */
import { expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { boundaryCsv, clearPark, geojsonOf, kmlOf, plotCount, samplePlots, shapefileZip, shippedParks, upload } from './import-helpers.ts';
import { CRS, geometryFromWgs84 } from '../../shared/geometry/crs.ts';
import { writeShapefile } from '../../server/modules/exports/shapefile.ts';
import { IMPORT_LIMITS } from '../../server/modules/imports/formats/limits.ts';

describeOnDatabases('survey data import', (get) => {
  let land: Session;
  const app = () => get().app;
  const parkIds: Record<string, number> = {};

  it('signs in and clears five parks to import into', async () => {
    land = await login(app(), 'land');
    for (const code of ['P10', 'P06', 'P09', 'P02', 'P03']) parkIds[code] = await clearPark(app(), code);
  });

  it('refuses anonymous callers and other roles', async () => {
    expect((await upload(app(), null, 'a.geojson', geojsonOf(samplePlots('P10', 2, 'X')))).status).toBe(401);
    expect((await upload(app(), await login(app(), 'investor'), 'a.geojson', geojsonOf(samplePlots('P10', 2, 'X')))).status).toBe(403);
  });

  it('GeoJSON (WGS84): previews every feature with its park found by containment, then commits all of them', async () => {
    const plots = samplePlots('P10', 30, 'GJ');
    const before = await plotCount(app());
    const pre = await upload(app(), land, 'plots.geojson', geojsonOf(plots));
    expect(pre.status, JSON.stringify(pre.body).slice(0, 500)).toBe(201);
    expect(pre.body).toMatchObject({ format: 'geojson', crs: 'EPSG:4326', crsSource: 'default', status: 'previewed', counts: { features: 30, valid: 30, invalid: 0 } });
    const f = pre.body.features[0];
    expect(f).toMatchObject({ index: 0, code: 'GJ-0001', parkCode: 'P10', parkId: parkIds.P10, landUse: plots[0]!.landUse, areaM2: plots[0]!.areaM2, errors: [] });
    expect(f.geometry.type).toBe('Polygon');
    expect(await plotCount(app())).toBe(before); // a preview writes no plot

    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    expect(commit.body).toMatchObject({ status: 'committed', created: 30 });
    expect(await plotCount(app())).toBe(before + 30);
    const listed = await call(app(), null, 'GET', `/api/plots?parkId=${parkIds.P10}`);
    expect(listed.body.features.map((x: { properties: { code: string } }) => x.properties.code).sort()).toEqual(plots.map((p) => p.code));
    const history = await call(app(), land, 'GET', `/api/plots/${commit.body.plots[0].id}/history`);
    expect(history.body.versions).toEqual([expect.objectContaining({ version: 1, operation: 'import', importId: pre.body.id })]);

    const again = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('IMPORT_COMMITTED');

    // The same file again: every code exists and every plot overlaps; committing changes nothing.
    const dup = await upload(app(), land, 'plots.geojson', geojsonOf(plots));
    expect(dup.body.counts.invalid).toBe(30);
    const codes = dup.body.features[0].errors.map((e: { code: string }) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['CODE_EXISTS', 'OVERLAPS_PLOT']));
    const refused = await call(app(), land, 'POST', `/api/imports/${dup.body.id}/commit`);
    expect(refused.status).toBe(422);
    expect(refused.body.reason).toBe('IMPORT_HAS_ERRORS');
    expect(await plotCount(app())).toBe(before + 30);
  });

  it('zipped Shapefile in EPSG:4547: the CRS comes from the .prj, geometry back in WGS84 within a millimetre', async () => {
    const plots = samplePlots('P06', 25, 'SHP');
    const pre = await upload(app(), land, 'survey.zip', shapefileZip(plots, { crs: 'EPSG:4547' }));
    expect(pre.status, JSON.stringify(pre.body).slice(0, 500)).toBe(201);
    expect(pre.body).toMatchObject({ format: 'shapefile', crs: 'EPSG:4547', crsSource: 'prj', counts: { valid: 25, invalid: 0 } });
    const g = pre.body.features[3].geometry.coordinates[0] as number[][];
    const orig = plots[3]!.geometry.coordinates[0]!;
    // Same ring (shapefiles run clockwise; the import re-winds to RFC 7946), each vertex within ~1 mm.
    expect(g).toHaveLength(orig.length);
    for (const p of orig) expect(g.some((q) => Math.abs(q[0]! - p[0]!) < 1e-8 && Math.abs(q[1]! - p[1]!) < 1e-8)).toBe(true);
    expect(pre.body.features[3].location).toBeUndefined();
    expect(pre.body.features[3].attributes.location).toBe(plots[3]!.location);
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status).toBe(201);
    expect(commit.body.created).toBe(25);
  });

  it('KML (WGS84 by definition) with names and extended data', async () => {
    const plots = samplePlots('P09', 8, 'KML');
    const pre = await upload(app(), land, 'plots.kml', kmlOf(plots));
    expect(pre.status, JSON.stringify(pre.body).slice(0, 500)).toBe(201);
    expect(pre.body).toMatchObject({ format: 'kml', crs: 'EPSG:4326', crsSource: 'file', counts: { valid: 8 } });
    expect(pre.body.features[0].code).toBe('KML-0001');
    expect((await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`)).status).toBe(201);
  });

  it.each([
    ['EPSG:4547', 'P02'],
    ['EPSG:4526', 'P03'],
  ] as const)('界址点 CSV in %s: X = northing, Y = easting, the CRS judged from the numbers', async (crs, park) => {
    const plots = samplePlots(park, 12, `CSV${crs.slice(5)}`);
    const pre = await upload(app(), land, '界址点成果表.csv', boundaryCsv(plots, crs), { parkId: String(parkIds[park]) });
    expect(pre.status, JSON.stringify(pre.body).slice(0, 800)).toBe(201);
    expect(pre.body).toMatchObject({ format: 'csv', crs, crsSource: 'detected', counts: { features: 12, valid: 12 } });
    expect(pre.body.features[0]).toMatchObject({ parkId: parkIds[park], areaM2: plots[0]!.areaM2, landUse: plots[0]!.landUse });
    expect(pre.body.features[0].geometryAreaM2).toBeGreaterThan(0);
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status).toBe(201);
    expect(commit.body.created).toBe(12);
  });

  it('reads a table whose X column holds eastings, saying so', async () => {
    const plots = samplePlots('P10', 2, 'SWAP', 'swap-seed');
    const swapped = boundaryCsv(plots, 'EPSG:4547', (row) => { [row[2], row[3]] = [row[3]!, row[2]!]; });
    const pre = await upload(app(), land, 'swapped.csv', swapped, { crs: 'EPSG:4547' });
    expect(pre.status).toBe(201);
    expect(pre.body.notices.map((n: { code: string }) => n.code)).toContain('CSV_AXES_SWAPPED');
    expect(pre.body.features[0].geometry.coordinates[0][0][0]).toBeGreaterThan(113);
  });

  // --- Hostile files: a clear refusal, nothing written -----------------------------------------

  const refusedCleanly = async (filename: string, data: Uint8Array | string, status: number, reason: string, message: RegExp, fields: Record<string, string> = {}) => {
    const before = await plotCount(app());
    const res = await upload(app(), land, filename, data, fields);
    expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(status);
    expect(res.body.reason).toBe(reason);
    expect(res.body.message).toMatch(message);
    expect(await plotCount(app())).toBe(before);
    return res;
  };

  it('refuses a zip bomb', async () => {
    const bomb = zipSync({ 'plots.shp': new Uint8Array(12 * 1024 * 1024), 'plots.shx': new Uint8Array(100), 'plots.dbf': new Uint8Array(100) }, { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    await refusedCleanly('bomb.zip', bomb, 413, 'ZIP_BOMB', /zip bomb/);
  });

  it('refuses zip-slip paths', async () => {
    const evil = zipSync({ '../../etc/plots.shp': strToU8('x'), 'plots.shx': strToU8('x'), 'plots.dbf': strToU8('x') });
    await refusedCleanly('evil.zip', evil, 400, 'ZIP_UNSAFE_PATH', /unsafe path/);
  });

  it('refuses a truncated .shp, a missing .shx or .dbf, and points instead of polygons', async () => {
    const plots = samplePlots('P10', 5, 'BRK', 'broken');
    await refusedCleanly('cut.zip', shapefileZip(plots, { truncateShp: 0.6 }), 400, 'SHAPEFILE_TRUNCATED', /truncated/);
    await refusedCleanly('noshx.zip', shapefileZip(plots, { omit: ['shx'] }), 400, 'SHAPEFILE_MISSING_PART', /\.shx/);
    await refusedCleanly('nodbf.zip', shapefileZip(plots, { omit: ['dbf'] }), 400, 'SHAPEFILE_MISSING_PART', /\.dbf/);
    const pointsShp = shapefileZip(plots);
    // Patch the shape type in both headers to 1 (points).
    const { unzipSync } = await import('fflate');
    const files = unzipSync(pointsShp);
    for (const k of ['plots.shp', 'plots.shx']) new DataView(files[k]!.buffer, files[k]!.byteOffset).setInt32(32, 1, true);
    await refusedCleanly('points.zip', zipSync(files), 400, 'SHAPEFILE_NOT_POLYGONS', /points, not polygons/);
    await refusedCleanly('empty.zip', zipSync({ 'readme.txt': strToU8('hello') }), 400, 'SHAPEFILE_MISSING_PART', /no \.shp/);
  });

  it('flags NaN, infinite and huge coordinates per feature, and refuses to commit', async () => {
    await clearPark(app(), 'P10');
    const plots = samplePlots('P10', 3, 'NAN', 'nan');
    const csv = boundaryCsv(plots, 'EPSG:4547', (row, p, k) => { if (p.code === 'NAN-0002' && k === 1) row[2] = 'NaN'; });
    const pre = await upload(app(), land, 'nan.csv', csv);
    expect(pre.status).toBe(201);
    expect(pre.body.counts).toMatchObject({ valid: 2, invalid: 1 });
    const bad = pre.body.features.find((f: { code: string }) => f.code === 'NAN-0002');
    expect(bad.errors[0]).toMatchObject({ code: 'COORDINATE_NOT_FINITE' });
    expect(bad.errors[0].messageEn).toMatch(/Point J2 \(row \d+\)/);
    const before = await plotCount(app());
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status).toBe(422);
    expect(commit.body.reason).toBe('IMPORT_HAS_ERRORS');
    expect(await plotCount(app())).toBe(before);

    const json = geojsonOf(samplePlots('P10', 2, 'INF', 'inf')).replace(/\[113\.(\d+),/, '[1e999,').replace(/(\[\[\[)113\.\d+,(\d+\.\d+)\]/g, '$1 1e30,$2]');
    const inf = await upload(app(), land, 'inf.geojson', json);
    expect(inf.status).toBe(201);
    const errs = inf.body.features.map((f: { errors: { code: string }[] }) => f.errors.map((e) => e.code)).flat();
    expect(errs).toEqual(expect.arrayContaining(['COORDINATE_NOT_FINITE']));
    expect(inf.body.counts.valid).toBe(0);
  });

  it('says that a GK file declared as WGS84 lands in the ocean, outside Guangzhou', async () => {
    const plots = samplePlots('P10', 4, 'GKW', 'gk-wgs');
    const zip = shapefileZip(plots, { crs: 'EPSG:4547', prj: CRS['EPSG:4326'].prjWkt });
    const pre = await upload(app(), land, 'gk-as-wgs84.zip', zip);
    expect(pre.status).toBe(201);
    expect(pre.body).toMatchObject({ crs: 'EPSG:4326', crsSource: 'prj', counts: { valid: 0, invalid: 4 } });
    const notice = pre.body.notices[0];
    expect(notice).toMatchObject({ code: 'CRS_MISMATCH', suggestedCrs: 'EPSG:4547' });
    expect(notice.messageEn).toMatch(/ocean, outside Guangzhou/);
    expect(notice.messageZh).toMatch(/海上/);
    expect(pre.body.features[0].errors[0].code).toBe('LOOKS_PROJECTED');
    expect((await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`)).status).toBe(422);

    // And the other way round: WGS84 numbers read as GK metres land near the equator.
    const wrong = await upload(app(), land, 'wgs-as-gk.geojson', geojsonOf(plots), { crs: 'EPSG:4547' });
    expect(wrong.body.notices[0].code).toBe('CRS_MISMATCH');
    expect(wrong.body.notices[0].messageEn).toMatch(/land at 109\.\d\d°E, 0\.00°N/);
    expect(wrong.body.features[0].errors[0].code).toBe('OUTSIDE_GUANGZHOU');
  });

  it('flags codes duplicated in the file on every occurrence', async () => {
    const plots = samplePlots('P10', 3, 'DUP', 'dup');
    plots[2] = { ...plots[2]!, code: plots[0]!.code };
    const pre = await upload(app(), land, 'dup.geojson', geojsonOf(plots));
    const flagged = pre.body.features.filter((f: { errors: { code: string }[] }) => f.errors.some((e) => e.code === 'DUPLICATE_CODE'));
    expect(flagged.map((f: { index: number }) => f.index)).toEqual([0, 2]);
    expect(flagged[0].errors.find((e: { code: string }) => e.code === 'DUPLICATE_CODE').messageEn).toMatch(/#1, #3/);
  });

  it('refuses too many features, XML entities, broken JSON, an unknown format and an oversized file', async () => {
    const many = JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: IMPORT_LIMITS.maxFeatures + 1 }, () => ({ type: 'Feature', properties: {}, geometry: null })) });
    await refusedCleanly('many.geojson', many, 400, 'TOO_MANY_FEATURES', new RegExp(`more than the limit of ${IMPORT_LIMITS.maxFeatures}\\b`));
    const xxe = `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&xxe;</name></Placemark></kml>`;
    await refusedCleanly('xxe.kml', xxe, 400, 'KML_UNSAFE', /DOCTYPE or ENTITY/);
    await refusedCleanly('broken.geojson', '{"type": "FeatureCollection", "features": [', 400, 'GEOJSON_INVALID', /not valid JSON/);
    await refusedCleanly('notes.docx', new Uint8Array([1, 2, 3, 4]), 400, 'UNKNOWN_FORMAT', /Cannot tell the format/);
    await refusedCleanly('huge.geojson', new Uint8Array(IMPORT_LIMITS.maxFileBytes + 1024), 413, 'FILE_TOO_LARGE', /larger than 50 MB/);
  });

  it('refuses at commit a preview overtaken by a plot drawn since, and marks it failed', async () => {
    const parkId = await clearPark(app(), 'P10');
    const plots = samplePlots('P10', 6, 'RACE', 'race');
    const pre = await upload(app(), land, 'race.geojson', geojsonOf(plots));
    expect(pre.body.counts.valid).toBe(6);
    const drawn = await call(app(), land, 'POST', '/api/plots', { code: 'RACE-X', parkId, landUse: 'M1', areaM2: plots[2]!.areaM2, landLevel: 2, geometry: plots[2]!.geometry });
    expect(drawn.status, JSON.stringify(drawn.body)).toBe(201);
    const before = await plotCount(app());
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status).toBe(409);
    expect(commit.body.reason).toBe('PLOT_OVERLAP');
    expect(commit.body.message).toContain('RACE-0003 × RACE-X');
    expect(await plotCount(app())).toBe(before);
    const detail = await call(app(), land, 'GET', `/api/imports/${pre.body.id}`);
    expect(detail.body.status).toBe('failed');
    expect((await call(app(), await login(app(), 'admin'), 'GET', `/api/imports/${pre.body.id}?limit=2`)).body.features).toHaveLength(2);
  });
});

describeOnDatabases('survey data import: 宗地代码 and 控规地块编号 columns', (get) => {
  let land: Session;
  const app = () => get().app;
  let parkId = 0;
  const district = shippedParks.find((p) => p.properties.code === 'P10')!.properties.districtCode;
  /** A valid 宗地代码 in P10's district (地籍区 901: no sample plot uses it). */
  const parcel = (n: number, d = district) => `${d}901001GB${String(n).padStart(5, '0')}`;
  const plotOf = async (id: number) => (await call(app(), land, 'GET', `/api/plots/${id}`)).body.properties;
  // One set of non-overlapping plots, handed out in slices (separately generated sets overlap).
  const pool = samplePlots('P10', 16, 'ZD', 'zddm');
  let taken = 0;
  const nextPlots = (n: number, prefix: string) => pool.slice(taken, (taken += n)).map((p, i) => ({ ...p, code: `${prefix}-${String(i + 1).padStart(4, '0')}` }));

  it('signs in and clears a park', async () => {
    land = await login(app(), 'land');
    parkId = await clearPark(app(), 'P10');
  });

  it('GeoJSON 宗地代码 / 控规地块编号 properties: previewed (upper-cased), stored on commit, returned by GET /api/plots/:id', async () => {
    const plots = nextPlots(3, 'ZD');
    const fc = JSON.parse(geojsonOf(plots)) as GeoJSON.FeatureCollection;
    fc.features.forEach((f, i) => { f.properties!['宗地代码'] = ` ${parcel(i + 1).toLowerCase()} `; f.properties!['控规地块编号'] = `AH0402-0${i + 1}`; });
    const pre = await upload(app(), land, 'zddm.geojson', JSON.stringify(fc));
    expect(pre.status, JSON.stringify(pre.body).slice(0, 500)).toBe(201);
    expect(pre.body.counts).toMatchObject({ features: 3, valid: 3, invalid: 0 });
    // The 宗地代码 is not the plot code (that stays the file's code column).
    expect(pre.body.features[0]).toMatchObject({ code: 'ZD-0001', attributes: { parcelCode: parcel(1), zoningPlotCode: 'AH0402-01' } });
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    const stored = await plotOf(commit.body.plots.find((p: { code: string }) => p.code === 'ZD-0002').id);
    expect(stored).toMatchObject({ code: 'ZD-0002', parcelCode: parcel(2), zoningPlotCode: 'AH0402-02' });
    const history = await call(app(), land, 'GET', `/api/plots/${commit.body.plots[0].id}/history`);
    expect(history.body.versions[0].attributes).toMatchObject({ parcelCode: parcel(1), zoningPlotCode: 'AH0402-01' });
  });

  it('Shapefile DBF fields ZDDM / KGDKBH and a 界址点 CSV with a 宗地代码 column are read the same way', async () => {
    const shpPlots = nextPlots(2, 'ZDS');
    const { shp, shx, dbf } = writeShapefile(
      shpPlots.map((p, i) => ({ geometry: geometryFromWgs84('EPSG:4547', p.geometry), properties: { code: p.code, ZDDM: parcel(11 + i), KGDKBH: `KG-${i}`, land_use: p.landUse, area_m2: p.areaM2, land_level: p.landLevel } })),
      [{ name: 'code', type: 'C' }, { name: 'ZDDM', type: 'C', length: 19 }, { name: 'KGDKBH', type: 'C' }, { name: 'land_use', type: 'C', length: 2 }, { name: 'area_m2', type: 'N', length: 16, decimals: 2 }, { name: 'land_level', type: 'N', length: 4, decimals: 0 }],
    );
    const zip = zipSync({ 'p.shp': shp, 'p.shx': shx, 'p.dbf': dbf, 'p.cpg': strToU8('UTF-8'), 'p.prj': strToU8(CRS['EPSG:4547'].prjWkt) });
    const pre = await upload(app(), land, 'zddm.zip', zip);
    expect(pre.status, JSON.stringify(pre.body).slice(0, 500)).toBe(201);
    expect(pre.body.counts).toMatchObject({ valid: 2, invalid: 0 });
    expect(pre.body.features[1].attributes).toMatchObject({ parcelCode: parcel(12), zoningPlotCode: 'KG-1' });
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status, JSON.stringify(commit.body)).toBe(201);
    expect(await plotOf(commit.body.plots[1].id)).toMatchObject({ parcelCode: parcel(12), zoningPlotCode: 'KG-1' });

    const csvPlots = nextPlots(2, 'ZDC');
    const csv = boundaryCsv(csvPlots, 'EPSG:4547', (row, p) => { row.push(parcel(p.code === 'ZDC-0001' ? 21 : 22)); }).replace(/^(.*)$/m, '$1,宗地代码');
    const csvPre = await upload(app(), land, '界址点成果表.csv', csv);
    expect(csvPre.status, JSON.stringify(csvPre.body).slice(0, 500)).toBe(201);
    expect(csvPre.body.counts).toMatchObject({ features: 2, valid: 2 });
    expect(csvPre.body.features.map((f: { code: string; attributes: { parcelCode: string } }) => [f.code, f.attributes.parcelCode])).toEqual([['ZDC-0001', parcel(21)], ['ZDC-0002', parcel(22)]]);
    const csvCommit = await call(app(), land, 'POST', `/api/imports/${csvPre.body.id}/commit`);
    expect(csvCommit.status).toBe(201);
    expect(await plotOf(csvCommit.body.plots[0].id)).toMatchObject({ code: 'ZDC-0001', parcelCode: parcel(21) });
  });

  it('a malformed 宗地代码 is an error of that feature naming the field; the commit writes nothing', async () => {
    const plots = nextPlots(3, 'ZDX');
    const fc = JSON.parse(geojsonOf(plots)) as GeoJSON.FeatureCollection;
    fc.features[0]!.properties!.ZDDM = parcel(31);
    fc.features[1]!.properties!.ZDDM = `${district}901001QB00032`; // 特征码 Q is no ownership letter
    fc.features[2]!.properties!.ZDDM = parcel(33, district === '440112' ? '440106' : '440112'); // another district
    const before = await plotCount(app());
    const pre = await upload(app(), land, 'bad-zddm.geojson', JSON.stringify(fc));
    expect(pre.status).toBe(201);
    expect(pre.body.counts).toMatchObject({ valid: 1, invalid: 2 });
    const problem = pre.body.problems.find((p: { index: number }) => p.index === 1);
    expect(problem.code).toBe('ZDX-0002');
    expect(problem.errors[0]).toMatchObject({ code: 'PARCEL_CODE_INVALID', field: 'parcelCode' });
    expect(problem.errors[0].messageZh).toMatch(/^宗地代码（parcelCode）“\d{12}QB00032”无效：第 13 位/);
    expect(problem.errors[0].messageEn).toMatch(/宗地代码 \(parcelCode\) .* is not valid: Character 13/);
    expect(pre.body.features[1].attributes.parcelCode).toBeUndefined();
    const other = pre.body.problems.find((p: { index: number }) => p.index === 2);
    expect(other.errors.map((e: { code: string }) => e.code)).toEqual(['PARCEL_CODE_DISTRICT']);
    expect(pre.body.problems.some((p: { index: number }) => p.index === 0)).toBe(false);
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status).toBe(422);
    expect(commit.body.reason).toBe('IMPORT_HAS_ERRORS');
    expect(await plotCount(app())).toBe(before);
    const written = await app().db.selectFrom('plots').select('id').where('parcel_code', '=', parcel(31)).execute();
    expect(written).toEqual([]);
  });

  it('a 宗地代码 twice in the file, or held by a live plot, is an error like a duplicate plot code', async () => {
    const plots = nextPlots(2, 'ZDD');
    const fc = JSON.parse(geojsonOf(plots)) as GeoJSON.FeatureCollection;
    fc.features.forEach((f) => { f.properties!['宗地代码'] = parcel(41); });
    const dup = await upload(app(), land, 'dup-zddm.geojson', JSON.stringify(fc));
    expect(dup.body.features.map((f: { errors: { code: string }[] }) => f.errors.map((e) => e.code))).toEqual([['DUPLICATE_PARCEL_CODE'], ['DUPLICATE_PARCEL_CODE']]);
    expect(dup.body.features[0].errors[0].messageEn).toMatch(/#1, #2/);

    fc.features.forEach((f) => { f.properties!['宗地代码'] = parcel(2); }); // held by ZD-0002 (first test)
    fc.features.pop();
    const held = await upload(app(), land, 'held-zddm.geojson', JSON.stringify(fc));
    expect(held.body.features[0].errors).toEqual([expect.objectContaining({ code: 'PARCEL_CODE_EXISTS', field: 'parcelCode', plotCode: 'ZD-0002' })]);
    expect((await call(app(), land, 'POST', `/api/imports/${held.body.id}/commit`)).status).toBe(422);
  });

  it('refuses at commit a 宗地代码 given to another plot since the preview, and marks the import failed', async () => {
    const plots = nextPlots(1, 'ZDR');
    const fc = JSON.parse(geojsonOf(plots)) as GeoJSON.FeatureCollection;
    fc.features[0]!.properties!.parcel_code = parcel(51);
    const pre = await upload(app(), land, 'race-zddm.geojson', JSON.stringify(fc));
    expect(pre.body.counts.valid).toBe(1);
    const other = await app().db.selectFrom('plots').select(['id', 'row_version']).where('code', '=', 'ZD-0003').executeTakeFirstOrThrow();
    const patched = await call(app(), land, 'PATCH', `/api/plots/${other.id}`, { expectedRowVersion: String(other.row_version), parcelCode: parcel(51), reason: '登记' });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const before = await plotCount(app());
    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status).toBe(409);
    expect(commit.body).toMatchObject({ reason: 'CODE_EXISTS', field: 'parcelCode', parcelCodes: [parcel(51)] });
    expect(await plotCount(app())).toBe(before);
    expect((await call(app(), land, 'GET', `/api/imports/${pre.body.id}`)).body.status).toBe('failed');
    expect(parkId).toBeGreaterThan(0);
  });
});
