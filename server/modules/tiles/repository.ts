/**
 * The plot rows a vector tile is drawn from, on both spatial paths (server/kernel/db/spatial.ts).
 * Executor first.
 *
 * - jsonb path: the rows (GeoJSON text) found through the GiST index on their `bbox`; the service
 *   slices them with geojson-vt.
 * - postgis path: one statement returns the tile's stamp AND its body, encoded by the database
 *   (`ST_AsMVT` over `ST_AsMVTGeom(ST_Transform(geom, 3857), ST_TileEnvelope(z, x, y), 4096, 64)`),
 *   rows found through the GiST index on `geom`.
 *
 * Both paths pick the same rows: those meeting the tile plus its buffer, at least `minSizeDeg`
 * wide or tall, in the status filter; at most `maxFeatures` of them are drawn, the largest first
 * (ties by id). The stamp (count, max row_version — the ETag) is over every row picked before
 * that cap, so any change to a plot that could be drawn there changes it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { BBox, PlotStatus } from '../../../shared/domain.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import type { SpatialPath } from '../../kernel/db/spatial.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export interface TilePlotQuery {
  /** The tile's extent (with its buffer), degrees. */
  bbox: BBox;
  /** Plots whose bbox is narrower and lower than this (degrees) are left out. */
  minSizeDeg: number;
  /** Only these statuses; otherwise every live (not retired) plot. */
  status?: PlotStatus[] | undefined;
  /** At most this many plots are drawn (the largest). */
  maxFeatures: number;
}

export interface TileStamp {
  n: number;
  v: string;
}

/** The WHERE of a tile on a path (sql fragment; the table is `plots`). */
function tileWhere(path: SpatialPath, t: TilePlotQuery) {
  const [w, s, e, n] = t.bbox;
  const near = path === 'postgis'
    ? sql`geom && ST_MakeEnvelope(${w}::float8, ${s}::float8, ${e}::float8, ${n}::float8, 4326)`
    : sql`bbox && ${bboxToPgBox(t.bbox)}::box`;
  const status = t.status?.length
    ? sql`status IN (${sql.join(t.status.map((x) => sql`${x}`))})`
    : sql`status <> 'retired'`;
  return sql`${near} AND greatest(width(bbox), height(bbox)) >= ${t.minSizeDeg}::float8 AND ${status}`;
}

/** The number of plots a tile may draw and their highest row version (what the ETag is made of). */
export async function tileStamp(db: Executor, path: SpatialPath, t: TilePlotQuery): Promise<TileStamp> {
  const r = await sql<TileStamp>`SELECT count(*)::int AS n, coalesce(max(row_version), 0)::text || '.' || coalesce(sum(row_version), 0)::text AS v FROM plots WHERE ${tileWhere(path, t)}`.execute(db);
  return r.rows[0]!;
}

/** jsonb path: the plots drawn in a tile, geometry as GeoJSON text. */
export async function tilePlots(db: Executor, t: TilePlotQuery) {
  const r = await sql<{ id: number; code: string; park_id: number; status: string; land_use: string; area_m2: string; sample: boolean; g: string }>`
    SELECT id, code, park_id, status, land_use, area_m2, sample, geometry::text AS g
      FROM plots WHERE ${tileWhere('jsonb', t)}
     ORDER BY greatest(width(bbox), height(bbox)) DESC, id
     LIMIT ${t.maxFeatures}::int`.execute(db);
  return r.rows;
}

export interface MvtTileQuery extends TilePlotQuery {
  z: number;
  x: number;
  y: number;
  extent: number;
  buffer: number;
  layer: string;
  /** The label layer (a point inside each plot: `plots.label_pt`, migration 028), or null for none. */
  labelLayer: string | null;
}

/**
 * postgis path, one round trip: the stamp of the tile and its body as Mapbox Vector Tile bytes
 * (layer `layer`, plus `labelLayer` when given), with the same properties as the jsonb path's.
 */
