/**
 * The annual industrial land quota (五(三)11): setting a year, reading it, its ledger and the
 * report by district, park and sector with the shortfall against the 5000 亩 supply target.
 *
 * A year has a quota only once the bureau sets it (PUT /api/quotas/:year). Approvals charging a
 * year without one are refused with 409 and a message to set it: the quota is the bureau's
 * annual decision (the city's 年度用地计划), so the system never invents one — not even the
 * 5000 亩 minimum, which would then show in the report as if someone had decided it, and a
 * mistyped year (2062) would silently get a quota.
 *
 * The rules are shared/ (`validateQuotaSetting`, `checkQuota`, `supplyShortfall`); the totals on
 * the row are the ledger's sums, maintained by the database (migration 004).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { formatArea, hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';
import { iabTilt, supplyShortfall, validateQuotaSetting, type PolicyParameters } from '../../../shared/policy/index.ts';
import { PROJECT_SECTORS } from '../../../shared/domain.ts';
import { loadReference } from '../reference/service.ts';

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

type QuotaRow = { year: number; quota_m2: string; iab_reserve_m2: string; approved_m2: string; iab_approved_m2: string; updated_at: Date | string };

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

/** The 404 for a year nobody has set, saying how to set it. */
export function quotaNotSet(year: number, params?: PolicyParameters): AppError {
  const min = params?.annualQuotaMinimumMu ?? 5000;
  return new AppError(
    404,
    'NOT_FOUND',
    `No industrial land quota has been set for ${year}; a land officer sets it with PUT /api/quotas/${year} (at least ${min} 亩). ${year} 年度工业用地指标尚未设置，请土地管理人员先设置（不少于 ${min} 亩）。`,
    { reason: 'QUOTA_NOT_SET', year },
  );
}

/**
 * Locks a year's row for a charge or a reversal (the second lock of an approval, after the
 * plot). A year that was never set → 409 asking for the quota to be set first.
 */
export async function lockQuota(trx: Transaction<Database>, year: number): Promise<QuotaRow> {
  const r = await trx.selectFrom('quotas').select(quotaColumns).where('year', '=', year).forUpdate().executeTakeFirst();
  if (!r) {
    throw new AppError(
      409,
      'CONFLICT',
      `The ${year} industrial land quota has not been set, so nothing can be charged to it: a land officer sets it first with PUT /api/quotas/${year} (at least 5000 亩). ${year} 年度工业用地指标尚未设置，不能审批；请先设置年度指标（不少于 5000 亩）。`,
      { reason: 'QUOTA_NOT_SET', year },
    );
  }
  return r;
}

/**
 * PUT /api/quotas/:year: sets a year's quota and IAB reserve. Refused (400) below the minimum
 * (5000 亩, reference parameter) or with a reserve outside 0..quota; refused (409) when the
 * year's approvals would no longer fit (approved ≤ quota; non-IAB approved ≤ quota − reserve).
 */
