/**
 * The generated zones of the scale dataset (issue #17; migration 021_zone_tier, seeds/scale.ts)
 * on PGlite and PostgreSQL: the tier CHECK takes 'zone' (sample, indicative only), a zones run of
 * `seedDatabase` keeps the parks' demo plots and puts the rest in zones, the park list and the
 * bureau's dashboard leave zones out unless asked (`GET /api/parks?zones=true`), a zone is no
 * IAB park for subsidies, and the allocation invariants still hold.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedDatabase } from '../../seeds/load.ts';
import { subsidyGrant } from '../../shared/policy/index.ts';
import { DEFAULT_PARAMETERS } from '../../shared/policy/parameters.ts';
import { describeOnDatabases } from './context.ts';
import { call, login } from './login.ts';
import { asOwner } from './owner.ts';

type FC = GeoJSON.FeatureCollection<GeoJSON.Polygon, { id: number; code: string; tier: string; sample: boolean; plotCount: number; boundarySource: string }>;

describeOnDatabases('generated zones (tier zone)', (get) => {
  const getJson = async <T>(url: string) => {
    const res = await get().app.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json() as T };
  };
  let seeded: Awaited<ReturnType<typeof seedDatabase>>;

  it('seeds a zones run: the parks keep their demo plots, the zones carry the rest, all sample', async () => {
    const before = await get().app.db.selectFrom('plots').select(sql<number>`count(*)::int`.as('n')).where('sample', '=', true).executeTakeFirstOrThrow();
    // As `npm run db:seed` does: as the owner (removing the demo's sample allocations sets a trigger aside).
    seeded = await asOwner(get(), (db) => seedDatabase(db, { demo: false, plots: 5_000, zones: true, seed: 'api-zones' }));
    expect(seeded.plots).toBe(5_000);
    expect(seeded.zones).toBeGreaterThanOrEqual(11); // one at least in every district
    expect(seeded.removedSamplePlots).toBe(before.n);
    const rows = await sql<{ tier: string; n: number; sample: boolean }>`
      select pk.tier = 'zone' as zone, count(*)::int as n, bool_and(p.sample) as sample
        from plots p join parks pk on pk.id = p.park_id group by 1 order by 1`.execute(get().app.db);
    const [parks, zones] = rows.rows as unknown as { zone: boolean; n: number; sample: boolean }[];
    expect(parks!.zone).toBe(false);
    expect(parks!.n).toBeGreaterThan(200); // the twelve parks' 20–60 demo plots each
    expect(zones!.n).toBe(5_000 - parks!.n);
    expect(zones!.sample && parks!.sample).toBe(true);
    const districts = await sql<{ n: number }>`select count(distinct district_code)::int as n from parks where tier = 'zone'`.execute(get().app.db);
    expect(districts.rows[0]!.n).toBe(11);
  });

  it('keeps the park list to the IAB parks unless zones are asked for', async () => {
    const plain = await getJson<FC>('/api/parks');
    expect(plain.status).toBe(200);
    expect(plain.body.features).toHaveLength(12);
    expect(plain.body.features.every((f) => f.properties.tier !== 'zone')).toBe(true);
    const all = await getJson<FC>('/api/parks?zones=true');
    expect(all.status).toBe(200);
    const zones = all.body.features.filter((f) => f.properties.tier === 'zone');
    expect(zones).toHaveLength(seeded.zones);
    expect(all.body.features).toHaveLength(12 + seeded.zones);
    for (const z of zones) {
      expect(z.properties.sample).toBe(true);
      expect(z.properties.boundarySource).toBe('indicative');
      expect(z.properties.code).toMatch(/^Z\d{6}-\d{4}$/);
    }
    expect(zones.reduce((s, z) => s + z.properties.plotCount, 0) + plain.body.features.reduce((s, f) => s + f.properties.plotCount, 0)).toBe(5_000);
    const one = await getJson<{ properties: { tier: string } }>(`/api/parks/${zones[0]!.properties.id}`);
    expect(one.status).toBe(200);
    expect(one.body.properties.tier).toBe('zone');
    expect((await getJson('/api/parks?zones=maybe')).status).toBe(400);
  });

  it("leaves zones out of the bureau's park dashboard", async () => {
    const land = await login(get().app, 'land');
    const res = await call(get().app, land, 'GET', '/api/bureau/parks');
    expect(res.status).toBe(200);
    const text = JSON.stringify(res.body);
    expect(text).not.toMatch(/"tier":"zone"/);
    expect(text).not.toMatch(/生成区/);
  });

  it("holds the tier CHECK: 'zone' only for sample parks with an indicative boundary, nothing unknown", async () => {
    const db = get().app.db;
    const zone = await db.selectFrom('parks').selectAll().where('tier', '=', 'zone').orderBy('id').executeTakeFirstOrThrow();
    const copy = (over: Record<string, unknown>) =>
      sql`insert into parks (code, name_zh, name_en, district_code, tier, sectors, recognized_year, boundary_source, area_m2, geometry, bbox, sample)
          values (${String(over.code)}, 'x', 'x', ${zone.district_code}, ${String(over.tier)}, ${zone.sectors}, 2026, ${String(over.boundary_source)}, 1,
                  ${JSON.stringify(zone.geometry)}::jsonb, ${zone.bbox}::box, ${Boolean(over.sample)})`.execute(db);
    await expect(copy({ code: 'ZT-1', tier: 'zone', boundary_source: 'surveyed', sample: true })).rejects.toThrow(/parks_zone_is_sample/);
    await expect(copy({ code: 'ZT-2', tier: 'zone', boundary_source: 'indicative', sample: false })).rejects.toThrow(/parks_zone_is_sample/);
    await expect(copy({ code: 'ZT-3', tier: 'region', boundary_source: 'indicative', sample: true })).rejects.toThrow(/parks_tier_check/);
  });

  it('keeps the invariants: every allocated plot has one active allocation, every held zone parcel its hold', async () => {
    const db = get().app.db;
    const r = await sql<{ bad_allocated: number; held_without_hold: number; zone_allocated: number }>`
      select (select count(*)::int from plots p where p.status = 'allocated'
                and (select count(*) from allocations a where a.plot_id = p.id and a.status in ('approved', 'contracted', 'completed')) <> 1) as bad_allocated,
             (select count(*)::int from plots p join parks pk on pk.id = p.park_id where pk.tier = 'zone' and p.status = 'held'
                and not exists (select 1 from plot_holds h where h.plot_id = p.id and h.released_at is null)) as held_without_hold,
             (select count(*)::int from plots p join parks pk on pk.id = p.park_id where pk.tier = 'zone' and p.status = 'allocated') as zone_allocated`.execute(db);
    expect(r.rows[0]).toEqual({ bad_allocated: 0, held_without_hold: 0, zone_allocated: 0 });
    // Inserting an allocated plot with no allocation is still refused at commit (the INSERT trigger of 021).
    const park = await db.selectFrom('plots').select(['park_id', 'geometry', 'bbox']).limit(1).executeTakeFirstOrThrow();
    await expect(
      db.transaction().execute((trx) =>
        sql`insert into plots (code, park_id, status, land_use, area_m2, land_level, geometry, bbox)
            values ('ZT-ALLOC', ${park.park_id}, 'allocated', 'M1', 1000, 3, ${JSON.stringify(park.geometry)}::jsonb, ${park.bbox}::box)`.execute(trx),
      ),
    ).rejects.toThrow(/allocated exactly when it has one active allocation/);
  });

  it('re-seeds to a smaller run, replacing the zones', async () => {
    const again = await asOwner(get(), (db) => seedDatabase(db, { demo: false, plots: 1_000, zones: true, seed: 'api-zones' }));
    expect(again.removedZones).toBe(seeded.zones);
    expect(again.plots).toBe(1_000);
    const n = await sql<{ n: number }>`select count(*)::int as n from parks where tier = 'zone'`.execute(get().app.db);
    expect(n.rows[0]!.n).toBe(again.zones);
  });
});

it('a generated zone is not an IAB park: no subsidy (SUBSIDY_NOT_ELIGIBLE)', () => {
  const r = subsidyGrant({ requestedFen: 100n, totalInvestmentFen: 1_000_000n, parkGrantedFen: 0n, projectGrantedFen: 0n, parkTier: 'zone', params: DEFAULT_PARAMETERS });
  expect(r.ok).toBe(false);
  if (!r.ok) expect(r.code).toBe('SUBSIDY_NOT_ELIGIBLE');
});
