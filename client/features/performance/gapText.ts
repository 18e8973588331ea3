/** A 标准地 condition's gap in words ("亩均税收：要求 …，实际 …，差 …"), for the evaluation table and the monitoring report. */
import type { EvaluationItem } from '../../api/index.ts';
import type { Locale, Translate } from '../../i18n/index.ts';
import { formatNumber } from '../../ui/format.ts';
import { gapNumber, isConditionField } from './figures.ts';

export function gapText(u: EvaluationItem['meetsConditions']['unmet'][number], t: Translate, locale: Locale): string {
  const field = isConditionField(u.field) ? t(`perf.cond.${u.field}`) : u.field;
  const v = (x: number | string) => (typeof x === 'number' ? formatNumber(x, locale, 4) : x);
  const gap = gapNumber(u.gap, u.unit);
  return gap === null
    ? t('perf.cond.gapNoNumber', { field, required: v(u.required), actual: v(u.actual) })
    : t('perf.cond.gap', { field, required: v(u.required), actual: v(u.actual), gap: formatNumber(gap, locale, 4), unit: u.unit });
}
