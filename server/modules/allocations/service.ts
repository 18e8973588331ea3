/**
 * Allocating plots to projects: propose → approve → contract → milestones, or cancel before
 * completion — under the annual quota (五(三)11) and the price floor (五(三)14), safe under
 * concurrency. Each command is `(db, caller, input)` and owns its transaction.
 *
 * Every write is one transaction (`idempotent` → `inTransaction`, retried on 40001/40P01) with an
 * audit event. Rows are locked in one order everywhere — allocation, plot, hold, quota year,
 * audit head — so concurrent writers queue instead of deadlocking. Approval:
 *
 *   lock the plot's open proposals in id order, this one among them (competing approvals queue
 *   on the first, and the winner closes the others as superseded without a deadlock) → the
 *   allocation (must be proposed; with four eyes on, not proposed by the approver) → the
 *   reference data in force (version ids read in
 *   the transaction) → lock the plot (available, or held for THIS applicant by USCC; an expired
 *   hold is released on the spot) → recompute the floor from the plot and the reference data
 *   now, and check the price (shared `priceFloor` / `checkSupplyPrice`, rent floors via
 *   `longTermLease` / `leaseThenTransfer`) → the decision record built, all but the quota
 *   figures → one statement: plot allocated, the plot's other open proposals cancelled as
 *   superseded by this one, this one approved with that decision and its agreement frozen, the
 *   view read and the plot checked to have no active allocation (which the plot's status already
 *   rules out) → one call (migration 032's `approval_charge`): the deferred invariants checked,
 *   the quota year locked, and when the area fits, the ledger charge with the year as locked
 *   (its trigger moves the cached totals under their CHECKs; the decision's `quota` is read from
 *   it), the audit head locked → `checkQuota` (shared) on the year as locked (refused: all
 *   rolled back) → one message: the approval's audit event, each supersession's event, the COMMIT.
 *
 * The quota year's row is the one lock every approval of a year shares (and the audit head the
 * one every write shares), so everything from locking it to the commit runs one approval at a
 * time: that is the call and one message (the events and the commit); every
 * read, check and write that does not need the year is done before, and a price below the floor
 * is refused before it is taken (when both fail, the floor is the answer).
 *
 * The database backs every rule up: the partial unique index `allocations_one_active_per_plot`
 * and the CHECKs on `quotas`. Should code ever let a violation through, the database refuses it
 * and the constraint table of kernel/errors.ts (`withConstraintErrors`) turns it into the same
 * 409 the check would have given — never a 500.
 *
 * The read model and the statements are in ./repository.ts, the floor for a set of terms in
 * ./floor.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AllocationMode, AllocationStatus, Database } from '../../kernel/db/schema.ts';
import type { MilestoneKind } from '../../../shared/contract/allocations.ts';
import { eventStatement, recordEvent } from '../../kernel/audit.ts';
import { gate } from '../../kernel/gate.ts';
import { commitWith } from '../../kernel/db/transaction.ts';
import { callerUserId, type Caller } from '../../kernel/caller.ts';
import { AppError, badRequest, notFound, withConstraintErrors } from '../../kernel/errors.ts';
import { districtScope, assertCanSeeDistrict } from '../auth/scope.ts';
import { PROJECT_SECTORS, type ProjectSector } from '../../../shared/domain.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { tryYuanToFen } from '../../../shared/money.ts';
import { checkQuota, greenChannel } from '../../../shared/policy/index.ts';
import { referenceInForce, type ReferenceSet } from '../reference/service.ts';
import { costNotRecorded, plotFloorBasis, policyFailure, type PlotFloorBasis } from '../quotes/service.ts';
import { lockQuota, muFigure, quotaNotSetToCharge } from '../quotas/service.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { conditionsOf } from '../plots/service.ts';
import { currentHold, endHold, lockPlot, setPlotStatus, unavailableMessage, type LockedPlot, type UnreleasedHold } from '../holds/service.ts';
import { idempotent, type IdempotentResult, type WriteOptions } from '../../kernel/idempotency.ts';
import { belowFloor, evaluateFloor, referenceSummary, termsOf } from './floor.ts';
import { floorBasisOf } from '../quotes/service.ts';
import { recordStageChanges, restage } from '../supervision/idle.ts';
import {
  ACTIVE,
  activeAllocationOf,
  allocatePlotForApproval,
  approvalCharge,
  chargeRecord,
  quotaFigures,
  getAllocation,
  holdInForce,
  insertAllocation,
  insertProject,
  lockAllocation,
  lockForApprovalWithPlot,
  markCancelled,
  markContracted,
  pageOfAllocations,
  reverseCharge,
  setMilestone,
  sharePlotForProposal,
  unreleasedHoldExists,
  upsertEnterprise,
  type AllocationFilters,
  type AllocationView,
  type DecisionRecord,
  type MilestoneChange,
} from './repository.ts';

export { evaluateFloor, referenceSummary, type FloorCheck, type FloorEvaluation, type Terms } from './floor.ts';
export { getAllocation, type AllocationFilters, type AllocationView, type DecisionRecord, type ProposedFloorRecord } from './repository.ts';

export { ALLOCATION_MODES, ALLOCATION_STATUSES, MILESTONE_KINDS, type MilestoneKind } from '../../../shared/contract/allocations.ts';

// --- Errors ---------------------------------------------------------------------------------------

const both = (en: string, zh: string) => `${en} (${zh})`;

function plotUnavailable(plot: { id: number; code: string; status: string }, m: { zh: string; en: string }, extra: Record<string, unknown> = {}) {
  return new AppError(409, 'PLOT_UNAVAILABLE', both(`${m.en}; it cannot be allocated to this project`, `${m.zh}，不能供应给本项目`), {
    plotId: plot.id,
    plotStatus: plot.status,
    messageZh: m.zh,
    messageEn: m.en,
    ...extra,
  });
}

function wrongStatus(id: number, status: AllocationStatus, action: string, allowed: readonly AllocationStatus[]) {
  return new AppError(409, 'CONFLICT', `Allocation ${id} is ${status}; only a ${allowed.join(' or ')} allocation can be ${action} (当前状态不允许此操作).`, {
    reason: 'INVALID_STATUS',
    status,
    allowed,
  });
}

function supersededError(id: number, winner: number) {
  const zh = `申请 #${id} 已被 #${winner} 取代（同一地块已批准给 #${winner}），不能再批准`;
  const en = `Allocation ${id} was superseded by allocation #${winner}, approved for the same plot; it can no longer be approved`;
  return new AppError(409, 'SUPERSEDED', both(en, zh), { reason: 'SUPERSEDED', status: 'cancelled', supersededBy: winner, messageZh: zh, messageEn: en });
}

function fourEyesError(id: number) {
  const zh = `四眼原则：申请 #${id} 由您提出，须由另一名土地管理人员批准`;
  const en = `Four eyes: you proposed allocation ${id}, so another land officer must approve it`;
  return new AppError(409, 'FOUR_EYES', both(en, zh), { reason: 'FOUR_EYES', messageZh: zh, messageEn: en });
}

// --- Reading ------------------------------------------------------------------------------------------

/** GET /api/allocations: a page the caller may see (a district officer: their district only). */
export async function listAllocations(db: Kysely<Database>, caller: Caller, f: AllocationFilters) {
  return pageOfAllocations(db, f, districtScope(caller.user));
}

