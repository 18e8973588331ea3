/**
 * 亩均 evaluation (POLICY.md "After the sale: supervision"; issue #15 §4): a year's output, tax
 * and energy per allocated plot, per 亩 of the plot, graded A–D.
 *
 * - 亩均产值 = output ÷ 亩 and 亩均税收 = tax ÷ 亩, to the yuan, half up, computed exactly: the area
 *   is in hundredths of m² (bigint), 1 亩 = 2000/3 m² (units.ts), so with output `f` fen and area
 *   `h` hundredths of m², 亩均 yuan = f × 2000 / (3h), rounded once;
 * - 单位产值能耗 = tce ÷ 万元 of output, to 4 decimals, half up; null when the output is 0;
 * - grade: there are no national thresholds (POLICY.md). Shanghai, Suzhou and Zhejiang each set
 *   their own, mostly as weighted scores; the rule chosen here is the simplest one the bureau can
 *   read off a table: **the highest of A, B, C whose minimum tax per 亩 AND minimum output per 亩
 *   are both met (≥, on the figures to the yuan as shown); D otherwise**. The minimums are
 *   bureau-set reference data with a version; {@link SAMPLE_MU_GRADE_THRESHOLDS} are placeholders,
 *   flagged `sample: true`, for the demo until the bureau publishes its own;
 * - conditions: {@link meetsConditions} checks the per-亩 figures (as shown, to the yuan and to
 *   4 decimals) against a plot's 标准地 conditions with standard-land.ts's `conditionsMet`.
 *
 * Negative or non-finite figures are refused with typed problems, never clamped.
 * Pure: money in fen (bigint), areas in hundredths of m² (bigint), energy in tce.
 */
import { MAX_NUMBER_SCALED, parseDecimal, ratio, ratioToNumber, roundHalfUpDiv } from '../money.ts';
import { conditionsMet, type ConditionsCheck, type PlotConditions, type ProjectFigures } from './standard-land.ts';

export const MU_GRADES = ['A', 'B', 'C', 'D'] as const;
export type MuGrade = (typeof MU_GRADES)[number];

/** One allocation's figures for a year. */
export interface YearFigures {
  /** 产值, fen. */
  readonly outputFen: bigint;
  /** 税收, fen. */
  readonly taxFen: bigint;
  /** 能耗, tonnes of standard coal equivalent (tce). */
  readonly energyTce: number;
  /** 从业人员, persons. */
  readonly employees: number;
}

/** The per-亩 figures of a year. */
export interface PerMuFigures {
  /** 亩均产值, whole yuan per 亩. */
  readonly outputPerMuYuan: number;
  /** 亩均税收, whole yuan per 亩. */
  readonly taxPerMuYuan: number;
  /** tce per 万元 of output, 4 decimals; null when the output is 0. */
  readonly energyPer10kYuan: number | null;
}

export type MuFigureField = keyof YearFigures | 'areaM2Hundredths';
export type MuFigureProblemReason = 'negative' | 'not_finite' | 'not_whole' | 'not_positive' | 'too_large';

export interface MuFigureProblem {
  readonly field: MuFigureField;
  readonly reason: MuFigureProblemReason;
  readonly messageZh: string;
  readonly messageEn: string;
}

const LABELS: Record<MuFigureField, { zh: string; en: string }> = {
  outputFen: { zh: '产值', en: 'Output' },
  taxFen: { zh: '税收', en: 'Tax' },
  energyTce: { zh: '能耗（吨标准煤）', en: 'Energy (tce)' },
  employees: { zh: '从业人员', en: 'Employees' },
  areaM2Hundredths: { zh: '地块面积', en: 'Plot area' },
};

const MESSAGES: Record<MuFigureProblemReason, { zh: string; en: string }> = {
  negative: { zh: '不能为负数', en: 'must not be negative' },
  not_finite: { zh: '必须是有限数值', en: 'must be a finite number' },
  not_whole: { zh: '必须是整数', en: 'must be a whole number' },
  not_positive: { zh: '必须大于 0', en: 'must be greater than 0' },
  too_large: { zh: '按亩折算后超出可精确表示的范围', en: 'is too large per mu to be represented exactly' },
};

const problem = (field: MuFigureField, reason: MuFigureProblemReason): MuFigureProblem => ({
  field,
  reason,
  messageZh: `${LABELS[field].zh}${MESSAGES[reason].zh}`,
  messageEn: `${LABELS[field].en} ${MESSAGES[reason].en}`,
});

