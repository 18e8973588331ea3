/**
 * `approval_charge` (migrations 023, 029, 032) charges exactly when shared/policy `checkQuota` accepts: the
 * approval answers from `checkQuota`, and the function's own test only decides whether to write,
 * so the two must agree to the cent — for IAB and non-IAB requests, with the IAB reserve unused,
 * partly used and overused, at the boundary and one cent either side. Each case runs in a
 * transaction that is rolled back. Also: a charge writes the ledger row and returns the audit
 * head it locked, and keeps the year as it locked it with the charge (`year_before`, migration 032),
 * from which the read model gives the decision's `quota`; `approval_lock` answers nothing for an
 * unknown allocation and the locked allocation otherwise. Last, migration 032 goes down (writing
 * the figures into the decisions) and up again, and the allocation reads the same throughout.
 */
import { expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../server/kernel/db/schema.ts';
import { checkQuota } from '../../shared/policy/index.ts';
import { describeOnDatabases } from './context.ts';
import { asOwner } from './owner.ts';
import { Migrator } from 'kysely';
import { migrations } from '../../server/db/migrations/index.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { call, login, type Session } from './login.ts';
import { freshPlots, proposeAtFloor, putQuota } from './allocation-helpers.ts';

const YEAR = 2041;
const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };
const ROLLBACK = new Error('rollback');

/** Runs `fn` in a transaction that is always rolled back. */
async function rolledBack(db: import('kysely').Kysely<Database>, fn: (trx: Transaction<Database>) => Promise<void>) {
  await db.transaction().execute(async (trx) => {
    await fn(trx);
    throw ROLLBACK;
  }).catch((err: unknown) => {
    if (err !== ROLLBACK) throw err;
  });
}

const cents = (m2: number) => Math.round(m2 * 100);
const m2 = (c: number) => (c / 100).toFixed(2);

