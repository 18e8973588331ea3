/**
 * 亩均 evaluation at its edges: per-亩 figures to the yuan, half up at .5, exact on an area of
 * hundredths of m² (1 亩 = 2000/3 m²); energy per 万元 and a zero output; grades A–D at exactly
 * their thresholds; the thresholds' own checks; conditions on the per-亩 figures; bad figures
 * refused with typed problems.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  energyPer10kYuan,
  evaluateYear,
  grade,
  meetsConditions,
  perMuFigures,
  perMuYuan,
  SAMPLE_MU_GRADE_THRESHOLDS as SAMPLE,
  validateThresholds,
  validateYearFigures,
  type MuGradeThresholds,
  type YearFigures,
} from '../../../shared/policy/mu-evaluation.ts';
import { NO_CONDITIONS, type PlotConditions } from '../../../shared/policy/standard-land.ts';
import { muToM2Hundredths } from '../../../shared/units.ts';

/** 2000 m² = exactly 3 亩. */
const THREE_MU = 200_000n;
const year: YearFigures = { outputFen: 3_000_000_00n, taxFen: 600_000_00n, energyTce: 150, employees: 40 };

describe('per-亩 figures', () => {
  it('divides by the plot’s 亩 exactly: ¥3,000,000 on 3 亩 is ¥1,000,000 per 亩', () => {
    expect(perMuFigures(year, THREE_MU)).toEqual({ ok: true, outputPerMuYuan: 1_000_000, taxPerMuYuan: 200_000, energyPer10kYuan: 0.5 });
    expect(muToM2Hundredths(3)).toBe(THREE_MU);
  });

  it('rounds half up at .5 yuan, once', () => {
    // 3 亩: ¥4.50 → ¥1.50 per 亩 → 2; ¥4.49 → 1.4966… → 1; ¥1.50 → 0.5 → 1; ¥1.49 → 0.4966… → 0
    expect(perMuYuan(450n, THREE_MU)).toBe(2n);
    expect(perMuYuan(449n, THREE_MU)).toBe(1n);
    expect(perMuYuan(150n, THREE_MU)).toBe(1n);
    expect(perMuYuan(149n, THREE_MU)).toBe(0n);
    expect(perMuYuan(0n, THREE_MU)).toBe(0n);
  });

  it('is exact where floats drift: an area that is not a whole number of 亩', () => {
    // 666.67 m² is 1.000005 亩: ¥100 → 99.9995… → 100; ¥1,000,000.01 on 0.01 m² (0.000015 亩)
    expect(perMuYuan(100_00n, 66_667n)).toBe(100n);
    expect(perMuYuan(1_000_000_01n, 1n)).toBe(66_666_667_333n);
    // 1 亩 as 666.67 m² and ¥0.10 × 3 of tax: float 0.1 + 0.2 never enters.
    expect(perMuYuan(30n, 66_667n)).toBe(0n);
  });

  it('is within half a yuan of the exact quotient, rounding .5 up (property)', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (fen, h) => {
      const q = perMuYuan(fen, h);
      // exact value n/d with n = fen·2000, d = 3h; half up: q − ½ ≤ n/d < q + ½
      const n = fen * 2000n;
      const d = 3n * h;
      expect(2n * d * q - d <= 2n * n).toBe(true);
      expect(2n * n < 2n * d * q + d).toBe(true);
    }));
  });

  it('energy per 万元 of output, to 4 decimals half up; null when there is no output', () => {
    expect(energyPer10kYuan(250, 1_000_000_000n)).toBe(0.25); // 250 tce on 1000 万元
    expect(energyPer10kYuan(1, 3_000_000n)).toBe(0.3333);
    expect(energyPer10kYuan(2, 3_000_000n)).toBe(0.6667);
    expect(energyPer10kYuan(0.5, 10_000_000_000n)).toBe(0.0001); // 0.00005 → 0.0001
    expect(energyPer10kYuan(0.4, 10_000_000_000n)).toBe(0); // 0.00004 → 0
    expect(energyPer10kYuan(0.1, 1_000_000n)).toBe(0.1);
    expect(energyPer10kYuan(0, 5_000_000n)).toBe(0);
    expect(energyPer10kYuan(12, 0n)).toBeNull();
    expect(perMuFigures({ ...year, outputFen: 0n }, THREE_MU)).toMatchObject({ ok: true, outputPerMuYuan: 0, energyPer10kYuan: null });
  });
});

