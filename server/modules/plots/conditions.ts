/**
 * 标准地 conditions between the wire and `plots.conditions` (migration 014): the stored object
 * holds only the fields set; the API answers all ten, null where not set. A write is partial
 * (omitted fields keep their value, null clears one, `conditions: null` clears them all) and the
 * merged result is read by the shared policy's `validateConditions`, whose first problem names the
 * field in the 400 (`conditions.plotRatioMax`).
 */
import { badRequest } from '../../kernel/errors.ts';
import { CONDITION_FIELDS, NO_CONDITIONS, validateConditions, type ConditionField, type ConditionProblem, type PlotConditions } from '../../../shared/policy/standard-land.ts';
import type { ConditionsInput } from '../../../shared/contract/supervision.ts';

/** The stored object (or anything read from the database) as the full conditions, null where not set. */
export function conditionsOf(stored: unknown): PlotConditions {
  const out: Record<string, unknown> = { ...NO_CONDITIONS };
  if (stored && typeof stored === 'object' && !Array.isArray(stored)) {
    const s = stored as Record<string, unknown>;
    for (const k of CONDITION_FIELDS) if (s[k] !== undefined && s[k] !== null) out[k] = s[k];
  }
  return out as unknown as PlotConditions;
}

/** The object stored: only the fields set, as JSON text (jsonb parameter). */
export function storedConditions(c: PlotConditions): string {
  return JSON.stringify(Object.fromEntries(CONDITION_FIELDS.filter((k) => c[k] !== null).map((k) => [k, c[k]])));
}

/** True when no condition is set. */
export const noConditions = (c: PlotConditions): boolean => CONDITION_FIELDS.every((k) => c[k] === null);

/** 400 naming the first bad field (`conditions.<field>`) and listing every problem. */
export function conditionsRefused(problems: readonly ConditionProblem[], where = ''): Error {
  const first = problems[0]!;
  const field = first.field === 'conditions' ? 'conditions' : `conditions.${first.field}`;
  return badRequest(`${where}${field}: ${first.messageEn} (${first.messageZh})${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, {
    reason: 'CONDITIONS_INVALID',
    field,
    messageZh: first.messageZh,
    messageEn: first.messageEn,
    problems: problems.map((p) => ({ ...p, field: p.field === 'conditions' ? 'conditions' : `conditions.${p.field}` })),
  });
}

/**
 * The conditions after a write: `undefined` keeps `current`, `null` clears every one, an object
 * changes the fields it names (null clears that one). 400 when the result is not valid.
 */
export function mergedConditions(current: PlotConditions, input: ConditionsInput | null | undefined): PlotConditions {
  if (input === undefined) return current;
  if (input === null) return NO_CONDITIONS;
  const v = validateConditions({ ...current, ...input });
  if (!v.ok) throw conditionsRefused(v.problems);
  return v.conditions;
}

/**
 * The conditions as file columns (exports write them, imports read them back): `key` in GeoJSON
 * and CSV (`condition` + the API field name, apart from the plot's planning `plotRatioMin` …), `dbf`
 * in a Shapefile (≤ 10 ASCII characters), `zh` the Chinese heading an import also accepts.
 */
export const CONDITION_COLUMNS: readonly { field: ConditionField; key: string; dbf: string; zh: string; kind: 'number' | 'months' | 'text'; decimals: number }[] = [
  { field: 'investmentIntensityYuanPerM2Min', key: 'conditionInvestmentIntensityYuanPerM2Min', dbf: 'c_invest', zh: '标准地投资强度下限', kind: 'number', decimals: 2 },
  { field: 'plotRatioMin', key: 'conditionPlotRatioMin', dbf: 'c_ratio_mn', zh: '标准地容积率下限', kind: 'number', decimals: 2 },
  { field: 'plotRatioMax', key: 'conditionPlotRatioMax', dbf: 'c_ratio_mx', zh: '标准地容积率上限', kind: 'number', decimals: 2 },
  { field: 'outputPerMuYuanMin', key: 'conditionOutputPerMuYuanMin', dbf: 'c_out_mu', zh: '亩均产值下限', kind: 'number', decimals: 2 },
  { field: 'taxPerMuYuanMin', key: 'conditionTaxPerMuYuanMin', dbf: 'c_tax_mu', zh: '亩均税收下限', kind: 'number', decimals: 2 },
  { field: 'energyTcePer10kYuanMax', key: 'conditionEnergyTcePer10kYuanMax', dbf: 'c_energy', zh: '单位产值能耗上限', kind: 'number', decimals: 4 },
  { field: 'pollutionCategory', key: 'conditionPollutionCategory', dbf: 'c_pollute', zh: '污染类别', kind: 'text', decimals: 0 },
  { field: 'notes', key: 'conditionNotes', dbf: 'c_notes', zh: '标准地备注', kind: 'text', decimals: 0 },
  { field: 'startWithinMonths', key: 'conditionStartWithinMonths', dbf: 'c_start_mo', zh: '动工期限月', kind: 'months', decimals: 0 },
  { field: 'completeWithinMonths', key: 'conditionCompleteWithinMonths', dbf: 'c_done_mo', zh: '竣工期限月', kind: 'months', decimals: 0 },
];

/** The conditions as the file columns (`key` → value, null where not set). */
export function conditionColumns(c: PlotConditions): Record<string, string | number | null> {
  return Object.fromEntries(CONDITION_COLUMNS.map((col) => [col.key, c[col.field]]));
}
