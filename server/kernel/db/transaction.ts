import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

const RETRYABLE = new Set(['40001', '40P01']); // serialization_failure, deadlock_detected

/**
 * Runs `fn` in one transaction, retrying on serialization failures and deadlocks
 * (ARCHITECTURE.md, Database). `fn` must be safe to re-run: it may not have side effects
 * outside the transaction.
 */
export async function inTransaction<T>(
  db: Kysely<Database>,
  fn: (trx: Transaction<Database>) => Promise<T>,
  { attempts = 5 }: { attempts?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt < attempts && typeof code === 'string' && RETRYABLE.has(code)) {
        await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 10 * attempt));
        continue;
      }
      throw err;
    }
  }
}
