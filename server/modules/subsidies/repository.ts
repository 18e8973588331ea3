/**
 * Subsidies in the database: the park, its totals row (locked before every change), the subsidy
 * read model and its row → view mapper, and the statements of grant, disburse and withdraw.
 * Executor first; functions that lock take a `Transaction`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, SubsidyKind, SubsidyStatus } from '../../kernel/db/schema.ts';
import { notFound } from '../../kernel/errors.ts';
import { bureauToday, isoOrNull } from '../../kernel/dates.ts';
import { fenToYuan, fenToYuanString, yuanToFen } from '../../../shared/money.ts';
import type { SubsidyLimit } from '../../../shared/policy/index.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const positive = (fen: bigint) => (fen > 0n ? fen : 0n);

export interface SubsidyPark {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: string;
  tier: string;
}

export async function findSubsidyPark(db: Executor, id: number): Promise<SubsidyPark | undefined> {
  const r = await db.selectFrom('parks').select(['id', 'code', 'name_zh', 'name_en', 'district_code', 'tier']).where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, districtCode: r.district_code, tier: r.tier };
}
/** Net granted per park (fen), from the cached totals (= the ledger's sums). Parks without a row: 0. */
export async function grantedByPark(db: Executor, parkIds?: readonly number[]): Promise<Map<number, bigint>> {
  let q = db.selectFrom('park_subsidy_totals').select(['park_id', sql<string>`granted_yuan::text`.as('granted')]);
  if (parkIds) {
    if (parkIds.length === 0) return new Map();
    q = q.where('park_id', 'in', parkIds);
  }
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.park_id, yuanToFen(r.granted)]));
}

function subsidyQuery(db: Executor) {
  return db
    .selectFrom('subsidies as s')
    .innerJoin('parks as p', 'p.id', 's.park_id')
    .innerJoin('park_projects as pp', 'pp.id', 's.project_id')
    .leftJoin('users as cu', 'cu.id', 's.created_by')
    .leftJoin('users as du', 'du.id', 's.disbursed_by')
    .leftJoin('users as wu', 'wu.id', 's.withdrawn_by')
    .select([
      's.id', 's.park_id', 's.project_id', 'pp.name as project_name', 'pp.kind', 's.status', 's.share_bp', 's.limited_by', 's.reference_version_id',
      sql<string>`pp.total_investment_yuan::text`.as('total_investment_yuan'),
      sql<string>`s.project_granted_before_yuan::text`.as('project_granted_before_yuan'),
      sql<string>`s.requested_yuan::text`.as('requested_yuan'),
      sql<string>`s.granted_yuan::text`.as('granted_yuan'),
      sql<string>`s.investment_share_yuan::text`.as('investment_share_yuan'),
      sql<string>`s.cap_yuan::text`.as('cap_yuan'),
      sql<string>`s.park_granted_before_yuan::text`.as('park_granted_before_yuan'),
      's.created_at', 's.disbursed_on', 's.disbursed_at', 's.withdrawn_at', 's.withdraw_reason', 's.updated_at',
      'p.code as park_code', 'p.district_code',
      'cu.username as created_by_name', 'du.username as disbursed_by_name', 'wu.username as withdrawn_by_name',
    ]);
}

type SubsidyRow = Awaited<ReturnType<ReturnType<typeof subsidyQuery>['executeTakeFirstOrThrow']>>;

export function toSubsidyView(r: SubsidyRow) {
  const cap = yuanToFen(r.cap_yuan);
  const before = yuanToFen(r.park_granted_before_yuan);
  return {
    id: r.id,
    parkId: r.park_id,
    parkCode: r.park_code,
    districtCode: r.district_code,
    projectId: r.project_id,
    projectName: r.project_name,
    kind: r.kind as SubsidyKind,
    status: r.status as SubsidyStatus,
    totalInvestmentYuan: fenToYuan(yuanToFen(r.total_investment_yuan)),
    requestedYuan: fenToYuan(yuanToFen(r.requested_yuan)),
    grantedYuan: fenToYuan(yuanToFen(r.granted_yuan)),
    decision: {
      shareBp: r.share_bp,
      investmentShareYuan: fenToYuan(yuanToFen(r.investment_share_yuan)),
      projectGrantedBeforeYuan: fenToYuan(yuanToFen(r.project_granted_before_yuan)),
      projectHeadroomBeforeYuan: fenToYuan(positive(yuanToFen(r.investment_share_yuan) - yuanToFen(r.project_granted_before_yuan))),
      capYuan: fenToYuan(cap),
      parkGrantedBeforeYuan: fenToYuan(before),
      parkHeadroomBeforeYuan: fenToYuan(positive(cap - before)),
      limitedBy: r.limited_by as SubsidyLimit,
      referenceVersionId: r.reference_version_id,
    },
    createdBy: r.created_by_name,
    createdAt: isoOrNull(r.created_at)!,
    disbursedOn: r.disbursed_on,
    disbursedAt: isoOrNull(r.disbursed_at),
    disbursedBy: r.disbursed_by_name,
    withdrawnAt: isoOrNull(r.withdrawn_at),
    withdrawnBy: r.withdrawn_by_name,
    withdrawReason: r.withdraw_reason,
    updatedAt: isoOrNull(r.updated_at)!,
  };
}

