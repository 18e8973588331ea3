/**
 * The plot layer as Mapbox Vector Tiles. Each request
 * reads only the plots whose bbox meets the tile (GiST), slices them with geojson-vt and encodes
 * with vt-pbf. geojson-vt drops polygons smaller than its tolerance at the tile's zoom, so a
 * tile stays small even over 100,000 plots. Below PLOT_MIN_ZOOM no plot is sent at all: the
 * city view shows parks only.
 *
 * The ETag is (count, max row_version) of the plots in the tile: any insert, update or delete
 * of a plot drawn there changes it. A small in-process LRU keyed by tile and ETag saves the
 * re-encoding; it is a cache, never the source of truth (any replica computes the same ETag).
 */
import type { Kysely } from 'kysely';
import GeoJSONVT from 'geojson-vt';
import vtpbf from 'vt-pbf';
import { pointOnFeature } from '@turf/turf';
import type { Database } from '../../kernel/db/schema.ts';
import { padBBox, tileToBBox } from '../../../shared/geometry/bbox.ts';
import { PLOT_MIN_ZOOM, type PlotStatus } from '../../../shared/domain.ts';
import { tilePlots, tileStamp } from './repository.ts';

export const PLOT_TILE_MAX_ZOOM = 16;
export const TILE_LAYER = 'plots';
/** One point per plot, inside it (turf `pointOnFeature`), for its code: a polygon cut by tile
 * edges would get a label per piece. Only from this zoom, where the codes are drawn. */
export const LABEL_LAYER = 'plot_labels';
export const LABEL_MIN_ZOOM = 15;
const EXTENT = 4096;
const BUFFER = 64; // tile-pixel buffer, as a fraction of the extent below
/** Plots smaller than this on screen (CSS px, 512-px tiles) are left out of a tile: they would
 * be a speck, and at high density they would make the tile huge. Zoom in and they appear. */
const MIN_PLOT_PX = 2;

/** The smallest plot bbox (degrees, width or height) drawn at zoom z: MIN_PLOT_PX on screen. */
const minSizeAtZoom = (z: number) => (MIN_PLOT_PX * 360) / (512 * 2 ** z);

export interface TileResult {
  etag: string;
  body: Buffer;
}

class Lru<V> {
  private map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(k: string): V | undefined {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  set(k: string, v: V): void {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value as string);
  }
}

export function createPlotTiles(db: Kysely<Database>, { cacheSize = 2000 } = {}) {
  const cache = new Lru<TileResult>(cacheSize);

  /** The ETag of a tile, or null when the zoom is below the plot layer. */
  async function tileEtag(z: number, x: number, y: number, status?: PlotStatus[]): Promise<string | null> {
    if (z < PLOT_MIN_ZOOM) return null;
    const row = await tileStamp(db, { bbox: padBBox(tileToBBox(z, x, y), BUFFER / EXTENT), minSizeDeg: minSizeAtZoom(z), status });
    return `"p${z}-${x}-${y}-${status?.join('.') ?? 'all'}-${row.n}-${row.v}"`;
  }

  async function buildTile(z: number, x: number, y: number, status?: PlotStatus[]): Promise<Buffer> {
    const rows = await tilePlots(db, { bbox: padBBox(tileToBBox(z, x, y), BUFFER / EXTENT), minSizeDeg: minSizeAtZoom(z), status });
    if (rows.length === 0) return Buffer.alloc(0);
    const fc: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: rows.map((r) => ({
        type: 'Feature',
        id: r.id,
        geometry: JSON.parse(r.g) as GeoJSON.Geometry,
        properties: { id: r.id, code: r.code, parkId: r.park_id, status: r.status, landUse: r.land_use, areaM2: Number(r.area_m2), sample: r.sample },
      })),
    };
    const options = { maxZoom: z, indexMaxZoom: 0, indexMaxPoints: 0, tolerance: 3, extent: EXTENT, buffer: BUFFER };
    const tile = new GeoJSONVT(fc, options).getTile(z, x, y);
    if (!tile || tile.features.length === 0) return Buffer.alloc(0);
    const layers: Record<string, unknown> = { [TILE_LAYER]: tile };
    if (z >= LABEL_MIN_ZOOM) {
      const points: GeoJSON.FeatureCollection = {
        type: 'FeatureCollection',
        features: fc.features.map((f) => ({ ...pointOnFeature(f as GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>), id: f.id, properties: { id: f.properties!.id, code: f.properties!.code } })),
      };
      const labels = new GeoJSONVT(points, options).getTile(z, x, y);
      if (labels && labels.features.length > 0) layers[LABEL_LAYER] = labels;
    }
    return Buffer.from(vtpbf.fromGeojsonVt(layers as never, { version: 2, extent: EXTENT }));
  }

  return {
    tileEtag,
    /** Returns the tile, from the cache when its ETag is unchanged. */
    async getTile(z: number, x: number, y: number, status?: PlotStatus[]): Promise<TileResult> {
      const etag = await tileEtag(z, x, y, status);
      if (etag === null) return { etag: `"p${z}-empty"`, body: Buffer.alloc(0) };
      const hit = cache.get(etag);
      if (hit) return hit;
      const result = { etag, body: await buildTile(z, x, y, status) };
      cache.set(etag, result);
      return result;
    },
  };
}

export type PlotTiles = ReturnType<typeof createPlotTiles>;
