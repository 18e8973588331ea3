/**
 * An approval's year figures kept with its charge (issue #17 §4). Every approval of a year waits
 * for the year's row, so what runs under that lock sets the approvals' pace. Until now the
 * approval wrote the allocation's row under it, to put the year's figures into the decision
 * record (`decision.quota`): 23 CHECKs, the agreement's conditions validated again and the
 * decision (several kB of jsonb) compressed again, each time. The allocation is now approved
 * with the rest of its decision before the year is locked, and the year's figures stay where
 * the lock already writes: the charge's ledger row.
 *
 * - `quota_ledger.year_before`: the year as `approval_charge` locked it (quota, IAB reserve,
 *   approved and IAB approved, m², exact), on the charges it makes. What the year was after the
 *   charge follows from it and the charge (shared/policy `checkQuota`); the read model
 *   (server/modules/allocations/repository.ts `chargeRecord`) gives an allocation's
 *   `decision.quota` from it when the decision does not hold it (approvals from this migration
 *   on). Decisions recorded before keep theirs.
 * - `approval_charge` also checks the plot's and the allocations' deferred invariants (migration
 *   009's constraint triggers) before it locks the year, instead of at the COMMIT, under the
 *   lock: the approval's status changes are all made by then. They stay deferred for the rest of
 *   the transaction.
 *
 * - The jsonb an approval writes — its decision and proposal floor, its event's before and after
 *   (several kB each, compressed when stored) — is compressed with lz4 where PostgreSQL is built
 *   with it (Debian's is; PGlite is not, and keeps pglz): bench:approvals, PostgreSQL CPU per
 *   approval about a tenth less, and the event's compression is in the part under the locks.
 *   Values already stored keep their compression; both read the same.
 *
 * `down` writes the figures of the approvals recorded meanwhile into their decisions, then
 * drops the column, restores migration 029's function and the default compression.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';
import { APPROVAL_CHARGE_029 } from './029_approval_charge_year.ts';

/** The jsonb columns an approval writes (several kB each): lz4 where the server has it. */
const LZ4_COLUMNS = [['allocations', 'decision'], ['allocations', 'proposed_floor'], ['audit_events', 'before'], ['audit_events', 'after']];
const compression = (method: 'lz4' | 'default') => `DO $$ BEGIN
       IF (SELECT 'lz4' = ANY (enumvals) FROM pg_settings WHERE name = 'default_toast_compression') THEN
         ${LZ4_COLUMNS.map(([t, c]) => `ALTER TABLE ${t} ALTER COLUMN ${c} SET COMPRESSION ${method};`).join(' ')}
       END IF;
     END $$`;

const DEFERRED_INVARIANTS = 'allocations_plot_allocated, plots_allocated_iff_one_active_allocation, plots_allocated_iff_one_active_allocation_ins';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE quota_ledger ADD COLUMN year_before jsonb,
       ADD CONSTRAINT quota_ledger_year_before_of_charge CHECK (year_before IS NULL OR (kind = 'charge' AND jsonb_typeof(year_before) = 'object'))`,
    'DROP FUNCTION approval_charge(integer, integer, numeric, boolean, integer)',
    `CREATE FUNCTION approval_charge(p_allocation integer, p_year integer, p_area numeric, p_iab boolean, p_user integer)
     RETURNS TABLE (
       quota_found boolean, q_year integer, q_quota_m2 text, q_iab_reserve_m2 text, q_approved_m2 text, q_iab_approved_m2 text,
       q_updated_at timestamptz, charged boolean, ledger_id text,
       head_last_hash text, head_event_count text, head_scheme text, head_key_id text)
     LANGUAGE plpgsql AS $$
     DECLARE
       q record;
       available numeric;
     BEGIN
       -- The approval's status changes are made: check their invariants now, before the year's lock.
       SET CONSTRAINTS ${DEFERRED_INVARIANTS} IMMEDIATE;
       SET CONSTRAINTS ${DEFERRED_INVARIANTS} DEFERRED;
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
       INSERT INTO quota_ledger (year, allocation_id, kind, area_m2, iab, created_by, year_before)
       VALUES (p_year, p_allocation, 'charge', p_area, p_iab, p_user,
               jsonb_build_object('quota_m2', q.quota_m2, 'iab_reserve_m2', q.iab_reserve_m2, 'approved_m2', q.approved_m2, 'iab_approved_m2', q.iab_approved_m2))
       RETURNING id::text INTO ledger_id;
       SELECT h.last_hash, h.event_count::text, h.scheme, h.key_id
         INTO head_last_hash, head_event_count, head_scheme, head_key_id
         FROM audit_head h WHERE h.singleton = true FOR UPDATE;
       RETURN NEXT;
     END $$`,
    compression('lz4'),
  ]);
}

/** shared/policy's figures of a year (`toQuotaView`), as jsonb numbers, from m² columns or expressions. */
function figures(...m2: [string, string, string, string]): string {
  const [quota, reserve, approved, iabApproved] = m2.map((e) => `(${e})`);
  return `jsonb_build_object('quotaM2', ${quota}, 'iabReserveM2', ${reserve}, 'approvedM2', ${approved}, 'iabApprovedM2', ${iabApproved},
     'remainingM2', ${quota} - ${approved}, 'availableToNonIabM2', ${quota} - ${approved} - greatest(${reserve} - ${iabApproved}, 0))`;
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `UPDATE allocations a
        SET decision = jsonb_set(a.decision, '{quota}', jsonb_build_object(
              'year', l.year, 'ledgerEntryId', l.id, 'chargedM2', l.area_m2, 'iab', l.iab,
              'before', ${figures('b.q', 'b.r', 'b.a', 'b.i')},
              'after', ${figures('b.q', 'b.r', 'b.a + l.area_m2', 'b.i + CASE WHEN l.iab THEN l.area_m2 ELSE 0 END')}))
       FROM quota_ledger l,
            LATERAL (SELECT (l.year_before->>'quota_m2')::numeric AS q, (l.year_before->>'iab_reserve_m2')::numeric AS r,
                            (l.year_before->>'approved_m2')::numeric AS a, (l.year_before->>'iab_approved_m2')::numeric AS i) b
      WHERE l.allocation_id = a.id AND l.kind = 'charge' AND l.year_before IS NOT NULL
        AND a.decision IS NOT NULL AND coalesce(a.decision->'quota', 'null'::jsonb) = 'null'::jsonb`,
    'DROP FUNCTION approval_charge(integer, integer, numeric, boolean, integer)',
    APPROVAL_CHARGE_029,
    'ALTER TABLE quota_ledger DROP COLUMN year_before',
    compression('default'),
  ]);
}
