import { useState } from 'react';
import { supervisionApi, type IdleItem, type Inspection, type Visit } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { PanelError, PanelLoading } from '../../ui/PanelParts.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { CloseForm, OpenInspectionForm, VisitForm } from './InspectionForms.tsx';
import { PhotoInput } from './PhotoInput.tsx';
import { SampleTag } from './parts.tsx';
import { bumpData, useSupervisionStore } from './store.ts';

/** The item's field inspections: open one (assigned to a district officer), record visits with photos, close with a conclusion. */
export function InspectionSection({ item }: { item: IdleItem }) {
  const { t } = useT();
  const canInspect = useCan('supervision.inspect');
  const version = useSupervisionStore((s) => s.dataVersion);
  const list = useApi(`inspections#${item.allocationId}#${version}`, (signal) => supervisionApi.inspections({ allocationId: item.allocationId }, signal));
  const [opening, setOpening] = useState(false);
  const items = list.data?.items ?? [];
  const hasOpen = items.some((i) => i.status === 'open');
  return (
    <section className="sv-section" data-testid="inspections">
      <h3>{t('sv.insp.title')}</h3>
      {list.loading && <PanelLoading />}
      {list.error && <PanelError error={list.error} onRetry={list.reload} />}
      {list.data && items.length === 0 && <p className="muted">{t('sv.insp.empty')}</p>}
      {items.map((i) => (
        <InspectionCard key={i.id} inspection={i} canInspect={canInspect} />
      ))}
      {canInspect && list.data && !hasOpen && !opening && (
        <button type="button" className="button button--small" onClick={() => setOpening(true)} data-testid="inspection-open">
          {t('sv.insp.open')}
        </button>
      )}
      {opening && <OpenInspectionForm item={item} onDone={() => setOpening(false)} onCancel={() => setOpening(false)} />}
    </section>
  );
}

function InspectionCard({ inspection: i, canInspect }: { inspection: Inspection; canInspect: boolean }) {
  const { t, locale } = useT();
  const [form, setForm] = useState<'visit' | 'close' | null>(null);
  const open = i.status === 'open';
  return (
    <article className="sv-insp" data-testid="inspection-card" data-status={i.status}>
      <header className="sv-insp-head">
        <span className={`tag ${open ? 'tag--warn' : 'tag--ok'}`} data-testid="inspection-status">{t(`sv.insp.status.${i.status}`)}</span>
        <SampleTag sample={i.sample} />
        <span className="muted">{formatDate(i.createdAt, locale)}</span>
      </header>
      <p className="sv-insp-reason">{i.reason}</p>
      <p className="muted" data-testid="inspection-assignee">
        {t('sv.insp.assignedTo', { name: i.assignee.displayName })}
        {i.dueOn && ` · ${t('sv.insp.due', { date: formatDate(i.dueOn, locale) })}`}
      </p>
      <h4>{t('sv.insp.visits')}</h4>
      {i.visits.length === 0 ? (
        <p className="muted">{t('sv.insp.noVisits')}</p>
      ) : (
        <ul className="sv-visits">
          {i.visits.map((v) => (
            <VisitItem key={v.id} inspectionId={i.id} visit={v} canAddPhoto={open && canInspect} />
          ))}
        </ul>
      )}
      {i.conclusion && (
        <p className="sv-conclusion" data-testid="inspection-conclusion">
          {t('sv.insp.conclusion', { text: i.conclusion, date: i.closedOn ? formatDate(i.closedOn, locale) : '' })}
        </p>
      )}
      {open && canInspect && form === null && (
        <div className="sv-actions">
          <button type="button" className="button button--small" onClick={() => setForm('visit')} data-testid="visit-add">{t('sv.visit.add')}</button>
          <button type="button" className="button button--secondary button--small" onClick={() => setForm('close')} data-testid="inspection-close">{t('sv.close.add')}</button>
        </div>
      )}
      {form === 'visit' && <VisitForm inspectionId={i.id} onDone={() => setForm(null)} onCancel={() => setForm(null)} />}
      {form === 'close' && <CloseForm inspectionId={i.id} onDone={() => setForm(null)} onCancel={() => setForm(null)} />}
    </article>
  );
}

function VisitItem({ inspectionId, visit: v, canAddPhoto }: { inspectionId: number; visit: Visit; canAddPhoto: boolean }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const add = (file: File | null) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    supervisionApi.uploadPhoto(inspectionId, v.id, file).then(
      () => {
        setBusy(false);
        bumpData();
      },
      (e: unknown) => {
        setBusy(false);
        setError(errorText(e));
      },
    );
  };
  return (
    <li className="sv-visit" data-testid="visit-item">
      <p>
        <strong>{formatDate(v.visitedOn, locale)}</strong>
        {v.recordedBy && <span className="muted"> · {v.recordedBy}</span>}
      </p>
      <p className="sv-findings" data-testid="visit-findings">{v.findings}</p>
      {v.photos.length > 0 && (
        <ul className="sv-photos">
          {v.photos.map((p) => (
            <li key={p.id}>
              <a href={p.url} target="_blank" rel="noreferrer">
                <img src={p.url} alt={t('sv.visit.photoAlt', { date: formatDate(v.visitedOn, locale) })} loading="lazy" data-testid="visit-photo-img" />
              </a>
              {p.location && (
                <span className="muted sv-photo-at">
                  {t('sv.visit.photoAt', { lat: formatNumber(p.location.lat, locale, 5), lon: formatNumber(p.location.lon, locale, 5) })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {canAddPhoto && !busy && <PhotoInput label={t('sv.visit.photoAdd')} onFile={add} testId={`visit-${v.id}-photo`} />}
      {busy && <PanelLoading />}
      {error && <p className="alert alert--error" role="alert">{error}</p>}
    </li>
  );
}