/** GET /api/allocations/:id: 404 when there is none, 403 outside the caller's district. */
export async function readAllocation(db: Kysely<Database>, caller: Caller, id: number): Promise<AllocationView> {
  const a = await getAllocation(db, id);
  if (!a) throw notFound(`Allocation ${id}`);
  assertCanSeeDistrict(caller.user, a.districtCode);
  return a;
}

// --- Writes -----------------------------------------------------------------------------------------

export interface ProposeInput {
  plotId: number;
  quotaYear: number;
  mode: AllocationMode;
  termYears: number;
  leaseYears?: number | undefined;
  priceYuan: number;
  annualRentYuan?: number | undefined;
  project: {
    name: string;
    enterprise: { name: string; uscc: string };
    sector: ProjectSector;
    iab: boolean;
    subSector?: string | undefined;
    plannedInvestmentYuan?: number | undefined;
    keyProject?: boolean | undefined;
  };
}

/** Checks that need no database: the project, its enterprise and the money fields. */
function validateProposal(input: ProposeInput): { uscc: string } {
  const p = input.project;
  if (!(PROJECT_SECTORS as readonly string[]).includes(p.sector)) throw badRequest(`project.sector must be one of ${PROJECT_SECTORS.join(', ')}.`, { field: 'project.sector' });
  if (p.iab !== (p.sector !== 'other')) {
    throw badRequest(
      p.iab
        ? `project.iab is true but sector is "other": an IAB project's sector is ngit, ai or biomed (IAB项目的行业须为新一代信息技术、人工智能或生物医药).`
        : `project.iab is false but sector is "${p.sector}", an IAB sector: set iab to true, or sector to "other" for a non-IAB project (行业与IAB标识不一致).`,
      { field: 'project.iab' },
    );
  }
  if (p.keyProject && !p.iab) throw badRequest('project.keyProject marks a key IAB project (IAB重点项目); a non-IAB project cannot be one.', { field: 'project.keyProject' });
  if (!p.name.trim()) throw badRequest('project.name must not be empty (项目名称不能为空).', { field: 'project.name' });
  if (!p.enterprise.name.trim()) throw badRequest('project.enterprise.name must not be empty (企业名称不能为空).', { field: 'project.enterprise.name' });
  const uscc = validateUscc(p.enterprise.uscc);
  if (!uscc.ok) {
    throw badRequest(`project.enterprise.uscc: ${uscc.messageEn} (${uscc.messageZh}).`, { field: 'project.enterprise.uscc', reason: uscc.reason, messageZh: uscc.messageZh, messageEn: uscc.messageEn });
  }
  if (p.plannedInvestmentYuan !== undefined) {
    const fen = tryYuanToFen(p.plannedInvestmentYuan);
    if (!fen.ok || fen.fen < 0n) throw badRequest('project.plannedInvestmentYuan must be an amount in yuan ≥ 0 with at most 2 decimals.', { field: 'project.plannedInvestmentYuan' });
  }
  return { uscc: uscc.normalized };
}

