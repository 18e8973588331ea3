/**
 * `npm run audit:verify` — walks the audit chain of DATABASE_URL or DATA_DIR with the audit key
 * (AUDIT_KEY or DATA_DIR/audit.key, as the server uses) and prints the result. Exit 0: intact;
 * 1: broken (the first broken event is named); 2: cannot check. Read-only: it applies no
 * migration and creates no key.
 */
import { loadConfig } from '../server/kernel/config.ts';
import { connectDatabase } from '../server/kernel/db/connect.ts';
import { useAuditKey, verifyAuditChain } from '../server/kernel/audit.ts';
import { AuditKeyError, loadAuditKey } from '../server/kernel/audit-key.ts';

const config = loadConfig();
try {
  useAuditKey(loadAuditKey(config, { create: false }));
} catch (err) {
  if (!(err instanceof AuditKeyError)) throw err;
  console.error(`Cannot verify: ${err.message}`);
  process.exit(2);
}
const handle = await connectDatabase(config);
let exitCode = 0;
try {
  const t0 = performance.now();
  const result = await verifyAuditChain(handle.db);
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  if (result.ok) {
    console.log(`Audit chain intact: ${result.count} events (last ${result.lastId ?? '—'}, hash ${result.lastHash.slice(0, 16)}…), checked in ${seconds} s.`);
  } else {
    console.error(`Audit chain BROKEN at event ${result.brokenAtId ?? '—'} after ${result.checked} good events: ${result.reason}`);
    exitCode = 1;
  }
} catch (err) {
  const code = (err as { code?: string }).code;
  console.error(
    code === '42P01' || code === '42703'
      ? 'This database has no keyed audit trail yet (run `npm run db:migrate` or start the server once).'
      : `Cannot verify: ${(err as Error).message}`,
  );
  exitCode = 2;
} finally {
  await handle.close();
}
// process.exit, not exitCode: closing the embedded database resets the exit code.
process.exit(exitCode);
