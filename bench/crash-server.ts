/**
 * What the crash benchmark (./crash.ts) runs against: the real server as a child process on a
 * database target (a scratch PostgreSQL database or a PGlite data directory in a temp folder),
 * and plain HTTP requests to it that tell "no answer" (the server died) from an answer.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { connectDatabase } from '../server/kernel/db/connect.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const START_TIMEOUT_MS = 120_000;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// --- The server as a child process ----------------------------------------------------------

export interface Server {
  child: ChildProcess;
  base: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the server wrote (warnings and errors; LOG_LEVEL=warn). */
  log: string[];
}

const live = new Set<ChildProcess>();
// Never leave a server behind, whatever happens to the benchmark.
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL');
});

/** Stops every server still running (SIGTERM) and waits for each to exit. */
export async function stopServers(): Promise<void> {
  for (const c of live) {
    c.kill('SIGTERM');
    await new Promise((r) => c.once('exit', r));
  }
}

export interface Target {
  kind: 'postgres' | 'pglite';
  label: string;
  port: number;
  env: Record<string, string>;
  /** Opens the database in this process (the server must be stopped for PGlite). */
  open: () => ReturnType<typeof connectDatabase>;
  cleanup: (keep: boolean) => Promise<string | null>;
}

/** Whether something already listens on the port (then /api/health would not be our server's). */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the server; resolves when /api/health answers 200, or with the reason it did not. */
export async function startServer(t: Target): Promise<{ server: Server; ms: number } | { failed: string; log: string[] }> {
  if (await portInUse(t.port)) return { failed: `port ${t.port} is already in use by another process`, log: [] };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: '',
      DATA_DIR: '',
      ...t.env,
      HOST: '127.0.0.1',
      PORT: String(t.port),
      LOG_LEVEL: 'warn',
      SEED_DEMO: 'true',
      PUBLIC_ORIGIN: '',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // One session proposes and approves: this bench is about durability, not four eyes (which
      // is on by default with PostgreSQL and has its own tests).
      APPROVAL_FOUR_EYES: 'false',
      // The API is under test; building the web client would only blur the restart time.
      IAB_SKIP_CLIENT_BUILD: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  const log: string[] = [];
  const keep = (chunk: Buffer) => {
    log.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (log.length > 60) log.splice(0, log.length - 60);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const ended: { as: { code: number | null; signal: NodeJS.Signals | null } | null } = { as: null };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(child);
      ended.as = { code, signal };
      resolve(ended.as);
    });
  });
  const base = `http://127.0.0.1:${t.port}`;
  while (performance.now() - t0 < START_TIMEOUT_MS) {
    if (ended.as) return { failed: `the server exited (code ${ended.as.code}, signal ${ended.as.signal}) before answering /api/health`, log };
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (r.status === 200) return { server: { child, base, exited, log }, ms: performance.now() - t0 };
      await r.body?.cancel();
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  child.kill('SIGKILL');
  await exited;
  return { failed: `/api/health did not answer 200 within ${START_TIMEOUT_MS / 1000} s`, log };
}

// --- HTTP --------------------------------------------------------------------------------------

export interface Answer {
  status: number;
  json: Record<string, unknown>;
  /** `Idempotent-Replayed: true`: the stored answer of an earlier request with the same key. */
  replayed: boolean;
}

/** One request; null when no complete answer came back (the server died first). */
export async function request(base: string, cookie: string, method: string, url: string, body?: unknown, key?: string): Promise<Answer | null> {
  const headers: Record<string, string> = { cookie, origin: base };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (key) headers['idempotency-key'] = key;
  try {
    const r = await fetch(base + url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(60_000) });
    const text = await r.text();
    return { status: r.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {}, replayed: r.headers.get('idempotent-replayed') === 'true' };
  } catch {
    return null;
  }
}

/** A request that must be answered (the checks after the restart). */
export async function must(base: string, cookie: string, method: string, url: string, body?: unknown, key?: string): Promise<Answer> {
  for (let attempt = 1; ; attempt++) {
    const a = await request(base, cookie, method, url, body, key);
    if (a) return a;
    if (attempt === 3) throw new Error(`${method} ${url}: no answer from the server`);
    await sleep(200);
  }
}

export async function listAll(base: string, cookie: string, url: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (;;) {
    const a = await must(base, cookie, 'GET', `${url}${url.includes('?') ? '&' : '?'}limit=1000&offset=${out.length}`);
    if (a.status !== 200) throw new Error(`GET ${url} → ${a.status} ${JSON.stringify(a.json)}`);
    const items = a.json.items as Record<string, unknown>[];
    out.push(...items);
    if (items.length === 0 || out.length >= (a.json.total as number)) return out;
  }
}

// --- Targets -----------------------------------------------------------------------------------

export async function postgresTarget(BASE_URL: string): Promise<Target> {
  const name = `iab_crash_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BASE_URL);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    label: `PostgreSQL (scratch database ${name})`,
    port: 3110,
    env: { DATABASE_URL: url.toString() },
    open: () => connectDatabase({ databaseUrl: url.toString(), dataDir: 'memory://', poolSize: 2 }),
    cleanup: async () => {
      const c = new pg.Client({ connectionString: BASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      return null;
    },
  };
}

export function pgliteTarget(): Target {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iab-crash-'));
  return {
    kind: 'pglite',
    label: `PGlite (data directory ${dir})`,
    port: 3111,
    env: { DATA_DIR: dir },
    open: () => connectDatabase({ dataDir: dir }),
    cleanup: async (keep) => {
      if (keep || process.env.BENCH_CRASH_KEEP === '1') return dir;
      fs.rmSync(dir, { recursive: true, force: true });
      return null;
    },
  };
}
