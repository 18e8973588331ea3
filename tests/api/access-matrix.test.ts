/**
 * Route × role matrix, generated from the running app's route table:
 * every /api route is called by an anonymous visitor and by each demo account, and the status
 * must agree with the route's declared access — public: never 401/403; authenticated: 401 for
 * the anonymous; a role list: 401 anonymous, 403 other roles, neither for the listed roles.
 * A route added without a rule stops the app at start-up, so it fails every test.
 *
 * Requests are harmless: ids that do not exist, empty bodies. Access is decided in `onRequest`,
 * before the body is parsed or validated, so a 401/403 is never hidden behind a 400.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import cookie from '@fastify/cookie';
import authPlugin, { routeAccessTable, type RouteAccess } from '../../server/modules/auth/plugin.ts';
import { assertCanSeeDistrict, assertOwnRecord, districtScope, disclosureFor } from '../../server/modules/auth/scope.ts';
import type { SessionUser } from '../../server/modules/auth/sessions.ts';
import { AppError } from '../../server/kernel/errors.ts';
import type { Role } from '../../shared/roles.ts';
import { describeOnDatabases } from './context.ts';
import { as, DEMO_USERS, login, type Session } from './login.ts';

type Identity = { name: string; role: Role | null; districtCode: string | null };
const IDENTITIES: Identity[] = [
  { name: 'anonymous', role: null, districtCode: null },
  ...DEMO_USERS.map((u) => ({ name: u.username, role: u.role as Role, districtCode: u.districtCode as string | null })),
];

/** A harmless value for each path parameter (ids that do not exist; a district officer's own district). */
function fillPath(url: string, who: Identity): string {
  return url
    .replace(/:(code|districtCode)\b/g, who.districtCode ?? '440112')
    .replace(/:year\b/g, '2026')
    .replace(/:(\w+)/g, '999999')
    .replace(/\*$/, 'x');
}

function expected(access: RouteAccess['access'], who: Identity): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (who.role === null) return 401;
  if (access === 'authenticated') return 'allowed';
  return access.includes(who.role) ? 'allowed' : 403;
}

