/**
 * The demand screens' pure helpers: the new-demand form prefilled from an investor's interest,
 * the form → `POST /api/demands` body (checked against the contract's schema, with the problems
 * the form shows), the register's filters and sort in the URL, and the requirements in words.
 */
import { describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { CreateDemandBody } from '../../shared/contract/demands.ts';
import { m2ToMu, muToM2 } from '../../shared/units.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import {
  addDays,
  buildDemandBody,
  DEFAULT_VIEW,
  emptyDemandForm,
  formatRegisterView,
  muRangeAround,
  parseRegisterView,
  prefillFromInterest,
  viewQuery,
  type DemandFormValues,
} from '../../client/features/demand/demandForm.ts';
import { requirementsInWords } from '../../client/features/demand/requirementsText.ts';
import { translator } from '../../client/i18n/index.ts';

const USCC = '91440101MA5CBUR01' + usccCheckChar('91440101MA5CBUR01');
const TODAY = '2026-12-05';

const interest = {
  id: 42,
  company: '广州示例生物科技有限公司',
  uscc: USCC,
  plotCode: 'HP-0001',
  districtCode: '440112',
  message: '拟建设生物医药中试生产线。',
};

function valid(overrides: Partial<DemandFormValues> = {}): DemandFormValues {
  return {
    ...emptyDemandForm(TODAY, 'biomed'),
    projectName: '生物医药中试基地',
    enterpriseName: '广州示例生物科技有限公司',
    uscc: USCC,
    ...overrides,
  };
}

