/**
 * 五(三)14: the terms each supply mode allows and the floor checks it takes, decided once for
 * the server (which refuses a proposal) and the client (which previews it while typing).
 *
 * - `transfer` (出让): the statutory maximum term (城镇国有土地使用权出让和转让暂行条例 art. 12:
 *   50 years for industrial land); fewer years is a flexible-term transfer.
 * - `flexible_term` (弹性年期出让): 1 … statutory − 1 whole years.
 * - `lease_then_transfer` (先租后让): a lease of 1 … statutory − 1 years, then a transfer of at
 *   least 1 year, together at most the statutory maximum.
 * - `long_term_lease` (长期租赁): longTermLeaseMinYears … longTermLeaseMaxYears whole years.
 *
 * Every figure comes from the policy parameters in force. The functions return structured
 * results; callers render the words (the server's API messages, the form's i18n keys).
 * {@link termFailure} gives the bilingual wording the floor functions use.
 */
import { validationFailed, type ValidationFailure } from '../domain.ts';
import type { SupplyMode } from '../supply-modes.ts';
import { DEFAULT_PARAMETERS, type PolicyParameters } from './parameters.ts';

/** Whole years from `min` to `max`, and the first figure a form offers. */
export interface YearRange {
  readonly min: number;
  readonly max: number;
  readonly default: number;
}

export interface TermRule {
  readonly mode: SupplyMode;
  /**
   * `termYears` of an allocation: the term (transfer, flexible term), the transfer part
   * (lease-then-transfer) or the lease (long-term lease).
   */
  readonly term: YearRange;
  /** true: the term is fixed (a transfer is for the statutory maximum only). */
  readonly termFixed: boolean;
  /** `leaseYears`: the lease part of a lease-then-transfer; null for the other modes (none may be given). */
  readonly lease: YearRange | null;
  /** Lease part + transfer part may not exceed this (lease-then-transfer); null otherwise. */
  readonly totalMax: number | null;
}

/** The term rule of a supply mode under these parameters. */
export function termRule(mode: SupplyMode, params: PolicyParameters = DEFAULT_PARAMETERS): TermRule {
  const max = params.statutoryMaxTermYears;
  switch (mode) {
    case 'transfer':
      return { mode, term: { min: max, max, default: max }, termFixed: true, lease: null, totalMax: null };
    case 'flexible_term':
      return { mode, term: { min: 1, max: max - 1, default: Math.min(20, max - 1) }, termFixed: false, lease: null, totalMax: null };
    case 'lease_then_transfer': {
      // A first offer: five years of lease, the rest of the statutory term as the transfer.
      const lease = Math.max(1, Math.min(5, max - 1));
      return {
        mode,
        term: { min: 1, max: max - 1, default: Math.max(1, max - lease) },
        termFixed: false,
        lease: { min: 1, max: max - 1, default: lease },
        totalMax: max,
      };
    }
    case 'long_term_lease': {
      const { longTermLeaseMinYears: min, longTermLeaseMaxYears: lmax } = params;
      return { mode, term: { min, max: lmax, default: lmax }, termFixed: false, lease: null, totalMax: null };
    }
  }
}

/** Why a mode's terms are refused; `field` names the allocation's field. */
export type TermProblem =
  | { readonly code: 'LEASE_YEARS_NOT_ALLOWED'; readonly field: 'leaseYears' }
  | { readonly code: 'LEASE_YEARS_REQUIRED'; readonly field: 'leaseYears' }
  /** A transfer for other than the statutory maximum (that is a flexible-term transfer). */
  | { readonly code: 'TERM_NOT_STATUTORY'; readonly field: 'termYears'; readonly termYears: number; readonly statutory: number }
  | { readonly code: 'TERM_OUT_OF_RANGE'; readonly field: 'termYears'; readonly termYears: number; readonly min: number; readonly max: number }
  | { readonly code: 'LEASE_PART_OUT_OF_RANGE'; readonly field: 'leaseYears'; readonly leaseYears: number; readonly min: number; readonly max: number }
  | { readonly code: 'TRANSFER_PART_OUT_OF_RANGE'; readonly field: 'termYears'; readonly termYears: number; readonly min: number }
  | { readonly code: 'TERMS_EXCEED_STATUTORY'; readonly field: 'termYears'; readonly leaseYears: number; readonly transferYears: number; readonly max: number };

export type TermCheck =
  | { readonly ok: true; readonly termYears: number; readonly leaseYears: number | null }
  | { readonly ok: false; readonly problem: TermProblem };

const whole = (n: number) => Number.isInteger(n);
const inRange = (n: number, r: { min: number; max: number }) => whole(n) && n >= r.min && n <= r.max;

/**
 * Checks a mode's terms. The first problem is returned, in this order: whether a lease part is
 * given (only lease-then-transfer has one, and it needs it), then the term, the lease part, the
 * transfer part and their total.
 */
