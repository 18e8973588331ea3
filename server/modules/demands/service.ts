/**
 * Project land demand (随用随供, 五(三)11; issue #16 §4; shared/contract/demands.ts): the bureau
 * records a project's land need — directly or from an investor's interest — ranks the plots for
 * it (the siting engine, as the calling bureau user), and holds a plot or proposes an allocation
 * for it in one step, reusing holds and proposals inside its own transaction, as the interests
 * module does (../interests/service.ts convertToHold/convertToProposal).
 *
 * Who sees what: the bureau (admin, land officer; industry officers read) every demand; a
 * district officer those whose `district_codes` (the districts asked for, plus the matched
 * plot's) contain theirs, read-only; 404 for no such demand, 403 outside their district.
 *
 * Every write is one transaction with its audit event (demand.created, demand.updated,
 * demand.closed, demand.held, demand.proposed). Locks: the demand first, then what the hold or
 * the proposal locks in their fixed order (plot, hold, …).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { checkRequirements } from '../../../shared/siting-query.ts';
import type { DemandRequirements, SitingRankResponse, SitingRequirements } from '../../../shared/contract/siting.ts';
import type { CreateDemandBody, Demand, DemandHoldBody, DemandProposeBody, DemandRankBody, DemandsQuery, PatchDemandBody } from '../../../shared/contract/demands.ts';
import { forbidden } from '../auth/access.ts';
import { districtScope, isCityWide } from '../auth/scope.ts';
import { interestForBureau } from '../interests/service.ts';
import { createHoldIn, type HoldView } from '../holds/service.ts';
import { proposeAllocationIn, type AllocationView } from '../allocations/service.ts';
import { rankPlots } from '../siting/service.ts';
import * as repo from './repository.ts';
import type { DemandValues } from './repository.ts';

export { demandOverview } from './overview.ts';

// --- Reading ---------------------------------------------------------------------------------------

/** GET /api/demands: within the caller's district scope. */
export function listDemands(db: Kysely<Database>, caller: Caller, q: DemandsQuery) {
  return repo.listDemands(db, { status: q.status, sector: q.sector, districtCode: q.districtCode, sort: q.sort ?? 'newest', limit: q.limit ?? 100, offset: q.offset ?? 0 }, districtScope(caller.user));
}

/** 403 unless the caller sees every district, or is the district officer of one the demand concerns. */
function assertCanSeeDemand(caller: Caller, d: { id: number; districtCodes: string[] }): void {
  const user = caller.user;
  if (isCityWide(user)) return;
  if (user?.role === 'district_officer' && user.districtCode && d.districtCodes.includes(user.districtCode)) return;
  const where = user?.role === 'district_officer' ? `your district is ${user.districtCode}` : `your role (${user?.role ?? 'none'}) has no district detail`;
  throw forbidden(`Demand ${d.id} concerns ${d.districtCodes.join(', ') || 'no district in particular'}; ${where} (该用地需求不属于您的辖区).`, 'OUT_OF_SCOPE');
}

/** GET /api/demands/:id: 404 when there is none, 403 outside a district officer's district. */
export async function readDemand(db: Kysely<Database>, caller: Caller, id: number): Promise<Demand> {
  const row = await repo.getDemandRow(db, id);
  if (!row) throw notFound(`Demand ${id}`);
  const view = repo.toDemandView(row);
  assertCanSeeDemand(caller, view);
  return view;
}

// --- Checks ------------------------------------------------------------------------------------------

function checkedRequirements(r: DemandRequirements): DemandRequirements {
  const problem = checkRequirements(r);
  if (problem) {
    throw badRequest(`requirements.${problem.field}: ${problem.messageEn} (${problem.messageZh}).`, { field: `requirements.${problem.field}`, messageZh: problem.messageZh, messageEn: problem.messageEn });
  }
  return r;
}

function checkedNeededBy(s: string): string {
  if (!isIsoDate(s)) throw badRequest(`neededBy must be a real date YYYY-MM-DD, got "${s}" (需用地日期格式不正确).`, { field: 'neededBy' });
  return s;
}

function checkedEnterprise(e: { name: string; uscc?: string | null | undefined }): { name: string; uscc: string | null } {
  const name = e.name.trim();
  if (!name) throw badRequest('enterprise.name must not be empty (企业名称不能为空).', { field: 'enterprise.name' });
  const raw = e.uscc?.trim() ?? '';
  if (!raw) return { name, uscc: null };
  const u = validateUscc(raw);
  if (!u.ok) throw badRequest(`enterprise.uscc: ${u.messageEn} (${u.messageZh}).`, { field: 'enterprise.uscc', reason: u.reason, messageZh: u.messageZh, messageEn: u.messageEn });
  return { name, uscc: u.normalized };
}

