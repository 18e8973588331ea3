/**
 * What the district dashboard and the city overview have in common: the key figures over the
 * parks shown, three charts (land by status, subsidy against the cap, lead-sector share against
 * the target) and the per-park table with its CSV export.
 */
import { useId, useMemo, useState } from 'react';
import type { BureauParks, DashboardTotals } from '../../api/index.ts';
import { formatNumber } from '../../ui/format.ts';
import { interpolate } from '../../ui/interpolate.tsx';
import { Money } from '../../ui/Money.tsx';
import { moneyScale, scaleUnit } from '../../ui/money.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';
import { useT } from '../../i18n/useT.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { chartHeight, landChartOption, leadShareChartOption, subsidyChartOption } from './charts.ts';
import { CsvButton } from './CsvButton.tsx';
import { EChart } from './EChart.tsx';
import { m2Text, muText, shareText } from './figures.ts';
import { ParkTable } from './ParkTable.tsx';
import { SupervisionSection } from './SupervisionSection.tsx';

export function ReviewBody({
  data,
  csvUrl,
  csvName,
  tableCaption,
  showDistrict = false,
  districts = null,
}: {
  data: BureauParks;
  csvUrl: string;
  csvName: string;
  tableCaption: string;
  showDistrict?: boolean;
  districts?: DistrictNames | null;
}) {
  const { t, locale } = useT();
  const tableId = useId();
  const [showM2, setShowM2] = useState(false);
  const rows = data.parks;
  const land = useMemo(() => landChartOption(rows, t, locale), [rows, t, locale]);
  const subsidy = useMemo(() => subsidyChartOption(rows, t, locale), [rows, t, locale]);
  const lead = useMemo(() => leadShareChartOption(rows, data.leadSectorTarget, t, locale), [rows, data.leadSectorTarget, t, locale]);
  const height = chartHeight(rows.length);

  return (
    <>
      <KeyFigures totals={data.totals} year={data.year} target={data.leadSectorTarget} planTargets={data.planTargets} />

      {rows.length > 0 && (
        <section className="dash-charts" aria-label={t('dashboard.chartsLabel')}>
          <EChart title={t('dashboard.chart.land')} summary={t('dashboard.chart.landSummary')} option={land} height={height} describedBy={tableId} testId="chart-land" />
          <EChart title={t('dashboard.chart.subsidyUnit')} summary={t('dashboard.chart.subsidySummary')} option={subsidy} height={height} describedBy={tableId} testId="chart-subsidy" />
          {rows.some((r) => r.leadSectorShare.share !== null) ? (
            <EChart
              title={t('dashboard.chart.lead', { pct: shareText(data.leadSectorTarget) ?? '' })}
              summary={t('dashboard.chart.leadSummary', { pct: shareText(data.leadSectorTarget) ?? '' })}
              option={lead}
              height={height}
              describedBy={tableId}
              testId="chart-lead"
            />
          ) : (
            <figure className="dash-chart" data-testid="chart-lead">
              <figcaption className="dash-chart-title">{t('dashboard.chart.lead', { pct: shareText(data.leadSectorTarget) ?? '' })}</figcaption>
              <p className="dash-chart-empty" style={{ height: height - 8 }}>
                {t('dashboard.chart.leadEmpty')}
              </p>
            </figure>
          )}
        </section>
      )}

      {data.supervision && (
        <SupervisionSection data={data} districtCode={'district' in data ? (data as { district: { code: string } }).district.code : null} showPlan={showDistrict} />
      )}

      <section className="dash-section" aria-labelledby={`${tableId}-h`}>
        <div className="dash-section-head">
          <h2 id={`${tableId}-h`} className="dash-h2">
            {t('dashboard.tableTitle')}
          </h2>
          <div className="dash-section-tools">
            <label className="check check--inline">
              <input type="checkbox" checked={showM2} onChange={(e) => setShowM2(e.target.checked)} data-testid="show-m2" />
              {t('dashboard.showM2')}
            </label>
            <CsvButton url={csvUrl} fallbackName={csvName} />
          </div>
        </div>
        <p className="muted small dash-units">{t('dashboard.units')}</p>
        <ParkTable id={tableId} parks={rows} totals={data.totals} year={data.year} target={data.leadSectorTarget} caption={tableCaption} showDistrict={showDistrict} districts={districts} showM2={showM2} />
        <p className="muted small dash-definitions">{t('dashboard.definitions')}</p>
      </section>
    </>
  );
}

