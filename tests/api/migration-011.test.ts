/**
 * Migration 011 on a database that has grants and the shipped parameters from before it, on
 * PGlite and PostgreSQL:
 * - each existing grant becomes one park project (name, kind, investment, date, author) with the
 *   grant's net amount (0 for a withdrawn one), the grant points at it, the old project columns
 *   are gone, and the ledger keeps moving the project's total afterwards;
 * - every parameters version still carrying the shipped "IAB行动计划 五(三)14" for what the plan
 *   does not state gets a correction version with the same effective date and values: the real
 *   source and `verified: false`; what the plan states, and what an administrator set, is kept.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql, type Kysely } from 'kysely';
import { connectDatabase, type DatabaseHandle } from '../../server/kernel/db/connect.ts';
import type { Database } from '../../server/kernel/db/schema.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import { currentVersion } from '../../server/modules/reference/service.ts';
import { createScratchDatabase } from './context.ts';

const NAME = '011_park_projects_provenance';
const names = Object.keys(migrations).sort();
const BEFORE = names[names.indexOf(NAME) - 1]!;

/** The parameters as the seed wrote them before migration 011: every one "IAB行动计划 <clause>", verified. */
const OLD_SHIPPED: Record<string, [string, string]> = {
  iabFloorFactorBp: ['7000', '五(三)14'],
  nonIabFloorFactorBp: ['10000', '五(三)14'],
  capitalizationRateBp: ['600', '五(三)14'],
  rentFloorShareBp: ['200', '五(三)14'],
  nationalMinimum56Enabled: ['false', '五(三)14; 国土资发〔2009〕56号'],
  nationalMinimum56FactorBp: ['7000', '五(三)14; 国土资发〔2009〕56号'],
  statutoryMaxTermYears: ['50', '五(三)14'],
  longTermLeaseMinYears: ['5', '五(三)14'],
  longTermLeaseMaxYears: ['20', '五(三)14'],
  annualQuotaMinimumMu: ['5000', '五(三)11'],
  subsidyShareBp: ['2000', '五(三)13'],
  subsidyParkCapFen: ['10000000000', '五(三)13'],
  facilitiesRatioParkOperatorBp: ['1500', '五(三)13'],
  facilitiesRatioDefaultBp: ['1400', '五(三)13'],
};
const PLAN_KEYS = ['iabFloorFactorBp', 'annualQuotaMinimumMu', 'subsidyShareBp', 'subsidyParkCapFen', 'facilitiesRatioParkOperatorBp', 'facilitiesRatioDefaultBp'];

const square = JSON.stringify({ type: 'Polygon', coordinates: [[[113.3, 23.1], [113.31, 23.1], [113.31, 23.11], [113.3, 23.11], [113.3, 23.1]]] });

