/**
 * `/admin/reference` — the policy parameters in force with their real source (POLICY.md "Where
 * each parameter comes from"): the plan's clause only for what the plan states,
 * the national rule where there is one, otherwise a bureau assumption — each with a visible
 * "待核实 / to verify" mark until an administrator confirms it here
 * (POST /api/reference/parameters/:key/confirm: a new version, same value, audited).
 * Bureau roles read; only an administrator confirms.
 */
import { useEffect, useId, useState } from 'react';
import { PARAMETER_SOURCES, type PolicyParameterKey } from '../../../shared/policy/index.ts';
import { formatMoney } from '../../../shared/units.ts';
import { floorApi, type ReferenceData } from '../../api/index.ts';
import { AccessGate, LoadError, NoAccess } from '../../ui/AccessGate.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { formatDate, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import type { Locale } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import { LocalCrsSection } from './LocalCrsSection.tsx';
import '../district/dashboard.css';
import '../district/report.css';

type Param = ReferenceData['parameters'][number];

export default function ReferencePage() {
  return (
    <AccessGate permission={null}>
      <BureauOnly />
    </AccessGate>
  );
}

function BureauOnly() {
  const role = useSessionStore((s) => s.user?.role);
  if (role !== 'admin' && role !== 'land_officer' && role !== 'industry_officer') return <NoAccess />;
  return <Reference admin={role === 'admin'} />;
}

/** A parameter's value in its unit (bp → %, fen → 元, 亩, years, yes/no). */
export function parameterValueText(p: Param, locale: Locale, t: ReturnType<typeof useT>['t']): string {
  const meta = PARAMETER_SOURCES[p.key as PolicyParameterKey];
  switch (meta?.unit) {
    case 'bp':
      return `${formatNumber(Number(p.value) / 100, locale, 2)}%`;
    case 'fen':
      return formatMoney(BigInt(p.value), locale, 'compact');
    case 'mu':
      return t('reference.unit.mu', { n: formatNumber(Number(p.value), locale, 0) });
    case 'years':
      return t('reference.unit.years', { n: p.value });
    case 'flag':
      return p.value === 'true' ? t('reference.yes') : t('reference.no');
    default:
      return p.value;
  }
}

function Reference({ admin }: { admin: boolean }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const [reloadKey, setReloadKey] = useState(0);
  const ref = useApi(`reference:admin:${reloadKey}`, (signal) => floorApi.reference(signal));
  const [confirming, setConfirming] = useState<Param | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingId = useId();
  const label = (p: Param) => {
    const meta = PARAMETER_SOURCES[p.key as PolicyParameterKey];
    return meta ? (locale === 'en' ? meta.labelEn : meta.labelZh) : p.key;
  };

  useEffect(() => {
    document.title = `${t('reference.title')} · ${t('app.title')}`;
  }, [t]);

  const rows = ref.data?.parameters ?? [];
  return (
    <div className="page dash-page" data-testid="reference-page">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <h1 id={headingId}>{t('reference.title')}</h1>
            <p className="muted">{t('reference.intro')}</p>
            {ref.data && (
              <p className="muted small" data-testid="reference-version">
                {t('reference.asOf', { date: formatDate(ref.data.asOf, locale), version: ref.data.versions.parameters?.id ?? '' })}
              </p>
            )}
          </div>
        </header>
        {!admin && <p className="muted small">{t('reference.readOnly')}</p>}
        {done && (
          <p className="form-success" role="status" data-testid="reference-done">
            {done}
          </p>
        )}
        {ref.error && <LoadError error={ref.error} onRetry={ref.reload} />}
        <Table
          wrapClassName="report-table-wrap"
          className="report-table"
          aria-labelledby={headingId}
          data-testid="reference-table"
          columns={[
            t('reference.col.parameter'),
            { label: t('reference.col.value'), num: true },
            t('reference.col.basis'),
            t('reference.col.source'),
            t('reference.col.status'),
            admin && { label: t('dashboard.subsidy.actions'), hidden: true },
          ]}
        >
          {ref.loading && !ref.data && <TableStateRow colSpan={admin ? 6 : 5}>{t('app.loading')}</TableStateRow>}
          {rows.map((p) => {
            const meta = PARAMETER_SOURCES[p.key as PolicyParameterKey];
            return (
              <tr key={p.key} data-testid={`param-${p.key}`}>
                <td>
                  <span className="strong">{label(p)}</span>
                  <span className="report-sub">{p.key}</span>
                </td>
                <td className="num">{parameterValueText(p, locale, t)}</td>
                <td>
                  {p.basis && <span className={`tag ${p.basis === 'plan' ? 'tag--ok' : 'tag--warn'}`}>{t(`reference.basis.${p.basis as 'plan' | 'national_rule' | 'bureau_assumption'}`)}</span>}
                  <span className="report-sub">{p.clause}</span>
                  {meta && <span className="report-sub">{locale === 'en' ? meta.noteEn : meta.noteZh}</span>}
                </td>
                <td data-testid="param-source">{p.source}</td>
                <td>
                  <span className={`tag ${p.verified ? 'tag--ok' : 'tag--warn'}`} data-testid="param-status" data-verified={String(p.verified)}>
                    {p.verified ? t('reference.verified') : t('reference.unverified')}
                  </span>
                </td>
                {admin && (
                  <td className="row-actions">
                    {!p.verified && (
                      <button type="button" className="button button--secondary button--small" onClick={() => setConfirming(p)} data-testid={`confirm-${p.key}`}>
                        {t('reference.confirm')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </Table>
        <LocalCrsSection admin={admin} />
        {confirming && (
          <ConfirmParameterDialog
            param={confirming}
            label={label(confirming)}
            value={parameterValueText(confirming, locale, t)}
            onClose={() => setConfirming(null)}
            onDone={(m) => {
              setConfirming(null);
              setDone(m);
              setReloadKey((k) => k + 1);
            }}
            errorText={errorText}
          />
        )}
      </div>
    </div>
  );
}

function ConfirmParameterDialog({
  param, label, value, onClose, onDone, errorText,
}: { param: Param; label: string; value: string; onClose: () => void; onDone: (m: string) => void; errorText: (e: unknown) => string }) {
  const { t } = useT();
  const [source, setSource] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const sourceId = useId();
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const v = await floorApi.confirmParameter(param.key, source.trim() ? { source: source.trim() } : {});
      onDone(t('reference.confirmed', { label, version: v.id }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <ConfirmDialog
      title={t('reference.confirmTitle', { label })}
      confirmLabel={t('reference.confirm')}
      busy={busy}
      error={error}
      onCancel={onClose}
      onConfirm={() => void run()}
      message={
        <>
          <p>{t('reference.confirmBody', { label, value })}</p>
          <div className="field">
            <label htmlFor={sourceId}>{t('reference.confirmSource')}</label>
            <input id={sourceId} value={source} maxLength={500} onChange={(e) => setSource(e.target.value)} data-testid="confirm-source" />
          </div>
        </>
      }
    />
  );
}
