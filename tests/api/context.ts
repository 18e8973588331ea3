/**
 * API tests run the real server through `app.inject` on every database we support: embedded
 * PGlite always, and PostgreSQL when TEST_DATABASE_URL is set (CI sets it). Each test file gets
 * its own fresh database — an in-memory PGlite, or a throw-away PostgreSQL database created
 * next to TEST_DATABASE_URL and dropped afterwards.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/kernel/config.ts';
import { startupSeeding } from '../../seeds/startup.ts';
import { createAppRole } from '../../server/kernel/db/roles.ts';
import { connectDatabase, type DatabaseHandle } from '../../server/kernel/db/connect.ts';
import type { Database } from '../../server/kernel/db/schema.ts';
import { Kysely, PostgresDialect } from 'kysely';

export type DbKind = 'pglite' | 'postgres';
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

export const POSTGRES_SKIP_REASON = 'TEST_DATABASE_URL is not set, so the PostgreSQL runs of the API tests were SKIPPED (CI sets it; see .ci/run).';
if (!TEST_DATABASE_URL) console.warn(`[tests/api] ${POSTGRES_SKIP_REASON}`);

/** Creates an empty PostgreSQL database beside TEST_DATABASE_URL; returns its URL and a drop function. */
export async function createScratchDatabase(prefix = 'iab_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error(POSTGRES_SKIP_REASON);
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * The cluster-wide app role (`npm run db:roles` does this for a real deployment), so the app's
 * queries run as it, as they should in production. Safe when test files create it at once.
 */
async function ensureAppRole(): Promise<void> {
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: TEST_DATABASE_URL, max: 1 }) }) });
  try {
    await createAppRole(db);
  } finally {
    await db.destroy();
  }
}

export interface TestContext {
  app: FastifyInstance;
  kind: DbKind;
}

/**
 * Starts the app on a fresh database of the given kind, seeded as the launcher seeds it (demo
 * data unless SEED_DEMO=false; seeds/startup.ts). Its trusted origin is
 * http://localhost (PUBLIC_ORIGIN), the origin `app.inject` requests come from (login.ts
 * APP_ORIGIN) — also when a test makes the app listen and sends real HTTP (pass
 * `PUBLIC_ORIGIN: ''` to test the http://HOST:PORT default).
 */
export async function startTestApp(kind: DbKind, givenEnv: Record<string, string> = {}): Promise<{ ctx: TestContext; stop: () => Promise<void> }> {
  const env = { PUBLIC_ORIGIN: 'http://localhost', ...givenEnv };
  if (kind === 'pglite') {
    const config = loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true', ...env });
    const app = await buildApp({ config, ...startupSeeding(config) });
    return { ctx: { app, kind }, stop: () => app.close() };
  }
  const scratch = await createScratchDatabase();
  await ensureAppRole();
  // DATA_DIR memory://: a random audit key for this process, no key file in ./data.
  const config = loadConfig({ DATABASE_URL: scratch.url, DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true', ...env });
  const app = await buildApp({ config, ...startupSeeding(config) });
  return {
    ctx: { app, kind },
    stop: async () => {
      await app.close();
      await scratch.drop();
    },
  };
}

/**
 * Declares a suite once per database kind: PGlite, and PostgreSQL when TEST_DATABASE_URL is set
 * (otherwise reported as skipped, with the reason in its name). `body` gets the kind.
 */
function describeOnEachKind(name: string, body: (kind: DbKind) => void): void {
  for (const kind of ['pglite', 'postgres'] as const) {
    const skip = kind === 'postgres' && !TEST_DATABASE_URL;
    const title = skip ? `${name} [postgres — skipped: TEST_DATABASE_URL not set]` : `${name} [${kind}]`;
    describe.skipIf(skip)(title, () => body(kind));
  }
}

/** Declares a suite once per database, on a started, seeded app. `get()` returns the running context inside tests. */
export function describeOnDatabases(name: string, body: (get: () => TestContext) => void, env: Record<string, string> = {}): void {
  describeOnEachKind(name, (kind) => {
    let ctx: TestContext | undefined;
    let stop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      ({ ctx, stop } = await startTestApp(kind, env));
    });
    afterAll(async () => {
      await stop?.();
    });
    body(() => {
      if (!ctx) throw new Error('test app not started');
      return ctx;
    });
  });
}

/**
 * For migration tests: an empty, unmigrated database of each kind — an in-memory PGlite, and a
 * throw-away PostgreSQL database when TEST_DATABASE_URL is set — closed (and dropped) after the
 * block. The test migrates it to the version it starts from.
 */
export function describeOnEmptyDatabases(name: string, body: (db: () => Kysely<Database>, kind: DbKind) => void): void {
  describeOnEachKind(name, (kind) => {
    let handle: DatabaseHandle | undefined;
    let drop: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      if (kind === 'pglite') handle = await connectDatabase({ dataDir: 'memory://' });
      else {
        const scratch = await createScratchDatabase('iab_migration');
        drop = scratch.drop;
        handle = await connectDatabase({ databaseUrl: scratch.url, dataDir: '' });
      }
    });
    afterAll(async () => {
      await handle?.close();
      await drop?.();
    });
    body(() => {
      if (!handle) throw new Error('test database not opened');
      return handle.db as Kysely<Database>;
    }, kind);
  });
}