const yuanText = (v: number | string) => {
  const r = tryYuanToFen(v);
  if (!r.ok) throw badRequest(`Amount ${String(v)} must be in yuan with at most 2 decimals.`);
  return (Number(r.fen) / 100).toFixed(2);
};

/** POST /api/allocations: a proposal, its price checked against the floor in force today. */
export async function proposeAllocation(db: Kysely<Database>, caller: Caller, input: ProposeInput, opts: WriteOptions = {}): Promise<IdempotentResult<AllocationView>> {
  const scope = { key: opts.idempotencyKey, userId: callerUserId(caller), route: 'POST /api/allocations', request: input };
  return idempotent(db, scope, 201, (trx) => proposeAllocationIn(trx, caller, input));
}

/**
 * The proposal inside the caller's transaction — also how an investor's interest becomes a
 * proposal in one transaction (../interests/service.ts). The database's refusals come back as
 * the answers of the constraint table (kernel/errors.ts).
 */
export async function proposeAllocationIn(trx: Transaction<Database>, caller: Caller, input: ProposeInput): Promise<AllocationView> {
  const userId = callerUserId(caller);
  const { uscc } = validateProposal(input);
  return withConstraintErrors(async () => {
    const plot = await sharePlotForProposal(trx, input.plotId);
    if (!plot) throw badRequest(`plotId ${input.plotId}: no such plot.`, { field: 'plotId' });
    // A plot already taken (or withdrawn, or held for someone else) cannot be proposed for.
    const active = await activeAllocationOf(trx, plot.id);
    const hold = await holdInForce(trx, plot.id, bureauToday());
    const heldForOther = hold && hold.applicant_uscc !== uscc;
    const legacyHeld = plot.status === 'held' && !hold && !(await unreleasedHoldExists(trx, plot.id));
    if (active || plot.status === 'allocated' || plot.status === 'withdrawn' || plot.status === 'retired' || heldForOther || legacyHeld) {
      const h: UnreleasedHold | null = hold ? { id: hold.id, applicantName: hold.applicant_name, applicantUscc: hold.applicant_uscc, heldUntil: hold.held_until } : null;
      throw plotUnavailable(plot, unavailableMessage({ code: plot.code, status: active ? 'allocated' : plot.status }, heldForOther ? h : null), active ? { allocationId: active.id } : {});
    }

    const ref = await referenceInForce(trx);
    const basis = await plotFloorBasis(trx, plot.id, ref);
    if (basis.costYuan === null) throw costNotRecorded(basis); // 五(三)14: no floor without C (nothing written yet)
    const ev = evaluateFloor(basis, ref.params, termsOf(input));
    if (!ev.ok) throw belowFloor(ev, ref, { when: 'propose' });

    const p = input.project;
    const enterpriseId = await upsertEnterprise(trx, { name: p.enterprise.name.trim(), uscc });
    const projectId = await insertProject(trx, {
      name: p.name.trim(),
      enterprise_id: enterpriseId,
      sector: p.sector,
      sub_sector: p.subSector?.trim() || null,
      iab: p.iab,
      planned_investment_yuan: p.plannedInvestmentYuan === undefined ? null : yuanText(p.plannedInvestmentYuan),
      key_project: p.keyProject ?? false,
      created_by: userId,
    });
    const proposedFloor = { ...ev, reference: referenceSummary(ref), basisAreaM2: basis.areaM2 };
    const id = await insertAllocation(trx, {
      plot_id: plot.id,
      project_id: projectId,
      quota_year: input.quotaYear,
      mode: input.mode,
      term_years: input.termYears,
      lease_years: input.leaseYears ?? null,
      price_yuan: yuanText(input.priceYuan),
      annual_rent_yuan: input.annualRentYuan === undefined ? null : yuanText(input.annualRentYuan),
      iab: p.iab,
      area_m2: basis.areaM2.toFixed(2),
      proposed_floor: JSON.stringify(proposedFloor),
      green_channel: greenChannel({ parkTier: plot.tier, keyProject: p.keyProject ?? false }).greenChannel,
      created_by: userId,
    });
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { caller, action: 'allocation.propose', entity: 'allocation', entityId: id, after: summary(view) });
    return view;
  });
}

