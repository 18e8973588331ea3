/**
 * 标准地 conditions in a form (pure, unit-tested): each field as typed, checked by the shared
 * policy's `validateConditions` (the server reads them the same way), and turned into the API's
 * `conditions` — every filled-in field on a new plot, only the changed ones (null clears) on an
 * edit.
 */
import type { ConditionsInput } from '../../../shared/contract/supervision.ts';
import { CONDITION_FIELDS, validateConditions, type ConditionField, type ConditionProblemReason } from '../../../shared/policy/standard-land.ts';

export type ConditionsForm = Record<ConditionField, string>;

export function emptyConditionsForm(): ConditionsForm {
  return Object.fromEntries(CONDITION_FIELDS.map((k) => [k, ''])) as ConditionsForm;
}

/** The form from a plot's conditions (a version's attributes or the plot detail); missing = empty. */
export function conditionsFormFrom(conditions: unknown): ConditionsForm {
  const c = conditions && typeof conditions === 'object' ? (conditions as Record<string, unknown>) : {};
  return Object.fromEntries(CONDITION_FIELDS.map((k) => [k, c[k] === null || c[k] === undefined ? '' : String(c[k])])) as ConditionsForm;
}

/** A problem in the editor's vocabulary (`editor.problem.*`). */
export type ConditionFieldProblem = 'number' | 'integer' | 'range' | 'decimals' | 'format' | 'minAboveMax';

const PROBLEM: Record<ConditionProblemReason, ConditionFieldProblem> = {
  not_an_object: 'format', unknown_field: 'format', not_a_number: 'number', not_finite: 'number', too_many_decimals: 'decimals',
  too_large: 'range', negative: 'range', not_positive: 'range', min_above_max: 'minAboveMax', not_whole_months: 'integer',
  months_out_of_range: 'range', complete_before_start: 'range', unknown_category: 'format', not_text: 'format', too_long: 'format',
};

/** What is wrong, field by field, as the shared policy reads it (empty when it can be sent). */
export function conditionsFormProblems(f: ConditionsForm): Partial<Record<ConditionField, ConditionFieldProblem>> {
  const v = validateConditions(Object.fromEntries(CONDITION_FIELDS.map((k) => [k, f[k].trim()])));
  if (v.ok) return {};
  const out: Partial<Record<ConditionField, ConditionFieldProblem>> = {};
  for (const p of v.problems) if ((CONDITION_FIELDS as readonly string[]).includes(p.field)) out[p.field as ConditionField] ??= PROBLEM[p.reason];
  return out;
}

/** One field as the API takes it (null = not set). */
function valueOf(k: ConditionField, raw: string): number | string | null {
  const s = raw.trim();
  if (s === '') return null;
  return k === 'pollutionCategory' || k === 'notes' ? s : Number(s);
}

/** A new plot's conditions: the filled-in fields, or undefined when none is. */
export function createConditions(f: ConditionsForm): ConditionsInput | undefined {
  const out: Record<string, unknown> = {};
  for (const k of CONDITION_FIELDS) if (f[k].trim() !== '') out[k] = valueOf(k, f[k]);
  return Object.keys(out).length ? (out as ConditionsInput) : undefined;
}

/** An edit's conditions: the fields that changed (null clears one), or undefined when none did. */
export function patchConditions(original: ConditionsForm, f: ConditionsForm): ConditionsInput | undefined {
  const out: Record<string, unknown> = {};
  for (const k of CONDITION_FIELDS) if (f[k].trim() !== original[k].trim()) out[k] = valueOf(k, f[k]);
  return Object.keys(out).length ? (out as ConditionsInput) : undefined;
}
