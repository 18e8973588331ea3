/**
 * The siting page's pure state (client/features/siting/sitingState.ts): the query in the URL
 * (requirements → params → requirements, beside the map's own parameters), the slider weights,
 * and the live re-rank of the plots in hand — the order `combinedScore` / `compareRanked` give.
 */
import { describe, expect, it } from 'vitest';
import type { SitingItem, SitingRequirements } from '../../shared/contract/siting.ts';
import { combinedScore, compareRanked, DEFAULT_SITING_WEIGHTS, SITING_CRITERIA, weightsFor, type SitingCriterion, type SitingWeights } from '../../shared/policy/siting-weights.ts';
import { paramsToRequirements, requirementsToParams } from '../../shared/siting-query.ts';
import { briefHref, criterionScores, formatSitingUrl, parseSitingUrl, rerank, sliderValues, weightsInUse, withDefaultWeights, withWeight } from '../../client/features/siting/sitingState.ts';

const FULL: SitingRequirements = {
  sector: 'biomed',
  areaMuMin: 30,
  areaMuMax: 80.5,
  landUse: ['M1', 'M2'],
  supplyMode: 'transfer',
  maxPriceYuanPerM2: 800,
  serviced: true,
  districtCodes: ['440112', '440115'],
  near: [{ kind: 'airport', maxKm: 40 }, { kind: 'rail', maxKm: 12.5 }],
  project: { investmentIntensityYuanPerM2: 8000, taxPerMuYuan: 300000, pollutionCategory: 'class_2' },
  weights: { price: 3, access: 1, sector: 0 },
  limit: 60,
};

type Scores = Record<SitingCriterion, number>;

/** A ranked item with these criterion scores (the rest of the fields do not matter to ranking). */
function item(code: string, scores: Scores, weights: SitingWeights = DEFAULT_SITING_WEIGHTS.biomed): SitingItem {
  return {
    plotId: Number(code.replace(/\D/g, '')),
    plotCode: code,
    parkId: 1,
    parkCode: 'P01',
    parkNameZh: '园',
    parkNameEn: 'Park',
    parkTier: 'core',
    districtCode: '440112',
    areaM2: 40000,
    areaMu: 60,
    landUse: 'M1',
    serviced: true,
    sample: true,
    centroid: [113.4, 23.1],
    score: combinedScore(scores, weights),
    rank: 0,
    floorYuanPerM2: 500,
    floorBinding: 'benchmark',
    nearestHubs: [],
    reasons: SITING_CRITERIA.map((c) => ({ criterion: c, value: null, score: scores[c], weight: weights[c], textZh: '', textEn: '' })),
    summaryZh: '',
    summaryEn: '',
  };
}

const s = (sector: number, size: number, price: number, readiness: number, access: number, cluster: number, greenChannel: number): Scores => ({ sector, size, price, readiness, access, cluster, greenChannel });

describe('the siting query in the URL', () => {
  it('round-trips every requirement: requirements → params → requirements', () => {
    const search = formatSitingUrl(FULL);
    expect(parseSitingUrl(search)).toEqual(FULL);
    // …the same as the shared codec gives, and readable (commas and colons unescaped).
    const decoded = paramsToRequirements(requirementsToParams(FULL));
    expect(decoded.ok && decoded.value).toEqual(FULL);
    expect(search).toContain('near=airport:40,rail:12.5');
    expect(search).toContain('districts=440112,440115');
  });

  it('round-trips the smallest query and leaves the map’s parameters alone', () => {
    const min: SitingRequirements = { sector: 'ai', areaMuMin: 0, areaMuMax: 10 };
    const search = formatSitingUrl(min, '?lng=113.30000&lat=23.10000&z=11.00&plot=42&sector=ngit&weights=price:1');
    const p = new URLSearchParams(search);
    expect(p.get('lng')).toBe('113.30000');
    expect(p.get('plot')).toBe('42');
    expect(p.get('sector')).toBe('ai');
    expect(p.get('weights')).toBeNull();
    expect(parseSitingUrl(search)).toEqual(min);
    // Null drops the query, keeps the rest.
    expect(formatSitingUrl(null, search)).toBe('?lng=113.30000&lat=23.10000&z=11.00&plot=42');
  });

  it('reads no query from a URL without one, or with a bad one', () => {
    expect(parseSitingUrl('')).toBeNull();
    expect(parseSitingUrl('?lng=113&lat=23')).toBeNull();
    expect(parseSitingUrl('?sector=biomed&areaMuMin=80&areaMuMax=30')).toBeNull();
    expect(parseSitingUrl('?sector=space&areaMuMin=1&areaMuMax=3')).toBeNull();
    expect(parseSitingUrl('?sector=biomed&areaMuMin=1&areaMuMax=3&weights=price:0')).toBeNull();
  });

  it('gives the brief the same requirements without the list’s limit', () => {
    const href = briefHref(FULL);
    expect(href.startsWith('/invest/siting/brief?')).toBe(true);
    const back = parseSitingUrl(href.slice(href.indexOf('?')));
    expect(back).toEqual({ ...FULL, limit: undefined });
  });
});

