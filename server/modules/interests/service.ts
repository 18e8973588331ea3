/**
 * Investors' expressions of interest: anyone registers interest in an available plot; the land
 * bureau answers, closes, or turns it into a hold or a proposed allocation — each in one
 * transaction, with its audit event, the company data carried across.
 *
 * Abuse: per address at most `limitPerHour` stored interests in any rolling hour, counted from
 * the table itself (so it holds across replicas and restarts), the count and the insert
 * serialized per address with an advisory lock; the address is kept only as a keyed hash.
 *
 * Who sees what: the bureau (admin, land officer) every interest; a district officer those on
 * plots in their district, read-only (they follow up locally); an investor their own, through
 * /api/me/interests, 404 for anyone else's; the public nothing.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { assertCanSeeDistrict, assertOwnRecord, districtScope } from '../auth/scope.ts';
import { replyProblem, validateInterest, type InterestInput, type InterestStatus } from '../../../shared/interest.ts';
import { createHoldIn } from '../holds/service.ts';
import { proposeAllocationIn, type ProposeInput } from '../allocations/service.ts';
import * as repo from './repository.ts';
import { toBureauView, toOwnView, type BureauInterestView, type InterestRow, type OwnInterestView } from './repository.ts';

export type { BureauInterestView, OwnInterestView } from './repository.ts';

// --- Reading ---------------------------------------------------------------------------------------

export interface QueueQuery {
  plotId?: number | undefined;
  status?: InterestStatus | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** GET /api/interests: the queue within the caller's district scope, with counts by status. */
export function listQueue(db: Kysely<Database>, caller: Caller, q: QueueQuery) {
  return repo.listInterests(db, { plotId: q.plotId, status: q.status, limit: q.limit ?? 100, offset: q.offset ?? 0 }, districtScope(caller.user));
}

/** GET /api/interests/:id: 404 when there is none, 403 outside a district officer's district. */
export async function interestForBureau(db: Kysely<Database>, caller: Caller, id: number): Promise<BureauInterestView> {
  const row = await repo.getInterestRow(db, id);
  if (!row) throw notFound(`Interest ${id}`);
  assertCanSeeDistrict(caller.user, row.district_code);
  return toBureauView(row);
}

/** GET /api/me/interests: the signed-in investor's interests, newest first. */
export function listOwnInterests(db: Kysely<Database>, caller: Caller, page: { limit?: number | undefined; offset?: number | undefined }) {
  return repo.listOwnInterests(db, caller.user!.id, { limit: page.limit ?? 100, offset: page.offset ?? 0 });
}

/** GET /api/me/interests/:id: one of the caller's own interests; 404 for anyone else's. */
export async function ownInterest(db: Kysely<Database>, caller: Caller, id: number): Promise<OwnInterestView> {
  const row = await repo.getInterestRow(db, id);
  if (!row) throw notFound(`Interest ${id}`);
  assertOwnRecord(caller.user, row.investor_user_id, `Interest ${id}`);
  return toOwnView(row);
}

// --- Registering interest -------------------------------------------------------------------------

/** A 429 that carries its Retry-After (seconds). */
export class RateLimited extends AppError {
  constructor(
    message: string,
    public readonly retryAfterS: number,
  ) {
    super(429, 'RATE_LIMITED', message, { retryAfterS });
  }
}

export interface NewInterest extends InterestInput {
  /** The honeypot: no real person sees the field, so a filled value is refused openly (400). */
  website?: string | undefined;
}

/** POST /api/interests: validates, rate-limits per address, stores, audits. */
export async function createInterest(db: Kysely<Database>, caller: Caller, body: NewInterest, opts: { limitPerHour: number }): Promise<OwnInterestView> {
  const { website, ...input } = body;
  if (website !== undefined && website.trim() !== '') {
    throw badRequest('The field "website" must be left empty (此项请留空).', { field: 'website' });
  }
  const checked = validateInterest(input);
  if (!checked.ok) {
    const first = checked.problems[0]!;
    throw badRequest(`${checked.problems.map((p) => `${p.field}: ${p.messageEn}`).join('; ')} (${checked.problems.map((p) => p.messageZh).join('；')}).`, {
      field: first.field,
      problems: checked.problems,
    });
  }
  const v = checked.value;
  const ipHash = await repo.hashAddress(db, caller.ip ?? '');
  return inTransaction(db, async (trx) => {
    // One sender's submissions one after another, so a burst cannot slip past the count.
    await repo.lockSender(trx, ipHash);
    const recent = await repo.recentFromAddress(trx, ipHash);
    if (recent.n >= opts.limitPerHour) {
      const wait = Math.max(1, recent.wait ?? 3600);
      throw new RateLimited(
        `Too many expressions of interest from your address: at most ${opts.limitPerHour} an hour. Try again in ${Math.ceil(wait / 60)} minutes (提交过于频繁，请稍后再试).`,
        wait,
      );
    }
    const plot = await repo.findPlotStatus(trx, v.plotId);
    if (!plot) throw badRequest(`plotId ${v.plotId}: no such plot (地块不存在).`, { field: 'plotId' });
    if (plot.status !== 'available') {
      throw new AppError(409, 'PLOT_UNAVAILABLE', `Plot ${plot.code} is no longer available for new interest (该地块已不可供应).`, { plotId: plot.id, plotStatus: plot.status });
    }
    const user = caller.user;
    const investorUserId = user?.role === 'investor' ? user.id : null;
    const id = await repo.insertInterest(trx, { ...v, investorUserId, ipHash });
    await recordEvent(trx, {
      caller,
      action: 'interest.create',
      entity: 'interest',
      entityId: id,
      // Business identifiers only: contact details and the message stay in their table.
      after: { plotId: v.plotId, plotCode: plot.code, company: v.company, uscc: v.uscc, investorUserId },
    });
    return toOwnView((await repo.getInterestRow(trx, id))!);
  });
}

