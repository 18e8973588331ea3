/**
 * The bureau's allocation screen, its pure parts: the Allocate form → the `POST /api/allocations`
 * body (term rules by mode, USCC, money in fen), the live floor preview (the shared functions the
 * server checks with, to the fen), the quota headroom and gauge (exact in hundredths of m²), the
 * quota form (5000 亩 → 3,333,333.34 m²), contract and milestone checks, the URL, the
 * Idempotency-Key keeper and the server's refusals in one language.
 */
import { describe, expect, it } from 'vitest';
import {
  buildProposal,
  checkTerms,
  emptyForm,
  modeIndicated,
  priceFen,
  wanToYuan,
  withMode,
  withSector,
  type AllocationFormValues,
} from '../../client/features/bureau/allocationForm.ts';
import { formatBureauUrl, parseBureauUrl } from '../../client/features/bureau/bureauUrl.ts';
import { contractProblems, milestoneFloor, milestoneProblem, nextMilestone } from '../../client/features/bureau/contractForm.ts';
import { inputsFromQuote, previewFloor, priceFieldFloor, rentFieldFloor, type PlotFloorInputs } from '../../client/features/bureau/floorPreview.ts';
import { approvalBlockedByFourEyes } from '../../client/features/bureau/fourEyes.ts';
import { gaugeParts, headroom, usedShare } from '../../client/features/bureau/headroom.ts';
import { keyKeeper, newIdempotencyKey } from '../../client/features/bureau/idempotency.ts';
import { buildQuota, muText, quotaFormFrom } from '../../client/features/bureau/quotaForm.ts';
import { ruleRefusal } from '../../client/features/bureau/serverError.ts';
import { ApiError, type PlotFloorQuote } from '../../client/api/index.ts';
import { DEFAULT_PARAMETERS, leaseThenTransfer, longTermLease, priceFloor, reserveShareBp } from '../../shared/policy/index.ts';
import { usccCheckChar } from '../../shared/uscc.ts';

const USCC = (() => {
  const body = '91440101MA5C12345';
  return body + usccCheckChar(body);
})();
const PLOT = { id: 7, areaM2: 16559.37 };

const form = (over: Partial<AllocationFormValues> = {}): AllocationFormValues => ({
  ...emptyForm(2026),
  projectName: '  集成电路封测基地 ',
  enterpriseName: '广州测试半导体有限公司',
  uscc: USCC.toLowerCase(),
  price: '9935622',
  ...over,
});

