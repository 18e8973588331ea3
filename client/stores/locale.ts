/**
 * The interface language. Persisted in localStorage and mirrored in `<html lang>` so screen
 * readers and fonts follow it. Actions are plain functions.
 */
import { create } from 'zustand';
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/index.ts';

const STORAGE_KEY = 'iab.locale';

function readStored(): Locale {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLocale(v) ? v : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE; // storage disabled (privacy mode): use the default
  }
}

function applyToDocument(locale: Locale): void {
  document.documentElement.lang = locale;
}

interface LocaleState {
  locale: Locale;
}

export const useLocaleStore = create<LocaleState>(() => {
  const locale = readStored();
  applyToDocument(locale);
  return { locale };
});

export function setLocale(locale: Locale): void {
  useLocaleStore.setState({ locale });
  applyToDocument(locale);
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // not persisted; the choice still holds for this page
  }
}

export function toggleLocale(): void {
  setLocale(useLocaleStore.getState().locale === 'en' ? 'zh-CN' : 'en');
}
