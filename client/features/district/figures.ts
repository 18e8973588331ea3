/**
 * Pure helpers of the review screens (district dashboard, city overview, park report): figures
 * as text exactly as the server rounds them, table sorting, the subsidy grant preview and the
 * facilities-ratio preview (the server's own shared/policy functions), the CSV file name.
 * No React, no DOM: unit-tested in tests/unit/client-dashboard.test.ts.
 */
import type { DashboardPark, SubsidyKind } from '../../api/index.ts';
import type { Locale } from '../../i18n/index.ts';
import { formatScaled, parseMoneyField, roundHalfUpDiv, yuanToFen } from '../../../shared/money.ts';
import { m2ToHundredths, parseAreaField } from '../../../shared/units.ts';
import { facilitiesRatioCheck, subsidyGrant, type PolicyParameters, type SubsidyLimit } from '../../../shared/policy/index.ts';
import type { ParkTier } from '../../../shared/domain.ts';

// --- Figures as text --------------------------------------------------------------------------

/** Hundredths of 亩 from m², rounded half up from the exact value (1 亩 = 2000/3 m²) — the server's rounding. */
export function muHundredths(m2: number): bigint {
  return roundHalfUpDiv(m2ToHundredths(m2) * 3n, 2000n);
}

/** "1,591.59" — an area in 亩 without the unit (tables say the unit in the header). */
export function muText(m2: number): string {
  return formatScaled(muHundredths(m2), 2);
}

/** "1,061,059.73" — an area in m² without the unit. */
export function m2Text(m2: number): string {
  return formatScaled(m2ToHundredths(m2), 2);
}

/** "72.5%" — a share (0–1) with one decimal; null → null (nothing allocated yet). */
export function shareText(share: number | null): string | null {
  if (share === null || !Number.isFinite(share)) return null;
  return `${formatScaled(BigInt(Math.round(share * 1000)), 1, false)}%`;
}

/** Share of the cap used, 0–1 (for bars). */
export function capUsed(capYuan: number, grantedYuan: number): number {
  if (capYuan <= 0) return grantedYuan > 0 ? 1 : 0;
  return Math.min(1, Math.max(0, grantedYuan / capYuan));
}

/** A bilingual server message in the interface language. */
export function pickMessage(locale: Locale, m: { messageZh: string; messageEn: string }): string {
  return locale === 'en' ? m.messageEn : m.messageZh;
}

// --- Sorting the park table ------------------------------------------------------------------------

export const SORT_KEYS = [
  'park', 'district', 'total', 'available', 'held', 'allocated', 'plots', 'quota', 'subsidy', 'remaining', 'signed', 'landed', 'leadShare', 'overdue',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export interface SortState {
  key: SortKey;
  dir: SortDir;
}

export const DEFAULT_SORT: SortState = { key: 'park', dir: 'asc' };

const TEXT_KEYS: readonly SortKey[] = ['park', 'district'];

/** The value a column sorts by; null sorts last in either direction. */
export function sortValue(row: DashboardPark, key: SortKey): number | string | null {
  switch (key) {
    case 'park': return row.code;
    case 'district': return row.districtCode;
    case 'total': return row.totalAreaM2;
    case 'available': return row.availableAreaM2;
    case 'held': return row.heldAreaM2;
    case 'allocated': return row.allocatedAreaM2;
    case 'plots': return row.plotCounts.total;
    case 'quota': return row.quotaChargedM2;
    case 'subsidy': return row.subsidy.grantedYuan;
    case 'remaining': return row.subsidy.remainingYuan;
    case 'signed': return row.projectsSigned;
    case 'landed': return row.projectsLanded;
    case 'leadShare': return row.leadSectorShare.share;
    case 'overdue': return row.overdueMilestones;
  }
}

/** Park codes sort naturally: P2 before P10. */
const collator = new Intl.Collator('en', { numeric: true });

/** Rows sorted by one column; nulls last; ties by park code (stable, never random). */
export function sortParks<T extends DashboardPark>(rows: readonly T[], sort: SortState): T[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va === null && vb !== null) return 1;
    if (vb === null && va !== null) return -1;
    let c = 0;
    if (typeof va === 'number' && typeof vb === 'number') c = va - vb;
    else if (va !== null && vb !== null) c = collator.compare(String(va), String(vb));
    if (c !== 0) return c * sign;
    return collator.compare(a.code, b.code);
  });
}

