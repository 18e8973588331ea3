/**
 * Opening a database for writing, the same way for the server and every script that writes:
 * load the audit key (server/kernel/audit-key.ts), then as the tables' owner apply pending migrations,
 * refresh the app role's grants (./roles.ts; on the embedded database the role is created here),
 * and make sure the audit chain is signed with the key (server/kernel/audit-chain.ts).
 */
import type { DatabaseHandle } from './connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { appRoleExists, createAppRole, grantAppRole } from './roles.ts';
import { loadAuditKey, type AuditKey } from '../audit-key.ts';
import { useAuditKey } from '../audit.ts';
import { ensureAuditChainKeyed } from '../audit-chain.ts';

export interface Prepared {
  /** Migrations applied now. */
  applied: string[];
  /** Audit events re-signed with the key now (an unkeyed chain from before migration 012). */
  resigned: number;
  key: AuditKey;
}

export async function prepareDatabase(handle: DatabaseHandle, config: { auditKey: Buffer | undefined; dataDir: string }): Promise<Prepared> {
  const key = loadAuditKey(config);
  useAuditKey(key);
  return handle.asOwner(async (db) => {
    const applied = await migrateToLatest(db);
    if (handle.kind === 'pglite') await createAppRole(db);
    if (await appRoleExists(db)) await grantAppRole(db);
    const { resigned } = await ensureAuditChainKeyed(db);
    return { applied, resigned, key };
  });
}
