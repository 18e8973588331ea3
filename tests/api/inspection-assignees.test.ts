/**
 * GET /api/supervision/inspectors: who a field inspection can be assigned to. The users list is
 * for administrators, so a district officer opening an inspection needs this: the active
 * district officers of a district — their own only; the bureau any district's.
 */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';

describeOnDatabases('inspection assignees', (get) => {
  let admin: Session;
  let land: Session;
  let huangpu: Session;
  let industry: Session;
  let investor: Session;
  const app = () => get().app;
  const names = (body: Record<string, unknown>) => (body.items as { username: string }[]).map((u) => u.username);

  it('signs in the demo accounts', async () => {
    admin = await login(app(), 'admin');
    land = await login(app(), 'land');
    huangpu = await login(app(), 'district-huangpu');
    industry = await login(app(), 'industry');
    investor = await login(app(), 'investor');
  });

  it('gives a district officer their own district’s officers, by default and when asked by code', async () => {
    const own = await call(app(), huangpu, 'GET', '/api/supervision/inspectors');
    expect(own.status).toBe(200);
    expect(names(own.body)).toEqual(['district-huangpu']);
    expect(own.body.items[0]).toMatchObject({ districtCode: '440112', displayName: expect.any(String), id: expect.any(Number) });
    const asked = await call(app(), huangpu, 'GET', '/api/supervision/inspectors?districtCode=440112');
    expect(asked.body).toEqual(own.body);
  });

  it('refuses a district officer another district’s officers (403 OUT_OF_SCOPE)', async () => {
    const other = await call(app(), huangpu, 'GET', '/api/supervision/inspectors?districtCode=440106');
    expect(other.status).toBe(403);
    expect(other.body.reason).toBe('OUT_OF_SCOPE');
  });

  it('gives the bureau any district’s officers, or all of them; leaves out disabled accounts and other roles', async () => {
    const all = await call(app(), land, 'GET', '/api/supervision/inspectors');
    expect(all.status).toBe(200);
    expect(names(all.body)).toEqual(expect.arrayContaining(['district-huangpu', 'district-tianhe']));
    expect(all.body.items.every((u: { districtCode: string }) => /^[0-9]{6}$/.test(u.districtCode))).toBe(true);
    expect(names(all.body)).not.toContain('land');

    const created = await call(app(), admin, 'POST', '/api/users', { username: 'tianhe-2', displayName: '天河核查员', role: 'district_officer', districtCode: '440106', password: 'inspect-2026-ok', mustChangePassword: false });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const tianhe = await call(app(), land, 'GET', '/api/supervision/inspectors?districtCode=440106');
    expect(names(tianhe.body)).toEqual(['district-tianhe', 'tianhe-2']);
    expect((await call(app(), admin, 'POST', `/api/users/${created.body.id}/disable`)).status).toBe(200);
    const after = await call(app(), land, 'GET', '/api/supervision/inspectors?districtCode=440106');
    expect(names(after.body)).toEqual(['district-tianhe']);
  });

  it('is closed to roles that do not inspect, and to anonymous callers; a bad code is a 400', async () => {
    expect((await call(app(), industry, 'GET', '/api/supervision/inspectors')).status).toBe(403);
    expect((await call(app(), investor, 'GET', '/api/supervision/inspectors')).status).toBe(403);
    expect((await call(app(), null, 'GET', '/api/supervision/inspectors')).status).toBe(401);
    const bad = await call(app(), land, 'GET', '/api/supervision/inspectors?districtCode=44');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('districtCode');
  });
});
