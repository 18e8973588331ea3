/**
 * Siting requirements as a flat query string, and back: the one codec behind
 * `GET /api/siting/explain` and the `/invest/siting` page's URL (a URL reproduces the query).
 * Also {@link checkRequirements}: the rules a schema cannot say (min ≤ max, a positive weight).
 *
 *   sector=biomed&areaMuMin=30&areaMuMax=80&landUse=M1,M2&supplyMode=transfer&maxPrice=800
 *   &serviced=true&districts=440112,440115&near=airport:40,rail:15
 *   &project=investmentIntensityYuanPerM2:8000,pollutionCategory:class_2&weights=price:3,access:1&limit=20
 *
 * Pure; no I/O.
 */
import { DISTRICT_CODES, LAND_USES, PROJECT_SECTORS, validationFailed, type LandUse, type ProjectSector, type ValidationFailure } from './domain.ts';
import { SUPPLY_MODES, type SupplyMode } from './supply-modes.ts';
import { POLLUTION_CATEGORIES, type PollutionCategory } from './policy/standard-land.ts';
import { SITING_CRITERIA, hasPositiveWeight, type SitingCriterion } from './policy/siting-weights.ts';
import { HUB_KINDS, type HubKind, type SitingRequirements } from './contract/siting.ts';

const NUMERIC_FIGURES = ['investmentIntensityYuanPerM2', 'plotRatio', 'outputPerMuYuan', 'taxPerMuYuan', 'energyTcePer10kYuan'] as const;

const has = <T extends string>(list: readonly T[], x: string): x is T => (list as readonly string[]).includes(x);
const num = (s: string): number | null => (/^-?\d+(\.\d+)?$/.test(s.trim()) ? Number(s) : null);
const pairs = (s: string): [string, string][] => s.split(',').filter((p) => p.trim() !== '').map((p) => {
  const i = p.indexOf(':');
  return i < 0 ? [p.trim(), ''] : [p.slice(0, i).trim(), p.slice(i + 1).trim()];
});

