/**
 * Investors' expressions of interest (the investor issue §3): anyone registers interest in an
 * available plot; the land bureau answers, closes, or turns it into a hold or a proposed
 * allocation — each in one transaction, with its audit event, the company data carried across.
 *
 * Abuse: per address at most `limitPerHour` stored interests in any rolling hour, counted from
 * the table itself (so it holds across replicas and restarts), the count and the insert
 * serialized per address with an advisory lock; the address is kept only as a keyed hash.
 *
 * Who sees what: the bureau (admin, land officer) every interest; a district officer those on
 * plots in their district, read-only (they follow up locally); an investor their own, through
 * /api/me/interests, 404 for anyone else's; the public nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import type { DistrictScope } from '../auth/scope.ts';
import { replyProblem, validateInterest, type InterestInput, type InterestStatus } from '../../../shared/interest.ts';
import type { ProjectSector } from '../../../shared/domain.ts';
import { createHoldIn } from '../holds/service.ts';
import { proposeAllocationIn, type ProposeInput } from '../allocations/service.ts';
import { isoOrNull } from '../../kernel/dates.ts';
import { callerOf } from '../../kernel/http.ts';

type Executor = Kysely<Database> | Transaction<Database>;


// --- The sender's address, hashed -------------------------------------------------------------

const IP_KEY_META = 'interest_ip_hmac_key';
const ipKeys = new WeakMap<object, Promise<Buffer>>();

/** The per-database HMAC key (created once, kept in app_meta; cached per database handle). */
function ipKey(db: Kysely<Database>): Promise<Buffer> {
  let key = ipKeys.get(db);
  if (!key) {
    key = (async () => {
      await db
        .insertInto('app_meta')
        .values({ key: IP_KEY_META, value: JSON.stringify(randomBytes(32).toString('hex')) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const row = await db.selectFrom('app_meta').select('value').where('key', '=', IP_KEY_META).executeTakeFirstOrThrow();
      return Buffer.from(String(row.value), 'hex');
    })();
    key.catch(() => ipKeys.delete(db));
    ipKeys.set(db, key);
  }
  return key;
}

export async function hashAddress(db: Kysely<Database>, ip: string): Promise<string> {
  return createHmac('sha256', await ipKey(db)).update(ip).digest('hex');
}

// --- Views ----------------------------------------------------------------------------------------

function interestQuery(db: Executor) {
  return db
    .selectFrom('interests as i')
    .innerJoin('plots as pl', 'pl.id', 'i.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .leftJoin('users as ru', 'ru.id', 'i.replied_by')
    .leftJoin('users as iu', 'iu.id', 'i.investor_user_id')
    .select([
      'i.id', 'i.plot_id', 'pl.code as plot_code', 'pl.status as plot_status', 'pk.id as park_id', 'pk.name_zh as park_name_zh',
      'pk.name_en as park_name_en', 'pk.district_code', 'i.company', 'i.uscc', 'i.contact_name', 'i.contact_email', 'i.contact_phone',
      'i.message', 'i.status', 'i.reply', 'i.replied_at', 'ru.username as replied_by_name', 'i.investor_user_id',
      'iu.username as investor_username', 'i.hold_id', 'i.allocation_id', 'i.created_at', 'i.updated_at',
    ]);
}

type InterestRow = Awaited<ReturnType<ReturnType<typeof interestQuery>['executeTakeFirstOrThrow']>>;

/** What the bureau (and a district officer, read-only) sees. */
export function toBureauView(r: InterestRow) {
  return {
    id: r.id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    plotStatus: r.plot_status,
    parkId: r.park_id,
    parkNameZh: r.park_name_zh,
    parkNameEn: r.park_name_en,
    districtCode: r.district_code,
    company: r.company,
    uscc: r.uscc,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    message: r.message,
    status: r.status,
    reply: r.reply,
    repliedAt: isoOrNull(r.replied_at),
    repliedBy: r.replied_by_name,
    investorUsername: r.investor_username,
    holdId: r.hold_id,
    allocationId: r.allocation_id,
    createdAt: isoOrNull(r.created_at)!,
    updatedAt: isoOrNull(r.updated_at)!,
  };
}
export type BureauInterestView = ReturnType<typeof toBureauView>;

/** What the sender sees of their own interest: their data, its status and the bureau's reply. */
export function toOwnView(r: InterestRow) {
  return {
    id: r.id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    parkNameZh: r.park_name_zh,
    parkNameEn: r.park_name_en,
    company: r.company,
    uscc: r.uscc,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    message: r.message,
    status: r.status,
    reply: r.reply,
    repliedAt: isoOrNull(r.replied_at),
    createdAt: isoOrNull(r.created_at)!,
  };
}
export type OwnInterestView = ReturnType<typeof toOwnView>;

export async function getInterestRow(db: Executor, id: number): Promise<InterestRow | undefined> {
  return interestQuery(db).where('i.id', '=', id).executeTakeFirst();
}

export interface InterestFilters {
  plotId?: number | undefined;
  status?: InterestStatus | undefined;
  limit: number;
  offset: number;
}

/** The queue: newest first, within the caller's district scope, with counts by status. */
export async function listInterests(db: Executor, f: InterestFilters, scope: DistrictScope) {
  const empty = { new: 0, replied: 0, converted: 0, closed: 0 };
  if (scope.kind === 'none') return { items: [] as BureauInterestView[], total: 0, counts: empty };
  let q = interestQuery(db);
  let c = db.selectFrom('interests as i').innerJoin('plots as pl', 'pl.id', 'i.plot_id').innerJoin('parks as pk', 'pk.id', 'pl.park_id');
  if (scope.kind === 'district') {
    q = q.where('pk.district_code', '=', scope.code);
    c = c.where('pk.district_code', '=', scope.code);
  }
  if (f.plotId !== undefined) {
    q = q.where('i.plot_id', '=', f.plotId);
    c = c.where('i.plot_id', '=', f.plotId);
  }
  const byStatus = await c.select(['i.status', sql<number>`count(*)::int`.as('n')]).groupBy('i.status').execute();
  const counts = { ...empty };
  for (const r of byStatus) counts[r.status] = r.n;
  if (f.status) q = q.where('i.status', '=', f.status);
  const rows = await q.orderBy('i.id', 'desc').limit(f.limit).offset(f.offset).execute();
  const total = f.status ? counts[f.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  return { items: rows.map(toBureauView), total, counts };
}

export async function listOwnInterests(db: Executor, userId: number, page: { limit: number; offset: number }) {
  const rows = await interestQuery(db).where('i.investor_user_id', '=', userId).orderBy('i.id', 'desc').limit(page.limit).offset(page.offset).execute();
  const count = await db.selectFrom('interests').select(sql<number>`count(*)::int`.as('n')).where('investor_user_id', '=', userId).executeTakeFirstOrThrow();
  return { items: rows.map(toOwnView), total: count.n };
}

// --- Registering interest -------------------------------------------------------------------------

export interface CreateContext {
  req: FastifyRequest;
  /** Stored interests allowed per address in any rolling hour. */
  limitPerHour: number;
}

/** A 429 that carries its Retry-After (seconds). */
export class RateLimited extends AppError {
  constructor(
    message: string,
    public readonly retryAfterS: number,
  ) {
    super(429, 'RATE_LIMITED', message, { retryAfterS });
  }
}

/** POST /api/interests: validates, rate-limits per address, stores, audits. */
export async function createInterest(db: Kysely<Database>, input: InterestInput, ctx: CreateContext): Promise<OwnInterestView> {
  const checked = validateInterest(input);
  if (!checked.ok) {
    const first = checked.problems[0]!;
    throw badRequest(`${checked.problems.map((p) => `${p.field}: ${p.messageEn}`).join('; ')} (${checked.problems.map((p) => p.messageZh).join('；')}).`, {
      field: first.field,
      problems: checked.problems,
    });
  }
  const v = checked.value;
  const ipHash = await hashAddress(db, ctx.req.ip);
  return inTransaction(db, async (trx) => {
    // One sender's submissions one after another, so a burst cannot slip past the count.
    await sql`select pg_advisory_xact_lock(hashtext(${`interest-ip:${ipHash}`}))`.execute(trx);
    const recent = await trx
      .selectFrom('interests')
      .select([sql<number>`count(*)::int`.as('n'), sql<number>`ceil(extract(epoch from (min(created_at) + interval '1 hour' - now())))::int`.as('wait')])
      .where('ip_hash', '=', ipHash)
      .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
      .executeTakeFirstOrThrow();
    if (recent.n >= ctx.limitPerHour) {
      const wait = Math.max(1, recent.wait ?? 3600);
      throw new RateLimited(
        `Too many expressions of interest from your address: at most ${ctx.limitPerHour} an hour. Try again in ${Math.ceil(wait / 60)} minutes (提交过于频繁，请稍后再试).`,
        wait,
      );
    }
    const plot = await trx.selectFrom('plots').select(['id', 'code', 'status']).where('id', '=', v.plotId).executeTakeFirst();
    if (!plot) throw badRequest(`plotId ${v.plotId}: no such plot (地块不存在).`, { field: 'plotId' });
    if (plot.status !== 'available') {
      throw new AppError(409, 'PLOT_UNAVAILABLE', `Plot ${plot.code} is no longer available for new interest (该地块已不可供应).`, { plotId: plot.id, plotStatus: plot.status });
    }
    const user = ctx.req.user;
    const { id } = await trx
      .insertInto('interests')
      .values({
        plot_id: v.plotId,
        company: v.company,
        uscc: v.uscc,
        contact_name: v.contactName,
        contact_email: v.contactEmail,
        contact_phone: v.contactPhone,
        message: v.message,
        investor_user_id: user?.role === 'investor' ? user.id : null,
        ip_hash: ipHash,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordEvent(trx, {
      req: ctx.req,
      action: 'interest.create',
      entity: 'interest',
      entityId: id,
      // Business identifiers only: contact details and the message stay in their table.
      after: { plotId: v.plotId, plotCode: plot.code, company: v.company, uscc: v.uscc, investorUserId: user?.role === 'investor' ? user.id : null },
    });
    return toOwnView((await getInterestRow(trx, id))!);
  });
}

// --- The bureau's handling --------------------------------------------------------------------------

async function lockInterest(trx: Transaction<Database>, id: number) {
  const locked = await trx.selectFrom('interests').select(['id', 'status', 'reply', 'hold_id', 'allocation_id']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!locked) throw notFound(`Interest ${id}`);
  return locked;
}

export interface InterestPatch {
  status?: 'new' | 'replied' | 'closed' | undefined;
  reply?: string | undefined;
}

/** PATCH /api/interests/:id — a reply (status becomes replied unless another is given) and/or a status. */
export async function updateInterest(trx: Transaction<Database>, id: number, patch: InterestPatch, req: FastifyRequest): Promise<BureauInterestView> {
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
  await trx
    .updateTable('interests')
    .set({
      status,
      ...(reply !== undefined ? { reply, replied_at: sql<Date>`now()`, replied_by: req.user?.id ?? null } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
  const after = toBureauView((await getInterestRow(trx, id))!);
  await recordEvent(trx, {
    req,
    action: 'interest.update',
    entity: 'interest',
    entityId: id,
    before: { status: before.status, reply: before.reply },
    after: { status: after.status, reply: after.reply },
  });
  return after;
}

async function convertible(trx: Transaction<Database>, id: number, to: 'hold' | 'proposal') {
  await lockInterest(trx, id);
  const row = (await getInterestRow(trx, id))!;
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

async function markConverted(trx: Transaction<Database>, row: InterestRow, set: { hold_id: number } | { allocation_id: number }, req: FastifyRequest) {
  await trx.updateTable('interests').set({ ...set, status: 'converted', updated_at: sql<Date>`now()` }).where('id', '=', row.id).execute();
  const after = toBureauView((await getInterestRow(trx, row.id))!);
  await recordEvent(trx, {
    req,
    action: 'hold_id' in set ? 'interest.convert_hold' : 'interest.convert_proposal',
    entity: 'interest',
    entityId: row.id,
    before: { status: row.status, holdId: row.hold_id, allocationId: row.allocation_id },
    after: { status: after.status, holdId: after.holdId, allocationId: after.allocationId },
  });
  return after;
}

/** POST /api/interests/:id/hold — holds the plot for the interested company (its name and USCC). */
export async function convertToHold(trx: Transaction<Database>, id: number, input: { until: string; note?: string | undefined }, req: FastifyRequest) {
  const row = await convertible(trx, id, 'hold');
  const note = input.note?.trim() || `意向登记 #${row.id}`;
  const hold = await createHoldIn(trx, callerOf(req), row.plot_id, { applicant: { name: row.company, uscc: row.uscc }, until: input.until, note });
  const interest = await markConverted(trx, row, { hold_id: hold.id }, req);
  return { interest, hold };
}

export interface ProposalFromInterest {
  quotaYear: number;
  mode: ProposeInput['mode'];
  termYears: number;
  leaseYears?: number | undefined;
  priceYuan: number;
  annualRentYuan?: number | undefined;
  project: {
    name: string;
    sector: ProjectSector;
    iab: boolean;
    subSector?: string | undefined;
    plannedInvestmentYuan?: number | undefined;
    keyProject?: boolean | undefined;
  };
}

/** POST /api/interests/:id/propose — a proposed allocation of the plot to the interested company. */
export async function convertToProposal(trx: Transaction<Database>, id: number, input: ProposalFromInterest, req: FastifyRequest) {
  const row = await convertible(trx, id, 'proposal');
  const allocation = await proposeAllocationIn(
    trx,
    callerOf(req),
    { ...input, plotId: row.plot_id, project: { ...input.project, enterprise: { name: row.company, uscc: row.uscc } } },
  );
  const interest = await markConverted(trx, row, { allocation_id: allocation.id }, req);
  return { interest, allocation };
}
