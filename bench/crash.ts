/**
 * Crash recovery (TARGETS.md, Robustness: "kill -9 during a write load, restart: invariants
 * hold, the audit chain verifies, every write that was answered 2xx is present"). Prints figures
 * and "target met / NOT met"; asserts nothing and exits 0 either way.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:crash
 *
 * For each database — PostgreSQL (a scratch database `iab_crash_<random>` beside
 * BENCH_DATABASE_URL, dropped at the end) and PGlite with its data directory in a temp folder
 * (removed at the end unless a finding needs it kept) — the real server runs as a child process
 * (`node --import tsx server/main.ts`). The land officer sets a quota year; then each round:
 *
 *   1. BENCH_CRASH_CLIENTS (8) concurrent clients write: propose allocations (one in five on a
 *      plot someone else has proposed for), approve, cancel, hold plots, release holds. Every
 *      write answered 2xx is recorded with what it created or changed (id, state).
 *   2. A random 1–3 s after the first write was answered (a fresh server's first requests are
 *      slow; the kill should hit the load, not the warm-up) the server gets SIGKILL.
 *   3. Restart on the same database (timed until /api/health answers).
 *   4. Every 2xx-answered write must be there in the state it was answered with (a write that
 *      was in flight at the kill may or may not have happened: both states are accepted for
 *      it). The session cookie from before the kill must still be valid.
 *   5. Writes in flight at the kill are sent again with their Idempotency-Key: one that
 *      committed must answer as a replay, one that did not must run now; no duplicates.
 *   6. The audit chain is verified (GET /api/audit/verify as admin).
 *   7. Clean shutdown (SIGTERM), then the invariants are read from the database directly:
 *      one active allocation per plot; approved ≤ quota; non-IAB ≤ quota − reserve; cached quota
 *      totals = ledger sums; active allocation ⇒ plot allocated; approved ⇒ one charge, cancelled
 *      ⇒ ledger nets to 0; one hold in force per plot, its plot held; every benchmark write has
 *      its audit event. The next round starts the server again (a clean restart, timed as the
 *      baseline for the restart after the kill). Every round re-checks all earlier rounds' writes.
 *
 * Environment: BENCH_CRASH_ROUNDS (3), BENCH_CRASH_CLIENTS (8), BENCH_CRASH_SEED (random),
 * BENCH_CRASH_DB (postgres | pglite | both; default both when BENCH_DATABASE_URL is set, else
 * pglite). The server listens on 127.0.0.1:3110 (PostgreSQL) and :3111 (PGlite).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import seedrandom from 'seedrandom';
import { allocationInvariants, login, usccFor as uscc } from './harness.ts';
import { listAll, must, pgliteTarget, postgresTarget, request, sleep, startServer, stopServers, type Answer, type Target } from './crash-server.ts';

const ROUNDS = Number(process.env.BENCH_CRASH_ROUNDS ?? 3);
const CLIENTS = Number(process.env.BENCH_CRASH_CLIENTS ?? 8);
const SEED = process.env.BENCH_CRASH_SEED ?? String(Math.floor(Math.random() * 1e9));
const BASE_URL = process.env.BENCH_DATABASE_URL;
const WHICH = process.env.BENCH_CRASH_DB ?? (BASE_URL ? 'both' : 'pglite');
const YEAR = 2031;
/** Project names and hold notes carry this tag, so the checks can tell benchmark writes apart. */
const TAG = '崩溃测试';
const rng = seedrandom(SEED);

// --- Small helpers ---------------------------------------------------------------------------

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;
const takeAt = <T>(xs: T[], i: number): T => xs.splice(i, 1)[0]!;
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! : NaN);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** A date `days` ahead, as YYYY-MM-DD (UTC; a day either way does not matter 30 days out). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// --- What the clients were told --------------------------------------------------------------

type AllocState = 'proposed' | 'approved' | 'cancelled';
type HoldState = 'active' | 'released';

/** A write sent but not (completely) answered before the kill: it may or may not have happened. */
interface InFlight {
  what: 'propose' | 'approve' | 'cancel' | 'hold' | 'release';
  method: string;
  url: string;
  body: unknown;
  key?: string;
  /** The project name or hold note of a creation (to find it after the restart). */
  tag?: string;
  target?: TrackedAllocation | TrackedHold;
}

