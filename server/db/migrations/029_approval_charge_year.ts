/**
 * The approval's charge without the allocation's row (issue #17 §4). Migration 023's
 * `approval_charge` approved the allocation with its decision inside the call, and the approval
 * then wrote the allocation's row a second time, in its event's statement, to put the year's
 * figures into the decision (`jsonb_set`): two new versions of the row, the decision (several kB
 * of jsonb, compressed) parsed and stored twice, and with them every index entry of the row — the
 * costliest statements of an approval on PostgreSQL (`pg_stat_statements`, one client: 1.3 ms and
 * 1.9 ms of 6).
 *
 * `approval_charge` now locks the year, charges it when the area fits and locks the audit head —
 * as before, in one call — and the allocation is approved once, with the whole decision, in the
 * approval event's statement that is sent with the COMMIT (server/modules/allocations/service.ts).
 * The 监管协议's conditions it freezes are the plot's, read under the plot's lock by the
 * statement that allocates the plot. The quota test is unchanged (shared/policy `checkQuota`'s;
 * tests/api/approval-charge.test.ts holds the two to the cent).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';
import { APPROVAL_CHARGE_023 } from './023_approval_fn.ts';

/** The function as this migration creates it (032's `down` restores it). */
export const APPROVAL_CHARGE_029 = `CREATE FUNCTION approval_charge(p_allocation integer, p_year integer, p_area numeric, p_iab boolean, p_user integer)
     RETURNS TABLE (
       quota_found boolean, q_year integer, q_quota_m2 text, q_iab_reserve_m2 text, q_approved_m2 text, q_iab_approved_m2 text,
       q_updated_at timestamptz, charged boolean, ledger_id text,
       head_last_hash text, head_event_count text, head_scheme text, head_key_id text)
     LANGUAGE plpgsql AS $$
     DECLARE
       q record;
       available numeric;
     BEGIN
       SELECT qq.year, qq.quota_m2, qq.iab_reserve_m2, qq.approved_m2, qq.iab_approved_m2, qq.updated_at INTO q
         FROM quotas qq WHERE qq.year = p_year FOR UPDATE;
       IF NOT FOUND THEN
         quota_found := false;
         charged := false;
         RETURN NEXT;
         RETURN;
       END IF;
       quota_found := true;
       q_year := q.year;
       q_quota_m2 := q.quota_m2::text;
       q_iab_reserve_m2 := q.iab_reserve_m2::text;
       q_approved_m2 := q.approved_m2::text;
       q_iab_approved_m2 := q.iab_approved_m2::text;
       q_updated_at := q.updated_at;
       -- shared/policy checkQuota: available = quota − approved, less the unused reserve for non-IAB.
       available := q.quota_m2 - q.approved_m2
         - CASE WHEN p_iab THEN 0 ELSE greatest(q.iab_reserve_m2 - q.iab_approved_m2, 0) END;
       charged := p_area > 0 AND p_area <= available;
       IF NOT charged THEN
         RETURN NEXT;
         RETURN;
       END IF;
       INSERT INTO quota_ledger (year, allocation_id, kind, area_m2, iab, created_by)
       VALUES (p_year, p_allocation, 'charge', p_area, p_iab, p_user)
       RETURNING id::text INTO ledger_id;
       SELECT h.last_hash, h.event_count::text, h.scheme, h.key_id
         INTO head_last_hash, head_event_count, head_scheme, head_key_id
         FROM audit_head h WHERE h.singleton = true FOR UPDATE;
       RETURN NEXT;
     END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP FUNCTION approval_charge(integer, integer, numeric, boolean, integer, timestamptz, jsonb)',
    APPROVAL_CHARGE_029,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP FUNCTION approval_charge(integer, integer, numeric, boolean, integer)', APPROVAL_CHARGE_023]);
}
