/**
 * Plot attributes from a file's columns, whatever the tool called them: our export names
 * (code, parkCode / park_code, landUse / land_use, areaM2 / area_m2 …), Chinese headings
 * (宗地编号, 园区编号, 土地用途, 宗地面积, 土地级别, 坐落 …) and common pinyin abbreviations
 * (ZDBH, ZDMJ, TDYT, TDJB, ZL). Names are compared without case, spaces, `_` and `-`.
 *
 * 宗地代码 (ZDDM, parcelCode / parcel_code) is the plot's 19-character register code, not its
 * plot code: it is checked with the shared validator (shared/policy/parcel-code.ts) and kept as
 * `parcelCode` (upper-case); a malformed one is a problem naming the field. 控规地块编号 (KGDKBH,
 * zoningPlotCode) is free text. A file with a 宗地代码 but no plot-code column takes the 宗地代码
 * as the plot code too (what such a file meant before the two were told apart).
 */
import { LAND_USES, type LandUse } from '../../../../shared/domain.ts';
import { muToM2 } from '../../../../shared/units.ts';
import { validateConditions } from '../../../../shared/policy/standard-land.ts';
import { validateParcelCode } from '../../../../shared/policy/parcel-code.ts';
import { CONDITION_COLUMNS, storedConditions } from '../../plots/service.ts';

export type ImportedAttributes = {
  code?: string;
  /** 宗地代码, validated and upper-cased. */
  parcelCode?: string;
  /** 控规地块编号, trimmed (1–64 characters). */
  zoningPlotCode?: string;
  parkCode?: string;
  landUse?: LandUse;
  areaM2?: number;
  landLevel?: number;
  landGrade?: number;
  location?: string;
  plotRatioMin?: number;
  plotRatioMax?: number;
  buildingDensityMaxPct?: number;
  greenRatioMinPct?: number;
  heightLimitM?: number;
  investmentIntensityYuanPerM2?: number;
  costYuan?: number;
  serviced?: boolean;
  /** 标准地 conditions set in the file (only the fields set, as stored; validated). */
  conditions?: Record<string, unknown>;
};

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_\-（）()]/g, '');

const ALIASES: Record<Exclude<keyof ImportedAttributes, 'conditions'> | 'areaMu', string[]> = {
  code: ['code', 'plotcode', '宗地编号', '地块编号', '宗地号', '地块号', '编号', 'zdbh', 'dkbh'],
  parcelCode: ['parcelcode', '宗地代码', 'zddm', 'parcelcd'],
  zoningPlotCode: ['zoningplotcode', '控规地块编号', '控规编号', 'kgdkbh', 'kgbh', 'zoningcd'],
  parkCode: ['parkcode', 'park', '园区编号', '园区代码', '园区', 'yqbh'],
  landUse: ['landuse', '土地用途', '用途', '用地性质', '用地类型', 'tdyt', 'ydxz'],
  areaM2: ['aream2', 'area', '宗地面积', '面积', '面积m2', '面积平方米', '宗地面积平方米', 'zdmj', 'mj'],
  areaMu: ['areamu', '面积亩', '宗地面积亩', '亩'],
  landLevel: ['landlevel', '土地级别', '级别', 'tdjb'],
  landGrade: ['landgrade', '土地等别', '等别', 'tddb'],
  location: ['location', '宗地坐落', '坐落', '地址', 'address', 'zl'],
  plotRatioMin: ['plotratiomin', 'ratiomin', '容积率下限', '容积率最小'],
  plotRatioMax: ['plotratiomax', 'ratiomax', '容积率上限', '容积率最大', '容积率'],
  buildingDensityMaxPct: ['buildingdensitymaxpct', 'density', '建筑密度'],
  greenRatioMinPct: ['greenratiominpct', 'greenpct', '绿地率'],
  heightLimitM: ['heightlimitm', 'heightm', '建筑限高', '限高'],
  investmentIntensityYuanPerM2: ['investmentintensityyuanperm2', 'investm2', '投资强度'],
  costYuan: ['costyuan', 'cost', '成本'],
  serviced: ['serviced', '净地'],
};

