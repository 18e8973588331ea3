/**
 * What the PostgreSQL benches share: a scratch database (created, dropped at the end), seeding it
 * with N generated plots, and the real server started as a child process on it (as in
 * production, so the bench's own work never shares the server's event loop); signing in over
 * HTTP, generated credit codes, and the allocation and quota invariants checked after a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import pg from 'pg';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { startupSeeding } from '../seeds/startup.ts';
import { seedDatabase } from '../seeds/load.ts';
import { DEMO_PASSWORD } from '../seeds/users.ts';
import { usccCheckChar } from '../shared/uscc.ts';

export interface Scratch {
  url: string;
  drop: () => Promise<void>;
}

/** A fresh database `iab_bench_<random>` next to `baseUrl`'s; `drop()` removes it. */
export async function scratchDatabase(baseUrl: string): Promise<Scratch> {
  const name = `iab_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * The database a read-only bench runs on: BENCH_SEEDED_URL as it is (e.g. one seeded once with
 * `npm run db:seed -- --plots 1000000`, reused by several benches; never dropped), or a scratch
 * database beside `baseUrl` seeded with `plots` generated plots (dropped at the end).
 */
export async function benchDatabase(baseUrl: string, plots: number): Promise<Scratch & { seededS: number | null; plots: number }> {
  const seeded = process.env.BENCH_SEEDED_URL;
  if (seeded) {
    const c = new pg.Client({ connectionString: seeded });
    await c.connect();
    const n = (await c.query<{ n: number }>(`select count(*)::int as n from plots where status <> 'retired'`)).rows[0]!.n;
    await c.end();
    return { url: seeded, drop: async () => {}, seededS: null, plots: n };
  }
  const db = await scratchDatabase(baseUrl);
  try {
    return { ...db, seededS: await seedPlots(db.url, plots), plots };
  } catch (e) {
    await db.drop();
    throw e;
  }
}

/** Migrates and seeds `url` with `plots` generated plots; returns the seconds it took. */
export async function seedPlots(url: string, plots: number): Promise<number> {
  const config = loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'silent', SEED_DEMO: 'false' });
  const app = await buildApp({ config, ...startupSeeding(config) });
  await app.close();
  // As the scratch database's superuser (the tables' owner's rights), as `npm run db:seed` seeds:
  // a large load then rebuilds the plots' secondary indexes once instead of row by row.
  const owner = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  try {
    const t0 = performance.now();
    await seedDatabase(owner, { demo: false, plots, seed: 'bench' });
    return (performance.now() - t0) / 1000;
  } finally {
    await owner.destroy();
  }
}

export interface ServerChild {
  base: string;
  child: ChildProcess;
  /** Resident memory of the server process, MB (from /proc). */
  rssMb: () => number;
  stop: () => Promise<void>;
}

/** Starts `server/main.ts` on `databaseUrl` and resolves when `/api/health` answers. */
export async function startServer(databaseUrl: string, port: number, env: Record<string, string> = {}): Promise<ServerChild> {
  // As `npm start` runs it: its node flags and script, read from package.json (a 4 MB young
  // generation and an old generation grown by half its live size before a full GC keep the RSS
  // down under load).
  const start = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }).scripts.start;
  const [node, ...args] = start.trim().split(/\s+/);
  if (node !== 'node' || args.at(-1) !== 'server/main.ts') throw new Error(`package.json's start script is not "node … server/main.ts": ${start}`);
  const child = spawn(process.execPath, args, {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: 'false', IAB_SKIP_CLIENT_BUILD: '1', RATE_LIMIT_PER_MINUTE: '1000000', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null || i > 600) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start on port ${port}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    base,
    child,
    rssMb: () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) / 1024 : NaN;
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export interface LoadRequest {
  method: string;
  path: string;
  body?: unknown;
  /** The expected status; anything else stops the run with the server's message. */
  want: number;
}

export interface LoadResult {
  perSecond: number;
  p50: number;
  p95: number;
  /** Parsed JSON answers, one per request (not kept in a timed run). */
  results: { id?: number }[];
}

/**
 * Runs `requests` from `clients` concurrent loops in a worker thread (bench/http-clients.mjs), so
 * the bench's client work never shares the event loop of a server in this process. With
 * `durationMs` the requests are cycled until that time has passed.
 */
export async function httpLoad(base: string, headers: Record<string, string>, requests: LoadRequest[], opts: { clients: number; durationMs?: number }): Promise<LoadResult> {
  const out = await new Promise<{ ms: number; latencies: number[]; results: { id?: number }[]; error: string | null; count: number }>((resolve, reject) => {
    const w = new Worker(new URL('./http-clients.mjs', import.meta.url), { workerData: { base, headers, clients: opts.clients, durationMs: opts.durationMs, requests } });
    w.once('message', resolve);
    w.once('error', reject);
  });
  if (out.error) throw new Error(out.error);
  const l = out.latencies.sort((a, b) => a - b);
  const pct = (p: number) => l[Math.min(l.length - 1, Math.floor((p / 100) * l.length))]!;
  return { perSecond: (out.count / out.ms) * 1000, p50: pct(50), p95: pct(95), results: out.results };
}

export const formatLoad = (r: { perSecond: number; p50: number; p95: number }, unit = 'req/s') =>
  `${r.perSecond.toFixed(0).padStart(6)} ${unit}   p50 ${r.p50.toFixed(1)} ms   p95 ${r.p95.toFixed(1)} ms`;

/** Signs `username` (a demo account) in through POST /api/auth/login; returns the session cookie (`name=value`). */
export async function login(base: string, username: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify({ username, password: DEMO_PASSWORD }) });
  if (r.status !== 200) throw new Error(`login ${username} → ${r.status} ${await r.text()}`);
  return (r.headers.get('set-cookie') ?? '').split(';')[0]!;
}

