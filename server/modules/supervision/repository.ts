/**
 * Idle-land supervision in the database: the allocations under supervision (contracted or
 * completed, with an agreed start) and their progress, government delays, decisions and last
 * recorded stage; the statements the commands run. Executor first; functions that lock take a
 * `Transaction`. bigint columns are read as text (pg and PGlite differ).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { isoOrNull } from '../../kernel/dates.ts';
import type { DistrictScope } from '../auth/scope.ts';
import { fenToYuan } from '../../../shared/money.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export type StoredStage = Database['supervision_stages']['stage'];

export interface SupervisedFilters {
  ids?: readonly number[] | undefined;
  districtCode?: string | undefined;
  parkId?: number | undefined;
}

/** Contracted or completed allocations with an agreed start, the caller's scope and filters applied. */
export async function supervisedAllocations(db: Executor, f: SupervisedFilters, scope: DistrictScope) {
  if (scope.kind === 'none') return [];
  let q = db
    .selectFrom('allocations as a')
    .innerJoin('projects as pr', 'pr.id', 'a.project_id')
    .innerJoin('enterprises as e', 'e.id', 'pr.enterprise_id')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select([
      'a.id', 'a.plot_id', 'a.status', 'a.price_yuan', 'a.area_m2', 'a.agreed_start_on', 'a.started_on', 'a.completed_on', 'a.sample',
      'pl.code as plot_code', 'pk.id as park_id', 'pk.code as park_code', 'pk.district_code',
      'pr.name as project_name', 'pr.planned_investment_yuan', 'e.name as enterprise_name',
    ])
    .where('a.status', 'in', ['contracted', 'completed'])
    .where('a.agreed_start_on', 'is not', null);
  if (scope.kind === 'district') q = q.where('pk.district_code', '=', scope.code);
  if (f.districtCode !== undefined) q = q.where('pk.district_code', '=', f.districtCode);
  if (f.parkId !== undefined) q = q.where('pk.id', '=', f.parkId);
  if (f.ids !== undefined) {
    if (f.ids.length === 0) return [];
    q = q.where('a.id', 'in', [...f.ids]);
  }
  return q.orderBy('a.id').execute();
}

export type SupervisedRow = Awaited<ReturnType<typeof supervisedAllocations>>[number];

const byAllocation = <T extends { allocation_id: number }>(rows: T[]) => {
  const m = new Map<number, T[]>();
  for (const r of rows) {
    const list = m.get(r.allocation_id) ?? [];
    list.push(r);
    m.set(r.allocation_id, list);
  }
  return m;
};

/** Progress reports of these allocations, oldest first (ties by id: the later report wins). */
export async function progressOf(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return new Map<number, ProgressRow[]>();
  const rows = await db
    .selectFrom('allocation_progress as p')
    .leftJoin('users as u', 'u.id', 'p.recorded_by')
    .select(['p.id', 'p.allocation_id', 'p.reported_on', 'p.developed_area_m2', sql<string>`p.invested_fen::text`.as('invested_fen'), 'u.username as recorded_by', 'p.recorded_at', 'p.sample'])
    .where('p.allocation_id', 'in', [...ids])
    .orderBy('p.allocation_id')
    .orderBy('p.reported_on')
    .orderBy('p.id')
    .execute();
  return byAllocation(rows);
}

export type ProgressRow = {
  id: number; allocation_id: number; reported_on: string; developed_area_m2: string; invested_fen: string;
  recorded_by: string | null; recorded_at: Date; sample: boolean;
};

export async function delaysOf(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return new Map<number, DelayRow[]>();
  const rows = await db
    .selectFrom('government_delays as g')
    .leftJoin('users as u', 'u.id', 'g.recorded_by')
    .select(['g.id', 'g.allocation_id', 'g.cause', 'g.days', 'g.evidence', 'g.note', 'u.username as recorded_by', 'g.recorded_at'])
    .where('g.allocation_id', 'in', [...ids])
    .orderBy('g.id')
    .execute();
  return byAllocation(rows);
}

export type DelayRow = {
  id: number; allocation_id: number; cause: Database['government_delays']['cause']; days: number; evidence: string; note: string | null;
  recorded_by: string | null; recorded_at: Date;
};

export async function decisionsOf(db: Executor, ids: readonly number[]) {
  if (ids.length === 0) return new Map<number, DecisionRow[]>();
  const rows = await db
    .selectFrom('supervision_decisions as d')
    .leftJoin('users as u', 'u.id', 'd.decided_by')
    .select(['d.id', 'd.allocation_id', 'd.kind', 'd.document_no', 'd.decided_on', sql<string | null>`d.fee_fen::text`.as('fee_fen'), 'd.note', 'u.username as decided_by', 'd.recorded_at'])
    .where('d.allocation_id', 'in', [...ids])
    .orderBy('d.id')
    .execute();
  return byAllocation(rows);
}

