/**
 * Responses that must not be cached, and whose origin and address the server trusts:
 * - `Cache-Control: no-store` on every response to a signed-in caller and every response of a
 *   non-public route (walked over every GET route as land and admin), while the public,
 *   role-independent map routes keep their ETag and caching;
 * - one trusted origin (PUBLIC_ORIGIN, else http://HOST:PORT), never the request's Host header;
 * - TRUST_PROXY decides whose X-Forwarded-For names the client address (sessions, audit, limits).
 */
import { describe, expect, it } from 'vitest';
import { describeOnDatabases, startTestApp } from './context.ts';
import { APP_ORIGIN, call, login, type Session } from './login.ts';
import { routeAccessTable } from '../../server/modules/auth/plugin.ts';
import { ConfigError, loadConfig } from '../../server/kernel/config.ts';

/** Routes whose answer is the same for every caller: they may be cached (config.cache 'shared'). */
const SHARED = new Set(['/api/districts', '/api/parks', '/api/parks/:id', '/api/plots', '/api/plots/:id', '/api/plots/by-code/:code', '/api/tiles/plots/:z/:x/:y.pbf', '/api/map/style']);

function concrete(url: string): string {
  return url
    .replace(':z/:x/:y.pbf', '12/3337/1781.pbf')
    .replace(':code', '440112')
    .replace(':year', '2026')
    .replace(':kind', 'parameters')
    .replace(/:[a-z]+/gi, '1');
}

