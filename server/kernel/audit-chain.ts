/**
 * At start-up, as the tables' owner: makes sure the audit chain is signed with this server's key.
 *
 * - A keyed chain signed with another key stops the start: writing on with this key would break
 *   the chain at that point, and the old events could no longer be verified.
 * - An unkeyed chain (from before migration 012, or a fresh database) is verified the old way
 *   first. Intact: every event is re-signed with the key, once, in one transaction (the
 *   append-only trigger is disabled for it, which only the owner can do), and an event
 *   `audit.rekeyed` records it, with the old head's hash. Broken: the start is refused with the
 *   first broken event named — nothing is re-signed, so the damage stays visible.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './db/schema.ts';
import { inTransaction } from './db/transaction.ts';
import { AUDIT_GENESIS_HASH, auditKey, chainMac, hashedFieldsOf, headMac, KEYED_SCHEME, readHead, recordEvent, systemActor, verifyLegacyChain, type AuditEventRow } from './audit.ts';

export class AuditChainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditChainError';
  }
}

export interface KeyedResult {
  /** Events re-signed now (0 when the chain was keyed already or empty). */
  resigned: number;
}

const UPDATE_BATCH = 500;

export async function ensureAuditChainKeyed(db: Kysely<Database>): Promise<KeyedResult> {
  const key = auditKey();
  return inTransaction(db, async (trx) => {
    const head = await readHead(trx, { lock: true });
    if (!head) throw new AuditChainError('The audit_head row is missing: the audit trail cannot be continued.');
    if (head.scheme === KEYED_SCHEME) {
      if (head.key_id !== key.id) {
        throw new AuditChainError(
          `The audit trail is signed with another key (id ${head.key_id}) than this server's (id ${key.id}, from ${key.source}). ` +
            'Start the server with the key it was signed with (AUDIT_KEY, or restore DATA_DIR/audit.key from your backup).',
        );
      }
      return { resigned: 0 };
    }
    // The old chain, checked the old way; the new links computed as we go.
    const updates: { id: string; prev: string; hash: string }[] = [];
    let prevHash = AUDIT_GENESIS_HASH;
    const legacy = await verifyLegacyChain(trx, head, (r: AuditEventRow) => {
      const hash = chainMac(key, prevHash, hashedFieldsOf(r));
      updates.push({ id: r.id, prev: prevHash, hash });
      prevHash = hash;
    });
    if (!legacy.ok) {
      throw new AuditChainError(
        `The audit trail is broken at event ${legacy.brokenAtId ?? '—'} (after ${legacy.checked} good events): ${legacy.reason} ` +
          'It is not re-signed with the audit key, so the damage stays visible; investigate, restore the database from a backup, and start again.',
      );
    }
    let lastHash = head.last_hash;
    if (updates.length > 0) {
      await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(trx);
      for (let i = 0; i < updates.length; i += UPDATE_BATCH) {
        const rows = updates.slice(i, i + UPDATE_BATCH).map((u) => sql`(${u.id}::bigint, ${u.prev}, ${u.hash})`);
        await sql`UPDATE audit_events e SET prev_hash = v.prev, hash = v.hash FROM (VALUES ${sql.join(rows)}) AS v (id, prev, hash) WHERE e.id = v.id`.execute(trx);
      }
      await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`.execute(trx);
      lastHash = updates.at(-1)!.hash;
    }
    await trx
      .updateTable('audit_head')
      .set({ scheme: KEYED_SCHEME, key_id: key.id, event_count: updates.length, last_hash: lastHash, mac: headMac(key, updates.length, lastHash) })
      .where('singleton', '=', true)
      .execute();
    if (updates.length > 0) {
      await recordEvent(trx, {
        actor: systemActor('audit-rekey'),
        action: 'audit.rekeyed',
        entity: 'audit',
        after: { events: updates.length, unkeyedHeadHash: legacy.lastHash, keyId: key.id, scheme: KEYED_SCHEME },
      });
    }
    return { resigned: updates.length };
  });
}
