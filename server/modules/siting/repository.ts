/**
 * The siting queries (issue #16 §2). The hard requirements that SQL can judge on plot and park
 * columns — available, area (亩 compared exactly, as the search does), land use, supply mode,
 * district, serviced, the public indicative minimum within the budget — are one CASE naming the
 * FIRST one a live plot fails (SITING_REQUIREMENTS order); the 标准地 conditions are a truth
 * value per row (the search's own predicate). One statement answers the rows that pass with
 * their public floor, and the count of every other live plot under the requirement it fails.
 * The hub distances (EPSG:4547 plane) are judged in the service. Executor first.
 *
 * Only public columns are read: the cost is never selected, so nothing here can depend on it.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { LandUse, ParkTier, ProjectSector, Sector } from '../../../shared/domain.ts';
import type { PublicFloorBinding } from '../../../shared/policy/index.ts';
import { landUsesOffering } from '../../../shared/supply-modes.ts';
import type { SitingRequirements } from '../../../shared/contract/siting.ts';
import type { ReferenceSet } from '../reference/service.ts';
import { plotsWithPublicFloor, projectMeetsConditions } from '../search/public-floor.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface SitingRow {
  id: number;
  code: string;
  park_id: number;
  park_code: string;
  park_name_zh: string;
  park_name_en: string;
  park_tier: ParkTier;
  sectors: Sector[];
  district_code: string;
  area_m2: string;
  land_use: LandUse;
  serviced: boolean;
  sample: boolean;
  status: string;
  conditions: Record<string, unknown>;
  /** Integer fen per m² (as text), public terms only; null when the reference data has no figure. */
  floor_fen: string | null;
  binding: PublicFloorBinding | null;
  cx: string;
  cy: string;
  /** The project's figures meet the plot's 标准地 conditions (true when no figure is given). */
  cond_ok: boolean;
}

/** Output columns, as [name, expression over `c.`, SQL type] (the type types the NULLs of the count row). */
const COLUMNS: [string, RawBuilder<unknown>, string][] = [
  ['id', sql`c.id`, 'int'],
  ['code', sql`c.code`, 'text'],
  ['park_id', sql`c.park_id`, 'int'],
  ['park_code', sql`c.park_code`, 'text'],
  ['park_name_zh', sql`c.park_name_zh`, 'text'],
  ['park_name_en', sql`c.park_name_en`, 'text'],
  ['park_tier', sql`c.park_tier`, 'text'],
  ['sectors', sql`c.sectors`, 'text[]'],
  ['district_code', sql`c.district_code`, 'text'],
  ['area_m2', sql`c.area_m2::text`, 'text'],
  ['land_use', sql`c.land_use`, 'text'],
  ['serviced', sql`c.serviced`, 'boolean'],
  ['sample', sql`c.sample`, 'boolean'],
  ['status', sql`c.status`, 'text'],
  ['conditions', sql`c.conditions`, 'jsonb'],
  ['floor_fen', sql`c.floor_fen_per_m2::text`, 'text'],
  ['binding', sql`c.binding`, 'text'],
  ['cx', sql`round(((c.bbox[0])[0] + (c.bbox[1])[0])::numeric / 2, 6)::text`, 'text'],
  ['cy', sql`round(((c.bbox[0])[1] + (c.bbox[1])[1])::numeric / 2, 6)::text`, 'text'],
  ['cond_ok', sql`c.cond_ok`, 'boolean'],
];

/** The plot columns the floor query does not carry, and the conditions' truth value. */
function extraColumns(req: SitingRequirements | null): RawBuilder<unknown>[] {
  const cond = req ? projectMeetsConditions(req.project) : [];
  return [sql`pl.status`, sql`pl.conditions`, sql`${cond.length ? sql.join(cond, sql` AND `) : sql`true`} AS cond_ok`];
}

/** CASE naming the first requirement (of those SQL judges) the row `f` fails; NULL when none. */
function firstFailing(req: SitingRequirements): RawBuilder<unknown> {
  const whens: RawBuilder<unknown>[] = [sql`WHEN f.status <> 'available' THEN 'available'`];
  // 亩 compared exactly: A m² ≥ x 亩 ⇔ 3·A ≥ 2000·x (as the search).
  whens.push(sql`WHEN f.area_m2 * 3 < ${String(req.areaMuMin)}::numeric * 2000 OR f.area_m2 * 3 > ${String(req.areaMuMax)}::numeric * 2000 THEN 'area'`);
  if (req.landUse) whens.push(sql`WHEN f.land_use NOT IN (${sql.join(req.landUse)}) THEN 'landUse'`);
  if (req.supplyMode) {
    const offering = landUsesOffering([req.supplyMode]);
    whens.push(offering.length ? sql`WHEN f.land_use NOT IN (${sql.join(offering)}) THEN 'supplyMode'` : sql`WHEN true THEN 'supplyMode'`);
  }
  if (req.districtCodes) whens.push(sql`WHEN f.district_code NOT IN (${sql.join(req.districtCodes)}) THEN 'district'`);
  if (req.serviced === true) whens.push(sql`WHEN NOT f.serviced THEN 'serviced'`);
  if (req.maxPriceYuanPerM2 !== undefined) {
    whens.push(sql`WHEN f.floor_fen_per_m2 IS NULL OR f.floor_fen_per_m2 > ${String(req.maxPriceYuanPerM2)}::numeric * 100 THEN 'price'`);
  }
  return sql`CASE ${sql.join(whens, sql` `)} END`;
}

