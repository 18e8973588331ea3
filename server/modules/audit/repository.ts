/** Reading the audit trail for GET /api/audit: filters, newest first, and the row → API mapper. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { auditEventColumns, hashedFieldsOf, type AuditEvent, type AuditEventRow } from '../../kernel/audit.ts';

type Executor = Kysely<Database> | Transaction<Database>;

export function toAuditEvent(r: AuditEventRow): AuditEvent {
  return { id: Number(r.id), ...hashedFieldsOf(r), prevHash: r.prev_hash, hash: r.hash };
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
export async function listAuditEvents(db: Executor, f: AuditFilters): Promise<{ items: AuditEvent[]; total: number }> {
  let q = db.selectFrom('audit_events');
  if (f.entity !== undefined) q = q.where('entity', '=', f.entity);
  if (f.entityId !== undefined) q = q.where('entity_id', '=', f.entityId);
  if (f.actor !== undefined) q = q.where(sql<string>`lower(actor_username)`, '=', f.actor.toLowerCase());
  if (f.action !== undefined) q = q.where('action', '=', f.action);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  const [rows, count] = await Promise.all([
    q.select(auditEventColumns).orderBy('audit_events.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items: (rows as AuditEventRow[]).map(toAuditEvent), total: count.n };
}
