/**
 * Holds (the allocation issue §5): a land officer holds an available plot for an applicant
 * (enterprise name and 统一社会信用代码) until a date. A held plot cannot be allocated to anyone
 * else; the holder's own proposal (matched by USCC) may be approved, which ends the hold.
 *
 * `held_until` is the last day of the hold, inclusive, on the bureau's calendar (Asia/Shanghai).
 * The database is the only source of truth: an expired hold is released lazily by any write
 * that locks the plot (create hold, approve, release) and by a periodic sweep (routes/holds.ts),
 * and reads compute `active` from the date, so a hold never outlives its day in any answer.
 *
 * Plot status moves only in locked transactions: available ↔ held here, available → allocated
 * and allocated → available in ./allocations.ts. Locks are taken in one order everywhere:
 * allocation, plot, hold, quota year, audit head.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../kernel/db/schema.ts';
import type { PlotStatus } from '../../../shared/domain.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { recordEvent, systemActor } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
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

function toHoldView(r: HoldRow, today = bureauToday()): HoldView {
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

export async function listHolds(db: Executor, f: HoldFilters, scope: DistrictScope): Promise<{ items: HoldView[]; total: number }> {
  if (scope.kind === 'none') return { items: [], total: 0 };
  const today = bureauToday();
  let q = holdQuery(db);
  if (scope.kind === 'district') q = q.where('pk.district_code', '=', scope.code);
  if (f.plotId !== undefined) q = q.where('h.plot_id', '=', f.plotId);
  if (f.state === 'active') q = q.where('h.released_at', 'is', null).where('h.held_until', '>=', today);
  else if (f.state === 'expired') q = q.where((eb) => eb.or([eb('h.release_reason', '=', 'expired'), eb.and([eb('h.released_at', 'is', null), eb('h.held_until', '<', today)])]));
  else if (f.state) q = q.where('h.release_reason', '=', f.state);
  const [rows, count] = await Promise.all([
    q.orderBy('h.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map((r) => toHoldView(r, today)), total: count.n };
}

// --- Locked plot access (used by allocations too) ----------------------------------------------

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
export async function lockPlot(trx: Transaction<Database>, plotId: number): Promise<LockedPlot | undefined> {
  const p = await trx
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['pl.id', 'pl.code', 'pl.status', 'pl.area_m2', 'pk.district_code'])
    .where('pl.id', '=', plotId)
    .forNoKeyUpdate('pl')
    .executeTakeFirst();
  return p ? { id: p.id, code: p.code, status: p.status, areaM2: p.area_m2, districtCode: p.district_code } : undefined;
}

export async function setPlotStatus(trx: Transaction<Database>, plotId: number, status: PlotStatus): Promise<void> {
  await trx.updateTable('plots').set({ status }).where('id', '=', plotId).execute();
}

export interface UnreleasedHold {
  id: number;
  applicantName: string;
  applicantUscc: string;
  heldUntil: string;
}

/**
 * With the plot locked: releases its hold if the hold's last day has passed (reason `expired`,
 * audited as done by the system) and returns the hold still in force, if any. `plot.status`
 * is updated in place.
 */
export async function currentHold(trx: Transaction<Database>, plot: LockedPlot, ctx: { req?: FastifyRequest }): Promise<UnreleasedHold | null> {
  const h = await trx
    .selectFrom('plot_holds')
    .select(['id', 'applicant_name', 'applicant_uscc', 'held_until'])
    .where('plot_id', '=', plot.id)
    .where('released_at', 'is', null)
    .forUpdate()
    .executeTakeFirst();
  if (!h) return null;
  const hold = { id: h.id, applicantName: h.applicant_name, applicantUscc: h.applicant_uscc, heldUntil: h.held_until };
  if (h.held_until >= bureauToday()) return hold;
  await trx.updateTable('plot_holds').set({ released_at: sql<Date>`now()`, release_reason: 'expired' }).where('id', '=', h.id).execute();
  if (plot.status === 'held') {
    await setPlotStatus(trx, plot.id, 'available');
    plot.status = 'available';
  }
  await recordEvent(trx, {
    req: ctx.req,
    actor: systemActor('hold-expiry'),
    action: 'hold.expire',
    entity: 'plot_hold',
    entityId: h.id,
    before: { ...hold, plotId: plot.id, plotStatus: 'held' },
    after: { releaseReason: 'expired', plotStatus: plot.status },
  });
  return null;
}

