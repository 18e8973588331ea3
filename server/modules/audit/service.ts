/**
 * The audit trail as the API shows it: events with filters, newest first, and the chain's
 * verification (recording and verifying the chain itself is the kernel's: server/kernel/audit.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { badRequest } from '../../kernel/errors.ts';
import { verifyAuditChain, type AuditEvent, type VerifyResult } from '../../kernel/audit.ts';
import { listAuditEvents } from './repository.ts';

export interface AuditQueryInput {
  entity?: string | undefined;
  entityId?: string | undefined;
  actor?: string | undefined;
  action?: string | undefined;
  /** ISO timestamp, inclusive. */
  from?: string | undefined;
  /** ISO timestamp, exclusive. */
  to?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

/** GET /api/audit: 400 when `from` is later than `to`. */
export async function listEvents(db: Kysely<Database>, q: AuditQueryInput): Promise<{ items: AuditEvent[]; total: number }> {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from && to && from > to) throw badRequest('from must not be later than to.');
  return listAuditEvents(db, { entity: q.entity, entityId: q.entityId, actor: q.actor, action: q.action, from, to, limit: q.limit ?? 100, offset: q.offset ?? 0 });
}

/** GET /api/audit/verify: the first broken link, or the chain's length and end. */
export function verifyChain(db: Kysely<Database>): Promise<VerifyResult> {
  return verifyAuditChain(db);
}
