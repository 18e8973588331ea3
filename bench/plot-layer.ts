/**
 * Plot layer cost at 1,000 and 100,000 plots (TARGETS.md "Scale and speed"): what a city-wide
 * view and a park-level view transfer, and the server time to produce it, measured through
 * `app.inject` (server time, no network). Prints figures; asserts nothing.
 *
 *   npm run bench:plots                                  # PGlite in memory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/x npm run bench:plots   # a scratch PostgreSQL db (emptied!)
 *   BENCH_DATABASE_URL=… BENCH_SEED=false BENCH_SIZES=0 npm run bench:plots       # the plots already there (e.g. a 1M seed)
 *
 * On PostgreSQL with PostGIS it also prints cold tiles at z14 and z16 against a raw `ST_AsMVT`
 * query on the same rows and database (the baseline of issue #17 §3): p50 ms and bytes side by
 * side, with the ratios (targets: ≤ 1.5× the time, ≤ 1.25× the bytes).
 */
import { gzipSync } from 'node:zlib';
import { bbox as turfBbox } from '@turf/turf';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { startupSeeding } from '../seeds/startup.ts';
import { seedDatabase } from '../seeds/load.ts';
import type { BBox } from '../shared/domain.ts';
import { sql } from 'kysely';
import { spatialPath } from '../server/kernel/db/spatial.ts';
import { createPlotTiles } from '../server/modules/tiles/service.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,100000').split(',').map(Number);
const REPEAT = 5;

function tilesFor([w, s, e, n]: BBox, z: number) {
  const t = (lon: number, lat: number) => {
    const k = 2 ** z;
    const r = (lat * Math.PI) / 180;
    return [Math.floor(((lon + 180) / 360) * k), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * k)] as const;
  };
  const [x0, y0] = t(w, n);
  const [x1, y1] = t(e, s);
  const out: string[] = [];
  for (let x = x0; x <= x1; x++) for (let y = y0; y <= y1; y++) out.push(`${z}/${x}/${y}`);
  return out;
}

