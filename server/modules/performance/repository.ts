/**
 * 亩均 performance in the database: the allocation a figure belongs to (with its district, for
 * scope), the yearly figures (one row per allocation and year), the grade threshold versions
 * (immutable rows) and the rows an evaluation reads. Executor first; writes take a `Transaction`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { iso } from '../../kernel/dates.ts';
import type { DistrictScope } from '../auth/scope.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Statuses whose figures are recorded and evaluated: the land is contracted (出让合同 signed). */
export const PERFORMANCE_STATUSES = ['contracted', 'completed'] as const;

const day = (d: Date | string | null): string | null => (d === null ? null : d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

export interface PerformanceAllocation {
  id: number;
  status: string;
  signedOn: string | null;
  /** The allocation's area, m² with 2 decimals as text (numeric). */
  areaM2: string;
  contractNo: string | null;
  plotId: number;
  plotCode: string;
  parkId: number;
  districtCode: string;
}

function allocationBase(db: Executor) {
  return db
    .selectFrom('allocations as a')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['a.id', 'a.status', 'a.signed_on', 'a.area_m2', 'a.contract_no', 'pl.id as plot_id', 'pl.code as plot_code', 'pk.id as park_id', 'pk.district_code']);
}

type BaseRow = Awaited<ReturnType<ReturnType<typeof allocationBase>['executeTakeFirstOrThrow']>>;

const toAllocation = (r: BaseRow): PerformanceAllocation => ({
  id: r.id, status: r.status, signedOn: day(r.signed_on as Date | string | null), areaM2: String(r.area_m2), contractNo: r.contract_no,
  plotId: r.plot_id, plotCode: r.plot_code, parkId: r.park_id, districtCode: r.district_code,
});

/**
 * An allocation with what a performance write checks; `lock` takes it FOR UPDATE, so writes of
 * one allocation's figures (and its status changes) run one after the other and each sees the
 * year's row as the one before left it.
 */
export async function findAllocation(db: Executor, id: number, lock = false): Promise<PerformanceAllocation | undefined> {
  let q = allocationBase(db).where('a.id', '=', id);
  if (lock) q = q.forUpdate('a');
  const r = await q.executeTakeFirst();
  return r ? toAllocation(r) : undefined;
}

/** Allocations by 出让合同编号 (unique), any status. */
export async function allocationsByContractNo(db: Executor, contractNos: string[]): Promise<Map<string, PerformanceAllocation>> {
  if (contractNos.length === 0) return new Map();
  const rows = await allocationBase(db).where('a.contract_no', 'in', contractNos).execute();
  return new Map(rows.map((r) => [r.contract_no!, toAllocation(r)]));
}

/** Each plot code's current contracted or completed allocation (at most one: one active allocation per plot). */
export async function currentAllocationsByPlotCode(db: Executor, plotCodes: string[]): Promise<Map<string, PerformanceAllocation>> {
  if (plotCodes.length === 0) return new Map();
  const rows = await allocationBase(db)
    .where('pl.code', 'in', plotCodes)
    .where('a.status', 'in', [...PERFORMANCE_STATUSES])
    .orderBy('a.id', 'desc')
    .execute();
  const out = new Map<string, PerformanceAllocation>();
  for (const r of rows) if (!out.has(r.plot_code)) out.set(r.plot_code, toAllocation(r));
  return out;
}

/** Plot codes that exist (for telling "no such plot" from "no contracted allocation"). */
export async function existingPlotCodes(db: Executor, plotCodes: string[]): Promise<Set<string>> {
  if (plotCodes.length === 0) return new Set();
  const rows = await db.selectFrom('plots').select('code').where('code', 'in', plotCodes).execute();
  return new Set(rows.map((r) => r.code));
}

// --- Yearly figures ------------------------------------------------------------------------------

export interface PerformanceRow {
  allocationId: number;
  year: number;
  outputFen: bigint;
  taxFen: bigint;
  /** Exact decimal text as stored (numeric(16, 4)). */
  energyTce: string;
  employees: number;
  source: 'entry' | 'import' | 'sample';
  recordedBy: string | null;
  recordedAt: string;
}

