import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  compareM2HundredthsToMu,
  formatArea,
  formatAreaHundredths,
  formatMoney,
  haToM2,
  hundredthsToM2,
  m2ToHa,
  m2ToHundredths,
  m2ToMu,
  muToM2,
  muToM2Hundredths,
  parseAreaField,
} from '../../../shared/units.ts';

describe('Areas: 1 亩 = 10000/15 m², 1 公顷 = 10000 m² = 15 亩 (POLICY.md "Units and money")', () => {
  describe('conversions', () => {
    it.each([
      // m² × 3/2000 = 亩; m² / 10000 = 公顷
      [10_000, 15, 1],
      [13_333.33, 19.999995, 1.333333], // 13 333.33 × 3 / 2000 = 39 999.99 / 2000
      [666.67, 1.000005, 0.066667], // 666.67 × 3 / 2000 = 2000.01 / 2000
      [0, 0, 0],
    ])('%s m² = %s 亩 = %s 公顷', (m2, mu, ha) => {
      expect(m2ToMu(m2)).toBe(mu);
      expect(m2ToHa(m2)).toBe(ha);
    });

    it('1 亩 is 666.666… m²; 15 亩 is exactly 10 000 m²; 1 公顷 is 10 000 m²', () => {
      expect(muToM2(1)).toBe(2000 / 3);
      expect(muToM2(15)).toBe(10_000);
      expect(haToM2(1)).toBe(10_000);
    });

    it('5000 亩 in hundredths of m²: 1 000 000 000 / 3 = 333 333 333.33…', () => {
      expect(muToM2Hundredths(5000, 'ceil')).toBe(333_333_334n);
      expect(muToM2Hundredths(5000, 'floor')).toBe(333_333_333n);
      expect(muToM2Hundredths(5000, 'round')).toBe(333_333_333n);
      // 0.005 亩 = 3.333… m² → 333.33… hundredths; 0.01 亩 = 6.666… m² → 666.67 (half up)
      expect(muToM2Hundredths('0.01')).toBe(667n);
    });

    it('compares a stored m² area with 5000 亩 exactly (3h vs 1 000 000 000)', () => {
      expect(compareM2HundredthsToMu(m2ToHundredths('3333333.34'), 5000)).toBe(1); // 3h = 1 000 000 002
      expect(compareM2HundredthsToMu(m2ToHundredths('3333333.33'), 5000)).toBe(-1); // 3h = 999 999 999
      // 15 亩 is exactly 10 000.00 m²
      expect(compareM2HundredthsToMu(m2ToHundredths(10_000), 15)).toBe(0);
    });

    it('m2ToHundredths is exact and rejects a third decimal', () => {
      expect(m2ToHundredths('1234.56')).toBe(123_456n);
      expect(m2ToHundredths(0.29)).toBe(29n); // 0.29 * 100 = 28.999999999999996 in floats
      expect(hundredthsToM2(123_456n)).toBe(1234.56);
      expect(() => m2ToHundredths(1.005)).toThrow(RangeError);
    });

    it('property: m² (2 decimals) → 亩 (number) → m² rounds back to the same cent', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (h) => {
          const mu = m2ToMu(hundredthsToM2(h));
          expect(muToM2Hundredths(mu, 'round')).toBe(h);
          expect(m2ToHundredths(Math.round(muToM2(mu) * 100) / 100)).toBe(h);
        }),
      );
    });

    it('property: m² → 公顷 → m² is exact at 2 decimals', () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), (h) => {
          expect(m2ToHundredths(Math.round(haToM2(m2ToHa(hundredthsToM2(h))) * 100) / 100)).toBe(h);
        }),
      );
    });
  });

  describe('formatArea: 2 decimals, half up from the exact value, thousands separators', () => {
    it.each([
      [13_333.33, 'mu', 'zh-CN', '20.00 亩'], // 19.999995 → 20.00
      [13_333.33, 'mu', 'en', '20.00 mu'],
      [1_234_567.8, 'm2', 'en', '1,234,567.80 m²'],
      [1_234_567.8, 'm2', 'zh-CN', '1,234,567.80 平方米'],
      [3_333_333.34, 'mu', 'zh-CN', '5,000.00 亩'],
      [3_333_333.34, 'ha', 'en', '333.33 ha'],
      [10_000, 'ha', 'zh-CN', '1.00 公顷'],
      // 10 m² = 0.015 亩 exactly: half up gives 0.02 (the float (0.015).toFixed(2) gives "0.01")
      [10, 'mu', 'en', '0.02 mu'],
      // geometry areas may carry more decimals: 1234.5678 m² → 1,234.57
      [1234.5678, 'm2', 'en', '1,234.57 m²'],
      ['-666.67', 'mu', 'en', '-1.00 mu'],
    ] as const)('%s m² as %s (%s) → "%s"', (m2, unit, locale, text) => {
      expect(formatArea(m2, unit, locale)).toBe(text);
    });

    it('formatAreaHundredths agrees with formatArea', () => {
      expect(formatAreaHundredths(1_333_333n, 'mu', 'zh-CN')).toBe('20.00 亩');
    });
  });

  describe('formatMoney', () => {
    it.each([
      [123_456n, 'en', 'full', '¥1,234.56'],
      [123_456n, 'zh-CN', 'full', '1,234.56 元'],
      [-5n, 'en', 'full', '-¥0.05'],
      [-5n, 'zh-CN', 'full', '-0.05 元'],
      [0n, 'zh-CN', 'full', '0.00 元'],
      [10_000_000_000n, 'zh-CN', 'compact', '1.00 亿元'], // 1亿元 = 10^10 fen
      [9_999_999_999n, 'zh-CN', 'compact', '1.00 亿元'], // 99.99999999 万万 → rounds to 1.00 亿
      [123_456_789n, 'zh-CN', 'compact', '123.46 万元'], // 1 234 567.89 元 = 123.456789 万
      // the unit is chosen after rounding to 2 decimals of the unit: 9 950.00 元 = 0.995 万
      // → 1.00 (half up) → "1.00 万元"; 9 949.99 元 = 0.994999 万 → 0.99 < 1, so it stays in 元
      [995_000n, 'zh-CN', 'compact', '1.00 万元'],
      [994_999n, 'zh-CN', 'compact', '9,949.99 元'],
      [1_000_000n, 'zh-CN', 'compact', '1.00 万元'],
      [10_000_000_000n, 'en', 'compact', '¥100.00M'],
      [123_456n, 'en', 'compact', '¥1,234.56'],
      [-250_000_000_000n, 'zh-CN', 'compact', '-25.00 亿元'],
    ] as const)('%s fen (%s, %s) → "%s"', (fen, locale, style, text) => {
      expect(formatMoney(fen, locale, style)).toBe(text);
    });
  });

  describe('parseAreaField', () => {
    it('returns hundredths or a bilingual validation failure naming the field', () => {
      expect(parseAreaField('areaM2', { zh: '面积', en: 'Area' }, '12.34', 'positive')).toEqual({ ok: true, hundredths: 1234n });
      expect(parseAreaField('areaM2', { zh: '面积', en: 'Area' }, 0, 'positive')).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field: 'areaM2' });
      expect(parseAreaField('areaM2', { zh: '面积', en: 'Area' }, Number.NaN)).toMatchObject({ ok: false, field: 'areaM2' });
      expect(parseAreaField('areaM2', { zh: '面积', en: 'Area' }, -1)).toMatchObject({ ok: false, field: 'areaM2' });
    });
  });
});
