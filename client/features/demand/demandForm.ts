/**
 * The demand screens' pure parts: the new-demand form's values, its prefill from an investor's
 * interest (the company, its 统一社会信用代码, the plot's 亩 as a ± range, the plot's district),
 * the form → `POST /api/demands` body with every problem found, and the register's filters and
 * sort as a query string. No React, no I/O: tests/unit/client-demand.test.ts checks them.
 */
import { DISTRICT_CODES, PROJECT_SECTORS, type ProjectSector } from '../../../shared/domain.ts';
import { DEMAND_STATUSES, type CreateDemandBody, type DemandStatus } from '../../../shared/contract/demands.ts';
import type { DemandRequirements } from '../../../shared/contract/siting.ts';
import { checkRequirements } from '../../../shared/siting-query.ts';
import { m2ToMu } from '../../../shared/units.ts';
import { isIsoDate } from '../../../shared/dates.ts';
import { validateUscc } from '../../../shared/uscc.ts';

export interface DemandFormValues {
  projectName: string;
  enterpriseName: string;
  uscc: string;
  keyProject: boolean;
  /** 'YYYY-MM-DD' */
  neededBy: string;
  note: string;
  requirements: DemandRequirements;
  /** The interest it is made from, if any. */
  interestId: number | null;
}

export type DemandFormField = 'projectName' | 'enterpriseName' | 'uscc' | 'keyProject' | 'neededBy' | 'note' | 'requirements';

/** A field's problem: a code the screens put in words, or the shared rule's own words. */
export type DemandFormProblem =
  | { code: 'required' | 'date' | 'keyProjectNonIab' | 'tooLong' }
  | { code: 'shared'; messageZh: string; messageEn: string; field?: string };

export type DemandFormProblems = Partial<Record<DemandFormField, DemandFormProblem>>;

/** The share of the plot's area either side of it when an interest is turned into a demand. */
export const PREFILL_SPREAD = 0.2;

/** `date` plus `days`, both 'YYYY-MM-DD' (calendar arithmetic in UTC: no zone can shift it). */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** An empty form: an ICT project of 20–50 亩 anywhere, needed in half a year. */
export function emptyDemandForm(today: string, sector: ProjectSector = 'ngit'): DemandFormValues {
  return {
    projectName: '',
    enterpriseName: '',
    uscc: '',
    keyProject: false,
    neededBy: addDays(today, 180),
    note: '',
    requirements: { sector, areaMuMin: 20, areaMuMax: 50 },
    interestId: null,
  };
}

/** Whole 亩 around `mu`: `spread` below (rounded down) to `spread` above (rounded up), so the plot fits. */
export function muRangeAround(mu: number, spread = PREFILL_SPREAD): { areaMuMin: number; areaMuMax: number } {
  const m = Math.max(0, mu);
  // To 4 decimals first: 50 × 1.2 is 60.000000000000007 in binary, and must stay 60.
  const at = (x: number) => Math.round(x * 10_000) / 10_000;
  return { areaMuMin: Math.max(0, Math.floor(at(m * (1 - spread)))), areaMuMax: Math.max(1, Math.ceil(at(m * (1 + spread)))) };
}

/** What the prefill needs of an interest (the bureau's view of it) and of its plot. */
export interface InterestForDemand {
  id: number;
  company: string;
  uscc: string;
  plotCode: string;
  districtCode: string;
  message: string;
}

/**
 * The new-demand form filled from an interest: the company and its code, the interest's id, the
 * plot's area ± {@link PREFILL_SPREAD} in whole 亩 (when the plot's area is known), the plot's
 * district, and the company's message as the note. `projectName` is the screen's suggestion.
 */
export function prefillFromInterest(
  interest: InterestForDemand,
  plot: { areaM2: number } | null,
  opts: { today: string; projectName: string; sector?: ProjectSector },
): DemandFormValues {
  const base = emptyDemandForm(opts.today, opts.sector);
  const range = plot ? muRangeAround(m2ToMu(plot.areaM2)) : { areaMuMin: base.requirements.areaMuMin, areaMuMax: base.requirements.areaMuMax };
  const district = (DISTRICT_CODES as readonly string[]).includes(interest.districtCode) ? [interest.districtCode] : undefined;
  return {
    ...base,
    projectName: opts.projectName.slice(0, 200),
    enterpriseName: interest.company,
    uscc: interest.uscc,
    note: interest.message.slice(0, 2000),
    requirements: { ...base.requirements, ...range, ...(district ? { districtCodes: district } : {}) },
    interestId: interest.id,
  };
}

export type DemandBodyResult = { ok: true; body: CreateDemandBody } | { ok: false; problems: DemandFormProblems };

