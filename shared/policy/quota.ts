/**
 * The annual industrial land quota (工业用地指标) of 五(三)11: "每年安排不少于333.33公顷(5000亩)
 * 的工业用地指标，重点向IAB产业倾斜". Areas are compared exactly in integer hundredths of m²;
 * inputs are m² figures with at most 2 decimals (numbers or decimal strings, e.g. from
 * PostgreSQL numeric), outputs are m² numbers with exact 2-decimal values.
 *
 * Invariants, for every year: approved ≤ quota, and non-IAB approved ≤ quota − IAB reserve
 * (non-IAB approved = approved − IAB approved). The server enforces them in a transaction by
 * calling {@link checkQuota} on the locked year; cancelling an allocation is a reversing entry.
 */
import { validationFailed, type BilingualMessage, type ValidationFailure } from '../domain.ts';
import { ratio, roundHalfUpDiv } from '../money.ts';
import { compareM2HundredthsToMu, formatAreaHundredths, muToM2Hundredths, parseAreaField } from '../units.ts';
import { DEFAULT_PARAMETERS, type PolicyParameters } from './parameters.ts';

export interface QuotaState {
  /** The year's quota, m². */
  readonly quotaM2: number | string;
  /** Part of the quota reserved for IAB projects, m² (default 0). */
  readonly iabReserveM2: number | string;
  /** All approved (net of cancellations), m². */
  readonly approvedM2: number | string;
  /** Of which approved for IAB projects, m². */
  readonly iabApprovedM2: number | string;
}

export interface QuotaRequest {
  /** Area to charge, m² (> 0). */
  readonly areaM2: number | string;
  readonly iab: boolean;
}

export interface QuotaOk {
  readonly ok: true;
  readonly requestedM2: number;
  readonly approvedAfterM2: number;
  readonly iabApprovedAfterM2: number;
  /** quota − approved, after this allocation. */
  readonly remainingAfterM2: number;
  /** What a non-IAB allocation could still take after this one (excludes the unused reserve). */
  readonly availableToNonIabAfterM2: number;
}

export interface QuotaExceeded extends BilingualMessage {
  readonly ok: false;
  readonly code: 'QUOTA_EXCEEDED';
  /** quota − approved (for any project). */
  readonly remainingM2: number;
  /** What this request could take: `remainingM2` for IAB, `availableToNonIabM2` otherwise. */
  readonly availableM2: number;
  readonly requestedM2: number;
  readonly iabReserveM2: number;
  /** remaining − unused IAB reserve. */
  readonly availableToNonIabM2: number;
}

const M2 = (h: bigint): number => Number(h) / 100;
const mu = (h: bigint, locale: 'zh-CN' | 'en'): string => formatAreaHundredths(h, 'mu', locale);

interface ParsedState {
  quota: bigint;
  reserve: bigint;
  approved: bigint;
  iabApproved: bigint;
}

function parseState(s: QuotaState): ParsedState | ValidationFailure {
  const quota = parseAreaField('quotaM2', { zh: '年度指标', en: 'Quota' }, s.quotaM2);
  if (!quota.ok) return quota;
  const reserve = parseAreaField('iabReserveM2', { zh: 'IAB预留指标', en: 'IAB reserve' }, s.iabReserveM2);
  if (!reserve.ok) return reserve;
  const approved = parseAreaField('approvedM2', { zh: '已批面积', en: 'Approved area' }, s.approvedM2);
  if (!approved.ok) return approved;
  const iab = parseAreaField('iabApprovedM2', { zh: 'IAB已批面积', en: 'IAB approved area' }, s.iabApprovedM2);
  if (!iab.ok) return iab;
  const st = { quota: quota.hundredths, reserve: reserve.hundredths, approved: approved.hundredths, iabApproved: iab.hundredths };
  if (st.reserve > st.quota) return validationFailed('iabReserveM2', 'IAB预留指标不能超过年度指标', 'The IAB reserve must not exceed the quota');
  if (st.iabApproved > st.approved) return validationFailed('iabApprovedM2', 'IAB已批面积不能超过已批面积', 'IAB approved area must not exceed approved area');
  // A state that already breaks an invariant is a bug upstream: refuse rather than compound it.
  if (st.approved > st.quota) return validationFailed('approvedM2', '已批面积超过年度指标（数据不一致）', 'Approved area exceeds the quota (inconsistent state)');
  if (st.approved - st.iabApproved > st.quota - st.reserve) {
    return validationFailed('approvedM2', '非IAB已批面积占用了IAB预留指标（数据不一致）', 'Non-IAB approvals consume the IAB reserve (inconsistent state)');
  }
  return st;
}

