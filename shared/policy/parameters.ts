/**
 * The configurable policy parameters (POLICY.md: "*configurable*" numbers), as data with their
 * shipped defaults and clauses. The server fills a {@link PolicyParameters} from versioned
 * reference data (effective dates live there); the client uses the same values for previews.
 *
 * Ratios are integer basis points (1 bp = 0.01 %, so 7000 bp = 70 %): exact, JSON- and
 * integer-column-friendly. Use `ratioFromBp` (money.ts) to compute with them.
 */
import { validationFailed, type ValidationFailure } from '../domain.ts';

export interface PolicyParameters {
  /** 五(三)14: share of the benchmark price for an IAB project's floor (7000 = 70 %). */
  readonly iabFloorFactorBp: number;
  /** Bureau assumption (not in the plan): share of the benchmark price for a non-IAB project's floor (10000 = 100 %). */
  readonly nonIabFloorFactorBp: number;
  /** Bureau assumption: land capitalization rate r in K(n) of GB/T 18508 (600 = 6 %). */
  readonly capitalizationRateBp: number;
  /** Bureau assumption: annual rent floor as a share of the 50-year floor (200 = 2 %). */
  readonly rentFloorShareBp: number;
  /** Bureau decision (国土资发〔2009〕56号): whether the 70 %-of-N concession may be applied at all. */
  readonly nationalMinimum56Enabled: boolean;
  /** 国土资发〔2009〕56号: factor on N for provincially prioritised projects (7000 = 70 %). */
  readonly nationalMinimum56FactorBp: number;
  /** 城镇国有土地使用权出让和转让暂行条例 (1990) art. 12: maximum term of industrial land, years. */
  readonly statutoryMaxTermYears: number;
  /** Bureau assumption (长期租赁): shortest long-term lease, years. */
  readonly longTermLeaseMinYears: number;
  /** Bureau assumption (长期租赁): longest long-term lease, years. */
  readonly longTermLeaseMaxYears: number;
  /** 五(三)11: minimum annual industrial land quota, 亩 (an integer). */
  readonly annualQuotaMinimumMu: number;
  /** 五(三)13: infrastructure subsidy, share of total investment (2000 = 20 %). */
  readonly subsidyShareBp: number;
  /** 五(三)13: cumulative infrastructure subsidy cap per park, fen (1亿元 = 10^10 fen). */
  readonly subsidyParkCapFen: bigint;
  /** 五(三)13: facilities ratio for a park operator's project in a recognized park (1500 = 15 %). */
  readonly facilitiesRatioParkOperatorBp: number;
  /** 五(三)13: ordinary facilities ratio elsewhere (1400 = 14 %). */
  readonly facilitiesRatioDefaultBp: number;
  /** Not in the plan (a bureau assumption): lead-sector share of a park's allocated land to aim for (8000 = 80 %). */
  readonly leadSectorShareTargetBp: number;
}

export type PolicyParameterKey = keyof PolicyParameters;

/**
 * What a parameter rests on (POLICY.md "Where each parameter comes from"):
 * - `plan`: the IAB action plan states the figure (cite the clause);
 * - `national_rule`: a national law, regulation or standard states it (cite it);
 * - `bureau_assumption`: neither does — the bureau's own setting, to be confirmed.
 */
export const PARAMETER_BASES = ['plan', 'national_rule', 'bureau_assumption'] as const;
export type ParameterBasis = (typeof PARAMETER_BASES)[number];

/** Where each parameter comes from and what it means (for the reference-data admin screen). */
export interface ParameterSource {
  readonly basis: ParameterBasis;
  /**
   * The real source, and only what it states: the plan's clause for what the plan says, the
   * national rule or standard where there is one, otherwise "局内参数（bureau assumption）".
   */
  readonly clause: string;
  /** Why the source is what it is, in a sentence (shown under the parameter). */
  readonly noteZh: string;
  readonly noteEn: string;
  readonly unit: 'bp' | 'fen' | 'mu' | 'years' | 'flag';
  readonly labelZh: string;
  readonly labelEn: string;
}

/** The plan, for citations: 穗府办〔2018〕 广州市加快IAB产业发展行动计划. */
export const PLAN_CITATION = 'IAB行动计划';
export const BUREAU_ASSUMPTION = '局内参数（bureau assumption）';
const ASSUMED_ZH = '行动计划未规定，局内参数，待核实';
const ASSUMED_EN = 'Not in the plan: a bureau assumption, to be confirmed';

/**
 * Source and meaning of every parameter; `satisfies` keeps it in step with the type. The plan
 * (五(三)14) states only the 70 % share of B; the term correction, the 50-year term, the rent
 * floor, the lease terms and the 100 % non-IAB factor come from elsewhere or nowhere.
 */