// --- The bureau's handling --------------------------------------------------------------------------

async function lockInterest(trx: Transaction<Database>, id: number) {
  const locked = await repo.lockInterest(trx, id);
  if (!locked) throw notFound(`Interest ${id}`);
  return locked;
}

export interface InterestPatch {
  status?: 'new' | 'replied' | 'closed' | undefined;
  reply?: string | undefined;
}

/** PATCH /api/interests/:id — a reply (status becomes replied unless another is given) and/or a status. */
export function updateInterest(db: Kysely<Database>, caller: Caller, id: number, patch: InterestPatch): Promise<BureauInterestView> {
  return inTransaction(db, async (trx) => {
    const before = await lockInterest(trx, id);
    if (patch.status === undefined && patch.reply === undefined) throw badRequest('Give a reply, a status, or both.');
    const reply = patch.reply?.replace(/\r\n?/g, '\n').trim();
    if (reply !== undefined) {
      if (!reply) throw badRequest('reply must not be empty (答复不能为空).', { field: 'reply' });
      const p = replyProblem(reply);
      if (p) throw badRequest(`reply: ${p.messageEn} (${p.messageZh}).`, { field: 'reply' });
    }
    if (before.status === 'converted' && patch.status !== undefined) {
      throw new AppError(409, 'CONFLICT', `Interest ${id} has been turned into a ${before.allocation_id ? 'proposed allocation' : 'hold'}; its status stays converted (已转为${before.allocation_id ? '供地方案' : '地块保留'}).`, {
        reason: 'ALREADY_CONVERTED',
      });
    }
    const status = patch.status ?? (reply !== undefined && before.status === 'new' ? 'replied' : before.status);
    await repo.setReplyAndStatus(trx, id, { status, reply: reply === undefined ? undefined : { text: reply, by: caller.user?.id ?? null } });
    const after = toBureauView((await repo.getInterestRow(trx, id))!);
    await recordEvent(trx, {
      caller,
      action: 'interest.update',
      entity: 'interest',
      entityId: id,
      before: { status: before.status, reply: before.reply },
      after: { status: after.status, reply: after.reply },
    });
    return after;
  });
}

async function convertible(trx: Transaction<Database>, id: number, to: 'hold' | 'proposal') {
  await lockInterest(trx, id);
  const row = (await repo.getInterestRow(trx, id))!;
  if (row.status === 'closed') {
    throw new AppError(409, 'CONFLICT', `Interest ${id} is closed; reopen it (status new) before turning it into a ${to} (意向已关闭).`, { reason: 'INTEREST_CLOSED' });
  }
  if (to === 'hold' && row.hold_id !== null) {
    throw new AppError(409, 'CONFLICT', `Interest ${id} has already been turned into hold ${row.hold_id} (已转为地块保留).`, { reason: 'ALREADY_CONVERTED', holdId: row.hold_id });
  }
  if (to === 'proposal' && row.allocation_id !== null) {
    throw new AppError(409, 'CONFLICT', `Interest ${id} has already been turned into allocation ${row.allocation_id} (已转为供地方案).`, {
      reason: 'ALREADY_CONVERTED',
      allocationId: row.allocation_id,
    });
  }
  return row;
}

async function markConverted(trx: Transaction<Database>, caller: Caller, row: InterestRow, link: { hold_id: number } | { allocation_id: number }) {
  await repo.setConverted(trx, row.id, link);
  const after = toBureauView((await repo.getInterestRow(trx, row.id))!);
  await recordEvent(trx, {
    caller,
    action: 'hold_id' in link ? 'interest.convert_hold' : 'interest.convert_proposal',
    entity: 'interest',
    entityId: row.id,
    before: { status: row.status, holdId: row.hold_id, allocationId: row.allocation_id },
    after: { status: after.status, holdId: after.holdId, allocationId: after.allocationId },
  });
  return after;
}

/** POST /api/interests/:id/hold — holds the plot for the interested company (its name and USCC). */
export function convertToHold(db: Kysely<Database>, caller: Caller, id: number, input: { until: string; note?: string | undefined }) {
  return inTransaction(db, async (trx) => {
    const row = await convertible(trx, id, 'hold');
    const note = input.note?.trim() || `意向登记 #${row.id}`;
    const hold = await createHoldIn(trx, caller, row.plot_id, { applicant: { name: row.company, uscc: row.uscc }, until: input.until, note });
    const interest = await markConverted(trx, caller, row, { hold_id: hold.id });
    return { interest, hold };
  });
}

/** A proposal as ProposeInput, less what the interest gives: the plot and the enterprise (its company and USCC). */
export type ProposalFromInterest = Omit<ProposeInput, 'plotId' | 'project'> & { project: Omit<ProposeInput['project'], 'enterprise'> };

/** POST /api/interests/:id/propose — a proposed allocation of the plot to the interested company. */
export function convertToProposal(db: Kysely<Database>, caller: Caller, id: number, input: ProposalFromInterest) {
  return inTransaction(db, async (trx) => {
    const row = await convertible(trx, id, 'proposal');
    const allocation = await proposeAllocationIn(
      trx,
      caller,
      { ...input, plotId: row.plot_id, project: { ...input.project, enterprise: { name: row.company, uscc: row.uscc } } },
    );
    const interest = await markConverted(trx, caller, row, { allocation_id: allocation.id });
    return { interest, allocation };
  });
}
