/**
 * Pure helpers of the 亩均 screens (unit-tested in tests/unit/performance-figures.test.ts): the
 * CSV template, reading the entry form, the evaluation table's counts and sort, and a condition
 * gap in words.
 */
import type { EvaluationItem, PerformanceBody } from '../../api/index.ts';
import { CONDITION_FIELDS as ALL_CONDITION_FIELDS } from '../../../shared/policy/standard-land.ts';

/** The import's columns, in the template's order (合同编号 or 地块编号 identifies the allocation). */
export const TEMPLATE_HEADERS = ['合同编号', '地块编号', '年度', '产值', '税收', '能耗', '从业人员'] as const;

/** The template CSV: UTF-8 with a BOM (Excel opens Chinese headers right), CRLF, headers only. */
export function templateCsv(): string {
  return `\uFEFF${TEMPLATE_HEADERS.join(',')}\r\n`;
}

export interface FiguresForm {
  year: string;
  output: string;
  tax: string;
  energy: string;
  employees: string;
}

export const EMPTY_FIGURES_FORM: FiguresForm = { year: '', output: '', tax: '', energy: '', employees: '' };

export type FiguresField = keyof FiguresForm;
export type FiguresProblem = 'required' | 'not_a_number' | 'negative' | 'too_many_decimals' | 'not_whole' | 'year_range';

/** Half-width digits: full-width digits and separators typed with a Chinese IME are accepted. */
function clean(text: string): string {
  return text
    .replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[．]/g, '.')
    .replace(/[,，\s]/g, '');
}

function decimal(text: string, decimals: number | null): { value: number } | { problem: FiguresProblem } {
  const s = clean(text);
  if (s === '') return { problem: 'required' };
  if (!/^-?\d+(\.\d+)?$/.test(s)) return { problem: 'not_a_number' };
  if (s.startsWith('-')) return { problem: 'negative' };
  const frac = s.split('.')[1] ?? '';
  if (decimals === 0 && frac.length > 0) return { problem: 'not_whole' };
  if (decimals !== null && frac.length > decimals) return { problem: 'too_many_decimals' };
  const value = Number(s);
  if (!Number.isFinite(value) || !Number.isSafeInteger(Math.trunc(value))) return { problem: 'not_a_number' };
  return { value };
}

/**
 * The form as a POST body, or each field's problem. The server checks again (and the year
 * against the agreement); this only spares a round trip for what is plainly wrong.
 */
export function readFiguresForm(form: FiguresForm): { ok: true; body: PerformanceBody } | { ok: false; problems: Partial<Record<FiguresField, FiguresProblem>> } {
  const problems: Partial<Record<FiguresField, FiguresProblem>> = {};
  const year = decimal(form.year, 0);
  const output = decimal(form.output, 2);
  const tax = decimal(form.tax, 2);
  const energy = decimal(form.energy, 4);
  const employees = decimal(form.employees, 0);
  if ('problem' in year) problems.year = year.problem;
  else if (year.value < 2000 || year.value > 2100) problems.year = 'year_range';
  if ('problem' in output) problems.output = output.problem;
  if ('problem' in tax) problems.tax = tax.problem;
  if ('problem' in energy) problems.energy = energy.problem;
  if ('problem' in employees) problems.employees = employees.problem;
  if ('problem' in year || 'problem' in output || 'problem' in tax || 'problem' in energy || 'problem' in employees || problems.year) return { ok: false, problems };
  return { ok: true, body: { year: year.value, outputYuan: output.value, taxYuan: tax.value, energyTce: energy.value, employees: employees.value } };
}

export interface EvaluationCounts {
  total: number;
  A: number;
  B: number;
  C: number;
  D: number;
  unmet: number;
  sample: number;
}

export function evaluationCounts(items: readonly Pick<EvaluationItem, 'grade' | 'meetsConditions' | 'sample'>[]): EvaluationCounts {
  const c: EvaluationCounts = { total: items.length, A: 0, B: 0, C: 0, D: 0, unmet: 0, sample: 0 };
  for (const i of items) {
    c[i.grade] += 1;
    if (i.meetsConditions.met === false) c.unmet += 1;
    if (i.sample) c.sample += 1;
  }
  return c;
}

export type EvaluationSort = 'grade' | 'outputPerMu' | 'taxPerMu' | 'plot';

/** Grade A first (then tax per 亩 high to low), or a figure high to low, or by plot code; ties by allocation. */
export function sortEvaluation<T extends Pick<EvaluationItem, 'grade' | 'outputPerMuYuan' | 'taxPerMuYuan' | 'plotCode' | 'allocationId'>>(items: readonly T[], by: EvaluationSort): T[] {
  const cmp: Record<EvaluationSort, (a: T, b: T) => number> = {
    grade: (a, b) => a.grade.localeCompare(b.grade) || b.taxPerMuYuan - a.taxPerMuYuan,
    outputPerMu: (a, b) => b.outputPerMuYuan - a.outputPerMuYuan,
    taxPerMu: (a, b) => b.taxPerMuYuan - a.taxPerMuYuan,
    plot: (a, b) => a.plotCode.localeCompare(b.plotCode),
  };
  return items.slice().sort((a, b) => cmp[by](a, b) || a.allocationId - b.allocationId);
}

/** The fields of the conditions that have a figure (all but the notes), in the i18n's key space (`perf.cond.<field>`). */
export const CONDITION_FIELDS = ALL_CONDITION_FIELDS.filter((f): f is Exclude<(typeof ALL_CONDITION_FIELDS)[number], 'notes'> => f !== 'notes');

export const isConditionField = (f: string): f is (typeof CONDITION_FIELDS)[number] => (CONDITION_FIELDS as readonly string[]).includes(f);

/** A gap for display: rounded to the unit's sense (yuan whole, ratios and tce 2–4 decimals). */
export function gapNumber(gap: number | null, unit: string): number | null {
  if (gap === null || !Number.isFinite(gap)) return null;
  const digits = /tce/.test(unit) ? 4 : /yuan|元/.test(unit) ? 0 : 2;
  const f = 10 ** digits;
  return Math.round(Math.abs(gap) * f) / f;
}

/** A per-row import error's text in the locale (server messages may be bilingual). */
export function rowErrorText(e: { message: string; messageZh?: string; messageEn?: string }, locale: 'zh-CN' | 'en'): string {
  return (locale === 'en' ? e.messageEn : e.messageZh) ?? e.message;
}
