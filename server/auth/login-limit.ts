/**
 * Login throttling with exponential backoff, per client address and per username, kept in the
 * database (`login_attempts`) so it holds across server replicas and restarts.
 *
 * An attempt is counted *before* the password is checked (`reserveLoginAttempt`) and, if the
 * password was right, given back (`releaseLoginAttempt`). Counting first means a burst of
 * parallel guesses cannot slip past the limit while the slow password checks run: the counter
 * rows are locked, so the guesses are numbered one by one and those past the limit are refused.
 *
 * From the THRESHOLD-th failure in a row, the key is locked for BASE·2^(failures − threshold)
 * seconds, at most MAX; a lock answers 429 with Retry-After without checking the password.
 * Failures older than WINDOW are forgotten. A successful login clears its username's counter
 * and gives back its one attempt on the address counter (so many users behind one office NAT
 * do not lock each other out, and one valid account cannot wipe an address's record).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { inTransaction } from '../db/transaction.ts';

export const LOGIN_LIMITS = {
  user: { threshold: 5 },
  ip: { threshold: 20 },
  baseLockS: 30,
  maxLockS: 15 * 60,
  windowS: 60 * 60,
} as const;

export interface AttemptKeys {
  ip: string;
  /** Lower-cased username as typed. */
  username: string;
}

const keysOf = (k: AttemptKeys) => [
  { key: `ip:${k.ip}`, threshold: LOGIN_LIMITS.ip.threshold },
  { key: `user:${k.username}`, threshold: LOGIN_LIMITS.user.threshold },
];

export function lockSeconds(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(LOGIN_LIMITS.maxLockS, LOGIN_LIMITS.baseLockS * 2 ** (failures - threshold));
}

async function lockRows(trx: Transaction<Database>, keys: string[]) {
  await trx
    .insertInto('login_attempts')
    .values(keys.map((key) => ({ key, failures: 0 })))
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  // In key order, so two logins never wait on each other's rows in opposite orders.
  return trx
    .selectFrom('login_attempts')
    .select(['key', 'failures', 'last_attempt_at', 'locked_until', sql<Date>`now()`.as('now')])
    .where('key', 'in', keys)
    .orderBy('key')
    .forUpdate()
    .execute();
}

/** Counts an attempt, or refuses it while a key is locked: `{ retryAfterS }` then. */
export async function reserveLoginAttempt(db: Kysely<Database>, k: AttemptKeys): Promise<{ ok: true } | { ok: false; retryAfterS: number }> {
  const keys = keysOf(k);
  return inTransaction(db, async (trx) => {
    const rows = await lockRows(trx, keys.map((x) => x.key));
    let retryAfterMs = 0;
    for (const r of rows) {
      if (r.locked_until) retryAfterMs = Math.max(retryAfterMs, r.locked_until.getTime() - r.now.getTime());
    }
    if (retryAfterMs > 0) return { ok: false, retryAfterS: Math.ceil(retryAfterMs / 1000) };
    for (const r of rows) {
      const { threshold } = keys.find((x) => x.key === r.key)!;
      const stale = r.now.getTime() - r.last_attempt_at.getTime() > LOGIN_LIMITS.windowS * 1000;
      const failures = (stale ? 0 : r.failures) + 1;
      const lock = lockSeconds(failures, threshold);
      await trx
        .updateTable('login_attempts')
        .set({
          failures,
          last_attempt_at: sql<Date>`now()`,
          locked_until: lock > 0 ? sql<Date>`now() + ${`${lock} seconds`}::interval` : null,
        })
        .where('key', '=', r.key)
        .execute();
    }
    return { ok: true };
  });
}

/** After a correct password: clear the username's record, give back the address's attempt. */
export async function releaseLoginAttempt(trx: Transaction<Database>, k: AttemptKeys): Promise<void> {
  const [ip, user] = keysOf(k);
  // Lock both rows first, in the same order as reserveLoginAttempt (no deadlock between them).
  const rows = await lockRows(trx, [ip!.key, user!.key]);
  await trx.deleteFrom('login_attempts').where('key', '=', user!.key).execute();
  const failures = Math.max(0, (rows.find((r) => r.key === ip!.key)?.failures ?? 1) - 1);
  await trx
    .updateTable('login_attempts')
    .set({ failures, locked_until: lockSeconds(failures, ip!.threshold) > 0 ? sql<Date>`locked_until` : null })
    .where('key', '=', ip!.key)
    .execute();
}
