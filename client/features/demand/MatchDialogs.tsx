/**
 * A demand's two one-step matches on a ranked plot, each one request (one transaction on the
 * server, which reuses holds and proposals): hold the plot for the demand's enterprise until a
 * date (`POST /api/demands/:id/hold`), or propose an allocation of it to the demand's project
 * (`POST /api/demands/:id/propose`; mode, term, price — the price starts at the floor in force,
 * previewed as the interest queue's propose dialog does). A refusal shows the rule's own words
 * (PLOT_UNAVAILABLE, BELOW_PRICE_FLOOR, QUOTA_EXCEEDED …) in the interface language.
 */
import { useId, useState, type FormEvent } from 'react';
import { SUPPLY_MODES, supplyModesFor } from '../../../shared/supply-modes.ts';
import { bureauToday } from '../../../shared/dates.ts';
import { demandsApi, type Demand, type DemandHoldResult, type DemandProposeResult, type SitingItem } from '../../api/index.ts';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { useT } from '../../i18n/useT.ts';
import { useAllocationErrorText } from '../bureau/parts.tsx';
import { ProposalTermsFields, useProposalTerms } from '../bureau/ProposalTerms.tsx';
import { addDays } from './demandForm.ts';

type Plot = Pick<SitingItem, 'plotId' | 'plotCode' | 'landUse'>;

export function DemandHoldDialog({ demand, plot, onDone, onClose }: { demand: Demand; plot: Plot; onDone: (r: DemandHoldResult) => void; onClose: () => void }) {
  const { t } = useT();
  const refusal = useAllocationErrorText();
  const today = bureauToday();
  const [until, setUntil] = useState(addDays(today, 30));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onDone(await demandsApi.hold(demand.id, { plotId: plot.plotId, until, ...(note.trim() ? { note: note.trim() } : {}) }));
    } catch (err) {
      setFailure(refusal(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('demand.hold.title', { plot: plot.plotCode })} onClose={onClose} testId="demand-hold-dialog">
      <form onSubmit={submit}>
        <p className="muted">{t('demand.hold.carried', { project: demand.projectName, company: demand.enterprise.name })}</p>
        <div className="field">
          <label htmlFor={`${base}-until`}>{t('demand.hold.until')}</label>
          <input id={`${base}-until`} type="date" required value={until} min={today} onChange={(e) => setUntil(e.target.value)} data-testid="demand-hold-until" />
        </div>
        <div className="field">
          <label htmlFor={`${base}-note`}>{t('demand.hold.note')}</label>
          <input id={`${base}-note`} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <DialogFooter error={failure} errorTestId="demand-hold-error" busy={busy} onCancel={onClose} submitLabel={t('demand.rank.hold')} submitTestId="demand-hold-submit" />
      </form>
    </Dialog>
  );
}

export function DemandProposeDialog({ demand, plot, onDone, onClose }: { demand: Demand; plot: Plot; onDone: (r: DemandProposeResult) => void; onClose: () => void }) {
  const { t } = useT();
  const refusal = useAllocationErrorText();
  const modes = SUPPLY_MODES.filter((m) => supplyModesFor(plot.landUse).includes(m));
  const first = demand.requirements.supplyMode && modes.includes(demand.requirements.supplyMode) ? demand.requirements.supplyMode : (modes[0] ?? 'transfer');
  const p = useProposalTerms(plot.plotId, demand.sector !== 'other', first);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onDone(
        await demandsApi.propose(demand.id, {
          plotId: plot.plotId,
          ...p.body(),
        }),
      );
    } catch (err) {
      setFailure(refusal(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('demand.propose.title', { plot: plot.plotCode })} onClose={onClose} wide testId="demand-propose-dialog">
      <form onSubmit={submit} className="form-grid">
        <p className="muted field--wide">{t('demand.propose.carried', { project: demand.projectName, company: demand.enterprise.name })}</p>
        <ProposalTermsFields p={p} modes={modes} base={base} testIds={{ mode: 'demand-propose-mode', price: 'demand-propose-price', floor: 'demand-propose-floor' }} />
        <div className="field--wide">
          <DialogFooter error={failure} errorTestId="demand-propose-error" busy={busy} onCancel={onClose} submitLabel={t('demand.rank.propose')} submitTestId="demand-propose-submit" />
        </div>
      </form>
    </Dialog>
  );
}
