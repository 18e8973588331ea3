/**
 * The audit trail (ARCHITECTURE.md, Database): recording events and verifying their chain.
 * Listing and filtering them for GET /api/audit is the audit module's (modules/audit). Every state
 * change calls `recordEvent` with the transaction that makes the change, so the event commits or
 * rolls back with it. Events are append-only (database triggers refuse UPDATE, DELETE, TRUNCATE,
 * and the app's role may only INSERT and SELECT them: server/kernel/db/roles.ts) and chained with a
 * keyed MAC: hash = HMAC-SHA-256(key, prev_hash ‖ canonical JSON of the event's fields), the key
 * kept outside the database (server/kernel/audit-key.ts). The one-row `audit_head` holds the last id
 * and hash, the number of events, and mac = HMAC(key, count ‖ last hash). Changing, removing or
 * reordering events, cutting the tail or moving the head — even as a database superuser who
 * recomputes every hash, but without the key — breaks the chain, and `verifyAuditChain` names
 * the first broken link.
 *
 * Concurrency: `recordEvent` locks the one-row `audit_head` (FOR UPDATE) until the caller's
 * transaction ends, so writers append one after another and the chain cannot fork. Call it as
 * the last statement of a transaction: the lock is then held only for the commit. Appending is
 * two statements, as before the key: read and lock the head (`lockAuditHead`); insert the event
 * and update the head in one statement (`appendEvent`; the head's MAC covers the count, known
 * before the insert, not the identity id, which is not). A hot path may read the head under its
 * lock in a statement of its own (migration 023's `approval_charge` does) and pass it to
 * `appendEvent`, with one more write to run in the event's statement.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Selectable, type Transaction } from 'kysely';
import type { Caller } from './caller.ts';
import type { AuditEventTable, Database } from './db/schema.ts';
import type { AuditKey } from './audit-key.ts';

// --- The key in use -----------------------------------------------------------------------------

let activeKey: AuditKey | undefined;

/** Sets the key this process signs and verifies with (at start-up: buildApp and the scripts). */
export function useAuditKey(key: AuditKey): void {
  activeKey = key;
}

export function auditKey(): AuditKey {
  if (!activeKey) throw new Error('No audit key is set: call useAuditKey(loadAuditKey(config)) at start-up (server/kernel/audit-key.ts).');
  return activeKey;
}

export const KEYED_SCHEME = 'hmac-sha256';

/**
 * The hash the chain starts from (the `prev_hash` of the first event). Migration 003 writes the
 * same literal into `audit_head`; tests/unit/audit-genesis.test.ts holds the two equal, so run
 * time never imports a migration.
 */
export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export interface AuditActor {
  userId: number | null;
  username: string | null;
  role: string | null;
}

/** Changes made by the system itself (seeding, command-line tools), named after the tool. */
export const systemActor = (name: string): AuditActor => ({ userId: null, username: `system:${name}`, role: null });
const ANONYMOUS: AuditActor = { userId: null, username: null, role: null };

