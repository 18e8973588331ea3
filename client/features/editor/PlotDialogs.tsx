/**
 * Removing a plot from supply. Delete is for a plot that was never held, allocated, split or
 * merged (the server checks: 409 HAS_HISTORY otherwise); withdrawing keeps it, with a reason,
 * and is what an allocated or historic plot gets. A refused delete offers the withdrawal.
 */
import { useId, useState } from 'react';
import { ApiError, plotEditApi, type PlotHistory } from '../../api/index.ts';
import { ConfirmDialog, Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { useWrite } from '../../ui/useWrite.ts';

export function DeletePlotDialog({
  history,
  onDone,
  onWithdrawInstead,
  onCancel,
}: {
  history: PlotHistory;
  onDone: (message: string) => void;
  onWithdrawInstead: () => void;
  onCancel: () => void;
}) {
  const { t } = useT();
  const errorText = useErrorText();
  const { busy, error, run: write } = useWrite();
  const refusedForHistory = error instanceof ApiError && error.status === 409 && error.code === 'PLOT_UNAVAILABLE';
  const run = async () => {
    await write(async () => {
      await plotEditApi.remove(history.plotId, history.rowVersion);
      onDone(t('editor.deleted', { code: history.code }));
    });
  };
  if (refusedForHistory) {
    return (
      <Dialog title={t('editor.delete.title', { code: history.code })} onClose={onCancel} testId="delete-refused">
        <p className="form-error" role="alert">{errorText(error)}</p>
        <p>{t('editor.delete.withdrawInstead')}</p>
        <div className="dialog-actions">
          <button type="button" className="button button--secondary" onClick={onCancel}>{t('common.cancel')}</button>
          <button type="button" className="button" onClick={onWithdrawInstead}>{t('editor.action.withdraw')}</button>
        </div>
      </Dialog>
    );
  }
  return (
    <ConfirmDialog
      title={t('editor.delete.title', { code: history.code })}
      message={<p>{t('editor.delete.body', { code: history.code })}</p>}
      confirmLabel={t('editor.action.delete')}
      danger
      busy={busy}
      error={error ? errorText(error) : null}
      onConfirm={() => void run()}
      onCancel={onCancel}
    />
  );
}

export function WithdrawPlotDialog({ history, onDone, onCancel }: { history: PlotHistory; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useT();
  const errorText = useErrorText();
  const reasonId = useId();
  const [reason, setReason] = useState('');
  const { busy, error, run: write } = useWrite();
  const [tried, setTried] = useState(false);
  const run = async () => {
    setTried(true);
    if (!reason.trim()) return;
    await write(async () => {
      await plotEditApi.withdraw(history.plotId, { reason: reason.trim(), expectedRowVersion: history.rowVersion });
      onDone(t('editor.withdrawn', { code: history.code }));
    });
  };
  return (
    <Dialog title={t('editor.withdraw.title', { code: history.code })} onClose={onCancel} testId="withdraw-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <p>{t('editor.withdraw.body')}</p>
        <div className="field">
          <label htmlFor={reasonId}>
            {t('editor.withdraw.reason')}
            <span className="req" aria-hidden="true"> *</span>
          </label>
          <textarea
            id={reasonId}
            rows={3}
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            aria-required
            aria-invalid={tried && !reason.trim() ? true : undefined}
            data-testid="withdraw-reason"
          />
          {tried && !reason.trim() && <p className="field-error">{t('editor.problem.required')}</p>}
        </div>
        <DialogFooter
          error={error !== null ? errorText(error) : null}
          busy={busy}
          onCancel={onCancel}
          submitLabel={t('editor.action.withdraw')}
          danger
          submitTestId="withdraw-confirm"
        />
      </form>
    </Dialog>
  );
}