interface TrackedAllocation {
  kind: 'allocation';
  id: number;
  plotId: number;
  tag: string;
  /** The state the last 2xx answer about it gave. */
  answered: AllocState;
  /** A state an unanswered write would have given it, if it committed. */
  maybe: AllocState | null;
}

interface TrackedHold {
  kind: 'hold';
  id: number;
  plotId: number;
  tag: string;
  answered: HoldState;
  maybe: HoldState | null;
}

interface Model {
  allocations: Map<number, TrackedAllocation>;
  holds: Map<number, TrackedHold>;
  /** Available plots no benchmark write is known to use (refilled from the server every round). */
  pool: number[];
  /** Plots with a proposal still proposed: targets for competing proposals. */
  proposedPlots: number[];
  counter: number;
}

interface RoundLoad {
  answered: Record<InFlight['what'], number>;
  refused: Record<string, number>;
  inFlight: InFlight[];
  ms: number;
  /** Response times of the answered writes, ms. */
  latencies: number[];
}

const WRITES = ['propose', 'approve', 'cancel', 'hold', 'release'] as const;

/**
 * The write load: CLIENTS loops until `stop()` says so. Each client changes only the
 * allocations and holds it was handed or created, one request at a time, so an item never has
 * two writes in flight and its expected state is exact.
 */
