/**
 * Siting rules (shared/policy/siting.ts, siting-weights.ts): each criterion at its edges, the
 * hard requirements at their boundaries (exact 亩 and yuan), weight normalisation, the sector
 * defaults, determinism; and properties over generated candidates: nothing ranked breaks a hard
 * requirement, the order is by score then code, and with all weight on price by floor.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  accessScore, clusterCounts, clusterScore, DEFAULT_ACCESS_KM, firstFailure, floorWithinBudget, greenChannelScore,
  hardRequirementFailures, nearestHubs, planeKm, planeXY, priceRange, priceScore, rankCandidates, readinessScore,
  sectorScore, sizeScore, type SitingHub, type SitingPlot,
} from '../../shared/policy/siting.ts';
import { combinedScore, compareRanked, DEFAULT_SITING_WEIGHTS, SITING_CRITERIA, weightsFor, type SitingWeights } from '../../shared/policy/siting-weights.ts';
import { NO_CONDITIONS } from '../../shared/policy/standard-land.ts';
import { checkRequirements } from '../../shared/siting-query.ts';
import { PROJECT_SECTORS, type LandUse, type Sector } from '../../shared/domain.ts';
import { SITING_REQUIREMENTS, type NearRequirement, type SitingRequirements } from '../../shared/contract/siting.ts';
import { muToM2 } from '../../shared/units.ts';
import { SHIPPED_HUBS } from '../../server/db/migrations/019_hubs.ts';

const HUBS: SitingHub[] = SHIPPED_HUBS.map(([kind, nameZh, nameEn, lon, lat], i) => ({ id: i + 1, kind: kind as SitingHub['kind'], nameZh, nameEn, xy: planeXY([lon, lat]) }));
const AIRPORT: [number, number] = [113.299, 23.392];

function plot(over: Partial<SitingPlot> = {}): SitingPlot {
  const centre = over.centre ?? [113.45, 23.17];
  return {
    plotId: 1, plotCode: 'P01-0001', parkId: 1, parkSectors: ['biomed', 'ai'], parkTier: 'core', districtCode: '440112',
    areaM2: '30000.00', landUse: 'M1', serviced: true, status: 'available', conditions: NO_CONDITIONS, floorFenPerM2: 60000,
    centre, xy: planeXY(centre), ...over,
  };
}
const base: SitingRequirements = { sector: 'biomed', areaMuMin: 30, areaMuMax: 60 };

describe('criteria at their edges', () => {
  it('sector: first lead sector 1, listed 0.7, not listed or other 0', () => {
    expect(sectorScore(['biomed', 'ai'], 'biomed').score).toBe(1);
    expect(sectorScore(['biomed', 'ai'], 'ai').score).toBe(0.7);
    expect(sectorScore(['biomed', 'ai'], 'ngit').score).toBe(0);
    expect(sectorScore(['biomed', 'ai'], 'other').score).toBe(0);
    expect(sectorScore([], 'ai').score).toBe(0);
    expect(sectorScore(['biomed', 'ai'], 'ai').zh).toContain('人工智能');
  });

  it('size: 1 at the middle, 0 at either end, linear between; a one-point range scores 1', () => {
    expect(sizeScore(45, 30, 60).score).toBe(1);
    expect(sizeScore(30, 30, 60).score).toBe(0);
    expect(sizeScore(60, 30, 60).score).toBe(0);
    expect(sizeScore(37.5, 30, 60).score).toBeCloseTo(0.5, 12);
    expect(sizeScore(52.5, 30, 60).score).toBeCloseTo(0.5, 12);
    expect(sizeScore(50, 50, 50).score).toBe(1);
    expect(sizeScore(80, 30, 60).score).toBe(0); // clamped (never a candidate)
    expect(sizeScore(37.5, 30, 60).zh).toBe('面积 37.50 亩，需求区间中点 45 亩');
  });

  it('price: cheapest 1, dearest 0, linear between, a single price 1, unknown 0 (无参考价)', () => {
    const range = priceRange([30000, null, 50000, 40000]);
    expect(range).toEqual({ lo: 30000, hi: 50000 });
    expect(priceScore(30000, range).score).toBe(1);
    expect(priceScore(50000, range).score).toBe(0);
    expect(priceScore(40000, range).score).toBe(0.5);
    expect(priceScore(40000, { lo: 40000, hi: 40000 }).score).toBe(1);
    const unknown = priceScore(null, range);
    expect(unknown).toMatchObject({ score: 0, value: null, zh: '无参考价' });
    expect(priceRange([null, null])).toBeNull();
    expect(priceScore(40000, range).zh).toBe('参考最低价 400.00 元/平方米（候选地块 300.00–500.00）');
  });

  it('readiness: 0.6 for serviced plus 0.4 for any 标准地 condition', () => {
    expect(readinessScore(false, false).score).toBe(0);
    expect(readinessScore(false, true).score).toBe(0.4);
    expect(readinessScore(true, false).score).toBe(0.6);
    expect(readinessScore(true, true).score).toBe(1);
  });

  it('access: with near, 1 at the hub and 0 at maxKm; without, airport and rail over 50 km (stated as an assumption)', () => {
    const atAirport = nearestHubs(planeXY(AIRPORT), HUBS);
    expect(atAirport.airport!.km).toBe(0);
    expect(accessScore(atAirport, [{ kind: 'airport', maxKm: 10 }]).score).toBe(1);
    const p = planeXY([113.45, 23.17]);
    const nearest = nearestHubs(p, HUBS);
    const d = nearest.airport!.km;
    expect(accessScore(nearest, [{ kind: 'airport', maxKm: d }]).score).toBe(0);
    expect(accessScore(nearest, [{ kind: 'airport', maxKm: d / 2 }]).score).toBe(0);
    expect(accessScore(nearest, [{ kind: 'airport', maxKm: 2 * d }]).score).toBeCloseTo(0.5, 12);
    // No hub of a kind (metro ships empty) scores 0 for that entry.
    expect(accessScore(nearest, [{ kind: 'metro', maxKm: 10 }, { kind: 'airport', maxKm: 2 * d }]).score).toBeCloseTo(0.25, 12);
    const dflt = accessScore(nearest, undefined);
    const expected = ((1 - nearest.airport!.km / DEFAULT_ACCESS_KM) + (1 - nearest.rail!.km / DEFAULT_ACCESS_KM)) / 2;
    expect(dflt.score).toBeCloseTo(expected, 12);
    expect(dflt.zh).toContain('直线距离');
    expect(dflt.zh).toContain('假设');
    expect(dflt.en).toContain('Straight-line');
    expect(dflt.en).toContain('assumption');
  });

  it('distances are straight lines in the EPSG:4547 plane, km', () => {
    const a = planeXY([113.257, 23.149]); // 广州站
    const b = planeXY([113.325, 23.151]); // 广州东站
    expect(planeKm(a, b)).toBeGreaterThan(6.8);
    expect(planeKm(a, b)).toBeLessThan(7.2);
    expect(planeKm(a, a)).toBe(0);
  });

  it('cluster: min(1, n/5); counted in the same park, or within 5 km in another', () => {
    expect(clusterScore(0, 'ai').score).toBe(0);
    expect(clusterScore(2, 'ai').score).toBe(0.4);
    expect(clusterScore(5, 'ai').score).toBe(1);
    expect(clusterScore(9, 'ai').score).toBe(1);
    const o = planeXY([113.45, 23.17]);
    const east = (km: number): [number, number] => [o[0] + km * 1000, o[1]];
    const counts = clusterCounts([{ plotId: 7, parkId: 1, xy: o }], [
      { parkId: 1, xy: east(30) }, // same park, far: counts
      { parkId: 2, xy: east(4.99) }, // other park, inside 5 km: counts
      { parkId: 2, xy: east(5) }, // exactly 5 km: counts
      { parkId: 3, xy: east(5.01) }, // just outside: does not
      { parkId: 3, xy: [o[0], o[1] - 12_000] },
    ]);
    expect(counts.get(7)).toBe(3);
  });

  it('green channel: core park 1, else 0 (五(三)12)', () => {
    expect(greenChannelScore('core').score).toBe(1);
    expect(greenChannelScore('equal_policy').score).toBe(0);
    expect(greenChannelScore('recognized').score).toBe(0);
  });
});

describe('hard requirements at their boundaries', () => {
  it('area in 亩 compared exactly: 20000 m² is exactly 30 亩', () => {
    expect(hardRequirementFailures(plot({ areaM2: '20000.00' }), base, HUBS)).toEqual([]);
    const below = hardRequirementFailures(plot({ areaM2: '19999.99' }), base, HUBS);
    expect(below.map((f) => f.requirement)).toEqual(['area']);
    expect(below[0]!.textZh).toBe('面积 30.00 亩，小于 30 亩'); // 29.999985 亩 shows as 30.00, still below
    expect(hardRequirementFailures(plot({ areaM2: '40000.00' }), base, HUBS)).toEqual([]); // exactly 60 亩
    expect(hardRequirementFailures(plot({ areaM2: '40000.01' }), base, HUBS)[0]!.requirement).toBe('area');
    expect(hardRequirementFailures(plot({ areaM2: '8333.33' }), base, HUBS)[0]!.textZh).toBe('面积 12.50 亩，小于 30 亩');
  });

  it('price: the public floor equal to the budget passes; a fen above fails; unknown fails a budget', () => {
    expect(floorWithinBudget(80000, 800)).toBe(true);
    expect(floorWithinBudget(80001, 800)).toBe(false);
    expect(floorWithinBudget(80001, 800.01)).toBe(true);
    expect(hardRequirementFailures(plot({ floorFenPerM2: 80000 }), { ...base, maxPriceYuanPerM2: 800 }, HUBS)).toEqual([]);
    expect(hardRequirementFailures(plot({ floorFenPerM2: null }), { ...base, maxPriceYuanPerM2: 800 }, HUBS)[0]!.textZh).toContain('无参考价');
    expect(hardRequirementFailures(plot({ floorFenPerM2: null }), base, HUBS)).toEqual([]);
  });

  it('lists every failure in SITING_REQUIREMENTS order, and firstFailure is the first', () => {
    const p = plot({ status: 'held', areaM2: '1000.00', landUse: 'M0', serviced: false, floorFenPerM2: 90000, districtCode: '440115', conditions: { ...NO_CONDITIONS, investmentIntensityYuanPerM2Min: 8000 } });
    const req: SitingRequirements = {
      ...base, landUse: ['M1'], supplyMode: 'long_term_lease', districtCodes: ['440112'], serviced: true, maxPriceYuanPerM2: 800,
      near: [{ kind: 'airport', maxKm: 1 }], project: { investmentIntensityYuanPerM2: 6000 },
    };
    const f = hardRequirementFailures(p, req, HUBS);
    const order = f.map((x) => x.requirement);
    expect(order).toEqual(SITING_REQUIREMENTS.filter((r) => order.includes(r)));
    expect(order).toEqual(expect.arrayContaining(['available', 'area', 'landUse', 'district', 'serviced', 'price', 'near', 'conditions']));
    expect(firstFailure(p, req, HUBS)).toBe('available');
    expect(f.find((x) => x.requirement === 'near')!.textZh).toContain('直线距离');
    expect(f.find((x) => x.requirement === 'conditions')!.textZh).toContain('投资强度 6,000元/平方米，低于地块要求 8,000元/平方米');
    expect(hardRequirementFailures(plot({ status: 'retired' }), base, HUBS).map((x) => x.requirement)).toEqual(['available']);
  });

  it('near: within maxKm passes, beyond fails; a kind with no hub recorded fails', () => {
    const p = plot();
    const d = nearestHubs(p.xy, HUBS).airport!.km;
    expect(hardRequirementFailures(p, { ...base, near: [{ kind: 'airport', maxKm: d }] }, HUBS)).toEqual([]);
    expect(hardRequirementFailures(p, { ...base, near: [{ kind: 'airport', maxKm: d - 0.001 }] }, HUBS)[0]!.requirement).toBe('near');
    expect(hardRequirementFailures(p, { ...base, near: [{ kind: 'metro', maxKm: 50 }] }, HUBS)[0]!.textZh).toContain('没有登记地铁站');
  });
});

describe('weights', () => {
  it('the defaults of each sector sum to 1 and apply when no weights are given (sector_default)', () => {
    for (const s of PROJECT_SECTORS) {
      const sum = SITING_CRITERIA.reduce((t, c) => t + DEFAULT_SITING_WEIGHTS[s][c], 0);
      expect(sum).toBeCloseTo(1, 12);
      expect(weightsFor(s)).toEqual({ weights: DEFAULT_SITING_WEIGHTS[s], source: 'sector_default' });
      expect(weightsFor(s, {})).toEqual({ weights: DEFAULT_SITING_WEIGHTS[s], source: 'sector_default' });
    }
  });

  it('given weights are normalised to sum to 1; a criterion left out weighs 0', () => {
    const w = weightsFor('ai', { price: 3, access: 1 });
    expect(w.source).toBe('given');
    expect(w.weights.price).toBe(0.75);
    expect(w.weights.access).toBe(0.25);
    expect(w.weights.sector).toBe(0);
    fc.assert(fc.property(fc.record(Object.fromEntries(SITING_CRITERIA.map((c) => [c, fc.integer({ min: 0, max: 1000 })])) as Record<string, fc.Arbitrary<number>>), (given) => {
      fc.pre(Object.values(given).some((v) => v > 0));
      const r = weightsFor('ngit', given);
      expect(SITING_CRITERIA.reduce((t, c) => t + r.weights[c], 0)).toBeCloseTo(1, 9);
    }));
  });

  it('all-zero weights are refused, naming the field', () => {
    expect(() => weightsFor('ai', { price: 0, size: 0 })).toThrow(RangeError);
    expect(checkRequirements({ ...base, weights: { price: 0, size: 0 } })).toMatchObject({ ok: false, field: 'weights' });
    expect(checkRequirements({ ...base, weights: { price: -1 } })).toMatchObject({ ok: false, field: 'weights.price' });
    expect(checkRequirements({ ...base, areaMuMin: 70 })).toMatchObject({ ok: false, field: 'areaMuMin' });
    expect(checkRequirements({ ...base, areaMuMin: -1 })).toMatchObject({ ok: false, field: 'areaMuMin' });
    expect(checkRequirements(base)).toBeNull();
  });
});

// --- Generated candidates --------------------------------------------------------------------

const SECTOR_SETS: Sector[][] = [['biomed'], ['ai', 'ngit'], ['ngit', 'biomed', 'ai'], ['biomed', 'ai']];
const LAND_USES_GEN: LandUse[] = ['M0', 'M1', 'M2'];

const plotArb = fc.record({
  n: fc.integer({ min: 1, max: 9999 }),
  park: fc.integer({ min: 1, max: 6 }),
  sectors: fc.constantFrom(...SECTOR_SETS),
  tier: fc.constantFrom('core' as const, 'equal_policy' as const, 'recognized' as const),
  areaH: fc.integer({ min: 100_000, max: 8_000_000 }), // hundredths of m²: 1.5–120 亩
  landUse: fc.constantFrom(...LAND_USES_GEN),
  serviced: fc.boolean(),
  status: fc.constantFrom('available', 'available', 'available', 'held', 'allocated'),
  floor: fc.option(fc.integer({ min: 20_000, max: 150_000 }), { nil: null }),
  lon: fc.double({ min: 113.1, max: 113.7, noNaN: true }),
  lat: fc.double({ min: 22.7, max: 23.45, noNaN: true }),
  invMin: fc.option(fc.integer({ min: 3000, max: 12000 }), { nil: null }),
});

const plotsArb = fc.uniqueArray(plotArb, { minLength: 8, maxLength: 40, selector: (p) => p.n }).map((list) => list.map((g, i): SitingPlot => ({
  plotId: i + 1,
  plotCode: `P0${g.park}-${String(g.n).padStart(4, '0')}`,
  parkId: g.park,
  parkSectors: g.sectors,
  parkTier: g.tier,
  districtCode: g.park % 2 ? '440112' : '440115',
  areaM2: (g.areaH / 100).toFixed(2),
  landUse: g.landUse,
  serviced: g.serviced,
  status: g.status,
  conditions: { ...NO_CONDITIONS, investmentIntensityYuanPerM2Min: g.invMin },
  floorFenPerM2: g.floor,
  centre: [g.lon, g.lat],
  xy: planeXY([g.lon, g.lat]),
})));

const reqArb: fc.Arbitrary<SitingRequirements> = fc.record({
  sector: fc.constantFrom(...PROJECT_SECTORS),
  a: fc.integer({ min: 0, max: 40 }),
  b: fc.integer({ min: 0, max: 140 }),
  serviced: fc.option(fc.boolean(), { nil: undefined, freq: 2 }),
  maxPrice: fc.option(fc.integer({ min: 200, max: 1500 }), { nil: undefined, freq: 2 }),
  near: fc.option(fc.constantFrom<NearRequirement[]>([{ kind: 'airport', maxKm: 40 }], [{ kind: 'rail', maxKm: 15 }, { kind: 'anchor', maxKm: 20 }]), { nil: undefined, freq: 2 }),
  inv: fc.option(fc.integer({ min: 2000, max: 15000 }), { nil: undefined, freq: 2 }),
  landUse: fc.option(fc.constantFrom(['M1'] as LandUse[], ['M0', 'M2'] as LandUse[]), { nil: undefined, freq: 2 }),
}).map((g) => ({
  sector: g.sector,
  areaMuMin: g.a,
  areaMuMax: g.a + g.b,
  ...(g.serviced !== undefined ? { serviced: g.serviced } : {}),
  ...(g.maxPrice !== undefined ? { maxPriceYuanPerM2: g.maxPrice } : {}),
  ...(g.near ? { near: g.near } : {}),
  ...(g.inv !== undefined ? { project: { investmentIntensityYuanPerM2: g.inv } } : {}),
  ...(g.landUse ? { landUse: g.landUse } : {}),
}));

const weightsArb: fc.Arbitrary<SitingWeights> = fc.record(Object.fromEntries(SITING_CRITERIA.map((c) => [c, fc.integer({ min: 0, max: 10 })])) as Record<string, fc.Arbitrary<number>>)
  .filter((w) => Object.values(w).some((v) => v > 0))
  .map((w) => weightsFor('ai', w).weights);

/** What the server does: keep the plots with no failure, then rank them. */
function rank(plots: SitingPlot[], req: SitingRequirements, weights: SitingWeights) {
  const eligible = plots.filter((p) => hardRequirementFailures(p, req, HUBS).length === 0);
  return rankCandidates(eligible, req, { hubs: HUBS, clusterCounts: new Map(plots.map((p) => [p.plotId, p.plotId % 7])), weights });
}