export interface EventInput {
  /** Who makes the change: gives the actor (the signed-in user) and the request id. */
  caller?: Caller;
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
  // Keys in UTF-16 code unit order (Array#sort's default, as `<` compares strings), undefined
  // values left out; one string built, no intermediate arrays (it runs over every audited value).
  const o = value as Record<string, unknown>;
  let out = '{';
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(k)}:${canonicalJson(v)}`;
  }
  return `${out}}`;
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

/**
 * JSON.stringify writes NUL as `\u0000` and an unpaired surrogate as `\udxxx`: a text without
 * such an escape holds nothing `storable` would replace (a match may be a false alarm, e.g. an
 * escaped backslash before "u0000": `storable` then runs and changes nothing).
 */
const MAYBE_UNSTORABLE = /\\u(?:0000|d[89a-f])/i;

/** What jsonb gives back for a value: Dates become strings, undefined becomes null. */
function asStored(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  const parsed: unknown = JSON.parse(text);
  // The deep copy of `storable` only when something may need replacing (the usual value: none).
  return MAYBE_UNSTORABLE.test(text) ? storable(parsed) : parsed;
}

/** The unkeyed hash of migration 003's chain: only to verify an old chain before re-signing it. */
export function legacyChainHash(prevHash: string, fields: HashedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(fields)).digest('hex');
}

/** An event's link in the keyed chain. */
export function chainMac(key: AuditKey, prevHash: string, fields: HashedFields): string {
  return createHmac('sha256', key.secret).update(prevHash).update(canonicalJson(fields)).digest('hex');
}

/** The head's MAC: over the number of events and the last event's hash. */
export function headMac(key: AuditKey, eventCount: number, lastHash: string): string {
  return createHmac('sha256', key.secret).update(`audit-head\n${eventCount}\n${lastHash}`).digest('hex');
}

const sameHex = (a: string | null, b: string) => a !== null && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function actorOf(caller: Pick<Caller, 'user'> | undefined): AuditActor {
  const user = caller?.user;
  return user ? { userId: user.id, username: user.username, role: user.role } : ANONYMOUS;
}

/** The audit head as a writer reads it under its lock: what the next event chains to. */
export interface AuditHead {
  last_hash: string;
  /** bigint, as text. */
  event_count: string;
  scheme: string;
  key_id: string | null;
}

/**
 * Locks the one-row audit head (FOR UPDATE) until the transaction ends and reads it. Migration
 * 023's `approval_charge` reads the same columns under the same lock, in the approval's charge.
 */
export async function lockAuditHead(trx: Transaction<Database>): Promise<AuditHead> {
  return trx
    .selectFrom('audit_head')
    .select(['last_hash', sql<string>`event_count::text`.as('event_count'), 'scheme', 'key_id'])
    .where('singleton', '=', true)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

/** Appends one event to the chain inside the caller's transaction. */
export async function recordEvent(trx: Transaction<Database>, input: EventInput): Promise<{ id: string; hash: string }> {
  const { id, hash } = await appendEvent(trx, await lockAuditHead(trx), input);
  return { id, hash };
}

/** An event's statement, signed, and the head the next event of the transaction chains to. */
export interface EventStatement {
  /** Inserts the event and moves the head (one statement); returns the event's id as `id`. */
  query: RawBuilder<{ id: string }>;
  hash: string;
  head: AuditHead;
}

/**
 * The statement that appends one event after `head`, which the caller read under the head's lock
 * in this transaction (`lockAuditHead`, or a statement that locks it the same way). Nothing is
 * sent: `appendEvent` runs it, and a hot path may send it with the commit
 * (server/kernel/db/transaction.ts `commitWith`). `alongside`, a data-modifying statement, runs
 * in the event's statement (as a CTE, executed once whatever it returns): a write that must follow
 * the head's lock costs no round trip of its own.
 */
export function eventStatement(head: AuditHead, input: EventInput, opts: { alongside?: RawBuilder<unknown> } = {}): EventStatement {
  const key = auditKey();
  const caller = input.caller;
  const actor = input.actor ?? actorOf(caller);
  if (head.scheme !== KEYED_SCHEME || head.key_id !== key.id) {
    throw new Error(
      head.scheme !== KEYED_SCHEME
        ? 'The audit chain is not signed with the audit key yet: start the server once (it re-signs the chain).'
        : `The audit chain is signed with another key (id ${head.key_id}) than this process has (id ${key.id}, ${key.source}); nothing is written.`,
    );
  }
  const eventCount = Number(head.event_count) + 1;
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
    requestId: caller?.requestId ?? null,
  };
  const hash = chainMac(key, head.last_hash, fields);
  const mac = headMac(key, eventCount, hash);
  const alongside = opts.alongside ? sql`alongside as (${opts.alongside}),` : sql``;
  // The event and the new head in one statement: the head's lock is held for one round trip less.
  const query = sql<{ id: string }>`
    with ${alongside} ev as (
      insert into audit_events (at, actor_user_id, actor_username, actor_role, action, entity, entity_id, before, after, request_id, prev_hash, hash)
      values (${fields.at}::timestamptz, ${fields.actorUserId}, ${fields.actorUsername}, ${fields.actorRole}, ${fields.action}, ${fields.entity}, ${fields.entityId},
              ${fields.before === null ? null : JSON.stringify(fields.before)}::jsonb, ${fields.after === null ? null : JSON.stringify(fields.after)}::jsonb,
              ${fields.requestId}, ${head.last_hash}, ${hash})
      returning id)
    update audit_head set last_id = (select id from ev), last_hash = ${hash}, event_count = ${eventCount}, mac = ${mac}
     where singleton = true
    returning last_id::text as id`;
  return { query, hash, head: { last_hash: hash, event_count: String(eventCount), scheme: head.scheme, key_id: head.key_id } };
}

/**
 * Appends one event after `head` (see `eventStatement`) inside the caller's transaction; returns
 * the head the next event of the transaction chains to.
 */
export async function appendEvent(
  trx: Transaction<Database>,
  head: AuditHead,
  input: EventInput,
  opts: { alongside?: RawBuilder<unknown> } = {},
): Promise<{ id: string; hash: string; head: AuditHead }> {
  const st = eventStatement(head, input, opts);
  const row = await st.query.execute(trx).then((r) => r.rows[0]!);
  return { id: row.id, hash: st.hash, head: st.head };
}

// --- Reading -----------------------------------------------------------------------------------

/** The columns of an event as it is read back (for verifying here, for listing in modules/audit). */
export const auditEventColumns = [
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

/** An event row as `auditEventColumns` reads it (its bigint id as text). */
type EventRow = Selectable<AuditEventTable>;

/** An event as the API returns it: the hashed fields, its id and its place in the chain. */
export interface AuditEvent extends HashedFields {
  id: number;
  prevHash: string;
  hash: string;
}

// --- Verification ------------------------------------------------------------------------------

export type VerifyResult =
  | { ok: true; count: number; lastId: number | null; lastHash: string }
  | { ok: false; brokenAtId: number | null; reason: string; checked: number };

const BATCH = 1000;

type Reader = Kysely<Database> | Transaction<Database>;

export const hashedFieldsOf = (r: EventRow): HashedFields => ({
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

type Walk = { ok: true; count: number; lastId: string | null; lastHash: string } | { ok: false; brokenAtId: number; reason: string; checked: number };

/**
 * Walks the events up to `upToId` in id order from the genesis hash, checking each link with
 * `hashOf`; stops at the first bad one. `onEvent` sees each good event (re-signing uses it).
 */
async function walkChain(
  db: Reader,
  upToId: string | null,
  hashOf: (prevHash: string, fields: HashedFields) => string,
  onEvent?: (r: EventRow) => void | Promise<void>,
): Promise<Walk> {
  let prevHash = AUDIT_GENESIS_HASH;
  let lastId: string | null = null;
  let checked = 0;
  if (upToId === null) return { ok: true, count: 0, lastId: null, lastHash: prevHash };
  for (;;) {
    const rows = (await db
      .selectFrom('audit_events')
      .select(auditEventColumns)
      .where(sql<boolean>`id > ${lastId ?? '0'}::bigint`)
      .where(sql<boolean>`id <= ${upToId}::bigint`)
      .orderBy('audit_events.id')
      .limit(BATCH)
      .execute()) as EventRow[];
    for (const r of rows) {
      const id = Number(r.id);
      if (r.prev_hash !== prevHash) {
        return { ok: false, brokenAtId: id, reason: `Event ${id} does not follow the event before it (prev_hash differs): an event was removed, inserted or reordered.`, checked };
      }
      if (hashOf(r.prev_hash, hashedFieldsOf(r)) !== r.hash) {
        return { ok: false, brokenAtId: id, reason: `Event ${id} was changed after it was written (its hash does not match its contents).`, checked };
      }
      await onEvent?.(r);
      prevHash = r.hash;
      lastId = r.id;
      checked++;
    }
    if (rows.length < BATCH) break;
  }
  return { ok: true, count: checked, lastId, lastHash: prevHash };
}

interface HeadRow {
  last_id: string | null;
  last_hash: string;
  event_count: string;
  mac: string | null;
  scheme: string;
  key_id: string | null;
}

export async function readHead(db: Reader, { lock = false } = {}): Promise<HeadRow | undefined> {
  let q = db
    .selectFrom('audit_head')
    .select([sql<string | null>`last_id::text`.as('last_id'), 'last_hash', sql<string>`event_count::text`.as('event_count'), 'mac', 'scheme', 'key_id']);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** The head as last verified good in this process, per database: a head replayed from the past shows. */
const lastGoodHead = new WeakMap<object, number>();

/**
 * Walks the keyed chain from the first event and reports the first broken link: an event whose
 * MAC or link is wrong, or a head that does not match the chain's end (removed events, a moved
 * head, a count that differs) or whose own MAC is wrong. Reads the head first and checks only
 * events up to it, so appends during the walk do not look like damage; no long transaction is
 * held (the embedded database has one connection).
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<VerifyResult> {
  const key = auditKey();
  const head = await readHead(db);
  if (!head) return { ok: false, brokenAtId: null, reason: 'The audit_head row is missing.', checked: 0 };
  if (head.scheme !== KEYED_SCHEME) {
    return { ok: false, brokenAtId: null, reason: 'The audit chain is not signed with the audit key yet (start the server once to re-sign it).', checked: 0 };
  }
  if (head.key_id !== key.id) {
    return { ok: false, brokenAtId: null, reason: `The audit chain was signed with another key (id ${head.key_id}) than this one (id ${key.id}, ${key.source}): nothing can be verified with it.`, checked: 0 };
  }
  const walk = await walkChain(db, head.last_id, (prev, fields) => chainMac(key, prev, fields));
  if (!walk.ok) return walk;
  const headId = head.last_id === null ? null : Number(head.last_id);
  const count = Number(head.event_count);
  if (!sameHex(head.mac, headMac(key, count, head.last_hash))) {
    return { ok: false, brokenAtId: headId, reason: `The chain head (event ${head.last_id ?? '(none)'}, ${count} events) was altered: its MAC does not match.`, checked: walk.count };
  }
  if (walk.lastId !== head.last_id || walk.lastHash !== head.last_hash || walk.count !== count) {
    return {
      ok: false,
      brokenAtId: headId,
      reason: `The chain ends at event ${walk.lastId ?? '(none)'} after ${walk.count} events but its head records event ${head.last_id ?? '(none)'} after ${count}: events were removed or the head was moved.`,
      checked: walk.count,
    };
  }
  const seen = lastGoodHead.get(db) ?? 0;
  if (count < seen) {
    return { ok: false, brokenAtId: headId, reason: `The chain had ${seen} events when last verified by this server and now has ${count}: its tail was cut and an older head put back.`, checked: walk.count };
  }
  lastGoodHead.set(db, count);
  return { ok: true, count: walk.count, lastId: headId, lastHash: walk.lastHash };
}

/** Verifies an unkeyed (migration 003) chain, to re-sign it only when it is intact. */
export async function verifyLegacyChain(db: Reader, head: HeadRow, onEvent?: (r: EventRow) => void | Promise<void>): Promise<VerifyResult> {
  const walk = await walkChain(db, head.last_id, legacyChainHash, onEvent);
  if (!walk.ok) return walk;
  if (walk.lastId !== head.last_id || walk.lastHash !== head.last_hash) {
    return {
      ok: false,
      brokenAtId: head.last_id === null ? null : Number(head.last_id),
      reason: `The chain ends at event ${walk.lastId ?? '(none)'} but its head records event ${head.last_id ?? '(none)'}: events at the end were removed or the head was altered.`,
      checked: walk.count,
    };
  }
  return { ok: true, count: walk.count, lastId: walk.lastId === null ? null : Number(walk.lastId), lastHash: walk.lastHash };
}

export type { EventRow as AuditEventRow, HashedFields as AuditHashedFields };
