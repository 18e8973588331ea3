/**
 * The panel beside the bureau's map: an open allocation, else the selected plot with its
 * Allocate form (available plots, or held ones for their holder), else the selected park (the
 * map zooms to it so its plots can be clicked), else how to start.
 */
import { bbox } from '@turf/turf';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import type { BBox } from '../../../shared/domain.ts';
import { allocationsApi, api, ApiError, holdsApi, investApi, type AllocationDetail as Detail } from '../../api/index.ts';
import { LoadError } from '../../ui/AccessGate.tsx';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import { formatDate, formatM2, formatMu } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { clearSelection, select, takeFocusRequest, useSelectionStore } from '../../stores/selection.ts';
import { fitBounds } from '../../stores/view.ts';
import { AllocateForm } from './AllocateForm.tsx';
import { AllocationDetail } from './AllocationDetail.tsx';
import { showAllocation } from './AllocationList.tsx';
import { AllocationStatusTag, Money, useAllocationErrorText } from './parts.tsx';
import { dataChanged, setNotice, useBureauStore } from './store.ts';
import { useBureauApi } from './useBureauApi.ts';

export function BureauSide() {
  const selection = useSelectionStore((s) => s.selection);
  const allocationId = useBureauStore((s) => s.allocationId);
  if (allocationId !== null) return <AllocationDetail key={allocationId} id={allocationId} />;
  if (selection?.kind === 'plot') return <PlotPanel key={selection.id} plotId={selection.id} />;
  if (selection?.kind === 'park') return <ParkHint key={selection.id} parkId={selection.id} />;
  return <StartHint />;
}

function StartHint() {
  const { t } = useT();
  return (
    <div className="bu-panel-body bu-start" data-testid="side-start">
      <h2 className="bu-side-title">{t('allocations.side.startTitle')}</h2>
      <ol className="bu-steps">
        <li>{t('allocations.side.step1')}</li>
        <li>{t('allocations.side.step2')}</li>
        <li>{t('allocations.side.step3')}</li>
      </ol>
      <PlotFinder />
      <p className="muted small">
        {t('allocations.side.fromInterests')} <Link href="/bureau/interests">{t('nav.queue')}</Link>
      </p>
    </div>
  );
}