/** Ends a hold (reason `released` by an officer, or `allocated` when the holder's allocation is approved). */
export async function endHold(trx: Transaction<Database>, holdId: number, reason: 'released' | 'allocated', userId: number | null): Promise<void> {
  await trx.updateTable('plot_holds').set({ released_at: sql<Date>`now()`, release_reason: reason, released_by: userId }).where('id', '=', holdId).execute();
}

const plotUnavailable = (message: string, details: Record<string, unknown>) => new AppError(409, 'PLOT_UNAVAILABLE', message, details);

/** Why a plot in this status cannot be held or allocated, in both languages. */
export function unavailableMessage(plot: { code: string; status: PlotStatus }, hold: UnreleasedHold | null): { zh: string; en: string } {
  if (plot.status === 'held' || hold) {
    return hold
      ? { zh: `地块 ${plot.code} 已为 ${hold.applicantName}（${hold.applicantUscc}）保留至 ${hold.heldUntil}`, en: `Plot ${plot.code} is held for ${hold.applicantName} (${hold.applicantUscc}) until ${hold.heldUntil}` }
      : { zh: `地块 ${plot.code} 处于保留状态（无保留记录），请先解除保留`, en: `Plot ${plot.code} is marked held without a hold record; release it first` };
  }
  if (plot.status === 'allocated') return { zh: `地块 ${plot.code} 已供地`, en: `Plot ${plot.code} is already allocated` };
  if (plot.status === 'withdrawn') return { zh: `地块 ${plot.code} 已撤出供应`, en: `Plot ${plot.code} has been withdrawn from supply` };
  if (plot.status === 'retired') return { zh: `地块 ${plot.code} 已因分割/合并注销`, en: `Plot ${plot.code} was retired (replaced by a split or merge)` };
  return { zh: `地块 ${plot.code} 不可供应`, en: `Plot ${plot.code} is not available` };
}

// --- Writes -------------------------------------------------------------------------------------

export interface HoldInput {
  applicant: { name: string; uscc: string };
  /** Last day of the hold, inclusive. */
  until: string;
  note?: string | undefined;
}

