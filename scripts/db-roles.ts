/**
 * `npm run db:roles` — the two PostgreSQL roles (the tables' owner, the app role), idempotent:
 * 1. as the tables' owner (DATABASE_OWNER_URL, else DATABASE_URL): applies pending migrations;
 * 2. creates the role `iab_app` (NOLOGIN) unless it exists, and lets the owner SET ROLE to it;
 * 3. grants it what the app needs: read/write on the data, only SELECT + INSERT on
 *    `audit_events`, only the moving columns of `audit_head`, nothing on the migrations.
 * With IAB_APP_PASSWORD set, `iab_app` may also log in with that password (then run the server
 * with DATABASE_URL=postgres://iab_app:…@host/db and DATABASE_OWNER_URL=<the owner's URL>).
 * Without it the server, connected as the owner, switches each connection to `iab_app` itself.
 * The embedded database (no DATABASE_URL) needs none of this: the server sets it up.
 */
import pg from 'pg';
import { sql } from 'kysely';
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { APP_ROLE, createAppRole, grantAppRole, grantAppRoleTo } from '../server/kernel/db/roles.ts';

const config = loadConfig();
if (!config.databaseUrl) {
  console.log('No DATABASE_URL: the embedded database creates and uses the role iab_app by itself at start-up. Nothing to do.');
  process.exit(0);
}
const handle = await connectDatabase(config);
let exitCode = 0;
try {
  await handle.asOwner(async (db) => {
    const applied = await migrateToLatest(db);
    if (applied.length) console.log(`Applied migrations: ${applied.join(', ')}`);
    const me = (await sql<{ me: string; superuser: boolean }>`SELECT current_user::text AS me, (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser`.execute(db)).rows[0]!;
    console.log((await createAppRole(db)) ? `Created the role ${APP_ROLE} (NOLOGIN).` : `The role ${APP_ROLE} exists.`);
    if (!me.superuser) await grantAppRoleTo(db, me.me);
    const password = process.env.IAB_APP_PASSWORD;
    if (password) {
      await sql.raw(`ALTER ROLE ${APP_ROLE} LOGIN PASSWORD ${pg.escapeLiteral(password)}`).execute(db);
      console.log(`${APP_ROLE} may log in with IAB_APP_PASSWORD.`);
    }
    await grantAppRole(db);
    console.log(`Granted ${APP_ROLE}: SELECT/INSERT/UPDATE/DELETE on the data tables; SELECT and INSERT only on audit_events; SELECT and UPDATE (last_id, last_hash, event_count, mac) on audit_head; nothing on the migrations.`);
    console.log(
      password
        ? `Run the server with DATABASE_URL=postgres://${APP_ROLE}:…@host/db and DATABASE_OWNER_URL=<the owner's URL> (migrations run as the owner).`
        : `The server, connected as "${me.me}", now runs its queries as ${APP_ROLE} (SET ROLE on each connection). For a separate login, run again with IAB_APP_PASSWORD.`,
    );
  });
} catch (err) {
  const e = err as { code?: string; message: string };
  console.error(`db:roles failed: ${e.message}`);
  if (e.code === '42501' || /admin option|permission denied to (create|grant) role/.test(e.message)) {
    console.error(
      `The owner may not create or grant roles. As a PostgreSQL superuser, run once:\n` +
        `  CREATE ROLE ${APP_ROLE} NOLOGIN;  GRANT ${APP_ROLE} TO <the owner>;\n` +
        `then run npm run db:roles again as the owner (it grants the tables).`,
    );
  }
  exitCode = 1;
} finally {
  await handle.close();
}
process.exit(exitCode);
