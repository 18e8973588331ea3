/**
 * The price-floor calculator's form (五(三)14): strings typed by a person → the inputs of
 * `priceFloor` in shared/policy — the very function the server quotes with, so the preview and
 * the server agree to the fen. Also the reference parameters from `GET /api/reference`, read
 * the way the server reads them, and the link that opens the calculator with a plot's figures.
 */
import { decodeParameters, DEFAULT_PARAMETERS, priceFloor, type PolicyParameters, type PriceFloor } from '../../../shared/policy/index.ts';
import type { ValidationFailure } from '../../../shared/domain.ts';
import type { ReferenceData } from '../../api/index.ts';

export interface FloorFormValues {
  /** A, m². */
  area: string;
  /** B, yuan/m². */
  benchmark: string;
  /** C, yuan (total). */
  cost: string;
  /** N, yuan/m². */
  nationalMin: string;
  /** P (省规定的最低价), yuan/m²; blank = no provincial figure (the term is left out). */
  provincialMin: string;
  iab: boolean;
  /** n, whole years 1–50. */
  term: string;
}

export const EMPTY_FLOOR_FORM: FloorFormValues = { area: '', benchmark: '', cost: '', nationalMin: '', provincialMin: '', iab: true, term: '50' };

/**
 * What people type around numbers: full-width digits from a Chinese IME (NFKC makes them ASCII),
 * spaces and thousands separators.
 */
function cleanNumber(s: string): string {
  return s.normalize('NFKC').replace(/[\s,，_]/g, '');
}

export type FloorFormResult =
  | { state: 'incomplete' }
  | { state: 'invalid'; failure: ValidationFailure }
  | { state: 'ok'; floor: PriceFloor };

/**
 * Computes the floor as the person types: `incomplete` while a required figure is blank,
 * `invalid` with the shared module's bilingual message for a bad one, else the floor.
 * C may be left blank: "cost not recorded" — never read as 0; the floor then leaves C out and
 * says so (`costRecorded: false`). P may be left blank: no provincial figure.
 */
export function floorFromForm(v: FloorFormValues, params: PolicyParameters = DEFAULT_PARAMETERS): FloorFormResult {
  const area = cleanNumber(v.area);
  const benchmark = cleanNumber(v.benchmark);
  const nationalMin = cleanNumber(v.nationalMin);
  const term = cleanNumber(v.term);
  if (!area || !benchmark || !nationalMin || !term) return { state: 'incomplete' };
  const termYears = /^\d+$/.test(term) ? Number(term) : Number.NaN;
  const result = priceFloor({
    areaM2: area,
    benchmarkYuanPerM2: benchmark,
    costYuan: cleanNumber(v.cost) || null,
    nationalMinYuanPerM2: nationalMin,
    provincialMinYuanPerM2: cleanNumber(v.provincialMin) || null,
    iab: v.iab,
    termYears,
    params,
  });
  return result.ok ? { state: 'ok', floor: result } : { state: 'invalid', failure: result };
}

/**
 * The policy parameters in force from `GET /api/reference` rows, decoded as the server decodes
 * them (`decodeParameters` in shared/policy). Unknown keys and unreadable values keep the
 * default here: the server has already refused to use a version it cannot read.
 */
export function parametersFromReference(rows: ReferenceData['parameters']): PolicyParameters {
  return decodeParameters(rows).values;
}

/** B and N for a district and land level from the reference data, with their sample flags. */
export function referenceFigures(
  ref: ReferenceData,
  districtCode: string,
  landLevel: number,
): {
  benchmark: number; benchmarkSample: boolean; nationalMin: number; grade: number; gradeAssumption: boolean; nationalMinimumVerified: boolean;
  /** P for the grade, null when the provincial table has none. */
  provincialMin: number | null; provincialMinimumVerified: boolean | null;
} | null {
  const b = ref.benchmark.find((r) => r.districtCode === districtCode && r.landLevel === landLevel);
  const g = ref.districtGrades.find((r) => r.districtCode === districtCode);
  const n = g && ref.nationalMinimum.find((r) => r.grade === g.grade);
  if (!b || !g || !n) return null;
  const p = (ref.provincialMinimum ?? []).find((r) => r.grade === g.grade);
  return {
    provincialMin: p ? p.yuanPerM2 : null,
    provincialMinimumVerified: p ? p.verified : null,
    benchmark: b.yuanPerM2,
    benchmarkSample: b.sample,
    nationalMin: n.yuanPerM2,
    grade: g.grade,
    gradeAssumption: g.assumption,
    nationalMinimumVerified: n.verified,
  };
}

const FORM_PARAMS = { area: 'a', benchmark: 'b', cost: 'c', nationalMin: 'n', provincialMin: 'p', term: 'term' } as const;

/** `/tools/floor?a=…&b=…` — opens the calculator with these figures (cost only when known). */
export function floorToolHref(v: Partial<FloorFormValues>): string {
  const q = new URLSearchParams();
  for (const [field, param] of Object.entries(FORM_PARAMS) as [keyof typeof FORM_PARAMS, string][]) {
    const value = v[field];
    if (value !== undefined && value !== '') q.set(param, value);
  }
  if (v.iab === false) q.set('iab', '0');
  const s = q.toString();
  return `/tools/floor${s ? `?${s}` : ''}`;
}

/** The calculator's form from its query string (the inverse of {@link floorToolHref}). */
export function floorFormFromSearch(search: string): FloorFormValues {
  const q = new URLSearchParams(search);
  const v = { ...EMPTY_FLOOR_FORM };
  for (const [field, param] of Object.entries(FORM_PARAMS) as [keyof typeof FORM_PARAMS, string][]) {
    const value = q.get(param);
    if (value !== null) v[field] = value.slice(0, 40);
  }
  if (q.get('iab') === '0') v.iab = false;
  return v;
}
