/**
 * 宗地代码 (GB/T 37346-2019) validation at each boundary, the 2023 用地用海 mapping, and the
 * reference CSV that ships the mapping (seeds/reference/land-use-codes-2023.csv) against the code.
 */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import Papa from 'papaparse';
import { normalizeParcelCode, PARCEL_CODE_PATTERN, validateParcelCode } from '../../../shared/policy/parcel-code.ts';
import { defaultLandUseCode, LAND_USE_CLASSES, LAND_USE_CODE_MAP, LAND_USE_NAMES, landUseCodesFor, landUseMapping } from '../../../shared/land-use-codes.ts';
import { LAND_USES } from '../../../shared/domain.ts';
import { sampleCodes } from '../../../seeds/generate-plots.ts';
import { constraintError } from '../../../server/kernel/errors.ts';

const GOOD = '440112001002GB00015';
const reason = (code: string) => {
  const v = validateParcelCode(code);
  return v.ok ? 'ok' : v.reason;
};

describe('宗地代码 validation (GB/T 37346-2019)', () => {
  it('accepts a well-formed Guangzhou code and says its district', () => {
    expect(validateParcelCode(GOOD)).toEqual({ ok: true, normalized: GOOD, districtCode: '440112' });
  });

  it('needs exactly 19 characters: 18 and 20 are refused', () => {
    expect(GOOD.length).toBe(19);
    expect(reason(GOOD.slice(0, 18))).toBe('length');
    expect(reason(`${GOOD}1`)).toBe('length');
    expect(reason('')).toBe('length');
    const v = validateParcelCode(GOOD.slice(0, 18));
    expect(!v.ok && v.messageEn).toMatch(/19 characters; this one has 18/);
    expect(!v.ok && v.messageZh).toMatch(/19 位/);
  });

  it('normalises: trims and upper-cases before checking (the stored form)', () => {
    expect(normalizeParcelCode(' 440112001002gb00015 ')).toBe(GOOD);
    expect(validateParcelCode(' 440112001002gb00015\t')).toEqual({ ok: true, normalized: GOOD, districtCode: '440112' });
    // Inner separators are not removed: the code is then not 19 characters.
    expect(reason('440112-001002GB00015')).toBe('length');
  });

  it('refuses a district that is not one of Guangzhou eleven, or not digits', () => {
    expect(reason(`440100${GOOD.slice(6)}`)).toBe('district'); // 广州市 itself, not a district
    expect(reason(`440303${GOOD.slice(6)}`)).toBe('district'); // 深圳罗湖
    expect(reason(`4401A2${GOOD.slice(6)}`)).toBe('district');
    for (const d of ['440103', '440118']) expect(reason(`${d}${GOOD.slice(6)}`)).toBe('ok');
    expect(validateParcelCode(`440303${GOOD.slice(6)}`, ['440303']).ok).toBe(true);
  });

  it('needs digits for 地籍区 and 地籍子区', () => {
    expect(reason('440112A01002GB00015')).toBe('cadastral_area');
    expect(reason('44011200100BGB00015')).toBe('cadastral_area');
  });

  it('checks both 特征码 letters; A only with J; sea letters H refused', () => {
    for (const o of ['G', 'J', 'Z']) expect(reason(`440112001002${o}B00015`), o).toBe('ok');
    expect(reason('440112001002XB00015')).toBe('ownership');
    expect(reason('440112001002HB00015')).toBe('ownership');
    expect(reason('440112001002100015X')).toBe('ownership');
    for (const r of ['B', 'S', 'X', 'C', 'D', 'E', 'F', 'W', 'Y']) expect(reason(`440112001002G${r}00015`), r).toBe('ok');
    expect(reason('440112001002GH00015')).toBe('right');
    expect(reason('440112001002GZ00015')).toBe('right');
    expect(reason('440112001002JA00015')).toBe('ok');
    expect(reason('440112001002GA00015')).toBe('right');
  });

  it('needs a 5-digit 顺序号 from 00001', () => {
    expect(reason('440112001002GB00001')).toBe('ok');
    expect(reason('440112001002GB99999')).toBe('ok');
    expect(reason('440112001002GB00000')).toBe('sequence');
    expect(reason('440112001002GB0001A')).toBe('sequence');
  });

  it('the database pattern accepts what the validator accepts and refuses the letter errors', () => {
    const re = new RegExp(PARCEL_CODE_PATTERN);
    expect(re.test(GOOD)).toBe(true);
    expect(re.test('440112001002gb00015')).toBe(false); // stored upper-case only
    expect(re.test('440112001002GH00015')).toBe(false);
    expect(re.test('440112001002XB00015')).toBe(false);
    expect(re.test(GOOD.slice(0, 18))).toBe(false);
  });
});

