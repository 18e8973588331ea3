/**
 * Display formatting for the client. Areas and money go through the domain module
 * `shared/units.ts` so the client rounds exactly as the server does: areas are m²; Chinese land
 * practice reads them in 亩 (1 亩 = 10000/15 m², exactly) and 公顷 (10 000 m²).
 */
import { formatArea as formatAreaIn, formatMoney } from '../../shared/units.ts';
import type { Locale } from '../i18n/index.ts';

const formatters = new Map<string, Intl.NumberFormat>();
/** A plain number in the locale's style (counts, ratios, percentages). */
export function formatNumber(n: number, locale: Locale, maxDigits = 2, minDigits = 0): string {
  const key = `${locale}|${maxDigits}|${minDigits}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { maximumFractionDigits: maxDigits, minimumFractionDigits: minDigits });
    formatters.set(key, f);
  }
  return f.format(n);
}

/** "12.35 亩 · 0.82 公顷" (summaries: park figures, legends). */
export function formatArea(m2: number, locale: Locale): string {
  return `${formatAreaIn(m2, 'mu', locale)} · ${formatAreaIn(m2, 'ha', locale)}`;
}

/** "12.35 亩" (compact tables). */
export function formatMu(m2: number, locale: Locale): string {
  return formatAreaIn(m2, 'mu', locale);
}

/** "8,234.50 平方米" (detail views show the recorded m² as well). */
export function formatM2(m2: number, locale: Locale): string {
  return formatAreaIn(m2, 'm2', locale);
}

/** Money from yuan (≤ 2 decimals in the API): zh "1.00 亿元" / "12.35 万元", en "¥100.00M". */
export function formatYuan(yuan: number, locale: Locale): string {
  return formatMoney(BigInt(Math.round(yuan * 100)), locale, 'compact');
}

/** A date (ISO string) as the locale writes it; the input unchanged if it isn't a date. */
export function formatDate(iso: string, locale: Locale, withTime = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: withTime ? '2-digit' : 'long',
    day: withTime ? '2-digit' : 'numeric',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
  }).format(d);
}
