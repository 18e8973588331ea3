/**
 * `/account/password` — change my password. Also the forced step: while the server says
 * `mustChangePassword` (a new account, or a reset by an administrator) the app shows only this
 * page, since the server refuses everything else with PASSWORD_CHANGE_REQUIRED.
 */
import { useState } from 'react';
import { useLocation } from 'wouter';
import { ChangePasswordForm } from './ChangePasswordForm.tsx';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { useT } from '../../i18n/useT.ts';
import { signOut } from '../../stores/session.ts';
import './auth.css';

export default function AccountPasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useT();
  const [, navigate] = useLocation();
  const [done, setDone] = useState(false);

  return (
    <div className="auth-page">
      <div className="auth-card" data-testid={forced ? 'forced-password-change' : 'password-page'}>
        <AccessGate permission={null}>
          <h1>{forced ? t('account.forcedTitle') : t('account.changePassword')}</h1>
          {forced && <p className="note note--info">{t('account.forcedBody')}</p>}
          {done ? (
            <div className="alert alert--ok" role="status">
              <p>{t('account.changed')}</p>
              <button type="button" className="button" onClick={() => navigate('/')}>
                {t('notFound.back')}
              </button>
            </div>
          ) : (
            <ChangePasswordForm
              // Forced: the store now says the change is done, so the app shows the page asked for.
              onDone={() => {
                if (!forced) setDone(true);
              }}
            />
          )}
          {forced && (
            <p className="auth-foot">
              <button type="button" className="link-button" onClick={() => void signOut().finally(() => navigate('/'))}>
                {t('auth.signOut')}
              </button>
            </p>
          )}
        </AccessGate>
      </div>
    </div>
  );
}
