/**
 * The plot layer as Mapbox Vector Tiles, on either spatial path (server/kernel/db/spatial.ts):
 *
 * - postgis: the database encodes the tile (`ST_AsMVT` / `ST_AsMVTGeom` / `ST_TileEnvelope`) in
 *   the same statement that reads its stamp: one round trip for a cold tile, no work in Node.
 * - jsonb (PGlite, or PostgreSQL without PostGIS): the plots whose bbox meets the tile (GiST)
 *   are sliced with geojson-vt and encoded with vt-pbf.
 *
 * Same layers on both: `plots` (properties parkId, status, landUse, areaM2, sample, and code
 * below LABEL_MIN_ZOOM; feature id = plot id), and from LABEL_LAYER's zoom `plot_labels` (one
 * point inside each plot, feature id = plot id, with its code; on postgis the stored
 * `plots.label_pt`). Each fact is in a tile once: the plot id is the feature id only (MVT's own
 * field), and where labels are drawn the code is on the label, not repeated on the polygon
 * (issue #17: bytes within 1.25× of a raw ST_AsMVT of the plots). Same extent (4096) and buffer (64).
 *
 * Size: below PLOT_MIN_ZOOM a tile is empty (the city view shows parks only). From there, plots
 * smaller than MIN_PLOT_PX on screen are left out (minSizeAtZoom); at most MAX_FEATURES plots
 * are drawn, the largest first; and should a tile still exceed MAX_TILE_BYTES (500 KB) it is
 * redrawn with fewer (the largest kept), so no tile exceeds it at any zoom, a million parcels
 * or not.
 *
 * The ETag is (count, max row_version, sum of row_versions) of the plots a tile may draw: any
 * insert, update or delete of one changes it — the sum also catches a write that commits after
 * one with a higher row_version (row_version is taken when a write runs, not when it commits, so
 * the max alone can stay put) — and every instance on the database computes the same one. A
 * process-local LRU, bounded in bytes (TILE_CACHE_MB, default 64), keeps the last body of each
 * tile; a request for a cached tile (or one carrying If-None-Match) costs only the stamp query.
 * It is a cache, never the source of truth.
 */
import type { Kysely } from 'kysely';
import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { pointOnFeature } from '@turf/point-on-feature';
import type { Database } from '../../kernel/db/schema.ts';
import { padBBox, tileToBBox } from '../../../shared/geometry/bbox.ts';
import { PLOT_MIN_ZOOM, type PlotStatus } from '../../../shared/domain.ts';
import { spatialPath, spatialPathFromEnv, type SpatialPath } from '../../kernel/db/spatial.ts';
import { mvtTile, tilePlots, tileStamp, type TilePlotQuery, type TileStamp } from './repository.ts';

export const PLOT_TILE_MAX_ZOOM = 16;
export const TILE_LAYER = 'plots';
/** One point per plot, inside it, for its code: a polygon cut by tile edges would get a label
 * per piece. Only from this zoom, where the codes are drawn. */
export const LABEL_LAYER = 'plot_labels';
export const LABEL_MIN_ZOOM = 15;
export const EXTENT = 4096;
export const BUFFER = 64; // tile-pixel buffer, as a fraction of the extent below
/** Plots smaller than this on screen (CSS px, 512-px tiles) are left out of a tile: they would
 * be a speck, and at high density they would make the tile huge. Zoom in and they appear. */
const MIN_PLOT_PX = 2;
/** No tile is larger than this (bytes). */
export const MAX_TILE_BYTES = 500 * 1024;
/** Plots drawn in one tile at most, the largest first (≈ 80 bytes each at low zoom). */
export const MAX_FEATURES = 7000;
/** Default bound of the in-process tile cache. */
export const DEFAULT_TILE_CACHE_MB = 64;

