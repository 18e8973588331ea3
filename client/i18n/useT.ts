import { useMemo } from 'react';
import { useLocaleStore } from '../stores/locale.ts';
import { translator, type Locale, type Translate } from './index.ts';

/** The current locale and a `t` bound to it; re-renders the caller when the language changes. */
export function useT(): { t: Translate; locale: Locale } {
  const locale = useLocaleStore((s) => s.locale);
  const t = useMemo(() => translator(locale), [locale]);
  return { t, locale };
}
