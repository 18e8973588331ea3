/**
 * National minimum prices for industrial land (全国工业用地出让最低价标准, 国土资发〔2006〕307号
 * 附件1), N in 五(三)14's floor, and Guangzhou's district → grade (等别) defaults. Reference
 * data the bureau can replace (versioned on the server); every unconfirmed figure says so.
 */
import type { DistrictCode } from '../domain.ts';

export interface NationalMinimumGrade {
  /** 土地等别, 1 (highest) … 15. */
  readonly grade: number;
  /** Minimum price, yuan per m² of land, 50-year industrial use. */
  readonly yuanPerM2: number;
  /** Confirmed against a published source; false = "to verify against the official annex". */
  readonly verified: boolean;
  readonly source: string;
}

const CONFIRMED = '国土资发〔2006〕307号 附件1 (confirmed by press reports of the standard)';
const TO_VERIFY = '国土资发〔2006〕307号 附件1 as commonly reproduced — to verify against the official annex';

/** The 15 grades of 国土资发〔2006〕307号 (五(三)14: "不低于国家…规定的土地出让最低价"). */
export const NATIONAL_MINIMUM_GRADES = [
  { grade: 1, yuanPerM2: 840, verified: true, source: CONFIRMED },
  { grade: 2, yuanPerM2: 720, verified: true, source: CONFIRMED },
  { grade: 3, yuanPerM2: 600, verified: true, source: CONFIRMED },
  { grade: 4, yuanPerM2: 480, verified: false, source: TO_VERIFY },
  { grade: 5, yuanPerM2: 384, verified: false, source: TO_VERIFY },
  { grade: 6, yuanPerM2: 336, verified: false, source: TO_VERIFY },
  { grade: 7, yuanPerM2: 288, verified: false, source: TO_VERIFY },
  { grade: 8, yuanPerM2: 252, verified: false, source: TO_VERIFY },
  { grade: 9, yuanPerM2: 204, verified: false, source: TO_VERIFY },
  { grade: 10, yuanPerM2: 168, verified: false, source: TO_VERIFY },
  { grade: 11, yuanPerM2: 144, verified: false, source: TO_VERIFY },
  { grade: 12, yuanPerM2: 120, verified: false, source: TO_VERIFY },
  { grade: 13, yuanPerM2: 96, verified: false, source: TO_VERIFY },
  { grade: 14, yuanPerM2: 84, verified: false, source: TO_VERIFY },
  { grade: 15, yuanPerM2: 60, verified: true, source: CONFIRMED },
] as const satisfies readonly NationalMinimumGrade[];

export type LandGrade = (typeof NATIONAL_MINIMUM_GRADES)[number]['grade'];

/** 五(三)14: the national minimum price row for a grade, or undefined for an unknown grade. */
export function nationalMinimumForGrade(grade: number): NationalMinimumGrade | undefined {
  return NATIONAL_MINIMUM_GRADES.find((g) => g.grade === grade);
}

export interface DistrictGradeDefault {
  readonly districtCode: DistrictCode;
  readonly nameZh: string;
  readonly nameEn: string;
  /** Default 等别 for plots in the district (a plot may carry its own grade). */
  readonly grade: LandGrade;
  /** Confirmed for the whole district. */
  readonly verified: boolean;
  /** A sample assumption the bureau must confirm (show it flagged, never as fact). */
  readonly assumption: boolean;
  readonly note: string;
}

const URBAN = 'Urban district: grade 3 (600 yuan/m²) per 国土资发〔2006〕307号.';
const ASSUMED = 'Sample assumption: grade not found in the sources; the bureau must confirm before use.';

/**
 * 五(三)14: Guangzhou district → default grade. Urban districts are grade 3 (confirmed); 黄埔's
 * former 萝岗 part is grade 3, its old-黄埔 part unconfirmed; the outer districts' grades are
 * plausible sample assumptions (county-level cities in 2006 got lower grades), flagged.
 */
export const DISTRICT_GRADE_DEFAULTS = [
  { districtCode: '440103', nameZh: '荔湾区', nameEn: 'Liwan', grade: 3, verified: true, assumption: false, note: URBAN },
  { districtCode: '440104', nameZh: '越秀区', nameEn: 'Yuexiu', grade: 3, verified: true, assumption: false, note: URBAN },
  { districtCode: '440105', nameZh: '海珠区', nameEn: 'Haizhu', grade: 3, verified: true, assumption: false, note: URBAN },
  { districtCode: '440106', nameZh: '天河区', nameEn: 'Tianhe', grade: 3, verified: true, assumption: false, note: URBAN },
  { districtCode: '440111', nameZh: '白云区', nameEn: 'Baiyun', grade: 3, verified: true, assumption: false, note: URBAN },
  {
    districtCode: '440112', nameZh: '黄埔区', nameEn: 'Huangpu', grade: 3, verified: false, assumption: true,
    note: 'The former 萝岗 part is grade 3 (confirmed); the old-黄埔 part is unconfirmed and assumed grade 3 — the bureau must confirm.',
  },
  { districtCode: '440113', nameZh: '番禺区', nameEn: 'Panyu', grade: 4, verified: false, assumption: true, note: ASSUMED },
  { districtCode: '440114', nameZh: '花都区', nameEn: 'Huadu', grade: 5, verified: false, assumption: true, note: ASSUMED },
  { districtCode: '440115', nameZh: '南沙区', nameEn: 'Nansha', grade: 5, verified: false, assumption: true, note: ASSUMED },
  { districtCode: '440117', nameZh: '从化区', nameEn: 'Conghua', grade: 7, verified: false, assumption: true, note: ASSUMED },
  { districtCode: '440118', nameZh: '增城区', nameEn: 'Zengcheng', grade: 6, verified: false, assumption: true, note: ASSUMED },
] as const satisfies readonly DistrictGradeDefault[];

/** 五(三)14: the default grade record for a district (every Guangzhou district has one). */
export function districtGradeDefault(districtCode: DistrictCode): DistrictGradeDefault {
  const row = DISTRICT_GRADE_DEFAULTS.find((d) => d.districtCode === districtCode);
  if (!row) throw new RangeError(`no grade default for district ${districtCode}`);
  return row;
}