describe('properties over generated candidates', () => {
  it('no ranked plot breaks a hard requirement, and every plot that meets them all is ranked', () => {
    let nonEmpty = 0;
    fc.assert(fc.property(plotsArb, reqArb, weightsArb, (plots, req, weights) => {
      const ranked = rank(plots, req, weights);
      if (ranked.length > 1) nonEmpty++;
      for (const s of ranked) {
        const p = s.plot;
        expect(p.status).toBe('available');
        expect(Number(p.areaM2) * 3).toBeGreaterThanOrEqual(req.areaMuMin * 2000 - 1e-6);
        expect(Number(p.areaM2) * 3).toBeLessThanOrEqual(req.areaMuMax * 2000 + 1e-6);
        if (req.serviced) expect(p.serviced).toBe(true);
        if (req.landUse) expect(req.landUse).toContain(p.landUse);
        if (req.maxPriceYuanPerM2 !== undefined) expect(p.floorFenPerM2 !== null && p.floorFenPerM2 <= req.maxPriceYuanPerM2 * 100).toBe(true);
        const inv = req.project?.investmentIntensityYuanPerM2;
        if (inv !== undefined && p.conditions.investmentIntensityYuanPerM2Min !== null) expect(inv).toBeGreaterThanOrEqual(p.conditions.investmentIntensityYuanPerM2Min);
        const nearest = nearestHubs(p.xy, HUBS);
        for (const n of req.near ?? []) expect(nearest[n.kind]!.km).toBeLessThanOrEqual(n.maxKm);
      }
      const missing = plots.filter((p) => firstFailure(p, req, HUBS) === null && !ranked.some((s) => s.plot.plotId === p.plotId));
      expect(missing).toEqual([]);
    }), { numRuns: 300 });
    expect(nonEmpty).toBeGreaterThan(50); // the generators do produce rankings worth checking
  });

  it('the order is by score descending, then plot code; ranks run 1..n; scores are 0–100', () => {
    fc.assert(fc.property(plotsArb, reqArb, weightsArb, (plots, req, weights) => {
      const ranked = rank(plots, req, weights);
      ranked.forEach((s, i) => {
        expect(s.rank).toBe(i + 1);
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(100);
        // The score is 100 × Σ w·s of its reasons (reasons show 3 decimals).
        expect(Math.abs(s.score - combinedScore(Object.fromEntries(s.reasons.map((r) => [r.criterion, r.score])) as Record<(typeof SITING_CRITERIA)[number], number>, weights))).toBeLessThanOrEqual(0.06);
        if (i > 0) {
          const prev = ranked[i - 1]!;
          expect(compareRanked({ score: prev.score, plotCode: prev.plot.plotCode }, { score: s.score, plotCode: s.plot.plotCode })).toBeLessThan(0);
        }
      });
    }), { numRuns: 300 });
  });

  it('with all weight on price, the order is by floor per m² ascending; unknown floors score 0, after every positive score', () => {
    const priceOnly = weightsFor('ai', { price: 1 }).weights;
    fc.assert(fc.property(plotsArb, reqArb, (plots, req) => {
      const ranked = rank(plots, req, priceOnly);
      for (let i = 1; i < ranked.length; i++) {
        const a = ranked[i - 1]!;
        const b = ranked[i]!;
        const fa = a.plot.floorFenPerM2;
        const fb = b.plot.floorFenPerM2;
        if (fa !== null && fb !== null) {
          // Ascending floor, except where the two round to the same score (then by code).
          if (fa > fb) expect(a.score).toBe(b.score);
          if (a.score === b.score) expect(a.plot.plotCode < b.plot.plotCode).toBe(true);
        }
        if (fa === null) {
          expect(a.score).toBe(0);
          expect(b.score).toBe(0);
        }
      }
      // Strictly cheaper → never ranked below.
      for (const a of ranked) {
        for (const b of ranked) {
          if (a.plot.floorFenPerM2 !== null && (b.plot.floorFenPerM2 === null || b.plot.floorFenPerM2 > a.plot.floorFenPerM2)) expect(a.score).toBeGreaterThanOrEqual(b.score);
        }
      }
    }), { numRuns: 300 });
  });

  it('is deterministic: the same input gives the same answer, whatever the input order', () => {
    fc.assert(fc.property(plotsArb, reqArb, weightsArb, (plots, req, weights) => {
      const a = rank(plots, req, weights);
      const b = rank([...plots].reverse(), req, weights);
      expect(b).toEqual(a);
      expect(rank(plots, req, weights)).toEqual(a);
    }), { numRuns: 150 });
  });

  it('ties are broken by plot code', () => {
    const twins = [plot({ plotId: 2, plotCode: 'P02-0002' }), plot({ plotId: 1, plotCode: 'P01-0009' }), plot({ plotId: 3, plotCode: 'P01-0001' })];
    const r = rankCandidates(twins, base, { hubs: HUBS, clusterCounts: new Map(), weights: DEFAULT_SITING_WEIGHTS.biomed });
    expect(r.map((s) => s.plot.plotCode)).toEqual(['P01-0001', 'P01-0009', 'P02-0002']);
    expect(new Set(r.map((s) => s.score)).size).toBe(1);
  });

  it('reasons: one per criterion, in order, with the normalised weight; the summary names the strongest', () => {
    const p = plot({ areaM2: String(muToM2(45)) });
    const [s] = rankCandidates([p], base, { hubs: HUBS, clusterCounts: new Map([[1, 5]]), weights: DEFAULT_SITING_WEIGHTS.biomed });
    expect(s!.reasons.map((r) => r.criterion)).toEqual([...SITING_CRITERIA]);
    expect(s!.reasons.map((r) => r.weight)).toEqual(SITING_CRITERIA.map((c) => DEFAULT_SITING_WEIGHTS.biomed[c]));
    expect(s!.summaryZh.split('；')).toHaveLength(3);
    expect(s!.summaryZh.startsWith('园区首位主导产业为生物医药')).toBe(true);
  });
});
