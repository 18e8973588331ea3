import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkSupplyPrice,
  checkTerms,
  DEFAULT_PARAMETERS,
  floorChecksFor,
  leaseThenTransfer,
  longTermLease,
  priceFloor,
  supplyFloors,
  termFailure,
  termRule,
  type PolicyParameters,
} from '../../../shared/policy/index.ts';
import { SUPPLY_MODES, type SupplyMode } from '../../../shared/supply-modes.ts';

/** Parameters with a consistent set of terms (what validatePolicyParameters accepts). */
const paramsArb = fc
  .record({ statutory: fc.integer({ min: 2, max: 99 }), a: fc.nat(), b: fc.nat() })
  .map(({ statutory, a, b }): PolicyParameters => {
    const min = 1 + (a % statutory);
    const max = min + (b % (statutory - min + 1));
    return { ...DEFAULT_PARAMETERS, statutoryMaxTermYears: statutory, longTermLeaseMinYears: min, longTermLeaseMaxYears: max };
  });
const modeArb = fc.constantFrom(...SUPPLY_MODES);
const years = fc.oneof(fc.integer({ min: -5, max: 120 }), fc.constantFrom(0.5, 20.5, Number.NaN, Infinity));

const FIGURES = { areaM2: 10_000, benchmarkYuanPerM2: 1500, costYuan: 5_000_000, nationalMinYuanPerM2: 336, iab: true };

describe('termRule: the years each supply mode allows (五(三)14)', () => {
  it('states the shipped rules', () => {
    expect(termRule('transfer')).toMatchObject({ term: { min: 50, max: 50, default: 50 }, termFixed: true, lease: null, totalMax: null });
    expect(termRule('flexible_term')).toMatchObject({ term: { min: 1, max: 49, default: 20 }, termFixed: false, lease: null });
    expect(termRule('lease_then_transfer')).toMatchObject({ term: { min: 1, max: 49, default: 45 }, lease: { min: 1, max: 49, default: 5 }, totalMax: 50 });
    expect(termRule('long_term_lease')).toMatchObject({ term: { min: 5, max: 20, default: 20 }, lease: null });
  });

  it('offers defaults its own check accepts, for any consistent parameters', () => {
    fc.assert(
      fc.property(modeArb, paramsArb, (mode, params) => {
        const r = termRule(mode, params);
        const t = checkTerms(mode, { termYears: r.term.default, leaseYears: r.lease ? r.lease.default : null }, params);
        // A flexible term needs a statutory maximum of at least 2; lease-then-transfer, room for both parts.
        expect(t.ok).toBe(true);
      }),
    );
  });
});

describe('checkTerms: one decision for the server and the form', () => {
  it('accepts exactly the years in the rule', () => {
    fc.assert(
      fc.property(modeArb, paramsArb, years, fc.option(years, { nil: null }), (mode, params, termYears, leaseYears) => {
        const rule = termRule(mode, params);
        const r = checkTerms(mode, { termYears, leaseYears }, params);
        const whole = (n: number) => Number.isInteger(n);
        const within = (n: number, x: { min: number; max: number }) => whole(n) && n >= x.min && n <= x.max;
        const expected = rule.lease === null
          ? leaseYears === null && within(termYears, rule.term)
          : leaseYears !== null && within(leaseYears, rule.lease) && whole(termYears) && termYears >= 1 && leaseYears + termYears <= rule.totalMax!;
        expect(r.ok).toBe(expected);
        if (r.ok) expect(r).toEqual({ ok: true, termYears, leaseYears });
      }),
    );
  });

  it('names the problem and the field, first the lease part, then the term', () => {
    expect(checkTerms('transfer', { termYears: 50, leaseYears: 5 })).toEqual({ ok: false, problem: { code: 'LEASE_YEARS_NOT_ALLOWED', field: 'leaseYears' } });
    expect(checkTerms('transfer', { termYears: 40, leaseYears: null })).toEqual({ ok: false, problem: { code: 'TERM_NOT_STATUTORY', field: 'termYears', termYears: 40, statutory: 50 } });
    expect(checkTerms('flexible_term', { termYears: 50, leaseYears: null })).toMatchObject({ ok: false, problem: { code: 'TERM_OUT_OF_RANGE', min: 1, max: 49 } });
    expect(checkTerms('long_term_lease', { termYears: 21, leaseYears: null })).toMatchObject({ ok: false, problem: { code: 'TERM_OUT_OF_RANGE', min: 5, max: 20 } });
    expect(checkTerms('lease_then_transfer', { termYears: 45, leaseYears: null })).toMatchObject({ ok: false, problem: { code: 'LEASE_YEARS_REQUIRED' } });
    expect(checkTerms('lease_then_transfer', { termYears: 0, leaseYears: 50 })).toMatchObject({ ok: false, problem: { code: 'LEASE_PART_OUT_OF_RANGE', field: 'leaseYears', max: 49 } });
    expect(checkTerms('lease_then_transfer', { termYears: 0, leaseYears: 5 })).toMatchObject({ ok: false, problem: { code: 'TRANSFER_PART_OUT_OF_RANGE', field: 'termYears' } });
    expect(checkTerms('lease_then_transfer', { termYears: 46, leaseYears: 5 })).toEqual({
      ok: false,
      problem: { code: 'TERMS_EXCEED_STATUTORY', field: 'termYears', leaseYears: 5, transferYears: 46, max: 50 },
    });
  });

  it('is the rule the floor functions apply, in their words', () => {
    expect(longTermLease({ ...FIGURES, leaseYears: 30 })).toEqual(termFailure('long_term_lease', { code: 'TERM_OUT_OF_RANGE', field: 'termYears', termYears: 30, min: 5, max: 20 }));
    expect(longTermLease({ ...FIGURES, leaseYears: 30 })).toMatchObject({ field: 'leaseYears', messageZh: '长期租赁年限必须是 5–20 的整数年' });
    expect(leaseThenTransfer({ ...FIGURES, leaseYears: 5, transferYears: 46 })).toMatchObject({
      field: 'transferYears',
      messageEn: 'Lease 5 years plus transfer 46 years exceeds 50 years',
    });
  });
});

