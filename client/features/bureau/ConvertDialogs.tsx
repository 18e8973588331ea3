/**
 * The bureau's two conversions of an interest, each one request (one transaction on the server):
 * hold the plot for the company until a date, or propose an allocation to it — the company's
 * name and 统一社会信用代码 come from the interest, the price defaults to the floor in force.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { PROJECT_SECTORS, type ProjectSector } from '../../../shared/domain.ts';
import { SUPPLY_MODES, type SupplyMode } from '../../../shared/supply-modes.ts';
import { DEFAULT_PARAMETERS, floorChecksFor, termRule } from '../../../shared/policy/index.ts';
import { floorApi, investApi, type BureauInterest } from '../../api/index.ts';
import { formatYuan } from '../../ui/format.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { bureauYear, bureauToday } from '../../../shared/dates.ts';

/** The mode's terms and floors are shared/policy's (the parameters shipped; the server checks with those in force). */
const rule = (mode: SupplyMode) => termRule(mode, DEFAULT_PARAMETERS);

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
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [name, setName] = useState(`${interest.company} ${interest.plotCode}`);
  const [sector, setSector] = useState<ProjectSector>('ngit');
  const [mode, setMode] = useState<SupplyMode>('transfer');
  const [termYears, setTermYears] = useState(rule('transfer').term.default);
  const [price, setPrice] = useState('');
  const [floor, setFloor] = useState<number | null>(null);
  const [quotaYear, setQuotaYear] = useState(bureauYear());
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();
  const iab = sector !== 'other';
  // A rent's floor is a share of the statutory-term land price floor; a transfer's is for its own term.
  const rentBased = floorChecksFor(mode).checks.some((c) => c.floor === 'rent');
  const floorTerm = rentBased ? DEFAULT_PARAMETERS.statutoryMaxTermYears : termYears;
  const terms = rule(mode);

  // The floor for these terms, as the price to start from (the bureau sees the full figures).
  useEffect(() => {
    const ctrl = new AbortController();
    floorApi.forPlot(interest.plotId, { iab, termYears: floorTerm }, ctrl.signal).then(
      (q) => {
        setFloor(q.floorYuan);
        setPrice((p) => p || String(q.floorYuan));
      },
      () => setFloor(null),
    );
    return () => ctrl.abort();
  }, [interest.plotId, iab, floorTerm]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const r = await investApi.proposeFromInterest(interest.id, {
        quotaYear,
        mode,
        termYears,
        ...(terms.lease && terms.totalMax !== null
          ? { leaseYears: Math.max(terms.lease.min, Math.min(terms.lease.max, terms.totalMax - termYears)), annualRentYuan: Math.ceil(((floor ?? 0) * DEFAULT_PARAMETERS.rentFloorShareBp) / 100) / 100 }
          : {}),
        priceYuan: Number(price),
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
          >
            {SUPPLY_MODES.map((m) => (
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
          <input id={`${base}-price`} inputMode="decimal" required value={price} onChange={(e) => setPrice(e.target.value)} aria-describedby={`${base}-price-hint`} />
          <p id={`${base}-price-hint`} className="field-hint">
            {floor !== null ? t('queue.priceHint', { floor: formatYuan(floor, locale) }) : '\u00a0'}
          </p>
        </div>
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
