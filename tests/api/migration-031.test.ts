/**
 * Migration 031 stores each plot's map-list Feature text (`plots.list_feature`, a generated
 * column): on a database with plots already in it, every row gets its text; the text is the plot's
 * row as JSON (strings escaped, numbers and booleans as JSON, null as null, the land-use code a
 * trigger fills in); later writes keep it in step; and the migration goes down and up again.
 * PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
 */
import { expect, it } from 'vitest';
import { Migrator, sql, type Kysely } from 'kysely';
import { describeOnEmptyDatabases } from './context.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { Database } from '../../server/kernel/db/schema.ts';

const SQUARE = (x: number) => ({ type: 'Polygon', coordinates: [[[113.4 + x, 23.1], [113.401 + x, 23.1], [113.401 + x, 23.101], [113.4 + x, 23.101], [113.4 + x, 23.1]]] });

/** What the list shows for a plot: its stored text completed as the read completes it, parsed. */
async function listed(db: Kysely<Database>) {
  const r = await sql<{ id: number; feature: string }>`
    SELECT pl.id, pl.list_feature || ',"districtCode":' || json_string(pk.district_code) || '}}' AS feature
    FROM plots pl JOIN parks pk ON pk.id = pl.park_id ORDER BY pl.id`.execute(db);
  return r.rows.map((x) => JSON.parse(x.feature) as { id: number; geometry: unknown; properties: Record<string, unknown> });
}

/** The same plots from their columns. */
async function rows(db: Kysely<Database>) {
  const r = await sql<Record<string, unknown>>`
    SELECT pl.id, pl.code, pl.park_id, pl.status, pl.area_m2::float8 AS area_m2, pl.land_use, pl.land_use_code, pl.parcel_code, pl.land_level, pl.sample,
           pl.geometry, pk.district_code
    FROM plots pl JOIN parks pk ON pk.id = pl.park_id ORDER BY pl.id`.execute(db);
  return r.rows.map((p) => ({
    type: 'Feature', id: p.id, geometry: p.geometry,
    properties: {
      id: p.id, code: p.code, parkId: p.park_id, status: p.status, areaM2: Number(p.area_m2), landUse: p.land_use, landUseCode: p.land_use_code,
      parcelCode: p.parcel_code, landLevel: p.land_level, sample: p.sample, districtCode: p.district_code,
    },
  }));
}

describeOnEmptyDatabases("migration 031 stores each plot's list Feature", (get) => {
  it('fills the text for the plots already there, keeps it in step with writes, and goes down and up', async () => {
    const db = get();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('030_conditions_check_cached')).error).toBeUndefined();
    await sql`insert into districts (code, name_zh, name_en, geometry, bbox) values ('440112', '黄埔区', 'Huangpu', ${JSON.stringify(SQUARE(0))}::jsonb, '((113.4,23.1),(113.5,23.2))'),
      ('440106', '天河区', 'Tianhe', ${JSON.stringify(SQUARE(0))}::jsonb, '((113.4,23.1),(113.5,23.2))')`.execute(db);
    const park = (await sql<{ id: number }>`insert into parks (code, name_zh, name_en, district_code, tier, sectors, recognized_year, boundary_source, area_m2, geometry, bbox)
      values ('P99', '测试园', 'Test park', '440112', 'core', ARRAY['ai'], 2018, 'indicative', 1000000, ${JSON.stringify(SQUARE(0))}::jsonb, '((113.4,23.1),(113.5,23.2))') returning id`.execute(db)).rows[0]!.id;
    const codes = ['T-1', 'T-"引号"\\反斜杠\n换行', '地块 🚧'];
    for (const [i, code] of codes.entries()) {
      await sql`insert into plots (code, park_id, status, land_use, area_m2, land_level, geometry, bbox, sample, parcel_code)
        values (${code}, ${park}, 'available', ${['M1', 'M2', 'M0'][i]!}, ${10000.5 + i}, ${i + 1}, ${JSON.stringify(SQUARE(i * 0.01))}::jsonb,
                '((113.4,23.1),(113.401,23.101))', ${i % 2 === 0}, ${i === 0 ? '440112001001GB00001' : null})`.execute(db);
    }

    expect(await migrateToLatest(db)).toContain('031_plot_list_feature');
    expect(await listed(db)).toEqual(await rows(db));

    // Writes after the migration: the column follows the row (and the trigger's land-use code),
    // the district follows the park.
    const [a, b] = (await rows(db)).map((p) => p.id as number);
    await sql`update plots set status = 'withdrawn', land_use = 'M3', land_use_code = NULL, area_m2 = 42.25, geometry = ${JSON.stringify(SQUARE(0.5))}::jsonb where id = ${a}`.execute(db);
    await sql`update plots set code = 'T-renamed', parcel_code = NULL, sample = true where id = ${b}`.execute(db);
    await sql`update parks set district_code = '440106' where id = ${park}`.execute(db);
    await sql`insert into plots (code, park_id, status, land_use, area_m2, land_level, geometry, bbox)
      values ('T-new', ${park}, 'available', 'M2', 777, 3, ${JSON.stringify(SQUARE(0.9))}::jsonb, '((113.4,23.1),(113.401,23.101))')`.execute(db);
    const after = await listed(db);
    expect(after).toEqual(await rows(db));
    expect(after.find((f) => f.id === a)!.properties).toMatchObject({ status: 'withdrawn', landUse: 'M3', landUseCode: '100103', areaM2: 42.25, districtCode: '440106' });
    expect(after.map((f) => f.properties.code)).toContain('T-new');

    // Down: the column and the function go; up again: back, filled.
    expect((await migrator.migrateTo('030_conditions_check_cached')).error).toBeUndefined();
    const column = await sql<{ n: number }>`select count(*)::int as n from information_schema.columns where table_name = 'plots' and column_name = 'list_feature'`.execute(db);
    expect(column.rows[0]!.n).toBe(0);
    expect(await migrateToLatest(db)).toContain('031_plot_list_feature');
    expect(await listed(db)).toEqual(await rows(db));
  });
});
