/**
 * Allocations in the database: the read model (one query joining the project, enterprise, plot
 * and park, and its row → view mapper), the row lock, and the statements the commands run.
 * Executor first; functions that lock take a `Transaction`.
 */
import { prepared } from '../../kernel/db/prepared.ts';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AllocationMode, AllocationStatus, Database } from '../../kernel/db/schema.ts';
import { bureauToday, isoOrNull } from '../../kernel/dates.ts';
import { notFound } from '../../kernel/errors.ts';
import { pageWithTotal } from '../../kernel/db/page.ts';
import type { DistrictScope } from '../auth/scope.ts';
import type { PlotStatus, ProjectSector } from '../../../shared/domain.ts';
import { muFigure, toQuotaView, type QuotaRow } from '../quotas/service.ts';
import { checkQuota } from '../../../shared/policy/index.ts';
import type { AuditHead } from '../../kernel/audit.ts';
import { conditionsOf } from '../plots/service.ts';
import type { FloorEvaluation, referenceSummary } from './floor.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The statuses that hold a plot: at most one per plot (the partial unique index `allocations_one_active_per_plot`). */
export const ACTIVE: readonly AllocationStatus[] = ['approved', 'contracted', 'completed'];

// --- The read model -----------------------------------------------------------------------------

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
      'a.production_on', 'a.full_production_on', 'a.cancel_reason', 'a.created_at', 'a.approved_at', 'a.contracted_at', 'a.cancelled_at', 'a.updated_at', 'a.sample', 'a.superseded_by', 'a.green_channel',
      'a.agreement_conditions', 'a.agreement_frozen_at',
      'cu.username as created_by_name', 'au.username as approved_by_name', 'xu.username as cancelled_by_name',
      'pr.name as project_name', 'pr.sector', 'pr.sub_sector', 'pr.planned_investment_yuan', 'pr.key_project',
      'e.id as enterprise_id', 'e.name as enterprise_name', 'e.uscc',
      'pl.code as plot_code', 'pl.status as plot_status', 'pk.id as park_id', 'pk.code as park_code', 'pk.district_code',
      // The agreed start moved by recorded government delays (art. 8; migration 018).
      sql<string | null>`allocation_adjusted_start(a.id, a.agreed_start_on)`.as('adjusted_start_on'),
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
  const overdue = r.status === 'contracted' && r.adjusted_start_on !== null && r.adjusted_start_on < today && r.started_on === null;
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
    /** 监管协议: the plot's 标准地 conditions frozen at approval, with the agreed dates once contracted. */
    agreement: r.agreement_frozen_at === null ? null : {
      conditions: conditionsOf(r.agreement_conditions),
      frozenAt: isoOrNull(r.agreement_frozen_at)!,
      agreedHandoverOn: r.agreed_handover_on,
      agreedStartOn: r.agreed_start_on,
      agreedCompletionOn: r.agreed_completion_on,
    },
    milestones: { handedOverOn: r.handed_over_on, startedOn: r.started_on, completedOn: r.completed_on, productionOn: r.production_on, fullProductionOn: r.full_production_on },
    overdue,
    overdueDays: overdue ? daysBetween(r.adjusted_start_on!, today) : null,
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

/** The quota figures a decision record keeps, before and after its charge (also for the sample allocations). */
export function quotaFigures(v: ReturnType<typeof toQuotaView>) {
  return { quotaM2: v.quotaM2, iabReserveM2: v.iabReserveM2, approvedM2: v.approvedM2, iabApprovedM2: v.iabApprovedM2, remainingM2: v.remainingM2, availableToNonIabM2: v.availableToNonIabM2 };
}

/**
 * A decision record's `quota`: the year as the approval's charge locked it (`before`) and after
 * the charge (shared/policy `checkQuota`'s figures), with the charge. The approval builds it for
 * its answer and its event; the read model builds it from the charge's ledger row, where the
 * database keeps the year as locked (`quota_ledger.year_before`, migration 032). `check` is
 * `checkQuota` on that year and charge, when the caller has it already. Null when the charge
 * would not fit the year as given (no charge is ever recorded so).
 */
