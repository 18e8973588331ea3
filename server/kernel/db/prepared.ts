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

const PATCHED = Symbol('preparedStatements');

/** Makes `client.query(text, values)` send a marked text as a named statement (once per client). */
export function preparingClient<C extends pg.PoolClient>(client: C): C {
  const c = client as C & { [PATCHED]?: true };
  if (c[PATCHED]) return client;
  const query = client.query as (...args: unknown[]) => unknown;
  (c as { query: unknown }).query = function (this: unknown, text: unknown, values?: unknown, ...rest: unknown[]) {
    if (typeof text === 'string' && Array.isArray(values) && text.includes(PREPARED_MARK)) {
      return query.call(this, { name: statementName(text), text, values }, ...rest);
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
