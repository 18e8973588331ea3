/**
 * `/login` — sign in. Wrong credentials, a lockout after repeated failures (429, with a live
 * countdown of the wait) and network trouble are each said plainly. While the published demo
 * accounts work here (`/api/meta` → `demoAccounts`), they are listed with their password; a click
 * fills the form. After signing in: the `next` page if one asked for the sign-in, else the role's own
 * workspace (landing.ts); the forced password change first when due.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useLocation, useSearch } from 'wouter';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo.ts';
import { roleLabel } from '../admin/labels.ts';
import { afterSignIn } from './landing.ts';
import { formatWait } from './serverMessage.ts';
import { ApiError } from '../../api/index.ts';
import { InputField, UsernameField } from '../../ui/Field.tsx';
import { useCountdown } from '../../ui/useCountdown.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { useDatasetStore } from '../../stores/dataset.ts';
import { signIn, useSessionStore } from '../../stores/session.ts';
import './auth.css';

type Problem = { kind: 'invalid' } | { kind: 'locked'; until: number } | { kind: 'other'; text: string };

export default function LoginPage() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [, navigate] = useLocation();
  const search = useSearch();
  const next = new URLSearchParams(search).get('next');
  const user = useSessionStore((s) => s.user);
  const demo = useDatasetStore((s) => s.meta?.demoAccounts === true);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const passwordRef = useRef<HTMLInputElement>(null);
  const wait = useCountdown(problem?.kind === 'locked' ? problem.until : null);
  const locked = problem?.kind === 'locked' && wait > 0;

  // Signed in (now, or already when the page opened): go on — unless a password change is due,
  // which the app shell shows in place of every page.
  useEffect(() => {
    if (user && !user.mustChangePassword) navigate(afterSignIn(next, user), { replace: true });
  }, [user, next, navigate]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setProblem({ kind: 'other', text: t('auth.error.required') });
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setProblem({ kind: 'invalid' });
        setPassword('');
        passwordRef.current?.focus();
      } else if (err instanceof ApiError && err.status === 429) {
        setProblem({ kind: 'locked', until: Date.now() + (err.retryAfterS ?? 30) * 1000 });
      } else {
        setProblem({ kind: 'other', text: errorText(err) });
      }
    } finally {
      setBusy(false);
    }
  };

  const message =
    problem?.kind === 'invalid'
      ? t('auth.error.invalid')
      : problem?.kind === 'locked'
        ? wait > 0
          ? t('auth.error.locked', { wait: formatWait(wait, locale) })
          : t('auth.error.lockOver')
        : problem?.kind === 'other'
          ? problem.text
          : null;

  return (
    <div className="auth-page">
      <div className="auth-card" data-testid="login-page">
        <h1>{t('auth.title')}</h1>
        <p className="muted auth-lead">{t('auth.lead')}</p>
        <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-describedby={message ? errorId : undefined}>
          <UsernameField
            label={t('auth.username')}
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            aria-invalid={problem?.kind === 'invalid' || undefined}
            required
            autoFocus
          />
          <InputField
            label={t('auth.password')}
            ref={passwordRef}
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            aria-invalid={problem?.kind === 'invalid' || undefined}
            required
          />
          {message && (
            <p id={errorId} className={`form-error${problem?.kind === 'locked' ? ' form-error--locked' : ''}`} role="alert" data-testid="login-error">
              {message}
            </p>
          )}
          <button type="submit" className="button button--block" disabled={busy || locked} data-testid="login-submit">
            {busy && <span className="spinner spinner--light" aria-hidden="true" />}
            {t('auth.submit')}
          </button>
        </form>

        {demo && (
          <section className="demo-accounts" aria-labelledby="demo-accounts-title" data-testid="demo-accounts">
            <h2 id="demo-accounts-title">{t('auth.demoTitle')}</h2>
            <p className="muted">
              {t('auth.demoPassword')} <code data-testid="demo-password">{DEMO_PASSWORD}</code>
            </p>
            <ul>
              {DEMO_ACCOUNTS.map((a) => (
                <li key={a.username}>
                  <button
                    type="button"
                    className="demo-account"
                    onClick={() => {
                      setUsername(a.username);
                      setPassword(DEMO_PASSWORD);
                      setProblem(null);
                    }}
                    title={t('auth.demoUse', { username: a.username })}
                  >
                    <code>{a.username}</code>
                    <span className="muted">
                      {roleLabel(a.role, locale)}
                      {a.district ? ` · ${locale === 'en' ? a.district.en : a.district.zh}` : ''}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        )}
      </div>
    </div>
  );
}