export function chargeRecord(
  c: { year: number; ledgerEntryId: number; before: QuotaRow; areaM2: string; iab: boolean },
  check = checkQuota({ quotaM2: c.before.quota_m2, iabReserveM2: c.before.iab_reserve_m2, approvedM2: c.before.approved_m2, iabApprovedM2: c.before.iab_approved_m2 }, { areaM2: c.areaM2, iab: c.iab }),
) {
  const q = c.before;
  if (!check.ok) return null;
  const before = toQuotaView(q);
  return {
    year: c.year,
    ledgerEntryId: c.ledgerEntryId,
    chargedM2: check.requestedM2,
    iab: c.iab,
    before: quotaFigures(before),
    after: {
      quotaM2: before.quotaM2,
      iabReserveM2: before.iabReserveM2,
      approvedM2: check.approvedAfterM2,
      iabApprovedM2: check.iabApprovedAfterM2,
      remainingM2: check.remainingAfterM2,
      availableToNonIabM2: check.availableToNonIabAfterM2,
    },
  };
}

/** An allocation's charge with the year as it locked it (approvals from migration 032 on), for `chargeRecord`. */
type ChargeRow = { id: string; year: number; area_m2: string; iab: boolean; at: string; quota_m2: string; iab_reserve_m2: string; approved_m2: string; iab_approved_m2: string };

export async function getAllocation(db: Executor, id: number): Promise<AllocationView | undefined> {
  const r = await allocationQuery(db)
    .select(sql<ChargeRow | null>`(select json_build_object('id', l.id::text, 'year', l.year, 'area_m2', l.area_m2::text, 'iab', l.iab, 'at', l.at,
        'quota_m2', l.year_before->>'quota_m2', 'iab_reserve_m2', l.year_before->>'iab_reserve_m2',
        'approved_m2', l.year_before->>'approved_m2', 'iab_approved_m2', l.year_before->>'iab_approved_m2')
      from quota_ledger l where l.allocation_id = a.id and l.kind = 'charge' and l.year_before is not null)`.as('charge'))
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!r) return undefined;
  const view = toAllocationView(r);
  // The year's figures of an approval from migration 032 on are kept with its charge.
  const c = r.charge;
  if (view.decision && view.decision.quota == null && c) {
    const quota = chargeRecord({ year: c.year, ledgerEntryId: Number(c.id), areaM2: c.area_m2, iab: c.iab, before: { year: c.year, quota_m2: c.quota_m2, iab_reserve_m2: c.iab_reserve_m2, approved_m2: c.approved_m2, iab_approved_m2: c.iab_approved_m2, updated_at: c.at } });
    if (quota) return { ...view, decision: { ...view.decision, quota } };
  }
  return view;
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
export async function pageOfAllocations(db: Executor, f: AllocationFilters, scope: DistrictScope) {
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
    const overdue = sql<boolean>`(a.status = 'contracted' and allocation_adjusted_start(a.id, a.agreed_start_on) < ${today}::date and a.started_on is null)`;
    q = q.where(f.overdue ? overdue : sql<boolean>`not ${overdue}`);
  }
  const { rows, total } = await pageWithTotal(q, (q) => (f.sort === 'green_first' ? q.orderBy('a.green_channel', 'desc') : q).orderBy('a.id', 'desc'), f);
  return {
    items: rows.map((r) => {
      const { proposedFloor: _p, decision: _d, ...item } = toAllocationView(r, today);
      return item;
    }),
    total,
  };
}

// --- Locks and statements of the commands ----------------------------------------------------

