import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ceilDiv,
  fenToYuan,
  fenToYuanString,
  floorDiv,
  MAX_NUMBER_SCALED,
  mulPriceAreaCeil,
  mulRatioCeil,
  mulRatioFloor,
  parseMoneyField,
  priceTimesAreaCeilFen,
  ratio,
  ratioFromBp,
  tryYuanToFen,
  yuanToFen,
} from '../../../shared/money.ts';

describe('Money is exact integer fen (POLICY.md "Units and money")', () => {
  describe('yuanToFen reads the decimal digits, never float × 100', () => {
    it.each([
      ['123.45', 12345n],
      [' 12.5 ', 1250n],
      ['+7', 700n],
      ['-0.01', -1n],
      ['0', 0n],
      [0.1, 10n],
      // 0.29 * 100 === 28.999999999999996 and 19.99 * 100 === 1998.9999999999998 in binary
      // floating point; reading the digits gives the intended fen.
      [0.29, 29n],
      [19.99, 1999n],
      [1234567.89, 123456789n],
      // strings may exceed the number range: 10^20 yuan = 10^22 fen
      ['100000000000000000000.00', 10n ** 22n],
    ] as const)('%j yuan → %s fen', (yuan, fen) => {
      expect(yuanToFen(yuan)).toBe(fen);
    });

    it.each([
      ['NaN', Number.NaN, 'not_a_number'],
      ['Infinity', Number.POSITIVE_INFINITY, 'not_a_number'],
      ['three decimals', 1.005, 'too_many_decimals'],
      ['float noise 0.1 + 0.2', 0.1 + 0.2, 'too_many_decimals'],
      ['a string with 3 decimals', '1.234', 'too_many_decimals'],
      ['an exponent string', '1e3', 'not_a_number'],
      ['an empty string', '', 'not_a_number'],
      ['thousands separators', '1,234.56', 'not_a_number'],
      ['a number ≥ 10^13 yuan (16+ significant digits are not reliable)', 1e13, 'unsafe_number'],
    ] as const)('rejects %s', (_name, yuan, problem) => {
      expect(tryYuanToFen(yuan)).toEqual({ ok: false, problem });
      expect(() => yuanToFen(yuan)).toThrow(RangeError);
    });

    it('accepts the largest number that round-trips (10^13 − 0.01 yuan)', () => {
      expect(yuanToFen(9_999_999_999_999.99)).toBe(MAX_NUMBER_SCALED);
    });
  });

  describe('fenToYuan / fenToYuanString', () => {
    it.each([
      [12345n, 123.45, '123.45'],
      [-5n, -0.05, '-0.05'],
      [0n, 0, '0.00'],
      [10_000_000_000n, 100_000_000, '100000000.00'],
    ])('%s fen → %s / "%s"', (fen, yuan, text) => {
      expect(fenToYuan(fen)).toBe(yuan);
      expect(fenToYuanString(fen)).toBe(text);
    });

    it('refuses a number it could not round-trip', () => {
      expect(() => fenToYuan(10n ** 15n)).toThrow(RangeError);
      expect(fenToYuanString(10n ** 15n)).toBe('10000000000000.00');
    });

    it('property: yuanToFen(fenToYuan(f)) === f for every |f| < 10^15', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: -MAX_NUMBER_SCALED, max: MAX_NUMBER_SCALED }), (f) => {
          expect(yuanToFen(fenToYuan(f))).toBe(f);
          expect(yuanToFen(fenToYuanString(f))).toBe(f);
        }),
      );
    });

    it('property: fenToYuan(yuanToFen(s)) reads back the same 2-decimal figure', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 13n - 1n }), fc.integer({ min: 0, max: 99 }), (int, cents) => {
          const text = `${int}.${String(cents).padStart(2, '0')}`;
          expect(fenToYuan(yuanToFen(text)).toFixed(2)).toBe(text);
        }),
      );
    });
  });

  describe('rounding: minimums up, grants down', () => {
    it('ceilDiv/floorDiv are exact for negative numerators too', () => {
      expect([ceilDiv(7n, 2n), floorDiv(7n, 2n), ceilDiv(-7n, 2n), floorDiv(-7n, 2n), ceilDiv(6n, 2n)]).toEqual([4n, 3n, -3n, -4n, 3n]);
    });

    it.each([
      // 20 % of 1 000 000.03 yuan = 100 000 003 fen × 1/5 = 20 000 000.6 fen
      [100_000_003n, ratioFromBp(2000), 20_000_001n, 20_000_000n],
      // 20 % of an odd fen: 5 fen × 1/5 = 1 exactly; 7 fen × 1/5 = 1.4
      [5n, ratioFromBp(2000), 1n, 1n],
      [7n, ratioFromBp(2000), 2n, 1n],
      // 2 % of 350 182 004 fen = 7 003 640.08 fen
      [350_182_004n, ratioFromBp(200), 7_003_641n, 7_003_640n],
      // ×2000/3 (亩 → m²): 1 × 2000/3 = 666.67 / 666.66
      [1n, ratio(2000n, 3n), 667n, 666n],
    ])('%s fen × %o → ceil %s, floor %s', (fen, r, up, down) => {
      expect(mulRatioCeil(fen, r)).toBe(up);
      expect(mulRatioFloor(fen, r)).toBe(down);
    });

    it('ratio reduces and normalizes the sign', () => {
      expect(ratio(7000n, 10_000n)).toEqual({ num: 7n, den: 10n });
      expect(ratio(1n, -2n)).toEqual({ num: -1n, den: 2n });
      expect(() => ratio(1n, 0n)).toThrow(RangeError);
    });
  });

  describe('price (yuan/m²) × area (m²) → fen, rounded up', () => {
    it.each([
      // 12.34 yuan/m² × 0.05 m² = 0.617 yuan = 61.7 fen → 62 fen
      [12.34, 0.05, 62n],
      // 600 yuan/m² × 10 000 m² = 6 000 000 yuan exactly
      [600, 10_000, 600_000_000n],
      // 500.01 × 10 005.00 = 5 002 600.05 yuan exactly (no rounding needed)
      ['500.01', '10005.00', 500_260_005n],
      // 0.01 × 0.01 = 0.0001 yuan = 0.01 fen → 1 fen
      ['0.01', '0.01', 1n],
    ])('%s × %s → %s fen', (price, area, fen) => {
      expect(priceTimesAreaCeilFen(price, area)).toBe(fen);
    });

    it('mulPriceAreaCeil works on fen/m² and hundredths of m²', () => {
      expect(mulPriceAreaCeil(1234n, 5n)).toBe(62n);
    });

    it('rejects an area with 3 decimals', () => {
      expect(() => priceTimesAreaCeilFen(1, '0.001')).toThrow(RangeError);
    });
  });

  describe('parseMoneyField reports the field in both languages', () => {
    it('names the field and gives both messages', () => {
      const r = parseMoneyField('costYuan', { zh: '土地成本', en: 'Land cost' }, 'abc');
      expect(r).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'costYuan' });
      expect(r.ok ? '' : r.messageZh).toContain('土地成本');
      expect(r.ok ? '' : r.messageEn).toContain('Land cost');
    });

    it('checks the sign', () => {
      expect(parseMoneyField('x', { zh: 'x', en: 'x' }, -1)).toMatchObject({ ok: false, field: 'x' });
      expect(parseMoneyField('x', { zh: 'x', en: 'x' }, 0, 'positive')).toMatchObject({ ok: false });
      expect(parseMoneyField('x', { zh: 'x', en: 'x' }, 0)).toEqual({ ok: true, fen: 0n });
    });
  });
});
