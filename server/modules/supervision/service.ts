/**
 * Idle-land supervision (issue #15 §2, 《闲置土地处置办法》): the idle list, progress reports,
 * government delays (art. 8) and the officers' decisions (art. 14). Each command is
 * `(db, caller, input)` and owns its transaction; every write records its audit event, and
 * re-assesses the allocation's stage in the same transaction (a change is audited once, as
 * `supervision.stage_changed`). Rows are locked allocation → stored stage → audit head, the
 * order every writer here and in the allocations module keeps.
 *
 * The fee and the repossession are decisions an officer records with a document number; nothing
 * here decides them.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { callerUserId, type Caller } from '../../kernel/caller.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { idempotent, type IdempotentResult, type WriteOptions } from '../../kernel/idempotency.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { assertCanSeeDistrict, districtScope } from '../auth/scope.ts';
import { toScaledInteger, tryYuanToFen } from '../../../shared/money.ts';
import { idleFeeFen } from '../../../shared/policy/idle-land.ts';
import {
  SUPERVISION_STAGES,
  type AllocationSupervision,
  type Decision,
  type DecisionBody,
  type DecisionKind,
  type GovernmentDelay,
  type GovernmentDelayBody,
  type IdleList,
  type IdleQuery,
  type ProgressBody,
  type SupervisionStage,
} from '../../../shared/contract/supervision.ts';
import { assessAll, listOf, recordStageChanges, restage, stagesToSync } from './idle.ts';
import {
  decisionsOf,
  decisionView,
  delaysOf,
  delayView,
  districtOfAllocation,
  insertDecision,
  insertDelay,
  insertProgress,
  lockSupervisedAllocation,
  progressOf,
  progressView,
} from './repository.ts';

export { idleItems } from './idle.ts';

const both = (en: string, zh: string) => `${en} (${zh})`;

function checkDate(value: string, field: string, today: string, what: string): void {
  if (!isIsoDate(value)) throw badRequest(`${field} must be a date YYYY-MM-DD, got "${value}".`, { field });
  if (value > today) throw badRequest(`${field} ${value} is in the future; ${what} (日期不能晚于今天 ${today}).`, { field });
}

function wrongStatus(id: number, status: string, action: string, allowed: readonly string[]) {
  return new AppError(409, 'CONFLICT', `Allocation ${id} is ${status}; only a ${allowed.join(' or ')} allocation can ${action} (当前状态不允许此操作).`, {
    reason: 'INVALID_STATUS',
    status,
    allowed,
  });
}

// --- The idle list ------------------------------------------------------------------------------

/**
 * GET /api/supervision/idle. asOf defaults to today (Asia/Shanghai); judged on today, the
 * stages that changed since they were last recorded are written (one audit event each, in one
 * transaction); a past or future asOf only reads. District officers see their district; naming
 * another is 403.
 */
export async function listIdle(db: Kysely<Database>, caller: Caller, q: IdleQuery): Promise<IdleList> {
  const today = bureauToday();
  const asOf = q.asOf ?? today;
  if (!isIsoDate(asOf)) throw badRequest(`asOf must be a date YYYY-MM-DD, got "${asOf}".`, { field: 'asOf' });
  if (q.districtCode !== undefined) assertCanSeeDistrict(caller.user, q.districtCode);
  const assessed = await assessAll(db, { asOf, districtCode: q.districtCode, parkId: q.parkId }, districtScope(caller.user));
  if (asOf === today) {
    const ids = await stagesToSync(db, assessed);
    if (ids.length > 0) {
      await inTransaction(db, async (trx) => {
        await recordStageChanges(trx, caller, await restage(trx, ids, today));
      });
    }
  }
  return { items: listOf(assessed, q.stage), asOf };
}

/**
 * GET /api/allocations/:id/supervision — one allocation on a day: its stage (on_track included;
 * null when it is not contracted or completed), the idle item when it is listed, and its
 * progress, government delays and decisions. A read only.
 */
export async function readAllocationSupervision(db: Kysely<Database>, caller: Caller, input: { id: number; asOf?: string | undefined }): Promise<AllocationSupervision> {
  const asOf = input.asOf ?? bureauToday();
  if (!isIsoDate(asOf)) throw badRequest(`asOf must be a date YYYY-MM-DD, got "${asOf}".`, { field: 'asOf' });
  const { id } = input;
  await assertSeesAllocation(db, caller, id);
  const [assessed] = await assessAll(db, { asOf, ids: [id] }, { kind: 'all' });
  return {
    allocationId: id,
    asOf,
    stage: assessed?.stage ?? null,
    item: assessed?.item ?? null,
    progress: ((await progressOf(db, [id])).get(id) ?? []).map(progressView),
    governmentDelays: ((await delaysOf(db, [id])).get(id) ?? []).map(delayView),
    decisions: ((await decisionsOf(db, [id])).get(id) ?? []).map(decisionView),
  };
}

// --- Progress -----------------------------------------------------------------------------------