/** A header click: a new column starts largest first (names A→Z); the same column flips. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: TEXT_KEYS.includes(key) ? 'asc' : 'desc' };
}

// --- Subsidy grant preview -------------------------------------------------------------------------

/** Reads typed yuan: spaces and thousands separators are ignored ("1,000,000.5" → 1000000.5). */
export function cleanAmount(text: string): string {
  return text.replace(/[\s,，]/g, '');
}

export interface GrantFormValues {
  /** The park project the grant is for (its id as text; '' = none chosen). */
  projectId: string;
  requested: string;
}

export const EMPTY_GRANT_FORM: GrantFormValues = { projectId: '', requested: '' };

export interface ProjectFormValues {
  name: string;
  kind: SubsidyKind;
  totalInvestment: string;
}

export const EMPTY_PROJECT_FORM: ProjectFormValues = { name: '', kind: 'infrastructure', totalInvestment: '' };

/** The project's total investment as typed: null while empty, a field message when malformed. */
export function projectInvestment(form: ProjectFormValues): { state: 'incomplete' } | { state: 'invalid'; messageZh: string; messageEn: string } | { state: 'ok'; fen: bigint } {
  const inv = cleanAmount(form.totalInvestment);
  if (inv === '') return { state: 'incomplete' };
  const r = parseMoneyField('totalInvestmentYuan', { zh: '项目总投资', en: 'Total investment' }, inv, 'positive');
  return r.ok ? { state: 'ok', fen: r.fen } : { state: 'invalid', messageZh: r.messageZh, messageEn: r.messageEn };
}

export interface GrantContext {
  /** Net granted to the park so far. */
  grantedYuan: number;
  capYuan: number;
  shareBp: number;
  tier: ParkTier | null;
  params: PolicyParameters;
}

/** The chosen project as the server lists it: its investment and what it has been granted (net). */
export interface GrantProject {
  totalInvestmentYuan: number;
  grantedYuan: number;
}

export type GrantPreview =
  | { state: 'incomplete' }
  | { state: 'invalid'; field: 'requested'; messageZh: string; messageEn: string }
  | { state: 'refused'; code: string; messageZh: string; messageEn: string }
  | {
      state: 'ok';
      requestedFen: bigint;
      grantedFen: bigint;
      limitedBy: SubsidyLimit;
      /** ⌊share × the project's investment⌋. */
      investmentShareFen: bigint;
      projectGrantedFen: bigint;
      /** The project's remaining 20 %: share − granted to it. */
      projectHeadroomFen: bigint;
      /** The park's headroom under the cap. */
      headroomFen: bigint;
      /** The park's headroom after the grant. */
      remainingAfterFen: bigint;
      /** The grant rounds down to 0 (a tiny investment): the server refuses it. */
      zero: boolean;
      messageZh: string;
      messageEn: string;
    };

/**
 * What the server will grant for this project and amount: `subsidyGrant` from shared/policy —
 * min(requested, ⌊share × the project's investment⌋ − granted to the project, cap − granted to
 * the park), in fen, rounded down — with the share and the cap the park's lists report as in force.
 */
export function grantPreview(form: GrantFormValues, project: GrantProject | null, ctx: GrantContext): GrantPreview {
  const req = cleanAmount(form.requested);
  let requestedFen: bigint | null = null;
  if (req !== '') {
    const r = parseMoneyField('requestedYuan', { zh: '申请补助金额', en: 'Requested amount' }, req, 'positive');
    if (!r.ok) return { state: 'invalid', field: 'requested', messageZh: r.messageZh, messageEn: r.messageEn };
    requestedFen = r.fen;
  }
  if (project === null || requestedFen === null) return { state: 'incomplete' };
  const params: PolicyParameters = { ...ctx.params, subsidyShareBp: ctx.shareBp, subsidyParkCapFen: yuanToFen(ctx.capYuan) };
  const projectGrantedFen = yuanToFen(project.grantedYuan);
  const d = subsidyGrant({
    requestedFen,
    totalInvestmentFen: yuanToFen(project.totalInvestmentYuan),
    parkGrantedFen: yuanToFen(ctx.grantedYuan),
    projectGrantedFen,
    parkTier: ctx.tier,
    params,
  });
  if (!d.ok) return { state: 'refused', code: d.code, messageZh: d.messageZh, messageEn: d.messageEn };
  return {
    state: 'ok',
    requestedFen,
    grantedFen: d.grantedFen,
    limitedBy: d.limitedBy,
    investmentShareFen: d.investmentShareFen,
    projectGrantedFen,
    projectHeadroomFen: d.projectHeadroomFen,
    headroomFen: d.parkHeadroomFen,
    remainingAfterFen: d.parkRemainingAfterFen,
    zero: d.grantedFen <= 0n,
    messageZh: d.messageZh,
    messageEn: d.messageEn,
  };
}