async function runLoad(base: string, cookie: string, model: Model, round: number, stop: () => boolean, onAnswer: () => void): Promise<RoundLoad> {
  const load: RoundLoad = { answered: { propose: 0, approve: 0, cancel: 0, hold: 0, release: 0 }, refused: {}, inFlight: [], ms: 0, latencies: [] };
  // Hand the live items out to the clients.
  const owned = Array.from({ length: CLIENTS }, () => ({ proposed: [] as TrackedAllocation[], approved: [] as TrackedAllocation[], holds: [] as TrackedHold[] }));
  let i = 0;
  for (const a of model.allocations.values()) {
    if (a.answered === 'proposed') owned[i++ % CLIENTS]!.proposed.push(a);
    else if (a.answered === 'approved') owned[i++ % CLIENTS]!.approved.push(a);
  }
  for (const h of model.holds.values()) if (h.answered === 'active') owned[i++ % CLIENTS]!.holds.push(h);

  const send = async (f: InFlight): Promise<Answer | null> => {
    const sent = performance.now();
    const a = await request(base, cookie, f.method, f.url, f.body, f.key);
    if (a) {
      load.latencies.push(performance.now() - sent);
      onAnswer();
    }
    if (!a) load.inFlight.push(f);
    else if (a.status >= 300) {
      const k = `${f.what} ${a.status} ${String(a.json.code ?? '')}`;
      load.refused[k] = (load.refused[k] ?? 0) + 1;
    } else load.answered[f.what]++;
    return a;
  };

  const t0 = performance.now();
  await Promise.all(
    owned.map(async (mine) => {
      while (!stop()) {
        const choices: [number, () => Promise<void>][] = [];
        if (model.pool.length || model.proposedPlots.length) {
          choices.push([36, async () => {
            const contested = model.proposedPlots.length > 0 && (model.pool.length === 0 || rng() < 0.2);
            const plotId = contested ? pick(model.proposedPlots) : takeAt(model.pool, Math.floor(rng() * model.pool.length));
            const n = ++model.counter;
            const iab = rng() < 0.75;
            const tag = `${TAG}项目 r${round}-${n}`;
            const body = {
              plotId, quotaYear: YEAR, mode: 'transfer', termYears: 50, priceYuan: 900_000_000_000,
              project: { name: tag, enterprise: { name: `${TAG}企业 ${n}`, uscc: uscc(n) }, sector: iab ? 'ai' : 'other', iab },
            };
            const a = await send({ what: 'propose', method: 'POST', url: '/api/allocations', body, key: randomUUID(), tag });
            if (a?.status === 201) {
              const t: TrackedAllocation = { kind: 'allocation', id: a.json.id as number, plotId, tag, answered: 'proposed', maybe: null };
              model.allocations.set(t.id, t);
              mine.proposed.push(t);
              model.proposedPlots.push(plotId);
            } else if (a && !contested) model.pool.push(plotId);
          }]);
        }
        if (mine.proposed.length) {
          choices.push([30, async () => {
            const t = takeAt(mine.proposed, Math.floor(rng() * mine.proposed.length));
            const a = await send({ what: 'approve', method: 'POST', url: `/api/allocations/${t.id}/approve`, body: {}, key: randomUUID(), target: t });
            if (!a) t.maybe = 'approved';
            else if (a.status === 200) {
              t.answered = 'approved';
              mine.approved.push(t);
              // The plot's other open proposals were closed by this approval (superseded).
              for (const o of model.allocations.values()) if (o !== t && o.plotId === t.plotId && o.answered === 'proposed') o.answered = 'cancelled';
            } else if (a.json.code === 'SUPERSEDED') t.answered = 'cancelled';
            else mine.proposed.push(t); // refused (quota, plot taken): still proposed
          }]);
        }
        if (mine.proposed.length || mine.approved.length) {
          choices.push([14, async () => {
            const list = mine.approved.length && (!mine.proposed.length || rng() < 0.6) ? mine.approved : mine.proposed;
            const t = takeAt(list, Math.floor(rng() * list.length));
            const a = await send({ what: 'cancel', method: 'POST', url: `/api/allocations/${t.id}/cancel`, body: { reason: `${TAG}取消` }, key: randomUUID(), target: t });
            if (!a) t.maybe = 'cancelled';
            else if (a.status === 200) {
              if (t.answered === 'approved') model.pool.push(t.plotId);
              t.answered = 'cancelled';
            } else list.push(t);
          }]);
        }
        if (model.pool.length) {
          choices.push([12, async () => {
            const plotId = takeAt(model.pool, Math.floor(rng() * model.pool.length));
            const n = ++model.counter;
            const tag = `${TAG}保留 r${round}-${n}`;
            const body = { applicant: { name: `${TAG}申请人 ${n}`, uscc: uscc(500_000 + n) }, until: inDays(30), note: tag };
            const a = await send({ what: 'hold', method: 'POST', url: `/api/plots/${plotId}/holds`, body, tag });
            if (a?.status === 201) {
              const h: TrackedHold = { kind: 'hold', id: a.json.id as number, plotId, tag, answered: 'active', maybe: null };
              model.holds.set(h.id, h);
              mine.holds.push(h);
            } else if (a) model.pool.push(plotId);
          }]);
        }
        if (mine.holds.length) {
          choices.push([8, async () => {
            const h = takeAt(mine.holds, Math.floor(rng() * mine.holds.length));
            const a = await send({ what: 'release', method: 'POST', url: `/api/plots/${h.plotId}/holds/release`, body: undefined, target: h });
            if (!a) h.maybe = 'released';
            else if (a.status === 200) {
              h.answered = 'released';
              model.pool.push(h.plotId);
            } else mine.holds.push(h);
          }]);
        }
        if (!choices.length) {
          await sleep(20);
          continue;
        }
        let r = rng() * choices.reduce((t, [w]) => t + w, 0);
        const choice = choices.find(([w]) => (r -= w) < 0) ?? choices[choices.length - 1]!;
        await choice[1]();
      }
    }),
  );
  load.ms = performance.now() - t0;
  return load;
}

// --- Checks after the restart ----------------------------------------------------------------

interface RoundResult {
  round: number;
  /** From the start of the load to its first answer. */
  warmupMs: number;
  /** From the first answer to the kill. */
  killedAfterMs: number;
  load: RoundLoad;
  restartMs: number | null;
  startFailure: string | null;
  startLog: string[];
  lost: string[];
  inFlightCommitted: number;
  sessionKept: boolean | null;
  retry: { replayed: number; executed: number; refused: number; mismatched: string[]; duplicates: string[] };
  chain: { ok: boolean; count?: number; text: string } | null;
  health: boolean;
  invariants: { what: string; n: number }[];
  shutdown: string;
  cleanStartMs: number | null;
}