export const PARAMETER_SOURCES = {
  iabFloorFactorBp: {
    basis: 'plan', clause: '五(三)14', unit: 'bp', labelZh: 'IAB项目基准地价折扣', labelEn: 'IAB share of benchmark price',
    noteZh: '行动计划五(三)14：“不低于所在地工业用地基准地价的70%”', noteEn: 'Plan 五(三)14: not below 70 % of the benchmark price',
  },
  nonIabFloorFactorBp: {
    basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION, unit: 'bp', labelZh: '非IAB项目基准地价比例', labelEn: 'Non-IAB share of benchmark price',
    noteZh: `${ASSUMED_ZH}：无该优惠时按基准地价全额`, noteEn: `${ASSUMED_EN}: the full benchmark absent the concession`,
  },
  capitalizationRateBp: {
    basis: 'bureau_assumption', clause: `${BUREAU_ASSUMPTION}；年期修正公式见 GB/T 18508 城镇土地估价规程`, unit: 'bp', labelZh: '土地还原率', labelEn: 'Land capitalization rate',
    noteZh: `年期修正K(n)为GB/T 18508 城镇土地估价规程的方法；还原率6%${ASSUMED_ZH}`, noteEn: `The term correction K(n) is GB/T 18508's method; the 6 % rate: ${ASSUMED_EN.toLowerCase()}`,
  },
  rentFloorShareBp: {
    basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION, unit: 'bp', labelZh: '年租金底价占50年期底价比例', labelEn: 'Annual rent floor, share of 50-year floor',
    noteZh: ASSUMED_ZH, noteEn: ASSUMED_EN,
  },
  nationalMinimum56Enabled: {
    basis: 'bureau_assumption', clause: `${BUREAU_ASSUMPTION}；政策依据 国土资发〔2009〕56号`, unit: 'flag', labelZh: '启用最低价70%政策', labelEn: 'Enable 70%-of-minimum concession',
    noteZh: '是否适用56号文由局决定（默认不启用）', noteEn: 'Whether 国土资发〔2009〕56号 applies is the bureau’s decision (off by default)',
  },
  nationalMinimum56FactorBp: {
    basis: 'national_rule', clause: '国土资发〔2009〕56号', unit: 'bp', labelZh: '优先发展项目最低价比例', labelEn: 'Minimum-price share for prioritised projects',
    noteZh: '国土资发〔2009〕56号：省级优先发展且用地集约的项目可按最低价的70%', noteEn: '国土资发〔2009〕56号: 70 % of the minimum for provincially prioritised, land-intensive projects',
  },
  statutoryMaxTermYears: {
    basis: 'national_rule', clause: '城镇国有土地使用权出让和转让暂行条例（1990）第十二条', unit: 'years', labelZh: '工业用地法定最高出让年限', labelEn: 'Statutory maximum term',
    noteZh: '暂行条例第十二条：工业用地出让最高年限五十年', noteEn: 'Regulations (1990) art. 12: 50 years for industrial land',
  },
  longTermLeaseMinYears: {
    basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION, unit: 'years', labelZh: '长期租赁最短年限', labelEn: 'Long-term lease, minimum years',
    noteZh: ASSUMED_ZH, noteEn: ASSUMED_EN,
  },
  longTermLeaseMaxYears: {
    basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION, unit: 'years', labelZh: '长期租赁最长年限', labelEn: 'Long-term lease, maximum years',
    noteZh: ASSUMED_ZH, noteEn: ASSUMED_EN,
  },
  annualQuotaMinimumMu: {
    basis: 'plan', clause: '五(三)11', unit: 'mu', labelZh: '年度工业用地指标下限', labelEn: 'Annual industrial land quota minimum',
    noteZh: '行动计划五(三)11：每年安排不少于5000亩工业用地指标', noteEn: 'Plan 五(三)11: not less than 5000 亩 a year',
  },
  subsidyShareBp: {
    basis: 'plan', clause: '五(三)13', unit: 'bp', labelZh: '园区基础设施补助比例', labelEn: 'Park infrastructure subsidy share',
    noteZh: '行动计划五(三)13：择优按总投资额的20%给予补助', noteEn: 'Plan 五(三)13: up to 20 % of a project’s total investment',
  },
  subsidyParkCapFen: {
    basis: 'plan', clause: '五(三)13', unit: 'fen', labelZh: '单个园区累计补助上限', labelEn: 'Cumulative subsidy cap per park',
    noteZh: '行动计划五(三)13：单个园区最高补助金额累计不超过1亿元', noteEn: 'Plan 五(三)13: at most 1亿元 per park in total',
  },
  facilitiesRatioParkOperatorBp: {
    basis: 'plan', clause: '五(三)13', unit: 'bp', labelZh: '园区开发运营主体配套设施比例上限', labelEn: 'Facilities ratio, park operator in a recognized park',
    noteZh: '行动计划五(三)13：配套设施比例可从14%提高到15%', noteEn: 'Plan 五(三)13: facilities may rise from 14 % to 15 %',
  },
  facilitiesRatioDefaultBp: {
    basis: 'plan', clause: '五(三)13', unit: 'bp', labelZh: '一般配套设施比例上限', labelEn: 'Facilities ratio, elsewhere',
    noteZh: '行动计划五(三)13：“从14%提高到15%”中的14%', noteEn: 'Plan 五(三)13: the 14 % it raises from',
  },
  leadSectorShareTargetBp: {
    basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION, unit: 'bp', labelZh: '主导产业用地占比目标（局内设定）', labelEn: 'Lead-sector land share target (bureau setting)',
    noteZh: `${ASSUMED_ZH}：行动计划未规定80%主导产业用地占比`, noteEn: `${ASSUMED_EN}: the plan sets no 80 % lead-sector share`,
  },
} as const satisfies Record<PolicyParameterKey, ParameterSource>;

