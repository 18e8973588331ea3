/**
 * The per-park figures table of the district dashboard and the city overview: sortable columns
 * (buttons in the headers, `aria-sort`), a totals row (the server's totals: projects spanning
 * two parks count once), areas in 亩 with m² on hover or, switched on, on a second line; money
 * in one unit per column (万元, or 亿元 when the column's largest figure reaches 1 亿元), named in
 * the heading, the exact 元 on hover. It is also the text alternative of the charts above it.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { DashboardFigures, DashboardPark, DashboardTotals } from '../../api/index.ts';
import { formatNumber } from '../../ui/format.ts';
import { Money } from '../../ui/Money.tsx';
import { moneyScale, scaleUnit } from '../../ui/money.ts';
import type { DistrictNames } from '../../ui/useDistrictNames.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { DEFAULT_SORT, m2Text, muText, nextSort, shareText, sortParks, type SortKey, type SortState } from './figures.ts';

interface Column {
  key: SortKey;
  label: string;
  /** The unit (or basis) under the label. */
  unit?: string;
  num: boolean;
  cell: (f: DashboardFigures) => ReactNode;
}

export function ParkTable({
  id,
  parks,
  totals,
  year,
  target,
  caption,
  showDistrict = false,
  districts = null,
  showM2,
}: {
  id: string;
  parks: DashboardPark[];
  totals: DashboardTotals;
  year: number;
  /** The lead-sector target share (0.8). */
  target: number;
  caption: string;
  showDistrict?: boolean;
  districts?: DistrictNames | null;
  showM2: boolean;
}) {
  const { t, locale } = useT();
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const rows = useMemo(() => sortParks(parks, sort), [parks, sort]);
  const count = (n: number) => formatNumber(n, locale, 0);
  const mu = t('dashboard.unit.mu');
  const split = (f: DashboardFigures) =>
    t('dashboard.plotSplit', { available: count(f.plotCounts.available), held: count(f.plotCounts.held), allocated: count(f.plotCounts.allocated) });

  const area = (m2: number) => (
    <>
      <span className="dash-num" title={`${m2Text(m2)} ${t('dashboard.unit.m2')}`}>
        {muText(m2)}
      </span>
      {showM2 && <span className="dash-sub">{m2Text(m2)} {t('dashboard.unit.m2')}</span>}
    </>
  );

  // One unit per money column, from its largest figure (the totals row included).
  const scaleOf = (pick: (f: DashboardFigures) => number) => moneyScale([...parks.map(pick), pick(totals)], locale);
  const grantedScale = scaleOf((f) => f.subsidy.grantedYuan);
  const remainingScale = scaleOf((f) => f.subsidy.remainingYuan);

  const columns: Column[] = [
    { key: 'total', label: t('dashboard.col.total'), unit: mu, num: true, cell: (f) => area(f.totalAreaM2) },
    { key: 'available', label: t('dashboard.col.available'), unit: mu, num: true, cell: (f) => area(f.availableAreaM2) },
    { key: 'held', label: t('dashboard.col.held'), unit: mu, num: true, cell: (f) => area(f.heldAreaM2) },
    { key: 'allocated', label: t('dashboard.col.allocated'), unit: mu, num: true, cell: (f) => area(f.allocatedAreaM2) },
    {
      key: 'plots',
      label: t('dashboard.col.plots'),
      unit: t('dashboard.unit.plotSplit'),
      num: true,
      cell: (f) => (
        <>
          <span className="dash-num">{count(f.plotCounts.total)}</span>
          <span className="dash-sub" aria-hidden="true" title={split(f)}>
            {count(f.plotCounts.available)} / {count(f.plotCounts.held)} / {count(f.plotCounts.allocated)}
          </span>
          <span className="visually-hidden">{split(f)}</span>
        </>
      ),
    },
    { key: 'quota', label: t('dashboard.col.quota'), unit: t('dashboard.unit.muYear', { year }), num: true, cell: (f) => area(f.quotaChargedM2) },
    {
      key: 'subsidy',
      label: t('dashboard.col.subsidyGranted'),
      unit: scaleUnit(grantedScale),
      num: true,
      cell: (f) => <Money className="dash-num" yuan={f.subsidy.grantedYuan} scale={grantedScale} bare />,
    },
    {
      key: 'remaining',
      label: t('dashboard.col.subsidyRemaining'),
      unit: scaleUnit(remainingScale),
      num: true,
      cell: (f) => <Money className="dash-num" yuan={f.subsidy.remainingYuan} scale={remainingScale} bare />,
    },
    { key: 'signed', label: t('dashboard.col.signed'), unit: t('dashboard.unit.projects'), num: true, cell: (f) => <span className="dash-num">{count(f.projectsSigned)}</span> },
    { key: 'landed', label: t('dashboard.col.landed'), unit: t('dashboard.unit.projects'), num: true, cell: (f) => <span className="dash-num">{count(f.projectsLanded)}</span> },
    {
      key: 'leadShare',
      label: t('dashboard.col.leadShare'),
      unit: t('dashboard.unit.target', { pct: shareText(target) ?? '' }),
      num: true,
      cell: (f) => <LeadShareCell share={f.leadSectorShare} />,
    },
    {
      key: 'overdue',
      label: t('dashboard.col.overdue'),
      unit: t('dashboard.unit.plots'),
      num: true,
      cell: (f) => (
        <span className={`dash-num${f.overdueMilestones > 0 ? ' dash-alert' : ''}`}>{count(f.overdueMilestones)}</span>
      ),
    },
  ];

  const header = (key: SortKey, label: string, num: boolean, unit?: string) => {
    const active = sort.key === key;
    return (
      <th key={key} scope="col" className={num ? 'num' : undefined} aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
        <button type="button" className="dash-sort" onClick={() => setSort(nextSort(sort, key))} data-testid={`sort-${key}`}>
          <span className="dash-th">
            <span className="dash-th-label">{label}</span>
            {unit && <span className="dash-th-unit">{unit}</span>}
          </span>
          <span className="dash-sort-mark" aria-hidden="true">
            {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
          </span>
        </button>
      </th>
    );
  };

  const districtName = (code: string) => {
    const d = districts?.get(code);
    return d ? localName(locale, d) : code;
  };

  return (
    <div className="table-wrap dash-table-wrap">
      <table className="data-table dash-table" id={id} data-testid="park-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {header('park', t('dashboard.col.park'), false)}
            {showDistrict && header('district', t('dashboard.col.district'), false)}
            {columns.map((c) => header(c.key, c.label, c.num, c.unit))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && (
            <tr>
              <td colSpan={columns.length + (showDistrict ? 2 : 1)} className="table-state">
                {t('dashboard.noParks')}
              </td>
            </tr>
          )}
          {rows.map((p) => (
            <tr key={p.id} data-testid={`park-row-${p.code}`}>
              <th scope="row" className="dash-park">
                <Link href={`/parks/${p.id}/report`} className="strong" title={t('dashboard.openReport')} data-testid="park-report-link">
                  {localName(locale, p)}
                </Link>
                <span className="dash-sub">
                  {p.code} · {t(`tier.${p.tier}`)}
                  {p.sample && (
                    <span className="tag tag--warn dash-sample" title={t('dashboard.sampleNote')}>
                      {t('dashboard.sampleShort')}
                    </span>
                  )}
                </span>
              </th>
              {showDistrict && (
                <td>
                  <Link href={`/district/${p.districtCode}`}>{districtName(p.districtCode)}</Link>
                </td>
              )}
              {columns.map((c) => (
                <td key={c.key} className="num" data-col={c.key}>
                  {c.cell(p)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        {rows.length > 0 && (
          <tfoot>
            <tr data-testid="totals-row">
              <th scope="row">{t('dashboard.totals', { n: count(totals.parks) })}</th>
              {showDistrict && <td />}
              {columns.map((c) => (
                <td key={c.key} className="num" data-col={c.key}>
                  {c.cell(totals)}
                </td>
              ))}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

/** "72.5%" with 达标 / 未达标 against the 80 % target; "—" with a reason when nothing is allocated. */
export function LeadShareCell({ share }: { share: DashboardFigures['leadSectorShare'] }) {
  const { t } = useT();
  const text = shareText(share.share);
  if (text === null) {
    return (
      <>
        <span className="dash-num muted" title={t('dashboard.noAllocations')} aria-hidden="true">
          {t('value.none')}
        </span>
        <span className="visually-hidden">{t('dashboard.noAllocations')}</span>
      </>
    );
  }
  return (
    <>
      <span className="dash-num">{text}</span>
      <span className={`tag ${share.meetsTarget ? 'tag--ok' : 'tag--warn'} dash-tag`}>
        {share.meetsTarget ? t('dashboard.meetsTarget') : t('dashboard.belowTarget')}
      </span>
    </>
  );
}