const LAND_USE_NAMES: Record<string, LandUse> = {
  新型产业用地: 'M0', 一类工业用地: 'M1', 二类工业用地: 'M2', 三类工业用地: 'M3',
};

const ZH_DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };

function toNumber(v: unknown): number | undefined {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'number') return v;
  const s = String(v).trim().replace(/,/g, '');
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isNaN(n) ? NaN : n;
}

function toLevel(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const m = /^([一二三四五六七八九十])级?$/.exec(v.trim());
    if (m) return ZH_DIGITS[m[1]!];
    const d = /^(\d+)级?$/.exec(v.trim());
    if (d) return Number(d[1]);
  }
  return toNumber(v);
}

export interface AttributeProblem { field: string; messageZh: string; messageEn: string }

/** Reads the attributes; a value present but unusable is a problem (not silently dropped). */
export function readAttributes(properties: Record<string, unknown>): { attributes: ImportedAttributes; problems: AttributeProblem[] } {
  const byNorm = new Map<string, unknown>();
  for (const [k, v] of Object.entries(properties)) byNorm.set(norm(k), v);
  const get = (field: keyof typeof ALIASES) => {
    for (const alias of ALIASES[field]) if (byNorm.has(alias) && byNorm.get(alias) !== null && byNorm.get(alias) !== '') return byNorm.get(alias);
    return undefined;
  };
  const a: ImportedAttributes = {};
  const problems: AttributeProblem[] = [];
  const bad = (field: string, value: unknown, zh: string, en: string) =>
    problems.push({ field, messageZh: `${zh}：“${String(value)}”。`, messageEn: `${en}: "${String(value)}".` });

  const parcel = get('parcelCode');
  if (parcel !== undefined) {
    const v = validateParcelCode(String(parcel));
    if (v.ok) a.parcelCode = v.normalized;
    else problems.push({ field: 'parcelCode', messageZh: `宗地代码（parcelCode）“${String(parcel)}”无效：${v.messageZh}。`, messageEn: `宗地代码 (parcelCode) "${String(parcel)}" is not valid: ${v.messageEn}.` });
  }
  const zoning = get('zoningPlotCode');
  if (zoning !== undefined) {
    const z = String(zoning).trim();
    if (z.length > 64) bad('zoningPlotCode', zoning, '控规地块编号（zoningPlotCode）不应超过 64 个字符', 'the 控规地块编号 (zoningPlotCode) must be at most 64 characters');
    else if (z !== '') a.zoningPlotCode = z;
  }
  // No plot-code column: the 宗地代码 (as written) is the plot code, as before.
  const code = get('code') ?? byNorm.get('name') ?? (parcel !== undefined && a.parcelCode ? a.parcelCode : undefined);
  if (code !== undefined && code !== null && String(code).trim() !== '') a.code = String(code).trim();
  const park = get('parkCode');
  if (park !== undefined) a.parkCode = String(park).trim();
  const use = get('landUse');
  if (use !== undefined) {
    const s = String(use).trim();
    const u = (LAND_USES as readonly string[]).includes(s.toUpperCase()) ? (s.toUpperCase() as LandUse) : LAND_USE_NAMES[s];
    if (u) a.landUse = u;
    else bad('landUse', use, '土地用途应为 M0、M1、M2、M3（或新型产业用地、一类/二类/三类工业用地）', 'land use must be M0, M1, M2 or M3 (or 新型产业用地, 一类/二类/三类工业用地)');
  }
  const m2 = toNumber(get('areaM2'));
  const mu = toNumber(get('areaMu'));
  if (m2 !== undefined) {
    if (Number.isFinite(m2) && m2 > 0) a.areaM2 = Math.round(m2 * 100) / 100;
    else bad('areaM2', get('areaM2'), '面积应为正数（平方米）', 'the area must be a positive number of m²');
  } else if (mu !== undefined) {
    if (Number.isFinite(mu) && mu > 0) a.areaM2 = Math.round(muToM2(mu) * 100) / 100;
    else bad('areaM2', get('areaMu'), '面积（亩）应为正数', 'the area in mu must be a positive number');
  }
  const level = toLevel(get('landLevel'));
  if (level !== undefined) {
    if (Number.isInteger(level) && level >= 1 && level <= 10) a.landLevel = level;
    else bad('landLevel', get('landLevel'), '土地级别应为 1–10 的整数', 'the land level must be a whole number 1–10');
  }
  const grade = toNumber(get('landGrade'));
  if (grade !== undefined) {
    if (Number.isInteger(grade) && grade >= 1 && grade <= 15) a.landGrade = grade;
    else bad('landGrade', get('landGrade'), '土地等别应为 1–15 的整数', 'the land grade must be a whole number 1–15');
  }
  const loc = get('location');
  if (loc !== undefined) a.location = String(loc).trim().slice(0, 200);
  const numeric: [keyof ImportedAttributes, number, number][] = [
    ['plotRatioMin', 0, 999.99], ['plotRatioMax', 0, 999.99], ['buildingDensityMaxPct', 0, 100], ['greenRatioMinPct', 0, 100],
    ['heightLimitM', 0, 99999.99], ['investmentIntensityYuanPerM2', 0, 1e12], ['costYuan', 0, 1e14],
  ];
  for (const [field, lo, hi] of numeric) {
    const raw = get(field as keyof typeof ALIASES);
    const n = toNumber(raw);
    if (n === undefined) continue;
    if (Number.isFinite(n) && n >= lo && n <= hi) (a as Record<string, unknown>)[field] = Math.round(n * 100) / 100;
    else bad(field, raw, `${field} 超出范围`, `${field} is out of range`);
  }
  const serviced = get('serviced');
  if (serviced !== undefined) a.serviced = serviced === true || /^(1|true|yes|y|是)$/i.test(String(serviced).trim());
  readConditions(byNorm, a, problems);
  return { attributes: a, problems };
}

