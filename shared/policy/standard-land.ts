/**
 * 标准地 conditions (POLICY.md "After the sale: supervision"; Zhejiang's 标准地 practice): the
 * investment intensity, plot ratio, output and tax per 亩, energy per unit of output,
 * environmental category, and start and completion deadlines fixed on a plot before supply,
 * written into the 监管协议 at the sale and checked afterwards (issue #15 §1).
 *
 * Every condition is optional: `null` means the bureau set none. Two pure functions:
 * - {@link validateConditions} reads untrusted input (a form, a plot import) into
 *   {@link PlotConditions} or names every bad field with a typed reason;
 * - {@link conditionsMet} compares a project's figures with the conditions where both are
 *   given. A condition not set, or a figure not given, is not a failure: it is listed in
 *   `unchecked` with the reason, so a caller can show "not assessed" rather than "met".
 *
 * Rules chosen here (documented so the bureau can confirm them):
 * - minima are met at equality (`actual ≥ min`), maxima too (`actual ≤ max`); differences are
 *   exact decimal arithmetic (1.2 − 1.1 is 0.1, not 0.09999…);
 * - `pollutionCategory` is the most polluting class of industry the plot admits, on the scale of
 *   GB 50137-2011 (一类 M1 / 二类 M2 / 三类 M3 工业: little / some / serious interference and
 *   pollution); a project of a lower or equal class meets it;
 * - deadlines run in whole months from the day the months count from (the contract or the
 *   handover, the caller chooses), ending on the same day N months later, or that month's last
 *   day when it has none (《民法典》art. 201, as idle-land.ts counts years). A deadline is met by
 *   a start (completion) on or before it, unmet once the day judged on is past it without one,
 *   and `pending` (unchecked) before that.
 *
 * Pure: no I/O; figures in yuan as numbers (at most 2 decimals), dates 'YYYY-MM-DD'.
 */
import { isIsoDate } from '../dates.ts';
import { MAX_NUMBER_SCALED, parseDecimal, ratio, ratioToNumber, toScaledInteger, type Ratio } from '../money.ts';

/** GB 50137-2011 industrial classes, least polluting first (the order is the comparison). */
export const POLLUTION_CATEGORIES = ['class_1', 'class_2', 'class_3'] as const;
export type PollutionCategory = (typeof POLLUTION_CATEGORIES)[number];
export const POLLUTION_CATEGORY_LABELS: Record<PollutionCategory, { zh: string; en: string }> = {
  class_1: { zh: '一类工业（基本无干扰、污染）', en: 'Class 1 industry (little interference or pollution)' },
  class_2: { zh: '二类工业（有一定干扰、污染）', en: 'Class 2 industry (some interference or pollution)' },
  class_3: { zh: '三类工业（严重干扰、污染）', en: 'Class 3 industry (serious interference or pollution)' },
};

/** A plot's 标准地 conditions; `null` = not set. */
export interface PlotConditions {
  /** 投资强度 minimum, yuan per m² of land. */
  readonly investmentIntensityYuanPerM2Min: number | null;
  /** 容积率 range. */
  readonly plotRatioMin: number | null;
  readonly plotRatioMax: number | null;
  /** 亩均产值 minimum, yuan per 亩 per year. */
  readonly outputPerMuYuanMin: number | null;
  /** 亩均税收 minimum, yuan per 亩 per year. */
  readonly taxPerMuYuanMin: number | null;
  /** 单位产值能耗 maximum, tce per 万元 of output. */
  readonly energyTcePer10kYuanMax: number | null;
  /** The most polluting class the plot admits. */
  readonly pollutionCategory: PollutionCategory | null;
  /** Free text (环境准入 and anything else the bureau writes into the 监管协议). */
  readonly notes: string | null;
  /** Start (动工) within this many months. */
  readonly startWithinMonths: number | null;
  /** Completion (竣工) within this many months. */
  readonly completeWithinMonths: number | null;
}

export type ConditionField = keyof PlotConditions;

export const CONDITION_FIELDS = [
  'investmentIntensityYuanPerM2Min',
  'plotRatioMin',
  'plotRatioMax',
  'outputPerMuYuanMin',
  'taxPerMuYuanMin',
  'energyTcePer10kYuanMax',
  'pollutionCategory',
  'notes',
  'startWithinMonths',
  'completeWithinMonths',
] as const satisfies readonly ConditionField[];

