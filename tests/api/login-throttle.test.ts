/**
 * Sign-in throttling that protects without locking people out (OWASP ASVS 5 §6.3),
 * on PGlite and PostgreSQL:
 * - wrong passwords for a username from one address never stop the right password from another
 *   address (at most a short, bounded delay);
 * - correct sign-ins are never counted as failures, so many at once from one address all pass;
 * - an address (and an address + username) that keeps failing gets 429 with Retry-After;
 * - failures still land in the audit log, and the counters are database rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, DEMO_PASSWORD, login, type Session } from './login.ts';

let n = 0;
/** A fresh client address per use, so tests never share counters by accident. */
const freshIp = () => `10.13.${Math.floor(++n / 250)}.${(n % 250) + 1}`;

describeOnDatabases('sign-in throttling', (get) => {
  const app = () => get().app;
  let admin: Session;
  beforeAll(async () => {
    admin = await login(app(), 'admin', DEMO_PASSWORD, freshIp());
  });
  const attempt = (username: string, password: string, remoteAddress: string) =>
    app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  const newUser = async (username: string) => {
    const res = await call(app(), admin, 'POST', '/api/users', { username, displayName: username, role: 'land_officer', password: 'correct horse battery', mustChangePassword: false });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };

  it('lets the admin sign in from another address after 5 wrong passwords for admin from one address', async () => {
    const attacker = freshIp();
    for (let i = 0; i < 5; i++) expect((await attempt('admin', `guess-${i}`, attacker)).statusCode).toBe(401);
    const real = await attempt('admin', DEMO_PASSWORD, freshIp());
    expect(real.statusCode, real.body).toBe(200);
    expect(real.cookies.some((c) => c.name === 'iab_session')).toBe(true);
  });

  it('never answers 429 to the right password from another address, however many failures the username has', async () => {
    await newUser('much-guessed');
    // Failures from many addresses (a distributed guess), none of them blocked on its own.
    for (let i = 0; i < 7; i++) expect((await attempt('much-guessed', `guess-${i}`, freshIp())).statusCode).toBe(401);
    const real = await attempt('Much-Guessed', 'correct horse battery', freshIp());
    expect(real.statusCode, real.body).toBe(200);
  });

  it('signs in 8 people at once from one address (an office behind one gateway): all 200', async () => {
    const office = freshIp();
    const names = ['admin', 'land', 'industry', 'district-huangpu', 'district-tianhe', 'investor', 'admin', 'land'];
    const results = await Promise.all(names.map((u) => attempt(u, DEMO_PASSWORD, office)));
    expect(results.map((r) => r.statusCode)).toEqual(names.map(() => 200));
  });

  it('signs in the same account 8 times at once from one address: all 200', async () => {
    const office = freshIp();
    const results = await Promise.all(Array.from({ length: 8 }, () => attempt('land', DEMO_PASSWORD, office)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(8).fill(200));
  });

  it('throttles an address that keeps guessing one username: 429 with Retry-After, also for the right password from there', async () => {
    await newUser('pair-target');
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) codes.push((await attempt('pair-target', `guess-${i}`, ip)).statusCode);
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
    const blocked = await attempt('pair-target', 'correct horse battery', ip);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', reason: 'LOGIN_THROTTLED', retryAfterS: Number(blocked.headers['retry-after']) });
    expect(blocked.headers['set-cookie']).toBeUndefined();
    // The same account from elsewhere is fine.
    expect((await attempt('pair-target', 'correct horse battery', freshIp())).statusCode).toBe(200);
  });

  it('throttles an address spraying many usernames: 429 with Retry-After; other addresses are unaffected', async () => {
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 25; i++) codes.push((await attempt(`spray-${i}`, 'Summer2026!', ip)).statusCode);
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes.slice(20).every((c) => c === 429)).toBe(true);
    const res = await attempt('admin', DEMO_PASSWORD, ip);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('admin', DEMO_PASSWORD, freshIp())).statusCode).toBe(200);
  });

  it('grows the block with further failures once it has passed, and a success from there clears the address + username counter', async () => {
    await newUser('backoff-user');
    const ip = freshIp();
    for (let i = 0; i < 5; i++) expect((await attempt('backoff-user', 'wrong password', ip)).statusCode).toBe(401);
    const first = await attempt('backoff-user', 'wrong password', ip);
    expect(first.statusCode).toBe(429);
    const firstWait = Number(first.headers['retry-after']);
    // Let the block pass (as time would), then fail once more: the next block is longer.
    const pass = () => sql`UPDATE login_throttle SET last_failure_at = last_failure_at - interval '1 hour' + interval '1 minute' WHERE key LIKE ${`pair:${ip}|%`}`.execute(app().db);
    await pass();
    expect((await attempt('backoff-user', 'wrong password', ip)).statusCode).toBe(401);
    const second = await attempt('backoff-user', 'wrong password', ip);
    expect(second.statusCode).toBe(429);
    expect(Number(second.headers['retry-after'])).toBeGreaterThan(firstWait);
    await pass();
    expect((await attempt('backoff-user', 'correct horse battery', ip)).statusCode).toBe(200);
    const pair = await sql<{ n: number }>`SELECT count(*)::int AS n FROM login_throttle WHERE key LIKE ${`pair:${ip}|%`}`.execute(app().db);
    expect(pair.rows[0]!.n).toBe(0);
  });

  it('keeps the counters in the database (shared by every app instance), and forgets old ones', async () => {
    const ip = freshIp();
    expect((await attempt('nobody-at-all', 'x-wrong-x', ip)).statusCode).toBe(401);
    const rows = await sql<{ key: string; failures: number }>`SELECT key, failures FROM login_throttle WHERE key IN (${`ip:${ip}`}, ${`pair:${ip}|nobody-at-all`}, 'user:nobody-at-all') ORDER BY key`.execute(app().db);
    expect(rows.rows).toEqual([
      { key: `ip:${ip}`, failures: 1 },
      { key: `pair:${ip}|nobody-at-all`, failures: 1 },
      { key: 'user:nobody-at-all', failures: 1 },
    ]);
    await sql`UPDATE login_throttle SET last_failure_at = now() - interval '2 days' WHERE key = ${`ip:${ip}`}`.execute(app().db);
    expect((await attempt('nobody-else', 'x-wrong-x', freshIp())).statusCode).toBe(401); // any failure sweeps expired rows
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM login_throttle WHERE key = ${`ip:${ip}`}`.execute(app().db);
    expect(left.rows[0]!.n).toBe(0);
  });

  it('counts parallel failures exactly (concurrency-safe upserts)', async () => {
    const ip = freshIp();
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt(`parallel-${i}`, 'wrong-wrong', ip)));
    expect(results.every((r) => r.statusCode === 401)).toBe(true);
    const row = await sql<{ failures: number }>`SELECT failures FROM login_throttle WHERE key = ${`ip:${ip}`}`.execute(app().db);
    expect(row.rows[0]!.failures).toBe(10);
  });

  it('still records every checked failure in the audit log', async () => {
    const ip = freshIp();
    expect((await attempt('admin', 'audited-wrong-password', ip)).statusCode).toBe(401);
    const events = await call(app(), admin, 'GET', '/api/audit?action=auth.login_failed&limit=5');
    expect(events.body.items[0]).toMatchObject({ action: 'auth.login_failed', after: { username: 'admin', ip, reason: 'wrong_password' } });
  });

  describe('changing one’s password with a wrong current password counts like a failed sign-in', () => {
    it('throttles after repeated wrong current passwords from one address', async () => {
      await newUser('changer');
      const ip = freshIp();
      const s = await login(app(), 'changer', 'correct horse battery', ip);
      const change = (currentPassword: string) =>
        app().inject({ method: 'POST', url: '/api/auth/password', remoteAddress: ip, headers: { cookie: s.cookie, origin: 'http://localhost' }, payload: { currentPassword, newPassword: 'a brand new secret 1' } });
      for (let i = 0; i < 5; i++) expect((await change(`wrong-current-${i}`)).statusCode).toBe(400);
      const blocked = await change('correct horse battery');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
    });
  });
});
