/**
 * Allocating plots to projects (the allocation issue): propose → approve → contract →
 * milestones, or cancel before completion — under the annual quota (五(三)11) and the price
 * floor (五(三)14), safe under concurrency.
 *
 * Every write is one transaction (`idempotent` → `inTransaction`, retried on 40001/40P01) with an
 * audit event. Rows are locked in one order everywhere — allocation, plot, hold, quota year,
 * audit head — so concurrent writers queue instead of deadlocking. Approval:
 *
 *   lock the plot's open proposals in id order, this one among them (competing approvals queue
 *   on the first, and the winner closes the others as superseded without a deadlock) → the
 *   allocation (must be proposed; with four eyes on, not proposed by the approver) → the
 *   reference data in force (version ids read in
 *   the transaction) → lock the plot (available, or held for THIS applicant by USCC; an expired
 *   hold is released on the spot) and check it has no active allocation → recompute the floor
 *   from the plot and the reference data now, and check the price (shared `priceFloor` /
 *   `checkSupplyPrice`, rent floors via `longTermLease` / `leaseThenTransfer`) → plot allocated
 *   → the plot's other open proposals cancelled as superseded by this one → lock the quota year
 *   → `checkQuota` (shared) → one statement: the ledger charge (its trigger moves the cached
 *   totals under their CHECKs) and the decision record → audit (the approval, each supersession).
 *
 * The quota year's row is the one lock every approval of a year shares, so only the quota check,
 * one statement and the audit event run under it; a price below the floor is refused before it
 * is taken (when both fail, the floor is the answer).
 *
 * The database backs every rule up: the partial unique index `allocations_one_active_per_plot`
 * and the CHECKs on `quotas`. Should code ever let a violation through, the database refuses it
 * and {@link mapDbError} turns it into the same 409 the check would have given — never a 500.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { AllocationMode, AllocationStatus, Database } from '../../kernel/db/schema.ts';
import { ACTIVE_ALLOCATION_STATUSES } from '../../db/migrations/004_allocations.ts';
import type { MilestoneKind } from '../../../shared/contract/allocations.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import type { DistrictScope } from '../auth/scope.ts';
import { PROJECT_SECTORS, type ProjectSector, type ValidationFailure } from '../../../shared/domain.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { fenToYuan, tryYuanToFen } from '../../../shared/money.ts';
import { formatMoney } from '../../../shared/units.ts';
import {
  checkQuota,
  checkSupplyPrice,
  greenChannel,
  leaseThenTransfer,
  longTermLease,
  priceFloor,
  type FloorBinding,
  type PolicyParameters,
  type PriceFloor,
  type RentFloor,
} from '../../../shared/policy/index.ts';
import { loadReference, type ReferenceSet } from '../reference/service.ts';
import { costNotRecorded, floorResponse, plotFloorBasis, policyFailure, type PlotFloorBasis } from '../quotes/service.ts';
import { lockQuota, muFigure, toQuotaView } from '../quotas/service.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { currentHold, endHold, lockPlot, setPlotStatus, unavailableMessage, type UnreleasedHold } from '../holds/service.ts';
import { idempotent, type IdempotentResult } from '../../kernel/idempotency.ts';
import { isoOrNull } from '../../kernel/dates.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const ACTIVE = ACTIVE_ALLOCATION_STATUSES as readonly AllocationStatus[];

// --- Errors ---------------------------------------------------------------------------------------

const both = (en: string, zh: string) => `${en} (${zh})`;

function plotUnavailable(plot: { id: number; code: string; status: string }, m: { zh: string; en: string }, extra: Record<string, unknown> = {}) {
  return new AppError(409, 'PLOT_UNAVAILABLE', both(`${m.en}; it cannot be allocated to this project`, `${m.zh}，不能供应给本项目`), {
    plotId: plot.id,
    plotStatus: plot.status,
    messageZh: m.zh,
    messageEn: m.en,
    ...extra,
  });
}

function wrongStatus(id: number, status: AllocationStatus, action: string, allowed: readonly AllocationStatus[]) {
  return new AppError(409, 'CONFLICT', `Allocation ${id} is ${status}; only a ${allowed.join(' or ')} allocation can be ${action} (当前状态不允许此操作).`, {
    reason: 'INVALID_STATUS',
    status,
    allowed,
  });
}

function supersededError(id: number, winner: number) {
  const zh = `申请 #${id} 已被 #${winner} 取代（同一地块已批准给 #${winner}），不能再批准`;
  const en = `Allocation ${id} was superseded by allocation #${winner}, approved for the same plot; it can no longer be approved`;
  return new AppError(409, 'SUPERSEDED', both(en, zh), { reason: 'SUPERSEDED', status: 'cancelled', supersededBy: winner, messageZh: zh, messageEn: en });
}

function fourEyesError(id: number) {
  const zh = `四眼原则：申请 #${id} 由您提出，须由另一名土地管理人员批准`;
  const en = `Four eyes: you proposed allocation ${id}, so another land officer must approve it`;
  return new AppError(409, 'FOUR_EYES', both(en, zh), { reason: 'FOUR_EYES', messageZh: zh, messageEn: en });
}

/**
 * The database's own refusals, as the API's answers: the one-active-allocation index → 409
 * PLOT_UNAVAILABLE, the quota CHECKs → 409 QUOTA_EXCEEDED, unique contract numbers → 409.
 */
export function mapDbError(err: unknown): unknown {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  const constraint = typeof e.constraint === 'string' ? e.constraint : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const names = (n: string) => constraint === n || message.includes(`"${n}"`);
  if (e.code === '23505' && names('allocations_one_active_per_plot')) {
    return new AppError(409, 'PLOT_UNAVAILABLE', both('The plot already has an active allocation; it cannot be allocated again', '该地块已有生效的供地，不能重复供应'), { constraint: 'allocations_one_active_per_plot' });
  }
  if (e.code === '23514' && (names('quotas_approved_within_quota') || names('quotas_non_iab_within_unreserved'))) {
    return new AppError(409, 'QUOTA_EXCEEDED', both('This approval would exceed the year’s quota (or use the IAB reserve for a non-IAB project)', '本次审批将超出年度指标（或非IAB项目占用IAB预留指标）'), { constraint: constraint || null });
  }
  if (e.code === '23505' && (names('allocations_contract_no_key') || names('allocations_supervision_no_key'))) {
    const which = names('allocations_contract_no_key') ? 'contract number (出让合同编号)' : 'electronic supervision number (电子监管号)';
    return new AppError(409, 'CONFLICT', `This ${which} is already recorded on another allocation; check the number.`, { reason: 'DUPLICATE_NUMBER' });
  }
  return err;
}

async function mapped<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw mapDbError(err);
  }
}

// --- The floor for an allocation's terms (五(三)14) --------------------------------------------

export interface Terms {
  mode: AllocationMode;
  termYears: number;
  leaseYears: number | null;
  priceYuan: number | string;
  annualRentYuan: number | string | null;
  iab: boolean;
}

