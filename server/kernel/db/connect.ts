/**
 * One factory, two dialects (ARCHITECTURE.md, Database): PostgreSQL through `pg` when a URL is
 * given, else embedded PGlite in a folder (or in memory). Same migrations, same queries.
 *
 * Two roles (./roles.ts): `asOwner` runs migrations and other owner work as the
 * tables' owner; `useAppRole` then makes the app's own queries run as `iab_app`, which may only
 * read and append the audit trail. PostgreSQL: owner work through DATABASE_OWNER_URL (default
 * DATABASE_URL) on a connection of its own; the app's pool either logs in as the app role
 * itself, or runs `SET ROLE iab_app` on each new connection when its login may. PGlite: one
 * session as the superuser `postgres`, switched with SET ROLE / RESET ROLE.
 */
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import fs from 'node:fs';
import type { Database } from './schema.ts';
import { APP_ROLE, createAppRole } from './roles.ts';
import { allowMultiStatement } from './transaction.ts';
import { preparingPool } from './prepared.ts';

export type DatabaseKind = 'pglite' | 'postgres';

/** Who the app's queries run as, after `useAppRole`. */
export type AppRoleStatus =
  | { role: string; how: 'app-login' | 'set-role' }
  /** No separate role: queries run as the owner (or a superuser); `warning` says what to do. */
  | { role: string; how: 'owner'; warning: string };

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** Runs `fn` as the tables' owner (migrations, grants, re-signing the audit chain). */
  asOwner<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** From now on, the app's queries run as the app role where the database allows it. */
  useAppRole(): Promise<AppRoleStatus>;
}

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** The owner's connection for `asOwner` (default: databaseUrl). */
  databaseOwnerUrl?: string | undefined;
  /** Folder for PGlite, or `memory://`. */
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** OID of PostgreSQL `date`: kept as 'YYYY-MM-DD' text on both drivers (a JS Date would shift it by the time zone). */
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (v: string) => v);

const OWNER_WARNING = (me: string) =>
  `The app's queries run as "${me}", which owns the tables or is a superuser: anyone who takes over the app's database login can rewrite ` +
  `the audit trail behind the triggers (the audit key's MACs still show it). Run \`npm run db:roles\` once to create the role ${APP_ROLE} ` +
  `(the server then switches to it), or give the app its own login (README, Security).`;

export async function connectDatabase(opts: ConnectOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const url = opts.databaseUrl;
    let setRole = false;
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? 20 });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: preparingPool(pool),
        // Before a new connection's first query; a failure fails that query (never runs as owner by mistake).
        onCreateConnection: async (conn) => {
          if (setRole) await conn.executeQuery(CompiledQuery.raw(`SET ROLE ${APP_ROLE}`));
        },
      }),
    });
    allowMultiStatement(db);
    // Reachable? Checked on a connection that is closed afterwards, so none made before
    // `useAppRole` stays in the pool.
    const probe = await pool.connect();
    try {
      await probe.query('select 1');
    } finally {
      probe.release(true);
    }
    const withClient = async <T>(target: string, fn: (c: pg.Client) => Promise<T>) => {
      const c = new pg.Client({ connectionString: target });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    };
    return {
      db,
      kind: 'postgres',
      close: () => db.destroy(),
      asOwner: async (fn) => {
        const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: opts.databaseOwnerUrl ?? url, max: 1 }) }) });
        try {
          return await fn(owner);
        } finally {
          await owner.destroy();
        }
      },
      useAppRole: () =>
        withClient(url, async (c) => {
          const r = await c.query<{ me: string; superuser: boolean; owner: string | null; member: boolean | null }>(
            `SELECT current_user::text AS me, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
                    (SELECT tableowner::text FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_events') AS owner,
                    CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) THEN pg_has_role(current_user, $1, 'MEMBER') END AS member`,
            [APP_ROLE],
          );
          const { me, superuser, owner, member } = r.rows[0]!;
          if (me === APP_ROLE) return { role: me, how: 'app-login' };
          if (member) {
            setRole = true;
            return { role: APP_ROLE, how: 'set-role' };
          }
          if (me === owner || superuser) return { role: me, how: 'owner', warning: OWNER_WARNING(me) };
          return { role: me, how: 'app-login' };
        }),
    };
  }
  // Loaded only when used: the embedded engine is ~50 MB of a PostgreSQL server's memory otherwise.
  const [{ PGlite: PGliteEngine }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  let pglite: PGlite;
  if (opts.dataDir === 'memory://') {
    pglite = await PGliteEngine.create({ parsers: { [DATE_OID]: (v: string) => v } });
  } else {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    pglite = await PGliteEngine.create(opts.dataDir, { parsers: { [DATE_OID]: (v: string) => v } });
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  // One session for everything: owner work between RESET ROLE and SET ROLE.
  let roleSet = false;
  return {
    db,
    kind: 'pglite',
    close: () => db.destroy(),
    asOwner: async (fn) => {
      if (roleSet) await sql`RESET ROLE`.execute(db);
      try {
        return await fn(db);
      } finally {
        if (roleSet) await sql.raw(`SET ROLE ${APP_ROLE}`).execute(db);
      }
    },
    useAppRole: async () => {
      await createAppRole(db);
      await sql.raw(`SET ROLE ${APP_ROLE}`).execute(db);
      roleSet = true;
      return { role: APP_ROLE, how: 'set-role' };
    },
  };
}
/** The read replica cannot be used at start-up: the launcher prints the message and stops. */
export class ReadReplicaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReadReplicaError';
  }
}

/** A pool on a read replica (DATABASE_READ_URL): reads only, as the app role where the login may. */
export interface ReadReplicaHandle {
  db: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Opens the read pool for cache-safe public reads (README, Several instances). Every connection
 * is read-only (`default_transaction_read_only`), so a write sent here by mistake fails loudly
 * even when the URL names the primary itself, and it switches to the app role when its login is
 * a member of it, as the main pool does. Checked at start-up: an unreachable replica is a clear
 * start-up error naming DATABASE_READ_URL.
 */
export async function connectReadReplica(url: string, poolSize = 10): Promise<ReadReplicaHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {});
  let setRole = false;
  try {
    const probe = await pool.connect();
    try {
      const r = await probe.query<{ me: string; member: boolean | null }>(
        `SELECT current_user::text AS me,
                CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) THEN pg_has_role(current_user, $1, 'MEMBER') END AS member`,
        [APP_ROLE],
      );
      const { me, member } = r.rows[0]!;
      setRole = me !== APP_ROLE && member === true;
    } finally {
      probe.release(true);
    }
  } catch (err) {
    await pool.end().catch(() => {});
    const where = (() => {
      try {
        const u = new URL(url);
        return `${u.hostname}:${u.port || 5432}${u.pathname}`;
      } catch {
        return 'the given address';
      }
    })();
    throw new ReadReplicaError(`DATABASE_READ_URL: cannot use the read replica at ${where}: ${(err as Error).message}. Fix or unset DATABASE_READ_URL (reads then use DATABASE_URL).`);
  }
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (conn) => {
        await conn.executeQuery(CompiledQuery.raw('SET default_transaction_read_only = on'));
        if (setRole) await conn.executeQuery(CompiledQuery.raw(`SET ROLE ${APP_ROLE}`));
      },
    }),
  });
  return { db, close: () => db.destroy() };
}
