/** Shared checks for the subsidy tests: the ledger = cached totals invariant, read from the database. */
import { expect } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';

/** Park ids by code (P01…P12, PARKS.md): P03 天河 440106; P06, P09, P10 黄埔 440112. */
export async function parkIds(app: FastifyInstance): Promise<Record<string, number>> {
  const rows = await app.db.selectFrom('parks').select(['id', 'code']).execute();
  return Object.fromEntries(rows.map((r) => [r.code, r.id]));
}

/** Every park's ledger sum equals its cached total (and its live subsidies), and no total exceeds its cap. */
export async function expectLedgerHonest(app: FastifyInstance) {
  const rows = await sql<{ park_id: number; total: string; ledger: string; live: string; within: boolean }>`
    select t.park_id, t.granted_yuan::text as total,
           coalesce((select sum(l.amount_yuan) from subsidy_ledger l where l.park_id = t.park_id), 0)::numeric(16, 2)::text as ledger,
           coalesce((select sum(s.granted_yuan) from subsidies s where s.park_id = t.park_id and s.status <> 'withdrawn'), 0)::numeric(16, 2)::text as live,
           t.granted_yuan <= t.cap_yuan as within
      from park_subsidy_totals t order by t.park_id`.execute(app.db);
  for (const r of rows.rows) {
    expect(r.ledger, `park ${r.park_id}: ledger sum = cached total`).toBe(r.total);
    expect(r.live, `park ${r.park_id}: granted + disbursed subsidies = cached total`).toBe(r.total);
    expect(r.within).toBe(true);
  }
  return rows.rows;
}

/**
 * Every project's cached total equals its ledger rows (through its subsidies) and its live
 * grants, and never exceeds ⌊share × investment⌋ (五(三)13: 20 % per project).
 */
export async function expectProjectsHonest(app: FastifyInstance) {
  const rows = await sql<{ id: number; total: string; ledger: string; live: string; within: boolean }>`
    select pp.id, pp.granted_yuan::text as total,
           coalesce((select sum(l.amount_yuan) from subsidy_ledger l join subsidies s on s.id = l.subsidy_id where s.project_id = pp.id), 0)::numeric(16, 2)::text as ledger,
           coalesce((select sum(s.granted_yuan) from subsidies s where s.project_id = pp.id and s.status <> 'withdrawn'), 0)::numeric(16, 2)::text as live,
           pp.granted_yuan * 10000 <= pp.total_investment_yuan * pp.share_bp as within
      from park_projects pp order by pp.id`.execute(app.db);
  for (const r of rows.rows) {
    expect(r.ledger, `project ${r.id}: ledger sum = cached total`).toBe(r.total);
    expect(r.live, `project ${r.id}: live grants = cached total`).toBe(r.total);
    expect(r.within, `project ${r.id}: within its share`).toBe(true);
  }
  return rows.rows;
}