function checkedKeyProject(keyProject: boolean, sector: string): boolean {
  if (keyProject && sector === 'other') {
    throw badRequest('keyProject marks a key IAB project (IAB重点项目); a project of sector "other" cannot be one (非IAB项目不能标记为IAB重点项目).', { field: 'keyProject' });
  }
  return keyProject;
}

function checkedProjectName(s: string): string {
  const name = s.trim();
  if (!name) throw badRequest('projectName must not be empty (项目名称不能为空).', { field: 'projectName' });
  return name;
}

/** The districts a demand concerns: those it asks for, and its plot's. */
function districtsOf(requirements: DemandRequirements, plotDistrict: string | undefined): string[] {
  const set = new Set(requirements.districtCodes ?? []);
  if (plotDistrict) set.add(plotDistrict);
  return [...set].sort();
}

const DEMAND_EXISTS_INDEX = 'land_demands_one_per_interest';

/** The unique index's refusal (two demands from one interest at once) as the 409 the check gives. */
function isDuplicateInterest(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  return e?.code === '23505' && (e.constraint === DEMAND_EXISTS_INDEX || String(e.message ?? '').includes(DEMAND_EXISTS_INDEX));
}

const demandExists = (interestId: number, demandId: number | undefined) =>
  new AppError(409, 'CONFLICT', `Interest ${interestId} already has its demand${demandId ? ` (#${demandId})` : ''}; edit that one (该意向已登记用地需求).`, {
    reason: 'DEMAND_EXISTS',
    ...(demandId ? { demandId } : {}),
  });

async function viewIn(trx: Transaction<Database>, id: number): Promise<Demand> {
  return repo.toDemandView((await repo.getDemandRow(trx, id))!);
}

/** What the audit trail keeps of a demand: business fields, no note text beyond its length. */
function auditFields(d: Demand) {
  return {
    projectName: d.projectName,
    enterprise: d.enterprise,
    sector: d.sector,
    keyProject: d.keyProject,
    neededBy: d.neededBy,
    requirements: d.requirements,
    status: d.status,
    closeReason: d.closeReason,
    districtCodes: d.districtCodes,
    holdId: d.holdId,
    allocationId: d.allocationId,
    plotId: d.plotId,
    interestId: d.interestId,
  };
}

// --- Recording and editing -------------------------------------------------------------------------

/** POST /api/demands: recorded directly, or from an interest (its company and USCC by default). */
export async function createDemand(db: Kysely<Database>, caller: Caller, body: CreateDemandBody, opts: { sample?: boolean } = {}): Promise<Demand> {
  const projectName = checkedProjectName(body.projectName);
  const requirements = checkedRequirements(body.requirements);
  const neededBy = checkedNeededBy(body.neededBy);
  const keyProject = checkedKeyProject(body.keyProject ?? false, requirements.sector);
  let enterprise = body.enterprise ? checkedEnterprise(body.enterprise) : null;
  const interestId = body.interestId ?? null;
  if (interestId !== null) {
    const interest = await interestForBureau(db, caller, interestId);
    enterprise ??= { name: interest.company, uscc: interest.uscc };
  }
  if (!enterprise) throw badRequest('enterprise is required unless the demand is recorded from an interest (interestId) (请填写企业名称).', { field: 'enterprise' });
  const values: DemandValues = { projectName, enterprise, keyProject, neededBy, requirements, note: body.note?.trim() ?? '', districtCodes: districtsOf(requirements, undefined) };
  try {
    return await inTransaction(db, async (trx) => {
      if (interestId !== null) {
        const existing = await repo.demandOfInterest(trx, interestId);
        if (existing !== undefined) throw demandExists(interestId, existing);
      }
      const id = await repo.insertDemand(trx, { ...values, interestId, createdBy: caller.user?.id ?? null, sample: opts.sample });
      const view = await viewIn(trx, id);
      await recordEvent(trx, { caller, action: 'demand.created', entity: 'land_demand', entityId: id, after: { ...auditFields(view), source: view.source, sample: view.sample } });
      return view;
    });
  } catch (err) {
    if (interestId !== null && isDuplicateInterest(err)) throw demandExists(interestId, await repo.demandOfInterest(db, interestId));
    throw err;
  }
}

async function lockedView(trx: Transaction<Database>, id: number) {
  const stored = await repo.lockDemand(trx, id);
  if (!stored) throw notFound(`Demand ${id}`);
  return { stored, view: await viewIn(trx, id) };
}

