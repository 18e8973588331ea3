/**
 * The land_demands table (migration 020): the view query with the status as read (closed; else
 * satisfied when the linked allocation is approved or later; matched while an allocation is
 * proposed or a hold is in force; else open), the row → view mapper, the list, the lock and the
 * writes. The status the bureau set is stored; what it is now is derived in SQL, the one
 * expression used to show, filter and count, so a lapsed hold or a cancelled proposal never
 * leaves a demand looking matched.
 */
import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { Database, StoredDemandStatus } from '../../kernel/db/schema.ts';
import type { DistrictScope } from '../auth/scope.ts';
import type { DemandRequirements } from '../../../shared/contract/siting.ts';
import type { Demand, DemandStatus } from '../../../shared/contract/demands.ts';
import type { ProjectSector } from '../../../shared/domain.ts';
import { bureauToday, isoOrNull } from '../../kernel/dates.ts';
import { pageWithTotal } from '../../kernel/db/page.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The allocation statuses that mean the land is supplied. */
const SUPPLIED = ['approved', 'contracted', 'completed'] as const;

/** The status as read, in SQL (aliases d, a, h of {@link demandQuery}); `today` is the bureau's day. */
function statusExpr(today: string) {
  return sql<DemandStatus>`(case
    when d.status = 'closed' then 'closed'
    when a.status in ('approved', 'contracted', 'completed') then 'satisfied'
    when a.status = 'proposed' then 'matched'
    when h.id is not null and h.released_at is null and h.held_until >= ${today}::date then 'matched'
    else 'open' end)`;
}

function demandQuery(db: Executor, today: string) {
  return db
    .selectFrom('land_demands as d')
    .leftJoin('allocations as a', 'a.id', 'd.allocation_id')
    .leftJoin('plot_holds as h', 'h.id', 'd.hold_id')
    .leftJoin('plots as pl', 'pl.id', 'd.plot_id')
    .leftJoin('users as u', 'u.id', 'd.created_by')
    .select([
      'd.id', 'd.project_name', 'd.enterprise_name', 'd.enterprise_uscc', 'd.sector', 'd.key_project', 'd.needed_by', 'd.requirements',
      'd.area_mu_min', 'd.area_mu_max', 'd.note', 'd.source', 'd.interest_id', 'd.status as stored_status', 'd.close_reason', 'd.district_codes',
      'd.hold_id', 'd.allocation_id', 'd.plot_id', 'd.sample', 'd.created_at', 'd.updated_at',
      'a.status as allocation_status', 'a.approved_at', 'pl.code as plot_code', 'u.username as created_by_name',
      sql<boolean>`(h.id is not null and h.released_at is null and h.held_until >= ${today}::date)`.as('hold_in_force'),
      statusExpr(today).as('status'),
    ]);
}

export type DemandRow = Awaited<ReturnType<ReturnType<typeof demandQuery>['executeTakeFirstOrThrow']>>;

/** Days from one bureau calendar day to another ('YYYY-MM-DD'). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const asDate = (v: Date | string) => (v instanceof Date ? v : new Date(v));

export function toDemandView(r: DemandRow, today = bureauToday()): Demand {
  const recorded = bureauToday(asDate(r.created_at));
  const until = r.status === 'satisfied' && r.approved_at ? bureauToday(asDate(r.approved_at)) : today;
  return {
    id: r.id,
    projectName: r.project_name,
    enterprise: { name: r.enterprise_name, uscc: r.enterprise_uscc },
    sector: r.sector,
    keyProject: r.key_project,
    neededBy: r.needed_by,
    requirements: r.requirements,
    note: r.note,
    source: r.source,
    interestId: r.interest_id,
    status: r.status,
    closeReason: r.close_reason,
    districtCodes: r.district_codes,
    holdId: r.hold_id,
    allocationId: r.allocation_id,
    allocationStatus: r.allocation_status,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    sample: r.sample,
    waitingDays: Math.max(0, daysBetween(recorded, until)),
    overdue: (r.status === 'open' || r.status === 'matched') && r.needed_by < today,
    createdBy: r.created_by_name,
    createdAt: isoOrNull(r.created_at)!,
    updatedAt: isoOrNull(r.updated_at)!,
  };
}

export async function getDemandRow(db: Executor, id: number, today = bureauToday()): Promise<DemandRow | undefined> {
  return demandQuery(db, today).where('d.id', '=', id).executeTakeFirst();
}

export interface DemandFilters {
  status?: DemandStatus | undefined;
  sector?: ProjectSector | undefined;
  districtCode?: string | undefined;
  sort: 'newest' | 'waiting' | 'needed_by';
  limit: number;
  offset: number;
}

const hasDistrict = (code: string): Expression<SqlBool> => sql<SqlBool>`d.district_codes @> array[${code}]::text[]`;

/** One page of demands within a district scope, in the order asked for, and how many match. */
export async function listDemands(db: Executor, f: DemandFilters, scope: DistrictScope, today = bureauToday()): Promise<{ items: Demand[]; total: number }> {
  if (scope.kind === 'none') return { items: [], total: 0 };
  let q = demandQuery(db, today);
  if (scope.kind === 'district') q = q.where(hasDistrict(scope.code));
  if (f.districtCode !== undefined) q = q.where(hasDistrict(f.districtCode));
  if (f.sector !== undefined) q = q.where('d.sector', '=', f.sector);
  if (f.status !== undefined) q = q.where(sql<SqlBool>`${statusExpr(today)} = ${f.status}`);
  const { rows, total } = await pageWithTotal(
    q,
    (q) => {
      if (f.sort === 'needed_by') return q.orderBy('d.needed_by').orderBy('d.id');
      if (f.sort === 'waiting') {
        // Waiting ends on the day it was satisfied; the longest first.
        return q.orderBy(sql`coalesce(case when a.status in (${sql.join(SUPPLIED.map((s) => sql.lit(s)))}) then a.approved_at end, now()) - d.created_at`, 'desc').orderBy('d.id');
      }
      return q.orderBy('d.id', 'desc');
    },
    f,
  );
  return { items: rows.map((r) => toDemandView(r, today)), total };
}