/** What the audit trail keeps of an allocation (no bulky records). */
function summary(v: AllocationView) {
  const { proposedFloor: _p, decision: _d, ...rest } = v;
  return rest;
}

/**
 * POST /api/allocations/:id/approve — see the module comment for the order of locks and checks.
 * `approvalFourEyes` is the server's setting (APPROVAL_FOUR_EYES).
 */
/**
 * The reference set in force for an approval, from the version ids its plot statement read
 * (`lockPlotForApproval`): the set last loaded for the same day and ids, else `referenceInForce`
 * (which reads the ids again and loads the rows). Versions are immutable (a trigger refuses
 * UPDATE and DELETE), so the same ids always mean the same figures.
 */
let approvalRefCache: { key: string; ref: ReferenceSet } | undefined;
const referenceKey = (asOf: string, ids: { kind: string; id: number }[]) =>
  `${asOf}|${[...ids].sort((x, y) => (x.kind < y.kind ? -1 : x.kind > y.kind ? 1 : 0)).map((r) => `${r.kind}=${r.id}`).join(',')}`;
async function approvalReference(trx: Transaction<Database>, asOf: string, ids: { kind: string; id: number }[]): Promise<ReferenceSet> {
  const key = referenceKey(asOf, ids);
  if (approvalRefCache?.key === key) return approvalRefCache.ref;
  const ref = await referenceInForce(trx);
  if (referenceKey(ref.asOf, Object.entries(ref.versions).map(([kind, v]) => ({ kind, id: v.id }))) === key) approvalRefCache = { key, ref };
  return ref;
}

/**
 * Approvals in the database at once, from this process. Approvals of one year queue on its row
 * until each commits; more of them in the database at once only adds backends competing for the
 * CPU with the one holding the lock (bench:approvals, 16 clients: the same rate with 4, and the
 * lock held for less time). The rest wait here, in order, without a connection.
 */
const approvals = gate(4);

