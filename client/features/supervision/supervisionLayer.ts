/**
 * The supervision layer as data: which colour a plot takes in each mode (idle stage, 亩均
 * grade, plot status), the legend's rows, and the `fill-color` expression for the plot tiles'
 * fill layer. Stage and grade are not in the tiles: they are joined by plot id as feature-state
 * (`sv_stage`, `sv_grade`; the source promotes `id`), so switching mode or date re-sends no
 * geometry. Pure: no maplibre calls here (useSupervisionLayer.ts applies it).
 */
import type { ExpressionSpecification } from 'maplibre-gl';
import { LIVE_PLOT_STATUSES } from '../../../shared/domain.ts';
import { MU_GRADES, type MuGrade } from '../../../shared/policy/mu-evaluation.ts';
import { SUPERVISION_STAGES, type SupervisionStage } from '../../../shared/contract/supervision.ts';
import { STATUS_COLORS } from '../../map/palette.ts';

export const LAYER_MODES = ['stage', 'grade', 'status'] as const;
export type LayerMode = (typeof LAYER_MODES)[number];

export function isLayerMode(x: unknown): x is LayerMode {
  return typeof x === 'string' && (LAYER_MODES as readonly string[]).includes(x);
}

/** Feature-state keys on the plot tiles. */
export const STAGE_STATE = 'sv_stage';
export const GRADE_STATE = 'sv_grade';

/** Red-ish for the warning, deepening with the consequence; the government's delay apart in blue. */
export const STAGE_COLORS = {
  overdue: '#f08c4a',
  idle_fee: '#d7301f',
  reclaim: '#7a0c12',
  government_delay: '#3a7dc9',
} as const satisfies Record<SupervisionStage, string>;

export const GRADE_COLORS = {
  A: '#1a9850',
  B: '#91cf60',
  C: '#f4b942',
  D: '#d73027',
} as const satisfies Record<MuGrade, string>;

/** Plots with nothing to report in the mode (on track, not evaluated). */
export const NEUTRAL_COLOR = '#c9ced6';

/** Most severe first: the red-line list's order. */
export const STAGE_SEVERITY: readonly SupervisionStage[] = ['reclaim', 'idle_fee', 'overdue', 'government_delay'];

function stateMatch(key: string, colors: Record<string, string>): ExpressionSpecification {
  const pairs = Object.entries(colors).flat();
  return ['match', ['to-string', ['coalesce', ['feature-state', key], '']], ...pairs, NEUTRAL_COLOR] as unknown as ExpressionSpecification;
}

/** `fill-color` of the plot fill layer in a supervision mode. */
export function fillColor(mode: LayerMode): ExpressionSpecification {
  if (mode === 'stage') return stateMatch(STAGE_STATE, STAGE_COLORS);
  if (mode === 'grade') return stateMatch(GRADE_STATE, GRADE_COLORS);
  const pairs = LIVE_PLOT_STATUSES.flatMap((s) => [s, STATUS_COLORS[s]]);
  return ['match', ['get', 'status'], ...pairs, '#999999'] as unknown as ExpressionSpecification;
}

/** The legend's rows for a mode: a key (for the words) and its colour, the neutral row last. */
export function legendRows(mode: LayerMode): { key: string; color: string }[] {
  if (mode === 'stage') return [...SUPERVISION_STAGES.map((s) => ({ key: s, color: STAGE_COLORS[s] })), { key: 'none', color: NEUTRAL_COLOR }];
  if (mode === 'grade') return [...MU_GRADES.map((g) => ({ key: g, color: GRADE_COLORS[g] })), { key: 'none', color: NEUTRAL_COLOR }];
  return LIVE_PLOT_STATUSES.map((s) => ({ key: s, color: STATUS_COLORS[s] }));
}

/** plotId → value, from the API's items (the first item of a plot wins: one active allocation per plot). */
export function byPlot<T extends { plotId: number }, V>(items: readonly T[], value: (item: T) => V): Map<number, V> {
  const out = new Map<number, V>();
  for (const item of items) if (!out.has(item.plotId)) out.set(item.plotId, value(item));
  return out;
}

/** The red-line list: most severe stage first, then the longest late. */
export function sortRedLine<T extends { stage: SupervisionStage; daysLate: number; plotCode: string }>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => STAGE_SEVERITY.indexOf(a.stage) - STAGE_SEVERITY.indexOf(b.stage) || b.daysLate - a.daysLate || a.plotCode.localeCompare(b.plotCode),
  );
}
