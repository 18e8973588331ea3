/**
 * `/supervision` — supervision after the sale, for the bureau and district officers (a district
 * officer sees their own district's items: the server scopes every list). The plot map with the
 * supervision layer (idle stage, 亩均 grade or status; legend to switch), the red-line list
 * beside it, and — once a plot is clicked — its panel: stage, days late, fee, the article it
 * rests on, government delays, decisions, inspections and visits.
 */
import { lazy, Suspense, useEffect, useMemo } from 'react';
import { formatDate } from '../../ui/format.ts';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { useUrlState } from '../../ui/useUrlState.ts';
import { useT } from '../../i18n/useT.ts';
import { MapLoading } from '../../map/MapCanvas.tsx';
import { markSampleSeen } from '../../stores/dataset.ts';
import { useSelectionStore } from '../../stores/selection.ts';
import { VIEW_URL_STATE } from '../map/viewUrlState.ts';
import { IdlePanel } from './IdlePanel.tsx';
import { RedLineList } from './RedLineList.tsx';
import { useSupervisionStore } from './store.ts';
import { SupervisionLegend } from './SupervisionLegend.tsx';
import { byPlot } from './supervisionLayer.ts';
import { useSupervisionData } from './useSupervisionData.ts';
import './supervision.css';

const SupervisionMapView = lazy(() => import('./SupervisionMapView.tsx'));

export default function SupervisionPage() {
  return (
    <AccessGate permission="supervision.read">
      <SupervisionScreen />
    </AccessGate>
  );
}

function SupervisionScreen() {
  const { t, locale } = useT();
  useUrlState(VIEW_URL_STATE);
  const mode = useSupervisionStore((s) => s.mode);
  const { idle, evaluation } = useSupervisionData();
  const selection = useSelectionStore((s) => s.selection);
  const items = idle.data?.items ?? null;
  const stages = useMemo(() => (items ? byPlot(items, (i) => i.stage) : null), [items]);
  const gradeItems = evaluation?.data?.items ?? null;
  const grades = useMemo(() => (gradeItems ? byPlot(gradeItems, (i) => i.grade) : null), [gradeItems]);

  useEffect(() => {
    document.title = `${t('sv.title')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (items?.some((i) => i.sample) || gradeItems?.some((i) => i.sample)) markSampleSeen();
  }, [items, gradeItems]);

  const plotId = selection?.kind === 'plot' ? selection.id : null;
  return (
    <div className="page sv-page" data-testid="supervision-page">
      <div className="sv-inner">
        <header className="sv-head">
          <p className="eyebrow">{t('sv.eyebrow')}</p>
          <h1>{t('sv.title')}</h1>
          <p className="muted">{t('sv.lead')}</p>
          {idle.data && <p className="muted" data-testid="supervision-asof">{t('sv.asOf', { date: formatDate(idle.data.asOf, locale) })}</p>}
        </header>
        <section className="sv-work" aria-label={t('sv.workLabel')}>
          <div className="sv-map">
            <Suspense fallback={<MapLoading />}>
              <SupervisionMapView mode={mode} stages={stages} grades={grades} />
            </Suspense>
            <SupervisionLegend evaluation={evaluation} />
          </div>
          <aside className="sv-side" aria-label={plotId !== null ? t('sv.panel.label') : t('sv.list.title')} data-testid="supervision-side">
            {plotId !== null ? (
              <IdlePanel key={plotId} plotId={plotId} idle={idle} evaluation={evaluation} />
            ) : (
              <RedLineList idle={idle} />
            )}
          </aside>
        </section>
      </div>
    </div>
  );
}
