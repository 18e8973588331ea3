/**
 * Expressions of interest over HTTP: anyone registers interest with a
 * valid company, 统一社会信用代码 and a way to reach them; bad input is refused field by field;
 * the honeypot, the body limit and the per-address hourly limit (429 + Retry-After, also under a
 * burst) keep abuse out; an investor signs up, sees their own interests and nobody else's; the
 * bureau answers from its queue and turns an interest into a hold or a proposed allocation in
 * one transaction, carrying the company across; a district officer reads their district only.
 */
import { beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { APP_ORIGIN, call, login, type Session } from './login.ts';
import { floorOf, freshPlots, uscc } from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';

const LIMIT = 3;
let nextAddress = 1;
/** A fresh client address (TEST-NET-3), so each test has its own hourly allowance. */
const address = () => `203.0.113.${nextAddress++}`;

function interest(plotId: number, n = 7001, extra: Record<string, unknown> = {}) {
  return {
    plotId,
    company: `广州意向科技有限公司 ${n}`,
    uscc: uscc(n),
    contactName: '王经理',
    contactPhone: '13800138000',
    contactEmail: `contact${n}@example.com`,
    message: '拟建设研发中试基地，计划投资 3 亿元。<script>alert(1)</script>',
    ...extra,
  };
}

async function post(app: FastifyInstance, body: unknown, opts: { ip?: string; session?: Session | null } = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/interests',
    remoteAddress: opts.ip ?? address(),
    headers: opts.session ? { cookie: opts.session.cookie, origin: APP_ORIGIN } : {},
    payload: body as object,
  });
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

async function signup(app: FastifyInstance, email: string, extra: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/signup', remoteAddress: address(), payload: { email, password: 'investor-pass-2026', ...extra } });
  expect(res.statusCode, res.body).toBe(202);
  return login(app, email, 'investor-pass-2026');
}

