import { useT } from '../i18n/useT.ts';
import { toggleLocale } from '../stores/locale.ts';

/** One click to the other language; the button's text is written in the language it offers. */
export function LanguageToggle() {
  const { t, locale } = useT();
  return (
    <button
      type="button"
      className="lang-toggle"
      onClick={toggleLocale}
      // The visible text is part of the name (WCAG 2.5.3, label in name), the purpose follows.
      aria-label={`${t('lang.switch')} – ${t('lang.switchLabel')}`}
      title={t('lang.switchLabel')}
      data-testid="lang-toggle"
    >
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <circle cx="10" cy="10" r="7.5" />
        <path d="M2.5 10h15M10 2.5c2.2 2.2 3 4.7 3 7.5s-.8 5.3-3 7.5M10 2.5C7.8 4.7 7 7.2 7 10s.8 5.3 3 7.5" />
      </svg>
      <span lang={locale === 'en' ? 'zh-CN' : 'en'}>{t('lang.switch')}</span>
    </button>
  );
}
