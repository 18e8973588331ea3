/**
 * The server writes messages in English with the Chinese in parentheses, e.g.
 * "newPassword: The password must have at least 10 characters (密码至少 10 个字符)." — this
 * picks the part for the interface language, so a form shows one language, not both.
 */
import type { Locale } from '../../i18n/index.ts';

/** A parenthesised part containing CJK ideographs, ASCII or full-width brackets. */
const CJK_PART = /\s*[(（]([^()（）]*[\u3400-\u9fff][^()（）]*)[)）]/g;
/** "newPassword: …" — the field name the server prefixes; forms show the field themselves. */
const FIELD_PREFIX = /^[a-z][A-Za-z0-9.]*: /;

export function localizeServerMessage(message: string, locale: Locale): string {
  const text = message.replace(FIELD_PREFIX, '');
  const zhParts = [...text.matchAll(CJK_PART)].map((m) => m[1]!.trim());
  if (locale === 'zh-CN') return zhParts.length > 0 ? zhParts.join('；') : text;
  const en = text.replace(CJK_PART, '').replace(/\s+([.,;:])/g, '$1').trim();
  return en || text;
}

/** "45 秒", "2 分 5 秒", "15 分钟" / "45 s", "2 min 5 s", "15 min" — how long a lockout lasts. */
export function formatWait(seconds: number, locale: Locale): string {
  const s = Math.max(1, Math.ceil(seconds));
  const min = Math.floor(s / 60);
  const rest = s % 60;
  if (locale === 'zh-CN') {
    if (min === 0) return `${rest} 秒`;
    return rest === 0 ? `${min} 分钟` : `${min} 分 ${rest} 秒`;
  }
  if (min === 0) return `${rest} s`;
  return rest === 0 ? `${min} min` : `${min} min ${rest} s`;
}
