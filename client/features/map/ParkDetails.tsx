import { bbox } from '@turf/turf';
import { useEffect } from 'react';
import { Link } from 'wouter';
import type { BBox } from '../../../shared/domain.ts';
import { LIVE_PLOT_STATUSES, PLOT_MIN_ZOOM, type LivePlotStatus } from '../../../shared/domain.ts';
import { api, type ParkDetail, type ParkFigures } from '../../api/index.ts';
import { formatArea, formatMu, formatNumber } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import { localName, type Locale, type Translate } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCityWide } from '../../ui/useCan.ts';
import { SECTOR_COLORS, STATUS_COLORS } from '../../map/palette.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { takeFocusRequest } from '../../stores/selection.ts';
import { useSessionStore } from '../../stores/session.ts';
import { fitBounds, useViewStore } from '../../stores/view.ts';
import { Fact, Facts, PanelError, PanelLoading, StackedBar } from '../../ui/PanelParts.tsx';

const AREA_BY_STATUS: Record<LivePlotStatus, keyof ParkFigures> = {
  available: 'availableAreaM2',
  held: 'heldAreaM2',
  allocated: 'allocatedAreaM2',
  withdrawn: 'withdrawnAreaM2',
};

function zoomToPark(park: ParkDetail) {
  fitBounds(bbox(park) as BBox, 15);
}

export function ParkDetails({ id }: { id: number }) {
  const { t, locale } = useT();
  const { data, error, loading, reload } = useApi(`park:${id}`, (signal) => api.park(id, signal));
  const plotsVisible = useViewStore((s) => s.zoom >= PLOT_MIN_ZOOM);

  useEffect(() => {
    if (!data) return;
    if (data.properties.sample) markSampleSeen();
    if (takeFocusRequest({ kind: 'park', id })) zoomToPark(data);
  }, [data, id]);

  if (loading) return <PanelLoading />;
  if (error) return <PanelError error={error} onRetry={reload} />;
  if (!data) return null;
  const p = data.properties;
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';

  return (
    <div className="panel-body">
      <header className="panel-header">
        <p className="eyebrow">
          {t('park.kind')} · {p.code}
        </p>
        <h2 tabIndex={-1} data-testid="panel-title">{localName(locale, p)}</h2>
        <p className="subtitle" lang={other}>{localName(other, p)}</p>
        <ul className="chips">
          {p.sectors.map((s) => (
            <li key={s} className="chip">
              <span className="dot" style={{ background: SECTOR_COLORS[s] }} />
              {t(`sector.${s}`)}
            </li>
          ))}
          <li className="chip chip--outline">{t(`tier.${p.tier}`)}</li>
        </ul>
      </header>

      {p.boundarySource === 'indicative' && (
        <div className="note note--info" data-testid="indicative-note">
          <strong>{t('park.indicative')}</strong>
          <span>{t('park.indicativeNote')}</span>
        </div>
      )}

      <Facts>
        <Fact label={t('park.district')}>{locale === 'en' ? p.districtNameEn : p.districtNameZh}</Fact>
        <Fact label={t('park.tier')}>{t(`tier.${p.tier}`)}</Fact>
        <Fact label={t('park.sectors')}>{p.sectors.map((s) => t(`sector.${s}`)).join(locale === 'en' ? ', ' : '、')}</Fact>
        {p.recognizedYear !== null && <Fact label={t('park.recognizedYear')}>{p.recognizedYear}</Fact>}
        <Fact label={t('park.area')}>{formatArea(p.areaM2, locale)}</Fact>
      </Facts>

      <Figures figures={p.figures} t={t} locale={locale} />

      <div className="panel-actions">
        <button type="button" className="button" onClick={() => zoomToPark(data)}>
          {t('park.showPlots')}
        </button>
        {!plotsVisible && <p className="muted">{t('park.plotsHint')}</p>}
        <ReviewLinks parkId={p.id} districtCode={p.districtCode} />
      </div>
    </div>
  );
}

/** The park's printable report and its district's dashboard, for the bureau and the park's own district officers. */
function ReviewLinks({ parkId, districtCode }: { parkId: number; districtCode: string }) {
  const { t } = useT();
  const user = useSessionStore((s) => s.user);
  const cityWide = useCityWide();
  if (!cityWide && !(user?.role === 'district_officer' && user.districtCode === districtCode)) return null;
  return (
    <p data-testid="park-review-links">
      <Link href={`/parks/${parkId}/report`}>{t('dashboard.parkLink.report')}</Link>
      {' · '}
      <Link href={`/district/${districtCode}`}>{t('dashboard.parkLink.district')}</Link>
    </p>
  );
}

function Figures({ figures: f, t, locale }: { figures: ParkFigures; t: Translate; locale: Locale }) {
  // In fen, so the difference of two 2-decimal figures stays exact.
  const remaining = Math.max(0, Math.round(f.subsidyCapYuan * 100) - Math.round(f.subsidyGrantedYuan * 100)) / 100;
  const subsidyScale = moneyScale([f.subsidyCapYuan, f.subsidyGrantedYuan, remaining], locale);
  return (
    <>
      <h3 className="section-title">{t('park.figures')}</h3>
      <Facts>
        <Fact label={t('park.plotCount')}>{t('value.count', { n: formatNumber(f.plotCount, locale, 0) })}</Fact>
        <Fact label={t('park.totalArea')}>{formatArea(f.totalAreaM2, locale)}</Fact>
      </Facts>
      <StackedBar
        label={t('park.byStatus')}
        parts={LIVE_PLOT_STATUSES.map((s) => ({
          key: s,
          value: f[AREA_BY_STATUS[s]] as number,
          color: STATUS_COLORS[s],
          title: `${t(`status.${s}`)}: ${formatArea(f[AREA_BY_STATUS[s]] as number, locale)}`,
        }))}
      />
      <table className="status-table">
        <caption className="visually-hidden">{t('park.byStatus')}</caption>
        <tbody>
          {LIVE_PLOT_STATUSES.map((s) => (
            <tr key={s}>
              <th scope="row">
                <span className="dot" style={{ background: STATUS_COLORS[s] }} />
                {t(`status.${s}`)}
              </th>
              <td className="num">{t('value.count', { n: formatNumber(f.byStatus[s] ?? 0, locale, 0) })}</td>
              <td className="num">{formatMu(f[AREA_BY_STATUS[s]] as number, locale)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h3 className="section-title">{t('park.subsidy')}</h3>
      <StackedBar
        label={t('park.subsidy')}
        parts={[
          { key: 'granted', value: f.subsidyGrantedYuan, color: '#2f6db5', title: t('park.subsidyGranted') },
          { key: 'remaining', value: remaining, color: '#d9e2ec', title: t('park.subsidyRemaining') },
        ]}
      />
      <Facts>
        {/* Cap, granted and headroom read together: one unit (万元 or 亿元), exact 元 on hover. */}
        <Fact label={t('park.subsidyCap')}><Money yuan={f.subsidyCapYuan} scale={subsidyScale} /></Fact>
        <Fact label={t('park.subsidyGranted')}><Money yuan={f.subsidyGrantedYuan} scale={subsidyScale} /></Fact>
        <Fact label={t('park.subsidyRemaining')}><Money yuan={remaining} scale={subsidyScale} testId="park-subsidy-remaining" /></Fact>
      </Facts>
    </>
  );
}
