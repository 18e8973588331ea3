/**
 * Plot queries: the map's reads (the plots of a viewport as GeoJSON text, one plot), and the
 * persistence pieces every plot geometry write shares (here and in imports): locking a park and
 * a plot, the active plots near a geometry (GiST bbox pre-filter), the rows a write inserts or
 * changes, and the version history (plot_versions) with its lineage. Executor first; functions
 * that lock take a `Transaction`.
 *
 * Concurrency: every geometry write locks its park row (FOR NO KEY UPDATE — it does not block
 * plot inserts' foreign-key checks) before reading the neighbours, so two officers drawing in
 * the same park cannot both pass the overlap check with overlapping plots.
 */
import { sql, type Insertable, type Kysely, type Selectable, type Transaction, type Updateable } from 'kysely';
import type { AllocationStatus, Database, PlotTable } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import { geomFromGeoJSON, spatialPath } from '../../kernel/db/spatial.ts';
import { geometryBBox, OVERLAP_TOLERANCE_M2, type Neighbour, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { BBox, PlotStatus, ParkTier } from '../../../shared/domain.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { isoOrNull } from '../../kernel/dates.ts';
import { conditionsOf } from './conditions.ts';
import { CONDITION_FIELDS } from '../../../shared/policy/standard-land.ts';
import { landUseCodeOf } from './codes.ts';

type Trx = Transaction<Database>;
type Executor = Kysely<Database> | Trx;

/**
 * The columns of `plots` a read of whole plots takes: every column the app reads, not `pl.*`,
 * which would also carry the stored list text (`list_feature`, ≈ 415 bytes, read only by the
 * map list) and, on PostGIS, the geometry's second copy (`geom`) and its label point.
 */
export const plotColumns = [
  'id', 'code', 'park_id', 'status', 'land_use', 'area_m2', 'land_level', 'location', 'plot_ratio_min', 'plot_ratio_max',
  'building_density_max_pct', 'green_ratio_min_pct', 'height_limit_m', 'investment_intensity_yuan_per_m2', 'cost_yuan',
  'cost_note', 'serviced', 'geometry', 'bbox', 'sample', 'land_grade', 'conditions', 'parcel_code', 'zoning_plot_code',
  'land_use_code', 'row_version', 'created_at', 'updated_at',
] as const satisfies readonly Exclude<keyof PlotTable, 'list_feature'>[];
/** `plotColumns` of the table aliased `pl`. */
export const plColumns = plotColumns.map((c) => `pl.${c}` as const);

/** Who a plot version records as its author. */
export interface Actor {
  userId: number | null;
  username: string | null;
}

export const actorOf = (caller: Caller): Actor => ({ userId: caller.user?.id ?? null, username: caller.user?.username ?? null });

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

// --- Reads for the map: the selection and the list (./selection.ts) ------------------------------

export { plotsFeatureCollection, selectPlotRows, selectPlots, type PlotFilters, type PlotSelection } from './selection.ts';

/** A plot's planning conditions (location and the limits it is supplied under), as the map and the export show them. */
export function planningConditions(r: Pick<Selectable<PlotTable>, 'location' | 'plot_ratio_min' | 'plot_ratio_max' | 'building_density_max_pct' | 'green_ratio_min_pct' | 'height_limit_m' | 'investment_intensity_yuan_per_m2'>) {
  return {
    location: r.location,
    plotRatioMin: num(r.plot_ratio_min),
    plotRatioMax: num(r.plot_ratio_max),
    buildingDensityMaxPct: num(r.building_density_max_pct),
    greenRatioMinPct: num(r.green_ratio_min_pct),
    heightLimitM: num(r.height_limit_m),
    investmentIntensityYuanPerM2: num(r.investment_intensity_yuan_per_m2),
  };
}

/** The park and district a plot row lies in, as the API names them (plot detail, search). */
export function parkAndDistrict(r: {
  park_id: number; park_code: string; park_name_zh: string; park_name_en: string; park_tier: string;
  district_code: string; district_name_zh: string; district_name_en: string;
}) {
  return {
    parkId: r.park_id,
    parkCode: r.park_code,
    parkNameZh: r.park_name_zh,
    parkNameEn: r.park_name_en,
    parkTier: r.park_tier as ParkTier, // parks.tier's CHECK allows only these
    districtCode: r.district_code,
    districtNameZh: r.district_name_zh,
    districtNameEn: r.district_name_en,
  };
}

export async function findPlot(db: Executor, by: { id: number } | { code: string }) {
  let q = db
    .selectFrom('plots as pl')
    .innerJoin('parks as p', 'p.id', 'pl.park_id')
    .innerJoin('districts as d', 'd.code', 'p.district_code')
    .select(plColumns)
    .select([
      'p.code as park_code', 'p.name_zh as park_name_zh', 'p.name_en as park_name_en', 'p.district_code',
      'p.tier as park_tier', 'p.sectors as park_sectors',
      'd.name_zh as district_name_zh', 'd.name_en as district_name_en',
    ]);
  q = 'id' in by ? q.where('pl.id', '=', by.id) : q.where('pl.code', '=', by.code);
  const r = await q.executeTakeFirst();
  if (!r) return undefined;
  return {
    id: r.id,
    code: r.code,
    ...parkAndDistrict(r),
    parkSectors: r.park_sectors,
    status: r.status,
    areaM2: Number(r.area_m2),
    landUse: r.land_use,
    ...landUseCodeOf(r.land_use_code), parcelCode: r.parcel_code, zoningPlotCode: r.zoning_plot_code,
    landLevel: r.land_level,
    ...planningConditions(r),
    /** Internal (五(三)14 C): the route decides who may see it. */
    costYuan: num(r.cost_yuan),
    /** Internal: why the cost is what it is (required when it is 0). */
    costNote: r.cost_note,
    serviced: r.serviced,
    /** 标准地 conditions: public terms of supply. */
    conditions: conditionsOf(r.conditions),
    sample: r.sample,
    geometry: r.geometry,
    updatedAt: r.updated_at instanceof Date ? r.updated_at.toISOString() : String(r.updated_at),
  };
}

/** A plot's current row version, grade and version number (what an edit answer adds to the detail). */
export function plotVersionInfo(db: Executor, id: number) {
  return db
    .selectFrom('plots as p')
    .leftJoin('plot_versions as v', (j) => j.onRef('v.plot_id', '=', 'p.id').on('v.valid_to', 'is', null))
    .select([sql<string>`p.row_version::text`.as('row_version'), 'p.land_grade', 'v.version', 'v.geometry_area_m2'])
    .where('p.id', '=', id)
    .executeTakeFirstOrThrow();
}

/** A plot's id and its park's district, for the district check of internal reads. */
export function findPlotDistrict(db: Executor, id: number) {
  return db
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['pl.id', 'pk.district_code'])
    .where('pl.id', '=', id)
    .executeTakeFirst();
}

