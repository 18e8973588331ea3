/**
 * A government-caused delay moves the agreed dates (《闲置土地处置办法》art. 8; issue #15 §2), so
 * the "overdue start" warning that predates supervision (allocation lists, dashboards, the park
 * report) must judge the moved start, as the idle-land assessment does — not the contract's.
 * `allocation_adjusted_start(id, agreed)`: the agreed start plus the days of every government
 * delay recorded on the allocation (migration 015). One definition, used by every query.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE FUNCTION allocation_adjusted_start(allocation integer, agreed date) RETURNS date LANGUAGE sql STABLE AS $$
       SELECT agreed + coalesce((SELECT sum(d.days) FROM government_delays d WHERE d.allocation_id = allocation), 0)::integer
     $$`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP FUNCTION allocation_adjusted_start(integer, date)']);
}
