/**
 * The siting page's state as pure functions: the query in the URL (the codec of
 * shared/siting-query.ts, beside the map's own parameters), the weights the sliders show, and the
 * live re-rank of the items in hand when a slider moves — with the same `combinedScore` and
 * `compareRanked` the server ranks with, so the order shown before the refetch is the server's.
 */
import { PROJECT_SECTORS, type ProjectSector } from '../../../shared/domain.ts';
import type { SitingItem, SitingRequirements, WeightsUsed } from '../../../shared/contract/siting.ts';
import { combinedScore, compareRanked, DEFAULT_SITING_WEIGHTS, SITING_CRITERIA, weightsFor, type SitingCriterion, type SitingWeights } from '../../../shared/policy/siting-weights.ts';
import { paramsToRequirements, requirementsToParams } from '../../../shared/siting-query.ts';

/** The query-string keys the siting query owns (requirementsToParams); the rest belong to the map. */
export const SITING_URL_KEYS = ['sector', 'areaMuMin', 'areaMuMax', 'landUse', 'supplyMode', 'maxPrice', 'serviced', 'districts', 'near', 'project', 'weights', 'limit'] as const;

/** What the form starts with on a fresh page: the example project. */
export const DEFAULT_REQUIREMENTS: SitingRequirements = { sector: 'biomed', areaMuMin: 30, areaMuMax: 80 };

/** Ranked plots asked for at first, and when "more" is pressed. */
export const FIRST_LIMIT = 20;
export const MORE_LIMIT = 60;

/** The query in `search`, or null when there is none (no sector) or it does not decode. */
export function parseSitingUrl(search: string): SitingRequirements | null {
  const p = new URLSearchParams(search);
  if (!p.get('sector')) return null;
  const flat: Record<string, string> = {};
  for (const k of SITING_URL_KEYS) {
    const v = p.get(k);
    if (v !== null) flat[k] = v;
  }
  const r = paramsToRequirements(flat);
  return r.ok ? r.value : null;
}

/** `currentSearch` with the siting keys replaced by `query`'s (or removed for null); other keys stay. */
export function formatSitingUrl(query: SitingRequirements | null, currentSearch = ''): string {
  const p = new URLSearchParams(currentSearch);
  for (const k of SITING_URL_KEYS) p.delete(k);
  if (query) for (const [k, v] of Object.entries(requirementsToParams(query))) p.set(k, v);
  const s = p.toString();
  // Commas and colons read better unescaped; URLSearchParams escapes them.
  return s ? `?${s.replace(/%2C/g, ',').replace(/%3A/g, ':')}` : '';
}

/** The brief's address for a query (same parameters, the top five). */
export function briefHref(query: SitingRequirements): string {
  return `/invest/siting/brief${formatSitingUrl({ ...query, limit: undefined })}`.replace(/\?$/, '');
}

/** Slider values (whole percent) for the weights in use. */
export function sliderValues(weights: SitingWeights): SitingWeights {
  return Object.fromEntries(SITING_CRITERIA.map((c) => [c, Math.round(weights[c] * 100)])) as SitingWeights;
}

/**
 * The weights the page ranks with: the query's own (normalised), else the answer's, else the
 * sector's defaults. `source` says which.
 */
export function weightsInUse(query: SitingRequirements, answered: WeightsUsed | null): { weights: SitingWeights; source: 'given' | 'sector_default' } {
  if (query.weights && SITING_CRITERIA.some((c) => query.weights![c] !== undefined)) {
    try {
      return weightsFor(query.sector, query.weights);
    } catch {
      // all zero: the form refuses it before it gets here; fall through to the defaults
    }
  }
  if (answered && answered.sector === query.sector) return { weights: answered.weights, source: answered.source };
  return { weights: { ...DEFAULT_SITING_WEIGHTS[query.sector] }, source: 'sector_default' };
}

/** The query with one slider moved: every criterion given (the others at their shown values). */
export function withWeight(query: SitingRequirements, shown: SitingWeights, criterion: SitingCriterion, value: number): SitingRequirements {
  const next = { ...shown, [criterion]: Math.max(0, Math.round(value)) };
  // All at zero cannot be normalised: keep the one being moved at its smallest positive step.
  if (!SITING_CRITERIA.some((c) => next[c] > 0)) next[criterion] = 1;
  return { ...query, weights: next };
}

/** The query without given weights (the sector's defaults apply). */
export function withDefaultWeights(query: SitingRequirements): SitingRequirements {
  const { weights: _weights, ...rest } = query;
  return rest;
}

/** Each criterion's 0–1 score of an item, from its reasons (a criterion missing scores 0). */
export function criterionScores(item: SitingItem): Record<SitingCriterion, number> {
  const scores = Object.fromEntries(SITING_CRITERIA.map((c) => [c, 0])) as Record<SitingCriterion, number>;
  for (const r of item.reasons) scores[r.criterion] = r.score;
  return scores;
}

/** Whether two sets of normalised weights are the same (to rounding). */
export function sameWeights(a: SitingWeights, b: SitingWeights): boolean {
  return SITING_CRITERIA.every((c) => Math.abs(a[c] - b[c]) < 1e-9);
}

/**
 * The items in hand scored and ordered again under `weights` (normalised, summing to 1): score
 * = combinedScore of their criterion scores, order = compareRanked, ranks 1…n, each reason's
 * weight updated. Plots outside the first page arrive with the refetch.
 *
 * Under the weights the answer was ranked with (`answered`), the answer stands as it is: the
 * reasons carry each criterion's score rounded to 3 decimals, so a recomputed figure can differ
 * from the server's by a hundredth.
 */
export function rerank(items: readonly SitingItem[], weights: SitingWeights, answered?: SitingWeights): SitingItem[] {
  if (answered && sameWeights(weights, answered)) return [...items];
  return items
    .map((item) => ({
      ...item,
      score: combinedScore(criterionScores(item), weights),
      reasons: item.reasons.map((r) => ({ ...r, weight: weights[r.criterion] })),
    }))
    .sort(compareRanked)
    .map((item, i) => ({ ...item, rank: i + 1 }));
}

export const isProjectSector = (s: string): s is ProjectSector => (PROJECT_SECTORS as readonly string[]).includes(s);

/** The same query, compared by value (the URL and the fetch key). */
export const queryKey = (q: SitingRequirements | null): string => (q ? JSON.stringify(requirementsToParams(q)) : '');