export async function mvtTile(db: Executor, t: MvtTileQuery): Promise<TileStamp & { body: Buffer; drawn: number }> {
  // ST_AsMVT skips rows whose ST_AsMVTGeom is NULL (outside the tile and its buffer, or
  // degenerate); no WHERE on it, which would make the planner compute it twice per row.
  const labels = t.labelLayer
    ? sql`coalesce((SELECT ST_AsMVT(l, ${t.labelLayer}::text, ${t.extent}::int, 'g', 'fid') FROM (
          SELECT d.id AS fid, d.code,
                 ST_AsMVTGeom(ST_Transform(d.label_pt, 3857), e.env, ${t.extent}::int, ${t.buffer}::int, true) AS g
            FROM d, e) l), ''::bytea)`
    : sql`''::bytea`;
  // High zooms (few plots per tile): the rows are read once, with their geometry, and sorted only
  // when there are more than the cap. Low zooms (up to tens of thousands of candidates): only
  // (id, row_version, size) are kept and ranked, then the drawn plots are fetched by id — wide
  // rows would spill to disk in the sort.
  const few = t.z >= 14;
  const picked = few
    ? sql`c AS MATERIALIZED (
      SELECT id, code, park_id, status, land_use, area_m2, sample, row_version, geom, label_pt, greatest(width(bbox), height(bbox)) AS size
        FROM plots WHERE ${tileWhere('postgis', t)}
    ), s AS (
      SELECT count(*)::int AS n, coalesce(max(row_version), 0)::text || '.' || coalesce(sum(row_version), 0)::text AS v FROM c
    ), d AS (
      -- Sorted (largest first) only when there are more than the cap: one branch runs.
      SELECT * FROM c WHERE (SELECT n FROM s) <= ${t.maxFeatures}::int
      UNION ALL
      (SELECT * FROM c WHERE (SELECT n FROM s) > ${t.maxFeatures}::int ORDER BY size DESC, id LIMIT ${t.maxFeatures}::int)`
    : sql`c AS MATERIALIZED (
      SELECT id, row_version, greatest(width(bbox), height(bbox)) AS size FROM plots WHERE ${tileWhere('postgis', t)}
    ), s AS (
      SELECT count(*)::int AS n, coalesce(max(row_version), 0)::text || '.' || coalesce(sum(row_version), 0)::text AS v FROM c
    ), k AS MATERIALIZED (
      SELECT array_agg(id) AS ids FROM (SELECT id FROM c ORDER BY size DESC, id LIMIT ${t.maxFeatures}::int) top
    ), d AS (
      SELECT p.id, p.code, p.park_id, p.status, p.land_use, p.area_m2, p.sample, p.geom, p.label_pt FROM plots p WHERE p.id = ANY ((SELECT ids FROM k)::int[])`;
  const r = await sql<{ n: number; v: string; drawn: number; body: Buffer | null }>`
    WITH ${picked}
    ), e AS (
      SELECT ST_TileEnvelope(${t.z}::int, ${t.x}::int, ${t.y}::int) AS env
    )
    SELECT s.n, s.v, least(s.n, ${t.maxFeatures}::int) AS drawn,
           coalesce((SELECT ST_AsMVT(q, ${t.layer}::text, ${t.extent}::int, 'g', 'fid') FROM (
             SELECT d.id AS fid, ${t.labelLayer ? sql`` : sql`d.code,`} d.park_id AS "parkId", d.status, d.land_use AS "landUse", d.area_m2::float8 AS "areaM2", d.sample,
                    ST_AsMVTGeom(ST_Transform(d.geom, 3857), e.env, ${t.extent}::int, ${t.buffer}::int, true) AS g
               FROM d, e) q), ''::bytea) || ${labels} AS body
      FROM s`.execute(db);
  const row = r.rows[0]!;
  return { n: row.n, v: row.v, drawn: row.drawn, body: row.body ? Buffer.from(row.body) : Buffer.alloc(0) };
}