export async function approveAllocation(
  db: Kysely<Database>,
  caller: Caller,
  input: { id: number; approvalFourEyes: boolean },
  opts: WriteOptions = {},
): Promise<IdempotentResult<AllocationView>> {
  const { id } = input;
  const userId = callerUserId(caller);
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/approve', request: { id } };
  return approvals(() => withConstraintErrors(() => idempotent(db, scope, 200, async (trx) => {
    // 0. The plot's open proposals, in id order (approvals of competing proposals queue here),
    //    then the allocation: one call.
    //    With them, in the same call: the plot's lock, its floor facts and the reference
    //    versions in force (the reference data is reloaded only when a version changed).
    const asOf = bureauToday();
    const locked = await lockForApprovalWithPlot(trx, id, asOf);
    if (!locked) throw notFound(`Allocation ${id}`);
    const { allocation: a, plot: p } = locked;
    if (a.status === 'cancelled' && a.superseded_by !== null) throw supersededError(id, a.superseded_by);
    if (a.status !== 'proposed') throw wrongStatus(id, a.status, 'approved', ['proposed']);
    if (input.approvalFourEyes && a.created_by === userId) throw fourEyesError(id);
    const ref = await approvalReference(trx, asOf, p.reference_versions);

    // 1. The plot: available, or held for this very applicant (holds exist only on held plots).
    const plot: LockedPlot = { id: p.id, code: p.code, status: p.status, areaM2: p.area_m2, districtCode: p.district_code };
    const hold = plot.status === 'held' ? await currentHold(trx, caller, plot) : null;
    const ownHold = hold !== null && hold.applicantUscc === a.uscc;
    if (!(plot.status === 'available' || (plot.status === 'held' && ownHold)) || (hold && !ownHold)) {
      throw plotUnavailable(plot, unavailableMessage(plot, hold));
    }

    // 2. The floor from the plot as it is and the reference data in force now. A price below it
    //    is refused here, before the year's row is locked: the hot lock is kept for charges.
    const basis = floorBasisOf(p, ref);
    if (basis.costYuan === null) throw costNotRecorded(basis); // 五(三)14: no floor without C (nothing written yet)
    const terms = termsOf({ mode: a.mode, termYears: a.term_years, leaseYears: a.lease_years, priceYuan: a.price_yuan, annualRentYuan: a.annual_rent_yuan }, a.iab);
    const ev = evaluateFloor(basis, ref.params, terms);
    const proposed = a.proposed_floor as { floorYuan: number; reference?: { versions: Record<string, { id: number }> } };
    if (!ev.ok) throw belowFloor(ev, ref, { when: 'approve', proposedFloorYuan: proposed.floorYuan });

    // 3. The decision record, all but the year's figures, before the year's lock.
    const user = caller.user!;
    const approvedAt = new Date().toISOString();
    const decision: Omit<DecisionRecord, 'quota'> & { quota: DecisionRecord['quota'] | null } = {
      approvedAt,
      approvedBy: { userId: user.id, username: user.username, displayName: user.displayName, role: user.role },
      areaM2: basis.areaM2,
      areaMu: muFigure(plot.areaM2),
      floor: ev,
      inputs: {
        ...basisInputs(plot, basis), nationalMinimumVerified: basis.nationalMinimumVerified,
        provincialMinYuanPerM2: basis.provincialMinYuanPerM2, provincialMinimumVerified: basis.provincialMinimumVerified,
        gradeVerified: basis.gradeVerified, gradeAssumption: basis.gradeAssumption, plotSample: basis.plotSample,
        iab: a.iab, mode: a.mode, termYears: a.term_years, leaseYears: a.lease_years,
        priceYuan: Number(a.price_yuan), annualRentYuan: a.annual_rent_yuan === null ? null : Number(a.annual_rent_yuan),
      },
      reference: {
        ...referenceSummary(ref),
        parameters: {
          iabFloorFactorBp: ref.params.iabFloorFactorBp, nonIabFloorFactorBp: ref.params.nonIabFloorFactorBp,
          capitalizationRateBp: ref.params.capitalizationRateBp, rentFloorShareBp: ref.params.rentFloorShareBp,
          statutoryMaxTermYears: ref.params.statutoryMaxTermYears, longTermLeaseMinYears: ref.params.longTermLeaseMinYears,
          longTermLeaseMaxYears: ref.params.longTermLeaseMaxYears, nationalMinimum56Enabled: ref.params.nationalMinimum56Enabled,
          annualQuotaMinimumMu: ref.params.annualQuotaMinimumMu,
        },
      },
      quota: null, // the year's figures, once it is locked (step 5)
      proposal: { floorYuan: proposed.floorYuan, referenceVersions: proposed.reference?.versions ?? null, floorChanged: proposed.floorYuan !== ev.floorYuan },
      hold: hold && ownHold ? { id: hold.id, applicantUscc: hold.applicantUscc, heldUntil: hold.heldUntil, released: 'allocated' } : null,
    };

    // 4. The plot is ours (we hold its lock): end the holder's hold; one statement allocates it,
    //    closes its other open proposals (locked in step 0) as superseded by this one, approves
    //    this one with its decision (the year's figures stay with the charge: step 5) and
    //    freezes its agreement, and reads the view and any active allocation of the plot.
    if (hold && ownHold) await endHold(trx, hold.id, 'allocated', userId);
    const { before, superseded, otherActiveId, plotConditions } = await allocatePlotForApproval(trx, plot.id, id, userId, { areaM2: plot.areaM2, approvedAt, decision });
    // An active allocation beside an available or held plot cannot be committed (migration 009's
    // deferred trigger); checked all the same, in the same statement (the transaction then rolls
    // the statement back with the rest).
    if (otherActiveId !== null) throw plotUnavailable(plot, unavailableMessage({ code: plot.code, status: 'allocated' }, null), { allocationId: otherActiveId });

    // 5. The serialized part: approvals of one year queue on its row, and every write on the
    //    audit head, until the commit. One call (migration 032's approval_charge) locks the year,
    //    charges it when the area fits (the ledger's trigger moves the totals under their CHECKs)
    //    (keeping the year as locked with the charge: the decision's figures) and locks the audit
    //    head; one message then records the events and commits.
    //    The rule is still `checkQuota` (shared) on the year as locked: when it refuses, the
    //    transaction rolls back whatever the call did.
    const charge = await approvalCharge(trx, { id, quotaYear: a.quota_year, areaM2: plot.areaM2, iab: a.iab, userId });
    if (!charge.quotaFound) throw quotaNotSetToCharge(a.quota_year);
    const q = charge.quota;
    const quota = checkQuota(
      { quotaM2: q.quota_m2, iabReserveM2: q.iab_reserve_m2, approvedM2: q.approved_m2, iabApprovedM2: q.iab_approved_m2 },
      { areaM2: plot.areaM2, iab: a.iab },
    );
    if (!quota.ok) {
      if (quota.code === 'VALIDATION_FAILED') throw policyFailure(quota);
      throw new AppError(409, 'QUOTA_EXCEEDED', both(quota.messageEn, quota.messageZh), {
        year: a.quota_year,
        remainingM2: quota.remainingM2,
        availableM2: quota.availableM2,
        requestedM2: quota.requestedM2,
        iabReserveM2: quota.iabReserveM2,
        availableToNonIabM2: quota.availableToNonIabM2,
        remainingMu: muFigure(quota.remainingM2),
        availableMu: muFigure(quota.availableM2),
        requestedMu: muFigure(quota.requestedM2),
        iab: a.iab,
        messageZh: quota.messageZh,
        messageEn: quota.messageEn,
      });
    }
    // The function's test is checkQuota's; should they ever differ, nothing is approved.
    if (!charge.charged) throw new Error(`approval_charge did not charge allocation ${id} although checkQuota accepts it: the two quota tests differ`);
    // The year's figures, as the charge keeps them (`chargeRecord`: the read model gives the same).
    decision.quota = chargeRecord({ year: a.quota_year, ledgerEntryId: charge.ledgerEntryId, before: q, areaM2: plot.areaM2, iab: a.iab }, quota);

    // What a re-read would give, without a re-read under the lock.
    const view: AllocationView = {
      ...before,
      status: 'approved',
      waitingDays: null,
      plotStatus: 'allocated',
      areaM2: basis.areaM2,
      areaMu: decision.areaMu as number,
      floorYuan: ev.floorYuan,
      binding: ev.binding,
      approvedBy: user.username,
      approvedAt,
      updatedAt: approvedAt,
      // The 监管协议: the plot's conditions, frozen by the approval's statement (no dates before the contract).
      agreement: { conditions: conditionsOf(plotConditions), frozenAt: approvedAt, agreedHandoverOn: null, agreedStartOn: null, agreedCompletionOn: null },
      decision: decision as DecisionRecord,
    };
    // The allocation approved with its decision, the approval's event, the superseded
    // proposals' events, and the commit: one message, so the year's lock is released without
    // another trip through the event loop (server/kernel/db/transaction.ts commitWith).
    const events = [
      eventStatement(
        charge.auditHead,
        { caller, action: 'allocation.approve', entity: 'allocation', entityId: id, before: { status: 'proposed', plotStatus: hold ? 'held' : 'available' }, after: { ...summary(view), decision } },
      ),
    ];
    for (const s of superseded.sort((x, y) => x.id - y.id)) {
      events.push(eventStatement(events.at(-1)!.head, { caller, action: 'allocation.supersede', entity: 'allocation', entityId: s.id, before: { status: 'proposed' }, after: { status: 'cancelled', cancelReason: 'superseded', supersededBy: id, plotId: plot.id } }));
    }
    await commitWith(trx, events.map((e) => e.query));
    return view;
  }, { bodyCommits: true })));
}