/** The smallest plot bbox (degrees, width or height) drawn at zoom z: MIN_PLOT_PX on screen. */
export const minSizeAtZoom = (z: number) => (MIN_PLOT_PX * 360) / (512 * 2 ** z);

export interface TileResult {
  etag: string;
  body: Buffer;
  /** The caller's If-None-Match is current: send 304, no body. */
  notModified?: boolean;
}

/** A least-recently-used map bounded by the bytes of its values (plus a fixed cost per entry). */
export class ByteLru {
  private map = new Map<string, TileResult>();
  private total = 0;
  constructor(readonly maxBytes: number) {}
  private static cost = (k: string, v: TileResult) => v.body.length + k.length + v.etag.length + 64;
  get bytes(): number {
    return this.total;
  }
  get size(): number {
    return this.map.size;
  }
  get(k: string): TileResult | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: TileResult): void {
    const old = this.map.get(k);
    if (old) {
      this.total -= ByteLru.cost(k, old);
      this.map.delete(k);
    }
    const c = ByteLru.cost(k, v);
    if (c > this.maxBytes) return;
    this.map.set(k, v);
    this.total += c;
    for (const [key, val] of this.map) {
      if (this.total <= this.maxBytes) break;
      this.map.delete(key);
      this.total -= ByteLru.cost(key, val);
    }
  }
}

/** TILE_CACHE_MB from the environment (a positive number; 0 turns the cache off). */
export function tileCacheBytesFromEnv(env: Record<string, string | undefined> = process.env): number {
  const v = env.TILE_CACHE_MB?.trim();
  if (!v) return DEFAULT_TILE_CACHE_MB * 1024 * 1024;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 65536) throw new Error(`TILE_CACHE_MB must be a number of megabytes 0–65536 (0 = no tile cache), got "${v}".`);
  return Math.floor(n * 1024 * 1024);
}

export interface PlotTilesOptions {
  /** Bound of the tile cache in bytes (default TILE_CACHE_MB, else 64 MB). */
  cacheBytes?: number;
  /** Force a spatial path (comparisons); default: detected per database. */
  path?: SpatialPath;
  /** Tile size bound (default MAX_TILE_BYTES) and plots drawn at most (default MAX_FEATURES). */
  maxBytes?: number;
  maxFeatures?: number;
}

const EMPTY = Buffer.alloc(0);

