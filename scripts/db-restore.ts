/**
 * `npm run db:restore -- FILE [--force]` — restores a backup made by `npm run db:backup` into
 * DATABASE_URL or the embedded DATA_DIR (server stopped), with FILE.audit.key when it is there;
 * then migrations, grants, a `database.restored` audit event and the whole chain verified.
 * Refuses a target that holds a database unless --force. Exit 0: restored and verified; 2: refused or failed.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/kernel/config.ts';
import { BackupError, restoreDatabase } from './db-backup-lib.ts';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
if (values.help || positionals.length !== 1) {
  console.error(`Usage: npm run db:restore -- FILE [--force]

  Restores FILE (from npm run db:backup) into DATABASE_URL, or into DATA_DIR when DATABASE_URL is unset
  (stop the server first). FILE.audit.key, when present, becomes the audit key (DATA_DIR/audit.key).
  --force   replace a database that is there (embedded: the folder is moved aside to
            DATA_DIR.before-restore-…; PostgreSQL: the public schema is emptied first, extensions kept)`);
  process.exit(values.help ? 0 : 2);
}
let code = 0;
try {
  const r = await restoreDatabase(loadConfig(), positionals[0]!, { force: values.force === true });
  if (r.movedAside) console.log(`What was in DATA_DIR is now in ${r.movedAside}.`);
  if (r.keyRestored) console.log(`The backup's audit key is now ${r.keyRestored}.`);
  console.log(`Restored the ${r.kind === 'postgres' ? 'PostgreSQL' : 'embedded'} database from ${positionals[0]}; audit chain intact: ${r.auditEvents} events.`);
} catch (err) {
  console.error(err instanceof BackupError ? err.message : `Restore failed: ${(err as Error).stack ?? String(err)}`);
  code = 2;
}
process.exit(code);
