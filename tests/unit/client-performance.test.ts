/**
 * The 亩均 screens' pure helpers (client/features/performance/figures.ts): the template CSV the
 * import expects, the entry form's reading (each field's problem named), the evaluation counts
 * and sort, a gap rounded to its unit.
 */
import { describe, expect, it } from 'vitest';
import Papa from 'papaparse';
import {
  EMPTY_FIGURES_FORM,
  evaluationCounts,
  gapNumber,
  readFiguresForm,
  rowErrorText,
  sortEvaluation,
  templateCsv,
  TEMPLATE_HEADERS,
} from '../../client/features/performance/figures.ts';

describe('template CSV', () => {
  it('starts with a BOM and has exactly the Chinese headers, in order', () => {
    const csv = templateCsv();
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const parsed = Papa.parse<string[]>(csv.slice(1).trim());
    expect(parsed.data).toEqual([['合同编号', '地块编号', '年度', '产值', '税收', '能耗', '从业人员']]);
    expect([...TEMPLATE_HEADERS]).toEqual(parsed.data[0]);
  });
});

describe('readFiguresForm', () => {
  const good = { year: '2025', output: '12,345,678.90', tax: '１２３４５６', energy: '321.5', employees: '88' };

  it('reads a good form (separators and full-width digits accepted)', () => {
    expect(readFiguresForm(good)).toEqual({ ok: true, body: { year: 2025, outputYuan: 12_345_678.9, taxYuan: 123_456, energyTce: 321.5, employees: 88 } });
  });

  it('names every empty field as required', () => {
    const r = readFiguresForm(EMPTY_FIGURES_FORM);
    expect(r).toEqual({ ok: false, problems: { year: 'required', output: 'required', tax: 'required', energy: 'required', employees: 'required' } });
  });

  it('refuses negatives, fractions of a fen, fractional people, words and years out of range', () => {
    const r = readFiguresForm({ year: '1999', output: '-1', tax: '1.234', energy: 'abc', employees: '3.5' });
    expect(r).toEqual({ ok: false, problems: { year: 'year_range', output: 'negative', tax: 'too_many_decimals', energy: 'not_a_number', employees: 'not_whole' } });
    expect(readFiguresForm({ ...good, year: '2101' })).toEqual({ ok: false, problems: { year: 'year_range' } });
    expect(readFiguresForm({ ...good, year: '2100' }).ok).toBe(true);
  });

  it('accepts zero figures', () => {
    const r = readFiguresForm({ year: '2024', output: '0', tax: '0', energy: '0', employees: '0' });
    expect(r).toEqual({ ok: true, body: { year: 2024, outputYuan: 0, taxYuan: 0, energyTce: 0, employees: 0 } });
  });
});

const item = (allocationId: number, grade: 'A' | 'B' | 'C' | 'D', taxPerMuYuan: number, outputPerMuYuan: number, plotCode: string, met: boolean | null, sample = false) => ({
  allocationId, grade, taxPerMuYuan, outputPerMuYuan, plotCode, sample, meetsConditions: { met, unmet: [], unchecked: [] },
});

describe('evaluation counts and sort', () => {
  const items = [
    item(1, 'C', 60_000, 1_200_000, 'P03-009', false),
    item(2, 'A', 310_000, 5_100_000, 'P03-001', true, true),
    item(3, 'A', 400_000, 5_000_000, 'P01-004', null),
    item(4, 'D', 0, 0, 'P02-002', false, true),
  ];

  it('counts grades, unmet (met === false only) and sample rows', () => {
    expect(evaluationCounts(items)).toEqual({ total: 4, A: 2, B: 0, C: 1, D: 1, unmet: 2, sample: 2 });
    expect(evaluationCounts([])).toEqual({ total: 0, A: 0, B: 0, C: 0, D: 0, unmet: 0, sample: 0 });
  });

  it('sorts by grade (then tax per 亩 down), by a figure down, or by plot', () => {
    expect(sortEvaluation(items, 'grade').map((i) => i.allocationId)).toEqual([3, 2, 1, 4]);
    expect(sortEvaluation(items, 'outputPerMu').map((i) => i.allocationId)).toEqual([2, 3, 1, 4]);
    expect(sortEvaluation(items, 'taxPerMu').map((i) => i.allocationId)).toEqual([3, 2, 1, 4]);
    expect(sortEvaluation(items, 'plot').map((i) => i.plotCode)).toEqual(['P01-004', 'P02-002', 'P03-001', 'P03-009']);
    expect(items.map((i) => i.allocationId)).toEqual([1, 2, 3, 4]);
  });
});

describe('gapNumber and rowErrorText', () => {
  it('rounds a gap to its unit and shows it as a positive distance', () => {
    expect(gapNumber(12_345.6, 'yuan/亩')).toBe(12_346);
    expect(gapNumber(-0.123456, 'tce/万元')).toBe(0.1235);
    expect(gapNumber(0.456, 'ratio')).toBe(0.46);
    expect(gapNumber(null, 'ratio')).toBeNull();
  });
  it('picks the message in the locale, or the plain one', () => {
    expect(rowErrorText({ message: 'm', messageZh: '中', messageEn: 'en' }, 'zh-CN')).toBe('中');
    expect(rowErrorText({ message: 'm', messageZh: '中', messageEn: 'en' }, 'en')).toBe('en');
    expect(rowErrorText({ message: 'm' }, 'en')).toBe('m');
  });
});
