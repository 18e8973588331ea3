/**
 * Backup and restore of the app's database (`npm run db:backup -- FILE`, `npm run db:restore -- FILE [--force]`).
 *
 * - Embedded (PGlite in DATA_DIR): FILE is PGlite's own dump of the data folder (a gzip'd tar,
 *   `dumpDataDir`). PGlite is one process's database: while the server runs, no other process may
 *   open DATA_DIR, so backup and restore need the server stopped (they refuse while DATA_DIR's
 *   postmaster.pid says it is open). The dump is then the database as the server left it at
 *   shutdown: consistent.
 * - PostgreSQL (DATABASE_URL): FILE is `pg_dump --format=custom` (a consistent snapshot taken while
 *   the server runs; `pg_restore` reads it too). The tools must be installed (Debian package
 *   `postgresql-client`) and pg_dump's major version at least the server's.
 *
 * The audit key: when it is the file DATA_DIR/audit.key, the backup copies it beside FILE as
 * FILE.audit.key (mode 0600), and a restore puts it back (moving a different key aside), so the
 * restored chain verifies. With AUDIT_KEY the key is not copied: restore with the same AUDIT_KEY.
 *
 * A restore refuses a target that holds a database (embedded: DATA_DIR has database files;
 * PostgreSQL: the database has tables) unless `force`: then the embedded folder is moved aside
 * (DATA_DIR.before-restore-…), and PostgreSQL empties the public schema (extensions kept) before restoring.
 * After restoring it applies pending migrations and grants (prepareDatabase), records a
 * `database.restored` audit event and verifies the whole chain; a chain that does not verify is an error.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { AUDIT_KEY_FILE, makeAuditKey, parseAuditKey } from '../server/kernel/audit-key.ts';
import { recordEvent, systemActor, verifyAuditChain } from '../server/kernel/audit.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { prepareDatabase } from '../server/kernel/db/prepare.ts';
import { inTransaction } from '../server/kernel/db/transaction.ts';

export interface BackupConfig {
  databaseUrl: string | undefined;
  databaseOwnerUrl?: string | undefined;
  dataDir: string;
  auditKey: Buffer | undefined;
}

/** A refusal or a missing prerequisite: the command prints the message and exits 2. */
export class BackupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupError';
  }
}

export interface BackupResult {
  kind: 'pglite' | 'postgres';
  file: string;
  bytes: number;
  /** The copy of DATA_DIR/audit.key beside the backup, or null (AUDIT_KEY, or no key file). */
  keyFile: string | null;
}

export interface RestoreResult {
  kind: 'pglite' | 'postgres';
  /** Where a forced restore moved what was there (embedded), or null. */
  movedAside: string | null;
  /** The audit key put in place from the backup, or null. */
  keyRestored: string | null;
  /** The verified chain, including the `database.restored` event. */
  auditEvents: number;
}

export const keyFileOf = (file: string) => `${file}.audit.key`;
const stamp = () => new Date().toISOString().replace(/[:.]/g, '-');

function assertFileTarget(dataDir: string): void {
  if (dataDir === 'memory://') throw new BackupError('DATA_DIR is memory://: an in-memory database has nothing to back up or restore into. Set DATA_DIR to the data folder (or DATABASE_URL).');
}

/** The embedded server holds DATA_DIR open (PGlite writes postmaster.pid while open, removes it on close). */
function assertEmbeddedClosed(dataDir: string): void {
  if (fs.existsSync(path.join(dataDir, 'postmaster.pid'))) {
    throw new BackupError(
      `${dataDir} is open (postmaster.pid): stop the server first — the embedded database belongs to one process at a time. ` +
        'If no server is running, it was not shut down cleanly: start it once and stop it (Ctrl-C), then try again.',
    );
  }
}

function copyKeyBeside(dataDir: string, file: string, auditKey: Buffer | undefined): string | null {
  if (auditKey || dataDir === 'memory://') return null;
  const src = path.join(dataDir, AUDIT_KEY_FILE);
  if (!fs.existsSync(src)) return null;
  const dest = keyFileOf(file);
  fs.writeFileSync(dest, fs.readFileSync(src), { mode: 0o600 });
  fs.chmodSync(dest, 0o600);
  return dest;
}

/** `pg_dump` / `pg_restore` on PATH, or a clear message naming the package. Returns the major version. */
export function pgToolMajor(tool: 'pg_dump' | 'pg_restore'): number {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new BackupError(`${tool} is not installed (or not on PATH): install the PostgreSQL client tools — on Debian/Ubuntu \`apt-get install postgresql-client\` (the same major version as the server or newer).`);
  }
  const m = /(\d+)(?:\.\d+)?/.exec(r.stdout);
  if (!m) throw new BackupError(`Cannot read ${tool}'s version from "${r.stdout.trim()}".`);
  return Number(m[1]);
}