describe('the Allocate form → POST /api/allocations', () => {
  it('builds a 50-year transfer for an IAB project, trimmed and the code normalized', () => {
    const r = buildProposal(form({ subSector: '集成电路', plannedInvestmentWan: '50,000', keyProject: true }), PLOT);
    expect(r).toEqual({
      ok: true,
      body: {
        plotId: 7,
        quotaYear: 2026,
        mode: 'transfer',
        termYears: 50,
        priceYuan: 9935622,
        project: {
          name: '集成电路封测基地',
          enterprise: { name: '广州测试半导体有限公司', uscc: USCC },
          sector: 'ngit',
          iab: true,
          subSector: '集成电路',
          plannedInvestmentYuan: 500_000_000,
          keyProject: true,
        },
      },
    });
  });

  it('makes a non-IAB project from sector "other", never a key project, without a sub-sector', () => {
    const v = withSector(form({ keyProject: true, subSector: 'x' }), 'other');
    expect(v.keyProject).toBe(false);
    const r = buildProposal(v, PLOT);
    expect(r.ok && r.body.project).toEqual({ name: '集成电路封测基地', enterprise: { name: '广州测试半导体有限公司', uscc: USCC }, sector: 'other', iab: false });
    // Forced through anyway, the form refuses it as the server would.
    expect(buildProposal({ ...v, keyProject: true }, PLOT)).toMatchObject({ ok: false, problems: { keyProject: { code: 'keyProjectNonIab' } } });
  });

  it('turns a unit price into the plot total rounded UP to the fen', () => {
    // 12.34 yuan/m² × 0.05 m² = 0.617 yuan → 0.62 (the floor is checked the same way).
    expect(priceFen('12.34', 'perM2', 0.05)).toEqual({ ok: true, fen: 62n });
    const r = buildProposal(form({ priceUnit: 'perM2', price: '600' }), PLOT);
    expect(r.ok && r.body.priceYuan).toBe(9935622);
  });

  it('reads what people type: full-width digits, thousands separators, spaces', () => {
    expect(priceFen('９，９３５，６２２.５', 'total', 1)).toEqual({ ok: true, fen: 993562250n });
    expect(wanToYuan(' 1.234567 ')).toEqual({ ok: true, yuan: 12345.67 });
    expect(wanToYuan('1.2345678')).toMatchObject({ ok: false, problem: { code: 'tooManyDecimals' } });
    expect(priceFen('1.234', 'total', 1)).toMatchObject({ ok: false, problem: { code: 'tooManyDecimals' } });
    expect(priceFen('-5', 'total', 1)).toMatchObject({ ok: false, problem: { code: 'negative' } });
    expect(priceFen('0', 'total', 1)).toMatchObject({ ok: false, problem: { code: 'notPositive' } });
    expect(priceFen('abc', 'total', 1)).toMatchObject({ ok: false, problem: { code: 'notNumber' } });
    expect(priceFen('99999999999999', 'perM2', 1_000_000)).toMatchObject({ ok: false, problem: { code: 'tooLarge' } });
  });

  it('lists every problem at once, the USCC in shared/’s words', () => {
    const r = buildProposal({ ...emptyForm(2026), uscc: '91440101MA5C123450', quotaYear: '26', price: '' }, PLOT);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.projectName).toEqual({ code: 'required' });
    expect(r.problems.enterpriseName).toEqual({ code: 'required' });
    expect(r.problems.uscc).toMatchObject({ code: 'shared', messageZh: '统一社会信用代码校验位不正确' });
    expect(r.problems.quotaYear).toMatchObject({ code: 'yearRange' });
    expect(r.problems.price).toEqual({ code: 'required' });
  });

  it('applies each mode’s term rule (五(三)14) from the parameters', () => {
    const terms = (mode: AllocationFormValues['mode'], termYears: string, leaseYears = '') => checkTerms({ mode, termYears, leaseYears });
    expect(terms('transfer', '50')).toEqual({ ok: true, terms: { termYears: 50, leaseYears: null } });
    expect(terms('transfer', '40').ok).toBe(false);
    expect(terms('flexible_term', '49').ok).toBe(true);
    expect(terms('flexible_term', '50')).toMatchObject({ ok: false, problems: { termYears: { code: 'termFlexible', vars: { max: 49, statutory: 50 } } } });
    expect(terms('flexible_term', '0').ok).toBe(false);
    expect(terms('flexible_term', '20.5')).toMatchObject({ ok: false, problems: { termYears: { code: 'termWhole' } } });
    expect(terms('long_term_lease', '5').ok).toBe(true);
    expect(terms('long_term_lease', '20').ok).toBe(true);
    expect(terms('long_term_lease', '4')).toMatchObject({ ok: false, problems: { termYears: { code: 'termLease', vars: { min: 5, max: 20 } } } });
    expect(terms('long_term_lease', '21').ok).toBe(false);
    expect(terms('lease_then_transfer', '45', '5')).toEqual({ ok: true, terms: { termYears: 45, leaseYears: 5 } });
    expect(terms('lease_then_transfer', '46', '5')).toMatchObject({ ok: false, problems: { termYears: { code: 'leaseTotal', vars: { lease: 5, transfer: 46, max: 50 } } } });
    expect(terms('lease_then_transfer', '45', '')).toMatchObject({ ok: false, problems: { leaseYears: { code: 'required' } } });
    expect(terms('lease_then_transfer', '1', '50')).toMatchObject({ ok: false, problems: { leaseYears: { code: 'leasePart' } } });
    // A longer lease ceiling in the reference data is honoured.
    expect(checkTerms({ mode: 'long_term_lease', termYears: '25', leaseYears: '' }, { ...DEFAULT_PARAMETERS, longTermLeaseMaxYears: 30 }).ok).toBe(true);
  });

  it('changing the mode resets its terms and the prices (their meaning changed)', () => {
    const v = withMode(form(), 'lease_then_transfer');
    expect(v).toMatchObject({ mode: 'lease_then_transfer', termYears: '45', leaseYears: '5', price: '', annualRent: '' });
    expect(withMode(v, 'long_term_lease')).toMatchObject({ termYears: '20', leaseYears: '' });
    expect(withMode(v, 'lease_then_transfer')).toBe(v);
  });

  it('sends the lease and the rent for lease-then-transfer only', () => {
    const r = buildProposal({ ...withMode(form(), 'lease_then_transfer'), price: '9000000', annualRent: '200000' }, PLOT);
    expect(r.ok && r.body).toMatchObject({ mode: 'lease_then_transfer', termYears: 45, leaseYears: 5, priceYuan: 9000000, annualRentYuan: 200000 });
    const lease = buildProposal({ ...withMode(form(), 'long_term_lease'), price: '200000', annualRent: '5' }, PLOT);
    expect(lease.ok && lease.body).not.toHaveProperty('annualRentYuan');
    expect(lease.ok && lease.body).not.toHaveProperty('leaseYears');
  });

  it('knows which modes the land use indicates (shared/supply-modes.ts)', () => {
    expect(modeIndicated('flexible_term', 'M1')).toBe(true);
    expect(modeIndicated('flexible_term', 'M0')).toBe(false);
    expect(modeIndicated('long_term_lease', 'M0')).toBe(true);
  });
});