export { quotaFigures }; // for the sample allocations

/** The plot's facts a decision record's `inputs` start with (also for the sample allocations). */
export function basisInputs(plot: { id: number; code: string }, basis: PlotFloorBasis) {
  return {
    plotId: plot.id, plotCode: plot.code, districtCode: basis.districtCode, areaM2: basis.areaM2, landLevel: basis.landLevel, landGrade: basis.landGrade,
    benchmarkYuanPerM2: basis.benchmarkYuanPerM2, benchmarkSample: basis.benchmarkSample, costYuan: basis.costYuan,
    nationalMinYuanPerM2: basis.nationalMinYuanPerM2,
  };
}

/**
 * POST /api/allocations/:id/cancel — before completion. An approved or contracted allocation
 * gives its plot back (available) and its area back to the same year, by a reversing ledger
 * entry that mirrors the charge (history is never rewritten).
 */
export async function cancelAllocation(db: Kysely<Database>, caller: Caller, input: { id: number; reason?: string | undefined }, opts: WriteOptions = {}): Promise<IdempotentResult<AllocationView>> {
  const { id } = input;
  const body = { reason: input.reason };
  const userId = callerUserId(caller);
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/cancel', request: { id, body } };
  return withConstraintErrors(() => idempotent(db, scope, 200, async (trx) => {
    const a = await lockAllocation(trx, id);
    if (a.status === 'completed' || a.status === 'cancelled') throw wrongStatus(id, a.status, 'cancelled', ['proposed', 'approved', 'contracted']);
    const before = summary((await getAllocation(trx, id))!);
    let reversal: { ledgerEntryId: number; areaM2: number } | null = null;
    if (ACTIVE.includes(a.status)) {
      const plot = (await lockPlot(trx, a.plot_id))!;
      await lockQuota(trx, a.quota_year);
      reversal = await reverseCharge(trx, id, userId);
      if (plot.status === 'allocated') await setPlotStatus(trx, plot.id, 'available');
    }
    await markCancelled(trx, id, userId, body.reason?.trim() || null);
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { caller, action: 'allocation.cancel', entity: 'allocation', entityId: id, before, after: { ...summary(view), reversal } });
    return view;
  }));
}