async function serverMajor(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ v: string }>('show server_version_num');
    return Math.floor(Number(r.rows[0]!.v) / 10000);
  } finally {
    await c.end();
  }
}

function run(tool: string, args: string[]): void {
  const r = spawnSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new BackupError(`${tool} failed to run: ${r.error.message}`);
  if (r.status !== 0) throw new BackupError(`${tool} failed (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
}

export async function backupDatabase(config: BackupConfig, file: string): Promise<BackupResult> {
  const target = path.resolve(file);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.partial-${process.pid}`;
  try {
    if (config.databaseUrl) {
      const url = config.databaseOwnerUrl ?? config.databaseUrl;
      const tool = pgToolMajor('pg_dump');
      const server = await serverMajor(url);
      if (tool < server) {
        throw new BackupError(`pg_dump ${tool} cannot dump a PostgreSQL ${server} server: install postgresql-client-${server} (Debian package) or newer and put its pg_dump first on PATH.`);
      }
      run('pg_dump', ['--format=custom', '--no-owner', `--file=${tmp}`, `--dbname=${url}`]);
    } else {
      assertFileTarget(config.dataDir);
      if (!fs.existsSync(path.join(config.dataDir, 'PG_VERSION'))) throw new BackupError(`${config.dataDir} holds no database to back up.`);
      assertEmbeddedClosed(config.dataDir);
      const pglite = await PGlite.create(config.dataDir);
      try {
        await pglite.exec('CHECKPOINT');
        const blob = await pglite.dumpDataDir('gzip');
        fs.writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()), { mode: 0o600 });
      } finally {
        await pglite.close();
      }
    }
    fs.renameSync(tmp, target); // a complete backup or none under FILE
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  const keyFile = copyKeyBeside(config.dataDir, target, config.auditKey);
  return { kind: config.databaseUrl ? 'postgres' : 'pglite', file: target, bytes: fs.statSync(target).size, keyFile };
}

function fileKind(file: string): 'pglite' | 'postgres' | null {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    fs.readSync(fd, head, 0, 5, 0);
    if (head.toString('latin1') === 'PGDMP') return 'postgres';
    if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite';
    return null;
  } finally {
    fs.closeSync(fd);
  }
}

/** The backup's key (FILE.audit.key) put where this configuration reads it; null when there is none to put. */
function installKey(config: BackupConfig, file: string, keyDir: string): string | null {
  const side = keyFileOf(file);
  if (!fs.existsSync(side)) return null;
  const secret = parseAuditKey(fs.readFileSync(side, 'utf8'));
  if (!secret) throw new BackupError(`${side} does not hold an audit key (64–128 hex digits).`);
  if (config.auditKey) {
    const mine = makeAuditKey(config.auditKey, 'AUDIT_KEY').id;
    const theirs = makeAuditKey(secret, side).id;
    if (mine !== theirs) throw new BackupError(`The backup's audit key (${side}, id ${theirs}) is not AUDIT_KEY (id ${mine}): restore with the AUDIT_KEY the backup was made with, or unset AUDIT_KEY.`);
    return null;
  }
  if (keyDir === 'memory://') return null;
  fs.mkdirSync(keyDir, { recursive: true });
  const dest = path.join(keyDir, AUDIT_KEY_FILE);
  if (fs.existsSync(dest)) {
    if (parseAuditKey(fs.readFileSync(dest, 'utf8'))?.equals(secret)) return null;
    fs.renameSync(dest, `${dest}.before-restore-${stamp()}`);
  }
  fs.writeFileSync(dest, `${secret.toString('hex')}\n`, { mode: 0o600 });
  return dest;
}

async function publicTables(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const r = await c.query<{ n: string }>(`select count(*)::text as n from pg_tables where schemaname = 'public'`);
    return Number(r.rows[0]!.n);
  } finally {
    await c.end();
  }
}

/**
 * Empties the public schema for a forced restore: its tables, views, sequences, functions and
 * types — not those of extensions (PostGIS stays; the dump's CREATE EXTENSION IF NOT EXISTS keeps
 * it), nor anything outside public. One transaction: all gone or nothing.
 */