/** Open and matched demands (as read) within a scope, longest waiting first: the overview's input. */
export async function activeDemands(db: Executor, scope: DistrictScope, today = bureauToday()): Promise<Demand[]> {
  if (scope.kind === 'none') return [];
  let q = demandQuery(db, today).where(sql<SqlBool>`${statusExpr(today)} in ('open', 'matched')`);
  if (scope.kind === 'district') q = q.where(hasDistrict(scope.code));
  const rows = await q.orderBy('d.created_at').orderBy('d.id').execute();
  return rows.map((r) => toDemandView(r, today));
}

// --- Writes ---------------------------------------------------------------------------------------

/** The stored row, locked until the transaction ends; undefined when there is none. */
export async function lockDemand(trx: Transaction<Database>, id: number) {
  return trx.selectFrom('land_demands').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface DemandValues {
  projectName: string;
  enterprise: { name: string; uscc: string | null };
  keyProject: boolean;
  neededBy: string;
  requirements: DemandRequirements;
  note: string;
  districtCodes: string[];
}

function columns(v: DemandValues) {
  return {
    project_name: v.projectName,
    enterprise_name: v.enterprise.name,
    enterprise_uscc: v.enterprise.uscc,
    sector: v.requirements.sector,
    key_project: v.keyProject,
    needed_by: v.neededBy,
    requirements: JSON.stringify(v.requirements),
    area_mu_min: v.requirements.areaMuMin,
    area_mu_max: v.requirements.areaMuMax,
    note: v.note,
    district_codes: v.districtCodes,
  };
}

export async function insertDemand(
  trx: Transaction<Database>,
  v: DemandValues & { interestId: number | null; createdBy: number | null; sample?: boolean },
): Promise<number> {
  const row = await trx
    .insertInto('land_demands')
    .values({ ...columns(v), source: v.interestId === null ? 'direct' : 'interest', interest_id: v.interestId, created_by: v.createdBy, sample: v.sample ?? false })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDemandValues(trx: Transaction<Database>, id: number, v: DemandValues): Promise<void> {
  await trx.updateTable('land_demands').set({ ...columns(v), updated_at: sql`now()` }).where('id', '=', id).execute();
}

export async function setDemandStatus(trx: Transaction<Database>, id: number, status: StoredDemandStatus, closeReason: string | null): Promise<void> {
  await trx.updateTable('land_demands').set({ status, close_reason: closeReason, updated_at: sql`now()` }).where('id', '=', id).execute();
}

/** Matched to a plot: the hold or the allocation, the plot, and the districts it now concerns. */
export async function setMatched(
  trx: Transaction<Database>,
  id: number,
  link: { holdId?: number; allocationId?: number; plotId: number; districtCodes: string[] },
): Promise<void> {
  await trx
    .updateTable('land_demands')
    .set({
      status: 'matched',
      plot_id: link.plotId,
      district_codes: link.districtCodes,
      ...(link.holdId !== undefined ? { hold_id: link.holdId } : {}),
      ...(link.allocationId !== undefined ? { allocation_id: link.allocationId } : {}),
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .execute();
}

export async function demandOfInterest(db: Executor, interestId: number): Promise<number | undefined> {
  return (await db.selectFrom('land_demands').select('id').where('interest_id', '=', interestId).executeTakeFirst())?.id;
}

/** The district of a plot (its park's); undefined when there is no such plot. */
export async function plotDistrictCode(db: Executor, plotId: number): Promise<string | undefined> {
  const r = await db.selectFrom('plots as pl').innerJoin('parks as pk', 'pk.id', 'pl.park_id').select('pk.district_code').where('pl.id', '=', plotId).executeTakeFirst();
  return r?.district_code;
}
