import { bbox } from '@turf/turf';
import { useEffect } from 'react';
import type { BBox } from '../../../shared/domain.ts';
import { api } from '../../api/index.ts';
import { formatArea, formatDate, formatM2, formatNumber } from '../../ui/format.ts';
import { localName, type Locale } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useApi } from '../../ui/useApi.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { select, takeFocusRequest } from '../../stores/selection.ts';
import { fitBounds } from '../../stores/view.ts';
import { Fact, Facts, PanelError, PanelLoading } from '../../ui/PanelParts.tsx';
import { HistoryList } from '../../ui/HistoryList.tsx';
import { PlotPriceFloor } from '../../ui/PlotPriceFloor.tsx';
import { ConditionsSection } from '../conditions/ConditionsFacts.tsx';
import { PlotCodeFacts } from '../../ui/PlotCodeFacts.tsx';
import { PlotLinks } from './PlotLinks.tsx';

export function PlotDetails({ id }: { id: number }) {
  const { t, locale } = useT();
  const { data, error, loading, reload } = useApi(`plot:${id}`, (signal) => api.plot(id, signal));

  useEffect(() => {
    if (!data) return;
    if (data.properties.sample) markSampleSeen();
    if (takeFocusRequest({ kind: 'plot', id })) fitBounds(bbox(data) as BBox, 15.5);
  }, [data, id]);

  if (loading) return <PanelLoading />;
  if (error) return <PanelError error={error} onRetry={reload} />;
  if (!data) return null;
  const p = data.properties;
  const n = (x: number, digits = 2) => formatNumber(x, locale, digits);
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';

  return (
    <div className="panel-body">
      <header className="panel-header">
        <p className="eyebrow">{t('plot.kind')}</p>
        <h2 tabIndex={-1} data-testid="panel-title">{p.code}</h2>
        <p className="subtitle">
          <button type="button" className="link-button" onClick={() => select({ kind: 'park', id: p.parkId })} title={t('plot.showPark')}>
            {localName(locale, { nameZh: p.parkNameZh, nameEn: p.parkNameEn })}
          </button>
          <span className="muted" lang={other}> · {localName(other, { nameZh: p.parkNameZh, nameEn: p.parkNameEn })}</span>
        </p>
        <ul className="chips">
          <li className="chip" data-testid="plot-status">
            <span className="dot" style={{ background: STATUS_COLORS[p.status] }} />
            {t(`status.${p.status}`)}
          </li>
          <li className="chip chip--outline">{p.landUse}</li>
        </ul>
      </header>

      <PlotLinks code={p.code} status={p.status} />

      {p.sample && <div className="note note--sample">{t('plot.sample')}</div>}

      <Facts>
        <Fact label={t('plot.area')}>
          <span className="strong">{formatArea(p.areaM2, locale)}</span>
          <br />
          <span className="muted">{formatM2(p.areaM2, locale)}</span>
        </Fact>
        <Fact label={t('plot.landUse')}>{t(`landUse.${p.landUse}`)}</Fact>
        <PlotCodeFacts p={p} />
        <Fact label={t('plot.status')}>{t(`status.${p.status}`)}</Fact>
        <Fact label={t('plot.park')}>
          {localName(locale, { nameZh: p.parkNameZh, nameEn: p.parkNameEn })} ({p.parkCode})
        </Fact>
        <Fact label={t('plot.district')}>{locale === 'en' ? p.districtNameEn : p.districtNameZh}</Fact>
        <Fact label={t('plot.location')}>{p.location}</Fact>
        <Fact label={t('plot.landLevel')}>{p.landLevel === null ? null : t('value.level', { level: p.landLevel })}</Fact>
        <Fact label={t('plot.plotRatio')}>
          {p.plotRatioMin !== null && p.plotRatioMax !== null
            ? t('value.range', { min: n(p.plotRatioMin), max: n(p.plotRatioMax) })
            : p.plotRatioMax !== null
              ? t('value.atMost', { value: n(p.plotRatioMax) })
              : p.plotRatioMin !== null
                ? t('value.atLeast', { value: n(p.plotRatioMin) })
                : null}
        </Fact>
        <Fact label={t('plot.buildingDensity')}>
          {p.buildingDensityMaxPct === null ? null : t('value.atMost', { value: `${n(p.buildingDensityMaxPct, 1)}%` })}
        </Fact>
        <Fact label={t('plot.greenRatio')}>
          {p.greenRatioMinPct === null ? null : t('value.atLeast', { value: `${n(p.greenRatioMinPct, 1)}%` })}
        </Fact>
        <Fact label={t('plot.heightLimit')}>
          {p.heightLimitM === null ? null : t('value.atMost', { value: `${n(p.heightLimitM, 1)} ${t('unit.m')}` })}
        </Fact>
        <Fact label={t('plot.serviced')}>
          {p.serviced === null ? null : p.serviced ? t('plot.servicedYes') : t('plot.servicedNo')}
        </Fact>
        <Fact label={t('plot.updatedAt')}>{formatDate(p.updatedAt, locale, true)}</Fact>
      </Facts>

      <ConditionsSection conditions={p.conditions} />

      {/* Price floor and the plot's history (audit readers only). */}
      <PlotPriceFloor plotId={p.id} />
      <HistoryList entity="plot" entityId={p.id} />
    </div>
  );
}
