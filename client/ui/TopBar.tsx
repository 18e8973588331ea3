import { Link } from 'wouter';
import { useT } from '../i18n/useT.ts';
import { LanguageToggle } from './LanguageToggle.tsx';
import { SampleBadge } from './SampleBadge.tsx';
import { UserMenu } from './UserMenu.tsx';
import { TopNav } from '../features/invest/TopNav.tsx';

export function TopBar() {
  const { t } = useT();
  return (
    <header className="topbar">
      <a className="skip-link" href="#main">{t('app.skipToMap')}</a>
      <Link href="/" className="brand">
        <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="6" />
          <path d="M7 22l6-12 5 8 3-4 4 8z" />
        </svg>
        <span className="brand-text">
          <span className="brand-title">{t('app.title')}</span>
          <span className="brand-subtitle">{t('app.subtitle')}</span>
        </span>
      </Link>
      <TopNav />
      <div className="topbar-actions">
        <SampleBadge />
        <LanguageToggle />
        <UserMenu />
      </div>
    </header>
  );
}
