/**
 * The ranking judges the available plots on an in-memory snapshot (server/modules/siting/
 * snapshot.ts), brought up to date with the database on every request. These tests change the
 * data between two rankings and check the second answer sees it at once: a plot held, a plot's
 * area edited, a plot deleted outright, a new reference version that moves every floor.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { bureauToday } from '../../shared/dates.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import type { SitingRequirements } from '../../shared/contract/siting.ts';
import { combinedScore, SITING_CRITERIA, type SitingCriterion } from '../../shared/policy/siting-weights.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies read loosely
type Body = Record<string, any>;

const WIDE: SitingRequirements = { sector: 'biomed', areaMuMin: 0, areaMuMax: 100_000, limit: 200 };

describeOnDatabases('siting snapshot freshness', (get) => {
  const app = () => get().app;
  let land: Session;
  let admin: Session;
  const rank = async (req: SitingRequirements = WIDE): Promise<Body> => {
    const r = await call(app(), null, 'POST', '/api/siting/rank', req);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as Body;
  };
  const uscc = () => { const b = '91440101MA5' + String(Math.floor(Math.random() * 1e6)).padStart(6, '0'); return b + usccCheckChar(b); };

  it('signs in', async () => {
    land = await login(app(), 'land');
    admin = await login(app(), 'admin');
  });

  it('a plot held between two rankings leaves the candidates and counts as not available', async () => {
    const before = await rank();
    const plotId = before.items[0].plotId as number;
    const held = await call(app(), land, 'POST', `/api/plots/${plotId}/holds`, { applicant: { name: '测试企业', uscc: uscc() }, until: bureauToday() });
    expect(held.status, JSON.stringify(held.body)).toBe(201);
    const after = await rank();
    expect(after.items.map((i: Body) => i.plotId)).not.toContain(plotId);
    expect(after.candidates).toBe(before.candidates - 1);
    expect(after.excluded.byRequirement.available).toBe(before.excluded.byRequirement.available + 1);
    expect(after.excluded.considered).toBe(before.excluded.considered);
    const released = await call(app(), land, 'POST', `/api/plots/${plotId}/holds/release`);
    expect(released.status).toBe(200);
    expect((await rank()).candidates).toBe(before.candidates);
  });

  it('an edited plot is judged on its new facts; a deleted one is gone', async () => {
    const before = await rank();
    const plotId = before.items[0].plotId as number;
    const areaMu = before.items[0].areaMu as number;
    // Narrow the range around this plot, then move the plot out of it in the database itself.
    const around: SitingRequirements = { sector: 'biomed', areaMuMin: Math.max(0, Math.floor(areaMu) - 1), areaMuMax: Math.ceil(areaMu) + 1, limit: 200 };
    expect((await rank(around)).items.map((i: Body) => i.plotId)).toContain(plotId);
    await sql`UPDATE plots SET area_m2 = area_m2 * 10 WHERE id = ${plotId}`.execute(app().db);
    const moved = await rank(around);
    expect(moved.items.map((i: Body) => i.plotId)).not.toContain(plotId);
    await sql`UPDATE plots SET area_m2 = area_m2 / 10 WHERE id = ${plotId}`.execute(app().db);
    expect((await rank(around)).items.map((i: Body) => i.plotId)).toContain(plotId);

    // A plot deleted outright (no row_version moves): the count check reloads the snapshot.
    const free = await sql<{ id: number }>`
      SELECT pl.id FROM plots pl WHERE pl.status = 'available'
         AND NOT EXISTS (SELECT 1 FROM allocations a WHERE a.plot_id = pl.id) AND NOT EXISTS (SELECT 1 FROM plot_holds h WHERE h.plot_id = pl.id)
         AND NOT EXISTS (SELECT 1 FROM interests i WHERE i.plot_id = pl.id) AND NOT EXISTS (SELECT 1 FROM land_demands d WHERE d.plot_id = pl.id)
         AND NOT EXISTS (SELECT 1 FROM plot_lineage l WHERE l.parent_id = pl.id OR l.child_id = pl.id)
       ORDER BY pl.id DESC LIMIT 1`.execute(app().db).catch(() => ({ rows: [] as { id: number }[] }));
    if (free.rows[0]) {
      const total = (await rank()).excluded.considered as number;
      const gone = await sql`DELETE FROM plots WHERE id = ${free.rows[0].id}`.execute(app().db).then(() => true, () => false);
      if (gone) expect((await rank()).excluded.considered).toBe(total - 1);
    }
  });

  it('a new reference version moves the floors at once', async () => {
    const before = await rank();
    const priced = before.items.find((i: Body) => i.floorBinding === 'benchmark');
    expect(priced, 'a plot whose floor the benchmark binds').toBeTruthy();
    const raise = await call(app(), admin, 'POST', '/api/reference/parameters/versions', { effectiveFrom: bureauToday(), source: '测试：IAB折扣调整', values: { iabFloorFactorBp: 10000 } });
    expect(raise.status, JSON.stringify(raise.body)).toBe(201);
    const after = await rank();
    const same = after.items.find((i: Body) => i.plotId === priced.plotId) ?? (await call(app(), null, 'GET', `/api/siting/explain?plotId=${priced.plotId}&sector=biomed&areaMuMin=0&areaMuMax=100000`)).body.item;
    expect(same.floorYuanPerM2).toBeGreaterThan(priced.floorYuanPerM2);
    expect(after.dataVersion).not.toBe(before.dataVersion);
  });

  it('publishes criterion scores that re-weight to exactly the total (what the page’s sliders compute)', async () => {
    for (const weights of [undefined, { price: 3, access: 1 }, { sector: 1, size: 1, price: 1, readiness: 1, access: 1, cluster: 1, greenChannel: 1 }]) {
      const body = await rank({ ...WIDE, ...(weights ? { weights } : {}) });
      expect(body.items.length).toBeGreaterThan(0);
      for (const item of body.items) {
        const scores = Object.fromEntries(item.reasons.map((r: Body) => [r.criterion, r.score])) as Record<SitingCriterion, number>;
        expect(Object.keys(scores).sort()).toEqual([...SITING_CRITERIA].sort());
        expect(combinedScore(scores, body.weightsUsed.weights)).toBe(item.score);
      }
    }
  });
});