/** Reads the state back over HTTP and compares it with what the clients were told. */
async function checkWrites(base: string, cookie: string, model: Model, load: RoundLoad, res: RoundResult) {
  const allocations = await listAll(base, cookie, '/api/allocations');
  const holds = await listAll(base, cookie, '/api/holds');
  const allocById = new Map(allocations.map((a) => [a.id as number, a]));
  const holdById = new Map(holds.map((h) => [h.id as number, h]));
  for (const t of model.allocations.values()) {
    const a = allocById.get(t.id);
    if (!a) {
      res.lost.push(`allocation ${t.id} (${t.tag}), answered ${t.answered}: missing after the restart`);
      continue;
    }
    const name = (a.project as { name: string }).name;
    if (a.plotId !== t.plotId || name !== t.tag) res.lost.push(`allocation ${t.id}: plot ${String(a.plotId)} / "${name}" after the restart, answered as plot ${t.plotId} / "${t.tag}"`);
    // A proposal closed by another's approval that was in flight at the kill: superseded, not lost.
    const superseded = a.status === 'cancelled' && t.answered === 'proposed' && typeof a.supersededBy === 'number' && allocById.get(a.supersededBy)?.plotId === t.plotId;
    if (a.status !== t.answered && a.status !== t.maybe && !superseded) res.lost.push(`allocation ${t.id} (${t.tag}): ${String(a.status)} after the restart, answered ${t.answered}${t.maybe ? ` (or ${t.maybe} if the write in flight committed)` : ''}`);
  }
  for (const h of model.holds.values()) {
    const got = holdById.get(h.id);
    if (!got) {
      res.lost.push(`hold ${h.id} on plot ${h.plotId} (${h.tag}), answered ${h.answered}: missing after the restart`);
      continue;
    }
    if (got.plotId !== h.plotId || got.note !== h.tag) res.lost.push(`hold ${h.id}: plot ${String(got.plotId)} / "${String(got.note)}" after the restart, answered as plot ${h.plotId} / "${h.tag}"`);
    if (got.state !== h.answered && got.state !== h.maybe) res.lost.push(`hold ${h.id} on plot ${h.plotId}: ${String(got.state)} after the restart, answered ${h.answered}${h.maybe ? ` (or ${h.maybe} if the write in flight committed)` : ''}`);
  }

  // Which in-flight writes committed before the kill (all accepted; counted for the figures).
  const allocByName = new Map(allocations.map((a) => [(a.project as { name: string }).name, a]));
  const holdByNote = new Map(holds.map((h) => [h.note as string, h]));
  const committed = new Set<InFlight>();
  for (const f of load.inFlight) {
    const t = f.target;
    const did =
      f.what === 'propose' ? allocByName.has(f.tag!)
      : f.what === 'hold' ? holdByNote.has(f.tag!)
      : t?.kind === 'allocation' ? allocById.get(t.id)?.status === t.maybe
      : t?.kind === 'hold' ? holdById.get(t.id)?.state === t.maybe
      : false;
    if (did) committed.add(f);
  }
  res.inFlightCommitted = committed.size;

  // Idempotency-Key: send the keyed writes again. Committed → a replay; not committed → runs now.
  for (const f of load.inFlight) {
    if (!f.key) continue;
    const a = await must(base, cookie, f.method, f.url, f.body, f.key);
    if (a.status >= 300) {
      res.retry.refused++;
      if (committed.has(f)) res.retry.mismatched.push(`${f.what} ${f.url}: committed before the kill, but its retry with the same key was refused (${a.status} ${String(a.json.code)})`);
      continue;
    }
    const wasReplay = a.replayed;
    if (wasReplay) res.retry.replayed++;
    else res.retry.executed++;
    if (wasReplay !== committed.has(f)) {
      res.retry.mismatched.push(`${f.what} ${f.url}: ${committed.has(f) ? 'committed before the kill but its retry ran again' : 'had not committed, yet its retry was answered as a replay'}`);
    }
  }
  // Replays must not have created anything twice.
  const after = await listAll(base, cookie, '/api/allocations');
  const counts = new Map<string, number>();
  for (const a of after) {
    const name = (a.project as { name: string }).name;
    if (name.startsWith(TAG)) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  for (const [name, n] of counts) if (n > 1) res.retry.duplicates.push(`${n} allocations named "${name}"`);
  await reconcile(base, cookie, model, load, after);
}

/**
 * After the checks, the model takes the server's word for what the unanswered writes did (and
 * what their retries did), so later rounds check exact states again.
 */
async function reconcile(base: string, cookie: string, model: Model, load: RoundLoad, allocations: Record<string, unknown>[]) {
  const holds = await listAll(base, cookie, '/api/holds');
  const asAlloc = (a: Record<string, unknown>): AllocState => (a.status === 'approved' || a.status === 'cancelled' ? a.status : 'proposed');
  const byName = new Map(allocations.map((a) => [(a.project as { name: string }).name, a]));
  const byNote = new Map(holds.map((h) => [h.note as string, h]));
  for (const f of load.inFlight) {
    if (f.what === 'propose' && byName.has(f.tag!)) {
      const a = byName.get(f.tag!)!;
      model.allocations.set(a.id as number, { kind: 'allocation', id: a.id as number, plotId: a.plotId as number, tag: f.tag!, answered: asAlloc(a), maybe: null });
    }
    if (f.what === 'hold' && byNote.has(f.tag!)) {
      const h = byNote.get(f.tag!)!;
      model.holds.set(h.id as number, { kind: 'hold', id: h.id as number, plotId: h.plotId as number, tag: f.tag!, answered: h.state === 'active' ? 'active' : 'released', maybe: null });
    }
  }
  const allocById = new Map(allocations.map((a) => [a.id as number, a]));
  const holdById = new Map(holds.map((h) => [h.id as number, h]));
  for (const t of model.allocations.values()) {
    const a = allocById.get(t.id);
    if (a) t.answered = asAlloc(a);
    t.maybe = null;
  }
  for (const h of model.holds.values()) {
    const got = holdById.get(h.id);
    if (got) h.answered = got.state === 'active' ? 'active' : 'released';
    h.maybe = null;
  }
  // Available plots, less those a live benchmark proposal is on.
  const proposedOn = new Set([...model.allocations.values()].filter((a) => a.answered === 'proposed').map((a) => a.plotId));
  model.pool = (await availablePlots(base)).map((p) => p.id).filter((id) => !proposedOn.has(id));
  model.proposedPlots = [...proposedOn];
}

async function availablePlots(base: string): Promise<{ id: number; areaM2: number }[]> {
  const a = await must(base, '', 'GET', '/api/plots?status=available&limit=5000');
  if (a.status !== 200) throw new Error(`GET /api/plots → ${a.status}`);
  return (a.json.features as { properties: { id: number; areaM2: number } }[]).map((f) => ({ id: f.properties.id, areaM2: f.properties.areaM2 }));
}

// --- Invariants, read from the database --------------------------------------------------------

/** The approvals benchmark's invariants, and every benchmark write having its audit event. */
async function invariants(t: Target): Promise<{ what: string; n: number }[]> {
  const handle = await t.open();
  try {
    const like = `${TAG}%`;
    const r = await sql<{ what: string; n: number }>`
      ${allocationInvariants}
      union all select 'cancelled allocations whose ledger entries do not net to 0', count(*)::int from allocations a
        where a.status = 'cancelled' and (select coalesce(sum(area_m2), 0) from quota_ledger l where l.allocation_id = a.id) <> 0
      union all select 'plots with more than one hold in force', count(*)::int from (
        select plot_id from plot_holds where released_at is null group by plot_id having count(*) > 1) x
      union all select 'holds in force whose plot is not held', count(*)::int from plot_holds h join plots p on p.id = h.plot_id
        where h.released_at is null and p.status <> 'held'
      union all select 'benchmark allocations missing an audit event of their state', count(*)::int from allocations a join projects pr on pr.id = a.project_id
        where pr.name like ${like} and (
          not exists (select 1 from audit_events e where e.entity = 'allocation' and e.entity_id = a.id::text and e.action = 'allocation.propose')
          or (a.status <> 'proposed' and not exists (select 1 from audit_events e where e.entity = 'allocation' and e.entity_id = a.id::text and e.action = 'allocation.approve') and a.status = 'approved')
          or (a.status = 'cancelled' and not exists (select 1 from audit_events e where e.entity = 'allocation' and e.entity_id = a.id::text and e.action = 'allocation.cancel')))
      union all select 'benchmark holds missing an audit event of their state', count(*)::int from plot_holds h
        where h.note like ${like} and (
          not exists (select 1 from audit_events e where e.entity = 'plot_hold' and e.entity_id = h.id::text and e.action = 'hold.create')
          or (h.release_reason = 'released' and not exists (select 1 from audit_events e where e.entity = 'plot_hold' and e.entity_id = h.id::text and e.action = 'hold.release')))
      union all select 'audit events not in the chain (id beyond audit_head)', count(*)::int from audit_events
        where id > (select coalesce(last_id, 0) from audit_head)`.execute(handle.db);
    return r.rows;
  } finally {
    await handle.close();
  }
}

// --- One database ------------------------------------------------------------------------------

async function runTarget(t: Target): Promise<{ results: RoundResult[]; firstStartMs: number | null; quota: string; fatal: string | null; keptAt: string | null }> {
  const results: RoundResult[] = [];
  const model: Model = { allocations: new Map(), holds: new Map(), pool: [], proposedPlots: [], counter: 0 };
  let fatal: string | null = null;
  let quota = '';
  let firstStartMs: number | null = null;
  let started = await startServer(t);
  try {
    if ('failed' in started) {
      fatal = `the server did not start on a fresh database: ${started.failed}\n${started.log.slice(-15).join('\n')}`;
      return { results, firstStartMs, quota, fatal, keptAt: await t.cleanup(false) };
    }
    firstStartMs = started.ms;
    let server = started.server;
    const land = await login(server.base, 'land');
    // A quota about a third of what is available, IAB reserve 40 %: approvals run into both limits.
    const plots = await availablePlots(server.base);
    const total = plots.reduce((sum, p) => sum + p.areaM2, 0);
    const quotaM2 = Math.max(3_333_333.34, Math.round(total * 0.35));
    const reserveM2 = Math.round(quotaM2 * 0.4);
    const q = await must(server.base, land, 'PUT', `/api/quotas/${YEAR}`, { quotaM2, iabReserveM2: reserveM2 });
    if (q.status !== 200) throw new Error(`PUT /api/quotas/${YEAR} → ${q.status} ${JSON.stringify(q.json)}`);
    quota = `${YEAR}: quota ${(quotaM2 / 666.6667).toFixed(0)} 亩 (${quotaM2.toLocaleString('en')} m²), IAB reserve ${(reserveM2 / 666.6667).toFixed(0)} 亩; ${plots.length} available plots, ${(total / 666.6667).toFixed(0)} 亩`;
    model.pool = plots.map((p) => p.id);
    let cookie = land;

    for (let round = 1; round <= ROUNDS; round++) {
      const res: RoundResult = {
        round, warmupMs: 0, killedAfterMs: 0, load: { answered: { propose: 0, approve: 0, cancel: 0, hold: 0, release: 0 }, refused: {}, inFlight: [], ms: 0, latencies: [] },
        restartMs: null, startFailure: null, startLog: [], lost: [], inFlightCommitted: 0, sessionKept: null,
        retry: { replayed: 0, executed: 0, refused: 0, mismatched: [], duplicates: [] }, chain: null, health: false, invariants: [], shutdown: '', cleanStartMs: null,
      };
      results.push(res);

      // 1–2. The load, and SIGKILL a random 1–3 s after the first write was answered (the
      // first requests after a start are slow: the kill should hit the load, not the warm-up).
      const killAfter = 1000 + rng() * 2000;
      let stopped = false;
      let answered!: () => void;
      const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
      const t0 = performance.now();
      const loadDone = runLoad(server.base, cookie, model, round, () => stopped, () => answered());
      await Promise.race([firstAnswer, sleep(10_000)]);
      res.warmupMs = performance.now() - t0;
      await sleep(killAfter);
      stopped = true;
      server.child.kill('SIGKILL');
      res.killedAfterMs = performance.now() - t0 - res.warmupMs;
      res.load = await loadDone;
      const killed = await server.exited;
      if (killed.signal !== 'SIGKILL') res.lost.push(`the server ended with ${killed.signal ?? `code ${killed.code}`} instead of SIGKILL`);

      // 3. Restart on the same database.
      const again = await startServer(t);
      if ('failed' in again) {
        res.startFailure = again.failed;
        res.startLog = again.log;
        fatal = `round ${round}: the server did not come back after kill -9 — ${again.failed}`;
        break;
      }
      res.restartMs = again.ms;
      server = again.server;
      res.health = (await must(server.base, '', 'GET', '/api/health')).status === 200;

      // 4–5. Every 2xx write present; sessions kept; in-flight writes retried with their key.
      const me = await must(server.base, cookie, 'GET', '/api/auth/me');
      res.sessionKept = me.status === 200;
      if (!res.sessionKept) cookie = await login(server.base, 'land');
      await checkWrites(server.base, cookie, model, res.load, res);

      // 6. The audit chain.
      const admin = await login(server.base, 'admin');
      const v = await must(server.base, admin, 'GET', '/api/audit/verify');
      res.chain = v.json.ok === true
        ? { ok: true, count: v.json.count as number, text: `intact, ${String(v.json.count)} events` }
        : { ok: false, text: `BROKEN at event ${String(v.json.brokenAtId)}: ${String(v.json.reason)}` };

      // 7. Clean shutdown, invariants from the database, and a clean start for the next round.
      server.child.kill('SIGTERM');
      const ended = await server.exited;
      res.shutdown = ended.code === 0 ? 'clean (exit 0)' : `exit ${ended.code ?? ended.signal}`;
      res.invariants = await invariants(t);
      if (round < ROUNDS) {
        started = await startServer(t);
        if ('failed' in started) {
          fatal = `round ${round}: the server did not start after a clean shutdown — ${started.failed}\n${started.log.slice(-15).join('\n')}`;
          break;
        }
        res.cleanStartMs = started.ms;
        server = started.server;
      }
    }
  } catch (err) {
    fatal = `benchmark error: ${(err as Error).stack ?? String(err)}`;
  } finally {
    await stopServers();
  }
  const finding = fatal !== null || results.some((r) => r.startFailure || r.lost.length);
  return { results, firstStartMs, quota, fatal, keptAt: await t.cleanup(finding) };
}

// --- Report ------------------------------------------------------------------------------------

function report(t: Target, out: Awaited<ReturnType<typeof runTarget>>): boolean {
  const { results } = out;
  console.log(`\nCrash recovery — ${t.label}`);
  console.log(`  ${CLIENTS} concurrent clients (land officer), ${ROUNDS} rounds, seed ${SEED}; ${out.quota}`);
  if (out.firstStartMs !== null) console.log(`  first start (migrations, demo seed): ${s(out.firstStartMs)}`);
  console.log('  (killed: seconds from the first answered write to SIGKILL; 2xx writes: answered before the kill, per second of load)');
  console.log('  round  killed after  2xx writes (propose/approve/cancel/hold/release)   refused  in flight (committed)  lost  restart   chain                  violations');
  for (const r of results) {
    const a = r.load.answered;
    const total = WRITES.reduce((sum, w) => sum + a[w], 0);
    const refused = Object.values(r.load.refused).reduce((sum, n) => sum + n, 0);
    const violations = r.invariants.reduce((sum, v) => sum + v.n, 0);
    console.log(
      `  ${String(r.round).padStart(5)}  ${s(r.killedAfterMs).padStart(12)}  ${String(total).padStart(5)} = ${WRITES.map((w) => a[w]).join('/').padEnd(22)} ${`${(total / (r.load.ms / 1000)).toFixed(0)}/s`.padStart(7)}` +
      `   ${String(refused).padStart(7)}  ${`${r.load.inFlight.length} (${r.inFlightCommitted})`.padStart(21)}  ${String(r.lost.length).padStart(4)}  ${(r.restartMs === null ? 'FAILED' : s(r.restartMs)).padStart(7)}   ${(r.chain?.text ?? '—').padEnd(22)} ${r.startFailure ? '—' : violations}`,
    );
  }
  const lat = results.flatMap((r) => r.load.latencies).sort((a, b) => a - b);
  const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? NaN;
  const warm = results.map((r) => r.warmupMs);
  console.log(`  answered writes: p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, max ${pct(100).toFixed(0)} ms; first answer after a start: median ${s(median(warm))}`);
  const refusedBy: Record<string, number> = {};
  for (const r of results) for (const [k, n] of Object.entries(r.load.refused)) refusedBy[k] = (refusedBy[k] ?? 0) + n;
  if (Object.keys(refusedBy).length) console.log(`  refused (expected under contention): ${Object.entries(refusedBy).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  const restarts = results.flatMap((r) => (r.restartMs === null ? [] : [r.restartMs]));
  const clean = results.flatMap((r) => (r.cleanStartMs === null ? [] : [r.cleanStartMs]));
  console.log(`  restart after kill -9 (spawn → /api/health 200): median ${s(median(restarts))}${clean.length ? `; after a clean shutdown (baseline): median ${s(median(clean))}` : ''}`);
  const retry = results.reduce((acc, r) => ({ replayed: acc.replayed + r.retry.replayed, executed: acc.executed + r.retry.executed, refused: acc.refused + r.retry.refused }), { replayed: 0, executed: 0, refused: 0 });
  const mismatched = results.flatMap((r) => r.retry.mismatched);
  const duplicates = results.flatMap((r) => r.retry.duplicates);
  console.log(`  in-flight allocation writes retried with their Idempotency-Key: ${retry.replayed} replayed (had committed), ${retry.executed} ran now, ${retry.refused} refused; mismatches ${mismatched.length}, duplicates ${duplicates.length}`);
  const sessions = results.filter((r) => r.sessionKept !== null);
  console.log(`  session cookie from before the kill still valid: ${sessions.filter((r) => r.sessionKept).length}/${sessions.length} rounds; shutdowns: ${results.map((r) => r.shutdown || '—').join(', ')}`);
  const lost = results.flatMap((r) => r.lost.map((l) => `round ${r.round}: ${l}`));
  const writes = results.reduce((sum, r) => sum + WRITES.reduce((t2, w) => t2 + r.load.answered[w], 0), 0);
  console.log(`  2xx writes lost or in the wrong state after a restart: ${lost.length} (of ${writes}; every round re-checks all earlier rounds' writes too)`);
  for (const l of lost.slice(0, 20)) console.log(`    ${l}`);
  const byWhat = new Map<string, number>();
  for (const r of results) for (const v of r.invariants) byWhat.set(v.what, (byWhat.get(v.what) ?? 0) + v.n);
  const violations = [...byWhat.values()].reduce((sum, n) => sum + n, 0);
  console.log(`  invariant violations, summed over the rounds (read from the database after each restart): ${violations}`);
  for (const [what, n] of byWhat) console.log(`    ${String(n).padStart(4)}  ${what}`);
  for (const r of results) if (r.startFailure) console.log(`  round ${r.round}: restart FAILED — ${r.startFailure}\n    ${r.startLog.slice(-15).join('\n    ')}`);
  if (out.fatal && !results.some((r) => r.startFailure)) console.log(`  ${out.fatal}`);
  if (out.keptAt) console.log(`  the data directory is kept for investigation: ${out.keptAt}`);
  const met =
    out.fatal === null && results.length === ROUNDS && lost.length === 0 && violations === 0 && mismatched.length === 0 && duplicates.length === 0 &&
    results.every((r) => r.health && r.chain?.ok && r.sessionKept);
  console.log(`  target (restart works, 0 writes lost, 0 violations, audit chain intact, healthy): ${met ? 'target met' : 'target NOT met'}`);
  return met;
}

// --- Main --------------------------------------------------------------------------------------

const kinds = WHICH === 'both' ? ['postgres', 'pglite'] : [WHICH];
if (kinds.includes('postgres') && !BASE_URL) {
  console.log('BENCH_DATABASE_URL is not set: skipping PostgreSQL (e.g. BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres).');
}
const summary: string[] = [];
for (const kind of kinds) {
  if (kind === 'postgres' && !BASE_URL) continue;
  if (kind !== 'postgres' && kind !== 'pglite') {
    console.log(`BENCH_CRASH_DB must be postgres, pglite or both, got "${kind}".`);
    continue;
  }
  const target = kind === 'postgres' ? await postgresTarget(BASE_URL!) : pgliteTarget();
  const out = await runTarget(target);
  summary.push(`${target.kind === 'postgres' ? 'PostgreSQL' : 'PGlite on disk'}: ${report(target, out) ? 'target met' : 'target NOT met'}`);
}
console.log(`\nCrash target (TARGETS.md, Robustness): ${summary.join('; ')}`);
process.exit(0);
