/**
 * Matching project land demand to supply (随用随供, issue #16 §4) over HTTP, on PGlite and
 * PostgreSQL: ranking the plots for a demand (the bureau's figures), holding a plot for it and
 * proposing an allocation for it in one step (reusing holds and proposals: their refusals pass
 * through, nothing half-written), satisfied once the allocation is approved, the
 * demand-against-supply overview on a small constructed case, and two demands racing for one plot.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { floorOf, freshPlots, putQuota, uscc } from './allocation-helpers.ts';
import { createDemand, demandBody, demandEvents, inDays, M2_PER_MU } from './demands-helpers.ts';

const YEAR = 2026;

describeOnDatabases('project land demands: rank, hold, propose, overview', (get) => {
  const app = () => get().app;
  let land: Session;
  let admin: Session;
  let industry: Session;
  let huangpu: Session;
  let n = 9300;
  /** A demand for a new enterprise (its own USCC). */
  const newDemand = (o: Record<string, unknown> = {}, r: Record<string, unknown> = {}) => {
    n++;
    return createDemand(app(), land, demandBody({ enterprise: { name: `广州需求测试企业 ${n} 有限公司`, uscc: uscc(n) }, ...o }, r));
  };
  const plotStatus = async (id: number) => (await app().db.selectFrom('plots').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
  const stored = (id: number) => app().db.selectFrom('land_demands').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
    industry = await login(app(), 'industry');
    huangpu = await login(app(), 'district-huangpu');
    await putQuota(app(), land, YEAR, 50_000_000);
  });

  it('ranks the plots for a demand with its requirements, as the bureau (internal floor shown)', async () => {
    const d = await newDemand({}, { sector: 'ai', areaMuMin: 1, areaMuMax: 100_000 });
    const r = await call(app(), land, 'POST', `/api/demands/${d.id}/rank`, { limit: 5 });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.items.length).toBeGreaterThan(0);
    expect(r.body.items.length).toBeLessThanOrEqual(5);
    expect(r.body.items[0].internalFloor).toBeDefined();
    expect(r.body.items.map((i: { rank: number }) => i.rank)).toEqual(r.body.items.map((_: unknown, k: number) => k + 1));
    // Re-weighted: all on price; weights all zero are refused naming the field.
    const price = await call(app(), land, 'POST', `/api/demands/${d.id}/rank`, { weights: { price: 1 }, limit: 5 });
    expect(price.status, JSON.stringify(price.body)).toBe(200);
    const zero = await call(app(), land, 'POST', `/api/demands/${d.id}/rank`, { weights: { price: 0 } });
    expect(zero.status).toBe(400);
    expect(zero.body.field).toBe('weights');
    expect((await call(app(), land, 'POST', '/api/demands/99999999/rank', {})).status).toBe(404);
  });

  it('holds a plot for the demand’s enterprise in one step: the plot held, the demand matched with its district, both audited', async () => {
    const [plot] = await freshPlots(app(), 1);
    const d = await newDemand({}, { districtCodes: ['440103'] });
    const r = await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(45) });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.hold).toMatchObject({ plotId: plot!.id, applicant: d.enterprise, until: inDays(45), active: true });
    expect(r.body.hold.note).toContain(`用地需求 #${d.id}`);
    expect(r.body.demand).toMatchObject({ status: 'matched', holdId: r.body.hold.id, plotId: plot!.id, plotCode: plot!.code, allocationId: null });
    expect(r.body.demand.districtCodes).toEqual([...new Set(['440103', plot!.districtCode])].sort());
    expect(await plotStatus(plot!.id)).toBe('held');
    expect(await demandEvents(app(), land, d.id)).toEqual(['demand.created', 'demand.held']);
    const holdEvents = await call(app(), land, 'GET', `/api/audit?entity=plot_hold&entityId=${r.body.hold.id}`);
    expect(holdEvents.body.items.map((e: { action: string }) => e.action)).toEqual(['hold.create']);
    // Matched: a second hold is refused; so is holding for a closed demand.
    const [other] = await freshPlots(app(), 1);
    const again = await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: other!.id, until: inDays(45) });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('DEMAND_MATCHED');
    expect(await plotStatus(other!.id)).toBe('available');
  });

  it('refuses to hold for a demand without a USCC, a closed one, or a plot that is not available — writing nothing', async () => {
    const [plot] = await freshPlots(app(), 1);
    const noCode = await createDemand(app(), land, demandBody({ enterprise: { name: '广州未登记代码有限公司' } }));
    const r = await call(app(), land, 'POST', `/api/demands/${noCode.id}/hold`, { plotId: plot!.id, until: inDays(30) });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe('enterprise.uscc');

    const closed = await newDemand();
    await call(app(), land, 'PATCH', `/api/demands/${closed.id}`, { status: 'closed', closeReason: '项目取消' });
    const c = await call(app(), land, 'POST', `/api/demands/${closed.id}/hold`, { plotId: plot!.id, until: inDays(30) });
    expect(c.status).toBe(409);
    expect(c.body.reason).toBe('DEMAND_CLOSED');
    expect(c.body.message).toMatch(/closed.*reopen/);

    // The hold's own refusals pass through unchanged: a past date, a plot already held.
    const d = await newDemand();
    const past = await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(-1) });
    expect(past.status).toBe(400);
    expect(past.body.field).toBe('until');
    const held = await app().db.selectFrom('plots').select('id').where('status', '=', 'held').executeTakeFirstOrThrow();
    const taken = await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: held.id, until: inDays(30) });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('PLOT_UNAVAILABLE');
    expect((await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: 99999999, until: inDays(30) })).status).toBe(404);

    expect(await plotStatus(plot!.id)).toBe('available');
    for (const id of [noCode.id, closed.id, d.id]) expect((await stored(id)).hold_id).toBeNull();
    expect((await stored(d.id)).status).toBe('open');
    expect(await demandEvents(app(), land, d.id)).toEqual(['demand.created']);
    // Only the bureau's land side holds.
    for (const s of [industry, huangpu]) expect((await call(app(), s, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(30) })).status).toBe(403);
  });

  it('proposes an allocation for the demand’s project; satisfied once approved; a refused proposal changes nothing', async () => {
    const [plot] = await freshPlots(app(), 1);
    const d = await newDemand({ projectName: '抗体药物产业化项目', keyProject: true });
    const floor = await floorOf(app(), land, plot!.id, true);
    const body = (priceYuan: number) => ({ plotId: plot!.id, quotaYear: YEAR, mode: 'transfer', termYears: 50, priceYuan, subSector: '抗体药物' });

    const low = await call(app(), land, 'POST', `/api/demands/${d.id}/propose`, body(Math.floor(floor * 0.5)));
    expect(low.status, JSON.stringify(low.body)).toBe(422);
    expect(low.body.code).toBe('BELOW_PRICE_FLOOR');
    expect(await stored(d.id)).toMatchObject({ status: 'open', allocation_id: null, plot_id: null });
    expect((await call(app(), land, 'GET', `/api/allocations?plotId=${plot!.id}`)).body.total).toBe(0);

    const ok = await call(app(), land, 'POST', `/api/demands/${d.id}/propose`, body(floor));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.allocation).toMatchObject({ plotId: plot!.id, status: 'proposed' });
    expect(ok.body.allocation.project).toMatchObject({ name: '抗体药物产业化项目', sector: 'biomed' });
    expect(JSON.stringify(ok.body.allocation)).toContain(d.enterprise.uscc);
    expect(ok.body.demand).toMatchObject({ status: 'matched', allocationId: ok.body.allocation.id, allocationStatus: 'proposed', plotId: plot!.id });
    expect(ok.body.demand.districtCodes).toContain(plot!.districtCode);
    const project = await app().db.selectFrom('allocations as a').innerJoin('projects as p', 'p.id', 'a.project_id').select(['p.iab', 'p.key_project', 'p.name']).where('a.id', '=', ok.body.allocation.id).executeTakeFirstOrThrow();
    expect(project).toMatchObject({ iab: true, key_project: true, name: '抗体药物产业化项目' });
    expect(await demandEvents(app(), land, d.id)).toEqual(['demand.created', 'demand.proposed']);
    const dup = await call(app(), land, 'POST', `/api/demands/${d.id}/propose`, body(floor));
    expect(dup.status).toBe(409);
    expect(dup.body.reason).toBe('DEMAND_MATCHED');

    const approved = await call(app(), admin, 'POST', `/api/allocations/${ok.body.allocation.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const after = (await call(app(), land, 'GET', `/api/demands/${d.id}`)).body;
    expect(after).toMatchObject({ status: 'satisfied', allocationStatus: 'approved', overdue: false });
    expect((await call(app(), land, 'GET', '/api/demands?status=satisfied&limit=1000')).body.items.map((x: { id: number }) => x.id)).toContain(d.id);
    const close = await call(app(), land, 'PATCH', `/api/demands/${d.id}`, { status: 'closed', closeReason: '不再需要' });
    expect(close.status).toBe(409);
    expect((await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(10) })).status).toBe(409);
  });

  it('holds, then proposes the held plot to the holder: approval ends the hold and satisfies the demand', async () => {
    const [plot, other] = await freshPlots(app(), 2);
    const d = await newDemand({}, { sector: 'other', areaMuMin: 1, areaMuMax: 500 });
    expect((await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(60) })).status).toBe(201);
    // While it holds one plot, it cannot be proposed another.
    const floorOther = await floorOf(app(), land, other!.id, false);
    const elsewhere = await call(app(), land, 'POST', `/api/demands/${d.id}/propose`, { plotId: other!.id, quotaYear: YEAR, mode: 'transfer', termYears: 50, priceYuan: floorOther });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body).toMatchObject({ reason: 'DEMAND_MATCHED', plotId: plot!.id });
    const floor = await floorOf(app(), land, plot!.id, false);
    const p = await call(app(), land, 'POST', `/api/demands/${d.id}/propose`, { plotId: plot!.id, quotaYear: YEAR, mode: 'transfer', termYears: 50, priceYuan: floor });
    expect(p.status, JSON.stringify(p.body)).toBe(201);
    expect(p.body.allocation.project).toMatchObject({ sector: 'other' });
    expect(p.body.demand).toMatchObject({ status: 'matched', allocationStatus: 'proposed' });
    expect(p.body.demand.holdId).not.toBeNull();
    const approved = await call(app(), admin, 'POST', `/api/allocations/${p.body.allocation.id}/approve`, {});
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    expect((await call(app(), land, 'GET', `/api/demands/${d.id}`)).body.status).toBe('satisfied');
    expect(await plotStatus(plot!.id)).toBe('allocated');
  });

  it('reads open again when its hold has lapsed, and may then hold another plot', async () => {
    const [plot, next] = await freshPlots(app(), 2);
    const d = await newDemand();
    const h = await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(5) });
    expect(h.status).toBe(201);
    await app().db.updateTable('plot_holds').set({ held_until: '2020-01-01' }).where('id', '=', h.body.hold.id).execute();
    expect((await call(app(), land, 'GET', `/api/demands/${d.id}`)).body.status).toBe('open');
    const again = await call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: next!.id, until: inDays(5) });
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect(again.body.demand).toMatchObject({ status: 'matched', plotId: next!.id });
  });

  it('lets exactly one of two demands hold the same plot at once', async () => {
    const [plot] = await freshPlots(app(), 1);
    const a = await newDemand();
    const b = await newDemand();
    const results = await Promise.all([a, b].map((d) => call(app(), land, 'POST', `/api/demands/${d.id}/hold`, { plotId: plot!.id, until: inDays(30) })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = results.find((r) => r.status === 409)!;
    expect(loser.body.code).toBe('PLOT_UNAVAILABLE');
    const rows = await app().db.selectFrom('land_demands').select(['status', 'hold_id']).where('id', 'in', [a.id, b.id]).execute();
    expect(rows.filter((r) => r.status === 'matched')).toHaveLength(1);
    expect(rows.filter((r) => r.status === 'open' && r.hold_id === null)).toHaveLength(1);
    const holds = await app().db.selectFrom('plot_holds').select('id').where('plot_id', '=', plot!.id).where('released_at', 'is', null).execute();
    expect(holds).toHaveLength(1);
  });

  it('sets demand against supply per sector and district, on a small constructed case', async () => {
    // 增城 (440118) has sample plots; 荔湾 (440103) has no park, hence no plot.
    const fitting = await newDemand({}, { sector: 'other', areaMuMin: 1, areaMuMax: 10_000, districtCodes: ['440118'] });
    const tooBig = await newDemand({}, { sector: 'other', areaMuMin: 9000, areaMuMax: 9500, districtCodes: ['440118'] });
    const twoDistricts = await newDemand({}, { sector: 'other', areaMuMin: 9000, areaMuMax: 9500, districtCodes: ['440103', '440118'] });
    const nowhere = await newDemand({}, { sector: 'other', areaMuMin: 9000, areaMuMax: 9500 });
    const closed = await newDemand({}, { sector: 'other', areaMuMin: 5, areaMuMax: 6, districtCodes: ['440118'] });
    await call(app(), land, 'PATCH', `/api/demands/${closed.id}`, { status: 'closed', closeReason: '测试' });

    const r = await call(app(), land, 'GET', '/api/demands/overview');
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const available = await app()
      .db.selectFrom('plots as pl')
      .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['pl.area_m2'])
      .where('pk.district_code', '=', '440118')
      .where('pl.status', '=', 'available')
      .execute();
    const fits = available.filter((p) => Number(p.area_m2) >= 1 * M2_PER_MU && Number(p.area_m2) <= 10_000 * M2_PER_MU);
    expect(fits.length).toBeGreaterThan(0);
    const row = (sector: string, district: string | null) => r.body.rows.find((x: { sector: string; districtCode: string | null }) => x.sector === sector && x.districtCode === district);
    expect(row('other', '440118')).toEqual({
      sector: 'other',
      districtCode: '440118',
      demands: 3,
      muNeededMin: 1 + 9000 + 9000,
      muNeededMax: 10_000 + 9500 + 9500,
      fittingPlots: fits.length,
      muFitting: Math.round((fits.reduce((s, p) => s + Number(p.area_m2), 0) / M2_PER_MU) * 100) / 100,
      unmetDemands: 2,
      unmetMu: 18_000,
    });
    expect(row('other', '440103')).toMatchObject({ demands: 1, muNeededMin: 9000, fittingPlots: 0, muFitting: 0, unmetDemands: 1, unmetMu: 9000 });
    // No district named: the null row; the sample non-IAB demand is there too.
    expect(row('other', null).demands).toBeGreaterThanOrEqual(1);
    expect(row('other', null).unmetDemands).toBeGreaterThanOrEqual(1);
    // Totals over distinct open and matched demands, as the list counts them.
    const open = (await call(app(), land, 'GET', '/api/demands?status=open&limit=1')).body.total;
    const matched = (await call(app(), land, 'GET', '/api/demands?status=matched&limit=1')).body.total;
    expect(r.body.totals.demands).toBe(open + matched);
    const waits = r.body.longestWaiting.map((x: { waitingDays: number }) => x.waitingDays);
    expect(r.body.longestWaiting.length).toBe(Math.min(10, open + matched));
    expect(waits).toEqual([...waits].sort((a: number, b: number) => b - a));
    expect(r.body.longestWaiting.every((x: { status: string }) => x.status === 'open' || x.status === 'matched')).toBe(true);
    const ids = new Set([fitting.id, tooBig.id, twoDistricts.id, nowhere.id]);
    expect(r.body.longestWaiting.some((x: { id: number }) => x.id === closed.id)).toBe(false);
    expect(ids.size).toBe(4);

    // A district officer: only their district's rows and the demands concerning it.
    const hp = await call(app(), huangpu, 'GET', '/api/demands/overview');
    expect(hp.status).toBe(200);
    expect(hp.body.rows.length).toBeGreaterThan(0);
    expect(hp.body.rows.every((x: { districtCode: string | null }) => x.districtCode === '440112')).toBe(true);
    expect(hp.body.longestWaiting.every((x: { districtCodes: string[] }) => x.districtCodes.includes('440112'))).toBe(true);
  });
});