const INPUTS: PlotFloorInputs = {
  areaM2: 16559.37,
  benchmarkYuanPerM2: 820,
  costYuan: 7286122.8,
  costRecorded: true,
  nationalMinYuanPerM2: 600,
  provincialMinYuanPerM2: null,
  provincialMinimumVerified: null,
  landLevel: 4,
  landGrade: 3,
  benchmarkSample: true,
  plotSample: true,
  gradeAssumption: false,
  nationalMinimumVerified: true,
  asOf: '2026-01-01',
};
const figures = { areaM2: INPUTS.areaM2, benchmarkYuanPerM2: 820, costYuan: 7286122.8, nationalMinYuanPerM2: 600 };

describe('the live floor preview', () => {
  it('is the shared priceFloor to the fen, with binding term and per-m² figure', () => {
    const p = previewFloor(INPUTS, { mode: 'flexible_term', termYears: 30, leaseYears: null, iab: true, priceFen: null, annualRentFen: null });
    const f = priceFloor({ ...figures, iab: true, termYears: 30 });
    expect(p.state).toBe('ok');
    if (p.state !== 'ok' || !f.ok) return;
    expect(p.lines).toHaveLength(1);
    expect(p.lines[0]).toMatchObject({ subject: 'price', floorFen: f.floorFen, floorPerM2Fen: f.floorFenPerM2, binding: f.binding, termYears: 30, ok: null });
    expect(priceFieldFloor(p)).toBe(f.floorFen);
  });

  it('says whether the typed price is below, at or above the floor', () => {
    const f = priceFloor({ ...figures, iab: true });
    if (!f.ok) throw new Error('floor');
    const at = (priceFen: bigint) => previewFloor(INPUTS, { mode: 'transfer', termYears: 50, leaseYears: null, iab: true, priceFen, annualRentFen: null });
    expect(at(f.floorFen)).toMatchObject({ state: 'ok', belowFloor: false, lines: [{ ok: true, shortfallFen: 0n }] });
    expect(at(f.floorFen - 1n)).toMatchObject({ state: 'ok', belowFloor: true, lines: [{ ok: false, shortfallFen: 1n }] });
  });

  it('uses the non-IAB share of the benchmark for a non-IAB project', () => {
    const iab = previewFloor(INPUTS, { mode: 'transfer', termYears: 50, leaseYears: null, iab: true, priceFen: null, annualRentFen: null });
    const other = previewFloor(INPUTS, { mode: 'transfer', termYears: 50, leaseYears: null, iab: false, priceFen: null, annualRentFen: null });
    const f = priceFloor({ ...figures, iab: false });
    if (iab.state !== 'ok' || other.state !== 'ok' || !f.ok) throw new Error('preview');
    expect(other.lines[0]!.floorFen).toBe(f.floorFen);
    expect(other.lines[0]!.basis.components.benchmarkFen > iab.lines[0]!.basis.components.benchmarkFen).toBe(true);
  });

  it('gives a long-term lease its annual rent floor (2 % of the 50-year floor)', () => {
    const p = previewFloor(INPUTS, { mode: 'long_term_lease', termYears: 20, leaseYears: null, iab: true, priceFen: 1n, annualRentFen: null });
    const lease = longTermLease({ ...figures, iab: true, leaseYears: 20 });
    if (p.state !== 'ok' || !lease.ok) throw new Error('preview');
    expect(p.lines).toMatchObject([{ subject: 'annual_rent', floorFen: lease.annualRentFloorFen, rentShareBp: 200, termYears: 50, ok: false }]);
    expect(priceFieldFloor(p)).toBe(lease.annualRentFloorFen);
  });

  it('checks both the rent and the transfer price of lease-then-transfer', () => {
    const ltt = leaseThenTransfer({ ...figures, iab: true, leaseYears: 5, transferYears: 45 });
    if (!ltt.ok) throw new Error('ltt');
    const p = previewFloor(INPUTS, { mode: 'lease_then_transfer', termYears: 45, leaseYears: 5, iab: true, priceFen: ltt.transferFloor.floorFen, annualRentFen: ltt.annualRentFloorFen - 100n });
    if (p.state !== 'ok') throw new Error('preview');
    expect(p.lines.map((l) => [l.subject, l.floorFen, l.ok])).toEqual([
      ['annual_rent', ltt.annualRentFloorFen, false],
      ['price', ltt.transferFloor.floorFen, true],
    ]);
    expect(p.belowFloor).toBe(true);
    expect(rentFieldFloor(p)).toBe(ltt.annualRentFloorFen);
    expect(priceFieldFloor(p)).toBe(ltt.transferFloor.floorFen);
  });

  it('reports a term the rules refuse in shared/’s words', () => {
    const p = previewFloor(INPUTS, { mode: 'long_term_lease', termYears: 30, leaseYears: null, iab: true, priceFen: null, annualRentFen: null });
    expect(p).toMatchObject({ state: 'invalid', failure: { field: 'leaseYears', messageZh: '长期租赁年限必须是 5–20 的整数年' } });
  });

  it('takes A, B, C, N and P from a plot quote; an unrecorded cost stays null and is marked, never 0', () => {
    const q = {
      floorYuan: 1, floorYuanPerM2: 1, binding: 'benchmark', indicative: false, costRecorded: false,
      components: { benchmarkYuan: 1, costYuan: null, nationalMinimumYuan: 1, provincialMinimumYuan: null },
      termFactor: 1, termYears: 50, areaM2: 100.5, factor: 0.7, nationalMinimumFactor: 1, asOf: '2026-01-01',
      basis: {
        plotId: 1, plotCode: 'P', districtCode: '440112', landLevel: 3, landGrade: 2, benchmarkYuanPerM2: 900, benchmarkSample: true, nationalMinYuanPerM2: 700,
        nationalMinimumVerified: true, provincialMinYuanPerM2: 750, provincialMinimumVerified: false, gradeVerified: true, gradeAssumption: false, plotSample: false,
      },
    } satisfies PlotFloorQuote;
    const inputs = inputsFromQuote(q);
    expect(inputs).toMatchObject({ areaM2: 100.5, benchmarkYuanPerM2: 900, costYuan: null, costRecorded: false, nationalMinYuanPerM2: 700, provincialMinYuanPerM2: 750, landLevel: 3, landGrade: 2 });
    expect(inputsFromQuote({ ...q, basis: undefined })).toBeNull();
    // The preview leaves the unrecorded cost out (not 0) and P binds: 750 × 100.5 = 75 375.
    const p = previewFloor(inputs!, { mode: 'transfer', termYears: 50, leaseYears: null, iab: true, priceFen: null, annualRentFen: null });
    if (p.state !== 'ok') throw new Error('preview');
    expect(p.lines[0]!.basis.components.costFen).toBeNull();
    expect(p.lines[0]!.basis.costRecorded).toBe(false);
    expect(p.lines[0]!).toMatchObject({ binding: 'provincial_minimum', floorFen: 7_537_500n });
  });
});