export async function setQuota(
  trx: Transaction<Database>,
  year: number,
  input: { quotaM2: number; iabReserveM2: number },
  ctx: { req: FastifyRequest },
): Promise<{ quota: QuotaView; created: boolean }> {
  const { params } = await loadReference(trx);
  const first = validateQuotaSetting({ quotaM2: input.quotaM2, iabReserveM2: input.iabReserveM2, params });
  if (!first.ok) {
    const figures = first.code === 'QUOTA_BELOW_MINIMUM' ? { minimumM2: first.minimumM2, minimumMu: first.minimumMu, quotaM2: first.quotaM2 } : { field: 'field' in first ? first.field : undefined };
    throw badRequest(`${first.messageEn} (${first.messageZh})`, { ...figures, reason: first.code, messageZh: first.messageZh, messageEn: first.messageEn });
  }
  const userId = ctx.req.user?.id ?? null;
  const inserted = await trx
    .insertInto('quotas')
    .values({ year, quota_m2: first.quotaM2.toFixed(2), iab_reserve_m2: first.iabReserveM2.toFixed(2), updated_by: userId })
    .onConflict((oc) => oc.column('year').doNothing())
    .returning(quotaColumns)
    .executeTakeFirst();
  if (inserted) {
    const quota = toQuotaView(inserted);
    await recordEvent(trx, { req: ctx.req, action: 'quota.set', entity: 'quota', entityId: year, before: null, after: quota });
    return { quota, created: true };
  }
  const current = await trx.selectFrom('quotas').select(quotaColumns).where('year', '=', year).forUpdate().executeTakeFirstOrThrow();
  const check = validateQuotaSetting({ ...input, approvedM2: current.approved_m2, iabApprovedM2: current.iab_approved_m2, params });
  if (!check.ok) {
    if (check.code === 'QUOTA_BELOW_APPROVED') {
      throw new AppError(409, 'CONFLICT', `${check.messageEn}; approvals already charged to ${year} must fit (${check.messageZh}，已审批的项目须在指标内).`, {
        reason: check.code,
        quotaM2: check.quotaM2,
        iabReserveM2: check.iabReserveM2,
        approvedM2: check.approvedM2,
        nonIabApprovedM2: check.nonIabApprovedM2,
        messageZh: check.messageZh,
        messageEn: check.messageEn,
      });
    }
    throw badRequest(`${check.messageEn} (${check.messageZh})`, { reason: check.code });
  }
  const updated = await trx
    .updateTable('quotas')
    .set({ quota_m2: check.quotaM2.toFixed(2), iab_reserve_m2: check.iabReserveM2.toFixed(2), updated_by: userId, updated_at: sql<Date>`now()` })
    .where('year', '=', year)
    .returning(quotaColumns)
    .executeTakeFirstOrThrow();
  const before = toQuotaView(current);
  const quota = toQuotaView(updated);
  await recordEvent(trx, { req: ctx.req, action: 'quota.set', entity: 'quota', entityId: year, before, after: quota });
  return { quota, created: false };
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

export interface ReportLine {
  approvedM2: number;
  iabApprovedM2: number;
  approvedMu: number;
  allocations: number;
}

/**
 * A year's report (五(三)11: used, remaining, IAB share, by district, park and sector, and the
 * shortfall against the 5000 亩 supply target). Figures are net ledger sums per allocation
 * (a cancelled allocation's charge and reversal cancel out), so they add up to the year's totals.
 */
export async function quotaReport(db: Executor, year: number) {
  const row = await db.selectFrom('quotas').select(quotaColumns).where('year', '=', year).executeTakeFirst();
  const ref = await loadReference(db);
  if (!row) throw quotaNotSet(year, ref.params);
  const quota = toQuotaView(row);

  const net = sql`(
    select l.allocation_id, sum(l.area_m2) as area_m2, bool_and(l.iab) as iab
      from quota_ledger l where l.year = ${year}
     group by l.allocation_id having sum(l.area_m2) <> 0)`;
  const lineColumns = sql`coalesce(sum(n.area_m2), 0)::text as approved_m2,
    coalesce(sum(n.area_m2) filter (where n.iab), 0)::text as iab_approved_m2,
    count(n.allocation_id)::int as allocations`;
  type Line = { approved_m2: string; iab_approved_m2: string; allocations: number };

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

  const line = (r: Line): ReportLine => ({
    approvedM2: Number(r.approved_m2),
    iabApprovedM2: Number(r.iab_approved_m2),
    approvedMu: muFigure(r.approved_m2),
    allocations: r.allocations,
  });
  const sectors = new Map(bySector.rows.map((r) => [r.sector, r]));
  const shortfall = supplyShortfall({ approvedM2: row.approved_m2, params: ref.params });
  if (!shortfall.ok) throw new Error(`supplyShortfall: ${shortfall.messageEn}`);
  const approvedH = m2ToHundredths(row.approved_m2);
  const tilt = iabTilt({ quotaM2: row.quota_m2, iabReserveM2: row.iab_reserve_m2, approvedM2: row.approved_m2, iabApprovedM2: row.iab_approved_m2 });
  if (!tilt.ok) throw new Error(`iabTilt: ${tilt.messageEn}`);
  const { ok: _ok, ...iabTiltFigures } = tilt;
  return {
    ...quota,
    // IAB share of the approved area, in basis points (display: /100 %).
    iabShareBp: approvedH === 0n ? 0 : Number((m2ToHundredths(row.iab_approved_m2) * 10_000n) / approvedH),
    iabTilt: iabTiltFigures,
    supplyTarget: {
      targetM2: shortfall.targetM2,
      targetMu: shortfall.targetMu,
      metTarget: shortfall.metTarget,
      shortfallM2: shortfall.shortfallM2,
      shortfallMu: muFigure(shortfall.shortfallM2),
    },
    keyProjects: keyProjects.rows[0] ?? { approved: 0, signed: 0, landed: 0 },
    byDistrict: byDistrict.rows.map((r) => ({ districtCode: r.code, nameZh: r.name_zh, nameEn: r.name_en, ...line(r) })),
    byPark: byPark.rows.map((r) => ({ parkId: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, districtCode: r.district_code, ...line(r) })),
    bySector: PROJECT_SECTORS.map((sector) => {
      const r = sectors.get(sector);
      return { sector, ...line(r ?? { approved_m2: '0', iab_approved_m2: '0', allocations: 0 }) };
    }),
    referenceVersions: { parameters: ref.versions.parameters.id },
  };
}