/** Leaves out what is unset, so the body says only what the bureau asked for. */
function cleanRequirements(r: DemandRequirements): DemandRequirements {
  const out: DemandRequirements = { sector: r.sector, areaMuMin: r.areaMuMin, areaMuMax: r.areaMuMax };
  if (r.landUse?.length) out.landUse = r.landUse;
  if (r.supplyMode) out.supplyMode = r.supplyMode;
  if (r.maxPriceYuanPerM2 !== undefined && Number.isFinite(r.maxPriceYuanPerM2)) out.maxPriceYuanPerM2 = r.maxPriceYuanPerM2;
  if (r.serviced === true) out.serviced = true;
  if (r.districtCodes?.length) out.districtCodes = r.districtCodes;
  if (r.near?.length) out.near = r.near;
  if (r.project) {
    const p = Object.fromEntries(Object.entries(r.project).filter(([, v]) => v !== undefined));
    if (Object.keys(p).length) out.project = p as NonNullable<DemandRequirements['project']>;
  }
  if (r.weights && Object.values(r.weights).some((w) => w !== undefined)) out.weights = r.weights;
  return out;
}

/**
 * The form → the `POST /api/demands` body, or every problem found (the form shows them all at
 * once). The requirements are checked with the rules the server applies (shared/siting-query.ts);
 * the enterprise's code is optional until a plot is held or proposed, but checked when given.
 * From an interest, the enterprise may be left out: the server takes the interest's company.
 */
export function buildDemandBody(v: DemandFormValues): DemandBodyResult {
  const problems: DemandFormProblems = {};
  const projectName = v.projectName.trim();
  const enterpriseName = v.enterpriseName.trim();
  const usccText = v.uscc.trim();
  if (!projectName) problems.projectName = { code: 'required' };
  else if (projectName.length > 200) problems.projectName = { code: 'tooLong' };
  if (!enterpriseName && v.interestId === null) problems.enterpriseName = { code: 'required' };
  else if (enterpriseName.length > 200) problems.enterpriseName = { code: 'tooLong' };
  let uscc: string | undefined;
  if (usccText) {
    const u = validateUscc(usccText);
    if (u.ok) uscc = u.normalized;
    else problems.uscc = { code: 'shared', messageZh: u.messageZh, messageEn: u.messageEn };
  }
  if (!v.neededBy) problems.neededBy = { code: 'required' };
  else if (!isIsoDate(v.neededBy)) problems.neededBy = { code: 'date' };
  if (v.note.length > 2000) problems.note = { code: 'tooLong' };
  if (!(PROJECT_SECTORS as readonly string[]).includes(v.requirements.sector)) problems.requirements = { code: 'required' };
  if (v.keyProject && v.requirements.sector === 'other') problems.keyProject = { code: 'keyProjectNonIab' };
  const requirements = cleanRequirements(v.requirements);
  if (!problems.requirements) {
    const failure = checkRequirements(requirements);
    if (failure) problems.requirements = { code: 'shared', messageZh: failure.messageZh, messageEn: failure.messageEn, field: failure.field };
  }
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const note = v.note.trim();
  return {
    ok: true,
    body: {
      projectName,
      ...(enterpriseName ? { enterprise: { name: enterpriseName, ...(uscc ? { uscc } : {}) } } : {}),
      keyProject: v.keyProject,
      neededBy: v.neededBy,
      requirements,
      ...(note ? { note } : {}),
      ...(v.interestId !== null ? { interestId: v.interestId } : {}),
    },
  };
}

// --- The register's filters and sort, kept in the URL -------------------------------------------

export const DEMAND_SORTS = ['newest', 'waiting', 'needed_by'] as const;
export type DemandSort = (typeof DEMAND_SORTS)[number];

export interface RegisterView {
  status: DemandStatus | null;
  sector: ProjectSector | null;
  districtCode: string | null;
  sort: DemandSort;
}

export const DEFAULT_VIEW: RegisterView = { status: null, sector: null, districtCode: null, sort: 'newest' };

const oneOf = <T extends string>(list: readonly T[], x: string | null): T | null => (x !== null && (list as readonly string[]).includes(x) ? (x as T) : null);

/** `?status=open&sector=biomed&district=440112&sort=waiting` → the view; anything unknown is ignored. */
export function parseRegisterView(search: string): RegisterView {
  const q = new URLSearchParams(search);
  return {
    status: oneOf(DEMAND_STATUSES, q.get('status')),
    sector: oneOf(PROJECT_SECTORS, q.get('sector')),
    districtCode: oneOf(DISTRICT_CODES, q.get('district')),
    sort: oneOf(DEMAND_SORTS, q.get('sort')) ?? 'newest',
  };
}

/** The view → its query string (`?…` or ''), keeping parameters it does not own; defaults are left out. */
export function formatRegisterView(view: RegisterView, currentSearch = ''): string {
  const q = new URLSearchParams(currentSearch);
  const set = (k: string, v: string | null) => (v === null ? q.delete(k) : q.set(k, v));
  set('status', view.status);
  set('sector', view.sector);
  set('district', view.districtCode);
  set('sort', view.sort === 'newest' ? null : view.sort);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The API query for a view. */
export function viewQuery(view: RegisterView, limit = 200): { status?: DemandStatus; sector?: ProjectSector; districtCode?: string; sort: DemandSort; limit: number } {
  return {
    ...(view.status ? { status: view.status } : {}),
    ...(view.sector ? { sector: view.sector } : {}),
    ...(view.districtCode ? { districtCode: view.districtCode } : {}),
    sort: view.sort,
    limit,
  };
}
