/**
 * Incentives an investor can see (POLICY.md; plan 五(一)2,4; 五(二)7,9,10; 五(四)15), as data,
 * and "up to" estimates from a project's inputs. Every figure is a maximum subject to
 * selection (择优), rounded DOWN to the fen. Amounts are integer fen (bigint).
 *
 * Items that do not apply to the inputs (input absent or zero, flag false, wrong enterprise
 * size) are OMITTED from the estimate; the full catalogue is {@link INCENTIVE_RULES}.
 */
import { validationFailed, type ValidationFailure } from '../domain.ts';
import { checkFenField, minBigint, mulRatioFloor, ratioFromBp } from '../money.ts';
import { formatMoney } from '../units.ts';

export const RD_LEVELS = ['national', 'provincial', 'municipal'] as const;
export type RdLevel = (typeof RD_LEVELS)[number];

/** Inputs the estimate reads (fen amounts are bigint ≥ 0; all optional except `sme`). */
export interface IncentiveInputs {
  /** 中小微企业 (SME). 五(二)7 is for 大中型企业, 五(二)9 for 中小微企业. */
  readonly sme: boolean;
  /** Equipment investment of a capacity-expansion project (增资扩产设备投资额). */
  readonly equipmentInvestmentFen?: bigint;
  /** Annual interest on the fixed-asset investment loan. */
  readonly loanInterestPerYearFen?: bigint;
  /** Years of interest to subsidise (at most 3 count; default 3). */
  readonly loanInterestYears?: number;
  /** Total investment of an informatization project (信息化提升项目总投资). */
  readonly informatizationInvestmentFen?: bigint;
  /** Level of an IAB technology innovation centre / new R&D institution the project sets up. */
  readonly rdInstitutionLevel?: RdLevel | null;
  /** National funds actually received for a national major S&T project the enterprise leads. */
  readonly nationalMajorProjectFundsFen?: bigint;
  /** Technology actually traded under technical contracts this year (技术合同实际交易额). */
  readonly technicalContractFen?: bigint;
  /** IAB innovation results converted locally (本地转化). */
  readonly localConversion?: boolean;
  /** Generic-drug products passing the consistency evaluation (仿制药一致性评价). */
  readonly genericDrugsPassed?: number;
}

type FenInput = 'equipmentInvestmentFen' | 'informatizationInvestmentFen' | 'nationalMajorProjectFundsFen' | 'technicalContractFen';

/** How an item's "up to" figure is computed. */
export type IncentiveRule =
  | { readonly kind: 'share'; readonly input: FenInput; readonly shareBp: number; readonly capFen: bigint }
  | { readonly kind: 'interest'; readonly maxYears: number; readonly capFen: bigint }
  | { readonly kind: 'sme_alternative'; readonly capFen: bigint }
  | { readonly kind: 'flag'; readonly capFen: bigint }
  | { readonly kind: 'level'; readonly capsFen: Readonly<Record<RdLevel, bigint>> }
  | { readonly kind: 'per_unit'; readonly perUnitFen: bigint };

export interface IncentiveDefinition {
  readonly id: string;
  readonly clause: string;
  readonly titleZh: string;
  readonly titleEn: string;
  /** Enterprise size the item is for: `sme`, `large_medium`, or `any`. */
  readonly enterprise: 'sme' | 'large_medium' | 'any';
  readonly rule: IncentiveRule;
}

const WAN = 1_000_000n; // 1万元 in fen

