/**
 * Recognizing a park (逐年认定) from a GeoJSON boundary, and the supporting-facilities ratio of
 * park-operator projects (五(三)13). A recognized park is on the map and subsidy-eligible at once;
 * invalid boundaries are refused with a message saying what to change, and nothing is written.
 *
 * Test squares (checked against geodata/districts.geojson and parks.geojson): 0.008° squares of
 * about 0.73 km², centred on 113.335, 23.135 and 113.36, 23.14 (天河, clear of every park),
 * 113.30, 23.09 (海珠) and 113.47, 23.10 (黄埔).
 */
import { beforeAll, expect, it } from 'vitest';
import { area } from '@turf/turf';
import { geometryAreaM2 } from '../../shared/geometry/index.ts';
import { describeOnDatabases } from './context.ts';
import { APP_ORIGIN, call, login, type Session } from './login.ts';
import { parkIds } from './subsidy-helpers.ts';

type Ring = [number, number][];
const square = (lon: number, lat: number, half = 0.004): Ring => [
  [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half],
];
const polygon = (ring: Ring) => ({ type: 'Polygon' as const, coordinates: [ring] });
const meta = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  nameZh: `测试认定园区 ${code}`,
  nameEn: `Test Recognized Park ${code}`,
  districtCode: '440106',
  sectors: ['ai'],
  recognizedYear: 2025,
  ...extra,
});

