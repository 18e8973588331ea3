/**
 * The year's quota (五(三)11): the gauge and its figures (`GET /api/quotas/:year`), the setting
 * form for land officers and administrators (`PUT`, refused below 5000 亩 — the server's words
 * shown), and the report by district, sector and park with the shortfall against the 5000 亩
 * supply target (`GET /api/quotas/:year/report`). The IAB reserve is asked for with the share
 * of the quota it means, and the report sets the IAB share of approved land against it (五(三)11).
 */
import { useId, useState, type FormEvent } from 'react';
import { ApiError, quotasApi, type QuotaFigures, type QuotaReport, type QuotaReportLine } from '../../api/index.ts';
import { LoadError } from '../../ui/AccessGate.tsx';
import { formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { useCan } from '../../ui/useCan.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import type { FormProblem } from './allocationForm.ts';
import { reserveShareBp } from '../../../shared/policy/index.ts';
import { buildQuota, quotaFormFrom, type AreaUnit, type QuotaFormValues } from './quotaForm.ts';
import { Area, useAllocationErrorText, useFormProblemText } from './parts.tsx';
import { QuotaGauge } from './QuotaGauge.tsx';
import { dataChanged } from './store.ts';
import { useBureauApi } from './useBureauApi.ts';

export function isQuotaNotSet(e: unknown): boolean {
  return e instanceof ApiError && e.status === 404 && e.details.reason === 'QUOTA_NOT_SET';
}

export function QuotaPanel({ year }: { year: number }) {
  const { t } = useT();
  const canManage = useCan('quotas.manage');
  const quota = useBureauApi(`quota:${year}`, (signal) => quotasApi.get(year, signal));
  const notSet = isQuotaNotSet(quota.error);
  const [editing, setEditing] = useState(false);
  const headingId = useId();

  return (
    <section className="card bu-quota" aria-labelledby={headingId} data-testid="quota-panel">
      <div className="bu-card-head">
        <h2 id={headingId} className="card-title">{t('allocations.quota.title', { year })}</h2>
        {quota.data && canManage && !editing && (
          <button type="button" className="button button--ghost button--small" onClick={() => setEditing(true)} data-testid="quota-edit">
            {t('allocations.quota.edit')}
          </button>
        )}
      </div>
      {quota.loading && <p className="muted" role="status"><span className="spinner spinner--inline" aria-hidden="true" /> {t('app.loading')}</p>}
      {quota.error && !notSet && <LoadError error={quota.error} onRetry={quota.reload} />}
      {notSet && (
        <div className="bu-quota-unset" data-testid="quota-not-set">
          <p className="note note--info">{t('allocations.quota.notSet', { year })}</p>
          {canManage ? <QuotaSetForm year={year} current={null} onDone={() => dataChanged()} /> : <p className="muted small">{t('allocations.quota.notSetReader')}</p>}
        </div>
      )}
      {quota.data && editing && (
        <QuotaSetForm
          year={year}
          current={quota.data}
          onDone={() => {
            setEditing(false);
            dataChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      )}
      {quota.data && <QuotaFiguresView q={quota.data} />}
      {quota.data && <SupplyTarget year={year} />}
    </section>
  );
}

/** The shortfall against the 5000 亩 supply target, the IAB share and the key projects. */
function SupplyTarget({ year }: { year: number }) {
  const { t, locale } = useT();
  const report = useBureauApi(`report:${year}`, (signal) => quotasApi.report(year, signal));
  if (report.error) return <LoadError error={report.error} onRetry={report.reload} />;
  const r = report.data;
  if (!r) return null;
  return (
    <div className={`bu-target ${r.supplyTarget.metTarget ? 'bu-target--met' : ''}`} data-testid="supply-target">
      <p className="strong">{t('allocations.report.target', { target: formatMu(r.supplyTarget.targetM2, locale) })}</p>
      <p>
        {r.supplyTarget.metTarget
          ? t('allocations.report.targetMet', { approved: formatMu(r.approvedM2, locale) })
          : t('allocations.report.shortfall', { approved: formatMu(r.approvedM2, locale), shortfall: formatMu(r.supplyTarget.shortfallM2, locale), shortfallM2: formatM2(r.supplyTarget.shortfallM2, locale) })}
      </p>
      <p className="muted small">
        {t('allocations.report.iabShare', { pct: formatNumber(r.iabShareBp / 100, locale, 2) })} ·{' '}
        {t('allocations.report.keyProjects', { approved: r.keyProjects.approved, signed: r.keyProjects.signed, landed: r.keyProjects.landed })}
      </p>
      <p className="muted small" data-testid="supply-tilt">
        {r.iabTilt.iabReserveM2 > 0
          ? t('allocations.quota.reserveShare', { reserve: formatMu(r.iabTilt.iabReserveM2, locale), pct: formatNumber(r.iabTilt.reserveShareBp / 100, locale, 2) })
          : t('allocations.report.tiltNoReserve')}
      </p>
    </div>
  );
}

/** The year's report by district, sector and park (`GET /api/quotas/:year/report`). */
export function QuotaReportPanel({ year }: { year: number }) {
  const { t } = useT();
  const quota = useBureauApi(`quota:${year}`, (signal) => quotasApi.get(year, signal));
  const report = useBureauApi(quota.data ? `report:${year}` : null, (signal) => quotasApi.report(year, signal));
  const headingId = useId();
  if (!quota.data) return null;
  return (
    <section className="card bu-report-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">{t('allocations.report.title', { year })}</h2>
      {report.error && <LoadError error={report.error} onRetry={report.reload} />}
      {report.loading && <p className="muted" role="status">{t('app.loading')}</p>}
      {report.data && <QuotaReportView r={report.data} />}
    </section>
  );
}

function QuotaFiguresView({ q }: { q: QuotaFigures }) {
  const { t } = useT();
  return (
    <>
      <QuotaGauge quota={q} testId="quota-gauge" />
      <dl className="bu-figures figure-grid" data-testid="quota-figures">
        <div>
          <dt>{t('allocations.quota.quota')}</dt>
          <dd data-testid="quota-total"><Area m2={q.quotaM2} block /></dd>
        </div>
        <div>
          <dt>{t('allocations.quota.approved')}</dt>
          <dd data-testid="quota-approved"><Area m2={q.approvedM2} block /></dd>
        </div>
        <div>
          <dt>{t('allocations.quota.remaining')}</dt>
          <dd data-testid="quota-remaining"><Area m2={q.remainingM2} block /></dd>
        </div>
        <div>
          <dt>{t('allocations.quota.reserve')}</dt>
          <dd data-testid="quota-reserve"><Area m2={q.iabReserveM2} block /></dd>
        </div>
        <div>
          <dt>{t('allocations.quota.iabApproved')}</dt>
          <dd><Area m2={q.iabApprovedM2} block /></dd>
        </div>
        <div>
          <dt>{t('allocations.quota.nonIabAvailable')}</dt>
          <dd><Area m2={q.availableToNonIabM2} block /></dd>
        </div>
      </dl>
    </>
  );
}

function QuotaSetForm({ year, current, onDone, onCancel }: { year: number; current: QuotaFigures | null; onDone: () => void; onCancel?: () => void }) {
  const { t, locale } = useT();
  const problemText = useFormProblemText();
  const errorText = useAllocationErrorText();
  const [v, setV] = useState<QuotaFormValues>(() => quotaFormFrom(current, 'mu'));
  const [problems, setProblems] = useState<{ quota?: FormProblem; reserve?: FormProblem }>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const base = useId();
  const built = buildQuota(v);

  const setUnit = (unit: AreaUnit) => {
    if (unit === v.unit) return;
    // Carry the figures over in the new unit when they read well; else start from the defaults.
    const b = buildQuota(v);
    setV(b.ok ? quotaFormFrom(b.body, unit) : quotaFormFrom(current, unit));
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!built.ok) return setProblems(built.problems);
    setProblems({});
    setBusy(true);
    try {
      await quotasApi.set(year, built.body);
      onDone();
    } catch (err) {
      setFailure(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const unitLabel = v.unit === 'mu' ? t('allocations.unit.mu') : t('allocations.unit.m2');
  const quotaProblem = problemText(problems.quota);
  const reserveProblem = problemText(problems.reserve);
  const quotaWarning = built.ok ? problemText(built.warnings.quota) : null;
  const reserveWarning = built.ok ? problemText(built.warnings.reserve) : null;
  const share = built.ok ? reserveShareBp(built.body) : null;
  const reserveShare =
    typeof share === 'number' && built.ok
      ? t('allocations.quota.reserveShare', { reserve: formatMu(built.body.iabReserveM2, locale), pct: formatNumber(share / 100, locale, 2) })
      : null;

  return (
    <form className="bu-quota-form" onSubmit={submit} noValidate data-testid="quota-form">
      <fieldset className="bu-unit-toggle">
        <legend>{t('allocations.quota.unit')}</legend>
        {(['mu', 'm2'] as const).map((u) => (
          <label key={u} className="check">
            <input type="radio" name={`${base}-unit`} checked={v.unit === u} onChange={() => setUnit(u)} />
            {t(`allocations.unit.${u}`)}
          </label>
        ))}
      </fieldset>
      <div className="bu-form-row">
        <div className="field">
          <label htmlFor={`${base}-quota`}>{t('allocations.quota.quotaField', { unit: unitLabel })}</label>
          <input
            id={`${base}-quota`}
            inputMode="decimal"
            value={v.quota}
            onChange={(e) => {
              setV({ ...v, quota: e.target.value });
              setProblems((p) => ({ ...p, quota: undefined }));
            }}
            aria-invalid={quotaProblem ? true : undefined}
            aria-describedby={`${base}-quota-hint`}
            data-testid="quota-input"
          />
          <p id={`${base}-quota-hint`} className={quotaProblem || quotaWarning ? 'field-error' : 'field-hint'} data-testid="quota-hint">
            {quotaProblem ?? quotaWarning ?? (built.ok ? `= ${formatMu(built.body.quotaM2, locale)} · ${formatM2(built.body.quotaM2, locale)}` : t('allocations.quota.minimumHint'))}
          </p>
        </div>
        <div className="field">
          <label htmlFor={`${base}-reserve`}>{t('allocations.quota.reserveField', { unit: unitLabel })}</label>
          <input
            id={`${base}-reserve`}
            inputMode="decimal"
            value={v.reserve}
            onChange={(e) => {
              setV({ ...v, reserve: e.target.value });
              setProblems((p) => ({ ...p, reserve: undefined }));
            }}
            aria-invalid={reserveProblem ? true : undefined}
            aria-describedby={`${base}-reserve-hint`}
            data-testid="quota-reserve-input"
          />
          <p id={`${base}-reserve-hint`} className={reserveProblem || reserveWarning ? 'field-error' : 'field-hint'} data-testid="quota-reserve-hint">
            {reserveProblem ?? reserveWarning ?? reserveShare ?? t('allocations.quota.reserveHint')}
          </p>
          {!reserveProblem && !reserveWarning && reserveShare && <p className="field-hint">{t('allocations.quota.reserveHint')}</p>}
        </div>
      </div>
      {failure && <p className="form-error" role="alert" data-testid="quota-error">{failure}</p>}
      <div className="form-actions">
        <button type="submit" className="button" disabled={busy} data-testid="quota-submit">
          {busy && <span className="spinner spinner--light" aria-hidden="true" />}
          {current ? t('allocations.quota.save') : t('allocations.quota.set', { year })}
        </button>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel} disabled={busy}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

function ShareBar({ value, max }: { value: number; max: number }) {
  const pct = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <span className="bu-share" aria-hidden="true">
      <span style={{ width: `${pct.toFixed(2)}%` }} />
    </span>
  );
}

function QuotaReportView({ r }: { r: QuotaReport }) {
  const { t, locale } = useT();
  const maxDistrict = Math.max(0, ...r.byDistrict.map((d) => d.approvedM2));
  const maxSector = Math.max(0, ...r.bySector.map((d) => d.approvedM2));
  const parks = r.byPark.filter((p) => p.allocations > 0);
  const cells = (l: QuotaReportLine, max: number) => (
    <>
      <td className="num">{formatNumber(l.allocations, locale, 0)}</td>
      <td className="num">
        <span className="nowrap">{formatMu(l.approvedM2, locale)}</span>
        {l.approvedM2 > 0 && (
          <>
            <br />
            <span className="muted small nowrap">{formatM2(l.approvedM2, locale)}</span>
          </>
        )}
      </td>
      <td className="num nowrap">{formatMu(l.iabApprovedM2, locale)}</td>
      <td className="bu-share-cell">
        <ShareBar value={l.approvedM2} max={max} />
      </td>
    </>
  );
  const head = (first: string) => (
    <thead>
      <tr>
        <th scope="col">{first}</th>
        <th scope="col" className="num">{t('allocations.report.count')}</th>
        <th scope="col" className="num">{t('allocations.report.approved')}</th>
        <th scope="col" className="num">{t('allocations.report.iab')}</th>
        <th scope="col"><span className="visually-hidden">{t('allocations.report.share')}</span></th>
      </tr>
    </thead>
  );
  return (
    <div className="bu-report" data-testid="quota-report">
      <IabTiltTable r={r} />
      <div className="bu-report-part">
        <h3 className="bu-report-title">{t('allocations.report.byDistrict')}</h3>
        <div className="table-wrap">
          <table className="data-table bu-report-table" data-testid="report-districts">
            <caption className="visually-hidden">{t('allocations.report.byDistrictCaption', { year: r.year })}</caption>
            {head(t('allocations.report.district'))}
            <tbody>
              {r.byDistrict.map((d) => (
                <tr key={d.districtCode} className={d.allocations === 0 ? 'bu-row--zero' : undefined}>
                  <th scope="row">{localName(locale, d)}</th>
                  {cells(d, maxDistrict)}
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('allocations.report.total')}</th>
                <td className="num">{formatNumber(r.byDistrict.reduce((s, d) => s + d.allocations, 0), locale, 0)}</td>
                <td className="num nowrap">{formatMu(r.approvedM2, locale)}</td>
                <td className="num nowrap">{formatMu(r.iabApprovedM2, locale)}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        </div>
      </div>
      <div className="bu-report-part">
        <h3 className="bu-report-title">{t('allocations.report.bySector')}</h3>
        <div className="table-wrap">
          <table className="data-table bu-report-table" data-testid="report-sectors">
            <caption className="visually-hidden">{t('allocations.report.bySectorCaption', { year: r.year })}</caption>
            {head(t('allocations.report.sector'))}
            <tbody>
              {r.bySector.map((s) => (
                <tr key={s.sector} className={s.allocations === 0 ? 'bu-row--zero' : undefined}>
                  <th scope="row">{s.sector === 'other' ? t('allocations.sector.other') : t(`sector.${s.sector}`)}</th>
                  {cells(s, maxSector)}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <details className="bu-parks">
          <summary>{t('allocations.report.byPark', { n: parks.length })}</summary>
          {parks.length === 0 ? (
            <p className="muted small">{t('allocations.report.noParks')}</p>
          ) : (
            <div className="table-wrap">
              <table className="data-table bu-report-table">
                {head(t('allocations.report.park'))}
                <tbody>
                  {parks.map((p) => (
                    <tr key={p.parkId}>
                      <th scope="row">
                        <span className="mono small">{p.code}</span> {localName(locale, p)}
                      </th>
                      {cells(p, Math.max(...parks.map((x) => x.approvedM2)))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </details>
      </div>
    </div>
  );
}

/** 五(三)11: the IAB share of approved land against the reserve the bureau set for the year. */
function IabTiltTable({ r }: { r: QuotaReport }) {
  const { t, locale } = useT();
  const x = r.iabTilt;
  const pct = (bp: number | null) => (bp === null ? '—' : `${formatNumber(bp / 100, locale, 2)}%`);
  const rows: [string, number, string, string][] = [
    ['tiltReserve', x.iabReserveM2, pct(x.reserveShareBp), 'reserve'],
    ['tiltIab', x.iabApprovedM2, pct(x.iabShareBp), 'iab'],
    ['tiltIabOfQuota', x.iabApprovedM2, pct(x.iabOfQuotaBp), 'iab-of-quota'],
    ['tiltUsed', x.reserveUsedM2, pct(x.reserveUsedBp), 'used'],
    ['tiltUnused', x.unusedReserveM2, '', 'unused'],
  ];
  return (
    <div className="bu-report-part">
      <h3 className="bu-report-title">{t('allocations.report.tiltTitle')}</h3>
      <div className="table-wrap">
        <table className="data-table bu-report-table" data-testid="report-iab-tilt">
          <caption className="visually-hidden">{t('allocations.report.tiltCaption', { year: r.year })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('allocations.report.tiltFigure')}</th>
              <th scope="col" className="num">{t('allocations.report.tiltArea')}</th>
              <th scope="col" className="num">{t('allocations.report.tiltShare')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([key, m2, share, id]) => (
              <tr key={key} data-testid={`tilt-${id}`}>
                <th scope="row">{t(`allocations.report.${key}` as 'allocations.report.tiltReserve')}</th>
                <td className="num nowrap">{formatMu(m2, locale)}</td>
                <td className="num nowrap">{share}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {x.iabReserveM2 === 0 && <p className="muted small">{t('allocations.report.tiltNoReserve')}</p>}
    </div>
  );
}
