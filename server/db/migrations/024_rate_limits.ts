/**
 * Request rate limits kept in the database (issue #17 §6), so several app instances behind one
 * load balancer count one client's requests together (server/kernel/rate-limit-store.ts, the store
 * of @fastify/rate-limit).
 *
 * One row per (route, client key): the fixed window it is counting in (`window_start` to
 * `window_end`) and the requests counted in it. A request is one upsert that either counts on or,
 * once the window has ended, starts a new one at 1 — the same statement, so concurrent requests on
 * any instance count exactly. Rows whose window ended are only history: the store deletes them now
 * and then by `window_end` (indexed). UNLOGGED: the counters are worth nothing after a crash
 * (a limit that restarts at 0 is the in-memory store's behaviour too), and they are written on
 * every limited request, so they skip the WAL — and they are not replicated to a read replica,
 * which never needs them (README, Several instances).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE UNLOGGED TABLE rate_limits (
       key text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 400),
       window_start timestamptz NOT NULL,
       window_end timestamptz NOT NULL,
       hits integer NOT NULL CHECK (hits > 0),
       CHECK (window_end > window_start)
     )`,
    'CREATE INDEX rate_limits_window_end_idx ON rate_limits (window_end)',
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP TABLE rate_limits']);
}