/** The code, name and boundary of a park (the validation of a drawn geometry). */
export function findParkOutline(db: Executor, id: number) {
  return db.selectFrom('parks').select(['code', 'name_zh', 'geometry']).where('id', '=', id).executeTakeFirst();
}

// --- Locks and the rows a write changes ---------------------------------------------------------

export interface LockedPark {
  id: number;
  code: string;
  nameZh: string;
  districtCode: string;
  geometry: PlotGeometry;
}

/** Locks a park for a geometry write; 400 when it does not exist (it came from the request body). */
export async function lockPark(trx: Trx, parkId: number): Promise<LockedPark> {
  const p = await trx
    .selectFrom('parks')
    .select(['id', 'code', 'name_zh', 'district_code', 'geometry'])
    .where('id', '=', parkId)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!p) throw badRequest(`Park ${parkId} does not exist (园区不存在).`, { reason: 'PARK_NOT_FOUND' });
  return { id: p.id, code: p.code, nameZh: p.name_zh, districtCode: p.district_code, geometry: p.geometry };
}

/** Locks several parks in id order (no deadlocks between writers locking the same set). */
export async function lockParks(trx: Trx, parkIds: number[]): Promise<Map<number, LockedPark>> {
  const out = new Map<number, LockedPark>();
  for (const id of [...new Set(parkIds)].sort((a, b) => a - b)) out.set(id, await lockPark(trx, id));
  return out;
}

