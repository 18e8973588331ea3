/**
 * The allocation API's refusals in the interface language, with their figures. The server
 * sends `messageZh` / `messageEn` beside its bilingual `message` for the rules (QUOTA_EXCEEDED
 * "剩余指标 12.34 亩，本次需 20.00 亩", BELOW_PRICE_FLOOR naming the floor and its binding term,
 * PLOT_UNAVAILABLE, a USCC or term problem): use the one for the locale. A year without a quota
 * (reason QUOTA_NOT_SET) gets our own sentence, since what to do about it is on this page.
 */
import { ApiError } from '../../api/index.ts';
import type { Locale } from '../../i18n/index.ts';

export type RuleRefusal =
  | { kind: 'quotaNotSet'; year: number | null }
  | { kind: 'message'; text: string; code: string }
  | null;

/** The refusal in words for `locale`, or null when the error carries no rule message (use the generic text then). */
export function ruleRefusal(e: unknown, locale: Locale): RuleRefusal {
  if (!(e instanceof ApiError)) return null;
  const d = e.details;
  if (d.reason === 'QUOTA_NOT_SET') return { kind: 'quotaNotSet', year: typeof d.year === 'number' ? d.year : null };
  const zh = typeof d.messageZh === 'string' ? d.messageZh : null;
  const en = typeof d.messageEn === 'string' ? d.messageEn : null;
  const text = locale === 'zh-CN' ? (zh ?? en) : (en ?? zh);
  return text ? { kind: 'message', text, code: e.code } : null;
}
