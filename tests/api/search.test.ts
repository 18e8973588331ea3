/**
 * Investor search (GET /api/search/plots), public: only available plots; every filter narrows
 * to exactly what it says (checked against the database, not against the same query); areas in
 * 亩 compared exactly at the boundary; the indicative floor per m² is the shared `priceFloor` of
 * each plot to the fen (the SQL and the domain rule cannot drift apart); sorting and paging are
 * stable; bad input is a 400 that names the parameter; and no cost figure leaves the server.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeOnDatabases } from './context.ts';
import { call } from './login.ts';
import { priceFloor, publicFloor } from '../../shared/policy/index.ts';
import { fenToYuan } from '../../shared/money.ts';
import { muToM2 } from '../../shared/units.ts';
import { loadReference } from '../../server/modules/reference/service.ts';
import { plotFloorBasis } from '../../server/modules/quotes/service.ts';

interface Item {
  id: number;
  code: string;
  parkId: number;
  sectors: string[];
  districtCode: string;
  areaM2: number;
  areaMu: number;
  landUse: string;
  supplyModes: string[];
  floorYuanPerM2: number | null;
  floorBinding: string | null;
  centroid: [number, number];
}

/** Every page of a search, walked with limit/offset. */
async function searchAll(app: FastifyInstance, query: string, pageSize = 200): Promise<{ items: Item[]; total: number }> {
  const items: Item[] = [];
  let total = 0;
  for (let offset = 0; ; offset += pageSize) {
    const r = await call(app, null, 'GET', `/api/search/plots?${query}${query ? '&' : ''}limit=${pageSize}&offset=${offset}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    total = r.body.total;
    items.push(...(r.body.items as Item[]));
    if (r.body.items.length < pageSize) break;
  }
  return { items, total };
}

describeOnDatabases('investor search', (get) => {
  const app = () => get().app;
  let available: { id: number; code: string; park_id: number; area_m2: string; land_use: string; district_code: string; sectors: string[] }[];

  beforeAll(async () => {
    available = await app()
      .db.selectFrom('plots as pl')
      .innerJoin('parks as p', 'p.id', 'pl.park_id')
      .select(['pl.id', 'pl.code', 'pl.park_id', 'pl.area_m2', 'pl.land_use', 'p.district_code', 'p.sectors'])
      .where('pl.status', '=', 'available')
      .execute();
    expect(available.length).toBeGreaterThan(50);
  });

  it('lists every available plot and nothing else, with a total and the reference date', async () => {
    const { items, total } = await searchAll(app(), '');
    expect(total).toBe(available.length);
    expect(items.map((i) => i.id).sort((a, b) => a - b)).toEqual(available.map((p) => p.id).sort((a, b) => a - b));
    const first = await call(app(), null, 'GET', '/api/search/plots?limit=1');
    expect(first.body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(first.body.referenceSample).toBe(true); // the shipped benchmark table is a sample
  });

  it('gives each plot the IAB 50-year indicative minimum per m² of shared publicFloor, to the fen, and its public binding term', async () => {
    const { items } = await searchAll(app(), '');
    const ref = await loadReference(app().db);
    let costWouldBind = 0;
    for (const item of items) {
      const basis = await plotFloorBasis(app().db, item.id, ref);
      const f = priceFloor({ ...basis, iab: true, termYears: 50, params: ref.params });
      if (!f.ok) throw new Error(f.messageEn);
      const pub = publicFloor(f);
      if (f.binding === 'cost') costWouldBind++;
      expect({ code: item.code, floor: item.floorYuanPerM2, binding: item.floorBinding }).toEqual({ code: item.code, floor: fenToYuan(pub.floorFenPerM2), binding: pub.binding });
      expect(item.floorBinding).not.toBe('cost');
    }
    // The demo data has plots whose confidential cost binds the bureau's floor: none of it shows here.
    expect(costWouldBind).toBeGreaterThan(0);
    // …and the public quote route agrees for a few.
    for (const item of items.slice(0, 5)) {
      const q = await call(app(), null, 'POST', '/api/quotes/price-floor', { plotId: item.id, iab: true });
      expect(q.body.floorYuanPerM2).toBe(item.floorYuanPerM2);
    }
  });

  it('filters by sector, district and park', async () => {
    const bio = await searchAll(app(), 'sector=biomed');
    expect(bio.items.length).toBeGreaterThan(0);
    expect(bio.items.map((i) => i.id).sort()).toEqual(available.filter((p) => p.sectors.includes('biomed')).map((p) => p.id).sort());
    expect(bio.items.every((i) => i.sectors.includes('biomed'))).toBe(true);

    const huangpu = await searchAll(app(), 'districtCode=440112');
    expect(huangpu.total).toBe(available.filter((p) => p.district_code === '440112').length);
    expect(huangpu.items.every((i) => i.districtCode === '440112')).toBe(true);

    const parkId = available[0]!.park_id;
    const park = await searchAll(app(), `parkId=${parkId}`);
    expect(park.total).toBe(available.filter((p) => p.park_id === parkId).length);
    expect(park.items.every((i) => i.parkId === parkId)).toBe(true);
  });

  it('filters by area in 亩, exactly at the boundary', async () => {
    const target = available[3]!;
    const mu = Number(target.area_m2) * 0.0015; // 1 m² = 3/2000 亩
    const lo = Math.floor(mu * 100) / 100;
    const r = await searchAll(app(), `minAreaMu=${lo}&maxAreaMu=${lo + 5}`);
    const want = available.filter((p) => Number(p.area_m2) * 3 >= lo * 2000 - 1e-9 && Number(p.area_m2) * 3 <= (lo + 5) * 2000 + 1e-9);
    expect(r.items.map((i) => i.id).sort()).toEqual(want.map((p) => p.id).sort());
    expect(r.items.map((i) => i.code)).toContain(target.code);
    // A plot of exactly 30 亩 (20,000 m²) is in "at least 30" and "at most 30".
    await app().db.updateTable('plots').set({ area_m2: '20000.00' }).where('id', '=', target.id).execute();
    try {
      expect(muToM2(30)).toBe(20000);
      expect((await searchAll(app(), 'minAreaMu=30&maxAreaMu=30')).items.map((i) => i.code)).toEqual([target.code]);
      expect((await searchAll(app(), 'minAreaMu=30.01')).items.map((i) => i.code)).not.toContain(target.code);
    } finally {
      await app().db.updateTable('plots').set({ area_m2: target.area_m2 }).where('id', '=', target.id).execute();
    }
  });

  it('filters by land use, supply mode (indicative rule by land use) and the highest floor per m²', async () => {
    const m0 = await searchAll(app(), 'landUse=M0');
    expect(m0.total).toBe(available.filter((p) => p.land_use === 'M0').length);
    expect(m0.items.every((i) => i.landUse === 'M0' && i.supplyModes.join() === 'transfer,long_term_lease')).toBe(true);

    const flexible = await searchAll(app(), 'supplyModes=flexible_term,lease_then_transfer');
    expect(flexible.total).toBe(available.filter((p) => p.land_use !== 'M0').length);
    expect(flexible.items.every((i) => i.supplyModes.includes('flexible_term'))).toBe(true);
    expect((await searchAll(app(), 'supplyModes=flexible_term&landUse=M0')).total).toBe(0);

    const all = await searchAll(app(), '');
    const floors = all.items.map((i) => i.floorYuanPerM2!).sort((a, b) => a - b);
    const cap = floors[Math.floor(floors.length / 2)]!;
    const cheap = await searchAll(app(), `maxFloorYuanPerM2=${cap}`);
    expect(cheap.total).toBe(floors.filter((f) => f <= cap).length);
    expect(cheap.items.every((i) => i.floorYuanPerM2! <= cap)).toBe(true);
  });

  it('filters by the map viewport (bbox), so moving the map changes the list', async () => {
    const all = await searchAll(app(), '');
    const c = all.items[0]!.centroid;
    const bbox = [c[0] - 0.01, c[1] - 0.01, c[0] + 0.01, c[1] + 0.01].join(',');
    const near = await searchAll(app(), `bbox=${bbox}`);
    expect(near.items.map((i) => i.id)).toContain(all.items[0]!.id);
    expect(near.total).toBeLessThan(all.total);
    expect((await searchAll(app(), 'bbox=100,10,100.1,10.1')).total).toBe(0);
  });

  it('sorts by area, floor and code, and pages without gaps or repeats', async () => {
    const byArea = (await searchAll(app(), 'sort=area_desc', 37)).items;
    expect(byArea.length).toBe(available.length);
    for (let i = 1; i < byArea.length; i++) expect(byArea[i - 1]!.areaM2).toBeGreaterThanOrEqual(byArea[i]!.areaM2);
    expect(new Set(byArea.map((i) => i.id)).size).toBe(byArea.length);
    const byFloor = (await searchAll(app(), 'sort=floor_asc', 50)).items;
    for (let i = 1; i < byFloor.length; i++) expect(byFloor[i - 1]!.floorYuanPerM2!).toBeLessThanOrEqual(byFloor[i]!.floorYuanPerM2!);
    const byCode = (await searchAll(app(), 'sort=code')).items.map((i) => i.code);
    expect(byCode).toEqual([...byCode].sort());
  });

  it('answers bad parameters with a 400 that names them', async () => {
    for (const [q, word] of [
      ['bbox=1,2,3', 'bbox'],
      ['minAreaMu=10&maxAreaMu=5', 'minAreaMu'],
      ['landUse=M9', 'landUse'],
      ['supplyModes=auction', 'supplyModes'],
      ['sort=price', 'sort'],
      ['limit=5000', 'limit'],
      ['sector=steel', 'sector'],
      ['districtCode=abc', 'districtCode'],
      ['maxFloorYuanPerM2=-1', 'maxFloorYuanPerM2'],
      ['cost=1', 'cost'],
    ] as const) {
      const r = await call(app(), null, 'GET', `/api/search/plots?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.message, q).toContain(word);
    }
  });

  it('never returns a cost figure', async () => {
    const r = await call(app(), null, 'GET', '/api/search/plots?limit=500');
    // No key names a cost, an internal field or a note (the binding term's name "cost" is a value).
    expect(JSON.stringify(r.body)).not.toMatch(/"[^"]*(cost|internal|note)[^"]*":/i);
    const costs = await app().db.selectFrom('plots').select('cost_yuan').where('status', '=', 'available').where('cost_yuan', 'is not', null).execute();
    const text = JSON.stringify(r.body);
    for (const c of costs.slice(0, 50)) expect(text).not.toContain(`:${Number(c.cost_yuan)},`);
  });
});
