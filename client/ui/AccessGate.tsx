import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { can, type Permission } from '../../shared/roles.ts';
import { loginHref } from '../features/auth/redirect.ts';
import { useErrorText } from './useErrorText.ts';
import { useT } from '../i18n/useT.ts';
import { useSessionStore } from '../stores/session.ts';

/**
 * Shows `children` only to a signed-in user whose role holds `permission` (null: any signed-in
 * user); otherwise says why (sign in first, or 403 for this role). The server enforces the same
 * rule on every request.
 */
export function AccessGate({ permission, children }: { permission: Permission | null; children: ReactNode }) {
  const { t } = useT();
  const { status, user } = useSessionStore();
  if (status === 'loading') return <PageLoading />;
  if (!user) {
    return (
      <div className="page-message" data-testid="access-signin">
        <h1>{t('access.signInTitle')}</h1>
        <p>{t('access.signInBody')}</p>
        <Link href={loginHref(`${window.location.pathname}${window.location.search}`)} className="button">
          {t('auth.signIn')}
        </Link>
      </div>
    );
  }
  if (permission !== null && !can(user.role, permission)) return <NoAccess />;
  return <>{children}</>;
}

/**
 * The plain "no access" page (403), also for a signed-in user whose role may use the screen but
 * not this object — another district's officer on a district's dashboard.
 */
export function NoAccess({ message, children }: { message?: string; children?: ReactNode }) {
  const { t } = useT();
  return (
    <div className="page-message" data-testid="access-forbidden">
      <p className="status-code" aria-hidden="true">403</p>
      <h1>{t('access.forbiddenTitle')}</h1>
      <p>{message ?? t('access.forbiddenBody')}</p>
      {children}
      <Link href="/" className="button button--secondary">
        {t('notFound.back')}
      </Link>
    </div>
  );
}

/** A page-level "loading…" line (also the fallback while a lazy page loads). */
export function PageLoading() {
  const { t } = useT();
  return (
    <div className="page-message" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}

/** A failed load on a page: the reason and a retry button. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useT();
  const text = useErrorText();
  return (
    <div className="alert alert--error" role="alert">
      <p>{text(error)}</p>
      <button type="button" className="button button--secondary button--small" onClick={onRetry}>
        {t('panel.retry')}
      </button>
    </div>
  );
}
