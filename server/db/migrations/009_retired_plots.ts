/**
 * Parcels counted once, records complete.
 *
 * - Plot status `retired` (已注销): a split or merge parent, replaced by its pieces. Distinct from
 *   `withdrawn` (已收回: land taken back from supply or from its user, still a parcel). Parents of
 *   earlier splits and merges were marked `withdrawn`; they move to `retired` here (a parent is
 *   read-only from its split on, so every withdrawn lineage parent is one of them).
 * - **allocated ⇔ exactly one active allocation**, in the database: a deferred constraint trigger
 *   on plots and allocations checks the plot at commit (the partial unique index
 *   `allocations_one_active_per_plot` already keeps it to at most one).
 * - `sample` on enterprises, projects, allocations and quotas: the demo's allocation records and
 *   quota years are sample data and say so (seeds/sample-allocations.ts).
 * - The lead-sector target (80 % of allocated land in a park's lead sectors) becomes a reference
 *   parameter `leadSectorShareTargetBp`: it is not in the plan, so it is a bureau assumption,
 *   `verified: false`, added to every existing parameters version.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export const LEAD_SECTOR_TARGET_SOURCE = 'bureau assumption (not in the IAB plan; the parks\u2019 three-year plans, to confirm)';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE plots DROP CONSTRAINT plots_status_check`,
    `ALTER TABLE plots ADD CONSTRAINT plots_status_check CHECK (status IN ('available', 'held', 'allocated', 'withdrawn', 'retired'))`,
    `UPDATE plots SET status = 'retired' WHERE status = 'withdrawn' AND id IN (SELECT parent_plot_id FROM plot_lineage)`,
    `ALTER TABLE enterprises ADD COLUMN sample boolean NOT NULL DEFAULT false`,
    `ALTER TABLE projects ADD COLUMN sample boolean NOT NULL DEFAULT false`,
    `ALTER TABLE allocations ADD COLUMN sample boolean NOT NULL DEFAULT false`,
    `ALTER TABLE quotas ADD COLUMN sample boolean NOT NULL DEFAULT false`,
    `CREATE FUNCTION plot_allocation_consistent() RETURNS trigger LANGUAGE plpgsql AS $$
     DECLARE
       pid integer;
       st text;
       n integer;
     BEGIN
       IF TG_TABLE_NAME = 'plots' THEN
         pid := NEW.id;
       ELSIF TG_OP = 'DELETE' THEN
         pid := OLD.plot_id;
       ELSE
         pid := NEW.plot_id;
       END IF;
       SELECT status INTO st FROM plots WHERE id = pid;
       IF NOT FOUND THEN
         RETURN NULL;
       END IF;
       SELECT count(*) INTO n FROM allocations WHERE plot_id = pid AND status IN ('approved', 'contracted', 'completed');
       IF (st = 'allocated') <> (n = 1) THEN
         RAISE EXCEPTION 'plot % is % with % active allocations: a plot is allocated exactly when it has one active allocation', pid, st, n
           USING ERRCODE = 'check_violation', CONSTRAINT = 'plots_allocated_iff_one_active_allocation';
       END IF;
       RETURN NULL;
     END $$`,
    `CREATE CONSTRAINT TRIGGER plots_allocated_iff_one_active_allocation AFTER INSERT OR UPDATE OF status ON plots
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plot_allocation_consistent()`,
    `CREATE CONSTRAINT TRIGGER allocations_plot_allocated AFTER INSERT OR UPDATE OF status, plot_id OR DELETE ON allocations
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plot_allocation_consistent()`,
    `INSERT INTO ref_parameters (version_id, key, value, verified, source)
     SELECT v.id, 'leadSectorShareTargetBp', '8000', false, '${LEAD_SECTOR_TARGET_SOURCE.replaceAll("'", "''")}'
       FROM reference_versions v
      WHERE v.kind = 'parameters'
        AND NOT EXISTS (SELECT 1 FROM ref_parameters p WHERE p.version_id = v.id AND p.key = 'leadSectorShareTargetBp')`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `DROP TRIGGER allocations_plot_allocated ON allocations`,
    `DROP TRIGGER plots_allocated_iff_one_active_allocation ON plots`,
    `DROP FUNCTION plot_allocation_consistent`,
    `ALTER TABLE quotas DROP COLUMN sample`,
    `ALTER TABLE allocations DROP COLUMN sample`,
    `ALTER TABLE projects DROP COLUMN sample`,
    `ALTER TABLE enterprises DROP COLUMN sample`,
    `UPDATE plots SET status = 'withdrawn' WHERE status = 'retired'`,
    `ALTER TABLE plots DROP CONSTRAINT plots_status_check`,
    `ALTER TABLE plots ADD CONSTRAINT plots_status_check CHECK (status IN ('available', 'held', 'allocated', 'withdrawn'))`,
  ]);
}