/**
 * The source text stored with a parameter in the reference data, and whether it counts as
 * verified when shipped: only what the plan states is; everything else waits for an
 * administrator's confirmation (`verified: false`).
 */
export function shippedProvenance(key: PolicyParameterKey): { source: string; verified: boolean } {
  const s: ParameterSource = PARAMETER_SOURCES[key];
  return s.basis === 'plan' ? { source: `${PLAN_CITATION} ${s.clause}`, verified: true } : { source: s.clause, verified: false };
}

/** The shipped defaults (POLICY.md). */
export const DEFAULT_PARAMETERS: PolicyParameters = {
  iabFloorFactorBp: 7000,
  nonIabFloorFactorBp: 10_000,
  capitalizationRateBp: 600,
  rentFloorShareBp: 200,
  nationalMinimum56Enabled: false,
  nationalMinimum56FactorBp: 7000,
  statutoryMaxTermYears: 50,
  longTermLeaseMinYears: 5,
  longTermLeaseMaxYears: 20,
  annualQuotaMinimumMu: 5000,
  subsidyShareBp: 2000,
  subsidyParkCapFen: 10_000_000_000n,
  facilitiesRatioParkOperatorBp: 1500,
  facilitiesRatioDefaultBp: 1400,
  leadSectorShareTargetBp: 8000,
};

/**
 * Checks a parameter set before it is stored or used (clauses as in {@link PARAMETER_SOURCES}):
 * ratios are integer bp in 0..10000 (the capitalization rate in 1..10000), terms are
 * positive integers with min ≤ max ≤ statutory maximum, the quota minimum is a non-negative
 * integer number of 亩 and the park cap is ≥ 0. Returns every problem found (empty = valid).
 */
export function validatePolicyParameters(p: PolicyParameters): ValidationFailure[] {
  const problems: ValidationFailure[] = [];
  const bpKeys = [
    'iabFloorFactorBp', 'nonIabFloorFactorBp', 'rentFloorShareBp', 'nationalMinimum56FactorBp',
    'subsidyShareBp', 'facilitiesRatioParkOperatorBp', 'facilitiesRatioDefaultBp', 'leadSectorShareTargetBp',
  ] as const;
  for (const key of bpKeys) {
    const v = p[key];
    if (!Number.isInteger(v) || v < 0 || v > 10_000) {
      problems.push(validationFailed(key, `${PARAMETER_SOURCES[key].labelZh}必须是 0–10000 的整数基点`, `${PARAMETER_SOURCES[key].labelEn} must be an integer 0–10000 bp`));
    }
  }
  if (!Number.isInteger(p.capitalizationRateBp) || p.capitalizationRateBp < 1 || p.capitalizationRateBp > 10_000) {
    problems.push(validationFailed('capitalizationRateBp', '土地还原率必须是 1–10000 的整数基点', 'Land capitalization rate must be an integer 1–10000 bp'));
  }
  const years = ['statutoryMaxTermYears', 'longTermLeaseMinYears', 'longTermLeaseMaxYears'] as const;
  for (const key of years) {
    if (!Number.isInteger(p[key]) || p[key] < 1) {
      problems.push(validationFailed(key, `${PARAMETER_SOURCES[key].labelZh}必须是正整数`, `${PARAMETER_SOURCES[key].labelEn} must be a positive integer`));
    }
  }
  if (p.longTermLeaseMinYears > p.longTermLeaseMaxYears || p.longTermLeaseMaxYears > p.statutoryMaxTermYears) {
    problems.push(validationFailed('longTermLeaseMaxYears', '长期租赁年限须满足 最短 ≤ 最长 ≤ 法定最高年限', 'Long-term lease years must satisfy min ≤ max ≤ statutory maximum'));
  }
  if (!Number.isInteger(p.annualQuotaMinimumMu) || p.annualQuotaMinimumMu < 0) {
    problems.push(validationFailed('annualQuotaMinimumMu', '年度工业用地指标下限必须是非负整数亩', 'Annual quota minimum must be a non-negative integer of mu'));
  }
  if (p.subsidyParkCapFen < 0n) {
    problems.push(validationFailed('subsidyParkCapFen', '单个园区累计补助上限不能为负数', 'Cumulative subsidy cap per park must not be negative'));
  }
  return problems;
}
