/**
 * Holds over HTTP: a land officer holds an available plot for an
 * applicant until a date; nobody else can be approved for it, the holder can; a release makes
 * it available; an expired hold releases itself — lazily in the next write that locks the plot,
 * and by the sweep — and reads never show it as in force. Expiry is tested by moving a hold's
 * date into the past in the database (the API refuses past dates).
 */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { expectQuotaHonest, floorOf, freshPlots, proposal, proposeAtFloor, putQuota, uscc } from './allocation-helpers.ts';
import { sweepExpiredHolds } from '../../server/modules/holds/service.ts';
import { bureauToday } from '../../shared/dates.ts';

const HOLDER = 5001;
const OTHER = 5002;

const inDays = (n: number) => {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

/**
 * One land officer proposes and approves here: this suite is about other rules. Four eyes
 * (APPROVAL_FOUR_EYES, on by default with PostgreSQL) has its own tests with the setting on, off
 * and at its defaults (allocation-decisions.test.ts); the concurrency tests run the defaults with
 * two officers.
 */
const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };

describeOnDatabases('plot holds', (get) => {
  let land: Session;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = land) => call(app(), s, 'POST', url, body);
  const plotStatus = async (id: number) => (await call(app(), null, 'GET', `/api/plots/${id}`)).body.properties.status as string;
  const hold = (plotId: number, until = inDays(30), n = HOLDER) =>
    post(`/api/plots/${plotId}/holds`, { applicant: { name: `申请企业 ${n}`, uscc: uscc(n) }, until, note: '招商洽谈中' });
  /** Moves the plot's unreleased hold into the past, as time passing would. */
  const expire = async (plotId: number) => {
    await app().db.updateTable('plot_holds').set({ held_until: '2020-01-01' }).where('plot_id', '=', plotId).where('released_at', 'is', null).execute();
  };

  it('signs in and sets a quota year', async () => {
    land = await login(app(), 'land');
    await putQuota(app(), land, 2026, 50_000_000);
  });

  it('gives every held plot of the demo data its hold, which the bureau can release', async () => {
    const held = await app().db.selectFrom('plots').select(['id', 'code']).where('status', '=', 'held').execute();
    expect(held.length).toBeGreaterThan(0);
    const active = await app().db.selectFrom('plot_holds').select('plot_id').where('released_at', 'is', null).execute();
    expect(new Set(active.map((h) => h.plot_id))).toEqual(new Set(held.map((p) => p.id)));
    const listed = await call(app(), land, 'GET', `/api/plots/${held[0]!.id}/holds`);
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('示例数据');
    const released = await post(`/api/plots/${held[0]!.id}/holds/release`, {});
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(await plotStatus(held[0]!.id)).toBe('available');
  });

  it('holds an available plot: it shows as held, and only the holder can be approved for it', async () => {
    const [plot] = await freshPlots(app(), 1);
    // A proposal for someone else made before the hold…
    const early = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: OTHER });
    const r = await hold(plot!.id, inDays(30));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ plotId: plot!.id, applicant: { name: `申请企业 ${HOLDER}`, uscc: uscc(HOLDER) }, until: inDays(30), state: 'active', active: true, createdBy: 'land', releaseReason: null });
    expect(await plotStatus(plot!.id)).toBe('held');
    // …cannot be approved now, and the answer says who holds it until when.
    const refused = await post(`/api/allocations/${early}/approve`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'PLOT_UNAVAILABLE', plotStatus: 'held' });
    expect(refused.body.message).toContain(`held for 申请企业 ${HOLDER} (${uscc(HOLDER)}) until ${inDays(30)}`);
    // New proposals for others are refused outright; a second hold too.
    const floor = await floorOf(app(), land, plot!.id, true);
    expect((await post('/api/allocations', proposal(plot!.id, 2026, floor, { usccN: OTHER }))).status).toBe(409);
    const again = await hold(plot!.id, inDays(10), OTHER);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PLOT_UNAVAILABLE');
    // The holder (matched by USCC) can be proposed and approved; the hold ends as "allocated".
    const mine = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: HOLDER });
    const approved = await post(`/api/allocations/${mine}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.decision.hold).toMatchObject({ id: r.body.id, released: 'allocated' });
    expect(await plotStatus(plot!.id)).toBe('allocated');
    const holds = await call(app(), land, 'GET', `/api/plots/${plot!.id}/holds`);
    expect(holds.body.items[0]).toMatchObject({ id: r.body.id, state: 'allocated', releaseReason: 'allocated', active: false });
    await expectQuotaHonest(app(), 2026);
  });

  it('releases a hold by hand: the plot is available again, and a second release is a 409', async () => {
    const [plot] = await freshPlots(app(), 1);
    const h = await hold(plot!.id);
    const released = await post(`/api/plots/${plot!.id}/holds/release`);
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toMatchObject({ plotId: plot!.id, plotStatus: 'available', hold: { id: h.body.id, state: 'released', releasedBy: 'land', releaseReason: 'released' } });
    expect(await plotStatus(plot!.id)).toBe('available');
    const twice = await post(`/api/plots/${plot!.id}/holds/release`);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'CONFLICT', reason: 'NO_ACTIVE_HOLD' });
    // Anyone can now be approved.
    const other = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: OTHER });
    expect((await post(`/api/allocations/${other}/approve`)).status).toBe(200);
    const actions = (await app().db.selectFrom('audit_events').select('action').where('entity', '=', 'plot_hold').where('entity_id', '=', String(h.body.id)).orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['hold.create', 'hold.release']);
  });

  it('lets an expired hold release itself in the next approval, and never shows it as in force', async () => {
    const [plot] = await freshPlots(app(), 1);
    const other = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: OTHER });
    const h = await hold(plot!.id);
    expect((await post(`/api/allocations/${other}/approve`)).status).toBe(409);
    await expire(plot!.id);
    // Reads compute the state from the date, before anything is written.
    const listed = await call(app(), land, 'GET', `/api/holds?plotId=${plot!.id}`);
    expect(listed.body.items[0]).toMatchObject({ id: h.body.id, state: 'expired', active: false, releaseReason: null });
    expect((await call(app(), land, 'GET', `/api/holds?state=active&plotId=${plot!.id}`)).body.total).toBe(0);
    expect((await call(app(), land, 'GET', `/api/holds?state=expired&plotId=${plot!.id}`)).body.total).toBe(1);
    // The approval releases it (as the system, audited) and goes through.
    const approved = await post(`/api/allocations/${other}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const after = await call(app(), land, 'GET', `/api/plots/${plot!.id}/holds`);
    expect(after.body.items[0]).toMatchObject({ id: h.body.id, state: 'expired', releaseReason: 'expired', releasedBy: null });
    const expiry = await app().db.selectFrom('audit_events').select(['action', 'actor_username']).where('entity', '=', 'plot_hold').where('entity_id', '=', String(h.body.id)).where('action', '=', 'hold.expire').executeTakeFirst();
    expect(expiry).toEqual({ action: 'hold.expire', actor_username: 'system:hold-expiry' });
  });

  it('lets an expired hold release itself when the plot is held again, or by the sweep', async () => {
    const [p1, p2] = await freshPlots(app(), 2);
    await hold(p1!.id);
    await expire(p1!.id);
    const renewed = await hold(p1!.id, inDays(5), OTHER);
    expect(renewed.status, JSON.stringify(renewed.body)).toBe(201);
    expect(renewed.body.applicant.uscc).toBe(uscc(OTHER));
    // The sweep: the plot becomes available without anyone touching it.
    await hold(p2!.id);
    await expire(p2!.id);
    expect(await plotStatus(p2!.id)).toBe('held');
    expect(await sweepExpiredHolds(app().db)).toBeGreaterThanOrEqual(1);
    expect(await plotStatus(p2!.id)).toBe('available');
    expect(await sweepExpiredHolds(app().db)).toBe(0);
    // Releasing an expired hold by hand finds it expired (and says so); then there is nothing left to release.
    await expire(p1!.id);
    const r = await post(`/api/plots/${p1!.id}/holds/release`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ plotStatus: 'available', hold: { id: renewed.body.id, state: 'expired', releaseReason: 'expired' } });
    expect(await plotStatus(p1!.id)).toBe('available');
    const none = await post(`/api/plots/${p1!.id}/holds/release`);
    expect(none.status).toBe(409);
    expect(none.body.message).toMatch(/the last hold expired after 2020-01-01/);
  });

  it('refuses holds that make no sense, with 400/404/409 and a message', async () => {
    const [plot] = await freshPlots(app(), 1);
    const past = await hold(plot!.id, inDays(-1));
    expect(past.status).toBe(400);
    expect(past.body.message).toMatch(/in the past/);
    expect((await hold(plot!.id, '2026-13-01')).status).toBe(400);
    const badUscc = await post(`/api/plots/${plot!.id}/holds`, { applicant: { name: 'x', uscc: uscc(1).slice(0, 17) + 'Z' }, until: inDays(3) });
    expect(badUscc.status).toBe(400);
    expect(badUscc.body.message).toMatch(/not allowed in a unified social credit code/);
    expect((await post(`/api/plots/${plot!.id}/holds`, { applicant: { name: 'x' }, until: inDays(3) })).status).toBe(400);
    expect((await hold(99999999)).status).toBe(404);
    // An allocated plot cannot be held.
    const id = await proposeAtFloor(app(), land, plot!.id, 2026);
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const taken = await hold(plot!.id);
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/already allocated/);
    // Today is the last valid day.
    const [p2] = await freshPlots(app(), 1);
    expect((await hold(p2!.id, bureauToday())).status).toBe(201);
    // A sample plot marked held without a hold record can be released, then held.
    const [legacy] = await freshPlots(app(), 1);
    await app().db.updateTable('plots').set({ status: 'held' }).where('id', '=', legacy!.id).execute();
    const floor = await floorOf(app(), land, legacy!.id, true);
    expect((await post('/api/allocations', proposal(legacy!.id, 2026, floor))).status).toBe(409);
    const freed = await post(`/api/plots/${legacy!.id}/holds/release`);
    expect(freed.status).toBe(200);
    expect(freed.body).toMatchObject({ plotStatus: 'available', hold: null });
  });

  it('keeps holds to the bureau and the plot’s district', async () => {
    const [hp] = await freshPlots(app(), 1, { districtCode: '440112' });
    await hold(hp!.id);
    const huangpu = await login(app(), 'district-huangpu');
    const tianhe = await login(app(), 'district-tianhe');
    const investor = await login(app(), 'investor');
    expect((await call(app(), huangpu, 'GET', `/api/plots/${hp!.id}/holds`)).status).toBe(200);
    expect((await call(app(), tianhe, 'GET', `/api/plots/${hp!.id}/holds`)).status).toBe(403);
    const list = await call(app(), tianhe, 'GET', '/api/holds?limit=1000');
    expect(list.body.items.every((h: { districtCode: string }) => h.districtCode === '440106')).toBe(true);
    expect((await call(app(), investor, 'GET', '/api/holds')).status).toBe(403);
    expect((await call(app(), null, 'GET', '/api/holds')).status).toBe(401);
    for (const s of [huangpu, investor]) expect((await post(`/api/plots/${hp!.id}/holds/release`, undefined, s)).status).toBe(403);
    expect((await post(`/api/plots/${hp!.id}/holds/release`, undefined, null)).status).toBe(401);
  });
}, ONE_OFFICER);
