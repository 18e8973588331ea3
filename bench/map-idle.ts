/**
 * The map in headless Chromium with BENCH_PLOTS (default 100,000; issue #17: 1,000,000) plots:
 * time from navigation to the map's first `idle` (everything loaded and drawn) at the city view,
 * at one park and at the densest z14 view, against a bare maplibre page with a few polygons (the
 * baseline: what maplibre itself costs here). Targets: city view ≤ 1.5 s, dense z14 ≤ 2.5 s.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:map
 *
 * The server runs as a child process on a scratch database; each measurement is a fresh browser
 * context (cold cache), median of BENCH_RUNS (default 5). Needs Chromium (/usr/bin/chromium).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Browser } from 'playwright-core';
import { buildClientIfStale, hasChromium, launchBrowser, newContext, skipReason } from '../tests/e2e/browser.ts';
import pg from 'pg';
import { benchDatabase, startServer, type ServerChild } from './harness.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL;
const PLOTS = Number(process.env.BENCH_PLOTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PORT = Number(process.env.BENCH_PORT ?? 3121);

if (!BASE_URL || !hasChromium) {
  console.log(!BASE_URL ? 'bench:map needs PostgreSQL: set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres' : skipReason);
  process.exit(0);
}

const MAPLIBRE_DIST = path.dirname(createRequire(import.meta.url).resolve('maplibre-gl/dist/maplibre-gl.css'));
const MAPLIBRE_CSS = fs.readFileSync(path.join(MAPLIBRE_DIST, 'maplibre-gl.css'), 'utf8');

/** A bare page: maplibre, a background and a few polygons from an inline GeoJSON source. */
const BARE_PAGE = `<!doctype html><html><head><meta charset="utf-8"><style>${MAPLIBRE_CSS} html,body,#m{margin:0;height:100%}</style>
</head><body><div id="m"></div><script type="module">
import * as maplibregl from '/maplibre-gl.mjs';
maplibregl.setWorkerUrl('/maplibre-gl-worker.mjs');
const sq = (x, y, d) => ({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]] } });
const map = new maplibregl.Map({ container: 'm', center: [113.4, 23.2], zoom: 9, style: { version: 8, sources: {
  p: { type: 'geojson', data: { type: 'FeatureCollection', features: [sq(113.2, 23.1, 0.05), sq(113.4, 23.2, 0.05), sq(113.5, 23.0, 0.05)] } } },
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f6f4ef' } }, { id: 'p', type: 'fill', source: 'p', paint: { 'fill-color': '#2a6' } }] } });
window.__map = map;
</script></body></html>`;

/** Milliseconds from navigation start to the map's first complete `idle`. */
async function timeToIdle(browser: Browser, url: string, bare: boolean): Promise<number> {
  const context = await newContext(browser);
  try {
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`  page error at ${url}: ${err.message}`));
    // (A 401 is the app asking who is signed in — nobody here.)
    page.on('console', (m) => { if (m.type() === 'error' && !m.text().includes('401')) console.error(`  console error at ${url}: ${m.text()}`); });
    if (bare) {
      await page.route('http://bare.test/**', (route) => {
        const u = new URL(route.request().url());
        const file = /^\/(maplibre-gl[\w-]*\.mjs)$/.exec(u.pathname);
        if (file) return route.fulfill({ contentType: 'text/javascript', body: fs.readFileSync(path.join(MAPLIBRE_DIST, file[1]!), 'utf8') });
        return route.fulfill({ contentType: 'text/html', body: BARE_PAGE });
      });
    }
    await page.goto(url);
    await page.waitForFunction(() => (window as unknown as { __map?: unknown }).__map !== undefined, null, { timeout: 60_000 });
    // No named inner functions: tsx would wrap them in a helper the page doesn't have.
    return await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const map = (window as unknown as { __map: { loaded(): boolean; areTilesLoaded(): boolean; isMoving(): boolean; once(e: string, f: () => void): void } }).__map;
          if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) resolve(performance.now());
          else map.once('idle', () => resolve(performance.now()));
        }),
    );
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

await buildClientIfStale();
const db = await benchDatabase(BASE_URL, PLOTS);
let server: ServerChild | null = null;
let browser: Browser | null = null;
try {
  server = await startServer(db.url, PORT);
  browser = await launchBrowser();
  const parks = (await (await fetch(`${server.base}/api/parks`)).json()) as { features: { properties: { id: number } }[] };
  const park = parks.features[0]!.properties.id;
  // The densest z14 view: the ≈ 0.02° cell holding the most live plots.
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  const dense = (await c.query<{ x: number; y: number; n: number }>(
    `select avg((center(bbox))[0]) as x, avg((center(bbox))[1]) as y, count(*)::int as n from plots where status <> 'retired'
      group by floor((center(bbox))[0] / 0.02), floor((center(bbox))[1] / 0.02) order by count(*) desc limit 1`,
  )).rows[0]!;
  await c.end();
  const views = [
    { name: 'bare maplibre page, 3 polygons (baseline)', url: 'http://bare.test/', bare: true },
    { name: 'city view (z9: districts, parks)', url: `${server.base}/?lng=113.45&lat=23.2&z=9`, bare: false },
    { name: `one park (park=${park}, plots as tiles)`, url: `${server.base}/?park=${park}`, bare: false },
    { name: `densest z14 view (${dense.n} plots in 0.02°)`, url: `${server.base}/?lng=${Number(dense.x).toFixed(5)}&lat=${Number(dense.y).toFixed(5)}&z=14`, bare: false },
  ];
  console.log(`\nMap in headless Chromium — ${db.plots.toLocaleString('en')} plots on PostgreSQL (${db.seededS === null ? 'an existing dataset' : `seeded in ${db.seededS.toFixed(1)} s`}), 1280×800, cold context each run, median of ${RUNS}`);
  const results: number[] = [];
  for (const v of views) {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await timeToIdle(browser, v.url, v.bare));
    results.push(median(times));
    console.log(`  ${v.name.padEnd(44)} idle after ${median(times).toFixed(0).padStart(5)} ms   (min ${Math.min(...times).toFixed(0)}, max ${Math.max(...times).toFixed(0)})`);
  }
  console.log(`  city view / baseline: ${(results[1]! / results[0]!).toFixed(2)}`);
  console.log(`  target: city view idle ≤ 1,500 ms → ${results[1]! <= 1500 ? 'met' : 'NOT met'}; densest z14 view ≤ 2,500 ms → ${results[3]! <= 2500 ? 'met' : 'NOT met'} (${(results[3]! / results[0]!).toFixed(2)}× the baseline)`);
} finally {
  await browser?.close();
  await server?.stop();
  await db.drop();
}
