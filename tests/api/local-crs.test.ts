/**
 * Local (city) coordinate systems (issue #18 §2): bureau-only reference data (the parameters are
 * confidential), admin-only changes with audit events that do not disclose the figures, and an
 * import end to end in a made-up local system: EPSG:4547 → local (the file) → import → the same
 * parcels, within 1 mm in EPSG:4547.
 */
import { beforeAll, expect, it } from 'vitest';
import { zipSync, strToU8 } from 'fflate';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { clearPark, samplePlots, upload } from './import-helpers.ts';
import { CRS, geometryFromWgs84 } from '../../shared/geometry/crs.ts';
import { toLocal, type FourParameters } from '../../shared/geometry/local-crs.ts';
import { writeShapefile } from '../../server/modules/exports/shapefile.ts';
import type { PlotGeometry } from '../../shared/geometry/index.ts';

// Made up for the test: no real city's parameters are shipped.
const PARAMS: Required<FourParameters> = { dE: -438_000.25, dN: -2_550_000.5, rotationSec: -95.2, scalePpm: 12.5, originE: 438_000, originN: 2_552_000 };

const mapRings = (g: PlotGeometry, f: (p: [number, number]) => [number, number]): PlotGeometry =>
  (g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(([x, y]) => f([x!, y!]))) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map((poly) => poly.map((r) => r.map(([x, y]) => f([x!, y!])))) }) as PlotGeometry;

