/**
 * `/supervision/evaluation/import` — yearly 亩均 figures from a CSV (合同编号 or 地块编号, 年度, 产值,
 * 税收, 能耗, 从业人员; UTF-8 or GBK): download the template, upload a file, see every row with
 * its problems and the encoding the server detected, then commit — all or nothing: refused while
 * any row has an error, so a file is never half-imported.
 */
import { useEffect, useId, useRef, useState } from 'react';
import { Link, useSearch } from 'wouter';
import { performanceApi, type PerformanceImportPreview } from '../../api/index.ts';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { formatNumber } from '../../ui/format.ts';
import { Table } from '../../ui/Table.tsx';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { rowErrorText, templateCsv, TEMPLATE_HEADERS } from './figures.ts';
import './performance.css';

export default function ImportPage() {
  return (
    <AccessGate permission="performance.manage">
      <Import />
    </AccessGate>
  );
}

function downloadTemplate(name: string) {
  const url = URL.createObjectURL(new Blob([templateCsv()], { type: 'text/csv;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function Import() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const search = useSearch();
  const year = new URLSearchParams(search).get('year');
  const fileId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<PerformanceImportPreview | null>(null);
  const [busy, setBusy] = useState<'upload' | 'commit' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<number | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const keyRef = useRef<string | null>(null);

  useEffect(() => {
    document.title = `${t('perf.imp.title')} · ${t('app.title')}`;
  }, [t]);

  const upload = async () => {
    if (!file) return;
    setBusy('upload');
    setError(null);
    setPreview(null);
    setDone(null);
    try {
      setPreview(await performanceApi.previewImport(file));
      keyRef.current = crypto.randomUUID();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const commit = async () => {
    if (!preview || !file) return;
    setBusy('commit');
    setError(null);
    try {
      const r = await performanceApi.commitImport(file, keyRef.current ?? undefined);
      setDone(r.written);
      setPreview(null);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const reset = () => {
    setFile(null);
    setPreview(null);
    setDone(null);
    setError(null);
    if (inputRef.current) inputRef.current.value = '';
  };

  const rows = preview?.rows ?? [];
  const bad = rows.filter((r) => r.errors.length > 0).length;
  const n = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? '' : formatNumber(x, locale, digits));

  return (
    <div className="page perf-page" data-testid="perf-import-page">
      <div className="page-inner">
        <nav className="breadcrumb" aria-label={t('dashboard.breadcrumb')}>
          <Link href={`/supervision/evaluation${year ? `?year=${year}` : ''}`}>{t('perf.imp.back')}</Link>
        </nav>
        <header className="page-header">
          <h1>{t('perf.imp.title')}</h1>
        </header>
        <p className="perf-intro">{t('perf.imp.intro')}</p>
        <p className="small">
          {t('perf.imp.columns', { columns: TEMPLATE_HEADERS.join(', ') })}{' '}
          <button type="button" className="button button--secondary button--small" onClick={() => downloadTemplate(t('perf.imp.templateName'))} data-testid="perf-template">
            {t('perf.imp.template')}
          </button>
        </p>

        {done !== null ? (
          <div className="alert alert--ok" role="status" data-testid="perf-import-done">
            <p>{t('perf.imp.done', { n: formatNumber(done, locale, 0) })}</p>
            <p>
              <Link href={`/supervision/evaluation${year ? `?year=${year}` : ''}`}>{t('perf.imp.viewYear')}</Link> ·{' '}
              <button type="button" className="link-button" onClick={reset}>
                {t('perf.imp.again')}
              </button>
            </p>
          </div>
        ) : (
          <form
            className="perf-upload"
            onSubmit={(e) => {
              e.preventDefault();
              void upload();
            }}
          >
            <div className="field">
              <label htmlFor={fileId}>{t('perf.imp.file')}</label>
              <input
                ref={inputRef}
                id={fileId}
                type="file"
                accept=".csv,text/csv"
                onChange={(e) => {
                  setFile(e.target.files?.[0] ?? null);
                  setPreview(null);
                }}
                data-testid="perf-file"
              />
            </div>
            <button type="submit" className="button" disabled={!file || busy !== null} data-testid="perf-preview">
              {busy === 'upload' ? t('perf.imp.uploading') : t('perf.imp.preview')}
            </button>
          </form>
        )}

        {error !== null && (
          <p className="form-error" role="alert" data-testid="perf-import-error">
            {errorText(error)}
          </p>
        )}

        {preview && (
          <section className="perf-preview" aria-live="polite" data-testid="perf-import-preview">
            <p className="perf-preview-summary">
              <span className="chip" data-testid="perf-encoding">
                {t('perf.imp.encoding', { encoding: preview.encoding.toUpperCase() })}
              </span>{' '}
              {t('perf.imp.summary', { rows: formatNumber(rows.length, locale, 0), ok: formatNumber(rows.length - bad, locale, 0), errors: formatNumber(bad, locale, 0) })}
            </p>
            <Table
              wrapClassName="table-wrap"
              className="data-table perf-table"
              columns={[
                { label: t('perf.imp.col.row'), num: true },
                t('perf.imp.col.contract'),
                t('perf.imp.col.plot'),
                t('perf.imp.col.year'),
                { label: t('perf.imp.col.output'), num: true },
                { label: t('perf.imp.col.tax'), num: true },
                { label: t('perf.imp.col.energy'), num: true },
                { label: t('perf.imp.col.employees'), num: true },
                t('perf.imp.col.errors'),
              ]}
            >
              {rows.map((r) => (
                <tr key={r.row} className={r.errors.length > 0 ? 'perf-row--bad' : undefined} data-testid={`perf-import-row-${r.row}`}>
                  <td className="num">{r.row}</td>
                  <td className="mono">{r.contractNo ?? ''}</td>
                  <td className="mono">{r.plotCode ?? ''}</td>
                  <td>{r.year ?? ''}</td>
                  <td className="num">{n(r.outputYuan)}</td>
                  <td className="num">{n(r.taxYuan)}</td>
                  <td className="num">{n(r.energyTce, 4)}</td>
                  <td className="num">{n(r.employees, 0)}</td>
                  <td>
                    {r.errors.length === 0 ? (
                      <span className="perf-ok">{r.replaces ? t('perf.imp.rowReplaces') : t('perf.imp.rowOk')}</span>
                    ) : (
                      <ul className="perf-gaps">
                        {r.errors.map((e, i) => (
                          <li key={i} className="perf-bad">
                            <span className="mono">{e.field}</span>: {rowErrorText(e, locale)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
            {bad > 0 && <p className="perf-bad">{t('perf.imp.commitBlocked')}</p>}
            <p>
              <button type="button" className="button" disabled={bad > 0 || rows.length === 0 || busy !== null} onClick={() => void commit()} data-testid="perf-commit">
                {busy === 'commit' ? t('perf.imp.committing') : t('perf.imp.commit')}
              </button>
            </p>
          </section>
        )}
      </div>
    </div>
  );
}
