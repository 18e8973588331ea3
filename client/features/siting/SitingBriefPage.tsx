/**
 * `/invest/siting/brief?…` — the printable 选址建议书 (site-selection brief) for one project, on
 * ONE A4 page: the requirements in words, the top five plots each with a small map of the plot in
 * its park, its score, the bars per criterion and its reasons, the date and the data version, and
 * the caveats (indicative minimum, straight-line distances, indicative hubs, sample data). The
 * same query parameters as /invest/siting (shared/siting-query.ts), so the page links to it.
 */
import { useEffect } from 'react';
import { Link, useSearch } from 'wouter';
import { bureauToday } from '../../../shared/dates.ts';
import { api, sitingApi, type AreaGeometry, type SitingItem, type SitingRankResponse } from '../../api/index.ts';
import { PageLoading } from '../../ui/AccessGate.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { PlotMiniMap } from './PlotMiniMap.tsx';
import { requirementLines } from './requirementsText.ts';
import { CriterionBars, criterionLabel } from './SitingResultCard.tsx';
import { formatSitingUrl, parseSitingUrl } from './sitingState.ts';
import { SITING_CRITERIA } from '../../../shared/policy/siting-weights.ts';
import './siting.css';

/** The plots a brief shows. */
export const BRIEF_TOP = 5;

interface PlotMap {
  plot: AreaGeometry;
  park: AreaGeometry | null;
  others: AreaGeometry[];
}

/** The outlines for the small maps: each plot, its park, and the park's other plots (one request per park). */
async function loadMaps(items: SitingItem[], signal: AbortSignal): Promise<Map<number, PlotMap>> {
  const parkIds = [...new Set(items.map((i) => i.parkId))];
  const [plots, parks, parkPlots] = await Promise.all([
    Promise.all(items.map((i) => api.plot(i.plotId, signal))),
    Promise.all(parkIds.map((id) => api.park(id, signal).catch(() => null))),
    Promise.all(parkIds.map((id) => api.plots({ parkId: id, limit: 2000 }, signal).catch(() => null))),
  ]);
  const out = new Map<number, PlotMap>();
  items.forEach((item, i) => {
    const k = parkIds.indexOf(item.parkId);
    out.set(item.plotId, {
      plot: plots[i]!.geometry,
      park: parks[k]?.geometry ?? null,
      others: (parkPlots[k]?.features ?? []).filter((f) => f.properties.id !== item.plotId).map((f) => f.geometry),
    });
  });
  return out;
}

