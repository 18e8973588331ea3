/**
 * The editor's 标准地条件 field group (land officers): the ten conditions as typed, laid out and
 * checked by the plot form it sits in (`field` renders label, hint and problem the same way as
 * the form's other fields). Empty = not set; "clear all" empties every field.
 */
import type { ReactNode } from 'react';
import { CONDITION_FIELDS, POLLUTION_CATEGORIES, type ConditionField } from '../../../shared/policy/standard-land.ts';
import { useT } from '../../i18n/useT.ts';
import type { MessageKey } from '../../i18n/zh.ts';
import { emptyConditionsForm, type ConditionsForm } from './conditionsForm.ts';
import './conditions.css';

type InputProps = { id: string; invalid: boolean; describedBy: string | undefined };
type FieldRenderer = (k: ConditionField, label: string, input: (p: InputProps) => ReactNode, opts?: { hint?: ReactNode; wide?: boolean }) => ReactNode;

const LABELS: Record<ConditionField, MessageKey> = {
  investmentIntensityYuanPerM2Min: 'conditions.project.investmentIntensity',
  plotRatioMin: 'conditions.plotRatioMin',
  plotRatioMax: 'conditions.plotRatioMax',
  outputPerMuYuanMin: 'conditions.project.outputPerMu',
  taxPerMuYuanMin: 'conditions.project.taxPerMu',
  energyTcePer10kYuanMax: 'conditions.project.energyPer10k',
  pollutionCategory: 'conditions.pollutionCategory',
  notes: 'conditions.notes',
  startWithinMonths: 'conditions.startWithinMonths',
  completeWithinMonths: 'conditions.completeWithinMonths',
};
const MINIMA: ConditionField[] = ['investmentIntensityYuanPerM2Min', 'plotRatioMin', 'outputPerMuYuanMin', 'taxPerMuYuanMin'];

export function ConditionsFields({ value, onChange, field, disabled = false }: {
  value: ConditionsForm;
  onChange: (next: ConditionsForm) => void;
  field: FieldRenderer;
  disabled?: boolean;
}) {
  const { t } = useT();
  const set = (k: ConditionField, v: string) => onChange({ ...value, [k]: v });
  const anySet = CONDITION_FIELDS.some((k) => value[k].trim() !== '');

  const input = (k: ConditionField, mode: 'decimal' | 'numeric') => (p: InputProps) => (
    <input
      id={p.id}
      name={`conditions.${k}`}
      value={value[k]}
      onChange={(e) => set(k, e.target.value)}
      inputMode={mode}
      placeholder={t('conditions.notSet')}
      aria-invalid={p.invalid || undefined}
      aria-describedby={p.describedBy}
      autoComplete="off"
      disabled={disabled}
      data-testid={`field-conditions-${k}`}
    />
  );
  const label = (k: ConditionField) => {
    const base = t(LABELS[k]);
    if (k === 'startWithinMonths' || k === 'completeWithinMonths') return `${base}（${t('conditions.unit.months')}）`;
    return MINIMA.includes(k) && k !== 'plotRatioMin' ? `${base} ≥` : k === 'energyTcePer10kYuanMax' ? `${base} ≤` : base;
  };

  return (
    <fieldset className="conditions-fields" data-testid="conditions-fields">
      <legend>{t('conditions.edit.title')}</legend>
      <p className="muted conditions-hint">{t('conditions.edit.hint')}</p>
      <div className="form-grid ed-form-grid">
        {(['investmentIntensityYuanPerM2Min', 'plotRatioMin', 'plotRatioMax', 'outputPerMuYuanMin', 'taxPerMuYuanMin', 'energyTcePer10kYuanMax'] as const).map((k) =>
          field(k, label(k), input(k, 'decimal')),
        )}
        {field('pollutionCategory', label('pollutionCategory'), (p) => (
          <select
            id={p.id}
            name="conditions.pollutionCategory"
            value={value.pollutionCategory}
            onChange={(e) => set('pollutionCategory', e.target.value)}
            aria-invalid={p.invalid || undefined}
            aria-describedby={p.describedBy}
            disabled={disabled}
            data-testid="field-conditions-pollutionCategory"
          >
            <option value="">{t('conditions.edit.categoryNone')}</option>
            {POLLUTION_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`conditions.category.${c}`)}
              </option>
            ))}
          </select>
        ))}
        {field('startWithinMonths', label('startWithinMonths'), input('startWithinMonths', 'numeric'))}
        {field('completeWithinMonths', label('completeWithinMonths'), input('completeWithinMonths', 'numeric'))}
        {field('notes', label('notes'), (p) => (
          <textarea
            id={p.id}
            name="conditions.notes"
            value={value.notes}
            onChange={(e) => set('notes', e.target.value)}
            rows={2}
            maxLength={2000}
            aria-invalid={p.invalid || undefined}
            aria-describedby={p.describedBy}
            disabled={disabled}
            data-testid="field-conditions-notes"
          />
        ), { wide: true })}
      </div>
      {anySet && !disabled && (
        <button type="button" className="link-button" onClick={() => onChange(emptyConditionsForm())} data-testid="conditions-clear">
          {t('conditions.edit.clearAll')}
        </button>
      )}
    </fieldset>
  );
}
