/**
 * The store of @fastify/rate-limit in the database (table `rate_limits`, migration 024), so that
 * several app instances on one database count a client's requests together: N requests split
 * over two instances meet the same limit as N requests to one (README, Several instances).
 *
 * It behaves as the plugin's in-memory LocalStore (without `continueExceeding` and
 * `exponentialBackoff`, which no route uses): a fixed window per route and client key that
 * starts with the first request, counts every request (also refused ones) and ends
 * `timeWindow` ms later; the plugin turns the count and the time left into 429 + Retry-After
 * exactly as before. Each route counts on its own (the plugin gives every limited route a child
 * store), so the key is `<METHOD> <url>|<client key>`.
 *
 * One statement per request: an upsert that counts on, or starts a new window at 1 when the old
 * one has ended, and returns the count and the milliseconds left. Time is the database's `now()`,
 * never an instance's clock, so instances with skewed clocks agree. Ended windows are deleted at
 * most once a minute per process, off the request's path.
 *
 * If the database cannot be reached the request is let through (the plugin's `skipOnError`) and a
 * warning is logged: every limited route needs the database itself, so failing open lets nothing
 * through that could do harm while the database is down, and it keeps the map answering from
 * what still works instead of refusing everyone with 429/500 on a transient error.
 */
import { sql, type Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Database } from './db/schema.ts';

type Callback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** How often (ms) a process deletes ended windows; rows are tiny and a window lasts ≤ 1 h. */
const PRUNE_EVERY_MS = 60_000;
/** A route key of the table is at most this long (the table's CHECK allows 400). */
const MAX_KEY = 400;

interface Shared {
  db: Kysely<Database>;
  log: FastifyBaseLogger;
  lastPruneMs: number;
}

/** The count after this request and the ms left in its window (the store's one statement). */
export async function hitRateLimit(db: Kysely<Database>, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const window = Math.max(1, Math.trunc(windowMs));
  const r = await sql<{ hits: number; ttl_ms: string }>`
    INSERT INTO rate_limits AS r (key, window_start, window_end, hits)
    VALUES (${key}, now(), now() + make_interval(secs => ${window}::double precision / 1000), 1)
    ON CONFLICT (key) DO UPDATE SET
      hits = CASE WHEN r.window_end <= now() THEN 1 ELSE r.hits + 1 END,
      window_start = CASE WHEN r.window_end <= now() THEN now() ELSE r.window_start END,
      window_end = CASE WHEN r.window_end <= now() THEN EXCLUDED.window_end ELSE r.window_end END
    RETURNING r.hits, ceil(extract(epoch FROM (r.window_end - now())) * 1000)::bigint::text AS ttl_ms`.execute(db);
  const row = r.rows[0]!;
  return { current: Number(row.hits), ttl: Math.max(0, Number(row.ttl_ms)) };
}

/** Deletes windows that ended more than a minute ago (the index on window_end makes it cheap). */
export async function pruneRateLimits(db: Kysely<Database>): Promise<void> {
  await sql`DELETE FROM rate_limits WHERE window_end < now() - interval '1 minute'`.execute(db);
}

class DatabaseRateLimitStore implements FastifyRateLimitStore {
  constructor(
    private readonly shared: Shared,
    private readonly route: string,
  ) {}

  private keyOf(key: string): string {
    return `${this.route}|${key}`.slice(0, MAX_KEY);
  }

  incr(key: string, cb: Callback, timeWindow: number): void {
    const { shared } = this;
    hitRateLimit(shared.db, this.keyOf(key), timeWindow).then(
      (res) => cb(null, res),
      (err: unknown) => {
        shared.log.warn({ err, route: this.route }, 'rate limit not counted: the database did not answer; the request is let through');
        cb(err instanceof Error ? err : new Error(String(err)));
      },
    );
    const now = Date.now();
    if (now - shared.lastPruneMs >= PRUNE_EVERY_MS) {
      shared.lastPruneMs = now;
      // Off the request's path; a failure only leaves rows for the next prune.
      pruneRateLimits(shared.db).catch((err: unknown) => shared.log.debug({ err }, 'rate limit pruning skipped'));
    }
  }

  /** The count without counting (the plugin's `{ increment: false }`). */
  read(key: string, cb: Callback): void {
    this.shared.db
      .selectFrom('rate_limits')
      .select([sql<string>`hits`.as('hits'), sql<string>`ceil(extract(epoch FROM (window_end - now())) * 1000)::bigint::text`.as('ttl_ms')])
      .where('key', '=', this.keyOf(key))
      .where(sql<boolean>`window_end > now()`)
      .executeTakeFirst()
      .then(
        (row) => cb(null, row ? { current: Number(row.hits), ttl: Math.max(0, Number(row.ttl_ms)) } : { current: 0, ttl: 0 }),
        (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
      );
  }

  child(routeOptions: { method?: unknown; url?: unknown; routeInfo?: { method?: unknown; url?: unknown } }): FastifyRateLimitStore {
    const info = routeOptions.routeInfo ?? routeOptions;
    const method = Array.isArray(info.method) ? info.method.join(',') : String(info.method ?? '');
    return new DatabaseRateLimitStore(this.shared, `${method} ${String(info.url ?? '')}`.trim());
  }
}

/**
 * The `store` option of @fastify/rate-limit, counting in `db`. Register the plugin with
 * `skipOnError: true` so a database error lets the request through (see above).
 */
export function databaseRateLimitStore(db: Kysely<Database>, log: FastifyBaseLogger): FastifyRateLimitStoreCtor {
  const shared: Shared = { db, log, lastPruneMs: 0 };
  return class extends DatabaseRateLimitStore {
    constructor() {
      super(shared, '*');
    }
  } as unknown as FastifyRateLimitStoreCtor;
}