/** What a patch does to the stored status, checked before anything is written; null: nothing. */
function statusChange(
  before: Demand,
  stored: { status: string; hold_id: number | null; allocation_id: number | null },
  patch: PatchDemandBody,
): { to: 'open' | 'matched' | 'closed'; closeReason: string | null } | null {
  const reason = patch.closeReason?.trim();
  if (patch.closeReason !== undefined && !reason) throw badRequest('closeReason must not be empty (关闭原因不能为空).', { field: 'closeReason' });
  if (patch.status === 'closed') {
    if (!reason) throw badRequest('Closing a demand needs a reason: closeReason (关闭用地需求须说明原因).', { field: 'closeReason' });
    if (before.status === 'satisfied') {
      throw new AppError(409, 'CONFLICT', `Demand ${before.id} is satisfied: its allocation ${before.allocationId} is ${before.allocationStatus}; it cannot be closed (已供地的需求不能关闭).`, { reason: 'INVALID_STATUS' });
    }
    return { to: 'closed', closeReason: reason };
  }
  if (reason && (patch.status === 'open' || stored.status !== 'closed')) {
    throw badRequest('closeReason goes with status closed only (仅关闭时填写关闭原因).', { field: 'closeReason' });
  }
  // Reopened: matched again if its hold or proposal is still on record (the view reads whether it is in force), else open.
  if (patch.status === 'open' && stored.status === 'closed') return { to: stored.hold_id !== null || stored.allocation_id !== null ? 'matched' : 'open', closeReason: null };
  // A closed demand's reason edited.
  if (reason) return { to: 'closed', closeReason: reason };
  return null;
}

/** PATCH /api/demands/:id: edit; `status: closed` with a reason; `status: open` reopens. */
export function updateDemand(db: Kysely<Database>, caller: Caller, id: number, patch: PatchDemandBody): Promise<Demand> {
  return inTransaction(db, async (trx) => {
    const { stored, view: before } = await lockedView(trx, id);
    const requirements = patch.requirements !== undefined ? checkedRequirements(patch.requirements) : before.requirements;
    const linked = before.status === 'matched' || before.status === 'satisfied';
    let enterprise = before.enterprise;
    if (patch.enterprise !== undefined) {
      const given = checkedEnterprise({ name: patch.enterprise.name, uscc: patch.enterprise.uscc ?? before.enterprise.uscc });
      if (linked && (given.name !== before.enterprise.name || given.uscc !== before.enterprise.uscc)) {
        throw new AppError(409, 'CONFLICT', `Demand ${id} has a plot held or an allocation proposed for ${before.enterprise.name}; its enterprise cannot change now (已为该企业保留地块或提出供地方案，企业不能更改).`, { reason: 'DEMAND_MATCHED' });
      }
      enterprise = given;
    }
    const values: DemandValues = {
      projectName: patch.projectName !== undefined ? checkedProjectName(patch.projectName) : before.projectName,
      enterprise,
      keyProject: checkedKeyProject(patch.keyProject ?? before.keyProject, requirements.sector),
      neededBy: patch.neededBy !== undefined ? checkedNeededBy(patch.neededBy) : before.neededBy,
      requirements,
      note: patch.note !== undefined ? patch.note.trim() : before.note,
      districtCodes: districtsOf(requirements, before.plotId !== null ? await repo.plotDistrictCode(trx, before.plotId) : undefined),
    };
    const status = statusChange(before, stored, patch);
    await repo.updateDemandValues(trx, id, values);
    if (status) await repo.setDemandStatus(trx, id, status.to, status.closeReason);
    const action = status?.to === 'closed' && stored.status !== 'closed' ? 'demand.closed' : 'demand.updated';
    const after = await viewIn(trx, id);
    await recordEvent(trx, { caller, action, entity: 'land_demand', entityId: id, before: auditFields(before), after: auditFields(after) });
    return after;
  });
}

// --- Ranking, holding, proposing --------------------------------------------------------------------

/** POST /api/demands/:id/rank: the siting ranking for the demand's requirements, as the caller. */
export async function rankForDemand(db: Kysely<Database>, caller: Caller, id: number, body: DemandRankBody): Promise<SitingRankResponse> {
  const d = await readDemand(db, caller, id);
  const req: SitingRequirements = { ...d.requirements, limit: body.limit ?? 20 };
  if (body.weights !== undefined) req.weights = body.weights;
  const problem = checkRequirements(req);
  if (problem) throw badRequest(`${problem.field}: ${problem.messageEn} (${problem.messageZh}).`, { field: problem.field, messageZh: problem.messageZh, messageEn: problem.messageEn });
  return rankPlots(db, caller, req);
}

