/**
 * `/bureau` — the land bureau's allocation workspace: the map of
 * parks and plots with the panel beside it (select a plot → Allocate; an allocation → its
 * record and actions), the list of pending and recent allocations, and the year's quota with
 * its report. Everything reloads after a write; an approval repaints the plot on the map.
 */
import { lazy, Suspense, useEffect, useId } from 'react';
import { useCan } from '../../ui/useCan.ts';
import { useT } from '../../i18n/useT.ts';
import { MapLoading } from '../../map/MapCanvas.tsx';
import { AllocationList } from './AllocationList.tsx';
import { BureauSide } from './BureauSide.tsx';
import { QuotaPanel, QuotaReportPanel } from './QuotaPanel.tsx';
import { BUREAU_URL_STATE, setYear, useBureauStore } from './store.ts';
import { useUrlState } from '../../ui/useUrlState.ts';
import './bureau.css';
import './quota.css';

// maplibre is its own chunk: the lists and figures show while it loads.
const BureauMapView = lazy(() => import('./BureauMapView.tsx'));

export function BureauWorkspace() {
  const { t } = useT();
  useUrlState(BUREAU_URL_STATE);
  const year = useBureauStore((s) => s.year);
  const canManage = useCan('allocations.manage');

  useEffect(() => {
    document.title = `${t('allocations.title')} · ${t('app.title')}`;
  }, [t]);

  return (
    <div className="page bu-page" data-testid="bureau-page">
      <div className="bu-inner">
        <header className="bu-head head-row">
          <div>
            <p className="eyebrow">{t('allocations.eyebrow')}</p>
            <h1>{t('allocations.title')}</h1>
            <p className="muted">{canManage ? t('allocations.lead') : t('allocations.leadReadOnly')}</p>
          </div>
          <YearPicker year={year} />
        </header>
        <section className="bu-work" aria-label={t('allocations.workLabel')}>
          <div className="bu-map">
            <Suspense fallback={<MapLoading />}>
              <BureauMapView />
            </Suspense>
          </div>
          <aside className="bu-side" aria-label={t('allocations.side.label')} data-testid="bureau-side">
            <BureauSide />
          </aside>
        </section>
        <div className="bu-lower">
          <AllocationList />
          <QuotaPanel year={year} />
        </div>
        <QuotaReportPanel year={year} />
      </div>
    </div>
  );
}

function YearPicker({ year }: { year: number }) {
  const { t } = useT();
  const id = useId();
  return (
    <div className="bu-year" role="group" aria-labelledby={`${id}-label`}>
      <span id={`${id}-label`} className="bu-year-label">{t('allocations.yearLabel')}</span>
      <button type="button" className="icon-button" onClick={() => setYear(year - 1)} disabled={year <= 2000} aria-label={t('allocations.yearPrev', { year: year - 1 })} title={t('allocations.yearPrev', { year: year - 1 })}>
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M12 5 7 10l5 5" /></svg>
      </button>
      <output className="bu-year-value" aria-live="polite" data-testid="bureau-year">{year}</output>
      <button type="button" className="icon-button" onClick={() => setYear(year + 1)} disabled={year >= 2100} aria-label={t('allocations.yearNext', { year: year + 1 })} title={t('allocations.yearNext', { year: year + 1 })}>
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="m8 5 5 5-5 5" /></svg>
      </button>
    </div>
  );
}
