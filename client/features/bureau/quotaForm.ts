/**
 * Setting a year's quota (五(三)11; `PUT /api/quotas/:year { quotaM2, iabReserveM2 }`): the
 * officer types 亩 (how the plan states it) or m²; the request carries m² with 2 decimals.
 * 亩 → m² is rounded UP to the cent so "5000 亩" is 3,333,333.34 m² — the smallest quota the
 * rule accepts — and never a hair under it. The shared rule (`validateQuotaSetting`) checks the
 * minimum in the browser first; the server checks again, also against the year's approvals.
 * The IAB reserve is required (0 included): the tilt of 五(三)11 is the bureau's decision, so a
 * new year's form starts empty, never at a silent 0.
 */
import { parseDecimal } from '../../../shared/money.ts';
import { DEFAULT_PARAMETERS, validateQuotaSetting, type PolicyParameters } from '../../../shared/policy/index.ts';
import { hundredthsToM2, m2ToHundredths, muToM2Hundredths } from '../../../shared/units.ts';
import { cleanNumber, type FormProblem } from './allocationForm.ts';

export type AreaUnit = 'mu' | 'm2';

export interface QuotaFormValues {
  unit: AreaUnit;
  quota: string;
  reserve: string;
}

/** An area as typed in `unit` → hundredths of m² (亩 rounded up to the cent), or the problem. */
export function areaHundredths(text: string, unit: AreaUnit): { ok: true; hundredths: bigint | null } | { ok: false; problem: FormProblem } {
  const c = cleanNumber(text);
  if (c === '') return { ok: true, hundredths: null };
  const r = parseDecimal(c);
  if (!r) return { ok: false, problem: { code: 'notNumber' } };
  if (r.num < 0n) return { ok: false, problem: { code: 'negative' } };
  if (unit === 'mu') return { ok: true, hundredths: muToM2Hundredths(c, 'ceil') };
  const scaled = r.num * 100n;
  if (scaled % r.den !== 0n) return { ok: false, problem: { code: 'tooManyDecimals' } };
  return { ok: true, hundredths: scaled / r.den };
}

/** The form filled from a year's figures (in the unit chosen). */
export function quotaFormFrom(q: { quotaM2: number; iabReserveM2: number } | null, unit: AreaUnit, params: PolicyParameters = DEFAULT_PARAMETERS): QuotaFormValues {
  if (!q) return { unit, quota: unit === 'mu' ? String(params.annualQuotaMinimumMu) : '', reserve: '' };
  const show = (m2: number) => (unit === 'mu' ? muText(m2) : String(m2));
  return { unit, quota: show(q.quotaM2), reserve: show(q.iabReserveM2) };
}

/** m² → 亩 text with 2 decimals (rounded half up, like the server's figures). */
export function muText(m2: number): string {
  const h = m2ToHundredths(m2);
  // 亩 = m² × 3/2000 → hundredths of 亩 = hundredths of m² × 3 / 2000, half up.
  const hMu = (h * 3n * 2n + 2000n) / 4000n;
  const s = hMu.toString().padStart(3, '0');
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export type QuotaFormResult =
  | { ok: true; body: { quotaM2: number; iabReserveM2: number }; warnings: { quota?: FormProblem; reserve?: FormProblem } }
  | { ok: false; problems: { quota?: FormProblem; reserve?: FormProblem } };

/**
 * The request body, or the problems of form (not a number, too many decimals). The rule's
 * refusals — below the minimum (5000 亩), a reserve beyond the quota — come back as `warnings`
 * in shared/'s words: the form shows them as the officer types, and the server, which decides
 * (it also checks the year's approvals), answers with the same words.
 */
export function buildQuota(v: QuotaFormValues, params: PolicyParameters = DEFAULT_PARAMETERS): QuotaFormResult {
  const quota = areaHundredths(v.quota, v.unit);
  const reserve = areaHundredths(v.reserve, v.unit);
  const problems: { quota?: FormProblem; reserve?: FormProblem } = {};
  if (!quota.ok) problems.quota = quota.problem;
  else if (quota.hundredths === null) problems.quota = { code: 'required' };
  if (!reserve.ok) problems.reserve = reserve.problem;
  else if (reserve.hundredths === null) problems.reserve = { code: 'required' };
  if (problems.quota || problems.reserve || !quota.ok || !reserve.ok || quota.hundredths === null || reserve.hundredths === null) return { ok: false, problems };
  const body = { quotaM2: hundredthsToM2(quota.hundredths), iabReserveM2: hundredthsToM2(reserve.hundredths) };
  const check = validateQuotaSetting({ ...body, params });
  if (!check.ok) {
    const field = check.code === 'VALIDATION_FAILED' && check.field === 'iabReserveM2' ? 'reserve' : 'quota';
    return { ok: true, body, warnings: { [field]: { code: 'shared', messageZh: check.messageZh, messageEn: check.messageEn } } };
  }
  return { ok: true, body: { quotaM2: check.quotaM2, iabReserveM2: check.iabReserveM2 }, warnings: {} };
}
