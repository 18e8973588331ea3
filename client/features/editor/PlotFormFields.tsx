/**
 * The plot's attributes as `POST /api/plots` / `PATCH /api/plots/:id` take them: code, land use,
 * land level and surveyed area first (required), then planning conditions and internal figures
 * in a disclosure. Areas read in 亩 beside the m² typed; the geometric area is one click away.
 */
import { useId, type ReactNode } from 'react';
import { LAND_USES, type LandUse } from '../../../shared/domain.ts';
import { landUseClass, landUseCodesFor, landUseMapping } from '../../../shared/land-use-codes.ts';
import { formatM2, formatMu, formatNumber } from '../../ui/format.ts';
import { useT } from '../../i18n/useT.ts';
import type { FieldProblem, PlainField, PlotForm, PlotFormField } from './plotPayload.ts';
import { ConditionsFields } from '../conditions/ConditionsFields.tsx';

export function useFieldProblemText(): (p: FieldProblem | undefined) => string | null {
  const { t } = useT();
  return (p) => (p ? t(`editor.problem.${p}`) : null);
}

export function PlotFormFields({
  form,
  onChange,
  problems,
  showProblems,
  geometricAreaM2,
  areaOptional,
  disabled = false,
}: {
  form: PlotForm;
  onChange: (next: PlotForm) => void;
  problems: Partial<Record<PlotFormField, FieldProblem>>;
  /** Show field problems (after the first save attempt, or as soon as a field was touched). */
  showProblems: boolean;
  geometricAreaM2: number | null;
  areaOptional: boolean;
  disabled?: boolean;
}) {
  const { t, locale } = useT();
  const problemText = useFieldProblemText();
  const base = useId();
  const set = <K extends keyof PlotForm>(k: K, v: PlotForm[K]) => onChange({ ...form, [k]: v });
  const area = form.areaM2.trim() && Number.isFinite(Number(form.areaM2)) ? Number(form.areaM2) : null;
  const diff = area && geometricAreaM2 ? (geometricAreaM2 - area) / area : null;

  const field = (k: PlotFormField, label: string, input: (p: { id: string; invalid: boolean; describedBy: string | undefined }) => ReactNode, opts: { hint?: ReactNode; wide?: boolean; required?: boolean } = {}) => {
    const id = `${base}-${k}`;
    const problem = showProblems ? problemText(problems[k]) : null;
    const hintId = opts.hint ? `${id}-hint` : undefined;
    const errId = problem ? `${id}-err` : undefined;
    return (
      <div className={`field${opts.wide ? ' field--wide' : ''}`} key={k}>
        <label htmlFor={id}>
          {label}
          {opts.required && <span className="req" aria-hidden="true"> *</span>}
        </label>
        {input({ id, invalid: !!problem, describedBy: [hintId, errId].filter(Boolean).join(' ') || undefined })}
        {opts.hint && <p id={hintId} className="field-hint">{opts.hint}</p>}
        {problem && <p id={errId} className="field-error">{problem}</p>}
      </div>
    );
  };
  const text = (k: PlainField, props: { inputMode?: 'decimal' | 'numeric' | 'text'; placeholder?: string; maxLength?: number; testId?: string; required?: boolean } = {}) =>
    (p: { id: string; invalid: boolean; describedBy: string | undefined }) => (
      <input
        id={p.id}
        name={k}
        value={form[k] as string}
        onChange={(e) => set(k, e.target.value as never)}
        inputMode={props.inputMode}
        placeholder={props.placeholder}
        maxLength={props.maxLength}
        aria-invalid={p.invalid || undefined}
        aria-describedby={p.describedBy}
        aria-required={props.required || undefined}
        autoComplete="off"
        disabled={disabled}
        data-testid={props.testId}
      />
    );

  /** A required select of the given options after a "choose" placeholder. */
  const choice = (k: 'landUse' | 'landLevel', options: readonly { value: string; label: string }[]) =>
    (p: { id: string; invalid: boolean; describedBy: string | undefined }) => (
      <select
        id={p.id}
        name={k}
        value={form[k]}
        onChange={(e) => (k === 'landUse' ? setLandUse(e.target.value as LandUse | '') : set(k, e.target.value as never))}
        aria-invalid={p.invalid || undefined}
        aria-describedby={p.describedBy}
        aria-required
        disabled={disabled}
        data-testid={`field-${k}`}
      >
        <option value="">{t('editor.field.choose')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  /** A new land use drops a 2023 code of another class (empty = the new land use's default). */
  const setLandUse = (landUse: LandUse | '') =>
    onChange({ ...form, landUse, landUseCode: landUse && form.landUseCode && landUseMapping(landUse, form.landUseCode) ? form.landUseCode : '' });
  const codeName = (code: string) => {
    const c = landUseClass(code);
    return c ? `${code} ${locale === 'en' ? c.nameEn : c.nameZh}` : code;
  };
  const landUseCodeSelect = (p: { id: string; invalid: boolean; describedBy: string | undefined }) => (
    <select
      id={p.id}
      name="landUseCode"
      value={form.landUseCode}
      onChange={(e) => set('landUseCode', e.target.value)}
      aria-invalid={p.invalid || undefined}
      aria-describedby={p.describedBy}
      disabled={disabled || !form.landUse}
      data-testid="field-landUseCode"
    >
      <option value="">{form.landUse ? t('editor.field.landUseCodeDefault', { code: codeName(landUseCodesFor(form.landUse)[0]!) }) : t('editor.field.choose')}</option>
      {form.landUse && landUseCodesFor(form.landUse).map((c) => (
        <option key={c} value={c}>
          {codeName(c)}
        </option>
      ))}
    </select>
  );
  const assumed = form.landUse ? landUseMapping(form.landUse, form.landUseCode || landUseCodesFor(form.landUse)[0]!)?.assumption === true : false;
  const landUses = LAND_USES.map((u) => ({ value: u, label: t(`landUse.${u}`) }));
  const landLevels = Array.from({ length: 10 }, (_, i) => String(i + 1)).map((l) => ({ value: l, label: t('value.level', { level: l }) }));

  return (
    <div className="ed-form">
      <div className="form-grid ed-form-grid">
        {field('code', t('editor.field.code'), text('code', { maxLength: 64, testId: 'field-code', required: true }), { required: true })}
        {field('landUse', t('editor.field.landUse'), choice('landUse', landUses), { required: true })}
        {field('landLevel', t('editor.field.landLevel'), choice('landLevel', landLevels), { required: true, hint: t('editor.field.landLevelHint') })}
        {field('areaM2', t('editor.field.areaM2'), text('areaM2', { inputMode: 'decimal', placeholder: areaOptional && geometricAreaM2 ? formatNumber(geometricAreaM2, locale, 2) : undefined, testId: 'field-areaM2' }), {
          required: !areaOptional,
          wide: true,
          hint: (
            <>
              {area !== null && <>{formatMu(area, locale)} · </>}
              {geometricAreaM2 !== null ? t('editor.field.geometricArea', { m2: formatM2(geometricAreaM2, locale), mu: formatMu(geometricAreaM2, locale) }) : t('editor.field.noGeometry')}
              {diff !== null && Math.abs(diff) > 0.0001 && <> · {t('editor.field.areaDiff', { pct: formatNumber(diff * 100, locale, 2) })}</>}
              {areaOptional && !form.areaM2.trim() && <> · {t('editor.field.areaDefault')}</>}
              {geometricAreaM2 !== null && !disabled && (
                <>
                  {' '}
                  <button type="button" className="link-button" onClick={() => set('areaM2', String(Math.round(geometricAreaM2 * 100) / 100))} data-testid="use-geometric-area">
                    {t('editor.field.useGeometricArea')}
                  </button>
                </>
              )}
            </>
          ),
        })}
        {field('location', t('plot.location'), text('location', { maxLength: 200, testId: 'field-location' }), { wide: true })}
        {field('landUseCode', t('plot.landUseCode'), landUseCodeSelect, { hint: assumed ? t('plot.landUseCodeAssumed') : t('editor.field.landUseCodeHint') })}
        {field('parcelCode', t('plot.parcelCode'), text('parcelCode', { maxLength: 32, placeholder: '440112001002GB00015', testId: 'field-parcelCode' }), { hint: t('editor.field.parcelCodeHint') })}
        {field('zoningPlotCode', t('plot.zoningPlotCode'), text('zoningPlotCode', { maxLength: 64, testId: 'field-zoningPlotCode' }))}
      </div>
      <details className="ed-more">
        <summary>{t('editor.field.more')}</summary>
        <div className="form-grid ed-form-grid">
          {field('plotRatioMin', t('editor.field.plotRatioMin'), text('plotRatioMin', { inputMode: 'decimal' }))}
          {field('plotRatioMax', t('editor.field.plotRatioMax'), text('plotRatioMax', { inputMode: 'decimal' }))}
          {field('buildingDensityMaxPct', t('editor.field.buildingDensityMaxPct'), text('buildingDensityMaxPct', { inputMode: 'decimal' }))}
          {field('greenRatioMinPct', t('editor.field.greenRatioMinPct'), text('greenRatioMinPct', { inputMode: 'decimal' }))}
          {field('heightLimitM', t('editor.field.heightLimitM'), text('heightLimitM', { inputMode: 'decimal' }))}
          {field('investmentIntensityYuanPerM2', t('editor.field.investmentIntensity'), text('investmentIntensityYuanPerM2', { inputMode: 'decimal' }))}
          {field('landGrade', t('editor.field.landGrade'), text('landGrade', { inputMode: 'numeric' }), { hint: t('editor.field.landGradeHint') })}
          {field('costWan', t('editor.field.costWan'), text('costWan', { inputMode: 'decimal', testId: 'field-cost' }), { hint: t('editor.field.costHint') })}
          {field('costNote', t('editor.field.costNote'), text('costNote', { maxLength: 500, testId: 'field-cost-note' }), { wide: true, hint: t('editor.field.costNoteHint') })}
          <div className="field field--wide">
            <label className="check">
              <input type="checkbox" checked={form.serviced} onChange={(e) => set('serviced', e.target.checked)} disabled={disabled} />
              {t('editor.field.serviced')}
            </label>
          </div>
        </div>
      </details>
      <ConditionsFields
        value={form.conditions}
        onChange={(conditions) => set('conditions', conditions)}
        field={(k, label, input, opts) => field(`conditions.${k}`, label, input, opts)}
        disabled={disabled}
      />
      <div className="form-grid ed-form-grid">
        {field('reason', t('editor.field.reason'), text('reason', { maxLength: 500 }), { wide: true, hint: t('editor.field.reasonHint') })}
      </div>
    </div>
  );
}
