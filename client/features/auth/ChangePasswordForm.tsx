import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../../api/index.ts';
import { passwordProblem } from '../admin/userForm.ts';
import { formatWait } from './serverMessage.ts';
import { InputField } from '../../ui/Field.tsx';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { changePassword, useSessionStore } from '../../stores/session.ts';

/**
 * Current password, new password twice. The policy (≥ 10 characters, not the username, not
 * repetitive) is checked here for early feedback and again by the server.
 */
export function ChangePasswordForm({ onDone }: { onDone: () => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const username = useSessionStore((s) => s.user?.username);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const p = passwordProblem(next, username);
    if (!current) return setProblem(t('account.currentRequired'));
    if (p) return setProblem(t(`password.${p}`));
    if (next === current) return setProblem(t('account.mustDiffer'));
    if (next !== repeat) return setProblem(t('account.mismatch'));
    setBusy(true);
    setProblem(null);
    try {
      await changePassword(current, next);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 429) {
        setProblem(t('auth.error.locked', { wait: formatWait(err.retryAfterS ?? 30, locale) }));
      } else {
        setProblem(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="change-password-form">
      <InputField label={t('account.currentPassword')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      <InputField
        label={t('account.newPassword')}
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={(e) => setNext(e.target.value)}
        hint={t('password.rules')}
        required
        minLength={10}
      />
      <InputField label={t('account.repeatPassword')} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
      {problem && (
        <p id={errorId} className="form-error" role="alert" data-testid="form-error">
          {problem}
        </p>
      )}
      <button type="submit" className="button button--block" disabled={busy}>
        {busy && <span className="spinner spinner--light" aria-hidden="true" />}
        {t('account.save')}
      </button>
    </form>
  );
}
