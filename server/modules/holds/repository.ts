/**
 * Holds in the database: the read model (hold, plot, district, users) and its row → view mapper,
 * the plot lock, and the statements holds and allocations run on a locked plot. Executor first;
 * functions that lock or write under a lock take a `Transaction`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { PlotStatus } from '../../../shared/domain.ts';
import { bureauToday } from '../../kernel/dates.ts';
import { pageWithTotal } from '../../kernel/db/page.ts';
import type { DistrictScope } from '../auth/scope.ts';

type Executor = Kysely<Database> | Transaction<Database>;


export type HoldState = 'active' | 'expired' | 'released' | 'allocated';

export interface HoldView {
  id: number;
  plotId: number;
  plotCode: string;
  districtCode: string;
  applicant: { name: string; uscc: string };
  /** Last day of the hold, inclusive. */
  until: string;
  note: string;
  /** active: in force today; expired: its last day has passed (released or about to be). */
  state: HoldState;
  active: boolean;
  createdBy: string | null;
  createdAt: string;
  releasedAt: string | null;
  releasedBy: string | null;
  releaseReason: 'released' | 'expired' | 'allocated' | null;
}

type HoldRow = {
  id: number;
  plot_id: number;
  plot_code: string;
  district_code: string;
  applicant_name: string;
  applicant_uscc: string;
  held_until: string;
  note: string;
  created_by_name: string | null;
  created_at: Date | string;
  released_at: Date | string | null;
  released_by_name: string | null;
  release_reason: 'released' | 'expired' | 'allocated' | null;
};

export function toHoldView(r: HoldRow, today = bureauToday()): HoldView {
  const state: HoldState = r.release_reason === null ? (r.held_until >= today ? 'active' : 'expired') : r.release_reason;
  return {
    id: r.id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    districtCode: r.district_code,
    applicant: { name: r.applicant_name, uscc: r.applicant_uscc },
    until: r.held_until,
    note: r.note,
    state,
    active: state === 'active',
    createdBy: r.created_by_name,
    createdAt: new Date(r.created_at).toISOString(),
    releasedAt: r.released_at === null ? null : new Date(r.released_at).toISOString(),
    releasedBy: r.released_by_name,
    releaseReason: r.release_reason,
  };
}

