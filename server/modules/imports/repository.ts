/** Import queries: the stored previews (`imports`) and the park outlines plots are assigned to. Executor first. */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database, ImportTable } from '../../kernel/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Every park's id, code, name, district and boundary. */
export function parkOutlines(db: Executor) {
  return db.selectFrom('parks').select(['id', 'code', 'name_zh', 'district_code', 'geometry']).execute();
}

/** Which of these 宗地代码 are held by a live (not retired) plot, with that plot's code (the unique index `plots_parcel_code_live`). */
export async function parcelCodesInUse(db: Executor, parcelCodes: string[]): Promise<Map<string, string>> {
  if (!parcelCodes.length) return new Map();
  const rows = await db.selectFrom('plots').select(['parcel_code', 'code']).where('parcel_code', 'in', parcelCodes).where('status', '<>', 'retired').execute();
  return new Map(rows.map((r) => [r.parcel_code!, r.code]));
}

export function findImport(db: Executor, id: string) {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks an import row (FOR UPDATE) for its commit. */
export function lockImport(trx: Transaction<Database>, id: string) {
  return trx.selectFrom('imports').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export type ImportRow = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/** Stores a preview, removing the previews that have expired. */
export async function storePreview(trx: Transaction<Database>, values: Insertable<ImportTable>): Promise<void> {
  await trx.deleteFrom('imports').where('status', '=', 'previewed').where('expires_at', '<', new Date()).execute();
  await trx.insertInto('imports').values(values).execute();
}

/** The most recent imports, newest first: one user's, or everyone's (`createdBy` null). */
export function listImportRows(db: Executor, createdBy: number | null, limit: number) {
  let q = db
    .selectFrom('imports')
    .select(['id', 'status', 'filename', 'format', 'crs', 'crs_source', 'counts', 'created_at', 'committed_at', 'expires_at', 'failure', 'created_by', 'default_park_id'])
    .orderBy('created_at', 'desc')
    .limit(limit);
  if (createdBy !== null) q = q.where('created_by', '=', createdBy);
  return q.execute();
}

export async function markImportCommitted(trx: Transaction<Database>, id: string): Promise<void> {
  await trx.updateTable('imports').set({ status: 'committed', committed_at: new Date() }).where('id', '=', id).execute();
}

/** A previewed import that can no longer succeed. */
export async function markImportFailed(db: Executor, id: string, failure: string): Promise<void> {
  await db.updateTable('imports').set({ status: 'failed', failure: failure.slice(0, 2000) }).where('id', '=', id).where('status', '=', 'previewed').execute();
}