describeOnDatabases('local coordinate systems', (get) => {
  const app = () => get().app;
  let admin: Session, land: Session, investor: Session, district: Session;
  let id: number;

  beforeAll(async () => {
    admin = await login(app(), 'admin');
    land = await login(app(), 'land');
    investor = await login(app(), 'investor');
    district = await login(app(), 'district-huangpu');
  });

  it('an administrator adds one; the bureau reads it; nobody else does', async () => {
    const body = { name: '测试市独立坐标系（虚构）', kind: 'four_parameter', parameters: PARAMS, note: 'made up for tests' };
    expect((await call(app(), land, 'POST', '/api/reference/local-crs', body)).status).toBe(403);
    const res = await call(app(), admin, 'POST', '/api/reference/local-crs', body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    id = res.body.id;
    expect(res.body).toMatchObject({ crs: `LOCAL:${id}`, name: body.name, kind: 'four_parameter', parameters: PARAMS });
    for (const who of [land, admin, await login(app(), 'industry')]) {
      const list = await call(app(), who, 'GET', '/api/reference/local-crs');
      expect(list.status).toBe(200);
      expect(list.body.items.find((i: { id: number }) => i.id === id).parameters).toEqual(PARAMS);
    }
    expect((await call(app(), null, 'GET', '/api/reference/local-crs')).status).toBe(401);
    expect((await call(app(), investor, 'GET', '/api/reference/local-crs')).status).toBe(403);
    expect((await call(app(), district, 'GET', '/api/reference/local-crs')).status).toBe(403);
    // Not in the public reference data either.
    expect(JSON.stringify((await call(app(), null, 'GET', '/api/reference')).body)).not.toContain('438000.25');
  });

  it('refuses a bad or duplicate one with 4xx naming the problem, writing nothing', async () => {
    const bad = await call(app(), admin, 'POST', '/api/reference/local-crs', { name: 'x', kind: 'four_parameter', parameters: { ...PARAMS, rotationSec: 9999 } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/rotationSec/);
    expect((await call(app(), admin, 'POST', '/api/reference/local-crs', { name: 'x', kind: 'seven_parameter', parameters: PARAMS })).status).toBe(400);
    const dup = await call(app(), admin, 'POST', '/api/reference/local-crs', { name: ' 测试市独立坐标系（虚构） ', kind: 'four_parameter', parameters: PARAMS });
    expect(dup.status).toBe(409);
    expect((await app().db.selectFrom('local_crs').select('id').execute()).length).toBe(1);
  });

  it('records an audit event with a fingerprint of the parameters, not the figures', async () => {
    const ev = await app().db.selectFrom('audit_events').select(['action', 'after']).where('entity', '=', 'local_crs').where('entity_id', '=', String(id)).executeTakeFirstOrThrow();
    expect(ev.action).toBe('local_crs.create');
    expect(ev.after).toMatchObject({ name: '测试市独立坐标系（虚构）', parametersFingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(JSON.stringify(ev.after)).not.toContain('438000.25');
  });

  it('imports a Shapefile in the local system (crs=LOCAL:<id>): the preview and the plots are the original parcels within 1 mm', async () => {
    const plots = samplePlots('P03', 12, 'LOC', 'local-crs');
    await clearPark(app(), 'P03');
    const gk = plots.map((p) => geometryFromWgs84('EPSG:4547', p.geometry));
    const local = gk.map((g) => mapRings(g, (p) => toLocal(PARAMS, p)));
    const { shp, shx, dbf } = writeShapefile(
      plots.map((p, i) => ({ geometry: local[i]!, properties: { code: p.code, land_use: p.landUse, area_m2: p.areaM2, land_level: p.landLevel } })),
      [{ name: 'code', type: 'C' }, { name: 'land_use', type: 'C', length: 2 }, { name: 'area_m2', type: 'N', length: 16, decimals: 2 }, { name: 'land_level', type: 'N', length: 4, decimals: 0 }],
    );
    // A borrowed .prj saying EPSG:4547, as local files often carry: the chosen local system wins, with a notice.
    const zip = zipSync({ 'local.shp': shp, 'local.shx': shx, 'local.dbf': dbf, 'local.prj': strToU8(CRS['EPSG:4547'].prjWkt), 'local.cpg': strToU8('UTF-8') });

    // Read as plain EPSG:4547, the numbers land nowhere near Guangzhou: every feature is refused.
    const wrong = await upload(app(), land, 'local.zip', zip);
    expect(wrong.status).toBe(201);
    expect(wrong.body.counts.invalid).toBe(plots.length);

    expect((await upload(app(), land, 'local.zip', zip, { crs: 'LOCAL:999999' })).status).toBe(400);

    const pre = await upload(app(), land, 'local.zip', zip, { crs: `LOCAL:${id}` });
    expect(pre.status, JSON.stringify(pre.body).slice(0, 600)).toBe(201);
    expect(pre.body).toMatchObject({ crs: `LOCAL:${id}`, crsSource: 'user', counts: { features: plots.length, invalid: 0 } });
    expect(pre.body.notices.map((n: { code: string }) => n.code)).toContain('CRS_LOCAL');
    const back = (g: PlotGeometry) => geometryFromWgs84('EPSG:4547', g);
    let worst = 0;
    for (const f of pre.body.features as { code: string; geometry: PlotGeometry }[]) {
      const i = plots.findIndex((p) => p.code === f.code);
      const a = (gk[i] as GeoJSON.Polygon).coordinates[0]!, b = (back(f.geometry) as GeoJSON.Polygon).coordinates[0]!;
      // Same ring, maybe re-wound or started elsewhere: every original vertex has a twin.
      for (const p of a) worst = Math.max(worst, Math.min(...b.map((q) => Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!))));
    }
    expect(worst).toBeLessThan(0.001);

    const commit = await call(app(), land, 'POST', `/api/imports/${pre.body.id}/commit`);
    expect(commit.status, JSON.stringify(commit.body).slice(0, 400)).toBe(201);
    expect(commit.body.created).toBe(plots.length);
    const row = await app().db.selectFrom('imports').select(['crs', 'status']).where('id', '=', pre.body.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ crs: `LOCAL:${id}`, status: 'committed' });
    const stored = await app().db.selectFrom('plots').select(['code', 'area_m2']).where('code', 'like', 'LOC-%').execute();
    expect(stored).toHaveLength(plots.length);
  });

  it('an administrator removes one (audited); imports no longer accept it', async () => {
    expect((await call(app(), land, 'DELETE', `/api/reference/local-crs/${id}`)).status).toBe(403);
    expect((await call(app(), admin, 'DELETE', `/api/reference/local-crs/${id}`)).status).toBe(204);
    expect((await call(app(), admin, 'DELETE', `/api/reference/local-crs/${id}`)).status).toBe(404);
    const ev = await app().db.selectFrom('audit_events').select('action').where('entity', '=', 'local_crs').where('action', '=', 'local_crs.delete').executeTakeFirst();
    expect(ev?.action).toBe('local_crs.delete');
    expect((await upload(app(), land, 'x.geojson', '{"type":"FeatureCollection","features":[]}', { crs: `LOCAL:${id}` })).status).toBe(400);
  });
});
