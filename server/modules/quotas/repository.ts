/**
 * Quotas in the database: a year's row and its row → view mapper, the year's lock, the ledger
 * and the report's sums by district, park and sector. Executor first; the lock takes a
 * `Transaction`.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { formatArea, hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** An area in 亩 for display: exact, rounded half up to 2 decimals (shared/units). */
export function muFigure(m2: number | string): number {
  return Number(formatArea(m2, 'mu', 'en').replace(/[^\d.-]/g, ''));
}

export interface QuotaView {
  year: number;
  quotaM2: number;
  iabReserveM2: number;
  approvedM2: number;
  iabApprovedM2: number;
  /** quota − approved: what an IAB allocation may still take. */
  remainingM2: number;
  /** remaining − unused IAB reserve: what a non-IAB allocation may still take. */
  availableToNonIabM2: number;
  quotaMu: number;
  iabReserveMu: number;
  approvedMu: number;
  remainingMu: number;
  availableToNonIabMu: number;
  updatedAt: string;
}

export type QuotaRow = { year: number; quota_m2: string; iab_reserve_m2: string; approved_m2: string; iab_approved_m2: string; updated_at: Date | string };

export function toQuotaView(r: QuotaRow): QuotaView {
  const quota = m2ToHundredths(r.quota_m2);
  const reserve = m2ToHundredths(r.iab_reserve_m2);
  const approved = m2ToHundredths(r.approved_m2);
  const iabApproved = m2ToHundredths(r.iab_approved_m2);
  const remaining = quota - approved;
  const unusedReserve = reserve > iabApproved ? reserve - iabApproved : 0n;
  const v = {
    year: r.year,
    quotaM2: hundredthsToM2(quota),
    iabReserveM2: hundredthsToM2(reserve),
    approvedM2: hundredthsToM2(approved),
    iabApprovedM2: hundredthsToM2(iabApproved),
    remainingM2: hundredthsToM2(remaining),
    availableToNonIabM2: hundredthsToM2(remaining - unusedReserve),
  };
  return {
    ...v,
    quotaMu: muFigure(v.quotaM2),
    iabReserveMu: muFigure(v.iabReserveM2),
    approvedMu: muFigure(v.approvedM2),
    remainingMu: muFigure(v.remainingM2),
    availableToNonIabMu: muFigure(v.availableToNonIabM2),
    updatedAt: new Date(r.updated_at).toISOString(),
  };
}

const quotaColumns = ['year', 'quota_m2', 'iab_reserve_m2', 'approved_m2', 'iab_approved_m2', 'updated_at'] as const;

export async function getQuota(db: Executor, year: number): Promise<QuotaView | undefined> {
  const r = await db.selectFrom('quotas').select(quotaColumns).where('year', '=', year).executeTakeFirst();
  return r ? toQuotaView(r) : undefined;
}

export async function listQuotas(db: Executor): Promise<QuotaView[]> {
  const rows = await db.selectFrom('quotas').select(quotaColumns).orderBy('year', 'desc').execute();
  return rows.map(toQuotaView);
}

/** A year's row, unlocked; undefined when nobody has set it. */
export async function quotaRow(db: Executor, year: number): Promise<QuotaRow | undefined> {
  return db.selectFrom('quotas').select(quotaColumns).where('year', '=', year).executeTakeFirst();
}

/** Locks a year's row (FOR UPDATE); undefined when nobody has set it. */
export async function lockQuotaRow(trx: Transaction<Database>, year: number): Promise<QuotaRow | undefined> {
  return trx.selectFrom('quotas').select(quotaColumns).where('year', '=', year).forUpdate().executeTakeFirst();
}

/** Inserts a year's row unless it exists; the new row, or undefined when the year was set already. */
export async function insertQuota(trx: Transaction<Database>, q: { year: number; quotaM2: string; iabReserveM2: string; userId: number | null }): Promise<QuotaRow | undefined> {
  return trx
    .insertInto('quotas')
    .values({ year: q.year, quota_m2: q.quotaM2, iab_reserve_m2: q.iabReserveM2, updated_by: q.userId })
    .onConflict((oc) => oc.column('year').doNothing())
    .returning(quotaColumns)
    .executeTakeFirst();
}

export async function updateQuota(trx: Transaction<Database>, q: { year: number; quotaM2: string; iabReserveM2: string; userId: number | null }): Promise<QuotaRow> {
  return trx
    .updateTable('quotas')
    .set({ quota_m2: q.quotaM2, iab_reserve_m2: q.iabReserveM2, updated_by: q.userId, updated_at: sql<Date>`now()` })
    .where('year', '=', q.year)
    .returning(quotaColumns)
    .executeTakeFirstOrThrow();
}

