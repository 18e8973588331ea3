/**
 * Pending (proposed) and recent allocations, newest first (`GET /api/allocations`): status,
 * plot, project and enterprise, area (亩, m²), price against the floor, quota year. Selecting one
 * opens it beside the map and frames its plot. Tabs: pending · all recent · overdue starts.
 * Pending proposals on the green channel (五(三)12) come first and can be shown alone; each open
 * proposal says how long it has waited; a proposal closed by the approval of a competing one
 * says so, with a link to the winner.
 */
import { useId, useState } from 'react';
import { allocationsApi, type AllocationItem, type AllocationsQuery } from '../../api/index.ts';
import { LoadError } from '../../ui/AccessGate.tsx';
import { formatDate } from '../../ui/format.ts';
import { moneyScale, type MoneyScale } from '../../ui/money.ts';
import { useT } from '../../i18n/useT.ts';
import { select } from '../../stores/selection.ts';
import { AllocationStatusTag, Area, GreenTag, Money } from './parts.tsx';
import { openAllocation, useBureauStore } from './store.ts';
import { useBureauApi } from './useBureauApi.ts';

type Tab = 'pending' | 'recent' | 'overdue';
const TABS: Tab[] = ['pending', 'recent', 'overdue'];
const PAGE = 50;

function queryFor(tab: Tab, year: number | undefined, green = false): AllocationsQuery {
  const base = { quotaYear: year, limit: PAGE, ...(green ? { greenChannel: true } : {}) };
  if (tab === 'pending') return { ...base, status: ['proposed'], sort: 'green_first' };
  if (tab === 'overdue') return { ...base, overdue: true };
  return base;
}

/** Opens an allocation beside the map and selects (and frames) its plot. */
export function showAllocation(a: { id: number; plotId: number }): void {
  openAllocation(a.id, a.plotId);
  select({ kind: 'plot', id: a.plotId }, { focus: true });
}

export function AllocationList() {
  const { t, locale } = useT();
  const year = useBureauStore((s) => s.year);
  const openId = useBureauStore((s) => s.allocationId);
  const [tab, setTab] = useState<Tab>('pending');
  const [thisYear, setThisYear] = useState(false);
  const [green, setGreen] = useState(false);
  const headingId = useId();
  const q = queryFor(tab, thisYear ? year : undefined, green);
  // Counts for the tabs (one small request each, the first item only).
  const counts = useBureauApi(`alloc-counts:${thisYear ? year : ''}:${green}`, (signal) =>
    Promise.all(TABS.map((x) => allocationsApi.list({ ...queryFor(x, thisYear ? year : undefined, green), limit: 1 }, signal).then((r) => r.total))),
  );
  const list = useBureauApi(`alloc-list:${JSON.stringify(q)}`, (signal) => allocationsApi.list(q, signal));
  // The price column in one unit (万元, or 亿元 once a price reaches 1 亿元); exact 元 on hover.
  const priceScale = moneyScale((list.data?.items ?? []).map((a) => a.priceYuan), locale);

  return (
    <section className="card bu-list" aria-labelledby={headingId} data-testid="allocation-list">
      <div className="bu-card-head">
        <h2 id={headingId} className="card-title">{t('allocations.list.title')}</h2>
        <label className="check small">
          <input type="checkbox" checked={thisYear} onChange={(e) => setThisYear(e.target.checked)} />
          {t('allocations.list.onlyYear', { year })}
        </label>
        <label className="check small">
          <input type="checkbox" checked={green} onChange={(e) => setGreen(e.target.checked)} data-testid="list-only-green" />
          {t('allocations.list.onlyGreen')}
        </label>
      </div>
      <div className="tabs bu-tabs" role="group" aria-label={t('allocations.list.tabs')}>
        {TABS.map((x, i) => (
          <button key={x} type="button" className="tab" aria-pressed={tab === x} onClick={() => setTab(x)} data-testid={`list-tab-${x}`}>
            {t(`allocations.list.tab.${x}`)}
            {counts.data && <span className={`count-badge${x === 'overdue' && counts.data[i]! > 0 ? ' bu-badge--alert' : ''}`}>{counts.data[i]}</span>}
          </button>
        ))}
      </div>
      {list.error && <LoadError error={list.error} onRetry={list.reload} />}
      {list.loading && !list.data && <p className="muted" role="status"><span className="spinner spinner--inline" aria-hidden="true" /> {t('app.loading')}</p>}
      {list.data && list.data.items.length === 0 && <p className="note note--info">{t(`allocations.list.empty.${tab}`)}</p>}
      {tab === 'pending' && list.data && list.data.items.some((a) => a.greenChannel) && <p className="muted small">{t('allocations.list.greenFirst')}</p>}
      {list.data && list.data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="data-table bu-alloc-table">
              <caption className="visually-hidden">{t(`allocations.list.tab.${tab}`)}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('allocations.list.col.project')}</th>
                  <th scope="col">{t('allocations.list.col.status')}</th>
                  <th scope="col">{t('allocations.list.col.plot')}</th>
                  <th scope="col" className="num">{t('allocations.list.col.area')}</th>
                  <th scope="col" className="num">{t('allocations.list.col.price')}</th>
                  <th scope="col" className="num">{t('allocations.list.col.year')}</th>
                  <th scope="col">{t('allocations.list.col.date')}</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((a) => (
                  <Row key={a.id} a={a} open={a.id === openId} priceScale={priceScale} />
                ))}
              </tbody>
            </table>
          </div>
          {list.data.total > list.data.items.length && <p className="muted small">{t('allocations.list.more', { shown: list.data.items.length, total: list.data.total })}</p>}
        </>
      )}
    </section>
  );
}

