/**
 * `/admin/parks` — the administrator's park list and park recognition (逐年认定, POST /api/parks):
 * names in both languages, code, managing district, lead sectors, year of recognition and a
 * surveyed boundary from a GeoJSON file the user picks. The file is read in the browser and
 * checked with the server's own rules (shared/park-boundary.ts): its area in 亩 and how much of
 * it lies inside the chosen district are shown with a small map before anything is sent; the
 * server checks again (and refuses overlaps with existing parks), and each refusal is shown at
 * the field it concerns. A recognized park is on the map, in the city overview and
 * subsidy-eligible at once.
 */
import { useEffect, useId, useMemo, useState, type ChangeEvent, type FormEvent } from 'react';
import { Link } from 'wouter';
import { SECTORS, type Sector } from '../../../shared/domain.ts';
import { api, ApiError, dashboardApi, type Districts, type DistrictProps, type Parks, type RecognizeParkResult } from '../../api/index.ts';
import { AccessGate, LoadError, NoAccess } from '../../ui/AccessGate.tsx';
import { Field } from '../../ui/Field.tsx';
import { Table } from '../../ui/Table.tsx';
import { TableStateRow } from '../../ui/TableState.tsx';
import { localizeServerMessage } from '../auth/serverMessage.ts';
import { useApi } from '../../ui/useApi.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { localName } from '../../i18n/index.ts';
import { useT } from '../../i18n/useT.ts';
import { useSessionStore } from '../../stores/session.ts';
import { BoundaryMap } from '../district/BoundaryMap.tsx';
import { districtFit, metadataFromProperties, nextParkCode, readBoundaryText, type BoundaryRead } from '../district/boundary.ts';
import { m2Text, muText, pickMessage, shareText } from '../district/figures.ts';
import './admin.css';
import '../district/dashboard.css';
import '../district/report.css';
import { bureauYear } from '../../../shared/dates.ts';

export default function ParksAdminPage() {
  return (
    <AccessGate permission={null}>
      <AdminOnly />
    </AccessGate>
  );
}

function AdminOnly() {
  const role = useSessionStore((s) => s.user?.role);
  if (role !== 'admin') return <NoAccess />;
  return <ParksAdmin />;
}

type Field = 'code' | 'nameZh' | 'nameEn' | 'districtCode' | 'sectors' | 'recognizedYear' | 'boundary' | 'note';
type Errors = Partial<Record<Field, string>>;

interface FormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: string;
  sectors: Sector[];
  recognizedYear: string;
  note: string;
}

const FIELDS: readonly Field[] = ['code', 'nameZh', 'nameEn', 'districtCode', 'sectors', 'recognizedYear', 'boundary', 'note'];

