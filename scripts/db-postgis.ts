/**
 * `npm run db:postgis` — PostGIS after the fact: when PostgreSQL gained the extension after
 * migration 022_postgis ran (and found none), this creates it if the role may, adds `plots.geom`
 * (GiST index, trigger `plots_geom_sync`) and backfills it. Idempotent. Restart the app afterwards:
 * it detects the path once (server/kernel/db/spatial.ts).
 *   psql "$DATABASE_URL" -c "CREATE EXTENSION postgis"   # as a superuser, if this role may not
 *   npm run db:postgis
 */
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { setUpPostgis } from '../server/kernel/db/spatial.ts';
import { appRoleExists, grantAppRole } from '../server/kernel/db/roles.ts';

const config = loadConfig();
if (!config.databaseUrl) {
  console.log('No DATABASE_URL: the embedded database has no PostGIS; the app uses the jsonb + box path. Nothing to do.');
  process.exit(0);
}
const handle = await connectDatabase(config);
let exitCode = 0;
try {
  await handle.asOwner(async (db) => {
    await migrateToLatest(db);
    const r = await setUpPostgis(db, { inTransaction: false });
    if (await appRoleExists(db)) await grantAppRole(db);
    console.log(r.message);
    if (r.outcome !== 'ready') exitCode = 1;
  });
} catch (err) {
  console.error(`db:postgis failed: ${(err as Error).message}`);
  exitCode = 1;
} finally {
  await handle.close();
}
process.exit(exitCode);
