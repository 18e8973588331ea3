/**
 * Read queries for the map: districts, parks, plots. Repository functions take the executor
 * first (STYLE.md §3) so they run inside or outside a transaction alike.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { BBox, LandUse, PlotStatus, Sector } from '../../../shared/domain.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

export async function listDistricts(db: Executor) {
  const rows = await db.selectFrom('districts').select(['code', 'name_zh', 'name_en', 'geometry']).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, nameZh: r.name_zh, nameEn: r.name_en, geometry: r.geometry }));
}

export async function findDistrict(db: Executor, code: string) {
  return db.selectFrom('districts').select(['code', 'name_zh', 'name_en']).where('code', '=', code).executeTakeFirst();
}

/** Per-park plot figures (areas as m² strings summed exactly in SQL, returned as numbers). */
function parkFigures(db: Executor) {
  return db
    .selectFrom('plots')
    .select([
      'park_id',
      sql<number>`count(*)::int`.as('plot_count'),
      sql<string>`coalesce(sum(area_m2), 0)::text`.as('total_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'available'), 0)::text`.as('available_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'held'), 0)::text`.as('held_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'allocated'), 0)::text`.as('allocated_area_m2'),
      sql<string>`coalesce(sum(area_m2) filter (where status = 'withdrawn'), 0)::text`.as('withdrawn_area_m2'),
      sql<number>`(count(*) filter (where status = 'available'))::int`.as('n_available'),
      sql<number>`(count(*) filter (where status = 'held'))::int`.as('n_held'),
      sql<number>`(count(*) filter (where status = 'allocated'))::int`.as('n_allocated'),
      sql<number>`(count(*) filter (where status = 'withdrawn'))::int`.as('n_withdrawn'),
    ])
    // Live parcels only: a plot retired by a split or merge is replaced by its pieces.
    .where('status', '<>', 'retired')
    .groupBy('park_id');
}

export type ParkRow = Awaited<ReturnType<typeof listParks>>[number];

export async function listParks(db: Executor, opts: { id?: number; code?: string; districtCode?: string } = {}) {
  let q = db
    .selectFrom('parks as p')
    .innerJoin('districts as d', 'd.code', 'p.district_code')
    .leftJoin(parkFigures(db).as('f'), 'f.park_id', 'p.id')
    .select([
      'p.id', 'p.code', 'p.name_zh', 'p.name_en', 'p.district_code', 'p.tier', 'p.sectors', 'p.recognized_year',
      'p.boundary_source', 'p.area_m2', 'p.geometry', 'p.sample', 'p.notes',
      'd.name_zh as district_name_zh', 'd.name_en as district_name_en',
      'f.plot_count', 'f.total_area_m2', 'f.available_area_m2', 'f.held_area_m2', 'f.allocated_area_m2', 'f.withdrawn_area_m2',
      'f.n_available', 'f.n_held', 'f.n_allocated', 'f.n_withdrawn',
    ])
    .orderBy('p.code');
  if (opts.id !== undefined) q = q.where('p.id', '=', opts.id);
  if (opts.code !== undefined) q = q.where('p.code', '=', opts.code);
  if (opts.districtCode !== undefined) q = q.where('p.district_code', '=', opts.districtCode);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    districtCode: r.district_code,
    districtNameZh: r.district_name_zh,
    districtNameEn: r.district_name_en,
    tier: r.tier,
    sectors: r.sectors,
    recognizedYear: r.recognized_year,
    boundarySource: r.boundary_source,
    areaM2: Number(r.area_m2),
    sample: r.sample,
    notes: r.notes,
    geometry: r.geometry,
    figures: {
      plotCount: r.plot_count ?? 0,
      totalAreaM2: Number(r.total_area_m2 ?? 0),
      availableAreaM2: Number(r.available_area_m2 ?? 0),
      heldAreaM2: Number(r.held_area_m2 ?? 0),
      allocatedAreaM2: Number(r.allocated_area_m2 ?? 0),
      withdrawnAreaM2: Number(r.withdrawn_area_m2 ?? 0),
      byStatus: {
        available: r.n_available ?? 0,
        held: r.n_held ?? 0,
        allocated: r.n_allocated ?? 0,
        withdrawn: r.n_withdrawn ?? 0,
      },
    },
  }));
}

export interface PlotFilters {
  bbox?: BBox;
  status?: PlotStatus[];
  parkId?: number;
  sector?: Sector;
  landUse?: LandUse[];
  districtCode?: string;
  limit: number;
}