/** The open inspection of each allocation (at most one: inspections_one_open_per_allocation). */
export async function openInspectionsOf(db: Executor, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('inspections').select(['id', 'allocation_id']).where('allocation_id', 'in', [...ids]).where('status', '=', 'open').execute();
  return new Map(rows.map((r) => [r.allocation_id, r.id]));
}

export type DecisionRow = {
  id: number; allocation_id: number; kind: Database['supervision_decisions']['kind']; document_no: string; decided_on: string;
  fee_fen: string | null; note: string | null; decided_by: string | null; recorded_at: Date;
};

/** The last recorded stages of these allocations (unlocked). */
export async function storedStages(db: Executor, ids: readonly number[]): Promise<Map<number, StoredStage>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('supervision_stages').select(['allocation_id', 'stage']).where('allocation_id', 'in', [...ids]).execute();
  return new Map(rows.map((r) => [r.allocation_id, r.stage]));
}

/** The same, locked (in allocation order, so concurrent writers queue instead of deadlocking). */
export async function lockStoredStages(trx: Transaction<Database>, ids: readonly number[]): Promise<Map<number, StoredStage>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('supervision_stages').select(['allocation_id', 'stage']).where('allocation_id', 'in', [...ids]).orderBy('allocation_id').forUpdate().execute();
  return new Map(rows.map((r) => [r.allocation_id, r.stage]));
}

/**
 * Records a stage: inserts the first one (false when a concurrent writer inserted it first), or
 * moves a locked row from `from` to `to`.
 */
export async function writeStage(trx: Transaction<Database>, allocationId: number, from: StoredStage | undefined, to: StoredStage, since: string): Promise<boolean> {
  if (from === undefined) {
    const r = await trx
      .insertInto('supervision_stages')
      .values({ allocation_id: allocationId, stage: to, since })
      .onConflict((oc) => oc.column('allocation_id').doNothing())
      .returning('allocation_id')
      .executeTakeFirst();
    return r !== undefined;
  }
  const r = await trx
    .updateTable('supervision_stages')
    .set({ stage: to, since, updated_at: sql<Date>`now()` })
    .where('allocation_id', '=', allocationId)
    .where('stage', '=', from)
    .returning('allocation_id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Locks an allocation row for a supervision write; undefined when there is none. */
export async function lockSupervisedAllocation(trx: Transaction<Database>, id: number) {
  return trx
    .selectFrom('allocations as a')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['a.id', 'a.status', 'a.area_m2', 'a.started_on', 'a.completed_on', 'a.agreed_start_on', 'pk.district_code'])
    .where('a.id', '=', id)
    .forUpdate('a')
    .executeTakeFirst();
}

/** The allocation's district (unlocked), for reads. */
export async function districtOfAllocation(db: Executor, id: number): Promise<string | undefined> {
  const r = await db
    .selectFrom('allocations as a')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select('pk.district_code')
    .where('a.id', '=', id)
    .executeTakeFirst();
  return r?.district_code;
}

export async function insertProgress(trx: Transaction<Database>, p: { allocation_id: number; reported_on: string; developed_area_m2: string; invested_fen: bigint; recorded_by: number }): Promise<number> {
  const r = await trx.insertInto('allocation_progress').values({ ...p, invested_fen: p.invested_fen.toString() }).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertDelay(
  trx: Transaction<Database>,
  d: { allocation_id: number; cause: DelayRow['cause']; days: number; evidence: string; note: string | null; recorded_by: number },
): Promise<number> {
  const r = await trx.insertInto('government_delays').values(d).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function insertDecision(
  trx: Transaction<Database>,
  d: { allocation_id: number; kind: DecisionRow['kind']; document_no: string; decided_on: string; fee_fen: bigint | null; note: string | null; decided_by: number },
): Promise<number> {
  const r = await trx
    .insertInto('supervision_decisions')
    .values({ ...d, fee_fen: d.fee_fen === null ? null : d.fee_fen.toString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

// --- Row → view ---------------------------------------------------------------------------------

export const progressView = (r: ProgressRow) => ({
  id: r.id,
  allocationId: r.allocation_id,
  on: r.reported_on,
  developedAreaM2: Number(r.developed_area_m2),
  investedYuan: fenToYuan(BigInt(r.invested_fen)),
  recordedBy: r.recorded_by,
  recordedAt: isoOrNull(r.recorded_at)!,
  sample: r.sample,
});

export const delayView = (r: DelayRow) => ({
  id: r.id,
  allocationId: r.allocation_id,
  cause: r.cause,
  days: r.days,
  evidence: r.evidence,
  note: r.note,
  recordedBy: r.recorded_by,
  recordedAt: isoOrNull(r.recorded_at)!,
});

export const decisionView = (r: DecisionRow) => ({
  id: r.id,
  allocationId: r.allocation_id,
  kind: r.kind,
  documentNo: r.document_no,
  decidedOn: r.decided_on,
  feeYuan: r.fee_fen === null ? null : fenToYuan(BigInt(r.fee_fen)),
  note: r.note,
  decidedBy: r.decided_by,
  recordedAt: isoOrNull(r.recorded_at)!,
});
