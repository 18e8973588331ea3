/**
 * Decisions on allocations, on PGlite and PostgreSQL:
 *
 * - competing proposals: approving one closes the plot's other open proposals in the same
 *   transaction (cancelled, reason superseded, supersededBy the winner, one audit event each);
 *   approving a superseded one → 409 SUPERSEDED naming the winner;
 * - the IAB tilt is a decision: PUT /api/quotas/:year without iabReserveM2 → 400 naming it, 0 is
 *   accepted; the report gives the IAB share of approved land against the reserve;
 * - the green channel (五(三)12): recorded at proposal for a core park or a key IAB project, on
 *   every allocation answer, filterable, sorted first on request; open proposals say how long
 *   they have waited;
 * - four eyes (APPROVAL_FOUR_EYES): on by default with PostgreSQL, off with the embedded
 *   database, explicit true/false overrides; when on, the proposer's approval → 409 FOUR_EYES.
 *
 * The main suite runs with the defaults, so a land officer proposes and the administrator
 * approves (two officers, as four eyes require in production).
 */
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { expectQuotaHonest, floorOf, proposal, putQuota, setPlotArea } from './allocation-helpers.ts';
import { ConfigError, loadConfig } from '../../server/kernel/config.ts';
import type { ParkTier } from '../../shared/domain.ts';

const BIG_QUOTA_M2 = 50_000_000;

interface Pick {
  id: number;
  code: string;
  tier: ParkTier;
}

/** Available plots with a recorded cost, in parks of the given tier (or not of it), none taken twice. */
function plotPicker(app: () => FastifyInstance) {
  const used = new Set<number>();
  return async (n: number, tier: { is?: ParkTier; not?: ParkTier } = {}): Promise<Pick[]> => {
    let q = app()
      .db.selectFrom('plots as pl')
      .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['pl.id', 'pl.code', 'pk.tier'])
      .where('pl.status', '=', 'available')
      .where('pl.cost_yuan', 'is not', null)
      .orderBy('pl.id');
    if (tier.is) q = q.where('pk.tier', '=', tier.is);
    if (tier.not) q = q.where('pk.tier', '<>', tier.not);
    const rows = (await q.execute()).filter((r) => !used.has(r.id)).slice(0, n);
    expect(rows.length, `need ${n} available plots (${JSON.stringify(tier)})`).toBe(n);
    for (const r of rows) used.add(r.id);
    return rows;
  };
}