export interface FloorCheck {
  /** `price`: the supply price against the (term-corrected) floor; `annual_rent`: a rent against the rent floor. */
  subject: 'price' | 'annual_rent';
  offeredYuan: number;
  floorYuan: number;
  ok: boolean;
  shortfallYuan: number;
}

type FloorJson = ReturnType<typeof floorResponse>;

export interface FloorEvaluation {
  mode: AllocationMode;
  termYears: number;
  leaseYears: number | null;
  /** The figure the decisive check compares with: the price floor, or for a long-term lease the annual rent floor. */
  floorYuan: number;
  /** Which term of max(0.7·B·A·K, C, N·A·K) binds. */
  binding: FloorBinding;
  /** The land price floor used: K(term) for transfer modes, the 50-year floor behind a rent. */
  priceFloor: FloorJson;
  rentFloor: { annualRentFloorYuan: number; rentShareBp: number; messageZh: string; messageEn: string } | null;
  checks: FloorCheck[];
  ok: boolean;
  messageZh: string;
  messageEn: string;
}

const money = (fen: bigint, locale: 'zh-CN' | 'en') => formatMoney(fen, locale);

function fail(f: ValidationFailure, field?: string): never {
  throw policyFailure(field ? { ...f, field } : f);
}

function check(subject: FloorCheck['subject'], offered: number | string, floorFen: bigint, field: string): FloorCheck & { priceFen: bigint } {
  const c = checkSupplyPrice({ priceYuan: offered, floorFen });
  if (!c.ok && c.code === 'VALIDATION_FAILED') fail(c, field);
  const priceFen = c.priceFen;
  return {
    subject,
    offeredYuan: fenToYuan(priceFen),
    floorYuan: fenToYuan(floorFen),
    ok: c.ok,
    shortfallYuan: c.ok ? 0 : fenToYuan(c.shortfallFen),
    priceFen,
  };
}

function rentJson(r: RentFloor) {
  return { annualRentFloorYuan: fenToYuan(r.annualRentFloorFen), rentShareBp: r.rentShareBp, messageZh: r.messageZh, messageEn: r.messageEn };
}

/**
 * The mode's term rules and floors for a plot's figures. Term problems → 400 naming the field;
 * otherwise the evaluation, `ok` false when the price or rent is below its floor.
 */
export function evaluateFloor(basis: PlotFloorBasis, params: PolicyParameters, t: Terms): FloorEvaluation {
  const max = params.statutoryMaxTermYears;
  const figures = { areaM2: basis.areaM2, benchmarkYuanPerM2: basis.benchmarkYuanPerM2, costYuan: basis.costYuan, nationalMinYuanPerM2: basis.nationalMinYuanPerM2, provincialMinYuanPerM2: basis.provincialMinYuanPerM2, iab: t.iab, params };
  if (t.mode !== 'lease_then_transfer' && t.leaseYears !== null) throw badRequest(`leaseYears is only for mode lease_then_transfer (先租后让); remove it for ${t.mode}.`, { field: 'leaseYears' });
  if (t.mode !== 'lease_then_transfer' && t.annualRentYuan !== null) {
    throw badRequest(`annualRentYuan is only for mode lease_then_transfer; ${t.mode === 'long_term_lease' ? 'for a long-term lease priceYuan is the annual rent' : `remove it for ${t.mode}`}.`, { field: 'annualRentYuan' });
  }
  const priceCheck = (floor: PriceFloor, subject: FloorCheck['subject'] = 'price') => check(subject, t.priceYuan, floor.floorFen, 'priceYuan');

  switch (t.mode) {
    case 'transfer':
    case 'flexible_term': {
      if (t.mode === 'transfer' && t.termYears !== max) {
        throw badRequest(`A transfer (出让) is for the statutory ${max} years; for ${t.termYears} years use mode flexible_term (弹性年期出让).`, { field: 'termYears' });
      }
      if (t.mode === 'flexible_term' && (!Number.isInteger(t.termYears) || t.termYears < 1 || t.termYears >= max)) {
        throw badRequest(`A flexible-term transfer (弹性年期出让) is for 1–${max - 1} whole years; for ${max} years use mode transfer.`, { field: 'termYears' });
      }
      const floor = priceFloor({ ...figures, termYears: t.termYears });
      if (!floor.ok) fail(floor, 'termYears');
      const c = priceCheck(floor);
      const below = checkSupplyPrice({ priceYuan: t.priceYuan, floorFen: floor.floorFen });
      return {
        mode: t.mode, termYears: t.termYears, leaseYears: null, floorYuan: c.floorYuan, binding: floor.binding,
        priceFloor: floorResponse(floor), rentFloor: null, checks: [strip(c)], ok: c.ok,
        messageZh: below.ok ? floor.messageZh : `${below.messageZh}。${floor.messageZh}`,
        messageEn: below.ok ? floor.messageEn : `${below.messageEn}. ${floor.messageEn}`,
      };
    }
    case 'long_term_lease': {
      const lease = longTermLease({ ...figures, leaseYears: t.termYears });
      if (!lease.ok) fail(lease, 'termYears');
      const c = check('annual_rent', t.priceYuan, lease.annualRentFloorFen, 'priceYuan');
      const zh = c.ok ? lease.messageZh : `年租金 ${money(c.priceFen, 'zh-CN')} 低于年租金底价 ${money(lease.annualRentFloorFen, 'zh-CN')}`;
      const en = c.ok ? lease.messageEn : `Annual rent ${money(c.priceFen, 'en')} is below the annual rent floor ${money(lease.annualRentFloorFen, 'en')}`;
      return {
        mode: t.mode, termYears: t.termYears, leaseYears: null, floorYuan: c.floorYuan, binding: lease.floor50.binding,
        priceFloor: floorResponse(lease.floor50), rentFloor: rentJson(lease), checks: [strip(c)], ok: c.ok,
        messageZh: c.ok ? `${lease.messageZh}。${lease.floor50.messageZh}` : `${zh}。${lease.messageZh}。${lease.floor50.messageZh}`,
        messageEn: c.ok ? `${lease.messageEn}. ${lease.floor50.messageEn}` : `${en}. ${lease.messageEn}. ${lease.floor50.messageEn}`,
      };
    }
    case 'lease_then_transfer': {
      if (t.leaseYears === null) throw badRequest('leaseYears is required for mode lease_then_transfer (先租后让): the years of lease before the transfer.', { field: 'leaseYears' });
      if (t.annualRentYuan === null) throw badRequest('annualRentYuan is required for mode lease_then_transfer: the annual rent during the lease.', { field: 'annualRentYuan' });
      const ltt = leaseThenTransfer({ ...figures, leaseYears: t.leaseYears, transferYears: t.termYears });
      if (!ltt.ok) fail(ltt, ltt.field === 'transferYears' ? 'termYears' : ltt.field);
      const rent = check('annual_rent', t.annualRentYuan, ltt.annualRentFloorFen, 'annualRentYuan');
      const price = priceCheck(ltt.transferFloor);
      const parts: { zh: string[]; en: string[] } = { zh: [], en: [] };
      if (!rent.ok) {
        parts.zh.push(`年租金 ${money(rent.priceFen, 'zh-CN')} 低于年租金底价 ${money(ltt.annualRentFloorFen, 'zh-CN')}`);
        parts.en.push(`Annual rent ${money(rent.priceFen, 'en')} is below the annual rent floor ${money(ltt.annualRentFloorFen, 'en')}`);
      }
      if (!price.ok) {
        parts.zh.push(`出让价格 ${money(price.priceFen, 'zh-CN')} 低于 ${t.termYears} 年出让底价 ${money(ltt.transferFloor.floorFen, 'zh-CN')}`);
        parts.en.push(`Transfer price ${money(price.priceFen, 'en')} is below the ${t.termYears}-year transfer floor ${money(ltt.transferFloor.floorFen, 'en')}`);
      }
      // The first failing check is the decisive one; without failures, the transfer floor.
      const decisive = !rent.ok && price.ok ? rent : price;
      return {
        mode: t.mode, termYears: t.termYears, leaseYears: t.leaseYears, floorYuan: decisive.floorYuan,
        binding: decisive === rent ? ltt.rent.floor50.binding : ltt.transferFloor.binding,
        priceFloor: floorResponse(ltt.transferFloor), rentFloor: rentJson(ltt.rent), checks: [strip(rent), strip(price)], ok: rent.ok && price.ok,
        messageZh: [...parts.zh, ltt.messageZh].join('。'),
        messageEn: [...parts.en, ltt.messageEn].join('. '),
      };
    }
  }
}

