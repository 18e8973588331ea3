/**
 * Approvals under the quota year's lock in one round trip (issue #17 §4).
 *
 * Every approval of a year locks that year's `quotas` row, and every write locks the one-row
 * `audit_head`: whatever runs between taking the year's lock and the commit runs one approval
 * at a time. It used to be four round trips from the application (lock and read the year; the
 * ledger charge with the decision; lock and read the audit head; the event) before the commit.
 * `approval_charge` makes the first three one call, so the serialized part is this call, the
 * event's statement and the commit:
 *
 *   1. lock the year's row (FOR UPDATE) and read it; no row → `quota_found` false, nothing done;
 *   2. the quota test of shared/policy `checkQuota` (requested area > 0 and ≤ what is available:
 *      quota − approved for an IAB project, less the unused IAB reserve otherwise). It fails →
 *      `charged` false, nothing done: the application runs `checkQuota` on the row returned and
 *      answers with its message (the refusal's wording stays in one place, shared/policy);
 *   3. it passes → the ledger charge (its trigger moves the cached totals under their CHECKs),
 *      and the allocation approved with its decision record and its 监管协议 conditions frozen
 *      from the plot, as the statement it replaces did (server/modules/allocations/repository.ts);
 *   4. the audit head, locked (FOR UPDATE) and returned, so the application signs the approval's
 *      event without reading it again.
 *
 * The application still runs `checkQuota` on the year as it was and refuses when it refuses (the
 * transaction then rolls the charge back), so the TypeScript rule stays the rule; this function's
 * test only decides whether to charge, and the CHECKs on `quotas` back both.
 *
 * Before the year's lock, `approval_lock` takes an approval's first locks in one call (the plot's
 * open proposals in id order, then the allocation), three round trips before, and sets
 * join_collapse_limit = 1 for the rest of the approval's transaction (see there). Nothing here is
 * SECURITY DEFINER: it runs with the caller's rights (the app role already makes these writes).
 * plpgsql keeps each statement's plan for the session: the prepared statements of the hot path.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

/** Migration 023's `approval_charge` (also what migration 029's `down` restores). */
export const APPROVAL_CHARGE_023 = `CREATE FUNCTION approval_charge(
       p_allocation integer, p_year integer, p_area numeric, p_iab boolean, p_user integer, p_at timestamptz, p_decision jsonb)
     RETURNS TABLE (
       quota_found boolean, q_year integer, q_quota_m2 text, q_iab_reserve_m2 text, q_approved_m2 text, q_iab_approved_m2 text,
       q_updated_at timestamptz, charged boolean, ledger_id text, frozen_conditions jsonb,
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
       UPDATE allocations a
          SET status = 'approved', area_m2 = p_area, approved_by = p_user, approved_at = p_at, updated_at = p_at,
              -- The 监管协议: the plot's 标准地 conditions as they are now (the plot is locked), frozen.
              agreement_conditions = (SELECT pl.conditions FROM plots pl WHERE pl.id = a.plot_id),
              agreement_frozen_at = p_at,
              decision = p_decision
        WHERE a.id = p_allocation
       RETURNING a.agreement_conditions INTO frozen_conditions;
       IF NOT FOUND THEN
         RAISE EXCEPTION 'approval_charge: no allocation %', p_allocation USING ERRCODE = 'no_data_found';
       END IF;
       SELECT h.last_hash, h.event_count::text, h.scheme, h.key_id
         INTO head_last_hash, head_event_count, head_scheme, head_key_id
         FROM audit_head h WHERE h.singleton = true FOR UPDATE;
       RETURN NEXT;
     END $$`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    // The approval's first locks in one call, in the order every approval takes them: the plot's
    // open proposals in id order (competing approvals of one plot queue on the first), then the
    // allocation itself with its enterprise's USCC, as lockAllocation reads it
    // (server/modules/allocations/repository.ts): three round trips before. No row: no allocation.
    `CREATE FUNCTION approval_lock(p_allocation integer)
     RETURNS TABLE (
       id integer, plot_id integer, quota_year integer, status text, mode text, term_years integer, lease_years integer,
       price_yuan numeric, annual_rent_yuan numeric, iab boolean, area_m2 numeric, proposed_floor jsonb, uscc text,
       signed_on date, handed_over_on date, started_on date, completed_on date, production_on date, full_production_on date,
       created_by integer, superseded_by integer)
     LANGUAGE plpgsql AS $$
     #variable_conflict use_column
     DECLARE
       v_plot integer;
     BEGIN
       -- For the rest of this transaction (is_local): the planner joins in the order a query is
       -- written. The approval's queries each start from a primary key and are written in the
       -- order to join them; the allocation view (8 relations) took 1.4 ms to plan exhaustively
       -- for 0.3 ms to run, and 0.35 ms this way, for the same plan.
       PERFORM set_config('join_collapse_limit', '1', true);
       SELECT a.plot_id INTO v_plot FROM allocations a WHERE a.id = p_allocation;
       IF NOT FOUND THEN
         RETURN;
       END IF;
       PERFORM 1 FROM allocations a WHERE a.plot_id = v_plot AND a.status = 'proposed' ORDER BY a.id FOR UPDATE;
       RETURN QUERY
         SELECT a.id, a.plot_id, a.quota_year, a.status, a.mode, a.term_years, a.lease_years, a.price_yuan, a.annual_rent_yuan,
                a.iab, a.area_m2, a.proposed_floor, e.uscc, a.signed_on, a.handed_over_on, a.started_on, a.completed_on,
                a.production_on, a.full_production_on, a.created_by, a.superseded_by
           FROM allocations a
           JOIN projects pr ON pr.id = a.project_id
           JOIN enterprises e ON e.id = pr.enterprise_id
          WHERE a.id = p_allocation
            FOR UPDATE OF a;
     END $$`,
    APPROVAL_CHARGE_023,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP FUNCTION approval_charge(integer, integer, numeric, boolean, integer, timestamptz, jsonb)',
    'DROP FUNCTION approval_lock(integer)',
  ]);
}
