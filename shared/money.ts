/**
 * Exact money (POLICY.md "Units and money"): amounts are integer fen (0.01 yuan) in `bigint`,
 * never binary floating point. Yuan numbers and strings are converted only at the edges, by
 * reading their decimal digits (`"123.45"` → 12345n), never by multiplying a float by 100.
 * Minimums (price and rent floors) round UP to the fen; grants and caps round DOWN.
 *
 * The exact-decimal and rational primitives here are also used for areas (units.ts).
 */
import { validationFailed, type ValidationFailure } from './domain.ts';

// ---------------------------------------------------------------------------
// Exact rationals and integer division

/** An exact rational `num / den`, `den > 0`. Used for ratios (70%, 2000/3 m² per 亩, K(n)). */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

/** A reduced rational with a positive denominator. Throws RangeError if `den` is 0. */
export function ratio(num: bigint | number, den: bigint | number = 1n): Ratio {
  let n = BigInt(num);
  let d = BigInt(den);
  if (d === 0n) throw new RangeError('ratio: zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { num: n / g, den: d / g } : { num: n, den: d };
}

/** Basis points (1 bp = 0.01 %) as an exact ratio: 7000 → 7/10. Throws on a non-integer. */
export function ratioFromBp(bp: number): Ratio {
  if (!Number.isSafeInteger(bp)) throw new RangeError(`basis points must be an integer: ${bp}`);
  return ratio(BigInt(bp), 10_000n);
}

/** ⌈a / b⌉ for bigint, `b > 0` (correct for negative `a`). */
export function ceilDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('ceilDiv: divisor must be positive');
  const q = a / b; // truncates toward zero
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

/** ⌊a / b⌋ for bigint, `b > 0` (correct for negative `a`). */
export function floorDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('floorDiv: divisor must be positive');
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** a / b rounded half away from zero (display rounding), `b > 0`. */
export function roundHalfUpDiv(a: bigint, b: bigint): bigint {
  if (b <= 0n) throw new RangeError('roundHalfUpDiv: divisor must be positive');
  const abs = a < 0n ? -a : a;
  const q = (2n * abs + b) / (2n * b);
  return a < 0n ? -q : q;
}

/** The least of some bigints (e.g. a grant = min(requested, share, headroom), 五(三)13). */
export function minBigint(first: bigint, ...rest: bigint[]): bigint {
  return rest.reduce((m, x) => (x < m ? x : m), first);
}

/** The greatest of some bigints (e.g. a floor = max of its components, 五(三)14). */
export function maxBigint(first: bigint, ...rest: bigint[]): bigint {
  return rest.reduce((m, x) => (x > m ? x : m), first);
}

/**
 * A rational as the nearest `number` (for display and JSON only). Exact-then-rounded-once when
 * numerator and denominator are safe integers; otherwise via 20 significant decimal digits.
 */
export function ratioToNumber(r: Ratio): number {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  const absNum = r.num < 0n ? -r.num : r.num;
  if (absNum <= safe && r.den <= safe) return Number(r.num) / Number(r.den);
  const scale = 10n ** 20n;
  const intPart = r.num / r.den;
  const frac = ((absNum % r.den) * scale) / r.den;
  const sign = r.num < 0n && intPart === 0n ? '-' : '';
  return Number(`${sign}${intPart}.${frac.toString().padStart(20, '0')}`);
}

// ---------------------------------------------------------------------------
// Exact decimal parsing

const PLAIN_DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;
const NUMBER_DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/;

/**
 * The exact value of a decimal, as a rational with denominator 10^k. Strings must be plain
 * decimals (`"-12.5"`, `"3"`; no exponent, no separators; surrounding spaces are ignored).
 * Numbers are read through their shortest round-tripping decimal form (`String(x)`), so
 * `0.1` is exactly 1/10 and `0.1 + 0.2` is 30000000000000004/10^17. Returns null for NaN,
 * ±Infinity and anything that is not a decimal.
 */
export function parseDecimal(x: number | string): Ratio | null {
  let m: RegExpExecArray | null;
  if (typeof x === 'number') {
    if (!Number.isFinite(x)) return null;
    m = NUMBER_DECIMAL.exec(String(x).toLowerCase());
  } else {
    m = PLAIN_DECIMAL.exec(x.trim());
  }
  if (!m) return null;
  const [, sign = '', intDigits = '0', fracDigits = '', expText] = m;
  const exp = expText === undefined ? 0 : Number(expText);
  let num = BigInt(intDigits + fracDigits);
  if (sign === '-') num = -num;
  const scale = fracDigits.length - exp; // value = num / 10^scale
  return scale >= 0 ? ratio(num, 10n ** BigInt(scale)) : ratio(num * 10n ** BigInt(-scale));
}

/** Why a decimal could not be read as an exact scaled integer. */
export type DecimalProblem = 'not_a_number' | 'too_many_decimals' | 'unsafe_number';

/**
 * Largest |scaled integer| exchanged as a JS `number` (10^15 − 1): every decimal with at most
 * 15 significant digits survives decimal → double → shortest string unchanged, so below this
 * bound `number` ↔ fen (or ↔ hundredths of m²) round-trips exactly. 10^15 fen = 10 trillion
 * yuan; larger figures must travel as strings.
 */
export const MAX_NUMBER_SCALED = 10n ** 15n - 1n;

/**
 * `x × 10^decimals` as an exact bigint, or the problem: `not_a_number` (NaN, ±Infinity,
 * malformed string), `too_many_decimals`, or `unsafe_number` (a JS number whose scaled
 * value exceeds {@link MAX_NUMBER_SCALED}: pass such values as strings).
 */
export function toScaledInteger(
  x: number | string,
  decimals: number,
): { ok: true; value: bigint } | { ok: false; problem: DecimalProblem } {
  const r = parseDecimal(x);
  if (!r) return { ok: false, problem: 'not_a_number' };
  const scaled = r.num * 10n ** BigInt(decimals);
  if (scaled % r.den !== 0n) return { ok: false, problem: 'too_many_decimals' };
  const value = scaled / r.den;
  if (typeof x === 'number' && (value > MAX_NUMBER_SCALED || value < -MAX_NUMBER_SCALED)) {
    return { ok: false, problem: 'unsafe_number' };
  }
  return { ok: true, value };
}

// ---------------------------------------------------------------------------
// Yuan ↔ fen

/** 1 yuan = 100 fen. */
export const FEN_PER_YUAN = 100n;

/** {@link yuanToFen} without throwing: `{ ok: true, fen }` or the problem. */
export function tryYuanToFen(yuan: number | string): { ok: true; fen: bigint } | { ok: false; problem: DecimalProblem } {
  const r = toScaledInteger(yuan, 2);
  return r.ok ? { ok: true, fen: r.value } : r;
}

/**
 * Yuan (number or decimal string, at most 2 decimals) → integer fen, exactly: `"123.45"` →
 * 12345n, `0.1` → 10n. Throws RangeError on NaN, ±Infinity, a malformed string, more than 2
 * decimals (e.g. `0.1 + 0.2`), or a number of 10^13 yuan or more (pass a string instead).
 * Negative amounts are allowed (reversing entries); the rules reject them where they must.
 */
export function yuanToFen(yuan: number | string): bigint {
  const r = tryYuanToFen(yuan);
  if (!r.ok) throw new RangeError(`yuanToFen: ${r.problem}: ${String(yuan)}`);
  return r.fen;
}

/**
 * Fen → yuan as a `number` for JSON: the nearest double to fen/100, whose shortest form is
 * the exact 2-decimal figure (12345n → 123.45), so `yuanToFen(fenToYuan(f)) === f`. Throws
 * RangeError beyond ±{@link MAX_NUMBER_SCALED} fen (use {@link fenToYuanString}).
 */
export function fenToYuan(fen: bigint): number {
  if (fen > MAX_NUMBER_SCALED || fen < -MAX_NUMBER_SCALED) {
    throw new RangeError(`fenToYuan: ${fen} fen is beyond exact number range; use fenToYuanString`);
  }
  return Number(fen) / 100;
}

/** Fen → exact yuan decimal string, always 2 decimals: 12345n → "123.45", -5n → "-0.05". */
export function fenToYuanString(fen: bigint): string {
  return formatScaled(fen, 2, false);
}

// ---------------------------------------------------------------------------
// Multiplying money

/** fen × r rounded UP to the fen: for minimums (price and rent floors). */
export function mulRatioCeil(fen: bigint, r: Ratio): bigint {
  return ceilDiv(fen * r.num, r.den);
}

/** fen × r rounded DOWN to the fen: for grants and caps. */
export function mulRatioFloor(fen: bigint, r: Ratio): bigint {
  return floorDiv(fen * r.num, r.den);
}

/**
 * Price (fen per m²) × area (hundredths of m²) in fen, rounded UP: the exact product has at
 * most 2 extra decimals (fen × 0.01), so the result is ⌈price × area / 100⌉.
 */
export function mulPriceAreaCeil(priceFenPerM2: bigint, areaM2Hundredths: bigint): bigint {
  return ceilDiv(priceFenPerM2 * areaM2Hundredths, 100n);
}

/**
 * Price in yuan/m² × area in m² (both at most 2 decimals) in fen, exactly, rounded UP to the
 * fen: 12.34 yuan/m² × 0.05 m² = 0.617 yuan → 62n. Throws RangeError like {@link yuanToFen}.
 */
export function priceTimesAreaCeilFen(priceYuanPerM2: number | string, areaM2: number | string): bigint {
  const area = toScaledInteger(areaM2, 2);
  if (!area.ok) throw new RangeError(`priceTimesAreaCeilFen: area ${area.problem}: ${String(areaM2)}`);
  return mulPriceAreaCeil(yuanToFen(priceYuanPerM2), area.value);
}

// ---------------------------------------------------------------------------
// Display helpers (exact; used by units.ts formatting)

/** Digits with thousands separators: "1234567" → "1,234,567". */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A scaled integer as a fixed-point string: (123456n, 2) → "1,234.56" (or "1234.56"). */
export function formatScaled(value: bigint, decimals: number, grouped = true): string {
  const neg = value < 0n;
  const digits = (neg ? -value : value).toString().padStart(decimals + 1, '0');
  const intPart = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  const int = grouped ? groupThousands(intPart) : intPart;
  return `${neg ? '-' : ''}${int}${decimals > 0 ? `.${frac}` : ''}`;
}

// ---------------------------------------------------------------------------
// User input

/** Labels for a money field in validation messages. */
export interface FieldLabel {
  readonly zh: string;
  readonly en: string;
}

/**
 * Reads a user-entered yuan amount into fen, or a {@link ValidationFailure} naming the field.
 * `min: 'positive'` requires > 0, `'nonNegative'` requires ≥ 0 (the default).
 */
export function parseMoneyField(
  field: string,
  label: FieldLabel,
  yuan: number | string,
  min: 'positive' | 'nonNegative' = 'nonNegative',
): { ok: true; fen: bigint } | ValidationFailure {
  const r = tryYuanToFen(yuan);
  if (!r.ok) {
    return validationFailed(
      field,
      `${label.zh}必须是最多两位小数的金额（元）`,
      `${label.en} must be an amount in yuan with at most 2 decimals`,
    );
  }
  return checkFenField(field, label, r.fen, min);
}

/** Range check for an amount already in fen (same messages as {@link parseMoneyField}). */
export function checkFenField(
  field: string,
  label: FieldLabel,
  fen: bigint,
  min: 'positive' | 'nonNegative' = 'nonNegative',
): { ok: true; fen: bigint } | ValidationFailure {
  if (min === 'positive' && fen <= 0n) {
    return validationFailed(field, `${label.zh}必须大于 0`, `${label.en} must be greater than 0`);
  }
  if (fen < 0n) {
    return validationFailed(field, `${label.zh}不能为负数`, `${label.en} must not be negative`);
  }
  return { ok: true, fen };
}
