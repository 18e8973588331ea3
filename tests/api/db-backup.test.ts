/**
 * `npm run db:backup` / `db:restore` (scripts/db-backup-lib.ts) on both databases: a demo database
 * (seeded as the launcher seeds it) backed up, restored into an empty target with the backup's
 * audit key, the same rows in every table and the audit chain verifying; a target that holds a
 * database refused without --force and replaced with it; the embedded folder refused while open;
 * a missing pg_dump named with its Debian package.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/kernel/config.ts';
import { connectDatabase } from '../../server/kernel/db/connect.ts';
import { loadAuditKey } from '../../server/kernel/audit-key.ts';
import { useAuditKey, verifyAuditChain } from '../../server/kernel/audit.ts';
import { startupSeeding } from '../../seeds/startup.ts';
import { backupDatabase, BackupError, keyFileOf, pgToolMajor, restoreDatabase, type BackupConfig } from '../../scripts/db-backup-lib.ts';
import { createScratchDatabase } from './context.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'iab-backup-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Row count of every table in public, read as the owner. */
async function counts(config: BackupConfig): Promise<Record<string, number>> {
  const handle = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await handle.asOwner(async (db) => {
      const tables = (await sql<{ t: string }>`select tablename as t from pg_tables where schemaname = 'public' order by 1`.execute(db)).rows;
      const out: Record<string, number> = {};
      for (const { t } of tables) out[t] = Number((await sql<{ n: string }>`select count(*)::text as n from ${sql.table(t)}`.execute(db)).rows[0]!.n);
      return out;
    });
  } finally {
    await handle.close();
  }
}

async function verify(config: BackupConfig) {
  useAuditKey(loadAuditKey(config, { create: false }));
  const handle = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await verifyAuditChain(handle.db);
  } finally {
    await handle.close();
  }
}

/** A demo database as `npm start` leaves it: seeded through buildApp, a few events, then stopped. */
async function startAndStop(env: Record<string, string>): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', SEED_DEMO: 'true', PUBLIC_ORIGIN: 'http://localhost', ...env });
  const app = await buildApp({ config, ...startupSeeding(config) });
  await app.close();
}

/** What a restore must give back: every table's rows, and one event more (database.restored). */
function expectSameRows(before: Record<string, number>, after: Record<string, number>) {
  expect(Object.keys(after)).toEqual(Object.keys(before));
  expect(before.plots).toBeGreaterThan(0);
  expect(before.allocations).toBeGreaterThan(0);
  for (const [t, n] of Object.entries(before)) {
    if (t === 'audit_events') expect(after[t], t).toBe(n + 1);
    else if (t === 'audit_head' || t === 'app_meta') continue; // the head moved on; meta may note the restore's migrations
    else expect(after[t], t).toBe(n);
  }
}

describe('db:backup / db:restore, embedded database (DATA_DIR)', () => {
  const dirA = path.join(tmp, 'a');
  const dirB = path.join(tmp, 'b');
  const file = path.join(tmp, 'embedded.backup');
  const a: BackupConfig = { databaseUrl: undefined, dataDir: dirA, auditKey: undefined };
  const b: BackupConfig = { databaseUrl: undefined, dataDir: dirB, auditKey: undefined };
  let before: Record<string, number>;
  beforeAll(async () => {
    await startAndStop({ DATA_DIR: dirA });
    before = await counts(a);
  });

  it('refuses while the folder is open (the server running), then backs up the stopped database with its key', async () => {
    const open = await PGlite.create(dirA);
    try {
      await expect(backupDatabase(a, file)).rejects.toThrow(/stop the server first/);
    } finally {
      await open.close();
    }
    const r = await backupDatabase(a, file);
    expect(r.kind).toBe('pglite');
    expect(fs.statSync(file).size).toBe(r.bytes);
    expect(r.keyFile).toBe(keyFileOf(file));
    expect(fs.readFileSync(keyFileOf(file), 'utf8')).toBe(fs.readFileSync(path.join(dirA, 'audit.key'), 'utf8'));
    expect(fs.statSync(keyFileOf(file)).mode & 0o077).toBe(0);
  });

  it('restores into an empty DATA_DIR: same rows, the backup key in place, the chain verifies', async () => {
    const r = await restoreDatabase(b, file, { force: false });
    expect(r.keyRestored).toBe(path.join(dirB, 'audit.key'));
    expectSameRows(before, await counts(b));
    const v = await verify(b);
    expect(v).toMatchObject({ ok: true, count: before.audit_events! + 1 });
  });

  it('refuses a DATA_DIR that holds a database without --force; with --force moves it aside and restores', async () => {
    await expect(restoreDatabase(b, file, { force: false })).rejects.toThrow(BackupError);
    await expect(restoreDatabase(b, file, { force: false })).rejects.toThrow(/already holds a database.*--force/);
    const r = await restoreDatabase(b, file, { force: true });
    expect(r.movedAside).toMatch(/b\.before-restore-/);
    expect(fs.existsSync(path.join(r.movedAside!, 'PG_VERSION'))).toBe(true);
    expectSameRows(before, await counts(b));
    expect((await verify(b)).ok).toBe(true);
  });

  it('refuses a PostgreSQL archive for the embedded database, and a file that is no backup', async () => {
    const bogus = path.join(tmp, 'bogus');
    fs.writeFileSync(bogus, 'PGDMP-not-really');
    await expect(restoreDatabase(b, bogus, { force: true })).rejects.toThrow(/PostgreSQL backup.*DATABASE_URL/);
    fs.writeFileSync(bogus, 'hello');
    await expect(restoreDatabase(b, bogus, { force: true })).rejects.toThrow(/not a backup made by npm run db:backup/);
  });
});