describe('the quota headroom and gauge (五(三)11)', () => {
  const year = { quotaM2: 3_333_333.34, iabReserveM2: 666_666.67, approvedM2: 8279.85, iabApprovedM2: 8279.85 };

  it('gives an IAB project the whole remaining quota, a non-IAB one the rest after the unused reserve', () => {
    const iab = headroom(year, { areaM2: 16559.37, iab: true });
    expect(iab).toMatchObject({ remainingM2: 3_325_053.49, unusedReserveM2: 658_386.82, availableM2: 3_325_053.49, requestedM2: 16559.37, fits: true, remainingAfterM2: 3_308_494.12, shortM2: 0 });
    const other = headroom(year, { areaM2: 16559.37, iab: false });
    expect(other.availableM2).toBe(2_666_666.67);
    expect(other.fits).toBe(true);
  });

  it('says by how much a plot does not fit, with the figures in 亩 as the server does', () => {
    const tight = { quotaM2: 3_333_333.34, iabReserveM2: 0, approvedM2: 3_333_333.34 - 8226.67, iabApprovedM2: 0 };
    const r = headroom(tight, { areaM2: 13_333.33, iab: true });
    expect(r.fits).toBe(false);
    expect(r.remainingAfterM2).toBeNull();
    expect(r.shortM2).toBe(5106.66);
    expect(r.messageZh).toBe('剩余指标 12.34 亩，本次需 20.00 亩');
    expect(r.messageEn).toBe('Remaining quota 12.34 mu; this allocation needs 20.00 mu');
  });

  it('keeps the reserve from a non-IAB project and says so', () => {
    const r = headroom({ quotaM2: 3_333_333.34, iabReserveM2: 3_333_333.34, approvedM2: 0, iabApprovedM2: 0 }, { areaM2: 100, iab: false });
    expect(r).toMatchObject({ fits: false, availableM2: 0 });
    expect(r.messageZh).toContain('非IAB项目不可占用');
  });

  it('splits the gauge into parts that add up to the quota', () => {
    const parts = gaugeParts(year);
    expect(parts.map((p) => p.key)).toEqual(['iabApproved', 'reserve', 'free']);
    const sum = parts.reduce((s, p) => s + Math.round(p.m2 * 100), 0);
    expect(sum).toBe(333_333_334);
    expect(parts.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 5);
    expect(usedShare(year)).toBeCloseTo(8279.85 / 3_333_333.34, 5);
  });

  it('draws a pending IAB plot from the reserve first; a non-IAB one beside it', () => {
    const iab = Object.fromEntries(gaugeParts(year, { areaM2: 10_000, iab: true }).map((p) => [p.key, p.m2]));
    expect(iab).toEqual({ iabApproved: 8279.85, pending: 10_000, reserve: 648_386.82, free: 2_666_666.67 });
    const other = Object.fromEntries(gaugeParts(year, { areaM2: 10_000, iab: false }).map((p) => [p.key, p.m2]));
    expect(other).toEqual({ iabApproved: 8279.85, pending: 10_000, reserve: 658_386.82, free: 2_656_666.67 });
  });

  it('shows an overdraw in its own part, the bar lengthened only beyond the quota', () => {
    const small = { quotaM2: 1000, iabReserveM2: 400, approvedM2: 500, iabApprovedM2: 0 };
    // Non-IAB: 100 available; 300 asked → 200 over, drawn over the reserve.
    const nonIab = gaugeParts(small, { areaM2: 300, iab: false });
    expect(Object.fromEntries(nonIab.map((p) => [p.key, p.m2]))).toEqual({ otherApproved: 500, pending: 100, over: 200, reserve: 200 });
    expect(nonIab.reduce((s, p) => s + p.share, 0)).toBeCloseTo(1, 5);
    // IAB: 500 available; 800 asked → 300 beyond the quota: the bar is 1300 long.
    const iab = gaugeParts(small, { areaM2: 800, iab: true });
    expect(Object.fromEntries(iab.map((p) => [p.key, p.m2]))).toEqual({ otherApproved: 500, pending: 500, over: 300 });
    expect(iab.find((p) => p.key === 'over')!.share).toBeCloseTo(300 / 1300, 5);
  });
});