export function checkTerms(mode: SupplyMode, t: { termYears: number; leaseYears: number | null }, params: PolicyParameters = DEFAULT_PARAMETERS): TermCheck {
  const rule = termRule(mode, params);
  const no = (problem: TermProblem): TermCheck => ({ ok: false, problem });
  if (rule.lease === null) {
    if (t.leaseYears !== null) return no({ code: 'LEASE_YEARS_NOT_ALLOWED', field: 'leaseYears' });
    if (rule.termFixed && t.termYears !== rule.term.max) {
      return no({ code: 'TERM_NOT_STATUTORY', field: 'termYears', termYears: t.termYears, statutory: params.statutoryMaxTermYears });
    }
    if (!inRange(t.termYears, rule.term)) return no({ code: 'TERM_OUT_OF_RANGE', field: 'termYears', termYears: t.termYears, min: rule.term.min, max: rule.term.max });
    return { ok: true, termYears: t.termYears, leaseYears: null };
  }
  if (t.leaseYears === null) return no({ code: 'LEASE_YEARS_REQUIRED', field: 'leaseYears' });
  if (!inRange(t.leaseYears, rule.lease)) {
    return no({ code: 'LEASE_PART_OUT_OF_RANGE', field: 'leaseYears', leaseYears: t.leaseYears, min: rule.lease.min, max: rule.lease.max });
  }
  if (!whole(t.termYears) || t.termYears < rule.term.min) return no({ code: 'TRANSFER_PART_OUT_OF_RANGE', field: 'termYears', termYears: t.termYears, min: rule.term.min });
  if (rule.totalMax !== null && t.leaseYears + t.termYears > rule.totalMax) {
    return no({ code: 'TERMS_EXCEED_STATUTORY', field: 'termYears', leaseYears: t.leaseYears, transferYears: t.termYears, max: rule.totalMax });
  }
  return { ok: true, termYears: t.termYears, leaseYears: t.leaseYears };
}

/**
 * A term problem in both languages, as the floor functions state it. The field is named the
 * way those functions name their inputs: a long-term lease's term is its `leaseYears`; the
 * transfer part of a lease-then-transfer is `transferYears`.
 */
export function termFailure(mode: SupplyMode, p: TermProblem): ValidationFailure {
  switch (p.code) {
    case 'LEASE_YEARS_NOT_ALLOWED':
      return validationFailed('leaseYears', `租赁年限只适用于先租后让`, `leaseYears is only for a lease-then-transfer`);
    case 'LEASE_YEARS_REQUIRED':
      return validationFailed('leaseYears', '先租后让须填写出让前的租赁年限', 'A lease-then-transfer needs the years of lease before the transfer');
    case 'TERM_NOT_STATUTORY':
      return validationFailed(
        'termYears',
        `出让年限为法定的 ${p.statutory} 年；${p.termYears} 年请选择弹性年期出让`,
        `A transfer is for the statutory ${p.statutory} years; for ${p.termYears} years use a flexible-term transfer`,
      );
    case 'TERM_OUT_OF_RANGE':
      if (mode === 'long_term_lease') {
        return validationFailed('leaseYears', `长期租赁年限必须是 ${p.min}–${p.max} 的整数年`, `A long-term lease must be a whole number of years from ${p.min} to ${p.max}`);
      }
      return validationFailed(
        'termYears',
        `弹性年期出让年限必须是 ${p.min}–${p.max} 的整数年；${p.max + 1} 年请选择出让`,
        `A flexible-term transfer is for ${p.min}–${p.max} whole years; for ${p.max + 1} years use a transfer`,
      );
    case 'LEASE_PART_OUT_OF_RANGE':
      return validationFailed('leaseYears', `先租后让的租赁年限必须是 ${p.min}–${p.max} 的整数年`, `The lease part must be a whole number of years from ${p.min} to ${p.max}`);
    case 'TRANSFER_PART_OUT_OF_RANGE':
      return validationFailed('transferYears', '出让年限必须是正整数年', `The transfer term must be a whole number of years ≥ ${p.min}`);
    case 'TERMS_EXCEED_STATUTORY':
      return validationFailed(
        'transferYears',
        `租赁年限 ${p.leaseYears} 年加出让年限 ${p.transferYears} 年超过 ${p.max} 年`,
        `Lease ${p.leaseYears} years plus transfer ${p.transferYears} years exceeds ${p.max} years`,
      );
  }
}

/** One comparison of an offered figure with a floor. */
export interface FloorCheckRule {
  /** `price`: a supply price; `annual_rent`: a lease's annual rent. */
  readonly subject: 'price' | 'annual_rent';
  /** The allocation field holding the offered figure. */
  readonly field: 'priceYuan' | 'annualRentYuan';
  /**
   * The floor it is compared with: `term` the land price floor for the term (K(n));
   * `rent` the annual rent floor (a share of the statutory-term floor); `transfer` the land
   * price floor for the transfer part (K(transfer years)).
   */
  readonly floor: 'term' | 'rent' | 'transfer';
}

export interface FloorChecks {
  readonly mode: SupplyMode;
  /** The comparisons, in the order they are made and reported. */
  readonly checks: readonly FloorCheckRule[];
  /** Whether `annualRentYuan` is taken (and required); otherwise it may not be given. */
  readonly annualRentField: boolean;
  /** Whether `leaseYears` is taken (and required); otherwise it may not be given. */
  readonly leaseYearsField: boolean;
}

/** Which floor checks apply to a supply mode, and which fields it takes. */
export function floorChecksFor(mode: SupplyMode): FloorChecks {
  switch (mode) {
    case 'transfer':
    case 'flexible_term':
      return { mode, checks: [{ subject: 'price', field: 'priceYuan', floor: 'term' }], annualRentField: false, leaseYearsField: false };
    case 'long_term_lease':
      // The price field carries the annual rent.
      return { mode, checks: [{ subject: 'annual_rent', field: 'priceYuan', floor: 'rent' }], annualRentField: false, leaseYearsField: false };
    case 'lease_then_transfer':
      return {
        mode,
        checks: [
          { subject: 'annual_rent', field: 'annualRentYuan', floor: 'rent' },
          { subject: 'price', field: 'priceYuan', floor: 'transfer' },
        ],
        annualRentField: true,
        leaseYearsField: true,
      };
  }
}