/** Active plots (neither withdrawn nor retired) whose bbox meets `bbox`, minus `exclude`. */
export async function activeNeighbours(trx: Executor, bbox: BBox, exclude: number[] = []): Promise<Neighbour[]> {
  let q = trx
    .selectFrom('plots')
    .select(['id', 'code', 'geometry'])
    .where('status', 'not in', ['withdrawn', 'retired'])
    .where(sql<boolean>`bbox && ${bboxToPgBox(bbox)}::box`);
  if (exclude.length) q = q.where('id', 'not in', exclude);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, code: r.code, geometry: r.geometry }));
}

/**
 * The active plots a geometry write must be checked against (minus `exclude`):
 * - jsonb path: every one whose bbox meets the geometry's (the shared check then computes each overlap);
 * - postgis path: only those whose exact overlap with it (`plots_overlap_m2`: the intersection's
 *   EPSG:4547 plane area, computed by GEOS; migration 022) exceeds half the tolerance. The shared
 *   check (shared/geometry, OVERLAP_TOLERANCE_M2) then judges and words each of those, so a
 *   geometry is accepted or refused, with the same error, on both paths: a plot left out here
 *   overlaps by less than half the tolerance, which the shared check accepts too.
 */
export async function neighboursOf(trx: Trx, geometry: PlotGeometry, exclude: number[] = []): Promise<Neighbour[]> {
  if ((await spatialPath(trx)) !== 'postgis') return activeNeighbours(trx, geometryBBox(geometry), exclude);
  const g = geomFromGeoJSON(geometry);
  let q = trx
    .selectFrom('plots')
    .select(['id', 'code', 'geometry'])
    .where('status', 'not in', ['withdrawn', 'retired'])
    .where(sql<boolean>`geom && ${g}`)
    .where(sql<boolean>`plots_overlap_m2(geom, ${g}) > ${OVERLAP_TOLERANCE_M2 / 2}::float8`);
  if (exclude.length) q = q.where('id', 'not in', exclude);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, code: r.code, geometry: r.geometry }));
}

export type PlotRow = Omit<Selectable<PlotTable>, 'row_version'> & { row_version: string };

/** A locked plot: its row and its park's district. */
export type LockedPlot = PlotRow & { district_code: string };

/**
 * Locks one plot row (FOR NO KEY UPDATE of the plot only: it does not block the foreign-key
 * checks of inserts that reference it, and not its park) and reads its park's district in the
 * same statement; 404 when it does not exist. The one plot lock of the server.
 */
/**
 * The server's one plot lock: the plot row FOR NO KEY UPDATE (its park's district with it), or
 * undefined when there is no such plot. Every write that changes a plot or depends on its status
 * (edits, holds, allocations) goes through here, so they queue on the same row.
 */
export async function lockPlotIfAny(trx: Trx, id: number): Promise<LockedPlot | undefined> {
  const row = await trx
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(plColumns)
    .select([sql<string>`pl.row_version::text`.as('row_version'), 'pk.district_code'])
    .where('pl.id', '=', id)
    .forNoKeyUpdate('pl')
    .executeTakeFirst();
  return row as unknown as LockedPlot | undefined;
}

/** `lockPlotIfAny`, 404 when there is no such plot. */
export async function lockPlot(trx: Trx, id: number): Promise<LockedPlot> {
  const row = await lockPlotIfAny(trx, id);
  if (!row) throw notFound(`Plot ${id}`);
  return row;
}

