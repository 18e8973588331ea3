/**
 * Accounts: signing in and out, the session cookie, CSRF, disabled
 * users, odd logins, and user administration — on PGlite and PostgreSQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { describeOnDatabases, startTestApp } from './context.ts';
import { APP_ORIGIN, call, DEMO_PASSWORD, login, type Session } from './login.ts';

let ipCounter = 0;
/** A fresh client address per test, so deliberate failures never lock another test out. */
const freshIp = () => `10.9.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

describeOnDatabases('accounts and sessions', (get) => {
  const app = () => get().app;
  let admin: Session;
  beforeAll(async () => {
    admin = await login(app(), 'admin');
  });
  const newUser = async (username: string, extra: Record<string, unknown> = {}) => {
    const res = await call(app(), admin, 'POST', '/api/users', {
      username,
      displayName: `Test ${username}`,
      role: 'land_officer',
      password: 'correct horse battery',
      mustChangePassword: false,
      ...extra,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: number; username: string };
  };

  describe('signing in', () => {
    it('signs in a demo user with an HttpOnly, SameSite=Lax session cookie and answers who they are', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'district-huangpu', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        user: { id: expect.any(Number), username: 'district-huangpu', displayName: expect.stringContaining('黄埔'), role: 'district_officer', districtCode: '440112', mustChangePassword: false },
      });
      const setCookie = String(res.headers['set-cookie']);
      expect(setCookie).toMatch(/^iab_session=[A-Za-z0-9_-]{43};/);
      expect(setCookie).toMatch(/HttpOnly/);
      expect(setCookie).toMatch(/SameSite=Lax/);
      expect(setCookie).toMatch(/Path=\//);
      expect(setCookie).not.toMatch(/Secure/); // plain http here; see the PUBLIC_ORIGIN suite below
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).not.toMatch(/scrypt|password_hash|passwordHash/);

      const cookie = `iab_session=${res.cookies[0]!.value}`;
      const me = await app().inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
      expect(me.statusCode).toBe(200);
      expect(me.json().user.username).toBe('district-huangpu');
    });

    it('matches usernames case-insensitively', async () => {
      const s = await login(app(), 'LAND');
      expect((await call(app(), s, 'GET', '/api/auth/me')).body.user.username).toBe('land');
    });

    it('stores only the SHA-256 of the session token, so a stolen session row is not a cookie', async () => {
      const s = await login(app(), 'industry');
      const token = s.cookie.split('=')[1]!;
      const rows = await app().db.selectFrom('sessions').select('id').execute();
      expect(rows.map((r) => r.id)).not.toContain(token);
      const hashed = createHash('sha256').update(token).digest('hex');
      expect(rows.map((r) => r.id)).toContain(hashed);
      // Presenting the stored id as a cookie gets nowhere.
      const replay = await app().inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: `iab_session=${hashed}` } });
      expect(replay.statusCode).toBe(401);
    });

    it('answers /api/auth/me with 401 without a session, and with a forged or garbage cookie', async () => {
      for (const cookie of [undefined, 'iab_session=abc', `iab_session=${'A'.repeat(43)}`, 'iab_session=%00%27;drop table users']) {
        const res = await app().inject({ method: 'GET', url: '/api/auth/me', headers: cookie ? { cookie } : {} });
        expect(res.statusCode, String(cookie)).toBe(401);
        expect(res.json()).toMatchObject({ statusCode: 401, code: 'UNAUTHENTICATED', reason: 'SESSION_REQUIRED' });
      }
    });

    it('gives a wrong password and an unknown user the same 401, revealing nothing', async () => {
      const ip = freshIp();
      const wrong = await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username: 'admin', password: 'not the password' } });
      const unknown = await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { username: 'nobody-here', password: 'not the password' } });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.json()).toEqual(unknown.json());
      expect(wrong.json()).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'INVALID_CREDENTIALS' });
      expect(wrong.headers['set-cookie']).toBeUndefined();
    });

    it('signs out: the session is revoked at once and the cookie cleared', async () => {
      const s = await login(app(), 'investor');
      const out = await call(app(), s, 'POST', '/api/auth/logout');
      expect(out.status).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/iab_session=;.*Expires=Thu, 01 Jan 1970/);
      expect((await call(app(), s, 'GET', '/api/auth/me')).status).toBe(401);
      // Signing out again without a session is harmless.
      expect((await call(app(), null, 'POST', '/api/auth/logout')).status).toBe(204);
    });

    it('ends a session after its idle time, and slides the expiry while it is used', async () => {
      const s = await login(app(), 'industry');
      const id = createHash('sha256').update(s.cookie.split('=')[1]!).digest('hex');
      await app().db.updateTable('sessions').set({ last_seen_at: sql<Date>`now() - interval '10 minutes'`, expires_at: sql<Date>`now() + interval '1 minute'` }).where('id', '=', id).execute();
      expect((await call(app(), s, 'GET', '/api/auth/me')).status).toBe(200);
      const slid = await app().db.selectFrom('sessions').select([sql<number>`extract(epoch from expires_at - now())::int`.as('left')]).where('id', '=', id).executeTakeFirstOrThrow();
      expect(slid.left).toBeGreaterThan(60 * 60); // extended to the idle timeout (2 h)
      await app().db.updateTable('sessions').set({ expires_at: sql<Date>`now() - interval '1 second'` }).where('id', '=', id).execute();
      const expired = await call(app(), s, 'GET', '/api/auth/me');
      expect(expired.status).toBe(401);
      expect(String(expired.headers['set-cookie'])).toMatch(/iab_session=;/);
    });

    it('sets security headers, with a CSP that lets the map worker run, on auth responses too', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: freshIp(), payload: { username: 'x1', password: 'y' } });
      expect(res.headers['content-security-policy']).toMatch(/worker-src 'self' blob:/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBeDefined();
    });
  });

  describe('odd logins are answered 400 or 401, never 500', () => {
    const cases: [string, unknown, number][] = [
      ['SQL in the username', { username: "admin' OR '1'='1' --", password: 'x' }, 401],
      ['SQL in the username (stacked)', { username: "admin'; DROP TABLE users; --", password: 'x' }, 401],
      ['a 10 kB password', { username: 'admin', password: 'p'.repeat(10_240) }, 400],
      ['a password one over the limit', { username: 'admin', password: 'p'.repeat(1025) }, 400],
      ['a 101-character username', { username: 'u'.repeat(101), password: 'x' }, 400],
      ['a Chinese username', { username: '管理员', password: 'x' }, 401],
      ['an emoji username', { username: '🦄🌈', password: 'x' }, 401],
      ['a Kelvin-sign username', { username: '\u212Admin', password: 'x' }, 401],
      ['a lone surrogate', { username: 'a\ud800b', password: '\udfff' }, 401],
      ['a NUL in the username', { username: 'ad\u0000min', password: 'x' }, 400],
      ['an empty username', { username: '', password: 'x' }, 400],
      ['a missing password', { username: 'admin' }, 400],
      ['a missing username', { password: 'x' }, 400],
      ['numbers instead of strings (bodies are not coerced)', { username: 1, password: 2 }, 400],
      ['an array body', [{ username: 'admin', password: 'x' }], 400],
      ['an object as username', { username: { $ne: null }, password: 'x' }, 400],
    ];
    it.each(cases)('%s', async (_what, payload, status) => {
      const res = await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: freshIp(), payload: payload as object });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.json()).toMatchObject({ statusCode: status, code: status === 400 ? 'VALIDATION_FAILED' : 'UNAUTHENTICATED' });
    });

    it('refuses a malformed JSON body with 400 and a non-JSON body with 415', async () => {
      const broken = await app().inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username": "admin", ' });
      expect(broken.statusCode).toBe(400);
      const form = await app().inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=admin&password=x' });
      expect(form.statusCode).toBe(415);
      const empty = await app().inject({ method: 'POST', url: '/api/auth/login' });
      expect(empty.statusCode).toBe(400);
    });

    it('records each checked failure as an audit event, and the chain still verifies', async () => {
      const failed = await call(app(), admin, 'GET', '/api/audit?action=auth.login_failed&limit=1000');
      const names = failed.body.items.map((e: { after: { username: string } }) => e.after.username);
      expect(names).toContain("admin'; DROP TABLE users; --");
      expect(names).toContain('a\ufffdb'); // the lone surrogate, stored as U+FFFD
      expect((await call(app(), admin, 'GET', '/api/audit/verify')).body.ok).toBe(true);
    });
  });

  // Login throttling has its own file: login-throttle.test.ts.

  describe('CSRF: cookie-authenticated writes only from the app’s own origin', () => {
    const body = { username: 'csrf-probe', displayName: 'x', role: 'investor', password: 'short' }; // invalid on purpose: 400 if it gets through

    it('refuses a write with a foreign Origin, and one with no Origin or Referer', async () => {
      const s = await login(app(), 'admin');
      for (const headers of [{ origin: 'http://evil.example' }, { origin: 'null' }, { origin: 'http://localhost.evil.example' }, { referer: 'http://evil.example/page' }, {}]) {
        const res = await app().inject({ method: 'POST', url: '/api/users', headers: { cookie: s.cookie, ...headers }, payload: body });
        expect(res.statusCode, JSON.stringify(headers)).toBe(403);
        expect(res.json()).toMatchObject({ code: 'FORBIDDEN', reason: 'CROSS_ORIGIN_WRITE' });
      }
    });

    it('accepts it from the app’s own origin, by Origin or by Referer', async () => {
      const s = await login(app(), 'admin');
      for (const headers of [{ origin: APP_ORIGIN }, { referer: `${APP_ORIGIN}/admin/users` }]) {
        const res = await app().inject({ method: 'POST', url: '/api/users', headers: { cookie: s.cookie, ...headers }, payload: body });
        expect(res.statusCode, JSON.stringify(headers)).toBe(400); // through the CSRF check, stopped by the password policy
      }
    });

    it('does not apply to reads, nor to requests without a session', async () => {
      const s = await login(app(), 'admin');
      expect((await app().inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: s.cookie, origin: 'http://evil.example' } })).statusCode).toBe(200);
      expect((await app().inject({ method: 'POST', url: '/api/auth/logout', headers: { origin: 'http://evil.example' } })).statusCode).toBe(204);
    });

    it('refuses a sign-in posted from another site (login CSRF)', async () => {
      const res = await app().inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'http://evil.example' }, payload: { username: 'admin', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(403);
      expect(res.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('user administration', () => {
    it('creates a user who can then sign in, and lists them', async () => {
      const u = await newUser('new-officer', { role: 'district_officer', districtCode: '440106', displayName: '天河区 新同事' });
      expect(u).toMatchObject({ username: 'new-officer', role: 'district_officer', districtCode: '440106', disabled: false });
      expect(JSON.stringify(u)).not.toMatch(/scrypt|hash/i);
      const s = await login(app(), 'new-officer', 'correct horse battery');
      expect((await call(app(), s, 'GET', '/api/auth/me')).body.user.districtCode).toBe('440106');
      const list = await call(app(), admin, 'GET', '/api/users?q=new-off');
      expect(list.body.items.map((x: { username: string }) => x.username)).toEqual(['new-officer']);
      expect(list.body.total).toBe(1);
      expect(list.body.items[0].lastSeenAt).not.toBeNull();
    });

    it.each([
      ['a district officer without a district', { role: 'district_officer' }, 400, /districtCode/],
      ['a land officer with a district', { role: 'land_officer', districtCode: '440112' }, 400, /Only a district officer/],
      ['an unknown district', { role: 'district_officer', districtCode: '440199' }, 400, /440199/],
      ['a short password', { password: 'short' }, 400, /at least 10/],
      ['a password containing the username', { username: 'zhangwei', password: 'zhangwei-2026!' }, 400, /username/],
      ['an unknown role', { role: 'superuser' }, 400, /role/],
      ['a username with spaces', { username: 'two words' }, 400, /username/],
      ['an existing username in other case', { username: 'ADMIN' }, 409, /taken/],
    ])('refuses %s', async (_what, extra, status, message) => {
      const res = await call(app(), admin, 'POST', '/api/users', { username: 'someone-new', displayName: 'X', role: 'investor', password: 'correct horse battery', ...extra });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.message).toMatch(message);
    });

    it('changes role and district; leaving the district officer role drops the district', async () => {
      const u = await newUser('role-changer', { role: 'district_officer', districtCode: '440112' });
      const moved = await call(app(), admin, 'PATCH', `/api/users/${u.id}`, { districtCode: '440106' });
      expect(moved.body).toMatchObject({ role: 'district_officer', districtCode: '440106' });
      const promoted = await call(app(), admin, 'PATCH', `/api/users/${u.id}`, { role: 'land_officer' });
      expect(promoted.body).toMatchObject({ role: 'land_officer', districtCode: null });
      expect((await call(app(), admin, 'PATCH', `/api/users/${u.id}`, { role: 'district_officer' })).status).toBe(400);
      expect((await call(app(), admin, 'PATCH', `/api/users/${u.id}`, {})).status).toBe(400);
      expect((await call(app(), admin, 'PATCH', '/api/users/999999', { displayName: 'x' })).status).toBe(404);
    });

    it('refuses a session of a disabled user at once, and their sign-in', async () => {
      const u = await newUser('to-be-disabled');
      const s = await login(app(), u.username, 'correct horse battery');
      expect((await call(app(), s, 'GET', '/api/auth/me')).status).toBe(200);
      const disabled = await call(app(), admin, 'POST', `/api/users/${u.id}/disable`);
      expect(disabled.status).toBe(200);
      expect(disabled.body.disabled).toBe(true);
      expect((await call(app(), s, 'GET', '/api/auth/me')).status).toBe(401);
      const again = await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: freshIp(), payload: { username: u.username, password: 'correct horse battery' } });
      expect(again.statusCode).toBe(401);
      const live = await app().db.selectFrom('sessions').select('id').where('user_id', '=', u.id).where('revoked_at', 'is', null).execute();
      expect(live).toHaveLength(0);
      expect((await call(app(), admin, 'POST', `/api/users/${u.id}/enable`)).body.disabled).toBe(false);
      await login(app(), u.username, 'correct horse battery');
    });

    it('refuses the session at once even if only the user row is disabled (no revocation needed)', async () => {
      const u = await newUser('row-disabled');
      const s = await login(app(), u.username, 'correct horse battery');
      await app().db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', u.id).execute();
      expect((await call(app(), s, 'GET', '/api/auth/me')).status).toBe(401);
    });

    it('keeps at least one active administrator, and an admin cannot disable themself', async () => {
      const me = (await call(app(), admin, 'GET', '/api/auth/me')).body.user;
      expect((await call(app(), admin, 'POST', `/api/users/${me.id}/disable`)).status).toBe(409);
      const second = await newUser('second-admin', { role: 'admin' });
      const s2 = await login(app(), second.username, 'correct horse battery');
      // With two admins, one may demote the other; then the last one is protected.
      expect((await call(app(), s2, 'PATCH', `/api/users/${second.id}`, { role: 'land_officer' })).status).toBe(200);
      const demoteLast = await call(app(), admin, 'PATCH', `/api/users/${me.id}`, { role: 'investor' });
      expect(demoteLast.status).toBe(409);
      expect(demoteLast.body.message).toMatch(/last active administrator/);
    });

    it('resets a password: sessions end, and the user must choose a new one before anything else', async () => {
      const u = await newUser('reset-me');
      const old = await login(app(), u.username, 'correct horse battery');
      const reset = await call(app(), admin, 'POST', `/api/users/${u.id}/password`, { password: 'temporary-pass-1' });
      expect(reset.status).toBe(200);
      expect(reset.body.mustChangePassword).toBe(true);
      expect((await call(app(), old, 'GET', '/api/auth/me')).status).toBe(401);

      const s = await login(app(), u.username, 'temporary-pass-1');
      const me = await call(app(), s, 'GET', '/api/auth/me');
      expect(me.body.user.mustChangePassword).toBe(true);
      const blocked = await call(app(), s, 'GET', '/api/audit');
      expect(blocked.status).toBe(403);
      expect(blocked.body.reason).toBe('PASSWORD_CHANGE_REQUIRED');
      expect((await call(app(), s, 'GET', '/api/parks')).status).toBe(200); // public stays public

      expect((await call(app(), s, 'POST', '/api/auth/password', { currentPassword: 'wrong-wrong-wrong', newPassword: 'my own password 1' })).status).toBe(400);
      expect((await call(app(), s, 'POST', '/api/auth/password', { currentPassword: 'temporary-pass-1', newPassword: 'short' })).status).toBe(400);
      const changed = await call(app(), s, 'POST', '/api/auth/password', { currentPassword: 'temporary-pass-1', newPassword: 'my own password 1' });
      expect(changed.status).toBe(200);
      expect(changed.body.user.mustChangePassword).toBe(false);
      expect((await call(app(), s, 'GET', '/api/audit')).status).toBe(200); // same session, now free
      await login(app(), u.username, 'my own password 1');
    });

    it('changing one’s own password ends one’s other sessions but keeps this one', async () => {
      const u = await newUser('two-browsers');
      const a = await login(app(), u.username, 'correct horse battery');
      const b = await login(app(), u.username, 'correct horse battery');
      expect((await call(app(), a, 'POST', '/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'another long one 2' })).status).toBe(200);
      expect((await call(app(), a, 'GET', '/api/auth/me')).status).toBe(200);
      expect((await call(app(), b, 'GET', '/api/auth/me')).status).toBe(401);
    });

    it('ends every session of a user on request (sign out everywhere)', async () => {
      const u = await newUser('everywhere');
      const a = await login(app(), u.username, 'correct horse battery');
      const b = await login(app(), u.username, 'correct horse battery');
      const res = await call(app(), admin, 'POST', `/api/users/${u.id}/revoke-sessions`);
      expect(res.body).toEqual({ revokedSessions: 2 });
      expect((await call(app(), a, 'GET', '/api/auth/me')).status).toBe(401);
      expect((await call(app(), b, 'GET', '/api/auth/me')).status).toBe(401);
    });
  });

  describe('object-level checks: an id is never enough', () => {
    it('an investor cannot read, edit or promote users, not even themself', async () => {
      const inv = await login(app(), 'investor');
      const me = (await call(app(), inv, 'GET', '/api/auth/me')).body.user;
      expect((await call(app(), inv, 'GET', `/api/users/${me.id}`)).status).toBe(403);
      expect((await call(app(), inv, 'PATCH', `/api/users/${me.id}`, { role: 'admin' })).status).toBe(403);
      expect((await call(app(), inv, 'GET', '/api/users/1')).status).toBe(403);
      expect((await call(app(), inv, 'POST', '/api/users/1/password', { password: 'taken over 12345' })).status).toBe(403);
    });

    it('changing one’s own password cannot be pointed at another user', async () => {
      const u = await newUser('self-only');
      const s = await login(app(), u.username, 'correct horse battery');
      const adminId = (await call(app(), admin, 'GET', '/api/auth/me')).body.user.id;
      const res = await call(app(), s, 'POST', '/api/auth/password', { currentPassword: 'correct horse battery', newPassword: 'hijack attempt 99', userId: adminId, id: adminId });
      expect([200, 400]).toContain(res.status);
      await login(app(), 'admin'); // the admin's password is untouched
    });

    it('a district officer cannot read the audit trail nor manage users', async () => {
      const d = await login(app(), 'district-tianhe');
      expect((await call(app(), d, 'GET', '/api/audit')).status).toBe(403);
      expect((await call(app(), d, 'GET', '/api/users')).status).toBe(403);
    });
  });
});

describe('behind TLS (PUBLIC_ORIGIN=https://…)', () => {
  it('marks the cookie Secure and takes PUBLIC_ORIGIN as the only origin for writes', async () => {
    const { ctx, stop } = await startTestApp('pglite', { PUBLIC_ORIGIN: 'https://land.example.gov.cn' });
    try {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://land.example.gov.cn' }, payload: { username: 'admin', password: DEMO_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
      const cookie = `iab_session=${res.cookies[0]!.value}`;
      const payload = { username: 'tls-probe', displayName: 'x', role: 'investor', password: 'short' };
      const local = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin: APP_ORIGIN }, payload });
      expect(local.statusCode).toBe(403);
      const proper = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie, origin: 'https://land.example.gov.cn' }, payload });
      expect(proper.statusCode).toBe(400);
    } finally {
      await stop();
    }
  });
});