export interface ContractInput {
  contractNo: string;
  supervisionNo: string;
  signedOn: string;
  agreedHandoverOn: string;
  agreedStartOn: string;
  agreedCompletionOn: string;
}

/** POST /api/allocations/:id/contract — the signed contract (出让合同) of an approved allocation. */
export async function contractAllocation(db: Kysely<Database>, caller: Caller, input: { id: number; contract: ContractInput }, opts: WriteOptions = {}): Promise<IdempotentResult<AllocationView>> {
  const { id, contract } = input;
  const userId = callerUserId(caller);
  const dates = [['signedOn', '签订日期'], ['agreedHandoverOn', '约定交地时间'], ['agreedStartOn', '约定开工时间'], ['agreedCompletionOn', '约定竣工时间']] as const;
  for (const [field] of dates) {
    if (!isIsoDate(contract[field])) throw badRequest(`${field} must be a date YYYY-MM-DD, got "${contract[field]}".`, { field });
  }
  for (let i = 1; i < dates.length; i++) {
    const [prev, prevZh] = dates[i - 1]!;
    const [cur, curZh] = dates[i]!;
    if (contract[cur] < contract[prev]) throw badRequest(`${cur} (${contract[cur]}) must not be before ${prev} (${contract[prev]}) (${curZh}不能早于${prevZh}).`, { field: cur });
  }
  const today = bureauToday();
  if (contract.signedOn > today) throw badRequest(`signedOn ${contract.signedOn} is in the future; record a contract once it is signed (签订日期不能晚于今天 ${today}).`, { field: 'signedOn' });
  const contractNo = contract.contractNo.trim();
  const supervisionNo = contract.supervisionNo.trim().toUpperCase();
  if (!contractNo) throw badRequest('contractNo must not be empty (出让合同编号不能为空).', { field: 'contractNo' });
  if (!/^[0-9A-Z-]{6,40}$/.test(supervisionNo)) throw badRequest('supervisionNo (电子监管号) must be 6–40 letters, digits or hyphens.', { field: 'supervisionNo' });
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/contract', request: { id, input: contract } };
  return withConstraintErrors(() => idempotent(db, scope, 200, async (trx) => {
    const a = await lockAllocation(trx, id);
    if (a.status !== 'approved') throw wrongStatus(id, a.status, 'contracted', ['approved']);
    await markContracted(trx, id, {
      contract_no: contractNo, supervision_no: supervisionNo, signed_on: contract.signedOn,
      agreed_handover_on: contract.agreedHandoverOn, agreed_start_on: contract.agreedStartOn, agreed_completion_on: contract.agreedCompletionOn,
    });
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { caller, action: 'allocation.contract', entity: 'allocation', entityId: id, before: { status: 'approved' }, after: summary(view) });
    return view;
  }));
}