export function createPlotTiles(db: Kysely<Database>, opts: PlotTilesOptions = {}) {
  // Both read at start-up (route registration), so a bad TILE_CACHE_MB or SPATIAL_PATH stops the server with its message.
  const cache = new ByteLru(opts.cacheBytes ?? tileCacheBytesFromEnv());
  spatialPathFromEnv();
  const pathOf = () => (opts.path ? Promise.resolve(opts.path) : spatialPath(db));

  const queryOf = (z: number, x: number, y: number, status: PlotStatus[] | undefined, maxFeatures: number): TilePlotQuery => ({
    bbox: padBBox(tileToBBox(z, x, y), BUFFER / EXTENT),
    minSizeDeg: minSizeAtZoom(z),
    status,
    maxFeatures,
  });
  const etagOf = (z: number, x: number, y: number, status: PlotStatus[] | undefined, s: TileStamp) =>
    `"p${z}-${x}-${y}-${status?.join('.') ?? 'all'}-${s.n}-${s.v}"`;

  /** jsonb path: geojson-vt + vt-pbf over the rows. */
  async function buildJsonb(z: number, x: number, y: number, q: TilePlotQuery): Promise<{ body: Buffer; drawn: number }> {
    const rows = await tilePlots(db, q);
    if (rows.length === 0) return { body: EMPTY, drawn: 0 };
    const fc: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: JSON.parse(r.g) as GeoJSON.Geometry,
        properties: { ...(z >= LABEL_MIN_ZOOM ? {} : { code: r.code }), parkId: r.park_id, status: r.status, landUse: r.land_use, areaM2: Number(r.area_m2), sample: r.sample },
      })),
    };
    const options = { maxZoom: z, indexMaxZoom: 0, indexMaxPoints: 0, tolerance: 3, extent: EXTENT, buffer: BUFFER };
    const tile = new GeoJSONVT(fc, options).getTile(z, x, y);
    if (!tile || tile.features.length === 0) return { body: EMPTY, drawn: rows.length };
    const layers: Record<string, unknown> = { [TILE_LAYER]: tile };
    if (z >= LABEL_MIN_ZOOM) {
      const points: GeoJSON.FeatureCollection = {
        type: 'FeatureCollection',
        features: fc.features.map((f, i) => ({ ...pointOnFeature(f as GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>), id: f.id, properties: { code: rows[i]!.code } })),
      };
      const labels = new GeoJSONVT(points, options).getTile(z, x, y);
      if (labels && labels.features.length > 0) layers[LABEL_LAYER] = labels;
    }
    return { body: Buffer.from(vtpbf.fromGeojsonVt(layers as never, { version: 2, extent: EXTENT })), drawn: rows.length };
  }

  /** The tile's stamp and body on a path, redrawn with fewer plots while it exceeds MAX_TILE_BYTES. */
  async function build(path: SpatialPath, z: number, x: number, y: number, status: PlotStatus[] | undefined, known?: TileStamp): Promise<{ stamp: TileStamp; body: Buffer }> {
    const maxBytes = opts.maxBytes ?? MAX_TILE_BYTES;
    let max = opts.maxFeatures ?? MAX_FEATURES;
    for (;;) {
      const q = queryOf(z, x, y, status, max);
      let stamp: TileStamp;
      let out: { body: Buffer; drawn: number };
      if (path === 'postgis') {
        const r = await mvtTile(db, { ...q, z, x, y, extent: EXTENT, buffer: BUFFER, layer: TILE_LAYER, labelLayer: z >= LABEL_MIN_ZOOM ? LABEL_LAYER : null });
        stamp = { n: r.n, v: r.v };
        out = r;
      } else {
        stamp = known ?? (await tileStamp(db, path, q));
        out = await buildJsonb(z, x, y, q);
      }
      if (out.body.length <= maxBytes || out.drawn <= 1) return { stamp, body: out.body };
      // Keep the largest plots that fit, with a margin (bytes per plot vary a little).
      max = Math.max(1, Math.min(out.drawn - 1, Math.floor((out.drawn * maxBytes * 0.9) / out.body.length)));
    }
  }

  return {
    cache,
    /**
     * The tile, from the cache when its ETag is unchanged. With `ifNoneMatch` equal to the
     * current ETag, answers `notModified` without building the body.
     */
    async getTile(z: number, x: number, y: number, status?: PlotStatus[], ifNoneMatch?: string): Promise<TileResult> {
      if (z < PLOT_MIN_ZOOM) return { etag: `"p${z}-empty"`, body: EMPTY, ...(ifNoneMatch === `"p${z}-empty"` ? { notModified: true } : {}) };
      const path = await pathOf();
      const key = `${path}:${z}/${x}/${y}/${status?.join('.') ?? ''}`;
      const hit = cache.get(key);
      let known: TileStamp | undefined;
      if (hit || ifNoneMatch) {
        // Revalidation: the stamp only (count and max row_version: index scan, no geometry).
        known = await tileStamp(db, path, queryOf(z, x, y, status, opts.maxFeatures ?? MAX_FEATURES));
        const etag = etagOf(z, x, y, status, known);
        if (ifNoneMatch === etag) return { etag, body: EMPTY, notModified: true };
        if (hit && hit.etag === etag) return hit;
      }
      const { stamp, body } = await build(path, z, x, y, status, known);
      const result = { etag: etagOf(z, x, y, status, stamp), body };
      cache.set(key, result);
      return result;
    },
  };
}

export type PlotTiles = ReturnType<typeof createPlotTiles>;
