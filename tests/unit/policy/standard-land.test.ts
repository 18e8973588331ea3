/**
 * 标准地 conditions: reading them from untrusted input (every bad field named with its reason) and
 * checking a project against them at their edges — minima and maxima met at equality, exact
 * gaps, a condition not set or a figure not given left unchecked, deadlines counted in months
 * as 民法典 art. 201 counts them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addMonths,
  conditionsMet,
  NO_CONDITIONS,
  validateConditions,
  type ConditionProblem,
  type PlotConditions,
} from '../../../shared/policy/standard-land.ts';

const full: PlotConditions = {
  investmentIntensityYuanPerM2Min: 8_000,
  plotRatioMin: 2,
  plotRatioMax: 4.5,
  outputPerMuYuanMin: 2_000_000,
  taxPerMuYuanMin: 150_000,
  energyTcePer10kYuanMax: 0.25,
  pollutionCategory: 'class_2',
  notes: '区域环评已完成',
  startWithinMonths: 6,
  completeWithinMonths: 30,
};

const problemsOf = (raw: unknown): ConditionProblem[] => {
  const r = validateConditions(raw);
  return r.ok ? [] : [...r.problems];
};
const reasons = (raw: unknown) => problemsOf(raw).map((p) => [p.field, p.reason]);

describe('validateConditions', () => {
  it('accepts a full set, and reads null, missing and blank fields as not set', () => {
    expect(validateConditions(full)).toEqual({ ok: true, conditions: full });
    expect(validateConditions({})).toEqual({ ok: true, conditions: NO_CONDITIONS });
    expect(validateConditions(null)).toEqual({ ok: true, conditions: NO_CONDITIONS });
    expect(validateConditions({ plotRatioMin: null, notes: '  ', taxPerMuYuanMin: '' })).toEqual({ ok: true, conditions: NO_CONDITIONS });
  });

  it('reads plain decimal strings (a CSV cell) as numbers', () => {
    const r = validateConditions({ plotRatioMin: ' 1.5 ', plotRatioMax: '3', startWithinMonths: '12', energyTcePer10kYuanMax: '0.1234' });
    expect(r).toEqual({ ok: true, conditions: { ...NO_CONDITIONS, plotRatioMin: 1.5, plotRatioMax: 3, startWithinMonths: 12, energyTcePer10kYuanMax: 0.1234 } });
  });

  it('names non-finite, non-numeric and negative figures per field', () => {
    expect(reasons({ investmentIntensityYuanPerM2Min: Number.NaN, plotRatioMin: Number.POSITIVE_INFINITY, outputPerMuYuanMin: 'lots', taxPerMuYuanMin: -1 })).toEqual([
      ['investmentIntensityYuanPerM2Min', 'not_finite'],
      ['plotRatioMin', 'not_finite'],
      ['outputPerMuYuanMin', 'not_a_number'],
      ['taxPerMuYuanMin', 'negative'],
    ]);
    expect(reasons({ taxPerMuYuanMin: true })).toEqual([['taxPerMuYuanMin', 'not_a_number']]);
    expect(reasons({ taxPerMuYuanMin: '1e5' })).toEqual([['taxPerMuYuanMin', 'not_a_number']]);
  });

  it('allows a minimum of 0 but not a maximum of 0', () => {
    expect(validateConditions({ plotRatioMin: 0, taxPerMuYuanMin: 0 }).ok).toBe(true);
    expect(reasons({ plotRatioMax: 0, energyTcePer10kYuanMax: 0 })).toEqual([['plotRatioMax', 'not_positive'], ['energyTcePer10kYuanMax', 'not_positive']]);
  });

  it('limits decimals: 2 for yuan and plot ratio, 4 for energy', () => {
    expect(reasons({ plotRatioMin: 1.234, investmentIntensityYuanPerM2Min: 0.001, energyTcePer10kYuanMax: 0.12345 })).toEqual([
      ['investmentIntensityYuanPerM2Min', 'too_many_decimals'],
      ['plotRatioMin', 'too_many_decimals'],
      ['energyTcePer10kYuanMax', 'too_many_decimals'],
    ]);
    expect(validateConditions({ plotRatioMin: 0.29, energyTcePer10kYuanMax: 0.0001 }).ok).toBe(true);
    expect(reasons({ outputPerMuYuanMin: 1e20 })).toEqual([['outputPerMuYuanMin', 'too_large']]);
  });

  it('refuses a plot-ratio minimum above the maximum; equal is a fixed ratio', () => {
    expect(reasons({ plotRatioMin: 3.01, plotRatioMax: 3 })).toEqual([['plotRatioMax', 'min_above_max']]);
    expect(validateConditions({ plotRatioMin: 3, plotRatioMax: 3 }).ok).toBe(true);
    const [p] = problemsOf({ plotRatioMin: 5, plotRatioMax: 3 });
    expect(p?.messageZh).toContain('容积率下限（5）高于上限（3）');
    expect(p?.messageEn).toContain('above the maximum');
  });

  it('months are whole, 1–120, and completion not before start', () => {
    expect(reasons({ startWithinMonths: 1.5 })).toEqual([['startWithinMonths', 'not_whole_months']]);
    expect(reasons({ startWithinMonths: 0 })).toEqual([['startWithinMonths', 'months_out_of_range']]);
    expect(reasons({ completeWithinMonths: 121 })).toEqual([['completeWithinMonths', 'months_out_of_range']]);
    expect(reasons({ startWithinMonths: -3 })).toEqual([['startWithinMonths', 'months_out_of_range']]);
    expect(validateConditions({ startWithinMonths: 1, completeWithinMonths: 120 }).ok).toBe(true);
    expect(reasons({ startWithinMonths: 12, completeWithinMonths: 11 })).toEqual([['completeWithinMonths', 'complete_before_start']]);
    expect(validateConditions({ startWithinMonths: 12, completeWithinMonths: 12 }).ok).toBe(true);
  });

  it('knows the pollution categories, limits notes, and names unknown fields', () => {
    expect(reasons({ pollutionCategory: 'class_4' })).toEqual([['pollutionCategory', 'unknown_category']]);
    expect(reasons({ notes: 42 })).toEqual([['notes', 'not_text']]);
    expect(reasons({ notes: '字'.repeat(2001) })).toEqual([['notes', 'too_long']]);
    expect(validateConditions({ notes: '字'.repeat(2000) }).ok).toBe(true);
    expect(reasons({ plotRatioMinn: 1 })).toEqual([['plotRatioMinn', 'unknown_field']]);
    expect(reasons([1, 2])).toEqual([['conditions', 'not_an_object']]);
    expect(reasons('x')).toEqual([['conditions', 'not_an_object']]);
  });

  it('every problem carries both messages', () => {
    for (const p of problemsOf({ plotRatioMin: -1, startWithinMonths: 0.5, pollutionCategory: 'x', foo: 1 })) {
      expect(p.messageZh.length).toBeGreaterThan(0);
      expect(p.messageEn.length).toBeGreaterThan(0);
    }
  });

  it('any valid set round-trips through validation unchanged (property)', () => {
    const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
    const money = fc.integer({ min: 0, max: 10_000_000_00 }).map((c) => c / 100);
    fc.assert(fc.property(
      opt(money), opt(fc.integer({ min: 0, max: 500 })), opt(fc.integer({ min: 1, max: 500 })), opt(money), opt(money),
      opt(fc.integer({ min: 1, max: 99_999 })), opt(fc.integer({ min: 1, max: 120 })),
      (inv, rMin, rMax, out, tax, energy, months) => {
        const c: PlotConditions = {
          ...NO_CONDITIONS,
          investmentIntensityYuanPerM2Min: inv,
          plotRatioMin: rMin === null ? null : rMin / 100,
          plotRatioMax: rMax === null ? null : Math.max(rMax, rMin ?? 0) / 100 || null,
          outputPerMuYuanMin: out,
          taxPerMuYuanMin: tax,
          energyTcePer10kYuanMax: energy === null ? null : energy / 10_000,
          startWithinMonths: months,
          completeWithinMonths: months,
        };
        expect(validateConditions(c)).toEqual({ ok: true, conditions: c });
      },
    ));
  });
});

describe('addMonths (民法典 art. 201)', () => {
  it('lands on the same day, or the month’s last day', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2023-01-31', 1)).toBe('2023-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2023-11-15', 2)).toBe('2024-01-15');
    expect(addMonths('2023-03-31', 120)).toBe('2033-03-31');
    expect(() => addMonths('2023-02-30', 1)).toThrow(RangeError);
  });
});

describe('conditionsMet', () => {
  it('with no conditions, everything is unchecked (not set) and ok', () => {
    const r = conditionsMet(NO_CONDITIONS, { outputPerMuYuan: 1, taxPerMuYuan: 1 });
    expect(r.ok).toBe(true);
    expect(r.met).toEqual([]);
    expect(r.unmet).toEqual([]);
    expect(r.unchecked).toHaveLength(9);
    expect(r.unchecked.every((u) => u.reason === 'not_set')).toBe(true);
  });

  it('a condition set with no figure is unchecked (no_figure), not a failure', () => {
    const r = conditionsMet(full, {});
    expect(r.ok).toBe(true);
    expect(r.unchecked.map((u) => u.reason)).toEqual(Array(9).fill('no_figure'));
  });

  it('minima and maxima are met at exactly the threshold', () => {
    const r = conditionsMet(full, {
      investmentIntensityYuanPerM2: 8_000, plotRatio: 2, outputPerMuYuan: 2_000_000, taxPerMuYuan: 150_000,
      energyTcePer10kYuan: 0.25, pollutionCategory: 'class_2',
    });
    expect(r.unmet).toEqual([]);
    expect(r.met).toEqual(['investmentIntensityYuanPerM2Min', 'plotRatioMin', 'plotRatioMax', 'outputPerMuYuanMin', 'taxPerMuYuanMin', 'energyTcePer10kYuanMax', 'pollutionCategory']);
    expect(conditionsMet(full, { plotRatio: 4.5 }).met).toEqual(['plotRatioMin', 'plotRatioMax']);
  });

  it('one yuan (or one hundredth) off is unmet, with the gap', () => {
    const r = conditionsMet(full, {
      investmentIntensityYuanPerM2: 7_999.99, outputPerMuYuan: 1_999_999, taxPerMuYuan: 149_999, energyTcePer10kYuan: 0.2501, pollutionCategory: 'class_3',
    });
    expect(r.ok).toBe(false);
    expect(r.unmet).toEqual([
      { field: 'investmentIntensityYuanPerM2Min', unit: 'yuan_per_m2', required: 8_000, actual: 7_999.99, gap: 0.01 },
      { field: 'outputPerMuYuanMin', unit: 'yuan_per_mu', required: 2_000_000, actual: 1_999_999, gap: 1 },
      { field: 'taxPerMuYuanMin', unit: 'yuan_per_mu', required: 150_000, actual: 149_999, gap: 1 },
      { field: 'energyTcePer10kYuanMax', unit: 'tce_per_10k_yuan', required: 0.25, actual: 0.2501, gap: 0.0001 },
      { field: 'pollutionCategory', unit: 'category', required: 'class_2', actual: 'class_3', gap: null },
    ]);
  });

  it('gaps are exact decimals, not float drift', () => {
    const low = conditionsMet({ ...NO_CONDITIONS, plotRatioMin: 1.2 }, { plotRatio: 1.1 });
    expect(low.unmet[0]?.gap).toBe(0.1);
    const high = conditionsMet({ ...NO_CONDITIONS, plotRatioMax: 0.3 }, { plotRatio: 0.7 });
    expect(high.unmet[0]).toMatchObject({ field: 'plotRatioMax', gap: 0.4 });
  });

  it('a plot ratio outside the range fails only the side it crosses', () => {
    expect(conditionsMet(full, { plotRatio: 1.99 }).unmet.map((u) => u.field)).toEqual(['plotRatioMin']);
    expect(conditionsMet(full, { plotRatio: 4.51 }).unmet.map((u) => u.field)).toEqual(['plotRatioMax']);
  });

  it('a cleaner pollution class meets the condition', () => {
    expect(conditionsMet({ ...NO_CONDITIONS, pollutionCategory: 'class_2' }, { pollutionCategory: 'class_1' }).ok).toBe(true);
    expect(conditionsMet({ ...NO_CONDITIONS, pollutionCategory: 'class_1' }, { pollutionCategory: 'class_2' }).ok).toBe(false);
  });

  it('refuses a non-finite figure', () => {
    expect(() => conditionsMet(full, { taxPerMuYuan: Number.NaN })).toThrow(RangeError);
  });

  describe('deadlines', () => {
    const c: PlotConditions = { ...NO_CONDITIONS, startWithinMonths: 6, completeWithinMonths: 24 };
    const from = '2023-08-31'; // start due 2024-02-29, completion due 2025-08-31

    it('a start on the deadline meets it; a day later misses it by a day', () => {
      expect(conditionsMet(c, { deadlinesFrom: from, startedOn: '2024-02-29' }).met).toEqual(['startWithinMonths']);
      expect(conditionsMet(c, { deadlinesFrom: from, startedOn: '2024-03-01' }).unmet).toEqual([
        { field: 'startWithinMonths', unit: 'date', required: '2024-02-29', actual: '2024-03-01', gap: 1 },
      ]);
    });

    it('not yet started: pending up to the deadline, unmet after it (gap = days past)', () => {
      expect(conditionsMet(c, { deadlinesFrom: from, asOf: '2024-02-29' }).unchecked.filter((u) => u.reason !== 'not_set')).toEqual([
        { field: 'startWithinMonths', reason: 'pending' },
        { field: 'completeWithinMonths', reason: 'pending' },
      ]);
      expect(conditionsMet(c, { deadlinesFrom: from, asOf: '2024-03-10' }).unmet).toEqual([
        { field: 'startWithinMonths', unit: 'date', required: '2024-02-29', actual: '2024-03-10', gap: 10 },
      ]);
    });

    it('a start dated after the day judged on has not happened yet', () => {
      const r = conditionsMet(c, { deadlinesFrom: from, startedOn: '2024-01-10', asOf: '2024-01-01' });
      expect(r.unchecked).toContainEqual({ field: 'startWithinMonths', reason: 'pending' });
    });

    it('without the day the months count from, or without a day judged on, deadlines are unchecked', () => {
      expect(conditionsMet(c, { startedOn: '2030-01-01' }).unchecked).toContainEqual({ field: 'startWithinMonths', reason: 'no_figure' });
      expect(conditionsMet(c, { deadlinesFrom: from }).unchecked).toContainEqual({ field: 'completeWithinMonths', reason: 'no_figure' });
    });

    it('completion is judged on its own deadline', () => {
      const r = conditionsMet(c, { deadlinesFrom: from, startedOn: '2024-01-01', completedOn: '2025-09-02', asOf: '2025-10-01' });
      expect(r.met).toEqual(['startWithinMonths']);
      expect(r.unmet).toEqual([{ field: 'completeWithinMonths', unit: 'date', required: '2025-08-31', actual: '2025-09-02', gap: 2 }]);
    });

    it('refuses a malformed date', () => {
      expect(() => conditionsMet(c, { deadlinesFrom: '2023-13-01' })).toThrow(RangeError);
      expect(() => conditionsMet(c, { deadlinesFrom: from, startedOn: '2024/01/01' })).toThrow(RangeError);
    });
  });

  it('every set condition lands in exactly one of met, unmet and unchecked (property)', () => {
    const fig = fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: null });
    fc.assert(fc.property(fig, fig, fig, fig, (inv, ratio, out, tax) => {
      const r = conditionsMet(full, { investmentIntensityYuanPerM2: inv, plotRatio: ratio === null ? null : ratio / 100_000, outputPerMuYuan: out, taxPerMuYuan: tax });
      const fields = [...r.met, ...r.unmet.map((u) => u.field), ...r.unchecked.map((u) => u.field)];
      expect(fields.slice().sort()).toEqual(['completeWithinMonths', 'energyTcePer10kYuanMax', 'investmentIntensityYuanPerM2Min', 'outputPerMuYuanMin', 'plotRatioMax', 'plotRatioMin', 'pollutionCategory', 'startWithinMonths', 'taxPerMuYuanMin']);
      expect(r.ok).toBe(r.unmet.length === 0);
      for (const u of r.unmet) if (u.gap !== null) expect(u.gap).toBeGreaterThan(0);
    }));
  });
});