/** The headline figures over the parks shown (the server's totals). */
export function KeyFigures({ totals: f, year, target, planTargets: plan }: { totals: DashboardTotals; year: number; target: number; planTargets?: BureauParks['planTargets'] }) {
  const { t, locale } = useT();
  const n = (x: number) => formatNumber(x, locale, 0);
  // The subsidy KPI and its note in one unit (万元 or 亿元), exact 元 on hover.
  const subsidyScale = moneyScale([f.subsidy.grantedYuan, f.subsidy.capYuan, f.subsidy.remainingYuan], locale);
  const mu = t('dashboard.unit.mu');
  const statuses = [
    { key: 'available', m2: f.availableAreaM2 },
    { key: 'held', m2: f.heldAreaM2 },
    { key: 'allocated', m2: f.allocatedAreaM2 },
    { key: 'withdrawn', m2: f.withdrawnAreaM2 },
  ] as const;
  const total = statuses.reduce((s, x) => s + x.m2, 0);
  const lead = shareText(f.leadSectorShare.share);
  return (
    <section className="dash-kpis" aria-label={t('dashboard.keyFigures')} data-testid="key-figures">
      <div className="dash-kpi dash-kpi--wide">
        <p className="dash-kpi-label">{t('dashboard.kpi.land', { n: n(f.parks) })}</p>
        <p className="dash-kpi-value" title={`${m2Text(f.totalAreaM2)} ${t('dashboard.unit.m2')}`}>
          {muText(f.totalAreaM2)} <span className="dash-kpi-unit">{mu}</span>
        </p>
        <div className="dash-landbar" role="img" aria-label={t('dashboard.kpi.landBar')}>
          {total > 0 &&
            statuses.map((s) =>
              s.m2 > 0 ? <span key={s.key} style={{ width: `${(s.m2 / total) * 100}%`, background: STATUS_COLORS[s.key] }} /> : null,
            )}
        </div>
        <ul className="dash-legend">
          {statuses.slice(0, 3).map((s) => (
            <li key={s.key}>
              <span className="dot" style={{ background: STATUS_COLORS[s.key] }} aria-hidden="true" />
              {t(`status.${s.key}`)} <span className="strong">{muText(s.m2)}</span> {mu}
            </li>
          ))}
        </ul>
        <p className="dash-kpi-note">{t('dashboard.kpi.plots', { n: n(f.plotCounts.total), available: n(f.plotCounts.available) })}</p>
      </div>
      <div className="dash-kpi">
        <p className="dash-kpi-label">{t('dashboard.kpi.quota', { year })}</p>
        <p className="dash-kpi-value">
          {muText(f.quotaChargedM2)} <span className="dash-kpi-unit">{mu}</span>
        </p>
        <p className="dash-kpi-note">{m2Text(f.quotaChargedM2)} {t('dashboard.unit.m2')}</p>
      </div>
      <div className="dash-kpi">
        <p className="dash-kpi-label">{t('dashboard.kpi.subsidy')}</p>
        <p className="dash-kpi-value" data-testid="kpi-subsidy-granted">
          <Money yuan={f.subsidy.grantedYuan} scale={subsidyScale} bare /> <span className="dash-kpi-unit">{scaleUnit(subsidyScale)}</span>
        </p>
        <p className="dash-kpi-note" data-testid="kpi-subsidy-note">
          {interpolate(t('dashboard.kpi.subsidyNote', { cap: '{cap}', remaining: '{remaining}' }), {
            cap: <Money yuan={f.subsidy.capYuan} scale={subsidyScale} />,
            remaining: <Money yuan={f.subsidy.remainingYuan} scale={subsidyScale} />,
          })}
        </p>
      </div>
      <div className="dash-kpi">
        <p className="dash-kpi-label">{t('dashboard.kpi.projects')}</p>
        <p className="dash-kpi-value">
          {n(f.projectsSigned)} <span className="dash-kpi-unit">/ {n(f.projectsLanded)}</span>
        </p>
        <p className="dash-kpi-note">{t('dashboard.kpi.projectsNote')}</p>
      </div>
      {plan && (
        <div className="dash-kpi" data-testid="plan-targets">
          <p className="dash-kpi-label">{t('dashboard.kpi.keyProjects')}</p>
          <p className="dash-kpi-value">
            {n(plan.keyProjectsSignedActual)} <span className="dash-kpi-unit">/ {n(plan.keyProjectsLandedActual)}</span>
          </p>
          <p className="dash-kpi-note">
            {t('dashboard.kpi.keyProjectsTarget', { signed: n(plan.keyProjectsSigned), landed: n(plan.keyProjectsLanded), year: plan.byYear, clause: plan.clause })}
          </p>
        </div>
      )}
      <div className="dash-kpi">
        <p className="dash-kpi-label">{t('dashboard.kpi.lead')}</p>
        <p className="dash-kpi-value">{lead ?? t('value.none')}</p>
        <p className="dash-kpi-note">
          {lead === null ? t('dashboard.noAllocations') : t('dashboard.kpi.leadNote', { pct: shareText(target) ?? '' })}
        </p>
      </div>
      <div className={`dash-kpi${f.overdueMilestones > 0 ? ' dash-kpi--alert' : ''}`}>
        <p className="dash-kpi-label">{t('dashboard.kpi.overdue')}</p>
        <p className="dash-kpi-value">{n(f.overdueMilestones)}</p>
        <p className="dash-kpi-note">{t('dashboard.kpi.overdueNote')}</p>
      </div>
    </section>
  );
}