/** Every problem of a year's figures and the plot's area (empty = valid). */
export function validateYearFigures(figures: YearFigures, areaM2Hundredths: bigint): MuFigureProblem[] {
  const problems: MuFigureProblem[] = [];
  if (figures.outputFen < 0n) problems.push(problem('outputFen', 'negative'));
  if (figures.taxFen < 0n) problems.push(problem('taxFen', 'negative'));
  if (!Number.isFinite(figures.energyTce)) problems.push(problem('energyTce', 'not_finite'));
  else if (figures.energyTce < 0) problems.push(problem('energyTce', 'negative'));
  if (!Number.isFinite(figures.employees)) problems.push(problem('employees', 'not_finite'));
  else if (!Number.isSafeInteger(figures.employees)) problems.push(problem('employees', 'not_whole'));
  else if (figures.employees < 0) problems.push(problem('employees', 'negative'));
  if (areaM2Hundredths <= 0n) problems.push(problem('areaM2Hundredths', 'not_positive'));
  else {
    if (figures.outputFen > 0n && perMuYuan(figures.outputFen, areaM2Hundredths) > MAX_NUMBER_SCALED) problems.push(problem('outputFen', 'too_large'));
    if (figures.taxFen > 0n && perMuYuan(figures.taxFen, areaM2Hundredths) > MAX_NUMBER_SCALED) problems.push(problem('taxFen', 'too_large'));
  }
  return problems;
}

/** fen on an area of `h` hundredths of m², in whole yuan per 亩, half up: f × 2000 / (3h). */
export function perMuYuan(fen: bigint, areaM2Hundredths: bigint): bigint {
  if (areaM2Hundredths <= 0n) throw new RangeError('the area must be greater than 0');
  return roundHalfUpDiv(fen * 2000n, 3n * areaM2Hundredths);
}

/** tce per 万元 (10^6 fen) of output, to 4 decimals half up; null when the output is 0. */
export function energyPer10kYuan(energyTce: number, outputFen: bigint): number | null {
  if (outputFen === 0n) return null;
  const e = parseDecimal(energyTce);
  if (!e) throw new RangeError(`energyTce must be a finite number, got ${energyTce}`);
  // tce × 10^6 / fen, in ten-thousandths
  const tenThousandths = roundHalfUpDiv(e.num * 1_000_000n * 10_000n, e.den * outputFen);
  return ratioToNumber(ratio(tenThousandths, 10_000n));
}

export type PerMuResult =
  | ({ readonly ok: true } & PerMuFigures)
  | { readonly ok: false; readonly problems: readonly MuFigureProblem[] };

/** The per-亩 figures of a year, or every problem of its input. */
export function perMuFigures(figures: YearFigures, areaM2Hundredths: bigint): PerMuResult {
  const problems = validateYearFigures(figures, areaM2Hundredths);
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    outputPerMuYuan: Number(perMuYuan(figures.outputFen, areaM2Hundredths)),
    taxPerMuYuan: Number(perMuYuan(figures.taxFen, areaM2Hundredths)),
    energyPer10kYuan: energyPer10kYuan(figures.energyTce, figures.outputFen),
  };
}

// ---------------------------------------------------------------------------
// Grades

/** The minimums of one grade, whole yuan per 亩. */
export interface GradeMinimums {
  readonly taxPerMuYuanMin: number;
  readonly outputPerMuYuanMin: number;
}

/** A versioned set of grade thresholds (bureau-set reference data). */
export interface MuGradeThresholds {
  /** Identifies the set; an evaluation records the version it was graded with. */
  readonly version: string;
  /** First year the set applies to. */
  readonly fromYear: number;
  /** True for placeholder values not set by the bureau: show them as such. */
  readonly sample: boolean;
  readonly sourceZh: string;
  readonly sourceEn: string;
  readonly A: GradeMinimums;
  readonly B: GradeMinimums;
  readonly C: GradeMinimums;
}

/**
 * SAMPLE thresholds for the demo, not a bureau decision: A ≥ 30 万元 tax and ≥ 500 万元 output
 * per 亩, B ≥ 15 万 / 250 万, C ≥ 5 万 / 100 万. Replace with the bureau's published set.
 */
export const SAMPLE_MU_GRADE_THRESHOLDS: MuGradeThresholds = {
  version: 'sample-1',
  fromYear: 2020,
  sample: true,
  sourceZh: '示例阈值，非主管部门公布数值，待市规划和自然资源局替换',
  sourceEn: 'Sample thresholds, not published by the bureau; to be replaced by its own',
  A: { taxPerMuYuanMin: 300_000, outputPerMuYuanMin: 5_000_000 },
  B: { taxPerMuYuanMin: 150_000, outputPerMuYuanMin: 2_500_000 },
  C: { taxPerMuYuanMin: 50_000, outputPerMuYuanMin: 1_000_000 },
};

