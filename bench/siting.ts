/**
 * `POST /api/siting/rank` over 100,000 plots on PostgreSQL (issue #16 §5: p95 ≤ 200 ms).
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:siting
 *
 * Seeds a scratch database with BENCH_PLOTS (default 100,000) generated plots (bench/harness.ts),
 * then, for a few realistic requirement sets and a worst case, times BENCH_RUNS (default 20, after 3 warm-up runs)
 * sequential calls of the service the route calls (`rankPlots`, in this process: the SQL, the hub
 * distances, the scoring and the answer's data version) next to the baseline — the same
 * hard-requirement statement alone (`requirementRows`: the rows that pass and the counts per
 * requirement), no distances, no scoring. Prints p50 and p95 (ms) and the candidates scored.
 * Without BENCH_DATABASE_URL it says so and stops: the target is for PostgreSQL.
 */
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { NO_CALLER } from '../server/kernel/caller.ts';
import { loadReference } from '../server/modules/reference/service.ts';
import { rankPlots } from '../server/modules/siting/service.ts';
import { requirementRows } from '../server/modules/siting/repository.ts';
import type { SitingRequirements } from '../shared/contract/siting.ts';
import { scratchDatabase, seedPlots } from './harness.ts';

const BASE_URL = process.env.BENCH_DATABASE_URL;
const PLOTS = Number(process.env.BENCH_PLOTS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 20);
const WARMUP = 3;

if (!BASE_URL) {
  console.log('bench:siting needs PostgreSQL: set BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres');
  process.exit(0);
}

// The generator packs 100,000 plots into the twelve parks, ≈ 100× smaller than real plots
// (31–712 m², 0.05–1.07 亩; bench/viewport.ts says the same), so the area ranges are scaled by
// 1/100 to select the share of plots a real range would: "0.3–0.8 亩" stands for 30–80 亩.
const SETS: [string, SitingRequirements][] = [
  ['biomed "30–80 亩" (0.3–0.8), ≤ 800 元/m², airport ≤ 40 km, serviced', { sector: 'biomed', areaMuMin: 0.3, areaMuMax: 0.8, maxPriceYuanPerM2: 800, near: [{ kind: 'airport', maxKm: 40 }], serviced: true }],
  ['ai "50–60 亩" (0.5–0.6), rail ≤ 15 km, weights price 3 · access 1', { sector: 'ai', areaMuMin: 0.5, areaMuMax: 0.6, near: [{ kind: 'rail', maxKm: 15 }], weights: { price: 3, access: 1 } }],
  ['other "5–50 亩", M1/M2, transfer, 3 districts, 标准地 figures', {
    sector: 'other', areaMuMin: 0.05, areaMuMax: 0.5, landUse: ['M1', 'M2'], supplyMode: 'transfer', districtCodes: ['440112', '440114', '440115'],
    project: { investmentIntensityYuanPerM2: 6000, taxPerMuYuan: 300000 },
  }],
  ['worst case: ngit 0–1000 亩, every available plot a candidate', { sector: 'ngit', areaMuMin: 0, areaMuMax: 1000 }],
];

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

async function time(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < WARMUP; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return { p50: pct(ms, 50), p95: pct(ms, 95) };
}

const db = await scratchDatabase(BASE_URL);
try {
  const seedS = await seedPlots(db.url, PLOTS);
  const c = new pg.Client({ connectionString: db.url });
  await c.connect();
  await c.query('VACUUM ANALYZE'); // statistics and the visibility map, as autovacuum keeps them on a live database
  await c.end();
  const app = await buildApp({ config: loadConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent', SEED_DEMO: 'false', IAB_SKIP_CLIENT_BUILD: '1' }) });
  try {
    const rows: string[] = [];
    let worst = 0;
    for (const [label, req] of SETS) {
      const realistic = !label.startsWith('worst');
      const first = await rankPlots(app.db, NO_CALLER, req);
      const baseline = await time(async () => requirementRows(app.db, await loadReference(app.db), req));
      const ranked = await time(() => rankPlots(app.db, NO_CALLER, req));
      if (realistic) worst = Math.max(worst, ranked.p95);
      rows.push(
        `  ${label}\n` +
        `    candidates ${first.candidates.toLocaleString('en')} of ${first.excluded.considered.toLocaleString('en')} live plots\n` +
        `    baseline (hard-requirement SQL only)  p50 ${baseline.p50.toFixed(1)} ms   p95 ${baseline.p95.toFixed(1)} ms\n` +
        `    rank (SQL + distances + scoring)       p50 ${ranked.p50.toFixed(1)} ms   p95 ${ranked.p95.toFixed(1)} ms`,
      );
    }
    console.log(`\nSiting rank — PostgreSQL, ${PLOTS.toLocaleString('en')} plots (seeded in ${seedS.toFixed(1)} s), ${RUNS} sequential runs per set after ${WARMUP} warm-up, in process`);
    for (const r of rows) console.log(r);
    console.log(`  target p95 ≤ 200 ms on the realistic sets → ${worst <= 200 ? 'met' : 'NOT met'} (their worst p95 ${worst.toFixed(1)} ms)`);
  } finally {
    await app.close();
  }
} finally {
  await db.drop();
}
