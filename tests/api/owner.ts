/**
 * Direct SQL as the tables' owner, for tests that play a database superuser: the
 * app's own queries run as the app role `iab_app`, which may not do this. PGlite: the app's one
 * session, RESET ROLE for the duration. PostgreSQL: a connection of its own to the test
 * database (TEST_DATABASE_URL's superuser).
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../../server/kernel/db/schema.ts';
import { APP_ROLE } from '../../server/kernel/db/roles.ts';
import type { TestContext } from './context.ts';

export async function asOwner<T>(ctx: TestContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  if (ctx.kind === 'pglite') {
    await sql`RESET ROLE`.execute(ctx.app.db);
    try {
      return await fn(ctx.app.db);
    } finally {
      await sql.raw(`SET ROLE ${APP_ROLE}`).execute(ctx.app.db);
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: ctx.app.config.databaseUrl, max: 1 }) }) });
  try {
    return await fn(db);
  } finally {
    await db.destroy();
  }
}

/** Runs `fn` as the owner with the append-only trigger disabled (what a superuser can do). */
export function behindTheTrigger<T>(ctx: TestContext, fn: (db: Kysely<Database>) => Promise<T>): Promise<T> {
  return asOwner(ctx, async (db) => {
    await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(db);
    try {
      return await fn(db);
    } finally {
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(db);
    }
  });
}
