/**
 * The 亩均 evaluation of a year (issue #15 §4): each contracted or completed allocation's
 * recorded figures, per 亩 of its area (the allocation's area, hundredths of m²), graded A–D on
 * the threshold version that applies to the year, and checked against the allocation's frozen
 * 标准地 conditions. The arithmetic is shared/policy/mu-evaluation.ts `evaluateYear`; this file
 * only reads the inputs and shapes the answer (shared/contract/supervision.ts `EvaluationList`).
 *
 * Which thresholds grade a year: the version with the latest `effective_from` on or before the
 * year's last day (ties: the later one entered) — a version "grades the years from its
 * effective date's year on". A year before every version has no grade: 409 NO_GRADE_THRESHOLDS.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { AppError } from '../../kernel/errors.ts';
import { bureauToday } from '../../kernel/dates.ts';
import type { DistrictScope } from '../auth/scope.ts';
import { evaluateYear, NO_CONDITIONS, type ConditionsCheck, type MuGradeThresholds, type PlotConditions } from '../../../shared/policy/index.ts';
import { fenToYuan, roundHalfUpDiv } from '../../../shared/money.ts';
import { m2ToHundredths } from '../../../shared/units.ts';
import type { EvaluationItem, GradeThresholds } from '../../../shared/contract/supervision.ts';
import { evaluationRows, listThresholds, thresholdsInForce, type EvaluationFilter, type ThresholdsRow } from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * The 标准地 conditions frozen in each allocation's 监管协议. NOT WIRED YET: the conditions live
 * in `allocations.agreement_conditions` (migration 014, helper "cond"), not on this branch, so
 * every allocation answers NO_CONDITIONS (nothing checked: `meetsConditions.met` is null, each
 * condition `unchecked: not_set`). The integrator replaces the body with a read of that column
 * (null → NO_CONDITIONS).
 */
export async function agreementConditionsOf(_db: Executor, allocationIds: readonly number[]): Promise<Map<number, PlotConditions>> {
  return new Map(allocationIds.map((id) => [id, NO_CONDITIONS]));
}

// --- Thresholds ----------------------------------------------------------------------------------

/** A stored version as the policy module's thresholds (`version` is the row id as text). */
export function policyThresholds(t: ThresholdsRow): MuGradeThresholds {
  return {
    version: String(t.id),
    fromYear: Number(t.effectiveFrom.slice(0, 4)),
    sample: t.sample,
    sourceZh: t.source,
    sourceEn: t.source,
    A: { outputPerMuYuanMin: t.a.output, taxPerMuYuanMin: t.a.tax },
    B: { outputPerMuYuanMin: t.b.output, taxPerMuYuanMin: t.b.tax },
    C: { outputPerMuYuanMin: t.c.output, taxPerMuYuanMin: t.c.tax },
  };
}

/** A stored version on the wire. */
export function wireThresholds(t: ThresholdsRow): GradeThresholds {
  return {
    versionId: t.id,
    effectiveFrom: t.effectiveFrom,
    sample: t.sample,
    source: t.source,
    A: { outputPerMuYuan: t.a.output, taxPerMuYuan: t.a.tax },
    B: { outputPerMuYuan: t.b.output, taxPerMuYuan: t.b.tax },
    C: { outputPerMuYuan: t.c.output, taxPerMuYuan: t.c.tax },
  };
}

/** The version that grades a year; 409 NO_GRADE_THRESHOLDS when the year is before every version. */
export async function thresholdsForYear(db: Executor, year: number): Promise<ThresholdsRow> {
  const t = await thresholdsInForce(db, `${year}-12-31`);
  if (!t) {
    const first = (await listThresholds(db)).at(-1);
    throw new AppError(409, 'CONFLICT', `No grade thresholds apply to ${year}${first ? `: the first version takes effect on ${first.effectiveFrom}` : ''} (该年度没有适用的亩均评价分级标准).`, { reason: 'NO_GRADE_THRESHOLDS', year });
  }
  return t;
}

// --- The evaluation ------------------------------------------------------------------------------

/** The policy's conditions check on the wire: met true / false / null (nothing checked). */
export function wireConditionsCheck(c: ConditionsCheck): EvaluationItem['meetsConditions'] {
  return {
    met: c.unmet.length > 0 ? false : c.met.length > 0 ? true : null,
    unmet: c.unmet.map((u) => ({ field: u.field, required: u.required, actual: u.actual, gap: u.gap, unit: u.unit })),
    unchecked: c.unchecked.map((u) => ({ field: u.field, reason: u.reason })),
  };
}

/** Hundredths of m² → 亩 to 4 decimals, half up (h × 3 / 200000). */
const muOf = (h: bigint): number => Number(roundHalfUpDiv(h * 3n, 20n)) / 10_000;

/**
 * A year's evaluation: the thresholds that grade it and one item per contracted or completed
 * allocation with figures for the year, in the scope (default: every district), ordered by
 * district, park and plot code.
 */
export async function evaluationItems(
  db: Executor,
  filter: EvaluationFilter,
  scope: DistrictScope = { kind: 'all' },
): Promise<{ thresholds: GradeThresholds; items: EvaluationItem[] }> {
  const stored = await thresholdsForYear(db, filter.year);
  const thresholds = policyThresholds(stored);
  const rows = await evaluationRows(db, filter, scope);
  const conditions = await agreementConditionsOf(db, rows.map((r) => r.allocationId));
  const asOf = bureauToday();
  const items: EvaluationItem[] = [];
  for (const r of rows) {
    const area = m2ToHundredths(r.areaM2);
    const energyTce = Number(r.energyTce);
    const e = evaluateYear(
      { outputFen: r.outputFen, taxFen: r.taxFen, energyTce, employees: r.employees },
      area,
      thresholds,
      conditions.get(r.allocationId) ?? NO_CONDITIONS,
      { deadlinesFrom: r.signedOn, startedOn: r.startedOn, completedOn: r.completedOn, asOf },
    );
    // Every stored row was validated against this area when written (and the area of a
    // contracted allocation does not change), so this does not happen; never grade bad figures.
    if (!e.ok) continue;
    items.push({
      allocationId: r.allocationId,
      plotId: r.plotId,
      plotCode: r.plotCode,
      parkId: r.parkId,
      parkCode: r.parkCode,
      districtCode: r.districtCode,
      projectName: r.projectName,
      enterpriseName: r.enterpriseName,
      year: r.year,
      areaMu: muOf(area),
      outputYuan: fenToYuan(r.outputFen),
      taxYuan: fenToYuan(r.taxFen),
      energyTce,
      employees: r.employees,
      outputPerMuYuan: e.outputPerMuYuan,
      taxPerMuYuan: e.taxPerMuYuan,
      energyPer10kYuan: e.energyPer10kYuan,
      grade: e.grade,
      meetsConditions: wireConditionsCheck(e.meetsConditions),
      sample: r.source === 'sample' || r.allocationSample,
    });
  }
  return { thresholds: wireThresholds(stored), items };
}
