/**
 * PostGIS when PostgreSQL has it (issue #17 §2; server/kernel/db/spatial.ts).
 *
 * On PostgreSQL whose server has the extension available and whose role may create it, this
 * creates `postgis` (in a savepoint: a refusal never fails the migration), then adds
 * `plots.geom geometry(Geometry, 4326)` with a GiST index, kept in step with `plots.geometry`
 * (jsonb, still the source of truth) by ONE writer — the trigger `plots_geom_sync` — and
 * backfills the existing rows (without bumping row_version / updated_at).
 *
 * On PGlite, or without PostGIS (or without the right to create it), it changes nothing and is
 * still recorded as applied: the app then runs the jsonb + box path. Installing PostGIS later:
 *   psql "$DATABASE_URL" -c "CREATE EXTENSION postgis"   # as a superuser
 *   npm run db:postgis                                     # adds plots.geom, backfills; restart the app
 */
import type { Kysely } from 'kysely';
import { setUpPostgis } from '../../kernel/db/spatial.ts';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  const r = await setUpPostgis(db, { inTransaction: true });
  if (r.outcome !== 'ready' && r.outcome !== 'pglite' && process.env.LOG_LEVEL !== 'silent') console.warn(`[022_postgis] ${r.message}`);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // Leaves the extension itself (other objects may use it; dropping it is a DBA's call).
  await execAll(db, [
    `DROP TRIGGER IF EXISTS plots_geom_sync ON plots`,
    `DROP FUNCTION IF EXISTS plots_geom_sync()`,
    `ALTER TABLE plots DROP COLUMN IF EXISTS label_pt`,
    `ALTER TABLE plots DROP COLUMN IF EXISTS geom`,
    // Only where PostGIS exists (the argument type would not resolve elsewhere).
    `DO $$ BEGIN
       IF EXISTS (SELECT 1 FROM pg_proc WHERE proname = 'plots_overlap_m2') THEN DROP FUNCTION plots_overlap_m2(geometry, geometry); END IF;
     END $$`,
  ]);
}
