/**
 * Park infrastructure subsidy of 五(三)13: "对价值创新园区公共服务平台、配套基础设施项目建设，择优
 * 按总投资额的20%给予补助，单个园区最高补助金额累计不超过1亿元". 择优 = a decision: this computes
 * the most that may be granted; the server records what was granted (and reverses withdrawals).
 * The 20 % is per project (按总投资额的20%), cumulative over all grants to that project; the 1亿
 * is per park, cumulative. All amounts are integer fen (bigint); grants and caps round DOWN.
 */
import type { BilingualMessage, ParkTier, ValidationFailure } from '../domain.ts';
import { checkFenField, minBigint, mulRatioFloor, ratioFromBp } from '../money.ts';
import { formatMoney } from '../units.ts';
import { DEFAULT_PARAMETERS, type PolicyParameters } from './parameters.ts';

/**
 * The kinds of park project a subsidy may be granted to (五(三)13 "公共服务平台、配套基础设施项目",
 * with the 配套设施 of the same clause): public service platform, supporting infrastructure,
 * supporting facilities.
 */
export const SUBSIDY_PROJECT_KINDS = ['public_platform', 'infrastructure', 'facilities'] as const;
export type SubsidyProjectKind = (typeof SUBSIDY_PROJECT_KINDS)[number];

export interface SubsidyRequest {
  /** Amount applied for (or decided on), fen, > 0. */
  readonly requestedFen: bigint;
  /** The project's total investment, fen, > 0. */
  readonly totalInvestmentFen: bigint;
  /** Net amount already granted to the park (grants minus withdrawals), fen. */
  readonly parkGrantedFen: bigint;
  /** Net amount already granted to this project (grants minus withdrawals), fen. */
  readonly projectGrantedFen: bigint;
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
  /** ⌊share × investment⌋: the project's whole 20 %. */
  readonly investmentShareFen: bigint;
  /** ⌊share × investment⌋ − already granted to the project, never below 0. */
  readonly projectHeadroomFen: bigint;
  /** cap − already granted, before this grant. */
  readonly parkHeadroomFen: bigint;
  /** The most that could be granted: min(project headroom, park headroom). */
  readonly maxAllowedFen: bigint;
  readonly parkRemainingAfterFen: bigint;
  readonly projectRemainingAfterFen: bigint;
}

export interface SubsidyRefused extends BilingualMessage {
  readonly ok: false;
  readonly code: 'SUBSIDY_NOT_ELIGIBLE' | 'SUBSIDY_CAP_EXCEEDED';
  /** Which headroom is exhausted (for SUBSIDY_CAP_EXCEEDED): the park's 1亿 or the project's 20 %. */
  readonly exhausted?: 'park_cap' | 'project_share';
  readonly parkCapFen: bigint;
  readonly parkGrantedFen: bigint;
  readonly requestedFen: bigint;
}

/**
 * 五(三)13: grant = min(requested, ⌊20 % × the project's total investment⌋ − already granted to
 * the project, cap − already granted to the park), in fen, rounded down. Only parks of a tier
 * (core, equal_policy, recognized) are eligible. Refused with SUBSIDY_CAP_EXCEEDED when the park
 * has no headroom left (so total granted ≤ 1亿 always), or when the project has had its 20 %
 * (so a project's grants never add up to more than 20 % of its investment).
 * `limitedBy` names the binding limit, ties resolved in {@link SUBSIDY_LIMITS} order
 * (`investment_share` = the project's remaining 20 %).
 */
export function subsidyGrant(input: SubsidyRequest): SubsidyGrant | SubsidyRefused | ValidationFailure {
  const p = input.params ?? DEFAULT_PARAMETERS;
  const requested = checkFenField('requestedFen', { zh: '申请补助金额', en: 'Requested amount' }, input.requestedFen, 'positive');
  if (!requested.ok) return requested;
  const investment = checkFenField('totalInvestmentFen', { zh: '项目总投资', en: 'Total investment' }, input.totalInvestmentFen, 'positive');
  if (!investment.ok) return investment;
  const granted = checkFenField('parkGrantedFen', { zh: '园区已获补助', en: 'Already granted to the park' }, input.parkGrantedFen);
  if (!granted.ok) return granted;
  const projectGranted = checkFenField('projectGrantedFen', { zh: '项目已获补助', en: 'Already granted to the project' }, input.projectGrantedFen);
  if (!projectGranted.ok) return projectGranted;
  const cap = p.subsidyParkCapFen;
  const refused = { parkCapFen: cap, parkGrantedFen: input.parkGrantedFen, requestedFen: input.requestedFen };
  if (input.parkTier === null || input.parkTier === 'zone') { // a generated zone is not an IAB park
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
      exhausted: 'park_cap',
      ...refused,
      messageZh: `园区累计补助已达上限 ${formatMoney(cap, 'zh-CN', 'compact')}（已补助 ${formatMoney(input.parkGrantedFen, 'zh-CN')}）`,
      messageEn: `The park has reached its cumulative cap of ${formatMoney(cap, 'en')} (granted ${formatMoney(input.parkGrantedFen, 'en')})`,
    };
  }
  const pct = `${p.subsidyShareBp / 100}%`;
  const share = mulRatioFloor(input.totalInvestmentFen, ratioFromBp(p.subsidyShareBp));
  const projectHeadroom = share - input.projectGrantedFen > 0n ? share - input.projectGrantedFen : 0n;
  if (projectHeadroom <= 0n && share > 0n && input.projectGrantedFen > 0n) {
    return {
      ok: false,
      code: 'SUBSIDY_CAP_EXCEEDED',
      exhausted: 'project_share',
      ...refused,
      messageZh: `项目已获补助 ${formatMoney(input.projectGrantedFen, 'zh-CN')}，已达总投资的 ${pct}（${formatMoney(share, 'zh-CN')}）`,
      messageEn: `The project has been granted ${formatMoney(input.projectGrantedFen, 'en')}, its ${pct} of total investment (${formatMoney(share, 'en')})`,
    };
  }
  const grantedFen = minBigint(input.requestedFen, projectHeadroom, headroom);
  const limitedBy: SubsidyLimit =
    grantedFen === input.requestedFen ? 'requested' : grantedFen === projectHeadroom ? 'investment_share' : 'park_cap';
  const reasonZh = {
    requested: '按申请金额',
    investment_share: input.projectGrantedFen > 0n ? `按项目总投资 ${pct} 扣除已获补助后封顶` : `按总投资 ${pct} 封顶`,
    park_cap: '按园区剩余额度封顶',
  }[limitedBy];
  const reasonEn = {
    requested: 'as requested',
    investment_share: input.projectGrantedFen > 0n ? `limited to ${pct} of total investment less what the project already has` : `limited to ${pct} of total investment`,
    park_cap: "limited by the park's remaining cap",
  }[limitedBy];
  return {
    ok: true,
    grantedFen,
    limitedBy,
    investmentShareFen: share,
    projectHeadroomFen: projectHeadroom,
    parkHeadroomFen: headroom,
    maxAllowedFen: minBigint(projectHeadroom, headroom),
    parkRemainingAfterFen: headroom - grantedFen,
    projectRemainingAfterFen: projectHeadroom - grantedFen,
    messageZh: `可补助 ${formatMoney(grantedFen, 'zh-CN')}（${reasonZh}），园区剩余额度 ${formatMoney(headroom - grantedFen, 'zh-CN')}`,
    messageEn: `Grant up to ${formatMoney(grantedFen, 'en')} (${reasonEn}); park headroom after: ${formatMoney(headroom - grantedFen, 'en')}`,
  };
}
