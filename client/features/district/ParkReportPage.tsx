/**
 * `/parks/:id/report` — the printable one-page park report (GET /api/parks/:id/report): the
 * park (name, district, tier, lead sectors, as-of date, sample marking), its key figures, small
 * bars (land by status, subsidy against the cap, lead-sector share against the target), its
 * subsidies, overdue starts and park-operator projects. "打印 / Print" prints it on one A4 page
 * (the print stylesheet hides the app's bars and the screen-only controls).
 *
 * It is also where a park's subsidies are managed: the industry officer grants, disburses and
 * withdraws here (../../district/SubsidySection.tsx); the land bureau registers park-operator
 * projects. Everyone else with access reads. District officers: their own district's parks only.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams, useSearch } from 'wouter';
import { ApiError, dashboardApi, type ParkReport } from '../../api/index.ts';
import { AccessGate, LoadError, PageLoading } from '../../ui/AccessGate.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale } from '../../ui/money.ts';
import { interpolate } from '../../ui/interpolate.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useCityWide } from '../../ui/useCan.ts';
import { localName, type Locale } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { SECTOR_COLORS } from '../../map/palette.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { m2Text, muText, shareText, yearFromSearch } from './figures.ts';
import { NotYourDistrict } from './NoAccess.tsx';
import { OperatorProjectsSection } from './OperatorProjectsSection.tsx';
import { ReportBars } from './ReportBars.tsx';
import { SubsidySection } from './SubsidySection.tsx';
import { ReportTable } from './ReportTable.tsx';
import { ParkLocationMap } from '../locate/LocationMap.tsx';
import './dashboard.css';
import './report.css';
import { bureauYear } from '../../../shared/dates.ts';

/** Overdue starts printed on the one-page report. */
const PRINT_OVERDUE = 5;

export default function ParkReportPage() {
  return (
    <AccessGate permission="districts.dashboard">
      <Report />
    </AccessGate>
  );
}