describe('bad figures are refused with typed problems', () => {
  it('names each negative or non-finite figure', () => {
    const p = validateYearFigures({ outputFen: -1n, taxFen: -1n, energyTce: Number.NaN, employees: Number.POSITIVE_INFINITY }, THREE_MU);
    expect(p.map((x) => [x.field, x.reason])).toEqual([
      ['outputFen', 'negative'], ['taxFen', 'negative'], ['energyTce', 'not_finite'], ['employees', 'not_finite'],
    ]);
    expect(p[0]?.messageZh).toBe('产值不能为负数');
    expect(p[0]?.messageEn).toBe('Output must not be negative');
  });

  it('refuses negative energy, fractional or negative employees, and an area of 0', () => {
    expect(validateYearFigures({ ...year, energyTce: -0.1 }, THREE_MU).map((x) => x.reason)).toEqual(['negative']);
    expect(validateYearFigures({ ...year, energyTce: Number.NEGATIVE_INFINITY }, THREE_MU).map((x) => x.reason)).toEqual(['not_finite']);
    expect(validateYearFigures({ ...year, employees: 1.5 }, THREE_MU).map((x) => x.reason)).toEqual(['not_whole']);
    expect(validateYearFigures({ ...year, employees: -1 }, THREE_MU).map((x) => x.reason)).toEqual(['negative']);
    expect(validateYearFigures(year, 0n).map((x) => [x.field, x.reason])).toEqual([['areaM2Hundredths', 'not_positive']]);
    expect(validateYearFigures(year, -5n).map((x) => x.reason)).toEqual(['not_positive']);
  });

  it('refuses a per-亩 figure beyond exact numbers rather than rounding it', () => {
    expect(validateYearFigures({ ...year, outputFen: 10n ** 18n }, 1n).map((x) => [x.field, x.reason])).toEqual([['outputFen', 'too_large']]);
  });

  it('zero is a figure, not a problem', () => {
    expect(validateYearFigures({ outputFen: 0n, taxFen: 0n, energyTce: 0, employees: 0 }, 1n)).toEqual([]);
  });

  it('perMuFigures and evaluateYear return the problems instead of figures', () => {
    const r = perMuFigures({ ...year, taxFen: -100n }, THREE_MU);
    expect(r.ok).toBe(false);
    const e = evaluateYear({ ...year, taxFen: -100n }, THREE_MU, SAMPLE, NO_CONDITIONS);
    expect(e).toEqual({ ok: false, problems: [expect.objectContaining({ field: 'taxFen', reason: 'negative' })] });
    expect(() => perMuYuan(1n, 0n)).toThrow(RangeError);
  });
});

describe('grades', () => {
  it('the sample thresholds are flagged as sample and are well-formed', () => {
    expect(SAMPLE.sample).toBe(true);
    expect(SAMPLE.sourceZh).toContain('示例');
    expect(validateThresholds(SAMPLE)).toEqual([]);
  });

  it('a grade is reached at exactly both its minimums', () => {
    expect(grade({ taxPerMuYuan: 300_000, outputPerMuYuan: 5_000_000 }, SAMPLE)).toBe('A');
    expect(grade({ taxPerMuYuan: 150_000, outputPerMuYuan: 2_500_000 }, SAMPLE)).toBe('B');
    expect(grade({ taxPerMuYuan: 50_000, outputPerMuYuan: 1_000_000 }, SAMPLE)).toBe('C');
  });

  it('one yuan short of either minimum drops a grade', () => {
    expect(grade({ taxPerMuYuan: 299_999, outputPerMuYuan: 5_000_000 }, SAMPLE)).toBe('B');
    expect(grade({ taxPerMuYuan: 300_000, outputPerMuYuan: 4_999_999 }, SAMPLE)).toBe('B');
    expect(grade({ taxPerMuYuan: 49_999, outputPerMuYuan: 9_000_000 }, SAMPLE)).toBe('D');
    expect(grade({ taxPerMuYuan: 1_000_000, outputPerMuYuan: 999_999 }, SAMPLE)).toBe('D');
    expect(grade({ taxPerMuYuan: 0, outputPerMuYuan: 0 }, SAMPLE)).toBe('D');
  });

  it('the rounded figure is what is graded: ¥49,999.50 per 亩 of tax shows as 50,000 and is C', () => {
    // 3 亩 × ¥49,999.50 = ¥149,998.50; output 3 × ¥1,000,000
    const r = evaluateYear({ outputFen: 3_000_000_00n, taxFen: 149_998_50n, energyTce: 0, employees: 1 }, THREE_MU, SAMPLE, NO_CONDITIONS);
    expect(r).toMatchObject({ ok: true, taxPerMuYuan: 50_000, grade: 'C', thresholdsVersion: 'sample-1', thresholdsSample: true });
    const below = evaluateYear({ outputFen: 3_000_000_00n, taxFen: 149_998_49n, energyTce: 0, employees: 1 }, THREE_MU, SAMPLE, NO_CONDITIONS);
    expect(below).toMatchObject({ ok: true, taxPerMuYuan: 49_999, grade: 'D' });
  });

  it('more tax and more output never lower a grade (property)', () => {
    const rank = { A: 0, B: 1, C: 2, D: 3 } as const;
    const v = fc.integer({ min: 0, max: 20_000_000 });
    fc.assert(fc.property(v, v, v, v, (t, o, dt, dout) => {
      const before = grade({ taxPerMuYuan: t, outputPerMuYuan: o }, SAMPLE);
      const after = grade({ taxPerMuYuan: t + dt, outputPerMuYuan: o + dout }, SAMPLE);
      expect(rank[after]).toBeLessThanOrEqual(rank[before]);
    }));
  });

  it('grades from any bureau set, not the sample', () => {
    const bureau: MuGradeThresholds = {
      ...SAMPLE, version: 'gz-2026', sample: false, fromYear: 2026,
      A: { taxPerMuYuanMin: 10, outputPerMuYuanMin: 10 }, B: { taxPerMuYuanMin: 5, outputPerMuYuanMin: 5 }, C: { taxPerMuYuanMin: 0, outputPerMuYuanMin: 0 },
    };
    expect(validateThresholds(bureau)).toEqual([]);
    expect(grade({ taxPerMuYuan: 0, outputPerMuYuan: 0 }, bureau)).toBe('C'); // a C minimum of 0: nothing is D
    expect(grade({ taxPerMuYuan: 10, outputPerMuYuan: 10 }, bureau)).toBe('A');
  });

  it('a threshold set must be whole yuan, non-negative, ordered A ≥ B ≥ C, and versioned', () => {
    const bad: MuGradeThresholds = {
      ...SAMPLE, version: ' ', fromYear: 2026.5,
      A: { taxPerMuYuanMin: 100, outputPerMuYuanMin: 1.5 },
      B: { taxPerMuYuanMin: 200, outputPerMuYuanMin: 1 },
      C: { taxPerMuYuanMin: -1, outputPerMuYuanMin: 0 },
    };
    expect(validateThresholds(bad).map((p) => [p.field, p.reason])).toEqual([
      ['version', 'empty'],
      ['fromYear', 'not_whole'],
      ['A.outputPerMuYuanMin', 'not_whole'],
      ['C.taxPerMuYuanMin', 'negative'],
      ['A.taxPerMuYuanMin', 'not_ordered'],
    ]);
  });
});