/** The n-th generated 统一社会信用代码 (91440101 + n in 9 digits + its check character). */
export function usccFor(n: number): string {
  const body = `91440101${String(n).padStart(9, '0')}`;
  return body + usccCheckChar(body);
}

/**
 * The allocation and quota invariants, as rows `(what, n)` of a UNION ALL where n counts the
 * violations: one active allocation per plot, no year over its quota (nor non-IAB over quota −
 * reserve), cached year totals equal to the ledger, every active allocation's plot allocated,
 * every approved allocation charged exactly once, every allocated plot with exactly one active
 * allocation (allocated ⇔ one active allocation, with the line before). Run it, or `union all` more checks onto it.
 */
export const allocationInvariants = sql<{ what: string; n: number }>`
  select 'plots with more than one active allocation' as what, count(*)::int as n from (
    select plot_id from allocations where status in ('approved', 'contracted', 'completed') group by plot_id having count(*) > 1) x
  union all select 'years with approved > quota', count(*)::int from quotas where approved_m2 > quota_m2
  union all select 'years with non-IAB approved > quota − reserve', count(*)::int from quotas where approved_m2 - iab_approved_m2 > quota_m2 - iab_reserve_m2
  union all select 'years whose cached totals differ from the ledger', count(*)::int from quotas q
    where q.approved_m2 <> (select coalesce(sum(area_m2), 0) from quota_ledger l where l.year = q.year)
       or q.iab_approved_m2 <> (select coalesce(sum(area_m2) filter (where iab), 0) from quota_ledger l where l.year = q.year)
  union all select 'active allocations whose plot is not allocated', count(*)::int from allocations a join plots p on p.id = a.plot_id
    where a.status in ('approved', 'contracted', 'completed') and p.status <> 'allocated'
  union all select 'approved allocations without exactly one charge', count(*)::int from allocations a
    where a.status = 'approved' and (select count(*) from quota_ledger l where l.allocation_id = a.id and l.kind = 'charge') <> 1
  union all select 'allocated plots without exactly one active allocation', count(*)::int from plots p
    where p.status = 'allocated' and (select count(*) from allocations a where a.plot_id = p.id and a.status in ('approved', 'contracted', 'completed')) <> 1`;
