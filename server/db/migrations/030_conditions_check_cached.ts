/**
 * The 标准地 conditions' CHECK (migration 014's `plot_conditions_valid`) with its plan kept
 * (issue #17 §4). As a SQL function that cannot be inlined (it holds a subquery), PostgreSQL
 * planned its query again on every call: every UPDATE of a plot — an approval's "allocated", any
 * status change — and every write of an agreement's conditions paid ≈ 0.85 ms for it (measured
 * with EXPLAIN ANALYZE: an UPDATE of a plot's status 1.0 ms with the CHECK, 0.15 ms without),
 * about a fifth of an approval's PostgreSQL time. The same test in plpgsql, whose statements keep
 * their plans for the session. The rule is the same text (014's `conditionsCheck`);
 * tests/api/plot-conditions.test.ts holds what it refuses.
 *
 * Migration 018's `allocation_adjusted_start` (in every read of an allocation, an approval's
 * among them) is a SQL function with a subquery too: the same change, the same expression.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';
import { conditionsCheck } from './014_plot_conditions.ts';

/** Migration 018's expression: the agreed start plus the days of every government delay. */
const ADJUSTED_START = 'agreed + coalesce((SELECT sum(d.days) FROM government_delays d WHERE d.allocation_id = allocation), 0)::integer';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE OR REPLACE FUNCTION plot_conditions_valid(c jsonb) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
     BEGIN
       RETURN ${conditionsCheck('c')};
     END $$`,
    `CREATE OR REPLACE FUNCTION allocation_adjusted_start(allocation integer, agreed date) RETURNS date LANGUAGE plpgsql STABLE AS $$
     BEGIN
       RETURN ${ADJUSTED_START};
     END $$`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE OR REPLACE FUNCTION plot_conditions_valid(c jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
       SELECT ${conditionsCheck('c')}
     $$`,
    `CREATE OR REPLACE FUNCTION allocation_adjusted_start(allocation integer, agreed date) RETURNS date LANGUAGE sql STABLE AS $$
       SELECT ${ADJUSTED_START}
     $$`,
  ]);
}