/** Median server time (ms) and bytes (raw and gzip) of fetching `urls`, fresh (no cache) and revalidated. */
async function measure(app: Awaited<ReturnType<typeof buildApp>>, urls: string[]) {
  const times: number[] = [];
  let bytes = 0;
  let gz = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t0 = performance.now();
    bytes = 0;
    gz = 0;
    for (const url of urls) {
      const res = await app.inject({ method: 'GET', url });
      if (res.statusCode !== 200) throw new Error(`${url} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      bytes += res.rawPayload.length;
      gz += gzipSync(res.rawPayload).length;
    }
    times.push(performance.now() - t0);
  }
  const first = times[0]!; // cold: nothing in the tile cache yet
  times.sort((a, b) => a - b);
  return { first, median: times[Math.floor(REPEAT / 2)]!, bytes, gz };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

for (const n of SIZES) {
  const env = process.env.BENCH_DATABASE_URL
    ? { DATABASE_URL: process.env.BENCH_DATABASE_URL, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }
    : { DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'false' };
  const config = loadConfig(env);
  const app = await buildApp({ config, ...startupSeeding(config) });
  const t0 = performance.now();
  if (process.env.BENCH_SEED !== 'false') await seedDatabase(app.db, { demo: false, plots: n, seed: 'bench' });
  const seedS = ((performance.now() - t0) / 1000).toFixed(1);

  const parks = (await app.inject({ method: 'GET', url: '/api/parks' })).json() as GeoJSON.FeatureCollection;
  const gz: BBox = [113.0, 22.55, 114.0, 23.9];
  // City view (zoom ≈ 9 at 1280×800): what the map fetches — districts, parks, plot tiles at z9.
  const city = ['/api/districts', '/api/parks', ...tilesFor(gz, 9).map((t) => `/api/tiles/plots/${t}.pbf`)];
  // Baseline: the same plots query returning only ids (what "send every plot" would start from).
  const idsT0 = performance.now();
  const ids = await app.db.selectFrom('plots').select('id').execute();
  const idsMs = performance.now() - idsT0;
  const idsBytes = Buffer.byteLength(JSON.stringify(ids.map((r) => r.id)));

  // Park view: the largest park at zoom 14 (its tiles), and the whole park at zoom 12.
  const park = parks.features.reduce((a, b) => (Number(a.properties?.areaM2) > Number(b.properties?.areaM2) ? a : b));
  const pb = turfBbox(park) as BBox;
  const park14 = tilesFor(pb, 14).map((t) => `/api/tiles/plots/${t}.pbf`);
  const park12 = tilesFor(pb, 12).map((t) => `/api/tiles/plots/${t}.pbf`);
  const list = [`/api/plots?parkId=${park.properties?.id}&limit=50000`];

  const rCity = await measure(app, city);
  const r14 = await measure(app, park14);
  const r12 = await measure(app, park12);
  const rList = await measure(app, list);

  console.log(`\n## ${n.toLocaleString('en')} plots (${app.dbKind}; seeded in ${seedS} s)`);
  console.log(`| view | requests | server time (median of ${REPEAT}; cached tiles) | transferred raw | gzip |`);
  console.log('|---|---|---|---|---|');
  console.log(`| city-wide, z9 (districts + parks + plot tiles) | ${city.length} | ${rCity.median.toFixed(1)} ms (first ${rCity.first.toFixed(1)} ms) | ${kb(rCity.bytes)} | ${kb(rCity.gz)} |`);
  console.log(`| baseline: all plot ids only (SQL + JSON) | 1 | ${idsMs.toFixed(1)} ms | ${kb(idsBytes)} | ${kb(gzipSync(JSON.stringify(ids)).length)} |`);
  console.log(`| park ${park.properties?.code} at z12 (plot tiles) | ${park12.length} | ${r12.median.toFixed(1)} ms (first ${r12.first.toFixed(1)} ms) | ${kb(r12.bytes)} | ${kb(r12.gz)} |`);
  console.log(`| park ${park.properties?.code} at z14 (plot tiles) | ${park14.length} | ${r14.median.toFixed(1)} ms (first ${r14.first.toFixed(1)} ms) | ${kb(r14.bytes)} | ${kb(r14.gz)} |`);
  console.log(`| GET /api/plots?parkId (GeoJSON list) | 1 | ${rList.median.toFixed(1)} ms | ${kb(rList.bytes)} | ${kb(rList.gz)} |`);
  if ((await spatialPath(app.db)) === 'postgis') await againstRawMvt(app, config);
  await app.close();
}

/**
 * Cold tiles against the raw `ST_AsMVT` query (STACK-NOTES "PostGIS") on the same rows and
 * database, at z14 and z16, over tiles around up to TILE_SAMPLE plots spread over the data. The
 * PostgreSQL buffers are warmed first for both; "cold" means the app's tile cache is empty
 * (service: a tile service without cache; HTTP: a second app instance with TILE_CACHE_MB=0,
 * through app.inject), each tile REPEAT times, p50 per tile then p50 over the tiles.
 */
async function againstRawMvt(app: Awaited<ReturnType<typeof buildApp>>, config: ReturnType<typeof loadConfig>) {
  const sample = Number(process.env.TILE_SAMPLE ?? 60);
  const pts = await sql<{ x: number; y: number }>`
    WITH s AS (SELECT id, geom, ntile(${sample}::int) OVER (ORDER BY id) AS k FROM plots WHERE status <> 'retired')
    SELECT DISTINCT ON (k) ST_X(ST_PointOnSurface(geom)) AS x, ST_Y(ST_PointOnSurface(geom)) AS y FROM s ORDER BY k, id`.execute(app.db);
  /** The raw query: the plots layer; with `labels` the app's z15+ layout written as plainly (feature ids; the code on a plot_labels layer of the stored label points). */
  const raw = async (z: number, x: number, y: number, labels = false) => {
    const env = sql`ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int)`;
    const rows = sql`SELECT * FROM plots WHERE geom && ST_Transform(ST_TileEnvelope(${z}::int, ${x}::int, ${y}::int, margin => 64.0 / 4096), 4326) AND status <> 'retired'`;
    const r = labels
      ? await sql<{ t: Buffer | null }>`
          WITH p AS MATERIALIZED (${rows})
          SELECT (SELECT ST_AsMVT(q, 'plots', 4096, 'geom', 'id') FROM (
                    SELECT id, park_id, status, land_use, area_m2, sample, ST_AsMVTGeom(ST_Transform(geom, 3857), ${env}, 4096, 64, true) AS geom FROM p) q)
              || (SELECT ST_AsMVT(q, 'plot_labels', 4096, 'geom', 'id') FROM (
                    SELECT id, code, ST_AsMVTGeom(ST_Transform(label_pt, 3857), ${env}, 4096, 64, true) AS geom FROM p) q) AS t`.execute(app.db)
      : await sql<{ t: Buffer | null }>`
          SELECT ST_AsMVT(q, 'plots', 4096, 'geom') AS t FROM (
            SELECT id, code, park_id, status, land_use, area_m2, sample, ST_AsMVTGeom(ST_Transform(geom, 3857), ${env}, 4096, 64, true) AS geom FROM (${rows}) p) q`.execute(app.db);
    return r.rows[0]?.t?.length ?? 0;
  };
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const service = createPlotTiles(app.db, { cacheBytes: 0 });
  // A second app instance without a tile cache (TILE_CACHE_MB=0): every request builds its tile.
  const before = process.env.TILE_CACHE_MB;
  process.env.TILE_CACHE_MB = '0';
  const second = await buildApp({ config, ...startupSeeding(config) });
  if (before === undefined) delete process.env.TILE_CACHE_MB;
  else process.env.TILE_CACHE_MB = before;
  // Its pool's first connection pays PostgreSQL's PROJ set-up once (tens of ms): not a tile's cost.
  await sql`SELECT ST_Transform(ST_SetSRID(ST_MakePoint(113.3, 23.1), 4326), 3857)`.execute(second.db);
  console.log(`\n### Cold tiles vs raw ST_AsMVT (same rows, same database; ${pts.rows.length} sample plots)`);
  console.log('| zoom | tiles | raw ST_AsMVT p50 | app cold p50 (service) | ratio | app cold p50 (HTTP, no tile cache) | ratio | raw bytes | app bytes | ratio |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [z, labels] of [[14, false], [16, false], [16, true]] as const) {
    const tiles = [...new Set(pts.rows.map((p) => tilesFor([p.x, p.y, p.x, p.y], z)[0]!))].map((t) => t.split('/').map(Number) as [number, number, number]);
    for (const [, x, y] of tiles) await raw(z, x, y, labels); // warm the buffers
    const rawMs: number[] = [], appMs: number[] = [], httpMs: number[] = [];
    let rawBytes = 0, appBytes = 0;
    for (const [, x, y] of tiles) {
      const rs: number[] = [], as: number[] = [];
      for (let i = 0; i < REPEAT; i++) {
        let t0 = performance.now();
        const rb = await raw(z, x, y, labels);
        rs.push(performance.now() - t0);
        t0 = performance.now();
        const tile = await service.getTile(z, x, y);
        as.push(performance.now() - t0);
        if (i === 0) {
          rawBytes += rb;
          appBytes += tile.body.length;
        }
      }
      rawMs.push(p50(rs));
      appMs.push(p50(as));
    }
    // Through HTTP (app.inject) on the uncached instance.
    if (!labels) {
      for (const [, x, y] of tiles) {
        const hs: number[] = [];
        for (let i = 0; i < REPEAT; i++) {
          const t0 = performance.now();
          const res = await second.inject({ method: 'GET', url: `/api/tiles/plots/${z}/${x}/${y}.pbf` });
          hs.push(performance.now() - t0);
          if (res.statusCode !== 200) throw new Error(`tile ${z}/${x}/${y} → ${res.statusCode}`);
        }
        httpMs.push(p50(hs));
      }
    }
    const r = p50(rawMs), a = p50(appMs);
    const http = httpMs.length ? `${p50(httpMs).toFixed(2)} ms | ×${(p50(httpMs) / r).toFixed(2)}` : '— | —';
    console.log(`| z${z}${labels ? ' (raw with plot_labels too)' : ''} | ${tiles.length} | ${r.toFixed(2)} ms | ${a.toFixed(2)} ms | ×${(a / r).toFixed(2)} | ${http} | ${kb(rawBytes)} | ${kb(appBytes)} | ×${(appBytes / Math.max(1, rawBytes)).toFixed(2)} |`);
  }
  console.log('(from z15 the app tiles carry the code on a plot_labels layer — one stored point per plot — instead of on the polygons; the last row is that layout written as a raw query)');
  await second.close();
}
