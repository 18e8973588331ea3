/**
 * `GET /api/plots` viewport queries with BENCH_PLOTS plots on PostgreSQL (issue #17: 1,000,000;
 * target p95 ≤ 50 ms for views of ≤ 500 parcels), and the server's memory at rest and under the
 * load (target RSS ≤ 300 MB).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:viewport
 *
 * Seeds a scratch database with BENCH_PLOTS (default 100,000) generated plots — from 20,000 on
 * the realistic zones layout (500–50,000 m², median ≈ 3,000 m²; seeds/README.md) — or uses
 * BENCH_SEEDED_URL as it is, starts the real server as a child process (`server/main.ts`, as in
 * production), and from 16 clients in a worker thread runs for BENCH_SECONDS (default 10) each:
 * `GET /api/health` (the baseline: the framework and the network, no query) and
 * `GET /api/plots?bbox=…` over 1280×800 viewports at zooms 15–18 (BENCH_ZOOMS=15,16,17,18) centred on random plots; the
 * plots per view are printed beside each figure. Prints req/s, p50, p95 and the server's RSS
 * (read from /proc) after start, under the load and after it. Without BENCH_DATABASE_URL it says
 * so and stops: the target is for PostgreSQL.
 */
import pg from 'pg';
import { benchDatabase, formatLoad as fmt, httpLoad, startServer, type ServerChild } from './harness.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL;
const PLOTS = Number(process.env.BENCH_PLOTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 16;
const PORT = Number(process.env.BENCH_PORT ?? 3120);

if (!BASE_URL) {
  console.log('bench:viewport needs PostgreSQL: set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(0);
}

const db = await benchDatabase(BASE_URL, PLOTS);

const load = (base: string, paths: string[]) =>
  httpLoad(base, { 'accept-encoding': 'gzip' }, paths.map((path) => ({ method: 'GET', path, want: 200 })), { clients: CLIENTS, durationMs: SECONDS * 1000 });

let server: ServerChild | null = null;
try {
  // Viewport centres: random plots.
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const pts = (await c.query<{ x: number; y: number }>('select (center(bbox))[0] as x, (center(bbox))[1] as y from plots order by md5(id::text) limit 500')).rows;
  await c.end();
  // A 1280×800 px view at zoom z: 5 × 360/2^z degrees wide, 3.125 × 360/2^z × cos(lat) high.
  const views = (z: number) => pts.map(({ x, y }) => {
    const w = (5 * 360) / 2 ** z / 2;
    const h = ((3.125 * 360) / 2 ** z) * Math.cos((y * Math.PI) / 180) / 2;
    return `/api/plots?bbox=${(x - w).toFixed(5)},${(y - h).toFixed(5)},${(x + w).toFixed(5)},${(y + h).toFixed(5)}`;
  });
  const ZOOMS = (process.env.BENCH_ZOOMS ?? '15,16,17,18').split(',').map(Number);

  server = await startServer(db.url, PORT);
  const base = server.base;
  await new Promise((r) => setTimeout(r, 2000));
  const rssStart = server.rssMb();
  // RSS sampled every 200 ms while the load runs: the figure under load, not only at rest.
  let rssPeak = rssStart;
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, server!.rssMb())), 200);
  const health = await load(base, ['/api/health']);
  const rows: string[] = [];
  let targetZoom: number | null = null;
  const small: { z: number; p95: number }[] = [];
  for (const z of ZOOMS) {
    const paths = views(z);
    const counts: number[] = [];
    for (const path of paths.slice(0, 25)) counts.push(((await (await fetch(base + path)).json()) as { features: unknown[] }).features.length);
    counts.sort((a, b) => a - b);
    const peakBefore = rssPeak;
    rssPeak = server.rssMb();
    const r = await load(base, paths);
    const zoomPeak = rssPeak;
    rssPeak = Math.max(peakBefore, rssPeak);
    if (targetZoom === null && r.p95 <= 50 && r.perSecond >= 1000) targetZoom = z;
    if (counts[counts.length - 1]! <= 500) small.push({ z, p95: r.p95 });
    rows.push(`  GET /api/plots?bbox= at z${z}   ${fmt(r)}   (median ${counts[counts.length >> 1]} plots per view, max ${counts[counts.length - 1]}; RSS peak ${zoomPeak.toFixed(0)} MB)`);
  }
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 5000));
  const rssAfter = server.rssMb();

  console.log(`\nViewport queries — PostgreSQL, ${db.plots.toLocaleString('en')} plots (${db.seededS === null ? 'an existing dataset' : `seeded in ${db.seededS.toFixed(1)} s`}), ${CLIENTS} clients, ${SECONDS} s each, server in its own process`);
  console.log(`  baseline GET /api/health    ${fmt(health)}`);
  for (const row of rows) console.log(row);
  console.log(`  target p95 ≤ 50 ms and ≥ 1,000 req/s → ${targetZoom === null ? 'NOT met at any zoom measured' : `met from z${targetZoom}`}`);
  console.log(`  views of ≤ 500 parcels (max per view): ${small.length ? small.map((v) => `z${v.z} p95 ${v.p95.toFixed(1)} ms`).join(', ') : 'none measured'}; target p95 ≤ 50 ms → ${small.length && small.every((v) => v.p95 <= 50) ? 'met' : 'NOT met'}`);
  console.log(`  server RSS: ${rssStart.toFixed(0)} MB after start, peak ${rssPeak.toFixed(0)} MB under the load, ${rssAfter.toFixed(0)} MB 5 s after; target ≤ 300 MB → ${Math.max(rssStart, rssPeak, rssAfter) <= 300 ? 'met' : 'NOT met'}`);
} finally {
  await server?.stop();
  await db.drop();
}
