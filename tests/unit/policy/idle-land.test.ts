/**
 * The idle-land rules of 《闲置土地处置办法》 at their edges: the full year counted as 民法典
 * art. 201 counts it (364/365/366 days, across a 29 February), the ⅓-area and 25 %-investment
 * marks of a started plot, government delays (art. 8) and the fee to the fen (art. 14).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, addYears, assessIdleLand, daysBetween, idleFeeFen, type IdleInput } from '../../../shared/policy/idle-land.ts';

const base: IdleInput = {
  agreedStartOn: '2022-06-30',
  priceFen: 12_345_678_91n,
  areaM2: 30_000,
  totalInvestmentFen: 200_000_000_00n,
  startedOn: null,
  progress: [],
  completedOn: null,
  governmentDelayDays: [],
  asOf: '2022-06-30',
};
const at = (agreedStartOn: string, daysLate: number, extra: Partial<IdleInput> = {}) =>
  assessIdleLand({ ...base, agreedStartOn, asOf: addDays(agreedStartOn, daysLate), ...extra });

describe('calendar arithmetic', () => {
  it('adds years to the same date, or the month’s last day when there is none', () => {
    expect(addYears('2023-03-01', 1)).toBe('2024-03-01');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
    expect(addYears('2023-12-31', 2)).toBe('2025-12-31');
  });
  it('counts days across a leap year', () => {
    expect(daysBetween('2023-03-01', '2024-03-01')).toBe(366);
    expect(daysBetween('2022-03-01', '2023-03-01')).toBe(365);
  });
});

describe('not started: one full year after the agreed start (art. 2, 14)', () => {
  it('on the agreed day itself nothing is late; the next day is overdue', () => {
    expect(at('2022-06-30', 0).stage).toBe('on_track');
    const d1 = at('2022-06-30', 1);
    expect(d1).toMatchObject({ stage: 'overdue', kind: 'not_started', daysLate: 1, feeFen: null });
  });

  it('in an ordinary year: 364 and 365 days late are overdue, 366 is idle with a fee', () => {
    // 2022-06-30 → 2023-06-30: no 29 February in between.
    expect(at('2022-06-30', 364).stage).toBe('overdue');
    expect(at('2022-06-30', 365).stage).toBe('overdue');
    const idle = at('2022-06-30', 366);
    expect(idle).toMatchObject({ stage: 'idle_fee', kind: 'not_started', daysLate: 366, idleFrom: '2023-07-01' });
    expect(idle.feeFen).toBe(idleFeeFen(base.priceFen));
  });

  it('across a 29 February the year has 366 days: 365 and 366 days late are still overdue, 367 is idle', () => {
    // 2023-06-30 → 2024-06-30 holds 2024-02-29.
    expect(at('2023-06-30', 364).stage).toBe('overdue');
    expect(at('2023-06-30', 365).stage).toBe('overdue');
    expect(at('2023-06-30', 366).stage).toBe('overdue');
    expect(at('2023-06-30', 367)).toMatchObject({ stage: 'idle_fee', idleFrom: '2024-07-01' });
  });

  it('from a 29 February the year ends on 28 February (no such date next year)', () => {
    expect(at('2024-02-29', 365).stage).toBe('overdue'); // 2025-02-28, the period's last day
    expect(at('2024-02-29', 366)).toMatchObject({ stage: 'idle_fee', idleFrom: '2025-03-01' });
  });

  it('two full years without a start: reclaim (无偿收回), pending a decision, with no fee', () => {
    const lastIdleDay = at('2022-06-30', daysBetween('2022-06-30', '2024-06-30'));
    expect(lastIdleDay.stage).toBe('idle_fee');
    const reclaim = at('2022-06-30', daysBetween('2022-06-30', '2024-07-01'));
    expect(reclaim).toMatchObject({ stage: 'reclaim', kind: 'not_started', feeFen: null, reclaimFrom: '2024-07-01' });
    expect(reclaim.basisZh).toContain('无偿收回');
    expect(reclaim.basisEn).toContain('art. 14');
  });

  it('a start, or a completion, ends it', () => {
    expect(at('2022-06-30', 500, { startedOn: '2022-09-01', progress: [{ on: '2023-10-01', developedAreaM2: 12_000, investedFen: 80_000_000_00n }] }).stage).toBe('on_track');
    expect(at('2022-06-30', 900, { startedOn: '2022-07-01', completedOn: '2023-12-01' }).stage).toBe('on_track');
  });

  it('a start recorded after the day judged on does not count yet', () => {
    expect(at('2022-06-30', 400, { startedOn: addDays('2022-06-30', 401) }).stage).toBe('idle_fee');
  });
});

describe('government delays (art. 8) move the dates', () => {
  it('90 recorded days turn an idle plot back into an overdue one, and the basis says so', () => {
    expect(at('2022-06-30', 400).stage).toBe('idle_fee');
    const delayed = at('2022-06-30', 400, { governmentDelayDays: [60, 30] });
    expect(delayed).toMatchObject({ stage: 'overdue', governmentDelayDays: 90, adjustedStartOn: '2022-09-28', daysLate: 310, feeFen: null });
    expect(delayed.basisZh).toContain('政府原因延误 90 日');
    expect(delayed.basisEn).toContain('art. 8');
  });

  it('a delay never adds to the fee: past the moved year the fee is the same 20 %', () => {
    const delayed = at('2022-06-30', 500, { governmentDelayDays: [90] });
    expect(delayed.stage).toBe('idle_fee');
    expect(delayed.feeFen).toBe(idleFeeFen(base.priceFen));
  });

  it('refuses a negative or fractional delay', () => {
    expect(() => at('2022-06-30', 10, { governmentDelayDays: [-1] })).toThrow(RangeError);
    expect(() => at('2022-06-30', 10, { governmentDelayDays: [1.5] })).toThrow(RangeError);
  });
});

describe('started but stopped short of ⅓ of the area or 25 % of the investment (art. 2)', () => {
  const started = { startedOn: '2022-08-01' };
  const stoppedFor = (days: number, report: { developedAreaM2: number; investedFen: bigint }, extra: Partial<IdleInput> = {}) =>
    assessIdleLand({ ...base, ...started, progress: [{ on: '2023-01-10', ...report }], asOf: addDays('2023-01-10', days), ...extra });

  it('below ⅓ of the area and stopped a full year: idle; exactly ⅓ is not below the mark', () => {
    expect(stoppedFor(366, { developedAreaM2: 9_999.99, investedFen: 100_000_000_00n })).toMatchObject({ stage: 'idle_fee', kind: 'stalled' });
    expect(stoppedFor(366, { developedAreaM2: 10_000, investedFen: 100_000_000_00n }).stage).toBe('on_track');
  });

  it('below 25 % of the investment: idle; exactly 25 % is not below the mark', () => {
    expect(stoppedFor(366, { developedAreaM2: 20_000, investedFen: 49_999_999_99n }).stage).toBe('idle_fee');
    expect(stoppedFor(366, { developedAreaM2: 20_000, investedFen: 50_000_000_00n }).stage).toBe('on_track');
  });

  it('without an agreed total investment only the area mark applies', () => {
    expect(stoppedFor(366, { developedAreaM2: 20_000, investedFen: 0n }, { totalInvestmentFen: null }).stage).toBe('on_track');
  });

  it('a stop shorter than a full year is not a warning; the clock runs from the last progress', () => {
    expect(stoppedFor(365, { developedAreaM2: 1_000, investedFen: 0n }).stage).toBe('on_track');
    const later = assessIdleLand({
      ...base, ...started, asOf: '2024-01-20',
      progress: [{ on: '2023-01-10', developedAreaM2: 1_000, investedFen: 0n }, { on: '2023-06-01', developedAreaM2: 2_000, investedFen: 0n }],
    });
    expect(later.stage).toBe('on_track'); // stopped since 2023-06-01: less than a year
  });

  it('with no progress recorded, the clock runs from the start', () => {
    const r = assessIdleLand({ ...base, ...started, asOf: '2023-08-02' });
    expect(r).toMatchObject({ stage: 'idle_fee', kind: 'stalled', daysLate: 366 });
  });
});

describe('the fee is 20 % of the price to the fen, half up', () => {
  it('rounds half up at the fen', () => {
    expect(idleFeeFen(12_345_678_91n)).toBe(2_469_135_78n); // 20 % of ¥12,345,678.91 = ¥2,469,135.782 → ¥2,469,135.78
    expect(idleFeeFen(3n)).toBe(1n); // 0.6 fen → 1
    expect(idleFeeFen(2n)).toBe(0n); // 0.4 fen → 0
    expect(idleFeeFen(5n)).toBe(1n); // exactly 1 fen
    expect(idleFeeFen(0n)).toBe(0n);
    expect(() => idleFeeFen(-1n)).toThrow(RangeError);
  });

  it('is within half a fen of the exact fifth of the price (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (p) => {
      const fee = idleFeeFen(p);
      const diff = fee * 5n - p; // exact fifth: p / 5
      return diff * 2n <= 5n && diff * 2n > -5n;
    }));
  });
});

describe('input', () => {
  it('refuses a malformed date', () => {
    expect(() => assessIdleLand({ ...base, asOf: '2023-02-30' })).toThrow(RangeError);
    expect(() => assessIdleLand({ ...base, agreedStartOn: '30/06/2022' })).toThrow(RangeError);
  });
});