function strip(c: FloorCheck & { priceFen: bigint }): FloorCheck {
  const { priceFen: _p, ...rest } = c;
  return rest;
}

export function referenceSummary(ref: ReferenceSet) {
  return {
    asOf: ref.asOf,
    versions: Object.fromEntries(Object.entries(ref.versions).map(([k, v]) => [k, { id: v.id, effectiveFrom: v.effectiveFrom }])) as Record<string, { id: number; effectiveFrom: string }>,
  };
}

function belowFloor(ev: FloorEvaluation, ref: ReferenceSet, extra: { when: 'propose' | 'approve'; proposedFloorYuan?: number } ) {
  const failing = ev.checks.find((c) => !c.ok)!;
  const changed = extra.proposedFloorYuan !== undefined && extra.proposedFloorYuan !== ev.floorYuan;
  const zhNote = changed ? `（提议时底价为 ${extra.proposedFloorYuan} 元，参考数据已更新）` : '';
  const enNote = changed ? ` (the floor was ¥${extra.proposedFloorYuan} when proposed; the reference data has changed since)` : '';
  return new AppError(422, 'BELOW_PRICE_FLOOR', both(`${ev.messageEn}${enNote}`, `${ev.messageZh}${zhNote}`), {
    subject: failing.subject,
    offeredYuan: failing.offeredYuan,
    floorYuan: failing.floorYuan,
    shortfallYuan: failing.shortfallYuan,
    binding: ev.binding,
    termYears: ev.termYears,
    termFactor: ev.priceFloor.termFactor,
    components: ev.priceFloor.components,
    rentFloor: ev.rentFloor,
    checks: ev.checks,
    referenceVersions: Object.fromEntries(Object.entries(ref.versions).map(([k, v]) => [k, v.id])),
    checkedAt: extra.when,
    ...(extra.proposedFloorYuan !== undefined ? { proposedFloorYuan: extra.proposedFloorYuan } : {}),
    messageZh: `${ev.messageZh}${zhNote}`,
    messageEn: `${ev.messageEn}${enNote}`,
  });
}

// --- The reference data in force -------------------------------------------------------------

let cachedReference: { key: string; ref: ReferenceSet } | undefined;

/**
 * `loadReference` for today, read once per set of versions: one query finds the versions in
 * force, and the rows are reloaded only when a version changes. Safe on any number of replicas
 * because versions are immutable in the database (a trigger refuses UPDATE and DELETE), so a set
 * of version ids always means the same figures; the ids themselves are read in the caller's
 * transaction, never assumed.
 */