describeOnDatabases('allocation decisions (defaults: two officers)', (get) => {
  let land: Session;
  let admin: Session;
  const app = () => get().app;
  const plots = plotPicker(app);
  const propose = async (plotId: number, year: number, o: Parameters<typeof proposal>[3] = {}, s: Session = land) => {
    const floor = await floorOf(app(), s, plotId, o.iab ?? true);
    const r = await call(app(), s, 'POST', '/api/allocations', proposal(plotId, year, floor, o));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body;
  };
  const approve = (id: number, s: Session = admin) => call(app(), s, 'POST', `/api/allocations/${id}/approve`);
  const getOne = async (id: number) => (await call(app(), land, 'GET', `/api/allocations/${id}`)).body;

  it('signs in two officers and sets the year', async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
    await putQuota(app(), land, 2031, BIG_QUOTA_M2, 0);
  });

  // --- 12.6 Competing proposals ------------------------------------------------------------------

  it('allows a second proposal on a plot with one open, and lists both as open for the form to warn', async () => {
    const [plot] = await plots(1);
    const a = await propose(plot!.id, 2031, { usccN: 61_001 });
    const b = await propose(plot!.id, 2031, { usccN: 61_002 });
    const open = await call(app(), land, 'GET', `/api/allocations?plotId=${plot!.id}&status=proposed`);
    expect(open.status).toBe(200);
    expect(open.body.total).toBe(2);
    expect(open.body.items.map((i: { id: number }) => i.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('approving one proposal closes the others as superseded, with a link and an audit event each', async () => {
    const [plot] = await plots(1);
    const a = await propose(plot!.id, 2031, { usccN: 61_011 });
    const b = await propose(plot!.id, 2031, { usccN: 61_012 });
    const c = await propose(plot!.id, 2031, { usccN: 61_013 });
    // One already cancelled by hand stays as it was.
    expect((await call(app(), land, 'POST', `/api/allocations/${c.id}/cancel`, { reason: '企业撤回' })).status).toBe(200);

    const won = await approve(b.id);
    expect(won.status, JSON.stringify(won.body)).toBe(200);
    expect(won.body).toMatchObject({ status: 'approved', supersededBy: null });

    const lost = await getOne(a.id);
    expect(lost).toMatchObject({ status: 'cancelled', cancelReason: 'superseded', supersededBy: b.id, cancelledBy: 'admin' });
    expect(lost.cancelledAt).not.toBeNull();
    expect(await getOne(c.id)).toMatchObject({ status: 'cancelled', cancelReason: '企业撤回', supersededBy: null });
    // Nothing left open on the plot: the pending list no longer offers it.
    const open = await call(app(), land, 'GET', `/api/allocations?plotId=${plot!.id}&status=proposed`);
    expect(open.body.total).toBe(0);

    const events = await app()
      .db.selectFrom('audit_events')
      .select(['action', 'entity_id', 'after', 'actor_username'])
      .where('entity', '=', 'allocation')
      .where('entity_id', 'in', [String(a.id), String(c.id)])
      .where('action', '=', 'allocation.supersede')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ entity_id: String(a.id), actor_username: 'admin' });
    expect(events[0]!.after).toMatchObject({ status: 'cancelled', cancelReason: 'superseded', supersededBy: b.id });
  });

  it('refuses to approve a superseded proposal: 409 SUPERSEDED naming the winner, nothing changes', async () => {
    const [plot] = await plots(1);
    const a = await propose(plot!.id, 2031, { usccN: 61_021 });
    const b = await propose(plot!.id, 2031, { usccN: 61_022 });
    expect((await approve(a.id)).status).toBe(200);
    const before = await expectQuotaHonest(app(), 2031);

    const again = await approve(b.id);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'SUPERSEDED', supersededBy: a.id });
    expect(again.body.message).toContain(`#${a.id}`);
    expect(again.body.messageZh).toBe(`申请 #${b.id} 已被 #${a.id} 取代（同一地块已批准给 #${a.id}），不能再批准`);
    expect(again.body.messageEn).toContain(`superseded by allocation #${a.id}`);
    const after = await expectQuotaHonest(app(), 2031);
    expect(after.quota.approved_m2).toBe(before.quota.approved_m2);
    expect(await getOne(b.id)).toMatchObject({ status: 'cancelled', supersededBy: a.id });

    // Cancelling the winner gives the plot back; the superseded proposal stays closed.
    expect((await call(app(), land, 'POST', `/api/allocations/${a.id}/cancel`, {})).status).toBe(200);
    expect(await getOne(b.id)).toMatchObject({ status: 'cancelled', supersededBy: a.id });
    expect((await approve(b.id)).body.code).toBe('SUPERSEDED');
  });

  it('rolls the supersession back with a refused approval (one transaction)', async () => {
    const [plot] = await plots(1);
    await putQuota(app(), land, 2032, 3_333_333.34, 3_333_333.34); // all reserved for IAB
    const nonIab = await propose(plot!.id, 2032, { iab: false, usccN: 61_031 });
    const other = await propose(plot!.id, 2032, { usccN: 61_032 });
    const refused = await approve(nonIab.id);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('QUOTA_EXCEEDED');
    expect(await getOne(other.id)).toMatchObject({ status: 'proposed', supersededBy: null });
    expect(await getOne(nonIab.id)).toMatchObject({ status: 'proposed' });
  });

  it('keeps the link honest in the database: only a cancelled, superseded row may carry it', async () => {
    const [plot] = await plots(1);
    const a = await propose(plot!.id, 2031, { usccN: 61_041 });
    const b = await propose(plot!.id, 2031, { usccN: 61_042 });
    await expect(app().db.updateTable('allocations').set({ superseded_by: b.id }).where('id', '=', a.id).execute()).rejects.toThrow(/allocations_superseded_is_cancelled/);
    await expect(
      app().db.updateTable('allocations').set({ status: 'cancelled', cancelled_at: sql<Date>`now()`, cancel_reason: 'other', superseded_by: b.id }).where('id', '=', a.id).execute(),
    ).rejects.toThrow(/allocations_superseded_is_cancelled/);
  });

  // --- 12.9 The IAB tilt is a decision -------------------------------------------------------------

  it('requires iabReserveM2 when setting a quota (0 allowed): missing → 400 naming the field', async () => {
    const missing = await call(app(), land, 'PUT', '/api/quotas/2033', { quotaM2: BIG_QUOTA_M2 });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('VALIDATION_FAILED');
    expect(missing.body.message).toContain('iabReserveM2');
    expect((await call(app(), null, 'GET', '/api/quotas/2033')).status).toBe(404);
    const zero = await call(app(), land, 'PUT', '/api/quotas/2033', { quotaM2: BIG_QUOTA_M2, iabReserveM2: 0 });
    expect(zero.status).toBe(200);
    expect(zero.body.iabReserveM2).toBe(0);
  });

  it('reports the IAB share of approved land against the reserve', async () => {
    const year = 2034;
    await putQuota(app(), land, year, 4_000_000, 1_000_000);
    const empty = (await call(app(), land, 'GET', `/api/quotas/${year}/report`)).body;
    expect(empty.iabTilt).toEqual({
      iabReserveM2: 1_000_000, reserveShareBp: 2500, iabApprovedM2: 0, iabShareBp: 0, iabOfQuotaBp: 0,
      reserveUsedM2: 0, reserveUsedBp: 0, unusedReserveM2: 1_000_000,
    });
    const [p1, p2] = await plots(2);
    await setPlotArea(app(), p1!.id, 30_000);
    await setPlotArea(app(), p2!.id, 10_000);
    const iab = await propose(p1!.id, year, { usccN: 61_051 });
    const other = await propose(p2!.id, year, { iab: false, usccN: 61_052 });
    expect((await approve(iab.id)).status).toBe(200);
    expect((await approve(other.id)).status).toBe(200);
    const r = (await call(app(), land, 'GET', `/api/quotas/${year}/report`)).body;
    // 30,000 of 40,000 approved is IAB (75 %); the reserve is 25 % of the quota, 3 % of it used.
    expect(r.iabTilt).toEqual({
      iabReserveM2: 1_000_000, reserveShareBp: 2500, iabApprovedM2: 30_000, iabShareBp: 7500, iabOfQuotaBp: 75,
      reserveUsedM2: 30_000, reserveUsedBp: 300, unusedReserveM2: 970_000,
    });
    expect(r.iabShareBp).toBe(7500);
    // A year without a reserve says so: nothing reserved, nothing to measure against.
    const none = (await call(app(), land, 'GET', '/api/quotas/2033/report')).body;
    expect(none.iabTilt).toMatchObject({ iabReserveM2: 0, reserveShareBp: 0, reserveUsedBp: null });
  });

  // --- 12.10 Green channel ---------------------------------------------------------------------------

  it('records the green channel at proposal: core park or key IAB project, on every answer', async () => {
    const [core] = await plots(1, { is: 'core' });
    const [outside1, outside2] = await plots(2, { not: 'core' });
    const inCore = await propose(core!.id, 2031, { usccN: 61_061 });
    const key = await propose(outside1!.id, 2031, { usccN: 61_062, keyProject: true });
    const plain = await propose(outside2!.id, 2031, { usccN: 61_063 });
    expect([inCore.greenChannel, key.greenChannel, plain.greenChannel]).toEqual([true, true, false]);
    expect((await getOne(inCore.id)).greenChannel).toBe(true);
    expect((await getOne(plain.id)).greenChannel).toBe(false);
    const stored = await app().db.selectFrom('allocations').select(['id', 'green_channel']).where('id', 'in', [inCore.id, key.id, plain.id]).orderBy('id').execute();
    expect(stored.map((r) => r.green_channel)).toEqual([true, true, false]);
    const approved = await approve(key.id);
    expect(approved.body.greenChannel).toBe(true);
    expect(approved.body.waitingDays).toBeNull();
  });

  it('filters on the green channel, sorts it first on request, and says how long a proposal has waited', async () => {
    const [core] = await plots(1, { is: 'core' });
    const [o1, o2] = await plots(2, { not: 'core' });
    const year = 2035;
    await putQuota(app(), land, year, BIG_QUOTA_M2, 0);
    const green = await propose(core!.id, year, { usccN: 61_071 });
    const plainOld = await propose(o1!.id, year, { usccN: 61_072 });
    const plainNew = await propose(o2!.id, year, { usccN: 61_073 });
    // Proposed three days ago (bureau calendar): it has waited three days.
    await app().db.updateTable('allocations').set({ created_at: sql<Date>`now() - interval '3 days'` }).where('id', '=', plainOld.id).execute();

    const only = await call(app(), land, 'GET', `/api/allocations?quotaYear=${year}&greenChannel=true`);
    expect(only.body.items.map((i: { id: number }) => i.id)).toEqual([green.id]);
    const not = await call(app(), land, 'GET', `/api/allocations?quotaYear=${year}&greenChannel=false`);
    expect(not.body.items.map((i: { id: number }) => i.id)).toEqual([plainNew.id, plainOld.id]);
    const newest = await call(app(), land, 'GET', `/api/allocations?quotaYear=${year}&status=proposed`);
    expect(newest.body.items.map((i: { id: number }) => i.id)).toEqual([plainNew.id, plainOld.id, green.id]);
    const sorted = await call(app(), land, 'GET', `/api/allocations?quotaYear=${year}&status=proposed&sort=green_first`);
    expect(sorted.body.items.map((i: { id: number }) => i.id)).toEqual([green.id, plainNew.id, plainOld.id]);
    const waited = Object.fromEntries(sorted.body.items.map((i: { id: number; waitingDays: number }) => [i.id, i.waitingDays]));
    expect(waited[plainOld.id]).toBe(3);
    expect(waited[plainNew.id]).toBe(0);
    expect((await call(app(), land, 'GET', '/api/allocations?greenChannel=maybe')).status).toBe(400);
    expect((await call(app(), land, 'GET', '/api/allocations?sort=oldest')).status).toBe(400);
  });

  // --- 13.6 Four eyes: the defaults ------------------------------------------------------------------

  it('four eyes by default: on with PostgreSQL, off with the embedded database', async () => {
    const on = get().kind === 'postgres';
    expect(app().config.approvalFourEyes).toBe(on);
    expect((await call(app(), null, 'GET', '/api/meta')).body.approvalFourEyes).toBe(on);
    const [plot] = await plots(1);
    const mine = await propose(plot!.id, 2031, { usccN: 61_081 });
    const r = await approve(mine.id, land);
    if (on) {
      expect(r.status).toBe(409);
      expect(r.body.code).toBe('FOUR_EYES');
    } else {
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.approvedBy).toBe('land');
    }
  });
});