function ParksAdmin() {
  const { t, locale } = useT();
  const [reloadKey, setReloadKey] = useState(0);
  const parks = useApi(`parks:admin:${reloadKey}`, (signal) => api.parks(signal));
  const districts = useApi('districts:geometry', (signal) => api.districts(signal));
  const [created, setCreated] = useState<RecognizeParkResult | null>(null);
  const names = useMemo(() => new Map<string, DistrictProps>((districts.data?.features ?? []).map((f) => [f.properties.code, f.properties])), [districts.data]);
  const districtName = (code: string) => {
    const d = names.get(code);
    return d ? localName(locale, d) : code;
  };

  useEffect(() => {
    document.title = `${t('dashboard.admin.title')} · ${t('app.title')}`;
  }, [t]);

  const list = [...(parks.data?.features ?? [])].sort((a, b) => a.properties.code.localeCompare(b.properties.code, 'en', { numeric: true }));

  return (
    <div className="page dash-page" data-testid="parks-admin">
      <div className="page-inner">
        <header className="page-header">
          <div>
            <p className="eyebrow">{t('admin.eyebrow')}</p>
            <h1>{t('dashboard.admin.title')}</h1>
            <p className="muted">{t('dashboard.admin.lead')}</p>
          </div>
          <div className="page-header-actions">
            <Link href="/bureau/parks" className="button button--secondary">
              {t('dashboard.overviewTitle')}
            </Link>
            <a href="#recognize" className="button">
              {t('dashboard.admin.recognize')}
            </a>
          </div>
        </header>

        {created && <CreatedNote result={created} onDismiss={() => setCreated(null)} />}

        <section className="dash-section" aria-labelledby="parks-list-h">
          <h2 id="parks-list-h" className="dash-h2">
            {t('dashboard.admin.listTitle', { n: list.length })}
          </h2>
          {parks.error && <LoadError error={parks.error} onRetry={parks.reload} />}
          <Table
            wrapClassName="table-wrap"
            className="data-table"
            data-testid="parks-admin-table"
            aria-busy={parks.loading}
            columns={[
              t('dashboard.admin.code'),
              t('dashboard.col.park'),
              t('dashboard.col.district'),
              t('park.tier'),
              t('park.sectors'),
              { label: t('dashboard.admin.areaMu'), num: true },
              t('dashboard.admin.boundary'),
              { label: t('dashboard.col.links'), hidden: true },
            ]}
          >
            {parks.loading && !parks.data && <TableStateRow colSpan={8} />}
            {list.map(({ properties: p }) => (
              <tr key={p.id} data-testid={`admin-park-${p.code}`} className={created?.park.properties.id === p.id ? 'dash-row-new' : undefined}>
                <td className="mono">{p.code}</td>
                <td>
                  <span className="strong">{localName(locale, p)}</span>
                  {p.sample && <span className="tag tag--warn dash-sample">{t('dashboard.sample')}</span>}
                </td>
                <td>{districtName(p.districtCode)}</td>
                <td>
                  {t(`tier.${p.tier}`)}
                  {p.tier === 'recognized' && p.recognizedYear ? <span className="dash-sub">{t('dashboard.report.recognized', { year: p.recognizedYear })}</span> : null}
                </td>
                <td>{p.sectors.map((s) => t(`sector.${s}`)).join(locale === 'en' ? ', ' : '、')}</td>
                <td className="num" title={`${m2Text(p.areaM2)} ${t('dashboard.unit.m2')}`}>
                  {muText(p.areaM2)}
                </td>
                <td>{p.boundarySource === 'surveyed' ? t('dashboard.report.surveyed') : t('dashboard.report.indicative')}</td>
                <td className="row-actions">
                  <Link href={`/?park=${p.id}`} className="button button--secondary button--small">
                    {t('dashboard.report.onMap')}
                  </Link>
                  <Link href={`/parks/${p.id}/report`} className="button button--secondary button--small">
                    {t('dashboard.report')}
                  </Link>
                </td>
              </tr>
            ))}
          </Table>
        </section>

        <RecognizeForm
          key={reloadKey}
          codes={list.map((f) => f.properties.code)}
          districts={districts.data}
          parks={parks.data}
          onCreated={(r) => {
            setCreated(r);
            setReloadKey((k) => k + 1);
            document.querySelector('.page')?.scrollTo({ top: 0 });
          }}
        />
      </div>
    </div>
  );
}

function CreatedNote({ result, onDismiss }: { result: RecognizeParkResult; onDismiss: () => void }) {
  const { t, locale } = useT();
  const p = result.park.properties;
  return (
    <div className="alert alert--ok" role="status" data-testid="recognized-note">
      <p>
        {t('dashboard.admin.created', { code: p.code, name: localName(locale, p), area: muText(result.checks.areaM2) })}
      </p>
      {result.warnings.length > 0 && (
        <ul className="dash-warnings">
          {result.warnings.map((w) => (
            <li key={w.code}>{pickMessage(locale, w)}</li>
          ))}
        </ul>
      )}
      <p className="dash-links">
        <Link href={`/?park=${p.id}`}>{t('dashboard.report.onMap')}</Link>
        <Link href={`/parks/${p.id}/report`}>{t('dashboard.report')}</Link>
        <Link href="/bureau/parks">{t('dashboard.overviewTitle')}</Link>
        <button type="button" className="link-button" onClick={onDismiss}>
          {t('users.dismiss')}
        </button>
      </p>
    </div>
  );
}