describe('floorChecksFor: which floor checks a supply mode takes', () => {
  it('compares a transfer’s price with the term floor', () => {
    for (const mode of ['transfer', 'flexible_term'] as const) {
      expect(floorChecksFor(mode)).toEqual({ mode, checks: [{ subject: 'price', field: 'priceYuan', floor: 'term' }], annualRentField: false, leaseYearsField: false });
    }
  });

  it('reads a long-term lease’s price field as the annual rent', () => {
    expect(floorChecksFor('long_term_lease').checks).toEqual([{ subject: 'annual_rent', field: 'priceYuan', floor: 'rent' }]);
  });

  it('checks a lease-then-transfer’s rent first, then its transfer price', () => {
    expect(floorChecksFor('lease_then_transfer')).toMatchObject({
      checks: [{ subject: 'annual_rent', field: 'annualRentYuan', floor: 'rent' }, { subject: 'price', field: 'priceYuan', floor: 'transfer' }],
      annualRentField: true,
      leaseYearsField: true,
    });
  });

  it('agrees with the term rule on which modes take a lease part', () => {
    for (const mode of SUPPLY_MODES) expect(floorChecksFor(mode).leaseYearsField).toBe(termRule(mode).lease !== null);
  });
});

describe('supplyFloors: the floors a proposal is checked against', () => {
  const floorsOf = (mode: SupplyMode, termYears: number, leaseYears: number | null = null) => supplyFloors(FIGURES, mode, { termYears, leaseYears });

  it('gives one line per check, in the order of floorChecksFor', () => {
    fc.assert(
      fc.property(modeArb, (mode) => {
        const r = termRule(mode);
        const f = floorsOf(mode, r.term.default, r.lease?.default ?? null);
        if (!f.ok) throw new Error(f.messageEn);
        expect(f.lines.map(({ subject, field, floor }) => ({ subject, field, floor }))).toEqual(floorChecksFor(mode).checks);
      }),
    );
  });

  it('uses the same floors as the policy functions', () => {
    const flex = floorsOf('flexible_term', 30);
    const p30 = priceFloor({ ...FIGURES, termYears: 30 });
    expect(flex.ok && p30.ok && flex.lines[0]!.floorFen).toBe(p30.ok && p30.floorFen);
    const ltl = floorsOf('long_term_lease', 20);
    const lease = longTermLease({ ...FIGURES, leaseYears: 20 });
    expect(ltl.ok && lease.ok && ltl.lines[0]).toMatchObject({ floorFen: lease.ok ? lease.annualRentFloorFen : -1n, rentShareBp: 200 });
    const ltt = floorsOf('lease_then_transfer', 45, 5);
    const both = leaseThenTransfer({ ...FIGURES, leaseYears: 5, transferYears: 45 });
    expect(ltt.ok && both.ok && ltt.lines.map((l) => l.floorFen)).toEqual(both.ok ? [both.annualRentFloorFen, both.transferFloor.floorFen] : []);
  });

  it('refuses terms outside the mode’s rule before it computes anything', () => {
    expect(floorsOf('transfer', 30)).toMatchObject({ ok: false, field: 'termYears', code: 'VALIDATION_FAILED' });
    expect(floorsOf('flexible_term', 50)).toMatchObject({ ok: false, field: 'termYears' });
    expect(floorsOf('long_term_lease', 4)).toMatchObject({ ok: false, field: 'leaseYears' });
    expect(floorsOf('lease_then_transfer', 45)).toMatchObject({ ok: false, field: 'leaseYears' });
  });

  it('a price at the floor passes and one fen below does not, for every line', () => {
    fc.assert(
      fc.property(modeArb, (mode) => {
        const r = termRule(mode);
        const f = floorsOf(mode, r.term.default, r.lease?.default ?? null);
        if (!f.ok) throw new Error(f.messageEn);
        for (const l of f.lines) {
          const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
          expect(checkSupplyPrice({ priceYuan: yuan(l.floorFen), floorFen: l.floorFen }).ok).toBe(true);
          expect(checkSupplyPrice({ priceYuan: yuan(l.floorFen - 1n), floorFen: l.floorFen }).ok).toBe(false);
        }
      }),
    );
  });
});
