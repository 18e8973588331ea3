/**
 * Park infrastructure subsidy of 五(三)13: "对价值创新园区公共服务平台、配套基础设施项目建设，择优
 * 按总投资额的20%给予补助，单个园区最高补助金额累计不超过1亿元". 择优 = a decision: this computes
 * the most that may be granted; the server records what was granted (and reverses withdrawals).
 * All amounts are integer fen (bigint); grants and caps round DOWN.
 */
import type { BilingualMessage, ParkTier, ValidationFailure } from '../domain.ts';
import { checkFenField, minBigint, mulRatioFloor, ratioFromBp } from '../money.ts';
import { formatMoney } from '../units.ts';
import { DEFAULT_PARAMETERS, type PolicyParameters } from './parameters.ts';

export interface SubsidyRequest {
  /** Amount applied for (or decided on), fen, > 0. */
  readonly requestedFen: bigint;
  /** The project's total investment, fen, > 0. */
  readonly totalInvestmentFen: bigint;
  /** Net amount already granted to the park (grants minus withdrawals), fen. */
  readonly parkGrantedFen: bigint;
  /** The park's tier; `null` = not a value-innovation park (not eligible). */
  readonly parkTier: ParkTier | null;
  readonly params?: PolicyParameters;
}

/** Which limit set the grant; on a tie the first in this order is named. */
export const SUBSIDY_LIMITS = ['requested', 'investment_share', 'park_cap'] as const;
export type SubsidyLimit = (typeof SUBSIDY_LIMITS)[number];

export interface SubsidyGrant extends BilingualMessage {
  readonly ok: true;
  readonly grantedFen: bigint;
  readonly limitedBy: SubsidyLimit;
  /** ⌊share × investment⌋. */
  readonly investmentShareFen: bigint;
  /** cap − already granted, before this grant. */
  readonly parkHeadroomFen: bigint;
  /** The most that could be granted: min(share of investment, headroom). */
  readonly maxAllowedFen: bigint;
  readonly parkRemainingAfterFen: bigint;
}

export interface SubsidyRefused extends BilingualMessage {
  readonly ok: false;
  readonly code: 'SUBSIDY_NOT_ELIGIBLE' | 'SUBSIDY_CAP_EXCEEDED';
  readonly parkCapFen: bigint;
  readonly parkGrantedFen: bigint;
  readonly requestedFen: bigint;
}

/**
 * 五(三)13: grant = min(requested, ⌊20 % × total investment⌋, cap − already granted to the park),
 * in fen. Only parks of a tier (core, equal_policy, recognized) are eligible. Refused with
 * SUBSIDY_CAP_EXCEEDED when the park has no headroom left (so total granted ≤ 1亿 always).
 * `limitedBy` names the binding limit, ties resolved in {@link SUBSIDY_LIMITS} order.
 */
export function subsidyGrant(input: SubsidyRequest): SubsidyGrant | SubsidyRefused | ValidationFailure {
  const p = input.params ?? DEFAULT_PARAMETERS;
  const requested = checkFenField('requestedFen', { zh: '申请补助金额', en: 'Requested amount' }, input.requestedFen, 'positive');
  if (!requested.ok) return requested;
  const investment = checkFenField('totalInvestmentFen', { zh: '项目总投资', en: 'Total investment' }, input.totalInvestmentFen, 'positive');
  if (!investment.ok) return investment;
  const granted = checkFenField('parkGrantedFen', { zh: '园区已获补助', en: 'Already granted to the park' }, input.parkGrantedFen);
  if (!granted.ok) return granted;
  const cap = p.subsidyParkCapFen;
  const refused = { parkCapFen: cap, parkGrantedFen: input.parkGrantedFen, requestedFen: input.requestedFen };
  if (input.parkTier === null) {
    return {
      ok: false,
      code: 'SUBSIDY_NOT_ELIGIBLE',
      ...refused,
      messageZh: '仅价值创新园区（含同等享受政策及逐年认定的园区）的项目可申请基础设施补助',
      messageEn: 'Only projects in a value-innovation park (including equal-policy and recognized parks) are eligible',
    };
  }
  const headroom = cap - input.parkGrantedFen;
  if (headroom <= 0n) {
    return {
      ok: false,
      code: 'SUBSIDY_CAP_EXCEEDED',
      ...refused,
      messageZh: `园区累计补助已达上限 ${formatMoney(cap, 'zh-CN', 'compact')}（已补助 ${formatMoney(input.parkGrantedFen, 'zh-CN')}）`,
      messageEn: `The park has reached its cumulative cap of ${formatMoney(cap, 'en')} (granted ${formatMoney(input.parkGrantedFen, 'en')})`,
    };
  }
  const share = mulRatioFloor(input.totalInvestmentFen, ratioFromBp(p.subsidyShareBp));
  const grantedFen = minBigint(input.requestedFen, share, headroom);
  const limitedBy: SubsidyLimit =
    grantedFen === input.requestedFen ? 'requested' : grantedFen === share ? 'investment_share' : 'park_cap';
  const reasonZh = { requested: '按申请金额', investment_share: `按总投资 ${p.subsidyShareBp / 100}% 封顶`, park_cap: '按园区剩余额度封顶' }[limitedBy];
  const reasonEn = { requested: 'as requested', investment_share: `limited to ${p.subsidyShareBp / 100}% of total investment`, park_cap: "limited by the park's remaining cap" }[limitedBy];
  return {
    ok: true,
    grantedFen,
    limitedBy,
    investmentShareFen: share,
    parkHeadroomFen: headroom,
    maxAllowedFen: minBigint(share, headroom),
    parkRemainingAfterFen: headroom - grantedFen,
    messageZh: `可补助 ${formatMoney(grantedFen, 'zh-CN')}（${reasonZh}），园区剩余额度 ${formatMoney(headroom - grantedFen, 'zh-CN')}`,
    messageEn: `Grant up to ${formatMoney(grantedFen, 'en')} (${reasonEn}); park headroom after: ${formatMoney(headroom - grantedFen, 'en')}`,
  };
}
