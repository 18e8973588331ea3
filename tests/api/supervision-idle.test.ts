/**
 * Idle land executed (issue #15 §2, 《闲置土地处置办法》) over HTTP: the stages of
 * GET /api/supervision/idle at 364/365/366 days late (and across a 29 February) via asOf, the
 * fee to the fen, a stalled development (⅓ of the area / 25 % of the investment) via progress
 * reports, a government delay (art. 8: no fee, the dates move), decisions (allowed stages,
 * document number, nothing written on a refusal), 投产/达产 milestones, district scope, the
 * stage-change audit event written once, and bad input. Each test builds its own allocations;
 * the demo's sample allocations are in the list too, so assertions look at these ids only.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { floorOf, freshPlots, proposal, putQuota, setPlotArea } from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';
import { asOwner } from './owner.ts';
import { inTransaction } from '../../server/kernel/db/transaction.ts';
import { removeSampleAllocations } from '../../seeds/sample-allocations.ts';

const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };

const addDays = (iso: string, n: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const daysFromToday = (n: number) => addDays(bureauToday(), n);

interface Built {
  id: number;
  plotId: number;
  priceYuan: number;
  areaM2: number;
  districtCode: string;
}

describeOnDatabases('idle land (supervision)', (get) => {
  let land: Session;
  let huangpu: Session;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = land) => call(app(), s, 'POST', url, body);
  const getJson = (url: string, s: Session | null = land) => call(app(), s, 'GET', url);

  /** An allocation contracted with the agreed start given, signed before it; priced at a round figure + 0.03 yuan. */
  async function contracted(o: { agreedStartOn: string; areaM2?: number; plannedInvestmentYuan?: number; districtCode?: string; notDistrict?: string }): Promise<Built> {
    let plot;
    if (o.notDistrict) {
      const candidates = await app().db
        .selectFrom('plots as pl').innerJoin('parks as pk', 'pk.id', 'pl.park_id')
        .select(['pk.district_code']).where('pl.status', '=', 'available').where('pk.district_code', '<>', o.notDistrict).where('pl.cost_yuan', 'is not', null)
        .orderBy('pl.id', 'desc').executeTakeFirstOrThrow();
      [plot] = await freshPlots(app(), 1, { districtCode: candidates.district_code });
    } else {
      [plot] = await freshPlots(app(), 1, o.districtCode ? { districtCode: o.districtCode } : {});
    }
    if (o.areaM2 !== undefined) await setPlotArea(app(), plot!.id, o.areaM2);
    const floor = await floorOf(app(), land, plot!.id, true);
    const priceYuan = Math.ceil((floor + 1) / 100) * 100 + 0.03;
    const body = proposal(plot!.id, 2026, priceYuan);
    if (o.plannedInvestmentYuan !== undefined) Object.assign(body.project, { plannedInvestmentYuan: o.plannedInvestmentYuan });
    const created = await post('/api/allocations', body);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as number;
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const start = o.agreedStartOn;
    const signedOn = addDays(start, -60);
    const r = await post(`/api/allocations/${id}/contract`, {
      contractNo: `IDLE-${id}`,
      supervisionNo: `SUP-IDLE-${String(id).padStart(6, '0')}`,
      signedOn,
      agreedHandoverOn: addDays(start, -30),
      agreedStartOn: start,
      agreedCompletionOn: addDays(start, 720),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return { id, plotId: plot!.id, priceYuan, areaM2: o.areaM2 ?? plot!.areaM2, districtCode: created.body.districtCode as string };
  }

  async function idle(query = '', s: Session | null = land) {
    const r = await getJson(`/api/supervision/idle${query}`, s);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as { asOf: string; items: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  }
  const itemOf = async (id: number, asOf?: string) => (await idle(asOf ? `?asOf=${asOf}` : '')).items.find((i) => i.allocationId === id);

  const milestone = (id: number, kind: string, date: string) => post(`/api/allocations/${id}/milestones`, { kind, date });

  const stageEvents = async (id: number) =>
    (await app().db.selectFrom('audit_events').select(['action', 'before', 'after']).where('entity', '=', 'allocation').where('entity_id', '=', String(id)).where('action', '=', 'supervision.stage_changed').orderBy('id').execute())
      .map((e) => ({ before: (e.before as { stage: string | null }).stage, after: (e.after as { stage: string }).stage }));

  it('signs in and sets the quota year the allocations are charged to', async () => {
    land = await login(app(), 'land');
    huangpu = await login(app(), 'district-huangpu');
    await putQuota(app(), land, 2026, 50_000_000, 0);
  });

  it('lets the seed tools remove sample allocations that have supervision records (they cascade; run before this file allocates sample plots)', async () => {
    await idle(); // records today's stages of the sample allocations
    const staged = await app().db
      .selectFrom('supervision_stages as s').innerJoin('allocations as a', 'a.id', 's.allocation_id').innerJoin('plots as p', 'p.id', 'a.plot_id')
      .select(['p.park_id', 'a.id']).where('a.sample', '=', true).executeTakeFirst();
    expect(staged, 'the demo has a late sample allocation').toBeDefined();
    await app().db.insertInto('government_delays').values({ allocation_id: staged!.id, cause: 'other', days: 5, evidence: 'sample', sample: true }).execute();
    await asOwner({ app: app(), kind: app().dbKind }, (db) => inTransaction(db, (trx) => removeSampleAllocations(trx, { parkId: staged!.park_id })));
    expect(await app().db.selectFrom('supervision_stages').select('allocation_id').where('allocation_id', '=', staged!.id).execute()).toEqual([]);
    expect(await app().db.selectFrom('government_delays').select('id').where('allocation_id', '=', staged!.id).execute()).toEqual([]);
  });
  it('counts a full year as 民法典 art. 201 does: 364 and 365 days late are overdue, 366 idle (ordinary year); 366 overdue and 367 idle across 29 February; two full years → reclaim', async () => {
    const ordinary = await contracted({ agreedStartOn: '2022-03-01' });
    const leap = await contracted({ agreedStartOn: '2023-03-01' });
    const at = async (id: number, asOf: string) => {
      const i = await itemOf(id, asOf);
      expect(i, `allocation ${id} on ${asOf}`).toBeDefined();
      return i!;
    };
    expect(await at(ordinary.id, '2023-02-28')).toMatchObject({ stage: 'overdue', daysLate: 364, feeYuan: null, kind: 'not_started', idleFrom: '2023-03-02', reclaimFrom: '2024-03-02' });
    expect(await at(ordinary.id, '2023-03-01')).toMatchObject({ stage: 'overdue', daysLate: 365, feeYuan: null });
    const idleDay = await at(ordinary.id, '2023-03-02');
    expect(idleDay).toMatchObject({ stage: 'idle_fee', daysLate: 366, kind: 'not_started', agreedStartOn: '2022-03-01', adjustedStartOn: '2022-03-01', governmentDelayDays: 0, decisions: [], openInspectionId: null, sample: false });
    expect(idleDay.basis.zh).toMatch(/第二条、第十四条/);
    expect(idleDay.basis.en).toMatch(/arts\. 2 and 14/);
    expect(await at(leap.id, '2024-03-01')).toMatchObject({ stage: 'overdue', daysLate: 366, feeYuan: null });
    expect(await at(leap.id, '2024-03-02')).toMatchObject({ stage: 'idle_fee', daysLate: 367 });
    expect(await at(ordinary.id, '2024-03-01')).toMatchObject({ stage: 'idle_fee' });
    const reclaim = await at(ordinary.id, '2024-03-02');
    expect(reclaim).toMatchObject({ stage: 'reclaim', feeYuan: null });
    expect(reclaim.basis.zh).toMatch(/无偿收回/);
    // Before the agreed start has passed it is not listed at all.
    expect(await itemOf(ordinary.id, '2022-03-01')).toBeUndefined();
    // The stage filter.
    const onlyReclaim = await idle('?asOf=2024-03-02&stage=reclaim');
    expect(onlyReclaim.items.every((i) => i.stage === 'reclaim')).toBe(true);
    expect(onlyReclaim.items.map((i) => i.allocationId)).toContain(ordinary.id);
    expect(onlyReclaim.items.map((i) => i.allocationId)).not.toContain(leap.id);
  });

  it('charges 20 % of the price to the fen, half up (a price ending in 3 fen → fee ending in 1 fen)', async () => {
    const a = await contracted({ agreedStartOn: '2022-03-01' });
    const i = (await itemOf(a.id, '2023-06-01'))!;
    const priceFen = Math.round(a.priceYuan * 100);
    expect(priceFen % 100).toBe(3);
    // 20 % of …03 fen is …0.6 fen → rounds up to …1 fen.
    expect(Math.round(i.feeYuan * 100)).toBe((priceFen - 3) / 5 + 1);
    expect(i.priceYuan).toBe(a.priceYuan);
    expect(i.basis.zh).toContain(`${((priceFen - 3) / 5 + 1) / 100}`.replace(/^(\d+)\.(\d)$/, '$1.$20'));
  });

  it('finds a stalled development from progress reports: under ⅓ of the area or under 25 % of the investment, stopped a full year', async () => {
    const a = await contracted({ agreedStartOn: '2022-03-01', areaM2: 12_000.01, plannedInvestmentYuan: 1_000_000 });
    expect((await milestone(a.id, 'handed_over', '2022-02-15')).status).toBe(200);
    // Progress before the start: refused (409), nothing written.
    const early = await post(`/api/allocations/${a.id}/progress`, { on: '2022-03-10', developedAreaM2: 10, investedYuan: 10 });
    expect(early.status).toBe(409);
    expect(early.body.reason).toBe('MILESTONE_ORDER');
    expect((await milestone(a.id, 'started', '2022-04-01')).status).toBe(200);
    // ⅓ of 12000.01 m² is 4000.0033…: 4000.00 is short of it; investment 25 % = 250 000.
    const p1 = await post(`/api/allocations/${a.id}/progress`, { on: '2022-06-01', developedAreaM2: 4000, investedYuan: 300_000 });
    expect(p1.status, JSON.stringify(p1.body)).toBe(201);
    expect(p1.body).toMatchObject({ allocationId: a.id, on: '2022-06-01', developedAreaM2: 4000, investedYuan: 300_000, recordedBy: 'land' });
    // Stopped under a year: on track (not listed); a full year: idle, stalled, counted from the last report.
    expect(await itemOf(a.id, '2023-06-01')).toBeUndefined();
    expect(await itemOf(a.id, '2023-06-02')).toMatchObject({ stage: 'idle_fee', kind: 'stalled', daysLate: 366 });
    // Enough area, not enough investment (249 999.99 < 25 %): still short, the clock restarts from this report.
    expect((await post(`/api/allocations/${a.id}/progress`, { on: '2022-09-01', developedAreaM2: 4000.01, investedYuan: 249_999.99 })).status).toBe(201);
    expect(await itemOf(a.id, '2023-06-02')).toBeUndefined();
    expect(await itemOf(a.id, '2023-09-02')).toMatchObject({ stage: 'idle_fee', kind: 'stalled' });
    // Both marks reached: on track however long it then stops.
    expect((await post(`/api/allocations/${a.id}/progress`, { on: '2022-12-01', developedAreaM2: 4000.01, investedYuan: 250_000 })).status).toBe(201);
    expect(await itemOf(a.id, '2025-01-01')).toBeUndefined();
    const list = await getJson(`/api/allocations/${a.id}/progress`);
    expect(list.body.items.map((p: { on: string }) => p.on)).toEqual(['2022-06-01', '2022-09-01', '2022-12-01']);
  });

  it('refuses bad progress with a 400 naming the field, writing nothing', async () => {
    const a = await contracted({ agreedStartOn: daysFromToday(-100), areaM2: 5000 });
    expect((await milestone(a.id, 'handed_over', daysFromToday(-120))).status).toBe(200);
    expect((await milestone(a.id, 'started', daysFromToday(-90))).status).toBe(200);
    const bad = [
      [{ on: daysFromToday(1), developedAreaM2: 1, investedYuan: 1 }, 'on'],
      [{ on: daysFromToday(-91), developedAreaM2: 1, investedYuan: 1 }, 'on'],
      [{ on: '2026-02-30', developedAreaM2: 1, investedYuan: 1 }, 'on'],
      [{ on: daysFromToday(-1), developedAreaM2: 5000.01, investedYuan: 1 }, 'developedAreaM2'],
      [{ on: daysFromToday(-1), developedAreaM2: 1.001, investedYuan: 1 }, 'developedAreaM2'],
      [{ on: daysFromToday(-1), developedAreaM2: -1, investedYuan: 1 }, 'developedAreaM2'],
      [{ on: daysFromToday(-1), developedAreaM2: 1, investedYuan: 1.234 }, 'investedYuan'],
      [{ on: daysFromToday(-1), developedAreaM2: 1, investedYuan: -5 }, 'investedYuan'],
    ] as const;
    for (const [body, field] of bad) {
      const r = await post(`/api/allocations/${a.id}/progress`, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(r.body)).toContain(field);
    }
    expect((await getJson(`/api/allocations/${a.id}/progress`)).body.items).toEqual([]);
    expect((await post('/api/allocations/999999/progress', { on: daysFromToday(-1), developedAreaM2: 1, investedYuan: 1 })).status).toBe(404);
    expect((await post(`/api/allocations/${a.id}/progress`, { on: daysFromToday(-1), developedAreaM2: 1, investedYuan: 1 }, huangpu)).status).toBe(403);
  });

  it('the allocation\'s overdue warning judges the start moved by a government delay, as the stages do', async () => {
    const a = await contracted({ agreedStartOn: daysFromToday(-30) });
    const before = (await getJson(`/api/allocations/${a.id}`)).body;
    expect(before).toMatchObject({ overdue: true, overdueDays: 30 });
    expect(((await getJson(`/api/allocations?overdue=true&limit=1000`)).body.items as { id: number }[]).some((x) => x.id === a.id)).toBe(true);
    expect((await post(`/api/allocations/${a.id}/government-delays`, { cause: 'planning_change', days: 60, evidence: '规划调整函（测试）' })).status).toBe(201);
    expect((await getJson(`/api/allocations/${a.id}`)).body).toMatchObject({ overdue: false, overdueDays: null });
    expect(((await getJson(`/api/allocations?overdue=true&limit=1000`)).body.items as { id: number }[]).some((x) => x.id === a.id)).toBe(false);
    expect(((await getJson(`/api/allocations?overdue=false&limit=1000`)).body.items as { id: number }[]).some((x) => x.id === a.id)).toBe(true);
  });

  it('records a government delay (art. 8): the dates move, the stage is government_delay with no fee, then overdue from the moved start', async () => {
    const a = await contracted({ agreedStartOn: '2024-06-01' });
    expect(await itemOf(a.id, '2025-12-01')).toMatchObject({ stage: 'idle_fee', daysLate: 548 });
    const r = await post(`/api/allocations/${a.id}/government-delays`, { cause: 'late_handover', days: 600, evidence: '穗规划资源函〔2024〕88号：未按约定交地', note: '交地推迟' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ allocationId: a.id, cause: 'late_handover', days: 600, evidence: '穗规划资源函〔2024〕88号：未按约定交地', note: '交地推迟', recordedBy: 'land' });
    const moved = (await itemOf(a.id, '2025-12-01'))!;
    expect(moved).toMatchObject({
      stage: 'government_delay', feeYuan: null, daysLate: 548, agreedStartOn: '2024-06-01', adjustedStartOn: '2026-01-22', governmentDelayDays: 600,
      idleFrom: '2027-01-23', reclaimFrom: '2028-01-23',
    });
    expect(moved.basis.zh).toMatch(/政府原因.*第八条/);
    expect(moved.basis.en).toMatch(/art\. 8/);
    // After the moved start: overdue, counted from it, still no fee.
    expect(await itemOf(a.id, '2026-06-01')).toMatchObject({ stage: 'overdue', daysLate: 130, feeYuan: null, adjustedStartOn: '2026-01-22' });
    expect((await getJson(`/api/allocations/${a.id}/government-delays`)).body.items).toHaveLength(1);
    // Bad input: 400 naming the field, nothing written.
    for (const [body, field] of [
      [{ cause: 'late_handover', days: 0, evidence: 'x' }, 'days'],
      [{ cause: 'late_handover', days: 3651, evidence: 'x' }, 'days'],
      [{ cause: 'weather', days: 10, evidence: 'x' }, 'cause'],
      [{ cause: 'other', days: 10, evidence: '   ' }, 'evidence'],
      [{ cause: 'other', days: 10 }, 'evidence'],
    ] as const) {
      const bad = await post(`/api/allocations/${a.id}/government-delays`, body);
      expect(bad.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(bad.body)).toContain(field);
    }
    expect((await getJson(`/api/allocations/${a.id}/government-delays`)).body.items).toHaveLength(1);
  });

  it('records 投产 and 达产 after completion, in order, in the allocation view', async () => {
    const a = await contracted({ agreedStartOn: daysFromToday(-200) });
    expect((await milestone(a.id, 'production', daysFromToday(-1))).status).toBe(409); // not completed yet
    expect((await milestone(a.id, 'handed_over', daysFromToday(-210))).status).toBe(200);
    expect((await milestone(a.id, 'started', daysFromToday(-190))).status).toBe(200);
    expect((await milestone(a.id, 'completed', daysFromToday(-50))).status).toBe(200);
    const order = await milestone(a.id, 'full_production', daysFromToday(-10));
    expect(order.status).toBe(409);
    expect(order.body.reason).toBe('MILESTONE_ORDER');
    expect((await milestone(a.id, 'production', daysFromToday(-51))).status).toBe(400); // before completion
    expect((await milestone(a.id, 'production', daysFromToday(1))).status).toBe(400); // future
    const produced = await milestone(a.id, 'production', daysFromToday(-40));
    expect(produced.status, JSON.stringify(produced.body)).toBe(200);
    expect((await milestone(a.id, 'production', daysFromToday(-30))).body.reason).toBe('MILESTONE_RECORDED');
    const full = await milestone(a.id, 'full_production', daysFromToday(-5));
    expect(full.status).toBe(200);
    expect(full.body.status).toBe('completed');
    expect(full.body.milestones).toEqual({ handedOverOn: daysFromToday(-210), startedOn: daysFromToday(-190), completedOn: daysFromToday(-50), productionOn: daysFromToday(-40), fullProductionOn: daysFromToday(-5) });
    // The existing milestones keep refusing a completed allocation.
    expect((await milestone(a.id, 'started', daysFromToday(-5))).body.reason).toBe('INVALID_STATUS');
  });

  it('writes a stage change to the audit trail once when judged on today, again on the next change, never for another day', async () => {
    const a = await contracted({ agreedStartOn: daysFromToday(-30) });
    expect(await stageEvents(a.id)).toEqual([]);
    // A past asOf reads only.
    expect(await itemOf(a.id, daysFromToday(-10))).toMatchObject({ stage: 'overdue' });
    expect(await stageEvents(a.id)).toEqual([]);
    // Today (the default): overdue is recorded, once however often it is read.
    expect(await itemOf(a.id)).toMatchObject({ stage: 'overdue', daysLate: 30 });
    await idle();
    await idle(`?asOf=${bureauToday()}`);
    expect(await stageEvents(a.id)).toEqual([{ before: null, after: 'overdue' }]);
    const stored = await app().db.selectFrom('supervision_stages').selectAll().where('allocation_id', '=', a.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ stage: 'overdue', since: daysFromToday(-29) });
    // A write re-assesses in its own transaction: the start puts it back on track.
    expect((await milestone(a.id, 'handed_over', daysFromToday(-40))).status).toBe(200);
    expect(await stageEvents(a.id)).toHaveLength(1);
    expect((await milestone(a.id, 'started', daysFromToday(-2))).status).toBe(200);
    expect(await stageEvents(a.id)).toEqual([{ before: null, after: 'overdue' }, { before: 'overdue', after: 'on_track' }]);
    await idle();
    expect(await stageEvents(a.id)).toHaveLength(2);
    // A government delay on another allocation moves it to government_delay at once.
    const b = await contracted({ agreedStartOn: daysFromToday(-20) });
    expect((await post(`/api/allocations/${b.id}/government-delays`, { cause: 'planning_change', days: 90, evidence: '规划调整批复' })).status).toBe(201);
    expect(await stageEvents(b.id)).toEqual([{ before: null, after: 'government_delay' }]);
    const event = await app().db.selectFrom('audit_events').select(['actor_username', 'after']).where('action', '=', 'supervision.stage_changed').where('entity_id', '=', String(b.id)).executeTakeFirstOrThrow();
    expect(event.actor_username).toBe('land');
    expect(event.after).toMatchObject({ stage: 'government_delay', asOf: bureauToday(), feeYuan: null });
  });

  it('writes a stage change once when several readers judge it on today at the same time', async () => {
    const a = await contracted({ agreedStartOn: daysFromToday(-400) });
    const answers = await Promise.all([1, 2, 3, 4].map(() => getJson('/api/supervision/idle')));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(await stageEvents(a.id)).toEqual([{ before: null, after: 'idle_fee' }]);
  });

  it('reads one allocation’s supervision on a day: stage (on_track included), item, progress, delays, decisions', async () => {
    const a = await contracted({ agreedStartOn: '2024-06-01' });
    expect((await post(`/api/allocations/${a.id}/government-delays`, { cause: 'other', days: 10, evidence: '文物勘探' })).status).toBe(201);
    const r = await getJson(`/api/allocations/${a.id}/supervision?asOf=2025-12-01`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ allocationId: a.id, asOf: '2025-12-01', stage: 'idle_fee', progress: [], decisions: [] });
    expect(r.body.item).toMatchObject({ allocationId: a.id, stage: 'idle_fee', adjustedStartOn: '2024-06-11' });
    expect(r.body.governmentDelays).toHaveLength(1);
    const early = await getJson(`/api/allocations/${a.id}/supervision?asOf=2024-01-01`);
    expect(early.body).toMatchObject({ stage: 'on_track', item: null });
    expect((await getJson(`/api/allocations/${a.id}/supervision?asOf=2024-02-30`)).status).toBe(400);
    expect((await getJson('/api/allocations/999999/supervision')).status).toBe(404);
    // Not contracted: not under supervision.
    const [plot] = await freshPlots(app(), 1);
    const proposed = await post('/api/allocations', proposal(plot!.id, 2026, (await floorOf(app(), land, plot!.id, true)) + 100));
    expect((await getJson(`/api/allocations/${proposed.body.id}/supervision`)).body).toMatchObject({ stage: null, item: null });
  });

  it('records decisions only at a stage that allows them, with a document number; refusals write nothing', async () => {
    const fee = await contracted({ agreedStartOn: daysFromToday(-400) });
    const reclaim = await contracted({ agreedStartOn: daysFromToday(-800) });
    const onTrack = await contracted({ agreedStartOn: daysFromToday(30) });
    const count = async () => Number((await sql<{ n: number }>`select count(*)::int as n from supervision_decisions`.execute(app().db)).rows[0]!.n);
    const events = async () => Number((await sql<{ n: number }>`select count(*)::int as n from audit_events where action like 'supervision.decision%'`.execute(app().db)).rows[0]!.n);
    const before = { decisions: await count(), events: await events() };
    const today = bureauToday();
    const refusals: Array<[unknown, number, string]> = [
      [{ allocationId: fee.id, kind: 'reclaim', documentNo: '穗闲决〔2026〕1号', decidedOn: today }, 409, 'STAGE_NOT_ALLOWED'],
      [{ allocationId: onTrack.id, kind: 'no_action', documentNo: '穗闲决〔2026〕2号', decidedOn: today }, 409, 'STAGE_NOT_ALLOWED'],
      [{ allocationId: fee.id, kind: 'idle_fee', decidedOn: today }, 400, 'documentNo'],
      [{ allocationId: fee.id, kind: 'idle_fee', documentNo: '   ', decidedOn: today }, 400, 'documentNo'],
      [{ allocationId: fee.id, kind: 'idle_fee', documentNo: '穗闲决〔2026〕3号', decidedOn: daysFromToday(1) }, 400, 'decidedOn'],
      [{ allocationId: fee.id, kind: 'idle_fee', documentNo: '穗闲决〔2026〕3号', decidedOn: '2026-13-01' }, 400, 'decidedOn'],
      [{ allocationId: fee.id, kind: 'idle_fee', documentNo: '穗闲决〔2026〕3号', decidedOn: today, feeYuan: 1.001 }, 400, 'feeYuan'],
      [{ allocationId: reclaim.id, kind: 'reclaim', documentNo: '穗闲决〔2026〕3号', decidedOn: today, feeYuan: 100 }, 400, 'feeYuan'],
      [{ allocationId: 999999, kind: 'idle_fee', documentNo: '穗闲决〔2026〕3号', decidedOn: today }, 404, 'NOT_FOUND'],
    ];
    for (const [body, status, what] of refusals) {
      const r = await post('/api/supervision/decisions', body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(r.body)).toContain(what);
    }
    const wrong = await post('/api/supervision/decisions', { allocationId: fee.id, kind: 'reclaim', documentNo: 'x', decidedOn: today });
    expect(wrong.body).toMatchObject({ code: 'CONFLICT', reason: 'STAGE_NOT_ALLOWED', stage: 'idle_fee', allowed: ['reclaim'] });
    // A district officer may read but not decide.
    expect((await post('/api/supervision/decisions', { allocationId: fee.id, kind: 'idle_fee', documentNo: 'x', decidedOn: today }, huangpu)).status).toBe(403);
    expect({ decisions: await count(), events: await events() }).toEqual(before);

    // The fee defaults to 20 % of the price, to the fen.
    const ok = await post('/api/supervision/decisions', { allocationId: fee.id, kind: 'idle_fee', documentNo: ' 穗规划资源闲决〔2026〕12号 ', decidedOn: today, note: '限期缴纳' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    const priceFen = Math.round(fee.priceYuan * 100);
    expect(ok.body).toMatchObject({ allocationId: fee.id, kind: 'idle_fee', documentNo: '穗规划资源闲决〔2026〕12号', decidedOn: today, note: '限期缴纳', decidedBy: 'land' });
    expect(Math.round(ok.body.feeYuan * 100)).toBe((priceFen - 3) / 5 + 1);
    const again = await post('/api/supervision/decisions', { allocationId: fee.id, kind: 'idle_fee', documentNo: '穗闲决〔2026〕4号', decidedOn: today });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('DECISION_RECORDED');
    expect((await itemOf(fee.id))!.decisions).toEqual([ok.body]);
    // At reclaim: both the fee (a figure given) and the repossession may be decided.
    const given = await post('/api/supervision/decisions', { allocationId: reclaim.id, kind: 'idle_fee', documentNo: '穗闲决〔2026〕5号', decidedOn: today, feeYuan: 1234.56 });
    expect(given.status).toBe(201);
    expect(given.body.feeYuan).toBe(1234.56);
    const taken = await post('/api/supervision/decisions', { allocationId: reclaim.id, kind: 'reclaim', documentNo: '穗闲决〔2026〕6号', decidedOn: today });
    expect(taken.status).toBe(201);
    expect(taken.body.feeYuan).toBeNull();
    expect((await post('/api/supervision/decisions', { allocationId: reclaim.id, kind: 'no_action', documentNo: '穗闲决〔2026〕7号', decidedOn: today, note: '已协商' })).status).toBe(201);
    expect(await count()).toBe(before.decisions + 4);
    expect(await events()).toBe(before.events + 4);
    // The database refuses a fee on a non-fee decision too.
    await expect(sql`insert into supervision_decisions (allocation_id, kind, document_no, decided_on, fee_fen) values (${reclaim.id}, 'no_action', 'x', ${today}, 100)`.execute(app().db)).rejects.toThrow();
  });

  it('scopes the list: a district officer sees their district only, another district is 403; anonymous 401, investor 403', async () => {
    const mine = await contracted({ agreedStartOn: daysFromToday(-50), districtCode: '440112' });
    const other = await contracted({ agreedStartOn: daysFromToday(-50), notDistrict: '440112' });
    const asOf = daysFromToday(-1);
    const seen = await idle(`?asOf=${asOf}`, huangpu);
    expect(seen.items.length).toBeGreaterThan(0);
    expect(seen.items.every((i) => i.districtCode === '440112')).toBe(true);
    expect(seen.items.map((i) => i.allocationId)).toContain(mine.id);
    expect(seen.items.map((i) => i.allocationId)).not.toContain(other.id);
    expect((await idle(`?asOf=${asOf}&districtCode=440112`, huangpu)).items.map((i) => i.allocationId)).toContain(mine.id);
    const forbidden = await getJson(`/api/supervision/idle?districtCode=${other.districtCode}`, huangpu);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.reason).toBe('OUT_OF_SCOPE');
    expect((await getJson(`/api/allocations/${other.id}/government-delays`, huangpu)).status).toBe(403);
    expect((await getJson(`/api/allocations/${mine.id}/government-delays`, huangpu)).status).toBe(200);
    // The bureau sees both, and filters by district and park.
    const all = (await idle(`?asOf=${asOf}`)).items.map((i) => i.allocationId);
    expect(all).toEqual(expect.arrayContaining([mine.id, other.id]));
    const byDistrict = await idle(`?asOf=${asOf}&districtCode=${other.districtCode}`);
    expect(byDistrict.items.every((i) => i.districtCode === other.districtCode)).toBe(true);
    const parkId = (await idle(`?asOf=${asOf}`)).items.find((i) => i.allocationId === mine.id)!.parkId;
    expect((await idle(`?asOf=${asOf}&parkId=${parkId}`)).items.every((i) => i.parkId === parkId)).toBe(true);
    expect((await getJson('/api/supervision/idle', null)).status).toBe(401);
    expect((await getJson('/api/supervision/idle', await login(app(), 'investor'))).status).toBe(403);
    expect((await idle('', await login(app(), 'industry'))).items.length).toBeGreaterThan(0);
  });

  it('refuses a malformed query with a 400 naming the parameter', async () => {
    for (const [q, field] of [['asOf=2026-02-30', 'asOf'], ['asOf=yesterday', 'asOf'], ['asOf=2026-01-011', 'asOf'], ['stage=late', 'stage'], ['districtCode=44', 'districtCode'], ['parkId=x', 'parkId'], ['foo=1', 'foo']] as const) {
      const r = await getJson(`/api/supervision/idle?${q}`);
      expect(r.status, q).toBe(400);
      expect(JSON.stringify(r.body), q).toContain(field);
    }
  });

}, ONE_OFFICER);
