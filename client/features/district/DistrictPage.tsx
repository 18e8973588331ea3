/**
 * `/district/:code` — a district's review dashboard (GET /api/districts/:code/dashboard): per
 * park the land by status (亩, m² on hover or on a second line), plot counts, this year's quota
 * charged, the subsidy against the 1亿 cap, projects signed and landed, the lead-sector share
 * against the 80 % target and overdue starts; totals, charts, CSV export, a link to each park's
 * printable report. For the district's own officers and the bureau (who get a district chooser);
 * another district's officer sees a plain "no access", the public is asked to sign in.
 */
import { useEffect, useId, useMemo } from 'react';
import { Link, useLocation, useParams, useSearch } from 'wouter';
import { api, ApiError, dashboardApi } from '../../api/index.ts';
import { AccessGate, LoadError, PageLoading } from '../../ui/AccessGate.tsx';
import { useApi } from '../../ui/useApi.ts';
import { useCityWide } from '../../ui/useCan.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import { yearFromSearch } from './figures.ts';
import { NotYourDistrict } from './NoAccess.tsx';
import { ReviewBody } from './ReviewBody.tsx';
import { ReviewHeader } from './ReviewHeader.tsx';
import './dashboard.css';
import './report.css';
import { bureauYear } from '../../../shared/dates.ts';

export default function DistrictPage() {
  return (
    <AccessGate permission="districts.dashboard">
      <DistrictDashboard />
    </AccessGate>
  );
}

function DistrictDashboard() {
  const { code = '' } = useParams<{ code: string }>();
  const { t, locale } = useT();
  const user = useSessionStore((s) => s.user);
  const search = useSearch();
  const [, navigate] = useLocation();
  const year = yearFromSearch(search, bureauYear());
  const cityWide = useCityWide();
  const own = user?.role === 'district_officer' && user.districtCode === code;
  const allowed = cityWide || own;
  const dash = useApi(allowed ? `district:${code}:${year ?? ''}` : null, (signal) => dashboardApi.district(code, year, signal));
  const districts = useDistrictNames();
  const d = dash.data;
  const name = d ? localName(locale, d.district) : (districts?.get(code) ? localName(locale, districts.get(code)!) : code);

  useEffect(() => {
    document.title = `${t('dashboard.districtTitle', { district: name })} · ${t('app.title')}`;
  }, [t, name]);

  const go = (next: { code?: string; year?: number }) => {
    const y = next.year ?? year;
    navigate(`/district/${next.code ?? code}${y ? `?year=${y}` : ''}`);
  };

  const forbidden = !allowed || (dash.error instanceof ApiError && dash.error.status === 403);
  if (forbidden) return <NotYourDistrict message={t('dashboard.otherDistrict')} />;
  if (dash.error instanceof ApiError && dash.error.status === 404) {
    return (
      <div className="page-message" role="alert">
        <h1>{t('dashboard.noDistrict', { code })}</h1>
        <Link href={cityWide ? '/bureau/parks' : '/'}>{t('dashboard.backOverview')}</Link>
      </div>
    );
  }

  return (
    <div className="page dash-page" data-testid="district-dashboard">
      <div className="page-inner">
        {cityWide && (
          <nav className="breadcrumb no-print" aria-label={t('dashboard.breadcrumb')}>
            <Link href={`/bureau/parks${year ? `?year=${year}` : ''}`}>{t('dashboard.overviewTitle')}</Link> › {name}
          </nav>
        )}
        <ReviewHeader
          eyebrow={t('dashboard.districtEyebrow')}
          title={t('dashboard.districtTitle', { district: name })}
          titleTestId="dashboard-title"
          data={d ?? null}
          year={year}
          onYear={(y) => go({ year: y })}
        >
          {cityWide && <DistrictChooser code={code} onChange={(c) => go({ code: c })} />}
        </ReviewHeader>
        {dash.error && <LoadError error={dash.error} onRetry={dash.reload} />}
        {dash.loading && <PageLoading />}
        {d && d.parks.length === 0 && <p className="note note--info">{t('dashboard.noParksInDistrict')}</p>}
        {d && (
          <ReviewBody
            data={d}
            csvUrl={dashboardApi.districtCsvUrl(code, year)}
            csvName={`dashboard-${code}-${d.year}.csv`}
            tableCaption={t('dashboard.tableCaption', { district: name, year: d.year })}
          />
        )}
      </div>
    </div>
  );
}

/** The bureau's district chooser: every district, with how many parks it has. */
function DistrictChooser({ code, onChange }: { code: string; onChange: (code: string) => void }) {
  const { t, locale } = useT();
  const id = useId();
  const districts = useDistrictNames();
  const parks = useApi('parks:all', (signal) => api.parks(signal));
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const f of parks.data?.features ?? []) m.set(f.properties.districtCode, (m.get(f.properties.districtCode) ?? 0) + 1);
    return m;
  }, [parks.data]);
  const options = [...(districts?.values() ?? [])].sort((a, b) => (counts.get(b.code) ?? 0) - (counts.get(a.code) ?? 0) || a.code.localeCompare(b.code));
  return (
    <div className="field field--inline">
      <label htmlFor={id}>{t('dashboard.district')}</label>
      <select id={id} value={code} onChange={(e) => onChange(e.target.value)} data-testid="district-select">
        {!districts && <option value={code}>{code}</option>}
        {options.map((d) => (
          <option key={d.code} value={d.code}>
            {t('dashboard.districtOption', { name: localName(locale, d), n: counts.get(d.code) ?? 0 })}
          </option>
        ))}
      </select>
    </div>
  );
}
