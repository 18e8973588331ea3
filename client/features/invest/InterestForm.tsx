/**
 * Register interest in a plot (POST /api/interests): company, 统一社会信用代码, contact, message.
 * Checked in the browser by the same rules the server applies (shared/interest.ts), every
 * problem shown at its field; a signed-in investor's company is filled in from their profile.
 * The `website` field is a honeypot: off screen, out of the tab order, labelled "leave empty".
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { validateInterest, INTEREST_LIMITS, type FieldProblem, type InterestField } from '../../../shared/interest.ts';
import { ApiError, investApi, type OwnInterest } from '../../api/index.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';

type Values = { company: string; uscc: string; contactName: string; contactEmail: string; contactPhone: string; message: string; website: string };
const EMPTY: Values = { company: '', uscc: '', contactName: '', contactEmail: '', contactPhone: '', message: '', website: '' };

/** `initialMessage`: a message to start from (the siting page describes the project's requirements). */
export function InterestForm({ plotId, plotCode, initialMessage = '' }: { plotId: number; plotCode: string; initialMessage?: string }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const user = useSessionStore((s) => s.user);
  const [values, setValues] = useState<Values>(() => ({ ...EMPTY, message: initialMessage.slice(0, INTEREST_LIMITS.message) }));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [done, setDone] = useState<OwnInterest | null>(null);
  const base = useId();

  // A signed-in investor: their registered company, once.
  useEffect(() => {
    if (user?.role !== 'investor') return;
    const ctrl = new AbortController();
    investApi.profile(ctrl.signal).then(
      (p) => setValues((v) => ({ ...v, company: v.company || p.company || '', uscc: v.uscc || p.uscc || '', contactEmail: v.contactEmail || (p.username.includes('@') ? p.username : '') })),
      () => undefined,
    );
    return () => ctrl.abort();
  }, [user]);

  const check = (v: Values) => {
    const r = validateInterest({ plotId, ...v });
    return r.ok ? [] : r.problems;
  };
  const set = (k: keyof Values) => (e: { target: { value: string } }) => {
    const next = { ...values, [k]: e.target.value };
    setValues(next);
    if (tried) setProblems(check(next));
  };
  const problemOf = (...fields: InterestField[]) => problems.find((p) => fields.includes(p.field));
  const say = (p: FieldProblem | undefined) => (p ? (locale === 'en' ? p.messageEn : p.messageZh) : null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    setFailure(null);
    const found = check(values);
    setProblems(found);
    if (found.length) {
      document.getElementById(`${base}-${found[0]!.field === 'contact' ? 'contactEmail' : found[0]!.field}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const { website, contactEmail, contactPhone, ...rest } = values;
      const created = await investApi.registerInterest({
        plotId,
        ...rest,
        ...(contactEmail.trim() ? { contactEmail: contactEmail.trim() } : {}),
        ...(contactPhone.trim() ? { contactPhone: contactPhone.trim() } : {}),
        ...(website ? { website } : {}),
      });
      setDone(created);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && Array.isArray(err.details.problems)) {
        setProblems(err.details.problems as FieldProblem[]);
        setFailure(t('interest.fix'));
      } else if (err instanceof ApiError && err.status === 429) {
        setFailure(t('interest.rateLimited', { minutes: Math.max(1, Math.ceil((err.retryAfterS ?? 3600) / 60)) }));
      } else {
        setFailure(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="note note--success" role="status" data-testid="interest-done">
        <p>{t('interest.done', { id: done.id })}</p>
        <p>
          {user?.role === 'investor' ? (
            <Link href="/me/interests">{t('interest.doneSignedIn')}</Link>
          ) : (
            <Link href="/signup">{t('interest.doneAnonymous')}</Link>
          )}
        </p>
      </div>
    );
  }

  const field = (k: Exclude<keyof Values, 'website' | 'message'>, label: string, opts: { hint?: string; type?: string; autoComplete?: string; problem?: FieldProblem; required?: boolean } = {}) => {
    const id = `${base}-${k}`;
    const p = opts.problem ?? problemOf(k);
    const described = [opts.hint ? `${id}-hint` : null, p ? `${id}-err` : null].filter(Boolean).join(' ') || undefined;
    return (
      <div className="field">
        <label htmlFor={id}>
          {label}
          {opts.required && <span className="req" aria-hidden="true"> *</span>}
        </label>
        <input id={id} name={k} type={opts.type ?? 'text'} autoComplete={opts.autoComplete} value={values[k]} onChange={set(k)} aria-invalid={p ? true : undefined} aria-describedby={described} aria-required={opts.required} data-testid={`interest-${k}`} />
        {opts.hint && (
          <p id={`${id}-hint`} className="field-hint">
            {opts.hint}
          </p>
        )}
        {p && (
          <p id={`${id}-err`} className="field-error">
            {say(p)}
          </p>
        )}
      </div>
    );
  };

  const contactProblem = problemOf('contact');
  return (
    <form className="interest-form" onSubmit={submit} noValidate aria-label={`${t('interest.title')} ${plotCode}`} data-testid="interest-form">
      <div className="form-grid">
        {field('company', t('interest.company'), { autoComplete: 'organization', required: true })}
        {field('uscc', t('interest.uscc'), { hint: t('interest.usccHint'), required: true })}
        {field('contactName', t('interest.contactName'), { autoComplete: 'name', required: true })}
        {field('contactEmail', t('interest.email'), { type: 'email', autoComplete: 'email', problem: problemOf('contactEmail') ?? contactProblem })}
        {field('contactPhone', t('interest.phone'), { type: 'tel', autoComplete: 'tel', hint: t('interest.contactHint'), problem: problemOf('contactPhone') ?? contactProblem })}
      </div>
      <div className="field">
        <label htmlFor={`${base}-message`}>{t('interest.message')}</label>
        <textarea id={`${base}-message`} rows={4} value={values.message} onChange={set('message')} maxLength={INTEREST_LIMITS.message} aria-describedby={`${base}-message-count`} aria-invalid={problemOf('message') ? true : undefined} data-testid="interest-message" />
        <p id={`${base}-message-count`} className="field-hint">
          {t('interest.messageCount', { n: [...values.message].length })}
        </p>
        {problemOf('message') && <p className="field-error">{say(problemOf('message'))}</p>}
      </div>
      <div className="hp">
        <label htmlFor={`${base}-website`}>{t('interest.website')}</label>
        <input id={`${base}-website`} name="website" tabIndex={-1} autoComplete="off" value={values.website} onChange={set('website')} />
      </div>
      {failure && (
        <p className="form-error" role="alert">
          {failure}
        </p>
      )}
      <p className="muted small">{t('interest.privacy')}</p>
      <button type="submit" className="button" disabled={busy} data-testid="interest-submit">
        {busy ? t('interest.submitting') : t('interest.submit')}
      </button>
    </form>
  );
}
