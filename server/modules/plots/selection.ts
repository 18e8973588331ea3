/** Which plots a map list or an export reads, and the list as the GeoJSON text the database writes. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import { spatialPath, type SpatialPath } from '../../kernel/db/spatial.ts';
import type { BBox, LandUse, PlotStatus, Sector } from '../../../shared/domain.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The filters of GET /api/plots, also those of its export. */
export interface PlotSelection {
  bbox?: BBox | undefined;
  status?: PlotStatus[] | undefined;
  parkId?: number | undefined;
  sector?: Sector | undefined;
  landUse?: LandUse[] | undefined;
  districtCode?: string | undefined;
}

export interface PlotFilters extends PlotSelection {
  limit: number;
}

/**
 * The plots (`pl`) that a selection picks, before any column is chosen. A viewport (`bbox`) goes
 * through the GiST index on `geom` on the postgis path (server/kernel/db/spatial.ts), on `bbox`
 * otherwise (the same plots: both are the plot's bounding box). Park conditions (sector,
 * district) are a semi-join on the parks they allow, so a viewport never reads the parks table
 * whole: with generated zones it holds thousands of parks, and a hash join over all of them was
 * most of a viewport query's time (issue #17).
 */
export function selectPlotRows(db: Executor, f: PlotSelection, path: SpatialPath = 'jsonb') {
  let q = db.selectFrom('plots as pl');
  if (f.bbox) {
    const [w, s, e, n] = f.bbox;
    q = path === 'postgis'
      ? q.where(sql<boolean>`pl.geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`)
      : q.where(sql<boolean>`pl.bbox && ${bboxToPgBox(f.bbox)}::box`);
  }
  // Retired plots (replaced by a split or merge) only when asked for by status.
  q = f.status?.length ? q.where('pl.status', 'in', f.status) : q.where('pl.status', '<>', 'retired');
  if (f.parkId !== undefined) q = q.where('pl.park_id', '=', f.parkId);
  if (f.sector || f.districtCode) {
    let parks = db.selectFrom('parks as pk').select('pk.id');
    if (f.sector) parks = parks.where(sql<boolean>`pk.sectors @> ARRAY[${f.sector}]::text[]`);
    if (f.districtCode) parks = parks.where('pk.district_code', '=', f.districtCode);
    q = q.where('pl.park_id', 'in', parks);
  }
  if (f.landUse?.length) q = q.where('pl.land_use', 'in', f.landUse);
  return q;
}

/** The same plots joined to their park (`p`): the export reads the park's columns too. */
export function selectPlots(db: Executor, f: PlotSelection, path: SpatialPath = 'jsonb') {
  return selectPlotRows(db, f, path).innerJoin('parks as p', 'p.id', 'pl.park_id');
}

/**
 * Plots for lists and integrations (`limit + 1` rows are read so the answer can say "truncated"),
 * as the GeoJSON FeatureCollection text built by the database
 * (`json_agg`): the rows' geometry is never parsed into objects and re-serialized by Node, which
 * is most of the cost of a viewport with thousands of plots. Ordered by code.
 */
export async function plotsFeatureCollectionText(db: Executor, f: PlotFilters): Promise<string> {
  const q = selectPlotRows(db, f, f.bbox ? await spatialPath(db) : 'jsonb')
    .select(['pl.id', 'pl.code', 'pl.park_id', 'pl.status', 'pl.area_m2', 'pl.land_use', 'pl.land_use_code', 'pl.parcel_code', 'pl.land_level', 'pl.sample', 'pl.geometry'])
    .orderBy('pl.code')
    .limit(f.limit + 1);
  const limit = f.limit;
  const r = await sql<{ body: string }>`
    select json_build_object(
      'type', 'FeatureCollection',
      'truncated', count(*) > ${limit}::int,
      'features', coalesce(
        json_agg(json_build_object(
          'type', 'Feature', 'id', s.id, 'geometry', s.geometry,
          'properties', json_build_object(
            'id', s.id, 'code', s.code, 'parkId', s.park_id, 'districtCode', (SELECT pk.district_code FROM parks pk WHERE pk.id = s.park_id), 'status', s.status,
            'areaM2', s.area_m2, 'landUse', s.land_use, 'landUseCode', s.land_use_code, 'parcelCode', s.parcel_code,
            'landLevel', s.land_level, 'sample', s.sample))
          order by s.code) filter (where s.rn <= ${limit}::int),
        '[]'::json)
    )::text as body
    from (select q.*, row_number() over (order by q.code) as rn from (${q}) q) s`.execute(db);
  return r.rows[0]!.body;
}

