/**
 * Reading one year's figures as entered (the JSON body, or a CSV row's text): every problem named
 * by its wire field (outputYuan, taxYuan, energyTce, employees, year) in Chinese and English, the
 * same for the form and the import. The range rules are shared/policy/mu-evaluation.ts
 * `validateYearFigures` (negative, non-finite, not whole, too large per 亩 of the plot); the
 * reading of amounts is shared/money.ts (yuan with at most 2 decimals → fen, exactly).
 */
import { MAX_NUMBER_SCALED, toScaledInteger, tryYuanToFen } from '../../../shared/money.ts';
import { m2ToHundredths } from '../../../shared/units.ts';
import { validateYearFigures, type MuFigureField, type YearFigures } from '../../../shared/policy/index.ts';

export interface FieldError {
  field: string;
  message: string;
}

/** The figures as stored: money in fen, energy as exact decimal text (numeric(16, 4)). */
export interface ReadFigures {
  figures: YearFigures;
  energyText: string;
}

export interface RawFigures {
  outputYuan: number | string;
  taxYuan: number | string;
  energyTce: number | string;
  employees: number | string;
}

const WIRE_FIELD: Record<MuFigureField, string> = {
  outputFen: 'outputYuan',
  taxFen: 'taxYuan',
  energyTce: 'energyTce',
  employees: 'employees',
  areaM2Hundredths: 'area',
};

/** 能耗 up to 10^11 tce with 4 decimals (the column is numeric(16, 4)); 从业人员 up to 10^7. */
const MAX_ENERGY_TEN_THOUSANDTHS = 10n ** 15n - 1n;
const MAX_EMPLOYEES = 10_000_000;

const both = (zh: string, en: string) => `${zh} / ${en}`;

function money(field: 'outputYuan' | 'taxYuan', zh: string, en: string, v: number | string, errors: FieldError[]): bigint | null {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    errors.push({ field, message: both(`${zh}必须是有限数值`, `${en} must be a finite number`) });
    return null;
  }
  const r = tryYuanToFen(v);
  if (!r.ok) {
    errors.push({ field, message: both(`${zh}必须是最多两位小数的金额（元）`, `${en} must be an amount in yuan with at most 2 decimals`) });
    return null;
  }
  if (r.fen > MAX_NUMBER_SCALED) {
    errors.push({ field, message: both(`${zh}超出可精确表示的范围`, `${en} is too large to be represented exactly`) });
    return null;
  }
  return r.fen;
}

/**
 * The figures, or every problem with its field. `areaM2` is the allocation's area (m², ≤ 2
 * decimals) the per-亩 figures are taken on.
 */
export function readFigures(raw: RawFigures, areaM2: string | number): { ok: true; value: ReadFigures } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const outputFen = money('outputYuan', '产值', 'Output', raw.outputYuan, errors);
  const taxFen = money('taxYuan', '税收', 'Tax', raw.taxYuan, errors);

  let energyTce: number | null = null;
  let energyText = '';
  const e = raw.energyTce;
  if (typeof e === 'number' && !Number.isFinite(e)) {
    errors.push({ field: 'energyTce', message: both('能耗（吨标准煤）必须是有限数值', 'Energy (tce) must be a finite number') });
  } else {
    const scaled = toScaledInteger(e, 4);
    if (!scaled.ok) {
      errors.push({ field: 'energyTce', message: both('能耗（吨标准煤）必须是最多四位小数的数值', 'Energy (tce) must be a number with at most 4 decimals') });
    } else if (scaled.value > MAX_ENERGY_TEN_THOUSANDTHS) {
      errors.push({ field: 'energyTce', message: both('能耗（吨标准煤）超出范围', 'Energy (tce) is too large') });
    } else {
      energyTce = Number(scaled.value) / 10_000;
      const abs = scaled.value < 0n ? -scaled.value : scaled.value;
      energyText = `${scaled.value < 0n ? '-' : ''}${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`;
    }
  }

  let employees: number | null = null;
  const n = typeof raw.employees === 'string' ? (/^\s*[+-]?\d+\s*$/.test(raw.employees) ? Number(raw.employees) : raw.employees.trim() === '' ? NaN : Number(raw.employees)) : raw.employees;
  if (!Number.isFinite(n)) errors.push({ field: 'employees', message: both('从业人员必须是有限数值', 'Employees must be a finite number') });
  else if (n > MAX_EMPLOYEES) errors.push({ field: 'employees', message: both(`从业人员不能超过 ${MAX_EMPLOYEES}`, `Employees must not exceed ${MAX_EMPLOYEES}`) });
  else employees = n;

  // The policy's own checks (negative, not whole, too large per 亩) on what could be read.
  const figures: YearFigures = { outputFen: outputFen ?? 0n, taxFen: taxFen ?? 0n, energyTce: energyTce ?? 0, employees: employees ?? 0 };
  for (const p of validateYearFigures(figures, m2ToHundredths(areaM2))) {
    const field = WIRE_FIELD[p.field];
    if (!errors.some((x) => x.field === field)) errors.push({ field, message: both(p.messageZh, p.messageEn) });
  }
  if (errors.length > 0 || outputFen === null || taxFen === null || energyTce === null || employees === null) return { ok: false, errors };
  return { ok: true, value: { figures, energyText } };
}

/** The years figures may be given for: from the contract's signing year to the current year. */
export function yearError(year: number | string, signedOn: string | null, currentYear: number): FieldError | null {
  const y = typeof year === 'number' ? year : /^\s*\d{4}\s*$/.test(year) ? Number(year) : NaN;
  if (!Number.isSafeInteger(y)) return { field: 'year', message: both('年度必须是四位整数年份', 'year must be a four-digit year') };
  const first = signedOn ? Number(signedOn.slice(0, 4)) : null;
  if (first !== null && y < first) {
    return { field: 'year', message: both(`年度 ${y} 早于出让合同签订年度 ${first}`, `year ${y} is before the contract was signed (${first})`) };
  }
  if (y > currentYear) return { field: 'year', message: both(`年度 ${y} 晚于当前年度 ${currentYear}`, `year ${y} is after the current year ${currentYear}`) };
  return null;
}