/** Unused reserve: max(0, reserve − IAB approved). */
function unusedReserve(s: ParsedState): bigint {
  const u = s.reserve - s.iabApproved;
  return u > 0n ? u : 0n;
}

/**
 * 五(三)11: may `request` be charged to the year in `state`? An IAB allocation may use any
 * remaining quota (reserve included); a non-IAB one only what is left after the unused IAB
 * reserve: available = (quota − approved) − max(0, reserve − IAB approved), which is the same
 * as min(quota − approved, quota − reserve − non-IAB approved). Equal to available is allowed.
 */
export function checkQuota(state: QuotaState, request: QuotaRequest): QuotaOk | QuotaExceeded | ValidationFailure {
  const s = parseState(state);
  if ('ok' in s) return s;
  const req = parseAreaField('areaM2', { zh: '申请面积', en: 'Requested area' }, request.areaM2, 'positive');
  if (!req.ok) return req;
  const area = req.hundredths;
  const remaining = s.quota - s.approved;
  const availableToNonIab = remaining - unusedReserve(s);
  const available = request.iab ? remaining : availableToNonIab;
  if (area > available) {
    return {
      ok: false,
      code: 'QUOTA_EXCEEDED',
      remainingM2: M2(remaining),
      availableM2: M2(available),
      requestedM2: M2(area),
      iabReserveM2: M2(s.reserve),
      availableToNonIabM2: M2(availableToNonIab),
      messageZh:
        `剩余指标 ${mu(available, 'zh-CN')}，本次需 ${mu(area, 'zh-CN')}` +
        (request.iab || available === remaining ? '' : `（另有 IAB 预留 ${mu(remaining - available, 'zh-CN')}，非IAB项目不可占用）`),
      messageEn:
        `Remaining quota ${mu(available, 'en')}; this allocation needs ${mu(area, 'en')}` +
        (request.iab || available === remaining ? '' : ` (a further ${mu(remaining - available, 'en')} is reserved for IAB projects)`),
    };
  }
  const after: ParsedState = { ...s, approved: s.approved + area, iabApproved: s.iabApproved + (request.iab ? area : 0n) };
  const remainingAfter = after.quota - after.approved;
  return {
    ok: true,
    requestedM2: M2(area),
    approvedAfterM2: M2(after.approved),
    iabApprovedAfterM2: M2(after.iabApproved),
    remainingAfterM2: M2(remainingAfter),
    availableToNonIabAfterM2: M2(remainingAfter - unusedReserve(after)),
  };
}

export interface QuotaBelowMinimum extends BilingualMessage {
  readonly ok: false;
  readonly code: 'QUOTA_BELOW_MINIMUM';
  readonly quotaM2: number;
  /** The minimum in m², rounded UP to the cent (5000 亩 → 3,333,333.34 m²). */
  readonly minimumM2: number;
  readonly minimumMu: number;
}

export interface QuotaBelowApproved extends BilingualMessage {
  readonly ok: false;
  readonly code: 'QUOTA_BELOW_APPROVED';
  readonly quotaM2: number;
  readonly iabReserveM2: number;
  readonly approvedM2: number;
  readonly nonIabApprovedM2: number;
}