describe('the weight sliders', () => {
  it('show the sector defaults until a slider moves, then the given weights normalised', () => {
    const q: SitingRequirements = { sector: 'ai', areaMuMin: 10, areaMuMax: 50 };
    const defaults = weightsInUse(q, null);
    expect(defaults).toEqual({ weights: DEFAULT_SITING_WEIGHTS.ai, source: 'sector_default' });
    expect(sliderValues(defaults.weights)).toEqual({ sector: 25, size: 15, price: 10, readiness: 15, access: 10, cluster: 20, greenChannel: 5 });

    const moved = withWeight(q, sliderValues(defaults.weights), 'price', 60);
    expect(moved.weights).toEqual({ sector: 25, size: 15, price: 60, readiness: 15, access: 10, cluster: 20, greenChannel: 5 });
    const used = weightsInUse(moved, null);
    expect(used.source).toBe('given');
    expect(used.weights).toEqual(weightsFor('ai', moved.weights).weights);
    expect(used.weights.price).toBeCloseTo(60 / 150, 10);
    expect(withDefaultWeights(moved)).toEqual(q);
  });

  it('never sends all weights at zero: the last one moved to 0 stays at the smallest step', () => {
    const zeros = Object.fromEntries(SITING_CRITERIA.map((c) => [c, 0])) as SitingWeights;
    const q = withWeight({ sector: 'other', areaMuMin: 1, areaMuMax: 2 }, { ...zeros, size: 5 }, 'size', 0);
    expect(q.weights).toEqual({ ...zeros, size: 1 });
  });
});

describe('the live re-rank', () => {
  const items = [
    item('P01-0001', s(1, 1, 0.1, 1, 0.2, 1, 1)),
    item('P01-0002', s(0.5, 0.6, 1, 0.5, 0.9, 0.2, 0)),
    item('P01-0003', s(0.8, 0.9, 0.6, 0.7, 0.6, 0.5, 1)),
    item('P01-0004', s(0.5, 0.6, 1, 0.5, 0.9, 0.2, 0)), // the same scores as 0002: the code breaks the tie
  ];

  it('orders by the combined score under the weights in use, ties by plot code, and renumbers', () => {
    const w = DEFAULT_SITING_WEIGHTS.biomed;
    const ranked = rerank(items, w);
    expect(ranked.map((i) => i.plotCode)).toEqual(['P01-0001', 'P01-0003', 'P01-0002', 'P01-0004']);
    expect(ranked.map((i) => i.rank)).toEqual([1, 2, 3, 4]);
    for (const r of ranked) expect(r.score).toBe(combinedScore(criterionScores(r), w));
    expect([...ranked].sort(compareRanked)).toEqual(ranked);
  });

  it('leaves the answer as it is under the weights it was ranked with (the server’s figures stand)', () => {
    const w = DEFAULT_SITING_WEIGHTS.biomed;
    // The server combines unrounded criterion scores: its figure may differ by a hundredth from one recomputed from the reasons.
    const answer = rerank(items, w).map((i, k) => ({ ...i, score: i.score + (k === 0 ? 0.01 : 0) }));
    expect(rerank(answer, { ...w }, w)).toEqual(answer);
    expect(rerank(answer, { ...w, price: w.price + 1e-12 }, w)).toEqual(answer);
    // Other weights: recomputed.
    const other = { ...w, price: 0.3, sector: 0.05 };
    expect(rerank(answer, other, w)).toEqual(rerank(answer, other));
    expect(rerank(answer, other, w)[0]!.score).not.toBe(answer[0]!.score);
  });

  it('moving a weight changes the order exactly as combinedScore says', () => {
    const before = rerank(items, DEFAULT_SITING_WEIGHTS.biomed).map((i) => i.plotCode);
    // All weight on price: the cheapest (price score 1) first, then by code among equals.
    const q = withWeight({ sector: 'biomed', areaMuMin: 1, areaMuMax: 2 }, sliderValues(DEFAULT_SITING_WEIGHTS.biomed), 'price', 100);
    const w = weightsInUse(q, null).weights;
    const after = rerank(items, w);
    expect(after.map((i) => i.plotCode)).not.toEqual(before);
    const expected = items
      .map((i) => ({ plotCode: i.plotCode, score: combinedScore(criterionScores(i), w) }))
      .sort(compareRanked);
    expect(after.map((i) => [i.plotCode, i.score])).toEqual(expected.map((e) => [e.plotCode, e.score]));
    expect(after[0]!.plotCode).toBe('P01-0002');
    // Each reason now carries the weight in use.
    expect(after[0]!.reasons.find((r) => r.criterion === 'price')!.weight).toBeCloseTo(w.price, 12);

    const onlyPrice = rerank(items, { ...Object.fromEntries(SITING_CRITERIA.map((c) => [c, 0])), price: 1 } as SitingWeights);
    expect(onlyPrice.map((i) => i.plotCode)).toEqual(['P01-0002', 'P01-0004', 'P01-0003', 'P01-0001']);
    expect(onlyPrice.map((i) => i.score)).toEqual([100, 100, 60, 10]);
  });
});