export interface RequirementRows {
  /** Live plots meeting every requirement SQL judges (conditions as `cond_ok`). */
  rows: SitingRow[];
  /** Live plots excluded, by the first requirement (of those SQL judges) they fail. */
  excluded: Record<string, number>;
}

/**
 * Every live (non-retired) plot judged on the requirements SQL can judge; the rows that pass,
 * and the count of the others per first failing requirement, in one statement.
 */
export async function requirementRows(db: Executor, ref: ReferenceSet, req: SitingRequirements): Promise<RequirementRows> {
  const floored = plotsWithPublicFloor(ref, [], { status: sql`pl.status <> 'retired'`, extra: extraColumns(req) });
  const rowColumns = sql.join(COLUMNS.map(([name, expr]) => sql`${expr} AS ${sql.ref(name)}`));
  const nullColumns = sql.join(COLUMNS.map(([name, , type]) => sql`NULL::${sql.raw(type)} AS ${sql.ref(name)}`));
  const result = await sql<SitingRow & { counts: Record<string, number> | string | null }>`
    WITH c AS MATERIALIZED (SELECT f.*, ${firstFailing(req)} AS fail FROM (${floored}) f)
    SELECT NULL::jsonb AS counts, ${rowColumns} FROM c WHERE c.fail IS NULL
    UNION ALL
    SELECT (SELECT coalesce(jsonb_object_agg(g.fail, g.n), '{}'::jsonb) FROM (SELECT c.fail, count(*)::int AS n FROM c WHERE c.fail IS NOT NULL GROUP BY c.fail) g), ${nullColumns}`.execute(db);
  const rows: SitingRow[] = [];
  let excluded: Record<string, number> = {};
  for (const r of result.rows) {
    if (r.counts !== null) {
      excluded = typeof r.counts === 'string' ? (JSON.parse(r.counts) as Record<string, number>) : r.counts;
      continue;
    }
    const { counts: _c, ...row } = r;
    rows.push(row);
  }
  return { rows, excluded };
}

/** The same baseline without the count: only the rows that pass (bench/siting.ts compares with it). */
export async function requirementRowsOnly(db: Executor, ref: ReferenceSet, req: SitingRequirements): Promise<SitingRow[]> {
  const floored = plotsWithPublicFloor(ref, [], { status: sql`pl.status <> 'retired'`, extra: extraColumns(req) });
  const rowColumns = sql.join(COLUMNS.map(([name, expr]) => sql`${expr} AS ${sql.ref(name)}`));
  const r = await sql<SitingRow>`SELECT ${rowColumns} FROM (SELECT f.*, ${firstFailing(req)} AS fail FROM (${floored}) f) c WHERE c.fail IS NULL`.execute(db);
  return r.rows;
}

/** One plot (retired ones too) with its public floor and whether the project meets its conditions. */
export async function plotRow(db: Executor, ref: ReferenceSet, plotId: number, req: SitingRequirements | null): Promise<SitingRow | undefined> {
  const floored = plotsWithPublicFloor(ref, [sql`pl.id = ${plotId}`], { status: sql`true`, extra: extraColumns(req) });
  const rowColumns = sql.join(COLUMNS.map(([name, expr]) => sql`${expr} AS ${sql.ref(name)}`));
  const r = await sql<SitingRow>`SELECT ${rowColumns} FROM (${floored}) c`.execute(db);
  return r.rows[0];
}

/** Plot centres (bounding-box centre) and parks of the active allocations of projects in a sector. */
export async function activeAllocationPoints(db: Executor, sector: ProjectSector): Promise<{ park_id: number; cx: string; cy: string }[]> {
  const r = await sql<{ park_id: number; cx: string; cy: string }>`
    SELECT pl.park_id,
           round(((pl.bbox[0])[0] + (pl.bbox[1])[0])::numeric / 2, 6)::text AS cx,
           round(((pl.bbox[0])[1] + (pl.bbox[1])[1])::numeric / 2, 6)::text AS cy
      FROM allocations a
      JOIN projects pr ON pr.id = a.project_id
      JOIN plots pl ON pl.id = a.plot_id
     WHERE a.status IN ('approved', 'contracted', 'completed') AND pr.sector = ${sector}`.execute(db);
  return r.rows;
}

/** What the ranking's data depends on besides the reference versions: plots, parks, allocations. */
export async function dataStamp(db: Executor): Promise<string> {
  const r = await sql<{ p: string | null; k: string | null; a: string | null; n: string | number }>`
    SELECT (SELECT max(row_version)::text FROM plots) AS p,
           (SELECT extract(epoch FROM max(updated_at))::text FROM parks) AS k,
           (SELECT extract(epoch FROM max(updated_at))::text FROM allocations) AS a,
           (SELECT count(*)::int FROM allocations) AS n`.execute(db);
  const row = r.rows[0];
  return `${row?.p ?? 0}|${row?.k ?? 0}|${row?.a ?? 0}|${row?.n ?? 0}`;
}