/** No condition set. */
export const NO_CONDITIONS: PlotConditions = {
  investmentIntensityYuanPerM2Min: null,
  plotRatioMin: null,
  plotRatioMax: null,
  outputPerMuYuanMin: null,
  taxPerMuYuanMin: null,
  energyTcePer10kYuanMax: null,
  pollutionCategory: null,
  notes: null,
  startWithinMonths: null,
  completeWithinMonths: null,
};

/** Longest deadline accepted, months (10 years). */
export const MAX_CONDITION_MONTHS = 120;
/** Longest `notes` accepted, characters. */
export const MAX_CONDITION_NOTES = 2000;

// ---------------------------------------------------------------------------
// Validation

export type ConditionProblemReason =
  | 'not_an_object'
  | 'unknown_field'
  | 'not_a_number'
  | 'not_finite'
  | 'too_many_decimals'
  | 'too_large'
  | 'negative'
  | 'not_positive'
  | 'min_above_max'
  | 'not_whole_months'
  | 'months_out_of_range'
  | 'complete_before_start'
  | 'unknown_category'
  | 'not_text'
  | 'too_long';

export interface ConditionProblem {
  /** The field at fault (`conditions` for the whole value); for `min_above_max`, the max field. */
  readonly field: ConditionField | 'conditions' | (string & {});
  readonly reason: ConditionProblemReason;
  readonly messageZh: string;
  readonly messageEn: string;
}

export type ConditionsValidation =
  | { readonly ok: true; readonly conditions: PlotConditions }
  | { readonly ok: false; readonly problems: readonly ConditionProblem[] };

type NumericField = Exclude<ConditionField, 'pollutionCategory' | 'notes' | 'startWithinMonths' | 'completeWithinMonths'>;

/** Per numeric field: label, decimals allowed, and whether 0 is allowed. */
const NUMERIC: Record<NumericField, { zh: string; en: string; decimals: number; positive: boolean }> = {
  investmentIntensityYuanPerM2Min: { zh: '投资强度下限（元/平方米）', en: 'Minimum investment intensity (yuan/m²)', decimals: 2, positive: false },
  plotRatioMin: { zh: '容积率下限', en: 'Minimum plot ratio', decimals: 2, positive: false },
  plotRatioMax: { zh: '容积率上限', en: 'Maximum plot ratio', decimals: 2, positive: true },
  outputPerMuYuanMin: { zh: '亩均产值下限（元/亩）', en: 'Minimum output per mu (yuan/mu)', decimals: 2, positive: false },
  taxPerMuYuanMin: { zh: '亩均税收下限（元/亩）', en: 'Minimum tax per mu (yuan/mu)', decimals: 2, positive: false },
  energyTcePer10kYuanMax: { zh: '单位产值能耗上限（吨标准煤/万元）', en: 'Maximum energy per output (tce per 10,000 yuan)', decimals: 4, positive: true },
};

const MONTHS: Record<'startWithinMonths' | 'completeWithinMonths', { zh: string; en: string }> = {
  startWithinMonths: { zh: '动工期限（月）', en: 'Start deadline (months)' },
  completeWithinMonths: { zh: '竣工期限（月）', en: 'Completion deadline (months)' },
};

const problem = (field: string, reason: ConditionProblemReason, messageZh: string, messageEn: string): ConditionProblem => ({ field, reason, messageZh, messageEn });

/** A number, or a plain decimal string (as a CSV cell arrives); anything else is not a number. */
/** The problem for a value that is not a (finite) number. */
function unreadable(field: ConditionField, label: { zh: string; en: string }, reason: 'not_a_number' | 'not_finite'): ConditionProblem {
  return reason === 'not_finite'
    ? problem(field, 'not_finite', `${label.zh}必须是有限数值`, `${label.en} must be a finite number`)
    : problem(field, 'not_a_number', `${label.zh}必须是数值`, `${label.en} must be a number`);
}

