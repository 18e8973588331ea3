/**
 * Supervision figures for the dashboards and the yearly monitoring report (issue #15 §5), counted
 * from the same records the supervision screens show — never recomputed here:
 * - idle land: `idleItems` (../supervision/idle.ts): "idle" = stage idle_fee or reclaim (the
 *   overdue warning and a government delay are not idle land); fees decided = officers' idle_fee
 *   decisions on those allocations (决定文号), never the fee the rule would give;
 * - grades and 标准地 conditions unmet: `evaluationItems` (../performance/evaluation.ts) of the
 *   evaluation year; unmet = `meetsConditions.met === false`;
 * - inspections: the inspections table (open now; opened and closed in a year).
 * Pure summing is in `summarize` (exact: areas in hundredths of m², money in fen).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { EvaluationItem, IdleItem } from '../../../shared/contract/supervision.ts';
import type { GradeCounts, IdleSummary } from '../../../shared/contract/monitoring.ts';
import { SUPERVISION_STAGES } from '../../../shared/contract/supervision.ts';
import { fenToYuan, roundHalfUpDiv, yuanToFen } from '../../../shared/money.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';
import { AppError } from '../../kernel/errors.ts';
import { idleItems } from '../supervision/idle.ts';
import { evaluationItems } from '../performance/evaluation.ts';
import * as repo from './repository.ts';

/** Hundredths of m² → 亩 (× 3/2000), 2 decimals, half up. */
export const muOf = (hm2: bigint) => Number(roundHalfUpDiv(hm2 * 3n, 2000n)) / 100;

const IDLE_STAGES: readonly string[] = ['idle_fee', 'reclaim'];
export const isIdle = (i: Pick<IdleItem, 'stage'>) => IDLE_STAGES.includes(i.stage);

export interface InspectionCounts {
  open: number;
  openedInYear: number;
  closedInYear: number;
}
const NO_INSPECTIONS: InspectionCounts = { open: 0, openedInYear: 0, closedInYear: 0 };

/** Idle land over some items: count, area (exact sum), fees decided, and every stage counted. */
export function idleSummary(items: readonly IdleItem[]): IdleSummary {
  let area = 0n;
  let fees = 0n;
  const byStage = Object.fromEntries(SUPERVISION_STAGES.map((s) => [s, 0])) as IdleSummary['byStage'];
  let count = 0;
  for (const i of items) {
    byStage[i.stage] += 1;
    for (const d of i.decisions) if (d.kind === 'idle_fee' && d.feeYuan !== null) fees += yuanToFen(d.feeYuan);
    if (!isIdle(i)) continue;
    count += 1;
    area += m2ToHundredths(i.areaM2);
  }
  return { count, areaM2: hundredthsToM2(area), areaMu: muOf(area), feesDecidedYuan: fenToYuan(fees), byStage };
}

export function gradeCounts(items: readonly Pick<EvaluationItem, 'grade'>[]): GradeCounts {
  const g = { A: 0, B: 0, C: 0, D: 0 };
  for (const i of items) g[i.grade] += 1;
  return g;
}

export const unmetCount = (items: readonly EvaluationItem[]) => items.filter((i) => i.meetsConditions.met === false).length;

export interface SupervisionData {
  idle: IdleItem[];
  evaluation: EvaluationItem[];
  thresholds: { versionId: number; effectiveFrom: string; sample: boolean; source: string } | null;
  inspections: Map<number, InspectionCounts>;
}

/** Everything the summaries are counted from, for a district (or the city, `districtCode` null). */
export async function supervisionData(db: Kysely<Database>, input: { districtCode: string | null; asOf: string; evaluationYear: number; inspectionYear: number }): Promise<SupervisionData> {
  const scope = input.districtCode === null ? {} : { districtCode: input.districtCode };
  const [idle, evaluation, inspections] = await Promise.all([
    idleItems(db, { asOf: input.asOf, ...scope }),
    // No threshold version for the year (409 on the evaluation route): nothing graded, the rest stands.
    evaluationItems(db, { year: input.evaluationYear, ...scope }).catch((e: unknown) => {
      if (e instanceof AppError && e.statusCode === 409) return null;
      throw e;
    }),
    repo.inspectionCounts(db, input.districtCode, input.inspectionYear),
  ]);
  const t = evaluation?.thresholds;
  return {
    idle,
    evaluation: evaluation?.items ?? [],
    thresholds: t ? { versionId: t.versionId, effectiveFrom: t.effectiveFrom, sample: t.sample, source: t.source } : null,
    inspections: new Map(inspections.map((r) => [r.park_id, { open: r.open, openedInYear: r.opened, closedInYear: r.closed }])),
  };
}

export function inspectionsOf(d: SupervisionData, parkId: number | null): InspectionCounts {
  if (parkId !== null) return d.inspections.get(parkId) ?? NO_INSPECTIONS;
  const sum = { ...NO_INSPECTIONS };
  for (const c of d.inspections.values()) {
    sum.open += c.open;
    sum.openedInYear += c.openedInYear;
    sum.closedInYear += c.closedInYear;
  }
  return sum;
}

/** The dashboards' `supervision` object over the parks shown. */
export function supervisionSummary(d: SupervisionData, parks: readonly { id: number; code: string }[], asOf: string, evaluationYear: number) {
  const shown = new Set(parks.map((p) => p.id));
  const idle = d.idle.filter((i) => shown.has(i.parkId));
  const evaluation = d.evaluation.filter((i) => shown.has(i.parkId));
  return {
    asOf,
    evaluationYear,
    idle: idleSummary(idle),
    grades: gradeCounts(evaluation),
    gradesByPark: parks.map((p) => ({ parkId: p.id, parkCode: p.code, ...gradeCounts(evaluation.filter((i) => i.parkId === p.id)) })),
    conditionsUnmet: unmetCount(evaluation),
    inspectionsOpen: parks.reduce((s, p) => s + inspectionsOf(d, p.id).open, 0),
    thresholds: d.thresholds,
    sample: idle.some((i) => i.sample) || evaluation.some((i) => i.sample),
  };
}