export type LockedAllocation = {
  id: number; plot_id: number; quota_year: number; status: AllocationStatus; mode: AllocationMode; term_years: number; lease_years: number | null;
  price_yuan: string; annual_rent_yuan: string | null; iab: boolean; area_m2: string; proposed_floor: unknown; uscc: string;
  signed_on: string | null; handed_over_on: string | null; started_on: string | null; completed_on: string | null;
  production_on: string | null; full_production_on: string | null;
  created_by: number | null; superseded_by: number | null;
};

/** Locks an allocation row (the first lock of every command); 404 when there is none. */
export async function lockAllocation(trx: Transaction<Database>, id: number): Promise<LockedAllocation> {
  const a = await trx
    .selectFrom('allocations as a')
    .innerJoin('projects as pr', 'pr.id', 'a.project_id')
    .innerJoin('enterprises as e', 'e.id', 'pr.enterprise_id')
    .select([
      'a.id', 'a.plot_id', 'a.quota_year', 'a.status', 'a.mode', 'a.term_years', 'a.lease_years', 'a.price_yuan', 'a.annual_rent_yuan',
      'a.iab', 'a.area_m2', 'a.proposed_floor', 'e.uscc', 'a.signed_on', 'a.handed_over_on', 'a.started_on', 'a.completed_on',
      'a.production_on', 'a.full_production_on',
      'a.created_by', 'a.superseded_by',
    ])
    .where('a.id', '=', id)
    .forUpdate('a')
    .executeTakeFirst();
  if (!a) throw notFound(`Allocation ${id}`);
  return a as LockedAllocation;
}

/**
 * The plot a proposal is for, with its park's tier, under a shared lock: an approval of this
 * plot (which holds it FOR UPDATE and closes the plot's open proposals) finishes first, so no
 * proposal is left open beside an active allocation.
 */
export async function sharePlotForProposal(trx: Transaction<Database>, plotId: number) {
  return trx
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['pl.id', 'pl.code', 'pl.status', 'pk.tier'])
    .where('pl.id', '=', plotId)
    .forShare('pl')
    .executeTakeFirst();
}

/** The plot's active allocation, if any. */
export async function activeAllocationOf(db: Executor, plotId: number): Promise<{ id: number } | undefined> {
  return db.selectFrom('allocations').select('id').where('plot_id', '=', plotId).where('status', 'in', ACTIVE).executeTakeFirst();
}

/** The plot's hold in force on `today` (unreleased, last day not passed), unlocked. */
export async function holdInForce(db: Executor, plotId: number, today: string) {
  return db
    .selectFrom('plot_holds')
    .select(['id', 'applicant_name', 'applicant_uscc', 'held_until'])
    .where('plot_id', '=', plotId)
    .where('released_at', 'is', null)
    .where('held_until', '>=', today)
    .executeTakeFirst();
}

/** Whether the plot has an unreleased hold (called once none is in force: an expired one). */
export async function unreleasedHoldExists(trx: Transaction<Database>, plotId: number): Promise<boolean> {
  const r = await trx.selectFrom('plot_holds').select('id').where('plot_id', '=', plotId).where('released_at', 'is', null).executeTakeFirst();
  return r !== undefined;
}

