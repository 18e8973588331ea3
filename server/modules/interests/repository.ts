/**
 * The interests table: the view query and its two row → view mappers (what the bureau sees, what
 * the sender sees), the queue with counts by status, the per-address rate count, the lock, and
 * the per-database key the sender's address is hashed with (kept in app_meta).
 */
import { createHmac, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { DistrictScope } from '../auth/scope.ts';
import type { InterestStatus, NormalizedInterest } from '../../../shared/interest.ts';
import { isoOrNull } from '../../kernel/dates.ts';

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

export type InterestRow = Awaited<ReturnType<ReturnType<typeof interestQuery>['executeTakeFirstOrThrow']>>;

/** What both views show: the sender's data, the message, its status and the bureau's reply. */
function senderAndReply(r: InterestRow) {
  return {
    company: r.company,
    uscc: r.uscc,
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
    message: r.message,
    status: r.status,
    reply: r.reply,
    repliedAt: isoOrNull(r.replied_at),
  };
}

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
    ...senderAndReply(r),
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
    ...senderAndReply(r),
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

/** The queue: newest first, within a district scope, with counts by status. */
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

// --- Writing --------------------------------------------------------------------------------------

/** One sender's submissions one after another until the transaction ends. */
export async function lockSender(trx: Transaction<Database>, ipHash: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`interest-ip:${ipHash}`}))`.execute(trx);
}

/** Interests stored from this address in the last hour, and the seconds until the oldest leaves the hour. */
export async function recentFromAddress(db: Executor, ipHash: string): Promise<{ n: number; wait: number | null }> {
  return db
    .selectFrom('interests')
    .select([sql<number>`count(*)::int`.as('n'), sql<number | null>`ceil(extract(epoch from (min(created_at) + interval '1 hour' - now())))::int`.as('wait')])
    .where('ip_hash', '=', ipHash)
    .where('created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .executeTakeFirstOrThrow();
}

/** The plot an interest names: whether it exists and is still available. */
export async function findPlotStatus(db: Executor, plotId: number) {
  return db.selectFrom('plots').select(['id', 'code', 'status']).where('id', '=', plotId).executeTakeFirst();
}

export interface InterestRowInput extends NormalizedInterest {
  investorUserId: number | null;
  ipHash: string;
}

export async function insertInterest(db: Executor, v: InterestRowInput): Promise<number> {
  const { id } = await db
    .insertInto('interests')
    .values({
      plot_id: v.plotId,
      company: v.company,
      uscc: v.uscc,
      contact_name: v.contactName,
      contact_email: v.contactEmail,
      contact_phone: v.contactPhone,
      message: v.message,
      investor_user_id: v.investorUserId,
      ip_hash: v.ipHash,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** Locks an interest's row until the transaction ends; its status and links, or undefined. */
export async function lockInterest(trx: Transaction<Database>, id: number) {
  return trx.selectFrom('interests').select(['id', 'status', 'reply', 'hold_id', 'allocation_id']).where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function setReplyAndStatus(
  db: Executor,
  id: number,
  set: { status: 'new' | 'replied' | 'converted' | 'closed'; reply?: { text: string; by: number | null } | undefined },
): Promise<void> {
  await db
    .updateTable('interests')
    .set({
      status: set.status,
      ...(set.reply !== undefined ? { reply: set.reply.text, replied_at: sql<Date>`now()`, replied_by: set.reply.by } : {}),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', id)
    .execute();
}

/** Marks an interest converted into a hold or a proposed allocation. */
export async function setConverted(db: Executor, id: number, link: { hold_id: number } | { allocation_id: number }): Promise<void> {
  await db.updateTable('interests').set({ ...link, status: 'converted', updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}
