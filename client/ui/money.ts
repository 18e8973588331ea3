/**
 * Money shown together in one unit. `formatMoney(…, 'compact')` picks 元 / 万元 / 亿元 per figure,
 * so "cap 1.00 亿元, granted 3,500.00 万元, remaining 6,500.00 万元" mixes units on one screen.
 * Figures that are read together (a summary, a table column, a KPI with its note) take ONE
 * scale — 亿元 when the largest reaches 1 亿元, else 万元 (zh); ¥ million or yuan (en) — and the
 * exact 元 goes on hover (`title`, client/ui/Money.tsx). Integer fen throughout; half-up display
 * rounding as in shared/units.ts. Pure.
 */
import { formatScaled, roundHalfUpDiv } from '../../shared/money.ts';
import { formatMoney, type Locale } from '../../shared/units.ts';

export type MoneyScale = 'yi' | 'wan' | 'million' | 'yuan';

const FEN_PER: Record<MoneyScale, bigint> = { yi: 10_000_000_000n, wan: 1_000_000n, million: 100_000_000n, yuan: 100n };

export const yuanToFenRounded = (yuan: number): bigint => BigInt(Math.round(yuan * 100));

/** The one scale for figures read together: from the largest absolute amount. */
export function moneyScale(yuans: readonly number[], locale: Locale): MoneyScale {
  const max = yuans.reduce((m, y) => Math.max(m, Math.abs(y)), 0);
  if (locale === 'zh-CN') return max >= 100_000_000 ? 'yi' : 'wan';
  return max >= 1_000_000 ? 'million' : 'yuan';
}

/** An amount in a given scale, two decimals: "0.35 亿元", "3,500.00 万元", "¥35.00M", "¥3,500.00". */
export function formatYuanIn(yuan: number, scale: MoneyScale, _locale?: Locale): string {
  const fen = yuanToFenRounded(yuan);
  const hundredths = roundHalfUpDiv(fen * 100n, FEN_PER[scale]);
  const s = formatScaled(hundredths < 0n ? -hundredths : hundredths, 2);
  const sign = hundredths < 0n ? '-' : '';
  switch (scale) {
    case 'yi':
      return `${sign}${s} 亿元`;
    case 'wan':
      return `${sign}${s} 万元`;
    case 'million':
      return `${sign}¥${s}M`;
    case 'yuan':
      return `${sign}¥${s}`;
  }
}

/** The figure alone, for a column or KPI whose heading names the unit: "3,500.00" (万元), "0.35" (亿元). */
export function formatYuanNumber(yuan: number, scale: MoneyScale): string {
  const hundredths = roundHalfUpDiv(yuanToFenRounded(yuan) * 100n, FEN_PER[scale]);
  const s = formatScaled(hundredths < 0n ? -hundredths : hundredths, 2);
  return hundredths < 0n ? `-${s}` : s;
}

/** The unit of a scale, for a heading: 万元 / 亿元 / ¥ million / yuan. */
export function scaleUnit(scale: MoneyScale): string {
  return { yi: '亿元', wan: '万元', million: '¥ million', yuan: 'yuan' }[scale];
}

/** The exact amount in 元 (the hover text): "35,000,000.00 元" / "¥35,000,000.00". */
export function exactYuan(yuan: number, locale: Locale): string {
  return formatMoney(yuanToFenRounded(yuan), locale, 'full');
}
