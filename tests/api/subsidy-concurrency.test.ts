/**
 * The 1亿 cap and the 20 % per project under concurrency (五(三)13; TARGETS.md "park subsidies
 * ≤ 1亿, ledger totals = sums of rows"), through real HTTP: the app listens on a random port and
 * grant requests are sent at once with `fetch`.
 *
 * Park cap: 50 requests, each for its own project of 20,000,000 and asking 3,000,000, on one
 * park. Each has 20 % × 20,000,000 = 4,000,000 available, so requests are
 * granted as asked until the park has 99,000,000 (33 grants); the 34th is limited to the last
 * 1,000,000 by the park's cap; the remaining 16 get 409 SUBSIDY_CAP_EXCEEDED. The total is
 * exactly 100,000,000 — whatever order the database serializes them in.
 *
 * Runs on PostgreSQL (a pool of connections, real row locks) when TEST_DATABASE_URL is set —
 * otherwise that suite is reported as SKIPPED with the reason — and on PGlite (one connection,
 * transactions queued by the dialect) always.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { APP_ORIGIN, login, type Session } from './login.ts';
import { expectLedgerHonest, expectProjectsHonest, parkIds } from './subsidy-helpers.ts';

const REQUESTS = 50;

describeOnDatabases('subsidy cap under 50 concurrent HTTP requests', (get) => {
  let base: string;
  let industry: Session;
  let ids: Record<string, number>;

  beforeAll(async () => {
    const app = get().app;
    industry = await login(app, 'industry');
    ids = await parkIds(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    base = `http://127.0.0.1:${addr.port}`;
  });

  const postJson = async (path: string, body: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: industry.cookie, origin: APP_ORIGIN },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const newProject = async (parkId: number, name: string, totalInvestmentYuan: number) => {
    const r = await postJson(`/api/parks/${parkId}/projects`, { name, kind: 'infrastructure', totalInvestmentYuan });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as number;
  };
  /** Records project i (20,000,000) and asks 3,000,000 for it: the creations are concurrent too. */
  const grantOverHttp = async (parkId: number, i: number) =>
    postJson(`/api/parks/${parkId}/subsidies`, { projectId: await newProject(parkId, `并发项目 ${i}`, 20_000_000), requestedYuan: 3_000_000 });
  const grantOnProject = (parkId: number, projectId: number, requestedYuan: number) => postJson(`/api/parks/${parkId}/subsidies`, { projectId, requestedYuan });

  it(`never grants more than 100,000,000 yuan to one park under ${REQUESTS} simultaneous requests`, async () => {
    const park = ids.P10!;
    const results = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => grantOverHttp(park, i)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500), JSON.stringify(results.filter((r) => r.status >= 500))).toEqual([]);
    const granted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(granted.length + refused.length).toBe(REQUESTS);
    for (const r of refused) expect(r.body.code).toBe('SUBSIDY_CAP_EXCEEDED');
    // Exactly: 33 × 3,000,000 + 1 × 1,000,000 = 100,000,000; 16 refused.
    expect(granted).toHaveLength(34);
    expect(refused).toHaveLength(16);
    const totalFen = granted.reduce((sum, r) => sum + Math.round((r.body.grantedYuan as number) * 100), 0);
    expect(totalFen).toBe(100_000_000 * 100);
    expect(granted.filter((r) => r.body.limitedBy === 'park_cap').map((r) => r.body.grantedYuan)).toEqual([1_000_000]);
    // Each grant saw the committed total of the ones before it: the "before" figures are 0, 3M, 6M, … distinct.
    const befores = granted.map((r) => (r.body.decision as { parkGrantedBeforeYuan: number }).parkGrantedBeforeYuan).sort((a, b) => a - b);
    expect(befores).toEqual(Array.from({ length: 34 }, (_, i) => i * 3_000_000));

    const list = await fetch(`${base}/api/parks/${park}/subsidies`, { headers: { cookie: industry.cookie } });
    const body = (await list.json()) as { grantedYuan: number; remainingYuan: number; items: unknown[] };
    expect(body).toMatchObject({ grantedYuan: 100_000_000, remainingYuan: 0 });
    expect(body.items).toHaveLength(34);
    const rows = await expectLedgerHonest(get().app);
    expect(rows.find((r) => r.park_id === park)?.total).toBe('100000000.00');
  });

  it('holds the cap with concurrent grants and withdrawals on another park; the ledger still equals the totals', async () => {
    const park = ids.P11!;
    const first = await Promise.all(Array.from({ length: 34 }, (_, i) => grantOverHttp(park, i)));
    const ok = first.filter((r) => r.status === 201);
    expect(ok.reduce((s, r) => s + (r.body.grantedYuan as number), 0)).toBe(100_000_000);
    // Withdraw five grants of 3,000,000 while 20 more grant requests race for the freed 15,000,000.
    const withdraw = ok.filter((r) => r.body.grantedYuan === 3_000_000).slice(0, 5).map((r) =>
      fetch(`${base}/api/parks/${park}/subsidies/${r.body.id as number}/withdraw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: industry.cookie, origin: APP_ORIGIN },
        body: JSON.stringify({ reason: '并发撤销测试' }),
      }).then((res) => res.status),
    );
    const grants = Array.from({ length: 20 }, (_, i) => grantOverHttp(park, 100 + i).then((r) => r.status));
    const statuses = await Promise.all([...withdraw, ...grants]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const rows = await expectLedgerHonest(get().app);
    const total = Number(rows.find((r) => r.park_id === park)?.total);
    expect(total).toBeLessThanOrEqual(100_000_000);
  });

  it('never grants a project more than 20 % of its investment under 30 simultaneous grants on it; the park cap holds across projects', async () => {
    const park = ids.P09!;
    // Project A: 10,000,000 → 2,000,000 in all. 30 requests of 300,000 at once: 6 are granted in
    // full (1,800,000), the 7th gets the last 200,000, the other 23 get 409 (the project's 20 %).
    const a = await newProject(park, '并发同一项目', 10_000_000);
    const results = await Promise.all(Array.from({ length: 30 }, () => grantOnProject(park, a, 300_000)));
    expect(results.filter((r) => r.status >= 500), JSON.stringify(results.filter((r) => r.status >= 500))).toEqual([]);
    const granted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(granted).toHaveLength(7);
    expect(refused).toHaveLength(23);
    for (const r of refused) expect(r.body).toMatchObject({ code: 'SUBSIDY_CAP_EXCEEDED', reason: 'PROJECT_SHARE_EXHAUSTED' });
    expect(granted.reduce((s, r) => s + Math.round((r.body.grantedYuan as number) * 100), 0)).toBe(2_000_000 * 100);
    expect(granted.filter((r) => r.body.limitedBy === 'investment_share').map((r) => r.body.grantedYuan)).toEqual([200_000]);
    // Each saw the project's committed total of the ones before it: 0, 300,000, …, 1,800,000.
    const befores = granted.map((r) => (r.body.decision as { projectGrantedBeforeYuan: number }).projectGrantedBeforeYuan).sort((x, y) => x - y);
    expect(befores).toEqual(Array.from({ length: 7 }, (_, i) => i * 300_000));

    // Project B (500,000,000 → 100,000,000) and C (495,000,000 → 99,000,000) race for the park's
    // remaining 98,000,000 with withdrawals of A's grants: every project stays within its 20 %, the park within 1亿.
    const b = await newProject(park, '并发大项目 B', 500_000_000);
    const c = await newProject(park, '并发大项目 C', 495_000_000);
    const withdrawals = granted.slice(0, 3).map((r) =>
      postJson(`/api/parks/${park}/subsidies/${r.body.id as number}/withdraw`, { reason: '并发撤销测试' }).then((x) => x.status));
    const race = [
      ...Array.from({ length: 10 }, () => grantOnProject(park, b, 20_000_000)),
      ...Array.from({ length: 10 }, () => grantOnProject(park, c, 20_000_000)),
      ...Array.from({ length: 10 }, () => grantOnProject(park, a, 300_000)),
    ].map((p) => p.then((x) => x.status));
    const statuses = await Promise.all([...withdrawals, ...race]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    const parkRows = await expectLedgerHonest(get().app);
    expect(Number(parkRows.find((r) => r.park_id === park)?.total)).toBeLessThanOrEqual(100_000_000);
    const projects = await expectProjectsHonest(get().app);
    const total = (id: number) => Number(projects.find((r) => r.id === id)?.total);
    expect(total(a)).toBeLessThanOrEqual(2_000_000);
    expect(total(b)).toBeLessThanOrEqual(100_000_000);
    expect(total(c)).toBeLessThanOrEqual(99_000_000);
  });
});
