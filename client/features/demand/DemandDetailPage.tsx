/**
 * `/bureau/demand/:id` — one project land demand: its status, enterprise, the date needed and
 * days waiting, its requirements in words, what it is matched to (the plot, the hold, the
 * proposal); for the land bureau the ranking of the available plots with a one-step hold or
 * proposal per plot, and closing (with a reason) or reopening. A district officer reads it only.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'wouter';
import { ApiError, demandsApi, type Demand } from '../../api/index.ts';
import { AccessGate, LoadError, NoAccess, PageLoading } from '../../ui/AccessGate.tsx';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { formatDate } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useDistrictNames, type DistrictNames } from '../../ui/useDistrictNames.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageKey } from '../../i18n/index.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { DemandStatusTag, districtNameOf, KeyTag, SampleTag } from './parts.tsx';
import { RankedPlots } from './RankedPlots.tsx';
import { requirementsInWords } from './requirementsText.ts';
import './demand.css';

export default function DemandDetailPage() {
  return (
    <AccessGate permission="demands.read">
      <DemandDetail />
    </AccessGate>
  );
}

function DemandDetail() {
  const { t } = useT();
  const params = useParams<{ id: string }>();
  const id = /^[1-9]\d{0,9}$/.test(params.id ?? '') ? Number(params.id) : null;
  const [version, setVersion] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const demand = useApi(id === null ? null : `demand:${id}:${version}`, (signal) => demandsApi.get(id!, signal));
  const [kept, setKept] = useState<Demand | null>(null);
  const districts = useDistrictNames();
  const manage = useCan('demands.manage');

  useEffect(() => {
    if (demand.data) setKept(demand.data);
    if (demand.data?.sample) markSampleSeen();
  }, [demand.data]);
  const d = demand.data ?? (demand.error ? null : kept);
  useEffect(() => {
    if (d) document.title = `${d.projectName} · ${t('demand.title')} · ${t('app.title')}`;
  }, [d, t]);

  const changed = (message: string) => {
    setFlash(message);
    setVersion((v) => v + 1);
  };

  if (id === null || (demand.error instanceof ApiError && (demand.error.status === 404 || demand.error.status === 403))) {
    return (
      <NoAccess message={t('demand.detail.notFound')}>
        <Link href="/bureau/demand" className="button button--secondary">{t('demand.detail.back')}</Link>
      </NoAccess>
    );
  }
  if (demand.error) return <div className="page"><div className="page-inner"><LoadError error={demand.error} onRetry={demand.reload} /></div></div>;
  if (!d) return <PageLoading />;
  return (
    <div className="page" data-testid="demand-detail">
      <div className="page-inner dm-inner">
        <p className="breadcrumb">
          <Link href="/bureau/demand">← {t('demand.detail.back')}</Link>
        </p>
        {flash && <p className="note note--success" role="status" data-testid="demand-flash">{flash}</p>}
        <DemandHead d={d} districts={districts} onChanged={changed} />
        {manage && d.status !== 'closed' && d.status !== 'satisfied' && <RankedPlots demand={d} districts={districts} onMatched={changed} />}
      </div>
    </div>
  );
}

function DemandHead({ d, districts, onChanged }: { d: Demand; districts: DistrictNames | null; onChanged: (message: string) => void }) {
  const { t, locale } = useT();
  const manage = useCan('demands.manage');
  const errorText = useErrorText();
  const [closing, setClosing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const words = requirementsInWords(d.requirements, t, locale, districtNameOf(districts, locale));

  const reopen = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await demandsApi.patch(d.id, { status: 'open' });
      onChanged(t('demand.detail.reopened'));
    } catch (e) {
      setFailure(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <header className="page-header">
        <div>
          <p className="eyebrow">{t('demand.title')} #{d.id}</p>
          <h1 data-testid="demand-title">{d.projectName}</h1>
          <p className="dm-tags">
            <DemandStatusTag status={d.status} />
            {d.keyProject && <KeyTag />}
            {d.sample && <SampleTag />}
            {d.overdue && <span className="tag tag--warn" data-testid="demand-overdue">{t('demand.overdue')}</span>}
          </p>
        </div>
        {manage && (
          <div className="page-header-actions">
            {d.status === 'closed' ? (
              <button type="button" className="button button--secondary" onClick={() => void reopen()} disabled={busy} data-testid="demand-reopen">
                {t('demand.detail.reopen')}
              </button>
            ) : (
              d.status === 'open' && (
                <button type="button" className="button button--secondary" onClick={() => setClosing(true)} data-testid="demand-close">
                  {t('demand.detail.close')}
                </button>
              )
            )}
          </div>
        )}
      </header>
      {!manage && <p className="muted" data-testid="demand-read-only">{t('demand.detail.readOnly')}</p>}
      {failure && <p className="form-error" role="alert">{failure}</p>}
      {d.status === 'closed' && d.closeReason && <p className="note note--info" data-testid="demand-close-reason">{t('demand.detail.closedBecause', { reason: d.closeReason })}</p>}
      <div className="dm-detail-grid">
        <section className="card dm-card" aria-label={t('demand.detail.enterprise')}>
          <dl className="figure-grid dm-facts">
            <div>
              <dt>{t('demand.detail.enterprise')}</dt>
              <dd>
                {d.enterprise.name}
                <br />
                <span className="mono small">{d.enterprise.uscc ?? <span className="muted">{t('demand.detail.noUscc')}</span>}</span>
                {manage && !d.enterprise.uscc && d.status === 'open' && <AddUscc d={d} onDone={() => onChanged(t('demand.detail.usccSaved'))} />}
              </dd>
            </div>
            <div>
              <dt>{t('demand.detail.neededBy')}</dt>
              <dd>
                {formatDate(d.neededBy, locale)}
                <br />
                <span className="muted small" data-testid="demand-waiting">{t('demand.detail.waiting', { n: d.waitingDays })}</span>
              </dd>
            </div>
            <div>
              <dt>{t('demand.detail.source')}</dt>
              <dd>
                {d.source === 'interest' && d.interestId !== null ? (
                  <Link href="/bureau/interests">{t('demand.detail.sourceInterest', { id: d.interestId })}</Link>
                ) : (
                  t('demand.detail.sourceDirect')
                )}
                <br />
                <span className="muted small">{t('demand.detail.createdBy', { user: d.createdBy ?? '—', date: formatDate(d.createdAt, locale, true) })}</span>
              </dd>
            </div>
            <div>
              <dt>{t('demand.detail.match')}</dt>
              <dd data-testid="demand-match">
                {d.plotCode ? (
                  <>
                    {t('demand.detail.matchedPlot')}{' '}
                    <Link href={`/plots/${encodeURIComponent(d.plotCode)}`} className="mono" data-testid="demand-matched-plot">
                      {d.plotCode}
                    </Link>
                    {d.holdId !== null && <><br /><span className="small">{t('demand.detail.hold', { id: d.holdId })}</span></>}
                    {d.allocationId !== null && (
                      <>
                        <br />
                        <Link href={`/bureau?plot=${d.plotId ?? ''}&allocation=${d.allocationId}`} className="small">
                          {t('demand.detail.allocation', { id: d.allocationId })}
                        </Link>
                        {d.allocationStatus && <span className="muted small"> · {t(`allocations.status.${d.allocationStatus}` as MessageKey)}</span>}
                      </>
                    )}
                  </>
                ) : (
                  <span className="muted">{t('demand.detail.noMatch')}</span>
                )}
              </dd>
            </div>
          </dl>
        </section>
        <section className="card dm-card" aria-labelledby="dm-req-head">
          <h2 id="dm-req-head" className="card-title">{t('demand.detail.requirements')}</h2>
          <ul className="dm-words" data-testid="demand-requirements">
            {words.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
          {d.note && (
            <>
              <h3 className="small strong">{t('demand.detail.note')}</h3>
              <p className="dm-note">{d.note}</p>
            </>
          )}
        </section>
      </div>
      {closing && <CloseDialog d={d} onClose={() => setClosing(false)} onDone={() => { setClosing(false); onChanged(t('demand.detail.closed')); }} />}
    </>
  );
}

function CloseDialog({ d, onClose, onDone }: { d: Demand; onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const errorText = useErrorText();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const fieldId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await demandsApi.patch(d.id, { status: 'closed', closeReason: reason.trim() });
      onDone();
    } catch (err) {
      setFailure(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('demand.detail.closeTitle')} onClose={onClose} testId="demand-close-dialog">
      <form onSubmit={submit}>
        <div className="field">
          <label htmlFor={fieldId}>{t('demand.detail.closeReason')}</label>
          <textarea id={fieldId} rows={3} required maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} data-testid="demand-close-reason-input" />
        </div>
        <DialogFooter error={failure} busy={busy} onCancel={onClose} submitLabel={t('demand.detail.close')} submitDisabled={busy || !reason.trim()} submitTestId="demand-close-submit" danger />
      </form>
    </Dialog>
  );
}

/** A demand recorded without the enterprise's code gets it here (needed before a hold or a proposal). */
function AddUscc({ d, onDone }: { d: Demand; onDone: () => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const fieldId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const u = validateUscc(value);
    if (!u.ok) return setProblem(locale === 'en' ? u.messageEn : u.messageZh);
    setBusy(true);
    setProblem(null);
    try {
      await demandsApi.patch(d.id, { enterprise: { name: d.enterprise.name, uscc: u.normalized } });
      onDone();
    } catch (err) {
      setProblem(errorText(err));
      setBusy(false);
    }
  };
  return (
    <form className="dm-add-uscc" onSubmit={submit} noValidate>
      <label htmlFor={fieldId} className="small">{t('demand.detail.addUscc')}</label>
      <span className="dm-add-uscc-row">
        <input id={fieldId} className="mono" maxLength={40} autoCapitalize="characters" spellCheck={false} value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={problem ? true : undefined} aria-describedby={problem ? `${fieldId}-err` : undefined} data-testid="demand-add-uscc" />
        <button type="submit" className="button button--small" disabled={busy || !value.trim()}>{t('demand.detail.saveUscc')}</button>
      </span>
      {problem && <span id={`${fieldId}-err`} className="field-error" role="alert">{problem}</span>}
    </form>
  );
}
