/**
 * A demand's two one-step matches on a ranked plot, each one request (one transaction on the
 * server, which reuses holds and proposals): hold the plot for the demand's enterprise until a
 * date (`POST /api/demands/:id/hold`), or propose an allocation of it to the demand's project
 * (`POST /api/demands/:id/propose`; mode, term, price — the price starts at the floor in force,
 * previewed as the interest queue's propose dialog does). A refusal shows the rule's own words
 * (PLOT_UNAVAILABLE, BELOW_PRICE_FLOOR, QUOTA_EXCEEDED …) in the interface language.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { SUPPLY_MODES, supplyModesFor, type SupplyMode } from '../../../shared/supply-modes.ts';
import { DEFAULT_PARAMETERS, floorChecksFor, termRule } from '../../../shared/policy/index.ts';
import { bureauToday, bureauYear } from '../../../shared/dates.ts';
import { demandsApi, floorApi, type Demand, type DemandHoldResult, type DemandProposeResult, type SitingItem } from '../../api/index.ts';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { formatYuan } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import { useAllocationErrorText } from '../bureau/parts.tsx';
import { addDays } from './demandForm.ts';

const rule = (mode: SupplyMode) => termRule(mode, DEFAULT_PARAMETERS);

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
  const { t, locale } = useT();
  const refusal = useAllocationErrorText();
  const modes = SUPPLY_MODES.filter((m) => supplyModesFor(plot.landUse).includes(m));
  const first = demand.requirements.supplyMode && modes.includes(demand.requirements.supplyMode) ? demand.requirements.supplyMode : (modes[0] ?? 'transfer');
  const [mode, setMode] = useState<SupplyMode>(first);
  const [termYears, setTermYears] = useState(rule(first).term.default);
  const [price, setPrice] = useState('');
  const [floor, setFloor] = useState<number | null>(null);
  const [quotaYear, setQuotaYear] = useState(bureauYear());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();
  const iab = demand.sector !== 'other';
  // A rent's floor is a share of the statutory-term land price floor; a transfer's is for its own term.
  const rentBased = floorChecksFor(mode).checks.some((c) => c.floor === 'rent');
  const floorTerm = rentBased ? DEFAULT_PARAMETERS.statutoryMaxTermYears : termYears;
  const terms = rule(mode);

  // The floor for these terms (the bureau sees the full floor), as the price to start from.
  useEffect(() => {
    const ctrl = new AbortController();
    floorApi.forPlot(plot.plotId, { iab, termYears: floorTerm }, ctrl.signal).then(
      (q) => {
        setFloor(q.floorYuan);
        setPrice((p) => p || String(q.floorYuan));
      },
      () => setFloor(null),
    );
    return () => ctrl.abort();
  }, [plot.plotId, iab, floorTerm]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onDone(
        await demandsApi.propose(demand.id, {
          plotId: plot.plotId,
          quotaYear,
          mode,
          termYears,
          ...(terms.lease && terms.totalMax !== null
            ? { leaseYears: Math.max(terms.lease.min, Math.min(terms.lease.max, terms.totalMax - termYears)), annualRentYuan: Math.ceil(((floor ?? 0) * DEFAULT_PARAMETERS.rentFloorShareBp) / 100) / 100 }
            : {}),
          priceYuan: Number(price),
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
        <div className="field">
          <label htmlFor={`${base}-mode`}>{t('queue.mode')}</label>
          <select
            id={`${base}-mode`}
            value={mode}
            onChange={(e) => {
              const m = e.target.value as SupplyMode;
              setMode(m);
              setTermYears(rule(m).term.default);
              setPrice('');
            }}
            data-testid="demand-propose-mode"
          >
            {modes.map((m) => (
              <option key={m} value={m}>
                {t(`supplyMode.${m}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${base}-term`}>{t('queue.termYears')}</label>
          <input id={`${base}-term`} type="number" min={terms.term.min} max={terms.term.max} value={termYears} disabled={terms.termFixed} onChange={(e) => { setTermYears(Number(e.target.value)); setPrice(''); }} />
        </div>
        <div className="field">
          <label htmlFor={`${base}-year`}>{t('queue.quotaYear')}</label>
          <input id={`${base}-year`} type="number" min={2000} max={2100} value={quotaYear} onChange={(e) => setQuotaYear(Number(e.target.value))} />
        </div>
        <div className="field field--wide">
          <label htmlFor={`${base}-price`}>{t('queue.price')}</label>
          <input id={`${base}-price`} inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} aria-describedby={`${base}-price-hint`} data-testid="demand-propose-price" />
          <p id={`${base}-price-hint`} className="field-hint" data-testid="demand-propose-floor">
            {floor !== null ? t('queue.priceHint', { floor: formatYuan(floor, locale) }) : '\u00a0'}
          </p>
        </div>
        <div className="field--wide">
          <DialogFooter error={failure} errorTestId="demand-propose-error" busy={busy} onCancel={onClose} submitLabel={t('demand.rank.propose')} submitTestId="demand-propose-submit" />
        </div>
      </form>
    </Dialog>
  );
}
