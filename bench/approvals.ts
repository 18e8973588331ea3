/**
 * Allocation approvals per second with 16 concurrent clients (TARGETS.md: ≥ 200 approvals/s on
 * PostgreSQL, 0 invariant violations), through real HTTP, beside a baseline measured in the same
 * run: a one-row `UPDATE` per transaction through `pg` with 16 clients (the same row for all —
 * like the quota year every approval of a year locks — right before and right after the
 * approvals, and one row per client). Prints figures, approvals ÷ the same-row baseline (issue
 * #17: ≥ 0.12) and the invariant check; asserts nothing.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:approvals
 *
 * A scratch database is created beside BENCH_DATABASE_URL and dropped afterwards. Without
 * BENCH_DATABASE_URL it runs on in-memory PGlite (one connection: no baseline, figures for
 * information only). BENCH_APPROVALS (default 2000) sets how many approvals are timed. The land
 * officer proposes and the administrator approves: with PostgreSQL four eyes is on by default
 * (APPROVAL_FOUR_EYES), so the bench measures the production setting.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { sql } from 'kysely';
import { buildApp } from '../server/app.ts';
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { startupSeeding } from '../seeds/startup.ts';
import { seedDatabase } from '../seeds/load.ts';
import { allocationInvariants, formatLoad, httpLoad as load, login, scratchDatabase, usccFor, type LoadRequest } from './harness.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 16);
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 2000);
const YEAR = 2030;
const BASE_URL = process.env.BENCH_DATABASE_URL;

/** Runs `work(i)` for i in 0..n−1 on `clients` concurrent loops; returns elapsed ms and latencies. */
async function loops(n: number, clients: number, work: (i: number) => Promise<void>) {
  let next = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (;;) {
        const i = next++;
        if (i >= n) return;
        const s = performance.now();
        await work(i);
        latencies.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { ms, perSecond: (n / ms) * 1000, p50: pct(50), p95: pct(95) };
}

/** user+system CPU ms of a thread or process from /proc (Linux; null elsewhere). */
function procCpuMs(path: string): number | null {
  try {
    const f = fs.readFileSync(path, 'utf8');
    const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return null;
  }
}

/**
 * The CPU used so far by this process's main thread (the server's event loop: the HTTP clients
 * run in a worker) and by each backend of the bench's database (same machine only); null on
 * PGlite or when /proc cannot tell.
 */
async function cpuSnapshot(): Promise<{ nodeMs: number; backends: Map<number, number> } | null> {
  if (!db) return null;
  const nodeMs = procCpuMs(`/proc/self/task/${process.pid}/stat`);
  if (nodeMs === null) return null;
  const { rows } = await sql<{ pid: number }>`select pid from pg_stat_activity where datname = current_database()`.execute(app.db);
  const backends = new Map<number, number>();
  for (const r of rows) {
    const ms = procCpuMs(`/proc/${r.pid}/stat`);
    if (ms === null) return null; // not on this machine (or not readable)
    backends.set(r.pid, ms);
  }
  return { nodeMs, backends };
}

/**
 * BENCH_PROFILE=file.cpuprofile: the server's CPU profile (V8's, as `node --cpu-prof` writes it;
 * open it in Chrome's DevTools) of the measured approvals only, not of the setup or the baseline.
 */
async function startProfile(): Promise<{ stop: () => Promise<void> } | null> {
  const file = process.env.BENCH_PROFILE;
  if (!file) return null;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    stop: async () => {
      const { profile } = await session.post('Profiler.stop');
      fs.writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      console.log(`  CPU profile of the approvals: ${file}`);
    },
  };
}

const httpLoad = (base: string, headers: Record<string, string>, requests: LoadRequest[]) => load(base, headers, requests, { clients: CLIENTS });

const fmt = (r: { perSecond: number; p50: number; p95: number }) => formatLoad(r, '/s');

