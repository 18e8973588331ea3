/**
 * `/bureau/imports` — survey data in and out, for the land bureau.
 * Import: upload a GeoJSON, zipped Shapefile, KML or 界址点 CSV (progress bar; a CRS chooser
 * for files without a .prj), see every plot on a map (green valid, red with errors) and in a
 * table with its errors and warnings (a row click frames the plot), then commit — all or
 * nothing, refused while any feature has an error. Refused files (too big, zip bombs, broken
 * shapefiles, ocean coordinates…) say why in the interface language.
 * Files in a local (city) system are read with crs=LOCAL:<id> (the systems an administrator entered).
 * Export: GeoJSON, CSV with WKT, a zipped Shapefile or DXF, in WGS84 or CGCS2000 GK, with filters;
 * field names in the interface language (zh in the Chinese UI), retired parcels on request.
 */
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link } from 'wouter';
import { CRS } from '../../../shared/geometry/crs.ts';
import { LAND_USES, PLOT_STATUSES, type LandUse, type PlotStatus } from '../../../shared/domain.ts';
import { api, importsApi, type ImportCommitResult, type ImportFeature, type ImportPreview, type Parks } from '../../api/index.ts';
import { AccessGate } from '../../ui/AccessGate.tsx';
import { ConfirmDialog } from '../../ui/Dialog.tsx';
import { formatDate, formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useDistrictNames } from '../../ui/useDistrictNames.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { ImportPreviewMap } from './ImportPreviewMap.tsx';
import {
  exportHref,
  featuresBBox,
  formatBytes,
  IMPORT_ACCEPT,
  IMPORT_CRS_CHOICES,
  importErrorText,
  mergeFeatures,
  parksOf,
  previewCollection,
  previewRows,
  exportLangOf,
  type ExportForm,
} from './importView.ts';
import '../editor/editor.css';

const PAGE = 200;
const CRS_SOURCES = ['prj', 'file', 'user', 'detected', 'default'] as const;

export default function ImportPage() {
  return (
    <AccessGate permission="plots.manage">
      <ImportExport />
    </AccessGate>
  );
}

function ImportExport() {
  const { t } = useT();
  useEffect(() => {
    document.title = `${t('editor.import.pageTitle')} · ${t('app.title')}`;
  }, [t]);
  return (
    <div className="page im-page">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <h1>{t('editor.import.pageTitle')}</h1>
            <p className="im-lead">{t('editor.import.lead')}</p>
          </div>
          <div className="page-header-actions">
            <Link href="/bureau/editor" className="button button--secondary">{t('editor.title')}</Link>
          </div>
        </header>
        <ImportSection />
        <ExportSection />
      </div>
    </div>
  );
}

type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; sent: number; total: number }
  | { phase: 'processing' }
  | { phase: 'failed'; error: unknown };

