/**
 * Parcels counted once and records complete, on PGlite and PostgreSQL:
 * - a split retires its parent (`retired`, 已注销 — not `withdrawn`): park, district and city
 *   totals stay exactly the same; the parent is in history and lineage only, not in the plot
 *   list, search, tiles or exports; a merge does the same; a retired plot is read-only;
 * - the demo's records are complete: allocated ⇔ exactly one active allocation, every sample
 *   allocation marked sample and charged to a sample quota year (≥ 5000 亩) within the quota;
 *   the database itself refuses a plot marked allocated without its allocation, at commit;
 * - the dashboards count signed / landed and the lead-sector share from the allocation records
 *   (checked against SQL over the records and by the exact effect of known inserted records);
 * - the plan's own targets (四(二)6) on the bureau overview, the lead-sector line as a bureau
 *   setting (reference parameter, verified false).
 */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describeOnDatabases } from './context.ts';
import { lonLatToTile } from './tile-helpers.ts';
import { call, login, type Session } from './login.ts';
import { allocationInvariants } from '../../bench/harness.ts';
import { hundredthsToM2, m2ToHundredths } from '../../shared/units.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { bureauToday } from '../../shared/dates.ts';

type Feature = { id: number; geometry: GeoJSON.Polygon; properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- loose test reads

const sumM2 = (xs: (number | string)[]) => hundredthsToM2(xs.reduce<bigint>((s, x) => s + m2ToHundredths(x), 0n));

describeOnDatabases('retired parcels and complete records', (get) => {
  const app = () => get().app;
  let land: Session;
  let admin: Session; // approves what `land` proposed (four eyes is on by default with PostgreSQL)
  let industry: Session;
  let park: { id: number; code: string; districtCode: string };

  beforeAll(async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
    industry = await login(app(), 'industry');
    const parks = await call(app(), null, 'GET', '/api/parks');
    const p = parks.body.features.find((f: Feature) => f.properties.code === 'P06').properties;
    park = { id: p.id, code: p.code, districtCode: p.districtCode };
  });

  const figures = async () => {
    const parkFig = (await call(app(), null, 'GET', `/api/parks/${park.id}`)).body;
    const district = (await call(app(), land, 'GET', `/api/districts/${park.districtCode}/dashboard`)).body;
    const city = (await call(app(), land, 'GET', '/api/bureau/parks')).body;
    const report = (await call(app(), land, 'GET', `/api/parks/${park.id}/report`)).body;
    return { parkFig, district, city, report };
  };
  /** The live plots of the park, summed in SQL: the reference for every total. */
  const liveSum = async () => {
    const r = await sql<{ n: number; area: string }>`
      select count(*)::int as n, coalesce(sum(area_m2), 0)::text as area from plots where park_id = ${park.id} and status <> 'retired'`.execute(app().db);
    return { n: r.rows[0]!.n, area: Number(r.rows[0]!.area) };
  };

  it('splits a plot: the parent is retired, the totals of the park, its district, the city and the report stay exactly the same', async () => {
    const before = await figures();
    const live0 = await liveSum();
    const plots = (await call(app(), null, 'GET', `/api/plots?parkId=${park.id}&status=available`)).body.features as Feature[];
    const target = plots[0]!;
    const ring = target.geometry.coordinates[0] as [number, number][];
    const mid = (p: [number, number], q: [number, number]) => [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
    const m1 = mid(ring[0]!, ring[1]!), m2 = mid(ring[2]!, ring[3]!);
    const ext = (p: number[], q: number[], t: number) => [p[0]! + (p[0]! - q[0]!) * t, p[1]! + (p[1]! - q[1]!) * t];
    const split = await call(app(), land, 'POST', `/api/plots/${target.id}/split`, { line: { type: 'LineString', coordinates: [ext(m1, m2, 0.05), ext(m2, m1, 0.05)] }, reason: '按规划道路分割' });
    expect(split.status, JSON.stringify(split.body)).toBe(201);
    expect(split.body.parent).toEqual({ id: target.id, code: target.properties.code, status: 'retired' });
    const children = split.body.children as Feature[];
    expect(children).toHaveLength(2);
    expect(sumM2(children.map((c) => c.properties.areaM2))).toBe(target.properties.areaM2);

    const after = await figures();
    const live1 = await liveSum();
    // Exact sums: the same land, one more parcel (two pieces for one parent).
    expect(live1.area).toBe(live0.area);
    expect(live1.n).toBe(live0.n + 1);
    expect(before.parkFig.properties.figures.totalAreaM2).toBe(live0.area);
    expect(after.parkFig.properties.figures.totalAreaM2).toBe(live0.area);
    expect(after.parkFig.properties.figures.availableAreaM2).toBe(before.parkFig.properties.figures.availableAreaM2);
    expect(after.parkFig.properties.figures.withdrawnAreaM2).toBe(before.parkFig.properties.figures.withdrawnAreaM2);
    expect(after.parkFig.properties.figures.plotCount).toBe(before.parkFig.properties.figures.plotCount + 1);
    for (const k of ['totalAreaM2', 'availableAreaM2', 'heldAreaM2', 'allocatedAreaM2', 'withdrawnAreaM2'] as const) {
      expect(after.district.totals[k], `district ${k}`).toBe(before.district.totals[k]);
      expect(after.city.totals[k], `city ${k}`).toBe(before.city.totals[k]);
      expect(after.report.park[k], `report ${k}`).toBe(before.report.park[k]);
    }
    const row = after.district.parks.find((p: { id: number }) => p.id === park.id);
    expect(row.totalAreaM2).toBe(live0.area);
    expect(row.plotCounts.total).toBe(live1.n);
    expect(after.city.totals.plotCounts.total).toBe(before.city.totals.plotCounts.total + 1);

    // History and lineage keep the parent; every list of parcels leaves it out.
    const history = await call(app(), land, 'GET', `/api/plots/${target.id}/history`);
    expect(history.body.status).toBe('retired');
    expect(history.body.children.map((c: { plotId: number }) => c.plotId).sort()).toEqual(children.map((c) => c.id).sort());
    const childHistory = await call(app(), land, 'GET', `/api/plots/${children[0]!.id}/history`);
    expect(childHistory.body.parents).toEqual([expect.objectContaining({ plotId: target.id, status: 'retired', operation: 'split' })]);
    const one = await call(app(), null, 'GET', `/api/plots/${target.id}`);
    expect(one.status).toBe(200);
    expect(one.body.properties.status).toBe('retired');

    const list = (await call(app(), null, 'GET', `/api/plots?parkId=${park.id}`)).body.features as Feature[];
    expect(list.map((f) => f.id)).not.toContain(target.id);
    expect(list.map((f) => f.id)).toEqual(expect.arrayContaining(children.map((c) => c.id)));
    expect(list).toHaveLength(live1.n);
    const retiredList = (await call(app(), land, 'GET', `/api/plots?parkId=${park.id}&status=retired`)).body.features as Feature[];
    expect(retiredList.map((f) => f.id)).toContain(target.id);

    const search = await call(app(), null, 'GET', `/api/search/plots?parkId=${park.id}&limit=500`);
    expect(search.status, JSON.stringify(search.body)).toBe(200);
    const found = JSON.stringify(search.body);
    expect(found).not.toContain(`"${target.properties.code}"`);
    expect(found).toContain(`"${children[0]!.properties.code}"`);

    for (const format of ['geojson', 'csv'] as const) {
      const exp = await app().inject({ method: 'GET', url: `/api/plots/export?format=${format}&parkId=${park.id}`, headers: { cookie: land.cookie } });
      expect(exp.statusCode, exp.body.slice(0, 300)).toBe(200);
      expect(exp.body).not.toContain(`${target.properties.code},`);
      expect(exp.body).not.toContain(`"${target.properties.code}"`);
      expect(exp.body).toContain(children[1]!.properties.code);
    }
    const gj = JSON.parse((await app().inject({ method: 'GET', url: `/api/plots/export?format=geojson&parkId=${park.id}`, headers: { cookie: land.cookie } })).body);
    expect(gj.features).toHaveLength(live1.n);

    // Tiles: the pieces are drawn, the parent is not.
    const [lon, lat] = children[0]!.geometry.coordinates[0]![0]! as [number, number];
    const t = lonLatToTile(lon, lat, 14);
    const res = await app().inject({ method: 'GET', url: `/api/tiles/plots/14/${t.x}/${t.y}.pbf` });
    expect(res.statusCode).toBe(200);
    const layer = new VectorTile(new PbfReader(res.rawPayload)).layers.plots!;
    const ids = Array.from({ length: layer.length }, (_, i) => Number(layer.feature(i).id));
    expect(ids).toContain(children[0]!.id);
    expect(ids).not.toContain(target.id);

    // A retired plot is read-only, and cannot be withdrawn or proposed for.
    const patch = await call(app(), land, 'PATCH', `/api/plots/${target.id}`, { expectedRowVersion: history.body.rowVersion, location: 'x' });
    expect(patch.status).toBe(409);
    expect(patch.body.message).toMatch(/retired/);
    expect((await call(app(), land, 'POST', `/api/plots/${target.id}/withdraw`, { reason: 'x' })).status).toBe(409);

    // Merging the pieces back retires both and keeps the totals again.
    const merge = await call(app(), land, 'POST', '/api/plots/merge', { plotIds: children.map((c) => c.id) });
    expect(merge.status, JSON.stringify(merge.body)).toBe(201);
    expect(merge.body.parents.map((p: { status: string }) => p.status)).toEqual(['retired', 'retired']);
    const merged = await figures();
    expect(merged.parkFig.properties.figures.totalAreaM2).toBe(live0.area);
    expect(merged.parkFig.properties.figures.plotCount).toBe(before.parkFig.properties.figures.plotCount);
    expect(merged.city.totals.totalAreaM2).toBe(before.city.totals.totalAreaM2);
  });

  it('has complete demo records: allocated ⇔ exactly one active allocation, all of it sample and within sample quotas', async () => {
    const rows = (await allocationInvariants.execute(app().db)).rows;
    expect(rows.find((r) => r.what === 'allocated plots without exactly one active allocation')).toBeDefined();
    expect(rows.filter((r) => Number(r.n) !== 0)).toEqual([]);
    const stats = await sql<{ allocated: number; with_sample: number; signed: number; landed: number; key: number; lead: number; other: number }>`
      select count(*)::int as allocated,
             count(*) filter (where exists (select 1 from allocations a where a.plot_id = p.id and a.sample and a.status in ('approved', 'contracted', 'completed')))::int as with_sample,
             (select count(*)::int from allocations a where a.sample and a.status in ('contracted', 'completed')) as signed,
             (select count(*)::int from allocations a where a.sample and a.started_on is not null) as landed,
             (select count(*)::int from projects pr where pr.sample and pr.key_project) as key,
             (select count(*)::int from allocations a join projects pr on pr.id = a.project_id join plots pl on pl.id = a.plot_id join parks pk on pk.id = pl.park_id
               where a.sample and pr.sector = any(pk.sectors)) as lead,
             (select count(*)::int from projects pr where pr.sample and pr.sector = 'other') as other
        from plots p where p.status = 'allocated'`.execute(app().db);
    const s = stats.rows[0]!;
    expect(s.allocated).toBeGreaterThan(50);
    expect(s.with_sample).toBe(s.allocated);
    expect(s.signed).toBeGreaterThan(0);
    expect(s.landed).toBeGreaterThan(0);
    expect(s.landed).toBeLessThan(s.signed);
    expect(s.key).toBeGreaterThan(0);
    expect(s.other).toBeGreaterThan(0);
    expect(s.lead).toBeGreaterThan(s.other);
    // Sample projects and enterprises are marked and named so; enterprises have valid codes (the database checks them too).
    const unmarked = await sql<{ n: number }>`
      select count(*)::int as n from allocations a join projects pr on pr.id = a.project_id join enterprises e on e.id = pr.enterprise_id
       where a.sample and (not pr.sample or not e.sample or pr.name not like '%示例数据%' or e.name not like '%示例数据%')`.execute(app().db);
    expect(unmarked.rows[0]!.n).toBe(0);
    // The green channel follows the same rule as a proposal (五(三)12, 四(二)6): a core park or a key project.
    const green = await sql<{ right: number; wrong: number }>`
      select count(*) filter (where a.green_channel = (pk.tier = 'core' or pr.key_project))::int as right,
             count(*) filter (where a.green_channel <> (pk.tier = 'core' or pr.key_project))::int as wrong
        from allocations a join projects pr on pr.id = a.project_id join plots pl on pl.id = a.plot_id join parks pk on pk.id = pl.park_id
       where a.sample`.execute(app().db);
    expect(green.rows[0]).toEqual({ right: s.with_sample, wrong: 0 });
    // Signed but not yet due to start exists; late starts are only the demo's supervision samples
    // (seeds/sample-supervision.ts), each one a red-line item not started — no other false warning.
    const due = await sql<{ pending: number; overdue: number }>`
      select count(*) filter (where a.agreed_start_on >= ${bureauToday()}::date and a.started_on is null)::int as pending,
             count(*) filter (where a.agreed_start_on < ${bureauToday()}::date and a.started_on is null)::int as overdue
        from allocations a where a.sample and a.status = 'contracted'`.execute(app().db);
    expect(due.rows[0]!.pending).toBeGreaterThan(0);
    const admin = await login(app(), 'admin');
    const red = (await call(app(), admin, 'GET', '/api/supervision/idle')).body.items as { sample: boolean; kind: string | null }[];
    expect(due.rows[0]!.overdue).toBe(red.filter((i) => i.sample && i.kind === 'not_started').length);
    // The sample years: quotas ≥ 5000 亩, marked sample, with an IAB reserve, charged by the ledger —
    // the history, and the living demo's current year (seeds/sample-allocations.ts).
    const years = await app().db.selectFrom('quotas').selectAll().where('sample', '=', true).orderBy('year').execute();
    expect(years.map((y) => y.year)).toEqual([2019, 2020, 2021, 2022, Number(bureauToday().slice(0, 4))]);
    for (const y of years) {
      expect(Number(y.quota_m2) * 3).toBeGreaterThanOrEqual(10_000_000);
      expect(Number(y.iab_reserve_m2)).toBeGreaterThan(0);
      expect(Number(y.approved_m2)).toBeGreaterThan(0);
      const q = await call(app(), null, 'GET', `/api/quotas/${y.year}`);
      expect(q.body.approvedM2).toBe(Number(y.approved_m2));
    }
    // The API says which records are sample.
    const list = await call(app(), land, 'GET', `/api/allocations?status=contracted&limit=5`);
    expect(list.body.items.length).toBeGreaterThan(0);
    for (const a of list.body.items) expect(a.sample).toBe(true);
    const one = await call(app(), land, 'GET', `/api/allocations/${list.body.items[0].id}`);
    expect(one.status, JSON.stringify(one.body)).toBe(200);
    expect(one.body).toMatchObject({ sample: true, contract: { contractNo: expect.stringContaining('SAMPLE') } });
    expect(one.body.decision.floor.ok).toBe(true);
    expect(one.body.priceYuan).toBeGreaterThanOrEqual(one.body.floorYuan);
  });

  it('refuses, in the database, a plot marked allocated without an active allocation, and an active allocation on a plot not allocated', async () => {
    const free = await app().db.selectFrom('plots').select('id').where('status', '=', 'available').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await expect(app().db.updateTable('plots').set({ status: 'allocated' }).where('id', '=', free.id).execute()).rejects.toThrow(/allocated exactly when it has one active allocation/);
    const a = await app().db.selectFrom('allocations').select(['id', 'plot_id']).where('status', '=', 'approved').where('sample', '=', true).orderBy('id').executeTakeFirstOrThrow();
    await expect(app().db.updateTable('plots').set({ status: 'available' }).where('id', '=', a.plot_id).execute()).rejects.toThrow(/allocated exactly when/);
    // Nothing was written.
    expect((await app().db.selectFrom('plots').select('status').where('id', '=', free.id).executeTakeFirstOrThrow()).status).toBe('available');
    expect((await app().db.selectFrom('plots').select('status').where('id', '=', a.plot_id).executeTakeFirstOrThrow()).status).toBe('allocated');
  });

  it('counts signed, landed and the lead-sector share from the allocation records: SQL over the records, and the exact effect of known records', async () => {
    const year = Number(bureauToday().slice(0, 4));
    const city0 = (await call(app(), land, 'GET', '/api/bureau/parks')).body;
    const rec = await sql<{ signed: number; landed: number; key_signed: number; key_landed: number; allocated: string; lead: string }>`
      select count(distinct a.project_id) filter (where a.contract_no is not null)::int as signed,
             count(distinct a.project_id) filter (where a.contract_no is not null and a.started_on is not null)::int as landed,
             count(distinct a.project_id) filter (where a.contract_no is not null and pr.key_project)::int as key_signed,
             count(distinct a.project_id) filter (where a.contract_no is not null and pr.key_project and a.started_on is not null)::int as key_landed,
             coalesce(sum(a.area_m2), 0)::text as allocated,
             coalesce(sum(a.area_m2) filter (where pr.sector = any(pk.sectors)), 0)::text as lead
        from allocations a join projects pr on pr.id = a.project_id join plots pl on pl.id = a.plot_id join parks pk on pk.id = pl.park_id
       where a.status in ('approved', 'contracted', 'completed')`.execute(app().db);
    const r = rec.rows[0]!;
    expect(city0.totals.projectsSigned).toBe(r.signed);
    expect(city0.totals.projectsLanded).toBe(r.landed);
    expect(city0.totals.leadSectorShare.allocatedAreaM2).toBe(Number(r.allocated));
    expect(city0.totals.leadSectorShare.leadSectorAreaM2).toBe(Number(r.lead));
    expect(city0.planTargets).toEqual({ clause: '四(二)6', byYear: 2022, keyProjectsSigned: 100, keyProjectsLanded: 50, keyProjectsSignedActual: r.key_signed, keyProjectsLandedActual: r.key_landed });
    expect(r.signed).toBeGreaterThan(0);

    // Known records: a key IAB project in a lead sector, contracted and started; a non-IAB one, approved only.
    const put = await call(app(), land, 'PUT', `/api/quotas/${year}`, { quotaM2: 50_000_000, iabReserveM2: 0 });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    const avail = (await call(app(), null, 'GET', `/api/plots?parkId=${park.id}&status=available`)).body.features as Feature[];
    const [p1, p2] = [avail[3]!.properties, avail[4]!.properties];
    const usccOf = (n: number) => { const b = `91440112${String(n).padStart(9, '0')}`; return b + usccCheckChar(b); };
    const propose = async (plotId: number, sector: 'ai' | 'other', keyProject: boolean) => {
      const floor = await call(app(), land, 'POST', '/api/quotes/price-floor', { plotId, iab: sector !== 'other' });
      const a = await call(app(), land, 'POST', '/api/allocations', {
        plotId, quotaYear: year, mode: 'transfer', termYears: 50, priceYuan: floor.body.floorYuan,
        project: { name: `记录测试 ${plotId}`, enterprise: { name: `记录测试企业 ${plotId}`, uscc: usccOf(800_000 + plotId) }, sector, iab: sector !== 'other', keyProject },
      });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      const ok = await call(app(), admin, 'POST', `/api/allocations/${a.body.id}/approve`);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      return a.body.id as number;
    };
    const day = (n: number) => new Date(Date.parse(`${bureauToday()}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
    const k = await propose(p1.id, 'ai', true); // P06's lead sector is ai
    const c = await call(app(), land, 'POST', `/api/allocations/${k}/contract`, {
      contractNo: `440112-${year}-REC-${k}`, supervisionNo: `4401122026R${String(k).padStart(5, '0')}`,
      signedOn: day(-40), agreedHandoverOn: day(-30), agreedStartOn: day(-10), agreedCompletionOn: day(600),
    });
    expect(c.status, JSON.stringify(c.body)).toBe(200);
    expect((await call(app(), land, 'POST', `/api/allocations/${k}/milestones`, { kind: 'handed_over', date: day(-29) })).status).toBe(200);
    expect((await call(app(), land, 'POST', `/api/allocations/${k}/milestones`, { kind: 'started', date: day(-9) })).status).toBe(200);
    await propose(p2.id, 'other', false);

    const city1 = (await call(app(), industry, 'GET', '/api/bureau/parks')).body;
    expect(city1.totals.projectsSigned).toBe(city0.totals.projectsSigned + 1);
    expect(city1.totals.projectsLanded).toBe(city0.totals.projectsLanded + 1);
    expect(city1.planTargets.keyProjectsSignedActual).toBe(city0.planTargets.keyProjectsSignedActual + 1);
    expect(city1.planTargets.keyProjectsLandedActual).toBe(city0.planTargets.keyProjectsLandedActual + 1);
    expect(city1.totals.leadSectorShare.allocatedAreaM2).toBe(sumM2([city0.totals.leadSectorShare.allocatedAreaM2, p1.areaM2, p2.areaM2]));
    expect(city1.totals.leadSectorShare.leadSectorAreaM2).toBe(sumM2([city0.totals.leadSectorShare.leadSectorAreaM2, p1.areaM2]));
  });

  it('shows the lead-sector line as a bureau setting from the reference data (not the plan), verified false', async () => {
    const b = (await call(app(), land, 'GET', '/api/bureau/parks')).body;
    expect(b.leadTarget).toMatchObject({ share: 0.8, verified: false, bureauSetting: true });
    expect(b.leadTarget.source).toMatch(/bureau assumption/);
    expect(b.leadTarget.source).not.toMatch(/五\(三\)|IAB行动计划/);
    expect(b.leadSectorTarget).toBe(0.8);
    const row = await app().db.selectFrom('ref_parameters').selectAll().where('key', '=', 'leadSectorShareTargetBp').execute();
    expect(row.length).toBeGreaterThan(0);
    for (const r of row) expect(r).toMatchObject({ value: '8000', verified: false });
  });
});