/** 409 when the caller edited an older state of the plot (optimistic concurrency). */
export function assertRowVersion(row: PlotRow, expected: string | number | undefined): void {
  if (expected === undefined) return;
  if (String(expected) !== String(row.row_version)) {
    throw new AppError(
      409,
      'CONFLICT',
      `Plot ${row.code} was changed by someone else (version ${row.row_version}, you edited ${expected}); reload it and apply your change again (地块已被他人修改，请刷新后重试).`,
      { reason: 'STALE_ROW_VERSION', currentRowVersion: String(row.row_version) },
    );
  }
}

const numOrNull = num;

/** The attributes a version records (camelCase; no geometry). */
export function attributesOf(row: Pick<PlotRow, 'code' | 'park_id' | 'status' | 'land_use' | 'land_level' | 'location' | 'plot_ratio_min' | 'plot_ratio_max' | 'building_density_max_pct' | 'green_ratio_min_pct' | 'height_limit_m' | 'investment_intensity_yuan_per_m2' | 'cost_yuan' | 'cost_note' | 'serviced' | 'sample' | 'land_grade' | 'conditions' | 'parcel_code' | 'zoning_plot_code' | 'land_use_code'>): Record<string, unknown> {
  return {
    code: row.code,
    parkId: row.park_id,
    status: row.status,
    landUse: row.land_use,
    landUseCode: row.land_use_code,
    parcelCode: row.parcel_code ?? null,
    zoningPlotCode: row.zoning_plot_code ?? null,
    landLevel: row.land_level,
    landGrade: row.land_grade ?? null,
    location: row.location,
    plotRatioMin: numOrNull(row.plot_ratio_min),
    plotRatioMax: numOrNull(row.plot_ratio_max),
    buildingDensityMaxPct: numOrNull(row.building_density_max_pct),
    greenRatioMinPct: numOrNull(row.green_ratio_min_pct),
    heightLimitM: numOrNull(row.height_limit_m),
    investmentIntensityYuanPerM2: numOrNull(row.investment_intensity_yuan_per_m2),
    costYuan: numOrNull(row.cost_yuan),
    costNote: row.cost_note ?? null,
    serviced: row.serviced,
    sample: row.sample,
    conditions: conditionsOf(row.conditions),
  };
}

/** The same snapshot as `attributesOf`, built in SQL from a `plots` row aliased `t` (bulk inserts). */
export const PLOT_ATTRIBUTES_SQL = (t: string) =>
  `jsonb_build_object('code', ${t}.code, 'parkId', ${t}.park_id, 'status', ${t}.status, 'landUse', ${t}.land_use, 'landLevel', ${t}.land_level, ` +
  `'landUseCode', ${t}.land_use_code, 'parcelCode', ${t}.parcel_code, 'zoningPlotCode', ${t}.zoning_plot_code, ` +
  `'landGrade', ${t}.land_grade, 'location', ${t}.location, 'plotRatioMin', ${t}.plot_ratio_min::float8, 'plotRatioMax', ${t}.plot_ratio_max::float8, ` +
  `'buildingDensityMaxPct', ${t}.building_density_max_pct::float8, 'greenRatioMinPct', ${t}.green_ratio_min_pct::float8, ` +
  `'heightLimitM', ${t}.height_limit_m::float8, 'investmentIntensityYuanPerM2', ${t}.investment_intensity_yuan_per_m2::float8, ` +
  `'costYuan', ${t}.cost_yuan::float8, 'costNote', ${t}.cost_note, 'serviced', ${t}.serviced, 'sample', ${t}.sample, ` +
  `'conditions', (SELECT jsonb_object_agg(k, coalesce(${t}.conditions->k, 'null'::jsonb)) FROM unnest(ARRAY[${CONDITION_FIELDS.map((k) => `'${k}'`).join(', ')}]) AS k))`;

/**
 * Version 1 for a plot inserted without one (the demo seed, bulk loads): the plot as it is,
 * valid from its creation. Returns the current version number.
 */
