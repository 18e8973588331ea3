import { describe, expect, it } from 'vitest';
import { DISTRICT_CODES } from '../../../shared/domain.ts';
import {
  BENCHMARK_SAMPLE,
  DEFAULT_PARAMETERS,
  DISTRICT_GRADE_DEFAULTS,
  districtGradeDefault,
  NATIONAL_MINIMUM_GRADES,
  nationalMinimumForGrade,
  PARAMETER_SOURCES,
  sampleBenchmark,
  validatePolicyParameters,
} from '../../../shared/policy/index.ts';

describe('Policy parameters (configurable, shipped defaults)', () => {
  it('ships the defaults of POLICY.md', () => {
    expect(DEFAULT_PARAMETERS).toEqual({
      iabFloorFactorBp: 7000, // 五(三)14: 70 %
      nonIabFloorFactorBp: 10_000, // 100 %
      capitalizationRateBp: 600, // 6 %
      rentFloorShareBp: 200, // 2 %
      nationalMinimum56Enabled: false, // 56号: off
      nationalMinimum56FactorBp: 7000,
      statutoryMaxTermYears: 50,
      longTermLeaseMinYears: 5,
      longTermLeaseMaxYears: 20,
      annualQuotaMinimumMu: 5000, // 五(三)11
      subsidyShareBp: 2000, // 五(三)13: 20 %
      subsidyParkCapFen: 10_000_000_000n, // 1亿元
      facilitiesRatioParkOperatorBp: 1500, // 五(三)13: 15 %
      facilitiesRatioDefaultBp: 1400, // 14 %
    });
    expect(validatePolicyParameters(DEFAULT_PARAMETERS)).toEqual([]);
  });

  it('cites a clause for every parameter', () => {
    expect(Object.keys(PARAMETER_SOURCES).sort()).toEqual(Object.keys(DEFAULT_PARAMETERS).sort());
    for (const s of Object.values(PARAMETER_SOURCES)) expect(s.clause).toMatch(/^五\(三\)1[1-4]/);
  });

  it('refuses nonsense parameter sets, naming each field', () => {
    const bad = { ...DEFAULT_PARAMETERS, iabFloorFactorBp: 0.7, capitalizationRateBp: 0, longTermLeaseMaxYears: 60, subsidyParkCapFen: -1n };
    expect(validatePolicyParameters(bad).map((p) => p.field)).toEqual(['iabFloorFactorBp', 'capitalizationRateBp', 'longTermLeaseMaxYears', 'subsidyParkCapFen']);
  });
});

describe('五(三)14 national minimum prices (国土资发〔2006〕307号)', () => {
  it('has 15 grades from 840 down to 60 yuan/m²', () => {
    expect(NATIONAL_MINIMUM_GRADES.map((g) => g.yuanPerM2)).toEqual([840, 720, 600, 480, 384, 336, 288, 252, 204, 168, 144, 120, 96, 84, 60]);
  });

  it('marks only grades 1, 2, 3 and 15 as verified; the rest say "to verify against the official annex"', () => {
    expect(NATIONAL_MINIMUM_GRADES.filter((g) => g.verified).map((g) => g.grade)).toEqual([1, 2, 3, 15]);
    for (const g of NATIONAL_MINIMUM_GRADES.filter((x) => !x.verified)) expect(g.source).toContain('to verify against the official annex');
    expect(nationalMinimumForGrade(3)?.yuanPerM2).toBe(600);
    expect(nationalMinimumForGrade(16)).toBeUndefined();
  });

  it('covers every Guangzhou district; urban districts are grade 3 (verified)', () => {
    expect(DISTRICT_GRADE_DEFAULTS.map((d) => d.districtCode).sort()).toEqual([...DISTRICT_CODES].sort());
    for (const code of ['440103', '440104', '440105', '440106', '440111'] as const) {
      expect(districtGradeDefault(code)).toMatchObject({ grade: 3, verified: true, assumption: false });
    }
  });

  it('黄埔 ships as grade 3 but unverified (the old-黄埔 part is unconfirmed)', () => {
    expect(districtGradeDefault('440112')).toMatchObject({ grade: 3, verified: false });
    expect(districtGradeDefault('440112').note).toContain('old-黄埔 part is unconfirmed');
  });

  it('the outer districts are flagged assumptions the bureau must confirm', () => {
    for (const code of ['440113', '440114', '440115', '440117', '440118'] as const) {
      const d = districtGradeDefault(code);
      expect(d).toMatchObject({ verified: false, assumption: true });
      expect(d.note).toContain('bureau must confirm');
    }
  });
});

describe('五(三)14 sample benchmark prices (基准地价)', () => {
  it('has a row per district × level 1–5, every row flagged sample', () => {
    expect(BENCHMARK_SAMPLE).toHaveLength(DISTRICT_CODES.length * 5);
    expect(BENCHMARK_SAMPLE.every((b) => b.sample)).toBe(true);
  });

  it('is plausible: a few hundred to ~1500 yuan/m², falling with the level number', () => {
    for (const code of DISTRICT_CODES) {
      const prices = ([1, 2, 3, 4, 5] as const).map((l) => sampleBenchmark(code, l).yuanPerM2);
      expect(prices.every((p) => p >= 200 && p <= 1500)).toBe(true);
      expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    }
    // urban above outer districts
    expect(sampleBenchmark('440106', 1).yuanPerM2).toBeGreaterThan(sampleBenchmark('440117', 1).yuanPerM2);
  });
});
