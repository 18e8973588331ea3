/**
 * An approval's locks before the year's in one call (issue #17 §4): `approval_lock_plot` runs
 * migration 023's `approval_lock` (the plot's open proposals in id order, then the allocation)
 * and then takes the server's one plot lock on the allocation's plot (FOR NO KEY UPDATE of the
 * plot row, as server/modules/plots/repository.ts `lockPlotIfAny` takes it) and reads what the
 * approval needs of it: the plot's status and floor facts (as quotes `findPlotFloorFacts` reads
 * them, its park's district with them) and the ids of the reference versions in force on
 * `p_as_of` (as reference `versionIdsInForce` reads them). Three round trips before (the locks,
 * the version ids, the plot), in the same order: allocation, then plot. The plot is locked
 * before the application checks the allocation's status, so a refused approval (not proposed,
 * four eyes) also holds its plot's lock until it rolls back, in the same order as every other
 * writer. No row: no allocation. Runs with the caller's rights (not SECURITY DEFINER).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE FUNCTION approval_lock_plot(p_allocation integer, p_as_of date)
     RETURNS TABLE (
       id integer, plot_id integer, quota_year integer, status text, mode text, term_years integer, lease_years integer,
       price_yuan numeric, annual_rent_yuan numeric, iab boolean, area_m2 numeric, proposed_floor jsonb, uscc text,
       signed_on date, handed_over_on date, started_on date, completed_on date, production_on date, full_production_on date,
       created_by integer, superseded_by integer,
       plot_code text, plot_status text, plot_area_m2 numeric, plot_land_level integer, plot_land_grade integer,
       plot_cost_yuan numeric, plot_sample boolean, plot_district_code text, reference_versions json)
     LANGUAGE plpgsql AS $$
     #variable_conflict use_column
     DECLARE
       r record;
     BEGIN
       SELECT * INTO r FROM approval_lock(p_allocation);
       IF NOT FOUND THEN
         RETURN;
       END IF;
       RETURN QUERY
         SELECT r.id, r.plot_id, r.quota_year, r.status, r.mode, r.term_years, r.lease_years, r.price_yuan, r.annual_rent_yuan,
                r.iab, r.area_m2, r.proposed_floor, r.uscc, r.signed_on, r.handed_over_on, r.started_on, r.completed_on,
                r.production_on, r.full_production_on, r.created_by, r.superseded_by,
                pl.code::text, pl.status::text, pl.area_m2::numeric, pl.land_level::integer, pl.land_grade::integer,
                pl.cost_yuan::numeric, pl.sample, pk.district_code::text,
                (SELECT coalesce(json_agg(json_build_object('kind', v.kind, 'id', v.id) ORDER BY v.kind), '[]'::json)
                   FROM (SELECT DISTINCT ON (rv.kind) rv.kind, rv.id FROM reference_versions rv
                          WHERE rv.effective_from <= p_as_of ORDER BY rv.kind, rv.effective_from DESC, rv.id DESC) v)
           FROM plots pl
           JOIN parks pk ON pk.id = pl.park_id
          WHERE pl.id = r.plot_id
            FOR NO KEY UPDATE OF pl;
     END $$`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP FUNCTION approval_lock_plot(integer, date)']);
}
