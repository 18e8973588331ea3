/**
 * 宗地代码 (parcel code): the 19-character land-parcel part of the 不动产单元代码, as set by
 * GB/T 37346-2019 《不动产单元设定与代码编制规则》 (which replaced GB/T 26325-2010 and TD/T
 * 1004 for the parcel part). DOMAIN.md does not fix the rules, so this follows GB/T 37346:
 *
 *   positions  1–6   县级行政区划代码 (GB/T 2260): here one of Guangzhou's districts the app
 *                    knows (shared/domain.ts DISTRICT_CODES, 4401xx)
 *   positions  7–9   地籍区 (cadastral district), 3 digits
 *   positions 10–12  地籍子区 (cadastral sub-district), 3 digits
 *   position  13     宗地特征码, 1st letter — land ownership:
 *                      G 国家土地所有权 (state) · J 集体土地所有权 (collective) · Z 土地所有权未确定或有争议
 *   position  14     宗地特征码, 2nd letter — the parcel's right:
 *                      A 集体土地所有权宗地 (only with J: it is the collective's ownership parcel)
 *                      B 建设用地使用权宗地（地表） · S 建设用地使用权宗地（地上） · X 建设用地使用权宗地（地下）
 *                      C 宅基地使用权宗地 · D 土地承包经营权宗地（耕地） · E 土地承包经营权宗地（林地）
 *                      F 土地承包经营权宗地（草地） · W 使用权未确定或有争议的土地 · Y 其他使用权土地
 *                    (H and G in the 2nd position name 宗海 / 无居民海岛 units: not land parcels, refused)
 *   positions 15–19  宗地顺序号, 5 digits, 00001–99999 within the 地籍子区 (00000 is not a number given)
 *
 * Input is normalised before it is checked: surrounding white space is trimmed and letters are
 * upper-cased (officers copy codes from registers typed either way; the stored code is always the
 * upper-case form). Inner spaces or separators are refused, not removed: a code is 19 characters.
 * The database (migration 026) refuses any stored value this function would refuse.
 */
import { DISTRICT_CODES } from '../domain.ts';

export const PARCEL_CODE_LENGTH = 19;
/** 宗地特征码 1st letter: land ownership. */
export const PARCEL_OWNERSHIP_LETTERS = ['G', 'J', 'Z'] as const;
/** 宗地特征码 2nd letter: the right of the parcel (land parcels only). */
export const PARCEL_RIGHT_LETTERS = ['A', 'B', 'S', 'X', 'C', 'D', 'E', 'F', 'W', 'Y'] as const;

/** The same rule as one regular expression (without the district list and the A-only-with-J rule); the DB CHECK uses it. */
export const PARCEL_CODE_PATTERN = `^[0-9]{12}[${PARCEL_OWNERSHIP_LETTERS.join('')}][${PARCEL_RIGHT_LETTERS.join('')}][0-9]{5}$`;

export type ParcelCodeProblem = 'length' | 'district' | 'cadastral_area' | 'ownership' | 'right' | 'sequence';

export type ParcelCodeResult =
  | { readonly ok: true; readonly normalized: string; readonly districtCode: string }
  | { readonly ok: false; readonly reason: ParcelCodeProblem; readonly messageZh: string; readonly messageEn: string };

const fail = (reason: ParcelCodeProblem, messageZh: string, messageEn: string): ParcelCodeResult => ({ ok: false, reason, messageZh, messageEn });

/** Trimmed and upper-cased: the form that is checked and stored. */
export function normalizeParcelCode(raw: string): string {
  return raw.trim().toUpperCase();
}

/** Checks a 宗地代码 (GB/T 37346-2019, rules above); `knownDistricts` defaults to Guangzhou's eleven. */
export function validateParcelCode(raw: string, knownDistricts: readonly string[] = DISTRICT_CODES): ParcelCodeResult {
  const code = normalizeParcelCode(raw);
  if (code.length !== PARCEL_CODE_LENGTH) {
    return fail('length', `宗地代码应为 19 位，实际 ${code.length} 位`, `A parcel code (宗地代码) has 19 characters; this one has ${code.length}`);
  }
  const district = code.slice(0, 6);
  if (!/^[0-9]{6}$/.test(district) || !knownDistricts.includes(district)) {
    return fail('district', `宗地代码前 6 位应为广州市的区县代码（${knownDistricts.join('、')}），实际为 ${district}`, `The first 6 characters must be a Guangzhou district code (${knownDistricts.join(', ')}); got ${district}`);
  }
  if (!/^[0-9]{6}$/.test(code.slice(6, 12))) {
    return fail('cadastral_area', `第 7–12 位应为 3 位地籍区和 3 位地籍子区数字，实际为 ${code.slice(6, 12)}`, `Characters 7–12 must be the 3-digit 地籍区 and 3-digit 地籍子区; got ${code.slice(6, 12)}`);
  }
  const owner = code.charAt(12);
  if (!(PARCEL_OWNERSHIP_LETTERS as readonly string[]).includes(owner)) {
    return fail('ownership', `第 13 位（宗地特征码第 1 位）应为 G（国有）、J（集体）或 Z（争议），实际为 ${owner}`, `Character 13 (宗地特征码, ownership) must be G (state), J (collective) or Z (undetermined); got ${owner}`);
  }
  const right = code.charAt(13);
  if (!(PARCEL_RIGHT_LETTERS as readonly string[]).includes(right)) {
    return fail('right', `第 14 位（宗地特征码第 2 位）应为 ${PARCEL_RIGHT_LETTERS.join('、')} 之一，实际为 ${right}`, `Character 14 (宗地特征码, right) must be one of ${PARCEL_RIGHT_LETTERS.join(', ')}; got ${right}`);
  }
  if (right === 'A' && owner !== 'J') {
    return fail('right', '特征码 A（集体土地所有权宗地）只能与 J（集体土地所有权）组合', 'Right letter A (集体土地所有权宗地, collective ownership parcel) goes only with ownership letter J');
  }
  const seq = code.slice(14);
  if (!/^[0-9]{5}$/.test(seq) || seq === '00000') {
    return fail('sequence', `第 15–19 位应为 5 位宗地顺序号（00001–99999），实际为 ${seq}`, `Characters 15–19 must be the 5-digit 宗地顺序号 (00001–99999); got ${seq}`);
  }
  return { ok: true, normalized: code, districtCode: district };
}