/** The enterprise by USCC, created or renamed; its id. */
export async function upsertEnterprise(trx: Transaction<Database>, e: { name: string; uscc: string }): Promise<number> {
  const r = await trx
    .insertInto('enterprises')
    .values({ name: e.name, uscc: e.uscc })
    .onConflict((oc) => oc.column('uscc').doUpdateSet({ name: (eb) => eb.ref('excluded.name'), updated_at: sql<Date>`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export interface NewProject {
  name: string;
  enterprise_id: number;
  sector: ProjectSector;
  sub_sector: string | null;
  iab: boolean;
  planned_investment_yuan: string | null;
  key_project: boolean;
  created_by: number;
}

export async function insertProject(trx: Transaction<Database>, p: NewProject): Promise<number> {
  const r = await trx.insertInto('projects').values(p).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export interface NewAllocation {
  plot_id: number;
  project_id: number;
  quota_year: number;
  mode: AllocationMode;
  term_years: number;
  lease_years: number | null;
  price_yuan: string;
  annual_rent_yuan: string | null;
  iab: boolean;
  area_m2: string;
  proposed_floor: string;
  green_channel: boolean;
  created_by: number;
}

export async function insertAllocation(trx: Transaction<Database>, a: NewAllocation): Promise<number> {
  const r = await trx.insertInto('allocations').values(a).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/**
 * An approval's first locks in one call (migration 023's `approval_lock`): the plot's open
 * proposals in id order (competing approvals of one plot queue on the first, and the winner
 * closes the others as superseded without a deadlock), then the allocation, read as
 * `lockAllocation` reads it. Undefined when there is no such allocation.
 */
export async function lockForApproval(trx: Transaction<Database>, id: number): Promise<LockedAllocation | undefined> {
  const { rows } = await sql<LockedAllocation & { price_yuan: string; area_m2: string }>`select * from approval_lock(${id}::integer)`.execute(trx);
  const a = rows[0];
  // numeric as text on both drivers, as the query builder's rows have it
  return a && { ...a, price_yuan: String(a.price_yuan), annual_rent_yuan: a.annual_rent_yuan === null ? null : String(a.annual_rent_yuan), area_m2: String(a.area_m2) };
}

/** What `lockForApprovalWithPlot` reads of the plot: the plot as the plot lock and the floor read it, and the reference versions in force. */
export interface ApprovalPlot {
  id: number;
  code: string;
  status: PlotStatus;
  area_m2: string;
  land_level: number;
  land_grade: number | null;
  cost_yuan: string | null;
  sample: boolean;
  district_code: string;
  /** The reference version in force on `asOf` of each kind, by kind (as `referenceInForce` reads them). */
  reference_versions: { kind: string; id: number }[];
}

/**
 * An approval's locks before the year's in one call (migration 025's `approval_lock_plot`):
 * `lockForApproval`'s (the plot's open proposals in id order, then the allocation), then the
 * server's one plot lock on its plot (as `lockPlotIfAny` takes it), with the plot's status and
 * floor facts (as `findPlotFloorFacts` reads them; not the geometry) and the ids of the
 * reference versions in force on `asOf` (as `versionIdsInForce` reads them, for
 * `referenceInForce`'s cache key). Undefined when there is no such allocation.
 */
export async function lockForApprovalWithPlot(trx: Transaction<Database>, id: number, asOf: string): Promise<{ allocation: LockedAllocation; plot: ApprovalPlot } | undefined> {
  const { rows } = await sql<LockedAllocation & {
    price_yuan: string; area_m2: string;
    plot_code: string; plot_status: PlotStatus; plot_area_m2: string | number; plot_land_level: number; plot_land_grade: number | null;
    plot_cost_yuan: string | number | null; plot_sample: boolean; plot_district_code: string; reference_versions: { kind: string; id: number }[] | string;
  }>`${prepared} select * from approval_lock_plot(${id}::integer, ${asOf}::date)`.execute(trx);
  const r = rows[0];
  if (!r) return undefined;
  const { plot_code, plot_status, plot_area_m2, plot_land_level, plot_land_grade, plot_cost_yuan, plot_sample, plot_district_code, reference_versions, ...a } = r;
  const versions = typeof reference_versions === 'string' ? (JSON.parse(reference_versions) as { kind: string; id: number }[]) : reference_versions;
  return {
    // numeric as text on both drivers, as the query builder's rows have it
    allocation: { ...a, price_yuan: String(a.price_yuan), annual_rent_yuan: a.annual_rent_yuan === null ? null : String(a.annual_rent_yuan), area_m2: String(a.area_m2) },
    plot: {
      id: a.plot_id, code: plot_code, status: plot_status, area_m2: String(plot_area_m2), land_level: plot_land_level, land_grade: plot_land_grade,
      cost_yuan: plot_cost_yuan === null ? null : String(plot_cost_yuan), sample: plot_sample, district_code: plot_district_code,
      reference_versions: versions.map((v) => ({ kind: v.kind, id: Number(v.id) })),
    },
  };
}

/**
 * With the plot and its open proposals locked, in one statement: the plot allocated, its other
 * open proposals closed as superseded by `winner` (their ids returned), `winner` approved with
 * its decision record (all but the year's figures, which the charge keeps: `chargeRecord`) and its 监管协议 frozen (the plot's conditions as they are: the plot is locked),
 * the plot's active allocation if it has one, and the winner's view, as they were before this
 * statement (a statement does not see its own CTEs' writes: the caller sets what the approval
 * changes, as it does for the rest). Approving here, before the year's lock, keeps the
 * allocation's row write (its CHECKs and indexes, the decision's text) out of the part every
 * approval of the year waits for; should the charge then be refused, the transaction rolls it back.
 */
export async function allocatePlotForApproval(
  trx: Transaction<Database>,
  plotId: number,
  winner: number,
  userId: number,
  approval: { areaM2: string; approvedAt: string; decision: unknown },
): Promise<{ before: AllocationView; superseded: { id: number }[]; otherActiveId: number | null; plotConditions: unknown }> {
  const q = trx
    .with('allocated_plot', (db) => db.updateTable('plots').set({ status: 'allocated' }).where('id', '=', plotId).returning('id'))
    .with('approved', (db) =>
      db
        .updateTable('allocations as w')
        .set({
          status: 'approved',
          area_m2: sql<string>`${approval.areaM2}::numeric`,
          approved_by: userId,
          approved_at: sql<Date>`${approval.approvedAt}::timestamptz`,
          updated_at: sql<Date>`${approval.approvedAt}::timestamptz`,
          agreement_conditions: sql`(select pl.conditions from plots pl where pl.id = w.plot_id)`,
          agreement_frozen_at: sql<Date>`${approval.approvedAt}::timestamptz`,
          decision: sql`${JSON.stringify(approval.decision)}::jsonb`,
        })
        .where('w.id', '=', winner)
        .returning('w.id'),
    )
    .with('superseded', (db) =>
      db
        .updateTable('allocations')
        .set({ status: 'cancelled', cancel_reason: 'superseded', superseded_by: winner, cancelled_at: sql<Date>`now()`, cancelled_by: userId, updated_at: sql<Date>`now()` })
        .where('plot_id', '=', plotId)
        .where('status', '=', 'proposed')
        .where('id', '<>', winner)
        .returning('id'),
    );
  // The read model's query, under the statement's CTEs (they are executed whether read or not).
  const r = await allocationQuery(q as unknown as Executor)
    .select([
      sql<number[] | null>`(select array_agg(s.id order by s.id) from superseded s)`.as('superseded_ids'),
      // As activeAllocationOf: the plot's active allocation, if any, before this statement.
      sql<number | null>`(select x.id from allocations x where x.plot_id = a.plot_id and x.status in (${sql.join(ACTIVE)}) limit 1)`.as('other_active_id'),
      // The plot's conditions (it is locked): what the approval freezes into the 监管协议.
      sql<unknown>`(select pc.conditions from plots pc where pc.id = a.plot_id)`.as('plot_conditions'),
    ])
    .where('a.id', '=', winner)
    .modifyEnd(prepared)
    .executeTakeFirstOrThrow();
  return {
    before: toAllocationView(r),
    superseded: (r.superseded_ids ?? []).map((id) => ({ id: Number(id) })),
    otherActiveId: r.other_active_id === null ? null : Number(r.other_active_id),
    plotConditions: r.plot_conditions,
  };
}

/** What `approvalCharge` answers: the year as it was when locked, and what was done. */
export type ApprovalCharge =
  | { quotaFound: false }
  | { quotaFound: true; quota: QuotaRow; charged: false }
  | { quotaFound: true; quota: QuotaRow; charged: true; ledgerEntryId: number; auditHead: AuditHead };

/**
 * The approval's serialized part, in one round trip (migration 032's `approval_charge`): checks
 * the approval's deferred invariants, then locks the quota year and reads it; when the area fits
 * (the test of shared/policy `checkQuota`), charges the ledger with the year as locked (its
 * trigger moves the year's totals under their CHECKs) and locks and reads the audit head for the
 * approval's event. Nothing is written when the year is not set or the area does not fit; the
 * caller answers from the year returned. The allocation was approved before, by
 * `allocatePlotForApproval`.
 */
export async function approvalCharge(
  trx: Transaction<Database>,
  a: { id: number; quotaYear: number; areaM2: string; iab: boolean; userId: number },
): Promise<ApprovalCharge> {
  const { rows } = await sql<{
    quota_found: boolean; q_year: number; q_quota_m2: string; q_iab_reserve_m2: string; q_approved_m2: string; q_iab_approved_m2: string;
    q_updated_at: Date | string; charged: boolean; ledger_id: string | null;
    head_last_hash: string; head_event_count: string; head_scheme: string; head_key_id: string | null;
  }>`${prepared} select * from approval_charge(${a.id}::integer, ${a.quotaYear}::integer, ${a.areaM2}::numeric, ${a.iab}::boolean, ${a.userId}::integer)`.execute(trx);
  const r = rows[0]!;
  if (!r.quota_found) return { quotaFound: false };
  const quota: QuotaRow = {
    year: r.q_year, quota_m2: r.q_quota_m2, iab_reserve_m2: r.q_iab_reserve_m2, approved_m2: r.q_approved_m2, iab_approved_m2: r.q_iab_approved_m2, updated_at: r.q_updated_at,
  };
  if (!r.charged) return { quotaFound: true, quota, charged: false };
  return {
    quotaFound: true,
    quota,
    charged: true,
    ledgerEntryId: Number(r.ledger_id),
    auditHead: { last_hash: r.head_last_hash, event_count: r.head_event_count, scheme: r.head_scheme, key_id: r.head_key_id },
  };
}

/** The reversing ledger entry of an allocation's charge (history is never rewritten). */
export async function reverseCharge(trx: Transaction<Database>, allocationId: number, userId: number): Promise<{ ledgerEntryId: number; areaM2: number }> {
  const c = await trx.selectFrom('quota_ledger').select(['year', 'area_m2', 'iab']).where('allocation_id', '=', allocationId).where('kind', '=', 'charge').executeTakeFirstOrThrow();
  const r = await trx
    .insertInto('quota_ledger')
    .values({ year: c.year, allocation_id: allocationId, kind: 'reversal', area_m2: `-${c.area_m2}`, iab: c.iab, created_by: userId })
    .returning(sql<string>`id::text`.as('id'))
    .executeTakeFirstOrThrow();
  return { ledgerEntryId: Number(r.id), areaM2: -Number(c.area_m2) };
}

export async function markCancelled(trx: Transaction<Database>, id: number, userId: number, reason: string | null): Promise<void> {
  await trx
    .updateTable('allocations')
    .set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancelled_by: userId, cancel_reason: reason, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export interface ContractColumns {
  contract_no: string;
  supervision_no: string;
  signed_on: string;
  agreed_handover_on: string;
  agreed_start_on: string;
  agreed_completion_on: string;
}

export async function markContracted(trx: Transaction<Database>, id: number, c: ContractColumns): Promise<void> {
  await trx
    .updateTable('allocations')
    .set({ status: 'contracted', ...c, contracted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export type MilestoneChange = { handed_over_on: string } | { started_on: string } | { completed_on: string; status: 'completed' } | { production_on: string } | { full_production_on: string };

export async function setMilestone(trx: Transaction<Database>, id: number, change: MilestoneChange): Promise<void> {
  await trx.updateTable('allocations').set({ ...change, updated_at: sql<Date>`now()` }).where('id', '=', id).execute();
}
