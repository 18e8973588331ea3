/**
 * Generated zones (issue #17 §1): parks of tier `zone` that carry the realistic scale dataset
 * (`npm run db:seed -- --plots 1000000`, seeds/scale.ts). A zone is sample data, never an IAB
 * park: the policies that read a tier (green channel = `core` only, subsidies = the three IAB
 * tiers, dashboards) leave it out, and the map hides zones unless asked.
 *
 * Also: the "allocated ⇔ one active allocation" constraint trigger of 009 fired for every
 * inserted plot, so a bulk load queued a deferred check per row (a million plpgsql calls at
 * commit). An inserted plot that is not `allocated` cannot break the rule on its own (an
 * allocation for it fires the allocations trigger, which checks the same rule), so the INSERT
 * trigger now runs only for plots inserted as `allocated`; UPDATE OF status is unchanged.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE parks DROP CONSTRAINT parks_tier_check`,
    `ALTER TABLE parks ADD CONSTRAINT parks_tier_check CHECK (tier IN ('core', 'equal_policy', 'recognized', 'zone'))`,
    // A zone is always generated sample data with an indicative boundary.
    `ALTER TABLE parks ADD CONSTRAINT parks_zone_is_sample CHECK (tier <> 'zone' OR (sample AND boundary_source = 'indicative'))`,
    `CREATE INDEX parks_tier_idx ON parks (tier)`,
    `DROP TRIGGER plots_allocated_iff_one_active_allocation ON plots`,
    `CREATE CONSTRAINT TRIGGER plots_allocated_iff_one_active_allocation AFTER UPDATE OF status ON plots
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plot_allocation_consistent()`,
    `CREATE CONSTRAINT TRIGGER plots_allocated_iff_one_active_allocation_ins AFTER INSERT ON plots
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'allocated') EXECUTE FUNCTION plot_allocation_consistent()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `DROP TRIGGER plots_allocated_iff_one_active_allocation_ins ON plots`,
    `DROP TRIGGER plots_allocated_iff_one_active_allocation ON plots`,
    `CREATE CONSTRAINT TRIGGER plots_allocated_iff_one_active_allocation AFTER INSERT OR UPDATE OF status ON plots
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION plot_allocation_consistent()`,
    `DROP INDEX parks_tier_idx`,
    `ALTER TABLE parks DROP CONSTRAINT parks_zone_is_sample`,
    `ALTER TABLE parks DROP CONSTRAINT parks_tier_check`,
    `ALTER TABLE parks ADD CONSTRAINT parks_tier_check CHECK (tier IN ('core', 'equal_policy', 'recognized'))`,
  ]);
}
