/**
 * 五(三)12 green channel and 五(三)11 IAB tilt, as the shared rules decide them (server and client).
 */
import { describe, expect, it } from 'vitest';
import { greenChannel, iabTilt, reserveShareBp } from '../../../shared/policy/index.ts';

describe('greenChannel (五(三)12)', () => {
  it('is on for a core park or a key IAB project, and says which', () => {
    expect(greenChannel({ parkTier: 'core', keyProject: false })).toEqual({ greenChannel: true, reasons: ['core_park'] });
    expect(greenChannel({ parkTier: 'recognized', keyProject: true })).toEqual({ greenChannel: true, reasons: ['key_project'] });
    expect(greenChannel({ parkTier: 'core', keyProject: true })).toEqual({ greenChannel: true, reasons: ['core_park', 'key_project'] });
  });

  it('is off for the other tiers, or no park, without a key project', () => {
    for (const parkTier of ['equal_policy', 'recognized', null] as const) {
      expect(greenChannel({ parkTier, keyProject: false })).toEqual({ greenChannel: false, reasons: [] });
    }
  });
});

describe('iabTilt (五(三)11)', () => {
  it('sets the IAB share of approved land against the reserve, in basis points', () => {
    expect(iabTilt({ quotaM2: 4_000_000, iabReserveM2: 1_000_000, approvedM2: 40_000, iabApprovedM2: 30_000 })).toEqual({
      ok: true, iabReserveM2: 1_000_000, reserveShareBp: 2500, iabApprovedM2: 30_000, iabShareBp: 7500, iabOfQuotaBp: 75,
      reserveUsedM2: 30_000, reserveUsedBp: 300, unusedReserveM2: 970_000,
    });
  });

  it('caps the reserve used at the reserve, and has no ratio for a reserve of 0', () => {
    const over = iabTilt({ quotaM2: 4_000_000, iabReserveM2: 10_000, approvedM2: 30_000, iabApprovedM2: 25_000 });
    expect(over).toMatchObject({ reserveUsedM2: 10_000, reserveUsedBp: 10_000, unusedReserveM2: 0, iabShareBp: 8333 });
    expect(iabTilt({ quotaM2: 4_000_000, iabReserveM2: 0, approvedM2: 0, iabApprovedM2: 0 })).toMatchObject({ reserveShareBp: 0, iabShareBp: 0, reserveUsedBp: null });
  });

  it('refuses an inconsistent state rather than report it', () => {
    expect(iabTilt({ quotaM2: 4_000_000, iabReserveM2: 5_000_000, approvedM2: 0, iabApprovedM2: 0 })).toMatchObject({ ok: false, field: 'iabReserveM2' });
  });

  it('gives the share a reserve means of the quota, rounded half up', () => {
    expect(reserveShareBp({ quotaM2: 3_333_333.34, iabReserveM2: 666_666.67 })).toBe(2000);
    expect(reserveShareBp({ quotaM2: 4_000_000, iabReserveM2: 666_666.67 })).toBe(1667);
    expect(reserveShareBp({ quotaM2: 4_000_000, iabReserveM2: 'x' })).toMatchObject({ ok: false, field: 'iabReserveM2' });
  });
});
