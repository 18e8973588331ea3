/**
 * `/signup` — create an investor account (e-mail + password, optional company and 统一社会信用代码),
 * then sign in with it and go on (to `next`, default "my interests"). The server answers the
 * same whether the address was free or taken (so the form cannot tell who has an account); when the sign-in that follows fails,
 * the page says so in the same neutral words, without saying which it was.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { isEmail } from '../../../shared/interest.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { safeNextPath } from './redirect.ts';
import { ApiError, investApi } from '../../api/index.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { signIn } from '../../stores/session.ts';
import './auth.css';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$/;

export default function SignupPage() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [, navigate] = useLocation();
  const next = safeNextPath(new URLSearchParams(useSearch()).get('next'), '/me/interests');
  const [v, setV] = useState({ email: '', password: '', company: '', uscc: '' });
  const [problems, setProblems] = useState<Partial<Record<keyof typeof v, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = useId();

  useEffect(() => {
    document.title = `${t('signup.title')} · ${t('app.title')}`;
  }, [t]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: typeof problems = {};
    const email = v.email.trim();
    if (!isEmail(email) || !USERNAME.test(email)) found.email = t('signup.emailInvalid');
    if ([...v.password].length < 10) found.password = t('signup.passwordShort');
    if (v.uscc.trim()) {
      const u = validateUscc(v.uscc);
      if (!u.ok) found.uscc = locale === 'en' ? u.messageEn : u.messageZh;
    }
    setProblems(found);
    setFailure(null);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`${base}-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await investApi.signup({ email, password: v.password, ...(v.company.trim() ? { company: v.company.trim() } : {}), ...(v.uscc.trim() ? { uscc: v.uscc.trim() } : {}) });
      try {
        await signIn(email, v.password);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          setFailure(t('signup.accepted'));
          return;
        }
        throw err;
      }
      navigate(next, { replace: true });
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const field = (k: keyof typeof v, label: string, type = 'text', autoComplete?: string) => (
    <div className="field">
      <label htmlFor={`${base}-${k}`}>{label}</label>
      <input
        id={`${base}-${k}`}
        type={type}
        autoComplete={autoComplete}
        value={v[k]}
        onChange={(e) => setV((x) => ({ ...x, [k]: e.target.value }))}
        aria-invalid={problems[k] ? true : undefined}
        aria-describedby={problems[k] ? `${base}-${k}-err` : undefined}
        data-testid={`signup-${k}`}
      />
      {problems[k] && (
        <p id={`${base}-${k}-err`} className="field-error">
          {problems[k]}
        </p>
      )}
    </div>
  );

  return (
    <div className="page page--narrow">
      <form className="card auth-card" onSubmit={submit} noValidate aria-labelledby={`${base}-title`}>
        <h1 id={`${base}-title`}>{t('signup.title')}</h1>
        <p className="muted">{t('signup.lead')}</p>
        {field('email', t('signup.email'), 'email', 'email')}
        {field('password', t('signup.password'), 'password', 'new-password')}
        {field('company', t('signup.company'), 'text', 'organization')}
        {field('uscc', t('signup.uscc'))}
        {failure && (
          <p className="form-error" role="alert" data-testid="signup-message">
            {failure}
          </p>
        )}
        <button type="submit" className="button" disabled={busy} data-testid="signup-submit">
          {t('signup.submit')}
        </button>
        <p className="small">
          {t('signup.haveAccount')} <Link href={`/login?next=${encodeURIComponent(next)}`}>{t('signup.signIn')}</Link>
        </p>
      </form>
    </div>
  );
}