export type SubsidyView = ReturnType<typeof toSubsidyView>;

export async function getSubsidy(db: Executor, id: number): Promise<SubsidyView> {
  return toSubsidyView(await subsidyQuery(db).where('s.id', '=', id).executeTakeFirstOrThrow());
}

// --- Locks and statements -----------------------------------------------------------------------

/** Creates the park's totals row if missing, then locks it; returns the net granted (fen). */
export async function lockTotals(trx: Transaction<Database>, parkId: number, capFen: bigint): Promise<{ grantedFen: bigint; capFen: bigint }> {
  await trx
    .insertInto('park_subsidy_totals')
    .values({ park_id: parkId, cap_yuan: fenToYuanString(capFen) })
    .onConflict((oc) => oc.column('park_id').doNothing())
    .execute();
  const row = await trx
    .selectFrom('park_subsidy_totals')
    .select([sql<string>`granted_yuan::text`.as('granted'), sql<string>`cap_yuan::text`.as('cap')])
    .where('park_id', '=', parkId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { grantedFen: yuanToFen(row.granted), capFen: yuanToFen(row.cap) };
}
/** Locks a subsidy of this park (after the park's totals row); 404 when it is not this park's. */
export async function lockSubsidy(trx: Transaction<Database>, parkId: number, id: number) {
  const r = await trx
    .selectFrom('subsidies')
    .select(['id', 'park_id', 'status', 'created_at', sql<string>`granted_yuan::text`.as('granted')])
    .where('id', '=', id)
    .where('park_id', '=', parkId)
    .forUpdate()
    .executeTakeFirst();
  if (!r) throw notFound(`Subsidy ${id} of park ${parkId}`);
  return { ...r, grantedOn: bureauToday(new Date(r.created_at)) };
}

/** The subsidies of a park, newest first, as rows (the list needs their status and amount). */
export async function subsidyRowsOfPark(db: Executor, parkId: number) {
  return subsidyQuery(db).where('s.park_id', '=', parkId).orderBy('s.id', 'desc').execute();
}

/** Moves the park's cap snapshot to the parameter in force. */
export async function setTotalsCap(trx: Transaction<Database>, parkId: number, capFen: bigint): Promise<void> {
  await trx.updateTable('park_subsidy_totals').set({ cap_yuan: fenToYuanString(capFen) }).where('park_id', '=', parkId).execute();
}

/** Moves a project's share snapshot to the parameter in force. */
export async function setProjectShare(trx: Transaction<Database>, projectId: number, shareBp: number): Promise<void> {
  await trx.updateTable('park_projects').set({ share_bp: shareBp, updated_at: sql<Date>`now()` }).where('id', '=', projectId).execute();
}

export interface NewSubsidy {
  park_id: number;
  project_id: number;
  requested_yuan: string;
  granted_yuan: string;
  share_bp: number;
  investment_share_yuan: string;
  cap_yuan: string;
  park_granted_before_yuan: string;
  project_granted_before_yuan: string;
  limited_by: SubsidyLimit;
  reference_version_id: number;
  created_by: number;
}

export async function insertSubsidy(trx: Transaction<Database>, s: NewSubsidy): Promise<number> {
  const r = await trx.insertInto('subsidies').values(s).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** A ledger row: +amount for a grant, −amount for a withdrawal (its trigger moves the cached totals). */
export async function insertLedgerRow(
  trx: Transaction<Database>,
  row: { parkId: number; subsidyId: number; kind: 'grant' | 'withdrawal'; amountFen: bigint; userId: number },
): Promise<void> {
  await trx
    .insertInto('subsidy_ledger')
    .values({ park_id: row.parkId, subsidy_id: row.subsidyId, kind: row.kind, amount_yuan: fenToYuanString(row.amountFen), created_by: row.userId })
    .execute();
}

/** The project of a park's subsidy (immutable on the subsidy), unlocked; undefined when it is not this park's. */
export async function projectIdOfSubsidy(trx: Transaction<Database>, parkId: number, id: number): Promise<number | undefined> {
  const r = await trx.selectFrom('subsidies').select('project_id').where('id', '=', id).where('park_id', '=', parkId).executeTakeFirst();
  return r?.project_id;
}

export async function markWithdrawn(trx: Transaction<Database>, id: number, userId: number, reason: string): Promise<void> {
  await trx
    .updateTable('subsidies')
    .set({ status: 'withdrawn', withdrawn_at: sql<Date>`now()`, withdrawn_by: userId, withdraw_reason: reason, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function markDisbursed(trx: Transaction<Database>, id: number, userId: number, on: string): Promise<void> {
  await trx
    .updateTable('subsidies')
    .set({ status: 'disbursed', disbursed_on: on, disbursed_at: sql<Date>`now()`, disbursed_by: userId, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}
