import { Link, useLocation } from 'wouter';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';

/** The investor links in the top bar: find land for everyone; "my interests" for investors; the queue for the bureau. */
export function TopNav() {
  const { t } = useT();
  const [path] = useLocation();
  const role = useSessionStore((s) => s.user?.role);
  const links = [
    { href: '/invest', label: t('nav.invest'), show: true },
    { href: '/me/interests', label: t('nav.myInterests'), show: role === 'investor' },
    { href: '/bureau/interests', label: t('nav.queue'), show: role === 'admin' || role === 'land_officer' || role === 'district_officer' },
  ];
  return (
    <nav className="topnav" aria-label={t('nav.invest')}>
      {links
        .filter((l) => l.show)
        .map((l) => (
          <Link key={l.href} href={l.href} className="topnav-link" aria-current={path === l.href || (l.href === '/invest' && path.startsWith('/plots/')) ? 'page' : undefined} data-testid={`nav-${l.href.slice(1).replace('/', '-')}`}>
            {l.label}
          </Link>
        ))}
    </nav>
  );
}
