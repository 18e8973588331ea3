/**
 * The Allocate form: what an officer types → the body of
 * `POST /api/allocations`, or the problems per field. Pure: no React, no fetch.
 *
 * The rules are the server's: the project and its enterprise (统一社会信用代码 checked with
 * shared/uscc.ts), the term by supply mode (五(三)14: transfer = the statutory 50 years,
 * flexible term n < 50, lease-then-transfer lease + transfer ≤ 50, long-term lease 5–20 years,
 * all from the policy parameters in force — `termRule` / `checkTerms` of shared/policy), money in yuan with at most 2 decimals. A unit price
 * (元/m²) is turned into the plot's total the way the floor is checked: rounded UP to the fen.
 */
import { PROJECT_SECTORS, type LandUse, type ProjectSector } from '../../../shared/domain.ts';
import { fenToYuan, MAX_NUMBER_SCALED, parseDecimal, priceTimesAreaCeilFen, tryYuanToFen } from '../../../shared/money.ts';
import { checkTerms as sharedCheckTerms, DEFAULT_PARAMETERS, termRule, type PolicyParameters, type TermProblem } from '../../../shared/policy/index.ts';
import { supplyModesFor, type SupplyMode } from '../../../shared/supply-modes.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import type { ProposeAllocationBody } from '../../api/index.ts';

export type PriceUnit = 'total' | 'perM2';

export interface AllocationFormValues {
  projectName: string;
  enterpriseName: string;
  uscc: string;
  sector: ProjectSector;
  subSector: string;
  /** 万元 (how plans and contracts state it). */
  plannedInvestmentWan: string;
  keyProject: boolean;
  mode: SupplyMode;
  /** transfer / flexible term: the term; lease-then-transfer: the transfer part; long-term lease: the lease. */
  termYears: string;
  /** lease-then-transfer only: the lease part. */
  leaseYears: string;
  quotaYear: string;
  priceUnit: PriceUnit;
  /** The supply price, or a long-term lease's annual rent; total in yuan or yuan per m². */
  price: string;
  /** lease-then-transfer only: the annual rent during the lease, in the same unit as `price`. */
  annualRent: string;
}

/** A field's problem: a message key of ours (with figures), or a bilingual message from shared/. */
export type FormProblem =
  | { code: ProblemCode; vars?: Record<string, number | string> }
  | { code: 'shared'; messageZh: string; messageEn: string };

export type ProblemCode =
  | 'required'
  | 'notNumber'
  | 'tooManyDecimals'
  | 'negative'
  | 'notPositive'
  | 'tooLarge'
  | 'yearRange'
  | 'termWhole'
  | 'termFlexible'
  | 'termLease'
  | 'leasePart'
  | 'transferPart'
  | 'leaseTotal'
  | 'keyProjectNonIab';

export type FormField = keyof AllocationFormValues;
export type FormProblems = Partial<Record<FormField, FormProblem>>;

/** A first term for each mode (the officer changes it): the mode's term rule (shared/policy). */
export function defaultTerms(mode: SupplyMode, params: PolicyParameters = DEFAULT_PARAMETERS): { termYears: string; leaseYears: string } {
  const rule = termRule(mode, params);
  return { termYears: String(rule.term.default), leaseYears: rule.lease ? String(rule.lease.default) : '' };
}

export function emptyForm(quotaYear: number, params: PolicyParameters = DEFAULT_PARAMETERS): AllocationFormValues {
  return {
    projectName: '',
    enterpriseName: '',
    uscc: '',
    sector: 'ngit',
    subSector: '',
    plannedInvestmentWan: '',
    keyProject: false,
    mode: 'transfer',
    ...defaultTerms('transfer', params),
    quotaYear: String(quotaYear),
    priceUnit: 'total',
    price: '',
    annualRent: '',
  };
}

/** The form with another mode: its default terms, the prices cleared (their meaning changed). */
export function withMode(v: AllocationFormValues, mode: SupplyMode, params: PolicyParameters = DEFAULT_PARAMETERS): AllocationFormValues {
  if (mode === v.mode) return v;
  return { ...v, mode, ...defaultTerms(mode, params), price: '', annualRent: '' };
}

/** The form with another sector; a non-IAB project cannot be a key IAB project. */
export function withSector(v: AllocationFormValues, sector: ProjectSector): AllocationFormValues {
  return { ...v, sector, keyProject: sector === 'other' ? false : v.keyProject };
}

