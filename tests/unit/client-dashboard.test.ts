/**
 * The review screens' pure helpers (client/features/district/): figures as text with the server's
 * rounding, table sorting, the subsidy grant preview and the facilities-ratio preview (the
 * server's own shared/policy rules), chart options, the CSV file name, reading a boundary file.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DashboardPark, Districts } from '../../client/api/index.ts';
import {
  capUsed,
  cleanAmount,
  DEFAULT_SORT,
  EMPTY_FACILITIES_FORM,
  EMPTY_GRANT_FORM,
  EMPTY_PROJECT_FORM,
  projectInvestment,
  facilitiesPreview,
  filenameFromDisposition,
  grantPreview,
  m2Text,
  muHundredths,
  muText,
  nextSort,
  quotaYears,
  shareText,
  sortParks,
  yearFromSearch,
  type GrantContext,
  type GrantProject,
} from '../../client/features/district/figures.ts';
import { chartHeight, landChartOption, leadShareChartOption, shortParkName, subsidyChartOption } from '../../client/features/district/charts.ts';
import { districtFit, metadataFromProperties, nextParkCode, readBoundaryText } from '../../client/features/district/boundary.ts';
import { translator } from '../../client/i18n/index.ts';
import { DEFAULT_PARAMETERS, subsidyGrant } from '../../shared/policy/index.ts';
import { formatArea } from '../../shared/units.ts';

const t = translator('zh-CN');

function park(over: Partial<DashboardPark> & { code: string }): DashboardPark {
  return {
    id: Number(over.code.slice(1)),
    nameZh: `${over.code}测试价值创新园`,
    nameEn: `${over.code} Test Value Innovation Park`,
    districtCode: '440112',
    tier: 'core',
    sectors: ['ai'],
    recognizedYear: 2018,
    sample: true,
    totalAreaM2: 1000,
    availableAreaM2: 600,
    heldAreaM2: 100,
    allocatedAreaM2: 300,
    withdrawnAreaM2: 0,
    areasMu: { total: 1.5, available: 0.9, held: 0.15, allocated: 0.45, withdrawn: 0 },
    plotCounts: { total: 3, available: 1, held: 1, allocated: 1, withdrawn: 0 },
    quotaChargedM2: 0,
    quotaChargedMu: 0,
    subsidy: { grantedYuan: 0, capYuan: 100_000_000, remainingYuan: 100_000_000 },
    projectsSigned: 0,
    projectsLanded: 0,
    leadSectorShare: { allocatedAreaM2: 0, leadSectorAreaM2: 0, share: null, target: 0.8, meetsTarget: null },
    overdueMilestones: 0,
    ...over,
  };
}

describe('figures as text', () => {
  it('writes 亩 exactly as the server rounds them (hundredths of m² × 3/2000, half up)', () => {
    expect(muText(1429326.71)).toBe('2,143.99');
    expect(muText(13333.33)).toBe('20.00');
    expect(muText(0)).toBe('0.00');
    // 1 m² = 0.0015 亩 → 0.00; 3.34 m² = 0.00501 亩 → 0.01 (half up from the exact value)
    expect(muText(1)).toBe('0.00');
    expect(muText(3.34)).toBe('0.01');
    expect(m2Text(1061059.73)).toBe('1,061,059.73');
  });

  it('agrees with shared/units formatArea for any area (the figure the rest of the app shows)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000_000 }), (h) => {
        const m2 = h / 100;
        expect(`${muText(m2)} 亩`).toBe(formatArea(m2, 'mu', 'zh-CN'));
        expect(Number(muHundredths(m2))).toBe(Math.round(Number(muHundredths(m2))));
      }),
    );
  });

  it('writes shares with one decimal and says nothing for no share', () => {
    expect(shareText(0.8)).toBe('80.0%');
    expect(shareText(0.72345)).toBe('72.3%');
    expect(shareText(1)).toBe('100.0%');
    expect(shareText(null)).toBeNull();
  });

  it('draws the share of the cap used between 0 and 1', () => {
    expect(capUsed(100, 25)).toBe(0.25);
    expect(capUsed(100, 150)).toBe(1);
    expect(capUsed(0, 0)).toBe(0);
  });

  it('reads amounts typed with thousands separators', () => {
    expect(cleanAmount(' 1,000,000.50 ')).toBe('1000000.50');
    expect(cleanAmount('1，000')).toBe('1000');
  });
});

describe('sorting the park table', () => {
  const rows = [
    park({ code: 'P10', totalAreaM2: 500, leadSectorShare: { allocatedAreaM2: 10, leadSectorAreaM2: 9, share: 0.9, target: 0.8, meetsTarget: true } }),
    park({ code: 'P2', totalAreaM2: 900, districtCode: '440106' }),
    park({ code: 'P06', totalAreaM2: 900, leadSectorShare: { allocatedAreaM2: 10, leadSectorAreaM2: 5, share: 0.5, target: 0.8, meetsTarget: false } }),
  ];

  it('sorts park codes naturally by default', () => {
    expect(sortParks(rows, DEFAULT_SORT).map((r) => r.code)).toEqual(['P2', 'P06', 'P10']);
  });

  it('sorts numbers either way, breaking ties by park code', () => {
    expect(sortParks(rows, { key: 'total', dir: 'desc' }).map((r) => r.code)).toEqual(['P2', 'P06', 'P10']);
    expect(sortParks(rows, { key: 'total', dir: 'asc' }).map((r) => r.code)).toEqual(['P10', 'P2', 'P06']);
  });

  it('puts parks without a lead-sector share last in both directions', () => {
    expect(sortParks(rows, { key: 'leadShare', dir: 'desc' }).map((r) => r.code)).toEqual(['P10', 'P06', 'P2']);
    expect(sortParks(rows, { key: 'leadShare', dir: 'asc' }).map((r) => r.code)).toEqual(['P06', 'P10', 'P2']);
  });

  it('does not change the rows it is given', () => {
    const before = rows.map((r) => r.code);
    sortParks(rows, { key: 'total', dir: 'asc' });
    expect(rows.map((r) => r.code)).toEqual(before);
  });

  it('starts a number column largest first, a name column A→Z, and flips on a second click', () => {
    expect(nextSort(DEFAULT_SORT, 'total')).toEqual({ key: 'total', dir: 'desc' });
    expect(nextSort({ key: 'total', dir: 'desc' }, 'total')).toEqual({ key: 'total', dir: 'asc' });
    expect(nextSort({ key: 'total', dir: 'desc' }, 'district')).toEqual({ key: 'district', dir: 'asc' });
    expect(nextSort(DEFAULT_SORT, 'park')).toEqual({ key: 'park', dir: 'desc' });
  });
});

describe('the subsidy grant preview (shared subsidyGrant, the server’s rule, per project)', () => {
  const ctx = (over: Partial<GrantContext> = {}): GrantContext => ({
    grantedYuan: 0, capYuan: 100_000_000, shareBp: 2000, tier: 'core', params: DEFAULT_PARAMETERS, ...over,
  });
  const form = (requested: string) => ({ ...EMPTY_GRANT_FORM, projectId: '1', requested });
  const project = (investment: number, granted = 0): GrantProject => ({ totalInvestmentYuan: investment, grantedYuan: granted });

  it('waits for a project and an amount', () => {
    expect(grantPreview(form(''), project(1000), ctx())).toEqual({ state: 'incomplete' });
    expect(grantPreview(form('100'), null, ctx())).toEqual({ state: 'incomplete' });
  });

  it('grants what was asked when it is the smallest limit', () => {
    const p = grantPreview(form('1,000,000'), project(10_000_000), ctx());
    expect(p).toMatchObject({ state: 'ok', grantedFen: 100_000_000n, limitedBy: 'requested', remainingAfterFen: 9_900_000_000n, zero: false });
  });

  it('caps at 20 % of the project’s investment, rounded down to the fen', () => {
    const p = grantPreview(form('1'), project(0.07), ctx());
    // 20 % of 7 fen = 1.4 fen → 1 fen
    expect(p).toMatchObject({ state: 'ok', grantedFen: 1n, limitedBy: 'investment_share', investmentShareFen: 1n });
    const q = grantPreview(form('1000000'), project(123456.78), ctx());
    expect(q).toMatchObject({ state: 'ok', grantedFen: 2_469_135n, limitedBy: 'investment_share' });
  });

  it('counts what the project already has against its 20 % (五(三)13 per project)', () => {
    // 10,000,000 → 2,000,000 in all; 1,500,000 granted → 500,000 left.
    const p = grantPreview(form('1500000'), project(10_000_000, 1_500_000), ctx({ grantedYuan: 1_500_000 }));
    expect(p).toMatchObject({ state: 'ok', grantedFen: 50_000_000n, limitedBy: 'investment_share', projectGrantedFen: 150_000_000n, projectHeadroomFen: 50_000_000n });
    expect(grantPreview(form('1'), project(10_000_000, 2_000_000), ctx({ grantedYuan: 2_000_000 }))).toMatchObject({ state: 'refused', code: 'SUBSIDY_CAP_EXCEEDED' });
  });

  it('caps at the park’s remaining headroom', () => {
    const p = grantPreview(form('200000000'), project(1_000_000_000), ctx({ grantedYuan: 99_000_000 }));
    expect(p).toMatchObject({ state: 'ok', grantedFen: 100_000_000n, limitedBy: 'park_cap', headroomFen: 100_000_000n, remainingAfterFen: 0n });
  });

  it('is refused when the park has no headroom left', () => {
    const p = grantPreview(form('100'), project(1000), ctx({ grantedYuan: 100_000_000 }));
    expect(p).toMatchObject({ state: 'refused', code: 'SUBSIDY_CAP_EXCEEDED' });
  });

  it('says a malformed amount at the field it is in', () => {
    expect(grantPreview(form('-5'), project(1000), ctx())).toMatchObject({ state: 'invalid', field: 'requested' });
    expect(grantPreview(form('1.001'), project(1000), ctx())).toMatchObject({ state: 'invalid', field: 'requested' });
    expect(projectInvestment({ ...EMPTY_PROJECT_FORM, totalInvestment: '12.345' })).toMatchObject({ state: 'invalid' });
    expect(projectInvestment({ ...EMPTY_PROJECT_FORM, totalInvestment: 'abc' })).toMatchObject({ state: 'invalid' });
    expect(projectInvestment({ ...EMPTY_PROJECT_FORM, totalInvestment: '1,000' })).toEqual({ state: 'ok', fen: 100_000n });
    expect(projectInvestment(EMPTY_PROJECT_FORM)).toEqual({ state: 'incomplete' });
  });

  it('flags a grant that rounds to nothing (the server refuses it)', () => {
    expect(grantPreview(form('1'), project(0.04), ctx())).toMatchObject({ state: 'ok', grantedFen: 0n, zero: true });
  });

  it('always equals subsidyGrant with the share and cap in force', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 10_000_000_000 }),
        fc.integer({ min: 0, max: 2_000_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (invFen, reqFen, grantedFen, projectFen, shareBp) => {
          const p = grantPreview(form((reqFen / 100).toFixed(2)), project(invFen / 100, projectFen / 100), ctx({ grantedYuan: grantedFen / 100, shareBp }));
          const d = subsidyGrant({
            requestedFen: BigInt(reqFen), totalInvestmentFen: BigInt(invFen), parkGrantedFen: BigInt(grantedFen), projectGrantedFen: BigInt(projectFen), parkTier: 'core',
            params: { ...DEFAULT_PARAMETERS, subsidyShareBp: shareBp },
          });
          if (d.ok) expect(p).toMatchObject({ state: 'ok', grantedFen: d.grantedFen, limitedBy: d.limitedBy });
          else expect(p).toMatchObject({ state: 'refused', code: d.code });
        },
      ),
    );
  });
});

describe('the supporting-facilities ratio preview', () => {
  const f = (total: string, facilities: string, byParkOperator = true) => ({ ...EMPTY_FACILITIES_FORM, totalFloorArea: total, facilitiesFloorArea: facilities, byParkOperator });

  it('allows exactly 15 % for the park operator, 14 % otherwise', () => {
    expect(facilitiesPreview(f('10000', '1500'), DEFAULT_PARAMETERS)).toMatchObject({ state: 'ok', ratio: 0.15, limit: 0.15, headroomM2: 0 });
    expect(facilitiesPreview(f('10000', '1500', false), DEFAULT_PARAMETERS)).toMatchObject({ state: 'exceeded', limit: 0.14, maxFacilitiesM2: 1400 });
  });

  it('says FACILITIES_RATIO_EXCEEDED with the ratio, rounded up so an excess never reads as the limit', () => {
    const p = facilitiesPreview(f('10000', '1500.01'), DEFAULT_PARAMETERS);
    expect(p).toMatchObject({ state: 'exceeded', maxFacilitiesM2: 1500 });
    if (p.state !== 'exceeded') throw new Error('expected exceeded');
    expect(p.messageZh).toContain('15.01%');
    expect(p.messageEn).toContain('15.01%');
  });

  it('waits for both areas but says a malformed one at once', () => {
    expect(facilitiesPreview(f('', ''), DEFAULT_PARAMETERS)).toEqual({ state: 'incomplete' });
    expect(facilitiesPreview(f('12.345', ''), DEFAULT_PARAMETERS)).toMatchObject({ state: 'invalid', field: 'totalFloorAreaM2' });
    expect(facilitiesPreview(f('100', '200'), DEFAULT_PARAMETERS)).toMatchObject({ state: 'invalid', field: 'facilitiesFloorAreaM2' });
  });
});

describe('chart options', () => {
  const rows = [park({ code: 'P06', availableAreaM2: 1061059.73, heldAreaM2: 106310.53, allocatedAreaM2: 261956.45 }), park({ code: 'P09' })];

  it('draws each park’s areas by status in 亩 as the table shows them', () => {
    const o = landChartOption(rows, t, 'zh-CN');
    const series = o.series as { name: string; data: number[] }[];
    expect(series.map((s) => s.name)).toEqual(['可供地', '预留中', '已供地', '已收回']);
    expect(series[0]!.data[0]).toBe(Number(muText(1061059.73).replace(/,/g, '')));
    expect(series[1]!.data[0]).toBe(159.47);
    expect((o.yAxis as { data: string[] }).data).toEqual(['P06 P06测试', 'P09 P09测试']);
  });

  it('draws the subsidy as granted + headroom in 万元 (zh) or ¥ million (en)', () => {
    const r = [park({ code: 'P01', subsidy: { grantedYuan: 5_000_000, capYuan: 100_000_000, remainingYuan: 95_000_000 } })];
    const zh = subsidyChartOption(r, t, 'zh-CN').series as { data: number[] }[];
    expect(zh.map((s) => s.data[0])).toEqual([500, 9500]);
    const en = subsidyChartOption(r, translator('en'), 'en').series as { data: number[] }[];
    expect(en.map((s) => s.data[0])).toEqual([5, 95]);
  });

  it('draws the lead-sector share in % with the target as a line, and no bar without a share', () => {
    const r = [park({ code: 'P01', leadSectorShare: { allocatedAreaM2: 10, leadSectorAreaM2: 7.25, share: 0.725, target: 0.8, meetsTarget: false } }), park({ code: 'P02' })];
    const o = leadShareChartOption(r, 0.8, t, 'zh-CN');
    const s = (o.series as { data: { value: number | null }[]; markLine: { data: { xAxis: number }[] } }[])[0]!;
    expect(s.data.map((d) => d.value)).toEqual([72.5, null]);
    expect(s.markLine.data[0]!.xAxis).toBe(80);
  });

  it('names parks without the common suffix and sizes charts by the number of parks', () => {
    expect(shortParkName({ code: 'P06', nameZh: '黄埔智能装备价值创新园', nameEn: 'Huangpu Intelligent Equipment Value Innovation Park' }, 'zh-CN')).toBe('P06 黄埔智能装备');
    expect(shortParkName({ code: 'P06', nameZh: '黄埔智能装备价值创新园', nameEn: 'Huangpu Intelligent Equipment Value Innovation Park' }, 'en')).toBe('P06 Huangpu Intelligent Equipment');
    expect(chartHeight(12)).toBeGreaterThan(chartHeight(3));
    expect(chartHeight(0)).toBe(160);
  });
});

describe('downloads and years', () => {
  it('takes the UTF-8 file name from Content-Disposition, else the ASCII one, else the fallback', () => {
    const h = `attachment; filename="dashboard-440112-2026.csv"; filename*=UTF-8''${encodeURIComponent('黄埔区-园区看板-2026.csv')}`;
    expect(filenameFromDisposition(h, 'x.csv')).toBe('黄埔区-园区看板-2026.csv');
    expect(filenameFromDisposition('attachment; filename="parks-2026.csv"', 'x.csv')).toBe('parks-2026.csv');
    expect(filenameFromDisposition(null, 'x.csv')).toBe('x.csv');
    expect(filenameFromDisposition(`attachment; filename*=UTF-8''..%2F..%2Fevil.csv`, 'x.csv')).toBe('.._.._evil.csv');
  });

  it('offers the plan’s years and reads ?year= only when it is one of them', () => {
    expect(quotaYears(2026)).toEqual([2026, 2025, 2024, 2023, 2022, 2021, 2020, 2019, 2018]);
    expect(yearFromSearch('?year=2025', 2026)).toBe(2025);
    expect(yearFromSearch('?year=2030', 2026)).toBeUndefined();
    expect(yearFromSearch('?year=abc', 2026)).toBeUndefined();
    expect(yearFromSearch('', 2026)).toBeUndefined();
  });
});

describe('reading a boundary file in the browser', () => {
  const square = (lon: number, lat: number, half = 0.004) => [
    [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half],
  ];
  const districts: Districts = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { code: '440106', nameZh: '天河区', nameEn: 'Tianhe' }, geometry: { type: 'Polygon', coordinates: [square(113.33, 23.13, 0.01)] } },
      { type: 'Feature', properties: { code: '440112', nameZh: '黄埔区', nameEn: 'Huangpu' }, geometry: { type: 'Polygon', coordinates: [square(113.35, 23.13, 0.01)] } },
    ],
  };

  it('reads a one-feature collection with its properties and area', () => {
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: 'P13', nameZh: '测试园', sectors: 'ai,ngit' }, geometry: { type: 'Polygon', coordinates: [square(113.33, 23.13)] } }] });
    const r = readBoundaryText(`\uFEFF${text}`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.areaM2).toBeGreaterThan(700_000);
    expect(r.bbox[0]).toBeCloseTo(113.326, 6);
    expect(metadataFromProperties(r.properties)).toEqual({ code: 'P13', nameZh: '测试园', sectors: ['ai', 'ngit'] });
  });

  it('says what is wrong with a bad file, in both languages', () => {
    expect(readBoundaryText('{not json')).toMatchObject({ ok: false, messageEn: expect.stringContaining('not valid JSON') });
    const open = readBoundaryText(JSON.stringify({ type: 'Polygon', coordinates: [[[113.3, 23.1], [113.31, 23.1], [113.31, 23.11], [113.3, 23.11]]] }));
    expect(open).toMatchObject({ ok: false, messageZh: expect.stringContaining('未闭合') });
    const projected = readBoundaryText(JSON.stringify({ type: 'Polygon', coordinates: [[[38500000, 2560000], [38501000, 2560000], [38501000, 2561000], [38500000, 2560000]]] }));
    expect(projected).toMatchObject({ ok: false, messageEn: expect.stringContaining('projected') });
  });

  it('measures how much of the boundary lies in the chosen district', () => {
    const inside = readBoundaryText(JSON.stringify({ type: 'Polygon', coordinates: [square(113.33, 23.13)] }));
    if (!inside.ok) throw new Error('expected a boundary');
    expect(districtFit(inside.geometry, inside.areaM2, districts, '440106')).toEqual({ insideDistrictShare: 1, insideCityShare: 1, largestDistrictCode: '440106' });
    expect(districtFit(inside.geometry, inside.areaM2, districts, '440112')).toMatchObject({ insideDistrictShare: 0, largestDistrictCode: '440106' });
    // Straddling the two: about half in each.
    const half = readBoundaryText(JSON.stringify({ type: 'Polygon', coordinates: [square(113.34, 23.13)] }));
    if (!half.ok) throw new Error('expected a boundary');
    const fit = districtFit(half.geometry, half.areaM2, districts, '440112');
    expect(fit.insideDistrictShare).toBeCloseTo(0.5, 1);
    expect(fit.insideCityShare).toBeCloseTo(1, 2);
  });

  it('suggests the next park code in the plan’s style', () => {
    expect(nextParkCode(['P01', 'P12', 'R01'])).toBe('P13');
    expect(nextParkCode([])).toBe('P01');
  });
});
