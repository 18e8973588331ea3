/**
 * Supervision on the district dashboard and the city overview, and the yearly monitoring report
 * (issue #15 §5): idle land (count, area, fees decided), 亩均 grades by park, 标准地 conditions
 * unmet and inspections open — each checked against what this test set up, as exact differences
 * from the figures read before it (the demo's sample records are there too); the report's CSV
 * (BOM, Chinese headers); scope (a district officer: their own district only).
 *
 * Scenario in 天河 (440106), contracts signed 900 days ago:
 *   X1 agreed start 400 days ago, no start      → idle_fee; a fee decided; an inspection opened
 *   X2 agreed start 800 days ago, no start      → reclaim
 *   X3 agreed start 30 days ago, no start       → overdue (not idle land)
 *   X4 started and completed; last year's figures → A, this year's → B
 *   X5 started and completed; last year's figures → D, and the plot's 亩均税收 condition is unmet
 */
import { beforeAll, expect, it } from 'vitest';
import Papa from 'papaparse';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { freshPlots, floorOf, proposal, putQuota, type TestPlot } from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';
import { hundredthsToM2, m2ToHundredths } from '../../shared/units.ts';

const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- loose test reads

const addDays = (iso: string, n: number) => {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const sumM2 = (xs: number[]) => hundredthsToM2(xs.reduce((s, x) => s + m2ToHundredths(x), 0n));
/** Per 亩 to the yuan, half up: figure ÷ (area m² × 3 / 2000). */
const perMu = (yuan: number, areaM2: number) => Math.round((yuan * 2000) / (areaM2 * 3));

describeOnDatabases('supervision on the dashboards and the yearly monitoring report', (get) => {
  const app = () => get().app;
  const today = bureauToday();
  const thisYear = Number(today.slice(0, 4));
  const lastYear = thisYear - 1;
  let land: Session;
  let tianhe: Session;
  let plots: (TestPlot & { parkId: number })[];
  const id: Record<string, number> = {};
  const FEE = 123_456.78;
  let dash0: Json;
  let city0: Json;
  let report0: Json;
  let reportLast0: Json;
  let thresholds: Json;
  const figures = {
    X4last: { outputYuan: 0, taxYuan: 0, energyTce: 120.5, employees: 80 },
    X4this: { outputYuan: 0, taxYuan: 0, energyTce: 110, employees: 82 },
    X5last: { outputYuan: 1000, taxYuan: 0, energyTce: 3, employees: 2 },
  };

  const post = (url: string, body: unknown, s: Session = land) => call(app(), s, 'POST', url, body);
  const getJson = async (url: string, s: Session | null = land) => {
    const r = await call(app(), s, 'GET', url);
    expect(r.status, `${url}: ${JSON.stringify(r.body)}`).toBe(200);
    return r.body as Json;
  };
  /** A write that must succeed (200 or 201, as the route answers). */
  const ok = async (p: Promise<{ status: number; body: unknown }>) => {
    const r = await p;
    expect([200, 201], JSON.stringify(r.body)).toContain(r.status);
    return r.body as Json;
  };

  async function contracted(key: string, plot: TestPlot, startDaysAgo: number, started: boolean) {
    const price = await floorOf(app(), land, plot.id, true);
    const r = await post('/api/allocations', proposal(plot.id, thisYear, price, { name: `监管看板 ${key}`, usccN: 700_000 + plot.id }));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const a = r.body.id as number;
    await ok(post(`/api/allocations/${a}/approve`, {}));
    await ok(post(`/api/allocations/${a}/contract`, {
      contractNo: `440106-JG-${a}`,
      supervisionNo: `4401062026J${String(a).padStart(5, '0')}`,
      signedOn: addDays(today, -900),
      agreedHandoverOn: addDays(today, -880),
      agreedStartOn: addDays(today, -startDaysAgo),
      agreedCompletionOn: addDays(today, 400),
    }));
    if (started) {
      await ok(post(`/api/allocations/${a}/milestones`, { kind: 'handed_over', date: addDays(today, -880) }));
      await ok(post(`/api/allocations/${a}/milestones`, { kind: 'started', date: addDays(today, -startDaysAgo) }));
      // Completed: not stalled (art. 2's ⅓ area / 25 % investment does not apply once built).
      await ok(post(`/api/allocations/${a}/milestones`, { kind: 'completed', date: addDays(today, -100) }));
    }
    id[key] = a;
    return a;
  }

  beforeAll(async () => {
    land = await login(app(), 'land');
    tianhe = await login(app(), 'district-tianhe');
    await putQuota(app(), land, thisYear, 50_000_000);
    const fresh = await freshPlots(app(), 5, { districtCode: '440106' });
    const parkOf = await app().db.selectFrom('plots').select(['id', 'park_id']).where('id', 'in', fresh.map((p) => p.id)).execute();
    plots = fresh.map((p) => ({ ...p, parkId: parkOf.find((r) => r.id === p.id)!.park_id }));
    thresholds = (await getJson(`/api/supervision/evaluation?year=${lastYear}`)).thresholds;
    // Figures sure to grade A (twice the A minimums) and B (between B and A) on X4's area.
    const mu = (plots[3]!.areaM2 * 3) / 2000;
    figures.X4last.outputYuan = Math.ceil(thresholds.A.outputPerMuYuan * mu * 2);
    figures.X4last.taxYuan = Math.ceil(thresholds.A.taxPerMuYuan * mu * 2);
    figures.X4this.outputYuan = Math.ceil(((thresholds.A.outputPerMuYuan + thresholds.B.outputPerMuYuan) / 2) * mu);
    figures.X4this.taxYuan = Math.ceil(((thresholds.A.taxPerMuYuan + thresholds.B.taxPerMuYuan) / 2) * mu);

    dash0 = await getJson(`/api/districts/440106/dashboard?year=${thisYear}`);
    city0 = await getJson(`/api/bureau/parks?year=${thisYear}`);
    report0 = await getJson(`/api/supervision/report?year=${thisYear}&districtCode=440106`);
    reportLast0 = await getJson(`/api/supervision/report?year=${lastYear}&districtCode=440106`);

    // X5's plot asks ≥ 1,000 yuan of tax per 亩 before it is allocated (frozen at approval).
    const history = await getJson(`/api/plots/${plots[4]!.id}/history`);
    await ok(call(app(), land, 'PATCH', `/api/plots/${plots[4]!.id}`, { expectedRowVersion: history.rowVersion, conditions: { taxPerMuYuanMin: 1000 } }));

    await contracted('X1', plots[0]!, 400, false);
    await contracted('X2', plots[1]!, 800, false);
    await contracted('X3', plots[2]!, 30, false);
    await contracted('X4', plots[3]!, 600, true);
    await contracted('X5', plots[4]!, 600, true);

    await ok(post('/api/supervision/decisions', { allocationId: id.X1, kind: 'idle_fee', documentNo: `穗规划资源闲决〔${thisYear}〕${id.X1}号`, decidedOn: today, feeYuan: FEE }));
    const tianheUser = await app().db.selectFrom('users').select('id').where('username', '=', 'district-tianhe').executeTakeFirstOrThrow();
    await ok(post('/api/supervision/inspections', { allocationId: id.X1, assigneeId: tianheUser.id, reason: '闲置土地实地核查' }));

    await ok(post(`/api/allocations/${id.X4}/performance`, { year: lastYear, ...figures.X4last }));
    await ok(post(`/api/allocations/${id.X4}/performance`, { year: thisYear, ...figures.X4this }));
    await ok(post(`/api/allocations/${id.X5}/performance`, { year: lastYear, ...figures.X5last }));
  });

  it('the grades this test expects follow from the thresholds, independently of the server', () => {
    const p4 = plots[3]!;
    const grade = (out: number, tax: number) =>
      (['A', 'B', 'C'] as const).find((g) => perMu(tax, p4.areaM2) >= thresholds[g].taxPerMuYuan && perMu(out, p4.areaM2) >= thresholds[g].outputPerMuYuan) ?? 'D';
    expect(grade(figures.X4last.outputYuan, figures.X4last.taxYuan)).toBe('A');
    expect(grade(figures.X4this.outputYuan, figures.X4this.taxYuan)).toBe('B');
    expect(grade(figures.X5last.outputYuan, figures.X5last.taxYuan)).toBe('D');
  });

  it('the district dashboard adds a supervision object with exactly the scenario’s differences; the other fields stay', async () => {
    const d = await getJson(`/api/districts/440106/dashboard?year=${thisYear}`);
    for (const k of Object.keys(dash0)) expect(d, k).toHaveProperty(k);
    expect(d.parks.map((p: Json) => p.code)).toEqual(dash0.parks.map((p: Json) => p.code));
    expect(d.totals.projectsSigned - dash0.totals.projectsSigned).toBe(5);
    expect(d.totals.projectsLanded - dash0.totals.projectsLanded).toBe(2);

    const s = d.supervision;
    const s0 = dash0.supervision;
    expect(s.asOf).toBe(today);
    expect(s.evaluationYear).toBe(lastYear);
    expect(s.idle.count - s0.idle.count).toBe(2);
    expect(s.idle.areaM2).toBe(sumM2([s0.idle.areaM2, plots[0]!.areaM2, plots[1]!.areaM2]));
    expect(Math.round((s.idle.feesDecidedYuan - s0.idle.feesDecidedYuan) * 100)).toBe(Math.round(FEE * 100));
    expect(s.idle.byStage.idle_fee - s0.idle.byStage.idle_fee).toBe(1);
    expect(s.idle.byStage.reclaim - s0.idle.byStage.reclaim).toBe(1);
    expect(s.idle.byStage.overdue - s0.idle.byStage.overdue).toBe(1);
    expect(s.grades.A - s0.grades.A).toBe(1);
    expect(s.grades.D - s0.grades.D).toBe(1);
    expect(s.grades.B - s0.grades.B).toBe(0);
    expect(s.conditionsUnmet - s0.conditionsUnmet).toBe(1);
    expect(s.inspectionsOpen - s0.inspectionsOpen).toBe(1);
    expect(s.thresholds).toMatchObject({ versionId: thresholds.versionId, sample: thresholds.sample });
    // Grades by park: X4's park one A more, X5's one D more.
    const byPark = (x: Json, parkId: number) => x.gradesByPark.find((g: Json) => g.parkId === parkId);
    const delta = (g: 'A' | 'B' | 'C' | 'D', parkId: number) => byPark(s, parkId)[g] - byPark(s0, parkId)[g];
    const expectA = plots[3]!.parkId === plots[4]!.parkId ? { A: 1, D: 1 } : null;
    if (expectA) {
      expect([delta('A', plots[3]!.parkId), delta('D', plots[3]!.parkId)]).toEqual([1, 1]);
    } else {
      expect(delta('A', plots[3]!.parkId)).toBe(1);
      expect(delta('D', plots[4]!.parkId)).toBe(1);
    }
    // Every park's grades add up to the district's.
    for (const g of ['A', 'B', 'C', 'D'] as const) expect(s.gradesByPark.reduce((n: number, p: Json) => n + p[g], 0)).toBe(s.grades[g]);
  });

  it('the city overview adds the same differences, and 签约/落地 key projects against 100 and 50', async () => {
    const c = await getJson(`/api/bureau/parks?year=${thisYear}`);
    const s = c.supervision;
    const s0 = city0.supervision;
    expect(s.idle.count - s0.idle.count).toBe(2);
    expect(Math.round((s.idle.feesDecidedYuan - s0.idle.feesDecidedYuan) * 100)).toBe(Math.round(FEE * 100));
    expect(s.grades.A - s0.grades.A).toBe(1);
    expect(s.grades.D - s0.grades.D).toBe(1);
    expect(s.conditionsUnmet - s0.conditionsUnmet).toBe(1);
    expect(s.inspectionsOpen - s0.inspectionsOpen).toBe(1);
    expect(c.planTargets).toMatchObject({ clause: '四(二)6', keyProjectsSigned: 100, keyProjectsLanded: 50 });
    // The city counts at least the district's.
    const d = await getJson(`/api/districts/440106/dashboard?year=${thisYear}`);
    expect(s.idle.count).toBeGreaterThanOrEqual(d.supervision.idle.count);
    expect(s.inspectionsOpen).toBeGreaterThanOrEqual(d.supervision.inspectionsOpen);
  });

  it('the monitoring report (this year, 天河) lists the scenario per park, and its totals are the sums of its parks', async () => {
    const r = await getJson(`/api/supervision/report?year=${thisYear}&districtCode=440106`, tianhe);
    expect(r.scope).toMatchObject({ districtCode: '440106' });
    expect(r.year).toBe(thisYear);
    expect(r.asOf).toBe(today);
    const park = (x: Json, parkId: number) => x.parks.find((p: Json) => p.id === parkId);
    const item = (key: string, parkId: number) => park(r, parkId).idleItems.find((i: Json) => i.allocationId === id[key]);
    expect(item('X1', plots[0]!.parkId)).toMatchObject({ stage: 'idle_fee', daysLate: 400, decided: true, plotCode: plots[0]!.code, areaM2: plots[0]!.areaM2 });
    expect(item('X2', plots[1]!.parkId)).toMatchObject({ stage: 'reclaim', daysLate: 800, decided: false });
    expect(item('X3', plots[2]!.parkId)).toMatchObject({ stage: 'overdue', daysLate: 30, feeYuan: null });
    expect(item('X4', plots[3]!.parkId)).toBeUndefined();
    // X1's fee: 20 % of the price, to the fen (half up) — from the allocation's price.
    const a1 = await getJson(`/api/allocations/${id.X1}`);
    expect(Math.round(item('X1', plots[0]!.parkId).feeYuan * 100)).toBe(Math.round(Math.round(a1.priceYuan * 100) * 0.2));

    // Per park: idle = idle_fee + reclaim items, their area; inspections open.
    for (const p of r.parks as Json[]) {
      const idle = p.idleItems.filter((i: Json) => i.stage === 'idle_fee' || i.stage === 'reclaim');
      expect(p.idle.count, p.code).toBe(idle.length);
      expect(p.idle.areaM2, p.code).toBe(sumM2(idle.map((i: Json) => i.areaM2)));
    }
    const p1 = park(r, plots[0]!.parkId);
    const p10 = park(report0, plots[0]!.parkId);
    expect(p1.inspections.open - p10.inspections.open).toBe(1);
    expect(p1.inspections.openedInYear - p10.inspections.openedInYear).toBe(1);
    expect(Math.round((p1.idle.feesDecidedYuan - p10.idle.feesDecidedYuan) * 100)).toBe(Math.round(FEE * 100));
    // This year's evaluation: X4 graded B.
    expect(park(r, plots[3]!.parkId).grades.B - park(report0, plots[3]!.parkId).grades.B).toBe(1);

    // Totals are the sums over the parks.
    const sum = (f: (p: Json) => number) => (r.parks as Json[]).reduce((n, p) => n + f(p), 0);
    expect(r.totals.parks).toBe(r.parks.length);
    expect(r.totals.idle.count).toBe(sum((p) => p.idle.count));
    expect(r.totals.idle.areaM2).toBe(sumM2(r.parks.map((p: Json) => p.idle.areaM2)));
    for (const g of ['A', 'B', 'C', 'D'] as const) expect(r.totals.grades[g]).toBe(sum((p) => p.grades[g]));
    expect(r.totals.conditionsUnmet).toBe(sum((p) => p.conditionsUnmet));
    expect(r.totals.inspections.open).toBe(sum((p) => p.inspections.open));
    expect(r.totals.land.availableAreaM2).toBe(sumM2(r.parks.map((p: Json) => p.land.availableAreaM2)));

    // Land and signed/landed agree with the district dashboard's park rows.
    const d = await getJson(`/api/districts/440106/dashboard?year=${thisYear}`);
    for (const row of d.parks as Json[]) {
      const p = park(r, row.id);
      expect(p.land.availableAreaM2, row.code).toBe(row.availableAreaM2);
      expect(p.land.allocatedAreaM2, row.code).toBe(row.allocatedAreaM2);
      expect([p.projectsSigned, p.projectsLanded], row.code).toEqual([row.projectsSigned, row.projectsLanded]);
    }
    expect(r.totals.projectsSigned).toBe(d.totals.projectsSigned);
  });

  it('last year’s report judges idle land on 31 December and grades last year’s figures (X4 A, X5 D with its unmet condition)', async () => {
    const r = await getJson(`/api/supervision/report?year=${lastYear}&districtCode=440106`);
    expect(r.asOf).toBe(`${lastYear}-12-31`);
    const park = (x: Json, parkId: number) => x.parks.find((p: Json) => p.id === parkId);
    const d = (g: 'A' | 'B' | 'C' | 'D', parkId: number) => park(r, parkId).grades[g] - park(reportLast0, parkId).grades[g];
    expect(d('A', plots[3]!.parkId)).toBe(1);
    expect(d('D', plots[4]!.parkId)).toBe(1);
    const unmet = park(r, plots[4]!.parkId).unmetItems.find((u: Json) => u.allocationId === id.X5);
    expect(unmet).toMatchObject({ grade: 'D', plotCode: plots[4]!.code });
    const tax = unmet.fields.find((f: Json) => f.field === 'taxPerMuYuanMin');
    expect(tax).toMatchObject({ required: 1000, actual: 0, gap: 1000 });
    // The start 30 days ago is not yet late on last 31 December unless that was within 30 days.
    const x3 = park(r, plots[2]!.parkId).idleItems.find((i: Json) => i.allocationId === id.X3);
    if (addDays(today, -30) >= `${lastYear}-12-31`) expect(x3).toBeUndefined();
  });

  it('as CSV: UTF-8 with a BOM, Chinese headers, one line per park and the total', async () => {
    const res = await call(app(), tianhe, 'GET', `/api/supervision/report?year=${thisYear}&districtCode=440106&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment/);
    const text = res.res.body;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = Papa.parse<string[]>(text.slice(1).trim(), { skipEmptyLines: true }).data;
    const head = rows[0]!;
    for (const h of ['园区编号 Park code', '剩余可供用地（亩） Land left (mu)', '签约项目 Projects signed', '落地项目 Projects landed', '闲置土地（宗） Idle land (count)', '已决定闲置费（元） Idle fees decided (yuan)', 'A类 Grade A', 'D类 Grade D', '标准地条件未达标 Conditions unmet', '在办核查 Inspections open']) {
      expect(head, h).toContain(h);
    }
    const json = await getJson(`/api/supervision/report?year=${thisYear}&districtCode=440106`, tianhe);
    const total = rows.find((r) => r[0] === '合计 Total')!;
    expect(total).toBeDefined();
    expect(Number(total[head.indexOf('闲置土地（宗） Idle land (count)')])).toBe(json.totals.idle.count);
    expect(Number(total[head.indexOf('在办核查 Inspections open')])).toBe(json.totals.inspections.open);
    expect(Number(total[head.indexOf('已决定闲置费（元） Idle fees decided (yuan)')])).toBeCloseTo(json.totals.idle.feesDecidedYuan, 2);
    for (const p of json.parks as Json[]) {
      const line = rows.find((r) => r[0] === p.code);
      expect(line, p.code).toBeDefined();
      expect(Number(line![head.indexOf('A类 Grade A')])).toBe(p.grades.A);
    }
  });

  it('scope: a district officer sees only their own district (403 elsewhere and for the city); the public 401; an investor 403', async () => {
    expect((await call(app(), tianhe, 'GET', `/api/supervision/report?year=${thisYear}&districtCode=440112`)).status).toBe(403);
    expect((await call(app(), tianhe, 'GET', `/api/supervision/report?year=${thisYear}&districtCode=440112&format=csv`)).status).toBe(403);
    const own = await getJson(`/api/supervision/report?year=${thisYear}`, tianhe);
    expect(own.scope.districtCode).toBe('440106');
    expect(own.parks.every((p: Json) => p.districtCode === '440106')).toBe(true);
    const huangpu = await login(app(), 'district-huangpu');
    expect((await call(app(), huangpu, 'GET', `/api/supervision/report?districtCode=440106`)).status).toBe(403);
    expect((await call(app(), huangpu, 'GET', '/api/districts/440106/dashboard')).status).toBe(403);
    expect((await call(app(), null, 'GET', '/api/supervision/report')).status).toBe(401);
    const investor = await login(app(), 'investor');
    expect((await call(app(), investor, 'GET', '/api/supervision/report')).status).toBe(403);
    const city = await getJson(`/api/supervision/report?year=${thisYear}`, land);
    expect(city.scope.districtCode).toBeNull();
    expect(city.totals.idle.count).toBeGreaterThanOrEqual(own.totals.idle.count);
    expect((await call(app(), land, 'GET', '/api/supervision/report?districtCode=999999')).status).toBe(404);
    expect((await call(app(), land, 'GET', '/api/supervision/report?year=1999')).status).toBe(400);
  });
}, ONE_OFFICER);