describeOnDatabases('recognizing a park and the facilities ratio', (get) => {
  let admin: Session;
  let ids: Record<string, number>;
  const app = () => get().app;
  const post = (url: string, body: unknown, s: Session | null = admin) => call(app(), s, 'POST', url, body);
  const counts = async () => {
    const parks = await app().db.selectFrom('parks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const events = await app().db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).where('entity', '=', 'park').executeTakeFirstOrThrow();
    return { parks: Number(parks.n), events: Number(events.n) };
  };

  beforeAll(async () => {
    admin = await login(app(), 'admin');
    ids = await parkIds(app());
  });

  it('recognizes a park from JSON: tier recognized, surveyed boundary, area from the geometry, on the map and in its district', async () => {
    const ring = square(113.335, 23.135);
    const r = await post('/api/parks', { ...meta('R01'), boundary: polygon(ring), note: '穗工信〔2025〕测试号' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const p = r.body.park.properties;
    expect(p).toMatchObject({
      code: 'R01', nameZh: '测试认定园区 R01', districtCode: '440106', districtNameZh: '天河区', tier: 'recognized', sectors: ['ai'],
      recognizedYear: 2025, boundarySource: 'surveyed', sample: false,
      figures: { plotCount: 0, subsidyCapYuan: 100_000_000, subsidyGrantedYuan: 0 },
    });
    // The plane area (EPSG:4547), as plots are measured; the sphere (turf) reads ≈ 0.24 % more.
    const expected = Math.round(geometryAreaM2(polygon(ring)) * 100) / 100;
    expect(area(polygon(ring))).toBeGreaterThan(expected * 1.002);
    expect(p.areaM2).toBe(expected);
    expect(r.body.checks).toMatchObject({ areaM2: expected, insideGuangzhouShare: 1, insideDistrictShare: 1, largestDistrictCode: '440106' });
    expect(r.body.warnings).toEqual([]);

    const map = await call(app(), null, 'GET', '/api/parks');
    expect(map.body.features).toHaveLength(13);
    const f = map.body.features.find((x: { properties: { code: string } }) => x.properties.code === 'R01');
    expect(f.properties).toMatchObject({ tier: 'recognized', boundarySource: 'surveyed', recognizedYear: 2025 });
    expect(f.geometry.type).toBe('Polygon');
    const detail = await call(app(), null, 'GET', `/api/parks/${p.id}`);
    expect(detail.status).toBe(200);
    const audit = await app().db.selectFrom('audit_events').select(['action', 'actor_username']).where('entity', '=', 'park').where('entity_id', '=', String(p.id)).execute();
    expect(audit).toEqual([{ action: 'park.recognize', actor_username: 'admin' }]);
  });

  it('makes the new park subsidy-eligible at once, under the same cap', async () => {
    const parkId = (await parkIds(app())).R01!;
    const industry = await login(app(), 'industry');
    // 20 % × 50,000,000 = 10,000,000 ≥ 8,000,000 requested → as requested.
    const project = await post(`/api/parks/${parkId}/projects`, { name: '认定园区公共平台', kind: 'public_platform', totalInvestmentYuan: 50_000_000 }, industry);
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    const g = await post(`/api/parks/${parkId}/subsidies`, { projectId: project.body.id, requestedYuan: 8_000_000 }, industry);
    expect(g.status, JSON.stringify(g.body)).toBe(201);
    expect(g.body).toMatchObject({ grantedYuan: 8_000_000, parkRemainingYuan: 92_000_000, capYuan: 100_000_000 });
    // The Tianhe officer sees it in Tianhe's dashboard.
    const tianhe = await login(app(), 'district-tianhe');
    const d = await call(app(), tianhe, 'GET', '/api/districts/440106/dashboard');
    expect(d.body.parks.find((x: { code: string }) => x.code === 'R01')).toMatchObject({ tier: 'recognized', subsidy: { grantedYuan: 8_000_000 } });
  });

  it('accepts the GeoJSON file itself (application/geo+json), metadata from the feature’s properties or the query string', async () => {
    const file = {
      type: 'FeatureCollection',
      name: 'exported-from-qgis', // a foreign member, allowed by RFC 7946
      features: [{ type: 'Feature', properties: { ...meta('R02'), sectors: 'ngit,ai' }, geometry: polygon(square(113.36, 23.14)) }],
    };
    const res = await app().inject({
      method: 'POST',
      url: '/api/parks',
      headers: { cookie: admin.cookie, origin: APP_ORIGIN, 'content-type': 'application/geo+json' },
      payload: JSON.stringify(file),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().park.properties).toMatchObject({ code: 'R02', sectors: ['ngit', 'ai'], tier: 'recognized' });

    // A bare Feature as application/json with the metadata in the query string (query wins over properties).
    const q = new URLSearchParams({ code: 'R03', nameZh: '黄埔测试园', nameEn: 'Huangpu Test Park', districtCode: '440112', sectors: 'biomed', recognizedYear: '2026' });
    const feature = { type: 'Feature', properties: { code: 'IGNORED' }, geometry: polygon(square(113.47, 23.10)) };
    const r3 = await post(`/api/parks?${q}`, feature);
    expect(r3.status, JSON.stringify(r3.body)).toBe(201);
    expect(r3.body.park.properties).toMatchObject({ code: 'R03', districtCode: '440112', sectors: ['biomed'], recognizedYear: 2026 });
  });

  it('records a park mostly outside its named district with a warning, not a refusal (the managing district is an administrative fact)', async () => {
    // A square in 海珠 recorded under 黄埔 — like the Bio Island, managed by 黄埔 but inside 海珠's outline.
    const r = await post('/api/parks', { ...meta('R04', { districtCode: '440112' }), boundary: polygon(square(113.30, 23.09)) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.checks).toMatchObject({ insideDistrictShare: 0, largestDistrictCode: '440105' });
    expect(r.body.warnings.map((w: { code: string }) => w.code)).toEqual(['MOSTLY_OUTSIDE_DISTRICT']);
    expect(r.body.warnings[0].messageEn).toMatch(/Only 0\.0% of the boundary lies inside the managing district 440112; most of it is in Haizhu/);
    const notes = await app().db.selectFrom('parks').select('notes').where('code', '=', 'R04').executeTakeFirstOrThrow();
    expect((notes.notes as { warnings: unknown[] }).warnings).toHaveLength(1);
  });

  const bowtie: Ring = [[113.33, 23.13], [113.34, 23.14], [113.34, 23.13], [113.33, 23.14], [113.33, 23.13]];
  it.each([
    ['a self-intersecting outline', { boundary: polygon(bowtie) }, /intersects itself \(1 place, the first near 113\.335000, 23\.135000\)/],
    ['an open ring', { boundary: { type: 'Polygon', coordinates: [square(113.335, 23.135).slice(0, 4)] } }, /outer ring is not closed/],
    ['a ring of two corners', { boundary: polygon([[113.3, 23.1], [113.31, 23.1], [113.31, 23.1], [113.3, 23.1]]) }, /at least 3 distinct corners/],
    ['projected coordinates', { boundary: polygon(square(38_440_000, 2_560_000, 500)) }, /looks like projected metres/],
    ['latitude, longitude order', { boundary: polygon(square(23.135, 113.335)) }, /latitude, longitude order/],
    ['a point', { boundary: { type: 'Point', coordinates: [113.3, 23.1] } }, /boundary/],
    ['a two-feature file', { boundary: { type: 'FeatureCollection', features: [
      { type: 'Feature', properties: {}, geometry: polygon(square(113.335, 23.135)) },
      { type: 'Feature', properties: {}, geometry: polygon(square(113.36, 23.14)) },
    ] } }, /holds 2 features; a park boundary must be exactly one polygon feature/],
    ['a line', { boundary: { type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [[113.3, 23.1], [113.4, 23.2]] } } }, /A LineString cannot be a park boundary/],
    ['a place outside Guangzhou (Beijing)', { boundary: polygon(square(116.40, 39.90)) }, /outside Guangzhou/],
    ['an overlap with an existing park', { boundary: polygon(square(113.405, 23.175)) }, /overlaps park P03 Tianhe Software Value Innovation Park by [\d,]+ m²/],
    ['a missing boundary', { boundary: undefined }, /boundary is required/],
    ['an unknown district', { districtCode: '440199', boundary: polygon(square(113.335, 23.135)) }, /440199 is not a Guangzhou district|districtCode/],
    ['an unknown sector', { sectors: ['fintech'], boundary: polygon(square(113.335, 23.135)) }, /sectors/],
    ['a year before the plan', { recognizedYear: 2017, boundary: polygon(square(113.335, 23.135)) }, /recognizedYear/],
    ['an unknown field', { tier: 'core', boundary: polygon(square(113.335, 23.135)) }, /"tier" is not allowed/],
  ])('refuses %s with 400 and a clear message, writing nothing', async (_w, patch, message) => {
    const before = await counts();
    const r = await post('/api/parks', { ...meta('BAD1'), ...patch });
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.message).toMatch(message);
    expect(await counts()).toEqual(before);
  });

  it('refuses missing metadata naming every missing field, a taken code with 409, and non-admins', async () => {
    const before = await counts();
    const raw = await post('/api/parks', { type: 'Feature', properties: {}, geometry: polygon(square(113.335, 23.135)) });
    expect(raw.status).toBe(400);
    expect(raw.body.message).toMatch(/Missing code, nameZh, nameEn, districtCode, sectors, recognizedYear/);
    const taken = await post('/api/parks', { ...meta('P03'), boundary: polygon(square(113.335, 23.135, 0.001)) });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'CONFLICT', reason: 'PARK_CODE_TAKEN' });
    for (const name of ['land', 'industry', 'district-tianhe', 'investor']) {
      expect((await post('/api/parks', { ...meta('R09'), boundary: polygon(square(113.335, 23.135, 0.001)) }, await login(app(), name))).status, name).toBe(403);
    }
    expect((await post('/api/parks', { ...meta('R09'), boundary: polygon(square(113.335, 23.135, 0.001)) }, null)).status).toBe(401);
    expect(await counts()).toEqual(before);
  });

  // --- Supporting facilities (五(三)13) ------------------------------------------------------------

  it('registers a park-operator project at exactly 15 % and refuses 15.01 % with the ratio and the limit', async () => {
    const land = await login(app(), 'land');
    const park = ids.P03!;
    const ok = await post(`/api/parks/${park}/operator-projects`, { operatorName: '天河软件园开发运营有限公司', projectName: '人才公寓', totalFloorAreaM2: 100_000, facilitiesFloorAreaM2: 15_000 }, land);
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body).toMatchObject({ parkId: park, byParkOperator: true, ratio: 0.15, limit: 0.15, limitBp: 1500, headroomM2: 0, createdBy: 'land' });
    // 15,010 / 100,000 = 15.01 % > 15 %; at most 15,000 m².
    const over = await post(`/api/parks/${park}/operator-projects`, { operatorName: '天河软件园开发运营有限公司', projectName: '配套商业', totalFloorAreaM2: 100_000, facilitiesFloorAreaM2: 15_010 }, land);
    expect(over.status).toBe(422);
    expect(over.body).toMatchObject({ code: 'FACILITIES_RATIO_EXCEEDED', limit: 0.15, limitBp: 1500, maxFacilitiesM2: 15_000 });
    expect(over.body.message).toMatch(/15\.01% of the floor area, over the 15\.00% limit \(at most 15,000\.00 m²\)/);
    expect(over.body.message).toMatch(/占比 15\.01%，超过上限 15\.00%/);
    // A hair over (15,000.01 / 100,000 = 15.00001 %) shows rounded UP, never as equal to the limit.
    const hair = await post(`/api/parks/${park}/operator-projects`, { operatorName: 'x', projectName: 'y', totalFloorAreaM2: 100_000, facilitiesFloorAreaM2: 15_000.01 }, land);
    expect(hair.status).toBe(422);
    expect(hair.body.message).toMatch(/15\.01%/);
    const list = await call(app(), land, 'GET', `/api/parks/${park}/operator-projects`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: ok.body.id, projectName: '人才公寓', ratio: 0.15 }] });
  });

  it('applies the ordinary 14 % to a project in the park not by its operator', async () => {
    const land = await login(app(), 'land');
    const park = ids.P03!;
    // 14.5 % is within 15 % but over 14 %.
    const r = await post(`/api/parks/${park}/operator-projects`, { operatorName: '某开发商', projectName: '商务楼', totalFloorAreaM2: 20_000, facilitiesFloorAreaM2: 2_900, byParkOperator: false }, land);
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ code: 'FACILITIES_RATIO_EXCEEDED', limitBp: 1400, maxFacilitiesM2: 2_800 });
    expect(r.body.message).toMatch(/14\.50% of the floor area, over the 14\.00% limit/);
    const ok = await post(`/api/parks/${park}/operator-projects`, { operatorName: '某开发商', projectName: '商务楼', totalFloorAreaM2: 20_000, facilitiesFloorAreaM2: 2_800, byParkOperator: false }, land);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ byParkOperator: false, limitBp: 1400, ratio: 0.14 });
  });

  it('validates the floor areas and scopes the operator projects', async () => {
    const land = await login(app(), 'land');
    const park = ids.P03!;
    const bad = await post(`/api/parks/${park}/operator-projects`, { operatorName: 'x', projectName: 'y', totalFloorAreaM2: 0, facilitiesFloorAreaM2: 0 }, land);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/Total floor area must be greater than 0/);
    const more = await post(`/api/parks/${park}/operator-projects`, { operatorName: 'x', projectName: 'y', totalFloorAreaM2: 100, facilitiesFloorAreaM2: 101 }, land);
    expect(more.status).toBe(400);
    expect((await post(`/api/parks/${park}/operator-projects`, { operatorName: 'x', projectName: 'y', totalFloorAreaM2: 100, facilitiesFloorAreaM2: 1 }, await login(app(), 'industry'))).status).toBe(403);
    expect((await post('/api/parks/999999/operator-projects', { operatorName: 'x', projectName: 'y', totalFloorAreaM2: 100, facilitiesFloorAreaM2: 1 }, land)).status).toBe(404);
    expect((await call(app(), await login(app(), 'district-huangpu'), 'GET', `/api/parks/${park}/operator-projects`)).status).toBe(403);
    expect((await call(app(), await login(app(), 'district-tianhe'), 'GET', `/api/parks/${park}/operator-projects`)).status).toBe(200);
    expect((await call(app(), null, 'GET', `/api/parks/${park}/operator-projects`)).status).toBe(401);
  });
});
