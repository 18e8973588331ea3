/**
 * Versioned reference data the bureau maintains (POLICY.md "*configurable*"). A kind's "current"
 * version on a date is the one with the latest effective date on or before it (ties: the later
 * one entered). Versions are never edited: a change is a new version, so every figure can name
 * the version it used and old figures stay explainable.
 * Writes are `(db, caller, input)` and own their transaction; queries are in ./repository.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { recordEvent, systemActor } from '../../kernel/audit.ts';
import type { Caller } from '../../kernel/caller.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { DISTRICT_CODES } from '../../../shared/domain.ts';
import { tryYuanToFen } from '../../../shared/money.ts';
import { parseBenchmarkCsv, type BenchmarkRow, type CsvRowError } from '../../../shared/reference-csv.ts';
import { bureauToday } from '../../../shared/dates.ts';
import {
  decodeParameters,
  DEFAULT_PARAMETERS,
  DISTRICT_GRADE_DEFAULTS,
  encodeParameterValue,
  isParameterKey,
  NATIONAL_MINIMUM_GRADES,
  PROVINCIAL_MINIMUM_GRADES,
  PROVINCIAL_MINIMUM_SEED_SOURCE,
  readParameterInput,
  shippedProvenance,
  validatePolicyParameters,
  type PolicyParameterKey,
  type PolicyParameters,
} from '../../../shared/policy/index.ts';
import {
  hasVersion,
  insertBenchmarkRows,
  insertDistrictGradeRows,
  insertNationalMinimumRows,
  insertParameterRows,
  insertProvincialMinimumRows,
  insertVersion,
  lockKind,
  rowsOf,
  versionIdsInForce,
  versionInForce,
  versionsOfKind,
  type BenchmarkPriceRow,
  type DistrictGradeRow,
  type NationalMinimumRow,
  type NewVersionMeta,
  type ParameterRow,
  type ProvincialMinimumRow,
  type ReferenceKind,
  type VersionInfo,
} from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Kinds without which no floor can be computed (503 when one has no version in force). */
const REQUIRED_KINDS = ['parameters', 'national_minimum', 'district_grades', 'benchmark_prices'] as const satisfies readonly ReferenceKind[];
type RequiredKind = (typeof REQUIRED_KINDS)[number];

export interface ReferenceSet {
  asOf: string;
  /** The provincial table is optional: without a version in force, no provincial term applies. */
  versions: Record<RequiredKind, VersionInfo> & { provincial_minimum?: VersionInfo };
  params: PolicyParameters;
  parameters: ParameterRow[];
  nationalMinimum: NationalMinimumRow[];
  districtGrades: DistrictGradeRow[];
  benchmark: BenchmarkPriceRow[];
  /** Empty when no provincial figures are recorded (the shipped state): the term is then absent. */
  provincialMinimum: ProvincialMinimumRow[];
}

/** The bureau's calendar day (Asia/Shanghai): the day every other rule counts in. */
const today = () => bureauToday();

/** Parameter values are stored as text; their JS type follows DEFAULT_PARAMETERS (shared/policy/parameter-codec.ts). */
function decodeParams(rows: { key: string; value: string }[]): PolicyParameters {
  // Rows of a later product version may carry keys this one does not know: they are skipped.
  // A known key whose stored value cannot be read is a broken version: refuse to use it.
  const { values, problems } = decodeParameters(rows);
  const unreadable = problems.filter((p) => p.reason === 'unreadable');
  if (unreadable.length) throw new Error(`Stored policy parameters cannot be read: ${unreadable.map((p) => `${p.key}=${JSON.stringify(p.value)} (expected ${p.expected})`).join(', ')}`);
  return values;
}

// --- Reading ---------------------------------------------------------------------------------

/** A kind's version in force on a date (default today). */
export async function currentVersion(db: Executor, kind: ReferenceKind, asOf = today()): Promise<VersionInfo | undefined> {
  return versionInForce(db, kind, asOf);
}

