/** Health and metadata: whether the database answers, and what the data is. */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { AppError } from '../../kernel/errors.ts';
import { activePasswordHashes, dataAsOf, hasSampleData, ping } from './repository.ts';
import { verifyPassword } from '../auth/password.ts';

/** 503 when the database does not answer. */
export async function checkDatabase(db: Kysely<Database>): Promise<void> {
  try {
    await ping(db);
  } catch {
    throw new AppError(503, 'SERVICE_UNAVAILABLE', 'The database does not answer; check DATABASE_URL or DATA_DIR and the server log.');
  }
}

/** Whether sample data is shown, and the date the data is as of (null when not recorded). */
export async function dataStatus(db: Kysely<Database>): Promise<{ sampleData: boolean; dataAsOf: string | null }> {
  const sampleData = await hasSampleData(db);
  const asOf = await dataAsOf(db);
  return { sampleData, dataAsOf: typeof asOf === 'string' ? asOf : null };
}

/** The published demo accounts (the launcher passes seeds/users.ts's): usernames and their password. */
export interface DemoAccounts {
  usernames: readonly string[];
  password: string;
}

/**
 * Whether the published demo password opens an active demo account here — the honest test for
 * showing it on the login page: false once the accounts are disabled, removed or re-passworded.
 * One scrypt per distinct stored hash (the seed gives all six the same one), then cached.
 */
const demoHashChecks = new Map<string, Promise<boolean>>();
export async function demoAccountsActive(db: Kysely<Database>, demo: DemoAccounts | undefined): Promise<boolean> {
  if (!demo || demo.usernames.length === 0) return false;
  for (const hash of await activePasswordHashes(db, demo.usernames)) {
    const key = `${hash}\n${demo.password}`;
    let check = demoHashChecks.get(key);
    if (!check) {
      if (demoHashChecks.size > 32) demoHashChecks.clear();
      check = verifyPassword(demo.password, hash);
      demoHashChecks.set(key, check);
    }
    if (await check) return true;
  }
  return false;
}
