import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkSupplyPrice,
  DEFAULT_PARAMETERS,
  leaseThenTransfer,
  longTermLease,
  priceFloor,
  rentFloor,
  termFactor,
  validateTermYears,
  type FloorInput,
  type PriceFloor,
} from '../../../shared/policy/index.ts';
import type { ValidationFailure } from '../../../shared/domain.ts';

/** A 10 000 m² IAB plot: B = 800 yuan/m², C = 3 000 000 yuan, N = 600 yuan/m² (grade 3). */
const plot = (over: Partial<FloorInput> & { termYears?: number } = {}) => ({
  areaM2: 10_000,
  benchmarkYuanPerM2: 800,
  costYuan: 3_000_000,
  nationalMinYuanPerM2: 600,
  iab: true,
  ...over,
});

/** Unwraps a success, or fails the test with the validation message. */
function ok<T extends { ok: true }>(r: T | ValidationFailure): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.field}: ${r.messageEn}`);
  return r;
}

describe('五(三)14 land price floor: max(factor × B × A × K(n), C, N × A × K(n))', () => {
  describe('50-year floor (K = 1)', () => {
    it.each([
      // benchmark 0.7 × 800 × 10 000 = 5 600 000; cost 3 000 000; minimum 600 × 10 000 = 6 000 000
      ['IAB, national minimum binds', {}, 'national_minimum', 600_000_000n, 560_000_000n, 300_000_000n, 600_000_000n, 600],
      // benchmark 0.7 × 1500 × 10 000 = 10 500 000 > 6 000 000 > 3 000 000
      ['IAB, benchmark binds', { benchmarkYuanPerM2: 1500 }, 'benchmark', 1_050_000_000n, 1_050_000_000n, 300_000_000n, 600_000_000n, 1050],
      // cost 9 000 000 > 6 000 000 > 5 600 000
      ['IAB, cost binds', { costYuan: 9_000_000 }, 'cost', 900_000_000n, 560_000_000n, 900_000_000n, 600_000_000n, 900],
      // non-IAB factor 1.00: 800 × 10 000 = 8 000 000 > 6 000 000
      ['non-IAB, factor 1.00', { iab: false }, 'benchmark', 800_000_000n, 800_000_000n, 300_000_000n, 600_000_000n, 800],
    ] as const)('%s', (_name, over, binding, floorFen, benchmarkFen, costFen, nationalMinimumFen, perM2) => {
      const r = ok(priceFloor(plot(over)));
      expect(r.binding).toBe(binding);
      expect(r.floorFen).toBe(floorFen);
      expect(r.components).toEqual({ benchmarkFen, costFen, nationalMinimumFen, provincialMinimumFen: null });
      expect(r.floorYuanPerM2).toBe(perM2);
      expect(r.termYears).toBe(50);
      expect(r.termFactor).toBe(1);
      expect(r.termFactorExact).toMatchObject({ num: 1n, den: 1n });
      expect(r.factor).toBe(over === undefined || !('iab' in over) ? 0.7 : 1);
    });

    it('rounds a floor landing on half a fen UP', () => {
      // 0.7 × 500.01 yuan/m² × 10 005.00 m² = 350.007 × 10 005 = 3 501 820.035 yuan
      //   = 350 182 003.5 fen → 350 182 004 fen (3 501 820.04 yuan).
      // Per m²: 350 182 004 / 10 005 = 35 000.70… fen → 35 001 fen = 350.01 yuan/m².
      const r = ok(priceFloor(plot({ areaM2: '10005.00', benchmarkYuanPerM2: '500.01', costYuan: 0, nationalMinYuanPerM2: 60 })));
      expect(r.binding).toBe('benchmark');
      expect(r.floorFen).toBe(350_182_004n);
      expect(r.floorYuan).toBe(3_501_820.04);
      expect(r.floorFenPerM2).toBe(35_001n);
      expect(r.floorYuanPerM2).toBe(350.01);
      // N part: 60 × 10 005 = 600 300 yuan exactly
      expect(r.components.nationalMinimumFen).toBe(60_030_000n);
    });

    it('rounds any fraction of a fen up (x.605 fen)', () => {
      // 0.7 × 333.33 × 1 234.55 = 0.7 × 411 512.5515 = 288 058.78605 yuan → 288 058.79
      const r = ok(priceFloor(plot({ areaM2: '1234.55', benchmarkYuanPerM2: '333.33', costYuan: 0, nationalMinYuanPerM2: 60 })));
      expect(r.components.benchmarkFen).toBe(28_805_879n);
    });

    it.each([
      // benchmark 5 600 000 = cost 5 600 000 > N (grade 15: 60 × 10 000 = 600 000) → first in order: benchmark
      ['benchmark = cost → benchmark', { costYuan: 5_600_000, nationalMinYuanPerM2: 60 }, 'benchmark'],
      // cost 6 000 000 = N 6 000 000 > benchmark 5 600 000 → cost
      ['cost = national minimum → cost', { costYuan: 6_000_000 }, 'cost'],
      // benchmark 0.7 × 1000 × 10 000 = 7 000 000 = N (700 × 10 000) → benchmark
      ['benchmark = national minimum → benchmark', { benchmarkYuanPerM2: 1000, nationalMinYuanPerM2: 700 }, 'benchmark'],
    ] as const)('ties resolve in clause order (benchmark, cost, national minimum): %s', (_n, over, binding) => {
      expect(ok(priceFloor(plot(over))).binding).toBe(binding);
    });

    it('explains itself in both languages with every component', () => {
      const r = ok(priceFloor(plot()));
      expect(r.messageZh).toBe(
        '出让底价 6,000,000.00 元（600.00 元/平方米，面积 10,000.00 平方米），由国家最低价决定：' +
          '基准地价×70.00%部分 5,600,000.00 元，土地成本 3,000,000.00 元，国家最低价部分 6,000,000.00 元，省最低价 无适用标准（未计入）；年限 50 年，K=1.000000',
      );
      expect(r.messageEn).toContain('set by the national minimum price');
      expect(r.messageEn).toContain('¥5,600,000.00');
    });
  });

  describe('国土资发〔2009〕56号 factor on N (default off)', () => {
    it('is ignored unless enabled in the parameters', () => {
      expect(ok(priceFloor(plot({ provincialPriority56: true }))).components.nationalMinimumFen).toBe(600_000_000n);
    });

    it('when enabled, a prioritised project uses 0.70 × N', () => {
      // N part 0.7 × 600 × 10 000 = 4 200 000 < benchmark 5 600 000 → benchmark binds
      const params = { ...DEFAULT_PARAMETERS, nationalMinimum56Enabled: true };
      const r = ok(priceFloor(plot({ provincialPriority56: true, params })));
      expect(r.components.nationalMinimumFen).toBe(420_000_000n);
      expect(r.nationalMinimumFactor).toBe(0.7);
      expect(r.binding).toBe('benchmark');
      // not prioritised: full N
      expect(ok(priceFloor(plot({ params }))).components.nationalMinimumFen).toBe(600_000_000n);
    });
  });

  describe('弹性年期: K(n) = (1 − 1.06^−n) / (1 − 1.06^−50), exact rational', () => {
    it('K(50) = 1 exactly', () => {
      expect(termFactor(50)).toMatchObject({ num: 1n, den: 1n, value: 1 });
    });

    it.each([
      // 1.06^−20 = 0.3118047269, 1.06^−50 = 0.0542883618:
      // K(20) = (1 − 0.3118047269)/(1 − 0.0542883618) = 0.6881952731/0.9457116382 = 0.7277009665
      [20, 0.7277009665],
      // K(1) = (1 − 1/1.06)/0.9457116382 = 0.0566037736/0.9457116382 = 0.0598531004
      [1, 0.0598531004],
      [45, 0.9805842375],
    ])('K(%i) ≈ %f', (n, k) => {
      expect(termFactor(n).value).toBeCloseTo(k, 9);
    });

    it('K(n) exact form is (106^n − 100^n)·106^(50−n) / (106^50 − 100^50), reduced', () => {
      const k = termFactor(20);
      const p = 106n;
      const d = 100n;
      // cross-multiplication: num/den = P/Q ⇔ num·Q = den·P
      expect(k.num * (p ** 50n - d ** 50n)).toBe(k.den * (p ** 20n - d ** 20n) * p ** 30n);
    });

    it('a 20-year IAB floor: land-value parts × K(20), cost not reduced', () => {
      // N part: 600 × 10 000 × 0.7277009665 = 4 366 205.799 → 4 366 205.80 yuan
      // benchmark: 0.7 × 800 × 10 000 × 0.7277009665 = 4 075 125.412 → 4 075 125.42 yuan
      const r = ok(priceFloor(plot({ termYears: 20 })));
      expect(r.components).toEqual({ benchmarkFen: 407_512_542n, costFen: 300_000_000n, nationalMinimumFen: 436_620_580n, provincialMinimumFen: null });
      expect(r.binding).toBe('national_minimum');
      expect(r.floorFen).toBe(436_620_580n);
      expect(r.termFactor).toBeCloseTo(0.7277009665, 9);
    });

    it('r = 0 gives the limit K(n) = n/50', () => {
      expect(termFactor(10, 0)).toMatchObject({ num: 1n, den: 5n, value: 0.2 });
    });

    it.each([0, 51, 2.5, Number.NaN, -1])('refuses term %s (whole years 1..50)', (n) => {
      expect(() => termFactor(n)).toThrow(RangeError);
      expect(validateTermYears(n)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'termYears' });
      expect(priceFloor(plot({ termYears: n }))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'termYears' });
    });

    it('property: K(n) increases with n and stays in (0, 1] for any rate 0.01 %–20 %', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 49 }), fc.integer({ min: 1, max: 2000 }), (n, rateBp) => {
          const a = termFactor(n, rateBp);
          const b = termFactor(n + 1, rateBp);
          expect(a.num * b.den < b.num * a.den).toBe(true); // K(n) < K(n+1)
          expect(a.num > 0n && a.num < a.den).toBe(true);
          expect(termFactor(50, rateBp)).toMatchObject({ num: 1n, den: 1n });
        }),
      );
    });
  });

  describe('input validation', () => {
    it.each([
      ['areaM2', { areaM2: 0 }],
      ['areaM2', { areaM2: '12.345' }],
      ['benchmarkYuanPerM2', { benchmarkYuanPerM2: Number.NaN }],
      ['costYuan', { costYuan: -1 }],
      ['nationalMinYuanPerM2', { nationalMinYuanPerM2: 'abc' }],
    ] as const)('names the bad field: %s', (field, over) => {
      const r = priceFloor(plot(over));
      expect(r).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
      expect(r.ok ? '' : r.messageZh).not.toBe('');
      expect(r.ok ? '' : r.messageEn).not.toBe('');
    });
  });

  describe('properties', () => {
    const money = fc.integer({ min: 0, max: 200_000 }).map((c) => (c / 100).toFixed(2));
    const input = fc.record({
      areaH: fc.integer({ min: 1, max: 100_000_000 }),
      benchmark: money,
      cost: fc.integer({ min: 0, max: 1_000_000_000 }).map((c) => (c / 100).toFixed(2)),
      nmin: money,
      iab: fc.boolean(),
      term: fc.integer({ min: 1, max: 50 }),
    });
    type Input = { areaH: number; benchmark: string; cost: string; nmin: string; iab: boolean; term: number };
    const run = (x: Input, areaH = x.areaH): PriceFloor =>
      ok(priceFloor({ areaM2: (areaH / 100).toFixed(2), benchmarkYuanPerM2: x.benchmark, costYuan: x.cost, nationalMinYuanPerM2: x.nmin, iab: x.iab, termYears: x.term }));

    it('the floor is ≥ each component and equals the binding one', () => {
      fc.assert(
        fc.property(input, (x) => {
          const r = run(x);
          const c = r.components;
          expect(r.floorFen >= c.benchmarkFen && r.floorFen >= c.costFen! && r.floorFen >= c.nationalMinimumFen).toBe(true);
          expect(c.provincialMinimumFen).toBeNull(); // no provincial figure given: the term is absent
          const byBinding = { benchmark: c.benchmarkFen, cost: c.costFen, national_minimum: c.nationalMinimumFen, provincial_minimum: c.provincialMinimumFen };
          expect(byBinding[r.binding]).toBe(r.floorFen);
          // the per-m² floor, rounded up, covers the whole floor
          expect(r.floorFenPerM2 * BigInt(x.areaH) >= r.floorFen * 100n).toBe(true);
        }),
      );
    });

    it('the floor is non-decreasing in area', () => {
      fc.assert(
        fc.property(input, fc.integer({ min: 0, max: 10_000_000 }), (x, extra) => {
          expect(run(x, x.areaH + extra).floorFen >= run(x).floorFen).toBe(true);
        }),
      );
    });

    it('the floor is non-decreasing in term', () => {
      fc.assert(
        fc.property(input, (x) => {
          fc.pre(x.term < 50);
          expect(run({ ...x, term: x.term + 1 }).floorFen >= run(x).floorFen).toBe(true);
        }),
      );
    });
  });

  describe('a supply price below the floor is refused with the floor in the error', () => {
    it.each([
      ['6000000.00', true],
      ['6000000.01', true],
      ['5999999.99', false],
    ])('price %s yuan vs floor 6 000 000.00 → ok %s', (price, accepted) => {
      const r = checkSupplyPrice({ priceYuan: price, floorFen: 600_000_000n });
      expect(r.ok).toBe(accepted);
      if (!accepted) {
        expect(r).toMatchObject({ code: 'BELOW_PRICE_FLOOR', floorFen: 600_000_000n, priceFen: 599_999_999n, shortfallFen: 1n });
        expect('messageZh' in r ? r.messageZh : '').toBe('出让价格 5,999,999.99 元 低于出让底价 6,000,000.00 元');
      }
    });
  });
});

describe('五(三)14 rent floors: 长期租赁 and 先租后让', () => {
  it('annual rent floor = 2 % of the 50-year floor', () => {
    // 2 % × 6 000 000.00 = 120 000.00 yuan
    const r = ok(rentFloor(plot({})));
    expect(r.annualRentFloorFen).toBe(12_000_000n);
    expect(r.floor50.floorFen).toBe(600_000_000n);
    expect(r.messageZh).toBe('年租金底价 120,000.00 元（50年期出让底价 6,000,000.00 元 × 2.00%）');
  });

  it('the rent floor rounds up: 2 % × 3 501 820.04 = 70 036.4008 → 70 036.41', () => {
    const r = ok(rentFloor(plot({ areaM2: '10005.00', benchmarkYuanPerM2: '500.01', costYuan: 0, nationalMinYuanPerM2: 60 })));
    expect(r.annualRentFloorFen).toBe(7_003_641n);
  });

  it('ignores any termYears: the rent is always from the 50-year floor', () => {
    expect(ok(rentFloor(plot({ termYears: 10 }))).annualRentFloorFen).toBe(12_000_000n);
  });

  it.each([
    [5, true],
    [20, true],
    [4, false],
    [21, false],
    [7.5, false],
  ])('长期租赁 of %s years → ok %s (5–20 whole years)', (years, accepted) => {
    const r = longTermLease({ ...plot(), leaseYears: years });
    expect(r.ok).toBe(accepted);
    if (r.ok) expect(r.totalRentFloorFen).toBe(12_000_000n * BigInt(years));
    else expect(r).toMatchObject({ code: 'VALIDATION_FAILED', field: 'leaseYears' });
  });

  describe('先租后让: lease + transfer ≤ 50, the transfer floor uses K(transfer years)', () => {
    it('lease 5 + transfer 45: rent 120 000.00/yr; transfer floor 6 000 000 × K(45)', () => {
      // K(45) = (1 − 1.06^−45)/(1 − 1.06^−50) = 0.9805842375
      // N part 6 000 000 × 0.9805842375 = 5 883 505.425 → 5 883 505.43 yuan (binds)
      const r = ok(leaseThenTransfer({ ...plot(), leaseYears: 5, transferYears: 45 }));
      expect(r.annualRentFloorFen).toBe(12_000_000n);
      expect(r.leaseRentFloorTotalFen).toBe(60_000_000n);
      expect(r.transferFloor.termYears).toBe(45);
      expect(r.transferFloor.floorFen).toBe(588_350_543n);
      expect(r.transferFloor.binding).toBe('national_minimum');
    });

    it('lease 3 + transfer 20 (< 50 in total) uses K(20)', () => {
      expect(ok(leaseThenTransfer({ ...plot(), leaseYears: 3, transferYears: 20 })).transferFloor.floorFen).toBe(436_620_580n);
    });

    it.each([
      [5, 46, 'transferYears'],
      [50, 1, 'leaseYears'],
      [0, 10, 'leaseYears'],
      [5, 0, 'transferYears'],
      [2.5, 10, 'leaseYears'],
    ])('refuses lease %s + transfer %s (field %s)', (leaseYears, transferYears, field) => {
      expect(leaseThenTransfer({ ...plot(), leaseYears, transferYears })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
    });

    it('the error for too many years states both figures', () => {
      const r = leaseThenTransfer({ ...plot(), leaseYears: 5, transferYears: 46 });
      expect(r.ok ? '' : r.messageZh).toBe('租赁年限 5 年加出让年限 46 年超过 50 年');
      expect(r.ok ? '' : r.messageEn).toBe('Lease 5 years plus transfer 46 years exceeds 50 years');
    });
  });
});
