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
 * the row are the ledger's sums, maintained by the database (migration 004). Queries are in
 * ./repository.ts.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import type { Caller } from '../../kernel/caller.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { m2ToHundredths } from '../../../shared/units.ts';
import { iabTilt, supplyShortfall, validateQuotaSetting, type PolicyParameters } from '../../../shared/policy/index.ts';
import { PROJECT_SECTORS } from '../../../shared/domain.ts';
import { loadReference } from '../reference/service.ts';
import { insertQuota, lockQuotaRow, muFigure, quotaRow, reportSums, toQuotaView, updateQuota, type QuotaRow, type QuotaView, type ReportSums } from './repository.ts';

export { getQuota, listLedger, listQuotas, muFigure, toQuotaView, type LedgerEntry, type QuotaRow, type QuotaView } from './repository.ts';

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
  const r = await lockQuotaRow(trx, year);
  if (!r) throw quotaNotSetToCharge(year);
  return r;
}

/** The 409 of a charge (or reversal) to a year nobody has set (also the approval's, migration 023). */
export function quotaNotSetToCharge(year: number): AppError {
  return new AppError(
    409,
    'CONFLICT',
    `The ${year} industrial land quota has not been set, so nothing can be charged to it: a land officer sets it first with PUT /api/quotas/${year} (at least 5000 亩). ${year} 年度工业用地指标尚未设置，不能审批；请先设置年度指标（不少于 5000 亩）。`,
    { reason: 'QUOTA_NOT_SET', year },
  );
}

/**
 * PUT /api/quotas/:year: sets a year's quota and IAB reserve. Refused (400) below the minimum
 * (5000 亩, reference parameter) or with a reserve outside 0..quota; refused (409) when the
 * year's approvals would no longer fit (approved ≤ quota; non-IAB approved ≤ quota − reserve).
 */
export async function setQuota(
  db: Kysely<Database>,
  caller: Caller,
  input: { year: number; quotaM2: number; iabReserveM2: number },
): Promise<{ quota: QuotaView; created: boolean }> {
  return inTransaction(db, (trx) => setQuotaIn(trx, caller, input));
}

async function setQuotaIn(trx: Transaction<Database>, caller: Caller, { year, ...input }: { year: number; quotaM2: number; iabReserveM2: number }): Promise<{ quota: QuotaView; created: boolean }> {
  const { params } = await loadReference(trx);
  const first = validateQuotaSetting({ quotaM2: input.quotaM2, iabReserveM2: input.iabReserveM2, params });
  if (!first.ok) {
    const figures = first.code === 'QUOTA_BELOW_MINIMUM' ? { minimumM2: first.minimumM2, minimumMu: first.minimumMu, quotaM2: first.quotaM2 } : { field: 'field' in first ? first.field : undefined };
    throw badRequest(`${first.messageEn} (${first.messageZh})`, { ...figures, reason: first.code, messageZh: first.messageZh, messageEn: first.messageEn });
  }
  const userId = caller.user?.id ?? null;
  const inserted = await insertQuota(trx, { year, quotaM2: first.quotaM2.toFixed(2), iabReserveM2: first.iabReserveM2.toFixed(2), userId });
  if (inserted) {
    const quota = toQuotaView(inserted);
    await recordEvent(trx, { caller, action: 'quota.set', entity: 'quota', entityId: year, before: null, after: quota });
    return { quota, created: true };
  }
  const current = await lockQuotaRow(trx, year);
  if (!current) throw new Error(`The ${year} quota row vanished under its insert's conflict`);
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
  const updated = await updateQuota(trx, { year, quotaM2: check.quotaM2.toFixed(2), iabReserveM2: check.iabReserveM2.toFixed(2), userId });
  const before = toQuotaView(current);
  const quota = toQuotaView(updated);
  await recordEvent(trx, { caller, action: 'quota.set', entity: 'quota', entityId: year, before, after: quota });
  return { quota, created: false };
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
export async function quotaReport(db: Kysely<Database>, year: number) {
  const row = await quotaRow(db, year);
  const ref = await loadReference(db);
  if (!row) throw quotaNotSet(year, ref.params);
  const quota = toQuotaView(row);
  const sums = await reportSums(db, year);

  const line = (r: ReportSums): ReportLine => ({
    approvedM2: Number(r.approved_m2),
    iabApprovedM2: Number(r.iab_approved_m2),
    approvedMu: muFigure(r.approved_m2),
    allocations: r.allocations,
  });
  const sectors = new Map(sums.bySector.map((r) => [r.sector, r]));
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
    keyProjects: sums.keyProjects ?? { approved: 0, signed: 0, landed: 0 },
    byDistrict: sums.byDistrict.map((r) => ({ districtCode: r.code, nameZh: r.name_zh, nameEn: r.name_en, ...line(r) })),
    byPark: sums.byPark.map((r) => ({ parkId: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, districtCode: r.district_code, ...line(r) })),
    bySector: PROJECT_SECTORS.map((sector) => {
      const r = sectors.get(sector);
      return { sector, ...line(r ?? { approved_m2: '0', iab_approved_m2: '0', allocations: 0 }) };
    }),
    referenceVersions: { parameters: ref.versions.parameters.id },
  };
}