/** POST /api/allocations/:id/progress — 开发进度 of a contracted, started allocation. */
export async function recordProgress(db: Kysely<Database>, caller: Caller, input: { id: number; body: ProgressBody }, opts: WriteOptions = {}): Promise<IdempotentResult<ReturnType<typeof progressView>>> {
  const { id, body } = input;
  const userId = callerUserId(caller);
  const today = bureauToday();
  checkDate(body.on, 'on', today, 'record progress once it is measured');
  const area = toScaledInteger(body.developedAreaM2, 2);
  if (!area.ok || area.value < 0n) throw badRequest('developedAreaM2 must be an area in m² ≥ 0 with at most 2 decimals (已开发面积).', { field: 'developedAreaM2' });
  const invested = tryYuanToFen(body.investedYuan);
  if (!invested.ok || invested.fen < 0n) throw badRequest('investedYuan must be an amount in yuan ≥ 0 with at most 2 decimals (已完成投资).', { field: 'investedYuan' });
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/progress', request: { id, body } };
  return idempotent(db, scope, 201, async (trx) => {
    const a = await lockSupervisedAllocation(trx, id);
    if (!a) throw notFound(`Allocation ${id}`);
    if (a.status !== 'contracted') throw wrongStatus(id, a.status, 'be given progress', ['contracted']);
    if (a.started_on === null) {
      throw new AppError(409, 'CONFLICT', both(`Record the start of allocation ${id} before its progress`, '请先记录开工'), { reason: 'MILESTONE_ORDER', requires: 'started' });
    }
    if (body.on < a.started_on) throw badRequest(`on ${body.on} is before the start (${a.started_on}) (进度日期不能早于开工日期).`, { field: 'on' });
    const areaM2 = Number(a.area_m2);
    if (body.developedAreaM2 > areaM2) throw badRequest(`developedAreaM2 ${body.developedAreaM2} is more than the plot's area (${areaM2} m²) (已开发面积不能超过宗地面积).`, { field: 'developedAreaM2' });
    const progressId = await insertProgress(trx, { allocation_id: id, reported_on: body.on, developed_area_m2: body.developedAreaM2.toFixed(2), invested_fen: invested.fen, recorded_by: userId });
    const row = (await progressOf(trx, [id])).get(id)!.find((p) => p.id === progressId)!;
    const changes = await restage(trx, [id], today);
    const view = progressView(row);
    await recordEvent(trx, { caller, action: 'allocation.progress', entity: 'allocation', entityId: id, after: view });
    await recordStageChanges(trx, caller, changes);
    return view;
  });
}

/** GET /api/allocations/:id/progress — oldest first. */
export async function listProgress(db: Kysely<Database>, caller: Caller, id: number) {
  await assertSeesAllocation(db, caller, id);
  return { items: ((await progressOf(db, [id])).get(id) ?? []).map(progressView) };
}

async function assertSeesAllocation(db: Kysely<Database>, caller: Caller, id: number): Promise<void> {
  const district = await districtOfAllocation(db, id);
  if (district === undefined) throw notFound(`Allocation ${id}`);
  assertCanSeeDistrict(caller.user, district);
}

// --- Government delays --------------------------------------------------------------------------

/** POST /api/allocations/:id/government-delays — art. 8: moves the dates, never a fee. */
export async function recordGovernmentDelay(db: Kysely<Database>, caller: Caller, input: { id: number; body: GovernmentDelayBody }, opts: WriteOptions = {}): Promise<IdempotentResult<GovernmentDelay>> {
  const { id, body } = input;
  const userId = callerUserId(caller);
  const evidence = body.evidence.trim();
  if (!evidence) throw badRequest('evidence must not be empty: the document number or a description of the proof (证明材料).', { field: 'evidence' });
  const note = body.note?.trim() || null;
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/government-delays', request: { id, body } };
  return idempotent(db, scope, 201, async (trx) => {
    const a = await lockSupervisedAllocation(trx, id);
    if (!a) throw notFound(`Allocation ${id}`);
    if (a.status !== 'contracted' && a.status !== 'completed') throw wrongStatus(id, a.status, 'be given a government delay', ['contracted', 'completed']);
    const delayId = await insertDelay(trx, { allocation_id: id, cause: body.cause, days: body.days, evidence, note, recorded_by: userId });
    const row = (await delaysOf(trx, [id])).get(id)!.find((d) => d.id === delayId)!;
    const changes = await restage(trx, [id], bureauToday());
    const view = delayView(row);
    await recordEvent(trx, { caller, action: 'allocation.government_delay', entity: 'allocation', entityId: id, after: view });
    await recordStageChanges(trx, caller, changes);
    return view;
  });
}

/** GET /api/allocations/:id/government-delays — in the order recorded. */
export async function listGovernmentDelays(db: Kysely<Database>, caller: Caller, id: number): Promise<{ items: GovernmentDelay[] }> {
  await assertSeesAllocation(db, caller, id);
  return { items: ((await delaysOf(db, [id])).get(id) ?? []).map(delayView) };
}