/**
 * Plots for lists and integrations (`limit + 1` rows are read so the answer can say "truncated"),
 * as the GeoJSON FeatureCollection text built by the database
 * (`json_agg`): the rows' geometry is never parsed into objects and re-serialized by Node, which
 * is most of the cost of a viewport with thousands of plots. Ordered by code.
 */
export async function plotsFeatureCollectionText(db: Executor, f: PlotFilters): Promise<string> {
  let q = db
    .selectFrom('plots as pl')
    .innerJoin('parks as p', 'p.id', 'pl.park_id')
    .select(['pl.id', 'pl.code', 'pl.park_id', 'pl.status', 'pl.area_m2', 'pl.land_use', 'pl.land_level', 'pl.sample', 'pl.geometry', 'p.district_code'])
    .orderBy('pl.code')
    .limit(f.limit + 1);
  if (f.bbox) q = q.where(sql<boolean>`pl.bbox && ${bboxToPgBox(f.bbox)}::box`);
  // Retired plots (replaced by a split or merge) only when asked for by status.
  q = f.status?.length ? q.where('pl.status', 'in', f.status) : q.where('pl.status', '<>', 'retired');
  if (f.parkId !== undefined) q = q.where('pl.park_id', '=', f.parkId);
  if (f.sector) q = q.where(sql<boolean>`p.sectors @> ARRAY[${f.sector}]::text[]`);
  if (f.landUse?.length) q = q.where('pl.land_use', 'in', f.landUse);
  if (f.districtCode) q = q.where('p.district_code', '=', f.districtCode);
  const limit = f.limit;
  const r = await sql<{ body: string }>`
    select json_build_object(
      'type', 'FeatureCollection',
      'truncated', count(*) > ${limit}::int,
      'features', coalesce(
        json_agg(json_build_object(
          'type', 'Feature', 'id', s.id, 'geometry', s.geometry,
          'properties', json_build_object(
            'id', s.id, 'code', s.code, 'parkId', s.park_id, 'districtCode', s.district_code, 'status', s.status,
            'areaM2', s.area_m2, 'landUse', s.land_use, 'landLevel', s.land_level, 'sample', s.sample))
          order by s.code) filter (where s.rn <= ${limit}::int),
        '[]'::json)
    )::text as body
    from (select q.*, row_number() over (order by q.code) as rn from (${q}) q) s`.execute(db);
  return r.rows[0]!.body;
}

export async function findPlot(db: Executor, by: { id: number } | { code: string }) {
  let q = db
    .selectFrom('plots as pl')
    .innerJoin('parks as p', 'p.id', 'pl.park_id')
    .innerJoin('districts as d', 'd.code', 'p.district_code')
    .selectAll('pl')
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
    parkId: r.park_id,
    parkCode: r.park_code,
    parkNameZh: r.park_name_zh,
    parkNameEn: r.park_name_en,
    parkTier: r.park_tier,
    parkSectors: r.park_sectors,
    districtCode: r.district_code,
    districtNameZh: r.district_name_zh,
    districtNameEn: r.district_name_en,
    status: r.status,
    areaM2: Number(r.area_m2),
    landUse: r.land_use,
    landLevel: r.land_level,
    location: r.location,
    plotRatioMin: num(r.plot_ratio_min),
    plotRatioMax: num(r.plot_ratio_max),
    buildingDensityMaxPct: num(r.building_density_max_pct),
    greenRatioMinPct: num(r.green_ratio_min_pct),
    heightLimitM: num(r.height_limit_m),
    investmentIntensityYuanPerM2: num(r.investment_intensity_yuan_per_m2),
    /** Internal (五(三)14 C): the route decides who may see it. */
    costYuan: num(r.cost_yuan),
    /** Internal: why the cost is what it is (required when it is 0). */
    costNote: r.cost_note,
    serviced: r.serviced,
    sample: r.sample,
    geometry: r.geometry,
    updatedAt: r.updated_at instanceof Date ? r.updated_at.toISOString() : String(r.updated_at),
  };
}

export async function getMeta(db: Executor, key: string): Promise<unknown> {
  const row = await db.selectFrom('app_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Executor, key: string, value: unknown): Promise<void> {
  await db
    .insertInto('app_meta')
    .values({ key, value: JSON.stringify(value) })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value), updated_at: new Date() }))
    .execute();
}