describe('pg_dump / pg_restore presence', () => {
  it('names the Debian package when the tool is missing', () => {
    const PATH = process.env.PATH;
    process.env.PATH = path.join(tmp, 'nowhere');
    try {
      expect(() => pgToolMajor('pg_dump')).toThrow(/pg_dump is not installed.*apt-get install postgresql-client/);
    } finally {
      process.env.PATH = PATH;
    }
  });
});

describe.skipIf(!TEST_DATABASE_URL)('db:backup / db:restore, PostgreSQL (DATABASE_URL)', () => {
  const keysA = path.join(tmp, 'keys-a');
  const keysB = path.join(tmp, 'keys-b');
  const file = path.join(tmp, 'postgres.dump');
  let dbA: Awaited<ReturnType<typeof createScratchDatabase>>;
  let dbB: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: BackupConfig;
  let b: BackupConfig;
  let before: Record<string, number>;
  beforeAll(async () => {
    dbA = await createScratchDatabase('iab_backup');
    dbB = await createScratchDatabase('iab_backup');
    a = { databaseUrl: dbA.url, dataDir: keysA, auditKey: undefined };
    b = { databaseUrl: dbB.url, dataDir: keysB, auditKey: undefined };
    await startAndStop({ DATABASE_URL: dbA.url, DATA_DIR: keysA });
    before = await counts(a);
  });
  afterAll(async () => {
    await dbA?.drop();
    await dbB?.drop();
  });

  it('backs up with pg_dump (custom format) and the key file beside it', async () => {
    expect(pgToolMajor('pg_dump')).toBeGreaterThanOrEqual(12);
    const r = await backupDatabase(a, file);
    expect(r.kind).toBe('postgres');
    expect(fs.readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP');
    expect(fs.readFileSync(keyFileOf(file), 'utf8')).toBe(fs.readFileSync(path.join(keysA, 'audit.key'), 'utf8'));
  });

  it('restores into an empty database: same rows, the chain verifies with the restored key', async () => {
    const r = await restoreDatabase(b, file, { force: false });
    expect(r.keyRestored).toBe(path.join(keysB, 'audit.key'));
    expectSameRows(before, await counts(b));
    expect(await verify(b)).toMatchObject({ ok: true, count: before.audit_events! + 1 });
  });

  it('refuses a database with tables without --force, and replaces it with --force', async () => {
    await expect(restoreDatabase(b, file, { force: false })).rejects.toThrow(/not empty.*--force/);
    await restoreDatabase(b, file, { force: true });
    expectSameRows(before, await counts(b));
    expect((await verify(b)).ok).toBe(true);
  });

  it('refuses an embedded backup for PostgreSQL', async () => {
    const gz = path.join(tmp, 'fake.tgz');
    fs.writeFileSync(gz, Buffer.from([0x1f, 0x8b, 8, 0, 0]));
    await expect(restoreDatabase(b, gz, { force: true })).rejects.toThrow(/embedded-database backup/);
  });
});
