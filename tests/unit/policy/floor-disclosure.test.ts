/**
 * 五(三)14 "不低于国家、省规定的土地出让最低价" and POLICY.md "Who may see what", "Unknown cost":
 * the fourth term P × A × K (provincial minimum, term-corrected like N, rounded up), a cost
 * that is not recorded (never read as 0), and the one function that decides what an audience
 * sees of a floor — tested as properties over many plots and terms 1–50: no public answer
 * equals or implies the cost.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  discloseFloor,
  FLOOR_BINDING_ORDER,
  PUBLIC_FLOOR_TERMS,
  priceFloor,
  publicFloor,
  termFactor,
  type FloorInput,
  type PriceFloor,
} from '../../../shared/policy/index.ts';
import { formatMoney } from '../../../shared/units.ts';
import type { ValidationFailure } from '../../../shared/domain.ts';

function ok<T extends { ok: true }>(r: T | ValidationFailure): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.field}: ${r.messageEn}`);
  return r;
}

/** 10 000 m² IAB: 0.7·B·A = 5 600 000, C = 3 000 000, N·A = 6 000 000 (grade 3). */
const plot = (over: Partial<FloorInput> & { termYears?: number } = {}) =>
  ok(priceFloor({ areaM2: 10_000, benchmarkYuanPerM2: 800, costYuan: 3_000_000, nationalMinYuanPerM2: 600, iab: true, ...over }));

describe('the provincial minimum, a fourth term (五(三)14)', () => {
  it('binds when it is the largest, with its component, per m² and message', () => {
    // P = 700 yuan/m² × 10 000 m² = 7 000 000 > N 6 000 000 > B 5 600 000 > C 3 000 000
    const r = plot({ provincialMinYuanPerM2: 700 });
    expect(r.binding).toBe('provincial_minimum');
    expect(r.floorFen).toBe(700_000_000n);
    expect(r.floorFenPerM2).toBe(70_000n);
    expect(r.components).toEqual({ benchmarkFen: 560_000_000n, costFen: 300_000_000n, nationalMinimumFen: 600_000_000n, provincialMinimumFen: 700_000_000n });
    expect(r.messageZh).toContain('由省最低价决定');
    expect(r.messageZh).toContain('省最低价部分 7,000,000.00 元');
    expect(r.messageEn).toContain('set by the provincial minimum price');
  });

  it('is absent (null, not 0) without a provincial figure, and the message says so', () => {
    for (const p of [undefined, null]) {
      const r = plot({ provincialMinYuanPerM2: p });
      expect(r.components.provincialMinimumFen).toBeNull();
      expect(r.binding).toBe('national_minimum');
      expect(r.messageZh).toContain('省最低价 无适用标准（未计入）');
      expect(r.messageEn).toContain('provincial minimum: no figure applies (term absent)');
    }
  });

  it('is term-corrected like N and rounded up to the fen', () => {
    // K(20) at 6 %; P·A·K = 700 × 10 000 × K(20), rounded up, and below N·A·K for P < N.
    const k = termFactor(20);
    const r = plot({ provincialMinYuanPerM2: 700, termYears: 20 });
    const exact = 70_000n * 1_000_000n * k.num; // fen/m² × hundredths of m² × K numerator
    const den = 100n * k.den;
    expect(r.components.provincialMinimumFen).toBe((exact + den - 1n) / den);
    // an area with a fraction: 1234.55 m² × 333.33 yuan/m² = 411,512.5515 → rounded up to the fen
    const odd = ok(priceFloor({ areaM2: '1234.55', benchmarkYuanPerM2: 1, costYuan: 0, nationalMinYuanPerM2: 1, provincialMinYuanPerM2: '333.33', iab: true }));
    expect(odd.components.provincialMinimumFen).toBe(41_151_256n);
    expect(odd.binding).toBe('provincial_minimum');
  });

  it('ties resolve benchmark, cost, national_minimum, provincial_minimum', () => {
    expect(FLOOR_BINDING_ORDER).toEqual(['benchmark', 'cost', 'national_minimum', 'provincial_minimum']);
    // P = N = 600 → national_minimum; P = 0.7·B = 560 (and C, N lower) → benchmark
    expect(plot({ provincialMinYuanPerM2: 600 }).binding).toBe('national_minimum');
    expect(plot({ provincialMinYuanPerM2: 560, nationalMinYuanPerM2: 60 }).binding).toBe('benchmark');
    // P·A = C = 9 000 000 → cost
    expect(plot({ provincialMinYuanPerM2: 900, costYuan: 9_000_000 }).binding).toBe('cost');
  });

  it('refuses a bad provincial figure naming the field', () => {
    const r = priceFloor({ areaM2: 100, benchmarkYuanPerM2: 1, costYuan: 0, nationalMinYuanPerM2: 1, provincialMinYuanPerM2: '1.001', iab: true });
    expect(r).toMatchObject({ ok: false, field: 'provincialMinYuanPerM2' });
  });
});

describe('an unrecorded cost (POLICY.md "Unknown cost")', () => {
  it('is null, never 0: the floor of the other terms, marked incomplete, and the bureau message says so', () => {
    const r = plot({ costYuan: null, nationalMinYuanPerM2: 60 });
    expect(r.costRecorded).toBe(false);
    expect(r.components.costFen).toBeNull();
    expect(r.binding).toBe('benchmark');
    expect(r.floorFen).toBe(560_000_000n);
    expect(r.messageZh).toContain('土地成本 未登记');
    expect(r.messageZh).toContain('不能据此提出或批准供地');
    expect(r.messageEn).toContain('land cost not recorded');
    // …whereas a cost of 0 is a recorded value.
    const zero = plot({ costYuan: 0 });
    expect(zero.costRecorded).toBe(true);
    expect(zero.components.costFen).toBe(0n);
  });
});

