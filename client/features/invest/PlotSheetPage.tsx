/**
 * `/plots/:code` — the plot sheet (public): what the plot is (area in 亩 / 公顷 / m², land use,
 * supply modes), the indicative minimum price for an IAB project (50 years and a 20-year example,
 * with the binding term — ../components/PlotPriceFloor.tsx), the park's policies (subsidy cap and
 * headroom, the 15% facilities ratio, the green channel), a live incentive calculator, and the
 * interest form. Every figure says its date; sample data says so. Printable (print stylesheet).
 * Shows only public fields: the server never sends cost inputs, other investors or notes.
 */
import { useEffect } from 'react';
import { Link, useParams } from 'wouter';
import { formatArea as formatAreaIn } from '../../../shared/units.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import { interpolate } from '../../ui/interpolate.tsx';
import { supplyModesFor } from '../../../shared/supply-modes.ts';
import { api, ApiError, floorApi, investApi, type ParkDetail, type PlotDetail, type ReferenceData } from '../../api/index.ts';
import { PageLoading } from '../../ui/AccessGate.tsx';
import { Fact, Facts } from '../../ui/PanelParts.tsx';
import { PlotPriceFloor } from '../../ui/PlotPriceFloor.tsx';
import { ConditionsFacts } from '../conditions/ConditionsFacts.tsx';
import { BoundaryTable } from '../locate/BoundaryTable.tsx';
import { PlotLocationMap } from '../locate/LocationMap.tsx';
import type { AreaGeometry } from '../locate/locationMap.ts';
import { IncentiveCalculator } from './IncentiveCalculator.tsx';
import { InterestForm } from './InterestForm.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { addToCompare, COMPARE_MAX, removeFromCompare, useCompareStore } from './compareStore.ts';
import { markSampleSeen, useDatasetStore } from '../../stores/dataset.ts';
import { PlotCodeFacts } from '../../ui/PlotCodeFacts.tsx';
import './invest.css';

const bpToPct = (bp: string | undefined, fallback: number) => (bp === undefined ? fallback : Number(bp) / 100);

