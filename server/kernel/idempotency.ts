/**
 * `Idempotency-Key` (ARCHITECTURE.md, HTTP API: "a replay returns the first result"). A write
 * that carries a key runs in one transaction that first claims (user, route, key) in
 * `idempotency_keys`, then makes its change, then stores the response in the same row — so the
 * stored response exists exactly when the change committed.
 *
 * - A replay (same user, route and key, same request) returns the stored status and body and
 *   changes nothing. A concurrent duplicate waits on the claim (the unique key) until the first
 *   commits, then replays.
 * - The same key with a different request (another body or another id) → 422, so a client bug
 *   never silently returns the answer to a different question.
 * - A request that fails (4xx) rolls back with its claim: nothing was done, so retrying with the
 *   same key tries again. Only successful responses are remembered.
 * - Keys are kept (one small row per keyed write); pruning old ones is housekeeping for later.
 */
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { Type } from 'typebox';
import type { Database } from './db/schema.ts';
import { inTransaction } from './db/transaction.ts';
import { canonicalJson } from './audit.ts';
import { AppError } from './errors.ts';

/** The request header, as route schemas declare it (lower case, as Node gives headers). */
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ minLength: 1, maxLength: 200, pattern: '^[\\x21-\\x7E]+$', description: 'Optional: a unique key per intended write (e.g. a UUID). A replay with the same key returns the first response and changes nothing.' }),
  ),
});

export interface IdempotencyScope {
  /** The header value, or undefined for a plain (non-idempotent) write. */
  key: string | undefined;
  userId: number;
  /** Method and route pattern, e.g. `POST /api/allocations/:id/approve`. */
  route: string;
  /** What makes two requests "the same": the path parameters and the body. */
  request: unknown;
}

/** What a write takes beside its input: the client's `Idempotency-Key`, if it sent one. */
export interface WriteOptions {
  idempotencyKey?: string | undefined;
}

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const requestHash = (request: unknown) => createHash('sha256').update(canonicalJson(request)).digest('hex');

/**
 * Runs `fn` in one transaction (retried on serialization failures like any other), honouring
 * the key. `status` is the status of a successful first response (or a function of its body,
 * for a write that answers 201 when it creates and 200 when it replaces).
 */
export async function idempotent<T>(
  db: Kysely<Database>,
  scope: IdempotencyScope,
  status: number | ((body: T) => number),
  fn: (trx: Transaction<Database>) => Promise<T>,
  { bodyCommits = false }: { bodyCommits?: boolean } = {},
): Promise<IdempotentResult<T>> {
  const statusOf = (body: T) => (typeof status === 'function' ? status(body) : status);
  // With a key, the response is stored after `fn`, in its transaction: `fn` may not commit it.
  return inTransaction(db, async (trx) => {
    const { key } = scope;
    if (key === undefined) {
      const body = await fn(trx);
      return { status: statusOf(body), body, replayed: false };
    }
    const hash = requestHash(scope.request);
    const where = { user_id: scope.userId, route: scope.route, key };
    const claimed = await trx
      .insertInto('idempotency_keys')
      .values({ ...where, request_hash: hash })
      .onConflict((oc) => oc.columns(['user_id', 'route', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (!claimed) {
      // Taken by a committed request (a concurrent one was waited for by the insert above).
      const prior = await trx
        .selectFrom('idempotency_keys')
        .select(['request_hash', 'status_code', 'response'])
        .where('user_id', '=', where.user_id)
        .where('route', '=', where.route)
        .where('key', '=', where.key)
        .executeTakeFirstOrThrow();
      if (prior.request_hash !== hash) {
        throw new AppError(
          422,
          'VALIDATION_FAILED',
          `Idempotency-Key "${key}" was already used for a different request to ${scope.route}; use a new key for a new request (该幂等键已用于另一请求，请使用新的键).`,
          { reason: 'IDEMPOTENCY_KEY_REUSED' },
        );
      }
      return { status: prior.status_code ?? statusOf(prior.response as T), body: prior.response as T, replayed: true };
    }
    const body = await fn(trx);
    const code = statusOf(body);
    await trx
      .updateTable('idempotency_keys')
      .set({ status_code: code, response: JSON.stringify(body) })
      .where('user_id', '=', where.user_id)
      .where('route', '=', where.route)
      .where('key', '=', where.key)
      .execute();
    return { status: code, body, replayed: false };
  }, { bodyCommits: bodyCommits && scope.key === undefined });
}