function RecognizeForm({
  codes,
  districts,
  parks,
  onCreated,
}: {
  codes: string[];
  districts: Districts | null;
  parks: Parks | null;
  onCreated: (r: RecognizeParkResult) => void;
}) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const thisYear = bureauYear();
  const [form, setForm] = useState<FormValues>({ code: '', nameZh: '', nameEn: '', districtCode: '', sectors: [], recognizedYear: String(thisYear), note: '' });
  const [file, setFile] = useState<{ name: string; read: BoundaryRead } | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = {
    code: useId(), nameZh: useId(), nameEn: useId(), district: useId(), year: useId(), note: useId(), file: useId(), fileStatus: useId(),
  };
  const suggested = nextParkCode(codes);
  const boundary = file?.read.ok ? file.read : null;
  const fit = useMemo(
    () => (boundary && districts && form.districtCode ? districtFit(boundary.geometry, boundary.areaM2, districts, form.districtCode) : null),
    [boundary, districts, form.districtCode],
  );
  const districtList = useMemo(
    () => [...(districts?.features ?? [])].map((f) => f.properties).sort((a, b) => a.code.localeCompare(b.code)),
    [districts],
  );

  const set = (k: keyof FormValues) => (e: ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
    const v = e.target.value;
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((x) => ({ ...x, [k]: undefined }));
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    setErrors((x) => ({ ...x, boundary: undefined }));
    if (!f) {
      setFile(null);
      return;
    }
    const text = await f.text();
    const read = readBoundaryText(text);
    setFile({ name: f.name, read });
    if (read.ok) {
      // A file that names the park fills the empty fields (never overwrites what was typed).
      const m = metadataFromProperties(read.properties);
      setForm((cur) => ({
        ...cur,
        code: cur.code || m.code || '',
        nameZh: cur.nameZh || m.nameZh || '',
        nameEn: cur.nameEn || m.nameEn || '',
        districtCode: cur.districtCode || (m.districtCode && /^\d{6}$/.test(m.districtCode) ? m.districtCode : '') || (districts ? districtFit(read.geometry, read.areaM2, districts, '').largestDistrictCode ?? '' : ''),
        sectors: cur.sectors.length ? cur.sectors : ((m.sectors ?? []).filter((s): s is Sector => (SECTORS as readonly string[]).includes(s))),
        recognizedYear: m.recognizedYear && /^\d{4}$/.test(m.recognizedYear) ? m.recognizedYear : cur.recognizedYear,
      }));
    }
  };

  const check = (): Errors => {
    const x: Errors = {};
    const code = form.code.trim();
    if (!code) x.code = t('dashboard.required');
    else if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/.test(code)) x.code = t('dashboard.admin.codeRule');
    else if (codes.some((c) => c.toLowerCase() === code.toLowerCase())) x.code = t('dashboard.admin.codeTaken', { code });
    if (!form.nameZh.trim()) x.nameZh = t('dashboard.required');
    if (!form.nameEn.trim()) x.nameEn = t('dashboard.required');
    if (!form.districtCode) x.districtCode = t('dashboard.required');
    if (form.sectors.length === 0) x.sectors = t('dashboard.admin.sectorsRequired');
    const y = Number(form.recognizedYear);
    if (!/^\d{4}$/.test(form.recognizedYear) || y < 2018 || y > thisYear + 1) x.recognizedYear = t('dashboard.admin.yearRule', { max: thisYear + 1 });
    if (!file) x.boundary = t('dashboard.admin.fileRequired');
    else if (!file.read.ok) x.boundary = pickMessage(locale, file.read);
    return x;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const x = check();
    setErrors(x);
    if (Object.values(x).some(Boolean) || !boundary) {
      const first = FIELDS.find((f) => x[f]);
      if (first) document.querySelector<HTMLElement>(`[data-field="${first}"]`)?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await dashboardApi.recognizePark({
        code: form.code.trim(),
        nameZh: form.nameZh.trim(),
        nameEn: form.nameEn.trim(),
        districtCode: form.districtCode,
        sectors: form.sectors,
        recognizedYear: Number(form.recognizedYear),
        boundary: boundary.geometry,
        ...(form.note.trim() ? { note: form.note.trim() } : {}),
      });
      onCreated(r);
    } catch (err) {
      // The server names the field it refuses; show the message there.
      const field = err instanceof ApiError && typeof err.details.field === 'string' ? (err.details.field as Field) : null;
      if (field && FIELDS.includes(field)) {
        setErrors({ [field]: err instanceof ApiError ? localizeServerMessage(err.message, locale) : errorText(err) });
        document.querySelector<HTMLElement>(`[data-field="${field}"]`)?.focus();
      } else {
        setFormError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (f: Field, id: string) =>
    errors[f] ? (
      <p className="field-error" id={`${id}-err`} data-testid={`error-${f}`}>
        {errors[f]}
      </p>
    ) : null;
  const invalid = (f: Field) => (errors[f] ? true : undefined);
  const describedBy = (f: Field, id: string) => (errors[f] ? `${id}-err` : undefined);
  /** What each text control carries: its id, the field it edits (the server's refusal focuses it by name), value, change handler and error state. */
  const control = (f: Exclude<keyof FormValues, 'sectors'>, id: string) => ({
    id,
    'data-field': f,
    value: form[f],
    onChange: set(f),
    'aria-invalid': invalid(f),
    'aria-describedby': describedBy(f, id),
  });

  return (
    <section className="card dash-recognize" id="recognize" aria-labelledby="recognize-h">
      <h2 id="recognize-h" className="card-title">
        {t('dashboard.admin.recognize')}
      </h2>
      <p className="muted small">{t('dashboard.admin.recognizeLead')}</p>
      <form className="form" onSubmit={(e) => void submit(e)} noValidate data-testid="recognize-form">
        <div className="dash-recognize-grid">
          <div className="form dash-recognize-fields">
            <div className="form-grid dash-grid-2">
              <Field id={ids.code} label={t('dashboard.admin.code')} required>
                <input {...control('code', ids.code)} placeholder={suggested} maxLength={32} data-testid="park-code" />
                {fieldError('code', ids.code) ?? <p className="field-hint">{t('dashboard.admin.codeHint', { code: suggested })}</p>}
              </Field>
              <Field id={ids.year} label={t('dashboard.admin.year')} required>
                <input {...control('recognizedYear', ids.year)} inputMode="numeric" maxLength={4} data-testid="park-year" />
                {fieldError('recognizedYear', ids.year)}
              </Field>
              <Field id={ids.nameZh} label={t('dashboard.admin.nameZh')} required>
                <input {...control('nameZh', ids.nameZh)} lang="zh-CN" maxLength={100} data-testid="park-name-zh" />
                {fieldError('nameZh', ids.nameZh)}
              </Field>
              <Field id={ids.nameEn} label={t('dashboard.admin.nameEn')} required>
                <input {...control('nameEn', ids.nameEn)} lang="en" maxLength={200} data-testid="park-name-en" />
                {fieldError('nameEn', ids.nameEn)}
              </Field>
              <Field id={ids.district} label={t('dashboard.admin.district')} required>
                <select {...control('districtCode', ids.district)} data-testid="park-district">
                  <option value="">{t('dashboard.admin.chooseDistrict')}</option>
                  {districtList.map((d) => (
                    <option key={d.code} value={d.code}>
                      {localName(locale, d)}
                    </option>
                  ))}
                </select>
                {fieldError('districtCode', ids.district)}
              </Field>
              <fieldset className="dash-fieldset" data-field="sectors" tabIndex={-1} aria-invalid={invalid('sectors')}>
                <legend>
                  {t('park.sectors')} <span className="req" aria-hidden="true">*</span>
                </legend>
                {SECTORS.map((s) => (
                  <label key={s} className="check check--inline">
                    <input
                      type="checkbox"
                      checked={form.sectors.includes(s)}
                      onChange={(e) => {
                        setForm((f) => ({ ...f, sectors: e.target.checked ? [...f.sectors, s] : f.sectors.filter((x) => x !== s) }));
                        setErrors((x) => ({ ...x, sectors: undefined }));
                      }}
                      data-testid={`park-sector-${s}`}
                    />
                    {t(`sector.${s}`)}
                  </label>
                ))}
                {errors.sectors && <p className="field-error">{errors.sectors}</p>}
              </fieldset>
            </div>
            <div className="field">
              <label htmlFor={ids.note}>{t('dashboard.admin.note')}</label>
              <textarea id={ids.note} data-field="note" className="dash-textarea" rows={2} maxLength={1000} value={form.note} onChange={set('note')} placeholder={t('dashboard.admin.notePlaceholder')} />
              {fieldError('note', ids.note)}
            </div>
            <Field id={ids.file} label={t('dashboard.admin.file')} required>
              <input
                id={ids.file}
                data-field="boundary"
                type="file"
                accept=".geojson,.json,application/geo+json,application/json"
                onChange={(e) => void onFile(e)}
                aria-invalid={invalid('boundary')}
                aria-describedby={`${ids.fileStatus}${errors.boundary ? ` ${ids.file}-err` : ''}`}
                data-testid="park-file"
              />
              <p className="field-hint">{t('dashboard.admin.fileHint')}</p>
              {fieldError('boundary', ids.file)}
            </Field>
          </div>

          <div className="dash-recognize-preview">
            <BoundaryMap
              districts={districts}
              parks={parks}
              districtCode={form.districtCode}
              boundary={boundary?.geometry ?? null}
              bbox={boundary?.bbox ?? null}
              label={t('dashboard.admin.mapLabel')}
            />
            <div id={ids.fileStatus} className="dash-preview" aria-live="polite" data-testid="boundary-status">
              {!file && <p className="muted">{t('dashboard.admin.noFile')}</p>}
              {file && !file.read.ok && (
                <p className="form-error">
                  {file.name}: {pickMessage(locale, file.read)}
                </p>
              )}
              {boundary && (
                <dl className="facts facts--compact">
                  <div className="fact">
                    <dt>{t('dashboard.admin.fileName')}</dt>
                    <dd className="mono">{file?.name}</dd>
                  </div>
                  <div className="fact">
                    <dt>{t('dashboard.admin.area')}</dt>
                    <dd data-testid="boundary-area">
                      <strong>
                        {muText(boundary.areaM2)} {t('dashboard.unit.mu')}
                      </strong>{' '}
                      <span className="muted">
                        ({m2Text(boundary.areaM2)} {t('dashboard.unit.m2')})
                      </span>
                    </dd>
                  </div>
                  <div className="fact">
                    <dt>{t('dashboard.admin.inDistrict')}</dt>
                    <dd data-testid="boundary-district">
                      {!form.districtCode || !fit ? (
                        <span className="muted">{t('dashboard.admin.chooseDistrictFirst')}</span>
                      ) : fit.insideDistrictShare >= 0.5 ? (
                        <span className="tag tag--ok">{t('dashboard.admin.inside', { pct: shareText(fit.insideDistrictShare) ?? '' })}</span>
                      ) : (
                        <span className="tag tag--warn">
                          {t('dashboard.admin.outside', {
                            pct: shareText(fit.insideDistrictShare) ?? '',
                            largest: fit.largestDistrictCode ? localName(locale, districts?.features.find((f) => f.properties.code === fit.largestDistrictCode)?.properties ?? { nameZh: fit.largestDistrictCode }) : t('dashboard.admin.noDistrict'),
                          })}
                        </span>
                      )}
                    </dd>
                  </div>
                  {fit && fit.insideCityShare < 0.99 && (
                    <div className="fact">
                      <dt>{t('dashboard.admin.inCity')}</dt>
                      <dd>
                        <span className="tag tag--warn">{shareText(fit.insideCityShare)}</span>
                      </dd>
                    </div>
                  )}
                  {boundary.removedDuplicatePoints > 0 && (
                    <div className="fact">
                      <dt>{t('dashboard.admin.cleaned')}</dt>
                      <dd>{t('dashboard.admin.duplicates', { n: boundary.removedDuplicatePoints })}</dd>
                    </div>
                  )}
                </dl>
              )}
            </div>
          </div>
        </div>

        {formError && (
          <p className="form-error" role="alert" data-testid="recognize-error">
            {formError}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy} data-testid="recognize-submit">
            {busy && <span className="spinner spinner--light" aria-hidden="true" />}
            {t('dashboard.admin.submit')}
          </button>
          <p className="muted small">{t('dashboard.admin.submitNote')}</p>
        </div>
      </form>
    </section>
  );
}
