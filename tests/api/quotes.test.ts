/**
 * Quotes and reference data over HTTP: the
 * price floor of 五(三)14 from figures and from a plot, incentives, versioned reference data,
 * the benchmark CSV import, and 400s for bad figures. Expected values are worked out by hand.
 */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { bureauToday } from '../../shared/dates.ts';

describeOnDatabases('quotes and reference data', (get) => {
  const post = (url: string, payload: unknown, s: Session | null = null) => call(get().app, s, 'POST', url, payload);

  it('computes the floor from figures exactly as API.md names it', async () => {
    // A = 10,000 m², B = 1,000 yuan/m², C = 5,000,000 yuan, N = 600 yuan/m², IAB, 50 years:
    //   benchmark term 0.70 × 1,000 × 10,000 = 7,000,000; cost 5,000,000; national 600 × 10,000 = 6,000,000
    //   → floor 7,000,000 yuan, 700 yuan/m², bound by the benchmark.
    const { status, body } = await post('/api/quotes/price-floor', { areaM2: 10000, benchmarkYuanPerM2: 1000, costYuan: 5000000, nationalMinYuanPerM2: 600, iab: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      floorYuan: 7_000_000,
      floorYuanPerM2: 700,
      binding: 'benchmark',
      components: { benchmarkYuan: 7_000_000, costYuan: 5_000_000, nationalMinimumYuan: 6_000_000 },
      termFactor: 1,
      termYears: 50,
    });
    // Non-IAB: factor 1.00 → 10,000,000.
    const non = await post('/api/quotes/price-floor', { areaM2: 10000, benchmarkYuanPerM2: 1000, costYuan: 5000000, nationalMinYuanPerM2: 600, iab: false });
    expect(non.body.floorYuan).toBe(10_000_000);
  });

  it('term-corrects the land-value parts for a flexible term, never the cost', async () => {
    // K(20) at r = 6%: (1 − 1.06^−20)/(1 − 1.06^−50) = 0.688195… / 0.945711… = 0.727701…
    // benchmark 7,000,000 × K = 5,093,905.69…, national 6,000,000 × K = 4,366,204.87… → the cost 5,000,000
    // does not shrink, so at 20 years the benchmark term still binds: ⌈5,093,905.69…⌉.
    const { body } = await post('/api/quotes/price-floor', { areaM2: 10000, benchmarkYuanPerM2: 1000, costYuan: 5000000, nationalMinYuanPerM2: 600, iab: true, termYears: 20 });
    expect(body.termFactor).toBeCloseTo(0.727701, 5);
    expect(body.binding).toBe('benchmark');
    expect(body.floorYuan).toBeGreaterThan(5_093_905);
    expect(body.floorYuan).toBeLessThan(5_093_907);
    expect(body.components.costYuan).toBe(5_000_000);
    // At 10 years K ≈ 0.465; both land-value parts fall below C, so the cost binds.
    const ten = await post('/api/quotes/price-floor', { areaM2: 10000, benchmarkYuanPerM2: 1000, costYuan: 5000000, nationalMinYuanPerM2: 600, iab: true, termYears: 10 });
    expect(ten.body.binding).toBe('cost');
    expect(ten.body.floorYuan).toBe(5_000_000);
  });

  it.each([
    ['zero area', { areaM2: 0, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true }, /area/i],
    ['negative area', { areaM2: -5, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true }, /area/i],
    ['a term of 0', { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true, termYears: 0 }, /term/i],
    ['a term of 51', { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true, termYears: 51 }, /term/i],
    ['a non-number', { areaM2: 'lots', benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true }, /areaM2/],
    ['a missing field', { areaM2: 100, benchmarkYuanPerM2: 1000, nationalMinYuanPerM2: 600, iab: true }, /costYuan/],
    ['missing iab', { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600 }, /iab/],
    ['three decimals', { areaM2: 100.123, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true }, /decimals/],
    ['both a plot and figures', { plotId: 1, areaM2: 100, iab: true }, /either plotId or the figures/],
    ['an unknown field', { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 1, nationalMinYuanPerM2: 600, iab: true, discount: 0.5 }, /discount/],
  ])('refuses %s with 400 and a message', async (_w, payload, message) => {
    const { status, body } = await post('/api/quotes/price-floor', payload);
    expect(status).toBe(400);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toMatch(message);
  });

  it('quotes a plot from its figures and the reference data, naming the versions; the public gets the indicative minimum only', async () => {
    const plots = (await call(get().app, null, 'GET', '/api/plots?limit=1')).body;
    const plotId = plots.features[0].properties.id;
    const { status, body } = await post('/api/quotes/price-floor', { plotId, iab: true });
    expect(status).toBe(200);
    expect(body.basis).toMatchObject({ plotId, benchmarkSample: true, plotSample: true, provincialMinYuanPerM2: null, provincialMinimumVerified: null });
    expect(body.components.costYuan).toBeNull();
    expect(body.components.provincialMinimumYuan).toBeNull(); // the shipped provincial table is empty
    expect(body.indicative).toBe(true);
    expect(body.costRecorded).toBeUndefined();
    expect(body.caveatZh).toContain('最终出让底价由局方集体决策确定，可能更高');
    expect(body.caveatEn).toMatch(/set by the bureau and may be higher/);
    expect(body.messageZh).toMatch(/^参考最低价/);
    expect(body.messageZh).not.toContain('土地成本');
    expect(body.messageEn).not.toMatch(/land cost/i);
    expect(body.messageZh).toContain('省最低价 无适用标准');
    expect(Object.keys(body.referenceVersions).sort()).toEqual(['benchmark_prices', 'district_grades', 'national_minimum', 'parameters', 'provincial_minimum']);
    // The same figures through the figures route give the same floor (one rule, one function).
    const ref = (await call(get().app, null, 'GET', '/api/reference')).body;
    const b = ref.benchmark.find((r: { districtCode: string; landLevel: number }) => r.districtCode === body.basis.districtCode && r.landLevel === body.basis.landLevel);
    expect(b.yuanPerM2).toBe(body.basis.benchmarkYuanPerM2);
    // The land officer sees the full floor with the cost.
    const land = await login(get().app, 'land');
    const internal = await post('/api/quotes/price-floor', { plotId, iab: true }, land);
    expect(internal.body.components.costYuan).toBeGreaterThan(0);
    expect(internal.body).toMatchObject({ indicative: false, costRecorded: true });
    expect(internal.body.messageZh).toMatch(/^出让底价/);
    expect(internal.body.floorYuan).toBeGreaterThanOrEqual(body.floorYuan);
    // The public messages do not spell the cost out either (digits with or without grouping).
    const costDigits = internal.body.components.costYuan.toFixed(2);
    const grouped = internal.body.components.costYuan.toLocaleString('en', { minimumFractionDigits: 2 });
    for (const m of [body.messageEn, body.messageZh]) {
      expect(m).not.toContain(costDigits);
      expect(m).not.toContain(grouped);
    }
    const recomputed = await post('/api/quotes/price-floor', {
      areaM2: plots.features[0].properties.areaM2,
      benchmarkYuanPerM2: body.basis.benchmarkYuanPerM2,
      costYuan: internal.body.components.costYuan,
      nationalMinYuanPerM2: body.basis.nationalMinYuanPerM2,
      iab: true,
    });
    expect(recomputed.body.floorYuan).toBe(internal.body.floorYuan);
    expect((await post('/api/quotes/price-floor', { plotId: 99999999, iab: true })).status).toBe(404);
  });

  it('never tells the public the cost binds: at 1 year the cost binds the bureau\'s floor, the public gets the public terms', async () => {
    const land = await login(get().app, 'land');
    const plot = await get().app.db.selectFrom('plots').select(['id', 'cost_yuan']).where('status', '=', 'available').where('cost_yuan', 'is not', null).orderBy('id').executeTakeFirstOrThrow();
    const bureau = await post('/api/quotes/price-floor', { plotId: plot.id, iab: true, termYears: 1 }, land);
    expect(bureau.body.binding).toBe('cost');
    expect(bureau.body.floorYuan).toBe(Number(plot.cost_yuan));
    for (const who of [null, await login(get().app, 'investor')]) {
      const pub = await post('/api/quotes/price-floor', { plotId: plot.id, iab: true, termYears: 1 }, who);
      expect(pub.status).toBe(200);
      expect(pub.body.binding).not.toBe('cost');
      expect(pub.body.floorYuan).toBe(Math.max(pub.body.components.benchmarkYuan, pub.body.components.nationalMinimumYuan));
      expect(pub.body.floorYuan).toBeLessThan(Number(plot.cost_yuan));
      expect(pub.body.components.costYuan).toBeNull();
    }
  });

  it('figures without a plot: the caller’s own cost is echoed; a null cost is "not recorded"; a provincial figure is a fourth term', async () => {
    const base = { areaM2: 10000, benchmarkYuanPerM2: 1000, nationalMinYuanPerM2: 600, iab: true };
    const none = await post('/api/quotes/price-floor', { ...base, costYuan: null });
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ floorYuan: 7_000_000, binding: 'benchmark', costRecorded: false, components: { costYuan: null, provincialMinimumYuan: null } });
    expect(none.body.messageZh).toContain('土地成本 未登记');
    // P = 800 yuan/m² × 10 000 m² = 8 000 000 > 0.7·B·A = 7 000 000 → the provincial minimum binds.
    const prov = await post('/api/quotes/price-floor', { ...base, costYuan: 5_000_000, provincialMinYuanPerM2: 800 });
    expect(prov.body).toMatchObject({ floorYuan: 8_000_000, floorYuanPerM2: 800, binding: 'provincial_minimum', components: { costYuan: 5_000_000, provincialMinimumYuan: 8_000_000 } });
    const bad = await post('/api/quotes/price-floor', { ...base, costYuan: 1, provincialMinYuanPerM2: -3 });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/provincial|省最低价/i);
  });

  it('takes the provincial minimum from its versioned table: null without a figure, binding when it is the largest, with a flag until verified', async () => {
    const admin = await login(get().app, 'admin');
    const land = await login(get().app, 'land');
    const plot = await get().app.db.selectFrom('plots').select(['id', 'park_id']).where('status', '=', 'available').where('cost_yuan', 'is not', null).orderBy('id', 'desc').executeTakeFirstOrThrow();
    const before = await post('/api/quotes/price-floor', { plotId: plot.id, iab: true }, land);
    expect(before.body.components.provincialMinimumYuan).toBeNull();
    const grade = before.body.basis.landGrade as number;
    const ref0 = (await call(get().app, null, 'GET', '/api/reference')).body;
    expect(ref0.provincialMinimum).toEqual([]);
    expect(ref0.versions.provincial_minimum.source).toMatch(/not available/);

    // An administrator enters a provincial figure for the plot's grade far above the other terms.
    const today = bureauToday();
    const v = await post('/api/reference/provincial_minimum/versions', { effectiveFrom: today, source: '粤自然资〔2026〕test', rows: [{ grade, yuanPerM2: 5000 }] }, admin);
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    const ref1 = (await call(get().app, null, 'GET', '/api/reference')).body;
    expect(ref1.provincialMinimum).toEqual([{ grade, yuanPerM2: 5000, verified: false, source: '粤自然资〔2026〕test' }]);
    const area = before.body.areaM2 as number;
    for (const who of [land, null]) {
      const q = await post('/api/quotes/price-floor', { plotId: plot.id, iab: true }, who);
      expect(q.body.binding).toBe('provincial_minimum');
      expect(q.body.components.provincialMinimumYuan).toBe(Math.round(5000 * area * 100) / 100);
      expect(q.body.floorYuanPerM2).toBe(5000);
      expect(q.body.basis).toMatchObject({ provincialMinYuanPerM2: 5000, provincialMinimumVerified: false });
      expect(q.body.referenceVersions.provincial_minimum).toBe(v.body.id);
    }
    // term-corrected like N: at 20 years, P·A·K(20)
    const q20 = await post('/api/quotes/price-floor', { plotId: plot.id, iab: true, termYears: 20 }, land);
    expect(q20.body.components.provincialMinimumYuan).toBeCloseTo(5000 * area * q20.body.termFactor, 1);
    // …and the investor search uses it too (its indicative minimum per m²).
    const s = await call(get().app, null, 'GET', `/api/search/plots?parkId=${plot.park_id}&limit=500`);
    const item = s.body.items.find((i: { id: number }) => i.id === plot.id);
    expect(item).toMatchObject({ floorYuanPerM2: 5000, floorBinding: 'provincial_minimum' });

    // Bad rows are refused and nothing is saved; a null figure removes the grade again.
    const n = (await call(get().app, admin, 'GET', '/api/reference/provincial_minimum/versions')).body.items.length;
    const badGrade = await post('/api/reference/provincial_minimum/versions', { effectiveFrom: today, source: 'x', rows: [{ grade: 16, yuanPerM2: 1 }] }, admin);
    expect(badGrade.status).toBe(400);
    expect((await post('/api/reference/provincial_minimum/versions', { effectiveFrom: today, source: 'x', rows: [{ grade: 3, yuanPerM2: 0 }] }, admin)).status).toBe(400);
    expect((await post('/api/reference/provincial_minimum/versions', { effectiveFrom: today, source: 'x', rows: [{ grade: 3, yuanPerM2: 1 }] }, land)).status).toBe(403);
    expect((await call(get().app, admin, 'GET', '/api/reference/provincial_minimum/versions')).body.items.length).toBe(n);
    const cleared = await post('/api/reference/provincial_minimum/versions', { effectiveFrom: today, source: 'test restore', rows: [{ grade, yuanPerM2: null }] }, admin);
    expect(cleared.status).toBe(201);
    expect((await call(get().app, null, 'GET', '/api/reference')).body.provincialMinimum).toEqual([]);
    const after = await post('/api/quotes/price-floor', { plotId: plot.id, iab: true }, land);
    expect(after.body.components.provincialMinimumYuan).toBeNull();
    expect(after.body.floorYuan).toBe(before.body.floorYuan);
    await expect(get().app.db.updateTable('ref_provincial_minimum').set({ yuan_per_m2: '1' }).execute()).rejects.toThrow(/versioned/);
  });

  it('quotes a plot whose cost is not recorded: the bureau sees "cost not recorded", the public sees nothing different', async () => {
    const land = await login(get().app, 'land');
    const plot = await get().app.db.selectFrom('plots').select(['id', 'code']).where('cost_yuan', 'is', null).where('status', '=', 'available').orderBy('id').executeTakeFirst();
    expect(plot, 'the demo data has plots with no cost recorded').toBeDefined();
    const q = await post('/api/quotes/price-floor', { plotId: plot!.id, iab: true }, land);
    expect(q.status).toBe(200);
    expect(q.body).toMatchObject({ costRecorded: false, indicative: false, components: { costYuan: null } });
    expect(q.body.binding).not.toBe('cost');
    expect(q.body.messageZh).toContain('土地成本 未登记');
    expect(q.body.messageEn).toContain('land cost not recorded');
    const pub = await post('/api/quotes/price-floor', { plotId: plot!.id, iab: true });
    expect(pub.body.costRecorded).toBeUndefined();
    expect(pub.body.indicative).toBe(true);
  });

  it('estimates incentives as "up to" amounts', async () => {
    // 五(二)7: 20% of 30,000,000 = 6,000,000, capped at 5,000,000. 五(四)15: 20% of 4,000,000 = 800,000.
    const { status, body } = await post('/api/quotes/incentives', { sme: false, equipmentInvestmentYuan: 30_000_000, informatizationInvestmentYuan: 4_000_000 });
    expect(status).toBe(200);
    const byClause = Object.fromEntries(body.items.map((i: { clause: string; upToYuan: number }) => [i.clause, i.upToYuan]));
    expect(byClause['五(二)7']).toBe(5_000_000);
    expect(byClause['五(四)15']).toBe(800_000);
    const bad = await post('/api/quotes/incentives', { sme: 'maybe' });
    expect(bad.status).toBe(400);
  });

  it('serves the reference data with provenance: grade 3 confirmed for urban districts, others flagged, benchmark sample', async () => {
    const { body } = await call(get().app, null, 'GET', '/api/reference');
    const tianhe = body.districtGrades.find((d: { districtCode: string }) => d.districtCode === '440106');
    expect(tianhe).toMatchObject({ grade: 3, verified: true });
    const conghua = body.districtGrades.find((d: { districtCode: string }) => d.districtCode === '440117');
    expect(conghua).toMatchObject({ verified: false, assumption: true });
    expect(body.nationalMinimum).toHaveLength(15);
    expect(body.nationalMinimum.find((g: { grade: number }) => g.grade === 3)).toMatchObject({ yuanPerM2: 600, verified: true });
    expect(body.nationalMinimum.find((g: { grade: number }) => g.grade === 7)).toMatchObject({ yuanPerM2: 288, verified: false });
    expect(body.benchmark.every((r: { sample: boolean }) => r.sample)).toBe(true);
    const iab = body.parameters.find((p: { key: string }) => p.key === 'iabFloorFactorBp');
    expect(iab).toMatchObject({ value: '7000', clause: '五(三)14' });
  });

  it('adds a parameter version with an effective date, keeps the old one, and quotes with the version in force', async () => {
    const admin = await login(get().app, 'admin');
    const figures = { areaM2: 10000, benchmarkYuanPerM2: 1000, costYuan: 0, nationalMinYuanPerM2: 1, iab: true };
    const before = await post('/api/quotes/price-floor', figures);
    expect(before.body.floorYuan).toBe(7_000_000);
    // A future version does not apply yet…
    const future = await post('/api/reference/parameters/versions', { effectiveFrom: '2099-01-01', source: 'test', values: { iabFloorFactorBp: 6000 } }, admin);
    expect(future.status).toBe(201);
    expect((await post('/api/quotes/price-floor', figures)).body.floorYuan).toBe(7_000_000);
    // …one effective today does: 0.80 × 1,000 × 10,000 = 8,000,000.
    const today = bureauToday();
    const now = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: '穗规划资源〔2026〕test', values: { iabFloorFactorBp: 8000 } }, admin);
    expect(now.status).toBe(201);
    const after = await post('/api/quotes/price-floor', figures);
    expect(after.body.floorYuan).toBe(8_000_000);
    expect(after.body.referenceVersions.parameters).toBe(now.body.id);
    const versions = await call(get().app, admin, 'GET', '/api/reference/parameters/versions');
    expect(versions.body.items.length).toBeGreaterThanOrEqual(3);
    expect(versions.body.items.filter((v: { current: boolean }) => v.current).map((v: { id: number }) => v.id)).toEqual([now.body.id]);
    // Restore the default for the other tests, as a newer version (history is kept).
    await post('/api/reference/parameters/versions', { effectiveFrom: today, source: 'test restore', values: { iabFloorFactorBp: 7000 } }, admin);
    expect((await post('/api/quotes/price-floor', figures)).body.floorYuan).toBe(7_000_000);
  });

  it('refuses invalid parameter versions and changes nothing', async () => {
    const admin = await login(get().app, 'admin');
    const count = async () => (await call(get().app, admin, 'GET', '/api/reference/parameters/versions')).body.items.length;
    const n = await count();
    for (const payload of [
      { effectiveFrom: '2026-02-30', source: 'x', values: { iabFloorFactorBp: 7000 } },
      { effectiveFrom: '2026-01-01', source: 'x', values: { iabFloorFactorBp: 12000 } },
      { effectiveFrom: '2026-01-01', source: 'x', values: { noSuchKey: 1 } },
      { effectiveFrom: '2026-01-01', source: 'x' },
    ]) {
      const r = await post('/api/reference/parameters/versions', payload, admin);
      expect(r.status, JSON.stringify(payload)).toBe(400);
      expect(r.body.message.length).toBeGreaterThan(10);
    }
    expect(await count()).toBe(n);
  });

  it('imports the official benchmark table from CSV, with row-level errors when it is wrong', async () => {
    const admin = await login(get().app, 'admin');
    const csv = (rows: string[]) => ['district_code,land_level,yuan_per_m2', ...rows].join('\n');
    const url = '/api/reference/benchmark_prices/import?effectiveFrom=2020-01-01&source=%E7%A9%97%E5%BA%9C%E3%80%942020%E3%80%95test';
    const bad = await get().app.inject({ method: 'POST', url, headers: { cookie: admin.cookie, origin: 'http://localhost', 'content-type': 'text/csv' }, payload: csv(['440112,1,900', '440112,x,900', '123456,1,5']) });
    expect(bad.statusCode).toBe(400);
    const errs = bad.json().errors as { line: number; field: string }[];
    expect(errs.map((e) => [e.line, e.field])).toEqual([[3, 'land_level'], [4, 'district_code']]);
    const before = (await call(get().app, null, 'GET', '/api/reference')).body.versions.benchmark_prices.id;

    const rows = ['440103', '440104', '440105', '440106', '440111', '440112', '440113', '440114', '440115', '440117', '440118'].flatMap((d) =>
      [1, 2, 3, 4, 5].map((l) => `${d},${l},${1000 - l * 50}`));
    const ok = await get().app.inject({ method: 'POST', url, headers: { cookie: admin.cookie, origin: 'http://localhost', 'content-type': 'text/csv' }, payload: '\uFEFF' + csv(rows) });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().rows).toBe(55);
    const ref = (await call(get().app, null, 'GET', '/api/reference')).body;
    expect(ref.versions.benchmark_prices.id).not.toBe(before);
    expect(ref.benchmark.every((r: { sample: boolean }) => !r.sample)).toBe(true);
    expect(ref.benchmark.find((r: { districtCode: string; landLevel: number }) => r.districtCode === '440112' && r.landLevel === 2).yuanPerM2).toBe(900);
    // The sample version is still there, no longer current.
    const versions = (await call(get().app, admin, 'GET', '/api/reference/benchmark_prices/versions')).body.items;
    expect(versions.find((v: { id: number }) => v.id === before).current).toBe(false);
  });

  it('lets only administrators change reference data, and refuses edits to stored versions in the database', async () => {
    const land = await login(get().app, 'land');
    const r = await post('/api/reference/parameters/versions', { effectiveFrom: '2026-01-01', source: 'x', values: { iabFloorFactorBp: 7000 } }, land);
    expect(r.status).toBe(403);
    expect((await post('/api/reference/parameters/versions', { effectiveFrom: '2026-01-01', source: 'x', values: {} })).status).toBe(401);
    await expect(get().app.db.updateTable('ref_national_minimum').set({ yuan_per_m2: '1' }).execute()).rejects.toThrow(/versioned/);
    await expect(get().app.db.deleteFrom('reference_versions').execute()).rejects.toThrow(/versioned/);
  });
});