function Report() {
  const { id = '' } = useParams<{ id: string }>();
  const { t, locale } = useT();
  const search = useSearch();
  const year = yearFromSearch(search, bureauYear());
  const parkId = /^\d+$/.test(id) ? Number(id) : null;
  const [reloadKey, setReloadKey] = useState(0);
  const [flash, setFlash] = useState<string | null>(null);
  const report = useApi(parkId === null ? null : `report:${parkId}:${year ?? ''}:${reloadKey}`, (signal) => dashboardApi.report(parkId!, year, signal));
  // Keep the last report on screen while a reload after a change runs (no flicker, focus kept).
  const [shown, setShown] = useState<ParkReport | null>(null);
  if (report.data && report.data !== shown) setShown(report.data);
  const r = report.data ?? (shown?.park.id === parkId ? shown : null);
  const cityWide = useCityWide();

  useEffect(() => {
    const name = r ? localName(locale, r.park) : id;
    document.title = `${name} · ${t('dashboard.report.kind')} · ${t('app.title')}`;
  }, [t, locale, r, id]);
  useEffect(() => {
    if (r?.park.sample) markSampleSeen();
  }, [r]);

  const changed = (message: string) => {
    setFlash(message);
    setReloadKey((k) => k + 1);
  };

  if (report.error instanceof ApiError && report.error.status === 403) {
    return <NotYourDistrict message={t('dashboard.otherDistrictPark')} />;
  }
  if (parkId === null || (report.error instanceof ApiError && report.error.status === 404)) {
    return (
      <div className="page-message" role="alert">
        <h1>{t('dashboard.report.notFound', { id })}</h1>
        <Link href={cityWide ? '/bureau/parks' : '/'}>{t('dashboard.backOverview')}</Link>
      </div>
    );
  }
  if (!r) {
    if (report.error) {
      return (
        <div className="page dash-page">
          <div className="page-inner">
            <LoadError error={report.error} onRetry={report.reload} />
          </div>
        </div>
      );
    }
    return <PageLoading />;
  }

  const p = r.park;
  const other: Locale = locale === 'en' ? 'zh-CN' : 'en';
  const n = (x: number) => formatNumber(x, locale, 0);
  const mu = t('dashboard.unit.mu');
  const m2 = t('dashboard.unit.m2');
  const districtName = localName(locale, r.district);
  // The report's subsidy figures in one unit (万元 or 亿元), exact 元 on hover.
  const subsidyScale = moneyScale([r.subsidies.capYuan, r.subsidies.grantedYuan, r.subsidies.remainingYuan], locale);

  return (
    <div className="page dash-page report-page">
      <div className="report-toolbar no-print">
        <nav className="breadcrumb" aria-label={t('dashboard.breadcrumb')}>
          {cityWide && (
            <>
              <Link href="/bureau/parks">{t('dashboard.overviewTitle')}</Link> ›{' '}
            </>
          )}
          <Link href={`/district/${r.district.code}`}>{t('dashboard.districtTitle', { district: districtName })}</Link> › {p.code}
        </nav>
        <div className="report-toolbar-actions">
          <Link href={`/?park=${p.id}`} className="button button--secondary button--small">
            {t('dashboard.report.onMap')}
          </Link>
          <button type="button" className="button button--small" onClick={() => window.print()} data-testid="print-button">
            <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" className="dash-icon">
              <path d="M4 6V2h8v4M4 12H2.5V7.5a1.5 1.5 0 0 1 1.5-1.5h8a1.5 1.5 0 0 1 1.5 1.5V12H12M4 10h8v4H4z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
            </svg>
            {t('dashboard.report.print')}
          </button>
        </div>
      </div>
      {flash && (
        <p className="alert alert--ok report-flash no-print" role="status" data-testid="report-flash">
          {flash}
        </p>
      )}

      <article className="report" aria-labelledby="report-title" data-testid="park-report" aria-busy={report.loading}>
        <header className="report-head head-row">
          <div className="report-title-block">
            <p className="eyebrow">
              {t('dashboard.report.kind')} · {p.code}
            </p>
            <h1 id="report-title">{localName(locale, p)}</h1>
            <p className="report-subtitle" lang={other === 'en' ? 'en' : 'zh-CN'}>
              {localName(other, p)}
            </p>
          </div>
          <div className="report-stamp">
            <p>
              {t('dashboard.asOf', { date: formatDate(r.asOf, locale, true) })}
            </p>
            <p>{t('dashboard.report.quotaYear', { year: r.year })}</p>
            {p.sample && (
              <p className="report-sample" data-testid="report-sample">
                {t('dashboard.report.sampleMark')}
              </p>
            )}
          </div>
        </header>
        <dl className="report-meta">
          <div>
            <dt>{t('park.district')}</dt>
            <dd>{districtName}</dd>
          </div>
          <div>
            <dt>{t('park.tier')}</dt>
            <dd>
              {t(`tier.${p.tier}`)}
              {p.recognizedYear ? ` · ${t('dashboard.report.recognized', { year: p.recognizedYear })}` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('park.sectors')}</dt>
            <dd>
              {p.sectors.map((s) => (
                <span key={s} className="report-sector">
                  <span className="rswatch" style={{ background: SECTOR_COLORS[s] }} aria-hidden="true" />
                  {t(`sector.${s}`)}
                </span>
              ))}
            </dd>
          </div>
          <div>
            <dt>{t('dashboard.report.parkArea')}</dt>
            <dd>
              {muText(p.areaM2)} {mu}
              <span className="report-sub-inline">
                {' '}
                · {p.boundarySource === 'surveyed' ? t('dashboard.report.surveyed') : t('dashboard.report.indicative')}
              </span>
            </dd>
          </div>
        </dl>

        <section className="report-kpis" aria-label={t('dashboard.keyFigures')} data-testid="report-kpis">
          <Kpi label={t('dashboard.kpi.plotArea')} value={`${muText(p.totalAreaM2)} ${mu}`} note={`${m2Text(p.totalAreaM2)} ${m2} · ${t('dashboard.plotsN', { n: n(p.plotCounts.total) })}`} testId="kpi-total" />
          <Kpi label={t('dashboard.col.available')} value={`${muText(p.availableAreaM2)} ${mu}`} note={`${m2Text(p.availableAreaM2)} ${m2} · ${t('dashboard.plotsN', { n: n(p.plotCounts.available) })}`} testId="kpi-available" />
          <Kpi label={t('dashboard.col.held')} value={`${muText(p.heldAreaM2)} ${mu}`} note={`${m2Text(p.heldAreaM2)} ${m2} · ${t('dashboard.plotsN', { n: n(p.plotCounts.held) })}`} testId="kpi-held" />
          <Kpi label={t('dashboard.col.allocated')} value={`${muText(p.allocatedAreaM2)} ${mu}`} note={`${m2Text(p.allocatedAreaM2)} ${m2} · ${t('dashboard.plotsN', { n: n(p.plotCounts.allocated) })}`} testId="kpi-allocated" />
          <Kpi label={t('dashboard.kpi.quota', { year: r.year })} value={`${muText(p.quotaChargedM2)} ${mu}`} note={`${m2Text(p.quotaChargedM2)} ${m2}`} testId="kpi-quota" />
          <Kpi
            label={t('dashboard.col.subsidyRemaining')}
            value={<Money yuan={r.subsidies.remainingYuan} scale={subsidyScale} />}
            note={interpolate(t('dashboard.report.subsidyNote', { granted: '{granted}', cap: '{cap}' }), {
              granted: <Money yuan={r.subsidies.grantedYuan} scale={subsidyScale} />,
              cap: <Money yuan={r.subsidies.capYuan} scale={subsidyScale} />,
            })}
            testId="subsidy-remaining"
          />
          <Kpi label={t('dashboard.kpi.projects')} value={`${n(p.projectsSigned)} / ${n(p.projectsLanded)}`} note={t('dashboard.kpi.projectsNote')} testId="kpi-projects" />
          <Kpi
            label={t('dashboard.kpi.lead')}
            value={shareText(p.leadSectorShare.share) ?? t('value.none')}
            note={p.leadSectorShare.share === null ? t('dashboard.noAllocations') : t('dashboard.kpi.leadNote', { pct: shareText(p.leadSectorShare.target) ?? '' })}
            tone={p.leadSectorShare.meetsTarget === false ? 'warn' : undefined}
            testId="kpi-lead"
          />
          <Kpi label={t('dashboard.kpi.overdue')} value={n(p.overdueMilestones)} note={t('dashboard.kpi.overdueNote')} tone={p.overdueMilestones > 0 ? 'alert' : undefined} testId="kpi-overdue" />
        </section>

        <div className="report-locate">
          <ParkLocationMap parkId={p.id} name={localName(locale, p)} />
          <ReportBars park={p} />
        </div>

        <SubsidySection report={r} reloadKey={reloadKey} onChanged={changed} />

        <section className="report-section" aria-labelledby="report-overdue" data-testid="overdue-section">
          <div className="report-section-head">
            <h2 id="report-overdue">{t('dashboard.overdue.title')}</h2>
            <p className="report-section-sum">{t('dashboard.overdue.rule')}</p>
          </div>
          {r.overdue.length === 0 ? (
            <p className="muted report-empty">{t('dashboard.overdue.none')}</p>
          ) : (
            <ReportTable
              rowCount={r.overdue.length}
              printRows={PRINT_OVERDUE}
              columns={[
                t('dashboard.overdue.project'),
                t('dashboard.overdue.plot'),
                t('dashboard.overdue.agreed'),
                { label: t('dashboard.overdue.days'), num: true },
                { label: t('dashboard.overdue.area'), num: true },
              ]}
            >
              {r.overdue.map((o, i) => (
                <tr key={o.allocationId} className={i >= PRINT_OVERDUE ? 'report-more' : undefined}>
                  <td>
                    <span className="strong">{o.projectName}</span>
                    <span className="report-sub">{o.enterpriseName}</span>
                  </td>
                  <td className="mono">
                    <Link href={`/plots/${encodeURIComponent(o.plotCode)}`}>{o.plotCode}</Link>
                  </td>
                  <td className="nowrap">{formatDate(o.agreedStartOn, locale)}</td>
                  <td className="num">
                    <span className="dash-alert">{n(o.overdueDays)}</span>
                  </td>
                  <td className="num">{muText(o.areaM2)}</td>
                </tr>
              ))}
            </ReportTable>
          )}
        </section>

        <OperatorProjectsSection report={r} reloadKey={reloadKey} onChanged={changed} />

        <footer className="report-foot">
          <span>{t('dashboard.report.source', { title: t('app.title') })}</span>
          <span>{t('dashboard.report.definitions')}</span>
          {p.sample && <span className="report-sample-foot">{t('dashboard.sampleNote')}</span>}
        </footer>
      </article>
    </div>
  );
}

function Kpi({ label, value, note, tone, testId }: { label: string; value: ReactNode; note?: ReactNode; tone?: 'warn' | 'alert' | undefined; testId?: string }) {
  return (
    <div className={`report-kpi${tone ? ` report-kpi--${tone}` : ''}`} data-testid={testId}>
      <p className="report-kpi-label">{label}</p>
      <p className="report-kpi-value" data-testid={testId ? `${testId}-value` : undefined}>
        {value}
      </p>
      {note && <p className="report-kpi-note">{note}</p>}
    </div>
  );
}