async function fillOldShape(db: Kysely<Database>) {
  await sql`insert into districts (code, name_zh, name_en, geometry, bbox) values ('440106', '天河区', 'Tianhe', ${square}::jsonb, box(point(113.3, 23.1), point(113.31, 23.11)))`.execute(db);
  const park = (await sql<{ id: number }>`
    insert into parks (code, name_zh, name_en, district_code, tier, sectors, recognized_year, boundary_source, area_m2, geometry, bbox)
    values ('P03', '天河软件价值创新园', 'Tianhe Software Park', '440106', 'core', array['ngit'], 2018, 'indicative', 1000000, ${square}::jsonb, box(point(113.3, 23.1), point(113.31, 23.11)))
    returning id`.execute(db)).rows[0]!.id;
  const v1 = (await sql<{ id: number }>`insert into reference_versions (kind, effective_from, source, created_by) values ('parameters', '2018-01-01', 'POLICY.md defaults', 'system:seed') returning id`.execute(db)).rows[0]!.id;
  for (const [key, [value, clause]] of Object.entries(OLD_SHIPPED)) {
    await sql`insert into ref_parameters (version_id, key, value, verified, source) values (${v1}, ${key}, ${value}, true, ${`IAB行动计划 ${clause}`})`.execute(db);
  }
  // A later version in which an administrator set the rent floor from a document of their own.
  const v2 = (await sql<{ id: number }>`insert into reference_versions (kind, effective_from, source, created_by) values ('parameters', '2020-01-01', '局发〔2020〕1号', 'admin') returning id`.execute(db)).rows[0]!.id;
  for (const [key, [value, clause]] of Object.entries(OLD_SHIPPED)) {
    const own = key === 'rentFloorShareBp';
    await sql`insert into ref_parameters (version_id, key, value, verified, source) values (${v2}, ${key}, ${own ? '300' : value}, true, ${own ? '局发〔2020〕1号' : `IAB行动计划 ${clause}`})`.execute(db);
  }
  await sql`insert into park_subsidy_totals (park_id, cap_yuan) values (${park}, 100000000)`.execute(db);
  const grant = async (name: string, kind: string, investment: string, granted: string, before: string) => {
    const id = (await sql<{ id: number }>`
      insert into subsidies (park_id, project_name, kind, total_investment_yuan, requested_yuan, granted_yuan, share_bp, investment_share_yuan, cap_yuan, park_granted_before_yuan, limited_by, reference_version_id, created_at)
      values (${park}, ${name}, ${kind}, ${investment}, ${granted}, ${granted}, 2000, ${(Number(investment) * 0.2).toFixed(2)}, 100000000, ${before}, 'requested', ${v1}, '2021-03-04T05:06:07Z')
      returning id`.execute(db)).rows[0]!.id;
    await sql`insert into subsidy_ledger (park_id, subsidy_id, kind, amount_yuan) values (${park}, ${id}, 'grant', ${granted})`.execute(db);
    return id;
  };
  // Two grants on what was really one project (the old bug: 40 % of its investment), and another.
  const a = await grant('软件园公共平台', 'public_platform', '10000000.00', '2000000.00', '0');
  const b = await grant('软件园公共平台', 'public_platform', '10000000.00', '2000000.00', '2000000.00');
  const c = await grant('配套道路', 'infrastructure', '5000000.00', '500000.00', '4000000.00');
  // c is withdrawn.
  await sql`update subsidies set status = 'withdrawn', withdrawn_at = now(), withdraw_reason = '终止' where id = ${c}`.execute(db);
  await sql`insert into subsidy_ledger (park_id, subsidy_id, kind, amount_yuan) values (${park}, ${c}, 'withdrawal', -500000)`.execute(db);
  return { park, v1, v2, a, b, c };
}

