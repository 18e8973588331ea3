/**
 * Decisions on allocations:
 *
 * - `allocations.superseded_by`: when a plot is allocated, its other open proposals are closed
 *   in the same transaction — status `cancelled`, `cancel_reason` 'superseded' and a link to the
 *   winning allocation. A CHECK keeps the link only on cancelled, superseded rows. Proposals that
 *   already linger beside an active allocation (before this migration) are closed the same way.
 * - `allocations.green_channel` (绿色通道, 五(三)12): decided at proposal time by the shared
 *   rule `greenChannel` (core park, or key IAB project). Rows that exist when the migration runs
 *   get the same rule's answer here, computed in TypeScript so the rule stays in one place.
 */
import { sql, type Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';
import { greenChannel } from '../../../shared/policy/green-channel.ts';
import type { ParkTier } from '../../../shared/domain.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE allocations ADD COLUMN superseded_by integer REFERENCES allocations (id)`,
    `ALTER TABLE allocations ADD COLUMN green_channel boolean NOT NULL DEFAULT false`,
    `ALTER TABLE allocations ADD CONSTRAINT allocations_superseded_is_cancelled
       CHECK (superseded_by IS NULL OR (status = 'cancelled' AND cancel_reason = 'superseded' AND superseded_by <> id))`,
    `CREATE INDEX allocations_superseded_by_idx ON allocations (superseded_by) WHERE superseded_by IS NOT NULL`,
    // Open proposals on a plot that already has an active allocation: superseded by it.
    `UPDATE allocations p
        SET status = 'cancelled', cancel_reason = 'superseded', superseded_by = w.id,
            cancelled_at = now(), updated_at = now()
       FROM allocations w
      WHERE p.status = 'proposed' AND w.plot_id = p.plot_id AND w.status IN ('approved', 'contracted', 'completed')`,
  ]);
  const rows = await sql<{ id: number; tier: ParkTier | null; key_project: boolean }>`
    select a.id, pk.tier, pr.key_project
      from allocations a
      join projects pr on pr.id = a.project_id
      join plots pl on pl.id = a.plot_id
      join parks pk on pk.id = pl.park_id`.execute(db);
  const green = rows.rows.filter((r) => greenChannel({ parkTier: r.tier, keyProject: r.key_project }).greenChannel).map((r) => r.id);
  if (green.length > 0) await sql`update allocations set green_channel = true where id = any(${green}::int[])`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE allocations DROP CONSTRAINT allocations_superseded_is_cancelled`,
    `ALTER TABLE allocations DROP COLUMN superseded_by`,
    `ALTER TABLE allocations DROP COLUMN green_channel`,
  ]);
}