describe('setting the year’s quota', () => {
  it('turns 5000 亩 into 3,333,333.34 m² (rounded up: never a hair under the minimum)', () => {
    expect(buildQuota({ unit: 'mu', quota: '5,000', reserve: '1000' })).toEqual({ ok: true, body: { quotaM2: 3_333_333.34, iabReserveM2: 666_666.67 }, warnings: {} });
    expect(buildQuota({ unit: 'm2', quota: '3333333.34', reserve: '0' })).toEqual({ ok: true, body: { quotaM2: 3_333_333.34, iabReserveM2: 0 }, warnings: {} });
  });

  it('asks for the IAB reserve: the tilt is a decision, 0 included, never a silent 0', () => {
    expect(buildQuota({ unit: 'm2', quota: '3333333.34', reserve: '' })).toEqual({ ok: false, problems: { reserve: { code: 'required' } } });
    expect(buildQuota({ unit: 'mu', quota: '6000', reserve: '  ' })).toEqual({ ok: false, problems: { reserve: { code: 'required' } } });
    expect(quotaFormFrom(null, 'mu')).toEqual({ unit: 'mu', quota: '5000', reserve: '' });
    expect(quotaFormFrom({ quotaM2: 4_000_000, iabReserveM2: 0 }, 'mu').reserve).toBe('0.00');
    // The share the form shows beside it: IAB 预留 1,000 亩 of 5,000 亩 = 20 %.
    const r = buildQuota({ unit: 'mu', quota: '5000', reserve: '1000' });
    expect(r.ok && reserveShareBp(r.body)).toBe(2000);
    expect(reserveShareBp({ quotaM2: 4_000_000, iabReserveM2: 0 })).toBe(0);
  });

  it('warns below 5000 亩 in shared/’s words, and still lets the server answer', () => {
    const r = buildQuota({ unit: 'mu', quota: '4999.99', reserve: '0' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.quota).toMatchObject({ code: 'shared', messageZh: expect.stringContaining('不得少于 5000 亩') });
    expect(buildQuota({ unit: 'm2', quota: '3333333.33', reserve: '0' })).toMatchObject({ ok: true, warnings: { quota: { code: 'shared' } } });
    expect(buildQuota({ unit: 'mu', quota: '6000', reserve: '7000' })).toMatchObject({ ok: true, warnings: { reserve: { code: 'shared' } } });
  });

  it('refuses what is not a figure', () => {
    expect(buildQuota({ unit: 'mu', quota: '', reserve: '0' })).toEqual({ ok: false, problems: { quota: { code: 'required' } } });
    expect(buildQuota({ unit: 'm2', quota: '3333333.333', reserve: '0' })).toMatchObject({ ok: false, problems: { quota: { code: 'tooManyDecimals' } } });
    expect(buildQuota({ unit: 'mu', quota: '5000', reserve: '-1' })).toMatchObject({ ok: false, problems: { reserve: { code: 'negative' } } });
  });

  it('shows a year’s figures back in 亩 (2 decimals, half up) or m²', () => {
    expect(muText(3_333_333.34)).toBe('5000.00');
    expect(muText(8279.85)).toBe('12.42');
    expect(quotaFormFrom({ quotaM2: 3_333_333.34, iabReserveM2: 666_666.67 }, 'mu')).toEqual({ unit: 'mu', quota: '5000.00', reserve: '1000.00' });
    // A new year: the reserve starts empty, to be decided.
    expect(quotaFormFrom(null, 'mu')).toEqual({ unit: 'mu', quota: '5000', reserve: '' });
  });
});

describe('contract and milestones', () => {
  const ok = { contractNo: '440112-2026-CR-1', supervisionNo: '4401122026b00001', signedOn: '2026-03-01', agreedHandoverOn: '2026-04-01', agreedStartOn: '2026-06-01', agreedCompletionOn: '2028-06-01' };

  it('accepts dates in order and a plausible supervision number', () => {
    expect(contractProblems(ok, '2026-05-01')).toEqual({});
  });

  it('names the date out of order, a signing in the future and a bad number', () => {
    expect(contractProblems({ ...ok, agreedStartOn: '2026-03-15' }, '2026-05-01')).toEqual({ agreedStartOn: { code: 'order', after: 'agreedHandoverOn' } });
    expect(contractProblems(ok, '2026-02-01')).toEqual({ signedOn: { code: 'future', today: '2026-02-01' } });
    expect(contractProblems({ ...ok, supervisionNo: 'A B' }, '2026-05-01')).toEqual({ supervisionNo: { code: 'supervisionNo' } });
    expect(contractProblems({ ...ok, contractNo: ' ', signedOn: '2026-02-30' }, '2026-05-01')).toEqual({ contractNo: { code: 'required' }, signedOn: { code: 'date' } });
  });

  it('records milestones in order, none before the previous one or in the future', () => {
    const none = { handedOverOn: null, startedOn: null, completedOn: null };
    expect(nextMilestone(none)).toBe('handed_over');
    expect(nextMilestone({ ...none, handedOverOn: '2026-04-02' })).toBe('started');
    expect(nextMilestone({ handedOverOn: '2026-04-02', startedOn: '2026-05-01', completedOn: '2027-01-01' })).toBeNull();
    expect(milestoneFloor('handed_over', none, '2026-03-01')).toBe('2026-03-01');
    expect(milestoneFloor('started', { ...none, handedOverOn: '2026-04-02' }, '2026-03-01')).toBe('2026-04-02');
    expect(milestoneProblem('2026-04-01', '2026-04-02', '2026-05-01')).toEqual({ code: 'beforePrevious', floor: '2026-04-02' });
    expect(milestoneProblem('2026-05-02', null, '2026-05-01')).toEqual({ code: 'future', today: '2026-05-01' });
    expect(milestoneProblem('2026-04-02', '2026-04-02', '2026-05-01')).toBeNull();
  });
});

describe('the URL, idempotency keys and server refusals', () => {
  it('reads and writes /bureau?plot=&allocation=&year=, keeping other parameters', () => {
    expect(parseBureauUrl('?plot=12&allocation=3&year=2026&z=14')).toEqual({ plotId: 12, allocationId: 3, year: 2026 });
    expect(parseBureauUrl('?plot=0&allocation=x&year=1999')).toEqual({ plotId: null, allocationId: null, year: null });
    expect(formatBureauUrl({ plotId: 5, allocationId: null, year: 2027 }, '?lng=113.3&allocation=9')).toBe('?lng=113.3&plot=5&year=2027');
    expect(formatBureauUrl({ plotId: null, allocationId: null, year: null }, '?plot=5')).toBe('');
  });

  it('keeps one key per intended request: the same body replays, a changed one is new', () => {
    const uuid = newIdempotencyKey();
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(uuid);
    expect(newIdempotencyKey(() => new Uint8Array(16).fill(255))).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff');
    let n = 0;
    const keys = keyKeeper(() => `k${++n}`);
    expect(keys.keyFor({ a: 1 })).toBe('k1');
    expect(keys.keyFor({ a: 1 })).toBe('k1');
    expect(keys.keyFor({ a: 2 })).toBe('k2');
    keys.reset();
    expect(keys.keyFor({ a: 2 })).toBe('k3');
  });

  it('shows a rule’s refusal in the interface language with its figures', () => {
    const e = new ApiError(409, 'QUOTA_EXCEEDED', 'Remaining quota 12.34 mu; this allocation needs 20.00 mu (剩余指标 12.34 亩，本次需 20.00 亩)', {
      messageZh: '剩余指标 12.34 亩，本次需 20.00 亩',
      messageEn: 'Remaining quota 12.34 mu; this allocation needs 20.00 mu',
    });
    expect(ruleRefusal(e, 'zh-CN')).toEqual({ kind: 'message', text: '剩余指标 12.34 亩，本次需 20.00 亩', code: 'QUOTA_EXCEEDED' });
    expect(ruleRefusal(e, 'en')).toMatchObject({ text: 'Remaining quota 12.34 mu; this allocation needs 20.00 mu' });
    expect(ruleRefusal(new ApiError(409, 'CONFLICT', 'x', { reason: 'QUOTA_NOT_SET', year: 2027 }), 'zh-CN')).toEqual({ kind: 'quotaNotSet', year: 2027 });
    expect(ruleRefusal(new ApiError(400, 'BAD_REQUEST', 'plain'), 'zh-CN')).toBeNull();
    expect(ruleRefusal(new Error('x'), 'zh-CN')).toBeNull();
  });
});

describe('four eyes on the approve button', () => {
  it('disables 批准 only for the officer who proposed it, only with the setting on', () => {
    const mine = { status: 'proposed', createdBy: 'land' };
    expect(approvalBlockedByFourEyes(true, 'land', mine)).toBe(true);
    expect(approvalBlockedByFourEyes(true, 'admin', mine)).toBe(false);
    expect(approvalBlockedByFourEyes(false, 'land', mine)).toBe(false);
    // An older server without the flag, nobody signed in, or nothing to approve: no block.
    expect(approvalBlockedByFourEyes(undefined, 'land', mine)).toBe(false);
    expect(approvalBlockedByFourEyes(true, null, mine)).toBe(false);
    expect(approvalBlockedByFourEyes(true, 'land', { status: 'approved', createdBy: 'land' })).toBe(false);
  });
});