describe('discloseFloor: what an audience sees of a floor', () => {
  it('gives the bureau the full floor, unchanged', () => {
    const f = plot({ costYuan: 9_000_000 });
    const d = discloseFloor(f, 'internal');
    expect(d).toMatchObject({ indicative: false, floorFen: f.floorFen, binding: 'cost', costRecorded: true, caveat: null, messageZh: f.messageZh });
    expect(d.components.costFen).toBe(900_000_000n);
  });

  it('gives the public the indicative minimum from public terms, with the caveat, when the cost binds', () => {
    const f = plot({ costYuan: 9_000_000 }); // C binds the real floor at 9 000 000
    const d = discloseFloor(f, 'public');
    expect(d.indicative).toBe(true);
    expect(d.binding).toBe('national_minimum');
    expect(d.floorFen).toBe(600_000_000n);
    expect(d.floorFenPerM2).toBe(60_000n);
    expect(d.components.costFen).toBeNull();
    expect(d.costRecorded).toBeNull();
    expect(d.caveat?.zh).toContain('最终出让底价由局方集体决策确定，可能更高');
    expect(d.messageZh.startsWith('参考最低价 6,000,000.00 元')).toBe(true);
    expect(d.messageZh).not.toContain('土地成本');
    expect(d.messageEn).not.toMatch(/land cost/i);
    expect(d.messageEn).toContain('may be higher');
  });

  describe('properties over many plots and terms 1–50', () => {
    const money = (max: number) => fc.integer({ min: 0, max }).map((c) => (c / 100).toFixed(2));
    const input = fc.record({
      areaH: fc.integer({ min: 1, max: 50_000_000 }),
      benchmark: money(300_000),
      nmin: money(100_000),
      pmin: fc.option(money(100_000), { nil: null }),
      iab: fc.boolean(),
      term: fc.integer({ min: 1, max: 50 }),
    });
    type Input = { areaH: number; benchmark: string; nmin: string; pmin: string | null; iab: boolean; term: number };
    const floorWith = (x: Input, costYuan: string | null): PriceFloor =>
      ok(priceFloor({ areaM2: (x.areaH / 100).toFixed(2), benchmarkYuanPerM2: x.benchmark, costYuan, nationalMinYuanPerM2: x.nmin, provincialMinYuanPerM2: x.pmin, iab: x.iab, termYears: x.term }));
    const cost = fc.integer({ min: 1, max: 5_000_000_000 }).map((c) => (c / 100).toFixed(2));

    it('a public answer does not depend on the cost at all: any two costs (or none) give the same answer', () => {
      fc.assert(
        fc.property(input, cost, cost, (x, c1, c2) => {
          const a = publicFloor(floorWith(x, c1));
          const b = publicFloor(floorWith(x, c2));
          const none = publicFloor(floorWith(x, null));
          expect(b).toEqual(a);
          expect(none).toEqual(a);
        }),
        { numRuns: 300 },
      );
    });

    it('a public answer never names the cost, never carries it, never equals it unless a public term does', () => {
      fc.assert(
        fc.property(input, cost, (x, c) => {
          const full = floorWith(x, c);
          const d = discloseFloor(full, 'public');
          expect((PUBLIC_FLOOR_TERMS as readonly string[]).includes(d.binding)).toBe(true);
          expect(d.components.costFen).toBeNull();
          expect(d.costRecorded).toBeNull();
          const costFen = full.components.costFen!;
          // The figure is the largest public term — whatever C is.
          const publicTerms = [d.components.benchmarkFen, d.components.nationalMinimumFen, d.components.provincialMinimumFen].filter((v): v is bigint => v !== null);
          const max = publicTerms.reduce((m, v) => (v > m ? v : m));
          expect(d.floorFen).toBe(max);
          // Where the cost binds the bureau's floor, the public figure is below it: the cost is not revealed.
          if (full.binding === 'cost' && costFen > max) {
            expect(d.floorFen < costFen).toBe(true);
            expect(d.floorFenPerM2 <= full.floorFenPerM2).toBe(true);
          }
          // The cost's text appears in no message unless it coincides with a public figure.
          const shown = new Set([d.floorFen, d.floorFenPerM2, ...publicTerms].map((v) => formatMoney(v, 'zh-CN')));
          const costText = formatMoney(costFen, 'zh-CN');
          // (as a whole figure: "1.00 元" inside "61.00 元" is another figure)
          const whole = new RegExp(`(?<![\\d,.])${costText.replace(/[.]/g, '\\.')}`);
          if (!shown.has(costText)) expect(whole.test(d.messageZh), `${costText} in ${d.messageZh}`).toBe(false);
          expect(d.messageZh).not.toContain('土地成本');
          expect(d.messageEn).not.toMatch(/land cost/i);
        }),
        { numRuns: 500 },
      );
    });

    it('the bureau answer is the full floor: ≥ the public one, equal to the cost when the cost binds', () => {
      fc.assert(
        fc.property(input, cost, (x, c) => {
          const full = floorWith(x, c);
          const pub = publicFloor(full);
          const bureau = discloseFloor(full, 'internal');
          expect(bureau.floorFen >= pub.floorFen).toBe(true);
          if (full.binding === 'cost') expect(bureau.floorFen).toBe(full.components.costFen);
          expect(bureau.components.costFen).toBe(full.components.costFen);
        }),
        { numRuns: 200 },
      );
    });
  });
});
