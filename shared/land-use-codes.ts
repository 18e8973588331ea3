/**
 * 用地用海 codes: the national 《国土空间调查、规划、用途管制用地用海分类指南》 (自然资源部,
 * 2023) classes a plot of this app can carry, and their mapping from the older GB 50137-2011
 * 城市用地分类 labels (M0–M3) the app has used since the start (`plots.land_use`).
 *
 * The app keeps both: `landUse` (the M label, which the benchmark prices, plot ratios and
 * Guangzhou's 新型产业用地 policy are written in) and `landUseCode` (the 2023 code, which the
 * 国土空间规划 一张图 and the national returns use). A plot's pair must be one of
 * `LAND_USE_CODE_MAP` (the database holds the same pairs: migration 026, table land_use_code_map).
 *
 * The same mapping ships as reference data for people and other systems:
 * seeds/reference/land-use-codes-2023.csv (a unit test keeps the two equal).
 *
 * Which rows are assumptions: M1/M2/M3 → 100101/100102/100103 follow from the classes'
 * definitions (the 2023 三级类 of 1001 工业用地 keep GB 50137-2011's three grades of
 * interference, pollution and safety risk). M0 (新型产业用地, Guangzhou since 2019) has no class of
 * its own in the 2023 guide; mapping it to 100101 一类工业用地 with a local "M0" note follows
 * Guangzhou practice as we understand it and is marked `assumption: true` — check it against the
 * bureau's current rule before relying on it. Every M label may also carry the 二级类 1001 工业用地
 * when the 三级类 is not decided.
 */
import type { LandUse } from './domain.ts';

export interface LandUseClass {
  readonly code: string;
  readonly nameZh: string;
  readonly nameEn: string;
  /** 一级类 (2 digits), 二级类 (4), 三级类 (6). */
  readonly level: 1 | 2 | 3;
  readonly parent: string | null;
}

/** The 2023 classes the app knows (industrial land only: the parks' plots are industrial). */
export const LAND_USE_CLASSES: readonly LandUseClass[] = [
  { code: '10', nameZh: '工矿用地', nameEn: 'Industrial and mining land', level: 1, parent: null },
  { code: '1001', nameZh: '工业用地', nameEn: 'Industrial land', level: 2, parent: '10' },
  { code: '100101', nameZh: '一类工业用地', nameEn: 'Class 1 industrial land (little interference or pollution)', level: 3, parent: '1001' },
  { code: '100102', nameZh: '二类工业用地', nameEn: 'Class 2 industrial land (some interference or pollution)', level: 3, parent: '1001' },
  { code: '100103', nameZh: '三类工业用地', nameEn: 'Class 3 industrial land (serious interference or pollution)', level: 3, parent: '1001' },
];

/** The 2023 codes a plot may carry (二级类 or 三级类 of 1001). */
export const LAND_USE_CODES = ['1001', '100101', '100102', '100103'] as const;
export type LandUseCode = (typeof LAND_USE_CODES)[number];

export interface LandUseCodeMapping {
  readonly landUse: LandUse;
  readonly landUseCode: LandUseCode;
  /** The code a plot of this M label gets when none is given (backfill, create, a change of landUse). */
  readonly isDefault: boolean;
  /** true: not a published correspondence (see the note). */
  readonly assumption: boolean;
  readonly noteZh: string;
  readonly noteEn: string;
}

const parentRow = (landUse: LandUse): LandUseCodeMapping => ({
  landUse, landUseCode: '1001', isDefault: false, assumption: false,
  noteZh: '三级类未定时用二级类 1001 工业用地', noteEn: 'The 二级类 1001 when the 三级类 is not decided',
});

/** GB 50137-2011 label → 2023 code: the allowed pairs, one default per label. */
export const LAND_USE_CODE_MAP: readonly LandUseCodeMapping[] = [
  {
    landUse: 'M0', landUseCode: '100101', isDefault: true, assumption: true,
    noteZh: '假设：新型产业用地（M0）在 2023 分类中无对应类别，按广州做法归入 100101 一类工业用地并注明 M0；以主管部门现行规定为准',
    noteEn: 'Assumption: 新型产业用地 (M0) has no 2023 class; following Guangzhou practice it is filed as 100101 with a local M0 note. Check the bureau\'s current rule',
  },
  parentRow('M0'),
  { landUse: 'M1', landUseCode: '100101', isDefault: true, assumption: false, noteZh: '定义一致', noteEn: 'Same definition' },
  parentRow('M1'),
  { landUse: 'M2', landUseCode: '100102', isDefault: true, assumption: false, noteZh: '定义一致', noteEn: 'Same definition' },
  parentRow('M2'),
  { landUse: 'M3', landUseCode: '100103', isDefault: true, assumption: false, noteZh: '定义一致', noteEn: 'Same definition' },
  parentRow('M3'),
];

/** GB 50137-2011 names of the M labels. */
export const LAND_USE_NAMES: Readonly<Record<LandUse, { zh: string; en: string }>> = {
  M0: { zh: '新型产业用地', en: 'New-type industrial land' },
  M1: { zh: '一类工业用地', en: 'Class 1 industrial land' },
  M2: { zh: '二类工业用地', en: 'Class 2 industrial land' },
  M3: { zh: '三类工业用地', en: 'Class 3 industrial land' },
};

export const isLandUseCode = (code: string): code is LandUseCode => (LAND_USE_CODES as readonly string[]).includes(code);

/** The 2023 code a plot of this M label gets by default. */
export function defaultLandUseCode(landUse: LandUse): LandUseCode {
  return LAND_USE_CODE_MAP.find((m) => m.landUse === landUse && m.isDefault)!.landUseCode;
}

/** The mapping row of a pair, or undefined when the pair is not allowed. */
export function landUseMapping(landUse: LandUse, landUseCode: string): LandUseCodeMapping | undefined {
  return LAND_USE_CODE_MAP.find((m) => m.landUse === landUse && m.landUseCode === landUseCode);
}

/** The class of a 2023 code (undefined for an unknown one). */
export function landUseClass(code: string): LandUseClass | undefined {
  return LAND_USE_CLASSES.find((c) => c.code === code);
}

/** The 2023 codes allowed with an M label (the default first). */
export function landUseCodesFor(landUse: LandUse): LandUseCode[] {
  return LAND_USE_CODE_MAP.filter((m) => m.landUse === landUse).sort((a, b) => Number(b.isDefault) - Number(a.isDefault)).map((m) => m.landUseCode);
}