// --- Supporting-facilities ratio preview -----------------------------------------------------------

export interface FacilitiesFormValues {
  operatorName: string;
  projectName: string;
  totalFloorArea: string;
  facilitiesFloorArea: string;
  byParkOperator: boolean;
}

export const EMPTY_FACILITIES_FORM: FacilitiesFormValues = { operatorName: '', projectName: '', totalFloorArea: '', facilitiesFloorArea: '', byParkOperator: true };

export type FacilitiesPreview =
  | { state: 'incomplete' }
  | { state: 'invalid'; field: string; messageZh: string; messageEn: string }
  | { state: 'ok'; ratio: number; limit: number; headroomM2: number }
  | { state: 'exceeded'; ratio: number; limit: number; maxFacilitiesM2: number; messageZh: string; messageEn: string };

/**
 * The facilities ratio as the server checks it (`facilitiesRatioCheck`): every park in the table
 * is a value-innovation park, so 15 % for the park operator's own project, 14 % otherwise.
 */
export function facilitiesPreview(form: FacilitiesFormValues, params: PolicyParameters): FacilitiesPreview {
  const total = cleanAmount(form.totalFloorArea);
  const facilities = cleanAmount(form.facilitiesFloorArea);
  if (total === '' || facilities === '') {
    // Say a malformed number as soon as it is typed, even before the other field is filled.
    for (const [field, v, label] of [['totalFloorAreaM2', total, { zh: '项目总建筑面积', en: 'Total floor area' }], ['facilitiesFloorAreaM2', facilities, { zh: '配套设施建筑面积', en: 'Facilities floor area' }]] as const) {
      if (v === '') continue;
      const r = parseAreaField(field, label, v);
      if (!r.ok) return { state: 'invalid', field, messageZh: r.messageZh, messageEn: r.messageEn };
    }
    return { state: 'incomplete' };
  }
  const c = facilitiesRatioCheck({ facilitiesFloorAreaM2: facilities, totalFloorAreaM2: total, inRecognizedPark: true, byParkOperator: form.byParkOperator, params });
  if (c.ok) return { state: 'ok', ratio: c.ratio, limit: c.limit, headroomM2: c.headroomM2 };
  if (c.code === 'FACILITIES_RATIO_EXCEEDED') {
    return { state: 'exceeded', ratio: c.ratio, limit: c.limit, maxFacilitiesM2: c.maxFacilitiesM2, messageZh: c.messageZh, messageEn: c.messageEn };
  }
  return { state: 'invalid', field: c.field, messageZh: c.messageZh, messageEn: c.messageEn };
}

// --- CSV download ------------------------------------------------------------------------------------

/**
 * The file name from a `Content-Disposition` header: the UTF-8 `filename*` (RFC 5987) when given,
 * else the plain `filename`, else `fallback`. Path separators are dropped.
 */
export function filenameFromDisposition(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  let name: string | null = null;
  if (star) {
    try {
      name = decodeURIComponent(star[1]!.trim());
    } catch {
      name = null;
    }
  }
  if (!name) {
    const plain = /filename\s*=\s*"([^"]*)"|filename\s*=\s*([^;]+)/.exec(header);
    name = plain ? (plain[1] ?? plain[2] ?? '').trim() : null;
  }
  const safe = name?.replace(/[\\/]/g, '_').trim();
  return safe ? safe : fallback;
}

// --- Years ---------------------------------------------------------------------------------------------

/** The plan starts in 2018; the quota year chooser offers 2018 … this year, newest first. */
export function quotaYears(thisYear: number, first = 2018): number[] {
  const out: number[] = [];
  for (let y = Math.max(thisYear, first); y >= first; y--) out.push(y);
  return out;
}

/** `?year=2025` when it is a year the chooser offers; otherwise undefined (the server's "this year"). */
export function yearFromSearch(search: string, thisYear: number): number | undefined {
  const v = new URLSearchParams(search).get('year');
  if (!v || !/^\d{4}$/.test(v)) return undefined;
  const y = Number(v);
  return y >= 2018 && y <= thisYear ? y : undefined;
}
