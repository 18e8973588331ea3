/**
 * The columns of a plot export in both languages (issue #18 §2 Exports): the GeoJSON/CSV name
 * (`key` in English, `zh` in Chinese), the .dbf field (`dbf.name` in English; `dbfZh` in Chinese,
 * at most 10 bytes in GBK, so at most five Chinese characters) and, in Chinese, the values in
 * words (状态 可供地…, 用地性质 新型产业用地…, 是/否).
 *
 * 宗地代码, 控规地块编号 and 用地用海代码 (parcelCode, zoningPlotCode, landUseCode; migration 026)
 * are `optional`: a column the plot rows do not have (a database before that migration) is left
 * out rather than written empty.
 */
import type { LandUse, PlotStatus } from '../../../shared/domain.ts';
import { CONDITION_COLUMNS } from '../plots/service.ts';
import type { DbfField, DbfValue } from './shapefile.ts';

export const EXPORT_LANGS = ['en', 'zh'] as const;
export type ExportLang = (typeof EXPORT_LANGS)[number];

export interface Column {
  key: string;
  zh: string;
  dbf: DbfField;
  /** ≤ 10 bytes in GBK (≤ 5 Chinese characters). */
  dbfZh: string;
  /** Bureau only (the cost, 五(三)14 C). */
  internal?: boolean;
  /** Only when the plot rows have it (columns of migration 026). */
  optional?: boolean;
  /** In Chinese, the value in words. */
  zhValue?: (v: DbfValue) => DbfValue;
}

export const STATUS_ZH: Record<PlotStatus, string> = {
  available: '可供地', held: '已预留', allocated: '已出让', withdrawn: '已收回', retired: '已注销',
};
export const STATUS_EN: Record<PlotStatus, string> = {
  available: 'available', held: 'held', allocated: 'allocated', withdrawn: 'withdrawn', retired: 'retired',
};
export const LAND_USE_ZH: Record<LandUse, string> = {
  M0: 'M0 新型产业用地', M1: 'M1 一类工业用地', M2: 'M2 二类工业用地', M3: 'M3 三类工业用地',
};

const yesNo = (v: DbfValue) => (v === true ? '是' : v === false ? '否' : v);
const zhOf = <K extends string>(map: Record<K, string>) => (v: DbfValue) => (typeof v === 'string' && v in map ? map[v as K] : v);

/** Short Chinese .dbf names of the 标准地 conditions (the long ones are in CONDITION_COLUMNS.zh). */
const CONDITION_DBF_ZH: Record<string, string> = {
  c_invest: '标投资强度', c_ratio_mn: '标容积率下', c_ratio_mx: '标容积率上', c_out_mu: '亩均产值',
  c_tax_mu: '亩均税收', c_energy: '能耗上限', c_pollute: '污染类别', c_notes: '标准地备注',
  c_start_mo: '动工期限月', c_done_mo: '竣工期限月',
};

const n = (name: string, length: number, decimals: number): DbfField => ({ name, type: 'N', length, decimals });
const c = (name: string, length?: number): DbfField => (length ? { name, type: 'C', length } : { name, type: 'C' });

