/**
 * `GET /api/plots` viewport queries with 100,000 plots on PostgreSQL, and the server's memory.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:viewport
 *
 * Seeds a scratch database with BENCH_PLOTS (default 100,000) generated plots, starts the real
 * server as a child process (`server/main.ts`, as in production), and from 16 clients in a worker
 * thread runs for BENCH_SECONDS (default 10) each: `GET /api/health` (the baseline: the
 * framework and the network, no query) and `GET /api/plots?bbox=…` over 1280×800 viewports at
 * zooms 15, 17 and 18 centred on random plots. The generator packs 100,000 plots into the twelve
 * parks (≈ 230 m² each, about 100× smaller than real plots), so a view holds far more plots than
 * it would with real data; the plots per view are printed beside each figure. Prints req/s, p50, p95 and the server's RSS at rest
 * before and after the load (read from /proc). Without BENCH_DATABASE_URL it says so and stops:
 * the target is for PostgreSQL.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { seedDatabase } from '../seeds/load.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL;
const PLOTS = Number(process.env.BENCH_PLOTS ?? 100_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CLIENTS = 16;
const PORT = Number(process.env.BENCH_PORT ?? 3120);

if (!BASE_URL) {
  console.log('bench:viewport needs PostgreSQL: set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(0);
}

const name = `iab_bench_${randomBytes(5).toString('hex')}`;
const admin = new pg.Client({ connectionString: BASE_URL });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const url = new URL(BASE_URL);
url.pathname = `/${name}`;
const dbUrl = url.toString();

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function load(base: string, paths: string[]) {
  const out = await new Promise<{ ms: number; latencies: number[]; error: string | null; count: number }>((resolve, reject) => {
    const w = new Worker(new URL('./http-clients.mjs', import.meta.url), {
      workerData: { base, headers: { 'accept-encoding': 'gzip' }, clients: CLIENTS, durationMs: SECONDS * 1000, requests: paths.map((path) => ({ method: 'GET', path, want: 200 })) },
    });
    w.once('message', resolve);
    w.once('error', reject);
  });
  if (out.error) throw new Error(out.error);
  const l = out.latencies.sort((a, b) => a - b);
  const pct = (p: number) => l[Math.min(l.length - 1, Math.floor((p / 100) * l.length))]!;
  return { perSecond: (out.count / out.ms) * 1000, p50: pct(50), p95: pct(95) };
}

const fmt = (r: { perSecond: number; p50: number; p95: number }) => `${r.perSecond.toFixed(0).padStart(6)} req/s   p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms`;

let child: ReturnType<typeof spawn> | null = null;
try {
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: dbUrl, LOG_LEVEL: 'silent', SEED_DEMO: 'false' }) });
  const t0 = performance.now();
  await seedDatabase(app.db, { demo: false, plots: PLOTS, seed: 'bench' });
  const seedS = (performance.now() - t0) / 1000;
  // Viewport centres: random plots (a z14 view at 1280×800 is about 0.055° × 0.044°).
  const centres = await sql<{ x: number; y: number }>`
    select (center(bbox))[0] as x, (center(bbox))[1] as y from plots order by md5(id::text) limit 500`.execute(app.db);
  await app.close();
  const pts = centres.rows;
  // A 1280×800 px view at zoom z: 5 × 360/2^z degrees wide, 3.125 × 360/2^z × cos(lat) high.
  const views = (z: number) => pts.map(({ x, y }) => {
    const w = (5 * 360) / 2 ** z / 2;
    const h = ((3.125 * 360) / 2 ** z) * Math.cos((y * Math.PI) / 180) / 2;
    return `/api/plots?bbox=${(x - w).toFixed(5)},${(y - h).toFixed(5)},${(x + w).toFixed(5)},${(y + h).toFixed(5)}`;
  });
  const ZOOMS = [15, 17, 18];

  child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(PORT), LOG_LEVEL: 'warn', SEED_DEMO: 'false', IAB_SKIP_CLIENT_BUILD: '1', RATE_LIMIT_PER_MINUTE: '1000000' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${PORT}`;
  for (let i = 0; ; i++) {
    const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 600) throw new Error('the server did not start in 60 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const rssStart = rssMb(child.pid!);
  const health = await load(base, ['/api/health']);
  const rows: string[] = [];
  let targetZoom: number | null = null;
  for (const z of ZOOMS) {
    const paths = views(z);
    const counts: number[] = [];
    for (const path of paths.slice(0, 25)) counts.push(((await (await fetch(base + path)).json()) as { features: unknown[] }).features.length);
    counts.sort((a, b) => a - b);
    const r = await load(base, paths);
    if (targetZoom === null && r.p95 <= 50 && r.perSecond >= 1000) targetZoom = z;
    rows.push(`  GET /api/plots?bbox= at z${z}   ${fmt(r)}   (median ${counts[counts.length >> 1]} plots per view, max ${counts[counts.length - 1]})`);
  }
  await new Promise((r) => setTimeout(r, 5000));
  const rssAfter = rssMb(child.pid!);

  console.log(`\nViewport queries — PostgreSQL, ${PLOTS.toLocaleString('en')} plots (seeded in ${seedS.toFixed(1)} s), ${CLIENTS} clients, ${SECONDS} s each, server in its own process`);
  console.log(`  baseline GET /api/health    ${fmt(health)}`);
  for (const row of rows) console.log(row);
  console.log(`  target p95 ≤ 50 ms and ≥ 1,000 req/s → ${targetZoom === null ? 'NOT met at any zoom measured' : `met from z${targetZoom}`}`);
  console.log(`  server RSS at rest: ${rssStart.toFixed(0)} MB after start, ${rssAfter.toFixed(0)} MB 5 s after the load; target ≤ 300 MB → ${Math.max(rssStart, rssAfter) <= 300 ? 'met' : 'NOT met'}`);
} finally {
  child?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1000));
  const c = new pg.Client({ connectionString: BASE_URL });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await c.end();
}