function readNumber(v: unknown): { ok: true; value: number; exact: Ratio } | { ok: false; reason: 'not_a_number' | 'not_finite' } {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { ok: false, reason: 'not_finite' };
    const exact = parseDecimal(v);
    return exact ? { ok: true, value: v, exact } : { ok: false, reason: 'not_a_number' };
  }
  if (typeof v === 'string') {
    const exact = parseDecimal(v);
    return exact ? { ok: true, value: ratioToNumber(exact), exact } : { ok: false, reason: 'not_a_number' };
  }
  return { ok: false, reason: 'not_a_number' };
}

const isBlank = (v: unknown): boolean => v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/**
 * Reads conditions from untrusted input: missing, `null` or blank fields are "not set"; numbers
 * may come as numbers or plain decimal strings. Returns every problem found, per field:
 * `not_a_number`, `not_finite` (NaN, ±Infinity), `too_many_decimals` (yuan and plot ratio 2,
 * energy 4), `too_large` (beyond exact numbers), `negative`, `not_positive` (a maximum of 0), `min_above_max` (plot ratio),
 * `not_whole_months` / `months_out_of_range` (1–{@link MAX_CONDITION_MONTHS}),
 * `complete_before_start`, `unknown_category`, `not_text` / `too_long` (notes), `unknown_field`.
 */
export function validateConditions(raw: unknown): ConditionsValidation {
  if (raw === null || raw === undefined) return { ok: true, conditions: NO_CONDITIONS };
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    return { ok: false, problems: [problem('conditions', 'not_an_object', '标准地条件必须是一个对象', 'Conditions must be an object')] };
  }
  const input = raw as Record<string, unknown>;
  const problems: ConditionProblem[] = [];
  const known = new Set<string>(CONDITION_FIELDS);
  for (const key of Object.keys(input)) {
    if (!known.has(key)) problems.push(problem(key, 'unknown_field', `未知的条件字段：${key}`, `Unknown condition field: ${key}`));
  }
  const out: { -readonly [K in ConditionField]: PlotConditions[K] } = { ...NO_CONDITIONS };

  for (const field of Object.keys(NUMERIC) as NumericField[]) {
    const v = input[field];
    if (isBlank(v)) continue;
    const spec = NUMERIC[field];
    const r = readNumber(v);
    if (!r.ok) {
      problems.push(unreadable(field, spec, r.reason));
      continue;
    }
    if (r.exact.num < 0n) {
      problems.push(problem(field, 'negative', `${spec.zh}不能为负数`, `${spec.en} must not be negative`));
      continue;
    }
    if (spec.positive && r.exact.num === 0n) {
      problems.push(problem(field, 'not_positive', `${spec.zh}必须大于 0`, `${spec.en} must be greater than 0`));
      continue;
    }
    const scaled = toScaledInteger(typeof v === 'string' ? v : r.value, spec.decimals);
    if (!scaled.ok || scaled.value > MAX_NUMBER_SCALED) {
      problems.push(!scaled.ok && scaled.problem === 'too_many_decimals'
        ? problem(field, 'too_many_decimals', `${spec.zh}最多 ${spec.decimals} 位小数`, `${spec.en} allows at most ${spec.decimals} decimals`)
        : problem(field, 'too_large', `${spec.zh}数值过大`, `${spec.en} is too large`));
      continue;
    }
    out[field] = r.value;
  }
  if (out.plotRatioMin !== null && out.plotRatioMax !== null && out.plotRatioMin > out.plotRatioMax) {
    problems.push(problem('plotRatioMax', 'min_above_max', `容积率下限（${out.plotRatioMin}）高于上限（${out.plotRatioMax}）`, `Minimum plot ratio (${out.plotRatioMin}) is above the maximum (${out.plotRatioMax})`));
  }

  for (const field of ['startWithinMonths', 'completeWithinMonths'] as const) {
    const v = input[field];
    if (isBlank(v)) continue;
    const label = MONTHS[field];
    const r = readNumber(v);
    if (!r.ok) {
      problems.push(unreadable(field, label, r.reason));
    } else if (r.exact.den !== 1n) {
      problems.push(problem(field, 'not_whole_months', `${label.zh}必须是整月数`, `${label.en} must be a whole number of months`));
    } else if (r.value < 1 || r.value > MAX_CONDITION_MONTHS) {
      problems.push(problem(field, 'months_out_of_range', `${label.zh}必须在 1–${MAX_CONDITION_MONTHS} 之间`, `${label.en} must be 1–${MAX_CONDITION_MONTHS}`));
    } else {
      out[field] = r.value;
    }
  }
  if (out.startWithinMonths !== null && out.completeWithinMonths !== null && out.completeWithinMonths < out.startWithinMonths) {
    problems.push(problem('completeWithinMonths', 'complete_before_start', '竣工期限不能早于动工期限', 'The completion deadline must not come before the start deadline'));
  }

  const cat = input['pollutionCategory'];
  if (!isBlank(cat)) {
    if (typeof cat === 'string' && (POLLUTION_CATEGORIES as readonly string[]).includes(cat)) out.pollutionCategory = cat as PollutionCategory;
    else problems.push(problem('pollutionCategory', 'unknown_category', `污染类别必须是 ${POLLUTION_CATEGORIES.join('、')} 之一`, `Pollution category must be one of ${POLLUTION_CATEGORIES.join(', ')}`));
  }
  const notes = input['notes'];
  if (!isBlank(notes)) {
    if (typeof notes !== 'string') problems.push(problem('notes', 'not_text', '备注必须是文字', 'Notes must be text'));
    else if ([...notes.trim()].length > MAX_CONDITION_NOTES) problems.push(problem('notes', 'too_long', `备注最多 ${MAX_CONDITION_NOTES} 字`, `Notes allow at most ${MAX_CONDITION_NOTES} characters`));
    else out.notes = notes.trim();
  }

  return problems.length > 0 ? { ok: false, problems } : { ok: true, conditions: out };
}

