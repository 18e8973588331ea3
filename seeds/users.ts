/**
 * Demo accounts, one per role (two district officers, to show district scoping), created only
 * in demo mode (the embedded default, or SEED_DEMO=true) and only into an empty users table.
 * The password is published in the README and on the demo login page: never seed these into a
 * real deployment.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../server/kernel/db/schema.ts';
import type { Role } from '../shared/roles.ts';
import { inTransaction } from '../server/kernel/db/transaction.ts';
import { hashPassword } from '../server/modules/auth/password.ts';
import { createUser } from '../server/modules/users/service.ts';
import { systemActor } from '../server/kernel/audit.ts';

export const DEMO_PASSWORD = 'iab-demo-2026';

export const DEMO_USERS = [
  { username: 'admin', displayName: '系统管理员（演示）', role: 'admin', districtCode: null },
  { username: 'land', displayName: '市规划和自然资源局 土地科（演示）', role: 'land_officer', districtCode: null },
  { username: 'industry', displayName: '市工业和信息化局 产业科（演示）', role: 'industry_officer', districtCode: null },
  { username: 'district-huangpu', displayName: '黄埔区（演示）', role: 'district_officer', districtCode: '440112' },
  { username: 'district-tianhe', displayName: '天河区（演示）', role: 'district_officer', districtCode: '440106' },
  { username: 'investor', displayName: '示例生物科技有限公司（演示）', role: 'investor', districtCode: null },
] as const satisfies readonly { username: string; displayName: string; role: Role; districtCode: string | null }[];

/** Creates the demo accounts when no user exists yet. Returns how many were created. */
export async function seedDemoUsers(db: Kysely<Database>): Promise<number> {
  const any = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  // One hash for all six: the password is public, so separate salts would protect nothing,
  // and it keeps start-up to one scrypt (≈ 0.3 s) instead of six.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return inTransaction(db, async (trx) => {
    // Two replicas starting together must seed once: the audit head (which every audited
    // write locks anyway) serializes them; the second then finds the users and stops.
    await trx.selectFrom('audit_head').select('last_hash').forUpdate().execute();
    if (await trx.selectFrom('users').select('id').limit(1).executeTakeFirst()) return 0;
    for (const u of DEMO_USERS) {
      await createUser(trx, { ...u, passwordHash, mustChangePassword: false }, { actor: systemActor('demo-seed') });
    }
    return DEMO_USERS.length;
  });
}