for (const kind of ['pglite', 'postgres'] as const) {
  const skip = kind === 'postgres' && !process.env.TEST_DATABASE_URL;
  describe.skipIf(skip)(`migration 011 on a database with grants and the shipped parameters [${kind}]`, () => {
    let handle: DatabaseHandle;
    let drop: (() => Promise<void>) | undefined;
    let old: Awaited<ReturnType<typeof fillOldShape>>;

    beforeAll(async () => {
      if (kind === 'postgres') {
        const scratch = await createScratchDatabase('iab_mig011');
        drop = scratch.drop;
        handle = await connectDatabase({ databaseUrl: scratch.url, dataDir: 'memory://', poolSize: 2 });
      } else {
        handle = await connectDatabase({ dataDir: 'memory://' });
      }
      const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } });
      const to = await migrator.migrateTo(BEFORE);
      if (to.error) throw to.error;
      old = await fillOldShape(handle.db);
      const up = await migrator.migrateToLatest();
      if (up.error) throw up.error;
      expect(up.results?.map((r) => r.migrationName)).toContain(NAME);
    }, 120_000);

    afterAll(async () => {
      await handle?.close();
      await drop?.();
    });

    it('moves each existing grant into a project of its own, with the grant’s net amount', async () => {
      const db = handle.db;
      const rows = await sql<{ sid: number; pid: number; name: string; kind: string; investment: string; granted: string; share_bp: number; created_at: Date | string }>`
        select s.id as sid, p.id as pid, p.name, p.kind, p.total_investment_yuan::text as investment, p.granted_yuan::text as granted, p.share_bp, p.created_at
          from subsidies s join park_projects p on p.id = s.project_id order by s.id`.execute(db);
      expect(rows.rows.map((r) => [r.sid, r.name, r.kind, r.investment, r.granted, r.share_bp])).toEqual([
        [old.a, '软件园公共平台', 'public_platform', '10000000.00', '2000000.00', 2000],
        [old.b, '软件园公共平台', 'public_platform', '10000000.00', '2000000.00', 2000],
        [old.c, '配套道路', 'infrastructure', '5000000.00', '0.00', 2000],
      ]);
      expect(new Set(rows.rows.map((r) => r.pid)).size).toBe(3);
      expect(new Date(rows.rows[0]!.created_at).toISOString()).toBe('2021-03-04T05:06:07.000Z');
      const cols = await sql<{ column_name: string }>`select column_name from information_schema.columns where table_name = 'subsidies'`.execute(db);
      const names = cols.rows.map((c) => c.column_name);
      expect(names).toEqual(expect.arrayContaining(['project_id', 'project_granted_before_yuan']));
      for (const gone of ['project_name', 'kind', 'total_investment_yuan']) expect(names).not.toContain(gone);
      // The park's total is untouched: 4,000,000 net.
      const t = await sql<{ g: string }>`select granted_yuan::text as g from park_subsidy_totals where park_id = ${old.park}`.execute(db);
      expect(t.rows[0]!.g).toBe('4000000.00');
    });

    it('keeps the ledger moving the project’s total after the migration, and the project within its 20 %', async () => {
      const db = handle.db;
      const b = await db.selectFrom('subsidies').select('project_id').where('id', '=', old.b).executeTakeFirstOrThrow();
      await sql`update subsidies set status = 'withdrawn', withdrawn_at = now(), withdraw_reason = '迁移后撤销' where id = ${old.b}`.execute(db);
      await sql`insert into subsidy_ledger (park_id, subsidy_id, kind, amount_yuan) values (${old.park}, ${old.b}, 'withdrawal', -2000000)`.execute(db);
      const p = await sql<{ g: string }>`select granted_yuan::text as g from park_projects where id = ${b.project_id}`.execute(db);
      expect(p.rows[0]!.g).toBe('0.00');
      await expect(sql`update park_projects set granted_yuan = 1 where id = ${b.project_id}`.execute(db)).rejects.toThrow(/changes only through/);
    });

    it('adds a correction version per parameters version: the real source, verified false for what the plan does not state', async () => {
      const db = handle.db;
      const versions = await db.selectFrom('reference_versions').select(['id', 'effective_from', 'created_by']).where('kind', '=', 'parameters').orderBy('id').execute();
      expect(versions).toHaveLength(4);
      const [c1, c2] = versions.slice(2);
      expect(c1!.created_by).toBe('system:migration-011');
      expect(String(c1!.effective_from).slice(0, 10)).toBe('2018-01-01');
      expect(String(c2!.effective_from).slice(0, 10)).toBe('2020-01-01');
      // The old versions are untouched (append-only).
      const oldRows = await db.selectFrom('ref_parameters').selectAll().where('version_id', '=', old.v1).execute();
      expect(oldRows.every((r) => r.verified && r.source.startsWith('IAB行动计划'))).toBe(true);
      const rows = Object.fromEntries((await db.selectFrom('ref_parameters').selectAll().where('version_id', '=', c1!.id).execute()).map((r) => [r.key, r]));
      expect(Object.keys(rows).sort()).toEqual(Object.keys(OLD_SHIPPED).sort());
      for (const key of Object.keys(OLD_SHIPPED)) {
        expect(rows[key]!.value, key).toBe(OLD_SHIPPED[key]![0]);
        if (PLAN_KEYS.includes(key)) {
          expect(rows[key], key).toMatchObject({ verified: true, source: `IAB行动计划 ${OLD_SHIPPED[key]![1]}` });
        } else {
          expect(rows[key]!.verified, key).toBe(false);
          expect(rows[key]!.source, key).not.toMatch(/五\(三\)/);
        }
      }
      expect(rows.statutoryMaxTermYears!.source).toBe('城镇国有土地使用权出让和转让暂行条例（1990）第十二条');
      expect(rows.capitalizationRateBp!.source).toMatch(/局内参数.*GB\/T 18508/);
      // The 2020 correction keeps the administrator's own rent floor (value, source, verified).
      const r2 = await db.selectFrom('ref_parameters').selectAll().where('version_id', '=', c2!.id).where('key', '=', 'rentFloorShareBp').executeTakeFirstOrThrow();
      expect(r2).toMatchObject({ value: '300', verified: true, source: '局发〔2020〕1号' });
      // In force: today the 2020 correction, in 2019 the 2018 correction.
      expect((await currentVersion(db, 'parameters'))?.id).toBe(c2!.id);
      expect((await currentVersion(db, 'parameters', '2019-06-01'))?.id).toBe(c1!.id);
    });
  });
}
