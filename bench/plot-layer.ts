/**
 * Plot layer cost at 1,000 and 100,000 plots (TARGETS.md "Scale and speed"): what a city-wide
 * view and a park-level view transfer, and the server time to produce it, measured through
 * `app.inject` (server time, no network). Prints figures; asserts nothing.
 *
 *   npm run bench:plots                                  # PGlite in memory
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1/x npm run bench:plots   # a scratch PostgreSQL db (emptied!)
 */
import { gzipSync } from 'node:zlib';
import { bbox as turfBbox } from '@turf/turf';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { startupSeeding } from '../seeds/startup.ts';
import { seedDatabase } from '../seeds/load.ts';
import type { BBox } from '../shared/domain.ts';

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
  await seedDatabase(app.db, { demo: false, plots: n, seed: 'bench' });
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
  await app.close();
}
