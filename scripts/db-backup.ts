/**
 * `npm run db:backup -- FILE` — a backup of DATABASE_URL (pg_dump custom format, while the server
 * runs) or of the embedded database in DATA_DIR (stop the server first), plus FILE.audit.key when
 * the audit key is the file DATA_DIR/audit.key. See scripts/db-backup-lib.ts and README, Backups.
 * Exit 0: written; 2: refused or a prerequisite missing (the message says which).
 */
import { loadConfig } from '../server/kernel/config.ts';
import { backupDatabase, BackupError } from './db-backup-lib.ts';

const args = process.argv.slice(2).filter((a) => a !== '--');
if (args.length !== 1 || args[0]!.startsWith('-')) {
  console.error(`Usage: npm run db:backup -- FILE

  DATABASE_URL set:  pg_dump --format=custom into FILE (consistent while the server runs;
                     needs pg_dump ≥ the server's major version: Debian package postgresql-client)
  else (DATA_DIR):   the embedded database folder as one file; stop the server first
  The audit key file DATA_DIR/audit.key is copied to FILE.audit.key (keep both, apart if you can).`);
  process.exit(args.includes('-h') || args.includes('--help') ? 0 : 2);
}
let code = 0;
try {
  const r = await backupDatabase(loadConfig(), args[0]!);
  console.log(`Backed up the ${r.kind === 'postgres' ? 'PostgreSQL' : 'embedded'} database to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB).`);
  console.log(r.keyFile
    ? `The audit key is in ${r.keyFile}: keep it with the backup (a restore needs it for the audit chain to verify), and as secret as the key itself.`
    : 'The audit key was not copied (AUDIT_KEY is set, or there is no key file): a restore needs the same AUDIT_KEY.');
} catch (err) {
  console.error(err instanceof BackupError ? err.message : `Backup failed: ${(err as Error).stack ?? String(err)}`);
  code = 2;
}
// process.exit: closing the embedded database resets the exit code.
process.exit(code);
