/**
 * Honest provenance of the policy parameters (POLICY.md "Where each parameter
 * comes from"), over HTTP on a freshly seeded database: the plan's clause only for what the plan
 * states, the national rule where there is one, otherwise a bureau assumption — `verified: false`
 * until an administrator confirms it with POST /api/reference/parameters/:key/confirm, which adds
 * a version (the old one is kept) and an audit event.
 */
import { beforeAll, expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { bureauToday } from '../../shared/dates.ts';

type Param = { key: string; value: string; verified: boolean; source: string; clause: string; basis: string };

/** What the plan states (五(三)11, 13, 14): 70 %, 5000亩, 20 %, 1亿, 15 %/14 %. */
const PLAN = {
  iabFloorFactorBp: '五(三)14',
  annualQuotaMinimumMu: '五(三)11',
  subsidyShareBp: '五(三)13',
  subsidyParkCapFen: '五(三)13',
  facilitiesRatioParkOperatorBp: '五(三)13',
  facilitiesRatioDefaultBp: '五(三)13',
} as Record<string, string>;

describeOnDatabases('parameter provenance and confirmation', (get) => {
  let admin: Session;
  const app = () => get().app;
  const params = async (): Promise<Param[]> => (await call(app(), null, 'GET', '/api/reference')).body.parameters;
  const confirm = (key: string, body: unknown, s: Session | null = admin) => call(app(), s, 'POST', `/api/reference/parameters/${key}/confirm`, body);

  beforeAll(async () => {
    admin = await login(app(), 'admin');
  });

  it('cites the plan only for what it states, verified; everything else names its real source, unverified', async () => {
    const rows = await params();
    expect(rows.length).toBeGreaterThanOrEqual(14);
    for (const p of rows) {
      if (PLAN[p.key]) {
        expect(p, p.key).toMatchObject({ basis: 'plan', clause: PLAN[p.key], verified: true, source: `IAB行动计划 ${PLAN[p.key]}` });
      } else {
        // No clause of the plan for what the plan does not say, and not verified until confirmed.
        expect(p.source, p.key).not.toMatch(/五\(三\)|行动计划/);
        expect(p.clause, p.key).not.toMatch(/五\(三\)/);
        expect(p.verified, p.key).toBe(false);
        expect(['national_rule', 'bureau_assumption'], p.key).toContain(p.basis);
      }
    }
    const by = Object.fromEntries(rows.map((p) => [p.key, p]));
    expect(by.statutoryMaxTermYears).toMatchObject({ basis: 'national_rule', source: '城镇国有土地使用权出让和转让暂行条例（1990）第十二条' });
    expect(by.capitalizationRateBp).toMatchObject({ basis: 'bureau_assumption' });
    expect(by.capitalizationRateBp!.source).toMatch(/局内参数.*GB\/T 18508 城镇土地估价规程/);
    for (const key of ['rentFloorShareBp', 'longTermLeaseMinYears', 'longTermLeaseMaxYears', 'nonIabFloorFactorBp']) {
      expect(by[key], key).toMatchObject({ basis: 'bureau_assumption', source: '局内参数（bureau assumption）', verified: false });
    }
    // 五(三)14 is cited for the 70 % alone.
    expect(rows.filter((p) => p.source.includes('五(三)14')).map((p) => p.key)).toEqual(['iabFloorFactorBp']);
  });

  it('lets an administrator confirm one parameter: a new version, same values, verified with the source given, audited', async () => {
    const before = await params();
    const versionsBefore = (await call(app(), admin, 'GET', '/api/reference/parameters/versions')).body.items.length;
    const r = await confirm('capitalizationRateBp', { source: '局务会议纪要〔2026〕12号', note: '确认土地还原率6%' });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({ key: 'capitalizationRateBp', kind: 'parameters', createdBy: 'admin', note: '确认土地还原率6%' });
    expect(r.body.effectiveFrom).toBe(bureauToday());
    const after = await params();
    const by = Object.fromEntries(after.map((p) => [p.key, p]));
    expect(by.capitalizationRateBp).toMatchObject({ value: '600', verified: true, source: '局务会议纪要〔2026〕12号', basis: 'bureau_assumption' });
    // Every other parameter is as it was (value, source, verified).
    for (const p of before.filter((x) => x.key !== 'capitalizationRateBp')) expect(by[p.key], p.key).toEqual(p);
    const versions = (await call(app(), admin, 'GET', '/api/reference/parameters/versions')).body.items;
    expect(versions).toHaveLength(versionsBefore + 1);
    expect(versions[0]).toMatchObject({ id: r.body.id, current: true });
    const audit = await app().db.selectFrom('audit_events').select(['action', 'actor_username', 'before', 'after']).where('action', '=', 'reference.parameter_confirm').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_username: 'admin', before: { key: 'capitalizationRateBp', verified: false, value: '600' }, after: { key: 'capitalizationRateBp', verified: true, versionId: r.body.id, source: '局务会议纪要〔2026〕12号' } });
    // Without a source, the recorded one is kept.
    const lease = await confirm('longTermLeaseMaxYears', {});
    expect(lease.status).toBe(201);
    expect((await params()).find((p) => p.key === 'longTermLeaseMaxYears')).toMatchObject({ verified: true, source: '局内参数（bureau assumption）' });
  });

  it('refuses to confirm twice (409), an unknown parameter (404), and anyone but an administrator (401/403)', async () => {
    const again = await confirm('iabFloorFactorBp', {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_VERIFIED' });
    expect(again.body.message).toMatch(/already verified/);
    const unknown = await confirm('noSuchParameter', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toMatch(/Unknown parameter "noSuchParameter"/);
    expect((await confirm('rentFloorShareBp', { extra: 1 })).status).toBe(400);
    expect((await confirm('rentFloorShareBp', {}, null)).status).toBe(401);
    for (const name of ['land', 'industry', 'district-tianhe', 'investor'] as const) {
      expect((await confirm('rentFloorShareBp', {}, await login(app(), name))).status, name).toBe(403);
    }
    expect((await params()).find((p) => p.key === 'rentFloorShareBp')?.verified).toBe(false);
  });
});
