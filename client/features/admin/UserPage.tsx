/**
 * `/admin/users/:id` — one user: edit name, role and district; disable or enable; reset the
 * password (the administrator sets a temporary one, shown once; the user must change it at the
 * next sign-in by default); end all sessions; and the account's history from the audit trail.
 */
import { useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'wouter';
import { type Role } from '../../../shared/roles.ts';
import { roleLabel } from './labels.ts';
import { checkUserEdit, generatePassword, passwordProblem, type UserFormErrors } from './userForm.ts';
import { usersApi, type UserRecord } from '../../api/index.ts';
import { AccessGate, LoadError } from '../../ui/AccessGate.tsx';
import { ConfirmDialog, Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { DistrictName } from '../../ui/DistrictName.tsx';
import { HistoryList } from '../../ui/HistoryList.tsx';
import { RoleDistrictFields } from './UserFormFields.tsx';
import { UserStatus } from '../../ui/UserStatus.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useProblemText } from '../../ui/useProblemText.ts';
import { formatDate } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { setSessionUser, useSessionStore } from '../../stores/session.ts';
import './admin.css';

export default function UserPage() {
  return (
    <AccessGate permission="users.manage">
      <UserAdmin />
    </AccessGate>
  );
}

type Pending = 'disable' | 'enable' | 'revoke' | null;

function UserAdmin() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const params = useParams<{ id: string }>();
  const userId = /^\d{1,9}$/.test(params.id ?? '') ? Number(params.id) : null;
  const me = useSessionStore((s) => s.user);
  const districts = useDistrictNames();
  const [version, setVersion] = useState(0);
  const { data: user, error, loading, reload } = useApi(userId === null ? null : `user:${userId}:${version}`, (signal) => usersApi.get(userId!, signal));
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resetting, setResetting] = useState(false);
  const [resetDone, setResetDone] = useState<{ password: string; mustChange: boolean } | null>(null);
  const refresh = () => setVersion((n) => n + 1);

  if (userId === null) return <div className="page-message"><h1>{t('notFound.title')}</h1></div>;

  const run = async () => {
    if (!user || !pending) return;
    setBusy(true);
    setActionError(null);
    try {
      if (pending === 'revoke') {
        const r = await usersApi.revokeSessions(user.id);
        setNotice(t('users.revoked', { n: r.revokedSessions }));
      } else {
        await (pending === 'disable' ? usersApi.disable(user.id) : usersApi.enable(user.id));
        setNotice(t(pending === 'disable' ? 'users.disabledNote' : 'users.enabledNote', { username: user.username }));
      }
      setPending(null);
      refresh();
    } catch (e) {
      setActionError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const isMe = user?.id === me?.id;
  return (
    <div className="page" data-testid="user-page">
      <div className="page-inner">
        <nav className="breadcrumb" aria-label={t('admin.breadcrumb')}>
          <Link href="/admin/users">{t('users.title')}</Link>
          <span aria-hidden="true"> / </span>
          <span aria-current="page">{user?.username ?? '…'}</span>
        </nav>
        {error && <LoadError error={error} onRetry={reload} />}
        {loading && !user && (
          <p className="muted" role="status">
            <span className="spinner spinner--inline" aria-hidden="true" /> {t('app.loading')}
          </p>
        )}
        {user && (
          <>
            <header className="page-header">
              <div>
                <p className="eyebrow">{roleLabel(user.role, locale)}</p>
                <h1 data-testid="user-title">
                  {user.displayName} <span className="muted h-sub">{user.username}</span>
                </h1>
                <UserStatus user={user} />
              </div>
              <div className="page-header-actions">
                {!isMe && (
                  <button
                    type="button"
                    className={`button ${user.disabled ? '' : 'button--danger-outline'}`}
                    onClick={() => setPending(user.disabled ? 'enable' : 'disable')}
                    data-testid="user-toggle"
                  >
                    {user.disabled ? t('users.enable') : t('users.disable')}
                  </button>
                )}
                <button type="button" className="button button--secondary" onClick={() => setResetting(true)} data-testid="reset-password">
                  {t('users.resetPassword')}
                </button>
                <button type="button" className="button button--secondary" onClick={() => setPending('revoke')}>
                  {t('users.revokeSessions')}
                </button>
              </div>
            </header>

            {notice && (
              <div className="alert alert--ok" role="status">
                <p>{notice}</p>
              </div>
            )}
            {resetDone && (
              <div className="alert alert--ok" role="status" data-testid="reset-note">
                <p>
                  {t('users.resetNote', { username: user.username })} <code className="secret">{resetDone.password}</code>
                </p>
                <p className="muted">{resetDone.mustChange ? t('users.passwordOnceMustChange') : t('users.passwordOnce')}</p>
                <button type="button" className="button button--secondary button--small" onClick={() => setResetDone(null)}>
                  {t('users.dismiss')}
                </button>
              </div>
            )}

            <div className="two-col">
              <section className="card">
                <h2 className="card-title">{t('users.profile')}</h2>
                <EditUserForm
                  key={`${user.id}:${user.updatedAt}`}
                  user={user}
                  onSaved={(u) => {
                    setNotice(t('users.saved'));
                    if (me && u.id === me.id) setSessionUser({ ...me, displayName: u.displayName, role: u.role, districtCode: u.districtCode });
                    refresh();
                  }}
                />
                <dl className="facts facts--compact">
                  <div className="fact">
                    <dt>{t('users.district')}</dt>
                    <dd>
                      <DistrictName code={user.districtCode} districts={districts} />
                    </dd>
                  </div>
                  <div className="fact">
                    <dt>{t('users.createdAt')}</dt>
                    <dd>{formatDate(user.createdAt, locale, true)}</dd>
                  </div>
                  <div className="fact">
                    <dt>{t('users.lastSeen')}</dt>
                    <dd>{user.lastSeenAt ? formatDate(user.lastSeenAt, locale, true) : t('users.never')}</dd>
                  </div>
                  {user.disabledAt && (
                    <div className="fact">
                      <dt>{t('users.disabledAt')}</dt>
                      <dd>{formatDate(user.disabledAt, locale, true)}</dd>
                    </div>
                  )}
                </dl>
              </section>
              <section className="card">
                <HistoryList entity="user" entityId={user.id} title={t('users.history')} refreshKey={version} />
              </section>
            </div>
          </>
        )}
      </div>

      {user && pending && (
        <ConfirmDialog
          title={t(pending === 'revoke' ? 'users.revokeTitle' : pending === 'disable' ? 'users.disableTitle' : 'users.enableTitle')}
          message={<p>{t(pending === 'revoke' ? 'users.revokeConfirm' : pending === 'disable' ? 'users.disableConfirm' : 'users.enableConfirm', { name: user.displayName, username: user.username })}</p>}
          confirmLabel={t(pending === 'revoke' ? 'users.revokeSessions' : pending === 'disable' ? 'users.disable' : 'users.enable')}
          danger={pending !== 'enable'}
          busy={busy}
          error={actionError}
          onConfirm={() => void run()}
          onCancel={() => {
            setPending(null);
            setActionError(null);
          }}
        />
      )}
      {user && resetting && (
        <ResetPasswordDialog
          user={user}
          onClose={() => setResetting(false)}
          onDone={(r) => {
            setResetting(false);
            setResetDone(r);
            refresh();
          }}
        />
      )}
    </div>
  );
}

function EditUserForm({ user, onSaved }: { user: UserRecord; onSaved: (u: UserRecord) => void }) {
  const { t } = useT();
  const errorText = useErrorText();
  const problem = useProblemText();
  const districts = useDistrictNames();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [role, setRole] = useState<Role | ''>(user.role);
  const [districtCode, setDistrictCode] = useState(user.districtCode ?? '');
  const [errors, setErrors] = useState<UserFormErrors>({});
  const [serverError, setServerError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameId = useId();
  const nameErr = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (role === '') return setErrors({ role: 'required' });
    const checked = checkUserEdit(user, { displayName, role, districtCode });
    if (!checked.ok) return setErrors(checked.errors);
    setErrors({});
    if (!checked.patch) return;
    setBusy(true);
    setServerError(null);
    try {
      onSaved(await usersApi.update(user.id, checked.patch));
    } catch (err) {
      setServerError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="edit-user-form">
      <div className="field">
        <label htmlFor={nameId}>{t('users.displayName')}</label>
        <input
          id={nameId}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          maxLength={100}
          aria-invalid={errors.displayName ? true : undefined}
          aria-describedby={errors.displayName ? nameErr : undefined}
        />
        {errors.displayName && <p id={nameErr} className="field-error">{problem(errors.displayName)}</p>}
      </div>
      <RoleDistrictFields
        role={role}
        districtCode={districtCode}
        districts={districts}
        errors={errors}
        onChange={(v) => {
          setRole(v.role);
          setDistrictCode(v.districtCode);
        }}
      />
      {serverError && (
        <p className="form-error" role="alert">
          {serverError}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy}>
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {t('users.save')}
        </button>
      </div>
    </form>
  );
}

function ResetPasswordDialog({
  user,
  onClose,
  onDone,
}: {
  user: UserRecord;
  onClose: () => void;
  onDone: (r: { password: string; mustChange: boolean }) => void;
}) {
  const { t } = useT();
  const errorText = useErrorText();
  const problem = useProblemText();
  const [password, setPassword] = useState(() => generatePassword());
  const [mustChange, setMustChange] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();
  const hint = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = passwordProblem(password, user.username);
    if (p) return setError(problem(p));
    setBusy(true);
    try {
      await usersApi.resetPassword(user.id, password, mustChange);
      onDone({ password, mustChange });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('users.resetTitle', { username: user.username })} onClose={onClose} testId="reset-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="muted">{t('users.resetExplain')}</p>
        <div className="field">
          <label htmlFor={id}>{t('users.temporaryPassword')}</label>
          <div className="input-row">
            <input id={id} className="mono" autoComplete="off" spellCheck={false} value={password} onChange={(e) => {
                setPassword(e.target.value);
                setError(null);
              }}
              aria-describedby={hint}
            />
            <button type="button" className="button button--secondary" onClick={() => setPassword(generatePassword())}>
              {t('users.generate')}
            </button>
          </div>
          <p id={hint} className="field-hint">{t('password.rules')}</p>
        </div>
        <label className="check">
          <input type="checkbox" checked={mustChange} onChange={(e) => setMustChange(e.target.checked)} />
          {t('users.mustChange')}
        </label>
        <DialogFooter error={error} busy={busy} onCancel={onClose} submitLabel={t('users.resetSubmit')} danger />
      </form>
    </Dialog>
  );
}
