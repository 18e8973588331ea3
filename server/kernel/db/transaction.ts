import { sql, type CompiledQuery, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { DEFERRED_BEGIN } from './prepared.ts';
import { inlinedText } from './literals.ts';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * Runs `fn` in one transaction, retrying on serialization failures and deadlocks
 * (ARCHITECTURE.md, Database). `fn` must be safe to re-run: it may not have side effects
 * outside the transaction.
 *
 * `bodyCommits`: `fn` may end with `commitWith`, which sends its last statements and the COMMIT
 * in one message (PostgreSQL only; elsewhere it runs them and the transaction commits after
 * `fn`, as usual). Nothing may follow `commitWith` in `fn`.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
  { attempts = 5, bodyCommits = false }: { attempts?: number; bodyCommits?: boolean } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return bodyCommits && multiStatementDatabases.has(db) ? await controlled(db, fn) : await db.transaction().execute(fn);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt < attempts && typeof code === 'string' && RETRYABLE.has(code)) {
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10 * attempt));
        continue;
      }
      throw err;
    }
  }
}

// --- The last statements and the commit in one message ------------------------------------------

/** Databases (connected through `pg`) whose connections take several statements in one message. */
const multiStatementDatabases = new WeakSet<Kysely<Database>>();

/** Set by server/kernel/db/connect.ts for a PostgreSQL pool. */
export function allowMultiStatement(db: Kysely<Database>): void {
  multiStatementDatabases.add(db);
}

/** Transactions run by `controlled`, and whether `commitWith` committed them. */
const bodyCommitted = new WeakMap<Transaction<Database>, { committed: boolean }>();

/**
 * A transaction on one connection with BEGIN/COMMIT/ROLLBACK sent here, so `commitWith` may commit
 * it. Its BEGIN goes with its first statement, in the same message (server/kernel/db/prepared.ts
 * `DEFERRED_BEGIN`): one round trip less.
 */
async function controlled<T>(db: Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(DEFERRED_BEGIN).execute(conn);
    // The queries of `fn` are the same on a connection as in a kysely transaction.
    const trx = conn as unknown as Transaction<Database>;
    const state = { committed: false };
    bodyCommitted.set(trx, state);
    try {
      const out = await fn(trx);
      if (!state.committed) await commit(conn);
      return out;
    } catch (err) {
      if (!state.committed) await sql.raw('rollback').execute(conn).catch(() => {});
      throw err;
    } finally {
      bodyCommitted.delete(trx);
    }
  });
}

async function commit(conn: Kysely<Database>, statements = ''): Promise<void> {
  const r = await sql.raw(`${statements}commit`).execute(conn);
  // A COMMIT of an aborted transaction answers ROLLBACK (kysely's own check).
  if ((r.rows[0] as { command?: string } | undefined)?.command === 'ROLLBACK') throw new Error('The transaction was aborted by an earlier error and rolled back.');
}

/**
 * Runs `queries`, in order, as the transaction's last statements. In a transaction of
 * `inTransaction(…, { bodyCommits: true })` on PostgreSQL, they and the COMMIT go in one message
 * (the simple protocol: parameters are written into the text as literals), so a lock they follow
 * is released without another round trip through the event loop; their results are not read.
 * Elsewhere they run one by one and the transaction commits after `fn`.
 */
export async function commitWith(trx: Transaction<Database>, queries: RawBuilder<unknown>[]): Promise<void> {
  const state = bodyCommitted.get(trx);
  if (!state) {
    for (const q of queries) await q.execute(trx);
    return;
  }
  await commit(trx, queries.map((q) => `${inlined(q.compile(trx))};\n`).join(''));
  state.committed = true;
}

/** A compiled query with its parameters written in as quoted literals (typed by context, as parameters are). */
export function inlined(q: CompiledQuery): string {
  return inlinedText(q.sql, q.parameters);
}