/**
 * 五(三)11: a year's quota setting. Refused when the quota is below the minimum (5000 亩,
 * configurable) by exact comparison — `3 × quota(hundredths of m²) ≥ 200000 × minimum(亩)`,
 * i.e. 3,333,333.34 m² passes and 3,333,333.33 m² fails — or when 0 ≤ reserve ≤ quota fails.
 * If the year's current approvals are given, a quota or reserve that would break the
 * invariants (approved ≤ quota; non-IAB approved ≤ quota − reserve) is refused too.
 */
export function validateQuotaSetting(input: {
  readonly quotaM2: number | string;
  readonly iabReserveM2: number | string;
  readonly approvedM2?: number | string;
  readonly iabApprovedM2?: number | string;
  readonly params?: PolicyParameters;
}): { ok: true; quotaM2: number; iabReserveM2: number } | QuotaBelowMinimum | QuotaBelowApproved | ValidationFailure {
  const p = input.params ?? DEFAULT_PARAMETERS;
  const quota = parseAreaField('quotaM2', { zh: '年度指标', en: 'Quota' }, input.quotaM2);
  if (!quota.ok) return quota;
  const reserve = parseAreaField('iabReserveM2', { zh: 'IAB预留指标', en: 'IAB reserve' }, input.iabReserveM2);
  if (!reserve.ok) return reserve;
  const q = quota.hundredths;
  const r = reserve.hundredths;
  const minMu = p.annualQuotaMinimumMu;
  if (compareM2HundredthsToMu(q, ratio(BigInt(minMu))) < 0) {
    const minH = muToM2Hundredths(minMu, 'ceil');
    return {
      ok: false,
      code: 'QUOTA_BELOW_MINIMUM',
      quotaM2: M2(q),
      minimumM2: M2(minH),
      minimumMu: minMu,
      messageZh: `年度工业用地指标不得少于 ${minMu} 亩（${formatAreaHundredths(minH, 'm2', 'zh-CN')}），本次设置 ${mu(q, 'zh-CN')}`,
      messageEn: `The annual industrial land quota must be at least ${minMu} mu (${formatAreaHundredths(minH, 'm2', 'en')}); this setting is ${mu(q, 'en')}`,
    };
  }
  if (r > q) return validationFailed('iabReserveM2', 'IAB预留指标不能超过年度指标', 'The IAB reserve must not exceed the quota');
  if (input.approvedM2 !== undefined || input.iabApprovedM2 !== undefined) {
    const approved = parseAreaField('approvedM2', { zh: '已批面积', en: 'Approved area' }, input.approvedM2 ?? 0);
    if (!approved.ok) return approved;
    const iab = parseAreaField('iabApprovedM2', { zh: 'IAB已批面积', en: 'IAB approved area' }, input.iabApprovedM2 ?? 0);
    if (!iab.ok) return iab;
    const a = approved.hundredths;
    if (iab.hundredths > a) return validationFailed('iabApprovedM2', 'IAB已批面积不能超过已批面积', 'IAB approved area must not exceed approved area');
    const nonIab = a - iab.hundredths;
    if (a > q || nonIab > q - r) {
      return {
        ok: false,
        code: 'QUOTA_BELOW_APPROVED',
        quotaM2: M2(q),
        iabReserveM2: M2(r),
        approvedM2: M2(a),
        nonIabApprovedM2: M2(nonIab),
        messageZh: a > q
          ? `年度指标 ${mu(q, 'zh-CN')} 少于已批面积 ${mu(a, 'zh-CN')}`
          : `非IAB已批面积 ${mu(nonIab, 'zh-CN')} 超过指标扣除IAB预留后的 ${mu(q - r, 'zh-CN')}`,
        messageEn: a > q
          ? `Quota ${mu(q, 'en')} is less than the approved area ${mu(a, 'en')}`
          : `Non-IAB approved area ${mu(nonIab, 'en')} exceeds the quota less the IAB reserve, ${mu(q - r, 'en')}`,
      };
    }
  }
  return { ok: true, quotaM2: M2(q), iabReserveM2: M2(r) };
}