describeOnDatabases('no-store on personal responses', (get) => {
  const app = () => get().app;
  let land: Session;
  let admin: Session;

  it('every GET route answers a signed-in land officer and admin with no-store (shared map routes excepted)', async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
    const routes = routeAccessTable(app()).filter((r) => r.method === 'GET' && !r.url.startsWith('/api/docs'));
    expect(routes.length).toBeGreaterThan(30);
    const missing: string[] = [];
    for (const session of [land, admin]) {
      for (const r of routes) {
        if (SHARED.has(r.url)) continue;
        const res = await call(app(), session, 'GET', concrete(r.url));
        if (res.headers['cache-control'] !== 'no-store') missing.push(`${session.username} GET ${r.url} → ${res.status} cache-control=${String(res.headers['cache-control'])}`);
        expect(res.status, `${r.url}: ${JSON.stringify(res.body)}`).toBeLessThan(500);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the named sensitive answers carry no-store, and so do refusals of non-public routes', async () => {
    for (const url of ['/api/allocations', '/api/holds', '/api/audit', '/api/plots/1/history', '/api/districts/440112/dashboard', '/api/quotas/2026/ledger', '/api/users', '/api/auth/me', '/api/bureau/parks']) {
      const res = await call(app(), admin, 'GET', url);
      expect(res.status, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-store');
      const anon = await call(app(), null, 'GET', url);
      expect(anon.status, url).toBe(401);
      expect(anon.headers['cache-control'], url).toBe('no-store');
    }
    // A write's answer too.
    const hold = await call(app(), land, 'POST', '/api/plots/1/holds', { reason: 'no-store check' });
    expect(hold.status).toBeLessThan(500);
    expect(hold.headers['cache-control']).toBe('no-store');
  });

  it('public, role-independent routes keep their caching and ETags', async () => {
    const districts = await call(app(), null, 'GET', '/api/districts');
    expect(districts.headers['cache-control']).toBe('public, max-age=300');
    for (const session of [null, land]) {
      const tile = await call(app(), session, 'GET', '/api/tiles/plots/12/3337/1781.pbf');
      expect(tile.status).toBe(200);
      expect(tile.headers.etag).toBeTruthy();
      expect(tile.headers['cache-control']).toBe('no-cache');
      const again = await app().inject({ method: 'GET', url: '/api/tiles/plots/12/3337/1781.pbf', headers: { 'if-none-match': String(tile.headers.etag), ...(session ? { cookie: session.cookie } : {}) } });
      expect(again.statusCode).toBe(304);
    }
    // A public route whose answer depends on the caller (a quote with cost for officers) is not cached when signed in.
    const quote = await call(app(), land, 'POST', '/api/quotes/price-floor', { plotId: 1, iab: true });
    expect(quote.headers['cache-control']).toBe('no-store');
  });
});

describe('one trusted origin', () => {
  it('never trusts the Host header: Host and Origin both evil.example → 403; the configured origin works', { timeout: 120_000 }, async () => {
    const { ctx, stop } = await startTestApp('pglite');
    try {
      const admin = await login(ctx.app, 'admin');
      const payload = { username: 'origin-check', displayName: 'Origin check', role: 'land_officer', password: 'a-long-pass-2026' };
      const evil = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, host: 'evil.example', origin: 'http://evil.example' }, payload });
      expect(evil.statusCode, evil.body).toBe(403);
      expect(evil.json()).toEqual(expect.objectContaining({ code: 'FORBIDDEN', reason: 'CROSS_ORIGIN_WRITE' }));
      expect(await ctx.app.db.selectFrom('users').select('id').where('username', '=', 'origin-check').executeTakeFirst()).toBeUndefined();
      const own = await ctx.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, host: 'evil.example', origin: APP_ORIGIN }, payload });
      expect(own.statusCode, own.body).toBe(201);
    } finally {
      await stop();
    }
  });

  it('defaults to http://HOST:PORT of the configuration, or of the listening address', { timeout: 120_000 }, async () => {
    const { ctx, stop } = await startTestApp('pglite', { PUBLIC_ORIGIN: '', HOST: '127.0.0.1', PORT: '3000' });
    try {
      const admin = await login(ctx.app, 'admin');
      const write = (origin: string, host?: string) => ctx.app.inject({ method: 'POST', url: `/api/users/2/revoke-sessions`, headers: { cookie: admin.cookie, origin, ...(host ? { host } : {}) } });
      expect((await write('http://localhost')).statusCode).toBe(403);
      expect((await write('http://evil.example', 'evil.example')).statusCode).toBe(403);
      expect((await write('http://127.0.0.1:3000')).statusCode).toBeLessThan(400);
      // Listening on another port: that port is the origin (PORT=0 works).
      await ctx.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = ctx.app.server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/api/users/2/revoke-sessions`, { method: 'POST', headers: { cookie: admin.cookie, origin: `http://127.0.0.1:${port}` } });
      expect(res.status).toBeLessThan(400);
      const evil = await fetch(`http://127.0.0.1:${port}/api/users/2/revoke-sessions`, { method: 'POST', headers: { cookie: admin.cookie, origin: 'http://127.0.0.1:3000' } });
      expect(evil.status).toBe(403);
    } finally {
      await stop();
    }
  });
});

describe('TRUST_PROXY', () => {
  it('validates the setting', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1' }).trustProxy).toEqual(['10.0.0.1', '192.168.0.0/16', '::1']);
    for (const bad of ['maybe', '10.0.0.300', '10.0.0.0/33', '0x1', '11']) {
      expect(() => loadConfig({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
    }
    expect(() => loadConfig({ PUBLIC_ORIGIN: 'javascript:alert(1)' })).toThrow(ConfigError);
  });

  async function sessionIp(env: Record<string, string>): Promise<string> {
    const { ctx, stop } = await startTestApp('pglite', env);
    try {
      const res = await ctx.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.9' }, payload: { username: 'land', password: 'iab-demo-2026' } });
      expect(res.statusCode, res.body).toBe(200);
      const row = await ctx.app.db.selectFrom('sessions').select('ip').orderBy('created_at', 'desc').executeTakeFirstOrThrow();
      return row.ip as string;
    } finally {
      await stop();
    }
  }

  it('ignores X-Forwarded-For by default and honours it from a trusted proxy', async () => {
    expect(await sessionIp({})).toBe('127.0.0.1');
    expect(await sessionIp({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.9');
  }, 180_000);
});