function Row({ a, open, priceScale }: { a: AllocationItem; open: boolean; priceScale: MoneyScale }) {
  const { t, locale } = useT();
  return (
    <tr
      className={open ? 'bu-row--open' : undefined}
      data-testid="allocation-row"
      data-id={a.id}
      data-status={a.status}
      data-plot-code={a.plotCode}
      data-green={a.greenChannel ? 'true' : 'false'}
      data-superseded-by={a.supersededBy ?? undefined}
    >
      <td>
        <button type="button" className="link-button bu-row-open" onClick={() => showAllocation(a)} aria-current={open ? 'true' : undefined}>
          <span className="muted small">#{a.id}</span> {a.project.name}
        </button>
        <br />
        <span className="muted small">{a.project.enterprise.name}</span>
      </td>
      <td>
        <AllocationStatusTag status={a.status} />
        {a.greenChannel && <GreenTag />}
        {a.overdue && <span className="tag bu-tag--overdue">{t('allocations.overdueDays', { n: a.overdueDays ?? 0 })}</span>}
        {a.waitingDays !== null && <span className="muted small nowrap" data-testid="waiting-days"> {t('allocations.waitingDays', { n: a.waitingDays })}</span>}
        {a.supersededBy !== null && (
          <>
            <br />
            <button type="button" className="link-button small" onClick={() => showAllocation({ id: a.supersededBy!, plotId: a.plotId })} data-testid="superseded-link">
              {t('allocations.supersededBy', { id: a.supersededBy })}
            </button>
          </>
        )}
      </td>
      <td className="mono nowrap">{a.plotCode}{a.sample && <> <span className="tag tag--sample" data-testid="allocation-sample">{t('sheet.sample')}</span></>}</td>
      <td className="num">
        <Area m2={a.areaM2} block />
      </td>
      <td className="num nowrap">
        <Money yuan={a.priceYuan} scale={priceScale} />
        {a.mode === 'long_term_lease' && <span className="muted small"> {t('allocations.perYear')}</span>}
      </td>
      <td className="num">{a.quotaYear}</td>
      <td className="nowrap small">{formatDate(a.createdAt, locale, true)}</td>
    </tr>
  );
}
