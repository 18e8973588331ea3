/**
 * Allocations over HTTP: the lifecycle proposed → approved → contracted → milestones →
 * completed, cancellation with a reversing ledger entry, the floor checked at proposal and again
 * at approval (reference data changed in between), the decision record, the annual quota
 * (五(三)11) with its IAB reserve, every error code with its figures, USCC validation and
 * district scoping (modes: allocation-modes.test.ts; replays: allocation-idempotency.test.ts).
 * Each test takes its own plots and, where it charges a quota, its own year.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import {
  expectQuotaHonest,
  floorOf,
  freshPlots,
  MIN_QUOTA_M2,
  proposal,
  proposeAtFloor,
  putQuota,
  quotaState,
  setPlotArea,
  uscc,
} from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';

const BIG_QUOTA_M2 = 50_000_000;

const daysFromToday = (n: number) => {
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

describeOnDatabases('allocations', (get) => {
  let land: Session;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = land, headers: Record<string, string> = {}) => call(app(), s, 'POST', url, body, headers);
  const getJson = (url: string, s: Session | null = land) => call(app(), s, 'GET', url);

  it('signs in and sets the years used below', async () => {
    land = await login(app(), 'land');
    for (const year of [2026, 2027]) await putQuota(app(), land, year, BIG_QUOTA_M2, 0);
  });

  it('refuses to propose or approve on a plot whose cost is not recorded (422 COST_NOT_RECORDED), writing nothing', async () => {
    const [plot, other] = await freshPlots(app(), 2);
    const floor = await floorOf(app(), land, plot!.id, true);
    // Approve: proposed while the cost was recorded, then the cost is cleared before approval.
    const proposed = await post('/api/allocations', proposal(plot!.id, 2026, floor + 1000));
    expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
    await app().db.updateTable('plots').set({ cost_yuan: null }).where('id', '=', plot!.id).execute();
    const counts = async () => ({
      allocations: (await app().db.selectFrom('allocations').select('id').execute()).length,
      projects: (await app().db.selectFrom('projects').select('id').execute()).length,
      ledger: (await app().db.selectFrom('quota_ledger').select('id').execute()).length,
    });
    const before = { counts: await counts(), quota: await quotaState(app(), 2026) };
    const approve = await post(`/api/allocations/${proposed.body.id}/approve`, {});
    expect(approve.status).toBe(422);
    expect(approve.body).toMatchObject({ code: 'COST_NOT_RECORDED', plotId: plot!.id, plotCode: plot!.code, field: 'costYuan' });
    // …saying who records it where, in both languages.
    expect(approve.body.messageEn).toMatch(/land officer.*plot editor \(\/bureau\/editor\).*土地成本/);
    expect(approve.body.messageZh).toMatch(/土地管理人员.*地块编辑器（\/bureau\/editor）.*土地成本/);
    expect((await getJson(`/api/allocations/${proposed.body.id}`)).body.status).toBe('proposed');
    expect((await getJson(`/api/plots/${plot!.id}`)).body.properties.status).toBe('available');
    // Propose: refused the same way, on this plot and on another without a cost.
    await app().db.updateTable('plots').set({ cost_yuan: null }).where('id', '=', other!.id).execute();
    for (const id of [plot!.id, other!.id]) {
      const r = await post('/api/allocations', proposal(id, 2026, 99_999_999));
      expect(r.status).toBe(422);
      expect(r.body.code).toBe('COST_NOT_RECORDED');
    }
    expect(await counts()).toEqual(before.counts);
    expect(await quotaState(app(), 2026)).toEqual(before.quota);
    // Recording the cost (0 on purpose, with a note) lets it through.
    await app().db.updateTable('plots').set({ cost_yuan: '0', cost_note: 'test: no acquisition cost' }).where('id', '=', plot!.id).execute();
    const ok = await post(`/api/allocations/${proposed.body.id}/approve`, {});
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.decision.inputs.costYuan).toBe(0);
  });

  it('runs the lifecycle: proposed → approved → contracted → handed over → started → completed', async () => {
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const before = await quotaState(app(), 2026);

    const created = await post('/api/allocations', proposal(plot!.id, 2026, floor + 1000, { keyProject: true, sector: 'biomed' }));
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      plotId: plot!.id,
      status: 'proposed',
      quotaYear: 2026,
      mode: 'transfer',
      termYears: 50,
      iab: true,
      priceYuan: floor + 1000,
      areaM2: plot!.areaM2,
      floorYuan: floor,
      project: { sector: 'biomed', iab: true, keyProject: true, enterprise: { uscc: uscc(plot!.id) } },
      contract: null,
      decision: null,
      overdue: false,
    });
    const id = created.body.id as number;
    // Proposing does not touch the plot or the quota.
    expect((await getJson(`/api/plots/${plot!.id}`, null)).body.properties.status).toBe('available');

    const approved = await post(`/api/allocations/${id}/approve`);
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect(approved.body.status).toBe('approved');
    expect(approved.body.approvedBy).toBe('land');
    expect((await getJson(`/api/plots/${plot!.id}`, null)).body.properties.status).toBe('allocated');
    const after = await expectQuotaHonest(app(), 2026);
    expect(Number(after.quota.approved_m2) - Number(before.quota.approved_m2)).toBeCloseTo(plot!.areaM2, 2);
    const ledger = await app().db.selectFrom('quota_ledger').selectAll().where('allocation_id', '=', id).execute();
    expect(ledger.map((l) => [l.kind, Number(l.area_m2), l.iab])).toEqual([['charge', plot!.areaM2, true]]);

    const contract = {
      contractNo: `440112-2026-CR-${id}`,
      supervisionNo: `4401122026B${String(id).padStart(5, '0')}`,
      signedOn: daysFromToday(-30),
      agreedHandoverOn: daysFromToday(-20),
      agreedStartOn: daysFromToday(60),
      agreedCompletionOn: daysFromToday(700),
    };
    const contracted = await post(`/api/allocations/${id}/contract`, contract);
    expect(contracted.status, JSON.stringify(contracted.body)).toBe(200);
    expect(contracted.body).toMatchObject({ status: 'contracted', contract, overdue: false });

    // Out of order: a start before the hand-over is refused, with what to do first.
    const early = await post(`/api/allocations/${id}/milestones`, { kind: 'started', date: daysFromToday(-5) });
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/hand-over before the start/);
    const handed = await post(`/api/allocations/${id}/milestones`, { kind: 'handed_over', date: daysFromToday(-19) });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body.milestones).toEqual({ handedOverOn: daysFromToday(-19), startedOn: null, completedOn: null, productionOn: null, fullProductionOn: null });
    expect((await post(`/api/allocations/${id}/milestones`, { kind: 'handed_over', date: daysFromToday(-18) })).status).toBe(409);
    expect((await post(`/api/allocations/${id}/milestones`, { kind: 'started', date: daysFromToday(3) })).status).toBe(400); // future
    expect((await post(`/api/allocations/${id}/milestones`, { kind: 'started', date: daysFromToday(-25) })).status).toBe(400); // before hand-over
    const started = await post(`/api/allocations/${id}/milestones`, { kind: 'started', date: daysFromToday(-10) });
    expect(started.body.milestones.startedOn).toBe(daysFromToday(-10));
    const completed = await post(`/api/allocations/${id}/milestones`, { kind: 'completed', date: daysFromToday(-1) });
    expect(completed.status).toBe(200);
    expect(completed.body.status).toBe('completed');

    // Completed holds the plot and the quota, and can no longer be cancelled.
    const cancel = await post(`/api/allocations/${id}/cancel`, {});
    expect(cancel.status).toBe(409);
    expect(cancel.body).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_STATUS', status: 'completed' });
    const list = await getJson(`/api/allocations?plotId=${plot!.id}&status=completed`);
    expect(list.body.total).toBe(1);
    expect(list.body.items[0]).toMatchObject({ id, plotId: plot!.id, status: 'completed', quotaYear: 2026, areaM2: plot!.areaM2, iab: true, priceYuan: floor + 1000 });
    expect(list.body.items[0].decision).toBeUndefined();

    // Every step is in the audit trail.
    const actions = (await app().db.selectFrom('audit_events').select('action').where('entity', '=', 'allocation').where('entity_id', '=', String(id)).orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['allocation.propose', 'allocation.approve', 'allocation.contract', 'allocation.milestone.handed_over', 'allocation.milestone.started', 'allocation.milestone.completed']);
  });

  it('flags a contracted allocation whose agreed start has passed without a start as overdue', async () => {
    const [plot] = await freshPlots(app(), 1);
    const id = await proposeAtFloor(app(), land, plot!.id, 2026);
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const r = await post(`/api/allocations/${id}/contract`, {
      contractNo: `OVERDUE-${id}`, supervisionNo: `OD${String(id).padStart(8, '0')}`,
      signedOn: daysFromToday(-100), agreedHandoverOn: daysFromToday(-90), agreedStartOn: daysFromToday(-12), agreedCompletionOn: daysFromToday(300),
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ overdue: true, overdueDays: 12 });
    const overdue = await getJson('/api/allocations?overdue=true&limit=1000');
    expect(overdue.body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect(overdue.body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    // Starting clears the flag.
    await post(`/api/allocations/${id}/milestones`, { kind: 'handed_over', date: daysFromToday(-80) });
    const started = await post(`/api/allocations/${id}/milestones`, { kind: 'started', date: daysFromToday(-2) });
    expect(started.body.overdue).toBe(false);
  });

  it('refuses contracts with dates out of order, in the future, or a duplicate number', async () => {
    const [p1, p2] = await freshPlots(app(), 2);
    const a = await proposeAtFloor(app(), land, p1!.id, 2026);
    const b = await proposeAtFloor(app(), land, p2!.id, 2026);
    // A proposal cannot be contracted before it is approved.
    const good = { contractNo: `DUP-${a}`, supervisionNo: `DUP${String(a).padStart(7, '0')}`, signedOn: daysFromToday(-10), agreedHandoverOn: daysFromToday(-5), agreedStartOn: daysFromToday(10), agreedCompletionOn: daysFromToday(400) };
    expect((await post(`/api/allocations/${a}/contract`, good)).status).toBe(409);
    for (const id of [a, b]) expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const outOfOrder = await post(`/api/allocations/${a}/contract`, { ...good, agreedStartOn: daysFromToday(-6) });
    expect(outOfOrder.status).toBe(400);
    expect(outOfOrder.body.message).toMatch(/agreedStartOn .* must not be before agreedHandoverOn/);
    expect((await post(`/api/allocations/${a}/contract`, { ...good, signedOn: daysFromToday(1), agreedHandoverOn: daysFromToday(2) })).status).toBe(400);
    expect((await post(`/api/allocations/${a}/contract`, { ...good, signedOn: '2026-02-30' })).status).toBe(400);
    expect((await post(`/api/allocations/${a}/contract`, good)).status).toBe(200);
    const dup = await post(`/api/allocations/${b}/contract`, { ...good, supervisionNo: `OTHER${b}00` });
    expect(dup.status).toBe(409);
    expect(dup.body.message).toMatch(/contract number/);
  });

  it('cancels an approved allocation: the plot is available again and the year gets the area back by a reversing entry', async () => {
    const [plot] = await freshPlots(app(), 1);
    const id = await proposeAtFloor(app(), land, plot!.id, 2027, { iab: false });
    const before = await quotaState(app(), 2027);
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const charged = await quotaState(app(), 2027);
    expect(Number(charged.quota.approved_m2) - Number(before.quota.approved_m2)).toBeCloseTo(plot!.areaM2, 2);

    const cancelled = await post(`/api/allocations/${id}/cancel`, { reason: '企业放弃' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: '企业放弃', cancelledBy: 'land' });
    expect((await getJson(`/api/plots/${plot!.id}`, null)).body.properties.status).toBe('available');
    const after = await expectQuotaHonest(app(), 2027);
    expect(after.quota.approved_m2).toBe(before.quota.approved_m2);
    // History is never rewritten: the charge stays, the reversal mirrors it.
    const ledger = await app().db.selectFrom('quota_ledger').select(['kind', 'area_m2', 'iab', 'year']).where('allocation_id', '=', id).orderBy('id').execute();
    expect(ledger.map((l) => [l.kind, Number(l.area_m2), l.iab, l.year])).toEqual([
      ['charge', plot!.areaM2, false, 2027],
      ['reversal', -plot!.areaM2, false, 2027],
    ]);
    const api = await getJson('/api/quotas/2027/ledger');
    expect(api.body.sumM2).toBe(Number(after.quota.approved_m2));
    // Cancelled twice → 409; the plot can be proposed for and approved again.
    expect((await post(`/api/allocations/${id}/cancel`, {})).status).toBe(409);
    const again = await proposeAtFloor(app(), land, plot!.id, 2027, { usccN: 777 });
    expect((await post(`/api/allocations/${again}/approve`)).status).toBe(200);
    // A proposal can be cancelled too (no ledger entry), and with no body at all.
    const [p2] = await freshPlots(app(), 1);
    const proposed = await proposeAtFloor(app(), land, p2!.id, 2027);
    const plain = await app().inject({ method: 'POST', url: `/api/allocations/${proposed}/cancel`, headers: { cookie: land.cookie, origin: 'http://localhost' } });
    expect(plain.statusCode, plain.body).toBe(200);
    expect(await app().db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', proposed).execute()).toEqual([]);
    await expectQuotaHonest(app(), 2027);
  });

  it('stores the decision record: the floor, its inputs, the binding term, the reference versions, the quota before and after, who and when', async () => {
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const id = await proposeAtFloor(app(), land, plot!.id, 2026);
    const q0 = await call(app(), null, 'GET', '/api/quotas/2026');
    const approved = await post(`/api/allocations/${id}/approve`);
    const full = await getJson(`/api/allocations/${id}`);
    expect(full.body).toEqual(approved.body);
    const d = full.body.decision;
    const ref = (await call(app(), null, 'GET', '/api/reference')).body;
    expect(d.approvedBy).toMatchObject({ username: 'land', role: 'land_officer' });
    expect(Date.parse(d.approvedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(d.floor).toMatchObject({ floorYuan: floor, ok: true, mode: 'transfer', termYears: 50 });
    expect(['benchmark', 'cost', 'national_minimum']).toContain(d.floor.binding);
    expect(d.floor.priceFloor.components).toEqual(expect.objectContaining({ benchmarkYuan: expect.any(Number), costYuan: expect.any(Number), nationalMinimumYuan: expect.any(Number) }));
    expect(d.floor.checks).toEqual([{ subject: 'price', offeredYuan: floor, floorYuan: floor, ok: true, shortfallYuan: 0 }]);
    expect(d.inputs).toMatchObject({ plotId: plot!.id, areaM2: plot!.areaM2, iab: true, priceYuan: floor });
    expect(d.inputs.benchmarkYuanPerM2).toBeGreaterThan(0);
    expect(d.reference.versions.parameters.id).toBe(ref.versions.parameters.id);
    expect(d.reference.versions.benchmark_prices.id).toBe(ref.versions.benchmark_prices.id);
    expect(d.reference.parameters.iabFloorFactorBp).toBe(7000);
    expect(d.quota.year).toBe(2026);
    expect(d.quota.before).toMatchObject({ quotaM2: BIG_QUOTA_M2, approvedM2: q0.body.approvedM2, remainingM2: q0.body.remainingM2 });
    expect(d.quota.after.approvedM2).toBeCloseTo(q0.body.approvedM2 + plot!.areaM2, 2);
    expect(d.quota.chargedM2).toBe(plot!.areaM2);
    expect(d.proposal).toMatchObject({ floorYuan: floor, floorChanged: false });
    const entry = await app().db.selectFrom('quota_ledger').select(sql<string>`id::text`.as('id')).where('allocation_id', '=', id).executeTakeFirstOrThrow();
    expect(d.quota.ledgerEntryId).toBe(Number(entry.id));
  });

  // --- Errors ----------------------------------------------------------------------------------

  it('refuses a price below the floor with 422 BELOW_PRICE_FLOOR naming the floor and its binding term', async () => {
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const r = await post('/api/allocations', proposal(plot!.id, 2026, floor - 100));
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', code: 'BELOW_PRICE_FLOOR', floorYuan: floor, offeredYuan: floor - 100, shortfallYuan: 100, subject: 'price' });
    const label = { benchmark: ['benchmark price', '基准地价'], cost: ['land cost', '土地成本'], national_minimum: ['national minimum price', '国家最低价'] }[r.body.binding as 'cost'];
    const money = floor.toLocaleString('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(r.body.messageEn).toContain(`below the floor ¥${money}`);
    expect(r.body.messageEn).toContain(`set by the ${label[0]}`);
    expect(r.body.messageZh).toContain(`低于出让底价 ${money} 元`);
    expect(r.body.messageZh).toContain(`由${label[1]}决定`);
    expect(r.body.message).toContain(r.body.messageEn);
    expect(r.body.message).toContain(r.body.messageZh);
    expect(Object.keys(r.body.referenceVersions).sort()).toEqual(['benchmark_prices', 'district_grades', 'national_minimum', 'parameters', 'provincial_minimum']);
    // Nothing was written.
    expect((await getJson(`/api/allocations?plotId=${plot!.id}`)).body.total).toBe(0);
  });

  it('checks the floor again at approval: reference data changed since the proposal → 422, and the message says so', async () => {
    const admin = await login(app(), 'admin');
    // A 天河 plot (grade 3: N = 600 < B at every level) with a nominal cost, so the benchmark
    // term binds once the IAB factor is raised: max(1.0·B, N)·A > max(0.7·B, N)·A.
    const [plot] = await freshPlots(app(), 1, { districtCode: '440106' });
    await app().db.updateTable('plots').set({ cost_yuan: '1.00' }).where('id', '=', plot!.id).execute();
    const floor = await floorOf(app(), land, plot!.id, true);
    const id = await proposeAtFloor(app(), land, plot!.id, 2026);
    const today = bureauToday();
    const raise = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: '测试：IAB折扣调整', values: { iabFloorFactorBp: 10000 } }, admin);
    expect(raise.status, JSON.stringify(raise.body)).toBe(201);
    try {
      const newFloor = await floorOf(app(), land, plot!.id, true);
      expect(newFloor).toBeGreaterThan(floor);
      const r = await post(`/api/allocations/${id}/approve`);
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'BELOW_PRICE_FLOOR', binding: 'benchmark', floorYuan: newFloor, offeredYuan: floor, proposedFloorYuan: floor, checkedAt: 'approve' });
      expect(r.body.referenceVersions.parameters).toBe(raise.body.id);
      expect(r.body.messageEn).toMatch(/set by the benchmark price/);
      expect(r.body.messageEn).toMatch(/reference data has changed/);
      expect(r.body.messageZh).toMatch(/由基准地价决定/);
      expect(r.body.messageZh).toMatch(/参考数据已更新/);
      // Nothing charged, the plot is still available, the proposal still proposed.
      expect((await getJson(`/api/allocations/${id}`)).body.status).toBe('proposed');
      expect((await getJson(`/api/plots/${plot!.id}`, null)).body.properties.status).toBe('available');
      expect(await app().db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', id).execute()).toEqual([]);
    } finally {
      const restore = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: 'test restore', values: { iabFloorFactorBp: 7000 } }, admin);
      expect(restore.status).toBe(201);
    }
    expect(await floorOf(app(), land, plot!.id, true)).toBe(floor);
    // Back under the old figures, the same proposal is approved, and its record says the floor was re-checked.
    const ok = await post(`/api/allocations/${id}/approve`);
    expect(ok.status).toBe(200);
    expect(ok.body.decision.proposal).toMatchObject({ floorYuan: floor, floorChanged: false });
    expect(ok.body.decision.reference.versions.parameters.id).toBeGreaterThan(raise.body.id);
  });

  it('refuses an inconsistent sector and iab flag, a bad USCC, bad figures and unknown fields with 400', async () => {
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const base = proposal(plot!.id, 2026, floor);
    const cases: [string, unknown, RegExp][] = [
      ['iab with sector other', { ...base, project: { ...base.project, sector: 'other', iab: true } }, /iab is true but sector is "other"/],
      ['non-IAB with an IAB sector', { ...base, project: { ...base.project, sector: 'ngit', iab: false } }, /iab is false but sector is "ngit"/],
      ['a key project that is not IAB', { ...base, project: { ...base.project, sector: 'other', iab: false, keyProject: true } }, /key IAB project/],
      ['a USCC of 17 characters', { ...base, project: { ...base.project, enterprise: { name: 'x', uscc: uscc(1).slice(0, 17) } } }, /18 characters, got 17/],
      ['a USCC with a letter I', { ...base, project: { ...base.project, enterprise: { name: 'x', uscc: `I${uscc(1).slice(1)}` } } }, /Character 1 \("I"\)/],
      ['a USCC with a wrong check character', { ...base, project: { ...base.project, enterprise: { name: 'x', uscc: uscc(1).slice(0, 17) + (uscc(1).endsWith('0') ? '1' : '0') } } }, /check character/],
      ['a price with 3 decimals', { ...base, priceYuan: floor + 0.001 }, /at most 2 decimals/],
      ['an unknown field', { ...base, discount: 1 }, /"discount" is not allowed/],
      ['an unknown mode', { ...base, mode: 'gift' }, /mode/],
      ['a missing project', { ...base, project: undefined }, /"project" is required/],
      ['a plot that does not exist', { ...base, plotId: 99999999 }, /no such plot/],
      ['a year out of range', { ...base, quotaYear: 1999 }, /quotaYear/],
    ];
    for (const [what, body, message] of cases) {
      const r = await post('/api/allocations', body);
      expect(r.status, what).toBe(400);
      expect(r.body.code, what).toBe('VALIDATION_FAILED');
      expect(r.body.message, what).toMatch(message);
    }
    // Lower case is accepted and stored normalised.
    const lower = await post('/api/allocations', { ...base, project: { ...base.project, enterprise: { name: '小写企业', uscc: uscc(4242).toLowerCase() } } });
    expect(lower.status, JSON.stringify(lower.body)).toBe(201);
    expect(lower.body.project.enterprise.uscc).toBe(uscc(4242));
    // The database checks the check character itself.
    await expect(app().db.insertInto('enterprises').values({ name: 'bad', uscc: uscc(1).slice(0, 17) + (uscc(1).endsWith('0') ? '1' : '0') }).execute()).rejects.toThrow(/enterprises_uscc_valid/);
    await expect(app().db.insertInto('enterprises').values({ name: 'bad', uscc: 'ABC' }).execute()).rejects.toThrow(/enterprises_uscc_valid/);
  });

  it('answers 409 SUPERSEDED for a second approval on one plot and 409 PLOT_UNAVAILABLE for proposals on an allocated plot', async () => {
    const [plot] = await freshPlots(app(), 1);
    const a = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: 1001 });
    const b = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: 1002 });
    expect((await post(`/api/allocations/${a}/approve`)).status).toBe(200);
    // The approval closed the competing proposal (superseded by a): approving it is refused.
    const second = await post(`/api/allocations/${b}/approve`);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ code: 'SUPERSEDED', supersededBy: a });
    expect(second.body.message).toMatch(new RegExp(`superseded by allocation #${a}`));
    expect(second.body.message).toMatch(/取代/);
    const third = await post('/api/allocations', proposal(plot!.id, 2026, 1e9, { usccN: 1003 }));
    expect(third.status).toBe(409);
    expect(third.body.code).toBe('PLOT_UNAVAILABLE');
    // A withdrawn plot too.
    const [w] = await freshPlots(app(), 1);
    await app().db.updateTable('plots').set({ status: 'withdrawn' }).where('id', '=', w!.id).execute();
    const r = await post('/api/allocations', proposal(w!.id, 2026, 1e9));
    expect(r.status).toBe(409);
    expect(r.body.message).toMatch(/withdrawn/);
  });

  it('answers 409 CONFLICT for an approval twice and for a year without a quota, 404 for an unknown id', async () => {
    const [plot] = await freshPlots(app(), 1);
    const id = await proposeAtFloor(app(), land, plot!.id, 2099);
    const noQuota = await post(`/api/allocations/${id}/approve`);
    expect(noQuota.status).toBe(409);
    expect(noQuota.body).toMatchObject({ code: 'CONFLICT', reason: 'QUOTA_NOT_SET', year: 2099 });
    expect(noQuota.body.message).toMatch(/PUT \/api\/quotas\/2099/);
    expect((await getJson(`/api/plots/${plot!.id}`, null)).body.properties.status).toBe('available');
    expect((await call(app(), null, 'GET', '/api/quotas/2099')).status).toBe(404);
    await putQuota(app(), land, 2099, MIN_QUOTA_M2);
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const twice = await post(`/api/allocations/${id}/approve`);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_STATUS', status: 'approved' });
    expect((await post('/api/allocations/99999999/approve')).status).toBe(404);
    expect((await getJson('/api/allocations/99999999')).status).toBe(404);
  });

  it('refuses an approval beyond the remaining quota with 409 QUOTA_EXCEEDED in 亩 to 2 decimals, in Chinese and English', async () => {
    const year = 2031;
    await putQuota(app(), land, year, MIN_QUOTA_M2);
    const [big, plot] = await freshPlots(app(), 2);
    // Leave 8,226.67 m² = 12.34 亩; ask for 13,333.33 m² = 20.00 亩.
    await setPlotArea(app(), big!.id, 3_325_106.67);
    await setPlotArea(app(), plot!.id, 13_333.33);
    const pre = await proposeAtFloor(app(), land, big!.id, year);
    expect((await post(`/api/allocations/${pre}/approve`)).status).toBe(200);
    const id = await proposeAtFloor(app(), land, plot!.id, year);
    const r = await post(`/api/allocations/${id}/approve`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'QUOTA_EXCEEDED', year, remainingM2: 8226.67, availableM2: 8226.67, requestedM2: 13333.33, remainingMu: 12.34, requestedMu: 20 });
    expect(r.body.messageZh).toBe('剩余指标 12.34 亩，本次需 20.00 亩');
    expect(r.body.messageEn).toBe('Remaining quota 12.34 mu; this allocation needs 20.00 mu');
    expect(r.body.message).toContain('剩余指标 12.34 亩，本次需 20.00 亩');
    expect(r.body.message).toContain('Remaining quota 12.34 mu; this allocation needs 20.00 mu');
    expect((await getJson(`/api/plots/${plot!.id}`, null)).body.properties.status).toBe('available');
    await expectQuotaHonest(app(), year);
    // Raising the year's quota makes room.
    await putQuota(app(), land, year, MIN_QUOTA_M2 + 10_000);
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const q = await call(app(), null, 'GET', `/api/quotas/${year}`);
    expect(q.body).toMatchObject({ year, quotaM2: MIN_QUOTA_M2 + 10_000, approvedM2: 3_338_440, remainingM2: 4893.34, iabApprovedM2: 3_338_440, iabReserveM2: 0 });
  });

  it('keeps the IAB reserve from non-IAB projects', async () => {
    const year = 2032;
    // Quota 5000 亩 with 150 亩 (100,000 m²) reserved for IAB; pre-charge so 150,000 m² remain.
    await putQuota(app(), land, year, MIN_QUOTA_M2, 100_000);
    const [big, nonIab, iab] = await freshPlots(app(), 3);
    await setPlotArea(app(), big!.id, MIN_QUOTA_M2 - 150_000);
    await setPlotArea(app(), nonIab!.id, 60_000);
    await setPlotArea(app(), iab!.id, 150_000);
    // A non-IAB pre-charge, so the reserve is still wholly unused.
    const pre = await proposeAtFloor(app(), land, big!.id, year, { iab: false });
    expect((await post(`/api/allocations/${pre}/approve`)).status).toBe(200);
    const n = await proposeAtFloor(app(), land, nonIab!.id, year, { iab: false });
    const r = await post(`/api/allocations/${n}/approve`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ code: 'QUOTA_EXCEEDED', availableM2: 50_000, remainingM2: 150_000, iab: false });
    expect(r.body.messageZh).toBe('剩余指标 75.00 亩，本次需 90.00 亩（另有 IAB 预留 150.00 亩，非IAB项目不可占用）');
    expect(r.body.messageEn).toBe('Remaining quota 75.00 mu; this allocation needs 90.00 mu (a further 150.00 mu is reserved for IAB projects)');
    // The same room is there for an IAB project.
    const i = await proposeAtFloor(app(), land, iab!.id, year);
    expect((await post(`/api/allocations/${i}/approve`)).status).toBe(200);
    const s = await expectQuotaHonest(app(), year);
    expect(Number(s.quota.approved_m2)).toBe(MIN_QUOTA_M2);
  });

  // --- Quotas ------------------------------------------------------------------------------------

  it('sets a year’s quota: at least 5000 亩 exactly, a reserve within it, never below what is approved', async () => {
    const below = await call(app(), land, 'PUT', '/api/quotas/2040', { quotaM2: 3_333_333.33, iabReserveM2: 0 });
    expect(below.status).toBe(400);
    expect(below.body).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'QUOTA_BELOW_MINIMUM', minimumM2: MIN_QUOTA_M2, minimumMu: 5000 });
    expect(below.body.message).toMatch(/at least 5000 mu/);
    expect(below.body.message).toMatch(/不得少于 5000 亩/);
    const reserve = await call(app(), land, 'PUT', '/api/quotas/2040', { quotaM2: MIN_QUOTA_M2, iabReserveM2: MIN_QUOTA_M2 + 1 });
    expect(reserve.status).toBe(400);
    expect((await call(app(), land, 'PUT', '/api/quotas/2040', { quotaM2: MIN_QUOTA_M2, iabReserveM2: -1 })).status).toBe(400);
    expect((await call(app(), land, 'PUT', '/api/quotas/2040', { quotaM2: 'lots', iabReserveM2: 0 })).status).toBe(400);
    const ok = await call(app(), land, 'PUT', '/api/quotas/2040', { quotaM2: MIN_QUOTA_M2, iabReserveM2: 1000 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ year: 2040, quotaM2: MIN_QUOTA_M2, iabReserveM2: 1000, approvedM2: 0, iabApprovedM2: 0, remainingM2: MIN_QUOTA_M2, quotaMu: 5000 });
    const pub = await call(app(), null, 'GET', '/api/quotas/2040');
    expect(pub.status).toBe(200);
    expect(Object.keys(pub.body)).toEqual(expect.arrayContaining(['year', 'quotaM2', 'iabReserveM2', 'approvedM2', 'iabApprovedM2', 'remainingM2']));
    expect((await call(app(), null, 'GET', '/api/quotas')).body.items.map((q: { year: number }) => q.year)).toContain(2040);
    // Approve a non-IAB allocation, then try to reserve what it uses.
    const [plot] = await freshPlots(app(), 1);
    const id = await proposeAtFloor(app(), land, plot!.id, 2040, { iab: false });
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
    const squeeze = await call(app(), land, 'PUT', '/api/quotas/2040', { quotaM2: MIN_QUOTA_M2, iabReserveM2: MIN_QUOTA_M2 });
    expect(squeeze.status).toBe(409);
    expect(squeeze.body).toMatchObject({ code: 'CONFLICT', reason: 'QUOTA_BELOW_APPROVED', nonIabApprovedM2: plot!.areaM2 });
    // The database would refuse it too, and refuses totals that do not come from the ledger.
    await expect(sql`update quotas set iab_reserve_m2 = quota_m2 where year = 2040`.execute(app().db)).rejects.toThrow(/quotas_non_iab_within_unreserved/);
    await expect(sql`update quotas set approved_m2 = 0 where year = 2040`.execute(app().db)).rejects.toThrow(/change only through/);
    await expect(sql`update quota_ledger set area_m2 = 1 where year = 2040`.execute(app().db)).rejects.toThrow(/append-only/);
    // The 5000 亩 minimum is the reference parameter's (quota-minimum.test.ts); the schema keeps a positive quota.
    await expect(sql`insert into quotas (year, quota_m2) values (2041, 0)`.execute(app().db)).rejects.toThrow(/quotas_quota_positive/);
    const audit = await app().db.selectFrom('audit_events').select(['action', 'before', 'after']).where('entity', '=', 'quota').where('entity_id', '=', '2040').orderBy('id').execute();
    expect(audit.map((e) => e.action)).toEqual(['quota.set']);
  });

  it('reports a year by district, park and sector, with the shortfall against the 5000 亩 target', async () => {
    const year = 2033;
    await putQuota(app(), land, year, 4_000_000, 200_000);
    const [a, b, c] = await freshPlots(app(), 3);
    for (const [p, o] of [[a!, { sector: 'ngit' as const, keyProject: true }], [b!, { iab: false }], [c!, { sector: 'biomed' as const }]] as const) {
      const id = await proposeAtFloor(app(), land, p.id, year, o);
      expect((await post(`/api/allocations/${id}/approve`)).status).toBe(200);
      if (p === c) expect((await post(`/api/allocations/${id}/cancel`, { reason: 'test' })).status).toBe(200);
    }
    const r = await getJson(`/api/quotas/${year}/report`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const approved = Math.round((a!.areaM2 + b!.areaM2) * 100) / 100;
    expect(r.body).toMatchObject({ year, quotaM2: 4_000_000, approvedM2: approved, iabApprovedM2: a!.areaM2 });
    expect(r.body.supplyTarget).toMatchObject({ targetM2: MIN_QUOTA_M2, targetMu: 5000, metTarget: false });
    expect(r.body.supplyTarget.shortfallM2).toBeCloseTo(MIN_QUOTA_M2 - approved, 2);
    expect(r.body.iabShareBp).toBe(Math.floor((a!.areaM2 * 10000) / approved));
    expect(r.body.keyProjects).toEqual({ approved: 1, signed: 0, landed: 0 });
    const sector = Object.fromEntries(r.body.bySector.map((s: { sector: string; approvedM2: number; allocations: number }) => [s.sector, s]));
    expect(sector.ngit).toMatchObject({ approvedM2: a!.areaM2, allocations: 1 });
    expect(sector.other).toMatchObject({ approvedM2: b!.areaM2, allocations: 1 });
    expect(sector.biomed).toMatchObject({ approvedM2: 0, allocations: 0 }); // cancelled: charge and reversal net to zero
    const sum = (xs: { approvedM2: number }[]) => Math.round(xs.reduce((t, x) => t + x.approvedM2 * 100, 0)) / 100;
    expect(r.body.byDistrict).toHaveLength(11);
    expect(sum(r.body.byDistrict)).toBe(approved);
    expect(sum(r.body.byPark)).toBe(approved);
    expect(r.body.byDistrict.find((d: { districtCode: string }) => d.districtCode === a!.districtCode).allocations).toBeGreaterThanOrEqual(1);
    // District officers read the report too; the public and investors do not.
    expect((await getJson(`/api/quotas/${year}/report`, await login(app(), 'district-tianhe'))).status).toBe(200);
    expect((await getJson(`/api/quotas/${year}/report`, null)).status).toBe(401);
    expect((await getJson(`/api/quotas/${year}/report`, await login(app(), 'investor'))).status).toBe(403);
    expect((await getJson('/api/quotas/2098/report')).status).toBe(404);
  });

  it('keeps every year’s cached totals equal to the sums of its ledger', async () => {
    const rows = await sql<{ year: number; approved: string; iab: string; sum: string; iab_sum: string }>`
      select q.year, q.approved_m2::text as approved, q.iab_approved_m2::text as iab,
             coalesce(sum(l.area_m2), 0)::numeric(14, 2)::text as sum,
             coalesce(sum(l.area_m2) filter (where l.iab), 0)::numeric(14, 2)::text as iab_sum
        from quotas q left join quota_ledger l on l.year = q.year
       group by q.year order by q.year`.execute(app().db);
    expect(rows.rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows.rows) {
      expect(Number(r.approved), `approved ${r.year}`).toBe(Number(r.sum));
      expect(Number(r.iab), `iab ${r.year}`).toBe(Number(r.iab_sum));
    }
    // And the plots agree with the allocations: every active allocation's plot is allocated.
    const mismatched = await sql<{ id: number }>`
      select a.id from allocations a join plots p on p.id = a.plot_id
       where a.status in ('approved', 'contracted', 'completed') and p.status <> 'allocated'`.execute(app().db);
    expect(mismatched.rows).toEqual([]);
  });

  it('holds the line in the database: a second active allocation for a plot is refused by the partial unique index', async () => {
    const [plot] = await freshPlots(app(), 1);
    const a = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: 2001 });
    const b = await proposeAtFloor(app(), land, plot!.id, 2026, { usccN: 2002 });
    expect((await post(`/api/allocations/${a}/approve`)).status).toBe(200);
    const d = (await getJson(`/api/allocations/${a}`)).body.decision;
    await expect(
      // b was closed as superseded by a's approval; force it back to approved past the service.
      app().db.updateTable('allocations').set({ status: 'approved', decision: JSON.stringify(d), approved_at: new Date(), cancelled_at: null, cancel_reason: null, superseded_by: null }).where('id', '=', b).execute(),
    ).rejects.toThrow(/allocations_one_active_per_plot/);
  });

  // --- Access ------------------------------------------------------------------------------------

  it('scopes district officers to their own district and keeps investors and the public out', async () => {
    const [hp] = await freshPlots(app(), 1, { districtCode: '440112' });
    const id = await proposeAtFloor(app(), land, hp!.id, 2026);
    const huangpu = await login(app(), 'district-huangpu');
    const tianhe = await login(app(), 'district-tianhe');
    const industry = await login(app(), 'industry');
    const investor = await login(app(), 'investor');
    expect((await getJson(`/api/allocations/${id}`, huangpu)).status).toBe(200);
    const other = await getJson(`/api/allocations/${id}`, tianhe);
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
    expect((await getJson(`/api/allocations/${id}`, industry)).status).toBe(200);
    const mine = await getJson('/api/allocations?limit=1000', huangpu);
    expect(mine.body.items.map((i: { id: number }) => i.id)).toContain(id);
    expect(mine.body.items.every((i: { districtCode: string }) => i.districtCode === '440112')).toBe(true);
    const theirs = await getJson('/api/allocations?limit=1000', tianhe);
    expect(theirs.body.items.map((i: { id: number }) => i.id)).not.toContain(id);
    expect(theirs.body.items.every((i: { districtCode: string }) => i.districtCode === '440106')).toBe(true);
    // Even asking for Huangpu by filter gives a Tianhe officer nothing.
    expect((await getJson('/api/allocations?districtCode=440112', tianhe)).body.total).toBe(0);
    expect((await getJson('/api/allocations', investor)).status).toBe(403);
    expect((await getJson('/api/allocations', null)).status).toBe(401);
    expect((await getJson(`/api/allocations/${id}`, null)).status).toBe(401);
    // Only the land officer and the administrator write.
    for (const s of [huangpu, industry, investor]) expect((await post(`/api/allocations/${id}/approve`, undefined, s)).status).toBe(403);
    expect((await post(`/api/allocations/${id}/approve`, undefined, null)).status).toBe(401);
    expect((await call(app(), huangpu, 'PUT', '/api/quotas/2026', { quotaM2: BIG_QUOTA_M2, iabReserveM2: 0 })).status).toBe(403);
    const admin = await login(app(), 'admin');
    expect((await post(`/api/allocations/${id}/approve`, undefined, admin)).status).toBe(200);
  });

  it('paginates and filters the list', async () => {
    const all = await getJson('/api/allocations?limit=1000');
    expect(all.body.total).toBeGreaterThan(5);
    const page = await getJson('/api/allocations?limit=2&offset=1');
    expect(page.body.items.map((i: { id: number }) => i.id)).toEqual(all.body.items.slice(1, 3).map((i: { id: number }) => i.id));
    expect(page.body.total).toBe(all.body.total);
    const cancelled = await getJson('/api/allocations?status=cancelled,completed&limit=1000');
    expect(cancelled.body.items.every((i: { status: string }) => ['cancelled', 'completed'].includes(i.status))).toBe(true);
    expect((await getJson('/api/allocations?status=lost')).status).toBe(400);
    expect((await getJson('/api/allocations?limit=1001')).status).toBe(400);
    expect((await getJson('/api/allocations?quotaYear=2031')).body.items.every((i: { quotaYear: number }) => i.quotaYear === 2031)).toBe(true);
    expect((await getJson('/api/allocations?iab=false&limit=1000')).body.items.every((i: { iab: boolean }) => !i.iab)).toBe(true);
  });
}, ONE_OFFICER);