export default function PlotSheetPage() {
  const { code = '' } = useParams<{ code: string }>();
  const { t } = useT();
  const errorText = useErrorText();
  const plot = useApi<PlotDetail>(`plot-code:${code}`, (signal) => investApi.plotByCode(code, signal));
  const parkId = plot.data?.properties.parkId;
  const park = useApi<ParkDetail>(parkId === undefined ? null : `park:${parkId}`, (signal) => api.park(parkId!, signal));
  const reference = useApi<ReferenceData>('reference', (signal) => floorApi.reference(signal));

  useEffect(() => {
    document.title = `${code} · ${t('sheet.kind')} · ${t('app.title')}`;
  }, [code, t]);
  useEffect(() => {
    if (plot.data?.properties.sample) markSampleSeen();
  }, [plot.data]);
  // Arrived to register interest (`#sheet-interest`, the map panel's link): go to the form.
  useEffect(() => {
    if (!plot.data || window.location.hash !== '#sheet-interest') return;
    const el = document.getElementById('sheet-interest');
    el?.scrollIntoView({ block: 'start' });
    el?.focus({ preventScroll: true });
    // The page's own focus handling on arrival may run after this: take the focus back once painted.
    const frame = requestAnimationFrame(() => {
      if (el && document.activeElement !== el) el.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [plot.data]);

  if (plot.loading) {
    return <PageLoading />;
  }
  if (plot.error || !plot.data) {
    const missing = plot.error instanceof ApiError && plot.error.status === 404;
    return (
      <div className="page-message" role="alert">
        <h1>{missing ? t('sheet.notFound', { code }) : errorText(plot.error)}</h1>
        <Link href="/invest">{t('sheet.back')}</Link>
      </div>
    );
  }
  return (
    <div className="page">
      <Sheet plot={plot.data} park={park.data} reference={reference.data} />
    </div>
  );
}

function Sheet({ plot, park, reference }: { plot: PlotDetail; park: ParkDetail | null; reference: ReferenceData | null }) {
  const { t, locale } = useT();
  const p = plot.properties;
  const dataAsOf = useDatasetStore((s) => s.meta?.dataAsOf ?? null);
  const compare = useCompareStore((s) => s.codes);
  const inCompare = compare.includes(p.code);
  const n = (x: number, digits = 2) => formatNumber(x, locale, digits);
  const param = (key: string) => reference?.parameters.find((x) => x.key === key)?.value;

  return (
    <article className="sheet sheet--plot" aria-labelledby="sheet-title" data-testid="plot-sheet">
      <nav className="sheet-nav no-print" aria-label={t('sheet.kind')}>
        <Link href="/invest">← {t('sheet.back')}</Link>
        <div className="sheet-actions">
          <button
            type="button"
            className="button button--ghost"
            aria-pressed={inCompare}
            disabled={!inCompare && compare.length >= COMPARE_MAX}
            onClick={() => (inCompare ? removeFromCompare(p.code) : addToCompare(p.code))}
            data-testid="sheet-compare"
          >
            {inCompare ? t('sheet.inCompare') : compare.length >= COMPARE_MAX ? t('sheet.compareFull') : t('sheet.addCompare')}
          </button>
          <button type="button" className="button" onClick={() => window.print()}>
            {t('sheet.print')}
          </button>
        </div>
      </nav>

      <header className="sheet-head">
        <p className="eyebrow">{t('sheet.kind')}</p>
        <h1 id="sheet-title" data-testid="sheet-title">
          {p.code}
        </h1>
        <p className="subtitle">
          {localName(locale, { nameZh: p.parkNameZh, nameEn: p.parkNameEn })} · {locale === 'en' ? p.districtNameEn : p.districtNameZh}
        </p>
        <ul className="chips">
          <li className="chip">
            <span className="dot" style={{ background: STATUS_COLORS[p.status] }} aria-hidden="true" />
            {t(`status.${p.status}`)}
          </li>
          <li className="chip chip--outline">{t(`landUse.${p.landUse}`)}</li>
          {p.sample && <li className="chip chip--sample">{t('sheet.sample')}</li>}
        </ul>
        <p className="muted small">{t('sheet.dataAsOf', { date: formatDate(dataAsOf ?? p.updatedAt, locale) })}</p>
      </header>

      {p.sample && <div className="note note--sample">{t('sheet.sampleNote')}</div>}

      <div className="sheet-grid">
        <section className="sheet-section sheet-facts" aria-labelledby="sheet-facts">
          <h2 id="sheet-facts">{t('sheet.facts')}</h2>
          <Facts>
            <Fact label={t('sheet.areaMu')}>
              <span className="strong" data-testid="sheet-area-mu">{formatAreaIn(p.areaM2, 'mu', locale)}</span>
            </Fact>
            <Fact label={t('sheet.areaHa')}>{formatAreaIn(p.areaM2, 'ha', locale)}</Fact>
            <Fact label={t('sheet.areaM2')}>{formatAreaIn(p.areaM2, 'm2', locale)}</Fact>
            <Fact label={t('plot.landUse')}>{t(`landUse.${p.landUse}`)}</Fact>
            <PlotCodeFacts p={p} />
            <Fact label={t('sheet.supplyModes')}>
              <ul className="inline-list" data-testid="sheet-supply-modes">
                {supplyModesFor(p.landUse).map((m) => (
                  <li key={m}>{t(`supplyMode.${m}`)}</li>
                ))}
              </ul>
              <span className="muted small">{t('supplyMode.note')}</span>
            </Fact>
            <Fact label={t('plot.park')}>
              {localName(locale, { nameZh: p.parkNameZh, nameEn: p.parkNameEn })} ({p.parkCode})
            </Fact>
            <Fact label={t('plot.district')}>{locale === 'en' ? p.districtNameEn : p.districtNameZh}</Fact>
            <Fact label={t('plot.location')}>{p.location}</Fact>
            <Fact label={t('plot.plotRatio')}>{p.plotRatioMin !== null && p.plotRatioMax !== null ? t('value.range', { min: n(p.plotRatioMin), max: n(p.plotRatioMax) }) : null}</Fact>
            <Fact label={t('plot.buildingDensity')}>{p.buildingDensityMaxPct === null ? null : t('value.atMost', { value: `${n(p.buildingDensityMaxPct, 1)}%` })}</Fact>
            <Fact label={t('plot.greenRatio')}>{p.greenRatioMinPct === null ? null : t('value.atLeast', { value: `${n(p.greenRatioMinPct, 1)}%` })}</Fact>
            <Fact label={t('plot.heightLimit')}>{p.heightLimitM === null ? null : t('value.atMost', { value: `${n(p.heightLimitM, 1)} ${t('unit.m')}` })}</Fact>
            <Fact label={t('sheet.investmentIntensity')}>
              {p.investmentIntensityYuanPerM2 == null ? null : t('value.atLeast', { value: t('sheet.perM2Yuan', { value: n(p.investmentIntensityYuanPerM2, 0) }) })}
            </Fact>
            <Fact label={t('plot.serviced')}>{p.serviced === null ? null : p.serviced ? t('plot.servicedYes') : t('plot.servicedNo')}</Fact>
          </Facts>
        </section>

        <section className="sheet-section sheet-conds" aria-labelledby="sheet-conditions" data-testid="sheet-conditions">
          <h2 id="sheet-conditions">{t('conditions.title')}</h2>
          <p className="muted small">{t('conditions.lead')}</p>
          <ConditionsFacts conditions={p.conditions} testId="sheet-conditions-facts" />
        </section>

        <div className="sheet-col">
        <section className="sheet-section sheet-floor" aria-label={t('floor.title')}>
          <PlotPriceFloor plotId={p.id} publicPrint />
          <p className="muted small">{t('sheet.noCostNote')}</p>
        </section>

        <section className="sheet-section sheet-policies" aria-labelledby="sheet-policies" data-testid="sheet-policies">
          <h2 id="sheet-policies">{t('sheet.policies')}</h2>
          {park ? (
            <Facts>
              <Fact label={t('sheet.tier')}>{t(`tier.${park.properties.tier}`)}</Fact>
              <Fact label={t('sheet.greenChannel')}>
                <span data-testid="sheet-green-channel">{park.properties.tier === 'core' ? t('sheet.greenChannelYes') : t('sheet.greenChannelNo')}</span>
              </Fact>
              <Fact label={t('sheet.facilities')}>
                {t('sheet.facilitiesValue', { pct: bpToPct(param('facilitiesRatioParkOperatorBp'), 15), base: bpToPct(param('facilitiesRatioDefaultBp'), 14) })}
              </Fact>
              <Fact label={t('sheet.subsidy')}>
                <SubsidyFigures figures={park.properties.figures} pct={bpToPct(param('subsidyShareBp'), 20)} />
              </Fact>
            </Facts>
          ) : (
            <p className="muted" role="status">
              {t('app.loading')}
            </p>
          )}
          {reference && <p className="muted small">{t('sheet.policiesAsOf', { date: formatDate(reference.asOf, locale) })}</p>}
        </section>
        </div>

        <section className="sheet-section sheet-locate" aria-labelledby="sheet-locate" data-testid="sheet-locate">
          <h2 id="sheet-locate">{t('locate.title')}</h2>
          <div className="locate-grid">
            <PlotLocationMap code={p.code} geometry={plot.geometry as AreaGeometry} />
            <BoundaryTable geometry={plot.geometry as AreaGeometry} />
          </div>
        </section>
      </div>

      <IncentiveCalculator />

      <section className="sheet-section no-print" aria-labelledby="sheet-interest">
        <h2 id="sheet-interest" tabIndex={-1}>{t('interest.title')}</h2>
        {p.status === 'available' ? (
          <>
            <p className="muted">{t('interest.lead')}</p>
            <InterestForm plotId={p.id} plotCode={p.code} />
          </>
        ) : (
          <p className="note note--info">{t('sheet.unavailable', { status: t(`status.${p.status}`) })}</p>
        )}
      </section>
    </article>
  );
}

/** The park's subsidy cap, granted and headroom — in one unit (万元 or 亿元), exact 元 on hover. */
function SubsidyFigures({ figures, pct }: { figures: ParkDetail['properties']['figures']; pct: number }) {
  const { t, locale } = useT();
  const remaining = Math.max(0, figures.subsidyCapYuan - figures.subsidyGrantedYuan);
  const scale = moneyScale([figures.subsidyCapYuan, figures.subsidyGrantedYuan, remaining], locale);
  return (
    <>
      {interpolate(t('sheet.subsidyValue', { pct, cap: '{cap}' }), { cap: <Money yuan={figures.subsidyCapYuan} scale={scale} testId="sheet-subsidy-cap" /> })}
      <br />
      <span className="muted" data-testid="sheet-subsidy-headroom">
        {interpolate(t('sheet.subsidyHeadroom', { granted: '{granted}', remaining: '{remaining}' }), {
          granted: <Money yuan={figures.subsidyGrantedYuan} scale={scale} />,
          remaining: <Money yuan={remaining} scale={scale} />,
        })}
      </span>
    </>
  );
}
