/**
 * Siting (POST /api/siting/rank, GET /api/siting/explain) on the demo data, both databases:
 * the SQL's hard requirements agree with the pure rules on every live plot (candidates and the
 * first failing requirement of each excluded plot), the counts add up, the order is by score
 * then code, explain names every failure or gives the same item and rank as the ranking, bad
 * input is a 400 naming the field, and confidentiality: public and investor answers carry no
 * internalFloor and are identical to the bureau's otherwise — a change of a land cost changes
 * nothing in them.
 */
import { beforeAll, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { firstFailure, hardRequirementFailures, planeXY, type SitingHub, type SitingPlot } from '../../shared/policy/siting.ts';
import { NO_CONDITIONS, type PlotConditions } from '../../shared/policy/standard-land.ts';
import { SITING_REQUIREMENTS, type SitingRequirements } from '../../shared/contract/siting.ts';
import { requirementsToParams } from '../../shared/siting-query.ts';
import { DEFAULT_SITING_WEIGHTS } from '../../shared/policy/siting-weights.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read loosely
type Body = Record<string, any>;

const REQUIREMENT_SETS: SitingRequirements[] = [
  { sector: 'biomed', areaMuMin: 10, areaMuMax: 80 },
  { sector: 'ai', areaMuMin: 20, areaMuMax: 60, near: [{ kind: 'rail', maxKm: 15 }], maxPriceYuanPerM2: 700, serviced: true },
  { sector: 'ngit', areaMuMin: 0, areaMuMax: 200, landUse: ['M0', 'M1'], supplyMode: 'long_term_lease', districtCodes: ['440112', '440106', '440114'], project: { investmentIntensityYuanPerM2: 6000, pollutionCategory: 'class_2' } },
  { sector: 'other', areaMuMin: 5, areaMuMax: 40, near: [{ kind: 'airport', maxKm: 35 }, { kind: 'anchor', maxKm: 12 }], weights: { price: 2, size: 1 } },
];

describeOnDatabases('siting', (get) => {
  const app = (): FastifyInstance => get().app;
  let plots: SitingPlot[];
  let hubs: SitingHub[];
  let admin: Session;
  let investor: Session;
  let huangpu: Session;

  const rank = async (who: Session | null, req: SitingRequirements) => {
    const r = await call(app(), who, 'POST', '/api/siting/rank', req);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Body;
  };
  const explain = (who: Session | null, plotId: number, req: SitingRequirements) =>
    call(app(), who, 'GET', `/api/siting/explain?${new URLSearchParams({ plotId: String(plotId), ...requirementsToParams(req) })}`);

  /** Every live plot as the pure rules see it: facts from the database, floors from the public search. */
  async function loadPlots(): Promise<SitingPlot[]> {
    const rows = await sql<{ id: number; code: string; park_id: number; sectors: string[]; tier: string; district_code: string; area_m2: string; land_use: string; serviced: boolean; status: string; conditions: Record<string, unknown>; cx: string; cy: string }>`
      SELECT pl.id, pl.code, pl.park_id, p.sectors, p.tier, p.district_code, pl.area_m2::text AS area_m2, pl.land_use, pl.serviced, pl.status, pl.conditions,
             round(((pl.bbox[0])[0] + (pl.bbox[1])[0])::numeric / 2, 6)::text AS cx, round(((pl.bbox[0])[1] + (pl.bbox[1])[1])::numeric / 2, 6)::text AS cy
        FROM plots pl JOIN parks p ON p.id = pl.park_id WHERE pl.status <> 'retired' ORDER BY pl.id`.execute(app().db);
    const floors = new Map<number, number | null>();
    for (let offset = 0; ; offset += 200) {
      const r = await call(app(), null, 'GET', `/api/search/plots?limit=200&offset=${offset}`);
      for (const i of r.body.items) floors.set(i.id, i.floorYuanPerM2 === null ? null : Math.round(i.floorYuanPerM2 * 100));
      if (r.body.items.length < 200) break;
    }
    return rows.rows.map((r) => {
      const centre: [number, number] = [Number(r.cx), Number(r.cy)];
      return {
        plotId: r.id, plotCode: r.code, parkId: r.park_id, parkSectors: r.sectors as SitingPlot['parkSectors'], parkTier: r.tier as SitingPlot['parkTier'],
        districtCode: r.district_code, areaM2: r.area_m2, landUse: r.land_use as SitingPlot['landUse'], serviced: r.serviced, status: r.status,
        conditions: { ...NO_CONDITIONS, ...(r.conditions as Partial<PlotConditions>) }, floorFenPerM2: floors.get(r.id) ?? null, centre, xy: planeXY(centre),
      };
    });
  }

  beforeAll(async () => {
    admin = await login(app(), 'admin');
    investor = await login(app(), 'investor');
    huangpu = await login(app(), 'district-huangpu');
    const h = await call(app(), null, 'GET', '/api/hubs');
    hubs = (h.body.features as Body[]).map((f) => ({ id: f.id, kind: f.properties.kind, nameZh: f.properties.nameZh, nameEn: f.properties.nameEn, xy: planeXY(f.geometry.coordinates) }));
    plots = await loadPlots();
    expect(plots.length).toBeGreaterThan(100);
  });

  /** The pure rules' verdict on every live plot: candidates and the first failing requirement. */
  function expected(req: SitingRequirements) {
    const byRequirement: Record<string, number> = Object.fromEntries(SITING_REQUIREMENTS.map((r) => [r, 0]));
    const candidates: number[] = [];
    for (const p of plots) {
      const f = firstFailure(p, req, hubs);
      if (f === null) candidates.push(p.plotId);
      else byRequirement[f]!++;
    }
    return { byRequirement, candidates: candidates.sort((a, b) => a - b) };
  }

  it('ranks the demo plots: the SQL and the pure rules agree on every live plot, and the counts add up', async () => {
    for (const req of REQUIREMENT_SETS) {
      const body = await rank(null, { ...req, limit: 200 });
      const want = expected(req);
      expect(body.excluded.considered).toBe(plots.length);
      expect(body.excluded.byRequirement).toEqual(want.byRequirement);
      expect(body.candidates).toBe(want.candidates.length);
      expect(body.candidates + Object.values(body.excluded.byRequirement as Record<string, number>).reduce((s, n) => s + n, 0)).toBe(body.excluded.considered);
      expect(body.items.length).toBe(Math.min(200, want.candidates.length));
      if (want.candidates.length <= 200) expect((body.items as Body[]).map((i) => i.plotId).sort((a, b) => a - b)).toEqual(want.candidates);
      for (const i of body.items as Body[]) expect(hardRequirementFailures(plots.find((p) => p.plotId === i.plotId)!, req, hubs)).toEqual([]);
    }
    const some = await rank(null, REQUIREMENT_SETS[0]!);
    expect(some.candidates).toBeGreaterThan(20); // the demo has plots worth ranking
  });

  it('orders by score, then plot code; ranks 1..n; reasons per criterion; limit; the weights it used', async () => {
    const body = await rank(null, { sector: 'biomed', areaMuMin: 10, areaMuMax: 80, limit: 30 });
    const items = body.items as Body[];
    expect(items).toHaveLength(30);
    items.forEach((it, i) => {
      expect(it.rank).toBe(i + 1);
      expect(it.reasons.map((r: Body) => r.criterion)).toEqual(['sector', 'size', 'price', 'readiness', 'access', 'cluster', 'greenChannel']);
      expect(it.summaryZh.length).toBeGreaterThan(0);
      if (i) {
        const prev = items[i - 1]!;
        expect(prev.score > it.score || (prev.score === it.score && prev.plotCode < it.plotCode)).toBe(true);
      }
    });
    expect(body.weightsUsed).toEqual({ weights: DEFAULT_SITING_WEIGHTS.biomed, source: 'sector_default', sector: 'biomed' });
    expect(body.distanceNoteZh).toContain('直线距离');
    expect(body.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const given = await rank(null, { sector: 'biomed', areaMuMin: 10, areaMuMax: 80, weights: { price: 3, access: 1 } });
    expect(given.weightsUsed.source).toBe('given');
    expect(given.weightsUsed.weights).toMatchObject({ price: 0.75, access: 0.25, sector: 0 });
    const again = await rank(null, { sector: 'biomed', areaMuMin: 10, areaMuMax: 80, limit: 30 });
    expect(again).toEqual(body); // deterministic, same data version
  });

  it('agrees with the pure rules on generated requirements too (property)', async () => {
    await fc.assert(fc.asyncProperty(
      fc.record({
        sector: fc.constantFrom('ngit' as const, 'ai' as const, 'biomed' as const, 'other' as const),
        min: fc.integer({ min: 0, max: 60 }),
        span: fc.integer({ min: 0, max: 120 }),
        maxPrice: fc.option(fc.integer({ min: 200, max: 1200 }), { nil: undefined, freq: 2 }),
        near: fc.option(fc.constantFrom('airport', 'rail', 'port', 'anchor').chain((kind) => fc.integer({ min: 1, max: 60 }).map((maxKm) => [{ kind: kind as 'rail', maxKm }])), { nil: undefined, freq: 2 }),
        serviced: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
      }),
      async (g) => {
        const req: SitingRequirements = {
          sector: g.sector, areaMuMin: g.min, areaMuMax: g.min + g.span,
          ...(g.maxPrice !== undefined ? { maxPriceYuanPerM2: g.maxPrice } : {}), ...(g.near ? { near: g.near } : {}), ...(g.serviced !== undefined ? { serviced: g.serviced } : {}),
        };
        const body = await rank(null, { ...req, limit: 1 });
        const want = expected(req);
        expect(body.excluded.byRequirement).toEqual(want.byRequirement);
        expect(body.candidates).toBe(want.candidates.length);
      },
    ), { numRuns: 12 });
  });

  it('explain: an excluded plot gets every failing requirement named; an eligible one the same item and rank as the ranking', async () => {
    const req: SitingRequirements = { sector: 'biomed', areaMuMin: 10, areaMuMax: 80, near: [{ kind: 'airport', maxKm: 30 }] };
    const ranked = await rank(null, { ...req, limit: 200 });
    const top = ranked.items[3] as Body;
    const e = await explain(null, top.plotId, req);
    expect(e.status, JSON.stringify(e.body)).toBe(200);
    expect(e.body).toMatchObject({ plotId: top.plotId, plotCode: top.plotCode, eligible: true, failures: [], candidates: ranked.candidates });
    expect(e.body.item).toEqual(top);

    const small = plots.find((p) => p.status === 'available' && Number(p.areaM2) < 6000)!;
    const tooSmall = await explain(null, small.plotId, { ...req, areaMuMin: 30, areaMuMax: 80, maxPriceYuanPerM2: 1 });
    expect(tooSmall.status).toBe(200);
    expect(tooSmall.body.eligible).toBe(false);
    expect(tooSmall.body.item).toBeNull();
    const names = (tooSmall.body.failures as Body[]).map((f) => f.requirement);
    expect(names.slice(0, 2)).toEqual(['area', 'price']);
    expect(tooSmall.body.failures[0].textZh).toMatch(/^面积 \d+\.\d{2} 亩，小于 30 亩$/);
    expect(tooSmall.body.failures[0].textEn).toMatch(/is below 30 亩/);

    const taken = plots.find((p) => p.status === 'allocated')!;
    const t = await explain(null, taken.plotId, req);
    expect(t.body.eligible).toBe(false);
    expect(t.body.failures[0].requirement).toBe('available');

    expect((await explain(null, 999_999, req)).status).toBe(404);
  });

  it('refuses bad requirements with a 400 naming the field, and nothing else', async () => {
    const base = { sector: 'ai', areaMuMin: 10, areaMuMax: 20 };
    const cases: [unknown, string][] = [
      [{ ...base, areaMuMin: 30 }, 'areaMuMin'],
      [{ ...base, areaMuMin: -1 }, 'areaMuMin'],
      [{ ...base, maxPriceYuanPerM2: -5 }, 'maxPriceYuanPerM2'],
      [{ ...base, sector: 'bio' }, 'sector'],
      [{ ...base, near: [{ kind: 'tram', maxKm: 5 }] }, 'near.0.kind'],
      [{ ...base, near: [{ kind: 'rail', maxKm: 0 }] }, 'near.0.maxKm'],
      [{ ...base, weights: { price: 0, size: 0 } }, 'weights'],
      [{ ...base, weights: { price: -1 } }, 'weights.price'],
      [{ ...base, districtCodes: ['440199'] }, 'districtCodes'],
      [{ ...base, colour: 'red' }, 'colour'],
    ];
    for (const [payload, field] of cases) {
      const r = await call(app(), null, 'POST', '/api/siting/rank', payload);
      expect(r.status, JSON.stringify(payload)).toBe(400);
      expect(r.body.code).toBe('VALIDATION_FAILED');
      expect(r.body.field, JSON.stringify(r.body)).toBe(field);
    }
    const q = (s: string) => call(app(), null, 'GET', `/api/siting/explain?plotId=1&${s}`);
    for (const [s, field] of [
      ['sector=bio&areaMuMin=1&areaMuMax=2', 'sector'],
      ['sector=ai&areaMuMin=3&areaMuMax=2', 'areaMuMin'],
      ['sector=ai&areaMuMin=x&areaMuMax=2', 'areaMuMin'],
      ['sector=ai&areaMuMin=1&areaMuMax=2&near=tram:3', 'near'],
      ['sector=ai&areaMuMin=1&areaMuMax=2&weights=price:0', 'weights'],
    ] as const) {
      const r = await q(s);
      expect(r.status, s).toBe(400);
      expect(r.body.field, s).toBe(field);
    }
  });

  it('public and investor answers carry the public figures only, identical to the bureau’s apart from internalFloor', async () => {
    const req: SitingRequirements = { sector: 'biomed', areaMuMin: 0, areaMuMax: 500, limit: 200 };
    const pub = await rank(null, req);
    const inv = await rank(investor, req);
    const bureau = await rank(admin, req);
    expect(JSON.stringify(pub)).not.toContain('internalFloor');
    expect(JSON.stringify(pub)).not.toMatch(/cost/i);
    expect(inv).toEqual(pub);
    for (const i of bureau.items as Body[]) {
      expect(i.internalFloor).toBeDefined();
      if (i.internalFloor.floorYuanPerM2 !== null && i.floorYuanPerM2 !== null) expect(i.internalFloor.floorYuanPerM2).toBeGreaterThanOrEqual(i.floorYuanPerM2);
    }
    const strip = (b: Body) => ({ ...b, items: (b.items as Body[]).map(({ internalFloor: _f, ...rest }) => rest) });
    expect(strip(bureau)).toEqual(pub);
    expect((bureau.items as Body[]).some((i) => i.internalFloor.costRecorded === true)).toBe(true);
  });

  it('a district officer gets internalFloor in their own district only', async () => {
    const body = await rank(huangpu, { sector: 'biomed', areaMuMin: 0, areaMuMax: 500, districtCodes: ['440112', '440106'], limit: 200 });
    const items = body.items as Body[];
    expect(items.some((i) => i.districtCode === '440112')).toBe(true);
    expect(items.some((i) => i.districtCode !== '440112')).toBe(true);
    for (const i of items) expect(i.internalFloor !== undefined, `${i.plotCode} ${i.districtCode}`).toBe(i.districtCode === '440112');
    const req: SitingRequirements = { sector: 'biomed', areaMuMin: 0, areaMuMax: 500 };
    const outside = await explain(huangpu, items.find((i) => i.districtCode !== '440112')!.plotId, req);
    expect(outside.body.item.internalFloor).toBeUndefined();
    const inside = await explain(huangpu, items.find((i) => i.districtCode === '440112')!.plotId, req);
    expect(inside.body.item.internalFloor).toBeDefined();
    expect(JSON.stringify((await explain(null, inside.body.plotId, req)).body)).not.toContain('internalFloor');
  });

  it('nothing public depends on the land cost; the data version changes with the plots', async () => {
    const req: SitingRequirements = { sector: 'ai', areaMuMin: 0, areaMuMax: 500, limit: 200, weights: { price: 1 } };
    const before = await rank(null, req);
    const bureauBefore = await rank(admin, req);
    const target = (bureauBefore.items as Body[])[0]!;
    await app().db.updateTable('plots').set({ cost_yuan: '999999999.00', cost_note: null }).where('id', '=', target.plotId).execute();
    const after = await rank(null, req);
    expect(after.dataVersion).not.toBe(before.dataVersion);
    expect({ ...after, dataVersion: '' }).toEqual({ ...before, dataVersion: '' });
    const bureauAfter = await rank(admin, req);
    const t = (bureauAfter.items as Body[]).find((i) => i.plotId === target.plotId)!;
    expect(t.internalFloor.binding).toBe('cost');
    expect(t.internalFloor.floorYuanPerM2).toBeGreaterThan(target.floorYuanPerM2);
    expect(t.rank).toBe(target.rank);
  });

  it('a retired plot is not eligible (available) and counts nowhere', async () => {
    const req: SitingRequirements = { sector: 'biomed', areaMuMin: 0, areaMuMax: 500, limit: 200 };
    const before = await rank(null, req);
    const victim = (before.items as Body[])[0]!;
    await app().db.updateTable('plots').set({ status: 'retired' }).where('id', '=', victim.plotId).execute();
    const after = await rank(null, req);
    expect(after.excluded.considered).toBe(before.excluded.considered - 1);
    expect(after.candidates).toBe(before.candidates - 1);
    expect((after.items as Body[]).some((i) => i.plotId === victim.plotId)).toBe(false);
    const e = await explain(null, victim.plotId, req);
    expect(e.status).toBe(200);
    expect(e.body.eligible).toBe(false);
    expect(e.body.failures.map((f: Body) => f.requirement)).toEqual(['available']);
  });
});
