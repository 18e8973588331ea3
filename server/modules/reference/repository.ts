/**
 * Reference data in the database: versions (append-only: a trigger refuses UPDATE and DELETE)
 * and each kind's rows, read back in the API's shape. Executor first; writes take a
 * `Transaction`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { PARAMETER_SOURCES, type ParameterBasis, type ParameterSource, type PolicyParameterKey } from '../../../shared/policy/index.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export const REFERENCE_KINDS = ['parameters', 'national_minimum', 'district_grades', 'benchmark_prices', 'provincial_minimum'] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

export interface VersionInfo {
  id: number;
  kind: ReferenceKind;
  effectiveFrom: string;
  note: string;
  source: string;
  createdBy: string | null;
  createdAt: string;
}

/** `clause` and `basis` say what the parameter rests on (shared PARAMETER_SOURCES); `source` is what the version recorded. */
export interface ParameterRow { key: PolicyParameterKey; value: string; verified: boolean; source: string; clause: string; basis: ParameterBasis | '' }
export interface NationalMinimumRow { grade: number; yuanPerM2: number; verified: boolean; source: string }
/** 省规定的最低价 by grade (五(三)14 P); same shape as the national table. */
export type ProvincialMinimumRow = NationalMinimumRow;
export interface DistrictGradeRow { districtCode: string; grade: number; verified: boolean; assumption: boolean; note: string; source: string }
export interface BenchmarkPriceRow { districtCode: string; landLevel: number; yuanPerM2: number; sample: boolean; source: string }

export interface NewVersionMeta {
  effectiveFrom: string;
  note?: string;
  source: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : String(d));
const day = (d: Date | string) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

function toVersionInfo(r: { id: number; kind: string; effective_from: Date | string; note: string; source: string; created_by: string | null; created_at: Date | string }): VersionInfo {
  return { id: r.id, kind: r.kind as ReferenceKind, effectiveFrom: day(r.effective_from), note: r.note, source: r.source, createdBy: r.created_by, createdAt: iso(r.created_at) };
}

// --- Reading ---------------------------------------------------------------------------------

/** A kind's version in force on a date: the latest effective on or before it (ties: the later one entered). */
export async function versionInForce(db: Executor, kind: ReferenceKind, asOf: string): Promise<VersionInfo | undefined> {
  const r = await db
    .selectFrom('reference_versions')
    .selectAll()
    .where('kind', '=', kind)
    .where('effective_from', '<=', asOf)
    .orderBy('effective_from', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r ? toVersionInfo(r) : undefined;
}

/** The id of every kind's version in force on a date, by kind (one query). */
export async function versionIdsInForce(db: Executor, asOf: string): Promise<{ kind: string; id: number }[]> {
  const ids = await sql<{ kind: string; id: number }>`
    select distinct on (kind) kind, id from reference_versions
     where effective_from <= ${asOf}::date order by kind, effective_from desc, id desc`.execute(db);
  return ids.rows;
}

/** A kind's versions, newest effective first. */
export async function versionsOfKind(db: Executor, kind: ReferenceKind): Promise<VersionInfo[]> {
  const rows = await db.selectFrom('reference_versions').selectAll().where('kind', '=', kind).orderBy('effective_from', 'desc').orderBy('id', 'desc').execute();
  return rows.map(toVersionInfo);
}

/** Whether any version exists (of a kind, or at all). */
export async function hasVersion(db: Executor, kind?: ReferenceKind): Promise<boolean> {
  let q = db.selectFrom('reference_versions').select('id');
  if (kind) q = q.where('kind', '=', kind);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
}

/** A version's rows in the API's shape. */
export async function rowsOf(db: Executor, kind: ReferenceKind, versionId: number) {
  switch (kind) {
    case 'parameters': {
      const rows = await db.selectFrom('ref_parameters').selectAll().where('version_id', '=', versionId).orderBy('key').execute();
      return rows.map((r) => {
        const meta = PARAMETER_SOURCES[r.key as PolicyParameterKey] as ParameterSource | undefined;
        return { key: r.key as PolicyParameterKey, value: r.value, verified: r.verified, source: r.source, clause: meta?.clause ?? '', basis: meta?.basis ?? '' };
      });
    }
    case 'national_minimum': {
      const rows = await db.selectFrom('ref_national_minimum').selectAll().where('version_id', '=', versionId).orderBy('grade').execute();
      return rows.map((r) => ({ grade: r.grade, yuanPerM2: Number(r.yuan_per_m2), verified: r.verified, source: r.source }));
    }
    case 'provincial_minimum': {
      const rows = await db.selectFrom('ref_provincial_minimum').selectAll().where('version_id', '=', versionId).orderBy('grade').execute();
      return rows.map((r) => ({ grade: r.grade, yuanPerM2: Number(r.yuan_per_m2), verified: r.verified, source: r.source }));
    }
    case 'district_grades': {
      const rows = await db.selectFrom('ref_district_grades').selectAll().where('version_id', '=', versionId).orderBy('district_code').execute();
      return rows.map((r) => ({ districtCode: r.district_code, grade: r.grade, verified: r.verified, assumption: r.assumption, note: r.note, source: r.source }));
    }
    case 'benchmark_prices': {
      const rows = await db
        .selectFrom('ref_benchmark_prices')
        .selectAll()
        .where('version_id', '=', versionId)
        .orderBy('district_code')
        .orderBy('land_level')
        .execute();
      return rows.map((r) => ({ districtCode: r.district_code, landLevel: r.land_level, yuanPerM2: Number(r.yuan_per_m2), sample: r.sample, source: r.source }));
    }
  }
}

// --- Writing ---------------------------------------------------------------------------------

/** Serializes version creation per kind, so two writers can't interleave "read current, write new". */
export async function lockKind(trx: Transaction<Database>, kind: ReferenceKind): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`reference:${kind}`}))`.execute(trx);
}

export async function insertVersion(trx: Transaction<Database>, kind: ReferenceKind, meta: NewVersionMeta, createdBy: string | null): Promise<VersionInfo> {
  const v = await trx
    .insertInto('reference_versions')
    .values({ kind, effective_from: meta.effectiveFrom, note: meta.note ?? '', source: meta.source.trim(), created_by: createdBy })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toVersionInfo(v);
}

export async function insertParameterRows(trx: Transaction<Database>, rows: { version_id: number; key: string; value: string; verified: boolean; source: string }[]): Promise<void> {
  await trx.insertInto('ref_parameters').values(rows).execute();
}

type GradeRow = { version_id: number; grade: number; yuan_per_m2: string; verified: boolean; source: string };

export async function insertNationalMinimumRows(trx: Transaction<Database>, rows: GradeRow[]): Promise<void> {
  await trx.insertInto('ref_national_minimum').values(rows).execute();
}

export async function insertProvincialMinimumRows(trx: Transaction<Database>, rows: GradeRow[]): Promise<void> {
  await trx.insertInto('ref_provincial_minimum').values(rows).execute();
}

export async function insertDistrictGradeRows(
  trx: Transaction<Database>,
  rows: { version_id: number; district_code: string; grade: number; verified: boolean; assumption: boolean; note: string; source: string }[],
): Promise<void> {
  await trx.insertInto('ref_district_grades').values(rows).execute();
}

export async function insertBenchmarkRows(
  trx: Transaction<Database>,
  rows: { version_id: number; district_code: string; land_level: number; yuan_per_m2: string; sample: boolean; source: string }[],
): Promise<void> {
  await trx.insertInto('ref_benchmark_prices').values(rows).execute();
}