describeOnDatabases('approval_charge (migrations 023, 029, 032)', (get) => {
  let land: Session;
  let userId: number;
  let pending: number;
  const app = () => get().app;

  it('sets a year with an IAB and a non-IAB approval in it, and one more proposal', async () => {
    land = await login(app(), 'land');
    userId = (await app().db.selectFrom('users').select('id').where('username', '=', 'land').executeTakeFirstOrThrow()).id;
    await putQuota(app(), land, YEAR, 10_000_000, 0);
    const plots = await freshPlots(app(), 3);
    for (const [i, iab] of [[0, true], [1, false]] as const) {
      const id = await proposeAtFloor(app(), land, plots[i]!.id, YEAR, { iab });
      const r = await call(app(), land, 'POST', `/api/allocations/${id}/approve`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
    }
    pending = await proposeAtFloor(app(), land, plots[2]!.id, YEAR);
  }, 60_000);

  it('charges exactly when checkQuota accepts, to the cent', async () => {
    const q = await app().db.selectFrom('quotas').select(['approved_m2', 'iab_approved_m2']).where('year', '=', YEAR).executeTakeFirstOrThrow();
    const A = cents(Number(q.approved_m2));
    const I = cents(Number(q.iab_approved_m2));
    expect(I).toBeGreaterThan(100);
    expect(A).toBeGreaterThan(I);
    const X = 100_000; // 1000.00 m² requested
    let cases = 0;
    for (const iab of [true, false]) {
      for (const R of [0, I - 100, I, I + 50_000]) {
        for (const d of [-1, 0, 1]) {
          // The quota that leaves exactly X available (+ d cents) to this kind of project.
          const Q = A + X + d + (iab ? 0 : Math.max(R - I, 0));
          await rolledBack(app().db, async (trx) => {
            await trx.updateTable('quotas').set({ quota_m2: m2(Q), iab_reserve_m2: m2(R) }).where('year', '=', YEAR).execute();
            const { rows } = await sql<{ charged: boolean; q_quota_m2: string; q_iab_reserve_m2: string; q_approved_m2: string; q_iab_approved_m2: string; ledger_id: string | null; head_last_hash: string | null }>`
              select * from approval_charge(${pending}::integer, ${YEAR}::integer, ${m2(X)}::numeric, ${iab}::boolean, ${userId}::integer)`.execute(trx);
            const r = rows[0]!;
            const policy = checkQuota({ quotaM2: r.q_quota_m2, iabReserveM2: r.q_iab_reserve_m2, approvedM2: r.q_approved_m2, iabApprovedM2: r.q_iab_approved_m2 }, { areaM2: m2(X), iab });
            expect(r.charged, `iab ${iab}, reserve ${m2(R)}, quota ${m2(Q)}`).toBe(policy.ok);
            expect(r.charged).toBe(d >= 0);
            if (r.charged) {
              expect(r.ledger_id).not.toBeNull();
              expect(r.head_last_hash).toMatch(/^[0-9a-f]{64}$/);
              const ledger = await trx.selectFrom('quota_ledger').select(['allocation_id', 'kind', 'area_m2', 'iab', 'year_before']).where('id', '=', r.ledger_id!).executeTakeFirstOrThrow();
              expect(ledger).toMatchObject({ allocation_id: pending, kind: 'charge', iab });
              expect(Number(ledger.area_m2)).toBe(X / 100);
              // The year as the charge locked it, exactly.
              const kept = ledger.year_before as Record<string, number>;
              expect(Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, cents(v)]))).toEqual({
                quota_m2: cents(Number(r.q_quota_m2)), iab_reserve_m2: cents(Number(r.q_iab_reserve_m2)),
                approved_m2: cents(Number(r.q_approved_m2)), iab_approved_m2: cents(Number(r.q_iab_approved_m2)),
              });
              // The allocation is approved by the approval's own statement, with the event.
              const a = await trx.selectFrom('allocations').select('status').where('id', '=', pending).executeTakeFirstOrThrow();
              expect(a.status).toBe('proposed');
            } else {
              expect(r.ledger_id).toBeNull();
              const a = await trx.selectFrom('allocations').select('status').where('id', '=', pending).executeTakeFirstOrThrow();
              expect(a.status).toBe('proposed');
            }
          });
          cases++;
        }
      }
    }
    expect(cases).toBe(24);
    // Nothing requested, nothing charged (checkQuota: the area must be positive).
    await rolledBack(app().db, async (trx) => {
      const { rows } = await sql<{ charged: boolean }>`select charged from approval_charge(${pending}::integer, ${YEAR}::integer, 0::numeric, true, ${userId}::integer)`.execute(trx);
      expect(rows[0]!.charged).toBe(false);
    });
    // A year nobody set: nothing found, nothing done.
    await rolledBack(app().db, async (trx) => {
      const { rows } = await sql<{ quota_found: boolean; charged: boolean }>`select quota_found, charged from approval_charge(${pending}::integer, 2099, 1::numeric, true, ${userId}::integer)`.execute(trx);
      expect(rows[0]).toMatchObject({ quota_found: false, charged: false });
    });
  }, 120_000);

  it('approval_lock: nothing for an unknown allocation, the locked allocation otherwise', async () => {
    await rolledBack(app().db, async (trx) => {
      expect((await sql`select * from approval_lock(99999999)`.execute(trx)).rows).toEqual([]);
      const { rows } = await sql<{ id: number; status: string; uscc: string; quota_year: number }>`select * from approval_lock(${pending}::integer)`.execute(trx);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ id: pending, status: 'proposed', quota_year: YEAR });
      expect(rows[0]!.uscc).toMatch(/^[0-9A-Z]{18}$/);
    });
  });

  it('the real approval still answers 200 with the quota figures, and the chain verifies', async () => {
    const r = await call(app(), land, 'POST', `/api/allocations/${pending}/approve`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const back = await call(app(), land, 'GET', `/api/allocations/${pending}`);
    expect(back.body.decision).toEqual(r.body.decision);
    // Written once, by the approval's statement: what the answer said is what was stored.
    expect(back.body).toMatchObject({ status: 'approved', plotStatus: 'allocated', approvedAt: r.body.approvedAt, areaM2: r.body.areaM2 });
    expect(back.body.agreement).toEqual(r.body.agreement);
    expect(r.body.decision.quota.ledgerEntryId).toEqual(expect.any(Number));
    expect(r.body.decision.quota.after.approvedM2).toBeCloseTo(r.body.decision.quota.before.approvedM2 + r.body.areaM2, 2);
    // The year's figures are the charge's (migration 032), not written into the allocation's row
    // under the year's lock; the event carries them as the answer does.
    const stored = await app().db.selectFrom('allocations').select(sql<unknown>`decision->'quota'`.as('quota')).where('id', '=', pending).executeTakeFirstOrThrow();
    expect(stored.quota).toBeNull();
    const ledger = await app().db.selectFrom('quota_ledger').select(['id', 'year_before']).where('allocation_id', '=', pending).where('kind', '=', 'charge').executeTakeFirstOrThrow();
    expect(Number(ledger.id)).toBe(r.body.decision.quota.ledgerEntryId);
    expect(ledger.year_before).not.toBeNull();
    const admin = await login(app(), 'admin');
    const events = await call(app(), admin, 'GET', `/api/audit?entity=allocation&entityId=${pending}`);
    const approval = (events.body.items as { action: string; after: { decision: unknown } }[]).find((e) => e.action === 'allocation.approve');
    expect(approval?.after.decision).toEqual(r.body.decision);
    const verify = await call(app(), admin, 'GET', '/api/audit/verify');
    expect(verify.body).toMatchObject({ ok: true });
  });

  it('migration 032 goes down (the figures written into the decision) and up, and the allocation reads the same', async () => {
    const before = await call(app(), land, 'GET', `/api/allocations/${pending}`);
    expect(before.body.decision.quota).toMatchObject({ year: YEAR });
    const quota = before.body.decision.quota as Record<string, unknown>;
    await asOwner(get(), async (db) => {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('031_plot_list_feature')).error).toBeUndefined();
      const row = await db.selectFrom('allocations').select(sql<unknown>`decision->'quota'`.as('quota')).where('id', '=', pending).executeTakeFirstOrThrow();
      expect(row.quota).toEqual(quota);
      const compressionOf = async () => (await sql<{ c: string }>`select attcompression::text as c from pg_attribute where attrelid = 'audit_events'::regclass and attname = 'after'`.execute(db)).rows[0]!.c;
      expect(await compressionOf()).toBe('');
      expect(await migrateToLatest(db)).toContain('032_charge_figures');
      // lz4 where the server is built with it (PostgreSQL here), the default (pglz) on PGlite.
      const lz4 = (await sql<{ ok: boolean }>`select 'lz4' = any (enumvals) as ok from pg_settings where name = 'default_toast_compression'`.execute(db)).rows[0]!.ok;
      expect(lz4).toBe(get().kind === 'postgres');
      expect(await compressionOf()).toBe(lz4 ? 'l' : '');
    });
    const after = await call(app(), land, 'GET', `/api/allocations/${pending}`);
    expect(after.body.decision).toEqual(before.body.decision);
  });
}, ONE_OFFICER);