// ---------------------------------------------------------------------------
// Checking a project against the conditions

/** A project's figures; each optional (absent or null = not given). */
export interface ProjectFigures {
  readonly investmentIntensityYuanPerM2?: number | null;
  readonly plotRatio?: number | null;
  readonly outputPerMuYuan?: number | null;
  readonly taxPerMuYuan?: number | null;
  readonly energyTcePer10kYuan?: number | null;
  readonly pollutionCategory?: PollutionCategory | null;
  /** The day the deadline months count from (contract or handover). */
  readonly deadlinesFrom?: string | null;
  readonly startedOn?: string | null;
  readonly completedOn?: string | null;
  /** The day judged on; needed to call a deadline missed before the start/completion happens. */
  readonly asOf?: string | null;
}

/** What a checked condition is compared in. */
export type ConditionUnit = 'yuan_per_m2' | 'ratio' | 'yuan_per_mu' | 'tce_per_10k_yuan' | 'category' | 'date';

/** A condition the project misses. `gap` is how far, always > 0 (days for a deadline; null for a category). */
export interface UnmetCondition {
  readonly field: Exclude<ConditionField, 'notes'>;
  readonly unit: ConditionUnit;
  /** The minimum, maximum, admitted category or deadline date. */
  readonly required: number | string;
  /** The project's figure, category, or the start/completion date (the day judged on when there is none yet). */
  readonly actual: number | string;
  readonly gap: number | null;
}

export type UncheckedReason = 'not_set' | 'no_figure' | 'pending';

export interface UncheckedCondition {
  readonly field: Exclude<ConditionField, 'notes'>;
  readonly reason: UncheckedReason;
}

export interface ConditionsCheck {
  /** No condition checked is unmet (true also when nothing could be checked: see `unchecked`). */
  readonly ok: boolean;
  readonly met: readonly Exclude<ConditionField, 'notes'>[];
  readonly unmet: readonly UnmetCondition[];
  readonly unchecked: readonly UncheckedCondition[];
}

/** b − a, exactly, as the nearest number. */
function exactDiff(a: number, b: number): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (!x || !y) throw new RangeError(`not a finite number: ${a}, ${b}`);
  return ratioToNumber(ratio(y.num * x.den - x.num * y.den, x.den * y.den));
}

const given = <T>(v: T | null | undefined): v is T => v !== null && v !== undefined;

