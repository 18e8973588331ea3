/**
 * The two spatial paths agree (server/kernel/db/spatial.ts; issue #17 §2): on one PostgreSQL
 * database with PostGIS and the demo data, the same requests answered by the postgis path
 * (ST_AsMVT tiles, `geom &&` viewports, exact overlaps in SQL, ST_Area) and by the jsonb path
 * (geojson-vt tiles, `bbox &&`, turf) give:
 *  - the same tiles, decoded: layers, feature ids, attributes, geometry within a tile pixel or two;
 *  - the same accept / refuse outcome, with the same error, for the same candidate geometries;
 *  - areas within 0.01 m²;
 *  - the same viewport lists, with `truncated`;
 * and `plots.geom` follows `plots.geometry` on insert and update, in the same transaction.
 * Runs only on PostgreSQL with PostGIS; elsewhere the suite is skipped and says why.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/kernel/db/schema.ts';
import { VectorTile, type VectorTileLayer } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { centroid } from '@turf/turf';
import { startTestApp, type TestContext } from './context.ts';
import { lonLatToTile } from './tile-helpers.ts';
import { forceSpatialPath, spatialPath, areasM2 } from '../../server/kernel/db/spatial.ts';
import { createPlotTiles, MAX_TILE_BYTES } from '../../server/modules/tiles/service.ts';
import { neighboursOf } from '../../server/modules/plots/repository.ts';
import type { PlotStatus } from '../../shared/domain.ts';
import { geometryAreaM2, validatePlotGeometry, type PlotGeometry } from '../../shared/geometry/index.ts';

const URL = process.env.TEST_DATABASE_URL;

/** Why the suite cannot run here, or null. */
async function skipReason(): Promise<string | null> {
  if (!URL) return 'TEST_DATABASE_URL is not set (PGlite has no PostGIS)';
  const c = new pg.Client({ connectionString: URL });
  try {
    await c.connect();
    const r = await c.query<{ ok: boolean }>(`SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS ok`);
    return r.rows[0]!.ok ? null : 'PostGIS is not available on the PostgreSQL server (apt-get install postgresql-15-postgis-3)';
  } catch (err) {
    return `PostgreSQL unreachable: ${(err as Error).message}`;
  } finally {
    await c.end().catch(() => {});
  }
}

const reason = await skipReason();
if (reason) console.warn(`[tests/api/postgis-spatial] SKIPPED: ${reason}`);

type Feature = { id: number; geometry: GeoJSON.Polygon; properties: Record<string, unknown> };
type FC = { type: 'FeatureCollection'; features: Feature[]; truncated?: boolean };

/** A decoded layer as id → { properties, bbox and area in tile units }. */
function decode(layer: VectorTileLayer | undefined) {
  const out = new Map<number, { props: Record<string, unknown>; bbox: [number, number, number, number]; area: number }>();
  if (!layer) return out;
  for (let i = 0; i < layer.length; i++) {
    const f = layer.feature(i);
    const rings = f.loadGeometry();
    let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
    let area = 0;
    for (const ring of rings) {
      let a = 0;
      for (let k = 0; k < ring.length; k++) {
        const p = ring[k]!, q = ring[(k + 1) % ring.length]!;
        w = Math.min(w, p.x); e = Math.max(e, p.x); s = Math.min(s, p.y); n = Math.max(n, p.y);
        a += p.x * q.y - q.x * p.y;
      }
      area += a / 2; // signed: holes subtract
    }
    out.set(Number(f.id), { props: f.properties, bbox: [w, s, e, n], area: Math.abs(area) });
  }
  return out;
}

