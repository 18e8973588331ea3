/**
 * The register of project land demands: status, sector, key-project flag, 亩 range, districts,
 * needed by (overdue marked), days waiting and the matched plot; filters by status, sector and
 * district and the sort (newest · longest waiting · needed soonest) kept in the URL, so a view
 * can be shared. Sample demands of the demo say so on their row.
 */
import { useEffect, useId } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { DISTRICT_CODES, PROJECT_SECTORS } from '../../../shared/domain.ts';
import { DEMAND_STATUSES, DEMAND_STATUS_LABELS } from '../../../shared/contract/demands.ts';
import { demandsApi, type Demand } from '../../api/index.ts';
import { LoadError } from '../../ui/AccessGate.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { formatDate } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCityWide } from '../../ui/useCan.ts';
import { useDistrictNames, type DistrictNames } from '../../ui/useDistrictNames.ts';
import { useT } from '../../i18n/useT.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { DEMAND_SORTS, formatRegisterView, parseRegisterView, viewQuery, type RegisterView } from './demandForm.ts';
import { DemandDistricts, DemandStatusTag, districtNameOf, KeyTag, MuRange, SampleTag } from './parts.tsx';
import { sectorLabel } from './requirementsText.ts';

export function DemandRegister() {
  const { t, locale } = useT();
  const search = useSearch();
  const [path, navigate] = useLocation();
  const view = parseRegisterView(search);
  const cityWide = useCityWide();
  const districts = useDistrictNames();
  const ids = { status: useId(), sector: useId(), district: useId(), sort: useId() };
  const q = viewQuery(view);
  const list = useApi(`demands:${JSON.stringify(q)}`, (signal) => demandsApi.list(q, signal));

  useEffect(() => {
    if (list.data?.items.some((d) => d.sample)) markSampleSeen();
  }, [list.data]);

  const set = (patch: Partial<RegisterView>) => navigate(`${path}${formatRegisterView({ ...view, ...patch }, search)}`, { replace: true });
  const name = districtNameOf(districts, locale);
  const lang = locale === 'en' ? 'en' : 'zh';

  return (
    <section aria-label={t('demand.tab.register')} data-testid="demand-register">
      <form className="toolbar dm-toolbar" role="search" aria-label={t('demand.filter.label')} onSubmit={(e) => e.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor={ids.status}>{t('demand.filter.status')}</label>
          <select id={ids.status} value={view.status ?? ''} onChange={(e) => set({ status: (e.target.value || null) as RegisterView['status'] })} data-testid="filter-status">
            <option value="">{t('demand.filter.all')}</option>
            {DEMAND_STATUSES.map((s) => (
              <option key={s} value={s}>{DEMAND_STATUS_LABELS[s][lang]}</option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor={ids.sector}>{t('demand.filter.sector')}</label>
          <select id={ids.sector} value={view.sector ?? ''} onChange={(e) => set({ sector: (e.target.value || null) as RegisterView['sector'] })} data-testid="filter-sector">
            <option value="">{t('demand.filter.all')}</option>
            {PROJECT_SECTORS.map((s) => (
              <option key={s} value={s}>{sectorLabel(t, s)}</option>
            ))}
          </select>
        </div>
        {cityWide && (
          <div className="field field--inline">
            <label htmlFor={ids.district}>{t('demand.filter.district')}</label>
            <select id={ids.district} value={view.districtCode ?? ''} onChange={(e) => set({ districtCode: e.target.value || null })} data-testid="filter-district">
              <option value="">{t('demand.filter.all')}</option>
              {DISTRICT_CODES.map((c) => (
                <option key={c} value={c}>{name(c)}</option>
              ))}
            </select>
          </div>
        )}
        <div className="field field--inline">
          <label htmlFor={ids.sort}>{t('demand.filter.sort')}</label>
          <select id={ids.sort} value={view.sort} onChange={(e) => set({ sort: e.target.value as RegisterView['sort'] })} data-testid="filter-sort">
            {DEMAND_SORTS.map((s) => (
              <option key={s} value={s}>{t(`demand.sort.${s}`)}</option>
            ))}
          </select>
        </div>
        {list.data && <p className="muted toolbar-count" data-testid="demand-count">{t('demand.count', { n: list.data.total })}</p>}
      </form>

      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      <Table
        wrapClassName="table-wrap dm-table-wrap"
        className="data-table dm-table"
        data-testid="demand-table"
        aria-busy={list.loading}
        caption={<caption className="visually-hidden">{t('demand.tab.register')}</caption>}
        columns={[
          t('demand.col.project'),
          t('demand.col.status'),
          t('demand.col.sector'),
          { label: t('demand.col.area'), num: true },
          t('demand.col.districts'),
          t('demand.col.neededBy'),
          { label: t('demand.col.waiting'), num: true },
          t('demand.col.plot'),
        ]}
      >
        {list.loading && !list.data && <TableStateRow colSpan={8} />}
        {list.data && list.data.items.length === 0 && <TableStateRow colSpan={8}>{t('demand.empty')}</TableStateRow>}
        {list.data?.items.map((d) => <Row key={d.id} d={d} districts={districts} />)}
      </Table>
      {list.data && list.data.total > list.data.items.length && <p className="muted small">{t('demand.more', { shown: list.data.items.length, total: list.data.total })}</p>}
    </section>
  );
}

function Row({ d, districts }: { d: Demand; districts: DistrictNames | null }) {
  const { t, locale } = useT();
  return (
    <tr data-testid="demand-row" data-id={d.id} data-status={d.status} data-sample={d.sample ? 'true' : 'false'} className={d.overdue ? 'dm-row--overdue' : undefined}>
      <td data-label={t('demand.col.project')}>
        <Link href={`/bureau/demand/${d.id}`} className="strong" data-testid="demand-link">
          {d.projectName}
        </Link>
        <br />
        <span className="muted small">#{d.id} · {d.enterprise.name}</span>
        {(d.sample || d.keyProject) && (
          <span className="dm-tags">
            {d.keyProject && <KeyTag />}
            {d.sample && <SampleTag />}
          </span>
        )}
      </td>
      <td data-label={t('demand.col.status')}>
        <DemandStatusTag status={d.status} />
      </td>
      <td data-label={t('demand.col.sector')}>{sectorLabel(t, d.sector)}</td>
      <td data-label={t('demand.col.area')} className="num">
        <MuRange r={d.requirements} />
      </td>
      <td data-label={t('demand.col.districts')}>
        <DemandDistricts demand={d} districts={districts} />
      </td>
      <td data-label={t('demand.col.neededBy')} className="nowrap" data-testid="demand-needed-by">
        {formatDate(d.neededBy, locale)}
        {d.overdue && (
          <>
            {' '}
            <span className="tag tag--warn dm-overdue" data-testid="demand-overdue">{t('demand.overdue')}</span>
          </>
        )}
      </td>
      <td data-label={t('demand.col.waiting')} className="num" data-testid="demand-waiting">
        {t('demand.waitingDays', { n: d.waitingDays })}
      </td>
      <td data-label={t('demand.col.plot')} className="mono">
        {d.plotCode ? (
          <Link href={`/plots/${encodeURIComponent(d.plotCode)}`} data-testid="demand-plot">
            {d.plotCode}
          </Link>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
    </tr>
  );
}
