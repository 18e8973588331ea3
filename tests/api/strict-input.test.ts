/**
 * Strict input, each observed defect on its own: unbounded and non-finite numbers, NUL bytes,
 * impossible dates, a blank name hitting a CHECK, NaN in a response, broken multipart bodies,
 * loose path ids and coerced body types. Every one must be a 4xx naming what to fix — never a
 * 500, never a write. On PGlite and PostgreSQL.
 */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { as, call, login, type Session } from './login.ts';
import { multipart } from './import-helpers.ts';

describeOnDatabases('strict input', (get) => {
  const app = () => get().app;
  let land: Session;
  let admin: Session;
  let industry: Session;
  let plotId: number;
  let parkId: number;

  it('signs in and picks a plot', async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
    industry = await login(app(), 'industry');
    const plots = await call(app(), null, 'GET', '/api/plots?status=available&limit=1');
    plotId = plots.body.features[0].id;
    parkId = plots.body.features[0].properties.parkId;
  });

  const refused = (r: { status: number; body: Record<string, unknown> }, status = 400) => {
    expect(r.status, JSON.stringify(r.body)).toBe(status);
    expect(r.body).toEqual(expect.objectContaining({ statusCode: status, code: expect.any(String), message: expect.any(String) }));
  };

  it('bounds every integer in a query string and refuses non-finite ones', async () => {
    for (const q of ['offset=Infinity', 'limit=1e308', 'limit=NaN', 'offset=-1', 'limit=501', 'offset=1e3', 'limit=0x10', 'limit=%2010', 'parkId=99999999999999999999', 'parkId=2147483648']) {
      refused(await call(app(), null, 'GET', `/api/search/plots?${q}`));
    }
    refused(await call(app(), land, 'GET', '/api/districts/440112/dashboard?year=99999999999999999999'));
    refused(await call(app(), land, 'GET', '/api/districts/440112/dashboard?year=1999'));
    refused(await call(app(), land, 'GET', '/api/quotas/99999999999999999999'));
    // Plain decimals still work.
    expect((await call(app(), null, 'GET', '/api/search/plots?limit=5&offset=0')).status).toBe(200);
  });

  it('bounds integers and numbers in bodies: huge, non-finite, strings for numbers', async () => {
    refused(await call(app(), null, 'POST', '/api/quotes/price-floor', { plotId: 'Infinity', iab: true }));
    refused(await call(app(), null, 'POST', '/api/quotes/price-floor', { plotId: 2147483648, iab: true }));
    const huge = await app().inject({ method: 'POST', url: '/api/plots', headers: as(land, { 'content-type': 'application/json' }), payload: `{"code":"X-1","parkId":1e308,"landUse":"M1","areaM2":100,"landLevel":1,"geometry":null}` });
    refused({ status: huge.statusCode, body: huge.json() });
    const inf = await app().inject({ method: 'POST', url: '/api/quotes/price-floor', headers: { 'content-type': 'application/json' }, payload: '{"areaM2":1e400,"benchmarkYuanPerM2":1000,"costYuan":0,"nationalMinYuanPerM2":600,"iab":true}' });
    refused({ status: inf.statusCode, body: inf.json() });
    // costYuan of numeric(16,2) holds at most 99 999 999 999 999.99: 1e14 is refused by the schema.
    refused(await call(app(), land, 'PATCH', `/api/plots/${plotId}`, { expectedRowVersion: '0', costYuan: 1e14 }));
  });

  it('never answers NaN: /api/plots/validate with areaM2 "Infinity" is a 400', async () => {
    const plot = await call(app(), null, 'GET', `/api/plots/${plotId}`);
    const r = await call(app(), land, 'POST', '/api/plots/validate', { geometry: plot.body.geometry, parkId, areaM2: 'Infinity' });
    refused(r);
    expect(r.res.body).not.toMatch(/NaN|Infinity/);
  });

  it('refuses NUL and control characters in text fields (tab/newline only where multi-line)', async () => {
    refused(await call(app(), null, 'GET', `/api/search/plots?q=${encodeURIComponent('a\u0000b')}`));
    refused(await call(app(), land, 'POST', `/api/plots/${plotId}/holds`, { reason: 'talks\u0000' }));
    refused(await call(app(), admin, 'PATCH', '/api/users/2', { displayName: 'x\u001bname' }));
    refused(await call(app(), admin, 'PATCH', '/api/users/2', { displayName: 'two\nlines' }));
  });

  it('a blank display name is a 400 naming the field, not a CHECK-constraint 500', async () => {
    const r = await call(app(), admin, 'PATCH', '/api/users/2', { displayName: '   ' });
    refused(r);
    expect(r.body.message).toMatch(/displayName/);
  });

  it('dates are calendar dates', async () => {
    refused(await call(app(), null, 'GET', '/api/reference?asOf=2026-02-30'));
    refused(await call(app(), null, 'GET', '/api/reference?asOf=2026-13-01'));
    expect((await call(app(), null, 'GET', '/api/reference?asOf=2024-02-29')).status).toBe(200);
  });

  it('multipart parser errors are 400: no boundary, cut short, NUL in the filename', async () => {
    const noBoundary = await app().inject({ method: 'POST', url: '/api/imports', headers: as(land, { 'content-type': 'multipart/form-data' }), payload: 'whatever' });
    expect(noBoundary.statusCode, noBoundary.body).toBe(400);
    const { payload, headers } = multipart({}, { filename: 'a.geojson', data: '{"type":"FeatureCollection","features":[]}' });
    const cut = await app().inject({ method: 'POST', url: '/api/imports', headers: as(land, headers), payload: payload.subarray(0, payload.length - 30) });
    expect(cut.statusCode, cut.body).toBe(400);
    const nul = multipart({}, { filename: 'a\u0000.geojson', data: '{"type":"FeatureCollection","features":[]}' });
    const withNul = await app().inject({ method: 'POST', url: '/api/imports', headers: as(land, nul.headers), payload: nul.payload });
    expect(withNul.statusCode, withNul.body).toBe(400);
    const badPark = multipart({ parkId: '1e308' }, { filename: 'a.geojson', data: '{"type":"FeatureCollection","features":[]}' });
    const withBadPark = await app().inject({ method: 'POST', url: '/api/imports', headers: as(land, badPark.headers), payload: badPark.payload });
    expect(withBadPark.statusCode, withBadPark.body).toBe(400);
  });

  it('path ids are plain decimal digits only', async () => {
    for (const id of ['1e1', '%2010', '0x10', '10%20', '010', '+10', '-1', '0', '2147483648', '99999999999999999999']) {
      const r = await call(app(), null, 'GET', `/api/plots/${id}`);
      expect(r.status, `GET /api/plots/${id}: ${JSON.stringify(r.body)}`).toBe(400);
    }
    const before = await app().db.selectFrom('plots').select('id').where('id', '=', 16).executeTakeFirst();
    refused(await call(app(), land, 'DELETE', '/api/plots/0x10'));
    expect(await app().db.selectFrom('plots').select('id').where('id', '=', 16).executeTakeFirst()).toEqual(before);
    const hashBefore = await app().db.selectFrom('users').select('password_hash').where('id', '=', 1).executeTakeFirstOrThrow();
    refused(await call(app(), admin, 'POST', '/api/users/1%20/password', { password: 'another-pass-2026' }));
    const hashAfter = await app().db.selectFrom('users').select('password_hash').where('id', '=', 1).executeTakeFirstOrThrow();
    expect(hashAfter.password_hash).toBe(hashBefore.password_hash);
    expect((await call(app(), null, 'GET', `/api/plots/${plotId}`)).status).toBe(200);
  });

  it('bodies are not coerced', async () => {
    refused(await call(app(), admin, 'POST', '/api/users/3/password', { password: 'another-pass-2026', mustChangePassword: null }));
    refused(await call(app(), admin, 'PATCH', '/api/users/2', { displayName: ['列表'] }));
    refused(await call(app(), null, 'POST', '/api/quotes/price-floor', { plotId, iab: 'false' }));
    refused(await call(app(), null, 'POST', '/api/quotes/price-floor', { plotId: String(plotId), iab: true }));
    // A null cost is "not recorded", never coerced to 0: the floor says so instead of using 0.
    const nullCost = await call(app(), null, 'POST', '/api/quotes/price-floor', { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: null, nationalMinYuanPerM2: 600, iab: true });
    expect(nullCost.status, JSON.stringify(nullCost.body)).toBe(200);
    expect(nullCost.body).toMatchObject({ costRecorded: false, components: { costYuan: null } });
    refused(await call(app(), null, 'POST', '/api/quotes/price-floor', { areaM2: 100, benchmarkYuanPerM2: 1000, costYuan: '0', nationalMinYuanPerM2: 600, iab: true }));
    const signup = await app().inject({ method: 'POST', url: '/api/auth/signup', remoteAddress: '198.51.100.77', payload: { email: 'coerce@example.com', password: 'investor-pass-2026', company: true } });
    expect(signup.statusCode, signup.body).toBe(400);
    expect(await app().db.selectFrom('users').select('id').where('username', '=', 'coerce@example.com').executeTakeFirst()).toBeUndefined();
    // Query strings still turn digits into numbers and true/false into booleans.
    expect((await call(app(), industry, 'GET', '/api/allocations?iab=true&limit=5')).status).toBe(200);
    refused(await call(app(), industry, 'GET', '/api/allocations?iab=1'));
  });

  it('a database refusal that input can still cause is a 4xx naming the field', async () => {
    // The same code twice: the schema cannot know, the unique index does.
    const plots = await call(app(), null, 'GET', '/api/plots?status=available&limit=2');
    const [a, b] = plots.body.features as { id: number; properties: { code: string; rowVersion: string } }[];
    const r = await call(app(), land, 'PATCH', `/api/plots/${b!.id}`, { expectedRowVersion: b!.properties.rowVersion, code: a!.properties.code });
    expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
    expect(r.status).toBeLessThan(500);
  });
});
