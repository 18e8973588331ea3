/**
 * Quota arithmetic for the bureau's screen (五(三)11), exact in hundredths of m² like the server:
 * the year's headroom for one more allocation (shared `checkQuota`, the function the server
 * approves with) and the parts of the quota gauge.
 *
 * An IAB project may take any remaining quota; a non-IAB one only what is left after the unused
 * IAB reserve (reserve − IAB approved, never below 0).
 */
import { checkQuota } from '../../../shared/policy/index.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';

/** What a year's figures must carry (`GET /api/quotas/:year` has them all). */
export interface QuotaNumbers {
  quotaM2: number;
  iabReserveM2: number;
  approvedM2: number;
  iabApprovedM2: number;
}

export interface Headroom {
  /** quota − approved. */
  remainingM2: number;
  /** max(0, reserve − IAB approved): kept for IAB projects. */
  unusedReserveM2: number;
  /** What this kind of project may still take: remaining (IAB) or remaining − unused reserve. */
  availableM2: number;
  /** The plot's area, charged at approval. */
  requestedM2: number;
  /** Whether it fits. */
  fits: boolean;
  /** remaining after this allocation (null when it does not fit). */
  remainingAfterM2: number | null;
  /** How much is missing (0 when it fits). */
  shortM2: number;
  /** The shared rule's words with figures, when it does not fit ("剩余指标 12.34 亩，本次需 20.00 亩"). */
  messageZh: string | null;
  messageEn: string | null;
}

const h = m2ToHundredths;
const m2 = hundredthsToM2;

function unusedReserve(q: QuotaNumbers): bigint {
  const u = h(q.iabReserveM2) - h(q.iabApprovedM2);
  return u > 0n ? u : 0n;
}

/** The year's headroom for an allocation of `areaM2` (IAB or not). */
export function headroom(q: QuotaNumbers, request: { areaM2: number; iab: boolean }): Headroom {
  const remaining = h(q.quotaM2) - h(q.approvedM2);
  const reserve = unusedReserve(q);
  const available = request.iab ? remaining : remaining - reserve;
  const base = { remainingM2: m2(remaining), unusedReserveM2: m2(reserve), availableM2: m2(available), requestedM2: m2(h(request.areaM2)) };
  const r = checkQuota(q, request);
  if (r.ok) return { ...base, fits: true, remainingAfterM2: r.remainingAfterM2, shortM2: 0, messageZh: null, messageEn: null };
  if (r.code === 'QUOTA_EXCEEDED') {
    return { ...base, fits: false, remainingAfterM2: null, shortM2: m2(h(r.requestedM2) - h(r.availableM2)), messageZh: r.messageZh, messageEn: r.messageEn };
  }
  // An invalid request (area ≤ 0, say) or inconsistent figures: say it does not fit, in words.
  return { ...base, fits: false, remainingAfterM2: null, shortM2: 0, messageZh: r.messageZh, messageEn: r.messageEn };
}

export type GaugePartKey = 'iabApproved' | 'otherApproved' | 'pending' | 'reserve' | 'free' | 'over';

export interface GaugePart {
  key: GaugePartKey;
  m2: number;
  /** Share of the bar's full length, 0..1. */
  share: number;
}

/**
 * The gauge from left to right: approved for IAB projects, approved for others, the plot being
 * considered (the part that fits), the part that does not fit (`over`), the unused IAB reserve,
 * the rest. A pending IAB allocation is drawn from the reserve first; a non-IAB one never
 * touches it, so its excess shows over the reserve. The bar is the quota long, longer only
 * when a pending allocation overdraws the whole quota.
 */
export function gaugeParts(q: QuotaNumbers, pending?: { areaM2: number; iab: boolean } | null): GaugePart[] {
  const quota = h(q.quotaM2);
  const approved = h(q.approvedM2);
  const iabApproved = h(q.iabApprovedM2);
  const remaining = quota - approved;
  const reserveBefore = unusedReserve(q);
  const p = pending ? h(pending.areaM2) : 0n;
  const available = pending?.iab ? remaining : remaining - reserveBefore;
  const fit = p < available ? p : available > 0n ? available : 0n;
  const over = p - fit;
  const afterFit = remaining - fit;
  let reserve = pending?.iab ? (reserveBefore > fit ? reserveBefore - fit : 0n) : reserveBefore;
  if (reserve > afterFit) reserve = afterFit > 0n ? afterFit : 0n;
  let free = afterFit - reserve > 0n ? afterFit - reserve : 0n;
  // The excess covers the rest first, then the reserve; beyond both it lengthens the bar.
  let left = over;
  const fromFree = left < free ? left : free;
  free -= fromFree;
  left -= fromFree;
  const fromReserve = left < reserve ? left : reserve;
  reserve -= fromReserve;
  left -= fromReserve;
  const total = quota + left;
  const parts: [GaugePartKey, bigint][] = [
    ['iabApproved', iabApproved],
    ['otherApproved', approved - iabApproved],
    ['pending', fit],
    ['over', over],
    ['reserve', reserve],
    ['free', free],
  ];
  return parts
    .filter(([, v]) => v > 0n)
    .map(([key, v]) => ({ key, m2: m2(v), share: total > 0n ? Number((v * 1_000_000n) / total) / 1_000_000 : 0 }));
}

/** Used share of the quota (approved / quota), 0..1, for the gauge's summary and its ARIA value. */
export function usedShare(q: QuotaNumbers): number {
  const quota = h(q.quotaM2);
  return quota > 0n ? Number((h(q.approvedM2) * 1_000_000n) / quota) / 1_000_000 : 0;
}
