/**
 * The annual quota minimum (五(三)11: not less than 5000 亩) is decided by the versioned
 * reference parameter `annualQuotaMinimumMu`, checked by the quota service before it writes —
 * not by a CHECK constraint that repeats 5000 亩. On the fully migrated schema: the database
 * keeps only "a quota is a positive area", a quota below the minimum is still refused with the
 * same answer as ever, and a new parameter version moves the minimum.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { MIN_QUOTA_M2 } from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';

/** m² of `mu` 亩 (1 亩 = 10000/15 m²). */
const m2 = (mu: number) => Math.round((mu * 10_000 * 100) / 15) / 100;

describeOnDatabases('the annual quota minimum', (get) => {
  const app = () => get().app;
  let land: Session;
  let admin: Session;
  const putQuota = (year: number, quotaM2: number) => call(app(), land, 'PUT', `/api/quotas/${year}`, { quotaM2, iabReserveM2: 0 });
  const setMinimum = (mu: number) =>
    call(app(), admin, 'POST', '/api/reference/parameters/versions', { effectiveFrom: bureauToday(), source: `test: minimum ${mu} 亩`, values: { annualQuotaMinimumMu: mu } });

  it('signs in', async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
  });

  it('leaves the minimum out of the schema: the database only refuses a quota that is not a positive area', async () => {
    const checks = await sql<{ conname: string }>`select conname from pg_constraint where conrelid = 'quotas'::regclass and contype = 'c'`.execute(app().db);
    const names = checks.rows.map((r) => r.conname);
    expect(names).toContain('quotas_quota_positive');
    expect(names).not.toContain('quotas_at_least_5000_mu');
    await expect(sql`insert into quotas (year, quota_m2) values (2050, 0)`.execute(app().db)).rejects.toThrow(/quotas_quota_positive/);
  });

  it('refuses a quota below 5000 亩 (400 VALIDATION_FAILED, QUOTA_BELOW_MINIMUM with the figures), writing nothing', async () => {
    for (const quotaM2 of [MIN_QUOTA_M2 - 0.01, m2(4999), 1]) {
      const below = await putQuota(2051, quotaM2);
      expect(below.status).toBe(400);
      expect(below.body).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'QUOTA_BELOW_MINIMUM', minimumM2: MIN_QUOTA_M2, minimumMu: 5000, quotaM2 });
      expect(below.body.message).toMatch(/at least 5000 mu/);
      expect(below.body.message).toMatch(/不得少于 5000 亩/);
    }
    expect((await call(app(), null, 'GET', '/api/quotas/2051')).status).toBe(404);
    expect((await putQuota(2051, MIN_QUOTA_M2)).status).toBe(200);
  });

  it('takes the minimum from the parameter version in force: lowered, a smaller quota is accepted; restored, refused again', async () => {
    const lowered = await setMinimum(4000);
    expect(lowered.status, JSON.stringify(lowered.body)).toBe(201);
    try {
      const ok = await putQuota(2052, m2(4500));
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({ year: 2052, quotaM2: m2(4500), quotaMu: 4500 });
      const below = await putQuota(2053, m2(3999));
      expect(below.status).toBe(400);
      expect(below.body).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'QUOTA_BELOW_MINIMUM', minimumMu: 4000 });
    } finally {
      expect((await setMinimum(5000)).status).toBe(201);
    }
    const again = await putQuota(2053, m2(4500));
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'QUOTA_BELOW_MINIMUM', minimumM2: MIN_QUOTA_M2, minimumMu: 5000 });
  });
});
