import { useRef, useState, type FormEvent } from 'react';
import { bureauToday } from '../../../shared/dates.ts';
import { DECISION_KINDS } from '../../../shared/contract/supervision.ts';
import { supervisionApi, type DecisionKind, type IdleItem } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { InputField, SelectField } from '../../ui/Field.tsx';
import { formatDate } from '../../ui/format.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useWrite } from '../../ui/useWrite.ts';
import { feeText, newKey } from './parts.tsx';
import { bumpData } from './store.ts';

/** The item's decisions (闲置费, 无偿收回, 不予处置 with their 决定文号) and, for the bureau, the form to record one. */
export function DecisionSection({ item, canDecide }: { item: IdleItem; canDecide: boolean }) {
  const { t, locale } = useT();
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <section className="sv-section" data-testid="decisions">
      <h3>{t('sv.decisions.title')}</h3>
      {item.decisions.length === 0 ? (
        <p className="muted">{t('sv.decisions.empty')}</p>
      ) : (
        <ul className="sv-plain-list">
          {item.decisions.map((d) => (
            <li key={d.id} data-testid="decision-item">
              {t('sv.decisions.item', { kind: t(`sv.decisions.kind.${d.kind}`), documentNo: d.documentNo, date: formatDate(d.decidedOn, locale) })}
              {d.feeYuan !== null && <strong> · {feeText(d.feeYuan, locale)}</strong>}
              {d.note && <span className="muted"> · {d.note}</span>}
            </li>
          ))}
        </ul>
      )}
      {done && <p className="alert alert--ok" role="status">{t('sv.decisions.done')}</p>}
      {canDecide && !open && (
        <button type="button" className="button button--secondary button--small" onClick={() => { setOpen(true); setDone(false); }} data-testid="decision-add">
          {t('sv.decisions.add')}
        </button>
      )}
      {canDecide && open && <DecisionForm item={item} onDone={() => { setOpen(false); setDone(true); }} onCancel={() => setOpen(false)} />}
    </section>
  );
}

function DecisionForm({ item, onDone, onCancel }: { item: IdleItem; onDone: () => void; onCancel: () => void }) {
  const { t } = useT();
  const errorText = useErrorText();
  const key = useRef(newKey());
  const write = useWrite();
  const defaultKind: DecisionKind | '' = item.stage === 'idle_fee' ? 'idle_fee' : item.stage === 'reclaim' ? 'reclaim' : '';
  const [kind, setKind] = useState<DecisionKind | ''>(defaultKind);
  const [documentNo, setDocumentNo] = useState('');
  const [decidedOn, setDecidedOn] = useState(bureauToday());
  const [fee, setFee] = useState(item.feeYuan !== null ? item.feeYuan.toFixed(2) : '');
  const [note, setNote] = useState('');
  const [tried, setTried] = useState(false);
  const today = bureauToday();
  const missing = { kind: kind === '', documentNo: documentNo.trim() === '', decidedOn: decidedOn === '' };
  const future = decidedOn > today;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (missing.kind || missing.documentNo || missing.decidedOn || future || kind === '') return;
    const feeYuan = kind === 'idle_fee' && fee.trim() !== '' ? Number(fee.replace(/,/g, '')) : undefined;
    void write.run(async () => {
      await supervisionApi.decide(
        { allocationId: item.allocationId, kind, documentNo: documentNo.trim(), decidedOn, ...(feeYuan !== undefined ? { feeYuan } : {}), ...(note.trim() ? { note: note.trim() } : {}) },
        key.current,
      );
      bumpData();
      onDone();
    });
  };

  return (
    <form className="sv-form" onSubmit={submit} noValidate data-testid="decision-form" aria-label={t('sv.decisions.formTitle')}>
      <h4>{t('sv.decisions.formTitle')}</h4>
      <SelectField
        label={t('sv.decisions.kind')}
        placeholder={t('sv.decisions.kindPlaceholder')}
        options={DECISION_KINDS.map((k) => ({ value: k, label: t(`sv.decisions.kind.${k}`) }))}
        value={kind}
        onChange={(e) => setKind(e.target.value as DecisionKind | '')}
        error={tried && missing.kind ? t('sv.required') : undefined}
        data-testid="decision-kind"
      />
      <InputField
        label={t('sv.decisions.documentNo')}
        hint={t('sv.decisions.documentNoHint')}
        value={documentNo}
        maxLength={80}
        onChange={(e) => setDocumentNo(e.target.value)}
        error={tried && missing.documentNo ? t('sv.required') : undefined}
        data-testid="decision-documentNo"
      />
      <InputField
        label={t('sv.decisions.decidedOn')}
        type="date"
        max={today}
        value={decidedOn}
        onChange={(e) => setDecidedOn(e.target.value)}
        error={tried && missing.decidedOn ? t('sv.required') : tried && future ? t('sv.future') : undefined}
        data-testid="decision-decidedOn"
      />
      {kind === 'idle_fee' && (
        <InputField label={t('sv.decisions.fee')} hint={t('sv.decisions.feeHint')} inputMode="decimal" value={fee} onChange={(e) => setFee(e.target.value)} data-testid="decision-fee" />
      )}
      <InputField label={t('sv.decisions.note')} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} data-testid="decision-note" />
      {write.error !== null && <p className="alert alert--error" role="alert" data-testid="decision-error">{errorText(write.error)}</p>}
      <div className="form-actions">
        <button type="submit" className="button" disabled={write.busy} data-testid="decision-submit">{t('sv.decisions.submit')}</button>
        <button type="button" className="button button--secondary" onClick={onCancel}>{t('common.cancel')}</button>
      </div>
    </form>
  );
}