describe('用地用海 2023 codes and the GB 50137 mapping', () => {
  it('maps each M label to its default 三级类 and also allows 1001', () => {
    expect(Object.fromEntries(LAND_USES.map((u) => [u, defaultLandUseCode(u)]))).toEqual({ M0: '100101', M1: '100101', M2: '100102', M3: '100103' });
    expect(landUseCodesFor('M2')).toEqual(['100102', '1001']);
    expect(landUseMapping('M2', '100101')).toBeUndefined();
    expect(landUseMapping('M3', '1001')?.isDefault).toBe(false);
  });

  it('marks M0 → 100101 (and only that) as an assumption, saying so in both languages', () => {
    const assumed = LAND_USE_CODE_MAP.filter((m) => m.assumption);
    expect(assumed.map((m) => `${m.landUse}→${m.landUseCode}`)).toEqual(['M0→100101']);
    expect(assumed[0]!.noteZh).toMatch(/^假设/);
    expect(assumed[0]!.noteEn).toMatch(/^Assumption/);
  });

  it('has one default per label and every mapped code is a known class', () => {
    for (const u of LAND_USES) expect(LAND_USE_CODE_MAP.filter((m) => m.landUse === u && m.isDefault)).toHaveLength(1);
    const codes = new Set(LAND_USE_CLASSES.map((c) => c.code));
    for (const m of LAND_USE_CODE_MAP) expect(codes.has(m.landUseCode)).toBe(true);
    for (const c of LAND_USE_CLASSES) if (c.parent) expect(codes.has(c.parent)).toBe(true);
  });

  it('the shipped reference CSV is the same table', () => {
    const csv = fs.readFileSync(new URL('../../../seeds/reference/land-use-codes-2023.csv', import.meta.url), 'utf8');
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => ({
      landUse: r.gb50137_code, nameM: r.gb50137_name, landUseCode: r.land_use_code_2023, name: r.name_2023,
      isDefault: r.is_default === 'true', assumption: r.assumption === 'true', note: r.note,
    }))).toEqual(LAND_USE_CODE_MAP.map((m) => ({
      landUse: m.landUse, nameM: LAND_USE_NAMES[m.landUse].zh, landUseCode: m.landUseCode, name: LAND_USE_CLASSES.find((c) => c.code === m.landUseCode)!.nameZh,
      isDefault: m.isDefault, assumption: m.assumption, note: m.noteZh,
    })));
  });
});

describe('sample 宗地代码 of the generated plots', () => {
  it('are valid, in the park district, and distinct across parks and rows', () => {
    const a = sampleCodes({ code: 'P06', districtCode: '440112' }, 2, 14);
    expect(a).toEqual({ parcelCode: '440112006003GB00015', zoningPlotCode: 'KG06-03-15' });
    expect(validateParcelCode(a.parcelCode!).ok).toBe(true);
    expect(sampleCodes({ code: 'P10', districtCode: '440112' }, 2, 14).parcelCode).not.toBe(a.parcelCode);
    expect(sampleCodes({ code: 'Z440112-3', districtCode: '440112' }, 0, 0)).toEqual({ parcelCode: null, zoningPlotCode: null });
  });
});

describe('the live-unique index answers as the API check would', () => {
  it('maps plots_parcel_code_live to 409 CONFLICT naming parcelCode, on both drivers', () => {
    expect(constraintError({ code: '23505', constraint: 'plots_parcel_code_live' })).toMatchObject({ statusCode: 409, code: 'CONFLICT', details: { reason: 'CODE_EXISTS', field: 'parcelCode' } });
    expect(constraintError({ code: '23505', message: 'duplicate key value violates unique constraint "plots_parcel_code_live"' })).toMatchObject({ statusCode: 409, code: 'CONFLICT' });
  });
});