describeOnDatabases('four eyes on (APPROVAL_FOUR_EYES=true)', (get) => {
  const app = () => get().app;
  const plots = plotPicker(app);

  it('refuses the proposer’s own approval with 409 FOUR_EYES in both languages; another officer approves', async () => {
    const land = await login(app(), 'land');
    const admin = await login(app(), 'admin');
    expect((await call(app(), null, 'GET', '/api/meta')).body.approvalFourEyes).toBe(true);
    await putQuota(app(), land, 2031, BIG_QUOTA_M2, 0);
    const [plot] = await plots(1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const proposed = await call(app(), land, 'POST', '/api/allocations', proposal(plot!.id, 2031, floor, { usccN: 62_001 }));
    expect(proposed.status).toBe(201);
    const id = proposed.body.id as number;

    const own = await call(app(), land, 'POST', `/api/allocations/${id}/approve`);
    expect(own.status).toBe(409);
    expect(own.body).toMatchObject({
      statusCode: 409,
      code: 'FOUR_EYES',
      messageZh: `四眼原则：申请 #${id} 由您提出，须由另一名土地管理人员批准`,
      messageEn: `Four eyes: you proposed allocation ${id}, so another land officer must approve it`,
    });
    // Refused before anything was written.
    expect((await call(app(), land, 'GET', `/api/allocations/${id}`)).body.status).toBe('proposed');
    expect((await call(app(), null, 'GET', `/api/plots/${plot!.id}`)).body.properties.status).toBe('available');
    expect(await app().db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', id).execute()).toEqual([]);

    const other = await call(app(), admin, 'POST', `/api/allocations/${id}/approve`);
    expect(other.status, JSON.stringify(other.body)).toBe(200);
    expect(other.body).toMatchObject({ status: 'approved', approvedBy: 'admin', createdBy: 'land' });
  });
}, { APPROVAL_FOUR_EYES: 'true' });

describeOnDatabases('four eyes off (APPROVAL_FOUR_EYES=false)', (get) => {
  const app = () => get().app;
  const plots = plotPicker(app);

  it('lets one officer propose and approve', async () => {
    const land = await login(app(), 'land');
    expect((await call(app(), null, 'GET', '/api/meta')).body.approvalFourEyes).toBe(false);
    await putQuota(app(), land, 2031, BIG_QUOTA_M2, 0);
    const [plot] = await plots(1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const proposed = await call(app(), land, 'POST', '/api/allocations', proposal(plot!.id, 2031, floor, { usccN: 63_001 }));
    const own = await call(app(), land, 'POST', `/api/allocations/${proposed.body.id}/approve`);
    expect(own.status, JSON.stringify(own.body)).toBe(200);
    expect(own.body).toMatchObject({ approvedBy: 'land', createdBy: 'land' });
  });
}, { APPROVAL_FOUR_EYES: 'false' });

describe('APPROVAL_FOUR_EYES in the configuration', () => {
  it('defaults on with DATABASE_URL (production), off with the embedded database; true/false override', () => {
    const pg = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/iab' };
    expect(loadConfig({}).approvalFourEyes).toBe(false);
    expect(loadConfig(pg).approvalFourEyes).toBe(true);
    expect(loadConfig({ ...pg, APPROVAL_FOUR_EYES: 'false' }).approvalFourEyes).toBe(false);
    expect(loadConfig({ APPROVAL_FOUR_EYES: 'true' }).approvalFourEyes).toBe(true);
    expect(loadConfig({ APPROVAL_FOUR_EYES: '' }).approvalFourEyes).toBe(false);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => loadConfig({ APPROVAL_FOUR_EYES: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ APPROVAL_FOUR_EYES: 'sometimes' })).toThrow(/APPROVAL_FOUR_EYES must be true or false, got "sometimes"/);
  });
});