export async function ensureInitialVersion(trx: Trx, row: PlotRow): Promise<number> {
  const cur = await trx
    .selectFrom('plot_versions')
    .select(sql<number>`coalesce(max(version), 0)::int`.as('v'))
    .where('plot_id', '=', row.id)
    .executeTakeFirstOrThrow();
  if (cur.v > 0) return cur.v;
  await trx
    .insertInto('plot_versions')
    .values({
      plot_id: row.id,
      version: 1,
      geometry: JSON.stringify(row.geometry),
      area_m2: row.area_m2,
      geometry_area_m2: null,
      attributes: JSON.stringify(attributesOf(row)),
      valid_from: row.created_at,
      operation: 'initial',
      changed_by: null,
      changed_by_username: null,
      import_id: null,
    })
    .execute();
  return 1;
}

/** Ends the current version (the plot was retired by a split or merge, or is about to change). */
export async function closeCurrentVersion(trx: Trx, plotId: number): Promise<void> {
  await trx.updateTable('plot_versions').set({ valid_to: sql<Date>`now()` }).where('plot_id', '=', plotId).where('valid_to', 'is', null).execute();
}

export interface VersionInput {
  plotId: number;
  geometry: PlotGeometry;
  areaM2: string;
  geometryAreaM2: number | null;
  attributes: Record<string, unknown>;
  operation: 'create' | 'edit' | 'import' | 'split' | 'merge';
  reason?: string | undefined;
  actor: Actor;
  importId?: string;
}

/** Closes the current version and appends the next; returns its number. */
export async function appendVersion(trx: Trx, v: VersionInput, previous: number): Promise<number> {
  if (previous > 0) await closeCurrentVersion(trx, v.plotId);
  const version = previous + 1;
  await trx
    .insertInto('plot_versions')
    .values({
      plot_id: v.plotId,
      version,
      geometry: JSON.stringify(v.geometry),
      area_m2: v.areaM2,
      geometry_area_m2: v.geometryAreaM2 === null ? null : v.geometryAreaM2.toFixed(2),
      attributes: JSON.stringify(v.attributes),
      operation: v.operation,
      reason: v.reason ?? '',
      changed_by: v.actor.userId,
      changed_by_username: v.actor.username,
      import_id: v.importId ?? null,
    })
    .execute();
  return version;
}

// --- Plot rows ----------------------------------------------------------------------------------

