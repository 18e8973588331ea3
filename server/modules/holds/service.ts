/**
 * Holds: a land officer holds an available plot for an applicant (enterprise name and
 * 统一社会信用代码) until a date. A held plot cannot be allocated to anyone else; the holder's
 * own proposal (matched by USCC) may be approved, which ends the hold.
 *
 * `held_until` is the last day of the hold, inclusive, on the bureau's calendar (Asia/Shanghai).
 * The database is the only source of truth: an expired hold is released lazily by any write
 * that locks the plot (create hold, approve, release) and by a periodic sweep (./routes.ts),
 * and reads compute `active` from the date, so a hold never outlives its day in any answer.
 *
 * Plot status moves only in locked transactions: available ↔ held here, available → allocated
 * and allocated → available in ../allocations/service.ts. Locks are taken in one order
 * everywhere: allocation, plot, hold, quota year, audit head. Queries are in ./repository.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { PlotStatus } from '../../../shared/domain.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { recordEvent, systemActor } from '../../kernel/audit.ts';
import type { Caller } from '../../kernel/caller.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { assertCanSeeDistrict, districtScope } from '../auth/scope.ts';
import { lockPlotIfAny } from '../plots/service.ts';
import {
  endHold,
  getHold,
  insertHold,
  lastHoldOf,
  lockUnreleasedHold,
  markExpired,
  pageOfHolds,
  plotDistrict,
  plotsWithExpiredHolds,
  setPlotStatus,
  unreleasedHoldId,
  type HoldFilters,
  type HoldView,
  type LockedPlot,
} from './repository.ts';

export { endHold, getHold, setPlotStatus, type HoldFilters, type HoldState, type HoldView, type LockedPlot } from './repository.ts';

/**
 * The plot, locked with the server's one plot lock (plots service), as holds and allocations
 * read it; undefined when there is no such plot.
 */
export async function lockPlot(trx: Transaction<Database>, plotId: number): Promise<LockedPlot | undefined> {
  const p = await lockPlotIfAny(trx, plotId);
  return p ? { id: p.id, code: p.code, status: p.status, areaM2: p.area_m2, districtCode: p.district_code } : undefined;
}

// --- Reading ------------------------------------------------------------------------------------

/** GET /api/holds: the holds the caller may see (a district officer: their district only). */
export async function listHolds(db: Kysely<Database>, caller: Caller, f: HoldFilters): Promise<{ items: HoldView[]; total: number }> {
  return pageOfHolds(db, f, districtScope(caller.user));
}

/** GET /api/plots/:id/holds: 404 for no such plot, 403 outside the caller's district. */
export async function listPlotHolds(db: Kysely<Database>, caller: Caller, plotId: number, page: { limit: number; offset: number }): Promise<{ items: HoldView[]; total: number }> {
  const plot = await plotDistrict(db, plotId);
  if (!plot) throw notFound(`Plot ${plotId}`);
  assertCanSeeDistrict(caller.user, plot.districtCode);
  return pageOfHolds(db, { plotId: plot.id, ...page }, { kind: 'all' });
}

