/**
 * The request rate limits' store in the database (server/kernel/rate-limit-store.ts, migration
 * 024): one upsert per request counts exactly, also when requests arrive at once; an ended window
 * starts again at 1 in the same statement; each route counts on its own; ended windows are pruned;
 * and a database that does not answer lets the request through (fail open) with a warning.
 * Windows are ended by moving `window_end` into the past, never by waiting.
 */
import { describe, expect, it, vi } from 'vitest';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describeOnDatabases } from './context.ts';
import { databaseRateLimitStore, hitRateLimit, pruneRateLimits } from '../../server/kernel/rate-limit-store.ts';
import type { Database } from '../../server/kernel/db/schema.ts';

describeOnDatabases('rate limits in the database', (get) => {
  const db = () => get().app.db;
  const endWindow = (key: string) => sql`UPDATE rate_limits SET window_start = now() - interval '3 minutes', window_end = now() - interval '2 minutes' WHERE key = ${key}`.execute(db());

  it('counts each hit in its window, with the time left; an ended window starts again at 1', async () => {
    const key = 'TEST /count|10.1.0.1';
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await hitRateLimit(db(), key, 60_000));
    expect(hits.map((h) => h.current)).toEqual([1, 2, 3]);
    for (const h of hits) expect(h.ttl).toBeGreaterThan(0);
    for (const h of hits) expect(h.ttl).toBeLessThanOrEqual(60_000);
    await endWindow(key);
    const again = await hitRateLimit(db(), key, 60_000);
    expect(again.current).toBe(1);
    expect(again.ttl).toBeGreaterThan(0);
    const row = await db().selectFrom('rate_limits').select([sql<boolean>`window_end > now()`.as('live'), 'hits']).where('key', '=', key).executeTakeFirstOrThrow();
    expect(row).toEqual({ live: true, hits: 1 });
  });

  it('counts hits that arrive at once exactly: every count from 1 to n once', async () => {
    const key = 'TEST /burst|10.1.0.2';
    const hits = await Promise.all(Array.from({ length: 40 }, () => hitRateLimit(db(), key, 60_000)));
    expect(hits.map((h) => h.current).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  });

  it('keeps one counter per route and address: the two quote routes count apart', async () => {
    const ip = '10.1.0.3';
    const floor = { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 0, nationalMinYuanPerM2: 600, iab: true };
    expect((await get().app.inject({ method: 'POST', url: '/api/quotes/price-floor', payload: floor, remoteAddress: ip })).statusCode).toBe(200);
    expect((await get().app.inject({ method: 'POST', url: '/api/quotes/price-floor', payload: floor, remoteAddress: ip })).statusCode).toBe(200);
    // Counted before the body is checked, as the in-memory store did: a refused body counts too.
    expect((await get().app.inject({ method: 'POST', url: '/api/quotes/incentives', payload: {}, remoteAddress: ip })).statusCode).toBe(400);
    const rows = await db().selectFrom('rate_limits').select(['key', 'hits']).where('key', 'like', `%|${ip}`).orderBy('key').execute();
    expect(rows).toEqual([{ key: `POST /api/quotes/incentives|${ip}`, hits: 1 }, { key: `POST /api/quotes/price-floor|${ip}`, hits: 2 }]);
  });

  it('prunes windows that ended, and only those', async () => {
    await hitRateLimit(db(), 'TEST /old|10.1.0.4', 60_000);
    await hitRateLimit(db(), 'TEST /live|10.1.0.4', 60_000);
    await endWindow('TEST /old|10.1.0.4');
    await pruneRateLimits(db());
    const left = await db().selectFrom('rate_limits').select('key').where('key', 'like', 'TEST /%|10.1.0.4').execute();
    expect(left).toEqual([{ key: 'TEST /live|10.1.0.4' }]);
  });
});

describe('rate limits when the database does not answer', () => {
  it('let the request through (fail open) and log a warning', async () => {
    // Nothing listens on port 1: every query fails at once.
    const dead = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1, connectionTimeoutMillis: 2000 }) }) });
    const warn = vi.fn();
    const log = { warn, debug: vi.fn(), info: vi.fn(), error: vi.fn(), fatal: vi.fn(), trace: vi.fn(), child: () => log, level: 'warn', silent: vi.fn() } as unknown as FastifyBaseLogger;
    const app = Fastify();
    await app.register(rateLimit, { global: false, store: databaseRateLimitStore(dead, log), skipOnError: true });
    app.get('/limited', { config: { rateLimit: { max: 1, timeWindow: '1 minute' } } }, async () => ({ ok: true }));
    try {
      for (let i = 0; i < 3; i++) {
        const res = await app.inject({ method: 'GET', url: '/limited' });
        expect(res.statusCode).toBe(200);
      }
      expect(warn).toHaveBeenCalled();
      expect(String(warn.mock.calls[0]![1])).toMatch(/let through/);
    } finally {
      await app.close();
      await dead.destroy();
    }
  });
});