/**
 * 五(三)11 (the quota is also a supply target): shortfall of the approved area against the
 * minimum (5000 亩), in m² rounded UP to the cent (0 when met), and in 亩 for display.
 */
export function supplyShortfall(input: {
  readonly approvedM2: number | string;
  readonly params?: PolicyParameters;
}): { ok: true; metTarget: boolean; shortfallM2: number; targetM2: number; targetMu: number } | ValidationFailure {
  const p = input.params ?? DEFAULT_PARAMETERS;
  const approved = parseAreaField('approvedM2', { zh: '已批面积', en: 'Approved area' }, input.approvedM2);
  if (!approved.ok) return approved;
  const targetH = muToM2Hundredths(p.annualQuotaMinimumMu, 'ceil');
  const met = compareM2HundredthsToMu(approved.hundredths, ratio(BigInt(p.annualQuotaMinimumMu))) >= 0;
  // target − approved, in exact m²: 2000·mu/3 − h/100 → hundredths, rounded up.
  const shortfallH = met ? 0n : targetH - approved.hundredths;
  return { ok: true, metTarget: met, shortfallM2: M2(shortfallH), targetM2: M2(targetH), targetMu: p.annualQuotaMinimumMu };
}

/** a / b in basis points, rounded half up; 0 when b is 0. */
function shareBp(a: bigint, b: bigint): number {
  return b === 0n ? 0 : Number(roundHalfUpDiv(a * 10_000n, b));
}

/** The IAB reserve as a share of the quota, in basis points (the form says "IAB 预留 1,000 亩 = 20 %"). */
export function reserveShareBp(input: { readonly quotaM2: number | string; readonly iabReserveM2: number | string }): number | ValidationFailure {
  const quota = parseAreaField('quotaM2', { zh: '年度指标', en: 'Quota' }, input.quotaM2);
  if (!quota.ok) return quota;
  const reserve = parseAreaField('iabReserveM2', { zh: 'IAB预留指标', en: 'IAB reserve' }, input.iabReserveM2);
  if (!reserve.ok) return reserve;
  return shareBp(reserve.hundredths, quota.hundredths);
}

export interface IabTilt {
  readonly ok: true;
  readonly iabReserveM2: number;
  /** Reserve ÷ quota, basis points: the tilt the bureau decided. */
  readonly reserveShareBp: number;
  readonly iabApprovedM2: number;
  /** IAB approved ÷ all approved, basis points (0 when nothing is approved). */
  readonly iabShareBp: number;
  /** IAB approved ÷ quota, basis points: comparable with reserveShareBp. */
  readonly iabOfQuotaBp: number;
  /** min(IAB approved, reserve): the part of the reserve IAB projects have taken. */
  readonly reserveUsedM2: number;
  /** reserveUsed ÷ reserve, basis points; null when the reserve is 0 (nothing was reserved). */
  readonly reserveUsedBp: number | null;
  /** Reserve still kept from non-IAB projects. */
  readonly unusedReserveM2: number;
}

/**
 * 五(三)11 "重点向IAB产业倾斜": the year's IAB share of approved land against the reserve the
 * bureau decided — the report shows both, so a year whose reserve is 0 reads as a decision.
 */
export function iabTilt(state: QuotaState): IabTilt | ValidationFailure {
  const s = parseState(state);
  if ('ok' in s) return s;
  const used = s.iabApproved < s.reserve ? s.iabApproved : s.reserve;
  return {
    ok: true,
    iabReserveM2: M2(s.reserve),
    reserveShareBp: shareBp(s.reserve, s.quota),
    iabApprovedM2: M2(s.iabApproved),
    iabShareBp: shareBp(s.iabApproved, s.approved),
    iabOfQuotaBp: shareBp(s.iabApproved, s.quota),
    reserveUsedM2: M2(used),
    reserveUsedBp: s.reserve === 0n ? null : shareBp(used, s.reserve),
    unusedReserveM2: M2(unusedReserve(s)),
  };
}