function ImportSection() {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const ids = { file: useId(), crs: useId(), park: useId(), landUse: useId(), landLevel: useId(), filter: useId() };
  const parks = useApi('parks', (s) => api.parks(s));
  const localSystems = useApi('local-crs', (s) => importsApi.localCrs(s));
  const [file, setFile] = useState<File | null>(null);
  const [crs, setCrs] = useState('');
  const [parkId, setParkId] = useState('');
  const [landUse, setLandUse] = useState<LandUse | ''>('');
  const [landLevel, setLandLevel] = useState('');
  const [dragOver, setDragOver] = useState(false);
  const [upload, setUpload] = useState<UploadState>({ phase: 'idle' });
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [features, setFeatures] = useState<ImportFeature[]>([]);
  const [loadingRest, setLoadingRest] = useState(false);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const [page, setPage] = useState(0);
  const [focus, setFocus] = useState<number | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [committing, setCommitting] = useState(false);
  const [commitError, setCommitError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportCommitResult | null>(null);
  const ctrlRef = useRef<AbortController | null>(null);
  const tableRef = useRef<HTMLDivElement>(null);

  useEffect(() => () => ctrlRef.current?.abort(), []);

  const start = async (chosen: File, crsOverride?: string) => {
    ctrlRef.current?.abort();
    const ctrl = new AbortController();
    ctrlRef.current = ctrl;
    setPreview(null);
    setFeatures([]);
    setResult(null);
    setCommitError(null);
    setFocus(null);
    setPage(0);
    setUpload({ phase: 'uploading', sent: 0, total: chosen.size });
    try {
      const p = await importsApi.upload(
        chosen,
        {
          crs: crsOverride ?? (crs || undefined),
          parkId: parkId ? Number(parkId) : undefined,
          landUse: landUse || undefined,
          landLevel: landLevel ? Number(landLevel) : undefined,
        },
        (sent, total) => setUpload(sent >= total ? { phase: 'processing' } : { phase: 'uploading', sent, total }),
        ctrl.signal,
      );
      setUpload({ phase: 'idle' });
      setPreview(p);
      setFeatures(p.features);
      if (p.truncated) {
        // The first features came inline; fetch the rest page by page for the map and the table.
        setLoadingRest(true);
        let have = p.features;
        for (let offset = 0; offset < p.featuresTotal && !ctrl.signal.aborted; offset += 5000) {
          const next = await importsApi.get(p.id, offset, 5000, ctrl.signal);
          have = mergeFeatures(have, next.features);
          setFeatures(have);
        }
        setLoadingRest(false);
      }
    } catch (e) {
      if (ctrl.signal.aborted) return;
      setLoadingRest(false);
      setUpload({ phase: 'failed', error: e });
    }
  };

  const cancelUpload = () => {
    ctrlRef.current?.abort();
    setUpload({ phase: 'idle' });
  };

  const commit = async () => {
    if (!preview) return;
    setCommitting(true);
    setCommitError(null);
    try {
      const r = await importsApi.commit(preview.id);
      setResult(r);
      setConfirming(false);
    } catch (e) {
      setCommitError(e);
    } finally {
      setCommitting(false);
    }
  };

  const rows = useMemo(() => previewRows(features, locale), [features, locale]);
  const shownRows = onlyProblems ? rows.filter((r) => r.state !== 'ok') : rows;
  const pages = Math.max(1, Math.ceil(shownRows.length / PAGE));
  const pageRows = shownRows.slice(page * PAGE, page * PAGE + PAGE);
  const mapData = useMemo(() => previewCollection(features), [features]);
  const bbox = useMemo(() => featuresBBox(features), [features]);
  const parkNames = new Map((parks.data?.features ?? []).map((p) => [p.properties.id, p.properties]));
  const committedParks = preview ? parksOf(features) : [];
  const busy = upload.phase === 'uploading' || upload.phase === 'processing';
  const hasErrors = !!preview && preview.counts.invalid > 0;
  const mismatch = preview?.notices.find((n) => n.code === 'CRS_MISMATCH' && n.suggestedCrs);

  const focusRow = (index: number) => {
    setFocus(index);
    const at = shownRows.findIndex((r) => r.index === index);
    if (at >= 0) setPage(Math.floor(at / PAGE));
    requestAnimationFrame(() => tableRef.current?.querySelector(`[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' }));
  };

  return (
    <section className="card ed-import" aria-labelledby="im-title" data-testid="import-section">
      <h2 id="im-title" className="card-title">{t('editor.import.title')}</h2>
      <p className="muted small">{t('editor.import.formats')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (file) void start(file);
        }}
      >
        <div
          className={`im-drop${dragOver ? ' is-over' : ''}`}
          onDragOver={(e) => {
            e.preventDefault();
            setDragOver(true);
          }}
          onDragLeave={() => setDragOver(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragOver(false);
            const f = e.dataTransfer.files[0];
            if (f) setFile(f);
          }}
        >
          <label htmlFor={ids.file} className="strong">{t('editor.import.chooseFile')}</label>
          <input id={ids.file} type="file" accept={IMPORT_ACCEPT} onChange={(e) => setFile(e.target.files?.[0] ?? null)} disabled={busy} data-testid="import-file" />
          <p className="muted small">{file ? t('editor.import.chosen', { name: file.name, size: formatBytes(file.size) }) : t('editor.import.dropHint')}</p>
        </div>
        <div className="form-grid">
          <div className="field">
            <label htmlFor={ids.crs}>{t('editor.import.crs')}</label>
            <select id={ids.crs} value={crs} onChange={(e) => setCrs(e.target.value)} disabled={busy} data-testid="import-crs" aria-describedby={`${ids.crs}-hint`}>
              <option value="">{t('editor.import.crsAuto')}</option>
              {IMPORT_CRS_CHOICES.map((c) => (
                <option key={c} value={c}>
                  {c} · {locale === 'en' ? CRS[c].nameEn : CRS[c].nameZh}
                </option>
              ))}
              {(localSystems.data?.items ?? []).map((l) => (
                <option key={l.crs} value={l.crs}>{t('editor.import.localCrs', { name: l.name })}</option>
              ))}
            </select>
            <p id={`${ids.crs}-hint`} className="field-hint">{t('editor.import.crsHint')}</p>
          </div>
          <div className="field">
            <label htmlFor={ids.park}>{t('editor.import.park')}</label>
            <select id={ids.park} value={parkId} onChange={(e) => setParkId(e.target.value)} disabled={busy}>
              <option value="">{t('editor.import.parkAuto')}</option>
              <ParkOptions parks={parks.data} />
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.landUse}>{t('editor.import.defaultLandUse')}</label>
            <select id={ids.landUse} value={landUse} onChange={(e) => setLandUse(e.target.value as LandUse | '')} disabled={busy}>
              <option value="">{t('editor.import.fromFile')}</option>
              {LAND_USES.map((u) => <option key={u} value={u}>{t(`landUse.${u}`)}</option>)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={ids.landLevel}>{t('editor.import.defaultLandLevel')}</label>
            <select id={ids.landLevel} value={landLevel} onChange={(e) => setLandLevel(e.target.value)} disabled={busy}>
              <option value="">{t('editor.import.fromFile')}</option>
              {Array.from({ length: 10 }, (_, i) => i + 1).map((l) => <option key={l} value={l}>{t('value.level', { level: l })}</option>)}
            </select>
          </div>
        </div>
        <div className="form-actions">
          <button type="submit" className="button" disabled={!file || busy} data-testid="import-upload">
            {busy && <span className="spinner spinner--light" aria-hidden="true" />}
            {t('editor.import.upload')}
          </button>
          {busy && <button type="button" className="button button--ghost" onClick={cancelUpload}>{t('common.cancel')}</button>}
        </div>
      </form>

      {upload.phase === 'uploading' && (
        <div className="im-progress" role="status" data-testid="import-progress">
          <label htmlFor={`${ids.file}-progress`}>{t('editor.import.uploading')}</label>
          <progress id={`${ids.file}-progress`} max={upload.total || 1} value={upload.sent} />
          <span className="small nowrap">{upload.total ? `${Math.round((upload.sent / upload.total) * 100)}% · ${formatBytes(upload.sent)} / ${formatBytes(upload.total)}` : ''}</span>
        </div>
      )}
      {upload.phase === 'processing' && (
        <div className="im-progress" role="status" data-testid="import-progress">
          <span className="spinner" aria-hidden="true" />
          {t('editor.import.processing')}
        </div>
      )}
      {upload.phase === 'failed' && (
        <div className="alert alert--error" role="alert" data-testid="import-error">
          <p className="strong">{t('editor.import.refused')}</p>
          <p>{importErrorText(upload.error, locale) ?? errorText(upload.error)}</p>
        </div>
      )}

      {preview && (
        <div className="im-preview" data-testid="import-preview">
          <h3 className="section-title">{t('editor.import.previewTitle', { name: preview.filename })}</h3>
          <p className="small">
            {t('editor.import.summary', {
              format: t(`editor.import.format.${preview.format}`),
              crs: preview.crs,
              source: t(`editor.import.crsSource.${(CRS_SOURCES as readonly string[]).includes(preview.crsSource) ? preview.crsSource : 'default'}`),
            })}{' '}
            <span className="muted">{t('editor.import.expires', { date: formatDate(preview.expiresAt, locale, true) })}</span>
          </p>
          <div className="im-counts" data-testid="import-counts">
            <span className="chip chip--outline">{t('editor.import.count.features', { n: formatNumber(preview.counts.features, locale, 0) })}</span>
            <span className="tag tag--ok">{t('editor.import.count.valid', { n: formatNumber(preview.counts.valid, locale, 0) })}</span>
            {preview.counts.invalid > 0 && <span className="tag ed-tag-error">{t('editor.import.count.invalid', { n: formatNumber(preview.counts.invalid, locale, 0) })}</span>}
            {preview.counts.warnings > 0 && <span className="tag tag--warn">{t('editor.import.count.warnings', { n: formatNumber(preview.counts.warnings, locale, 0) })}</span>}
            {loadingRest && <span className="muted small"><span className="spinner spinner--inline" aria-hidden="true" /> {t('editor.import.loadingRest', { n: features.length, total: preview.featuresTotal })}</span>}
          </div>
          {preview.notices.map((n, i) => (
            <div key={i} className={`note ${n.code === 'CRS_MISMATCH' ? 'note--sample' : 'note--info'}`} data-testid="import-notice" data-code={n.code}>
              <p>{locale === 'en' ? n.messageEn : n.messageZh}</p>
            </div>
          ))}
          {mismatch && file && preview.crsSource !== 'prj' && preview.crsSource !== 'file' && !result && (
            <p>
              <button type="button" className="button button--secondary button--small" onClick={() => { setCrs(mismatch.suggestedCrs!); void start(file, mismatch.suggestedCrs!); }}>
                {t('editor.import.retryCrs', { crs: mismatch.suggestedCrs! })}
              </button>
            </p>
          )}

          <div className="im-grid">
            <ImportPreviewMap data={mapData} bbox={bbox} focus={focus} onFocus={focusRow} />
            <div>
              <div className="ed-list-tools">
                <label className="check check--inline">
                  <input type="checkbox" checked={onlyProblems} onChange={(e) => { setOnlyProblems(e.target.checked); setPage(0); }} />
                  {t('editor.import.onlyProblems')}
                </label>
                {pages > 1 && (
                  <span className="pager small">
                    <button type="button" className="button button--ghost button--small" disabled={page === 0} onClick={() => setPage(page - 1)}>‹</button>
                    {t('editor.import.page', { page: page + 1, pages })}
                    <button type="button" className="button button--ghost button--small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>›</button>
                  </span>
                )}
              </div>
              <div className="table-wrap im-table-wrap" ref={tableRef}>
                <table className="data-table im-table" data-testid="import-table">
                  <caption className="visually-hidden">{t('editor.import.tableCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">{t('editor.field.code')}</th>
                      <th scope="col">{t('plot.parcelCode')}</th>
                      <th scope="col">{t('editor.import.col.park')}</th>
                      <th scope="col" className="num">{t('editor.import.col.area')}</th>
                      <th scope="col">{t('editor.import.col.check')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {pageRows.map((r) => (
                      <tr
                        key={r.index}
                        data-index={r.index}
                        data-state={r.state}
                        className={`is-${r.state}${focus === r.index ? ' is-focus' : ''}`}
                        onClick={() => setFocus(r.index)}
                        data-testid="import-row"
                      >
                        <td>
                          <button type="button" className="link-button" onClick={(e) => { e.stopPropagation(); setFocus(r.index); }} aria-label={t('editor.import.showRow', { n: r.index + 1 })}>
                            {r.index + 1}
                          </button>
                        </td>
                        <td className="strong">{r.code ?? <span className="muted">{t('value.none')}</span>}</td>
                        <td data-testid="import-parcel-code">
                          {r.parcelCode ? <span className="nowrap">{r.parcelCode}</span> : <span className="muted">{t('value.none')}</span>}
                          {r.zoningPlotCode && <div className="muted small" title={t('plot.zoningPlotCode')}>{t('plot.zoningPlotCode')} {r.zoningPlotCode}</div>}
                        </td>
                        <td>{r.parkCode ?? <span className="muted">{t('value.none')}</span>}</td>
                        <td className="num">
                          {r.areaM2 !== null ? <span className="nowrap">{formatMu(r.areaM2, locale)}</span> : t('value.none')}
                          {r.areaM2 !== null && <div className="muted small nowrap">{formatM2(r.areaM2, locale)}</div>}
                        </td>
                        <td>
                          {r.state === 'ok' && <span className="tag tag--ok">{t('editor.import.ok')}</span>}
                          {r.messages.map((m, i) => (
                            <p key={i} className={`im-issue im-issue--${m.severity}`}>{m.text}</p>
                          ))}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {shownRows.length === 0 && <p className="table-state muted">{t('editor.import.noRows')}</p>}
              </div>
            </div>
          </div>

          {!result && (
            <div className="ed-actions">
              <button type="button" className="button" disabled={hasErrors || preview.status !== 'previewed' || preview.counts.valid === 0} onClick={() => setConfirming(true)} data-testid="import-commit">
                {t('editor.import.commit', { n: formatNumber(preview.counts.valid, locale, 0) })}
              </button>
              {hasErrors && <p className="muted small">{t('editor.import.commitBlocked', { n: preview.counts.invalid })}</p>}
            </div>
          )}
          {commitError !== null && !confirming && <p className="form-error" role="alert">{importErrorText(commitError, locale) ?? errorText(commitError)}</p>}
          {result && (
            <div className="alert alert--ok" role="status" data-testid="import-result">
              <p className="strong">{t('editor.import.done', { n: formatNumber(result.created, locale, 0) })}</p>
              <ul className="inline-list">
                {committedParks.map((p) => {
                  const park = parkNames.get(p.parkId);
                  return (
                    <li key={p.parkId}>
                      <Link href={`/bureau/editor?park=${p.parkId}`} data-testid="import-result-link">
                        {p.parkCode ?? park?.code} {park ? localName(locale, park) : ''}
                      </Link>{' '}
                      <span className="muted small">{t('value.count', { n: p.n })}</span>
                    </li>
                  );
                })}
                <li><Link href="/">{t('editor.import.openMap')}</Link></li>
              </ul>
            </div>
          )}
        </div>
      )}

      {confirming && preview && (
        <ConfirmDialog
          title={t('editor.import.confirmTitle')}
          message={<p>{t('editor.import.confirmBody', { n: formatNumber(preview.counts.valid, locale, 0), name: preview.filename })}</p>}
          confirmLabel={t('editor.import.confirm')}
          busy={committing}
          error={commitError !== null ? (importErrorText(commitError, locale) ?? errorText(commitError)) : null}
          onConfirm={() => void commit()}
          onCancel={() => setConfirming(false)}
        />
      )}
    </section>
  );
}

function ExportSection() {
  const { t, locale } = useT();
  const id = useId();
  const parks = useApi('parks', (s) => api.parks(s));
  const districts = useDistrictNames();
  const [form, setForm] = useState<ExportForm>({ format: 'geojson', crs: 'EPSG:4326', parkId: '', districtCode: '', status: [], landUse: [], lang: exportLangOf(locale), includeRetired: false });
  const set = <K extends keyof ExportForm>(k: K, v: ExportForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const toggle = <T extends string>(list: T[], v: T) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
  const href = exportHref(form);
  return (
    <section className="card im-export" aria-labelledby={`${id}-t`} data-testid="export-section">
      <h2 id={`${id}-t`} className="card-title">{t('editor.export.title')}</h2>
      <p className="muted small">{t('editor.export.lead')}</p>
      <div className="form-grid">
        <fieldset className="im-checks">
          <legend>{t('editor.export.format')}</legend>
          {(['geojson', 'csv', 'shp', 'dxf'] as const).map((f) => (
            <label key={f} className="check">
              <input type="radio" name={`${id}-format`} value={f} checked={form.format === f} onChange={() => setForm((x) => ({ ...x, format: f, ...(f === 'dxf' ? { crs: 'EPSG:4547' as const } : {}) }))} data-testid={`export-format-${f}`} />
              {t(`editor.export.format.${f}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="im-checks">
          <legend>{t('editor.export.crs')}</legend>
          {(['EPSG:4326', 'EPSG:4547'] as const).map((c) => (
            <label key={c} className="check">
              <input type="radio" name={`${id}-crs`} value={c} checked={form.crs === c} onChange={() => set('crs', c)} />
              {c} · {locale === 'en' ? CRS[c].nameEn : CRS[c].nameZh}
            </label>
          ))}
        </fieldset>
        <fieldset className="im-checks">
          <legend>{t('editor.export.lang')}</legend>
          {(['zh', 'en'] as const).map((l) => (
            <label key={l} className="check">
              <input type="radio" name={`${id}-lang`} value={l} checked={form.lang === l} onChange={() => set('lang', l)} data-testid={`export-lang-${l}`} />
              {t(`editor.export.lang.${l}`)}
            </label>
          ))}
          <label className="check">
            <input type="checkbox" checked={form.includeRetired === true} onChange={(e) => set('includeRetired', e.target.checked)} data-testid="export-include-retired" />
            {t('editor.export.includeRetired')}
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-park`}>{t('editor.park')}</label>
          <select id={`${id}-park`} value={form.parkId} onChange={(e) => set('parkId', e.target.value)} data-testid="export-park">
            <option value="">{t('editor.export.all')}</option>
            <ParkOptions parks={parks.data} />
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-district`}>{t('editor.export.district')}</label>
          <select id={`${id}-district`} value={form.districtCode} onChange={(e) => set('districtCode', e.target.value)}>
            <option value="">{t('editor.export.all')}</option>
            {districts && [...districts.values()].sort((a, b) => a.code.localeCompare(b.code)).map((d) => (
              <option key={d.code} value={d.code}>{localName(locale, d)}</option>
            ))}
          </select>
        </div>
        <fieldset className="im-checks">
          <legend>{t('editor.export.status')}</legend>
          {PLOT_STATUSES.map((s: PlotStatus) => (
            <label key={s} className="check">
              <input type="checkbox" checked={form.status.includes(s)} onChange={() => set('status', toggle(form.status, s))} />
              {t(`status.${s}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="im-checks">
          <legend>{t('editor.export.landUse')}</legend>
          {LAND_USES.map((u) => (
            <label key={u} className="check">
              <input type="checkbox" checked={form.landUse.includes(u)} onChange={() => set('landUse', toggle(form.landUse, u))} />
              {u}
            </label>
          ))}
        </fieldset>
      </div>
      <div className="form-actions">
        <a className="button" href={href} download data-testid="export-download">{t('editor.export.download')}</a>
      </div>
      <p className="muted small">{t('editor.export.note')}</p>
    </section>
  );
}

/** The parks as `<option>`s, by code ("P01 知识城…"). */
function ParkOptions({ parks }: { parks: Parks | null }) {
  const { locale } = useT();
  return [...(parks?.features ?? [])]
    .sort((a, b) => a.properties.code.localeCompare(b.properties.code))
    .map((p) => (
      <option key={p.properties.id} value={p.properties.id}>
        {p.properties.code} {localName(locale, p.properties)}
      </option>
    ));
}
