import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  checkQuota,
  DEFAULT_PARAMETERS as DEFAULTS,
  supplyShortfall,
  validateQuotaSetting,
  type QuotaState,
} from '../../../shared/policy/index.ts';

/**
 * A year with a quota of 3 400 000 m² (5100 亩), 666 666.67 m² (≈1000 亩) reserved for IAB,
 * 2 000 000 m² approved of which 500 000 m² IAB.
 *   remaining             = 3 400 000 − 2 000 000          = 1 400 000.00
 *   unused reserve        = 666 666.67 − 500 000           =   166 666.67
 *   available to non-IAB  = 1 400 000 − 166 666.67         = 1 233 333.33
 *   (= min(remaining, quota − reserve − non-IAB approved) = min(1 400 000, 3 400 000 − 666 666.67 − 1 500 000))
 */
const year = (over: Partial<QuotaState> = {}): QuotaState => ({
  quotaM2: 3_400_000,
  iabReserveM2: '666666.67',
  approvedM2: 2_000_000,
  iabApprovedM2: 500_000,
  ...over,
});

describe('五(三)11 annual industrial land quota', () => {
  describe('checkQuota: approved ≤ quota; non-IAB approved ≤ quota − IAB reserve', () => {
    it.each([
      ['non-IAB up to what the reserve leaves', '1233333.33', false, true],
      ['non-IAB one cent more', '1233333.34', false, false],
      ['IAB may use the reserve', 1_400_000, true, true],
      ['IAB one cent over the quota', '1400000.01', true, false],
    ])('%s: %s m² (IAB %s) → ok %s', (_n, areaM2, iab, accepted) => {
      expect(checkQuota(year(), { areaM2, iab }).ok).toBe(accepted);
    });

    it('reports the state after a non-IAB allocation', () => {
      expect(checkQuota(year(), { areaM2: 233_333.33, iab: false })).toEqual({
        ok: true,
        requestedM2: 233_333.33,
        approvedAfterM2: 2_233_333.33,
        iabApprovedAfterM2: 500_000,
        remainingAfterM2: 1_166_666.67, // 3 400 000 − 2 233 333.33
        availableToNonIabAfterM2: 1_000_000, // 1 166 666.67 − 166 666.67
      });
    });

    it('once IAB approvals exceed the reserve, the reserve no longer shrinks the non-IAB share', () => {
      // IAB 1 000 000 > reserve 666 666.67 → unused 0; remaining 1 400 000 is all available
      expect(checkQuota(year({ iabApprovedM2: 1_000_000 }), { areaM2: 1_400_000, iab: false }).ok).toBe(true);
    });

    it('refuses with both figures in 亩: "剩余指标 12.34 亩，本次需 20.00 亩"', () => {
      // remaining 8 226.67 m² = 12.340005 亩 → "12.34 亩"; 13 333.33 m² = 19.999995 亩 → "20.00 亩"
      const r = checkQuota(
        { quotaM2: 3_400_000, iabReserveM2: 0, approvedM2: '3391773.33', iabApprovedM2: 0 },
        { areaM2: '13333.33', iab: false },
      );
      expect(r).toEqual({
        ok: false,
        code: 'QUOTA_EXCEEDED',
        remainingM2: 8226.67,
        availableM2: 8226.67,
        requestedM2: 13_333.33,
        iabReserveM2: 0,
        availableToNonIabM2: 8226.67,
        messageZh: '剩余指标 12.34 亩，本次需 20.00 亩',
        messageEn: 'Remaining quota 12.34 mu; this allocation needs 20.00 mu',
      });
    });

    it('a non-IAB refusal caused by the reserve says so', () => {
      // available 1 233 333.33 m² = 1 850.00 亩 (1 849.999995); reserved 166 666.67 m² = 250.00 亩
      const r = checkQuota(year(), { areaM2: 1_400_000, iab: false });
      expect(r).toMatchObject({ ok: false, code: 'QUOTA_EXCEEDED', remainingM2: 1_400_000, availableM2: 1_233_333.33, availableToNonIabM2: 1_233_333.33 });
      expect(r.ok ? '' : 'messageZh' in r ? r.messageZh : '').toBe('剩余指标 1,850.00 亩，本次需 2,100.00 亩（另有 IAB 预留 250.00 亩，非IAB项目不可占用）');
    });

    it.each([
      ['areaM2', year(), { areaM2: 0, iab: true }],
      ['areaM2', year(), { areaM2: '1.001', iab: true }],
      ['iabApprovedM2', year({ iabApprovedM2: 2_500_000 }), { areaM2: 1, iab: true }],
      ['iabReserveM2', year({ iabReserveM2: 3_500_000 }), { areaM2: 1, iab: true }],
      ['approvedM2', year({ approvedM2: 3_500_000 }), { areaM2: 1, iab: true }],
      // non-IAB approved 2 900 000 > quota − reserve 2 733 333.33: an inconsistent state
      ['approvedM2', year({ approvedM2: 3_400_000 }), { areaM2: 1, iab: true }],
    ] as const)('refuses bad input or an inconsistent state (field %s)', (field, state, req) => {
      expect(checkQuota(state, req)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
    });

    it('property: any sequence of accepted allocations keeps both invariants', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 100_000_000 }) /* reserve, hundredths of m² */,
          fc.array(fc.record({ areaH: fc.integer({ min: 1, max: 60_000_000 }), iab: fc.boolean() }), { maxLength: 40 }),
          (reserveH, requests) => {
            const quotaH = 400_000_000; // 4 000 000.00 m²
            let approved = 0;
            let iabApproved = 0;
            for (const { areaH, iab } of requests) {
              const r = checkQuota(
                { quotaM2: quotaH / 100, iabReserveM2: (reserveH / 100).toFixed(2), approvedM2: (approved / 100).toFixed(2), iabApprovedM2: (iabApproved / 100).toFixed(2) },
                { areaM2: (areaH / 100).toFixed(2), iab },
              );
              expect('code' in r ? r.code : 'OK').not.toBe('VALIDATION_FAILED');
              if (r.ok) {
                approved += areaH;
                if (iab) iabApproved += areaH;
              }
              expect(approved).toBeLessThanOrEqual(quotaH);
              expect(approved - iabApproved).toBeLessThanOrEqual(quotaH - reserveH);
            }
          },
        ),
      );
    });
  });

  describe('validateQuotaSetting: quota ≥ 5000 亩 (exact), 0 ≤ reserve ≤ quota', () => {
    it.each([
      // 5000 亩 = 10 000 000 / 3 m² = 3 333 333.333… m²; at 2 decimals the least passing value
      // is 3 333 333.34 (3 × 333 333 334 = 1 000 000 002 ≥ 1 000 000 000)
      ['3333333.34', true],
      ['3333333.33', false], // 3 × 333 333 333 = 999 999 999 < 1 000 000 000
      [4_000_000, true],
    ])('quota %s m² → ok %s', (quotaM2, accepted) => {
      const r = validateQuotaSetting({ quotaM2, iabReserveM2: 0 });
      expect(r.ok).toBe(accepted);
      if (!accepted) {
        expect(r).toMatchObject({ code: 'QUOTA_BELOW_MINIMUM', minimumM2: 3_333_333.34, minimumMu: 5000, quotaM2: 3_333_333.33 });
        expect('messageZh' in r ? r.messageZh : '').toBe('年度工业用地指标不得少于 5000 亩（3,333,333.34 平方米），本次设置 5,000.00 亩');
      }
    });

    it('the minimum is configurable', () => {
      expect(validateQuotaSetting({ quotaM2: 1_000_000, iabReserveM2: 0, params: { ...DEFAULTS, annualQuotaMinimumMu: 1000 } }).ok).toBe(true);
    });

    it.each([
      ['reserve above quota', { quotaM2: 3_400_000, iabReserveM2: '3400000.01' }, 'iabReserveM2'],
      ['negative reserve', { quotaM2: 3_400_000, iabReserveM2: -1 }, 'iabReserveM2'],
      ['three decimals', { quotaM2: '3400000.001', iabReserveM2: 0 }, 'quotaM2'],
    ])('%s → VALIDATION_FAILED', (_n, input, field) => {
      expect(validateQuotaSetting(input)).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
    });

    it('reserve = quota is allowed', () => {
      expect(validateQuotaSetting({ quotaM2: 3_400_000, iabReserveM2: 3_400_000 }).ok).toBe(true);
    });

    it.each([
      // lowering the quota below what is approved
      [{ quotaM2: 3_400_000, iabReserveM2: 0, approvedM2: '3400000.01', iabApprovedM2: 0 }, false],
      // non-IAB approved 2 000 000 > quota 3 400 000 − reserve 1 400 000.01
      [{ quotaM2: 3_400_000, iabReserveM2: '1400000.01', approvedM2: 2_000_000, iabApprovedM2: 0 }, false],
      [{ quotaM2: 3_400_000, iabReserveM2: 1_400_000, approvedM2: 2_000_000, iabApprovedM2: 0 }, true],
    ])('with current approvals %o → ok %s', (input, accepted) => {
      const r = validateQuotaSetting(input);
      expect(r.ok).toBe(accepted);
      if (!accepted) expect(r).toMatchObject({ code: 'QUOTA_BELOW_APPROVED' });
    });
  });

  describe('supplyShortfall against the 5000 亩 target', () => {
    it.each([
      // 3 333 333.34 (ceil) − 3 000 000 = 333 333.34 m²
      [3_000_000, false, 333_333.34],
      ['3333333.34', true, 0],
      [0, false, 3_333_333.34],
    ])('approved %s m² → met %s, shortfall %s m²', (approvedM2, met, shortfallM2) => {
      expect(supplyShortfall({ approvedM2 })).toEqual({ ok: true, metTarget: met, shortfallM2, targetM2: 3_333_333.34, targetMu: 5000 });
    });
  });
});
