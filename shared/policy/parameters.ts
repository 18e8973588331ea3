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
  /** 五(三)14: share of the benchmark price for a non-IAB project's floor (10000 = 100 %). */
  readonly nonIabFloorFactorBp: number;
  /** 五(三)14: land capitalization rate r in K(n) (600 = 6 %). */
  readonly capitalizationRateBp: number;
  /** 五(三)14: annual rent floor as a share of the 50-year floor (200 = 2 %). */
  readonly rentFloorShareBp: number;
  /** 五(三)14 / 国土资发〔2009〕56号: whether the 70 %-of-N concession may be applied at all. */
  readonly nationalMinimum56Enabled: boolean;
  /** 国土资发〔2009〕56号: factor on N for provincially prioritised projects (7000 = 70 %). */
  readonly nationalMinimum56FactorBp: number;
  /** 五(三)14: statutory maximum term of industrial land, years. */
  readonly statutoryMaxTermYears: number;
  /** 五(三)14 (长期租赁): shortest long-term lease, years. */
  readonly longTermLeaseMinYears: number;
  /** 五(三)14 (长期租赁): longest long-term lease, years. */
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

/** Where each parameter comes from and what it means (for the reference-data admin screen). */
export interface ParameterSource {
  readonly clause: string;
  readonly unit: 'bp' | 'fen' | 'mu' | 'years' | 'flag';
  readonly labelZh: string;
  readonly labelEn: string;
}

/** Clause and meaning of every parameter; `satisfies` keeps it in step with the type. */
export const PARAMETER_SOURCES = {
  iabFloorFactorBp: { clause: '五(三)14', unit: 'bp', labelZh: 'IAB项目基准地价折扣', labelEn: 'IAB share of benchmark price' },
  nonIabFloorFactorBp: { clause: '五(三)14', unit: 'bp', labelZh: '非IAB项目基准地价比例', labelEn: 'Non-IAB share of benchmark price' },
  capitalizationRateBp: { clause: '五(三)14', unit: 'bp', labelZh: '土地还原率', labelEn: 'Land capitalization rate' },
  rentFloorShareBp: { clause: '五(三)14', unit: 'bp', labelZh: '年租金底价占50年期底价比例', labelEn: 'Annual rent floor, share of 50-year floor' },
  nationalMinimum56Enabled: { clause: '五(三)14; 国土资发〔2009〕56号', unit: 'flag', labelZh: '启用最低价70%政策', labelEn: 'Enable 70%-of-minimum concession' },
  nationalMinimum56FactorBp: { clause: '五(三)14; 国土资发〔2009〕56号', unit: 'bp', labelZh: '优先发展项目最低价比例', labelEn: 'Minimum-price share for prioritised projects' },
  statutoryMaxTermYears: { clause: '五(三)14', unit: 'years', labelZh: '工业用地法定最高出让年限', labelEn: 'Statutory maximum term' },
  longTermLeaseMinYears: { clause: '五(三)14', unit: 'years', labelZh: '长期租赁最短年限', labelEn: 'Long-term lease, minimum years' },
  longTermLeaseMaxYears: { clause: '五(三)14', unit: 'years', labelZh: '长期租赁最长年限', labelEn: 'Long-term lease, maximum years' },
  annualQuotaMinimumMu: { clause: '五(三)11', unit: 'mu', labelZh: '年度工业用地指标下限', labelEn: 'Annual industrial land quota minimum' },
  subsidyShareBp: { clause: '五(三)13', unit: 'bp', labelZh: '园区基础设施补助比例', labelEn: 'Park infrastructure subsidy share' },
  subsidyParkCapFen: { clause: '五(三)13', unit: 'fen', labelZh: '单个园区累计补助上限', labelEn: 'Cumulative subsidy cap per park' },
  facilitiesRatioParkOperatorBp: { clause: '五(三)13', unit: 'bp', labelZh: '园区开发运营主体配套设施比例上限', labelEn: 'Facilities ratio, park operator in a recognized park' },
  facilitiesRatioDefaultBp: { clause: '五(三)13', unit: 'bp', labelZh: '一般配套设施比例上限', labelEn: 'Facilities ratio, elsewhere' },
  leadSectorShareTargetBp: { clause: '局内设定（非行动计划）/ bureau assumption, not in the plan', unit: 'bp', labelZh: '主导产业用地占比目标（局内设定）', labelEn: 'Lead-sector land share target (bureau setting)' },
} as const satisfies Record<PolicyParameterKey, ParameterSource>;

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
