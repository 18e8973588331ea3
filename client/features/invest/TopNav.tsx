import { Link, useLocation } from 'wouter';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import { can } from '../../../shared/roles.ts';

/**
 * The top-bar links, by role: find land for everyone; "my interests" for investors; the bureau's
 * screens (allocate, edit plots, import/export, interests, parks overview) for the roles that use
 * them; a district officer's own dashboard; park recognition for the admin. The server enforces
 * every rule regardless — this only hides links a role cannot use.
 */
export function TopNav() {
  const { t } = useT();
  const [path] = useLocation();
  const user = useSessionStore((s) => s.user);
  const role = user?.role;
  const cityWide = role === 'admin' || role === 'land_officer' || role === 'industry_officer';
  const links = [
    { href: '/invest', label: t('nav.invest'), show: true, also: '/plots/' },
    { href: '/invest/siting', label: t('siting.nav'), show: !role || role === 'investor', also: '/invest/siting' },
    { href: '/me/interests', label: t('nav.myInterests'), show: role === 'investor' },
    { href: '/bureau', label: t('nav.bureau'), show: can(role, 'allocations.manage') },
    { href: '/bureau/editor', label: t('nav.editor'), show: can(role, 'plots.manage') },
    { href: '/bureau/imports', label: t('nav.imports'), show: can(role, 'plots.manage') },
    { href: '/bureau/interests', label: t('nav.queue'), show: role === 'admin' || role === 'land_officer' || role === 'district_officer' },
    { href: '/bureau/demand', label: t('demand.nav'), show: can(role, 'demands.read'), also: '/bureau/demand' },
    { href: '/bureau/parks', label: t('nav.parks'), show: cityWide },
    {
      href: `/district/${user?.districtCode ?? ''}`,
      label: t('nav.district'),
      show: role === 'district_officer' && user?.districtCode != null,
      also: '/district/',
    },
    { href: '/supervision/evaluation', label: t('perf.nav'), show: can(role, 'supervision.read'), also: '/supervision/evaluation' },
    { href: '/supervision/report', label: t('perf.navReport'), show: can(role, 'supervision.read') },
    { href: '/supervision', label: t('nav.supervision'), show: can(role, 'supervision.read') },
    { href: '/admin/parks', label: t('nav.parksAdmin'), show: role === 'admin' },
    { href: '/admin/reference', label: t('nav.reference'), show: role === 'admin' || role === 'land_officer' || role === 'industry_officer' },
  ];
  return (
    <nav className="topnav" aria-label={t('nav.label')}>
      {links
        .filter((l) => l.show)
        .map((l) => (
          <Link
            key={l.href}
            href={l.href}
            className="topnav-link"
            aria-current={path === l.href || (l.also !== undefined && path.startsWith(l.also)) ? 'page' : undefined}
            data-testid={`nav-${l.href.slice(1).split('/').slice(0, 2).join('-')}`}
          >
            {l.label}
          </Link>
        ))}
    </nav>
  );
}
