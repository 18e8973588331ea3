/**
 * The living demo (issue #18.3): the app started as `npm start` starts it (server/main.ts:
 * `startupSeeding(config, { live: true })` on a fresh demo database) shows real figures on first
 * open — this year's quota with an IAB reserve ≥ 5000 亩 and its charges equal to this year's
 * allocations, some contracted; late starts; subsidies within the 20 % / 1亿元 rules; investors'
 * interests; holds running into the future — all marked sample, and every record written with
 * its audit event, the chain verifying.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/kernel/config.ts';
import { startupSeeding } from '../../seeds/startup.ts';
import { bureauToday, bureauYear } from '../../shared/dates.ts';
import { createScratchDatabase } from './context.ts';
import { call, login, type Session } from './login.ts';
import { parkIds } from './subsidy-helpers.ts';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const MU = 2000 / 3;
const round2 = (x: number) => Math.round(x * 100) / 100;

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !TEST_DATABASE_URL)(`the living demo on first open [${kind}]`, () => {
    let app: FastifyInstance;
    let drop: (() => Promise<void>) | undefined;
    let land: Session;
    let admin: Session;
    const year = bureauYear();
    const today = bureauToday();
    const get = async (url: string, s: Session | null = land) => {
      const r = await call(app, s, 'GET', url);
      expect(r.status, `${url}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(200);
      return r.body;
    };

    beforeAll(async () => {
      let env: Record<string, string> = { DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true', PUBLIC_ORIGIN: 'http://localhost' };
      if (kind === 'postgres') {
        const scratch = await createScratchDatabase('iab_demo');
        drop = scratch.drop;
        env = { ...env, DATABASE_URL: scratch.url };
      }
      const config = loadConfig(env);
      app = await buildApp({ config, ...startupSeeding(config, { live: true }) }); // as server/main.ts
      land = await login(app, 'land');
      admin = await login(app, 'admin');
    });
    afterAll(async () => {
      await app?.close();
      await drop?.();
    });

    it('has this year’s quota with an IAB reserve of at least 5000 亩, used = this year’s allocations, some contracted', async () => {
      const q = await get(`/api/quotas/${year}`, null);
      expect(q.iabReserveMu).toBeGreaterThanOrEqual(5000);
      expect(q.quotaMu).toBeGreaterThanOrEqual(q.iabReserveMu);
      expect(q.approvedM2).toBeGreaterThan(0);
      const allocs = await get(`/api/allocations?quotaYear=${year}&status=approved,contracted,completed&limit=1000`);
      expect(allocs.total).toBeGreaterThan(0);
      expect(allocs.items).toHaveLength(allocs.total);
      expect(q.approvedM2).toBeCloseTo(round2(allocs.items.reduce((s: number, a: { areaM2: number }) => s + a.areaM2, 0)), 2);
      const iabArea = allocs.items.filter((a: { iab: boolean }) => a.iab).reduce((s: number, a: { areaM2: number }) => s + a.areaM2, 0);
      expect(q.iabApprovedM2).toBeCloseTo(round2(iabArea), 2);
      expect(q.approvedMu).toBeCloseTo(q.approvedM2 / MU, 1);
      const statuses = new Set(allocs.items.map((a: { status: string }) => a.status));
      expect(statuses.has('contracted')).toBe(true);
      expect(statuses.has('approved')).toBe(true);
      for (const a of allocs.items) expect(a.sample, `allocation ${a.id}`).toBe(true);
      // The quota report agrees.
      const report = await get(`/api/quotas/${year}/report`);
      expect(report.byPark.length).toBeGreaterThan(0);
    });

    it('gives every allocated sample plot its allocation, and has late starts', async () => {
      const allocated = (await get('/api/plots?status=allocated', null)).features;
      const active = await get('/api/allocations?status=approved,contracted,completed&limit=1000');
      expect(allocated.length).toBeGreaterThan(0);
      expect(new Set(active.items.map((a: { plotId: number }) => a.plotId))).toEqual(new Set(allocated.map((f: { properties: { id: number } }) => f.properties.id)));
      const overdue = await get('/api/allocations?overdue=true');
      expect(overdue.total).toBeGreaterThan(0);
    });

    it('shows real figures on the city and the Huangpu dashboards, consistent with this year’s quota', async () => {
      const city = await get('/api/bureau/parks');
      expect(city.year).toBe(year);
      expect(city.totals.plotCounts.allocated).toBeGreaterThan(0);
      expect(city.totals.projectsSigned).toBeGreaterThan(0);
      expect(city.totals.projectsLanded).toBeGreaterThan(0);
      expect(city.totals.quotaChargedM2).toBeGreaterThan(0);
      expect(city.totals.subsidy.grantedYuan).toBeGreaterThan(0);
      const q = await get(`/api/quotas/${year}`, null);
      // The IAB parks' charges this year are the year's charges (no sample record is outside them).
      expect(city.totals.quotaChargedM2).toBeCloseTo(q.approvedM2, 2);
      const huangpu = await get('/api/districts/440112/dashboard', await login(app, 'district-huangpu'));
      expect(huangpu.parks.length).toBeGreaterThan(0);
      expect(huangpu.totals.plotCounts.total).toBeGreaterThan(0);
      expect(huangpu.totals.projectsSigned).toBeGreaterThan(0);
      expect(huangpu.totals.overdueMilestones).toBeGreaterThan(0);
      expect(huangpu.totals.subsidy.grantedYuan).toBeGreaterThan(0);
    });

    it('has subsidies in a few parks, within 20 % of each project and the park cap, some paid out', async () => {
      const ids = await parkIds(app);
      const industry = await login(app, 'industry');
      let parks = 0;
      for (const code of Object.keys(ids).sort()) {
        const list = await get(`/api/parks/${ids[code]}/subsidies`, industry);
        if (list.items.length === 0) continue;
        parks++;
        expect(list.grantedYuan).toBeLessThanOrEqual(list.capYuan);
        expect(list.grantedYuan).toBeCloseTo(list.items.reduce((s: number, i: { grantedYuan: number }) => s + i.grantedYuan, 0), 2);
        const projects = await get(`/api/parks/${ids[code]}/projects`, industry);
        for (const p of projects.items) {
          expect(p.grantedYuan).toBeLessThanOrEqual(p.shareYuan);
          expect(p.name).toMatch(/（示例数据）$/);
        }
        expect(list.items.some((i: { status: string }) => i.status === 'disbursed')).toBe(true);
        const report = await get(`/api/parks/${ids[code]}/report`);
        expect(report.subsidies.grantedYuan).toBe(list.grantedYuan);
      }
      expect(parks).toBeGreaterThanOrEqual(3);
    });

    it('has investors’ interests in the bureau’s inbox and holds that run into the future', async () => {
      const interests = await get('/api/interests');
      expect(interests.items.length).toBeGreaterThan(0);
      for (const i of interests.items) expect(i.company).toMatch(/示例数据/);
      const mine = await get('/api/me/interests', await login(app, 'investor'));
      expect(mine.items.length).toBe(interests.items.length);
      const holds = await get('/api/holds');
      expect(holds.items.length).toBeGreaterThan(0);
      for (const h of holds.items) expect(h.until > today, `hold ${h.id} until ${h.until}`).toBe(true);
    });

    it('wrote every record with its audit event, and the chain verifies', async () => {
      const v = await get('/api/audit/verify', admin);
      expect(v.ok, JSON.stringify(v)).toBe(true);
      const events = async (action: string) => (await get(`/api/audit?action=${action}&limit=1`, admin)).total;
      const active = await get('/api/allocations?status=approved,contracted,completed&limit=1');
      expect(await events('allocation.approve')).toBeGreaterThanOrEqual(active.total);
      expect(await events('quota.set')).toBeGreaterThanOrEqual(5);
      expect(await events('hold.create')).toBeGreaterThanOrEqual((await get('/api/holds?limit=1')).total);
      expect(await events('subsidy.grant')).toBeGreaterThanOrEqual(3);
      expect(await events('interest.create')).toBeGreaterThan(0);
    });
  });
}
