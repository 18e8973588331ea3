import { describe, expect, it } from 'vitest';
import { estimateIncentives, INCENTIVE_RULES, type IncentiveInputs } from '../../../shared/policy/index.ts';
import { yuanToFen } from '../../../shared/money.ts';

const WAN = 1_000_000n; // 1万元 in fen
const yuan = (x: number | string): bigint => yuanToFen(x);

function upTo(inputs: IncentiveInputs): Record<string, bigint> {
  const r = estimateIncentives(inputs);
  if (!r.ok) throw new Error(r.messageEn);
  return Object.fromEntries(r.items.map((i) => [i.id, i.upToFen]));
}

describe('Incentives an investor can see, as "up to" figures (五(一)2,4; 五(二)7,9,10; 五(四)15)', () => {
  it('the catalogue has every item of POLICY.md, each with a clause', () => {
    expect(INCENTIVE_RULES.map((r) => `${r.clause} ${r.id}`)).toEqual([
      '五(二)7 equipment_expansion',
      '五(二)7 loan_interest',
      '五(二)9 sme_equity',
      '五(二)9 sme_subsidy',
      '五(四)15 informatization',
      '五(一)2 rd_institution',
      '五(一)2 major_st_project',
      '五(一)4 tech_transfer',
      '五(一)4 local_conversion',
      '五(二)10 generic_drugs',
    ]);
  });

  it('items that do not apply are omitted (nothing entered → nothing shown)', () => {
    expect(upTo({ sme: false })).toEqual({});
  });

  describe('五(二)7 大中型企业增资扩产: 20 % of equipment investment ≤ 500万; loan interest ≤ 3 years, ≤ 500万', () => {
    it.each([
      // 20 % × 12 345 678.91 = 2 469 135.782 → 2 469 135.78 (rounded down)
      ['12345678.91', yuan('2469135.78')],
      // 20 % × 3000万 = 600万 → capped at 500万
      [30_000_000, 500n * WAN],
      // 20 % × 2500万 = 500万 exactly
      [25_000_000, 500n * WAN],
    ])('equipment %s yuan → up to %s fen', (equipment, expected) => {
      expect(upTo({ sme: false, equipmentInvestmentFen: yuan(equipment) }).equipment_expansion).toBe(expected);
    });

    it.each([
      // 100万/yr × 3 = 300万
      [100, undefined, 300n * WAN],
      // 200万/yr × 3 = 600万 → 500万
      [200, undefined, 500n * WAN],
      // asking for 5 years counts 3: 100万 × 3
      [100, 5, 300n * WAN],
      [100, 2, 200n * WAN],
    ])('loan interest %s万/yr for %s years → up to %s fen', (perYearWan, years, expected) => {
      expect(upTo({ sme: false, loanInterestPerYearFen: BigInt(perYearWan) * WAN, loanInterestYears: years }).loan_interest).toBe(expected);
    });

    it('is for 大中型企业: an SME sees 五(二)9 instead', () => {
      const r = upTo({ sme: true, equipmentInvestmentFen: 1000n * WAN, loanInterestPerYearFen: 100n * WAN });
      expect(r).toEqual({ sme_equity: 3000n * WAN, sme_subsidy: 500n * WAN });
    });
  });

  it('五(二)9 SMEs: equity ≤ 3000万 or subsidy ≤ 500万 (alternatives)', () => {
    const r = estimateIncentives({ sme: true });
    expect(r.ok && r.items.map((i) => [i.id, i.upToFen])).toEqual([
      ['sme_equity', 3000n * WAN],
      ['sme_subsidy', 500n * WAN],
    ]);
    expect(r.ok && r.items[0]?.basisZh).toBe('单个项目最高 30,000,000.00 元（直接股权投资与补助择一）');
  });

  it.each([
    // 20 % × 800万 = 160万
    [800n * WAN, 160n * WAN],
    // 20 % × 1500万 = 300万 → 200万
    [1500n * WAN, 200n * WAN],
  ])('五(四)15 informatization: 20 %% of %s fen ≤ 200万 → %s', (investment, expected) => {
    expect(upTo({ sme: false, informatizationInvestmentFen: investment }).informatization).toBe(expected);
  });

  it.each([
    ['national', 10_000n * WAN],
    ['provincial', 2000n * WAN],
    ['municipal', 800n * WAN],
  ] as const)('五(一)2 %s R&D institution → up to %s fen', (level, expected) => {
    expect(upTo({ sme: false, rdInstitutionLevel: level }).rd_institution).toBe(expected);
  });

  it.each([
    // 10 % × 500万 = 50万
    [500n * WAN, 50n * WAN],
    // 10 % × 2000万 = 200万 → 100万
    [2000n * WAN, 100n * WAN],
  ])('五(一)2 national major S&T project: 10 %% of %s fen received ≤ 100万 → %s', (funds, expected) => {
    expect(upTo({ sme: false, nationalMajorProjectFundsFen: funds }).major_st_project).toBe(expected);
  });

  it.each([
    // 10 % × 1 234 567.89 = 123 456.789 → 123 456.78 (down)
    ['1234567.89', yuan('123456.78')],
    // 10 % × 25 000 000.05 = 2 500 000.005 → capped 200万 per enterprise per year
    ['25000000.05', 200n * WAN],
  ])('五(一)4 technology transfer: 10 %% of contract %s yuan ≤ 200万 → %s', (contract, expected) => {
    expect(upTo({ sme: false, technicalContractFen: yuan(contract) }).tech_transfer).toBe(expected);
  });

  it('五(一)4 local conversion of IAB results → up to 1000万', () => {
    expect(upTo({ sme: false, localConversion: true }).local_conversion).toBe(1000n * WAN);
    expect(upTo({ sme: false, localConversion: false }).local_conversion).toBeUndefined();
  });

  it('五(二)10 generic drugs: 200万 per product', () => {
    // 3 × 200万 = 600万
    expect(upTo({ sme: false, genericDrugsPassed: 3 }).generic_drugs).toBe(600n * WAN);
    expect(upTo({ sme: false, genericDrugsPassed: 0 }).generic_drugs).toBeUndefined();
  });

  it('each item states its basis in both languages', () => {
    const r = estimateIncentives({ sme: false, equipmentInvestmentFen: 3000n * WAN });
    expect(r.ok && r.items).toEqual([
      {
        id: 'equipment_expansion',
        clause: '五(二)7',
        titleZh: '增资扩产设备投资补助',
        titleEn: 'Capacity expansion: equipment investment subsidy',
        upToFen: 500n * WAN,
        basisZh: '设备投资额 30,000,000.00 元 × 20% = 6,000,000.00 元，最高 5,000,000.00 元',
        basisEn: '20% of equipment investment ¥30,000,000.00 = ¥6,000,000.00, at most ¥5,000,000.00',
      },
    ]);
  });

  it.each([
    ['equipmentInvestmentFen', { equipmentInvestmentFen: -1n }],
    ['genericDrugsPassed', { genericDrugsPassed: 1.5 }],
    ['loanInterestYears', { loanInterestYears: -1 }],
  ] as const)('validates %s', (field, over) => {
    expect(estimateIncentives({ sme: false, ...over })).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
  });
});
