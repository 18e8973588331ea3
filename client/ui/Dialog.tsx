import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from '../i18n/useT.ts';

/**
 * A modal dialog on the native `<dialog>` element: focus moves in and is kept there, Escape
 * closes, focus returns to where it was. Open while mounted; the parent unmounts it to close.
 */
export function Dialog({
  title,
  onClose,
  children,
  wide = false,
  testId,
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
  testId?: string;
}) {
  const { t } = useT();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    // Escape fires `cancel`: let the parent decide (it unmounts us).
    const onCancel = (e: Event) => {
      e.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);

  return (
    <dialog ref={ref} className={`dialog${wide ? ' dialog--wide' : ''}`} aria-labelledby={titleId} data-testid={testId}>
      <div className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="icon-button dialog-close" aria-label={t('common.close')} title={t('common.close')} onClick={onClose}>
          <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M5 5l10 10M15 5 5 15" /></svg>
        </button>
      </div>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

/** "Are you sure?" with the action named on the button; `busy` while the request runs. */
export function ConfirmDialog({
  title,
  message,
  confirmLabel,
  danger = false,
  busy = false,
  error,
  onConfirm,
  onCancel,
}: {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog title={title} onClose={onCancel} testId="confirm-dialog">
      <div className="dialog-message">{message}</div>
      <DialogFooter error={error} busy={busy} onCancel={onCancel} submitLabel={confirmLabel} danger={danger} onSubmit={onConfirm} submitTestId="confirm-button" />
    </Dialog>
  );
}

/**
 * The foot of a dialog: the server's error (if any), Cancel, and the action button with a
 * spinner while `busy`. The action submits the dialog's form, or calls `onSubmit` when given.
 * Both buttons are disabled while busy; `submitDisabled` can disable the action for more reasons.
 */
export function DialogFooter({
  error,
  errorTestId,
  busy,
  onCancel,
  cancelLabel,
  submitLabel,
  submitDisabled = busy,
  submitTestId,
  danger = false,
  onSubmit,
}: {
  error?: string | null;
  errorTestId?: string;
  busy: boolean;
  onCancel: () => void;
  cancelLabel?: string;
  submitLabel: ReactNode;
  submitDisabled?: boolean;
  submitTestId?: string;
  danger?: boolean;
  onSubmit?: () => void;
}) {
  const { t } = useT();
  return (
    <>
      {error && (
        <p className="form-error" role="alert" data-testid={errorTestId}>
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
          {cancelLabel ?? t('common.cancel')}
        </button>
        <button
          type={onSubmit ? 'button' : 'submit'}
          className={`button${danger ? ' button--danger' : ''}`}
          onClick={onSubmit}
          disabled={submitDisabled}
          data-testid={submitTestId}
        >
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {submitLabel}
        </button>
      </div>
    </>
  );
}
