import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { parseBenchmarkCsv, type BenchmarkRow } from '../../../shared/reference-csv.ts';
import { DISTRICT_CODES } from '../../../shared/domain.ts';
import {
  DEFAULT_PARAMETERS,
  DISTRICT_GRADE_DEFAULTS,
  districtGradeDefault,
  NATIONAL_MINIMUM_GRADES,
  nationalMinimumForGrade,
  BUREAU_ASSUMPTION,
  PARAMETER_BASES,
  PARAMETER_SOURCES,
  shippedProvenance,
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
      leadSectorShareTargetBp: 8000, // 80 %: a bureau setting, not in the plan
    });
    expect(validatePolicyParameters(DEFAULT_PARAMETERS)).toEqual([]);
  });

  it('names the real source of every parameter: the plan only for what it states (POLICY.md "Where each parameter comes from")', () => {
    expect(Object.keys(PARAMETER_SOURCES).sort()).toEqual(Object.keys(DEFAULT_PARAMETERS).sort());
    // The plan states 70 % (五(三)14), 5000亩 (五(三)11), 20 %, 1亿, 15 %/14 % (五(三)13) — nothing else.
    const plan = Object.entries(PARAMETER_SOURCES).filter(([, s]) => s.basis === 'plan').map(([k, s]) => `${k} ${s.clause}`).sort();
    expect(plan).toEqual([
      'annualQuotaMinimumMu 五(三)11',
      'facilitiesRatioDefaultBp 五(三)13',
      'facilitiesRatioParkOperatorBp 五(三)13',
      'iabFloorFactorBp 五(三)14',
      'subsidyParkCapFen 五(三)13',
      'subsidyShareBp 五(三)13',
    ]);
    for (const [key, s] of Object.entries(PARAMETER_SOURCES)) {
      if (s.basis !== 'plan') expect(s.clause, key).not.toMatch(/五\(三\)/);
      expect(PARAMETER_BASES).toContain(s.basis);
    }
    expect(PARAMETER_SOURCES.statutoryMaxTermYears).toMatchObject({ basis: 'national_rule', clause: '城镇国有土地使用权出让和转让暂行条例（1990）第十二条' });
    expect(PARAMETER_SOURCES.capitalizationRateBp.basis).toBe('bureau_assumption');
    expect(PARAMETER_SOURCES.capitalizationRateBp.clause).toContain('GB/T 18508 城镇土地估价规程');
    for (const key of ['nonIabFloorFactorBp', 'rentFloorShareBp', 'longTermLeaseMinYears', 'longTermLeaseMaxYears'] as const) {
      expect(PARAMETER_SOURCES[key], key).toMatchObject({ basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION });
    }
    // The 80 % lead-sector line is not in the plan either: a bureau setting.
    expect(PARAMETER_SOURCES.leadSectorShareTargetBp).toMatchObject({ basis: 'bureau_assumption', clause: BUREAU_ASSUMPTION });
  });

  it('ships only what the plan states as verified; national rules and assumptions wait for confirmation', () => {
    for (const key of Object.keys(DEFAULT_PARAMETERS) as (keyof typeof PARAMETER_SOURCES)[]) {
      const shipped = shippedProvenance(key);
      if (PARAMETER_SOURCES[key].basis === 'plan') expect(shipped, key).toEqual({ verified: true, source: `IAB行动计划 ${PARAMETER_SOURCES[key].clause}` });
      else expect(shipped, key).toEqual({ verified: false, source: PARAMETER_SOURCES[key].clause });
    }
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

describe('五(三)14 sample benchmark prices (基准地价, seeds/reference/benchmark-prices.sample.csv)', () => {
  const csv = fs.readFileSync(new URL('../../../seeds/reference/benchmark-prices.sample.csv', import.meta.url), 'utf8');
  const parsed = parseBenchmarkCsv(csv);
  const rows: BenchmarkRow[] = parsed.ok ? parsed.rows : [];
  const price = (code: string, level: number) => rows.find((r) => r.districtCode === code && r.landLevel === level)!.yuanPerM2;

  it('parses cleanly with a row per district × level 1–5', () => {
    expect(parsed.ok).toBe(true);
    expect(rows).toHaveLength(DISTRICT_CODES.length * 5);
  });

  it('is plausible: a few hundred to ~1500 yuan/m², falling with the level number', () => {
    for (const code of DISTRICT_CODES) {
      const prices = [1, 2, 3, 4, 5].map((l) => price(code, l));
      expect(prices.every((p) => p >= 200 && p <= 1500)).toBe(true);
      expect([...prices].sort((a, b) => b - a)).toEqual(prices);
    }
    // urban above outer districts
    expect(price('440106', 1)).toBeGreaterThan(price('440117', 1));
  });
});

describe('benchmark CSV import: row-level errors a person can act on', () => {
  it('accepts a BOM, CRLF and Chinese headers', () => {
    const r = parseBenchmarkCsv('\uFEFF区划代码,土地级别,基准地价\r\n440112,1,1234.5\r\n');
    expect(r).toEqual({ ok: true, rows: [{ districtCode: '440112', landLevel: 1, yuanPerM2: 1234.5 }] });
  });

  it('reports every bad row with its line number and field', () => {
    const r = parseBenchmarkCsv(['district_code,land_level,yuan_per_m2', '440112,1,800', '999999,1,800', '440112,0,800', '440106,2,-5', '440106,3,12.345', '440112,1,900'].join('\n'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.field])).toEqual([
      [3, 'district_code'],
      [4, 'land_level'],
      [5, 'yuan_per_m2'],
      [6, 'yuan_per_m2'],
      [7, 'land_level'], // repeats line 2
    ]);
    expect(r.errors[4]!.messageEn).toMatch(/repeats line 2/);
  });

  it('refuses a file without the needed header, or without rows', () => {
    const noHeader = parseBenchmarkCsv('a,b,c\n1,2,3');
    expect(noHeader.ok).toBe(false);
    if (!noHeader.ok) expect(noHeader.errors[0]!.messageEn).toMatch(/header must name/);
    const empty = parseBenchmarkCsv('');
    expect(empty.ok).toBe(false);
    const headerOnly = parseBenchmarkCsv('district_code,land_level,yuan_per_m2\n');
    expect(headerOnly.ok).toBe(false);
  });
});
