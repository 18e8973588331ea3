/**
 * A park's park-operator projects and their supporting-facilities ratio (五(三)13): the list, and
 * for the land bureau (`plots.manage`) a form that checks the ratio live with the server's own
 * rule (`facilitiesRatioCheck`): ≤ 15 % of the total floor area for the park operator's project
 * in a value-innovation park, 14 % otherwise. The server re-checks and refuses an excess with
 * FACILITIES_RATIO_EXCEEDED and the ratio, which is shown as it says it.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { DEFAULT_PARAMETERS } from '../../../shared/policy/index.ts';
import { dashboardApi, floorApi, type ParkReport } from '../../api/index.ts';
import { Dialog, DialogFooter } from '../../ui/Dialog.tsx';
import { Field } from '../../ui/Field.tsx';
import { parametersFromReference } from '../floor/floorForm.ts';
import { formatNumber } from '../../ui/format.ts';
import { useApi } from '../../ui/useApi.ts';
import { useCan } from '../../ui/useCan.ts';
import { useErrorText } from '../../ui/useErrorText.ts';
import { useT } from '../../i18n/useT.ts';
import { cleanAmount, EMPTY_FACILITIES_FORM, facilitiesPreview, m2Text, pickMessage, type FacilitiesFormValues } from './figures.ts';
import { ReportTable } from './ReportTable.tsx';

/** Rows printed on the one-page report. */
const PRINT_ROWS = 4;

const pct = (x: number, locale: 'zh-CN' | 'en') => `${formatNumber(x * 100, locale, 2, 2)}%`;

export function OperatorProjectsSection({ report, reloadKey, onChanged }: { report: ParkReport; reloadKey: number; onChanged: (message: string) => void }) {
  const { t, locale } = useT();
  const manage = useCan('plots.manage');
  const errorText = useErrorText();
  const parkId = report.park.id;
  const list = useApi(`operator-projects:${parkId}:${reloadKey}`, (signal) => dashboardApi.operatorProjects(parkId, signal));
  const [open, setOpen] = useState(false);
  const headingId = useId();
  const items = list.data?.items ?? [];

  return (
    <section className="report-section" aria-labelledby={headingId} data-testid="operator-section">
      <div className="report-section-head">
        <h2 id={headingId}>{t('dashboard.operator.title')}</h2>
        <p className="report-section-sum">{t('dashboard.operator.rule')}</p>
        {manage && (
          <button type="button" className="button button--small no-print" onClick={() => setOpen(true)} data-testid="operator-open">
            {t('dashboard.operator.register')}
          </button>
        )}
      </div>
      {list.loading && <p className="muted report-empty">{t('app.loading')}</p>}
      {list.error && <p className="form-error">{errorText(list.error)}</p>}
      {list.data && items.length === 0 && <p className="muted report-empty">{t('dashboard.operator.none')}</p>}
      {items.length > 0 && (
        <ReportTable
          rowCount={items.length}
          printRows={PRINT_ROWS}
          data-testid="operator-table"
          columns={[
            t('dashboard.operator.project'),
            { label: t('dashboard.operator.totalM2'), num: true },
            { label: t('dashboard.operator.facilitiesM2'), num: true },
            { label: t('dashboard.operator.ratio'), num: true },
          ]}
        >
          {items.map((p, i) => (
            <tr key={p.id} className={i >= PRINT_ROWS ? 'report-more' : undefined}>
              <td>
                <span className="strong">{p.projectName}</span>
                <span className="report-sub">
                  {p.operatorName} · {p.byParkOperator ? t('dashboard.operator.byOperator') : t('dashboard.operator.notByOperator')}
                </span>
              </td>
              <td className="num">{m2Text(p.totalFloorAreaM2)}</td>
              <td className="num">{m2Text(p.facilitiesFloorAreaM2)}</td>
              <td className="num">
                {pct(p.ratio, locale)}
                <span className="report-sub">{t('dashboard.operator.limitOf', { limit: pct(p.limit, locale) })}</span>
              </td>
            </tr>
          ))}
        </ReportTable>
      )}
      {open && (
        <OperatorDialog
          parkId={parkId}
          parkName={locale === 'en' ? report.park.nameEn : report.park.nameZh}
          onClose={() => setOpen(false)}
          onDone={(m) => {
            setOpen(false);
            onChanged(m);
          }}
        />
      )}
    </section>
  );
}