type StoredRow = { allocation_id: number; year: number; output_fen: string; tax_fen: string; energy_tce: string; employees: number; source: 'entry' | 'import' | 'sample'; recorded_by: string | null; recorded_at: Date | string };

const toRow = (r: StoredRow): PerformanceRow => ({
  allocationId: r.allocation_id, year: r.year, outputFen: BigInt(r.output_fen), taxFen: BigInt(r.tax_fen), energyTce: String(r.energy_tce),
  employees: r.employees, source: r.source, recordedBy: r.recorded_by, recordedAt: iso(r.recorded_at),
});

export async function listPerformance(db: Executor, allocationId: number): Promise<PerformanceRow[]> {
  const rows = await db.selectFrom('allocation_performance').selectAll().where('allocation_id', '=', allocationId).orderBy('year', 'desc').execute();
  return rows.map((r) => toRow(r as StoredRow));
}

/** The recorded years of these allocations, keyed `allocationId:year`. */
export async function recordedYears(db: Executor, allocationIds: number[]): Promise<Map<string, PerformanceRow>> {
  if (allocationIds.length === 0) return new Map();
  const rows = await db.selectFrom('allocation_performance').selectAll().where('allocation_id', 'in', allocationIds).execute();
  return new Map(rows.map((r) => [`${r.allocation_id}:${r.year}`, toRow(r as StoredRow)]));
}

/** A year's row, locked (FOR UPDATE) when there is one. */
export async function lockPerformance(trx: Transaction<Database>, allocationId: number, year: number): Promise<PerformanceRow | undefined> {
  const r = await trx.selectFrom('allocation_performance').selectAll().where('allocation_id', '=', allocationId).where('year', '=', year).forUpdate().executeTakeFirst();
  return r ? toRow(r as StoredRow) : undefined;
}

export interface NewPerformance {
  allocationId: number;
  year: number;
  outputFen: bigint;
  taxFen: bigint;
  energyTce: string;
  employees: number;
  source: 'entry' | 'import' | 'sample';
  recordedBy: string | null;
}

/** Writes a year's figures, replacing the year's row if there is one. */
export async function upsertPerformance(trx: Transaction<Database>, p: NewPerformance): Promise<PerformanceRow> {
  const values = {
    allocation_id: p.allocationId, year: p.year, output_fen: p.outputFen.toString(), tax_fen: p.taxFen.toString(), energy_tce: p.energyTce,
    employees: p.employees, source: p.source, recorded_by: p.recordedBy,
  };
  const r = await trx
    .insertInto('allocation_performance')
    .values(values)
    .onConflict((oc) => oc.columns(['allocation_id', 'year']).doUpdateSet({
      output_fen: values.output_fen, tax_fen: values.tax_fen, energy_tce: values.energy_tce, employees: values.employees,
      source: values.source, recorded_by: values.recorded_by, recorded_at: sql`now()`,
    }))
    .returningAll()
    .executeTakeFirstOrThrow();
  return toRow(r as StoredRow);
}

// --- Grade thresholds ----------------------------------------------------------------------------

export interface ThresholdsRow {
  id: number;
  effectiveFrom: string;
  sample: boolean;
  source: string;
  a: { output: number; tax: number };
  b: { output: number; tax: number };
  c: { output: number; tax: number };
  createdBy: string | null;
  createdAt: string;
}

type StoredThresholds = {
  id: number; effective_from: Date | string; sample: boolean; source: string; a_output_yuan: string; a_tax_yuan: string; b_output_yuan: string;
  b_tax_yuan: string; c_output_yuan: string; c_tax_yuan: string; created_by: string | null; created_at: Date | string;
};

const toThresholds = (r: StoredThresholds): ThresholdsRow => ({
  id: r.id, effectiveFrom: day(r.effective_from)!, sample: r.sample, source: r.source,
  a: { output: Number(r.a_output_yuan), tax: Number(r.a_tax_yuan) },
  b: { output: Number(r.b_output_yuan), tax: Number(r.b_tax_yuan) },
  c: { output: Number(r.c_output_yuan), tax: Number(r.c_tax_yuan) },
  createdBy: r.created_by, createdAt: iso(r.created_at),
});