/** Every incentive item of POLICY.md, with the plan's figures (fen). */
export const INCENTIVE_RULES = [
  {
    id: 'equipment_expansion', clause: '五(二)7', enterprise: 'large_medium',
    titleZh: '增资扩产设备投资补助', titleEn: 'Capacity expansion: equipment investment subsidy',
    rule: { kind: 'share', input: 'equipmentInvestmentFen', shareBp: 2000, capFen: 500n * WAN },
  },
  {
    id: 'loan_interest', clause: '五(二)7', enterprise: 'large_medium',
    titleZh: '固定资产投资贷款贴息', titleEn: 'Fixed-asset investment loan interest subsidy',
    rule: { kind: 'interest', maxYears: 3, capFen: 500n * WAN },
  },
  {
    id: 'sme_equity', clause: '五(二)9', enterprise: 'sme',
    titleZh: '中小微企业直接股权投资', titleEn: 'SME direct equity investment',
    rule: { kind: 'sme_alternative', capFen: 3000n * WAN },
  },
  {
    id: 'sme_subsidy', clause: '五(二)9', enterprise: 'sme',
    titleZh: '中小微企业项目补助', titleEn: 'SME project subsidy',
    rule: { kind: 'sme_alternative', capFen: 500n * WAN },
  },
  {
    id: 'informatization', clause: '五(四)15', enterprise: 'any',
    titleZh: '信息化提升项目补助', titleEn: 'Informatization project subsidy',
    rule: { kind: 'share', input: 'informatizationInvestmentFen', shareBp: 2000, capFen: 200n * WAN },
  },
  {
    id: 'rd_institution', clause: '五(一)2', enterprise: 'any',
    titleZh: 'IAB技术创新中心/新型研发机构资金支持', titleEn: 'IAB innovation centre / new R&D institution funding',
    rule: { kind: 'level', capsFen: { national: 10_000n * WAN, provincial: 2000n * WAN, municipal: 800n * WAN } },
  },
  {
    id: 'major_st_project', clause: '五(一)2', enterprise: 'any',
    titleZh: '国家级重大科技项目地方配套', titleEn: 'Local matching for national major S&T projects',
    rule: { kind: 'share', input: 'nationalMajorProjectFundsFen', shareBp: 1000, capFen: 100n * WAN },
  },
  {
    id: 'tech_transfer', clause: '五(一)4', enterprise: 'any',
    titleZh: '技术成果引进转化补助', titleEn: 'Technology transfer subsidy',
    rule: { kind: 'share', input: 'technicalContractFen', shareBp: 1000, capFen: 200n * WAN },
  },
  {
    id: 'local_conversion', clause: '五(一)4', enterprise: 'any',
    titleZh: 'IAB创新成果本地转化引导资金', titleEn: 'Local conversion of IAB innovation results',
    rule: { kind: 'flag', capFen: 1000n * WAN },
  },
  {
    id: 'generic_drugs', clause: '五(二)10', enterprise: 'any',
    titleZh: '仿制药一致性评价奖励', titleEn: 'Generic drugs passing consistency evaluation',
    rule: { kind: 'per_unit', perUnitFen: 200n * WAN },
  },
] as const satisfies readonly IncentiveDefinition[];

export type IncentiveId = (typeof INCENTIVE_RULES)[number]['id'];

export interface IncentiveEstimate {
  readonly id: IncentiveId;
  readonly clause: string;
  readonly titleZh: string;
  readonly titleEn: string;
  /** The most the item could give for these inputs, fen (rounded down). */
  readonly upToFen: bigint;
  readonly basisZh: string;
  readonly basisEn: string;
}

const RD_LABEL: Record<RdLevel, { zh: string; en: string }> = {
  national: { zh: '国家级', en: 'national' },
  provincial: { zh: '省级', en: 'provincial' },
  municipal: { zh: '市级', en: 'municipal' },
};

const INPUT_LABEL: Record<FenInput, { zh: string; en: string }> = {
  equipmentInvestmentFen: { zh: '设备投资额', en: 'equipment investment' },
  informatizationInvestmentFen: { zh: '项目总投资', en: 'total investment' },
  nationalMajorProjectFundsFen: { zh: '国家实际到位经费', en: 'national funds received' },
  technicalContractFen: { zh: '技术合同交易额', en: 'technical contract amount' },
};

const zh = (fen: bigint): string => formatMoney(fen, 'zh-CN');
const en = (fen: bigint): string => formatMoney(fen, 'en');
const pct = (bp: number): string => `${bp / 100}%`;