export async function referenceInForce(trx: Executor): Promise<ReferenceSet> {
  const asOf = new Date().toISOString().slice(0, 10); // the same day loadReference defaults to
  const ids = await sql<{ kind: string; id: number }>`
    select distinct on (kind) kind, id from reference_versions
     where effective_from <= ${asOf}::date order by kind, effective_from desc, id desc`.execute(trx);
  const key = `${asOf}|${ids.rows.map((r) => `${r.kind}=${r.id}`).join(',')}`;
  if (cachedReference?.key === key) return cachedReference.ref;
  const ref = await loadReference(trx, asOf);
  const loadedKey = `${asOf}|${Object.entries(ref.versions).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v.id}`).join(',')}`;
  if (loadedKey === key) cachedReference = { key, ref };
  return ref;
}

// --- Reading ------------------------------------------------------------------------------------------

function allocationQuery(db: Executor) {
  return db
    .selectFrom('allocations as a')
    .innerJoin('projects as pr', 'pr.id', 'a.project_id')
    .innerJoin('enterprises as e', 'e.id', 'pr.enterprise_id')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .leftJoin('users as cu', 'cu.id', 'a.created_by')
    .leftJoin('users as au', 'au.id', 'a.approved_by')
    .leftJoin('users as xu', 'xu.id', 'a.cancelled_by')
    .select([
      'a.id', 'a.plot_id', 'a.project_id', 'a.quota_year', 'a.status', 'a.mode', 'a.term_years', 'a.lease_years', 'a.price_yuan',
      'a.annual_rent_yuan', 'a.iab', 'a.area_m2', 'a.proposed_floor', 'a.decision', 'a.contract_no', 'a.supervision_no', 'a.signed_on',
      'a.agreed_handover_on', 'a.agreed_start_on', 'a.agreed_completion_on', 'a.handed_over_on', 'a.started_on', 'a.completed_on',
      'a.cancel_reason', 'a.created_at', 'a.approved_at', 'a.contracted_at', 'a.cancelled_at', 'a.updated_at', 'a.sample', 'a.superseded_by', 'a.green_channel',
      'cu.username as created_by_name', 'au.username as approved_by_name', 'xu.username as cancelled_by_name',
      'pr.name as project_name', 'pr.sector', 'pr.sub_sector', 'pr.planned_investment_yuan', 'pr.key_project',
      'e.id as enterprise_id', 'e.name as enterprise_name', 'e.uscc',
      'pl.code as plot_code', 'pl.status as plot_status', 'pk.id as park_id', 'pk.code as park_code', 'pk.district_code',
    ]);
}

type AllocationRow = Awaited<ReturnType<ReturnType<typeof allocationQuery>['executeTakeFirstOrThrow']>>;


function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** The floor evaluation stored with a proposal. */
export type ProposedFloorRecord = FloorEvaluation & { reference: ReturnType<typeof referenceSummary>; basisAreaM2: number };

/** The decision record stored at approval (see approveAllocation for every field). */
export interface DecisionRecord {
  approvedAt: string;
  approvedBy: { userId: number; username: string; displayName: string; role: string };
  floor: FloorEvaluation;
  inputs: Record<string, unknown>;
  reference: Record<string, unknown>;
  quota: Record<string, unknown>;
  [field: string]: unknown;
}

export function toAllocationView(r: AllocationRow, today = bureauToday()) {
  const overdue = r.status === 'contracted' && r.agreed_start_on !== null && r.agreed_start_on < today && r.started_on === null;
  const proposedFloor = r.proposed_floor as ProposedFloorRecord;
  const decision = r.decision as DecisionRecord | null;
  return {
    id: r.id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    plotStatus: r.plot_status,
    parkId: r.park_id,
    parkCode: r.park_code,
    districtCode: r.district_code,
    status: r.status as AllocationStatus,
    quotaYear: r.quota_year,
    mode: r.mode,
    termYears: r.term_years,
    leaseYears: r.lease_years,
    priceYuan: Number(r.price_yuan),
    annualRentYuan: r.annual_rent_yuan === null ? null : Number(r.annual_rent_yuan),
    areaM2: Number(r.area_m2),
    areaMu: muFigure(r.area_m2),
    iab: r.iab,
    /** The floor that applies: the approved decision's, else the one computed at proposal. */
    floorYuan: (decision?.floor ?? proposedFloor).floorYuan,
    binding: (decision?.floor ?? proposedFloor).binding,
    project: {
      id: r.project_id,
      name: r.project_name,
      sector: r.sector as ProjectSector,
      subSector: r.sub_sector,
      iab: r.iab,
      plannedInvestmentYuan: r.planned_investment_yuan === null ? null : Number(r.planned_investment_yuan),
      keyProject: r.key_project,
      enterprise: { id: r.enterprise_id, name: r.enterprise_name, uscc: r.uscc },
    },
    contract: r.contract_no === null ? null : {
      contractNo: r.contract_no,
      supervisionNo: r.supervision_no!,
      signedOn: r.signed_on!,
      agreedHandoverOn: r.agreed_handover_on!,
      agreedStartOn: r.agreed_start_on!,
      agreedCompletionOn: r.agreed_completion_on!,
    },
    milestones: { handedOverOn: r.handed_over_on, startedOn: r.started_on, completedOn: r.completed_on },
    overdue,
    overdueDays: overdue ? daysBetween(r.agreed_start_on!, today) : null,
    cancelReason: r.cancel_reason,
    /** The allocation that took the plot when this proposal was closed (cancelled, reason superseded). */
    supersededBy: r.superseded_by,
    /** On the approval green channel (五(三)12: core park or key IAB project), decided at proposal. */
    greenChannel: r.green_channel,
    /** Days an open proposal has waited since it was proposed (bureau calendar); null once decided. */
    waitingDays: r.status === 'proposed' ? Math.max(0, daysBetween(bureauToday(new Date(r.created_at)), today)) : null,
    createdBy: r.created_by_name,
    createdAt: isoOrNull(r.created_at)!,
    approvedBy: r.approved_by_name,
    approvedAt: isoOrNull(r.approved_at),
    contractedAt: isoOrNull(r.contracted_at),
    cancelledBy: r.cancelled_by_name,
    cancelledAt: isoOrNull(r.cancelled_at),
    updatedAt: isoOrNull(r.updated_at)!,
    sample: r.sample,
    proposedFloor,
    decision,
  };
}

export type AllocationView = ReturnType<typeof toAllocationView>;

export async function getAllocation(db: Executor, id: number): Promise<AllocationView | undefined> {
  const r = await allocationQuery(db).where('a.id', '=', id).executeTakeFirst();
  return r ? toAllocationView(r) : undefined;
}

export interface AllocationFilters {
  status?: AllocationStatus[] | undefined;
  quotaYear?: number | undefined;
  plotId?: number | undefined;
  parkId?: number | undefined;
  districtCode?: string | undefined;
  sector?: ProjectSector | undefined;
  iab?: boolean | undefined;
  overdue?: boolean | undefined;
  greenChannel?: boolean | undefined;
  /** `newest` (default) or `green_first`: green-channel allocations first, then newest first. */
  sort?: 'newest' | 'green_first' | undefined;
  limit: number;
  offset: number;
}

/** A page of allocations (newest first) the caller may see; list items leave out the bulky records. */
export async function listAllocations(db: Executor, f: AllocationFilters, scope: DistrictScope) {
  if (scope.kind === 'none') return { items: [], total: 0 };
  const today = bureauToday();
  let q = allocationQuery(db);
  if (scope.kind === 'district') q = q.where('pk.district_code', '=', scope.code);
  if (f.status?.length) q = q.where('a.status', 'in', f.status);
  if (f.quotaYear !== undefined) q = q.where('a.quota_year', '=', f.quotaYear);
  if (f.plotId !== undefined) q = q.where('a.plot_id', '=', f.plotId);
  if (f.parkId !== undefined) q = q.where('pk.id', '=', f.parkId);
  if (f.districtCode !== undefined) q = q.where('pk.district_code', '=', f.districtCode);
  if (f.sector !== undefined) q = q.where('pr.sector', '=', f.sector);
  if (f.iab !== undefined) q = q.where('a.iab', '=', f.iab);
  if (f.greenChannel !== undefined) q = q.where('a.green_channel', '=', f.greenChannel);
  if (f.overdue !== undefined) {
    const overdue = sql<boolean>`(a.status = 'contracted' and a.agreed_start_on < ${today}::date and a.started_on is null)`;
    q = q.where(f.overdue ? overdue : sql<boolean>`not ${overdue}`);
  }
  const [rows, count] = await Promise.all([
    (f.sort === 'green_first' ? q.orderBy('a.green_channel', 'desc') : q).orderBy('a.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.clearSelect().select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => {
      const { proposedFloor: _p, decision: _d, ...item } = toAllocationView(r, today);
      return item;
    }),
    total: count.n,
  };
}

// --- Writes -----------------------------------------------------------------------------------------

export interface ProposeInput {
  plotId: number;
  quotaYear: number;
  mode: AllocationMode;
  termYears: number;
  leaseYears?: number | undefined;
  priceYuan: number;
  annualRentYuan?: number | undefined;
  project: {
    name: string;
    enterprise: { name: string; uscc: string };
    sector: ProjectSector;
    iab: boolean;
    subSector?: string | undefined;
    plannedInvestmentYuan?: number | undefined;
    keyProject?: boolean | undefined;
  };
}

export interface WriteContext {
  req: FastifyRequest;
  idempotencyKey?: string | undefined;
}

function actorId(ctx: WriteContext): number {
  if (!ctx.req.user) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first (请先登录).');
  return ctx.req.user.id;
}

/** Checks that need no database: the project, its enterprise and the money fields. */
function validateProposal(input: ProposeInput): { uscc: string } {
  const p = input.project;
  if (!(PROJECT_SECTORS as readonly string[]).includes(p.sector)) throw badRequest(`project.sector must be one of ${PROJECT_SECTORS.join(', ')}.`, { field: 'project.sector' });
  if (p.iab !== (p.sector !== 'other')) {
    throw badRequest(
      p.iab
        ? `project.iab is true but sector is "other": an IAB project's sector is ngit, ai or biomed (IAB项目的行业须为新一代信息技术、人工智能或生物医药).`
        : `project.iab is false but sector is "${p.sector}", an IAB sector: set iab to true, or sector to "other" for a non-IAB project (行业与IAB标识不一致).`,
      { field: 'project.iab' },
    );
  }
  if (p.keyProject && !p.iab) throw badRequest('project.keyProject marks a key IAB project (IAB重点项目); a non-IAB project cannot be one.', { field: 'project.keyProject' });
  if (!p.name.trim()) throw badRequest('project.name must not be empty (项目名称不能为空).', { field: 'project.name' });
  if (!p.enterprise.name.trim()) throw badRequest('project.enterprise.name must not be empty (企业名称不能为空).', { field: 'project.enterprise.name' });
  const uscc = validateUscc(p.enterprise.uscc);
  if (!uscc.ok) {
    throw badRequest(`project.enterprise.uscc: ${uscc.messageEn} (${uscc.messageZh}).`, { field: 'project.enterprise.uscc', reason: uscc.reason, messageZh: uscc.messageZh, messageEn: uscc.messageEn });
  }
  if (p.plannedInvestmentYuan !== undefined) {
    const fen = tryYuanToFen(p.plannedInvestmentYuan);
    if (!fen.ok || fen.fen < 0n) throw badRequest('project.plannedInvestmentYuan must be an amount in yuan ≥ 0 with at most 2 decimals.', { field: 'project.plannedInvestmentYuan' });
  }
  return { uscc: uscc.normalized };
}