/** Every kind's current version and rows on a date (default today). */
export async function loadReference(db: Executor, asOf = today()): Promise<ReferenceSet> {
  const versions = {} as ReferenceSet['versions'];
  for (const kind of REQUIRED_KINDS) {
    const v = await currentVersion(db, kind, asOf);
    if (!v) throw new AppError(503, 'SERVICE_UNAVAILABLE', `No ${kind} reference data is in effect on ${asOf}; an administrator must add a version.`);
    versions[kind] = v;
  }
  const provincial = await currentVersion(db, 'provincial_minimum', asOf);
  if (provincial) versions.provincial_minimum = provincial;
  const parameters = (await rowsOf(db, 'parameters', versions.parameters.id)) as ParameterRow[];
  return {
    asOf,
    versions,
    params: decodeParams(parameters),
    parameters,
    nationalMinimum: (await rowsOf(db, 'national_minimum', versions.national_minimum.id)) as NationalMinimumRow[],
    districtGrades: (await rowsOf(db, 'district_grades', versions.district_grades.id)) as DistrictGradeRow[],
    benchmark: (await rowsOf(db, 'benchmark_prices', versions.benchmark_prices.id)) as BenchmarkPriceRow[],
    provincialMinimum: provincial ? ((await rowsOf(db, 'provincial_minimum', provincial.id)) as ProvincialMinimumRow[]) : [],
  };
}

let cachedReference: { key: string; ref: ReferenceSet } | undefined;

/**
 * `loadReference` for today, read once per set of versions: one query finds the versions in
 * force, and the rows are reloaded only when a version changes. Safe on any number of replicas
 * because versions are immutable in the database (a trigger refuses UPDATE and DELETE), so a set
 * of version ids always means the same figures; the ids themselves are read in the caller's
 * transaction, never assumed.
 */