// --- Ledger -------------------------------------------------------------------------------------

export interface LedgerEntry {
  id: number;
  year: number;
  allocationId: number;
  kind: 'charge' | 'reversal';
  areaM2: number;
  iab: boolean;
  at: string;
  createdBy: string | null;
}

export async function listLedger(db: Executor, year: number, page: { limit: number; offset: number }): Promise<{ items: LedgerEntry[]; total: number; sumM2: number; iabSumM2: number }> {
  const base = db.selectFrom('quota_ledger as l').where('l.year', '=', year);
  const [rows, totals] = await Promise.all([
    base
      .leftJoin('users as u', 'u.id', 'l.created_by')
      .select([sql<string>`l.id::text`.as('id'), 'l.year', 'l.allocation_id', 'l.kind', 'l.area_m2', 'l.iab', 'l.at', 'u.username'])
      .orderBy('l.id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base
      .select([
        sql<number>`count(*)::int`.as('n'),
        sql<string>`coalesce(sum(l.area_m2), 0)::text`.as('sum'),
        sql<string>`coalesce(sum(l.area_m2) filter (where l.iab), 0)::text`.as('iab_sum'),
      ])
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({
      id: Number(r.id),
      year: r.year,
      allocationId: r.allocation_id,
      kind: r.kind,
      areaM2: Number(r.area_m2),
      iab: r.iab,
      at: new Date(r.at).toISOString(),
      createdBy: r.username ?? null,
    })),
    total: totals.n,
    sumM2: Number(totals.sum),
    iabSumM2: Number(totals.iab_sum),
  };
}

// --- Report -------------------------------------------------------------------------------------

/** Net ledger sums of one report line, as text. */
export type ReportSums = { approved_m2: string; iab_approved_m2: string; allocations: number };

/**
 * A year's net ledger sums per allocation (a cancelled allocation's charge and reversal cancel
 * out) by district, park and sector, and its key projects' progress.
 */
export async function reportSums(db: Executor, year: number) {
  const net = sql`(
    select l.allocation_id, sum(l.area_m2) as area_m2, bool_and(l.iab) as iab
      from quota_ledger l where l.year = ${year}
     group by l.allocation_id having sum(l.area_m2) <> 0)`;
  const lineColumns = sql`coalesce(sum(n.area_m2), 0)::text as approved_m2,
    coalesce(sum(n.area_m2) filter (where n.iab), 0)::text as iab_approved_m2,
    count(n.allocation_id)::int as allocations`;
  type Line = ReportSums;

  const byDistrict = await sql<Line & { code: string; name_zh: string; name_en: string }>`
    select d.code, d.name_zh, d.name_en, ${lineColumns}
      from districts d
      left join parks pk on pk.district_code = d.code
      left join plots pl on pl.park_id = pk.id
      left join allocations a on a.plot_id = pl.id
      left join ${net} n on n.allocation_id = a.id
     group by d.code, d.name_zh, d.name_en order by d.code`.execute(db);
  const byPark = await sql<Line & { id: number; code: string; name_zh: string; name_en: string; district_code: string }>`
    select pk.id, pk.code, pk.name_zh, pk.name_en, pk.district_code, ${lineColumns}
      from parks pk
      left join plots pl on pl.park_id = pk.id
      left join allocations a on a.plot_id = pl.id
      left join ${net} n on n.allocation_id = a.id
     group by pk.id, pk.code, pk.name_zh, pk.name_en, pk.district_code order by pk.code`.execute(db);
  const bySector = await sql<Line & { sector: string }>`
    select pr.sector, ${lineColumns}
      from ${net} n
      join allocations a on a.id = n.allocation_id
      join projects pr on pr.id = a.project_id
     group by pr.sector`.execute(db);
  const keyProjects = await sql<{ approved: number; signed: number; landed: number }>`
    select count(*) filter (where a.status in ('approved', 'contracted', 'completed'))::int as approved,
           count(*) filter (where a.status in ('contracted', 'completed'))::int as signed,
           count(*) filter (where a.status in ('contracted', 'completed') and a.started_on is not null)::int as landed
      from allocations a join projects pr on pr.id = a.project_id
     where a.quota_year = ${year} and pr.key_project`.execute(db);
  return { byDistrict: byDistrict.rows, byPark: byPark.rows, bySector: bySector.rows, keyProjects: keyProjects.rows[0] };
}
