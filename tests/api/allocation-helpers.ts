/**
 * Tiny builders for the allocation, hold and concurrency tests: valid 统一社会信用代码, fresh
 * available plots (each test takes its own), the floor of a plot, quota years, proposals, and
 * the invariants read back from the database.
 */
import { expect } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { usccCheckChar } from '../../shared/uscc.ts';
import { call, type Session } from './login.ts';

/** 5000 亩 rounded up to the cent: the smallest quota a year may have. */
export const MIN_QUOTA_M2 = 3_333_333.34;

/** A valid code: 17 characters ending in `n`, plus its check character (GB 32100-2015). */
export function uscc(n: number): string {
  const body = `91440101${String(n).padStart(9, '0')}`;
  return body + usccCheckChar(body);
}

const taken = new WeakMap<FastifyInstance, Set<number>>();

export interface TestPlot {
  id: number;
  code: string;
  areaM2: number;
  districtCode: string;
}

/** `n` available plots no other test has taken (optionally in one district), by id. */
export async function freshPlots(app: FastifyInstance, n: number, opts: { districtCode?: string } = {}): Promise<TestPlot[]> {
  const used = taken.get(app) ?? new Set<number>();
  taken.set(app, used);
  let q = app.db
    .selectFrom('plots as pl')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['pl.id', 'pl.code', 'pl.area_m2', 'pk.district_code'])
    .where('pl.status', '=', 'available')
    .where('pl.cost_yuan', 'is not', null)
    .orderBy('pl.id');
  if (opts.districtCode) q = q.where('pk.district_code', '=', opts.districtCode);
  const rows = (await q.execute()).filter((r) => !used.has(r.id)).slice(0, n);
  expect(rows.length, `need ${n} available plots`).toBe(n);
  for (const r of rows) used.add(r.id);
  return rows.map((r) => ({ id: r.id, code: r.code, areaM2: Number(r.area_m2), districtCode: r.district_code }));
}

/** Re-surveys a plot (tests only): its area is what the quota is charged and the floor is computed on. */
export async function setPlotArea(app: FastifyInstance, plotId: number, areaM2: number): Promise<void> {
  await app.db.updateTable('plots').set({ area_m2: areaM2.toFixed(2) }).where('id', '=', plotId).execute();
}

/** The plot's price floor now (as the land officer, who sees the cost), via the public quote route. */
export async function floorOf(app: FastifyInstance, s: Session, plotId: number, iab: boolean, termYears = 50): Promise<number> {
  const r = await call(app, s, 'POST', '/api/quotes/price-floor', { plotId, iab, termYears });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.floorYuan as number;
}

export async function putQuota(app: FastifyInstance, s: Session, year: number, quotaM2: number, iabReserveM2 = 0) {
  const r = await call(app, s, 'PUT', `/api/quotas/${year}`, { quotaM2, iabReserveM2 });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body;
}

export interface ProposalOptions {
  iab?: boolean;
  sector?: 'ngit' | 'ai' | 'biomed' | 'other';
  mode?: 'transfer' | 'flexible_term' | 'lease_then_transfer' | 'long_term_lease';
  termYears?: number;
  leaseYears?: number;
  annualRentYuan?: number;
  usccN?: number;
  name?: string;
  keyProject?: boolean;
}

export function proposal(plotId: number, quotaYear: number, priceYuan: number, o: ProposalOptions = {}) {
  const iab = o.iab ?? true;
  return {
    plotId,
    quotaYear,
    mode: o.mode ?? 'transfer',
    termYears: o.termYears ?? 50,
    ...(o.leaseYears !== undefined ? { leaseYears: o.leaseYears } : {}),
    priceYuan,
    ...(o.annualRentYuan !== undefined ? { annualRentYuan: o.annualRentYuan } : {}),
    project: {
      name: o.name ?? `测试项目 ${plotId}`,
      enterprise: { name: `测试企业 ${o.usccN ?? plotId} 有限公司`, uscc: uscc(o.usccN ?? plotId) },
      sector: o.sector ?? (iab ? 'ai' : 'other'),
      iab,
      ...(o.keyProject !== undefined ? { keyProject: o.keyProject } : {}),
    },
  };
}

/** Proposes a 50-year transfer at the floor for the plot; returns the allocation id. */
export async function proposeAtFloor(app: FastifyInstance, s: Session, plotId: number, year: number, o: ProposalOptions = {}): Promise<number> {
  const price = await floorOf(app, s, plotId, o.iab ?? true, o.termYears ?? 50);
  const r = await call(app, s, 'POST', '/api/allocations', proposal(plotId, year, price, o));
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.id as number;
}

/** A year's row and its ledger sums, read from the database. */
export async function quotaState(app: FastifyInstance, year: number) {
  const q = await app.db.selectFrom('quotas').selectAll().where('year', '=', year).executeTakeFirstOrThrow();
  const sums = await app.db
    .selectFrom('quota_ledger')
    .select([
      sql<string>`coalesce(sum(area_m2), 0)::numeric(14, 2)::text`.as('sum'),
      sql<string>`coalesce(sum(area_m2) filter (where iab), 0)::numeric(14, 2)::text`.as('iab_sum'),
    ])
    .where('year', '=', year)
    .executeTakeFirstOrThrow();
  const invariants = await sql<{ within: boolean; non_iab_within: boolean }>`
    select approved_m2 <= quota_m2 as within, approved_m2 - iab_approved_m2 <= quota_m2 - iab_reserve_m2 as non_iab_within
      from quotas where year = ${year}`.execute(app.db);
  return { quota: q, ledgerSum: sums.sum, ledgerIabSum: sums.iab_sum, ...invariants.rows[0]! };
}

/** The cached totals equal the ledger's sums, and both invariants of 五(三)11 hold. */
export async function expectQuotaHonest(app: FastifyInstance, year: number) {
  const s = await quotaState(app, year);
  expect(Number(s.quota.approved_m2)).toBe(Number(s.ledgerSum));
  expect(Number(s.quota.iab_approved_m2)).toBe(Number(s.ledgerIabSum));
  expect(s.within).toBe(true);
  expect(s.non_iab_within).toBe(true);
  return s;
}