export interface ThresholdProblem {
  /** e.g. `A.taxPerMuYuanMin`, `version`. */
  readonly field: string;
  readonly reason: 'not_whole' | 'negative' | 'not_ordered' | 'empty';
  readonly messageZh: string;
  readonly messageEn: string;
}

/**
 * Every problem of a threshold set: each minimum a whole number of yuan ≥ 0, A's minimums ≥ B's
 * ≥ C's (otherwise a higher grade could be easier to reach), a non-empty version, a whole year.
 */
export function validateThresholds(t: MuGradeThresholds): ThresholdProblem[] {
  const problems: ThresholdProblem[] = [];
  if (t.version.trim() === '') problems.push({ field: 'version', reason: 'empty', messageZh: '阈值版本不能为空', messageEn: 'The threshold version must not be empty' });
  if (!Number.isSafeInteger(t.fromYear)) problems.push({ field: 'fromYear', reason: 'not_whole', messageZh: '起始年度必须是整数', messageEn: 'The first year must be a whole number' });
  const keys = ['taxPerMuYuanMin', 'outputPerMuYuanMin'] as const;
  for (const g of ['A', 'B', 'C'] as const) {
    for (const k of keys) {
      const v = t[g][k];
      const field = `${g}.${k}`;
      if (!Number.isSafeInteger(v)) problems.push({ field, reason: 'not_whole', messageZh: `${field} 必须是整数元`, messageEn: `${field} must be a whole number of yuan` });
      else if (v < 0) problems.push({ field, reason: 'negative', messageZh: `${field} 不能为负数`, messageEn: `${field} must not be negative` });
    }
  }
  for (const [hi, lo] of [['A', 'B'], ['B', 'C']] as const) {
    for (const k of keys) {
      if (t[hi][k] < t[lo][k]) {
        problems.push({ field: `${hi}.${k}`, reason: 'not_ordered', messageZh: `${hi} 级的${k}低于 ${lo} 级`, messageEn: `Grade ${hi}'s ${k} is below grade ${lo}'s` });
      }
    }
  }
  return problems;
}

/** The highest of A, B, C whose two minimums the figures both meet (≥); D otherwise. */
export function grade(figures: Pick<PerMuFigures, 'outputPerMuYuan' | 'taxPerMuYuan'>, thresholds: MuGradeThresholds): MuGrade {
  for (const g of ['A', 'B', 'C'] as const) {
    const m = thresholds[g];
    if (figures.taxPerMuYuan >= m.taxPerMuYuanMin && figures.outputPerMuYuan >= m.outputPerMuYuanMin) return g;
  }
  return 'D';
}

/** The project figures a plot's conditions are checked against that are not per-亩 (investment, plot ratio, dates, category). */
export type OtherProjectFigures = Omit<ProjectFigures, 'outputPerMuYuan' | 'taxPerMuYuan' | 'energyTcePer10kYuan'>;

/**
 * The per-亩 figures against a plot's 标准地 conditions (standard-land.ts `conditionsMet`), with
 * any other figures the caller has. An energy figure of null (no output) leaves the energy
 * condition unchecked.
 */
export function meetsConditions(figures: PerMuFigures, conditions: PlotConditions, other: OtherProjectFigures = {}): ConditionsCheck {
  return conditionsMet(conditions, {
    ...other,
    outputPerMuYuan: figures.outputPerMuYuan,
    taxPerMuYuan: figures.taxPerMuYuan,
    energyTcePer10kYuan: figures.energyPer10kYuan,
  });
}

export interface YearEvaluation extends PerMuFigures {
  readonly ok: true;
  readonly grade: MuGrade;
  readonly thresholdsVersion: string;
  readonly thresholdsSample: boolean;
  readonly meetsConditions: ConditionsCheck;
}

/** A year's evaluation in one call: per-亩 figures, grade (with the threshold version) and conditions. */
export function evaluateYear(
  figures: YearFigures,
  areaM2Hundredths: bigint,
  thresholds: MuGradeThresholds,
  conditions: PlotConditions,
  other: OtherProjectFigures = {},
): YearEvaluation | { readonly ok: false; readonly problems: readonly MuFigureProblem[] } {
  const r = perMuFigures(figures, areaM2Hundredths);
  if (!r.ok) return r;
  const perMu: PerMuFigures = { outputPerMuYuan: r.outputPerMuYuan, taxPerMuYuan: r.taxPerMuYuan, energyPer10kYuan: r.energyPer10kYuan };
  return {
    ok: true,
    ...perMu,
    grade: grade(perMu, thresholds),
    thresholdsVersion: thresholds.version,
    thresholdsSample: thresholds.sample,
    meetsConditions: meetsConditions(perMu, conditions, other),
  };
}
