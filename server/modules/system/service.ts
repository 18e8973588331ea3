/** Health and metadata: whether the database answers, and what the data is. */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { AppError } from '../../kernel/errors.ts';
import { dataAsOf, hasSampleData, ping } from './repository.ts';

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
