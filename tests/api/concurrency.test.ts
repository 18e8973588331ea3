/**
 * Concurrency through real HTTP: the app listens on a free port and
 * the tests fire simultaneous `fetch`es, on PostgreSQL (TEST_DATABASE_URL; the suite is skipped
 * with the reason in its name otherwise) and on PGlite. Afterwards the invariants are read from
 * the database — never timings:
 *
 * - 100 approvals of competing proposals for one plot → exactly one 200, 99 × 409 SUPERSEDED, and
 *   the 99 losers closed as superseded by the winner (one audit event each);
 * - approvals whose total exceeds the remaining quota → the approved total never exceeds the
 *   quota, the rest 409 QUOTA_EXCEEDED; the cached totals equal the ledger's sums;
 * - IAB and non-IAB approvals racing for a year with an IAB reserve → non-IAB never eats it;
 * - the same Idempotency-Key sent many times at once → one allocation.
 *
 * It runs with the default settings on both databases, so four eyes is on with PostgreSQL: the
 * land officer proposes and the administrator approves (two officers, as in production).
 */
import { beforeAll, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { APP_ORIGIN, DEMO_PASSWORD } from './login.ts';
import { expectQuotaHonest, floorOf, freshPlots, MIN_QUOTA_M2, proposal, putQuota, setPlotArea } from './allocation-helpers.ts';
import type { Session } from './login.ts';
import { allocationInvariants } from '../../bench/harness.ts';

describeOnDatabases('concurrent approvals over HTTP', (get) => {
  let base = '';
  let origin = '';
  let cookie = '';
  let approverCookie = '';
  const app = () => get().app;

  beforeAll(async () => {
    await app().listen({ port: 0, host: '127.0.0.1' });
    const { port } = app().server.address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    origin = APP_ORIGIN; // the test app's PUBLIC_ORIGIN (tests/api/context.ts), for HTTP and inject alike
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'land', password: DEMO_PASSWORD }) });
    expect(res.status).toBe(200);
    cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect(cookie).toMatch(/^iab_session=/);
    approverCookie = await adminCookie();
  });

  /** A session usable with the inject-based helpers (setup runs in-process; the race runs over HTTP). */
  const session = (): Session => ({ username: 'land', cookie });

  async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, as = cookie) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { cookie: as, origin, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  }

  async function propose(plotId: number, year: number, price: number, o: Parameters<typeof proposal>[3] = {}) {
    const r = await http('POST', '/api/allocations', proposal(plotId, year, price, o));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as number;
  }

  /** An approval by the second officer (the administrator). */
  const approve = (id: number, headers: Record<string, string> = {}) => http('POST', `/api/allocations/${id}/approve`, undefined, headers, approverCookie);

  /** Fires every approval at once and tallies the answers by status and code. */
  async function approveAll(ids: number[]) {
    const results = await Promise.all(ids.map((id) => approve(id).then((r) => ({ id, ...r }))));
    const tally: Record<string, number> = {};
    for (const r of results) {
      const k = r.status === 200 ? '200' : `${r.status} ${r.body.code}`;
      tally[k] = (tally[k] ?? 0) + 1;
    }
    return { results, tally };
  }

  it('100 simultaneous approvals of competing proposals for one plot: exactly one succeeds, the 99 others are superseded by it', async () => {
    await putQuota(app(), session(), 2026, 50_000_000);
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), session(), plot!.id, true);
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) ids.push(await propose(plot!.id, 2026, floor + i, { usccN: 10_000 + i }));

    const { results, tally } = await approveAll(ids);
    expect(tally).toEqual({ '200': 1, '409 SUPERSEDED': 99 });
    const winner = results.find((r) => r.status === 200)!;
    expect(winner.body).toMatchObject({ status: 'approved', plotId: plot!.id });

    // From the database: one active allocation, one charge, the plot allocated.
    const active = await app().db.selectFrom('allocations').select(['id', 'status']).where('plot_id', '=', plot!.id).where('status', 'in', ['approved', 'contracted', 'completed']).execute();
    expect(active).toEqual([{ id: winner.id, status: 'approved' }]);
    const charges = await app().db.selectFrom('quota_ledger').select('allocation_id').where('allocation_id', 'in', ids).execute();
    expect(charges).toEqual([{ allocation_id: winner.id }]);
    expect((await app().db.selectFrom('plots').select('status').where('id', '=', plot!.id).executeTakeFirstOrThrow()).status).toBe('allocated');
    // The losers: closed in the winner's transaction, each linked to it, each with an audit event.
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.supersededBy).toBe(winner.id);
    const losers = await app().db.selectFrom('allocations').select(['status', 'cancel_reason', 'superseded_by', sql<number>`count(*)::int`.as('n')]).where('plot_id', '=', plot!.id).where('id', '<>', winner.id).groupBy(['status', 'cancel_reason', 'superseded_by']).execute();
    expect(losers).toEqual([{ status: 'cancelled', cancel_reason: 'superseded', superseded_by: winner.id, n: 99 }]);
    const events = await app().db.selectFrom('audit_events').select(sql<number>`count(*)::int`.as('n')).where('action', '=', 'allocation.supersede').where('entity_id', 'in', ids.map(String)).executeTakeFirstOrThrow();
    expect(events.n).toBe(99);
    await expectQuotaHonest(app(), 2026);
  });

  it('an approval racing new proposals for its plot: none is left open beside the approved allocation', async () => {
    await putQuota(app(), session(), 2037, 50_000_000);
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), session(), plot!.id, true);
    const first = await propose(plot!.id, 2037, floor, { usccN: 20_000 });
    const [approval, ...proposals] = await Promise.all([
      approve(first),
      ...Array.from({ length: 20 }, (_, i) => http('POST', '/api/allocations', proposal(plot!.id, 2037, floor + i, { usccN: 20_001 + i }))),
    ]);
    expect(approval!.status, JSON.stringify(approval!.body)).toBe(200);
    // Each new proposal either came first (then the approval closed it) or saw the plot taken.
    for (const p of proposals) expect(p.status === 201 || (p.status === 409 && p.body.code === 'PLOT_UNAVAILABLE'), JSON.stringify(p.body)).toBe(true);
    const created = proposals.filter((p) => p.status === 201).map((p) => p.body.id as number);
    const open = await app().db.selectFrom('allocations').select('id').where('plot_id', '=', plot!.id).where('status', '=', 'proposed').execute();
    expect(open).toEqual([]);
    if (created.length > 0) {
      const closed = await app().db.selectFrom('allocations').select(['superseded_by']).where('id', 'in', created).execute();
      expect(closed.every((r) => r.superseded_by === first)).toBe(true);
    }
  });

  it('simultaneous approvals beyond the remaining quota: the approved total never exceeds it, the rest 409 QUOTA_EXCEEDED', async () => {
    const year = 2035;
    await putQuota(app(), session(), year, MIN_QUOTA_M2);
    // Pre-charge so 100,000 m² remain, then race 20 plots of 10,000 m²: exactly 10 fit.
    const [big, ...plots] = await freshPlots(app(), 21);
    await setPlotArea(app(), big!.id, MIN_QUOTA_M2 - 100_000);
    const pre = await propose(big!.id, year, await floorOf(app(), session(), big!.id, true));
    expect((await approve(pre)).status).toBe(200);
    const ids: number[] = [];
    for (const p of plots) {
      await setPlotArea(app(), p.id, 10_000);
      ids.push(await propose(p.id, year, await floorOf(app(), session(), p.id, true)));
    }

    const { results, tally } = await approveAll(ids);
    expect(tally).toEqual({ '200': 10, '409 QUOTA_EXCEEDED': 10 });
    for (const r of results.filter((x) => x.status === 409)) {
      expect(r.body.messageZh).toMatch(/^剩余指标 0\.00 亩，本次需 15\.00 亩$/);
      expect(r.body.messageEn).toBe('Remaining quota 0.00 mu; this allocation needs 15.00 mu');
    }
    const s = await expectQuotaHonest(app(), year);
    expect(Number(s.quota.approved_m2)).toBe(MIN_QUOTA_M2);
    const plotStatuses = await app().db.selectFrom('plots').select(['status', sql<number>`count(*)::int`.as('n')]).where('id', 'in', plots.map((p) => p.id)).groupBy('status').orderBy('status').execute();
    expect(plotStatuses).toEqual([{ status: 'allocated', n: 10 }, { status: 'available', n: 10 }]);
  });

  it('IAB and non-IAB approvals racing for a year with an IAB reserve: non-IAB never eats the reserve', async () => {
    const year = 2036;
    // Quota 5000 亩, 100,000 m² reserved for IAB; a non-IAB pre-charge leaves 150,000 m², of which
    // non-IAB projects may take 50,000. Race 10 IAB and 10 non-IAB plots of 10,000 m².
    await putQuota(app(), session(), year, MIN_QUOTA_M2, 100_000);
    const [big, ...plots] = await freshPlots(app(), 21);
    await setPlotArea(app(), big!.id, MIN_QUOTA_M2 - 150_000);
    const pre = await propose(big!.id, year, await floorOf(app(), session(), big!.id, false), { iab: false });
    expect((await approve(pre)).status).toBe(200);
    const iabIds: number[] = [];
    const nonIabIds: number[] = [];
    for (const [i, p] of plots.entries()) {
      const iab = i % 2 === 0;
      await setPlotArea(app(), p.id, 10_000);
      const id = await propose(p.id, year, await floorOf(app(), session(), p.id, iab), { iab });
      (iab ? iabIds : nonIabIds).push(id);
    }

    const { results } = await approveAll([...iabIds, ...nonIabIds].sort((a, b) => (a * 7919) % 101 - (b * 7919) % 101));
    const ok = (ids: number[]) => results.filter((r) => ids.includes(r.id) && r.status === 200).length;
    expect(ok(iabIds)).toBe(10);
    expect(ok(nonIabIds)).toBe(5);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.code === 'QUOTA_EXCEEDED' && nonIabIds.includes(r.id))).toBe(true);
    const s = await expectQuotaHonest(app(), year);
    expect(Number(s.quota.approved_m2)).toBe(MIN_QUOTA_M2);
    expect(Number(s.quota.approved_m2) - Number(s.quota.iab_approved_m2)).toBe(MIN_QUOTA_M2 - 100_000);
  });

  it('the same Idempotency-Key sent 20 times at once creates one allocation, and every answer is it', async () => {
    const [plot] = await freshPlots(app(), 1);
    const body = proposal(plot!.id, 2026, await floorOf(app(), session(), plot!.id, true));
    const key = `race-${plot!.id}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => http('POST', '/api/allocations', body, { 'idempotency-key': key })));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(201));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    const rows = await app().db.selectFrom('allocations').select('id').where('plot_id', '=', plot!.id).execute();
    expect(rows).toHaveLength(1);
    // And approving it 20 times at once with one key: one charge, twenty identical answers.
    const id = answers[0]!.body.id as number;
    const approvals = await Promise.all(Array.from({ length: 20 }, () => approve(id, { 'idempotency-key': `approve-${key}` })));
    expect(approvals.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(new Set(approvals.map((a) => a.body.approvedAt)).size).toBe(1);
    expect(await app().db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', id).execute()).toHaveLength(1);
  });

  it('leaves every year honest and the audit chain intact', async () => {
    const years = await app().db.selectFrom('quotas').select('year').execute();
    for (const { year } of years) await expectQuotaHonest(app(), year);
    // No proposal lingers open beside an active allocation of its plot.
    const lingering = await sql<{ n: number }>`
      select count(*)::int as n from allocations p
        join allocations w on w.plot_id = p.plot_id and w.status in ('approved', 'contracted', 'completed')
       where p.status = 'proposed'`.execute(app().db);
    expect(lingering.rows[0]!.n).toBe(0);
    const verify = await fetch(`${base}/api/audit/verify`, { headers: { cookie: (await adminCookie()) } });
    expect(((await verify.json()) as { ok: boolean }).ok).toBe(true);
  });

  it('keeps every allocation invariant after the races: allocated ⇔ exactly one active allocation, quotas within, ledger = totals', async () => {
    const rows = (await allocationInvariants.execute(app().db)).rows;
    expect(rows.map((r) => r.what)).toContain('allocated plots without exactly one active allocation');
    expect(rows.filter((r) => Number(r.n) !== 0)).toEqual([]);
    // The races did allocate plots: the check is about something.
    const allocated = await app().db.selectFrom('plots').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'allocated').executeTakeFirstOrThrow();
    expect(allocated.n).toBeGreaterThan(0);
  });

  async function adminCookie() {
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: DEMO_PASSWORD }) });
    return (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  }
});