/** The version in force on a date: the latest effective on or before it (ties: the later one entered). */
export async function thresholdsInForce(db: Executor, asOf: string): Promise<ThresholdsRow | undefined> {
  const r = await db.selectFrom('mu_grade_thresholds').selectAll().where('effective_from', '<=', asOf)
    .orderBy('effective_from', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return r ? toThresholds(r as StoredThresholds) : undefined;
}

/** Every version, newest effective first. */
export async function listThresholds(db: Executor): Promise<ThresholdsRow[]> {
  const rows = await db.selectFrom('mu_grade_thresholds').selectAll().orderBy('effective_from', 'desc').orderBy('id', 'desc').execute();
  return rows.map((r) => toThresholds(r as StoredThresholds));
}

export async function insertThresholds(
  trx: Transaction<Database>,
  t: Omit<ThresholdsRow, 'id' | 'createdAt'>,
): Promise<ThresholdsRow> {
  const r = await trx.insertInto('mu_grade_thresholds').values({
    effective_from: t.effectiveFrom, sample: t.sample, source: t.source,
    a_output_yuan: t.a.output, a_tax_yuan: t.a.tax, b_output_yuan: t.b.output, b_tax_yuan: t.b.tax, c_output_yuan: t.c.output, c_tax_yuan: t.c.tax,
    created_by: t.createdBy,
  }).returningAll().executeTakeFirstOrThrow();
  return toThresholds(r as StoredThresholds);
}

// --- Evaluation rows -----------------------------------------------------------------------------

export interface EvaluationFilter {
  year: number;
  districtCode?: string | undefined;
  parkId?: number | undefined;
}

/** A year's figures of contracted and completed allocations the scope covers, with what the evaluation shows. */
export async function evaluationRows(db: Executor, f: EvaluationFilter, scope: DistrictScope) {
  if (scope.kind === 'none') return [];
  let q = db
    .selectFrom('allocation_performance as p')
    .innerJoin('allocations as a', 'a.id', 'p.allocation_id')
    .innerJoin('projects as pr', 'pr.id', 'a.project_id')
    .innerJoin('enterprises as e', 'e.id', 'pr.enterprise_id')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select([
      'p.allocation_id', 'p.year', 'p.output_fen', 'p.tax_fen', 'p.energy_tce', 'p.employees', 'p.source',
      'a.area_m2', 'a.sample', 'a.signed_on', 'a.started_on', 'a.completed_on', 'pl.id as plot_id', 'pl.code as plot_code',
      'pk.id as park_id', 'pk.code as park_code', 'pk.district_code', 'pr.name as project_name', 'e.name as enterprise_name',
    ])
    .where('p.year', '=', f.year)
    .where('a.status', 'in', [...PERFORMANCE_STATUSES]);
  if (scope.kind === 'district') q = q.where('pk.district_code', '=', scope.code);
  if (f.districtCode !== undefined) q = q.where('pk.district_code', '=', f.districtCode);
  if (f.parkId !== undefined) q = q.where('pk.id', '=', f.parkId);
  const rows = await q.orderBy('pk.district_code').orderBy('pk.code').orderBy('pl.code').orderBy('a.id').execute();
  return rows.map((r) => ({
    allocationId: r.allocation_id, year: r.year, outputFen: BigInt(r.output_fen), taxFen: BigInt(r.tax_fen), energyTce: String(r.energy_tce),
    employees: r.employees, source: r.source, areaM2: String(r.area_m2), allocationSample: r.sample, signedOn: day(r.signed_on as Date | string | null),
    startedOn: day(r.started_on as Date | string | null), completedOn: day(r.completed_on as Date | string | null),
    plotId: r.plot_id, plotCode: r.plot_code, parkId: r.park_id, parkCode: r.park_code, districtCode: r.district_code,
    projectName: r.project_name, enterpriseName: r.enterprise_name,
  }));
}
export type EvaluationRow = Awaited<ReturnType<typeof evaluationRows>>[number];
