import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_PARAMETERS, subsidyGrant, type SubsidyRequest } from '../../../shared/policy/index.ts';

const WAN = 1_000_000n; // 1万元 in fen
const YI = 10_000_000_000n; // 1亿元 in fen

/** A core-park project: 1000万 invested, 100万 requested, nothing granted to the park yet. */
const request = (over: Partial<SubsidyRequest> = {}): SubsidyRequest => ({
  requestedFen: 100n * WAN,
  totalInvestmentFen: 1000n * WAN,
  parkGrantedFen: 0n,
  projectGrantedFen: 0n,
  parkTier: 'core',
  ...over,
});

describe('五(三)13 park infrastructure subsidy: min(requested, 20 % × investment − granted to the project, 1亿 − granted to the park), rounded down', () => {
  it.each([
    // requested 100万 < 20 % × 1000万 = 200万 → as requested; headroom 1亿 − 100万 = 9900万
    ['as requested', {}, 100n * WAN, 'requested', YI - 100n * WAN],
    // requested 300万 > 20 % × 1000万 = 200万
    ['capped by 20 % of investment', { requestedFen: 300n * WAN }, 200n * WAN, 'investment_share', YI - 200n * WAN],
    // park already has 9995万: headroom 5万 < requested 100万 and < 200万
    ['capped by the park cap', { parkGrantedFen: 9995n * WAN }, 5n * WAN, 'park_cap', 0n],
    // requested = 20 % share = 200万: tie → 'requested' (first in order)
    ['tie requested = share → requested', { requestedFen: 200n * WAN }, 200n * WAN, 'requested', YI - 200n * WAN],
    // share = headroom = 200万 < requested 300万: tie → 'investment_share'
    ['tie share = headroom → investment_share', { requestedFen: 300n * WAN, parkGrantedFen: YI - 200n * WAN }, 200n * WAN, 'investment_share', 0n],
  ] as const)('%s', (_n, over, grantedFen, limitedBy, parkRemainingAfterFen) => {
    expect(subsidyGrant(request(over))).toMatchObject({ ok: true, grantedFen, limitedBy, parkRemainingAfterFen });
  });

  it.each([
    // 20 % × 1 000 000.03 yuan = 20 % × 100 000 003 fen = 20 000 000.6 fen → 20 000 000 fen
    [100_000_003n, 20_000_000n],
    // 20 % of an odd 7 fen = 1.4 fen → 1 fen; of 9 fen = 1.8 → 1 (down, never up)
    [7n, 1n],
    [9n, 1n],
    // 4 fen × 20 % = 0.8 → 0: the grant may be zero
    [4n, 0n],
  ])('20 %% of %s fen investment rounds DOWN to %s fen', (totalInvestmentFen, share) => {
    const r = subsidyGrant(request({ totalInvestmentFen, requestedFen: 10n * YI }));
    expect(r).toMatchObject({ ok: true, grantedFen: share, investmentShareFen: share, limitedBy: 'investment_share' });
  });

  it('refuses when the park has no headroom left (cap reached)', () => {
    const r = subsidyGrant(request({ parkGrantedFen: YI }));
    expect(r).toMatchObject({ ok: false, code: 'SUBSIDY_CAP_EXCEEDED', parkCapFen: YI, parkGrantedFen: YI, requestedFen: 100n * WAN });
    expect(r.ok ? '' : 'messageZh' in r ? r.messageZh : '').toBe('园区累计补助已达上限 1.00 亿元（已补助 100,000,000.00 元）');
  });

  it.each(['core', 'equal_policy', 'recognized'] as const)('a %s park is eligible', (parkTier) => {
    expect(subsidyGrant(request({ parkTier })).ok).toBe(true);
  });

  it('a project outside a value-innovation park is not eligible', () => {
    expect(subsidyGrant(request({ parkTier: null }))).toMatchObject({ ok: false, code: 'SUBSIDY_NOT_ELIGIBLE' });
  });

  it.each([
    ['requestedFen', { requestedFen: 0n }],
    ['totalInvestmentFen', { totalInvestmentFen: 0n }],
    ['parkGrantedFen', { parkGrantedFen: -1n }],
    ['projectGrantedFen', { projectGrantedFen: -1n }],
  ] as const)('validates %s', (field, over) => {
    expect(subsidyGrant(request(over))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
  });

  it('the cap and share are configurable', () => {
    const params = { ...DEFAULT_PARAMETERS, subsidyShareBp: 1000, subsidyParkCapFen: 50n * WAN };
    // 10 % × 1000万 = 100万 but the cap is 50万
    expect(subsidyGrant(request({ params }))).toMatchObject({ ok: true, grantedFen: 50n * WAN, limitedBy: 'park_cap' });
  });

  it('property: any sequence of grants (and withdrawals) never takes a park above 1亿', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('grant' as const), requestedFen: fc.bigInt({ min: 1n, max: 5n * YI }), totalInvestmentFen: fc.bigInt({ min: 1n, max: 20n * YI }) }),
      fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let total = 0n;
        const grants: bigint[] = [];
        for (const s of steps) {
          if (s.kind === 'withdraw') {
            // a reversing entry restores headroom
            if (grants.length === 0) continue;
            const [g] = grants.splice(s.pick % grants.length, 1);
            total -= g ?? 0n;
            continue;
          }
          const r = subsidyGrant({ requestedFen: s.requestedFen, totalInvestmentFen: s.totalInvestmentFen, parkGrantedFen: total, projectGrantedFen: 0n, parkTier: 'recognized' });
          if (r.ok) {
            expect(r.grantedFen <= s.requestedFen && r.grantedFen * 5n <= s.totalInvestmentFen).toBe(true);
            total += r.grantedFen;
            grants.push(r.grantedFen);
            expect(r.parkRemainingAfterFen).toBe(YI - total);
          } else {
            expect(r.code).toBe('SUBSIDY_CAP_EXCEEDED');
            expect(total).toBe(YI);
          }
          expect(total <= YI).toBe(true);
        }
      }),
    );
  });

  // 五(三)13 "按总投资额的20%": the 20 % is per project, cumulative over its grants.
  it.each([
    // 1000万 invested → 200万 in all; 150万 already granted → 50万 left < 100万 requested
    ['the project’s remaining 20 % binds', { projectGrantedFen: 150n * WAN }, 50n * WAN, 'investment_share', 0n],
    // 100万 granted → 100万 left = requested: tie → requested
    ['a tie with the remaining 20 % names requested', { projectGrantedFen: 100n * WAN }, 100n * WAN, 'requested', 0n],
    // 120万 granted → 80万 left, but the park has only 30万
    ['the park cap still binds below the project’s headroom', { projectGrantedFen: 120n * WAN, parkGrantedFen: YI - 30n * WAN }, 30n * WAN, 'park_cap', 50n * WAN],
  ] as const)('%s', (_n, over, grantedFen, limitedBy, projectRemainingAfterFen) => {
    expect(subsidyGrant(request(over))).toMatchObject({ ok: true, grantedFen, limitedBy, projectRemainingAfterFen, investmentShareFen: 200n * WAN });
  });

  it('refuses a project that has had its 20 %, naming it (SUBSIDY_CAP_EXCEEDED, exhausted project_share)', () => {
    const r = subsidyGrant(request({ projectGrantedFen: 200n * WAN, parkGrantedFen: 200n * WAN }));
    expect(r).toMatchObject({ ok: false, code: 'SUBSIDY_CAP_EXCEEDED', exhausted: 'project_share' });
    expect(r.ok ? '' : 'messageZh' in r ? r.messageZh : '').toBe('项目已获补助 2,000,000.00 元，已达总投资的 20%（2,000,000.00 元）');
    // A lowered share below what the project has is refused the same way.
    const lower = subsidyGrant(request({ projectGrantedFen: 150n * WAN, params: { ...DEFAULT_PARAMETERS, subsidyShareBp: 1000 } }));
    expect(lower).toMatchObject({ ok: false, exhausted: 'project_share' });
  });

  it('property: any sequence of grants and withdrawals on a few projects keeps each ≤ 20 % of its investment and the park ≤ 1亿', () => {
    const investments = [3n * YI, 40n * YI, 7n * WAN, 123_456_789n];
    const step = fc.oneof(
      fc.record({ kind: fc.constant('grant' as const), project: fc.nat({ max: investments.length - 1 }), requestedFen: fc.bigInt({ min: 1n, max: 5n * YI }) }),
      fc.record({ kind: fc.constant('withdraw' as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const byProject = investments.map(() => 0n);
        const grants: { project: number; fen: bigint }[] = [];
        const park = () => byProject.reduce((a, b) => a + b, 0n);
        for (const s of steps) {
          if (s.kind === 'withdraw') {
            if (grants.length === 0) continue;
            const [g] = grants.splice(s.pick % grants.length, 1);
            byProject[g!.project]! -= g!.fen;
            continue;
          }
          const inv = investments[s.project]!;
          const r = subsidyGrant({ requestedFen: s.requestedFen, totalInvestmentFen: inv, parkGrantedFen: park(), projectGrantedFen: byProject[s.project]!, parkTier: 'core' });
          if (r.ok && r.grantedFen > 0n) {
            byProject[s.project]! += r.grantedFen;
            grants.push({ project: s.project, fen: r.grantedFen });
          }
          for (const [i, g] of byProject.entries()) expect(g * 5n <= investments[i]!).toBe(true);
          expect(park() <= YI).toBe(true);
        }
      }),
    );
  });
});
