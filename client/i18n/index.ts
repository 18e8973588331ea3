/**
 * The one i18n layer: every UI string goes through `translate` (or the `useT` hook). zh-CN is
 * the default; English is one click away. Dictionaries are plain typed objects, so a missing
 * translation is a compile error rather than a blank on screen.
 */
import { en } from './en.ts';
import { zh, type MessageKey, type Messages } from './zh.ts';

export type { MessageKey, Messages };

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

const DICTIONARIES: Record<Locale, Messages> = { 'zh-CN': zh, en };

export type Vars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: Vars) => string;

export function isLocale(x: unknown): x is Locale {
  return typeof x === 'string' && (LOCALES as readonly string[]).includes(x);
}

/** Looks a key up and fills `{name}` placeholders; an unknown placeholder is left visible. */
export function translate(locale: Locale, key: MessageKey, vars?: Vars): string {
  const template = DICTIONARIES[locale][key];
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = vars[name];
    return v === undefined ? whole : String(v);
  });
}

/** A `t` bound to one locale (for code outside React, and what `useT` returns). */
export function translator(locale: Locale): Translate {
  return (key, vars) => translate(locale, key, vars);
}

/** Which feature property holds a name in this locale (map labels, panels). */
export function nameKey(locale: Locale): 'nameZh' | 'nameEn' {
  return locale === 'en' ? 'nameEn' : 'nameZh';
}

/** Picks the name for the locale from a `{ nameZh, nameEn }` pair, falling back to Chinese. */
export function localName(locale: Locale, names: { nameZh: string; nameEn?: string | null }): string {
  return locale === 'en' && names.nameEn ? names.nameEn : names.nameZh;
}