/**
 * 标准地 conditions from their columns (our export's `conditionPlotRatioMin` / `c_ratio_mn`, or
 * `conditions.plotRatioMin`, or the Chinese heading 标准地容积率下限 …), read by the shared
 * policy's `validateConditions`: every bad value is a problem naming `conditions.<field>`.
 */
function readConditions(byNorm: Map<string, unknown>, a: ImportedAttributes, problems: AttributeProblem[]): void {
  const raw: Record<string, unknown> = {};
  for (const col of CONDITION_COLUMNS) {
    for (const alias of [col.key, col.dbf, `conditions.${col.field}`, col.zh].map(norm)) {
      const v = byNorm.get(alias);
      if (v !== undefined && v !== null && v !== '') {
        raw[col.field] = typeof v === 'string' ? v.trim() : v;
        // 一类 / 二类 / 三类 (工业) as a Chinese file writes the category.
        const zh = col.field === 'pollutionCategory' && typeof v === 'string' ? /^([一二三])类/.exec(v.trim()) : null;
        if (zh) raw[col.field] = `class_${ZH_DIGITS[zh[1]!]}`;
        break;
      }
    }
  }
  if (Object.keys(raw).length === 0) return;
  const v = validateConditions(raw);
  if (v.ok) {
    a.conditions = JSON.parse(storedConditions(v.conditions)) as Record<string, unknown>;
    return;
  }
  for (const p of v.problems) {
    const field = `conditions.${p.field}`;
    const value = raw[p.field];
    problems.push({
      field,
      messageZh: `${field}：${p.messageZh}${value === undefined ? '' : `（“${String(value)}”）`}。`,
      messageEn: `${field}: ${p.messageEn}${value === undefined ? '' : ` ("${String(value)}")`}.`,
    });
  }
}
