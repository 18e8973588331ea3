/**
 * The demo's supervision data (issue #15 §6): on a fresh start every supervision screen has
 * something to show, and all of it says it is sample data.
 * - idle land: one item in each stage (overdue, idle_fee, reclaim, government_delay), the
 *   government-caused one without a fee and with its delay, and a stalled site (started, short of
 *   ⅓, no progress for over a year);
 * - a recorded idle-fee decision whose fee is 20 % of the price, to the fen;
 * - inspections: an open one with a visit, a closed one with its conclusion, assigned to the
 *   demo district officer;
 * - two years of 亩均 figures, all four grades, sample thresholds flagged;
 * - sample plots carry 标准地 conditions, and the sample agreements hold them frozen.
 * Figures are checked against their own rules here (20 % of the price), not against constants.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { bureauYear } from '../../shared/dates.ts';
import { idleFeeFen } from '../../shared/policy/idle-land.ts';
import { fenToYuan, yuanToFen } from '../../shared/money.ts';

describeOnDatabases('demo supervision data (#15 §6)', (get) => {
  let admin: Session;
  let district: Session;
  beforeAll(async () => {
    admin = await login(get().app, 'admin');
    district = await login(get().app, 'district-huangpu');
  });

  it('shows one sample red-line item in every stage, the government-caused one without a fee', async () => {
    const res = await call(get().app, admin, 'GET', '/api/supervision/idle');
    expect(res.status).toBe(200);
    const items = res.body.items as { allocationId: number; stage: string; kind: string | null; feeYuan: number | null; priceYuan: number; governmentDelayDays: number; sample: boolean; districtCode: string; basis: { zh: string } }[];
    const sample = items.filter((i) => i.sample);
    for (const stage of ['overdue', 'idle_fee', 'reclaim', 'government_delay']) expect(sample.some((i) => i.stage === stage), stage).toBe(true);
    // Only the five made late: every other started sample site reports progress past the marks.
    expect(sample.map((i) => `${i.stage}/${i.kind ?? '-'}`).sort()).toEqual(['government_delay/not_started', 'idle_fee/not_started', 'idle_fee/stalled', 'overdue/not_started', 'reclaim/not_started']);
    const gov = sample.find((i) => i.stage === 'government_delay')!;
    expect(gov.feeYuan).toBeNull();
    expect(gov.governmentDelayDays).toBeGreaterThan(0);
    expect(gov.basis.zh).toContain('第八条');
    const stalled = sample.find((i) => i.kind === 'stalled');
    expect(stalled?.stage).toBe('idle_fee');
    for (const i of sample.filter((x) => x.stage === 'idle_fee')) {
      expect(i.feeYuan).toBe(fenToYuan(idleFeeFen(yuanToFen(i.priceYuan))));
    }
    // The demo district officer sees their district's, and only those.
    const mine = await call(get().app, district, 'GET', '/api/supervision/idle');
    expect(mine.status).toBe(200);
    const own = mine.body.items as { districtCode: string; sample: boolean }[];
    expect(own.length).toBeGreaterThanOrEqual(4);
    expect(own.every((i) => i.districtCode === '440112')).toBe(true);
  });

  it('records a sample idle-fee decision at 20 % of the price', async () => {
    const items = (await call(get().app, admin, 'GET', '/api/supervision/idle?stage=idle_fee')).body.items as { priceYuan: number; decisions: { kind: string; documentNo: string; feeYuan: number | null }[] }[];
    const decided = items.flatMap((i) => i.decisions.map((d) => ({ d, price: i.priceYuan }))).filter(({ d }) => d.kind === 'idle_fee');
    expect(decided.length).toBeGreaterThanOrEqual(1);
    for (const { d, price } of decided) {
      expect(d.documentNo).toContain('示例');
      expect(d.feeYuan).toBe(fenToYuan(idleFeeFen(yuanToFen(price))));
    }
  });

  it('has an open inspection with a visit and a closed one with its conclusion, for the district officer', async () => {
    const res = await call(get().app, district, 'GET', '/api/supervision/inspections');
    expect(res.status).toBe(200);
    const list = res.body.items as { status: string; sample: boolean; visits: unknown[]; conclusion: string | null; assignee: { username: string } }[];
    const sample = list.filter((i) => i.sample);
    expect(sample.some((i) => i.status === 'open' && i.visits.length > 0)).toBe(true);
    expect(sample.some((i) => i.status === 'closed' && (i.conclusion ?? '').length > 0)).toBe(true);
    expect(sample.every((i) => i.assignee.username === 'district-huangpu')).toBe(true);
    // The red-line list points at the open one.
    const open = sample.find((i) => i.status === 'open') as unknown as { id: number; allocationId: number };
    const idle = (await call(get().app, district, 'GET', '/api/supervision/idle')).body as { items: { allocationId: number; openInspectionId: number | null }[] };
    expect(idle.items.find((i) => i.allocationId === open.allocationId)?.openInspectionId).toBe(open.id);
  });

  it('has two years of 亩均 figures with all four grades, on flagged sample thresholds', async () => {
    for (const year of [bureauYear() - 2, bureauYear() - 1]) {
      const res = await call(get().app, admin, 'GET', `/api/supervision/evaluation?year=${year}`);
      expect(res.status).toBe(200);
      const body = res.body as { thresholds: { sample: boolean }; items: { grade: string; sample: boolean; meetsConditions: { met: boolean | null } }[] };
      expect(body.thresholds.sample).toBe(true);
      const grades = new Set(body.items.filter((i) => i.sample).map((i) => i.grade));
      expect([...grades].sort()).toEqual(['A', 'B', 'C', 'D']);
      // The frozen sample conditions are checked: some met, some not.
      expect(body.items.some((i) => i.meetsConditions.met === true)).toBe(true);
      expect(body.items.some((i) => i.meetsConditions.met === false)).toBe(true);
    }
  });

  it('puts 标准地 conditions on sample plots, frozen into the sample agreements', async () => {
    const list = await call(get().app, admin, 'GET', '/api/allocations?status=contracted&limit=5');
    expect(list.status).toBe(200);
    const first = (list.body.items as { id: number; sample: boolean }[]).find((a) => a.sample)!;
    const detail = (await call(get().app, admin, 'GET', `/api/allocations/${first.id}`)).body as { plotId: number; agreement: { conditions: Record<string, unknown> } | null };
    expect(detail.agreement?.conditions.startWithinMonths).toBe(12);
    const plot = await call(get().app, null, 'GET', `/api/plots/${detail.plotId}`);
    expect(plot.status).toBe(200);
    expect(JSON.stringify(plot.body)).toContain('startWithinMonths');
  });
});
