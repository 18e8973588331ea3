/**
 * One factory, two dialects (ARCHITECTURE.md, Database): PostgreSQL through `pg` when a URL is
 * given, else embedded PGlite in a folder (or in memory). Same migrations, same queries.
 */
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import fs from 'node:fs';
import type { Database } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  kind: DatabaseKind;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  /** Folder for PGlite, or `memory://`. */
  dataDir: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

/** OID of PostgreSQL `date`: kept as 'YYYY-MM-DD' text on both drivers (a JS Date would shift it by the time zone). */
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (v: string) => v);

export async function connectDatabase(opts: ConnectOptions): Promise<DatabaseHandle> {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 20 });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    await sql`select 1`.execute(db);
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let pglite: PGlite;
  if (opts.dataDir === 'memory://') {
    pglite = await PGlite.create({ parsers: { [DATE_OID]: (v: string) => v } });
  } else {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    pglite = await PGlite.create(opts.dataDir, { parsers: { [DATE_OID]: (v: string) => v } });
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}
