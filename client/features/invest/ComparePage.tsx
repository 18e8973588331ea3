/**
 * `/compare?codes=A,B,C` — up to three plots side by side: area, land use, supply modes, park,
 * the indicative IAB floor (50 years) with its binding term, park tier and sectors. The URL is
 * the comparison (shareable); the chosen codes are remembered for the search's compare bar.
 */
import { useEffect, type ReactNode } from 'react';
import { Link, useSearch } from 'wouter';
import { formatArea as formatAreaIn } from '../../../shared/units.ts';
import { supplyModesFor } from '../../../shared/supply-modes.ts';
import { api, floorApi, investApi, type ParkDetail, type PlotDetail, type PlotFloorQuote } from '../../api/index.ts';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale, scaleUnit } from '../../ui/money.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { COMPARE_MAX, compareHref, setCompare } from './compareStore.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import './invest.css';

interface Column {
  plot: PlotDetail;
  park: ParkDetail;
  floor: PlotFloorQuote | null;
}

async function loadColumn(code: string, signal: AbortSignal): Promise<Column> {
  const plot = await investApi.plotByCode(code, signal);
  const [park, floor] = await Promise.all([
    api.park(plot.properties.parkId, signal),
    floorApi.forPlot(plot.properties.id, { iab: true }, signal).catch(() => null),
  ]);
  return { plot, park, floor };
}

export default function ComparePage() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const search = useSearch();
  const codes = [...new Set((new URLSearchParams(search).get('codes') ?? '').split(',').map((c) => c.trim()).filter(Boolean))].slice(0, COMPARE_MAX);
  const key = codes.join(',');
  const data = useApi(key ? `compare:${key}` : null, (signal) => Promise.all(key.split(',').map((c) => loadColumn(c, signal))));

  useEffect(() => {
    document.title = `${t('compare.title')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (key) setCompare(key.split(','));
    if (data.data?.some((c) => c.plot.properties.sample)) markSampleSeen();
  }, [key, data.data]);

  const cols = data.data ?? [];
  // The plots' indicative totals side by side, in one unit (万元, or 亿元 from the largest); exact 元 on hover.
  const floorScale = moneyScale(cols.map((c) => c.floor?.floorYuan ?? 0), locale);
  const row = (label: string, cell: (c: Column) => ReactNode, testId?: string) => (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      {cols.map((c) => (
        <td key={c.plot.properties.id}>{cell(c)}</td>
      ))}
    </tr>
  );

  return (
    <div className="page compare-page">
      <header className="page-head">
        <h1>{t('compare.title')}</h1>
        <Link href="/invest">← {t('sheet.back')}</Link>
      </header>
      {!key && <p className="note note--info">{t('compare.empty')}</p>}
      {data.loading && (
        <p role="status">
          <span className="spinner spinner--inline" aria-hidden="true" /> {t('app.loading')}
        </p>
      )}
      {data.error && <p className="form-error" role="alert">{errorText(data.error)}</p>}
      {cols.length > 0 && (
        <div className="table-scroll">
          <table className="compare-table" data-testid="compare-table">
            <caption className="visually-hidden">{t('compare.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('compare.field')}</th>
                {cols.map((c) => (
                  <th scope="col" key={c.plot.properties.id}>
                    <Link href={`/plots/${encodeURIComponent(c.plot.properties.code)}`}>{c.plot.properties.code}</Link>
                    <Link className="link-button small" href={compareHref(codes.filter((x) => x !== c.plot.properties.code))} aria-label={t('compare.remove', { code: c.plot.properties.code })}>
                      ×
                    </Link>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {row(t('plot.park'), (c) => localName(locale, c.park.properties))}
              {row(t('plot.district'), (c) => (locale === 'en' ? c.plot.properties.districtNameEn : c.plot.properties.districtNameZh))}
              {row(t('plot.status'), (c) => t(`status.${c.plot.properties.status}`))}
              {row(t('sheet.areaMu'), (c) => formatAreaIn(c.plot.properties.areaM2, 'mu', locale), 'compare-area')}
              {row(t('sheet.areaHa'), (c) => formatAreaIn(c.plot.properties.areaM2, 'ha', locale))}
              {row(t('plot.landUse'), (c) => t(`landUse.${c.plot.properties.landUse}`))}
              {row(t('sheet.supplyModes'), (c) => supplyModesFor(c.plot.properties.landUse).map((m) => t(`supplyMode.${m}`)).join('、'))}
              {row(t('compare.floor50'), (c) => (c.floor ? formatNumber(c.floor.floorYuanPerM2, locale, 2, 2) : t('invest.noFloor')), 'compare-floor')}
              {row(t('compare.floorTotalIn', { unit: scaleUnit(floorScale) }), (c) => (c.floor ? <Money yuan={c.floor.floorYuan} scale={floorScale} bare /> : '—'), 'compare-floor-total')}
              {row(t('compare.binding'), (c) => (c.floor ? t(`floor.binding.${c.floor.binding}`) : '—'))}
              {row(t('compare.tier'), (c) => t(`tier.${c.park.properties.tier}`))}
              {row(t('sheet.greenChannel'), (c) => (c.park.properties.tier === 'core' ? '✓' : '—'))}
              {row(t('compare.sectors'), (c) => c.park.properties.sectors.map((s) => t(`sector.${s}`)).join('、'))}
              {row(t('plot.plotRatio'), (c) => (c.plot.properties.plotRatioMin !== null && c.plot.properties.plotRatioMax !== null ? `${c.plot.properties.plotRatioMin} – ${c.plot.properties.plotRatioMax}` : '—'))}
              {row(t('compare.serviced'), (c) => (c.plot.properties.serviced ? t('plot.servicedYes') : t('plot.servicedNo')))}
            </tbody>
          </table>
        </div>
      )}
      {cols[0]?.floor && <p className="muted small">{t('invest.asOf', { date: formatDate(cols[0].floor.asOf, locale) })}</p>}
      {cols.some((c) => c.floor?.indicative) && (
        <p className="floor-caveat" data-testid="compare-caveat">
          {t('floor.caveat')}
        </p>
      )}
      {cols.some((c) => c.plot.properties.sample) && <p className="note note--sample">{t('sheet.sampleNote')}</p>}
    </div>
  );
}
