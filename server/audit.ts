/**
 * The audit trail (ARCHITECTURE.md, Database; accounts issue §4). Every state change calls
 * `recordEvent` with the transaction that makes the change, so the event commits or rolls back
 * with it. Events are append-only (database triggers refuse UPDATE, DELETE, TRUNCATE) and
 * hash-chained: hash = SHA-256(prev_hash ‖ canonical JSON of the event's fields). Changing,
 * removing or reordering a stored event breaks the chain, and `verifyAuditChain` names the first
 * broken link.
 *
 * Concurrency: `recordEvent` locks the one-row `audit_head` (FOR UPDATE) until the caller's
 * transaction ends, so writers append one after another and the chain cannot fork. Call it as
 * the last statement of a transaction: the lock is then held only for the commit.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Database } from './db/schema.ts';
import { AUDIT_GENESIS_HASH } from './db/migrations/003_accounts.ts';

export interface AuditActor {
  userId: number | null;
  username: string | null;
  role: string | null;
}

/** Changes made by the system itself (seeding, command-line tools), named after the tool. */
export const systemActor = (name: string): AuditActor => ({ userId: null, username: `system:${name}`, role: null });
const ANONYMOUS: AuditActor = { userId: null, username: null, role: null };

export interface EventInput {
  /** The request making the change: gives the actor (its session user) and the request id. */
  req?: FastifyRequest;
  /** Overrides the request's user (e.g. a login, made before a session exists). */
  actor?: AuditActor;
  /** Dotted verb, e.g. `user.create`, `auth.login_failed`, `allocation.approve`. */
  action: string;
  /** Table-like noun, e.g. `user`, `plot`, `allocation`. */
  entity: string;
  entityId?: string | number | null;
  /** The entity before and after the change (omit for creations / removals). No secrets. */
  before?: unknown;
  after?: unknown;
}

/** The fields a hash covers, in the shape they are read back. */
interface HashedFields {
  at: string;
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

// NUL and unpaired UTF-16 surrogates cannot be stored in PostgreSQL text or jsonb.
// eslint-disable-next-line no-control-regex -- matching NUL is the point
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces what the database cannot store by U+FFFD, so odd input never fails the write it audits. */
function storable(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storable(k) as string, storable(v)]));
  }
  return value;
}
const storableText = (s: string | null) => (s === null ? null : (storable(s) as string));

/** What jsonb gives back for a value: Dates become strings, undefined becomes null. */
function asStored(value: unknown): unknown {
  return value === undefined || value === null ? null : storable(JSON.parse(JSON.stringify(value)));
}

function chainHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

function actorOf(req: FastifyRequest | undefined): AuditActor {
  const user = req?.user;
  return user ? { userId: user.id, username: user.username, role: user.role } : ANONYMOUS;
}

/** Appends one event to the chain inside the caller's transaction. */
export async function recordEvent(trx: Transaction<Database>, input: EventInput): Promise<{ id: string; hash: string }> {
  const actor = input.actor ?? actorOf(input.req);
  const head = await trx.selectFrom('audit_head').select('last_hash').where('singleton', '=', true).forUpdate().executeTakeFirstOrThrow();
  // Taken after the lock, so `at` follows the chain order.
  const at = new Date();
  const fields: HashedFields = {
    at: at.toISOString(),
    actorUserId: actor.userId,
    actorUsername: storableText(actor.username),
    actorRole: actor.role,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId == null ? null : storableText(String(input.entityId)),
    before: asStored(input.before),
    after: asStored(input.after),
    requestId: input.req?.id ?? null,
  };
  const hash = chainHash(head.last_hash, fields);
  // The event and the new head in one statement: the head's lock is held for one round trip less.
  const row = await sql<{ id: string }>`
    with ev as (
      insert into audit_events (at, actor_user_id, actor_username, actor_role, action, entity, entity_id, before, after, request_id, prev_hash, hash)
      values (${at}, ${fields.actorUserId}, ${fields.actorUsername}, ${fields.actorRole}, ${fields.action}, ${fields.entity}, ${fields.entityId},
              ${fields.before === null ? null : JSON.stringify(fields.before)}::jsonb, ${fields.after === null ? null : JSON.stringify(fields.after)}::jsonb,
              ${fields.requestId}, ${head.last_hash}, ${hash})
      returning id)
    update audit_head set last_id = (select id from ev), last_hash = ${hash}
     where singleton = true
    returning last_id::text as id`
    .execute(trx)
    .then((r) => r.rows[0]!);
  return { id: row.id, hash };
}

// --- Reading -----------------------------------------------------------------------------------

