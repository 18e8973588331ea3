/**
 * Migration 009 on a database from before it (PGlite and PostgreSQL): a plot that a split left
 * `withdrawn` becomes `retired`; a plot withdrawn for another reason stays `withdrawn`; the
 * status CHECK accepts `retired` and still refuses nonsense; the lead-sector target joins each
 * existing parameters version as a bureau assumption (verified false).
 */
import { expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { migrations } from '../../server/db/migrations/index.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { describeOnEmptyDatabases } from './context.ts';

const SQUARE = (x: number) => JSON.stringify({ type: 'Polygon', coordinates: [[[113.4 + x, 23.1], [113.401 + x, 23.1], [113.401 + x, 23.101], [113.4 + x, 23.101], [113.4 + x, 23.1]]] });

describeOnEmptyDatabases('migration 009: split parents become retired', (get) => {
  it('moves withdrawn split/merge parents to retired, leaves other withdrawn plots alone', async () => {
    const db = get();
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    const before = await migrator.migrateTo('007_interests');
    expect(before.error).toBeUndefined();

    await sql`insert into districts (code, name_zh, name_en, geometry, bbox) values ('440112', '黄埔区', 'Huangpu', ${SQUARE(0)}::jsonb, '((113.4,23.1),(113.5,23.2))')`.execute(db);
    const park = await sql<{ id: number }>`insert into parks (code, name_zh, name_en, district_code, tier, sectors, recognized_year, boundary_source, area_m2, geometry, bbox)
      values ('P99', '测试园', 'Test park', '440112', 'core', ARRAY['ai'], 2018, 'indicative', 1000000, ${SQUARE(0)}::jsonb, '((113.4,23.1),(113.5,23.2))') returning id`.execute(db);
    const plot = async (code: string, status: string, x: number) =>
      (await sql<{ id: number }>`insert into plots (code, park_id, status, land_use, area_m2, land_level, geometry, bbox)
        values (${code}, ${park.rows[0]!.id}, ${status}, 'M1', 10000, 1, ${SQUARE(x)}::jsonb, '((113.4,23.1),(113.401,23.101))') returning id`.execute(db)).rows[0]!.id;
    const parent = await plot('A', 'withdrawn', 0);
    const c1 = await plot('A-1', 'available', 0.01);
    const c2 = await plot('A-2', 'available', 0.02);
    const taken = await plot('B', 'withdrawn', 0.03);
    await sql`insert into plot_lineage (parent_plot_id, child_plot_id, operation) values (${parent}, ${c1}, 'split'), (${parent}, ${c2}, 'split')`.execute(db);
    const version = await sql<{ id: number }>`insert into reference_versions (kind, effective_from, source) values ('parameters', '2018-01-01', 'test') returning id`.execute(db);
    await sql`insert into ref_parameters (version_id, key, value, verified, source) values (${version.rows[0]!.id}, 'iabFloorFactorBp', '7000', true, 'test')`.execute(db);

    const applied = await migrateToLatest(db);
    expect(applied).toContain('009_retired_plots');

    const statuses = Object.fromEntries((await db.selectFrom('plots').select(['code', 'status']).execute()).map((r) => [r.code, r.status]));
    expect(statuses).toEqual({ A: 'retired', 'A-1': 'available', 'A-2': 'available', B: 'withdrawn' });
    expect(taken).toBeGreaterThan(0);
    await expect(sql`update plots set status = 'gone' where id = ${c1}`.execute(db)).rejects.toThrow(/plots_status_check/);
    const lead = await db.selectFrom('ref_parameters').selectAll().where('key', '=', 'leadSectorShareTargetBp').execute();
    expect(lead).toEqual([expect.objectContaining({ version_id: version.rows[0]!.id, value: '8000', verified: false, source: expect.stringMatching(/bureau assumption/) })]);
  });
});
