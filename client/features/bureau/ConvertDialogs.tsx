/**
 * The bureau's two conversions of an interest, each one request (one transaction on the server):
 * hold the plot for the company until a date, or propose an allocation to it — the company's
 * name and 统一社会信用代码 come from the interest, the price defaults to the floor in force.
 */
import { useId, useState, type FormEvent } from 'react';
import { PROJECT_SECTORS, type ProjectSector } from '../../../shared/domain.ts';
import { SUPPLY_MODES } from '../../../shared/supply-modes.ts';
import { investApi, type BureauInterest } from '../../api/index.ts';
import { ProposalTermsFields, useProposalTerms } from './ProposalTerms.tsx';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { bureauToday } from '../../../shared/dates.ts';

/** The bureau's today (Asia/Shanghai) plus n days. */
function inDays(n: number): string {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function HoldDialog({ interest, onDone, onClose }: { interest: BureauInterest; onDone: (message: string) => void; onClose: () => void }) {
  const { t } = useT();
  const errorText = useErrorText();
  const [until, setUntil] = useState(inDays(30));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const r = await investApi.holdFromInterest(interest.id, { until, ...(note.trim() ? { note: note.trim() } : {}) });
      onDone(t('queue.holdDone', { company: interest.company, until: r.hold.until }));
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`${t('queue.toHold')} · ${interest.plotCode}`} onClose={onClose} testId="hold-dialog">
      <form onSubmit={submit}>
        <p className="muted">{t('queue.carried', { company: interest.company, uscc: interest.uscc })}</p>
        <div className="field">
          <label htmlFor={`${base}-until`}>{t('queue.holdUntil')}</label>
          <input id={`${base}-until`} type="date" required value={until} min={inDays(0)} onChange={(e) => setUntil(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-note`}>{t('queue.holdNote')}</label>
          <input id={`${base}-note`} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <DialogFooter error={failure} busy={busy} onCancel={onClose} submitLabel={t('queue.toHold')} submitTestId="hold-submit" />
      </form>
    </Dialog>
  );
}

export function ProposeDialog({ interest, onDone, onClose }: { interest: BureauInterest; onDone: (message: string) => void; onClose: () => void }) {
  const { t } = useT();
  const errorText = useErrorText();
  const [name, setName] = useState(`${interest.company} ${interest.plotCode}`);
  const [sector, setSector] = useState<ProjectSector>('ngit');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();
  const iab = sector !== 'other';
  const p = useProposalTerms(interest.plotId, iab, 'transfer');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const r = await investApi.proposeFromInterest(interest.id, {
        ...p.body(),
        project: { name: name.trim(), sector, iab },
      });
      onDone(t('queue.proposeDone', { id: r.allocation.id }));
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`${t('queue.toProposal')} · ${interest.plotCode}`} onClose={onClose} wide testId="propose-dialog">
      <form onSubmit={submit} className="form-grid">
        <p className="muted field--wide">{t('queue.carried', { company: interest.company, uscc: interest.uscc })}</p>
        <div className="field field--wide">
          <label htmlFor={`${base}-name`}>{t('queue.projectName')}</label>
          <input id={`${base}-name`} required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-sector`}>{t('queue.projectSector')}</label>
          <select id={`${base}-sector`} value={sector} onChange={(e) => setSector(e.target.value as ProjectSector)}>
            {PROJECT_SECTORS.map((s) => (
              <option key={s} value={s}>
                {s === 'other' ? t('queue.sectorOther') : t(`sector.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <ProposalTermsFields p={p} modes={SUPPLY_MODES} base={base} />
        {failure && (
          <p className="form-error field--wide" role="alert">
            {failure}
          </p>
        )}
        <div className="dialog-actions field--wide">
          <button type="button" className="button button--secondary" onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button" disabled={busy} data-testid="propose-submit">
            {t('queue.toProposal')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