// --- On a locked plot (used by allocations too) -------------------------------------------------

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
export async function currentHold(trx: Transaction<Database>, caller: Caller | null, plot: LockedPlot): Promise<UnreleasedHold | null> {
  const h = await lockUnreleasedHold(trx, plot.id);
  if (!h) return null;
  const hold = { id: h.id, applicantName: h.applicant_name, applicantUscc: h.applicant_uscc, heldUntil: h.held_until };
  if (h.held_until >= bureauToday()) return hold;
  await markExpired(trx, h.id);
  if (plot.status === 'held') {
    await setPlotStatus(trx, plot.id, 'available');
    plot.status = 'available';
  }
  await recordEvent(trx, {
    caller: caller ?? undefined,
    actor: systemActor('hold-expiry'),
    action: 'hold.expire',
    entity: 'plot_hold',
    entityId: h.id,
    before: { ...hold, plotId: plot.id, plotStatus: 'held' },
    after: { releaseReason: 'expired', plotStatus: plot.status },
  });
  return null;
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
export async function createHold(db: Kysely<Database>, caller: Caller, input: HoldInput & { plotId: number }): Promise<HoldView> {
  const { plotId, ...hold } = input;
  return inTransaction(db, (trx) => createHoldIn(trx, caller, plotId, hold));
}

/** The hold inside the caller's transaction — also how an investor's interest becomes a hold. */
export async function createHoldIn(trx: Transaction<Database>, caller: Caller, plotId: number, input: HoldInput): Promise<HoldView> {
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
  const hold = await currentHold(trx, caller, plot);
  if (plot.status !== 'available' || hold) {
    const m = unavailableMessage(plot, hold);
    throw plotUnavailable(`${m.en}; only an available plot can be held (${m.zh}，只有可供应地块可以保留).`, { plotId, plotStatus: plot.status, messageZh: m.zh, messageEn: m.en });
  }
  const id = await insertHold(trx, { plot_id: plotId, applicant_name: name, applicant_uscc: uscc.normalized, held_until: input.until, note: input.note ?? '', created_by: caller.user?.id ?? null });
  await setPlotStatus(trx, plotId, 'held');
  const view = (await getHold(trx, id))!;
  await recordEvent(trx, { caller, action: 'hold.create', entity: 'plot_hold', entityId: id, before: { plotId, plotStatus: 'available' }, after: { ...view, plotStatus: 'held' } });
  return view;
}

/**
 * POST /api/plots/:id/holds/release — ends the plot's hold and makes it available. Also clears
 * a `held` status that has no hold record (sample data, or set outside this system).
 */
export async function releaseHold(db: Kysely<Database>, caller: Caller, plotId: number): Promise<{ plotId: number; plotStatus: PlotStatus; hold: HoldView | null }> {
  return inTransaction(db, async (trx) => {
    const plot = await lockPlot(trx, plotId);
    if (!plot) throw notFound(`Plot ${plotId}`);
    const wasHeld = plot.status === 'held';
    const unreleased = await unreleasedHoldId(trx, plotId);
    const hold = await currentHold(trx, caller, plot);
    if (unreleased !== undefined && !hold) {
      // Its last day had passed: released just now as expired — what the caller wanted.
      return { plotId, plotStatus: plot.status, hold: (await getHold(trx, unreleased))! };
    }
    if (!hold && !wasHeld) {
      const last = await lastHoldOf(trx, plotId);
      const why = last?.release_reason === 'expired' ? ` (the last hold expired after ${last.held_until})` : '';
      throw new AppError(409, 'CONFLICT', `Plot ${plot.code} has no hold to release${why}; its status is ${plot.status} (该地块没有生效的保留).`, {
        reason: 'NO_ACTIVE_HOLD',
        plotId,
        plotStatus: plot.status,
      });
    }
    if (hold) await endHold(trx, hold.id, 'released', caller.user?.id ?? null);
    await setPlotStatus(trx, plotId, 'available');
    const view = hold ? (await getHold(trx, hold.id))! : null;
    await recordEvent(trx, {
      caller,
      action: 'hold.release',
      entity: hold ? 'plot_hold' : 'plot',
      entityId: hold ? hold.id : plotId,
      before: { plotId, plotStatus: 'held', hold },
      after: { plotId, plotStatus: 'available', releaseReason: 'released', withoutHoldRecord: !hold },
    });
    return { plotId, plotStatus: 'available' as const, hold: view };
  });
}

/**
 * Releases every hold whose last day has passed, one plot per transaction (short locks, and a
 * busy plot never holds up the rest). Safe on any number of replicas at once: each plot is
 * re-checked under its lock. Returns how many holds it released.
 */
export async function sweepExpiredHolds(db: Kysely<Database>): Promise<number> {
  const due = await plotsWithExpiredHolds(db, bureauToday());
  let released = 0;
  for (const plotId of due) {
    released += await inTransaction(db, async (trx) => {
      const plot = await lockPlot(trx, plotId);
      if (!plot) return 0;
      const before = await unreleasedHoldId(trx, plotId);
      const still = await currentHold(trx, null, plot);
      return before !== undefined && !still ? 1 : 0;
    });
  }
  return released;
}