function OperatorDialog({ parkId, parkName, onClose, onDone }: { parkId: number; parkName: string; onClose: () => void; onDone: (m: string) => void }) {
  const { t, locale } = useT();
  const errorText = useErrorText();
  const ref = useApi('reference', (signal) => floorApi.reference(signal));
  const params = ref.data ? parametersFromReference(ref.data.parameters) : DEFAULT_PARAMETERS;
  const [form, setForm] = useState<FacilitiesFormValues>(EMPTY_FACILITIES_FORM);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [touched, setTouched] = useState(false);
  const ids = { op: useId(), name: useId(), total: useId(), fac: useId(), preview: useId() };
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const preview = facilitiesPreview(form, params);
  const missing = { operatorName: form.operatorName.trim() === '', projectName: form.projectName.trim() === '' };
  const canSubmit = !busy && !missing.operatorName && !missing.projectName && preview.state === 'ok';
  const set = (k: 'operatorName' | 'projectName' | 'totalFloorArea' | 'facilitiesFloorArea') => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!canSubmit) return;
    setBusy(true);
    setError(null);
    try {
      const r = await dashboardApi.registerOperatorProject(parkId, {
        operatorName: form.operatorName.trim(),
        projectName: form.projectName.trim(),
        totalFloorAreaM2: Number(cleanAmount(form.totalFloorArea)),
        facilitiesFloorAreaM2: Number(cleanAmount(form.facilitiesFloorArea)),
        byParkOperator: form.byParkOperator,
      });
      onDone(t('dashboard.operator.done', { project: r.projectName, ratio: pct(r.ratio, locale) }));
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('dashboard.operator.registerTitle', { park: parkName })} onClose={onClose} wide testId="operator-dialog">
      <form className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="form-grid dash-grid-2">
          <Field id={ids.op} label={t('dashboard.operator.operator')} required>
            <input ref={first} id={ids.op} value={form.operatorName} onChange={set('operatorName')} maxLength={200} aria-invalid={touched && missing.operatorName} data-testid="operator-name" />
            {touched && missing.operatorName && <p className="field-error">{t('dashboard.required')}</p>}
          </Field>
          <Field id={ids.name} label={t('dashboard.operator.project')} required>
            <input id={ids.name} value={form.projectName} onChange={set('projectName')} maxLength={200} aria-invalid={touched && missing.projectName} data-testid="operator-project" />
            {touched && missing.projectName && <p className="field-error">{t('dashboard.required')}</p>}
          </Field>
          <Field id={ids.total} label={t('dashboard.operator.totalM2')} required>
            <input id={ids.total} inputMode="decimal" value={form.totalFloorArea} onChange={set('totalFloorArea')} aria-describedby={ids.preview} data-testid="operator-total" />
          </Field>
          <Field id={ids.fac} label={t('dashboard.operator.facilitiesM2')} required>
            <input
              id={ids.fac}
              inputMode="decimal"
              value={form.facilitiesFloorArea}
              onChange={set('facilitiesFloorArea')}
              aria-invalid={preview.state === 'exceeded'}
              aria-describedby={ids.preview}
              data-testid="operator-facilities"
            />
          </Field>
        </div>
        <label className="check">
          <input type="checkbox" checked={form.byParkOperator} onChange={(e) => setForm((f) => ({ ...f, byParkOperator: e.target.checked }))} />
          {t('dashboard.operator.byOperatorCheck')}
        </label>
        <div id={ids.preview} className="dash-preview" aria-live="polite" data-testid="operator-preview">
          {preview.state === 'incomplete' && <p className="muted">{t('dashboard.operator.previewHint')}</p>}
          {preview.state === 'invalid' && <p className="field-error">{pickMessage(locale, preview)}</p>}
          {preview.state === 'ok' && (
            <p className="dash-preview-main">
              <span className="tag tag--ok">{t('dashboard.operator.within')}</span>{' '}
              {t('dashboard.operator.okText', { ratio: pct(preview.ratio, locale), limit: pct(preview.limit, locale), headroom: m2Text(preview.headroomM2) })}
            </p>
          )}
          {preview.state === 'exceeded' && (
            <p className="form-error" data-testid="operator-exceeded">
              <strong>FACILITIES_RATIO_EXCEEDED</strong> · {pickMessage(locale, preview)}
            </p>
          )}
        </div>
        <DialogFooter error={error} busy={busy} onCancel={onClose} submitLabel={t('dashboard.operator.register')} submitDisabled={!canSubmit} submitTestId="operator-submit" />
      </form>
    </Dialog>
  );
}
