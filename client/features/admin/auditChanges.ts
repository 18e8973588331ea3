/**
 * An audit event's change as lines a person reads: "面积（平方米）: 1200 → 1350". Nested values are
 * flattened into dotted field paths (`decision.floor.floorYuan`), each part named in words where
 * the app knows it ("决定 › 底价 › 底价（元）"), the dotted path kept for the hover; lists read as
 * short lists ("P10-0001、P10-0002 等 5 项"), booleans 是/否, nothing —, a geometry by its kind and
 * size, and a long value is cut with the whole of it for the hover. Pure; no React.
 */
import type { Locale } from '../../i18n/index.ts';
import { pick, type Words } from './auditActions.ts';

export interface FlatChange {
  /** Dotted path ("decision.floor.floorYuan"); "" when the event's value is not an object. */
  path: string;
  before: unknown;
  after: unknown;
}

/** Nested objects are followed this deep; deeper ones are shown as one value. */
const MAX_DEPTH = 4;

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
/** A GeoJSON geometry is one value (its kind and size), not a tree of coordinates. */
const isGeometry = (x: unknown): x is { type: string; coordinates: unknown } => isRecord(x) && typeof x.type === 'string' && 'coordinates' in x;
const absent = (x: unknown) => x === null || x === undefined;

/** Same value, compared as canonical JSON (object key order does not matter). */
function same(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): string =>
    isRecord(v)
      ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`
      : Array.isArray(v)
        ? `[${v.map(canon).join(',')}]`
        : JSON.stringify(v ?? null);
  return canon(a) === canon(b);
}

/**
 * The leaves an event changed, in the order they first appear. Where both sides are objects (or
 * one is missing) the walk goes into them and names the leaf by its path; a creation (no `before`)
 * lists every leaf of `after`, an update only the leaves that differ.
 */
export function flatChanges(before: unknown, after: unknown): FlatChange[] {
  const out: FlatChange[] = [];
  const walk = (path: string, b: unknown, a: unknown, depth: number) => {
    const nestable = (x: unknown) => absent(x) || (isRecord(x) && !isGeometry(x));
    if (depth < MAX_DEPTH && nestable(b) && nestable(a) && (isRecord(b) || isRecord(a))) {
      const bo = (b ?? {}) as Record<string, unknown>;
      const ao = (a ?? {}) as Record<string, unknown>;
      const keys = [...new Set([...Object.keys(bo), ...Object.keys(ao)])];
      // {} and null both read "—": nothing to show.
      for (const k of keys) walk(path ? `${path}.${k}` : k, bo[k], ao[k], depth + 1);
      return;
    }
    if (!same(b ?? null, a ?? null)) out.push({ path, before: b ?? null, after: a ?? null });
  };
  walk('', before, after, 0);
  return out;
}

/**
 * Field names in words: the plot's attributes as the Chinese exports head them, the account
 * fields, and the parts of allocation, import and subsidy events. A name not here is shown as is.
 */
export const AUDIT_FIELD_WORDS: Readonly<Record<string, Words>> = {
  code: { zh: '地块编号', en: 'Plot code' },
  parcelCode: { zh: '宗地代码', en: 'Parcel code (宗地代码)' },
  zoningPlotCode: { zh: '控规地块编号', en: 'Zoning plot no.' },
  parkId: { zh: '园区ID', en: 'Park ID' },
  parkCode: { zh: '园区代码', en: 'Park code' },
  plotId: { zh: '地块ID', en: 'Plot ID' },
  plotCode: { zh: '地块编号', en: 'Plot code' },
  status: { zh: '状态', en: 'Status' },
  plotStatus: { zh: '地块状态', en: 'Plot status' },
  landUse: { zh: '用地性质', en: 'Land use' },
  landUseCode: { zh: '用地用海代码', en: 'Land use code (2023)' },
  areaM2: { zh: '面积（平方米）', en: 'Area (m²)' },
  areaMu: { zh: '面积（亩）', en: 'Area (mu)' },
  geometryAreaM2: { zh: '图形面积（平方米）', en: 'Geometric area (m²)' },
  geometry: { zh: '图形', en: 'Geometry' },
  geometryChanged: { zh: '图形已修改', en: 'Geometry changed' },
  landLevel: { zh: '土地级别', en: 'Land level' },
  landGrade: { zh: '土地等别', en: 'Land grade' },
  location: { zh: '坐落', en: 'Location' },
  plotRatioMin: { zh: '容积率下限', en: 'Plot ratio, min' },
  plotRatioMax: { zh: '容积率上限', en: 'Plot ratio, max' },
  buildingDensityMaxPct: { zh: '建筑密度上限（%）', en: 'Building density, max (%)' },
  greenRatioMinPct: { zh: '绿地率下限（%）', en: 'Green ratio, min (%)' },
  heightLimitM: { zh: '建筑限高（米）', en: 'Height limit (m)' },
  investmentIntensityYuanPerM2: { zh: '投资强度（元/平方米）', en: 'Investment intensity (yuan/m²)' },
  costYuan: { zh: '土地成本（元）', en: 'Land cost (yuan)' },
  costNote: { zh: '成本说明', en: 'Cost note' },
  serviced: { zh: '净地', en: 'Serviced' },
  sample: { zh: '示例数据', en: 'Sample' },
  conditions: { zh: '标准地条件', en: 'Standard-land conditions' },
  investmentIntensityYuanPerM2Min: { zh: '投资强度下限（元/平方米）', en: 'Investment intensity, min (yuan/m²)' },
  outputPerMuYuanMin: { zh: '亩均产值下限（元）', en: 'Output per mu, min (yuan)' },
  taxPerMuYuanMin: { zh: '亩均税收下限（元）', en: 'Tax per mu, min (yuan)' },
  energyTcePer10kYuanMax: { zh: '能耗上限（吨标煤/万元）', en: 'Energy, max (tce/10k yuan)' },
  pollutionCategory: { zh: '污染类别', en: 'Pollution category' },
  notes: { zh: '备注', en: 'Notes' },
  startWithinMonths: { zh: '动工期限（月）', en: 'Start within (months)' },
  completeWithinMonths: { zh: '竣工期限（月）', en: 'Complete within (months)' },
  version: { zh: '版本', en: 'Version' },
  reason: { zh: '原因', en: 'Reason' },
  children: { zh: '拆分结果', en: 'Pieces' },
  parents: { zh: '原地块', en: 'Parents' },
  username: { zh: '用户名', en: 'Username' },
  displayName: { zh: '姓名', en: 'Name' },
  role: { zh: '角色', en: 'Role' },
  districtCode: { zh: '所属区', en: 'District' },
  disabled: { zh: '已停用', en: 'Disabled' },
  mustChangePassword: { zh: '须改密', en: 'Must change password' },
  revokedSessions: { zh: '结束会话数', en: 'Sessions ended' },
  ip: { zh: 'IP 地址', en: 'IP address' },
  decision: { zh: '审批决定', en: 'Decision' },
  floor: { zh: '底价', en: 'Floor' },
  floorYuan: { zh: '底价（元）', en: 'Floor (yuan)' },
  priceYuan: { zh: '价格（元）', en: 'Price (yuan)' },
  binding: { zh: '起决定作用的项', en: 'Binding term' },
  components: { zh: '组成', en: 'Components' },
  benchmarkYuan: { zh: '基准地价部分（元）', en: 'Benchmark part (yuan)' },
  nationalMinimumYuan: { zh: '国家最低价部分（元）', en: 'National minimum part (yuan)' },
  quota: { zh: '年度指标', en: 'Annual quota' },
  year: { zh: '年度', en: 'Year' },
  termYears: { zh: '年期', en: 'Term (years)' },
  projectName: { zh: '项目名称', en: 'Project' },
  projectId: { zh: '项目ID', en: 'Project ID' },
  id: { zh: 'ID', en: 'ID' },
  kind: { zh: '类型', en: 'Kind' },
  iab: { zh: 'IAB 项目', en: 'IAB project' },
  quotaYear: { zh: '指标年度', en: 'Quota year' },
  approvedOn: { zh: '批准日期', en: 'Approved on' },
  contractNo: { zh: '合同编号', en: 'Contract no.' },
  createdAt: { zh: '创建时间', en: 'Created at' },
  createdBy: { zh: '创建人', en: 'Created by' },
  updatedAt: { zh: '修改时间', en: 'Changed at' },
  disbursedAt: { zh: '拨付时间', en: 'Disbursed at' },
  disbursedBy: { zh: '拨付人', en: 'Disbursed by' },
  disbursedOn: { zh: '拨付日期', en: 'Disbursed on' },
  withdrawnAt: { zh: '撤回时间', en: 'Withdrawn at' },
  withdrawnBy: { zh: '撤回人', en: 'Withdrawn by' },
  withdrawReason: { zh: '撤回原因', en: 'Withdrawal reason' },
  capYuan: { zh: '上限（元）', en: 'Cap (yuan)' },
  shareBp: { zh: '比例（万分之）', en: 'Share (basis points)' },
  limitedBy: { zh: '受限于', en: 'Limited by' },
  referenceVersionId: { zh: '参考数据版本', en: 'Reference data version' },
  investmentShareYuan: { zh: '按投资比例（元）', en: 'Share of investment (yuan)' },
  parkGrantedYuan: { zh: '园区累计核定（元）', en: 'Park granted (yuan)' },
  projectGrantedYuan: { zh: '项目累计核定（元）', en: 'Project granted (yuan)' },
  parkGrantedBeforeYuan: { zh: '园区此前已核定（元）', en: 'Park granted before (yuan)' },
  parkHeadroomBeforeYuan: { zh: '园区此前余额（元）', en: 'Park headroom before (yuan)' },
  projectGrantedBeforeYuan: { zh: '项目此前已核定（元）', en: 'Project granted before (yuan)' },
  projectHeadroomBeforeYuan: { zh: '项目此前余额（元）', en: 'Project headroom before (yuan)' },
  grantedYuan: { zh: '核定补助（元）', en: 'Granted (yuan)' },
  requestedYuan: { zh: '申请补助（元）', en: 'Requested (yuan)' },
  totalInvestmentYuan: { zh: '总投资（元）', en: 'Total investment (yuan)' },
  filename: { zh: '文件名', en: 'File' },
  format: { zh: '格式', en: 'Format' },
  crs: { zh: '坐标系', en: 'Coordinate system' },
  crsSource: { zh: '坐标系来源', en: 'Coordinate system from' },
  counts: { zh: '要素统计', en: 'Counts' },
  features: { zh: '要素数', en: 'Features' },
  valid: { zh: '有效', en: 'Valid' },
  invalid: { zh: '有错误', en: 'With errors' },
  warnings: { zh: '有警告', en: 'With warnings' },
  created: { zh: '新增数', en: 'Created' },
  plots: { zh: '地块', en: 'Plots' },
};

/** A dotted path in words, part by part ("决定 › 底价 › 底价（元）"); "" stays "". */
export function fieldPathLabel(path: string, locale: Locale): string {
  if (!path) return '';
  return path
    .split('.')
    .map((part) => pick(Object.hasOwn(AUDIT_FIELD_WORDS, part) ? AUDIT_FIELD_WORDS[part] : undefined, locale) ?? part)
    .join(' › ');
}

/** Items of a list shown before "等 N 项" / "(N in all)". */
const LIST_ITEMS = 3;

/** Amounts and areas (a field named …Yuan or …M2) with digit grouping; ids, years and counts as they are. */
const GROUPED = /(Yuan|M2)$/;

function plain(v: unknown, locale: Locale, key = ''): string {
  if (absent(v) || v === '') return '—';
  if (typeof v === 'boolean') return locale === 'en' ? (v ? 'Yes' : 'No') : v ? '是' : '否';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && GROUPED.test(key) && Number.isFinite(v)) return new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(v);
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (isGeometry(v)) return geometryText(v, locale);
  if (Array.isArray(v)) return listText(v, locale);
  if (isRecord(v)) {
    const keys = Object.keys(v);
    if (keys.length === 0) return '—';
    return keys.map((k) => `${fieldPathLabel(k, locale)}: ${plain(v[k], locale, k)}`).join(locale === 'en' ? '; ' : '；');
  }
  return String(v);
}

/** An item of a list; a tuple inside a list ([id, code]) reads as "12 P10-0001". */
const item = (x: unknown, locale: Locale) => (Array.isArray(x) && x.every((y) => !isRecord(y) && !Array.isArray(y)) ? x.map((y) => plain(y, locale)).join(' ') : plain(x, locale));

function listText(items: unknown[], locale: Locale): string {
  if (items.length === 0) return '—';
  const shown = items.slice(0, LIST_ITEMS).map((x) => item(x, locale));
  const sep = locale === 'en' ? ', ' : '、';
  if (items.length <= LIST_ITEMS) return shown.join(sep);
  return locale === 'en' ? `${shown.join(sep)} … (${items.length} in all)` : `${shown.join(sep)} 等 ${items.length} 项`;
}

function geometryText(g: { type: string; coordinates: unknown }, locale: Locale): string {
  let points = 0;
  const count = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') points += 1;
    else if (Array.isArray(c)) c.forEach(count);
  };
  count(g.coordinates);
  const kind = g.type === 'MultiPolygon' ? (locale === 'en' ? 'Multipolygon' : '多部件面') : g.type === 'Polygon' ? (locale === 'en' ? 'Polygon' : '面') : g.type;
  return locale === 'en' ? `${kind} (${points} points)` : `${kind}（${points} 个点）`;
}

/**
 * A value as short text and, when it had to be cut or is a list, its whole text for the hover
 * (`full`; null when the short text is all there is). `path` is the field's (amounts are grouped).
 */
export function auditValueText(v: unknown, locale: Locale, max = 40, path = ''): { text: string; full: string | null } {
  const whole = Array.isArray(v) ? (v.length ? v.map((x) => item(x, locale)).join(locale === 'en' ? ', ' : '、') : '—') : plain(v, locale, path.split('.').pop());
  const short = Array.isArray(v) ? listText(v, locale) : whole;
  const chars = [...short];
  const text = chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : short;
  return { text, full: text === whole ? null : whole };
}