/** A plot by its code (宗地编号): the keyboard's way to a plot, and the quickest when the code is known. */
function PlotFinder() {
  const { t } = useT();
  const errorText = useAllocationErrorText();
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const c = code.trim().toUpperCase();
    if (!c) return;
    setBusy(true);
    setFailure(null);
    try {
      const plot = await investApi.plotByCode(c);
      select({ kind: 'plot', id: plot.properties.id }, { focus: true });
    } catch (err) {
      setFailure(err instanceof ApiError && err.status === 404 ? t('allocations.side.findNone', { code: c }) : errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="bu-finder" onSubmit={submit} role="search">
      <label htmlFor={id}>{t('allocations.side.find')}</label>
      <div className="input-row">
        <input id={id} value={code} onChange={(e) => setCode(e.target.value)} placeholder="P01-0001" maxLength={64} autoComplete="off" className="mono" aria-describedby={failure ? `${id}-error` : undefined} data-testid="plot-finder" />
        <button type="submit" className="button button--secondary" disabled={busy || !code.trim()}>
          {t('allocations.side.findGo')}
        </button>
      </div>
      {failure && <p id={`${id}-error`} className="field-error" role="alert">{failure}</p>}
    </form>
  );
}

function ParkHint({ parkId }: { parkId: number }) {
  const { t, locale } = useT();
  const { data, error, reload } = useApi(`bureau-park:${parkId}`, (signal) => api.park(parkId, signal));
  // Zoom to the park so its plots (drawn from zoom 11) can be clicked.
  useEffect(() => {
    if (data) fitBounds(bbox(data) as BBox, 15);
  }, [data]);
  if (error) return <div className="bu-panel-body"><LoadError error={error} onRetry={reload} /></div>;
  if (!data) return <div className="panel-state" role="status"><span className="spinner" aria-hidden="true" />{t('app.loading')}</div>;
  const p = data.properties;
  return (
    <div className="bu-panel-body" data-testid="side-park">
      <p className="eyebrow">{t('allocations.side.park')}</p>
      <h2 className="bu-side-title">{localName(locale, p)}</h2>
      <p>{t('allocations.side.parkAvailable', { n: p.figures.byStatus.available, area: formatMu(p.figures.availableAreaM2, locale) })}</p>
      <p className="muted">{t('allocations.side.parkHint')}</p>
      <PlotFinder />
      <button type="button" className="link-button" onClick={() => clearSelection()}>{t('allocations.side.clear')}</button>
    </div>
  );
}

function PlotPanel({ plotId }: { plotId: number }) {
  const { t, locale } = useT();
  const canManage = useCan('allocations.manage');
  const plot = useBureauApi(`bureau-plot:${plotId}`, (signal) => api.plot(plotId, signal));
  const allocations = useBureauApi(`bureau-plot-allocs:${plotId}`, (signal) => allocationsApi.list({ plotId, limit: 20 }, signal));
  const status = plot.data?.properties.status;
  const holds = useBureauApi(status === 'held' ? `bureau-plot-holds:${plotId}` : null, (signal) => holdsApi.forPlot(plotId, signal));
  const activeHold = holds.data?.items.find((h) => h.active) ?? null;

  useEffect(() => {
    if (!plot.data) return;
    if (plot.data.properties.sample) markSampleSeen();
    if (takeFocusRequest({ kind: 'plot', id: plotId })) fitBounds(bbox(plot.data) as BBox, 16.5);
  }, [plot.data, plotId]);

  if (plot.error) return <div className="bu-panel-body"><LoadError error={plot.error} onRetry={plot.reload} /></div>;
  if (!plot.data) return <div className="panel-state" role="status"><span className="spinner" aria-hidden="true" />{t('app.loading')}</div>;
  const p = plot.data.properties;
  const active = allocations.data?.items.filter((a) => a.status !== 'cancelled') ?? [];
  const proposed = (a: Detail) => {
    setNotice(a.id, t('allocations.proposed', { id: a.id, plot: a.plotCode }));
    dataChanged();
    showAllocation(a);
  };
  // A held plot goes only to its holder; one marked held without a hold on record cannot be proposed for.
  const heldWithoutHold = p.status === 'held' && holds.data !== null && activeHold === null;
  const canAllocate = canManage && (p.status === 'available' || (p.status === 'held' && activeHold !== null));

  return (
    <div className="bu-panel-body" data-testid="plot-panel" data-plot-id={p.id} data-plot-status={p.status}>
      <header className="bu-plot-head">
        <div>
          <p className="eyebrow">{t('allocations.side.plot')}</p>
          <h2 className="bu-side-title" data-testid="plot-title">{p.code}</h2>
          <p className="muted small">
            <button type="button" className="link-button" onClick={() => select({ kind: 'park', id: p.parkId })}>{localName(locale, { nameZh: p.parkNameZh, nameEn: p.parkNameEn })}</button> · {localName(locale, { nameZh: p.districtNameZh, nameEn: p.districtNameEn })}
          </p>
        </div>
        <button type="button" className="icon-button" aria-label={t('allocations.side.close')} title={t('allocations.side.close')} onClick={() => clearSelection()}>
          <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M5 5l10 10M15 5 5 15" /></svg>
        </button>
      </header>
      <p className="bu-plot-tags">
        <span className="chip" data-testid="plot-status"><span className="dot" style={{ background: STATUS_COLORS[p.status] }} />{t(`status.${p.status}`)}</span>
        {p.sample && <span className="tag tag--sample">{t('allocations.sample')}</span>}
      </p>
      <Facts>
        <Fact label={t('allocations.field.area')}>
          <span data-testid="plot-area">{formatMu(p.areaM2, locale)}</span> <span className="muted small">{formatM2(p.areaM2, locale)}</span>
        </Fact>
        <Fact label={t('allocations.side.landUse')}>{t(`landUse.${p.landUse}`)}</Fact>
        <Fact label={t('allocations.side.landLevel')}>{p.landLevel === null ? null : t('value.level', { level: p.landLevel })}</Fact>
      </Facts>
      <p className="small"><Link href={`/plots/${encodeURIComponent(p.code)}`}>{t('allocations.side.sheet')}</Link></p>

      {allocations.data && allocations.data.items.length > 0 && (
        <section className="bu-plot-allocs">
          <h3 className="section-title">{t('allocations.side.plotAllocations', { n: allocations.data.total })}</h3>
          <ul className="bu-mini-list">
            {allocations.data.items.map((a) => (
              <li key={a.id}>
                <button type="button" className="link-button" onClick={() => showAllocation(a)} data-testid="plot-allocation">
                  #{a.id} {a.project.name}
                </button>{' '}
                <AllocationStatusTag status={a.status} /> <span className="muted small"><Money yuan={a.priceYuan} /> · {formatDate(a.createdAt, locale)}</span>
              </li>
            ))}
          </ul>
          {active.some((a) => a.status === 'proposed') && p.status === 'available' && <p className="muted small">{t('allocations.side.competing')}</p>}
        </section>
      )}

      {p.status === 'held' && activeHold && !canAllocate && (
        <p className="note note--info">{t('allocations.form.heldFor', { name: activeHold.applicant.name, uscc: activeHold.applicant.uscc, until: formatDate(activeHold.until, locale) })}</p>
      )}
      {heldWithoutHold && <p className="note note--info" data-testid="plot-not-available">{t('allocations.side.not.heldNoRecord')}</p>}
      {(p.status === 'allocated' || p.status === 'withdrawn') && (
        <p className="note note--info" data-testid="plot-not-available">{t(`allocations.side.not.${p.status}`)}</p>
      )}
      {!canManage && (p.status === 'available' || p.status === 'held') && <p className="muted small">{t('allocations.side.readOnly')}</p>}
      {canAllocate && (
        <AllocateForm key={`${p.id}:${activeHold?.id ?? 0}`} plot={{ id: p.id, code: p.code, areaM2: p.areaM2, landUse: p.landUse }} hold={activeHold} onProposed={proposed} />
      )}
    </div>
  );
}