/**
 * What people type around numbers: full-width digits from a Chinese IME (NFKC makes them ASCII),
 * spaces and thousands separators.
 */
export function cleanNumber(s: string): string {
  return s.normalize('NFKC').replace(/[\s,，_]/g, '');
}

/** Whole years, or null. */
export function wholeYears(s: string): number | null {
  const c = cleanNumber(s);
  return /^\d{1,3}$/.test(c) ? Number(c) : null;
}

export interface TermFigures {
  termYears: number;
  leaseYears: number | null;
}

/**
 * The mode's term rules (五(三)14), as the server checks them: `checkTerms` of shared/policy
 * decides; this turns what was typed into years first and the decision into form problems.
 */
export function checkTerms(v: Pick<AllocationFormValues, 'mode' | 'termYears' | 'leaseYears'>, params: PolicyParameters = DEFAULT_PARAMETERS): { ok: true; terms: TermFigures } | { ok: false; problems: FormProblems } {
  const fail = (field: FormField, p: FormProblem) => ({ ok: false as const, problems: { [field]: p } });
  if (cleanNumber(v.termYears) === '') return fail('termYears', { code: 'required' });
  const term = wholeYears(v.termYears);
  if (term === null) return fail('termYears', { code: 'termWhole' });
  let lease: number | null = null;
  if (termRule(v.mode, params).lease) {
    if (cleanNumber(v.leaseYears) === '') return fail('leaseYears', { code: 'required' });
    // Not a whole number: out of the lease part's range.
    lease = wholeYears(v.leaseYears) ?? Number.NaN;
  }
  const r = sharedCheckTerms(v.mode, { termYears: term, leaseYears: lease }, params);
  if (r.ok) return { ok: true, terms: { termYears: r.termYears, leaseYears: r.leaseYears } };
  return fail(r.problem.field, termProblem(v.mode, r.problem, params));
}

/** A term problem as the form's message key and figures. */
function termProblem(mode: SupplyMode, p: TermProblem, params: PolicyParameters): FormProblem {
  const statutory = params.statutoryMaxTermYears;
  switch (p.code) {
    case 'TERM_NOT_STATUTORY':
      // The field is fixed in the form; a transfer for fewer years is a flexible term.
      return { code: 'termFlexible', vars: { max: termRule('flexible_term', params).term.max, statutory } };
    case 'TERM_OUT_OF_RANGE':
      return mode === 'long_term_lease'
        ? { code: 'termLease', vars: { min: p.min, max: p.max } }
        : { code: 'termFlexible', vars: { max: p.max, statutory } };
    case 'LEASE_PART_OUT_OF_RANGE':
      return { code: 'leasePart', vars: { max: p.max } };
    case 'TRANSFER_PART_OUT_OF_RANGE':
      return { code: 'transferPart' };
    case 'TERMS_EXCEED_STATUTORY':
      return { code: 'leaseTotal', vars: { lease: p.leaseYears, transfer: p.transferYears, max: p.max } };
    case 'LEASE_YEARS_REQUIRED':
    case 'LEASE_YEARS_NOT_ALLOWED':
      return { code: 'required' };
  }
}

/**
 * A price as typed → fen for the whole plot: a total in yuan (≤ 2 decimals), or a unit price in
 * yuan per m² (≤ 2 decimals) times the area, rounded UP to the fen. null when blank.
 */
export function priceFen(text: string, unit: PriceUnit, areaM2: number): { ok: true; fen: bigint | null } | { ok: false; problem: FormProblem } {
  const c = cleanNumber(text);
  if (c === '') return { ok: true, fen: null };
  const r = tryYuanToFen(c);
  if (!r.ok) return { ok: false, problem: { code: r.problem === 'too_many_decimals' ? 'tooManyDecimals' : 'notNumber' } };
  if (r.fen < 0n) return { ok: false, problem: { code: 'negative' } };
  if (r.fen === 0n) return { ok: false, problem: { code: 'notPositive' } };
  const fen = unit === 'total' ? r.fen : priceTimesAreaCeilFen(c, areaM2);
  if (fen > MAX_NUMBER_SCALED) return { ok: false, problem: { code: 'tooLarge' } };
  return { ok: true, fen };
}