describe('meetsConditions on the per-亩 figures', () => {
  const conditions: PlotConditions = { ...NO_CONDITIONS, outputPerMuYuanMin: 1_000_000, taxPerMuYuanMin: 200_000, energyTcePer10kYuanMax: 0.5, plotRatioMin: 2 };

  it('exactly at the minimums and the maximum: met; the other conditions are unchecked without figures', () => {
    const r = meetsConditions({ outputPerMuYuan: 1_000_000, taxPerMuYuan: 200_000, energyPer10kYuan: 0.5 }, conditions);
    expect(r.ok).toBe(true);
    expect(r.met).toEqual(['outputPerMuYuanMin', 'taxPerMuYuanMin', 'energyTcePer10kYuanMax']);
    expect(r.unchecked).toContainEqual({ field: 'plotRatioMin', reason: 'no_figure' });
  });

  it('names each unmet condition and its gap', () => {
    const r = meetsConditions({ outputPerMuYuan: 999_000, taxPerMuYuan: 150_000, energyPer10kYuan: 0.6 }, conditions);
    expect(r.unmet).toEqual([
      { field: 'outputPerMuYuanMin', unit: 'yuan_per_mu', required: 1_000_000, actual: 999_000, gap: 1_000 },
      { field: 'taxPerMuYuanMin', unit: 'yuan_per_mu', required: 200_000, actual: 150_000, gap: 50_000 },
      { field: 'energyTcePer10kYuanMax', unit: 'tce_per_10k_yuan', required: 0.5, actual: 0.6, gap: 0.1 },
    ]);
  });

  it('no output: the energy condition cannot be checked, the output one fails', () => {
    const r = evaluateYear({ outputFen: 0n, taxFen: 0n, energyTce: 3, employees: 0 }, THREE_MU, SAMPLE, conditions);
    if (!r.ok) throw new Error('expected figures');
    expect(r.grade).toBe('D');
    expect(r.meetsConditions.unchecked).toContainEqual({ field: 'energyTcePer10kYuanMax', reason: 'no_figure' });
    expect(r.meetsConditions.unmet.map((u) => u.field)).toEqual(['outputPerMuYuanMin', 'taxPerMuYuanMin']);
  });

  it('passes the caller’s other figures through', () => {
    const r = meetsConditions({ outputPerMuYuan: 1_000_000, taxPerMuYuan: 200_000, energyPer10kYuan: 0.1 }, conditions, { plotRatio: 1.9 });
    expect(r.unmet).toEqual([{ field: 'plotRatioMin', unit: 'ratio', required: 2, actual: 1.9, gap: 0.1 }]);
  });

  it('the full evaluation of the worked example', () => {
    expect(evaluateYear(year, THREE_MU, SAMPLE, conditions)).toEqual({
      ok: true,
      outputPerMuYuan: 1_000_000,
      taxPerMuYuan: 200_000,
      energyPer10kYuan: 0.5,
      grade: 'C', // tax meets B (≥ 150,000) but output only C (1,000,000 < B's 2,500,000): both must be met
      thresholdsVersion: 'sample-1',
      thresholdsSample: true,
      meetsConditions: expect.objectContaining({ ok: true, met: ['outputPerMuYuanMin', 'taxPerMuYuanMin', 'energyTcePer10kYuanMax'] }),
    });
  });
});
