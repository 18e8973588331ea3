/**
 * `/supervision/report?year=&district=` — the yearly monitoring report (GET /api/supervision/report)
 * for a district or the city: a summary page, then one A4 page per park with land left and
 * supplied, projects signed and landed, idle land (with its list), the year's 亩均 grades,
 * 标准地 conditions unmet (with the gaps) and field inspections. "打印" prints one park a page
 * (monitoring.css); "导出 CSV" downloads the same figures (UTF-8 with a BOM).
 * Scope: supervision.read; a district officer sees their own district only.
 */
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError, monitoringApi, type MonitoringReport, type ReportPark } from '../../api/index.ts';
import { AccessGate, LoadError, PageLoading } from '../../ui/AccessGate.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale, scaleUnit, type MoneyScale } from '../../ui/money.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCityWide } from '../../ui/useCan.ts';
import { localName } from '../../i18n/index.ts';
import { DistrictSelect, YearSelect } from './YearSelect.tsx';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { gapText } from '../performance/gapText.ts';
import { CsvButton } from './CsvButton.tsx';
import { muText } from './figures.ts';
import { NotYourDistrict } from './NoAccess.tsx';
import { ReportTable } from './ReportTable.tsx';
import './dashboard.css';
import './report.css';
import './monitoring.css';
import '../performance/performance.css';
import { bureauYear } from '../../../shared/dates.ts';

/** Rows of each list printed on a park's page; the rest are in the CSV and on screen. */
const PRINT_ROWS = 6;
const GRADES = ['A', 'B', 'C', 'D'] as const;

export default function MonitoringReportPage() {
  return (
    <AccessGate permission="supervision.read">
      <Monitoring />
    </AccessGate>
  );
}

