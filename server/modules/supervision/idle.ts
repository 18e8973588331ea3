/**
 * Idle land, executed (issue #15 §2): every contracted or completed allocation assessed on a day
 * with shared/policy/idle-land.ts `assessIdleLand` — the price (出让价款) the fee is 20 % of, the
 * project's planned investment as the total of the 25 % test, the recorded progress, the
 * government delays (art. 8) — and mapped to the supervision stages on the wire:
 *
 * - `overdue`, `idle_fee`, `reclaim`: the policy's stages;
 * - `government_delay`: the policy says on track only because recorded government delays moved
 *   the start — the ORIGINAL agreed start has passed without a start (art. 8: no fee, the dates
 *   move);
 * - `on_track` (never listed): everything else. Stored in `supervision_stages` like the others,
 *   so a return to on-track is a stage change too.
 *
 * `idleItems` reads; `restage` and `recordStageChanges` record stage changes, next to the one
 * assessment they share.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { addDays, addYears, assessIdleLand, daysBetween, type IdleAssessment } from '../../../shared/policy/idle-land.ts';
import { fenToYuan, tryYuanToFen } from '../../../shared/money.ts';
import type { IdleItem, SupervisionStage } from '../../../shared/contract/supervision.ts';
import type { DistrictScope } from '../auth/scope.ts';
import {
  decisionsOf,
  openInspectionsOf,
  decisionView,
  delaysOf,
  lockStoredStages,
  progressOf,
  storedStages,
  supervisedAllocations,
  writeStage,
  type DelayRow,
  type ProgressRow,
  type StoredStage,
  type SupervisedRow,
} from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface IdleFilters {
  asOf: string;
  districtCode?: string | undefined;
  parkId?: number | undefined;
  stage?: SupervisionStage | undefined;
}

/** One allocation assessed on a day: the policy's answer and the stage it maps to. */
export interface Assessed {
  row: SupervisedRow;
  assessment: IdleAssessment;
  stage: StoredStage;
  /** The first day of this stage (for on_track: the day judged on). */
  since: string;
  item: IdleItem | null;
}

const fen = (yuan: string | null): bigint | null => {
  if (yuan === null) return null;
  const r = tryYuanToFen(yuan);
  return r.ok ? r.fen : null;
};

const SEVERITY: Record<SupervisionStage, number> = { reclaim: 0, idle_fee: 1, overdue: 2, government_delay: 3 };

const ART8 = {
  zh: '《闲置土地处置办法》（国土资源部令第53号）第八条',
  en: 'Measures on the Disposal of Idle Land (MLR Order No. 53), art. 8',
};

function governmentDelayBasis(agreedStartOn: string, adjustedStartOn: string, days: number) {
  return {
    zh: `超过约定动工开发日期（${agreedStartOn}）未动工开发，属政府原因延误 ${days} 日，动工开发期限顺延至 ${adjustedStartOn}，不构成闲置土地，不征缴土地闲置费（${ART8.zh}）`,
    en: `Not started after the agreed start date (${agreedStartOn}), but a government-caused delay of ${days} days moves the start deadline to ${adjustedStartOn}: not idle land, no idle-land fee (${ART8.en})`,
  };
}

/** The policy's assessment of one allocation on `asOf`, mapped to its supervision stage. */
export function assessRow(row: SupervisedRow, progress: readonly ProgressRow[], delays: readonly DelayRow[], asOf: string): Omit<Assessed, 'item'> & { basis: { zh: string; en: string } } {
  const agreedStartOn = row.agreed_start_on!;
  const assessment = assessIdleLand({
    agreedStartOn,
    priceFen: fen(row.price_yuan) ?? 0n,
    areaM2: Number(row.area_m2),
    totalInvestmentFen: fen(row.planned_investment_yuan),
    startedOn: row.started_on,
    progress: progress.map((p) => ({ on: p.reported_on, developedAreaM2: Number(p.developed_area_m2), investedFen: BigInt(p.invested_fen) })),
    completedOn: row.completed_on,
    governmentDelayDays: delays.map((d) => d.days),
    asOf,
  });
  const basis = { zh: assessment.basisZh, en: assessment.basisEn };
  if (assessment.stage !== 'on_track') {
    const since = assessment.stage === 'idle_fee' ? assessment.idleFrom! : assessment.stage === 'reclaim' ? assessment.reclaimFrom! : addDays(assessment.adjustedStartOn, 1);
    return { row, assessment, stage: assessment.stage, since, basis };
  }
  const notStarted = row.started_on === null || row.started_on > asOf;
  const notCompleted = row.completed_on === null || row.completed_on > asOf;
  if (assessment.governmentDelayDays > 0 && notStarted && notCompleted && agreedStartOn < asOf) {
    return {
      row,
      assessment,
      stage: 'government_delay',
      since: addDays(agreedStartOn, 1),
      basis: governmentDelayBasis(agreedStartOn, assessment.adjustedStartOn, assessment.governmentDelayDays),
    };
  }
  return { row, assessment, stage: 'on_track', since: asOf, basis };
}