function holdQuery(db: Executor) {
  return db
    .selectFrom('plot_holds as h')
    .innerJoin('plots as pl', 'pl.id', 'h.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .leftJoin('users as cu', 'cu.id', 'h.created_by')
    .leftJoin('users as ru', 'ru.id', 'h.released_by')
    .select([
      'h.id', 'h.plot_id', 'pl.code as plot_code', 'pk.district_code', 'h.applicant_name', 'h.applicant_uscc', 'h.held_until', 'h.note',
      'cu.username as created_by_name', 'h.created_at', 'h.released_at', 'ru.username as released_by_name', 'h.release_reason',
    ]);
}

export async function getHold(db: Executor, id: number): Promise<HoldView | undefined> {
  const r = await holdQuery(db).where('h.id', '=', id).executeTakeFirst();
  return r ? toHoldView(r) : undefined;
}

export interface HoldFilters {
  plotId?: number | undefined;
  /** active: in force today; expired: past its day (released for expiry or not yet swept); released; allocated. */
  state?: HoldState | undefined;
  limit: number;
  offset: number;
}

export async function pageOfHolds(db: Executor, f: HoldFilters, scope: DistrictScope): Promise<{ items: HoldView[]; total: number }> {
  if (scope.kind === 'none') return { items: [], total: 0 };
  const today = bureauToday();
  let q = holdQuery(db);
  if (scope.kind === 'district') q = q.where('pk.district_code', '=', scope.code);
  if (f.plotId !== undefined) q = q.where('h.plot_id', '=', f.plotId);
  if (f.state === 'active') q = q.where('h.released_at', 'is', null).where('h.held_until', '>=', today);
  else if (f.state === 'expired') q = q.where((eb) => eb.or([eb('h.release_reason', '=', 'expired'), eb.and([eb('h.released_at', 'is', null), eb('h.held_until', '<', today)])]));
  else if (f.state) q = q.where('h.release_reason', '=', f.state);
  const { rows, total } = await pageWithTotal(q, (q) => q.orderBy('h.id', 'desc'), f);
  return { items: rows.map((r) => toHoldView(r, today)), total };
}

// --- The plot lock and the statements under it (used by allocations too) ----------------------

export interface LockedPlot {
  id: number;
  code: string;
  status: PlotStatus;
  areaM2: string;
  districtCode: string;
}

/**
 * Locks a plot row (FOR NO KEY UPDATE OF the plot only: blocks other writers of the plot, not
 * inserts that reference it, and not its park) and reads its district in the same statement.
 */

export async function setPlotStatus(trx: Transaction<Database>, plotId: number, status: PlotStatus): Promise<void> {
  await trx.updateTable('plots').set({ status }).where('id', '=', plotId).execute();
}

/** The plot's unreleased hold, locked (FOR UPDATE). */
export async function lockUnreleasedHold(trx: Transaction<Database>, plotId: number) {
  return trx
    .selectFrom('plot_holds')
    .select(['id', 'applicant_name', 'applicant_uscc', 'held_until'])
    .where('plot_id', '=', plotId)
    .where('released_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
}

/** The id of the plot's unreleased hold, if any (unlocked). */
export async function unreleasedHoldId(db: Executor, plotId: number): Promise<number | undefined> {
  const r = await db.selectFrom('plot_holds').select('id').where('plot_id', '=', plotId).where('released_at', 'is', null).executeTakeFirst();
  return r?.id;
}

/** Marks a hold released because its last day has passed (no officer: the system). */
export async function markExpired(trx: Transaction<Database>, holdId: number): Promise<void> {
  await trx.updateTable('plot_holds').set({ released_at: sql<Date>`now()`, release_reason: 'expired' }).where('id', '=', holdId).execute();
}

/** Ends a hold (reason `released` by an officer, or `allocated` when the holder's allocation is approved). */
export async function endHold(trx: Transaction<Database>, holdId: number, reason: 'released' | 'allocated', userId: number | null): Promise<void> {
  await trx.updateTable('plot_holds').set({ released_at: sql<Date>`now()`, release_reason: reason, released_by: userId }).where('id', '=', holdId).execute();
}

export async function insertHold(
  trx: Transaction<Database>,
  h: { plot_id: number; applicant_name: string; applicant_uscc: string; held_until: string; note: string; created_by: number | null },
): Promise<number> {
  const r = await trx.insertInto('plot_holds').values(h).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** The plot's most recent hold (for saying why there is nothing to release). */
export async function lastHoldOf(db: Executor, plotId: number) {
  return db.selectFrom('plot_holds').select(['held_until', 'release_reason']).where('plot_id', '=', plotId).orderBy('id', 'desc').executeTakeFirst();
}

/** Plots with an unreleased hold whose last day is before `today`, in plot order. */
export async function plotsWithExpiredHolds(db: Executor, today: string): Promise<number[]> {
  const due = await db
    .selectFrom('plot_holds')
    .select('plot_id')
    .where('released_at', 'is', null)
    .where('held_until', '<', today)
    .orderBy('plot_id')
    .execute();
  return due.map((r) => r.plot_id);
}

/** A plot's id and district, for the object-level check before listing its holds. */
export async function plotDistrict(db: Executor, plotId: number): Promise<{ id: number; districtCode: string } | undefined> {
  const plot = await db
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['pl.id', 'pk.district_code'])
    .where('pl.id', '=', plotId)
    .executeTakeFirst();
  return plot && { id: plot.id, districtCode: plot.district_code };
}
