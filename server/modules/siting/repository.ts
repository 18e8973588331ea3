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
import { LIVE_PLOT_STATUSES, type LandUse, type ParkTier, type ProjectSector, type Sector } from '../../../shared/domain.ts';
import type { PublicFloorBinding } from '../../../shared/policy/index.ts';
import { landUsesOffering } from '../../../shared/supply-modes.ts';
import type { SitingRequirement, SitingRequirements } from '../../../shared/contract/siting.ts';
import type { ReferenceSet } from '../reference/service.ts';
import { plotsWithPublicFloor, projectMeetsConditions } from '../search/public-floor.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A candidate row: the plot's own public columns (park facts come once per park, see parkFacts). */
export interface SitingRow {
  id: number;
  code: string;
  park_id: number;
  area_m2: string;
  land_use: LandUse;
  serviced: boolean;
  sample: boolean;
  /** Any 标准地 condition set. */
  has_cond: boolean;
  /** Integer fen per m² (as text), public terms only; null when the reference data has no figure. */
  floor_fen: string | null;
  binding: PublicFloorBinding | null;
  cx: string;
  cy: string;
  /** The project's figures meet the plot's 标准地 conditions (true when no figure is given). */
  cond_ok: boolean;
}

/** One plot for explain: a candidate row plus what an excluded plot needs to be explained. */
export interface PlotFacts extends SitingRow {
  status: string;
  district_code: string;
  conditions: Record<string, unknown>;
}

const CENTRE = {
  cx: sql`round(((c.bbox[0])[0] + (c.bbox[1])[0])::numeric / 2, 6)::text`,
  cy: sql`round(((c.bbox[0])[1] + (c.bbox[1])[1])::numeric / 2, 6)::text`,
};

/** The plot columns the floor query does not carry, and the conditions' truth value. */
function extraColumns(req: SitingRequirements | null): RawBuilder<unknown>[] {
  const cond = req ? projectMeetsConditions(req.project) : [];
  return [sql`pl.status`, sql`pl.conditions`, sql`${cond.length ? sql.join(cond, sql` AND `) : sql`true`} AS cond_ok`];
}

const LIVE = sql`pl.status IN (${sql.join([...LIVE_PLOT_STATUSES])})`;

/** 亩 exactly (A m² ≥ x 亩 ⇔ 3·A ≥ 2000·x, as the search), plus a looser bound the index can use. */
function areaWithin(req: SitingRequirements, col: RawBuilder<unknown>): RawBuilder<unknown> {
  const lo = Math.floor(((req.areaMuMin * 2000) / 3) * 100 - 1) / 100;
  const hi = Math.ceil(((req.areaMuMax * 2000) / 3) * 100 + 1) / 100;
  return sql`(${col} >= ${String(lo)}::numeric AND ${col} <= ${String(hi)}::numeric
              AND ${col} * 3 >= ${String(req.areaMuMin)}::numeric * 2000 AND ${col} * 3 <= ${String(req.areaMuMax)}::numeric * 2000)`;
}

/**
 * The requirements SQL judges, as predicates over a row `x` of the floor query (`x.` columns),
 * in SITING_REQUIREMENTS order: [requirement, passes]. `available` comes first.
 */
function requirementPredicates(req: SitingRequirements, x: string): [SitingRequirement, RawBuilder<unknown>][] {
  const col = (name: string) => sql.ref(`${x}.${name}`);
  const out: [SitingRequirement, RawBuilder<unknown>][] = [
    ['available', sql`${col('status')} = 'available'`],
    ['area', areaWithin(req, col('area_m2'))],
  ];
  if (req.landUse) out.push(['landUse', sql`${col('land_use')} IN (${sql.join(req.landUse)})`]);
  if (req.supplyMode) {
    const offering = landUsesOffering([req.supplyMode]);
    out.push(['supplyMode', offering.length ? sql`${col('land_use')} IN (${sql.join(offering)})` : sql`false`]);
  }
  if (req.districtCodes) out.push(['district', sql`${col('district_code')} IN (${sql.join(req.districtCodes)})`]);
  if (req.serviced === true) out.push(['serviced', sql`${col('serviced')}`]);
  if (req.maxPriceYuanPerM2 !== undefined) {
    out.push(['price', sql`coalesce(${col('floor_fen_per_m2')} <= ${String(req.maxPriceYuanPerM2)}::numeric * 100, false)`]);
  }
  return out;
}

/** Live plots by availability: one index-only pass over plots_siting_idx (status is its first key). */
export async function liveCounts(db: Executor): Promise<{ available: number; other: number; availableVersionSum: string }> {
  const r = await sql<{ available: number; other: number; version_sum: string }>`
    SELECT count(*) FILTER (WHERE pl.status = 'available')::int AS available, count(*) FILTER (WHERE pl.status <> 'available')::int AS other,
           coalesce(sum(pl.row_version) FILTER (WHERE pl.status = 'available'), 0)::text AS version_sum
      FROM plots pl JOIN parks p ON p.id = pl.park_id WHERE ${LIVE} AND p.tier <> 'zone'`.execute(db);
  return { available: Number(r.rows[0]?.available ?? 0), other: Number(r.rows[0]?.other ?? 0), availableVersionSum: r.rows[0]?.version_sum ?? '0' };
}