/** Every supervised allocation in scope assessed on `asOf` (on-track ones included, item null). */
export async function assessAll(db: Executor, f: { asOf: string; districtCode?: string | undefined; parkId?: number | undefined; ids?: readonly number[] }, scope: DistrictScope): Promise<Assessed[]> {
  const rows = await supervisedAllocations(db, f, scope);
  const ids = rows.map((r) => r.id);
  // One after the other: a transaction is one connection.
  const progress = await progressOf(db, ids);
  const delays = await delaysOf(db, ids);
  const decisions = await decisionsOf(db, ids);
  const inspections = await openInspectionsOf(db, ids);
  return rows.map((row) => {
    const a = assessRow(row, progress.get(row.id) ?? [], delays.get(row.id) ?? [], f.asOf);
    if (a.stage === 'on_track') return { ...a, item: null };
    const { assessment } = a;
    const gov = a.stage === 'government_delay';
    const item: IdleItem = {
      allocationId: row.id,
      plotId: row.plot_id,
      plotCode: row.plot_code,
      parkId: row.park_id,
      parkCode: row.park_code,
      districtCode: row.district_code,
      projectName: row.project_name,
      enterpriseName: row.enterprise_name,
      stage: a.stage,
      kind: gov ? 'not_started' : assessment.kind,
      daysLate: gov ? daysBetween(row.agreed_start_on!, f.asOf) : assessment.daysLate,
      areaM2: Number(row.area_m2),
      priceYuan: Number(row.price_yuan),
      feeYuan: assessment.feeFen === null ? null : fenToYuan(assessment.feeFen),
      agreedStartOn: row.agreed_start_on!,
      adjustedStartOn: assessment.adjustedStartOn,
      governmentDelayDays: assessment.governmentDelayDays,
      // Under a government delay the idle marks are the moved ones (art. 8).
      idleFrom: gov ? addDays(addYears(assessment.adjustedStartOn, 1), 1) : assessment.idleFrom,
      reclaimFrom: gov ? addDays(addYears(assessment.adjustedStartOn, 2), 1) : assessment.reclaimFrom,
      basis: a.basis,
      decisions: (decisions.get(row.id) ?? []).map(decisionView),
      openInspectionId: inspections.get(row.id) ?? null,
      sample: row.sample,
    };
    return { ...a, item };
  });
}

const byUrgency = (x: IdleItem, y: IdleItem) => SEVERITY[x.stage] - SEVERITY[y.stage] || y.daysLate - x.daysLate || x.allocationId - y.allocationId;

/**
 * GET /api/supervision/idle's items: every contracted or completed allocation not on track on
 * `asOf`, most urgent first (reclaim, idle_fee, overdue, government_delay; then most days late).
 * A read only: the route records stage changes separately (syncStages) when asOf is today.
 */
export async function idleItems(
  db: Executor,
  q: IdleFilters,
  scope: DistrictScope = { kind: 'all' },
): Promise<IdleItem[]> {
  const assessed = await assessAll(db, q, scope);
  return listOf(assessed, q.stage);
}

export function listOf(assessed: readonly Assessed[], stage?: SupervisionStage): IdleItem[] {
  return assessed
    .flatMap((a) => (a.item ? [a.item] : []))
    .filter((i) => stage === undefined || i.stage === stage)
    .sort(byUrgency);
}

// --- Stage changes ------------------------------------------------------------------------------

export interface StageChange {
  allocationId: number;
  from: StoredStage | null;
  to: StoredStage;
  since: string;
  asOf: string;
  daysLate: number;
  feeYuan: number | null;
}

function changeOf(a: Assessed | Omit<Assessed, 'item'>, from: StoredStage | undefined, asOf: string): StageChange {
  return {
    allocationId: a.row.id,
    from: from ?? null,
    to: a.stage,
    since: a.since,
    asOf,
    daysLate: a.assessment.daysLate,
    feeYuan: a.assessment.feeFen === null ? null : fenToYuan(a.assessment.feeFen),
  };
}

/** Whether `stage` differs from the stored one (no stored row counts as on track). */
const differs = (stored: StoredStage | undefined, stage: StoredStage) => (stored ?? 'on_track') !== stage;

/**
 * Records the changed stages among these allocations, in the caller's transaction: the stored
 * rows are locked, the allocations assessed again on `asOf` (so a write that committed meanwhile
 * counts), and each real change written; returns the changes (record them with
 * recordStageChanges after the transaction's other rows, the audit head last).
 */
export async function restage(trx: Transaction<Database>, ids: readonly number[], asOf: string): Promise<StageChange[]> {
  if (ids.length === 0) return [];
  const locked = await lockStoredStages(trx, ids);
  const assessed = await assessAll(trx, { asOf, ids }, { kind: 'all' });
  const changes: StageChange[] = [];
  for (const a of assessed) {
    const from = locked.get(a.row.id);
    if (!differs(from, a.stage)) continue;
    if (await writeStage(trx, a.row.id, from, a.stage, a.since)) changes.push(changeOf(a, from, asOf));
  }
  return changes;
}

/** One audit event per stage change: `supervision.stage_changed`, before/after stage. */
export async function recordStageChanges(trx: Transaction<Database>, caller: Caller, changes: readonly StageChange[]): Promise<void> {
  for (const c of changes) {
    await recordEvent(trx, {
      caller,
      action: 'supervision.stage_changed',
      entity: 'allocation',
      entityId: c.allocationId,
      before: { stage: c.from },
      after: { stage: c.to, since: c.since, asOf: c.asOf, daysLate: c.daysLate, feeYuan: c.feeYuan },
    });
  }
}

/** The allocations whose assessed stage differs from the stored one (unlocked read: a hint for restage). */
export async function stagesToSync(db: Executor, assessed: readonly Assessed[]): Promise<number[]> {
  const stored = await storedStages(db, assessed.map((a) => a.row.id));
  return assessed.filter((a) => differs(stored.get(a.row.id), a.stage)).map((a) => a.row.id);
}