const inDays = (n: number) => {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

describeOnDatabases(
  'expressions of interest',
  (get) => {
    const app = () => get().app;
    let land: Session;
    let huangpu: Session;

    beforeAll(async () => {
      land = await login(app(), 'land');
      huangpu = await login(app(), 'district-huangpu');
    });

    it('accepts interest from anyone (POST /api/interests → 201), stored as new, audited without contact details', async () => {
      const [plot] = await freshPlots(app(), 1);
      const r = await post(app(), interest(plot!.id));
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body).toMatchObject({ plotId: plot!.id, plotCode: plot!.code, status: 'new', company: '广州意向科技有限公司 7001', uscc: uscc(7001), contactPhone: '13800138000', reply: null });
      // Stored as text, exactly as sent (the client renders text, never HTML).
      expect(r.body.message).toContain('<script>');
      const row = await app().db.selectFrom('interests').selectAll().where('id', '=', r.body.id).executeTakeFirstOrThrow();
      expect(row.investor_user_id).toBeNull();
      expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(row)).not.toContain('203.0.113.');
      const audit = await call(app(), land, 'GET', `/api/audit?entity=interest&entityId=${r.body.id}`);
      expect(audit.body.items[0]).toMatchObject({ action: 'interest.create', actorUsername: null });
      expect(JSON.stringify(audit.body.items[0].after)).not.toContain('13800138000');
    });

    it('refuses bad input field by field, with the reason in both languages', async () => {
      const [plot] = await freshPlots(app(), 1);
      const cases: [Record<string, unknown>, string][] = [
        [{ uscc: uscc(1).slice(0, 17) + (uscc(1).endsWith('0') ? '1' : '0') }, 'uscc'],
        [{ uscc: '91440101MA5CXXXX0I' }, 'uscc'],
        [{ company: '   ' }, 'company'],
        [{ contactName: '' }, 'contactName'],
        [{ contactEmail: 'not-an-email', contactPhone: undefined }, 'contactEmail'],
        [{ contactPhone: '12345', contactEmail: undefined }, 'contactPhone'],
        [{ contactPhone: undefined, contactEmail: undefined }, 'contact'],
        [{ message: 'x'.repeat(2001) }, 'message'],
        [{ company: 'A\u0000B' }, 'company'],
      ];
      for (const [patch, field] of cases) {
        const body = { ...interest(plot!.id), ...patch };
        for (const k of Object.keys(body)) if ((body as Record<string, unknown>)[k] === undefined) delete (body as Record<string, unknown>)[k];
        const r = await post(app(), body);
        expect(r.status, `${field}: ${JSON.stringify(r.body)}`).toBe(400);
        expect(r.body.code).toBe('VALIDATION_FAILED');
        expect(r.body.problems.map((p: { field: string }) => p.field), JSON.stringify(patch)).toContain(field);
        expect(r.body.message).toMatch(/[\u4e00-\u9fff]/);
      }
      // Unknown fields, a missing plot, a plot that is not available.
      expect((await post(app(), { ...interest(plot!.id), costYuan: 1 })).status).toBe(400);
      expect((await post(app(), interest(99999999))).status).toBe(400);
      const allocated = await app().db.selectFrom('plots').select('id').where('status', '=', 'allocated').executeTakeFirstOrThrow();
      const taken = await post(app(), interest(allocated.id));
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('PLOT_UNAVAILABLE');
      // Mobile with +86 and spaces, and a landline, are accepted in a canonical form.
      expect((await post(app(), { ...interest(plot!.id), contactPhone: '+86 139 0000 1111' })).body.contactPhone).toBe('13900001111');
      expect((await post(app(), { ...interest(plot!.id), contactPhone: '020-88886666' })).body.contactPhone).toBe('020-88886666');
      expect(await app().db.selectFrom('interests').select('id').where('plot_id', '=', plot!.id).execute()).toHaveLength(2);
    });

    it('refuses a filled honeypot and an oversized body, storing nothing', async () => {
      const [plot] = await freshPlots(app(), 1);
      const honey = await post(app(), { ...interest(plot!.id), website: 'http://spam.example' });
      expect(honey.status).toBe(400);
      expect(honey.body.field).toBe('website');
      expect((await post(app(), { ...interest(plot!.id), website: '' })).status).toBe(201);
      const huge = await post(app(), { ...interest(plot!.id), message: '长'.repeat(9000) });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await app().db.selectFrom('interests').select('id').where('plot_id', '=', plot!.id).execute()).toHaveLength(1);
    });

    it(`limits one address to ${LIMIT} interests an hour (429 with Retry-After), others unaffected, also under a burst`, async () => {
      const [plot] = await freshPlots(app(), 1);
      const ip = address();
      for (let i = 0; i < LIMIT; i++) expect((await post(app(), interest(plot!.id, 7100 + i), { ip })).status).toBe(201);
      const refused = await post(app(), interest(plot!.id, 7199), { ip });
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('RATE_LIMITED');
      const retry = Number(refused.headers['retry-after']);
      expect(retry).toBeGreaterThan(3000);
      expect(retry).toBeLessThanOrEqual(3600);
      expect((await post(app(), interest(plot!.id, 7200))).status).toBe(201);

      // A burst from one new address: exactly LIMIT get through.
      const burstIp = address();
      const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => post(app(), interest(plot!.id, 7300 + i), { ip: burstIp })));
      expect(burst.filter((r) => r.status === 201)).toHaveLength(LIMIT);
      expect(burst.filter((r) => r.status === 429)).toHaveLength(8 - LIMIT);
    });

    it('lets an investor sign up, links their interests, and shows them only their own (IDOR: 404 for others)', async () => {
      const [plot] = await freshPlots(app(), 1);
      const alice = await signup(app(), 'alice@example.com', { company: '爱丽丝生物科技有限公司', uscc: uscc(7401) });
      const bob = await signup(app(), 'bob@example.com');
      const me = await call(app(), alice, 'GET', '/api/auth/me');
      expect(me.body.user).toMatchObject({ username: 'alice@example.com', role: 'investor', displayName: '爱丽丝生物科技有限公司' });
      expect((await call(app(), alice, 'GET', '/api/me/profile')).body).toEqual({ username: 'alice@example.com', company: '爱丽丝生物科技有限公司', uscc: uscc(7401) });

      const mine = await post(app(), interest(plot!.id, 7401), { session: alice });
      expect(mine.status, JSON.stringify(mine.body)).toBe(201);
      const anonymous = await post(app(), interest(plot!.id, 7402));
      const list = await call(app(), alice, 'GET', '/api/me/interests');
      expect(list.body.items.map((i: { id: number }) => i.id)).toEqual([mine.body.id]);
      expect(list.body.items[0]).not.toHaveProperty('holdId');
      expect((await call(app(), alice, 'GET', `/api/me/interests/${mine.body.id}`)).status).toBe(200);
      // Bob sees none of it: not in his list, 404 by id, 403 on the bureau's queue.
      expect((await call(app(), bob, 'GET', '/api/me/interests')).body).toEqual({ items: [], total: 0 });
      expect((await call(app(), bob, 'GET', `/api/me/interests/${mine.body.id}`)).status).toBe(404);
      expect((await call(app(), bob, 'GET', `/api/me/interests/${anonymous.body.id}`)).status).toBe(404);
      expect((await call(app(), bob, 'GET', `/api/interests/${mine.body.id}`)).status).toBe(403);
      expect((await call(app(), bob, 'GET', '/api/interests')).status).toBe(403);
      expect((await call(app(), null, 'GET', '/api/me/interests')).status).toBe(401);
      // A cookie-authenticated interest from another site is refused (CSRF).
      const cross = await app().inject({ method: 'POST', url: '/api/interests', headers: { cookie: alice.cookie, origin: 'https://evil.example' }, payload: interest(plot!.id, 7403) });
      expect(cross.statusCode).toBe(403);
    });

    it('refuses a bad sign-up: invalid e-mail, weak password, bad USCC', async () => {
      const bad = async (payload: Record<string, unknown>) =>
        (await app().inject({ method: 'POST', url: '/api/auth/signup', remoteAddress: address(), payload: { email: 'carol@example.com', password: 'carol-pass-2026', ...payload } })).statusCode;
      expect(await bad({ email: 'carol' })).toBe(400);
      expect(await bad({ email: 'carol+x@example.com' })).toBe(400);
      expect(await bad({ password: 'short' })).toBe(400);
      expect(await bad({ password: 'carol@example.com-1' })).toBe(400);
      expect(await bad({ uscc: '123' })).toBe(400);
      expect(await bad({ role: 'admin' })).toBe(400);
      expect(await bad({})).toBe(202);
    });

    it('answers a taken address exactly as a new one, and changes nothing of the existing account', async () => {
      const signupAs = (email: string, password: string, extra: Record<string, unknown> = {}) =>
        app().inject({ method: 'POST', url: '/api/auth/signup', remoteAddress: address(), payload: { email, password, ...extra } });
      const fresh = await signupAs('erin@example.com', 'erin-pass-2026', { company: '艾琳科技有限公司' });
      const taken = await signupAs('erin@example.com', 'mallory-pass-2026', { company: '冒名公司' });
      const takenOtherCase = await signupAs('ERIN@example.com', 'mallory-pass-2026');
      for (const res of [fresh, taken, takenOtherCase]) {
        expect(res.statusCode).toBe(202);
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(taken.body).toBe(fresh.body);
      expect(takenOtherCase.body).toBe(fresh.body);
      expect(fresh.json()).toMatchObject({ accepted: true, messageEn: expect.stringMatching(/^If this e-mail address was not registered yet/) });
      expect(fresh.body).not.toMatch(/erin/i); // nothing about this address
      // The existing account keeps its password and company; the second password opens nothing.
      const erin = await login(app(), 'erin@example.com', 'erin-pass-2026');
      expect((await call(app(), erin, 'GET', '/api/me/profile')).body).toMatchObject({ company: '艾琳科技有限公司' });
      const mallory = await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: address(), payload: { username: 'erin@example.com', password: 'mallory-pass-2026' } });
      expect(mallory.statusCode).toBe(401);
      const users = await app().db.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', 'erin@example.com').execute();
      expect(users).toHaveLength(1);
      // The refusal is in the audit trail (for the bureau, not the caller).
      const events = await app().db.selectFrom('audit_events').select(['action', 'entity_id']).where('action', '=', 'auth.signup_refused').execute();
      expect(events).toEqual(expect.arrayContaining([{ action: 'auth.signup_refused', entity_id: String(users[0]!.id) }]));
    });

    it('gives the bureau a queue per plot and overall, with counts; a reply reaches the investor', async () => {
      const [plot] = await freshPlots(app(), 1);
      const dave = await signup(app(), 'dave@example.com');
      const a = await post(app(), interest(plot!.id, 7501), { session: dave });
      const b = await post(app(), interest(plot!.id, 7502));
      const queue = await call(app(), land, 'GET', `/api/interests?plotId=${plot!.id}`);
      expect(queue.status).toBe(200);
      expect(queue.body.items.map((i: { id: number }) => i.id)).toEqual([b.body.id, a.body.id]);
      expect(queue.body.counts).toEqual({ new: 2, replied: 0, converted: 0, closed: 0 });
      expect(queue.body.items[1]).toMatchObject({ investorUsername: 'dave@example.com', contactEmail: 'contact7501@example.com' });
      expect(queue.body.items[0]).not.toHaveProperty('ipHash');
      const overall = await call(app(), land, 'GET', '/api/interests?status=new&limit=1000');
      expect(overall.body.items.map((i: { id: number }) => i.id)).toEqual(expect.arrayContaining([a.body.id, b.body.id]));

      const replied = await call(app(), land, 'PATCH', `/api/interests/${a.body.id}`, { reply: '  欢迎来园区洽谈，请联系招商部 020-12345678。 ' });
      expect(replied.status, JSON.stringify(replied.body)).toBe(200);
      expect(replied.body).toMatchObject({ status: 'replied', reply: '欢迎来园区洽谈，请联系招商部 020-12345678。', repliedBy: 'land' });
      const seen = await call(app(), dave, 'GET', '/api/me/interests');
      expect(seen.body.items[0]).toMatchObject({ id: a.body.id, status: 'replied', reply: '欢迎来园区洽谈，请联系招商部 020-12345678。' });
      expect(seen.body.items[0]).not.toHaveProperty('repliedBy');

      const closed = await call(app(), land, 'PATCH', `/api/interests/${b.body.id}`, { status: 'closed' });
      expect(closed.body.status).toBe('closed');
      expect((await call(app(), land, 'PATCH', `/api/interests/${b.body.id}`, { status: 'converted' })).status).toBe(400);
      expect((await call(app(), land, 'PATCH', `/api/interests/${b.body.id}`, {})).status).toBe(400);
      expect((await call(app(), land, 'PATCH', `/api/interests/${b.body.id}`, { reply: 'x'.repeat(2001) })).status).toBe(400);
      expect((await call(app(), land, 'PATCH', '/api/interests/99999999', { status: 'closed' })).status).toBe(404);
      const events = await call(app(), land, 'GET', `/api/audit?entity=interest&entityId=${a.body.id}`);
      expect(events.body.items.map((e: { action: string }) => e.action)).toEqual(['interest.update', 'interest.create']);
    });

    it('lets a district officer read interests on plots of their own district only, and change nothing', async () => {
      const [mine] = await freshPlots(app(), 1, { districtCode: '440112' });
      const [other] = await freshPlots(app(), 1, { districtCode: '440105' });
      const inHuangpu = await post(app(), interest(mine!.id, 7601));
      const elsewhere = await post(app(), interest(other!.id, 7602));
      const queue = await call(app(), huangpu, 'GET', '/api/interests?limit=1000');
      expect(queue.status).toBe(200);
      const ids = queue.body.items.map((i: { id: number }) => i.id);
      expect(ids).toContain(inHuangpu.body.id);
      expect(ids).not.toContain(elsewhere.body.id);
      expect(queue.body.items.every((i: { districtCode: string }) => i.districtCode === '440112')).toBe(true);
      expect((await call(app(), huangpu, 'GET', `/api/interests/${elsewhere.body.id}`)).status).toBe(403);
      expect((await call(app(), huangpu, 'GET', `/api/interests/${inHuangpu.body.id}`)).status).toBe(200);
      expect((await call(app(), huangpu, 'PATCH', `/api/interests/${inHuangpu.body.id}`, { status: 'closed' })).status).toBe(403);
      expect((await call(app(), huangpu, 'POST', `/api/interests/${inHuangpu.body.id}/hold`, { until: inDays(10) })).status).toBe(403);
      const industry = await login(app(), 'industry');
      expect((await call(app(), industry, 'GET', '/api/interests')).status).toBe(403);
    });

    it('turns an interest into a hold for the company in one step (plot held, interest converted, both audited)', async () => {
      const [plot] = await freshPlots(app(), 1);
      const i = await post(app(), interest(plot!.id, 7701));
      const r = await call(app(), land, 'POST', `/api/interests/${i.body.id}/hold`, { until: inDays(30) });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      expect(r.body.hold).toMatchObject({ plotId: plot!.id, applicant: { name: '广州意向科技有限公司 7701', uscc: uscc(7701) }, until: inDays(30), state: 'active' });
      expect(r.body.interest).toMatchObject({ id: i.body.id, status: 'converted', holdId: r.body.hold.id, allocationId: null, plotStatus: 'held' });
      expect((await call(app(), null, 'GET', `/api/plots/${plot!.id}`)).body.properties.status).toBe('held');
      const events = await call(app(), land, 'GET', `/api/audit?entity=interest&entityId=${i.body.id}`);
      expect(events.body.items[0].action).toBe('interest.convert_hold');
      expect((await call(app(), land, 'POST', `/api/interests/${i.body.id}/hold`, { until: inDays(30) })).status).toBe(409);
      // A converted interest keeps its status.
      expect((await call(app(), land, 'PATCH', `/api/interests/${i.body.id}`, { status: 'closed' })).status).toBe(409);
      // Another company's interest in the held plot cannot become a hold: nothing changes.
      const j = await app().db.insertInto('interests').values({ plot_id: plot!.id, company: '其他公司', uscc: uscc(7702), contact_name: '李', contact_phone: '13900000000', ip_hash: 'a'.repeat(64) }).returning('id').executeTakeFirstOrThrow();
      const refused = await call(app(), land, 'POST', `/api/interests/${j.id}/hold`, { until: inDays(30) });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('PLOT_UNAVAILABLE');
      expect((await app().db.selectFrom('interests').select('status').where('id', '=', j.id).executeTakeFirstOrThrow()).status).toBe('new');
    });

    it('turns an interest into a proposed allocation in one transaction, or changes nothing when the price is below the floor or the cost is not recorded', async () => {
      const [plot] = await freshPlots(app(), 1);
      const i = await post(app(), interest(plot!.id, 7801));
      const floor = await floorOf(app(), land, plot!.id, true);
      const body = (priceYuan: number) => ({
        quotaYear: 2026,
        mode: 'transfer',
        termYears: 50,
        priceYuan,
        project: { name: '意向研发基地项目', sector: 'biomed', iab: true },
      });
      // A plot whose cost is not recorded cannot be proposed for (五(三)14): 422, nothing changes.
      const cost = (await app().db.selectFrom('plots').select('cost_yuan').where('id', '=', plot!.id).executeTakeFirstOrThrow()).cost_yuan;
      await app().db.updateTable('plots').set({ cost_yuan: null }).where('id', '=', plot!.id).execute();
      const noCost = await call(app(), land, 'POST', `/api/interests/${i.body.id}/propose`, body(floor));
      expect(noCost.status, JSON.stringify(noCost.body)).toBe(422);
      expect(noCost.body.code).toBe('COST_NOT_RECORDED');
      expect((await call(app(), land, 'GET', `/api/interests/${i.body.id}`)).body).toMatchObject({ status: 'new', allocationId: null });
      expect((await call(app(), land, 'GET', `/api/allocations?plotId=${plot!.id}`)).body.total).toBe(0);
      await app().db.updateTable('plots').set({ cost_yuan: cost }).where('id', '=', plot!.id).execute();

      const low = await call(app(), land, 'POST', `/api/interests/${i.body.id}/propose`, body(Math.floor(floor * 0.5)));
      expect(low.status, JSON.stringify(low.body)).toBe(422);
      expect(low.body.code).toBe('BELOW_PRICE_FLOOR');
      expect((await call(app(), land, 'GET', `/api/interests/${i.body.id}`)).body).toMatchObject({ status: 'new', allocationId: null });
      expect((await call(app(), land, 'GET', `/api/allocations?plotId=${plot!.id}`)).body.total).toBe(0);

      const ok = await call(app(), land, 'POST', `/api/interests/${i.body.id}/propose`, body(floor));
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
      expect(ok.body.allocation).toMatchObject({ plotId: plot!.id, status: 'proposed' });
      expect(JSON.stringify(ok.body.allocation)).toContain(uscc(7801));
      expect(ok.body.interest).toMatchObject({ status: 'converted', allocationId: ok.body.allocation.id });
      const enterprise = await app().db.selectFrom('enterprises').select(['name']).where('uscc', '=', uscc(7801)).executeTakeFirstOrThrow();
      expect(enterprise.name).toBe('广州意向科技有限公司 7801');
      expect((await call(app(), land, 'POST', `/api/interests/${i.body.id}/propose`, body(floor))).status).toBe(409);
      const events = await call(app(), land, 'GET', '/api/audit?limit=3');
      expect(events.body.items.map((e: { action: string }) => e.action).slice(0, 2)).toEqual(['interest.convert_proposal', 'allocation.propose']);
    });
  },
  { INTEREST_LIMIT_PER_HOUR: String(LIMIT) },
);
