/**
 * Two app instances on one PostgreSQL database (issue #17 §6), as behind a load balancer with no
 * sticky sessions: both listen on their own port, every race below sends its requests to both
 * at once (alternately), and a session made on one is used on the other. Afterwards the same
 * invariants as the single-instance concurrency tests (concurrency.test.ts) are read from the
 * database — never timings:
 *
 * - approvals competing for one plot → exactly one 200, the rest 409 SUPERSEDED by it;
 * - approvals beyond a year's remaining quota → the approved total is exactly the quota;
 * - holds on one plot → exactly one 201, the rest 409 PLOT_UNAVAILABLE;
 * - one Idempotency-Key sent to both → one allocation, one charge, identical answers;
 * - a rate limit (quotes per minute, sign-ups per hour) and sign-in throttling shared by both:
 *   the limit's worth of requests split over the two is let through, the next one is refused;
 * - a write on one instance is seen at once by the other's siting ranking and search, also a
 *   write that commits after one with a higher row_version (the siting snapshot's version sum).
 *
 * Instance B reads tiles, the plot list and search through DATABASE_READ_URL (here the same
 * database: the read pool's path, read-only connections). Both share one AUDIT_KEY, as a real
 * deployment must. PostgreSQL only: PGlite is one process's embedded database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/kernel/config.ts';
import { POSTGRES_SKIP_REASON, startTestApp } from './context.ts';
import { APP_ORIGIN, DEMO_PASSWORD, type Session } from './login.ts';
import { expectQuotaHonest, floorOf, freshPlots, MIN_QUOTA_M2, proposal, putQuota, setPlotArea, uscc } from './allocation-helpers.ts';
import { allocationInvariants } from '../../bench/harness.ts';
import { SIGNUP_LIMIT_PER_HOUR } from '../../server/modules/auth/routes.ts';
import { LOGIN_LIMITS } from '../../server/modules/auth/login-limit.ts';
import { bureauToday } from '../../shared/dates.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const RATE = 60; // RATE_LIMIT_PER_MINUTE, the default

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely
type Body = Record<string, any>;

describe.skipIf(!TEST_DATABASE_URL)(TEST_DATABASE_URL ? 'two app instances on one PostgreSQL' : `two app instances on one PostgreSQL [skipped: ${POSTGRES_SKIP_REASON}]`, () => {
  let a: FastifyInstance;
  let b: FastifyInstance;
  let stopA: (() => Promise<void>) | undefined;
  const bases: string[] = [];
  let land = '';
  let admin = '';
  const auditKey = randomBytes(32).toString('hex');

  const listen = async (app: FastifyInstance) => {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  };

  beforeAll(async () => {
    const started = await startTestApp('postgres', { AUDIT_KEY: auditKey, RATE_LIMIT_PER_MINUTE: String(RATE) });
    a = started.ctx.app;
    stopA = started.stop;
    const url = a.config.databaseUrl!;
    // The second instance: the same database, no seeding (the first did it), its reads on the "replica".
    b = await buildApp({
      config: loadConfig({
        DATABASE_URL: url, DATABASE_READ_URL: url, DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'false',
        PUBLIC_ORIGIN: APP_ORIGIN, AUDIT_KEY: auditKey, RATE_LIMIT_PER_MINUTE: String(RATE),
      }),
    });
    expect(b.dbRead).not.toBe(b.db);
    bases.push(await listen(a), await listen(b));
    // Signed in on one instance, used on both: sessions live in the database.
    land = await signIn(bases[0]!, 'land');
    admin = await signIn(bases[1]!, 'admin');
  }, 120_000);

  afterAll(async () => {
    await b?.close();
    await stopA?.();
  });

  async function signIn(base: string, username: string) {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
    expect(res.status).toBe(200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }

  /** A request to instance `i % 2`. */
  async function http(i: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, cookie = land) {
    const res = await fetch(`${bases[i % 2]}${path}`, {
      method,
      headers: { ...(cookie ? { cookie } : {}), origin: APP_ORIGIN, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Body };
  }

  /** The setup helpers take inject sessions; they run on instance A. */
  const session = (): Session => ({ username: 'land', cookie: land });

  async function propose(i: number, plotId: number, year: number, price: number, o: Parameters<typeof proposal>[3] = {}) {
    const r = await http(i, 'POST', '/api/allocations', proposal(plotId, year, price, o));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as number;
  }
  const approve = (i: number, id: number, headers: Record<string, string> = {}) => http(i, 'POST', `/api/allocations/${id}/approve`, undefined, headers, admin);

  function tally(results: { status: number; body: Body }[]) {
    const t: Record<string, number> = {};
    for (const r of results) {
      const k = r.status < 300 ? String(r.status) : `${r.status} ${r.body.code}`;
      t[k] = (t[k] ?? 0) + 1;
    }
    return t;
  }

  it('approvals of competing proposals for one plot, split over both: exactly one wins, the others are superseded by it', async () => {
    await putQuota(a, session(), 2026, 50_000_000);
    const [plot] = await freshPlots(a, 1);
    const floor = await floorOf(a, session(), plot!.id, true);
    const ids: number[] = [];
    for (let i = 0; i < 40; i++) ids.push(await propose(i, plot!.id, 2026, floor + i, { usccN: 30_000 + i }));

    const results = await Promise.all(ids.map((id, i) => approve(i, id).then((r) => ({ id, ...r }))));
    expect(tally(results)).toEqual({ '200': 1, '409 SUPERSEDED': 39 });
    const winner = results.find((r) => r.status === 200)!;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.supersededBy).toBe(winner.id);
    const active = await a.db.selectFrom('allocations').select('id').where('plot_id', '=', plot!.id).where('status', 'in', ['approved', 'contracted', 'completed']).execute();
    expect(active).toEqual([{ id: winner.id }]);
    expect(await a.db.selectFrom('quota_ledger').select('allocation_id').where('allocation_id', 'in', ids).execute()).toEqual([{ allocation_id: winner.id }]);
    await expectQuotaHonest(a, 2026);
  });

  it('approvals beyond the remaining quota, split over both: the approved total is exactly the quota, the rest 409 QUOTA_EXCEEDED', async () => {
    const year = 2034;
    await putQuota(a, session(), year, MIN_QUOTA_M2);
    const [big, ...plots] = await freshPlots(a, 21);
    await setPlotArea(a, big!.id, MIN_QUOTA_M2 - 100_000);
    const pre = await propose(0, big!.id, year, await floorOf(a, session(), big!.id, true));
    expect((await approve(1, pre)).status).toBe(200);
    const ids: number[] = [];
    for (const [i, p] of plots.entries()) {
      await setPlotArea(a, p.id, 10_000);
      ids.push(await propose(i, p.id, year, await floorOf(a, session(), p.id, true)));
    }
    const results = await Promise.all(ids.map((id, i) => approve(i, id)));
    expect(tally(results)).toEqual({ '200': 10, '409 QUOTA_EXCEEDED': 10 });
    const s = await expectQuotaHonest(a, year);
    expect(Number(s.quota.approved_m2)).toBe(MIN_QUOTA_M2);
  });

  it('holds on one plot, split over both: exactly one is made, the others 409 PLOT_UNAVAILABLE', async () => {
    const [plot] = await freshPlots(a, 1);
    const until = bureauToday();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => http(i, 'POST', `/api/plots/${plot!.id}/holds`, { applicant: { name: `申请企业 ${i}`, uscc: uscc(40_000 + i) }, until })),
    );
    expect(tally(results)).toEqual({ '201': 1, '409 PLOT_UNAVAILABLE': 19 });
    const holds = await a.db.selectFrom('plot_holds').select('id').where('plot_id', '=', plot!.id).where('released_at', 'is', null).execute();
    expect(holds).toHaveLength(1);
    expect((await a.db.selectFrom('plots').select('status').where('id', '=', plot!.id).executeTakeFirstOrThrow()).status).toBe('held');
  });

  it('one Idempotency-Key sent to both instances at once: one allocation, one charge, every answer the same', async () => {
    const [plot] = await freshPlots(a, 1);
    const body = proposal(plot!.id, 2026, await floorOf(a, session(), plot!.id, true));
    const key = `two-instances-${plot!.id}`;
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => http(i, 'POST', '/api/allocations', body, { 'idempotency-key': key })));
    expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((r) => r.body.id)).size).toBe(1);
    expect(await a.db.selectFrom('allocations').select('id').where('plot_id', '=', plot!.id).execute()).toHaveLength(1);
    const id = answers[0]!.body.id as number;
    const approvals = await Promise.all(Array.from({ length: 20 }, (_, i) => approve(i, id, { 'idempotency-key': `approve-${key}` })));
    expect(approvals.map((r) => r.status)).toEqual(Array(20).fill(200));
    // The same answer (a replay is the stored body: the same fields, in jsonb's key order).
    for (const r of approvals) expect(r.body).toEqual(approvals[0]!.body);
    expect(await a.db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', id).execute()).toHaveLength(1);
  });

  it('shares the quote rate limit: the limit split over both instances passes, the next request is 429 with Retry-After on either', async () => {
    const payload = { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: 0, nationalMinYuanPerM2: 600, iab: true };
    // inject gives each request a client address of its own choosing (a real one behind TRUST_PROXY).
    const send = (i: number, ip: string) => (i % 2 === 0 ? a : b).inject({ method: 'POST', url: '/api/quotes/price-floor', payload, remoteAddress: ip });
    const first = await Promise.all(Array.from({ length: RATE }, (_, i) => send(i, '10.77.0.1')));
    expect(first.map((r) => r.statusCode)).toEqual(Array(RATE).fill(200));
    // With a limit per process, each instance would still let RATE more through.
    for (const i of [0, 1]) {
      const limited = await send(i, '10.77.0.1');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
    }
    expect((await send(1, '10.77.0.2')).statusCode).toBe(200);
    // One row per route and address, counting every request.
    const row = await a.db.selectFrom('rate_limits').select('hits').where('key', '=', 'POST /api/quotes/price-floor|10.77.0.1').executeTakeFirstOrThrow();
    expect(row.hits).toBe(RATE + 2);
  });

  it('shares the sign-up limit: the hour\'s sign-ups split over both instances pass, the next is 429', async () => {
    const signup = (i: number) =>
      (i % 2 === 0 ? a : b).inject({
        method: 'POST', url: '/api/auth/signup', remoteAddress: '10.77.1.1', headers: { origin: APP_ORIGIN },
        payload: { email: `two-${i}-${randomBytes(3).toString('hex')}@example.com`, password: 'a long enough password' },
      });
    const firsts = await Promise.all(Array.from({ length: SIGNUP_LIMIT_PER_HOUR }, (_, i) => signup(i)));
    expect(firsts.map((r) => r.statusCode)).toEqual(Array(SIGNUP_LIMIT_PER_HOUR).fill(202));
    const next = await signup(SIGNUP_LIMIT_PER_HOUR + 1);
    expect(next.statusCode).toBe(429);
    expect(next.headers['retry-after']).toBeDefined();
  });

  it('shares sign-in throttling: failures on both instances add up, and the address is then throttled on either', async () => {
    const login = (i: number, password: string) =>
      (i % 2 === 0 ? a : b).inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.77.2.1', payload: { username: 'industry', password } });
    for (let i = 0; i < LOGIN_LIMITS.pair.threshold; i++) expect((await login(i, 'wrong password')).statusCode).toBe(401);
    for (const i of [0, 1]) {
      const blocked = await login(i, DEMO_PASSWORD);
      expect(blocked.statusCode).toBe(429);
      expect(blocked.json()).toMatchObject({ code: 'RATE_LIMITED', reason: 'LOGIN_THROTTLED' });
    }
  });

  it('a hold made on one instance is seen at once by the other\'s siting ranking and search', async () => {
    const req = { sector: 'biomed', areaMuMin: 0, areaMuMax: 100_000, limit: 200 };
    const rankOn = async (i: number) => {
      const r = await http(i, 'POST', '/api/siting/rank', req, {}, '');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    // Both snapshots warm first, so the second ranking on B is a refresh, not a first load.
    await rankOn(0);
    const before = await rankOn(1);
    const plotId = before.items[0].plotId as number;
    const held = await http(0, 'POST', `/api/plots/${plotId}/holds`, { applicant: { name: '跨实例测试企业', uscc: uscc(41_000) }, until: bureauToday() });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const after = await rankOn(1);
    expect(after.items.map((x: Body) => x.plotId)).not.toContain(plotId);
    expect(after.candidates).toBe(before.candidates - 1);
    // Search on B (its read pool) lists available plots only: the held one is gone there too.
    const { park_id: parkId } = await a.db.selectFrom('plots').select('park_id').where('id', '=', plotId).executeTakeFirstOrThrow();
    const found = await http(1, 'GET', `/api/search/plots?parkId=${parkId}&limit=500`, undefined, {}, '');
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    expect(found.body.total).toBeLessThanOrEqual(500);
    expect(found.body.items.map((x: Body) => x.id)).not.toContain(plotId);
    const released = await http(1, 'POST', `/api/plots/${plotId}/holds/release`);
    expect(released.status).toBe(200);
    expect((await rankOn(0)).candidates).toBe(before.candidates);
  });

  it('a plot edit committed after a later-numbered one is still seen by the other instance\'s ranking (row_version is taken at write, not at commit)', async () => {
    const rankOn = async (i: number, req: object) => {
      const r = await http(i, 'POST', '/api/siting/rank', req, {}, '');
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const wide = { sector: 'biomed', areaMuMin: 0, areaMuMax: 100_000, limit: 200 };
    const before = await rankOn(1, wide);
    const [x, y] = [before.items[0].plotId as number, before.items[1].plotId as number];
    const areaMu = before.items[0].areaMu as number;
    const around = { sector: 'biomed', areaMuMin: Math.max(0, Math.floor(areaMu) - 1), areaMuMax: Math.ceil(areaMu) + 1, limit: 200 };
    expect((await rankOn(1, around)).items.map((i: Body) => i.plotId)).toContain(x);
    // A write on A's side takes row_version v1 and stays open; another takes v2 > v1 and commits;
    // B ranks (its snapshot passes v2); then the first commits.
    const open = new pg.Client({ connectionString: a.config.databaseUrl });
    await open.connect();
    try {
      await open.query('BEGIN');
      await open.query('UPDATE plots SET area_m2 = area_m2 * 10 WHERE id = $1', [x]);
      await sql`UPDATE plots SET area_m2 = area_m2 WHERE id = ${y}`.execute(a.db);
      await rankOn(1, wide);
      await open.query('COMMIT');
    } finally {
      await open.end();
    }
    expect((await rankOn(1, around)).items.map((i: Body) => i.plotId)).not.toContain(x);
    await sql`UPDATE plots SET area_m2 = area_m2 / 10 WHERE id = ${x}`.execute(a.db);
    expect((await rankOn(1, around)).items.map((i: Body) => i.plotId)).toContain(x);
  });

  it('the read pool refuses writes: a write sent there by mistake fails instead of reaching the primary unnoticed', async () => {
    await expect(sql`UPDATE plots SET code = code WHERE id = -1`.execute(b.dbRead)).rejects.toThrow(/read-only/);
  });

  it('leaves 0 violations: every allocation invariant, every year honest, no open proposal beside an active allocation, the audit chain intact on both', async () => {
    const rows = (await allocationInvariants.execute(a.db)).rows;
    expect(rows.map((r) => r.what)).toContain('allocated plots without exactly one active allocation');
    expect(rows.filter((r) => Number(r.n) !== 0)).toEqual([]);
    for (const { year } of await a.db.selectFrom('quotas').select('year').execute()) await expectQuotaHonest(a, year);
    const lingering = await sql<{ n: number }>`
      select count(*)::int as n from allocations p
        join allocations w on w.plot_id = p.plot_id and w.status in ('approved', 'contracted', 'completed')
       where p.status = 'proposed'`.execute(a.db);
    expect(lingering.rows[0]!.n).toBe(0);
    const allocated = await a.db.selectFrom('plots').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'allocated').executeTakeFirstOrThrow();
    expect(allocated.n).toBeGreaterThan(0);
    for (const i of [0, 1]) {
      const verify = await http(i, 'GET', '/api/audit/verify', undefined, {}, admin);
      expect(verify.body.ok, JSON.stringify(verify.body)).toBe(true);
    }
  });
});
