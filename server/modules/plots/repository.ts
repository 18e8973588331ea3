/**
 * The persistence pieces every plot geometry write shares (plots-write.ts, imports.ts):
 * locking a park and a plot, the active plots near a geometry (GiST bbox pre-filter), and the
 * version history (plot_versions). Functions that lock take a `Transaction` (STYLE.md §3).
 *
 * Concurrency: every geometry write locks its park row (FOR NO KEY UPDATE — it does not block
 * plot inserts' foreign-key checks) before reading the neighbours, so two officers drawing in
 * the same park cannot both pass the overlap check with overlapping plots.
 */
import { sql, type Selectable, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Database, PlotTable } from '../../kernel/db/schema.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import { geometryBBox, type Neighbour, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { BBox } from '../../../shared/domain.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';

type Trx = Transaction<Database>;

export interface Actor {
  userId: number | null;
  username: string | null;
}

export const actorOf = (req: FastifyRequest): Actor => ({ userId: req.user?.id ?? null, username: req.user?.username ?? null });

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
export async function activeNeighbours(trx: Trx | import('kysely').Kysely<Database>, bbox: BBox, exclude: number[] = []): Promise<Neighbour[]> {
  let q = trx
    .selectFrom('plots')
    .select(['id', 'code', 'geometry'])
    .where('status', 'not in', ['withdrawn', 'retired'])
    .where(sql<boolean>`bbox && ${bboxToPgBox(bbox)}::box`);
  if (exclude.length) q = q.where('id', 'not in', exclude);
  const rows = await q.execute();
  return rows.map((r) => ({ id: r.id, code: r.code, geometry: r.geometry }));
}

export const neighboursOf = (trx: Trx, geometry: PlotGeometry, exclude: number[] = []) => activeNeighbours(trx, geometryBBox(geometry), exclude);

export type PlotRow = Omit<Selectable<PlotTable>, 'row_version'> & { row_version: string };

/** Locks one plot (404 when missing). */
export async function lockPlot(trx: Trx, id: number): Promise<PlotRow> {
  const row = await trx
    .selectFrom('plots')
    .selectAll()
    .select(sql<string>`row_version::text`.as('row_version'))
    .where('id', '=', id)
    .forNoKeyUpdate()
    .executeTakeFirst();
  if (!row) throw notFound(`Plot ${id}`);
  return row as unknown as PlotRow;
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

const numOrNull = (v: string | number | null) => (v === null ? null : Number(v));

/** The attributes a version records (camelCase; no geometry). */
export function attributesOf(row: Pick<PlotRow, 'code' | 'park_id' | 'status' | 'land_use' | 'land_level' | 'location' | 'plot_ratio_min' | 'plot_ratio_max' | 'building_density_max_pct' | 'green_ratio_min_pct' | 'height_limit_m' | 'investment_intensity_yuan_per_m2' | 'cost_yuan' | 'cost_note' | 'serviced' | 'sample' | 'land_grade'>): Record<string, unknown> {
  return {
    code: row.code,
    parkId: row.park_id,
    status: row.status,
    landUse: row.land_use,
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
  };
}

/** The same snapshot as `attributesOf`, built in SQL from a `plots` row aliased `t` (bulk inserts). */
export const PLOT_ATTRIBUTES_SQL = (t: string) =>
  `jsonb_build_object('code', ${t}.code, 'parkId', ${t}.park_id, 'status', ${t}.status, 'landUse', ${t}.land_use, 'landLevel', ${t}.land_level, ` +
  `'landGrade', ${t}.land_grade, 'location', ${t}.location, 'plotRatioMin', ${t}.plot_ratio_min::float8, 'plotRatioMax', ${t}.plot_ratio_max::float8, ` +
  `'buildingDensityMaxPct', ${t}.building_density_max_pct::float8, 'greenRatioMinPct', ${t}.green_ratio_min_pct::float8, ` +
  `'heightLimitM', ${t}.height_limit_m::float8, 'investmentIntensityYuanPerM2', ${t}.investment_intensity_yuan_per_m2::float8, ` +
  `'costYuan', ${t}.cost_yuan::float8, 'costNote', ${t}.cost_note, 'serviced', ${t}.serviced, 'sample', ${t}.sample)`;

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