/** Whether a plot other than `exceptId` has this code. */
export async function codeTaken(db: Executor, code: string, exceptId?: number): Promise<boolean> {
  let q = db.selectFrom('plots').select('id').where('code', '=', code);
  if (exceptId !== undefined) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export function insertPlot(trx: Trx, values: Insertable<PlotTable>) {
  return trx.insertInto('plots').values(values).returning(plotColumns).executeTakeFirstOrThrow();
}

export function updatePlot(trx: Trx, id: number, set: Updateable<PlotTable>) {
  return trx.updateTable('plots').set(set).where('id', '=', id).returning(plotColumns).executeTakeFirstOrThrow();
}

export async function setPlotStatus(trx: Trx, id: number, status: PlotStatus): Promise<void> {
  await trx.updateTable('plots').set({ status }).where('id', '=', id).execute();
}

export async function deletePlotRow(trx: Trx, id: number): Promise<void> {
  await trx.deleteFrom('plots').where('id', '=', id).execute();
}

/** How many allocation records, hold records and lineage links a plot has. */
export async function plotRecordCounts(trx: Trx, id: number): Promise<{ allocations: number; holds: number; lineage: number }> {
  const alloc = await trx.selectFrom('allocations').select(sql<number>`count(*)::int`.as('n')).where('plot_id', '=', id).executeTakeFirstOrThrow();
  const holds = await trx.selectFrom('plot_holds').select(sql<number>`count(*)::int`.as('n')).where('plot_id', '=', id).executeTakeFirstOrThrow();
  const lineage = await trx
    .selectFrom('plot_lineage')
    .select(sql<number>`count(*)::int`.as('n'))
    .where((eb) => eb.or([eb('parent_plot_id', '=', id), eb('child_plot_id', '=', id)]))
    .executeTakeFirstOrThrow();
  return { allocations: alloc.n, holds: holds.n, lineage: lineage.n };
}

/** Whether the plot has an allocation in one of these statuses. */
export async function hasAllocationIn(trx: Trx, plotId: number, statuses: readonly AllocationStatus[]): Promise<boolean> {
  const row = await trx.selectFrom('allocations').select('id').where('plot_id', '=', plotId).where('status', 'in', [...statuses]).executeTakeFirst();
  return row !== undefined;
}

export async function insertLineage(trx: Trx, links: { parentId: number; childId: number; operation: 'split' | 'merge'; createdBy: number | null }[]): Promise<void> {
  await trx
    .insertInto('plot_lineage')
    .values(links.map((l) => ({ parent_plot_id: l.parentId, child_plot_id: l.childId, operation: l.operation, created_by: l.createdBy })))
    .execute();
}

// --- History ------------------------------------------------------------------------------------

/** Every version of a plot, its parents and children; undefined when the plot does not exist. */
export async function plotHistory(db: Executor, id: number) {
  const plot = await db.selectFrom('plots').select(plotColumns).select(sql<string>`row_version::text`.as('row_version')).where('id', '=', id).executeTakeFirst();
  if (!plot) return undefined;
  const rows = await db.selectFrom('plot_versions').selectAll().where('plot_id', '=', id).orderBy('version').execute();
  const versions = rows.length
    ? rows.map((v) => ({
        version: v.version,
        operation: v.operation,
        geometry: v.geometry,
        areaM2: Number(v.area_m2),
        geometryAreaM2: v.geometry_area_m2 === null ? null : Number(v.geometry_area_m2),
        attributes: v.attributes,
        validFrom: isoOrNull(v.valid_from)!,
        validTo: isoOrNull(v.valid_to),
        changedBy: v.changed_by_username,
        reason: v.reason,
        importId: v.import_id,
      }))
    : // Never changed since it was loaded: its one version is the plot as it is.
      [{
        version: 1,
        operation: 'initial',
        geometry: plot.geometry,
        areaM2: Number(plot.area_m2),
        geometryAreaM2: null,
        attributes: attributesOf(plot as unknown as PlotRow),
        validFrom: isoOrNull(plot.created_at)!,
        validTo: null,
        changedBy: null,
        reason: '',
        importId: null,
      }];
  const lineage = (side: 'parent' | 'child') =>
    db
      .selectFrom('plot_lineage as l')
      .innerJoin('plots as p', 'p.id', side === 'parent' ? 'l.parent_plot_id' : 'l.child_plot_id')
      .select(['p.id', 'p.code', 'p.status', 'l.operation', 'l.at'])
      .where(side === 'parent' ? 'l.child_plot_id' : 'l.parent_plot_id', '=', id)
      .orderBy('p.code')
      .execute();
  const [parents, children] = await Promise.all([lineage('parent'), lineage('child')]);
  const item = (r: { id: number; code: string; status: string; operation: string; at: Date }) => ({ plotId: r.id, code: r.code, status: r.status, operation: r.operation, at: isoOrNull(r.at)! });
  return { plotId: plot.id, code: plot.code, status: plot.status, rowVersion: String(plot.row_version), versions, parents: parents.map(item), children: children.map(item) };
}

// --- Bulk loads (survey imports) -----------------------------------------------------------------

/** Which of these codes are taken (one query: the codes travel as one JSON array). */
export async function codesInUse(db: Executor, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const r = await sql<{ code: string }>`SELECT code FROM plots WHERE code IN (SELECT jsonb_array_elements_text(${JSON.stringify(codes)}::jsonb))`.execute(db);
  return r.rows.map((x) => x.code);
}

/** The highest plot row version (any later insert or update has a higher one). */
export async function maxPlotRowVersion(db: Executor): Promise<string> {
  const r = await db.selectFrom('plots').select(sql<string>`coalesce(max(row_version), 0)::text`.as('v')).executeTakeFirstOrThrow();
  return r.v;
}

/** Active plots inserted or changed after `rowVersion` whose bbox meets `bbox`. */
export function activePlotsChangedSince(db: Executor, rowVersion: string, bbox: BBox) {
  return db
    .selectFrom('plots')
    .select(['id', 'code', 'geometry'])
    .where('status', 'not in', ['withdrawn', 'retired'])
    .where(sql<boolean>`row_version > ${rowVersion}::bigint`)
    .where(sql<boolean>`bbox && ${`(${bbox[0]},${bbox[1]}),(${bbox[2]},${bbox[3]})`}::box`)
    .execute();
}

/** One plot of a bulk load: its columns as the database takes them, and its geometric area. */
export interface BulkPlot {
  code: string;
  /** 宗地代码 (validated, upper-case) and 控规地块编号 (migration 026). */
  parcel_code: string | null;
  zoning_plot_code: string | null;
  park_id: number;
  land_use: string;
  area_m2: string;
  land_level: number;
  land_grade: number | null;
  location: string;
  plot_ratio_min: number | null;
  plot_ratio_max: number | null;
  building_density_max_pct: number | null;
  green_ratio_min_pct: number | null;
  height_limit_m: number | null;
  investment_intensity_yuan_per_m2: number | null;
  cost_yuan: string | null;
  cost_note: string | null;
  serviced: boolean;
  /** 标准地 conditions set (only the fields set; validated by the caller). */
  conditions: Record<string, unknown>;
  geometry: PlotGeometry | null;
  bbox: string;
  geometry_area_m2: string | null;
}

/**
 * Inserts available plots and their version 1 (operation `import`) in one statement. The rows
 * travel as one JSON parameter and are unpacked by the database (jsonb_to_recordset): far
 * cheaper than thousands of bind parameters. Each version 1 is copied from its new plot row in
 * SQL, so the geometry is sent once.
 */
export async function insertImportedPlots(trx: Trx, batch: BulkPlot[], v: { reason: string; actor: Actor; importId: string }): Promise<{ id: number; code: string }[]> {
  const json = JSON.stringify(batch);
  const inserted = await sql<{ id: number; code: string }>`
    WITH x AS (
      SELECT * FROM jsonb_to_recordset(${json}::jsonb) AS r(
        code text, parcel_code text, zoning_plot_code text, park_id integer, land_use text, area_m2 numeric, land_level integer, land_grade integer, location text,
        plot_ratio_min numeric, plot_ratio_max numeric, building_density_max_pct numeric, green_ratio_min_pct numeric,
        height_limit_m numeric, investment_intensity_yuan_per_m2 numeric, cost_yuan numeric, cost_note text, serviced boolean, conditions jsonb, geometry jsonb, bbox text,
        geometry_area_m2 numeric)
    ), ins AS (
      INSERT INTO plots (code, parcel_code, zoning_plot_code, park_id, status, land_use, area_m2, land_level, land_grade, location, plot_ratio_min, plot_ratio_max,
                         building_density_max_pct, green_ratio_min_pct, height_limit_m, investment_intensity_yuan_per_m2, cost_yuan, cost_note,
                         serviced, conditions, geometry, bbox, sample)
      SELECT code, parcel_code, zoning_plot_code, park_id, 'available', land_use, area_m2, land_level, land_grade, location, plot_ratio_min, plot_ratio_max,
             building_density_max_pct, green_ratio_min_pct, height_limit_m, investment_intensity_yuan_per_m2, cost_yuan, cost_note,
             serviced, coalesce(conditions, '{}'::jsonb), geometry, bbox::box, false
        FROM x
      RETURNING *
    )
    INSERT INTO plot_versions (plot_id, version, geometry, area_m2, geometry_area_m2, attributes, operation, reason, changed_by, changed_by_username, import_id)
    SELECT ins.id, 1, ins.geometry, ins.area_m2, x.geometry_area_m2, ${sql.raw(PLOT_ATTRIBUTES_SQL('ins'))}, 'import', ${v.reason},
           ${v.actor.userId}, ${v.actor.username}, ${v.importId}::uuid
      FROM ins JOIN x ON x.code = ins.code
    RETURNING plot_id AS id, attributes->>'code' AS code`.execute(trx);
  return inserted.rows.map((r) => ({ id: r.id, code: r.code }));
}