const db = BASE_URL ? await scratchDatabase(BASE_URL) : null;
const kind = db ? 'PostgreSQL' : 'PGlite (in memory; set BENCH_DATABASE_URL for PostgreSQL)';
const env = db
  ? { DATABASE_URL: db.url, LOG_LEVEL: 'silent', SEED_DEMO: 'true' }
  : { DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true' };
const config = loadConfig(env);
// The bench opens the database itself so it can re-seed as the tables' owner (as `npm run db:seed`
// does): the app's queries run as the app role once it exists (`iab_app`, created by any earlier
// run on this cluster), and replacing the sample plots needs the owner.
const handle = await connectDatabase(config);
const app = await buildApp({ config, database: handle, ...startupSeeding(config) });
try {
  // Enough available plots: the generator makes about 70 % of them available.
  await handle.asOwner((owner) => seedDatabase(owner, { demo: true, plots: Math.ceil(APPROVALS / 0.65) + 50 }));
  // Available plots with their land cost recorded (the seed leaves a few without, to show that state: no floor, no proposal).
  const plots = await app.db.selectFrom('plots').select('id').where('status', '=', 'available').where('cost_yuan', 'is not', null).orderBy('id').limit(APPROVALS).execute();
  if (plots.length < APPROVALS) throw new Error(`only ${plots.length} available plots for ${APPROVALS} approvals`);

  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const headers = { cookie: await login(base, 'land'), origin: base, 'content-type': 'application/json' };
  const approver = { ...headers, cookie: await login(base, 'admin') };
  const send = async (method: 'POST' | 'PUT', path: string, body: unknown, want: number) => {
    const r = await fetch(`${base}${path}`, { method, headers, body: JSON.stringify(body) });
    const json = (await r.json()) as { id?: number; code?: string; message?: string };
    if (r.status !== want) throw new Error(`${path} → ${r.status} ${json.code}: ${json.message}`);
    return json;
  };

  // A year with room for everything, and one proposal per plot (a price well above any floor).
  await send('PUT', `/api/quotas/${YEAR}`, { quotaM2: 1e11, iabReserveM2: 1e9 }, 200);
  const setup = await httpLoad(base, headers, Array.from({ length: APPROVALS }, (_, i) => {
    const iab = i % 4 !== 0;
    return {
      method: 'POST', path: '/api/allocations', want: 201,
      body: {
        plotId: plots[i]!.id, quotaYear: YEAR, mode: 'transfer', termYears: 50, priceYuan: 900_000_000_000,
        project: { name: `基准测试项目 ${i}`, enterprise: { name: `基准测试企业 ${i}`, uscc: usccFor(i) }, sector: iab ? 'ai' : 'other', iab },
      },
    };
  }));
  const ids = setup.results.map((r) => r.id!);

  // Baseline: one-row UPDATE per transaction through pg, same concurrency, same database. The
  // same-row loop runs right before and right after the approvals and the ratio takes their
  // mean, so a machine whose load changes during the run (other work on it) moves both sides.
  const pool = db ? new pg.Pool({ connectionString: db.url, max: CLIENTS }) : null;
  let tx: ((id: number) => Promise<void>) | null = null;
  if (pool) {
    pool.on('error', () => {}); // an idle client dropped by the server is replaced, not fatal
    await pool.query('CREATE TABLE bench_counter (id integer PRIMARY KEY, n bigint NOT NULL DEFAULT 0)');
    await pool.query(`INSERT INTO bench_counter (id) SELECT g FROM generate_series(0, ${CLIENTS}) g`);
    tx = async (id: number) => {
      const c = await pool.connect();
      try {
        await c.query('BEGIN');
        await c.query('UPDATE bench_counter SET n = n + 1 WHERE id = $1', [id]);
        await c.query('COMMIT');
      } finally {
        c.release();
      }
    };
  }
  const n = APPROVALS * 2;
  const sameBefore = tx ? await loops(n, CLIENTS, () => tx(0)) : null;

  // The measured run: every approval distinct, all charging the same year (its row is the hot lock).
  const profile = await startProfile();
  const cpuBefore = await cpuSnapshot();
  const approvals = await httpLoad(base, approver, ids.map((id) => ({ method: 'POST', path: `/api/allocations/${id}/approve`, body: {}, want: 200 })));
  const cpuAfter = await cpuSnapshot();
  await profile?.stop();

  let baseline: { sameBefore: Awaited<ReturnType<typeof loops>>; sameAfter: Awaited<ReturnType<typeof loops>>; own: Awaited<ReturnType<typeof loops>>; samePerSecond: number } | null = null;
  if (tx && sameBefore) {
    const sameAfter = await loops(n, CLIENTS, () => tx(0));
    const own = await loops(n, CLIENTS, (i) => tx(1 + (i % CLIENTS)));
    baseline = { sameBefore, sameAfter, own, samePerSecond: (sameBefore.perSecond + sameAfter.perSecond) / 2 };
  }
  await pool?.end();

  // Invariants, from the database.
  const v = await allocationInvariants.execute(app.db);
  const approvedCount = await app.db.selectFrom('allocations').select(sql<number>`count(*)::int`.as('n')).where('status', '=', 'approved').executeTakeFirstOrThrow();

  const violations = v.rows.reduce((t, r) => t + r.n, 0);
  console.log(`\nAllocation approvals — ${kind}, ${CLIENTS} concurrent HTTP clients, ${APPROVALS} approvals (¾ IAB), one quota year`);
  console.log(`  proposals (setup)         ${fmt(setup)}`);
  console.log(`  approvals                 ${fmt(approvals)}   (${approvedCount.n} approved)`);
  if (baseline) {
    console.log(`  baseline: 1-row UPDATE/tx, same row, before   ${fmt(baseline.sameBefore)}`);
    console.log(`  baseline: 1-row UPDATE/tx, same row, after    ${fmt(baseline.sameAfter)}`);
    console.log(`  baseline: 1-row UPDATE/tx, own row            ${fmt(baseline.own)}`);
    console.log(`  approvals / same-row baseline (mean of before and after): ${(approvals.perSecond / baseline.samePerSecond).toFixed(3)}   (target ≥ 0.12)`);
  }
  if (cpuBefore && cpuAfter) {
    // CPU time, not wall time: what a loaded machine does not distort much.
    const pgMs = [...cpuAfter.backends].reduce((t, [pid, ms]) => t + ms - (cpuBefore.backends.get(pid) ?? 0), 0);
    console.log(`  CPU per approval: server (Node main thread) ${((cpuAfter.nodeMs - cpuBefore.nodeMs) / APPROVALS).toFixed(2)} ms, PostgreSQL (this database's backends) ${(pgMs / APPROVALS).toFixed(2)} ms`);
  }
  console.log(`  target: ≥ 200 approvals/s on PostgreSQL → ${approvals.perSecond >= 200 ? 'met' : 'NOT met'}`);
  console.log(`  invariant violations: ${violations}`);
  for (const r of v.rows) console.log(`    ${String(r.n).padStart(4)}  ${r.what}`);
} finally {
  await app.close();
  await handle.close();
  await db?.drop();
}