/** POST /api/plots/:id/holds — holds an available plot for an applicant until a date. */
export async function createHold(trx: Transaction<Database>, plotId: number, input: HoldInput, ctx: { req: FastifyRequest }): Promise<HoldView> {
  const name = input.applicant.name.trim();
  if (!name) throw badRequest('applicant.name must not be empty (申请单位名称不能为空).', { field: 'applicant.name' });
  const uscc = validateUscc(input.applicant.uscc);
  if (!uscc.ok) throw badRequest(`applicant.uscc: ${uscc.messageEn} (${uscc.messageZh}).`, { field: 'applicant.uscc', messageZh: uscc.messageZh, messageEn: uscc.messageEn });
  if (!isIsoDate(input.until)) throw badRequest(`until must be a date YYYY-MM-DD, got "${input.until}".`, { field: 'until' });
  const today = bureauToday();
  if (input.until < today) {
    throw badRequest(`until ${input.until} is in the past; a hold lasts until a date from today (${today}) on (保留截止日期不能早于今天).`, { field: 'until', today });
  }
  const plot = await lockPlot(trx, plotId);
  if (!plot) throw notFound(`Plot ${plotId}`);
  const hold = await currentHold(trx, plot, ctx);
  if (plot.status !== 'available' || hold) {
    const m = unavailableMessage(plot, hold);
    throw plotUnavailable(`${m.en}; only an available plot can be held (${m.zh}，只有可供应地块可以保留).`, { plotId, plotStatus: plot.status, messageZh: m.zh, messageEn: m.en });
  }
  const inserted = await trx
    .insertInto('plot_holds')
    .values({ plot_id: plotId, applicant_name: name, applicant_uscc: uscc.normalized, held_until: input.until, note: input.note ?? '', created_by: ctx.req.user?.id ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  await setPlotStatus(trx, plotId, 'held');
  const view = (await getHold(trx, inserted.id))!;
  await recordEvent(trx, { req: ctx.req, action: 'hold.create', entity: 'plot_hold', entityId: inserted.id, before: { plotId, plotStatus: 'available' }, after: { ...view, plotStatus: 'held' } });
  return view;
}

/**
 * POST /api/plots/:id/holds/release — ends the plot's hold and makes it available. Also clears
 * a `held` status that has no hold record (sample data, or set outside this system).
 */
export async function releaseHold(trx: Transaction<Database>, plotId: number, ctx: { req: FastifyRequest }): Promise<{ plotId: number; plotStatus: PlotStatus; hold: HoldView | null }> {
  const plot = await lockPlot(trx, plotId);
  if (!plot) throw notFound(`Plot ${plotId}`);
  const wasHeld = plot.status === 'held';
  const unreleased = await trx.selectFrom('plot_holds').select('id').where('plot_id', '=', plotId).where('released_at', 'is', null).executeTakeFirst();
  const hold = await currentHold(trx, plot, ctx);
  if (unreleased && !hold) {
    // Its last day had passed: released just now as expired — what the caller wanted.
    return { plotId, plotStatus: plot.status, hold: (await getHold(trx, unreleased.id))! };
  }
  if (!hold && !wasHeld) {
    const last = await trx.selectFrom('plot_holds').select(['held_until', 'release_reason']).where('plot_id', '=', plotId).orderBy('id', 'desc').executeTakeFirst();
    const why = last?.release_reason === 'expired' ? ` (the last hold expired after ${last.held_until})` : '';
    throw new AppError(409, 'CONFLICT', `Plot ${plot.code} has no hold to release${why}; its status is ${plot.status} (该地块没有生效的保留).`, {
      reason: 'NO_ACTIVE_HOLD',
      plotId,
      plotStatus: plot.status,
    });
  }
  if (hold) await endHold(trx, hold.id, 'released', ctx.req.user?.id ?? null);
  await setPlotStatus(trx, plotId, 'available');
  const view = hold ? (await getHold(trx, hold.id))! : null;
  await recordEvent(trx, {
    req: ctx.req,
    action: 'hold.release',
    entity: hold ? 'plot_hold' : 'plot',
    entityId: hold ? hold.id : plotId,
    before: { plotId, plotStatus: 'held', hold },
    after: { plotId, plotStatus: 'available', releaseReason: 'released', withoutHoldRecord: !hold },
  });
  return { plotId, plotStatus: 'available', hold: view };
}

/**
 * Releases every hold whose last day has passed, one plot per transaction (short locks, and a
 * busy plot never holds up the rest). Safe on any number of replicas at once: each plot is
 * re-checked under its lock. Returns how many holds it released.
 */
export async function sweepExpiredHolds(db: Kysely<Database>): Promise<number> {
  const due = await db
    .selectFrom('plot_holds')
    .select('plot_id')
    .where('released_at', 'is', null)
    .where('held_until', '<', bureauToday())
    .orderBy('plot_id')
    .execute();
  let released = 0;
  for (const { plot_id } of due) {
    released += await inTransaction(db, async (trx) => {
      const plot = await lockPlot(trx, plot_id);
      if (!plot) return 0;
      const before = await trx.selectFrom('plot_holds').select('id').where('plot_id', '=', plot_id).where('released_at', 'is', null).executeTakeFirst();
      const still = await currentHold(trx, plot, {});
      return before && !still ? 1 : 0;
    });
  }
  return released;
}
