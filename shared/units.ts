/**
 * Areas and their display (POLICY.md "Units and money"). Areas are square metres; stored and
 * compared at 2 decimals as integer hundredths of a m² (`…M2Hundredths: bigint`, 0.01 m²).
 *   1 亩 (mu) = 10000/15 m² = 2000/3 m² exactly (666.666…);  1 公顷 (ha) = 10000 m² = 15 亩.
 * `number` results (m2ToMu, …) are for display: the exact value rounded once to a double.
 * Comparisons with figures in 亩 are done exactly: 5000 亩 = 10 000 000/3 m², so a stored
 * area `h` (hundredths of m²) is at least 5000 亩 iff `3h ≥ 1 000 000 000` — equivalently
 * iff the m² figure is at least 3 333 333.34 (the 5000 亩 minimum rounded UP to the cent).
 */
import { validationFailed, type ValidationFailure } from './domain.ts';
import {
  formatScaled,
  parseDecimal,
  ratio,
  ratioToNumber,
  roundHalfUpDiv,
  ceilDiv,
  floorDiv,
  toScaledInteger,
  type DecimalProblem,
  type FieldLabel,
  type Ratio,
} from './money.ts';

/** m² per 亩, exactly 2000/3. */
export const M2_PER_MU: Ratio = ratio(2000n, 3n);
/** m² per 公顷. */
export const M2_PER_HA = 10_000;
/** 亩 per 公顷. */
export const MU_PER_HA = 15;

export type AreaUnit = 'm2' | 'mu' | 'ha';
export type Locale = 'zh-CN' | 'en';

/** Units per m², exactly: 1 m² = 3/2000 亩 = 1/10000 公顷. */
const PER_M2: Record<AreaUnit, Ratio> = {
  m2: ratio(1n),
  mu: ratio(3n, 2000n),
  ha: ratio(1n, 10_000n),
};

// ---------------------------------------------------------------------------
// m² at 2 decimals

/** m² (number or decimal string, ≤ 2 decimals) → hundredths of m², or the problem. */
export function tryM2ToHundredths(m2: number | string): { ok: true; hundredths: bigint } | { ok: false; problem: DecimalProblem } {
  const r = toScaledInteger(m2, 2);
  return r.ok ? { ok: true, hundredths: r.value } : r;
}

/** m² (≤ 2 decimals) → hundredths of m², exactly: "1234.56" → 123456n. Throws RangeError otherwise. */
export function m2ToHundredths(m2: number | string): bigint {
  const r = tryM2ToHundredths(m2);
  if (!r.ok) throw new RangeError(`m2ToHundredths: ${r.problem}: ${String(m2)}`);
  return r.hundredths;
}

/** Hundredths of m² → m² as a number (exact 2-decimal figure): 123456n → 1234.56. */
export function hundredthsToM2(hundredths: bigint): number {
  return Number(hundredths) / 100;
}

// ---------------------------------------------------------------------------
// Conversions (any decimal input; exact, then rounded once)

function exact(value: number | string, what: string): Ratio {
  const r = parseDecimal(value);
  if (!r) throw new RangeError(`${what}: not a finite decimal: ${String(value)}`);
  return r;
}

function mul(a: Ratio, b: Ratio): Ratio {
  return ratio(a.num * b.num, a.den * b.den);
}

/** m² → 亩 (display number): m² × 3/2000, computed exactly and rounded once. */
export function m2ToMu(m2: number | string): number {
  return ratioToNumber(mul(exact(m2, 'm2ToMu'), PER_M2.mu));
}

/** m² → 公顷 (display number): m² / 10000. */
export function m2ToHa(m2: number | string): number {
  return ratioToNumber(mul(exact(m2, 'm2ToHa'), PER_M2.ha));
}

/** 亩 → m² (display number): 亩 × 2000/3, computed exactly from the decimal and rounded once. */
export function muToM2(mu: number | string): number {
  return ratioToNumber(mul(exact(mu, 'muToM2'), M2_PER_MU));
}

/** 公顷 → m² (display number). */
export function haToM2(ha: number | string): number {
  return ratioToNumber(mul(exact(ha, 'haToM2'), ratio(10_000n)));
}

/** An exact area in 亩 (as a rational) from a decimal: "5000" → 5000/1. */
export function muExact(mu: number | string): Ratio {
  return exact(mu, 'muExact');
}

/**
 * 亩 → hundredths of m², rounded as asked (exact): 5000 亩 = 3 333 333.333… m² →
 * `ceil` 333333334n, `floor` 333333333n, `round` (half up) 333333333n.
 */
export function muToM2Hundredths(mu: number | string, rounding: 'ceil' | 'floor' | 'round' = 'round'): bigint {
  const m = mul(exact(mu, 'muToM2Hundredths'), M2_PER_MU);
  const num = m.num * 100n;
  if (rounding === 'ceil') return ceilDiv(num, m.den);
  if (rounding === 'floor') return floorDiv(num, m.den);
  return roundHalfUpDiv(num, m.den);
}