/**
 * The available plots in the area range (through the index), with their public floor, whether
 * the project meets their conditions, and `fail`: the first of the remaining requirements SQL
 * judges (land use … price) that the plot fails, NULL when none.
 */
export async function requirementRowsOnly(db: Executor, ref: ReferenceSet, req: SitingRequirements): Promise<(SitingRow & { fail: SitingRequirement | null })[]> {
  const floored = plotsWithPublicFloor(ref, [areaWithin(req, sql`pl.area_m2`)], { extra: extraColumns(req) });
  const whens = requirementPredicates(req, 'c').slice(2).map(([name, passes]) => sql`WHEN NOT (${passes}) THEN ${name}`);
  const r = await sql<SitingRow & { fail: SitingRequirement | null }>`
    SELECT c.id, c.code, c.park_id, c.area_m2::text AS area_m2, c.land_use, c.serviced, c.sample, c.conditions <> '{}'::jsonb AS has_cond,
           c.floor_fen_per_m2::text AS floor_fen, c.binding, ${CENTRE.cx} AS cx, ${CENTRE.cy} AS cy, c.cond_ok,
           ${whens.length ? sql`CASE ${sql.join(whens, sql` `)} END` : sql`NULL::text`} AS fail
      FROM (${floored}) c`.execute(db);
  return r.rows;
}

export interface RequirementRows {
  /** Available plots meeting every requirement SQL judges (conditions as `cond_ok`). */
  rows: SitingRow[];
  /** Live plots excluded, by the first requirement (of those SQL judges) they fail. */
  excluded: Record<string, number>;
}

/**
 * The requirements SQL judges, over every live plot: the rows that pass, and the others counted
 * under the FIRST they fail — not available (the status count), outside the area range (the
 * available ones the range scan did not return), then land use … price per row.
 */
export async function requirementRows(db: Executor, ref: ReferenceSet, req: SitingRequirements): Promise<RequirementRows> {
  const [live, inRange] = await Promise.all([liveCounts(db), requirementRowsOnly(db, ref, req)]);
  const excluded: Record<string, number> = { available: live.other, area: live.available - inRange.length };
  const rows: SitingRow[] = [];
  for (const { fail, ...row } of inRange) {
    if (fail === null) rows.push(row);
    else excluded[fail] = (excluded[fail] ?? 0) + 1;
  }
  return { rows, excluded };
}

export interface ParkFacts {
  id: number;
  code: string;
  name_zh: string;
  name_en: string;
  tier: ParkTier;
  sectors: Sector[];
  district_code: string;
}

export async function parkFacts(db: Executor): Promise<ParkFacts[]> {
  return db.selectFrom('parks').select(['id', 'code', 'name_zh', 'name_en', 'tier', 'sectors', 'district_code']).execute();
}

/** One plot (retired ones too) with its public floor and whether the project meets its conditions. */
export async function plotRow(db: Executor, ref: ReferenceSet, plotId: number, req: SitingRequirements | null): Promise<PlotFacts | undefined> {
  const floored = plotsWithPublicFloor(ref, [sql`pl.id = ${plotId}`], { status: sql`true`, extra: extraColumns(req) });
  const r = await sql<PlotFacts>`
    SELECT c.id, c.code, c.park_id, c.area_m2::text AS area_m2, c.land_use, c.serviced, c.sample, c.conditions <> '{}'::jsonb AS has_cond,
           c.floor_fen_per_m2::text AS floor_fen, c.binding, ${CENTRE.cx} AS cx, ${CENTRE.cy} AS cy, c.cond_ok,
           c.status, c.district_code, c.conditions
      FROM (${floored}) c`.execute(db);
  return r.rows[0];
}

/** A plot row of the siting snapshot (./snapshot.ts): the candidate columns and what judging it needs. */
export interface SnapshotRow extends SitingRow {
  status: string;
  conditions: Record<string, unknown>;
  row_version: string;
}

/**
 * The available plots with their public floor (`since` null), or every plot changed after
 * row_version `since`, whatever its status now (the snapshot drops those no longer available).
 */
export async function availableRowsSince(db: Executor, ref: ReferenceSet, since: bigint | null): Promise<SnapshotRow[]> {
  const floored = since === null
    ? plotsWithPublicFloor(ref, [], { extra: [sql`pl.status`, sql`pl.conditions`, sql`pl.row_version`] })
    : plotsWithPublicFloor(ref, [sql`pl.row_version > ${String(since)}::bigint`], { status: sql`true`, extra: [sql`pl.status`, sql`pl.conditions`, sql`pl.row_version`] });
  const r = await sql<SnapshotRow>`
    SELECT c.id, c.code, c.park_id, c.area_m2::text AS area_m2, c.land_use, c.serviced, c.sample, c.conditions <> '{}'::jsonb AS has_cond,
           c.floor_fen_per_m2::text AS floor_fen, c.binding, ${CENTRE.cx} AS cx, ${CENTRE.cy} AS cy, true AS cond_ok,
           c.status, c.conditions, c.row_version::text AS row_version
      FROM (${floored}) c`.execute(db);
  return r.rows;
}

/** The plots' highest row_version (one probe of plots_row_version_idx). */
export async function plotsMaxVersion(db: Executor): Promise<string | null> {
  const r = await sql<{ v: string | null }>`SELECT max(row_version)::text AS v FROM plots`.execute(db);
  return r.rows[0]?.v ?? null;
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