// --- Decisions ----------------------------------------------------------------------------------

/** The stages at which each decision may be recorded (art. 14; 不予处置 at any red-line stage). */
export const DECISION_STAGES: Record<DecisionKind, readonly SupervisionStage[]> = {
  idle_fee: ['idle_fee', 'reclaim'],
  reclaim: ['reclaim'],
  no_action: SUPERVISION_STAGES,
};

const DECISION_WORDS: Record<DecisionKind, { zh: string; en: string }> = {
  idle_fee: { zh: '征缴土地闲置费', en: 'an idle-land fee' },
  reclaim: { zh: '无偿收回', en: 'repossession' },
  no_action: { zh: '不予处置', en: 'no action' },
};

const ONE_PER_KIND = 'supervision_decisions_one_per_kind';

function decisionRecorded(id: number, kind: DecisionKind) {
  const w = DECISION_WORDS[kind];
  return new AppError(409, 'CONFLICT', both(`A decision on ${w.en} is already recorded for allocation ${id}`, `该宗地已记录${w.zh}决定`), { reason: 'DECISION_RECORDED', kind });
}

/**
 * POST /api/supervision/decisions — recorded by an officer with its 决定文号, never automatic,
 * and only at a stage that allows it (409 STAGE_NOT_ALLOWED otherwise). The fee defaults to 20 %
 * of the price, to the fen.
 */
export async function recordDecision(db: Kysely<Database>, caller: Caller, body: DecisionBody, opts: WriteOptions = {}): Promise<IdempotentResult<Decision>> {
  const userId = callerUserId(caller);
  const today = bureauToday();
  const id = body.allocationId;
  checkDate(body.decidedOn, 'decidedOn', today, 'record a decision once it is made');
  const documentNo = body.documentNo.trim();
  if (!documentNo) throw badRequest('documentNo must not be empty: the decision’s document number (决定文号).', { field: 'documentNo' });
  let givenFee: bigint | null = null;
  if (body.feeYuan !== undefined) {
    if (body.kind !== 'idle_fee') throw badRequest(`feeYuan is only for an idle_fee decision, not ${body.kind} (仅征缴闲置费决定填写金额).`, { field: 'feeYuan' });
    const f = tryYuanToFen(body.feeYuan);
    if (!f.ok || f.fen < 0n) throw badRequest('feeYuan must be an amount in yuan ≥ 0 with at most 2 decimals.', { field: 'feeYuan' });
    givenFee = f.fen;
  }
  const note = body.note?.trim() || null;
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/supervision/decisions', request: { body } };
  try {
    return await idempotent(db, scope, 201, async (trx) => {
      const a = await lockSupervisedAllocation(trx, id);
      if (!a) throw notFound(`Allocation ${id}`);
      if (a.status !== 'contracted' && a.status !== 'completed') throw wrongStatus(id, a.status, 'be given a decision', ['contracted', 'completed']);
      const [assessed] = await assessAll(trx, { asOf: today, ids: [id] }, { kind: 'all' });
      const stage = assessed?.stage ?? 'on_track';
      const allowed = DECISION_STAGES[body.kind];
      if (!(allowed as readonly string[]).includes(stage)) {
        const w = DECISION_WORDS[body.kind];
        throw new AppError(409, 'CONFLICT', both(`Allocation ${id} is at stage ${stage} today; a decision on ${w.en} needs stage ${allowed.join(' or ')}`, `该宗地当前阶段不允许作出${w.zh}决定`), {
          reason: 'STAGE_NOT_ALLOWED',
          stage,
          allowed,
        });
      }
      if (body.kind !== 'no_action' && ((await decisionsOf(trx, [id])).get(id) ?? []).some((d) => d.kind === body.kind)) throw decisionRecorded(id, body.kind);
      // A stage that allows a decision was assessed, so `assessed` is there.
      const feeFen = body.kind === 'idle_fee' ? (givenFee ?? idleFeeFen(yuanFen(assessed!.row.price_yuan))) : null;
      const decisionId = await insertDecision(trx, { allocation_id: id, kind: body.kind, document_no: documentNo, decided_on: body.decidedOn, fee_fen: feeFen, note, decided_by: userId });
      const row = (await decisionsOf(trx, [id])).get(id)!.find((d) => d.id === decisionId)!;
      const changes = await restage(trx, [id], today);
      const view = decisionView(row);
      await recordEvent(trx, { caller, action: `supervision.decision.${body.kind}`, entity: 'allocation', entityId: id, before: { stage }, after: view });
      await recordStageChanges(trx, caller, changes);
      return view;
    });
  } catch (err) {
    const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
    if (e?.code === '23505' && (e.constraint === ONE_PER_KIND || String(e.message).includes(ONE_PER_KIND))) throw decisionRecorded(id, body.kind);
    throw err;
  }
}

const yuanFen = (yuan: string): bigint => {
  const r = tryYuanToFen(yuan);
  return r.ok ? r.fen : 0n;
};

