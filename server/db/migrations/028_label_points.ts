/**
 * Label points stored with the plot (issue #17 §3, tiles as fast as ST_AsMVT).
 *
 * On the postgis path every tile from zoom 15 carries a `plot_labels` layer: one point inside each
 * plot (`ST_PointOnSurface`) for its code. Computed per tile, that was most of the time a cold
 * tile spent beyond the raw `ST_AsMVT` of its plots. Here `plots.label_pt` (geometry(Point, 4326))
 * is derived once per geometry by the same one writer as `plots.geom` — the trigger
 * `plots_geom_sync` (server/kernel/db/spatial.ts `setUpPostgis`, which this re-runs: idempotent)
 * — and existing rows are backfilled without bumping row_version / updated_at.
 *
 * On PGlite, or PostgreSQL without PostGIS, it changes nothing (the jsonb path places labels with
 * turf's pointOnFeature per tile, as before).
 */
import type { Kysely } from 'kysely';
import { postgisReady, setUpPostgis } from '../../kernel/db/spatial.ts';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(await postgisReady(db))) return;
  await setUpPostgis(db, { inTransaction: true });
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(await postgisReady(db))) return;
  await execAll(db, [
    `CREATE OR REPLACE FUNCTION plots_geom_sync() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       NEW.geom := ST_SetSRID(ST_GeomFromGeoJSON(NEW.geometry::text), 4326);
       RETURN NEW;
     END $$`,
    `DROP TRIGGER IF EXISTS plots_geom_sync ON plots`,
    `CREATE TRIGGER plots_geom_sync BEFORE INSERT OR UPDATE OF geometry, geom ON plots FOR EACH ROW EXECUTE FUNCTION plots_geom_sync()`,
    `ALTER TABLE plots DROP COLUMN IF EXISTS label_pt`,
  ]);
}