describe('dates', () => {
  it('adds calendar days across months and years', () => {
    expect(addDays('2026-12-05', 30)).toBe('2027-01-04');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('starts an empty form needed in half a year', () => {
    expect(emptyDemandForm(TODAY).neededBy).toBe('2027-06-03');
  });
});

describe('prefill from an interest', () => {
  it('takes the company, its code, the interest, the district and the message', () => {
    const v = prefillFromInterest(interest, { areaM2: muToM2(50) }, { today: TODAY, projectName: '广州示例生物科技有限公司用地项目' });
    expect(v).toMatchObject({
      projectName: '广州示例生物科技有限公司用地项目',
      enterpriseName: interest.company,
      uscc: USCC,
      interestId: 42,
      note: interest.message,
      keyProject: false,
    });
    expect(v.requirements.districtCodes).toEqual(['440112']);
  });

  it('turns the plot’s area into whole 亩 ±20 % that contain the plot', () => {
    const v = prefillFromInterest(interest, { areaM2: muToM2(50) }, { today: TODAY, projectName: 'x' });
    expect(v.requirements).toMatchObject({ areaMuMin: 40, areaMuMax: 60 });
    // An odd area: the range is rounded outwards, so the plot itself still fits.
    for (const m2 of [12_345.67, 8_000, 99_999.99, 333.34]) {
      const r = muRangeAround(m2ToMu(m2));
      expect(Number.isInteger(r.areaMuMin) && Number.isInteger(r.areaMuMax)).toBe(true);
      expect(r.areaMuMin).toBeLessThanOrEqual(m2ToMu(m2));
      expect(r.areaMuMax).toBeGreaterThanOrEqual(m2ToMu(m2));
    }
    expect(muRangeAround(m2ToMu(12_345.67))).toEqual({ areaMuMin: 14, areaMuMax: 23 });
  });

  it('keeps the default range when the plot could not be read, and drops an unknown district', () => {
    const v = prefillFromInterest({ ...interest, districtCode: '999999' }, null, { today: TODAY, projectName: 'x' });
    expect(v.requirements).toEqual({ sector: 'ngit', areaMuMin: 20, areaMuMax: 50 });
  });

  it('builds a body the contract accepts, carrying the interest', () => {
    const v = prefillFromInterest(interest, { areaM2: muToM2(50) }, { today: TODAY, projectName: '示例项目', sector: 'biomed' });
    const r = buildDemandBody(v);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Value.Check(CreateDemandBody, r.body)).toBe(true);
    expect(r.body).toEqual({
      projectName: '示例项目',
      enterprise: { name: interest.company, uscc: USCC },
      keyProject: false,
      neededBy: '2027-06-03',
      requirements: { sector: 'biomed', areaMuMin: 40, areaMuMax: 60, districtCodes: ['440112'] },
      note: interest.message,
      interestId: 42,
    });
  });
});

describe('form → body', () => {
  it('trims, upper-cases the code and leaves out what is not set', () => {
    const r = buildDemandBody(valid({ projectName: '  项目  ', uscc: ` ${USCC.toLowerCase()} `, note: '   ' }));
    expect(r).toEqual({
      ok: true,
      body: {
        projectName: '项目',
        enterprise: { name: '广州示例生物科技有限公司', uscc: USCC },
        keyProject: false,
        neededBy: '2027-06-03',
        requirements: { sector: 'biomed', areaMuMin: 20, areaMuMax: 50 },
      },
    });
  });

  it('keeps the requirements given and drops empty ones (serviced false, empty lists, figures not given)', () => {
    const r = buildDemandBody(
      valid({
        requirements: {
          sector: 'ai',
          areaMuMin: 30,
          areaMuMax: 80,
          serviced: false,
          landUse: [],
          districtCodes: ['440112', '440115'],
          maxPriceYuanPerM2: 800,
          near: [{ kind: 'airport', maxKm: 40 }],
          project: { investmentIntensityYuanPerM2: undefined, taxPerMuYuan: 300_000 },
        },
      }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.requirements).toEqual({
      sector: 'ai',
      areaMuMin: 30,
      areaMuMax: 80,
      districtCodes: ['440112', '440115'],
      maxPriceYuanPerM2: 800,
      near: [{ kind: 'airport', maxKm: 40 }],
      project: { taxPerMuYuan: 300_000 },
    });
    expect(Value.Check(CreateDemandBody, r.body)).toBe(true);
  });

  it('sends the enterprise without a code (it may come later), but never an empty one', () => {
    const r = buildDemandBody(valid({ uscc: '' }));
    expect(r.ok && r.body.enterprise).toEqual({ name: '广州示例生物科技有限公司' });
  });

  it('from an interest, may leave the enterprise out for the server to take the interest’s', () => {
    const r = buildDemandBody(valid({ enterpriseName: '', uscc: '', interestId: 7 }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.body.enterprise).toBeUndefined();
    expect(r.body.interestId).toBe(7);
  });

  it('names every problem at once', () => {
    const r = buildDemandBody(valid({ projectName: ' ', enterpriseName: '', uscc: USCC.slice(0, 17) + (USCC.endsWith('0') ? '1' : '0'), neededBy: '2026-02-30' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.projectName).toEqual({ code: 'required' });
    expect(r.problems.enterpriseName).toEqual({ code: 'required' });
    expect(r.problems.uscc).toMatchObject({ code: 'shared', messageZh: '统一社会信用代码校验位不正确' });
    expect(r.problems.neededBy).toEqual({ code: 'date' });
  });

  it('refuses a key project outside the IAB sectors', () => {
    const r = buildDemandBody(valid({ keyProject: true, requirements: { sector: 'other', areaMuMin: 10, areaMuMax: 20 } }));
    expect(!r.ok && r.problems.keyProject).toEqual({ code: 'keyProjectNonIab' });
    expect(buildDemandBody(valid({ keyProject: true })).ok).toBe(true);
  });

  it('checks the requirements as the server does, naming the field', () => {
    const r = buildDemandBody(valid({ requirements: { sector: 'biomed', areaMuMin: 80, areaMuMax: 30 } }));
    expect(!r.ok && r.problems.requirements).toMatchObject({ code: 'shared', field: 'areaMuMin' });
    const w = buildDemandBody(valid({ requirements: { sector: 'biomed', areaMuMin: 1, areaMuMax: 3, weights: { price: 0, size: 0 } } }));
    expect(!w.ok && w.problems.requirements).toMatchObject({ code: 'shared', field: 'weights' });
  });
});

describe('the register’s view in the URL', () => {
  it('reads filters and sort, ignoring what it does not know', () => {
    expect(parseRegisterView('?status=open&sector=biomed&district=440112&sort=waiting')).toEqual({ status: 'open', sector: 'biomed', districtCode: '440112', sort: 'waiting' });
    expect(parseRegisterView('?status=lost&sector=steel&district=12&sort=random')).toEqual(DEFAULT_VIEW);
    expect(parseRegisterView('')).toEqual(DEFAULT_VIEW);
  });

  it('writes them back, leaving defaults out and keeping other parameters', () => {
    expect(formatRegisterView({ status: 'matched', sector: null, districtCode: '440115', sort: 'needed_by' }, '?lang=en')).toBe('?lang=en&status=matched&district=440115&sort=needed_by');
    expect(formatRegisterView(DEFAULT_VIEW, '?status=open&sort=waiting')).toBe('');
  });

  it('round-trips every view', () => {
    const views = [DEFAULT_VIEW, { status: 'closed', sector: 'other', districtCode: '440103', sort: 'waiting' }] as const;
    for (const v of views) expect(parseRegisterView(formatRegisterView(v))).toEqual(v);
  });

  it('asks the API for the view', () => {
    expect(viewQuery({ status: 'open', sector: null, districtCode: null, sort: 'waiting' })).toEqual({ status: 'open', sort: 'waiting', limit: 200 });
  });
});

describe('requirements in words', () => {
  const req = {
    sector: 'biomed' as const,
    areaMuMin: 30,
    areaMuMax: 80,
    districtCodes: ['440112'],
    landUse: ['M1' as const],
    maxPriceYuanPerM2: 800,
    serviced: true,
    near: [{ kind: 'airport' as const, maxKm: 40 }],
  };

  it('says each requirement in Chinese, distances as straight-line', () => {
    const lines = requirementsInWords(req, translator('zh-CN'), 'zh-CN', (c) => (c === '440112' ? '黄埔区' : c));
    expect(lines).toEqual([
      '生物医药 · 30–80 亩',
      '区域：黄埔区',
      '用地性质：M1 一类工业用地',
      '参考最低价不超过 800 元/平方米',
      '仅限净地（已通平）',
      '距机场直线距离不超过 40 公里',
      '评分权重：按产业默认（假设）',
    ]);
  });

  it('and in English, with own weights named', () => {
    const lines = requirementsInWords({ sector: 'other', areaMuMin: 5, areaMuMax: 10, weights: { price: 3, access: 1 } }, translator('en'), 'en');
    expect(lines[0]).toBe('Other (non-IAB) · 5–10 亩');
    expect(lines[1]).toBe('Any district');
    expect(lines.at(-1)).toBe('Own weights: Price 3, Access 1');
  });
});
