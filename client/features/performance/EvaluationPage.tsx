/**
 * `/supervision/evaluation` — the year's 亩均 evaluation (GET /api/supervision/evaluation): one row
 * per allocation with its plot, park, project, output and tax per 亩, energy per 万元, the A–D
 * grade and the 标准地 conditions it falls short of (with the gap); the thresholds it was graded
 * on, with their version and a visible "示例阈值" flag when they are the sample set. Officers with
 * `performance.manage` enter one allocation's yearly figures here and open the CSV import.
 * Bureau roles see the city (or one district); a district officer sees their own district.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { ApiError, performanceApi, type EvaluationItem, type EvaluationList } from '../../api/index.ts';
import { AccessGate, LoadError, PageLoading } from '../../ui/AccessGate.tsx';
import { formatNumber, formatDate } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan, useCityWide } from '../../ui/useCan.ts';
import { DistrictSelect, YearSelect } from '../district/YearSelect.tsx';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import { markSampleSeen } from '../../stores/dataset.ts';
import { Table } from '../../ui/Table.tsx';
import { evaluationCounts, sortEvaluation, type EvaluationSort } from './figures.ts';
import { gapText } from './gapText.ts';
import { EntryDialog } from './EntryDialog.tsx';
import './performance.css';
import { bureauYear } from '../../../shared/dates.ts';

export default function EvaluationPage() {
  return (
    <AccessGate permission="supervision.read">
      <Evaluation />
    </AccessGate>
  );
}

const SORTS: EvaluationSort[] = ['grade', 'outputPerMu', 'taxPerMu', 'plot'];

function Evaluation() {
  const { t, locale } = useT();
  const search = useSearch();
  const [, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const thisYear = bureauYear();
  const year = /^\d{4}$/.test(params.get('year') ?? '') ? Number(params.get('year')) : thisYear - 1;
  const cityWide = useCityWide();
  const ownDistrict = useSessionStore((s) => s.user?.districtCode ?? null);
  const district = cityWide ? params.get('district') || undefined : ownDistrict ?? undefined;
  const canManage = useCan('performance.manage');
  const [sort, setSort] = useState<EvaluationSort>('grade');
  const [entry, setEntry] = useState<{ allocationId: number | null } | null>(null);
  const [flash, setFlash] = useState<string | null>(null);
  const data = useApi(`evaluation:${year}:${district ?? ''}`, (signal) => performanceApi.evaluation({ year, districtCode: district }, signal));
  const ids = { sort: useId() };

  useEffect(() => {
    document.title = `${t('perf.title')} · ${t('app.title')}`;
  }, [t]);
  useEffect(() => {
    if (data.data?.thresholds.sample || data.data?.items.some((i) => i.sample)) markSampleSeen();
  }, [data.data]);

  const go = (next: { year?: number; district?: string | undefined }) => {
    const q = new URLSearchParams();
    q.set('year', String(next.year ?? year));
    const d = 'district' in next ? next.district : district;
    if (cityWide && d) q.set('district', d);
    navigate(`/supervision/evaluation?${q.toString()}`);
  };

  const d = data.data;
  const rows = useMemo(() => (d ? sortEvaluation(d.items, sort) : []), [d, sort]);
  const counts = useMemo(() => evaluationCounts(d?.items ?? []), [d]);
  const n = (x: number) => formatNumber(x, locale, 0);

  return (
    <div className="page perf-page" data-testid="evaluation-page">
      <div className="page-inner">
        <header className="page-header perf-head">
          <div>
            <p className="eyebrow">{t('perf.eyebrow')}</p>
            <h1>{t('perf.title')}</h1>
          </div>
          <div className="perf-tools">
            <YearSelect year={year} thisYear={thisYear} onChange={(y) => go({ year: y })} label={t('perf.year')} testId="perf-year-select" />
            {cityWide && <DistrictSelect district={district} onChange={(d) => go({ district: d })} label={t('perf.district')} testId="perf-district" />}
            <div className="field field--inline field--narrow">
              <label htmlFor={ids.sort}>{t('perf.sort')}</label>
              <select id={ids.sort} value={sort} onChange={(e) => setSort(e.target.value as EvaluationSort)}>
                {SORTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`perf.sort.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            {canManage && (
              <>
                <button type="button" className="button button--small" onClick={() => setEntry({ allocationId: null })} data-testid="perf-enter">
                  {t('perf.enter')}
                </button>
                <Link href={`/supervision/evaluation/import?year=${year}`} className="button button--secondary button--small" data-testid="perf-import">
                  {t('perf.import')}
                </Link>
              </>
            )}
          </div>
        </header>

        {flash && (
          <p className="alert alert--ok" role="status" data-testid="perf-flash">
            {flash}
          </p>
        )}
        {data.error && !(data.error instanceof ApiError && data.error.status === 404) && <LoadError error={data.error} onRetry={data.reload} />}
        {data.loading && <PageLoading />}
        {d && (
          <>
            <Thresholds list={d} />
            <p className="perf-counts" data-testid="perf-counts">
              {t('perf.counts', { n: n(counts.total), A: n(counts.A), B: n(counts.B), C: n(counts.C), D: n(counts.D), unmet: n(counts.unmet) })}
            </p>
            {rows.length === 0 ? (
              <p className="muted perf-empty">{t('perf.empty', { year: d.year })}</p>
            ) : (
              <Table
                wrapClassName="table-wrap"
                className="data-table perf-table"
                data-testid="evaluation-table"
                caption={<caption className="visually-hidden">{t('perf.caption', { year: d.year })}</caption>}
                columns={[
                  t('perf.col.plot'),
                  t('perf.col.park'),
                  t('perf.col.project'),
                  { label: t('perf.col.area'), num: true },
                  { label: t('perf.col.outputPerMu'), num: true },
                  { label: t('perf.col.taxPerMu'), num: true },
                  { label: t('perf.col.energy'), num: true },
                  t('perf.col.grade'),
                  t('perf.col.conditions'),
                  canManage && { label: t('perf.col.actions'), hidden: true },
                ]}
              >
                {rows.map((i) => (
                  <Row key={i.allocationId} item={i} canManage={canManage} onEnter={() => setEntry({ allocationId: i.allocationId })} />
                ))}
              </Table>
            )}
          </>
        )}
        {entry && (
          <EntryDialog
            allocationId={entry.allocationId}
            defaultYear={year}
            onClose={() => setEntry(null)}
            onSaved={(allocationId, savedYear) => {
              setEntry(null);
              setFlash(t('perf.entry.saved', { id: allocationId, year: savedYear }));
              data.reload();
            }}
          />
        )}
      </div>
    </div>
  );
}

function Thresholds({ list }: { list: EvaluationList }) {
  const { t, locale } = useT();
  const th = list.thresholds;
  const y = (x: number) => formatNumber(x, locale, 0);
  return (
    <section className={`perf-thresholds${th.sample ? ' perf-thresholds--sample' : ''}`} aria-label={t('perf.thresholds')} data-testid="perf-thresholds">
      <div className="perf-thresholds-head">
        <h2 className="perf-h2">{t('perf.thresholds')}</h2>
        {th.sample && (
          <span className="perf-sample-flag" data-testid="sample-thresholds">
            {t('perf.sampleThresholds')}
          </span>
        )}
        <span className="muted small">{t('perf.thresholdsVersion', { id: th.versionId, from: formatDate(th.effectiveFrom, locale), source: th.source })}</span>
      </div>
      {th.sample && <p className="perf-sample-note">{t('perf.sampleThresholdsNote')}</p>}
      <ul className="perf-threshold-list">
        {(['A', 'B', 'C'] as const).map((g) => (
          <li key={g}>
            <span className={`perf-grade perf-grade--${g}`}>{g}</span> {t('perf.thresholdsRow', { grade: t(`perf.grade.${g}`), tax: y(th[g].taxPerMuYuan), output: y(th[g].outputPerMuYuan) })}
          </li>
        ))}
        <li>
          <span className="perf-grade perf-grade--D">D</span> {t('perf.thresholdsD')}
        </li>
      </ul>
    </section>
  );
}

function Row({ item: i, canManage, onEnter }: { item: EvaluationItem; canManage: boolean; onEnter: () => void }) {
  const { t, locale } = useT();
  const n0 = (x: number) => formatNumber(x, locale, 0);
  const m = i.meetsConditions;
  return (
    <tr data-testid={`eval-row-${i.allocationId}`}>
      <td className="mono">
        <Link href={`/plots/${encodeURIComponent(i.plotCode)}`}>{i.plotCode}</Link>
        <span className="report-sub">#{i.allocationId}</span>
        {i.sample && <span className="perf-sample-tag">{t('perf.sampleRow')}</span>}
      </td>
      <td className="mono">{i.parkCode}</td>
      <td>
        <span className="strong">{i.projectName}</span>
        <span className="report-sub">{i.enterpriseName}</span>
      </td>
      <td className="num">{formatNumber(i.areaMu, locale, 2, 2)}</td>
      <td className="num">{n0(i.outputPerMuYuan)}</td>
      <td className="num">{n0(i.taxPerMuYuan)}</td>
      <td className="num">{i.energyPer10kYuan === null ? t('value.none') : formatNumber(i.energyPer10kYuan, locale, 4)}</td>
      <td>
        <span className={`perf-grade perf-grade--${i.grade}`} title={t(`perf.grade.${i.grade}`)} data-testid="grade">
          {i.grade}
        </span>
      </td>
      <td>
        {m.met === true && <span className="perf-ok">{t('perf.cond.met')}</span>}
        {m.met === null && <span className="muted">{t('perf.cond.none')}</span>}
        {m.met === false && (
          <>
            <span className="perf-bad">{t('perf.cond.unmet', { n: m.unmet.length })}</span>
            <ul className="perf-gaps">
              {m.unmet.map((u) => (
                <li key={u.field}>{gapText(u, t, locale)}</li>
              ))}
            </ul>
          </>
        )}
      </td>
      {canManage && (
        <td>
          <button type="button" className="button button--secondary button--small" onClick={onEnter}>
            {t('perf.enter')}
          </button>
        </td>
      )}
    </tr>
  );
}
