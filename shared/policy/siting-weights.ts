/**
 * Siting (issue #16): the criteria a plot is scored on, their default weights per sector, and how
 * weights combine per-criterion scores into one 0–100 score. Pure; the server ranks with it and
 * the client re-ranks live with it when a weight slider moves, so both compute the same figure.
 *
 * Esri-style suitability: every criterion is scored 0–1 (1 = best), the weights are normalised to
 * sum to 1, the score is 100 × Σ wᵢ·sᵢ rounded to the hundredth, and ties go to the smaller plot
 * code, so an answer is deterministic.
 *
 * The default weights are the product's ASSUMPTION (no source states them): what a site selector
 * of each sector would stress first. Answers say `weightsSource: 'sector_default'` when they apply.
 */
import type { ProjectSector } from '../domain.ts';

/** The scored criteria, in display order. */
export const SITING_CRITERIA = ['sector', 'size', 'price', 'readiness', 'access', 'cluster', 'greenChannel'] as const;
export type SitingCriterion = (typeof SITING_CRITERIA)[number];

export type SitingWeights = Record<SitingCriterion, number>;

export const SITING_CRITERION_LABELS = {
  sector: { zh: '产业契合', en: 'Sector fit' },
  size: { zh: '面积契合', en: 'Size fit' },
  price: { zh: '地价', en: 'Price' },
  readiness: { zh: '用地条件', en: 'Readiness' },
  access: { zh: '交通区位', en: 'Access' },
  cluster: { zh: '产业集聚', en: 'Cluster' },
  greenChannel: { zh: '绿色通道', en: 'Green channel' },
} as const satisfies Record<SitingCriterion, { zh: string; en: string }>;

/**
 * Default weights per project sector (each row sums to 1). Assumptions, stated as such:
 * - every IAB sector weighs sector fit most (the parks are organised by lead sector, 四(三)8);
 * - biomedicine weighs readiness and access higher (GMP plants need serviced land; cold chain to
 *   the airport);
 * - AI weighs the cluster higher (talent and partners nearby);
 * - a non-IAB project (`other`) weighs price and size highest.
 */
export const DEFAULT_SITING_WEIGHTS = {
  ngit: { sector: 0.25, size: 0.15, price: 0.15, readiness: 0.15, access: 0.1, cluster: 0.15, greenChannel: 0.05 },
  ai: { sector: 0.25, size: 0.15, price: 0.1, readiness: 0.15, access: 0.1, cluster: 0.2, greenChannel: 0.05 },
  biomed: { sector: 0.25, size: 0.15, price: 0.1, readiness: 0.2, access: 0.15, cluster: 0.1, greenChannel: 0.05 },
  other: { sector: 0.1, size: 0.2, price: 0.25, readiness: 0.2, access: 0.15, cluster: 0.05, greenChannel: 0.05 },
} as const satisfies Record<ProjectSector, SitingWeights>;

export type WeightsSource = 'given' | 'sector_default';

export interface WeightsUsed {
  readonly weights: SitingWeights;
  readonly source: WeightsSource;
}

/** Whether any given weight is positive (all zero, or none given, cannot be normalised). */
export function hasPositiveWeight(given: Partial<Record<SitingCriterion, number>>): boolean {
  return SITING_CRITERIA.some((c) => (given[c] ?? 0) > 0);
}

/**
 * The weights an answer uses: the given ones normalised to sum to 1 (a criterion not given
 * weighs 0), or the sector's defaults when none are given. The caller has already refused
 * negative weights and all-zero weights (400 naming `weights`).
 */
export function weightsFor(sector: ProjectSector, given?: Partial<Record<SitingCriterion, number>> | null): WeightsUsed {
  if (!given || !SITING_CRITERIA.some((c) => given[c] !== undefined)) {
    return { weights: { ...DEFAULT_SITING_WEIGHTS[sector] }, source: 'sector_default' };
  }
  if (!hasPositiveWeight(given)) throw new RangeError('weights: at least one weight must be positive');
  const total = SITING_CRITERIA.reduce((s, c) => s + Math.max(0, given[c] ?? 0), 0);
  const weights = Object.fromEntries(SITING_CRITERIA.map((c) => [c, Math.max(0, given[c] ?? 0) / total])) as SitingWeights;
  return { weights, source: 'given' };
}

/** 100 × Σ wᵢ·sᵢ, rounded to the hundredth (scores clamped to 0–1). */
export function combinedScore(scores: Record<SitingCriterion, number>, weights: SitingWeights): number {
  let sum = 0;
  for (const c of SITING_CRITERIA) sum += weights[c] * Math.min(1, Math.max(0, scores[c]));
  return Math.round(sum * 10_000) / 100;
}

/** The ranking order: score descending, then plot code ascending (deterministic). */
export function compareRanked(a: { score: number; plotCode: string }, b: { score: number; plotCode: string }): number {
  if (a.score !== b.score) return b.score - a.score;
  return a.plotCode < b.plotCode ? -1 : a.plotCode > b.plotCode ? 1 : 0;
}