describeOnDatabases('route × role access matrix', (get) => {
  const sessions = new Map<string, Session>();
  beforeAll(async () => {
    for (const u of DEMO_USERS) sessions.set(u.username, await login(get().app, u.username));
  });

  it('knows every documented /api operation, each with a valid rule', async () => {
    const table = routeAccessTable(get().app);
    const known = new Set(table.map((r) => `${r.method} ${r.url}`));
    const doc = (await get().app.inject({ method: 'GET', url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace(/\{(\w+)\}/g, ':$1');
        expect(known.has(`${method.toUpperCase()} ${url}`), `${method} ${path}`).toBe(true);
      }
    }
    for (const [method, url, access] of [
      ['GET', '/api/health', 'public'],
      ['POST', '/api/auth/login', 'public'],
      ['GET', '/api/auth/me', 'authenticated'],
      ['GET', '/api/users', ['admin']],
      ['GET', '/api/audit', ['admin', 'land_officer']],
      ['GET', '/api/audit/verify', ['admin']],
    ] as const) {
      expect(table.find((r) => r.method === method && r.url === url)?.access, `${method} ${url}`).toEqual(access);
    }
  });

  for (const who of IDENTITIES) {
    it(`answers ${who.name} as each route declares`, async () => {
      const app = get().app;
      const session = who.role ? sessions.get(who.name)! : null;
      const mismatches: string[] = [];
      for (const route of routeAccessTable(app)) {
        if (route.url.startsWith('/api/docs')) continue; // static documentation assets
        const url = fillPath(route.url, who);
        const write = !['GET', 'HEAD', 'OPTIONS'].includes(route.method);
        const res = await app.inject({
          method: route.method as 'GET',
          url,
          headers: as(session),
          ...(write ? { payload: {} } : {}),
        });
        const want = expected(route.access, who);
        const ok = want === 'allowed' ? res.statusCode !== 401 && res.statusCode !== 403 : res.statusCode === want;
        if (!ok) mismatches.push(`${route.method} ${url}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
        if (res.statusCode >= 500) mismatches.push(`${route.method} ${url}: server error ${res.statusCode} ${res.body.slice(0, 160)}`);
        // A write may have ended the session (logout): sign in again for the next route.
        if (session && write && (await app.inject({ method: 'GET', url: '/api/auth/me', headers: as(session) })).statusCode !== 200) {
          const fresh = await login(app, who.name);
          session.cookie = fresh.cookie;
        }
      }
      expect(mismatches).toEqual([]);
    });
  }

  it('checks access before validating the body: a forbidden caller learns nothing about the schema', async () => {
    const app = get().app;
    const investor = sessions.get('investor')!;
    const garbage = await app.inject({ method: 'POST', url: '/api/users', headers: { ...as(investor), 'content-type': 'application/json' }, payload: '{not json' });
    expect(garbage.statusCode).toBe(403);
    const anonymous = await app.inject({ method: 'PATCH', url: '/api/users/abc', payload: { role: 42 } });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('every /api route must declare its access', () => {
  it('refuses to start when a route has no rule, naming the route', async () => {
    const app = Fastify();
    await app.register(cookie);
    await app.register(authPlugin);
    // As in server/app.ts: routes in a plugin under the /api prefix.
    app.register(async (api) => {
      api.get('/forgotten', async () => ({ ok: true }));
    }, { prefix: '/api' });
    await expect(app.ready()).rejects.toThrow(/GET \/api\/forgotten has no valid access rule/);
  });

  it('refuses an unknown role or an empty list', async () => {
    for (const access of [['superuser'], [], 'everyone']) {
      const app = Fastify();
      await app.register(cookie);
      await app.register(authPlugin);
      // @ts-expect-error -- deliberately invalid rules
      expect(() => app.get('/api/x', { config: { access } }, async () => ({}))).toThrow(/no valid access rule/);
    }
  });

  it('leaves routes outside /api (the web app) alone', async () => {
    const app = Fastify();
    await app.register(cookie);
    await app.register(authPlugin);
    app.get('/about', async () => ({ ok: true }));
    await app.ready();
    expect((await app.inject({ method: 'GET', url: '/about' })).statusCode).toBe(200);
    await app.close();
  });
});

describe('object-level checks (server/modules/auth/scope.ts)', () => {
  const user = (role: Role, districtCode: string | null = null, id = 7): SessionUser => ({
    id,
    username: role,
    displayName: role,
    role,
    districtCode,
    mustChangePassword: false,
  });
  const status = (fn: () => void) => {
    try {
      fn();
      return 'ok';
    } catch (e) {
      return e instanceof AppError ? e.statusCode : 'threw';
    }
  };
  const tianhe = user('district_officer', '440106');
  const huangpu = user('district_officer', '440112');

  it('gives a district officer of 天河 403 on 黄埔’s non-public detail, and their own district', () => {
    expect(status(() => assertCanSeeDistrict(tianhe, '440112'))).toBe(403);
    expect(status(() => assertCanSeeDistrict(tianhe, '440106'))).toBe('ok');
    expect(status(() => assertCanSeeDistrict(huangpu, '440112'))).toBe('ok');
    expect(status(() => assertCanSeeDistrict(null, '440112'))).toBe(401);
    expect(status(() => assertCanSeeDistrict(user('investor'), '440112'))).toBe(403);
    for (const role of ['admin', 'land_officer', 'industry_officer'] as const) expect(status(() => assertCanSeeDistrict(user(role), '440112'))).toBe('ok');
  });

  it('discloses internal fields only to the bureau and the district’s own officer', () => {
    expect(disclosureFor(null, '440112')).toBe('public');
    expect(disclosureFor(user('investor'), '440112')).toBe('public');
    expect(disclosureFor(tianhe, '440112')).toBe('public');
    expect(disclosureFor(huangpu, '440112')).toBe('internal');
    expect(disclosureFor(user('land_officer'), '440112')).toBe('internal');
    expect(districtScope(tianhe)).toEqual({ kind: 'district', code: '440106' });
    expect(districtScope(user('admin'))).toEqual({ kind: 'all' });
    expect(districtScope(user('investor'))).toEqual({ kind: 'none' });
    expect(districtScope(null)).toEqual({ kind: 'none' });
  });

  it('answers 404 for someone else’s record, so an id reveals nothing', () => {
    const investor = user('investor', null, 41);
    expect(status(() => assertOwnRecord(investor, 41, 'Interest 3'))).toBe('ok');
    expect(status(() => assertOwnRecord(investor, 42, 'Interest 3'))).toBe(404);
    expect(status(() => assertOwnRecord(investor, null, 'Interest 3'))).toBe(404);
    expect(status(() => assertOwnRecord(null, 41, 'Interest 3'))).toBe(401);
  });
});
