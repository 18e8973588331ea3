/**
 * `/bureau/parks` — the bureau's city overview of every value-innovation park (the plan's twelve
 * and any recognized later; GET /api/bureau/parks): the dashboard's figures per park with its
 * district, city totals, charts (land by status, subsidy against the cap, lead-sector share),
 * a sortable table, CSV export, and links to each park's report and district dashboard.
 * Bureau roles only; a district officer is pointed to their own district's dashboard.
 */
import { useEffect, useMemo } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError, dashboardApi } from '../../api/index.ts';
import { AccessGate, LoadError, PageLoading } from '../../ui/AccessGate.tsx';
import { formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCityWide } from '../../ui/useCan.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { yearFromSearch } from './figures.ts';
import { NotYourDistrict } from './NoAccess.tsx';
import { ReviewBody } from './ReviewBody.tsx';
import { ReviewHeader } from './ReviewHeader.tsx';
import './dashboard.css';
import './report.css';
import { bureauYear } from '../../../shared/dates.ts';

export default function ParksOverviewPage() {
  return (
    <AccessGate permission="districts.dashboard">
      <Overview />
    </AccessGate>
  );
}

function Overview() {
  const { t, locale } = useT();
  const search = useSearch();
  const [, navigate] = useLocation();
  const year = yearFromSearch(search, bureauYear());
  const allowed = useCityWide();
  const data = useApi(allowed ? `bureau-parks:${year ?? ''}` : null, (signal) => dashboardApi.parks(year, signal));
  const districts = useDistrictNames();
  const d = data.data;

  useEffect(() => {
    document.title = `${t('dashboard.overviewTitle')} · ${t('app.title')}`;
  }, [t]);

  // Districts with parks, for the quick links to their dashboards.
  const byDistrict = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of d?.parks ?? []) m.set(p.districtCode, (m.get(p.districtCode) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }, [d]);

  if (!allowed || (data.error instanceof ApiError && data.error.status === 403)) return <NotYourDistrict message={t('dashboard.bureauOnly')} />;

  return (
    <div className="page dash-page" data-testid="parks-overview">
      <div className="page-inner">
        <ReviewHeader
          eyebrow={t('dashboard.overviewEyebrow')}
          title={t('dashboard.overviewTitle')}
          data={d ?? null}
          year={year}
          onYear={(y) => navigate(`/bureau/parks?year=${y}`)}
        />
        {byDistrict.length > 0 && (
          <nav className="dash-district-links no-print" aria-label={t('dashboard.districtLinks')}>
            <span className="muted small">{t('dashboard.districtLinks')}</span>
            <ul className="chips">
              {byDistrict.map(([code, n]) => {
                const dn = districts?.get(code);
                return (
                  <li key={code}>
                    <Link href={`/district/${code}${year ? `?year=${year}` : ''}`} className="chip chip--button" data-testid={`district-link-${code}`}>
                      {dn ? localName(locale, dn) : code}
                      <span className="count-badge">{formatNumber(n, locale, 0)}</span>
                    </Link>
                  </li>
                );
              })}
            </ul>
          </nav>
        )}
        {data.error && <LoadError error={data.error} onRetry={data.reload} />}
        {data.loading && <PageLoading />}
        {d && (
          <ReviewBody
            data={d}
            csvUrl={dashboardApi.parksCsvUrl(year)}
            csvName={`parks-${d.year}.csv`}
            tableCaption={t('dashboard.overviewCaption', { year: d.year })}
            showDistrict
            districts={districts}
          />
        )}
      </div>
    </div>
  );
}