/** The same day `months` later, or that month's last day when it has none (民法典 art. 201). */
export function addMonths(iso: string, months: number): string {
  if (!isIsoDate(iso)) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(iso)}`);
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const daysFrom = (a: string, b: string): number => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000;

/**
 * Compares a project's figures with a plot's conditions where both are given. Throws a
 * RangeError on a non-finite figure or a malformed date (callers validate first).
 */
export function conditionsMet(conditions: PlotConditions, figures: ProjectFigures): ConditionsCheck {
  const met: Exclude<ConditionField, 'notes'>[] = [];
  const unmet: UnmetCondition[] = [];
  const unchecked: UncheckedCondition[] = [];

  const minimum = (field: NumericField, unit: ConditionUnit, min: number | null, actual: number | null | undefined): void => {
    if (min === null) return void unchecked.push({ field, reason: 'not_set' });
    if (!given(actual)) return void unchecked.push({ field, reason: 'no_figure' });
    if (actual >= min) met.push(field);
    else unmet.push({ field, unit, required: min, actual, gap: exactDiff(actual, min) });
  };
  const maximum = (field: NumericField, unit: ConditionUnit, max: number | null, actual: number | null | undefined): void => {
    if (max === null) return void unchecked.push({ field, reason: 'not_set' });
    if (!given(actual)) return void unchecked.push({ field, reason: 'no_figure' });
    if (actual <= max) met.push(field);
    else unmet.push({ field, unit, required: max, actual, gap: exactDiff(max, actual) });
  };
  for (const [k, v] of Object.entries(figures)) {
    if (typeof v === 'number' && !Number.isFinite(v)) throw new RangeError(`${k} must be a finite number, got ${v}`);
  }

  minimum('investmentIntensityYuanPerM2Min', 'yuan_per_m2', conditions.investmentIntensityYuanPerM2Min, figures.investmentIntensityYuanPerM2);
  minimum('plotRatioMin', 'ratio', conditions.plotRatioMin, figures.plotRatio);
  maximum('plotRatioMax', 'ratio', conditions.plotRatioMax, figures.plotRatio);
  minimum('outputPerMuYuanMin', 'yuan_per_mu', conditions.outputPerMuYuanMin, figures.outputPerMuYuan);
  minimum('taxPerMuYuanMin', 'yuan_per_mu', conditions.taxPerMuYuanMin, figures.taxPerMuYuan);
  maximum('energyTcePer10kYuanMax', 'tce_per_10k_yuan', conditions.energyTcePer10kYuanMax, figures.energyTcePer10kYuan);

  if (conditions.pollutionCategory === null) unchecked.push({ field: 'pollutionCategory', reason: 'not_set' });
  else if (!given(figures.pollutionCategory)) unchecked.push({ field: 'pollutionCategory', reason: 'no_figure' });
  else if (POLLUTION_CATEGORIES.indexOf(figures.pollutionCategory) <= POLLUTION_CATEGORIES.indexOf(conditions.pollutionCategory)) met.push('pollutionCategory');
  else unmet.push({ field: 'pollutionCategory', unit: 'category', required: conditions.pollutionCategory, actual: figures.pollutionCategory, gap: null });

  const deadline = (field: 'startWithinMonths' | 'completeWithinMonths', months: number | null, doneOn: string | null | undefined): void => {
    if (months === null) return void unchecked.push({ field, reason: 'not_set' });
    if (!given(figures.deadlinesFrom)) return void unchecked.push({ field, reason: 'no_figure' });
    const due = addMonths(figures.deadlinesFrom, months);
    const asOf = figures.asOf ?? null;
    for (const d of [doneOn, asOf]) if (given(d) && !isIsoDate(d)) throw new RangeError(`not a date YYYY-MM-DD: ${JSON.stringify(d)}`);
    // A date after the day judged on has not happened yet.
    const done = given(doneOn) && (asOf === null || doneOn <= asOf) ? doneOn : null;
    if (done !== null) {
      if (done <= due) met.push(field);
      else unmet.push({ field, unit: 'date', required: due, actual: done, gap: daysFrom(due, done) });
    } else if (asOf !== null && asOf > due) {
      unmet.push({ field, unit: 'date', required: due, actual: asOf, gap: daysFrom(due, asOf) });
    } else {
      unchecked.push({ field, reason: asOf === null ? 'no_figure' : 'pending' });
    }
  };
  deadline('startWithinMonths', conditions.startWithinMonths, figures.startedOn);
  deadline('completeWithinMonths', conditions.completeWithinMonths, figures.completedOn);

  return { ok: unmet.length === 0, met, unmet, unchecked };
}
