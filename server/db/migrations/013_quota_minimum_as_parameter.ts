/**
 * The annual quota minimum lives in one place: the versioned reference parameter
 * `annualQuotaMinimumMu` (五(三)11: 5000 亩 today), which the quota service checks before it
 * writes (shared/policy/quota.ts, `validateQuotaSetting`). Migration 004 also wrote 5000 亩 into
 * a CHECK, so a new parameter version below 5000 亩 would have been refused by the database with
 * an error naming a constraint instead of the rule. The CHECK goes; the database keeps the sane
 * bound that no parameter can move: a quota is a positive area.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE quotas
       DROP CONSTRAINT quotas_at_least_5000_mu,
       ADD CONSTRAINT quotas_quota_positive CHECK (quota_m2 > 0)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE quotas
       DROP CONSTRAINT quotas_quota_positive,
       ADD CONSTRAINT quotas_at_least_5000_mu CHECK (quota_m2 * 3 >= 10000000)`,
  ]);
}