const yuanText = (v: number | string) => {
  const r = tryYuanToFen(v);
  if (!r.ok) throw badRequest(`Amount ${String(v)} must be in yuan with at most 2 decimals.`);
  return (Number(r.fen) / 100).toFixed(2);
};

/** POST /api/allocations: a proposal, its price checked against the floor in force today. */
export async function proposeAllocation(db: Kysely<Database>, input: ProposeInput, ctx: WriteContext): Promise<IdempotentResult<AllocationView>> {
  const scope = { key: ctx.idempotencyKey, userId: actorId(ctx), route: 'POST /api/allocations', request: input };
  return idempotent(db, scope, 201, (trx) => proposeAllocationIn(trx, input, ctx));
}

/**
 * The proposal inside the caller's transaction — also how an investor's interest becomes a
 * proposal in one transaction (./interests.ts). The database's refusals come back as the
 * answers of {@link mapDbError}.
 */
export async function proposeAllocationIn(trx: Transaction<Database>, input: ProposeInput, ctx: WriteContext): Promise<AllocationView> {
  const userId = actorId(ctx);
  const { uscc } = validateProposal(input);
  return mapped(async () => {
    const plot = await trx
      .selectFrom('plots as pl')
      .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['pl.id', 'pl.code', 'pl.status', 'pk.tier'])
      .where('pl.id', '=', input.plotId)
      // Shared lock: an approval of this plot (which holds it FOR UPDATE and closes the plot's
      // open proposals) finishes first, so no proposal is left open beside an active allocation.
      .forShare('pl')
      .executeTakeFirst();
    if (!plot) throw badRequest(`plotId ${input.plotId}: no such plot.`, { field: 'plotId' });
    // A plot already taken (or withdrawn, or held for someone else) cannot be proposed for.
    const active = await trx.selectFrom('allocations').select('id').where('plot_id', '=', plot.id).where('status', 'in', ACTIVE).executeTakeFirst();
    const hold = await trx
      .selectFrom('plot_holds')
      .select(['id', 'applicant_name', 'applicant_uscc', 'held_until'])
      .where('plot_id', '=', plot.id)
      .where('released_at', 'is', null)
      .where('held_until', '>=', bureauToday())
      .executeTakeFirst();
    const heldForOther = hold && hold.applicant_uscc !== uscc;
    const legacyHeld = plot.status === 'held' && !hold && !(await expiredHoldExists(trx, plot.id));
    if (active || plot.status === 'allocated' || plot.status === 'withdrawn' || plot.status === 'retired' || heldForOther || legacyHeld) {
      const h: UnreleasedHold | null = hold ? { id: hold.id, applicantName: hold.applicant_name, applicantUscc: hold.applicant_uscc, heldUntil: hold.held_until } : null;
      throw plotUnavailable(plot, unavailableMessage({ code: plot.code, status: active ? 'allocated' : plot.status }, heldForOther ? h : null), active ? { allocationId: active.id } : {});
    }

    const ref = await referenceInForce(trx);
    const basis = await plotFloorBasis(trx, plot.id, ref);
    if (basis.costYuan === null) throw costNotRecorded(basis); // 五(三)14: no floor without C (nothing written yet)
    const ev = evaluateFloor(basis, ref.params, termsOf(input));
    if (!ev.ok) throw belowFloor(ev, ref, { when: 'propose' });

    const p = input.project;
    const enterprise = await trx
      .insertInto('enterprises')
      .values({ name: p.enterprise.name.trim(), uscc })
      .onConflict((oc) => oc.column('uscc').doUpdateSet({ name: (eb) => eb.ref('excluded.name'), updated_at: sql<Date>`now()` }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const project = await trx
      .insertInto('projects')
      .values({
        name: p.name.trim(),
        enterprise_id: enterprise.id,
        sector: p.sector,
        sub_sector: p.subSector?.trim() || null,
        iab: p.iab,
        planned_investment_yuan: p.plannedInvestmentYuan === undefined ? null : yuanText(p.plannedInvestmentYuan),
        key_project: p.keyProject ?? false,
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const proposedFloor = { ...ev, reference: referenceSummary(ref), basisAreaM2: basis.areaM2 };
    const row = await trx
      .insertInto('allocations')
      .values({
        plot_id: plot.id,
        project_id: project.id,
        quota_year: input.quotaYear,
        mode: input.mode,
        term_years: input.termYears,
        lease_years: input.leaseYears ?? null,
        price_yuan: yuanText(input.priceYuan),
        annual_rent_yuan: input.annualRentYuan === undefined ? null : yuanText(input.annualRentYuan),
        iab: p.iab,
        area_m2: basis.areaM2.toFixed(2),
        proposed_floor: JSON.stringify(proposedFloor),
        green_channel: greenChannel({ parkTier: plot.tier, keyProject: p.keyProject ?? false }).greenChannel,
        created_by: userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const view = (await getAllocation(trx, row.id))!;
    await recordEvent(trx, { req: ctx.req, action: 'allocation.propose', entity: 'allocation', entityId: row.id, after: summary(view) });
    return view;
  });
}

async function expiredHoldExists(trx: Transaction<Database>, plotId: number): Promise<boolean> {
  const r = await trx.selectFrom('plot_holds').select('id').where('plot_id', '=', plotId).where('released_at', 'is', null).executeTakeFirst();
  return r !== undefined;
}

function termsOf(a: { mode: AllocationMode; termYears: number; leaseYears?: number | null | undefined; priceYuan: number | string; annualRentYuan?: number | string | null | undefined }, iab?: boolean): Terms {
  return {
    mode: a.mode,
    termYears: a.termYears,
    leaseYears: a.leaseYears ?? null,
    priceYuan: a.priceYuan,
    annualRentYuan: a.annualRentYuan ?? null,
    iab: iab ?? (a as unknown as { project: { iab: boolean } }).project.iab,
  };
}

/** What the audit trail keeps of an allocation (no bulky records). */
function summary(v: AllocationView) {
  const { proposedFloor: _p, decision: _d, ...rest } = v;
  return rest;
}

type LockedAllocation = {
  id: number; plot_id: number; quota_year: number; status: AllocationStatus; mode: AllocationMode; term_years: number; lease_years: number | null;
  price_yuan: string; annual_rent_yuan: string | null; iab: boolean; area_m2: string; proposed_floor: unknown; uscc: string;
  signed_on: string | null; handed_over_on: string | null; started_on: string | null; completed_on: string | null;
  created_by: number | null; superseded_by: number | null;
};

async function lockAllocation(trx: Transaction<Database>, id: number): Promise<LockedAllocation> {
  const a = await trx
    .selectFrom('allocations as a')
    .innerJoin('projects as pr', 'pr.id', 'a.project_id')
    .innerJoin('enterprises as e', 'e.id', 'pr.enterprise_id')
    .select([
      'a.id', 'a.plot_id', 'a.quota_year', 'a.status', 'a.mode', 'a.term_years', 'a.lease_years', 'a.price_yuan', 'a.annual_rent_yuan',
      'a.iab', 'a.area_m2', 'a.proposed_floor', 'e.uscc', 'a.signed_on', 'a.handed_over_on', 'a.started_on', 'a.completed_on',
      'a.created_by', 'a.superseded_by',
    ])
    .where('a.id', '=', id)
    .forUpdate('a')
    .executeTakeFirst();
  if (!a) throw notFound(`Allocation ${id}`);
  return a as LockedAllocation;
}

/** POST /api/allocations/:id/approve — see the module comment for the order of locks and checks. */
export async function approveAllocation(db: Kysely<Database>, id: number, ctx: WriteContext): Promise<IdempotentResult<AllocationView>> {
  const userId = actorId(ctx);
  const scope = { key: ctx.idempotencyKey, userId, route: 'POST /api/allocations/:id/approve', request: { id } };
  return mapped(() => idempotent(db, scope, 200, async (trx) => {
    // 0. The plot's open proposals, in id order: approvals of competing proposals queue here.
    const target = await trx.selectFrom('allocations').select('plot_id').where('id', '=', id).executeTakeFirst();
    if (!target) throw notFound(`Allocation ${id}`);
    await trx.selectFrom('allocations').select('id').where('plot_id', '=', target.plot_id).where('status', '=', 'proposed').orderBy('id').forUpdate().execute();
    const a = await lockAllocation(trx, id);
    if (a.status === 'cancelled' && a.superseded_by !== null) throw supersededError(id, a.superseded_by);
    if (a.status !== 'proposed') throw wrongStatus(id, a.status, 'approved', ['proposed']);
    if (ctx.req.server.config.approvalFourEyes && a.created_by === userId) throw fourEyesError(id);
    const ref = await referenceInForce(trx);

    // 1. The plot: available, or held for this very applicant (holds exist only on held plots).
    const plot = (await lockPlot(trx, a.plot_id))!;
    const hold = plot.status === 'held' ? await currentHold(trx, plot, ctx) : null;
    const ownHold = hold !== null && hold.applicantUscc === a.uscc;
    if (!(plot.status === 'available' || (plot.status === 'held' && ownHold)) || (hold && !ownHold)) {
      throw plotUnavailable(plot, unavailableMessage(plot, hold));
    }
    const other = await trx.selectFrom('allocations').select('id').where('plot_id', '=', plot.id).where('status', 'in', ACTIVE).executeTakeFirst();
    if (other) throw plotUnavailable(plot, unavailableMessage({ code: plot.code, status: 'allocated' }, null), { allocationId: other.id });

    // 2. The floor from the plot as it is and the reference data in force now. A price below it
    //    is refused here, before the year's row is locked: the hot lock is kept for charges.
    const basis = await plotFloorBasis(trx, plot.id, ref);
    if (basis.costYuan === null) throw costNotRecorded(basis); // 五(三)14: no floor without C (nothing written yet)
    const terms = termsOf({ mode: a.mode, termYears: a.term_years, leaseYears: a.lease_years, priceYuan: a.price_yuan, annualRentYuan: a.annual_rent_yuan }, a.iab);
    const ev = evaluateFloor(basis, ref.params, terms);
    const proposed = a.proposed_floor as { floorYuan: number; reference?: { versions: Record<string, { id: number }> } };
    if (!ev.ok) throw belowFloor(ev, ref, { when: 'approve', proposedFloorYuan: proposed.floorYuan });

    // 3. The plot is ours (we hold its lock): allocate it, end the holder's hold, read the view.
    await setPlotStatus(trx, plot.id, 'allocated');
    if (hold && ownHold) await endHold(trx, hold.id, 'allocated', userId);
    // The plot's other open proposals (locked in step 0) are closed: superseded by this one.
    const superseded = await trx
      .updateTable('allocations')
      .set({ status: 'cancelled', cancel_reason: 'superseded', superseded_by: id, cancelled_at: sql<Date>`now()`, cancelled_by: userId, updated_at: sql<Date>`now()` })
      .where('plot_id', '=', plot.id)
      .where('status', '=', 'proposed')
      .where('id', '<>', id)
      .returning('id')
      .execute();
    const before = (await getAllocation(trx, id))!;

    // 4. The quota year, locked: approvals of one year queue here, so each sees the last one's
    //    charge. Only the check, one statement and the audit event happen under this lock.
    const q = await lockQuota(trx, a.quota_year);
    const quota = checkQuota(
      { quotaM2: q.quota_m2, iabReserveM2: q.iab_reserve_m2, approvedM2: q.approved_m2, iabApprovedM2: q.iab_approved_m2 },
      { areaM2: plot.areaM2, iab: a.iab },
    );
    if (!quota.ok) {
      if (quota.code === 'VALIDATION_FAILED') throw policyFailure(quota);
      throw new AppError(409, 'QUOTA_EXCEEDED', both(quota.messageEn, quota.messageZh), {
        year: a.quota_year,
        remainingM2: quota.remainingM2,
        availableM2: quota.availableM2,
        requestedM2: quota.requestedM2,
        iabReserveM2: quota.iabReserveM2,
        availableToNonIabM2: quota.availableToNonIabM2,
        remainingMu: muFigure(quota.remainingM2),
        availableMu: muFigure(quota.availableM2),
        requestedMu: muFigure(quota.requestedM2),
        iab: a.iab,
        messageZh: quota.messageZh,
        messageEn: quota.messageEn,
      });
    }
    const quotaBefore = toQuotaView(q);
    const user = ctx.req.user!;
    const approvedAt = new Date().toISOString();
    const decision: DecisionRecord = {
      approvedAt,
      approvedBy: { userId: user.id, username: user.username, displayName: user.displayName, role: user.role },
      areaM2: basis.areaM2,
      areaMu: muFigure(plot.areaM2),
      floor: ev,
      inputs: {
        plotId: plot.id, plotCode: plot.code, districtCode: basis.districtCode, areaM2: basis.areaM2, landLevel: basis.landLevel, landGrade: basis.landGrade,
        benchmarkYuanPerM2: basis.benchmarkYuanPerM2, benchmarkSample: basis.benchmarkSample, costYuan: basis.costYuan,
        nationalMinYuanPerM2: basis.nationalMinYuanPerM2, nationalMinimumVerified: basis.nationalMinimumVerified,
        provincialMinYuanPerM2: basis.provincialMinYuanPerM2, provincialMinimumVerified: basis.provincialMinimumVerified,
        gradeVerified: basis.gradeVerified, gradeAssumption: basis.gradeAssumption, plotSample: basis.plotSample,
        iab: a.iab, mode: a.mode, termYears: a.term_years, leaseYears: a.lease_years,
        priceYuan: Number(a.price_yuan), annualRentYuan: a.annual_rent_yuan === null ? null : Number(a.annual_rent_yuan),
      },
      reference: {
        ...referenceSummary(ref),
        parameters: {
          iabFloorFactorBp: ref.params.iabFloorFactorBp, nonIabFloorFactorBp: ref.params.nonIabFloorFactorBp,
          capitalizationRateBp: ref.params.capitalizationRateBp, rentFloorShareBp: ref.params.rentFloorShareBp,
          statutoryMaxTermYears: ref.params.statutoryMaxTermYears, longTermLeaseMinYears: ref.params.longTermLeaseMinYears,
          longTermLeaseMaxYears: ref.params.longTermLeaseMaxYears, nationalMinimum56Enabled: ref.params.nationalMinimum56Enabled,
          annualQuotaMinimumMu: ref.params.annualQuotaMinimumMu,
        },
      },
      quota: {
        year: a.quota_year,
        ledgerEntryId: null as number | null,
        chargedM2: quota.requestedM2,
        iab: a.iab,
        before: pickQuota(quotaBefore),
        after: {
          quotaM2: quotaBefore.quotaM2,
          iabReserveM2: quotaBefore.iabReserveM2,
          approvedM2: quota.approvedAfterM2,
          iabApprovedM2: quota.iabApprovedAfterM2,
          remainingM2: quota.remainingAfterM2,
          availableToNonIabM2: quota.availableToNonIabAfterM2,
        },
      },
      proposal: { floorYuan: proposed.floorYuan, referenceVersions: proposed.reference?.versions ?? null, floorChanged: proposed.floorYuan !== ev.floorYuan },
      hold: hold && ownHold ? { id: hold.id, applicantUscc: hold.applicantUscc, heldUntil: hold.heldUntil, released: 'allocated' } : null,
    };

    // 5. Charge and decide in one statement. The ledger's trigger moves the year's totals under
    //    their CHECKs and the partial unique index guards the plot: the database re-checks it all.
    const charged = await sql<{ ledger_id: string }>`
      with charge as (
        insert into quota_ledger (year, allocation_id, kind, area_m2, iab, created_by)
        values (${a.quota_year}, ${id}, 'charge', ${plot.areaM2}, ${a.iab}, ${userId})
        returning id)
      update allocations
         set status = 'approved', area_m2 = ${plot.areaM2}, approved_by = ${userId},
             approved_at = ${approvedAt}::timestamptz, updated_at = ${approvedAt}::timestamptz,
             decision = jsonb_set(${JSON.stringify(decision)}::jsonb, '{quota,ledgerEntryId}', to_jsonb((select id from charge)))
       where id = ${id}
      returning (select id from charge)::text as ledger_id`.execute(trx);
    (decision.quota as { ledgerEntryId: number | null }).ledgerEntryId = Number(charged.rows[0]!.ledger_id);

    // What a re-read would give, without a re-read under the lock.
    const view: AllocationView = {
      ...before,
      status: 'approved',
      waitingDays: null,
      plotStatus: 'allocated',
      areaM2: basis.areaM2,
      areaMu: decision.areaMu as number,
      floorYuan: ev.floorYuan,
      binding: ev.binding,
      approvedBy: user.username,
      approvedAt,
      updatedAt: approvedAt,
      decision,
    };
    await recordEvent(trx, { req: ctx.req, action: 'allocation.approve', entity: 'allocation', entityId: id, before: { status: 'proposed', plotStatus: hold ? 'held' : 'available' }, after: { ...summary(view), decision } });
    for (const s of superseded.sort((x, y) => x.id - y.id)) {
      await recordEvent(trx, { req: ctx.req, action: 'allocation.supersede', entity: 'allocation', entityId: s.id, before: { status: 'proposed' }, after: { status: 'cancelled', cancelReason: 'superseded', supersededBy: id, plotId: plot.id } });
    }
    return view;
  }));
}

function pickQuota(v: ReturnType<typeof toQuotaView>) {
  return { quotaM2: v.quotaM2, iabReserveM2: v.iabReserveM2, approvedM2: v.approvedM2, iabApprovedM2: v.iabApprovedM2, remainingM2: v.remainingM2, availableToNonIabM2: v.availableToNonIabM2 };
}

/**
 * POST /api/allocations/:id/cancel — before completion. An approved or contracted allocation
 * gives its plot back (available) and its area back to the same year, by a reversing ledger
 * entry that mirrors the charge (history is never rewritten).
 */
export async function cancelAllocation(db: Kysely<Database>, id: number, body: { reason?: string | undefined }, ctx: WriteContext): Promise<IdempotentResult<AllocationView>> {
  const userId = actorId(ctx);
  const scope = { key: ctx.idempotencyKey, userId, route: 'POST /api/allocations/:id/cancel', request: { id, body } };
  return mapped(() => idempotent(db, scope, 200, async (trx) => {
    const a = await lockAllocation(trx, id);
    if (a.status === 'completed' || a.status === 'cancelled') throw wrongStatus(id, a.status, 'cancelled', ['proposed', 'approved', 'contracted']);
    const before = summary((await getAllocation(trx, id))!);
    let reversal: { ledgerEntryId: number; areaM2: number } | null = null;
    if (ACTIVE.includes(a.status)) {
      const plot = (await lockPlot(trx, a.plot_id))!;
      await lockQuota(trx, a.quota_year);
      const c = await trx.selectFrom('quota_ledger').select(['year', 'area_m2', 'iab']).where('allocation_id', '=', id).where('kind', '=', 'charge').executeTakeFirstOrThrow();
      const r = await trx
        .insertInto('quota_ledger')
        .values({ year: c.year, allocation_id: id, kind: 'reversal', area_m2: `-${c.area_m2}`, iab: c.iab, created_by: userId })
        .returning(sql<string>`id::text`.as('id'))
        .executeTakeFirstOrThrow();
      reversal = { ledgerEntryId: Number(r.id), areaM2: -Number(c.area_m2) };
      if (plot.status === 'allocated') await setPlotStatus(trx, plot.id, 'available');
    }
    await trx
      .updateTable('allocations')
      .set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancelled_by: userId, cancel_reason: body.reason?.trim() || null, updated_at: sql<Date>`now()` })
      .where('id', '=', id)
      .execute();
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { req: ctx.req, action: 'allocation.cancel', entity: 'allocation', entityId: id, before, after: { ...summary(view), reversal } });
    return view;
  }));
}

export interface ContractInput {
  contractNo: string;
  supervisionNo: string;
  signedOn: string;
  agreedHandoverOn: string;
  agreedStartOn: string;
  agreedCompletionOn: string;
}

/** POST /api/allocations/:id/contract — the signed contract (出让合同) of an approved allocation. */
export async function contractAllocation(db: Kysely<Database>, id: number, input: ContractInput, ctx: WriteContext): Promise<IdempotentResult<AllocationView>> {
  const userId = actorId(ctx);
  const dates = [['signedOn', '签订日期'], ['agreedHandoverOn', '约定交地时间'], ['agreedStartOn', '约定开工时间'], ['agreedCompletionOn', '约定竣工时间']] as const;
  for (const [field] of dates) {
    if (!isIsoDate(input[field])) throw badRequest(`${field} must be a date YYYY-MM-DD, got "${input[field]}".`, { field });
  }
  for (let i = 1; i < dates.length; i++) {
    const [prev, prevZh] = dates[i - 1]!;
    const [cur, curZh] = dates[i]!;
    if (input[cur] < input[prev]) throw badRequest(`${cur} (${input[cur]}) must not be before ${prev} (${input[prev]}) (${curZh}不能早于${prevZh}).`, { field: cur });
  }
  const today = bureauToday();
  if (input.signedOn > today) throw badRequest(`signedOn ${input.signedOn} is in the future; record a contract once it is signed (签订日期不能晚于今天 ${today}).`, { field: 'signedOn' });
  const contractNo = input.contractNo.trim();
  const supervisionNo = input.supervisionNo.trim().toUpperCase();
  if (!contractNo) throw badRequest('contractNo must not be empty (出让合同编号不能为空).', { field: 'contractNo' });
  if (!/^[0-9A-Z-]{6,40}$/.test(supervisionNo)) throw badRequest('supervisionNo (电子监管号) must be 6–40 letters, digits or hyphens.', { field: 'supervisionNo' });
  const scope = { key: ctx.idempotencyKey, userId, route: 'POST /api/allocations/:id/contract', request: { id, input } };
  return mapped(() => idempotent(db, scope, 200, async (trx) => {
    const a = await lockAllocation(trx, id);
    if (a.status !== 'approved') throw wrongStatus(id, a.status, 'contracted', ['approved']);
    await trx
      .updateTable('allocations')
      .set({
        status: 'contracted', contract_no: contractNo, supervision_no: supervisionNo, signed_on: input.signedOn,
        agreed_handover_on: input.agreedHandoverOn, agreed_start_on: input.agreedStartOn, agreed_completion_on: input.agreedCompletionOn,
        contracted_at: sql<Date>`now()`, updated_at: sql<Date>`now()`,
      })
      .where('id', '=', id)
      .execute();
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { req: ctx.req, action: 'allocation.contract', entity: 'allocation', entityId: id, before: { status: 'approved' }, after: summary(view) });
    return view;
  }));
}

const MILESTONE_COLUMN = { handed_over: 'handed_over_on', started: 'started_on', completed: 'completed_on' } as const;
const MILESTONE_WORDS = {
  handed_over: { zh: '交地', en: 'hand-over' },
  started: { zh: '开工', en: 'start' },
  completed: { zh: '竣工', en: 'completion' },
} as const;

/**
 * POST /api/allocations/:id/milestones — hand-over (交地), start (开工), completion (竣工) of a
 * contracted allocation, each once, in order, not in the future; completion completes it.
 */
export async function recordMilestone(db: Kysely<Database>, id: number, input: { kind: MilestoneKind; date: string }, ctx: WriteContext): Promise<IdempotentResult<AllocationView>> {
  const userId = actorId(ctx);
  if (!isIsoDate(input.date)) throw badRequest(`date must be a date YYYY-MM-DD, got "${input.date}".`, { field: 'date' });
  const today = bureauToday();
  if (input.date > today) throw badRequest(`date ${input.date} is in the future; record a milestone when it has happened (日期不能晚于今天 ${today}).`, { field: 'date' });
  const scope = { key: ctx.idempotencyKey, userId, route: 'POST /api/allocations/:id/milestones', request: { id, input } };
  return mapped(() => idempotent(db, scope, 200, async (trx) => {
    const a = await lockAllocation(trx, id);
    if (a.status !== 'contracted') throw wrongStatus(id, a.status, 'given milestones', ['contracted']);
    const word = MILESTONE_WORDS[input.kind];
    const column = MILESTONE_COLUMN[input.kind];
    if (a[column] !== null) {
      throw new AppError(409, 'CONFLICT', `The ${word.en} of allocation ${id} is already recorded (${a[column]}) (${word.zh}日期已记录).`, { reason: 'MILESTONE_RECORDED', kind: input.kind, date: a[column] });
    }
    const [previous, prevColumn] = input.kind === 'started' ? ['handed_over', 'handed_over_on'] as const : input.kind === 'completed' ? ['started', 'started_on'] as const : [null, null];
    const floorDate = prevColumn ? a[prevColumn] : a.signed_on;
    if (previous && floorDate === null) {
      const p = MILESTONE_WORDS[previous];
      throw new AppError(409, 'CONFLICT', `Record the ${p.en} before the ${word.en} (请先记录${p.zh}).`, { reason: 'MILESTONE_ORDER', requires: previous });
    }
    if (floorDate !== null && input.date < floorDate) {
      throw badRequest(`The ${word.en} date ${input.date} is before ${previous ? `the ${MILESTONE_WORDS[previous].en} (${floorDate})` : `the contract signing (${floorDate})`} (${word.zh}日期不能早于前一节点).`, { field: 'date' });
    }
    const change =
      input.kind === 'handed_over' ? { handed_over_on: input.date }
      : input.kind === 'started' ? { started_on: input.date }
      : { completed_on: input.date, status: 'completed' as const };
    await trx.updateTable('allocations').set({ ...change, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
    const view = (await getAllocation(trx, id))!;
    await recordEvent(trx, { req: ctx.req, action: `allocation.milestone.${input.kind}`, entity: 'allocation', entityId: id, before: { status: a.status, [column]: null }, after: summary(view) });
    return view;
  }));
}
