/** The system module's queries: a database ping, whether any sample data is loaded, and its date. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** Throws when the database does not answer. */
export async function ping(db: Executor): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Whether any plot or park is sample data. */
export async function hasSampleData(db: Executor): Promise<boolean> {
  const samplePlots = await db.selectFrom('plots').select('id').where('sample', '=', true).limit(1).executeTakeFirst();
  const sampleParks = await db.selectFrom('parks').select('id').where('sample', '=', true).limit(1).executeTakeFirst();
  return Boolean(samplePlots || sampleParks);
}

/** The date the data is as of (app_meta `data_as_of`), as stored. */
export async function dataAsOf(db: Executor): Promise<unknown> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', 'data_as_of').executeTakeFirst();
  return row?.value;
}

/** The password hashes of those of these accounts that are not disabled. */
export async function activePasswordHashes(db: Kysely<Database>, usernames: readonly string[]): Promise<string[]> {
  const rows = await db.selectFrom('users').select('password_hash').where('username', 'in', usernames).where('disabled_at', 'is', null).execute();
  return rows.map((r) => r.password_hash);
}