describe.skipIf(reason !== null)(reason ? `PostGIS and jsonb paths agree [postgres — skipped: ${reason}]` : 'PostGIS and jsonb paths agree [postgres + PostGIS]', () => {
  let ctx: TestContext;
  let stop: () => Promise<void>;
  const app = () => ctx.app;
  const db = () => ctx.app.db;
  let parkPlots: Feature[] = [];

  beforeAll(async () => {
    ({ ctx, stop } = await startTestApp('postgres'));
  }, 120_000);
  afterAll(async () => {
    if (ctx) forceSpatialPath(ctx.app.db, null);
    await stop?.();
  });

  it('detects the postgis path, and jsonb when forced', async () => {
    expect(await spatialPath(db())).toBe('postgis');
    forceSpatialPath(db(), 'jsonb');
    expect(await spatialPath(db())).toBe('jsonb');
    await db().transaction().execute(async (trx) => expect(await spatialPath(trx)).toBe('jsonb'));
    forceSpatialPath(db(), null);
    expect(await spatialPath(db())).toBe('postgis');
    const parks = (await app().inject({ method: 'GET', url: '/api/parks' })).json() as FC;
    const park = parks.features.find((f) => f.properties.code === 'P06') ?? parks.features[0]!;
    parkPlots = ((await app().inject({ method: 'GET', url: `/api/plots?parkId=${park.properties.id}` })).json() as FC).features;
    expect(parkPlots.length).toBeGreaterThan(10);
  });

  it('keeps geom in step with geometry on insert and update, in the same transaction', async () => {
    const src = parkPlots[0]!;
    const moved = { type: 'Polygon', coordinates: src.geometry.coordinates.map((r) => r.map(([x, y]) => [x! + 0.001, y!])) };
    const sameAs = async (trx: Kysely<Database>, id: number) => {
      // …and label_pt (the tiles' label point) inside it.
      const r = await sql<{ same: boolean; srid: number }>`
        SELECT ST_Equals(geom, ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), 4326)) AND ST_Intersects(label_pt, geom) AS same, ST_SRID(geom) AS srid FROM plots WHERE id = ${id}`.execute(trx);
      return r.rows[0]!;
    };
    const rolledBack = new Error('roll back');
    await expect(db().transaction().execute(async (trx) => {
      const ins = await sql<{ id: number }>`
        INSERT INTO plots (code, park_id, status, land_use, area_m2, land_level, location, geometry, bbox, sample)
        SELECT 'T-GEOM-1', park_id, 'available', land_use, area_m2, land_level, location, geometry, bbox, sample FROM plots WHERE id = ${src.id}
        RETURNING id`.execute(trx);
      const id = ins.rows[0]!.id;
      expect(await sameAs(trx, id)).toEqual({ same: true, srid: 4326 });
      await sql`UPDATE plots SET geometry = ${JSON.stringify(moved)}::jsonb WHERE id = ${id}`.execute(trx);
      expect(await sameAs(trx, id)).toEqual({ same: true, srid: 4326 });
      // geom has one writer: setting it by hand is overwritten from geometry.
      await sql`UPDATE plots SET geom = ST_SetSRID(ST_MakePoint(113.3, 23.1), 4326) WHERE id = ${id}`.execute(trx);
      expect(await sameAs(trx, id)).toEqual({ same: true, srid: 4326 });
      await sql`UPDATE plots SET label_pt = ST_SetSRID(ST_MakePoint(113.3, 23.1), 4326) WHERE id = ${id}`.execute(trx);
      expect(await sameAs(trx, id)).toEqual({ same: true, srid: 4326 });
      throw rolledBack;
    })).rejects.toBe(rolledBack);
    const all = await sql<{ n: number; bad: number }>`SELECT count(*)::int AS n, count(*) FILTER (WHERE geom IS NULL OR NOT ST_Equals(geom, ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), 4326)) OR NOT ST_Intersects(label_pt, geom))::int AS bad FROM plots`.execute(db());
    expect(all.rows[0]!.n).toBeGreaterThan(0);
    expect(all.rows[0]!.bad).toBe(0);
  });

  it('draws the same tiles on both paths: layers, feature ids, attributes, geometry within two tile pixels', async () => {
    const pgTiles = createPlotTiles(db(), { path: 'postgis', cacheBytes: 0 });
    const jsTiles = createPlotTiles(db(), { path: 'jsonb', cacheBytes: 0 });
    const tiles: [number, number, number][] = [];
    for (const p of parkPlots.slice(0, 40).filter((_, i) => i % 8 === 0)) {
      const c = centroid(p.geometry).geometry.coordinates as [number, number];
      for (const z of [11, 12, 13, 14, 15, 16]) {
        const t = lonLatToTile(c[0], c[1], z);
        tiles.push([z, t.x, t.y]);
      }
    }
    let compared = 0;
    const filters = [undefined, ['available'], ['allocated', 'held']] as const;
    for (const [i, [z, x, y]] of tiles.entries()) {
      const status = filters[i % filters.length] as PlotStatus[] | undefined;
      const a = await pgTiles.getTile(z, x, y, status);
      const b = await jsTiles.getTile(z, x, y, status);
      expect(a.etag, `${z}/${x}/${y}`).toBe(b.etag);
      const ta = new VectorTile(new PbfReader(a.body));
      const tb = new VectorTile(new PbfReader(b.body));
      expect(Object.keys(ta.layers).sort(), `${z}/${x}/${y} layers`).toEqual(Object.keys(tb.layers).sort());
      for (const name of Object.keys(tb.layers)) {
        expect(ta.layers[name]!.extent).toBe(tb.layers[name]!.extent);
        const fa = decode(ta.layers[name]);
        const fb = decode(tb.layers[name]);
        expect([...fa.keys()].sort((p, q) => p - q), `${z}/${x}/${y} ${name} ids`).toEqual([...fb.keys()].sort((p, q) => p - q));
        for (const [id, f] of fb) {
          const g = fa.get(id)!;
          expect(g.props, `${z}/${x}/${y} ${name} #${id}`).toEqual(f.props);
          if (name === 'plots') {
            for (let k = 0; k < 4; k++) expect(Math.abs(g.bbox[k]! - f.bbox[k]!), `${z}/${x}/${y} #${id} bbox`).toBeLessThanOrEqual(2);
            const perimeter = 2 * (f.bbox[2] - f.bbox[0] + f.bbox[3] - f.bbox[1]);
            expect(Math.abs(g.area - f.area), `${z}/${x}/${y} #${id} area`).toBeLessThanOrEqual(2 * perimeter + 4);
          }
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
    // The route serves the postgis path's tile.
    const [z, x, y] = tiles.find((t) => t[0] === 16)!;
    const res = await app().inject({ method: 'GET', url: `/api/tiles/plots/${z}/${x}/${y}.pbf` });
    expect(res.statusCode).toBe(200);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(Buffer.compare(res.rawPayload, (await pgTiles.getTile(z, x, y)).body)).toBe(0);
    const again = await app().inject({ method: 'GET', url: `/api/tiles/plots/${z}/${x}/${y}.pbf`, headers: { 'if-none-match': res.headers.etag as string } });
    expect(again.statusCode).toBe(304);
  });

  it('accepts and refuses the same candidate geometries with the same errors on both paths', async () => {
    const candidates: { geometry: PlotGeometry; exclude: number[] }[] = [];
    const shift = (g: GeoJSON.Polygon, dx: number, dy: number): GeoJSON.Polygon => ({ type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(([x, y]) => [x! + dx, y! + dy])) });
    const scale = (g: GeoJSON.Polygon, f: number): GeoJSON.Polygon => {
      const [cx, cy] = centroid(g).geometry.coordinates as [number, number];
      return { type: 'Polygon', coordinates: g.coordinates.map((r) => r.map(([x, y]) => [cx + (x! - cx) * f, cy + (y! - cy) * f])) };
    };
    const m = 1 / 102_000; // ≈ 1 m of longitude at Guangzhou
    for (const p of parkPlots.slice(0, 6)) {
      candidates.push({ geometry: p.geometry, exclude: [] }); // itself: overlaps itself
      candidates.push({ geometry: p.geometry, exclude: [p.id] }); // its own edit: shares edges only
      candidates.push({ geometry: scale(p.geometry, 0.5), exclude: [] });
      candidates.push({ geometry: scale(p.geometry, 0.5), exclude: [p.id] });
      candidates.push({ geometry: scale(p.geometry, 1.02), exclude: [p.id] }); // pushes into its neighbours
      for (const d of [0.002, 0.005, 0.02, 0.5, 3]) candidates.push({ geometry: shift(p.geometry, d * m, 0), exclude: [p.id] }); // slivers around the tolerance
      candidates.push({ geometry: shift(p.geometry, 0, 0.01 * m), exclude: [p.id] });
    }
    const outcome = async (path: 'postgis' | 'jsonb') => {
      forceSpatialPath(db(), path);
      try {
        return await db().transaction().execute(async (trx) => {
          const out = [];
          for (const c of candidates) {
            const v = validatePlotGeometry(c.geometry, { neighbours: await neighboursOf(trx, c.geometry, c.exclude) });
            out.push({ ok: v.ok, errors: v.errors.map((e) => ({ code: e.code, plotCode: e.plotCode, messageEn: e.messageEn })) });
          }
          return out;
        });
      } finally {
        forceSpatialPath(db(), null);
      }
    };
    const onPostgis = await outcome('postgis');
    const onJsonb = await outcome('jsonb');
    expect(onPostgis).toEqual(onJsonb);
    expect(onPostgis.some((o) => o.ok)).toBe(true);
    expect(onPostgis.some((o) => o.errors.some((e) => e.code === 'OVERLAPS_PLOT'))).toBe(true);
  });

  it('computes areas with ST_Area in EPSG:4547 within 0.01 m² of the shared model', async () => {
    const rows = await db().selectFrom('plots').select(['id', 'geometry']).execute();
    const geometries = rows.map((r) => r.geometry as PlotGeometry);
    const js = geometries.map((g) => geometryAreaM2(g));
    const sqlAreas = await areasM2(db(), geometries, (g) => geometryAreaM2(g as PlotGeometry));
    const direct = await sql<{ id: number; a: number }>`SELECT id, ST_Area(ST_Transform(geom, 4547))::float8 AS a FROM plots`.execute(db());
    const byId = new Map(direct.rows.map((r) => [r.id, Number(r.a)]));
    expect(rows.length).toBeGreaterThan(100);
    let worst = 0;
    rows.forEach((r, i) => {
      worst = Math.max(worst, Math.abs(sqlAreas[i]! - js[i]!), Math.abs(byId.get(r.id)! - js[i]!));
    });
    expect(worst).toBeLessThanOrEqual(0.01);
  });

  it('answers a viewport list the same on both paths, with truncated when there are more than limit', async () => {
    const c = centroid(parkPlots[0]!.geometry).geometry.coordinates as [number, number];
    const bbox = [c[0] - 0.01, c[1] - 0.01, c[0] + 0.01, c[1] + 0.01].join(',');
    const list = async (path: 'postgis' | 'jsonb', limit: number) => {
      forceSpatialPath(db(), path);
      try {
        return (await app().inject({ method: 'GET', url: `/api/plots?bbox=${bbox}&limit=${limit}` })).json() as FC;
      } finally {
        forceSpatialPath(db(), null);
      }
    };
    const all = await list('postgis', 5000);
    expect(all.features.length).toBeGreaterThan(3);
    expect(all.truncated).toBe(false);
    expect(all).toEqual(await list('jsonb', 5000));
    const few = await list('postgis', 3);
    expect(few.features.length).toBe(3);
    expect(few.truncated).toBe(true);
    expect(few).toEqual(await list('jsonb', 3));
  });

  it('keeps every tile of a dense area under 500 KB at z11–13, on both paths (largest plots kept)', async () => {
    // 40,000 squares of 80 m, edge to edge, in one place (raw SQL: a smoke test of density, not realism).
    const park = await db().selectFrom('parks').select('id').orderBy('id').executeTakeFirstOrThrow();
    const [lon0, lat0, d] = [113.5, 23.3, 80 / 102_000];
    await sql`
      INSERT INTO plots (code, park_id, status, land_use, area_m2, land_level, location, geometry, bbox, sample)
      SELECT 'DENSE-' || i || '-' || j, ${park.id}, 'available', 'M1', 3600, 3, '',
             jsonb_build_object('type', 'Polygon', 'coordinates', jsonb_build_array(jsonb_build_array(
               jsonb_build_array(${lon0}::float8 + i * ${d}::float8, ${lat0}::float8 + j * ${d}::float8),
               jsonb_build_array(${lon0}::float8 + (i + 1) * ${d}::float8, ${lat0}::float8 + j * ${d}::float8),
               jsonb_build_array(${lon0}::float8 + (i + 1) * ${d}::float8, ${lat0}::float8 + (j + 1) * ${d}::float8),
               jsonb_build_array(${lon0}::float8 + i * ${d}::float8, ${lat0}::float8 + (j + 1) * ${d}::float8),
               jsonb_build_array(${lon0}::float8 + i * ${d}::float8, ${lat0}::float8 + j * ${d}::float8)))),
             box(point(${lon0}::float8 + i * ${d}::float8, ${lat0}::float8 + j * ${d}::float8), point(${lon0}::float8 + (i + 1) * ${d}::float8, ${lat0}::float8 + (j + 1) * ${d}::float8)),
             true
        FROM generate_series(0, 199) AS i, generate_series(0, 199) AS j`.execute(db());
    const centre: [number, number] = [lon0 + 100 * d, lat0 + 100 * d];
    for (const path of ['postgis', 'jsonb'] as const) {
      const tiles = createPlotTiles(db(), { path, cacheBytes: 0 });
      for (const z of [11, 12, 13]) {
        const t = lonLatToTile(centre[0], centre[1], z);
        const tile = await tiles.getTile(z, t.x, t.y);
        const layer = new VectorTile(new PbfReader(tile.body)).layers.plots;
        expect(tile.body.length, `${path} z${z}`).toBeLessThanOrEqual(MAX_TILE_BYTES);
        expect(layer?.length ?? 0, `${path} z${z}`).toBeGreaterThan(1000);
      }
      // A tighter bound redraws the tile with fewer plots, the largest kept, until it fits.
      const small = createPlotTiles(db(), { path, cacheBytes: 0, maxBytes: 100_000 });
      const t = lonLatToTile(centre[0], centre[1], 12);
      const tile = await small.getTile(12, t.x, t.y);
      expect(tile.body.length, `${path} z12 within 100 KB`).toBeLessThanOrEqual(100_000);
      expect(new VectorTile(new PbfReader(tile.body)).layers.plots!.length).toBeGreaterThan(500);
    }
  }, 120_000);
});