export async function referenceInForce(trx: Executor): Promise<ReferenceSet> {
  const asOf = today(); // the same day loadReference defaults to
  const ids = await versionIdsInForce(trx, asOf);
  const key = `${asOf}|${ids.map((r) => `${r.kind}=${r.id}`).join(',')}`;
  if (cachedReference?.key === key) return cachedReference.ref;
  const ref = await loadReference(trx, asOf);
  const loadedKey = `${asOf}|${Object.entries(ref.versions).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v.id}`).join(',')}`;
  if (loadedKey === key) cachedReference = { key, ref };
  return ref;
}

/** A kind's versions, newest effective first, each with its rows; `current` marks today's. */
export async function listVersions(db: Executor, kind: ReferenceKind) {
  const versions = await versionsOfKind(db, kind);
  const current = await currentVersion(db, kind);
  const out = [];
  for (const v of versions) {
    out.push({ ...v, current: v.id === current?.id, rows: await rowsOf(db, kind, v.id) });
  }
  return out;
}

// --- Writing ----------------------------------------------------------------------------------

export type RowProblem = { row: number; field: string; message: string };

function checkMeta(meta: NewVersionMeta) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(meta.effectiveFrom) || Number.isNaN(Date.parse(`${meta.effectiveFrom}T00:00:00Z`)) ||
      new Date(`${meta.effectiveFrom}T00:00:00Z`).toISOString().slice(0, 10) !== meta.effectiveFrom) {
    throw badRequest(`effectiveFrom must be a date YYYY-MM-DD, got "${meta.effectiveFrom}".`);
  }
  if (!meta.source.trim()) throw badRequest('source must say where the figures come from (e.g. the document number).');
}

export type VersionInput =
  | { kind: 'parameters'; values: Record<string, number | boolean | string>; verified?: boolean }
  | { kind: 'national_minimum'; rows: { grade: number; yuanPerM2: number; verified?: boolean }[] }
  /** A row with `yuanPerM2: null` removes that grade's figure (the term is then absent for it). */
  | { kind: 'provincial_minimum'; rows: { grade: number; yuanPerM2: number | null; verified?: boolean }[] }
  | { kind: 'district_grades'; rows: { districtCode: string; grade: number; verified?: boolean; note?: string }[] }
  | { kind: 'benchmark_prices'; rows: BenchmarkRow[]; sample?: boolean };

function failRows(problems: RowProblem[], what: string): never {
  throw new AppError(400, 'VALIDATION_FAILED', `${what}: ${problems.slice(0, 5).map((p) => `row ${p.row} ${p.field}: ${p.message}`).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}. Nothing was saved.`, { errors: problems });
}

/** Who writes reference data: a signed-in caller, or (seeding, tools) a named system actor. */
export interface ReferenceWriter {
  caller?: Caller | undefined;
  actor?: string | undefined;
}

/** The audit fields of a write: the caller's user, else the system actor named (default `fallback`). */
function auditedAs(who: ReferenceWriter, fallback: string) {
  return { caller: who.caller, actor: who.caller ? undefined : systemActor(who.actor ?? fallback) };
}

/**
 * POST /api/reference/:kind/versions: adds a version. Rows given are merged over the current
 * version's (by grade, district, or district × level). Validated first; written in one
 * transaction with an audit event.
 */
export async function addVersion(db: Kysely<Database>, caller: Caller, input: { version: VersionInput; meta: NewVersionMeta }): Promise<VersionInfo> {
  return inTransaction(db, (trx) => addVersionIn(trx, { caller }, input.version, input.meta));
}

/** A version in the caller's transaction; `replace`: the rows given are the whole table (a benchmark table from CSV). */
async function addVersionIn(
  trx: Transaction<Database>,
  who: ReferenceWriter,
  input: VersionInput,
  meta: NewVersionMeta,
  replace = false,
): Promise<VersionInfo> {
  checkMeta(meta);
  // Serialize version creation per kind so two admins can't interleave "read current, write new".
  await lockKind(trx, input.kind);
  const prev = await currentVersion(trx, input.kind, '9999-12-31');
  const prevRows = prev ? await rowsOf(trx, input.kind, prev.id) : [];
  const createdBy = who.caller?.user?.username ?? who.actor ?? null;
  const source = meta.source.trim();
  const problems: RowProblem[] = [];
  let version: VersionInfo;

  switch (input.kind) {
    case 'parameters': {
      const current = decodeParams(prevRows as ParameterRow[]);
      const next: Record<string, unknown> = { ...current };
      for (const [key, raw] of Object.entries(input.values)) {
        if (!isParameterKey(key)) { problems.push({ row: 0, field: key, message: `unknown parameter; known: ${Object.keys(DEFAULT_PARAMETERS).join(', ')}` }); continue; }
        const read = readParameterInput(key, raw);
        if (read.ok) next[key] = read.value;
        else problems.push({ row: 0, field: key, message: read.message });
      }
      if (problems.length) failRows(problems, 'Invalid parameters');
      const invalid = validatePolicyParameters(next as unknown as PolicyParameters);
      if (invalid.length) failRows(invalid.map((f) => ({ row: 0, field: f.field, message: f.messageEn })), 'Invalid parameters');
      version = await insertVersion(trx, 'parameters', meta, createdBy);
      const prevByKey = new Map((prevRows as ParameterRow[]).map((r) => [r.key, r]));
      await insertParameterRows(trx,
        (Object.keys(DEFAULT_PARAMETERS) as PolicyParameterKey[]).map((key) => {
          const changed = key in input.values;
          const old = prevByKey.get(key);
          return {
            version_id: version.id,
            key,
            value: encodeParameterValue((next as unknown as PolicyParameters)[key]),
            verified: changed ? input.verified ?? true : old?.verified ?? false,
            source: changed || !old ? source : old.source,
          };
        }),
      );
      break;
    }
    case 'national_minimum': {
      const merged = new Map((prevRows as NationalMinimumRow[]).map((r) => [r.grade, r]));
      input.rows.forEach((r, i) => {
        if (!Number.isInteger(r.grade) || r.grade < 1 || r.grade > 15) problems.push({ row: i + 1, field: 'grade', message: 'must be an integer 1–15' });
        const fen = tryYuanToFen(r.yuanPerM2);
        if (!fen.ok || fen.fen <= 0n) problems.push({ row: i + 1, field: 'yuanPerM2', message: 'must be a positive amount with at most 2 decimals' });
        else merged.set(r.grade, { grade: r.grade, yuanPerM2: r.yuanPerM2, verified: r.verified ?? true, source });
      });
      if (problems.length) failRows(problems, 'Invalid national minimum prices');
      version = await insertVersion(trx, 'national_minimum', meta, createdBy);
      await insertNationalMinimumRows(trx,
        [...merged.values()].map((r) => ({ version_id: version.id, grade: r.grade, yuan_per_m2: r.yuanPerM2.toFixed(2), verified: r.verified, source: r.source })),
      );
      break;
    }
    case 'provincial_minimum': {
      // Like the national table; unconfirmed unless the row says verified: true (POLICY.md).
      const merged = new Map((prevRows as ProvincialMinimumRow[]).map((r) => [r.grade, r]));
      input.rows.forEach((r, i) => {
        if (!Number.isInteger(r.grade) || r.grade < 1 || r.grade > 15) { problems.push({ row: i + 1, field: 'grade', message: 'must be an integer 1–15' }); return; }
        if (r.yuanPerM2 === null) { merged.delete(r.grade); return; }
        const fen = tryYuanToFen(r.yuanPerM2);
        if (!fen.ok || fen.fen <= 0n) problems.push({ row: i + 1, field: 'yuanPerM2', message: 'must be a positive amount with at most 2 decimals, or null to remove the grade' });
        else merged.set(r.grade, { grade: r.grade, yuanPerM2: r.yuanPerM2, verified: r.verified ?? false, source });
      });
      if (problems.length) failRows(problems, 'Invalid provincial minimum prices');
      version = await insertVersion(trx, 'provincial_minimum', meta, createdBy);
      if (merged.size) {
        await insertProvincialMinimumRows(trx,
          [...merged.values()].map((r) => ({ version_id: version.id, grade: r.grade, yuan_per_m2: r.yuanPerM2.toFixed(2), verified: r.verified, source: r.source })),
        );
      }
      break;
    }
    case 'district_grades': {
      const merged = new Map((prevRows as DistrictGradeRow[]).map((r) => [r.districtCode, r]));
      input.rows.forEach((r, i) => {
        if (!(DISTRICT_CODES as readonly string[]).includes(r.districtCode)) problems.push({ row: i + 1, field: 'districtCode', message: `"${r.districtCode}" is not a Guangzhou district` });
        else if (!Number.isInteger(r.grade) || r.grade < 1 || r.grade > 15) problems.push({ row: i + 1, field: 'grade', message: 'must be an integer 1–15' });
        else {
          const verified = r.verified ?? true;
          merged.set(r.districtCode, { districtCode: r.districtCode, grade: r.grade, verified, assumption: !verified, note: r.note ?? '', source });
        }
      });
      if (problems.length) failRows(problems, 'Invalid district grades');
      version = await insertVersion(trx, 'district_grades', meta, createdBy);
      await insertDistrictGradeRows(trx,
        [...merged.values()].map((r) => ({ version_id: version.id, district_code: r.districtCode, grade: r.grade, verified: r.verified, assumption: r.assumption, note: r.note, source: r.source })),
      );
      break;
    }
    case 'benchmark_prices': {
      const merged = new Map(replace ? [] : (prevRows as BenchmarkPriceRow[]).map((r) => [`${r.districtCode}:${r.landLevel}`, r]));
      input.rows.forEach((r, i) => {
        if (!(DISTRICT_CODES as readonly string[]).includes(r.districtCode)) problems.push({ row: i + 1, field: 'districtCode', message: `"${r.districtCode}" is not a Guangzhou district` });
        else if (!Number.isInteger(r.landLevel) || r.landLevel < 1 || r.landLevel > 10) problems.push({ row: i + 1, field: 'landLevel', message: 'must be an integer 1–10' });
        else {
          const fen = tryYuanToFen(r.yuanPerM2);
          if (!fen.ok || fen.fen <= 0n) problems.push({ row: i + 1, field: 'yuanPerM2', message: 'must be a positive amount with at most 2 decimals' });
          else merged.set(`${r.districtCode}:${r.landLevel}`, { ...r, sample: input.sample ?? false, source });
        }
      });
      if (problems.length) failRows(problems, 'Invalid benchmark prices');
      version = await insertVersion(trx, 'benchmark_prices', meta, createdBy);
      await insertBenchmarkRows(trx,
        [...merged.values()].map((r) => ({ version_id: version.id, district_code: r.districtCode, land_level: r.landLevel, yuan_per_m2: r.yuanPerM2.toFixed(2), sample: r.sample, source: r.source })),
      );
      break;
    }
  }
  await recordEvent(trx, {
    ...auditedAs(who, 'seed'),
    action: 'reference.version_add',
    entity: 'reference_version',
    entityId: version.id,
    before: prev ? { versionId: prev.id, effectiveFrom: prev.effectiveFrom } : null,
    after: { ...version, input },
  });
  return version;
}

/**
 * An administrator confirms one parameter (POLICY.md: `verified: false` until confirmed): a new
 * parameters version effective today, the same values as the version in force, with this key
 * `verified: true` (and, if given, the document it was confirmed against as its source). Versions
 * stay append-only; the audit event `reference.parameter_confirm` names the key, the value and
 * the source before and after. 409 when the key is already verified in the version in force.
 */
export async function confirmParameter(
  db: Kysely<Database>,
  caller: Caller,
  input: { key: string; source?: string | undefined; note?: string | undefined },
): Promise<VersionInfo & { key: PolicyParameterKey }> {
  return inTransaction(db, (trx) => confirmParameterIn(trx, { caller }, input.key, input));
}

async function confirmParameterIn(
  trx: Transaction<Database>,
  who: ReferenceWriter,
  key: string,
  body: { source?: string | undefined; note?: string | undefined },
): Promise<VersionInfo & { key: PolicyParameterKey }> {
  if (!(key in DEFAULT_PARAMETERS)) {
    throw new AppError(404, 'NOT_FOUND', `Unknown parameter "${key}" (未知参数); known: ${Object.keys(DEFAULT_PARAMETERS).join(', ')}.`);
  }
  const k = key as PolicyParameterKey;
  await lockKind(trx, 'parameters');
  const on = today();
  const current = await currentVersion(trx, 'parameters', on);
  if (!current) throw new AppError(503, 'SERVICE_UNAVAILABLE', `No parameters reference data is in effect on ${on}; an administrator must add a version.`);
  const rows = (await rowsOf(trx, 'parameters', current.id)) as ParameterRow[];
  const row = rows.find((r) => r.key === k);
  if (!row) throw new AppError(404, 'NOT_FOUND', `Parameter "${k}" is not in the version in force (${current.id}) (当前版本无此参数).`);
  if (row.verified) {
    throw new AppError(409, 'CONFLICT', `${k} is already verified in the version in force (${current.id}) (该参数已核实).`, { reason: 'ALREADY_VERIFIED', key: k, versionId: current.id });
  }
  const given = body.source?.trim();
  const source = given || row.source;
  const createdBy = who.caller?.user?.username ?? who.actor ?? null;
  const version = await insertVersion(
    trx,
    'parameters',
    { effectiveFrom: on, source: `确认参数 ${k}（confirmed）：${source}`, note: body.note?.trim() || `Confirmed ${k} = ${row.value}` },
    createdBy,
  );
  await insertParameterRows(trx,
    rows.map((r) => ({
      version_id: version.id,
      key: r.key,
      value: r.value,
      verified: r.key === k ? true : r.verified,
      source: r.key === k ? source : r.source,
    })),
  );
  await recordEvent(trx, {
    ...auditedAs(who, 'system'),
    action: 'reference.parameter_confirm',
    entity: 'reference_version',
    entityId: version.id,
    before: { versionId: current.id, key: k, value: row.value, verified: false, source: row.source },
    after: { versionId: version.id, key: k, value: row.value, verified: true, source, effectiveFrom: version.effectiveFrom },
  });
  return { ...version, key: k };
}

/** POST /api/reference/benchmark_prices/import: a benchmark table from CSV (the official table replaces the whole table). */
export async function importBenchmarkCsv(
  db: Kysely<Database>,
  caller: Caller,
  input: { csv: string; meta: NewVersionMeta & { sample?: boolean | undefined } },
): Promise<{ version: VersionInfo; rows: number } | { errors: CsvRowError[] }> {
  const { csv, meta } = input;
  const parsed = parseBenchmarkCsv(csv);
  if (!parsed.ok) return { errors: parsed.errors };
  const version = await inTransaction(db, (trx) =>
    addVersionIn(trx, { caller }, { kind: 'benchmark_prices', rows: parsed.rows, sample: meta.sample ?? false }, meta, true),
  );
  return { version, rows: parsed.rows.length };
}

// --- Seeding ------------------------------------------------------------------------------------

/** The shipped parameter set's version source (the same text as migration 011's correction). */
export const SEED_PARAMETERS_SOURCE = 'IAB行动计划 五(三)11、13、14（70%、5000亩、20%、1亿元、15%/14%）；GB/T 18508 城镇土地估价规程（年期修正方法）；城镇国有土地使用权出让和转让暂行条例（1990）第十二条；国土资发〔2009〕56号；其余为局内参数，待核实';
const SEED_EFFECTIVE = '2018-01-01'; // the plan (穗府〔2018〕) and 307号 both predate every demo figure

/**
 * The shipped provincial table (empty: Guangdong's figures were not available) as a version of
 * its own, so the reference screen shows it and the bureau fills it; added to a database seeded
 * before the table existed, too. Returns whether it added one.
 */
async function seedProvincialMinimum(db: Kysely<Database>): Promise<boolean> {
  if (await hasVersion(db, 'provincial_minimum')) return false;
  await inTransaction(db, async (trx) => {
    const v = await insertVersion(trx, 'provincial_minimum', { effectiveFrom: SEED_EFFECTIVE, source: PROVINCIAL_MINIMUM_SEED_SOURCE, note: 'Empty: no provincial figure applies until the bureau enters them.' }, 'system:seed');
    if (PROVINCIAL_MINIMUM_GRADES.length) {
      await insertProvincialMinimumRows(trx,
        PROVINCIAL_MINIMUM_GRADES.map((g) => ({ version_id: v.id, grade: g.grade, yuan_per_m2: g.yuanPerM2.toFixed(2), verified: g.verified, source: g.source })),
      );
    }
    await recordEvent(trx, { actor: systemActor('seed'), action: 'reference.seed', entity: 'reference_version', entityId: v.id, after: v });
  });
  return true;
}

/**
 * Loads the shipped reference data into an empty database: one version per kind. The sample
 * benchmark table's CSV text comes from the seed step (seeds/reference/), never read here.
 */
export async function seedReference(db: Kysely<Database>, sampleBenchmarkCsv: string): Promise<boolean> {
  if (await hasVersion(db)) return seedProvincialMinimum(db);
  await inTransaction(db, async (trx) => {
    const ctx = { actor: 'seed' };
    // Each parameter with its real source: the plan only for what it states (verified), the
    // national rule where there is one, else a bureau assumption — both unverified until an
    // administrator confirms them (POLICY.md "Where each parameter comes from").
    const version = await insertVersion(trx, 'parameters', { effectiveFrom: SEED_EFFECTIVE, source: SEED_PARAMETERS_SOURCE }, 'system:seed');
    await insertParameterRows(trx,
      (Object.keys(DEFAULT_PARAMETERS) as PolicyParameterKey[]).map((key) => ({
        version_id: version.id,
        key,
        value: encodeParameterValue(DEFAULT_PARAMETERS[key]),
        ...shippedProvenance(key),
      })),
    );
    const nm = await insertVersion(trx, 'national_minimum', { effectiveFrom: SEED_EFFECTIVE, source: '国土资发〔2006〕307号 附件1' }, 'system:seed');
    await insertNationalMinimumRows(trx,
      NATIONAL_MINIMUM_GRADES.map((g) => ({ version_id: nm.id, grade: g.grade, yuan_per_m2: g.yuanPerM2.toFixed(2), verified: g.verified, source: g.source })),
    );
    const dg = await insertVersion(trx, 'district_grades', { effectiveFrom: SEED_EFFECTIVE, source: 'POLICY.md (urban districts grade 3; others assumptions to confirm)' }, 'system:seed');
    await insertDistrictGradeRows(trx,
      DISTRICT_GRADE_DEFAULTS.map((d) => ({ version_id: dg.id, district_code: d.districtCode, grade: d.grade, verified: d.verified, assumption: d.assumption, note: d.note, source: 'POLICY.md' })),
    );
    const parsed = parseBenchmarkCsv(sampleBenchmarkCsv);
    if (!parsed.ok) throw new Error(`The shipped sample benchmark table is invalid: ${JSON.stringify(parsed.errors[0])}`);
    const bp = await insertVersion(trx, 'benchmark_prices', { effectiveFrom: SEED_EFFECTIVE, source: 'SAMPLE — plausible values, not the official 基准地价 table' }, 'system:seed');
    await insertBenchmarkRows(trx,
      parsed.rows.map((r) => ({ version_id: bp.id, district_code: r.districtCode, land_level: r.landLevel, yuan_per_m2: r.yuanPerM2.toFixed(2), sample: true, source: 'seeds/reference/benchmark-prices.sample.csv (SAMPLE)' })),
    );
    for (const v of [version, nm, dg, bp]) {
      await recordEvent(trx, { actor: systemActor(ctx.actor), action: 'reference.seed', entity: 'reference_version', entityId: v.id, after: v });
    }
  });
  await seedProvincialMinimum(db);
  return true;
}
