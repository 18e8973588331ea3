/**
 * `/bureau/parks` — the bureau's city overview of every value-innovation park (the plan's twelve
 * and any recognized later; GET /api/bureau/parks): the dashboard's figures per park with its
 * district, city totals, charts (land by status, subsidy against the cap, lead-sector share),
 * a sortable table, CSV export, and links to each park's report and district dashboard.
 * Bureau roles only; a district officer is pointed to their own district's dashboard.
 */
import { useEffect, useMemo } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { CITY_WIDE_ROLES } from '../../../shared/roles.ts';
import { ApiError, dashboardApi } from '../../api.ts';
import { AccessGate, LoadError } from '../../components/AccessGate.tsx';
import { formatDate, formatNumber } from '../../format.ts';
import { useApi } from '../../hooks/useApi.ts';
import { useDistrictNames } from '../../hooks/useDistrictNames.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { useSessionStore } from '../../stores/session.ts';
import { yearFromSearch } from '../../district/figures.ts';
import { NoAccess, PageLoading } from '../../district/NoAccess.tsx';
import { ReviewBody } from '../../district/ReviewBody.tsx';
import { YearSelect } from '../../district/YearSelect.tsx';
import '../../district/dashboard.css';

export default function ParksOverviewPage() {
  return (
    <AccessGate permission="districts.dashboard">
      <Overview />
    </AccessGate>
  );
}

function Overview() {
  const { t, locale } = useT();
  const user = useSessionStore((s) => s.user);
  const search = useSearch();
  const [, navigate] = useLocation();
  const thisYear = new Date().getFullYear();
  const year = yearFromSearch(search, thisYear);
  const allowed = !!user && (CITY_WIDE_ROLES as readonly string[]).includes(user.role);
  const data = useApi(allowed ? `bureau-parks:${year ?? ''}` : null, (signal) => dashboardApi.parks(year, signal));
  const districts = useDistrictNames();
  const d = data.data;

  useEffect(() => {
    document.title = `${t('dashboard.overviewTitle')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (d?.parks.some((p) => p.sample)) markSampleSeen();
  }, [d]);

  // Districts with parks, for the quick links to their dashboards.
  const byDistrict = useMemo(() => {
    const m = new Map<string, number>();
    for (const p of d?.parks ?? []) m.set(p.districtCode, (m.get(p.districtCode) ?? 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }, [d]);

  if (!allowed || (data.error instanceof ApiError && data.error.status === 403)) {
    return (
      <NoAccess message={t('dashboard.bureauOnly')}>
        {user?.districtCode && (
          <Link href={`/district/${user.districtCode}`} className="button" data-testid="own-district-link">
            {t('dashboard.ownDistrict')}
          </Link>
        )}
      </NoAccess>
    );
  }

  return (
    <div className="page dash-page" data-testid="parks-overview">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <p className="eyebrow">{t('dashboard.overviewEyebrow')}</p>
            <h1>{t('dashboard.overviewTitle')}</h1>
            {d && (
              <p className="muted">
                {t('dashboard.asOf', { date: formatDate(d.asOf, locale, true) })} · {t('dashboard.parkCount', { n: d.parks.length })}
              </p>
            )}
          </div>
          <div className="page-header-actions dash-controls">
            <YearSelect year={year ?? d?.year ?? thisYear} thisYear={Math.max(thisYear, d?.year ?? thisYear)} onChange={(y) => navigate(`/bureau/parks?year=${y}`)} />
          </div>
        </header>

        {d?.parks.some((p) => p.sample) && (
          <p className="note note--sample" data-testid="sample-note">
            <strong>{t('dashboard.sample')}</strong>
            <span>{t('dashboard.sampleNote')}</span>
          </p>
        )}
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