export const COLUMNS: Column[] = [
  { key: 'id', zh: '编号ID', dbf: n('id', 10, 0), dbfZh: 'ID' },
  { key: 'code', zh: '地块编号', dbf: c('code'), dbfZh: '地块编号' },
  { key: 'parcelCode', zh: '宗地代码', dbf: c('parcel_cd', 19), dbfZh: '宗地代码', optional: true },
  { key: 'zoningPlotCode', zh: '控规地块编号', dbf: c('zoning_cd'), dbfZh: '控规编号', optional: true },
  { key: 'parkCode', zh: '园区代码', dbf: c('park_code'), dbfZh: '园区代码' },
  { key: 'parkName', zh: '园区', dbf: c('park_name'), dbfZh: '园区' },
  { key: 'districtCode', zh: '行政区代码', dbf: c('district', 6), dbfZh: '行政区代码' },
  { key: 'districtName', zh: '行政区', dbf: c('dist_name'), dbfZh: '行政区' },
  { key: 'status', zh: '状态', dbf: c('status', 10), dbfZh: '状态', zhValue: zhOf(STATUS_ZH) },
  { key: 'landUse', zh: '用地性质', dbf: c('land_use', 2), dbfZh: '用地性质', zhValue: zhOf(LAND_USE_ZH) },
  { key: 'landUseCode', zh: '用地用海代码', dbf: c('luse_code', 6), dbfZh: '用地用海', optional: true },
  { key: 'areaM2', zh: '面积（平方米）', dbf: n('area_m2', 16, 2), dbfZh: '面积平方米' },
  { key: 'areaMu', zh: '面积（亩）', dbf: n('area_mu', 16, 4), dbfZh: '面积亩' },
  { key: 'geometryAreaM2', zh: '图形面积（平方米）', dbf: n('geom_m2', 16, 2), dbfZh: '图形面积' },
  { key: 'landLevel', zh: '土地级别', dbf: n('land_level', 4, 0), dbfZh: '土地级别' },
  { key: 'landGrade', zh: '土地等别', dbf: n('land_grade', 4, 0), dbfZh: '土地等别' },
  { key: 'location', zh: '坐落', dbf: c('location'), dbfZh: '坐落' },
  { key: 'plotRatioMin', zh: '容积率下限', dbf: n('ratio_min', 10, 2), dbfZh: '容积率下限' },
  { key: 'plotRatioMax', zh: '容积率上限', dbf: n('ratio_max', 10, 2), dbfZh: '容积率上限' },
  { key: 'buildingDensityMaxPct', zh: '建筑密度上限（%）', dbf: n('density', 10, 2), dbfZh: '建筑密度' },
  { key: 'greenRatioMinPct', zh: '绿地率下限（%）', dbf: n('green_pct', 10, 2), dbfZh: '绿地率' },
  { key: 'heightLimitM', zh: '限高（米）', dbf: n('height_m', 10, 2), dbfZh: '限高米' },
  { key: 'investmentIntensityYuanPerM2', zh: '投资强度（元/平方米）', dbf: n('invest_m2', 16, 2), dbfZh: '投资强度' },
  { key: 'serviced', zh: '净地', dbf: { name: 'serviced', type: 'L' }, dbfZh: '净地', zhValue: yesNo },
  // 标准地 conditions (public): conditionPlotRatioMin …, c_ratio_mn … in a Shapefile.
  ...CONDITION_COLUMNS.map((col): Column => ({
    key: col.key,
    zh: col.zh,
    dbf: col.kind === 'text' ? c(col.dbf) : n(col.dbf, col.kind === 'months' ? 4 : 18, col.decimals),
    dbfZh: CONDITION_DBF_ZH[col.dbf] ?? col.dbf,
  })),
  { key: 'sample', zh: '示例数据', dbf: { name: 'sample', type: 'L' }, dbfZh: '示例数据', zhValue: yesNo },
  { key: 'costYuan', zh: '成本（元）', dbf: n('cost_yuan', 18, 2), dbfZh: '成本元', internal: true },
];

/** The columns this export holds: no internal ones for the public, no optional ones the rows lack. */
export function exportColumns(internal: boolean, present: ReadonlySet<string>): Column[] {
  return COLUMNS.filter((col) => (internal || !col.internal) && (!col.optional || present.has(col.key)));
}

/** A column's name in this language: in GeoJSON and CSV, and in the .dbf. */
export const columnName = (col: Column, lang: ExportLang) => (lang === 'zh' ? col.zh : col.key);
export const dbfName = (col: Column, lang: ExportLang) => (lang === 'zh' ? col.dbfZh : col.dbf.name);

/** A value as this language writes it in text (GeoJSON, CSV); the .dbf keeps logicals as T/F. */
export function textValue(col: Column, v: DbfValue, lang: ExportLang): DbfValue {
  return lang === 'zh' && col.zhValue ? col.zhValue(v) : v;
}
