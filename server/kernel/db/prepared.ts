/**
 * Named prepared statements for the hot queries (PostgreSQL through `pg`). A query whose text
 * carries `PREPARED` is sent as a named statement: each connection parses and plans it once
 * (PostgreSQL then keeps a generic plan when it is no worse than the custom ones), instead of on
 * every execution as kysely's unnamed statements are. Only marked texts are prepared: they are
 * few and fixed, so the statements a connection keeps stay bounded, and an ad-hoc query (an IN
 * list of any length, a filter combination) never fills the cache. PGlite: the marker is only a
 * comment.
 *
 *   sql`${prepared} select * from approval_charge(${id}::integer, …)`
 *   db.selectFrom('sessions').….modifyEnd(prepared)
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import { inlinedText } from './literals.ts';

export const PREPARED_MARK = '/* prepared */';

/** The marker, to put anywhere in a query's text (a comment to PostgreSQL). */
export const prepared = sql.raw(PREPARED_MARK);

const names = new Map<string, string>();

/** The statement's name: the same on every connection for the same text. */
function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `k_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * A BEGIN sent with the transaction's first statement, in one message (the simple protocol, its
 * parameters written in as literals): one round trip less per transaction
 * (server/kernel/db/transaction.ts `controlled`). A client that does not know this text runs it
 * as it is: a comment and a BEGIN.
 */
export const DEFERRED_BEGIN = '/* begin with the next statement */ begin';

const PATCHED = Symbol('preparedStatements');
const PENDING_BEGIN = Symbol('pendingBegin');

type Query = (...args: unknown[]) => unknown;

/** The statement with its parameters as literals, or null when its text cannot be rewritten safely (dollar quotes). */
function inlinable(text: string, params: unknown[]): string | null {
  try {
    return inlinedText(text, params);
  } catch {
    return null;
  }
}
const done = (command: string) => Promise.resolve({ command, rowCount: null, rows: [], fields: [] });

/**
 * Makes `client.query(text, values)` send a marked text as a named statement, and a
 * `DEFERRED_BEGIN` with the statement that follows it (once per client). Only the promise form
 * (`query(text, values)`, as kysely calls it) is changed.
 */
export function preparingClient<C extends pg.PoolClient>(client: C): C {
  const c = client as C & { [PATCHED]?: true; [PENDING_BEGIN]?: boolean };
  if (c[PATCHED]) return client;
  const query = client.query as Query;
  (c as { query: unknown }).query = function (this: unknown, text: unknown, values?: unknown, ...rest: unknown[]) {
    const simple = typeof text === 'string' && rest.length === 0 && (values === undefined || Array.isArray(values));
    if (simple && text === DEFERRED_BEGIN) {
      c[PENDING_BEGIN] = true;
      return done('BEGIN');
    }
    if (c[PENDING_BEGIN]) {
      c[PENDING_BEGIN] = false;
      // Nothing was sent yet: nothing to end.
      if (simple && /^\s*(rollback|commit)\s*$/i.test(text as string)) return done((text as string).trim().toUpperCase());
      const params = (values ?? []) as unknown[];
      let first: string | null = null;
      // A text without parameters goes as it is (it may hold literals already written in).
      if (simple) first = params.length === 0 ? (text as string) : inlinable(text as string, params);
      // Two results; the statement's is the answer.
      if (first !== null) return (query.call(this, `begin;\n${first}`) as Promise<unknown[]>).then((results) => results[results.length - 1]);
      // Anything else: the BEGIN on its own first.
      return (query.call(this, 'begin') as Promise<unknown>).then(() => c.query(text as string, values as unknown[], ...(rest as [])));
    }
    if (simple && Array.isArray(values) && (text as string).includes(PREPARED_MARK)) {
      return query.call(this, { name: statementName(text as string), text, values });
    }
    return query.call(this, text, values, ...rest);
  };
  c[PATCHED] = true;
  return client;
}

/** A pool whose clients prepare marked queries (for kysely's PostgresDialect). */
export function preparingPool(pool: pg.Pool) {
  return {
    connect: async () => preparingClient(await pool.connect()),
    end: () => pool.end(),
  };
}