async function emptyPublicSchema(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const notExt = (cls: string, col: string) => `not exists (select 1 from pg_depend d where d.classid = '${cls}'::regclass and d.objid = ${col} and d.deptype = 'e')`;
  try {
    await c.query('begin');
    // Tables first: their identity and serial sequences go with them (the later drops are then no-ops).
    const drops = await c.query<{ s: string }>(`
      select case when c.relkind in ('r', 'p') then 0 else 1 end as o, format('drop %s if exists public.%I cascade', case c.relkind when 'v' then 'view' when 'm' then 'materialized view' when 'S' then 'sequence' else 'table' end, c.relname) as s
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm', 'S') and ${notExt('pg_class', 'c.oid')}
      union all
      select 2, format('drop routine if exists %s cascade', p.oid::regprocedure)
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
       where n.nspname = 'public' and ${notExt('pg_proc', 'p.oid')}
      union all
      select 3, format('drop type if exists public.%I cascade', t.typname)
        from pg_type t join pg_namespace n on n.oid = t.typnamespace
       where n.nspname = 'public' and t.typtype in ('e', 'd', 'c') and (t.typrelid = 0 or (select relkind from pg_class where oid = t.typrelid) = 'c')
         and ${notExt('pg_type', 't.oid')}
      order by 1`);
    for (const { s: stmt } of drops.rows) await c.query(stmt);
    await c.query('commit');
  } catch (err) {
    await c.query('rollback').catch(() => {});
    throw err;
  } finally {
    await c.end();
  }
}

export async function restoreDatabase(config: BackupConfig, file: string, opts: { force: boolean }): Promise<RestoreResult> {
  const source = path.resolve(file);
  if (!fs.existsSync(source)) throw new BackupError(`${source} does not exist.`);
  const kind = fileKind(source);
  const want = config.databaseUrl ? 'postgres' : 'pglite';
  if (kind === null) throw new BackupError(`${source} is not a backup made by npm run db:backup (neither a pg_dump custom archive nor an embedded database dump).`);
  if (kind !== want) {
    throw new BackupError(kind === 'postgres'
      ? `${source} is a PostgreSQL backup (pg_dump): set DATABASE_URL to the database to restore it into.`
      : `${source} is an embedded-database backup: unset DATABASE_URL and set DATA_DIR to restore it.`);
  }
  let movedAside: string | null = null;
  let keyRestored: string | null = null;
  if (config.databaseUrl) {
    const url = config.databaseOwnerUrl ?? config.databaseUrl;
    pgToolMajor('pg_restore');
    const tables = await publicTables(url);
    if (tables > 0 && !opts.force) {
      throw new BackupError(`The target database is not empty (${tables} tables): restore into a new database (createdb), or give --force to replace what is there.`);
    }
    keyRestored = installKey(config, source, config.dataDir);
    if (tables > 0) await emptyPublicSchema(url);
    run('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${url}`, source]);
  } else {
    assertFileTarget(config.dataDir);
    const dir = config.dataDir;
    if (fs.existsSync(dir)) assertEmbeddedClosed(dir);
    const hasDb = fs.existsSync(path.join(dir, 'PG_VERSION'));
    if (hasDb && !opts.force) {
      throw new BackupError(`${dir} already holds a database: restore into an empty DATA_DIR, or give --force (the folder is then moved aside, not deleted).`);
    }
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
      movedAside = `${dir}.before-restore-${stamp()}`;
      fs.renameSync(dir, movedAside);
    }
    fs.mkdirSync(dir, { recursive: true });
    keyRestored = installKey(config, source, dir);
    const oldKey = movedAside ? path.join(movedAside, AUDIT_KEY_FILE) : null;
    // No key with the backup: keep the one this folder had (the chain may have been signed with it).
    if (!keyRestored && oldKey && fs.existsSync(oldKey) && !config.auditKey) fs.copyFileSync(oldKey, path.join(dir, AUDIT_KEY_FILE));
    const blob = new Blob([fs.readFileSync(source)]);
    const pglite = await PGlite.create(dir, { loadDataDir: blob });
    await pglite.close();
  }
  // Migrations and grants, and the chain's key checked; then the restore on record, and the whole chain verified.
  const handle = await connectDatabase({ databaseUrl: config.databaseUrl, databaseOwnerUrl: config.databaseOwnerUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    try {
      await prepareDatabase(handle, config);
    } catch (err) {
      throw new BackupError(`Restored, but the database cannot be opened for writing: ${(err as Error).message}`);
    }
    await handle.asOwner((db) => inTransaction(db, (trx) => recordEvent(trx, {
      actor: systemActor('db-restore'),
      action: 'database.restored',
      entity: 'database',
      after: { file: path.basename(source), kind, force: opts.force, keyRestored: keyRestored !== null },
    })));
    const verified = await verifyAuditChain(handle.db);
    if (!verified.ok) throw new BackupError(`Restored, but the audit chain does not verify: broken at event ${verified.brokenAtId ?? '—'}: ${verified.reason}`);
    return { kind: want, movedAside, keyRestored, auditEvents: verified.count };
  } finally {
    await handle.close();
  }
}