export default function SitingBriefPage() {
  const { t } = useT();
  const errorText = useErrorText();
  const search = useSearch();
  const query = parseSitingUrl(search);
  const key = query ? formatSitingUrl({ ...query, limit: BRIEF_TOP }) : null;
  const rank = useApi<SitingRankResponse>(key ? `siting-brief:${key}` : null, (signal) => sitingApi.rank({ ...query!, limit: BRIEF_TOP }, signal));
  const items = rank.data?.items.slice(0, BRIEF_TOP) ?? [];
  const mapsKey = items.map((i) => i.plotId).join(',');
  const maps = useApi(mapsKey ? `siting-brief-maps:${mapsKey}` : null, (signal) => loadMaps(items, signal));

  useEffect(() => {
    document.title = `${t('siting.brief.title')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (rank.data?.referenceSample || rank.data?.items.some((i) => i.sample)) markSampleSeen();
  }, [rank.data]);

  if (!query) {
    return (
      <div className="page-message" role="alert">
        <h1>{t('siting.brief.noQuery')}</h1>
        <Link href="/invest/siting">{t('siting.title')}</Link>
      </div>
    );
  }
  if (rank.loading) return <PageLoading />;
  if (rank.error || !rank.data) {
    return (
      <div className="page-message" role="alert">
        <h1>{errorText(rank.error)}</h1>
        <Link href={`/invest/siting${search ? `?${search}` : ''}`}>{t('siting.title')}</Link>
      </div>
    );
  }
  return (
    <div className="page siting-brief-page">
      <nav className="siting-brief-nav no-print" aria-label={t('siting.brief.title')}>
        <Link href={`/invest/siting${search ? `?${search}` : ''}`}>← {t('siting.brief.back')}</Link>
        <button type="button" className="button" onClick={() => window.print()} disabled={maps.loading} data-testid="brief-print">
          {t('sheet.print')}
        </button>
      </nav>
      <Brief response={rank.data} items={items} maps={maps.data} mapsReady={!maps.loading} />
    </div>
  );
}

function Brief({ response, items, maps, mapsReady }: { response: SitingRankResponse; items: SitingItem[]; maps: Map<number, PlotMap> | null; mapsReady: boolean }) {
  const { t, locale } = useT();
  const search = useSearch();
  const districts = useDistrictNames();
  const query = parseSitingUrl(search)!;
  const lines = requirementLines(query, t, locale, districts);
  const w = response.weightsUsed;
  const anySample = response.referenceSample || items.some((i) => i.sample);
  const colon = locale === 'en' ? ':' : '：';
  return (
    <article className="siting-brief" aria-labelledby="brief-title" data-testid="siting-brief" data-ready={mapsReady && districts !== null ? 'true' : 'false'}>
      <header className="siting-brief-head">
        <div>
          <p className="eyebrow">{t('app.title')}</p>
          <h1 id="brief-title">{t('siting.brief.title')}</h1>
        </div>
        <dl className="siting-brief-meta">
          <div>
            <dt>{t('siting.brief.date')}{colon}</dt>
            <dd data-testid="brief-date">{formatDate(bureauToday(), locale)}</dd>
          </div>
          <div>
            <dt>{t('siting.brief.asOf')}{colon}</dt>
            <dd>{formatDate(response.asOf, locale)}</dd>
          </div>
          <div>
            <dt>{t('siting.brief.version')}{colon}</dt>
            <dd data-testid="brief-version">{response.dataVersion}</dd>
          </div>
        </dl>
      </header>

      <section className="siting-brief-req" aria-labelledby="brief-req">
        <h2 id="brief-req">{t('siting.brief.requirements')}</h2>
        <dl>
          {lines.map((l) => (
            <div key={l.label}>
              <dt>{l.label}{colon}</dt>
              <dd>{l.value}</dd>
            </div>
          ))}
        </dl>
        <p className="siting-brief-weights">
          {t('siting.brief.weights', { source: w.source === 'given' ? t('siting.weights.given') : t('siting.weights.defaults') })}{' '}
          {SITING_CRITERIA.map((c) => `${criterionLabel(c, locale)} ${formatNumber(w.weights[c] * 100, locale, 0)}%`).join(locale === 'en' ? ', ' : '，')}
        </p>
        <p className="siting-brief-count">
          {t('siting.brief.count', { n: formatNumber(response.candidates, locale, 0), considered: formatNumber(response.excluded.considered, locale, 0), top: items.length })}
        </p>
      </section>

      {items.length === 0 ? (
        <p className="note">{t('siting.empty')}</p>
      ) : (
        <ol className="siting-brief-plots" aria-label={t('siting.brief.top')}>
          {items.map((item) => {
            const m = maps?.get(item.plotId);
            const district = districts?.get(item.districtCode);
            return (
              <li key={item.plotId} className="siting-brief-plot" data-testid="brief-plot">
                <div className="siting-brief-map">
                  {m ? <PlotMiniMap plot={m.plot} park={m.park} others={m.others} label={t('siting.brief.mapLabel', { code: item.plotCode })} /> : <div className="siting-minimap siting-minimap--empty" aria-hidden="true" />}
                </div>
                <div className="siting-brief-body">
                  <p className="siting-brief-title">
                    <span className="siting-rank">{item.rank}</span>
                    <strong>{item.plotCode}</strong>
                    <span>{localName(locale, { nameZh: item.parkNameZh, nameEn: item.parkNameEn })}</span>
                    <span className="siting-brief-score">
                      {formatNumber(item.score, locale, 1, 1)}
                      <small>{t('siting.result.outOf')}</small>
                    </span>
                  </p>
                  <p className="siting-brief-facts">
                    {[
                      district ? (locale === 'en' ? district.nameEn : district.nameZh) : item.districtCode,
                      t('siting.result.areaMu', { mu: formatNumber(item.areaMu, locale, 1) }),
                      t(`landUse.${item.landUse}`),
                      item.floorYuanPerM2 === null ? t('invest.noFloor') : t('siting.result.floor', { value: formatNumber(item.floorYuanPerM2, locale, 0) }),
                      item.serviced ? t('siting.result.serviced') : null,
                      item.sample ? t('sheet.sample') : null,
                    ]
                      .filter(Boolean)
                      .join(' · ')}
                  </p>
                  <CriterionBars item={item} compact />
                  <p className="siting-brief-reasons">{locale === 'en' ? item.summaryEn : item.summaryZh}</p>
                  {item.nearestHubs.length > 0 && (
                    <p className="siting-brief-hubs">
                      {t('siting.result.nearest')}
                      {locale === 'en' ? ': ' : '：'}
                      {item.nearestHubs.map((h) => `${localName(locale, h)} ${formatNumber(h.km, locale, 1, 1)} km`).join(locale === 'en' ? ', ' : '，')}
                    </p>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}

      <footer className="siting-brief-caveats" data-testid="brief-caveats">
        <h2>{t('siting.brief.caveats')}</h2>
        <ul>
          <li>
            {t('siting.caveat.price')} {t('floor.caveat')}
          </li>
          <li>{locale === 'en' ? response.distanceNoteEn : response.distanceNoteZh}</li>
          <li>{t('siting.hubs.indicative')}</li>
          <li>{t('siting.brief.weightsCaveat')}</li>
          {anySample && <li>{t('siting.brief.sample')}</li>}
        </ul>
      </footer>
    </article>
  );
}