const MILESTONE_COLUMN = { handed_over: 'handed_over_on', started: 'started_on', completed: 'completed_on', production: 'production_on', full_production: 'full_production_on' } as const;
const MILESTONE_WORDS = {
  handed_over: { zh: '交地', en: 'hand-over' },
  started: { zh: '开工', en: 'start' },
  completed: { zh: '竣工', en: 'completion' },
  production: { zh: '投产', en: 'start of production' },
  full_production: { zh: '达产', en: 'full production' },
} as const;
/** The milestone each one follows (null: the contract signing), and the status it is recorded in. */
const MILESTONE_AFTER = { handed_over: null, started: 'handed_over', completed: 'started', production: 'completed', full_production: 'production' } as const;
const MILESTONE_STATUS = { handed_over: 'contracted', started: 'contracted', completed: 'contracted', production: 'completed', full_production: 'completed' } as const;

/**
 * POST /api/allocations/:id/milestones — hand-over (交地), start (开工), completion (竣工) of a
 * contracted allocation, then 投产 and 达产 of the completed one: each once, in order, not in the
 * future; completion completes it. The idle-land stage is re-assessed in the same transaction.
 */
export async function recordMilestone(db: Kysely<Database>, caller: Caller, input: { id: number; milestone: { kind: MilestoneKind; date: string } }, opts: WriteOptions = {}): Promise<IdempotentResult<AllocationView>> {
  const { id, milestone } = input;
  const userId = callerUserId(caller);
  if (!isIsoDate(milestone.date)) throw badRequest(`date must be a date YYYY-MM-DD, got "${milestone.date}".`, { field: 'date' });
  const today = bureauToday();
  if (milestone.date > today) throw badRequest(`date ${milestone.date} is in the future; record a milestone when it has happened (日期不能晚于今天 ${today}).`, { field: 'date' });
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/milestones', request: { id, input: milestone } };
  return withConstraintErrors(() => idempotent(db, scope, 200, async (trx) => {
    const a = await lockAllocation(trx, id);
    const status = MILESTONE_STATUS[milestone.kind];
    if (a.status !== status) throw wrongStatus(id, a.status, 'given this milestone', [status]);
    const word = MILESTONE_WORDS[milestone.kind];
    const column = MILESTONE_COLUMN[milestone.kind];
    if (a[column] !== null) {
      throw new AppError(409, 'CONFLICT', `The ${word.en} of allocation ${id} is already recorded (${a[column]}) (${word.zh}日期已记录).`, { reason: 'MILESTONE_RECORDED', kind: milestone.kind, date: a[column] });
    }
    const previous = MILESTONE_AFTER[milestone.kind];
    const floorDate = previous ? a[MILESTONE_COLUMN[previous]] : a.signed_on;
    if (previous && floorDate === null) {
      const p = MILESTONE_WORDS[previous];
      throw new AppError(409, 'CONFLICT', `Record the ${p.en} before the ${word.en} (请先记录${p.zh}).`, { reason: 'MILESTONE_ORDER', requires: previous });
    }
    if (floorDate !== null && milestone.date < floorDate) {
      throw badRequest(`The ${word.en} date ${milestone.date} is before ${previous ? `the ${MILESTONE_WORDS[previous].en} (${floorDate})` : `the contract signing (${floorDate})`} (${word.zh}日期不能早于前一节点).`, { field: 'date' });
    }
    const change: MilestoneChange = milestone.kind === 'completed' ? { completed_on: milestone.date, status: 'completed' as const } : ({ [column]: milestone.date } as MilestoneChange);
    await setMilestone(trx, id, change);
    const stageChanges = await restage(trx, [id], today);
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { caller, action: `allocation.milestone.${milestone.kind}`, entity: 'allocation', entityId: id, before: { status: a.status, [column]: null }, after: summary(view) });
    await recordStageChanges(trx, caller, stageChanges);
    return view;
  }));
}