/** 万元 as typed → yuan (exact; at most 6 decimals of 万元 = 2 of yuan). null when blank. */
export function wanToYuan(text: string): { ok: true; yuan: number | null } | { ok: false; problem: FormProblem } {
  const c = cleanNumber(text);
  if (c === '') return { ok: true, yuan: null };
  const r = parseDecimal(c);
  if (!r) return { ok: false, problem: { code: 'notNumber' } };
  if (r.num < 0n) return { ok: false, problem: { code: 'negative' } };
  const scaled = r.num * 1_000_000n; // fen = 万元 × 10^6
  if (scaled % r.den !== 0n) return { ok: false, problem: { code: 'tooManyDecimals' } };
  if (scaled / r.den > MAX_NUMBER_SCALED) return { ok: false, problem: { code: 'tooLarge' } };
  return { ok: true, yuan: fenToYuan(scaled / r.den) };
}

/** Whether the mode is among those indicated for the plot's land use (shared/supply-modes.ts). */
export function modeIndicated(mode: SupplyMode, landUse: LandUse): boolean {
  return supplyModesFor(landUse).includes(mode);
}

export type BuildResult = { ok: true; body: ProposeAllocationBody } | { ok: false; problems: FormProblems };

/**
 * The request for a plot of `areaM2`, or every problem found (the form shows them all at once).
 * The price floor is not checked here: the preview shows it, and the server decides.
 */
export function buildProposal(v: AllocationFormValues, plot: { id: number; areaM2: number }, params: PolicyParameters = DEFAULT_PARAMETERS): BuildResult {
  const problems: FormProblems = {};
  const projectName = v.projectName.trim();
  const enterpriseName = v.enterpriseName.trim();
  if (!projectName) problems.projectName = { code: 'required' };
  if (!enterpriseName) problems.enterpriseName = { code: 'required' };
  let uscc = '';
  if (!v.uscc.trim()) problems.uscc = { code: 'required' };
  else {
    const u = validateUscc(v.uscc);
    if (u.ok) uscc = u.normalized;
    else problems.uscc = { code: 'shared', messageZh: u.messageZh, messageEn: u.messageEn };
  }
  if (!(PROJECT_SECTORS as readonly string[]).includes(v.sector)) problems.sector = { code: 'required' };
  const iab = v.sector !== 'other';
  if (v.keyProject && !iab) problems.keyProject = { code: 'keyProjectNonIab' };

  const investment = wanToYuan(v.plannedInvestmentWan);
  if (!investment.ok) problems.plannedInvestmentWan = investment.problem;

  const year = wholeYearNumber(v.quotaYear);
  if (year === null) problems.quotaYear = { code: 'yearRange', vars: { min: 2000, max: 2100 } };

  const terms = checkTerms(v, params);
  if (!terms.ok) Object.assign(problems, terms.problems);

  const price = priceFen(v.price, v.priceUnit, plot.areaM2);
  if (!price.ok) problems.price = price.problem;
  else if (price.fen === null) problems.price = { code: 'required' };

  let rentFen: bigint | null = null;
  if (v.mode === 'lease_then_transfer') {
    const rent = priceFen(v.annualRent, v.priceUnit, plot.areaM2);
    if (!rent.ok) problems.annualRent = rent.problem;
    else if (rent.fen === null) problems.annualRent = { code: 'required' };
    else rentFen = rent.fen;
  }

  if (Object.keys(problems).length > 0 || !terms.ok || !price.ok || price.fen === null || year === null || !investment.ok) {
    return { ok: false, problems };
  }
  const subSector = v.subSector.trim();
  return {
    ok: true,
    body: {
      plotId: plot.id,
      quotaYear: year,
      mode: v.mode,
      termYears: terms.terms.termYears,
      ...(terms.terms.leaseYears !== null ? { leaseYears: terms.terms.leaseYears } : {}),
      priceYuan: fenToYuan(price.fen),
      ...(rentFen !== null ? { annualRentYuan: fenToYuan(rentFen) } : {}),
      project: {
        name: projectName,
        enterprise: { name: enterpriseName, uscc },
        sector: v.sector,
        iab,
        ...(iab && subSector ? { subSector } : {}),
        ...(investment.yuan !== null ? { plannedInvestmentYuan: investment.yuan } : {}),
        ...(iab ? { keyProject: v.keyProject } : {}),
      },
    },
  };
}

function wholeYearNumber(s: string): number | null {
  const c = cleanNumber(s);
  if (!/^\d{4}$/.test(c)) return null;
  const n = Number(c);
  return n >= 2000 && n <= 2100 ? n : null;
}
