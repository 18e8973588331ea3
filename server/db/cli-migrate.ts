/**
 * `npm run db:migrate`: applies pending migrations to DATABASE_URL (as DATABASE_OWNER_URL when
 * set) or the PGlite in DATA_DIR, refreshes the app role's grants and signs the audit chain
 * with the audit key if it is not yet (server/kernel/db/prepare.ts).
 */
import { loadConfig } from '../kernel/config.ts';
import { connectDatabase } from '../kernel/db/connect.ts';
import { prepareDatabase } from '../kernel/db/prepare.ts';

const config = loadConfig();
const handle = await connectDatabase(config);
try {
  const { applied, resigned } = await prepareDatabase(handle, config);
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
  if (resigned > 0) console.log(`Re-signed ${resigned} audit events with the audit key (event audit.rekeyed).`);
} finally {
  await handle.close();
}