/** Requirements → flat string parameters (only what is set; stable order). */
export function requirementsToParams(r: SitingRequirements): Record<string, string> {
  const out: Record<string, string> = { sector: r.sector, areaMuMin: String(r.areaMuMin), areaMuMax: String(r.areaMuMax) };
  if (r.landUse?.length) out.landUse = r.landUse.join(',');
  if (r.supplyMode) out.supplyMode = r.supplyMode;
  if (r.maxPriceYuanPerM2 !== undefined) out.maxPrice = String(r.maxPriceYuanPerM2);
  if (r.serviced !== undefined) out.serviced = String(r.serviced);
  if (r.districtCodes?.length) out.districts = r.districtCodes.join(',');
  if (r.near?.length) out.near = r.near.map((n) => `${n.kind}:${n.maxKm}`).join(',');
  if (r.project) {
    const p = Object.entries(r.project).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}:${v}`);
    if (p.length) out.project = p.join(',');
  }
  if (r.weights) {
    const w = SITING_CRITERIA.filter((c) => r.weights![c] !== undefined).map((c) => `${c}:${r.weights![c]}`);
    if (w.length) out.weights = w.join(',');
  }
  if (r.limit !== undefined) out.limit = String(r.limit);
  return out;
}

export type DecodeResult = { ok: true; value: SitingRequirements } | ValidationFailure;

const bad = (field: string, zh: string, en: string): ValidationFailure => validationFailed(field, zh, en);

/**
 * Flat parameters → requirements, then {@link checkRequirements}. Every failure names the field
 * (the requirement's name, e.g. `areaMuMin`, `near`, `weights.price`).
 */
export function paramsToRequirements(q: Readonly<Record<string, string | undefined>>): DecodeResult {
  const sector = q.sector ?? '';
  if (!has(PROJECT_SECTORS, sector)) return bad('sector', `未知产业：${sector || '（空）'}，应为 ngit、ai、biomed 或 other`, `Unknown sector "${sector}": use ngit, ai, biomed or other`);
  const areaMuMin = num(q.areaMuMin ?? '');
  if (areaMuMin === null) return bad('areaMuMin', '最小面积（亩）须为数字', 'areaMuMin must be a number (亩)');
  const areaMuMax = num(q.areaMuMax ?? '');
  if (areaMuMax === null) return bad('areaMuMax', '最大面积（亩）须为数字', 'areaMuMax must be a number (亩)');
  const r: SitingRequirements = { sector: sector as ProjectSector, areaMuMin, areaMuMax };
  if (q.landUse) {
    const lus = q.landUse.split(',').map((s) => s.trim()).filter(Boolean);
    const wrong = lus.find((lu) => !has(LAND_USES, lu));
    if (wrong !== undefined || lus.length === 0) return bad('landUse', `未知用地性质：${wrong ?? ''}`, `Unknown land use "${wrong ?? ''}": use M0, M1, M2 or M3`);
    r.landUse = [...new Set(lus)] as LandUse[];
  }
  if (q.supplyMode) {
    if (!has(SUPPLY_MODES, q.supplyMode)) return bad('supplyMode', `未知供地方式：${q.supplyMode}`, `Unknown supply mode "${q.supplyMode}"`);
    r.supplyMode = q.supplyMode as SupplyMode;
  }
  if (q.maxPrice !== undefined && q.maxPrice !== '') {
    const v = num(q.maxPrice);
    if (v === null) return bad('maxPriceYuanPerM2', '地价上限须为数字（元/平方米）', 'maxPrice must be a number (yuan per m²)');
    r.maxPriceYuanPerM2 = v;
  }
  if (q.serviced !== undefined && q.serviced !== '') {
    if (q.serviced !== 'true' && q.serviced !== 'false') return bad('serviced', 'serviced 须为 true 或 false', 'serviced must be true or false');
    r.serviced = q.serviced === 'true';
  }
  if (q.districts) {
    const ds = q.districts.split(',').map((s) => s.trim()).filter(Boolean);
    r.districtCodes = [...new Set(ds)];
  }
  if (q.near) {
    const near: { kind: HubKind; maxKm: number }[] = [];
    for (const [kind, v] of pairs(q.near)) {
      if (!has(HUB_KINDS, kind)) return bad('near', `未知枢纽类型：${kind}`, `Unknown hub kind "${kind}": use ${HUB_KINDS.join(', ')}`);
      const km = num(v);
      if (km === null) return bad('near', `${kind} 的距离须为数字（公里）`, `near: the distance for ${kind} must be a number (km)`);
      near.push({ kind, maxKm: km });
    }
    r.near = near;
  }
  if (q.project) {
    const p: NonNullable<SitingRequirements['project']> = {};
    for (const [k, v] of pairs(q.project)) {
      if (k === 'pollutionCategory') {
        if (!has(POLLUTION_CATEGORIES, v)) return bad('project.pollutionCategory', `未知污染类别：${v}`, `Unknown pollution category "${v}"`);
        p.pollutionCategory = v as PollutionCategory;
      } else if (has(NUMERIC_FIGURES, k)) {
        const n = num(v);
        if (n === null) return bad(`project.${k}`, `项目指标 ${k} 须为数字`, `project.${k} must be a number`);
        p[k] = n;
      } else {
        return bad('project', `未知项目指标：${k}`, `Unknown project figure "${k}"`);
      }
    }
    r.project = p;
  }
  if (q.weights) {
    const w: Partial<Record<SitingCriterion, number>> = {};
    for (const [k, v] of pairs(q.weights)) {
      if (!has(SITING_CRITERIA, k)) return bad('weights', `未知评分项：${k}`, `Unknown criterion "${k}": use ${SITING_CRITERIA.join(', ')}`);
      const n = num(v);
      if (n === null) return bad(`weights.${k}`, `权重 ${k} 须为数字`, `weights.${k} must be a number`);
      w[k] = n;
    }
    r.weights = w;
  }
  if (q.limit !== undefined && q.limit !== '') {
    const n = num(q.limit);
    if (n === null || !Number.isInteger(n) || n < 1 || n > 200) return bad('limit', 'limit 须为 1–200 的整数', 'limit must be an integer from 1 to 200');
    r.limit = n;
  }
  const problem = checkRequirements(r);
  return problem ?? { ok: true, value: r };
}

/**
 * What a schema cannot say: non-negative figures, min ≤ max, known districts and kinds, positive
 * distances, and at least one positive weight when weights are given. Null when all is well.
 */
export function checkRequirements(r: SitingRequirements): ValidationFailure | null {
  if (r.areaMuMin < 0) return bad('areaMuMin', '最小面积不能为负数', 'areaMuMin cannot be negative');
  if (r.areaMuMax < 0) return bad('areaMuMax', '最大面积不能为负数', 'areaMuMax cannot be negative');
  if (r.areaMuMin > r.areaMuMax) return bad('areaMuMin', `最小面积 ${r.areaMuMin} 亩大于最大面积 ${r.areaMuMax} 亩`, `areaMuMin (${r.areaMuMin} 亩) is larger than areaMuMax (${r.areaMuMax} 亩)`);
  if (r.maxPriceYuanPerM2 !== undefined && r.maxPriceYuanPerM2 < 0) return bad('maxPriceYuanPerM2', '地价上限不能为负数', 'maxPriceYuanPerM2 cannot be negative');
  const district = r.districtCodes?.find((d) => !has(DISTRICT_CODES, d));
  if (district !== undefined) return bad('districtCodes', `未知行政区代码：${district}`, `Unknown district code "${district}"`);
  const near = r.near?.find((n) => !(n.maxKm > 0) || n.maxKm > 200);
  if (near) return bad('near', `${near.kind} 的距离须大于 0、不超过 200 公里`, `near: the distance for ${near.kind} must be above 0 and at most 200 km`);
  for (const [k, v] of Object.entries(r.project ?? {})) {
    if (typeof v === 'number' && v < 0) return bad(`project.${k}`, `项目指标 ${k} 不能为负数`, `project.${k} cannot be negative`);
  }
  if (r.weights) {
    for (const c of SITING_CRITERIA) {
      const w = r.weights[c];
      if (w !== undefined && (!(w >= 0) || !Number.isFinite(w))) return bad(`weights.${c}`, `权重 ${c} 须为非负数`, `weights.${c} must be a number ≥ 0`);
    }
    if (SITING_CRITERIA.some((c) => r.weights![c] !== undefined) && !hasPositiveWeight(r.weights)) {
      return bad('weights', '权重不能全部为 0', 'weights: at least one weight must be above 0');
    }
  }
  return null;
}
