import { useId, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { can } from '../../shared/roles.ts';
import { roleLabel } from '../features/admin/labels.ts';
import { loginHref } from '../features/auth/redirect.ts';
import { useDismiss } from './useDismiss.ts';
import { useDistrictNames } from './useDistrictNames.ts';
import { localName } from '../i18n/index.ts';
import { useT } from '../i18n/useT.ts';
import { signOut, useSessionStore } from '../stores/session.ts';

/**
 * The top bar's account corner: "登录 / Sign in" when anonymous; otherwise the user's name and
 * role, opening a menu (district, change password, the admin pages the role may use, sign out).
 * A disclosure (button + list of links), closed by Escape, a click outside or choosing an item.
 */
export function UserMenu() {
  const { t, locale } = useT();
  const { status, user } = useSessionStore();
  const [path, navigate] = useLocation();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const menuId = useId();
  const ref = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const districts = useDistrictNames(user?.districtCode != null);

  useDismiss(open, ref, () => setOpen(false), () => buttonRef.current?.focus());

  if (status === 'loading') return <span className="user-menu-placeholder" aria-hidden="true" />;

  if (!user) {
    if (path === '/login') return null;
    return (
      <a
        className="topbar-button"
        href="/login"
        data-testid="sign-in-link"
        onClick={(e) => {
          e.preventDefault();
          navigate(loginHref(`${window.location.pathname}${window.location.search}`));
        }}
      >
        <svg viewBox="0 0 20 20" aria-hidden="true">
          <circle cx="10" cy="7" r="3.2" />
          <path d="M3.5 17c.8-3.3 3.4-5 6.5-5s5.7 1.7 6.5 5" />
        </svg>
        <span className="topbar-button-text">{t('auth.signIn')}</span>
      </a>
    );
  }

  const district = user.districtCode ? districts?.get(user.districtCode) : undefined;
  const close = () => setOpen(false);
  const onSignOut = async () => {
    setBusy(true);
    try {
      await signOut();
    } catch {
      // The session is forgotten here even if the server could not be reached.
    } finally {
      setBusy(false);
      setOpen(false);
      navigate('/');
    }
  };

  return (
    <div className="user-menu" ref={ref}>
      <button
        ref={buttonRef}
        type="button"
        className="topbar-button user-menu-button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu-button"
      >
        <span className="avatar" aria-hidden="true">{[...user.displayName][0] ?? '?'}</span>
        <span className="user-menu-name">{user.displayName}</span>
        <span className="visually-hidden">{t('auth.menuLabel')}</span>
        <svg className="chevron" viewBox="0 0 12 12" aria-hidden="true"><path d="M2.5 4.5 6 8l3.5-3.5" /></svg>
      </button>
      <div id={menuId} className="user-menu-popover" hidden={!open} data-testid="user-menu">
        <div className="user-menu-head">
          <p className="strong" data-testid="user-menu-name">{user.displayName}</p>
          <p className="muted">
            {user.username} · <span data-testid="user-menu-role">{roleLabel(user.role, locale)}</span>
          </p>
          {user.districtCode && (
            <p className="muted" data-testid="user-menu-district">
              {t('auth.districtLine', { name: district ? localName(locale, district) : user.districtCode })}
            </p>
          )}
        </div>
        <ul className="user-menu-items">
          {can(user.role, 'users.manage') && (
            <li>
              <Link href="/admin/users" onClick={close} data-testid="menu-users">{t('users.title')}</Link>
            </li>
          )}
          {can(user.role, 'audit.read') && (
            <li>
              <Link href="/admin/audit" onClick={close}>{t('audit.title')}</Link>
            </li>
          )}
          <li>
            <Link href="/tools/floor" onClick={close}>{t('floor.toolTitle')}</Link>
          </li>
          <li>
            <Link href="/account/password" onClick={close}>{t('account.changePassword')}</Link>
          </li>
          <li>
            <button type="button" onClick={() => void onSignOut()} disabled={busy} data-testid="sign-out">
              {t('auth.signOut')}
            </button>
          </li>
        </ul>
      </div>
    </div>
  );
}