function Monitoring() {
  const { t, locale } = useT();
  const search = useSearch();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const thisYear = bureauYear();
  const year = /^\d{4}$/.test(params.get('year') ?? '') ? Number(params.get('year')) : thisYear;
  const cityWide = useCityWide();
  const own = useSessionStore((s) => s.user?.districtCode ?? null);
  const district = cityWide ? params.get('district') || undefined : own ?? undefined;
  const report = useApi(`monitoring:${year}:${district ?? ''}`, (signal) => monitoringApi.report({ year, districtCode: district }, signal));
  const r = report.data;
  const feeScale = r ? feeScaleOf(r, locale) : 'wan';

  useEffect(() => {
    document.title = `${t('mon.eyebrow')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (r?.sample) markSampleSeen();
  }, [r]);

  const go = (next: { year?: number; district?: string | undefined }) => {
    const q = new URLSearchParams({ year: String(next.year ?? year) });
    const d = 'district' in next ? next.district : district;
    if (cityWide && d) q.set('district', d);
    navigate(`/supervision/report?${q.toString()}`);
  };

  if (report.error instanceof ApiError && report.error.status === 403) return <NotYourDistrict message={t('mon.forbidden')} />;

  return (
    <div className="page dash-page report-page mon-page" data-testid="monitoring-report">
      <div className="report-toolbar no-print">
        <div className="mon-tools">
          <YearSelect year={year} thisYear={thisYear} onChange={(y) => go({ year: y })} label={t('mon.year')} testId="mon-year" />
          {cityWide && <DistrictSelect district={district} onChange={(d) => go({ district: d })} label={t('mon.district')} testId="mon-district" />}
        </div>
        <div className="report-toolbar-actions">
          {r && <CsvButton url={monitoringApi.reportCsvUrl({ year, districtCode: district })} fallbackName={`monitoring-${district ?? 'city'}-${year}.csv`} testId="mon-csv" />}
          <button type="button" className="button button--small" onClick={() => window.print()} data-testid="mon-print">
            {t('mon.print')}
          </button>
        </div>
      </div>
      {report.error && <LoadError error={report.error} onRetry={report.reload} />}
      {report.loading && <PageLoading />}
      {r && (
        <>
          <Summary r={r} feeScale={feeScale} />
          {r.parks.map((p) => (
            <ParkPage key={p.id} r={r} p={p} feeScale={feeScale} />
          ))}
        </>
      )}
    </div>
  );
}

function scopeName(r: MonitoringReport, locale: 'zh-CN' | 'en', city: string) {
  return r.scope.districtCode === null ? city : locale === 'en' ? r.scope.nameEn : r.scope.nameZh;
}

function Head({ r, title, sub, sample }: { r: MonitoringReport; title: string; sub?: string; sample: boolean }) {
  const { t, locale } = useT();
  return (
    <header className="report-head head-row">
      <div className="report-title-block">
        <p className="eyebrow">
          {t('mon.eyebrow')} · {r.year}
        </p>
        <h1>{title}</h1>
        {sub && <p className="report-subtitle">{sub}</p>}
      </div>
      <div className="report-stamp">
        <p>{t('mon.asOf', { date: formatDate(r.asOf, locale) })}</p>
        <p>{t('mon.generated', { date: formatDate(r.generatedAt, locale, true) })}</p>
        {r.thresholds && (
          <p>
            {t('mon.thresholds', { id: r.thresholds.versionId, from: formatDate(r.thresholds.effectiveFrom, locale) })}
            {r.thresholds.sample && <span className="perf-sample-flag"> {t('perf.sampleThresholds')}</span>}
          </p>
        )}
        {sample && (
          <p className="report-sample" data-testid="mon-sample">
            {t('mon.sample')}
          </p>
        )}
      </div>
    </header>
  );
}

type Figures = MonitoringReport['totals'];

/** Idle fees, wherever the report shows them (totals, each park, each item), in one unit: 万元, or 亿元 from the largest. */
function feeScaleOf(r: MonitoringReport, locale: 'zh-CN' | 'en'): MoneyScale {
  return moneyScale([r.totals.idle.feesDecidedYuan, ...r.parks.flatMap((p) => [p.idle.feesDecidedYuan, ...p.idleItems.map((i) => i.feeYuan ?? 0)])], locale);
}

function Kpis({ f, testId, feeScale }: { f: Omit<Figures, 'parks'>; testId: string; feeScale: MoneyScale }) {
  const { t, locale } = useT();
  const n = (x: number) => formatNumber(x, locale, 0);
  const mu = t('dashboard.unit.mu');
  return (
    <section className="report-kpis mon-kpis" aria-label={t('dashboard.keyFigures')} data-testid={testId}>
      <Kpi label={t('mon.landLeft')} value={`${muText(f.land.availableAreaM2)} ${mu}`} />
      <Kpi label={t('mon.landAllocated')} value={`${muText(f.land.allocatedAreaM2)} ${mu}`} />
      <Kpi label={t('mon.projects')} value={`${n(f.projectsSigned)} / ${n(f.projectsLanded)}`} />
      <Kpi label={t('mon.idle')} value={t('mon.idleLine', { n: n(f.idle.count), mu: formatNumber(f.idle.areaMu, locale, 2) })} tone={f.idle.count > 0 ? 'alert' : undefined} testId={`${testId}-idle`} />
      <Kpi label={t('mon.fees')} value={<Money yuan={f.idle.feesDecidedYuan} scale={feeScale} />} testId={`${testId}-fees`} />
      <div className="report-kpi" data-testid={`${testId}-grades`}>
        <p className="report-kpi-label">
          {t('mon.grades')} · {t('mon.evaluated', { n: n(f.evaluated) })}
        </p>
        <p className="report-kpi-value mon-grades">
          {GRADES.map((g) => (
            <span key={g}>
              <span className={`perf-grade perf-grade--${g}`}>{g}</span> {n(f.grades[g])}
            </span>
          ))}
        </p>
      </div>
      <Kpi label={t('mon.unmet')} value={n(f.conditionsUnmet)} tone={f.conditionsUnmet > 0 ? 'warn' : undefined} />
      <Kpi
        label={t('mon.inspections')}
        value={n(f.inspections.open)}
        note={t('mon.inspectionsLine', { open: n(f.inspections.open), opened: n(f.inspections.openedInYear), closed: n(f.inspections.closedInYear) })}
      />
    </section>
  );
}

function Kpi({ label, value, note, tone, testId }: { label: string; value: ReactNode; note?: string; tone?: 'warn' | 'alert' | undefined; testId?: string }) {
  return (
    <div className={`report-kpi${tone ? ` report-kpi--${tone}` : ''}`} data-testid={testId}>
      <p className="report-kpi-label">{label}</p>
      <p className="report-kpi-value">{value}</p>
      {note && <p className="report-kpi-note">{note}</p>}
    </div>
  );
}

function Summary({ r, feeScale }: { r: MonitoringReport; feeScale: MoneyScale }) {
  const { t, locale } = useT();
  const n = (x: number) => formatNumber(x, locale, 0);
  const scope = scopeName(r, locale, t('mon.scopeCity'));
  const plan = r.planTargets;
  return (
    <article className="report mon-report" aria-labelledby="mon-summary" data-testid="mon-summary">
      <Head r={r} title={t('mon.title', { scope, year: r.year })} sub={`${t('mon.summary')} · ${t('dashboard.parkCount', { n: n(r.totals.parks) })}`} sample={r.sample} />
      <h2 id="mon-summary" className="visually-hidden">
        {t('mon.summary')}
      </h2>
      {r.parks.length === 0 ? <p className="muted report-empty">{t('mon.noParks')}</p> : <Kpis f={r.totals} testId="mon-totals" feeScale={feeScale} />}
      <section className="report-section">
        <div className="report-section-head">
          <h2>{t('sup.keyPlan', { clause: plan.clause })}</h2>
          <p className="report-section-sum">{t('sup.keyPlanNote', { year: plan.byYear, signed: n(plan.keyProjectsSigned), landed: n(plan.keyProjectsLanded) })}</p>
        </div>
        <p>
          {t('sup.keySigned', { actual: n(plan.keyProjectsSignedActual), target: n(plan.keyProjectsSigned) })} ·{' '}
          {t('sup.keyLanded', { actual: n(plan.keyProjectsLandedActual), target: n(plan.keyProjectsLanded) })}
        </p>
      </section>
      {r.parks.length > 0 && (
        <section className="report-section">
          <ReportTable
            rowCount={r.parks.length}
            printRows={40}
            columns={[
              t('perf.col.park'),
              { label: t('mon.landLeft'), num: true },
              { label: t('mon.projects'), num: true },
              { label: t('mon.idle'), num: true },
              ...GRADES.map((g) => ({ label: g, num: true })),
              { label: t('mon.unmet'), num: true },
              { label: t('mon.inspections'), num: true },
            ]}
          >
            {r.parks.map((p) => (
              <tr key={p.id}>
                <td>
                  <span className="mono">{p.code}</span> {localName(locale, p)}
                </td>
                <td className="num">{muText(p.land.availableAreaM2)}</td>
                <td className="num">
                  {n(p.projectsSigned)} / {n(p.projectsLanded)}
                </td>
                <td className="num">{n(p.idle.count)}</td>
                {GRADES.map((g) => (
                  <td key={g} className="num">
                    {n(p.grades[g])}
                  </td>
                ))}
                <td className="num">{n(p.conditionsUnmet)}</td>
                <td className="num">{n(p.inspections.open)}</td>
              </tr>
            ))}
          </ReportTable>
        </section>
      )}
      <footer className="report-foot">
        <span>{t('mon.footer', { title: t('app.title') })}</span>
        {r.thresholds?.sample && <span className="report-sample-foot">{t('perf.sampleThresholdsNote')}</span>}
        {r.sample && <span className="report-sample-foot">{t('mon.sampleNote')}</span>}
      </footer>
    </article>
  );
}

function ParkPage({ r, p, feeScale }: { r: MonitoringReport; p: ReportPark; feeScale: MoneyScale }) {
  const { t, locale } = useT();
  const n = (x: number) => formatNumber(x, locale, 0);
  const titleId = `mon-park-${p.id}`;
  return (
    <article className="report mon-report" aria-labelledby={titleId} data-testid={`mon-park-${p.code}`}>
      <Head r={r} title={`${p.code} ${localName(locale, p)}`} sub={localName(locale === 'en' ? 'zh-CN' : 'en', p)} sample={p.sample} />
      <h2 id={titleId} className="visually-hidden">
        {localName(locale, p)}
      </h2>
      <Kpis f={p} testId={`mon-kpis-${p.code}`} feeScale={feeScale} />

      <section className="report-section">
        <div className="report-section-head">
          <h2>{t('mon.idleItems')}</h2>
        </div>
        {p.idleItems.length === 0 ? (
          <p className="muted report-empty">{t('mon.idleNone')}</p>
        ) : (
          <ReportTable
            rowCount={p.idleItems.length}
            printRows={PRINT_ROWS}
            columns={[t('mon.col.project'), t('mon.col.plot'), t('mon.col.stage'), { label: t('mon.col.days'), num: true }, { label: t('mon.col.area'), num: true }, { label: t('mon.col.feeIn', { unit: scaleUnit(feeScale) }), num: true }, t('mon.col.decided')]}
          >
            {p.idleItems.map((i, k) => (
              <tr key={i.allocationId} className={k >= PRINT_ROWS ? 'report-more' : undefined}>
                <td>
                  <span className="strong">{i.projectName}</span>
                  <span className="report-sub">{i.enterpriseName}</span>
                </td>
                <td className="mono">
                  <Link href={`/plots/${encodeURIComponent(i.plotCode)}`}>{i.plotCode}</Link>
                </td>
                <td>{t(`mon.stage.${i.stage}`)}</td>
                <td className="num">{n(i.daysLate)}</td>
                <td className="num">{muText(i.areaM2)}</td>
                <td className="num">{i.feeYuan === null ? t('value.none') : <Money yuan={i.feeYuan} scale={feeScale} bare testId="mon-fee" />}</td>
                <td>{i.decided ? t('mon.yes') : t('mon.no')}</td>
              </tr>
            ))}
          </ReportTable>
        )}
      </section>

      <section className="report-section">
        <div className="report-section-head">
          <h2>{t('mon.unmetItems')}</h2>
        </div>
        {p.unmetItems.length === 0 ? (
          <p className="muted report-empty">{t('mon.unmetNone')}</p>
        ) : (
          <ReportTable rowCount={p.unmetItems.length} printRows={PRINT_ROWS} columns={[t('mon.col.project'), t('mon.col.plot'), t('mon.col.grade'), t('mon.col.conditions')]}>
            {p.unmetItems.map((u, k) => (
              <tr key={u.allocationId} className={k >= PRINT_ROWS ? 'report-more' : undefined}>
                <td className="strong">{u.projectName}</td>
                <td className="mono">{u.plotCode}</td>
                <td>
                  <span className={`perf-grade perf-grade--${u.grade}`}>{u.grade}</span>
                </td>
                <td>{u.fields.map((f) => gapText(f, t, locale)).join('；')}</td>
              </tr>
            ))}
          </ReportTable>
        )}
      </section>

      <footer className="report-foot">
        <span>{t('mon.footer', { title: t('app.title') })}</span>
        {p.sample && <span className="report-sample-foot">{t('mon.sampleNote')}</span>}
      </footer>
    </article>
  );
}
