import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { useT } from '../i18n/useT.ts';

/**
 * The plain "no access" page (the same as AccessGate's 403) for a signed-in user whose role may
 * use the screen but not this object — another district's officer on a district's dashboard.
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

/** A page-level "loading…" line. */
export function PageLoading() {
  const { t } = useT();
  return (
    <div className="page-message" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}
