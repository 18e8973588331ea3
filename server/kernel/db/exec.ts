import { sql, type Kysely } from 'kysely';

/**
 * Runs DDL statements one at a time: PGlite's extended protocol takes one statement per query,
 * so a migration lists its statements instead of sending a script.
 */
export async function execAll(db: Kysely<unknown>, statements: string[]): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}