function estimateOne(
  def: (typeof INCENTIVE_RULES)[number],
  x: IncentiveInputs,
): { upToFen: bigint; basisZh: string; basisEn: string } | null {
  const rule: IncentiveRule = def.rule;
  switch (rule.kind) {
    case 'share': {
      const base = x[rule.input] ?? 0n;
      if (base <= 0n) return null;
      const share = mulRatioFloor(base, ratioFromBp(rule.shareBp));
      const label = INPUT_LABEL[rule.input];
      return {
        upToFen: minBigint(share, rule.capFen),
        basisZh: `${label.zh} ${zh(base)} × ${pct(rule.shareBp)} = ${zh(share)}，最高 ${zh(rule.capFen)}`,
        basisEn: `${pct(rule.shareBp)} of ${label.en} ${en(base)} = ${en(share)}, at most ${en(rule.capFen)}`,
      };
    }
    case 'interest': {
      const perYear = x.loanInterestPerYearFen ?? 0n;
      const years = Math.min(x.loanInterestYears ?? rule.maxYears, rule.maxYears);
      if (perYear <= 0n || years <= 0) return null;
      const total = perYear * BigInt(years);
      return {
        upToFen: minBigint(total, rule.capFen),
        basisZh: `年利息 ${zh(perYear)} × ${years} 年（最长 ${rule.maxYears} 年）= ${zh(total)}，累计最高 ${zh(rule.capFen)}`,
        basisEn: `Annual interest ${en(perYear)} × ${years} years (at most ${rule.maxYears}) = ${en(total)}, at most ${en(rule.capFen)} in total`,
      };
    }
    case 'sme_alternative':
      return {
        upToFen: rule.capFen,
        basisZh: `单个项目最高 ${zh(rule.capFen)}（直接股权投资与补助择一）`,
        basisEn: `At most ${en(rule.capFen)} per project (equity investment or subsidy, one of the two)`,
      };
    case 'flag':
      if (x.localConversion !== true) return null;
      return { upToFen: rule.capFen, basisZh: `最高 ${zh(rule.capFen)}`, basisEn: `At most ${en(rule.capFen)}` };
    case 'level': {
      const level = x.rdInstitutionLevel;
      if (!level) return null;
      const cap = rule.capsFen[level];
      return {
        upToFen: cap,
        basisZh: `${RD_LABEL[level].zh}机构最高 ${zh(cap)}`,
        basisEn: `At most ${en(cap)} for a ${RD_LABEL[level].en} institution`,
      };
    }
    case 'per_unit': {
      const n = x.genericDrugsPassed ?? 0;
      if (n <= 0) return null;
      const total = rule.perUnitFen * BigInt(n);
      return {
        upToFen: total,
        basisZh: `${n} 个品种 × 每品种 ${zh(rule.perUnitFen)} = ${zh(total)}`,
        basisEn: `${n} product(s) × ${en(rule.perUnitFen)} each = ${en(total)}`,
      };
    }
  }
}

/**
 * 五(一)2,4; 五(二)7,9,10; 五(四)15: the "up to" figure of every item that applies to the
 * inputs, in {@link INCENTIVE_RULES} order; items that do not apply are omitted. The SME
 * items (五(二)9: equity ≤ 3000万 OR subsidy ≤ 500万) are alternatives, not a sum.
 * Negative amounts or a non-integer/negative count return a {@link ValidationFailure}.
 */
export function estimateIncentives(inputs: IncentiveInputs): { ok: true; items: IncentiveEstimate[] } | ValidationFailure {
  const fenFields: readonly [keyof IncentiveInputs & `${string}Fen`, string, string][] = [
    ['equipmentInvestmentFen', '设备投资额', 'Equipment investment'],
    ['loanInterestPerYearFen', '年贷款利息', 'Annual loan interest'],
    ['informatizationInvestmentFen', '信息化项目总投资', 'Informatization investment'],
    ['nationalMajorProjectFundsFen', '国家实际到位经费', 'National funds received'],
    ['technicalContractFen', '技术合同交易额', 'Technical contract amount'],
  ];
  for (const [field, labelZh, labelEn] of fenFields) {
    const v = inputs[field];
    if (v === undefined) continue;
    const r = checkFenField(field, { zh: labelZh, en: labelEn }, v);
    if (!r.ok) return r;
  }
  const years = inputs.loanInterestYears;
  if (years !== undefined && (!Number.isInteger(years) || years < 0)) {
    return validationFailed('loanInterestYears', '贴息年限必须是非负整数', 'Loan interest years must be a non-negative integer');
  }
  const drugs = inputs.genericDrugsPassed;
  if (drugs !== undefined && (!Number.isInteger(drugs) || drugs < 0)) {
    return validationFailed('genericDrugsPassed', '仿制药品种数必须是非负整数', 'The number of generic drugs must be a non-negative integer');
  }
  const items: IncentiveEstimate[] = [];
  for (const def of INCENTIVE_RULES) {
    if (def.enterprise === 'sme' && !inputs.sme) continue;
    if (def.enterprise === 'large_medium' && inputs.sme) continue;
    const e = estimateOne(def, inputs);
    if (e) items.push({ id: def.id, clause: def.clause, titleZh: def.titleZh, titleEn: def.titleEn, ...e });
  }
  return { ok: true, items };
}
