/**
 * `/invest` — find land (public): the map and the result list in step (the list follows the map
 * view; hovering a row lights its plot and the other way round), filters, sorting and a count.
 * The URL holds filters, camera and selection, so a link reproduces the view. A lazy chunk: it
 * pulls in maplibre like the map page.
 */
import { useEffect, useId, useState } from 'react';
import { Link } from 'wouter';
import type { SearchSort } from '../../api/index.ts';
import { CompareBar } from './CompareBar.tsx';
import { ResultList } from './ResultList.tsx';
import { SearchFiltersForm } from './SearchFiltersForm.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { activeFilterCount, SORTS } from './searchState.ts';
import { useSearchResults } from './useSearchResults.ts';
import InvestMapView from './InvestMapView.tsx';
import { markSampleSeen } from '../../stores/dataset.ts';
import { SEARCH_URL_STATE, setFilters, useInvestSearchStore } from './store.ts';
import { fitBounds } from '../../stores/view.ts';
import type { BBox } from '../../../shared/domain.ts';
import { clearSelection, useSelectionStore } from '../../stores/selection.ts';
import { useApi } from '../../ui/useApi.ts';
import { api } from '../../api/index.ts';
import { useUrlState } from '../../ui/useUrlState.ts';
import { VIEW_URL_STATE } from '../map/viewUrlState.ts';
import './invest.css';

export default function InvestPage() {
  useUrlState(VIEW_URL_STATE);
  useUrlState(SEARCH_URL_STATE);
  const { t, locale } = useT();
  const filters = useInvestSearchStore((s) => s.filters);
  const results = useSearchResults();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const sortId = useId();
  const followId = useId();
  const active = activeFilterCount(filters);

  useEffect(() => {
    document.title = `${t('invest.title')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (results.referenceSample || results.items.some((i) => i.sample)) markSampleSeen();
  }, [results.referenceSample, results.items]);

  return (
    <div className="invest-page">
      <section className="invest-side map-side" aria-labelledby="invest-title">
        <header className="invest-head">
          <h1 id="invest-title">{t('invest.title')}</h1>
          <p className="muted">{t('invest.lead')}</p>
          <Link href="/invest/siting" className="small" data-testid="to-siting">
            {t('siting.fromSearch')}
          </Link>
        </header>
        <button type="button" className="button button--ghost filters-toggle" aria-expanded={filtersOpen} aria-controls="invest-filters" onClick={() => setFiltersOpen((o) => !o)}>
          {filtersOpen ? t('invest.hideFilters') : t('invest.showFilters')}
          {active > 0 && <span className="count-badge">{active}</span>}
        </button>
        <div id="invest-filters" className={`filters-wrap${filtersOpen ? ' is-open' : ''}`}>
          <SearchFiltersForm />
        </div>
        <div className="result-bar">
          <p className="result-count" role="status" aria-live="polite" data-testid="result-count">
            {results.error
              ? t('invest.error', { message: results.error.message })
              : results.total === null
                ? t('invest.loading')
                : t(filters.followMap ? 'invest.countInView' : 'invest.count', { n: formatNumber(results.total, locale, 0) })}
          </p>
          <div className="result-tools">
            <label className="check check--inline" htmlFor={followId}>
              <input id={followId} type="checkbox" checked={filters.followMap} onChange={(e) => setFilters({ followMap: e.target.checked })} />
              {t('invest.followMap')}
            </label>
            <label htmlFor={sortId} className="visually-hidden">
              {t('invest.sort')}
            </label>
            {results.items.length > 0 && (
              <button type="button" className="button button--ghost button--small" onClick={() => fitBounds(resultsBbox(results.items.map((i) => i.centroid)), 16)} data-testid="zoom-to-results">
                {t('invest.zoomToResults')}
              </button>
            )}
            <select id={sortId} value={filters.sort} onChange={(e) => setFilters({ sort: e.target.value as SearchSort })} data-testid="sort">
              {SORTS.map((s) => (
                <option key={s} value={s}>
                  {t(`invest.sort.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <SelectedPark />
        {results.total === 0 && !results.loading ? (
          <p className="result-empty">{t('invest.empty')}</p>
        ) : (
          <ResultList items={results.items} total={results.total ?? 0} onEndReached={results.loadMore} />
        )}
        {results.asOf && (
          <p className="result-foot muted">
            {t('invest.asOf', { date: formatDate(results.asOf, locale) })}
            {results.referenceSample && <> · {t('invest.sampleNote')}</>}
          </p>
        )}
        <CompareBar />
      </section>
      <div className="invest-map">
        <InvestMapView items={results.items} />
      </div>
    </div>
  );
}

/** The box around the loaded results' centres, padded by about 300 m so whole plots fit. */
function resultsBbox(points: [number, number][]): BBox {
  const pad = 0.003;
  const lngs = points.map((p) => p[0]);
  const lats = points.map((p) => p[1]);
  return [Math.min(...lngs) - pad, Math.min(...lats) - pad, Math.max(...lngs) + pad, Math.max(...lats) + pad];
}

/** A park clicked on the map: offer to search within it. */
function SelectedPark() {
  const { t, locale } = useT();
  const selection = useSelectionStore((s) => s.selection);
  const parkId = selection?.kind === 'park' ? selection.id : null;
  const park = useApi(parkId === null ? null : `park:${parkId}`, (signal) => api.park(parkId!, signal));
  if (parkId === null || !park.data) return null;
  const p = park.data.properties;
  return (
    <div className="selected-park">
      <span>{localName(locale, p)}</span>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setFilters({ parkId: p.id });
          clearSelection();
        }}
      >
        {t('invest.park')}: {p.code}
      </button>
      <Link href={`/?park=${p.id}`} className="link-button">
        {t('plot.showPark')}
      </Link>
    </div>
  );
}
