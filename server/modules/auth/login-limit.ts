/**
 * Sign-in throttling that protects without locking people out (OWASP ASVS 5 §6.3).
 * Counters are rows of `login_throttle` (migration 012), so every app instance sees the same.
 *
 * Only *failures* are counted, and only after the password was checked: a correct password is
 * never refused because others are signing in at the same moment (an office behind one
 * gateway), nor because someone else guessed wrong. Three counters per failure:
 *
 * - `ip:<address>` — a hard throttle per client address (password spraying): from
 *   LIMITS.ip.threshold failures on, the address gets 429 with Retry-After for
 *   BASE·2^(failures − threshold) seconds after its last failure, at most MAX.
 * - `pair:<address>|<username>` — the same, per address and username, from
 *   LIMITS.pair.threshold failures (guessing one account from one place). Cleared by a
 *   successful sign-in of that username from that address.
 * - `user:<username>` — for the username alone (guesses spread over many addresses): never a
 *   block, only a short growing delay before the password is checked, at most
 *   LIMITS.user.maxDelayMs. The real user, from their own address, signs in after that delay.
 *
 * A request refused with 429 checks no password and counts nothing, so a block ends on time.
 * A burst of parallel guesses from one address is checked in full (nothing is reserved ahead,
 * which is what let correct sign-ins be refused before) and then blocks the address for
 * correspondingly longer: each failure doubles the block. Failures are forgotten after
 * WINDOW without one; such rows are deleted as later failures come in.
 *
 * IPv6 clients are counted per /64 (one subscriber's network), IPv4 per address.
 */
import { isIPv6 } from 'node:net';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';

export const LOGIN_LIMITS = {
  ip: { threshold: 20 },
  pair: { threshold: 5 },
  baseBlockS: 30,
  maxBlockS: 15 * 60,
  windowS: 60 * 60,
  user: { delayFromFailures: 3, baseDelayMs: 250, maxDelayMs: 2000 },
} as const;

export interface AttemptKeys {
  /** The client address (req.ip). */
  ip: string;
  /** Lower-cased username as typed (users.ts `usernameKey`). */
  username: string;
}

/** The address a counter is kept for: IPv4 as is, IPv6 by its /64. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const bare = ip.split('%')[0]!;
  if (!isIPv6(bare)) return ip;
  const [head = '', tail] = bare.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const tailGroups = t.length + (t.some((g) => g.includes('.')) ? 1 : 0);
  const groups = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - tailGroups)).fill('0'), ...t];
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

export function throttleKeys(k: AttemptKeys) {
  const address = addressKey(k.ip);
  return { ip: `ip:${address}`, pair: `pair:${address}|${k.username}`, user: `user:${k.username}` };
}

/** Seconds an address (or address + username) is blocked after its last failure. */
export function blockSeconds(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(LOGIN_LIMITS.maxBlockS, LOGIN_LIMITS.baseBlockS * 2 ** (failures - threshold));
}

/** Milliseconds a sign-in to a username waits, given that username's recent failures. */
export function userDelayMs(failures: number): number {
  const { delayFromFailures, baseDelayMs, maxDelayMs } = LOGIN_LIMITS.user;
  if (failures < delayFromFailures) return 0;
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (failures - delayFromFailures));
}

export interface ThrottleState {
  /** > 0: refuse with 429 and this Retry-After. */
  retryAfterS: number;
  /** Wait this long before checking the password. */
  delayMs: number;
}

/** Reads the three counters (no lock: a failure is counted by its own upsert afterwards). */
export async function checkLoginThrottle(db: Kysely<Database>, k: AttemptKeys): Promise<ThrottleState> {
  const keys = throttleKeys(k);
  const rows = await db
    .selectFrom('login_throttle')
    .select(['key', 'failures', sql<number>`extract(epoch from now() - last_failure_at)::float8`.as('age_s')])
    .where('key', 'in', [keys.ip, keys.pair, keys.user])
    .execute();
  let retryAfterS = 0;
  let delayMs = 0;
  for (const r of rows) {
    const age = Number(r.age_s);
    if (age >= LOGIN_LIMITS.windowS) continue;
    if (r.key === keys.user) delayMs = userDelayMs(r.failures);
    else {
      const threshold = r.key === keys.ip ? LOGIN_LIMITS.ip.threshold : LOGIN_LIMITS.pair.threshold;
      const left = blockSeconds(r.failures, threshold) - age;
      if (left > 0) retryAfterS = Math.max(retryAfterS, Math.ceil(left));
    }
  }
  return { retryAfterS, delayMs };
}

/**
 * Counts one failure on all three counters: one upsert (atomic on PostgreSQL and PGlite alike;
 * keys in sorted order so concurrent upserts lock rows in the same order). A counter quiet for
 * the window starts again at 1. Then sweeps a batch of expired rows.
 */
export async function recordLoginFailure(trx: Transaction<Database>, k: AttemptKeys): Promise<void> {
  const keys = throttleKeys(k);
  const sorted = [keys.ip, keys.pair, keys.user].sort();
  const window = `${LOGIN_LIMITS.windowS} seconds`;
  await trx
    .insertInto('login_throttle')
    .values(sorted.map((key) => ({ key, failures: 1, last_failure_at: sql<Date>`now()` })))
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`CASE WHEN login_throttle.last_failure_at < now() - ${window}::interval THEN 1 ELSE login_throttle.failures + 1 END`,
        last_failure_at: sql<Date>`now()`,
      }),
    )
    .execute();
  await sql`DELETE FROM login_throttle WHERE key IN (
              SELECT key FROM login_throttle WHERE last_failure_at < now() - ${window}::interval LIMIT 100)`.execute(trx);
}

/** After a correct password: the address + username counter starts afresh. */
export async function clearLoginFailures(trx: Transaction<Database>, k: AttemptKeys): Promise<void> {
  await trx.deleteFrom('login_throttle').where('key', '=', throttleKeys(k).pair).execute();
}
