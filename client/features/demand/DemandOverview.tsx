/**
 * Demand against supply (`GET /api/demands/overview`): per sector and district asked for, the open
 * and matched demands, the 亩 they need, the available plots that fit at least one of them and
 * their 亩, and the demands no available plot fits — with the totals (each demand once) and the
 * demands that have waited longest. A district officer sees their own district's (the server scopes).
 */
import { useEffect, useId } from 'react';
import { Link } from 'wouter';
import { demandsApi, type DemandSupplyRow } from '../../api/index.ts';
import { LoadError } from '../../ui/AccessGate.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { useT } from '../../i18n/useT.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { DemandStatusTag, districtNameOf, MuRange, SampleTag } from './parts.tsx';
import { sectorLabel } from './requirementsText.ts';

export function DemandOverviewView() {
  const { t, locale } = useT();
  const overview = useApi('demand-overview', (signal) => demandsApi.overview(signal));
  const districts = useDistrictNames();
  const name = districtNameOf(districts, locale);
  const longestId = useId();
  const mu = (n: number) => formatNumber(n, locale, 2);
  const data = overview.data;

  useEffect(() => {
    if (data?.longestWaiting.some((d) => d.sample)) markSampleSeen();
  }, [data]);

  const needed = (r: Pick<DemandSupplyRow, 'muNeededMin' | 'muNeededMax'>) => (
    <>
      {mu(r.muNeededMin)}
      {r.muNeededMax !== r.muNeededMin && <span className="muted small"> ({mu(r.muNeededMax)})</span>}
    </>
  );

  return (
    <section aria-label={t('demand.ov.title')} data-testid="demand-overview">
      <p className="muted">
        {t('demand.ov.lead')}
        {data && <> {t('demand.ov.asOf', { date: formatDate(data.asOf, locale) })}</>}
      </p>
      {overview.error && <LoadError error={overview.error} onRetry={overview.reload} />}
      <Table
        wrapClassName="table-wrap dm-table-wrap"
        className="data-table dm-table dm-ov-table"
        data-testid="demand-overview-table"
        aria-busy={overview.loading}
        caption={<caption className="visually-hidden">{t('demand.ov.caption')}</caption>}
        columns={[
          t('demand.ov.sector'),
          t('demand.ov.district'),
          { label: t('demand.ov.demands'), num: true },
          { label: t('demand.ov.muNeeded'), num: true },
          { label: t('demand.ov.fittingPlots'), num: true },
          { label: t('demand.ov.muFitting'), num: true },
          { label: t('demand.ov.unmet'), num: true },
          { label: t('demand.ov.unmetMu'), num: true },
        ]}
      >
        {overview.loading && !data && <TableStateRow colSpan={8} />}
        {data && data.rows.length === 0 && <TableStateRow colSpan={8}>{t('demand.ov.empty')}</TableStateRow>}
        {data?.rows.map((r) => (
          <tr key={`${r.sector}:${r.districtCode ?? ''}`} data-testid="overview-row" data-sector={r.sector} data-district={r.districtCode ?? ''} className={r.unmetDemands > 0 ? 'dm-row--unmet' : undefined}>
            <td data-label={t('demand.ov.sector')}>{sectorLabel(t, r.sector)}</td>
            <td data-label={t('demand.ov.district')}>{r.districtCode ? name(r.districtCode) : <span className="muted">{t('demand.ov.anywhere')}</span>}</td>
            <td data-label={t('demand.ov.demands')} className="num">{r.demands}</td>
            <td data-label={t('demand.ov.muNeeded')} className="num">{needed(r)}</td>
            <td data-label={t('demand.ov.fittingPlots')} className="num">{r.fittingPlots}</td>
            <td data-label={t('demand.ov.muFitting')} className="num">{mu(r.muFitting)}</td>
            <td data-label={t('demand.ov.unmet')} className="num" data-testid="overview-unmet">{r.unmetDemands}</td>
            <td data-label={t('demand.ov.unmetMu')} className="num">{mu(r.unmetMu)}</td>
          </tr>
        ))}
        {data && data.rows.length > 0 && (
          <tr className="dm-total-row" data-testid="overview-total">
            <th scope="row" colSpan={2} data-label="">{t('demand.ov.total')}</th>
            <td data-label={t('demand.ov.demands')} className="num" data-testid="overview-total-demands">{data.totals.demands}</td>
            <td data-label={t('demand.ov.muNeeded')} className="num">{mu(data.totals.muNeededMin)}</td>
            <td data-label={t('demand.ov.fittingPlots')} className="num muted">—</td>
            <td data-label={t('demand.ov.muFitting')} className="num muted">—</td>
            <td data-label={t('demand.ov.unmet')} className="num" data-testid="overview-total-unmet">{data.totals.unmetDemands}</td>
            <td data-label={t('demand.ov.unmetMu')} className="num">{mu(data.totals.unmetMu)}</td>
          </tr>
        )}
      </Table>
      <p className="muted small">{t('demand.ov.countNote')}</p>

      <section className="card dm-card" aria-labelledby={longestId} data-testid="demand-longest">
        <h2 id={longestId} className="card-title">{t('demand.ov.longest')}</h2>
        {data && data.longestWaiting.length === 0 && <p className="muted">{t('demand.ov.empty')}</p>}
        {data && data.longestWaiting.length > 0 && (
          <ol className="dm-longest">
            {data.longestWaiting.map((d) => (
              <li key={d.id} data-testid="longest-item" data-id={d.id}>
                <Link href={`/bureau/demand/${d.id}`} className="strong">{d.projectName}</Link>{' '}
                <DemandStatusTag status={d.status} />
                {d.sample && <> <SampleTag /></>}
                <br />
                <span className="muted small">
                  {t('demand.detail.waiting', { n: d.waitingDays })} · {sectorLabel(t, d.sector)} · <MuRange r={d.requirements} /> ·{' '}
                  {t('demand.detail.neededBy')} {formatDate(d.neededBy, locale)}
                  {d.overdue && <> · <span className="tag tag--warn">{t('demand.overdue')}</span></>}
                </span>
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