/**
 * Exact comparison of an area in hundredths of m² with an area in 亩: −1, 0 or 1.
 * `compareM2HundredthsToMu(h, 5000)` ≥ 0 ⇔ `3h ≥ 1 000 000 000`.
 */
export function compareM2HundredthsToMu(areaM2Hundredths: bigint, mu: number | string | Ratio): -1 | 0 | 1 {
  const m = typeof mu === 'object' ? mu : exact(mu, 'compareM2HundredthsToMu');
  // h/100 m² vs m × 2000/3 m²  ⇔  3·h·den vs 200000·num
  const left = 3n * areaM2Hundredths * m.den;
  const right = 200_000n * m.num;
  return left < right ? -1 : left > right ? 1 : 0;
}

// ---------------------------------------------------------------------------
// Display

const AREA_SUFFIX: Record<Locale, Record<AreaUnit, string>> = {
  'zh-CN': { m2: '平方米', mu: '亩', ha: '公顷' },
  en: { m2: 'm²', mu: 'mu', ha: 'ha' },
};

/**
 * An area for display, 2 decimals (rounded half up from the exact value), thousands
 * separators: `formatArea(13333.33, 'mu', 'zh-CN')` → "20.00 亩", `'en'` → "20.00 mu";
 * `formatArea(1234567.8, 'm2', 'en')` → "1,234,567.80 m²". Accepts any finite decimal m².
 */
export function formatArea(m2: number | string, unit: AreaUnit, locale: Locale): string {
  const v = mul(exact(m2, 'formatArea'), PER_M2[unit]);
  const hundredths = roundHalfUpDiv(v.num * 100n, v.den);
  return `${formatScaled(hundredths, 2)} ${AREA_SUFFIX[locale][unit]}`;
}

/** {@link formatArea} for an area already in hundredths of m². */
export function formatAreaHundredths(areaM2Hundredths: bigint, unit: AreaUnit, locale: Locale): string {
  const v = mul(ratio(areaM2Hundredths, 100n), PER_M2[unit]);
  return `${formatScaled(roundHalfUpDiv(v.num * 100n, v.den), 2)} ${AREA_SUFFIX[locale][unit]}`;
}

/**
 * Money for display, from integer fen.
 * - `full`: zh-CN "1,234.56 元", en "¥1,234.56".
 * - `compact`: zh-CN "1.00 亿元" from 1亿 (after rounding), "12.35 万元" from 1万, else full;
 *   en "¥100.00M" from 1 million yuan, else full. Compact figures round half up (display only).
 */
export function formatMoney(fen: bigint, locale: Locale, style: 'full' | 'compact' = 'full'): string {
  if (style === 'compact') {
    if (locale === 'zh-CN') {
      const yi = roundHalfUpDiv(fen, 100_000_000n); // hundredths of 亿元 (10^10 fen)
      if (yi >= 100n || yi <= -100n) return `${formatScaled(yi, 2)} 亿元`;
      const wan = roundHalfUpDiv(fen, 10_000n); // hundredths of 万元 (10^6 fen)
      if (wan >= 100n || wan <= -100n) return `${formatScaled(wan, 2)} 万元`;
    } else {
      const million = roundHalfUpDiv(fen, 1_000_000n); // hundredths of a million yuan
      if (million >= 100n || million <= -100n) return signed(million, (s) => `¥${s}M`);
    }
  }
  return locale === 'zh-CN' ? `${formatScaled(fen, 2)} 元` : signed(fen, (s) => `¥${s}`);
}

function signed(hundredths: bigint, wrap: (s: string) => string): string {
  return hundredths < 0n ? `-${wrap(formatScaled(-hundredths, 2))}` : wrap(formatScaled(hundredths, 2));
}

// ---------------------------------------------------------------------------
// User input

/**
 * Reads a user-entered area in m² (≤ 2 decimals) into hundredths of m², or a
 * {@link ValidationFailure} naming the field. `min: 'positive'` requires > 0.
 */
export function parseAreaField(
  field: string,
  label: FieldLabel,
  m2: number | string,
  min: 'positive' | 'nonNegative' = 'nonNegative',
): { ok: true; hundredths: bigint } | ValidationFailure {
  const r = tryM2ToHundredths(m2);
  if (!r.ok) {
    return validationFailed(
      field,
      `${label.zh}必须是最多两位小数的平方米数`,
      `${label.en} must be a number of m² with at most 2 decimals`,
    );
  }
  if (min === 'positive' && r.hundredths <= 0n) {
    return validationFailed(field, `${label.zh}必须大于 0`, `${label.en} must be greater than 0`);
  }
  if (r.hundredths < 0n) {
    return validationFailed(field, `${label.zh}不能为负数`, `${label.en} must not be negative`);
  }
  return r;
}