const eventColumns = [
  sql<string>`id::text`.as('id'),
  'at',
  'actor_user_id',
  'actor_username',
  'actor_role',
  'action',
  'entity',
  'entity_id',
  'before',
  'after',
  'request_id',
  'prev_hash',
  'hash',
] as const;

type EventRow = {
  id: string;
  at: Date;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: unknown;
  after: unknown;
  request_id: string | null;
  prev_hash: string;
  hash: string;
};

/** An event as the API returns it: the hashed fields, its id and its place in the chain. */
export interface AuditEvent extends HashedFields {
  id: number;
  prevHash: string;
  hash: string;
}

function toEvent(r: EventRow): AuditEvent {
  return {
    id: Number(r.id),
    at: new Date(r.at).toISOString(),
    actorUserId: r.actor_user_id,
    actorUsername: r.actor_username,
    actorRole: r.actor_role,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    before: r.before ?? null,
    after: r.after ?? null,
    requestId: r.request_id,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export interface AuditFilters {
  entity?: string | undefined;
  entityId?: string | undefined;
  /** Actor username, case-insensitive. */
  actor?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  offset: number;
}

/** Events matching the filters, newest first, with the total count. */
export async function listAuditEvents(db: Kysely<Database>, f: AuditFilters): Promise<{ items: AuditEvent[]; total: number }> {
  let q = db.selectFrom('audit_events');
  if (f.entity !== undefined) q = q.where('entity', '=', f.entity);
  if (f.entityId !== undefined) q = q.where('entity_id', '=', f.entityId);
  if (f.actor !== undefined) q = q.where(sql<string>`lower(actor_username)`, '=', f.actor.toLowerCase());
  if (f.action !== undefined) q = q.where('action', '=', f.action);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  const [rows, count] = await Promise.all([
    q.select(eventColumns).orderBy('audit_events.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: (rows as EventRow[]).map(toEvent), total: count.n };
}

// --- Verification ------------------------------------------------------------------------------

export type VerifyResult =
  | { ok: true; count: number; lastId: number | null; lastHash: string }
  | { ok: false; brokenAtId: number | null; reason: string; checked: number };

const BATCH = 1000;

/**
 * Walks the chain from the first event and reports the first broken link. Reads the head first
 * and checks only events up to it, so appends during the walk do not look like damage; no long
 * transaction is held (the embedded database has one connection).
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<VerifyResult> {
  const head = await db.selectFrom('audit_head').select([sql<string | null>`last_id::text`.as('last_id'), 'last_hash']).executeTakeFirst();
  if (!head) return { ok: false, brokenAtId: null, reason: 'The audit_head row is missing.', checked: 0 };
  let prevHash = AUDIT_GENESIS_HASH;
  let lastId: string | null = null;
  let checked = 0;
  if (head.last_id !== null) {
    for (;;) {
      const rows = (await db
        .selectFrom('audit_events')
        .select(eventColumns)
        .where(sql<boolean>`id > ${lastId ?? '0'}::bigint`)
        .where(sql<boolean>`id <= ${head.last_id}::bigint`)
        .orderBy('audit_events.id')
        .limit(BATCH)
        .execute()) as EventRow[];
      for (const r of rows) {
        const id = Number(r.id);
        if (r.prev_hash !== prevHash) {
          return { ok: false, brokenAtId: id, reason: `Event ${id} does not follow the event before it (prev_hash differs): an event was removed, inserted or reordered.`, checked };
        }
        const expected = chainHash(r.prev_hash, {
          at: new Date(r.at).toISOString(),
          actorUserId: r.actor_user_id,
          actorUsername: r.actor_username,
          actorRole: r.actor_role,
          action: r.action,
          entity: r.entity,
          entityId: r.entity_id,
          before: r.before ?? null,
          after: r.after ?? null,
          requestId: r.request_id,
        });
        if (expected !== r.hash) {
          return { ok: false, brokenAtId: id, reason: `Event ${id} was changed after it was written (its hash does not match its contents).`, checked };
        }
        prevHash = r.hash;
        lastId = r.id;
        checked++;
      }
      if (rows.length < BATCH) break;
    }
  }
  if (lastId !== head.last_id || prevHash !== head.last_hash) {
    return {
      ok: false,
      brokenAtId: head.last_id === null ? null : Number(head.last_id),
      reason: `The chain ends at event ${lastId ?? '(none)'} but its head records event ${head.last_id ?? '(none)'}: events at the end were removed or the head was altered.`,
      checked,
    };
  }
  return { ok: true, count: checked, lastId: lastId === null ? null : Number(lastId), lastHash: prevHash };
}