/** The demand, locked, if a plot may be held or proposed for it; what it may not is a 409 or 400. */
async function matchable(trx: Transaction<Database>, id: number, to: 'hold' | 'proposal') {
  const { stored, view } = await lockedView(trx, id);
  if (view.status === 'closed') {
    throw new AppError(409, 'CONFLICT', `Demand ${id} is closed (${view.closeReason}); reopen it before ${to === 'hold' ? 'holding a plot' : 'proposing an allocation'} for it (用地需求已关闭，请先重新打开).`, { reason: 'DEMAND_CLOSED' });
  }
  if (view.status === 'satisfied') {
    throw new AppError(409, 'CONFLICT', `Demand ${id} is satisfied: allocation ${view.allocationId} is ${view.allocationStatus} (该需求已供地).`, { reason: 'DEMAND_MATCHED', allocationId: view.allocationId });
  }
  if (view.allocationStatus === 'proposed') {
    throw new AppError(409, 'CONFLICT', `Demand ${id} already has allocation ${view.allocationId} proposed for plot ${view.plotCode} (已提出供地方案).`, { reason: 'DEMAND_MATCHED', allocationId: view.allocationId });
  }
  if (!view.enterprise.uscc) {
    throw badRequest(`Demand ${id} has no 统一社会信用代码 for ${view.enterprise.name}: add enterprise.uscc before ${to === 'hold' ? 'holding a plot' : 'proposing an allocation'} (请先补充企业统一社会信用代码).`, { field: 'enterprise.uscc' });
  }
  return { stored, view, uscc: view.enterprise.uscc };
}

/** POST /api/demands/:id/hold: holds the plot for the demand's enterprise; the demand is matched. */
export function holdForDemand(db: Kysely<Database>, caller: Caller, id: number, body: DemandHoldBody): Promise<{ demand: Demand; hold: HoldView }> {
  return inTransaction(db, async (trx) => {
    const { view: before, uscc } = await matchable(trx, id, 'hold');
    const holding = await heldNow(trx, before);
    if (holding) {
      throw new AppError(409, 'CONFLICT', `Demand ${id} already holds plot ${before.plotCode} (hold ${before.holdId}); release it before holding another (该需求已保留地块).`, { reason: 'DEMAND_MATCHED', holdId: before.holdId });
    }
    const note = body.note?.trim() || `用地需求 #${id}：${before.projectName}`;
    const hold = await createHoldIn(trx, caller, body.plotId, { applicant: { name: before.enterprise.name, uscc }, until: body.until, note });
    await repo.setMatched(trx, id, { holdId: hold.id, plotId: hold.plotId, districtCodes: districtsOf(before.requirements, hold.districtCode) });
    const demand = await viewIn(trx, id);
    await recordEvent(trx, { caller, action: 'demand.held', entity: 'land_demand', entityId: id, before: auditFields(before), after: { ...auditFields(demand), heldUntil: hold.until } });
    return { demand, hold };
  });
}

/** Whether the demand's hold is in force now (the view reads `matched` from it when no allocation is). */
async function heldNow(trx: Transaction<Database>, d: Demand): Promise<boolean> {
  if (d.holdId === null) return false;
  const h = await trx.selectFrom('plot_holds').select(['released_at', 'held_until']).where('id', '=', d.holdId).executeTakeFirst();
  return !!h && h.released_at === null && h.held_until >= bureauToday();
}

/** POST /api/demands/:id/propose: a proposed allocation to the demand's project; the demand is matched. */
export function proposeForDemand(db: Kysely<Database>, caller: Caller, id: number, body: DemandProposeBody): Promise<{ demand: Demand; allocation: AllocationView }> {
  return inTransaction(db, async (trx) => {
    const { view: before, uscc } = await matchable(trx, id, 'proposal');
    if ((await heldNow(trx, before)) && before.plotId !== body.plotId) {
      throw new AppError(409, 'CONFLICT', `Demand ${id} holds plot ${before.plotCode}; propose that plot, or release the hold first (该需求已保留地块 ${before.plotCode}).`, {
        reason: 'DEMAND_MATCHED',
        holdId: before.holdId,
        plotId: before.plotId,
      });
    }
    const { plotId, subSector, plannedInvestmentYuan, ...terms } = body;
    const allocation = await proposeAllocationIn(trx, caller, {
      ...terms,
      plotId,
      project: {
        name: before.projectName,
        enterprise: { name: before.enterprise.name, uscc },
        sector: before.sector,
        iab: before.sector !== 'other',
        keyProject: before.keyProject,
        ...(subSector !== undefined ? { subSector } : {}),
        ...(plannedInvestmentYuan !== undefined ? { plannedInvestmentYuan } : {}),
      },
    });
    await repo.setMatched(trx, id, { allocationId: allocation.id, plotId, districtCodes: districtsOf(before.requirements, await repo.plotDistrictCode(trx, plotId)) });
    const demand = await viewIn(trx, id);
    await recordEvent(trx, { caller, action: 'demand.proposed', entity: 'land_demand', entityId: id, before: auditFields(before), after: auditFields(demand) });
    return { demand, allocation };
  });
}
