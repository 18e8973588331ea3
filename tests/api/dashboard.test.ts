/**
 * The district dashboard, the bureau's city overview, their CSV exports and the park report:
 * every figure equals what the plots, allocations, quota and subsidy APIs say; scoping (a 天河
 * officer sees 天河, not 黄埔; the public sees neither); the CSV opens in Excel (BOM, Chinese and
 * English headers, areas in 亩, money in yuan).
 *
 * Scenario in 天河软件价值创新园 (P03, lead sector ngit), this year's quota:
 *   A1 ngit   approved → contracted → handed over → started      (signed, landed, lead sector)
 *   A2 other  approved → contracted, agreed start 5 days ago      (signed, overdue)
 *   A3 ai     approved                                            (allocated, not a lead sector)
 *   A4 ngit   approved → cancelled                                (charge + reversal: nets to 0)
 *   A5 ngit   proposed                                            (nothing)
 *   a hold on a sixth plot, and a 1,000,000 yuan subsidy.
 * The demo's own (sample) allocation records are there too (every allocated plot has one):
 * the figures are checked against the APIs, and the scenario's effect as exact differences
 * from the figures read before it.
 */
import { beforeAll, expect, it } from 'vitest';
import Papa from 'papaparse';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { parkIds } from './subsidy-helpers.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { m2ToHundredths, hundredthsToM2 } from '../../shared/units.ts';
import { bureauToday } from '../../shared/dates.ts';

const uscc = (n: number) => {
  const body = `91440106${String(n).padStart(9, '0')}`;
  return body + usccCheckChar(body);
};
const daysFromToday = (n: number) => {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};
const sumM2 = (xs: number[]) => hundredthsToM2(xs.reduce((s, x) => s + m2ToHundredths(x), 0n));

/**
 * One land officer proposes and approves here: this suite is about other rules. Four eyes
 * (APPROVAL_FOUR_EYES, on by default with PostgreSQL) has its own tests with the setting on, off
 * and at its defaults (allocation-decisions.test.ts); the concurrency tests run the defaults with
 * two officers.
 */
const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };

describeOnDatabases('district dashboard and city overview', (get) => {
  const app = () => get().app;
  const year = Number(bureauToday().slice(0, 4));
  let land: Session;
  let industry: Session;
  let tianhe: Session;
  let ids: Record<string, number>;
  let plots: { id: number; areaM2: number }[];
  const alloc: Record<string, number> = {};
  // The P03 row and the city totals before the scenario (the demo's sample records).
  let base: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- loose test reads
  let baseCity: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- loose test reads
  let baseOverdue: number[];
  const post = (url: string, body: unknown, s: Session = land) => call(app(), s, 'POST', url, body);
  const getJson = (url: string, s: Session | null = land) => call(app(), s, 'GET', url);

  async function allocate(key: string, plot: { id: number }, sector: 'ngit' | 'ai' | 'biomed' | 'other') {
    const iab = sector !== 'other';
    const floor = await post('/api/quotes/price-floor', { plotId: plot.id, iab });
    expect(floor.status, JSON.stringify(floor.body)).toBe(200);
    const r = await post('/api/allocations', {
      plotId: plot.id, quotaYear: year, mode: 'transfer', termYears: 50, priceYuan: floor.body.floorYuan,
      project: { name: `看板测试项目 ${key}`, enterprise: { name: `看板测试企业 ${key}`, uscc: uscc(plot.id) }, sector, iab },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    alloc[key] = r.body.id;
    return r.body.id as number;
  }
  const step = async (id: number, what: string, body: unknown = {}) => {
    const r = await post(`/api/allocations/${id}/${what}`, body);
    expect(r.status, `${what}: ${JSON.stringify(r.body)}`).toBe(200);
  };
  const contract = (id: number, startInDays: number) => step(id, 'contract', {
    contractNo: `440106-${year}-DB-${id}`,
    supervisionNo: `4401062026D${String(id).padStart(5, '0')}`,
    signedOn: daysFromToday(-30),
    agreedHandoverOn: daysFromToday(-20),
    agreedStartOn: daysFromToday(startInDays),
    agreedCompletionOn: daysFromToday(700),
  });

  beforeAll(async () => {
    land = await login(app(), 'land');
    industry = await login(app(), 'industry');
    tianhe = await login(app(), 'district-tianhe');
    ids = await parkIds(app());
    const q = await call(app(), land, 'PUT', `/api/quotas/${year}`, { quotaM2: 50_000_000, iabReserveM2: 0 });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    base = (await getJson('/api/districts/440106/dashboard')).body.parks[0];
    baseCity = (await getJson('/api/bureau/parks')).body.totals;
    baseOverdue = (await getJson(`/api/parks/${ids.P03}/report`)).body.overdue.map((o: { allocationId: number }) => o.allocationId);
    const available = await getJson(`/api/plots?parkId=${ids.P03}&status=available`, null);
    plots = available.body.features.slice(0, 6).map((f: { properties: { id: number; areaM2: number } }) => f.properties);
    expect(plots).toHaveLength(6);

    const a1 = await allocate('A1', plots[0]!, 'ngit');
    await step(a1, 'approve');
    await contract(a1, -10);
    await step(a1, 'milestones', { kind: 'handed_over', date: daysFromToday(-19) });
    await step(a1, 'milestones', { kind: 'started', date: daysFromToday(-9) });
    const a2 = await allocate('A2', plots[1]!, 'other');
    await step(a2, 'approve');
    await contract(a2, -5);
    const a3 = await allocate('A3', plots[2]!, 'ai');
    await step(a3, 'approve');
    const a4 = await allocate('A4', plots[3]!, 'ngit');
    await step(a4, 'approve');
    await step(a4, 'cancel', { reason: '企业放弃' });
    await allocate('A5', plots[4]!, 'ngit');
    const hold = await post(`/api/plots/${plots[5]!.id}/holds`, { applicant: { name: '意向企业', uscc: uscc(900_001) }, until: daysFromToday(30) });
    expect(hold.status, JSON.stringify(hold.body)).toBe(201);
    const project = await post(`/api/parks/${ids.P03}/projects`, { name: '天河软件园公共服务平台', kind: 'public_platform', totalInvestmentYuan: 10_000_000 }, industry);
    expect(project.status, JSON.stringify(project.body)).toBe(201);
    const g = await post(`/api/parks/${ids.P03}/subsidies`, { projectId: project.body.id, requestedYuan: 1_000_000 }, industry);
    expect(g.status, JSON.stringify(g.body)).toBe(201);
  });

  it('shows each park’s figures exactly as the plots, allocations, quota and subsidy APIs give them', async () => {
    const d = await getJson('/api/districts/440106/dashboard', tianhe);
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ district: { code: '440106', nameZh: '天河区', nameEn: expect.any(String) }, year, leadSectorTarget: 0.8 });
    expect(d.body.parks.map((p: { code: string }) => p.code)).toEqual(['P03']);
    const row = d.body.parks[0];

    // Land: the plots API, by status.
    const all = (await getJson(`/api/plots?parkId=${ids.P03}`, null)).body.features.map((f: { properties: { status: string; areaM2: number } }) => f.properties);
    const by = (s: string) => all.filter((p: { status: string }) => p.status === s);
    expect(row.plotCounts).toEqual({ total: all.length, available: by('available').length, held: by('held').length, allocated: by('allocated').length, withdrawn: by('withdrawn').length });
    expect(row.plotCounts.held).toBeGreaterThanOrEqual(1);
    expect(row.totalAreaM2).toBe(sumM2(all.map((p: { areaM2: number }) => p.areaM2)));
    for (const s of ['available', 'held', 'allocated'] as const) {
      expect(row[`${s}AreaM2`], s).toBe(sumM2(by(s).map((p: { areaM2: number }) => p.areaM2)));
    }
    // 亩 = m² × 3/2000, 2 decimals.
    expect(row.areasMu.total).toBeCloseTo((row.totalAreaM2 * 3) / 2000, 2);

    // Quota: this year's net charges for the park = the quota report's line for it (A4's charge was reversed).
    const report = await getJson(`/api/quotas/${year}/report`);
    const line = report.body.byPark.find((l: { code: string }) => l.code === 'P03');
    expect(row.quotaChargedM2).toBe(line.approvedM2);
    // On top of the demo's own charges to this year (its sample allocations of the year, seeds/sample-allocations.ts).
    expect(row.quotaChargedM2).toBe(sumM2([base.quotaChargedM2, plots[0]!.areaM2, plots[1]!.areaM2, plots[2]!.areaM2]));

    // Allocations: signed = contracted or completed; landed = started; overdue = agreed start passed, no start.
    const signed = await getJson(`/api/allocations?parkId=${ids.P03}&status=contracted,completed`);
    expect(row.projectsSigned).toBe(signed.body.total);
    expect(row.projectsSigned).toBe(base.projectsSigned + 2);
    expect(row.projectsLanded).toBe(signed.body.items.filter((a: { milestones: { startedOn: string | null } }) => a.milestones.startedOn !== null).length);
    expect(row.projectsLanded).toBe(base.projectsLanded + 1);
    const overdue = await getJson(`/api/allocations?parkId=${ids.P03}&overdue=true`);
    expect(row.overdueMilestones).toBe(overdue.body.total);
    expect(overdue.body.items.map((a: { id: number }) => a.id).sort()).toEqual([...baseOverdue, alloc.A2].sort());

    // Lead-sector share: A1 (ngit) of A1 + A2 + A3 (the active allocations).
    const active = await getJson(`/api/allocations?parkId=${ids.P03}&status=approved,contracted,completed`);
    const activeArea = sumM2(active.body.items.map((a: { areaM2: number }) => a.areaM2));
    const leadArea = sumM2(active.body.items.filter((a: { project: { sector: string } }) => a.project.sector === 'ngit').map((a: { areaM2: number }) => a.areaM2));
    expect(row.leadSectorShare).toMatchObject({ allocatedAreaM2: activeArea, leadSectorAreaM2: leadArea, target: 0.8 });
    expect(row.leadSectorShare.leadSectorAreaM2).toBe(sumM2([base.leadSectorShare.leadSectorAreaM2, plots[0]!.areaM2]));
    expect(row.leadSectorShare.allocatedAreaM2).toBe(sumM2([base.leadSectorShare.allocatedAreaM2, plots[0]!.areaM2, plots[1]!.areaM2, plots[2]!.areaM2]));
    expect(row.leadSectorShare.share).toBeCloseTo(leadArea / activeArea, 4);
    expect(row.leadSectorShare.meetsTarget).toBe(leadArea / activeArea >= 0.8);

    // Subsidy: the subsidy list.
    const subs = await getJson(`/api/parks/${ids.P03}/subsidies`, tianhe);
    expect(row.subsidy).toEqual({ grantedYuan: subs.body.grantedYuan, capYuan: subs.body.capYuan, remainingYuan: subs.body.remainingYuan });
    expect(row.subsidy).toEqual({ grantedYuan: 1_000_000, capYuan: 100_000_000, remainingYuan: 99_000_000 });

    // One park in 天河: the totals are its row.
    for (const k of ['totalAreaM2', 'availableAreaM2', 'heldAreaM2', 'allocatedAreaM2', 'quotaChargedM2', 'projectsSigned', 'projectsLanded', 'overdueMilestones', 'plotCounts', 'subsidy', 'leadSectorShare']) {
      expect(d.body.totals[k], k).toEqual(row[k]);
    }
    expect(d.body.totals.parks).toBe(1);
  });

  it('gives the bureau every park with the city totals, summed exactly', async () => {
    const b = await getJson('/api/bureau/parks', industry);
    expect(b.status).toBe(200);
    expect(b.body.parks).toHaveLength(12);
    const t = b.body.totals;
    expect(t.parks).toBe(12);
    for (const k of ['totalAreaM2', 'availableAreaM2', 'heldAreaM2', 'allocatedAreaM2', 'quotaChargedM2'] as const) {
      expect(t[k], k).toBe(sumM2(b.body.parks.map((p: Record<string, number>) => p[k]!)));
    }
    expect(t.plotCounts.total).toBe(b.body.parks.reduce((s: number, p: { plotCounts: { total: number } }) => s + p.plotCounts.total, 0));
    expect(t.subsidy).toEqual({ grantedYuan: 1_000_000, capYuan: 1_200_000_000, remainingYuan: 1_199_000_000 });
    expect(t).toMatchObject({ projectsSigned: baseCity.projectsSigned + 2, projectsLanded: baseCity.projectsLanded + 1, overdueMilestones: baseCity.overdueMilestones + 1 });
    const p03 = b.body.parks.find((p: { code: string }) => p.code === 'P03');
    const district = (await getJson('/api/districts/440106/dashboard')).body.parks[0];
    expect(p03).toEqual(district);
    // The public plot list agrees on the city's plot count.
    const everything = await getJson('/api/plots?limit=50000', null);
    expect(t.plotCounts.total).toBe(everything.body.features.length);
  });

  it('scopes the dashboards: own district and the bureau; 403 for another district; 401 for the public', async () => {
    expect((await getJson('/api/districts/440112/dashboard', tianhe)).status).toBe(403);
    expect((await getJson('/api/districts/440112/dashboard.csv', tianhe)).status).toBe(403);
    expect((await getJson(`/api/parks/${ids.P06}/subsidies`, tianhe)).status).toBe(403);
    expect((await getJson(`/api/parks/${ids.P06}/report`, tianhe)).status).toBe(403);
    const huangpu = await login(app(), 'district-huangpu');
    const hp = await getJson('/api/districts/440112/dashboard', huangpu);
    expect(hp.status).toBe(200);
    expect(hp.body.parks.map((p: { code: string }) => p.code).sort()).toEqual(['P06', 'P09', 'P10']);
    for (const url of ['/api/districts/440106/dashboard', '/api/districts/440106/dashboard.csv', '/api/bureau/parks', '/api/bureau/parks.csv', `/api/parks/${ids.P03}/report`]) {
      expect((await getJson(url, null)).status, url).toBe(401);
    }
    const investor = await login(app(), 'investor');
    expect((await getJson('/api/districts/440106/dashboard', investor)).status).toBe(403);
    expect((await getJson('/api/bureau/parks', tianhe)).status).toBe(403);
    expect((await getJson('/api/bureau/parks.csv', tianhe)).status).toBe(403);
    for (const s of [land, industry, await login(app(), 'admin')]) {
      expect((await getJson('/api/districts/440106/dashboard', s)).status, s.username).toBe(200);
      expect((await getJson('/api/bureau/parks', s)).status, s.username).toBe(200);
    }
    // A district with no parks has an empty dashboard; an unknown one is 404 for the bureau.
    const yuexiu = await getJson('/api/districts/440104/dashboard');
    expect(yuexiu.body).toMatchObject({ parks: [], totals: { parks: 0, totalAreaM2: 0 } });
    expect((await getJson('/api/districts/440199/dashboard')).status).toBe(404);
    expect((await getJson('/api/districts/abc/dashboard')).status).toBe(400);
  });

  it('exports the tables as CSV Excel opens correctly: BOM, Chinese and English headers, 亩 and yuan', async () => {
    const res = await app().inject({ method: 'GET', url: '/api/districts/440106/dashboard.csv', headers: { cookie: tianhe.cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="dashboard-440106-${year}.csv"; filename*=UTF-8''${encodeURIComponent(`天河区-园区看板-${year}.csv`)}`,
    );
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    expect(text).toContain('\r\n');
    const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: true });
    const [header, p03, total] = parsed.data as string[][];
    expect(parsed.data).toHaveLength(3);
    expect(header!.slice(0, 3)).toEqual(['园区编号 Park code', '园区名称 Park name', 'Park name (English)']);
    expect(header).toContain('总面积（亩） Total area (mu)');
    expect(header).toContain('已补助（元） Subsidy granted (yuan)');
    expect(header).toContain(`${year}年指标使用（亩） Quota charged ${year} (mu)`);
    const col = (name: string) => header!.indexOf(name);
    const d = (await getJson('/api/districts/440106/dashboard')).body;
    const row = d.parks[0];
    expect(p03![0]).toBe('P03');
    expect(p03![1]).toBe('天河软件价值创新园');
    expect(p03![col('总面积（亩） Total area (mu)')]).toBe(row.areasMu.total.toFixed(2));
    expect(p03![col('已供面积（亩） Allocated (mu)')]).toBe(row.areasMu.allocated.toFixed(2));
    expect(p03![col('已补助（元） Subsidy granted (yuan)')]).toBe('1000000.00');
    expect(p03![col('补助上限（元） Subsidy cap (yuan)')]).toBe('100000000.00');
    expect(p03![col('签约项目 Projects signed')]).toBe(String(base.projectsSigned + 2));
    expect(p03![col('逾期未开工 Overdue starts')]).toBe(String(base.overdueMilestones + 1));
    expect(p03![col('局内设定目标（非行动计划） Bureau setting (not in the plan)')]).toBe('80.00%');
    expect(total![0]).toBe('合计 Total');

    const city = await app().inject({ method: 'GET', url: '/api/bureau/parks.csv', headers: { cookie: land.cookie } });
    expect(city.statusCode).toBe(200);
    expect([...city.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const cityRows = Papa.parse<string[]>(city.rawPayload.toString('utf8').slice(1).trim()).data;
    expect(cityRows).toHaveLength(14); // header, 12 parks, total
    expect(city.headers['content-disposition']).toMatch(/filename\*=UTF-8''/);
  });

  it('serves the printable park report: the dashboard row, the subsidies and the overdue starts', async () => {
    const r = await getJson(`/api/parks/${ids.P03}/report`, tianhe);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const d = (await getJson('/api/districts/440106/dashboard')).body.parks[0];
    expect(r.body.park).toMatchObject({ ...d, boundarySource: 'indicative' });
    expect(r.body.district).toMatchObject({ code: '440106', nameZh: '天河区' });
    expect(r.body.subsidies).toMatchObject({ grantedYuan: 1_000_000, remainingYuan: 99_000_000 });
    expect(r.body.subsidies.items).toHaveLength(1);
    expect(r.body.overdue.map((o: { allocationId: number }) => o.allocationId).sort()).toEqual([...baseOverdue, alloc.A2].sort());
    expect(r.body.overdue.find((o: { allocationId: number }) => o.allocationId === alloc.A2)).toEqual(
      expect.objectContaining({ allocationId: alloc.A2, agreedStartOn: daysFromToday(-5), overdueDays: 5, projectName: '看板测试项目 A2', areaM2: plots[1]!.areaM2 }),
    );
    expect((await getJson('/api/parks/999999/report')).status).toBe(404);
  });
}, ONE_OFFICER);
