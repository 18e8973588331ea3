/**
 * Siting (issue #16): the hard requirements a plot must meet and the 0–1 score of each criterion,
 * with the words that explain both. Pure, no I/O: the server ranks with it (the SQL applies the
 * same hard requirements on indexed columns first, tests hold the two equal), explain uses it for
 * the failures of one plot, and the client can re-score with it.
 *
 * Distances are straight-line (直线距离) in the EPSG:4547 plane (CGCS2000 3° Gauss–Krüger, 114°E),
 * km, from a plot's centre (its bounding-box centre, as the search uses) to an indicative hub.
 *
 * Confidentiality: the price criterion and the budget use the PUBLIC indicative minimum only
 * (floor-disclosure.ts); nothing here ever sees a land cost.
 */
import type { LandUse, ParkTier, ProjectSector, Sector } from '../domain.ts';
import { fromWgs84, type LonLat, type XY } from '../geometry/crs.ts';
import { parseDecimal } from '../money.ts';
import { supplyModesFor, SUPPLY_MODE_LABELS } from '../supply-modes.ts';
import { compareM2HundredthsToMu, m2ToHundredths, m2ToMu } from '../units.ts';
import { conditionsMet, type PlotConditions, type UnmetCondition } from './standard-land.ts';
import { combinedScore, compareRanked, SITING_CRITERIA, type SitingCriterion, type SitingWeights } from './siting-weights.ts';
import {
  HUB_KIND_LABELS, HUB_KINDS, SITING_REQUIREMENTS,
  type HubKind, type NearestHub, type SitingFailure, type SitingReason, type SitingRequirement, type SitingRequirements,
} from '../contract/siting.ts';

/** Radius of the cluster criterion, km (straight line). */
export const CLUSTER_RADIUS_KM = 5;
/** Allocations at which the cluster criterion reaches 1. */
export const CLUSTER_SATURATION = 5;
/**
 * Access without `near`: the mean over airport and rail of max(0, 1 − d / 50 km). An ASSUMPTION
 * (no source states it): 50 km is about the airport-to-南沙 span, so a plot scores 0 on a kind
 * only when it is as far as the city allows.
 */
export const DEFAULT_ACCESS_KM = 50;
export const DEFAULT_ACCESS_KINDS = ['airport', 'rail'] as const satisfies readonly HubKind[];

export const SECTOR_LABELS = {
  ngit: { zh: '新一代信息技术', en: 'next-generation IT' },
  ai: { zh: '人工智能', en: 'AI' },
  biomed: { zh: '生物医药', en: 'biomedicine' },
  other: { zh: '其他产业', en: 'other industry' },
} as const satisfies Record<ProjectSector, { zh: string; en: string }>;

export const SITING_REQUIREMENT_LABELS = {
  available: { zh: '可供应', en: 'Available' },
  area: { zh: '面积', en: 'Area' },
  landUse: { zh: '用地性质', en: 'Land use' },
  supplyMode: { zh: '供地方式', en: 'Supply mode' },
  district: { zh: '行政区', en: 'District' },
  serviced: { zh: '通平', en: 'Serviced' },
  price: { zh: '地价', en: 'Price' },
  near: { zh: '枢纽距离', en: 'Hub distance' },
  conditions: { zh: '标准地条件', en: '标准地 conditions' },
} as const satisfies Record<SitingRequirement, { zh: string; en: string }>;

export const DISTANCE_NOTE = {
  zh: '距离均为地块中心到枢纽的直线距离（EPSG:4547 平面，公里），不是路线或行车时间；枢纽位置为示意（约 ±1 公里）。',
  en: 'Distances are straight-line (直线距离) from the plot’s centre to the hub in the EPSG:4547 plane, km — not a route or a travel time; hub locations are indicative (± about 1 km).',
} as const;

/** A hub with its position in the EPSG:4547 plane. */
export interface SitingHub {
  readonly id: number;
  readonly kind: HubKind;
  readonly nameZh: string;
  readonly nameEn: string;
  readonly xy: XY;
}

/** A plot as the rules see it: public facts only. */
export interface SitingPlot {
  readonly plotId: number;
  readonly plotCode: string;
  readonly parkId: number;
  /** The park's lead sectors, first = the main one. */
  readonly parkSectors: readonly Sector[];
  readonly parkTier: ParkTier;
  readonly districtCode: string;
  /** Surveyed area, m² (exact decimal, at most 2 places). */
  readonly areaM2: number | string;
  readonly landUse: LandUse;
  readonly serviced: boolean;
  readonly status: string;
  /** 标准地 conditions as stored (only the fields set); the hard requirements read them. */
  readonly conditions: PlotConditions;
  /** Whether any condition is set (readiness); derived from `conditions` when left out. */
  readonly conditionsSet?: boolean;
  /** Indicative minimum (public terms), fen per m²; null when the reference data has no figure. */
  readonly floorFenPerM2: number | null;
  readonly centre: LonLat;
  /** The centre in EPSG:4547, metres. */
  readonly xy: XY;
}

/** WGS84 → EPSG:4547 (metres). */
export const planeXY = (p: LonLat): XY => fromWgs84('EPSG:4547', p);

/** Straight-line km between two EPSG:4547 points. */
export const planeKm = (a: XY, b: XY): number => Math.hypot(a[0] - b[0], a[1] - b[1]) / 1000;

const km1 = (km: number) => km.toFixed(1);
const FMT2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const FMT_PLAIN = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const fmt = (n: number) => FMT2.format(n);
const fmtPlain = (n: number) => FMT_PLAIN.format(n);

/** The nearest hub of each kind that has any (straight line). */
export function nearestHubs(xy: XY, hubs: readonly SitingHub[]): Partial<Record<HubKind, NearestHub>> {
  const out: Partial<Record<HubKind, NearestHub>> = {};
  const exact: Partial<Record<HubKind, number>> = {};
  for (const h of hubs) {
    const d = planeKm(xy, h.xy);
    const best = exact[h.kind];
    if (best === undefined || d < best || (d === best && h.id < out[h.kind]!.hubId)) {
      exact[h.kind] = d;
      out[h.kind] = { kind: h.kind, hubId: h.id, nameZh: h.nameZh, nameEn: h.nameEn, km: d };
    }
  }
  return out;
}

/** The nearest hubs as the API lists them (km to 1 decimal, kinds in HUB_KINDS order). */
export function nearestHubList(nearest: Partial<Record<HubKind, NearestHub>>): NearestHub[] {
  return HUB_KINDS.flatMap((k) => (nearest[k] ? [{ ...nearest[k], km: Math.round(nearest[k].km * 10) / 10 }] : []));
}

// --- Hard requirements ----------------------------------------------------------------------------

/** floor (fen/m²) ≤ budget (yuan/m²), exactly. */
export function floorWithinBudget(floorFenPerM2: number, maxYuanPerM2: number): boolean {
  const r = parseDecimal(maxYuanPerM2);
  if (!r) return false;
  return BigInt(floorFenPerM2) * r.den <= r.num * 100n;
}

const CONDITION_TEXT: Record<UnmetCondition['field'], { zh: string; en: string; unitZh: string; unitEn: string }> = {
  investmentIntensityYuanPerM2Min: { zh: '投资强度', en: 'investment intensity', unitZh: '元/平方米', unitEn: 'yuan/m²' },
  plotRatioMin: { zh: '容积率', en: 'plot ratio', unitZh: '', unitEn: '' },
  plotRatioMax: { zh: '容积率', en: 'plot ratio', unitZh: '', unitEn: '' },
  outputPerMuYuanMin: { zh: '亩均产值', en: 'output per 亩', unitZh: '元', unitEn: 'yuan' },
  taxPerMuYuanMin: { zh: '亩均税收', en: 'tax per 亩', unitZh: '元', unitEn: 'yuan' },
  energyTcePer10kYuanMax: { zh: '单位产值能耗', en: 'energy per 10k yuan of output', unitZh: '吨标煤/万元', unitEn: 'tce per 10k yuan' },
  pollutionCategory: { zh: '污染类别', en: 'pollution class', unitZh: '', unitEn: '' },
  startWithinMonths: { zh: '动工期限', en: 'start deadline', unitZh: '', unitEn: '' },
  completeWithinMonths: { zh: '竣工期限', en: 'completion deadline', unitZh: '', unitEn: '' },
};

function conditionText(u: UnmetCondition): { zh: string; en: string } {
  const t = CONDITION_TEXT[u.field];
  const isMax = u.field.endsWith('Max') || u.field === 'pollutionCategory';
  const req = typeof u.required === 'number' ? fmtPlain(u.required) : u.required;
  const act = typeof u.actual === 'number' ? fmtPlain(u.actual) : u.actual;
  return isMax
    ? { zh: `${t.zh} ${act}${t.unitZh}，超过地块上限 ${req}${t.unitZh}`, en: `${t.en} ${act} ${t.unitEn} is above the plot’s maximum of ${req} ${t.unitEn}`.replace(/ +/g, ' ') }
    : { zh: `${t.zh} ${act}${t.unitZh}，低于地块要求 ${req}${t.unitZh}`, en: `${t.en} ${act} ${t.unitEn} is below the plot’s minimum of ${req} ${t.unitEn}`.replace(/ +/g, ' ') };
}

const fail = (requirement: SitingRequirement, zh: string, en: string): SitingFailure => ({ requirement, textZh: zh, textEn: en });

/**
 * Every hard requirement the plot fails, in SITING_REQUIREMENTS order, each with its words
 * ("面积 12.50 亩，小于 30 亩"). Empty when the plot is eligible. The SQL of the ranking applies
 * the same rules (tests compare the two on every plot).
 */
export function hardRequirementFailures(plot: SitingPlot, req: SitingRequirements, hubs: readonly SitingHub[]): SitingFailure[] {
  const out: SitingFailure[] = [];
  if (plot.status !== 'available') {
    out.push(fail('available', `地块状态为“${STATUS_ZH[plot.status] ?? plot.status}”，不可供应`, `The plot is ${plot.status}, not available`));
  }
  const h = m2ToHundredths(plot.areaM2);
  const mu = fmt(m2ToMu(plot.areaM2));
  if (compareM2HundredthsToMu(h, req.areaMuMin) < 0) out.push(fail('area', `面积 ${mu} 亩，小于 ${fmtPlain(req.areaMuMin)} 亩`, `Area ${mu} 亩 is below ${fmtPlain(req.areaMuMin)} 亩`));
  else if (compareM2HundredthsToMu(h, req.areaMuMax) > 0) out.push(fail('area', `面积 ${mu} 亩，大于 ${fmtPlain(req.areaMuMax)} 亩`, `Area ${mu} 亩 is above ${fmtPlain(req.areaMuMax)} 亩`));
  if (req.landUse && !req.landUse.includes(plot.landUse)) {
    out.push(fail('landUse', `用地性质 ${plot.landUse}，不在 ${req.landUse.join('、')} 之列`, `Land use ${plot.landUse} is not one of ${req.landUse.join(', ')}`));
  }
  if (req.supplyMode && !supplyModesFor(plot.landUse).includes(req.supplyMode)) {
    const m = SUPPLY_MODE_LABELS[req.supplyMode];
    out.push(fail('supplyMode', `${plot.landUse} 用地不提供“${m.zh}”方式（示意规则）`, `${plot.landUse} land is not offered by ${m.en} (indicative rule)`));
  }
  if (req.districtCodes && !req.districtCodes.includes(plot.districtCode)) {
    out.push(fail('district', `地块位于 ${plot.districtCode}，不在所选行政区内`, `The plot is in district ${plot.districtCode}, not one of those asked for`));
  }
  if (req.serviced === true && !plot.serviced) out.push(fail('serviced', '地块尚未通平', 'The plot is not serviced'));
  if (req.maxPriceYuanPerM2 !== undefined) {
    if (plot.floorFenPerM2 === null) {
      out.push(fail('price', '无参考价，无法确认在预算之内', 'No indicative minimum, so it cannot be shown to be within the budget'));
    } else if (!floorWithinBudget(plot.floorFenPerM2, req.maxPriceYuanPerM2)) {
      const f = fmt(plot.floorFenPerM2 / 100);
      out.push(fail('price', `参考最低价 ${f} 元/平方米，高于预算 ${fmtPlain(req.maxPriceYuanPerM2)} 元/平方米`, `Indicative minimum ${f} yuan/m² is above the budget of ${fmtPlain(req.maxPriceYuanPerM2)} yuan/m²`));
    }
  }
  if (req.near?.length) {
    const nearest = nearestHubs(plot.xy, hubs);
    const zh: string[] = [];
    const en: string[] = [];
    for (const n of req.near) {
      const hub = nearest[n.kind];
      const label = HUB_KIND_LABELS[n.kind];
      if (!hub) {
        zh.push(`没有登记${label.zh}`);
        en.push(`no ${label.en.toLowerCase()} is recorded`);
      } else if (hub.km > n.maxKm) {
        zh.push(`距最近${label.zh}（${hub.nameZh}）直线距离 ${km1(hub.km)} 公里，超过 ${fmtPlain(n.maxKm)} 公里`);
        en.push(`the nearest ${label.en.toLowerCase()} (${hub.nameEn}) is ${km1(hub.km)} km away in a straight line, beyond ${fmtPlain(n.maxKm)} km`);
      }
    }
    if (zh.length) out.push(fail('near', zh.join('；'), en.join('; ').replace(/^./, (c) => c.toUpperCase())));
  }
  if (req.project) {
    const check = conditionsMet(plot.conditions, req.project);
    if (!check.ok) {
      const texts = check.unmet.map(conditionText);
      out.push(fail('conditions', `项目不满足标准地条件：${texts.map((t) => t.zh).join('；')}`, `The project misses the plot’s 标准地 conditions: ${texts.map((t) => t.en).join('; ')}`));
    }
  }
  return out;
}

const STATUS_ZH: Record<string, string> = { available: '可供应', held: '预留', allocated: '已供应', withdrawn: '已收回', retired: '已注销' };

/** The first requirement a plot fails (SITING_REQUIREMENTS order), or null. */
export function firstFailure(plot: SitingPlot, req: SitingRequirements, hubs: readonly SitingHub[]): SitingRequirement | null {
  const f = hardRequirementFailures(plot, req, hubs);
  if (!f.length) return null;
  return SITING_REQUIREMENTS.find((r) => f.some((x) => x.requirement === r)) ?? null;
}

// --- Scores ---------------------------------------------------------------------------------------

export interface CriterionScore {
  readonly score: number;
  readonly value: number | string | null;
  readonly zh: string;
  readonly en: string;
}

// Each criterion as a number (what the ranking computes for every candidate), then with its
// words (what an answer shows for the plots it returns). The words call the numbers.

export function sectorFit(parkSectors: readonly Sector[], sector: ProjectSector): number {
  if (sector === 'other') return 0;
  return parkSectors[0] === sector ? 1 : (parkSectors as readonly string[]).includes(sector) ? 0.7 : 0;
}

export function sizeFit(areaMu: number, minMu: number, maxMu: number): number {
  const mid = (minMu + maxMu) / 2;
  const half = (maxMu - minMu) / 2;
  return half === 0 ? 1 : Math.max(0, Math.min(1, 1 - Math.abs(areaMu - mid) / half));
}

export function priceFit(floorFenPerM2: number | null, range: { lo: number; hi: number } | null): number {
  if (floorFenPerM2 === null || range === null) return 0;
  return range.hi === range.lo ? 1 : Math.max(0, Math.min(1, (range.hi - floorFenPerM2) / (range.hi - range.lo)));
}

export const readinessFit = (serviced: boolean, conditionsSet: boolean): number => (serviced ? 0.6 : 0) + (conditionsSet ? 0.4 : 0);

const accessEntries = (near: SitingRequirements['near']) => (near?.length ? near : DEFAULT_ACCESS_KINDS.map((kind) => ({ kind, maxKm: DEFAULT_ACCESS_KM })));

export function accessFit(nearest: Partial<Record<HubKind, NearestHub>>, near: SitingRequirements['near']): number {
  const entries = accessEntries(near);
  let sum = 0;
  for (const n of entries) {
    const hub = nearest[n.kind];
    if (hub) sum += Math.max(0, 1 - hub.km / n.maxKm);
  }
  return sum / entries.length;
}

export const clusterFit = (n: number): number => Math.min(1, n / CLUSTER_SATURATION);
export const greenChannelFit = (tier: ParkTier): number => (tier === 'core' ? 1 : 0);

export function sectorScore(parkSectors: readonly Sector[], sector: ProjectSector): CriterionScore {
  const want = SECTOR_LABELS[sector];
  const lead = parkSectors.map((s) => SECTOR_LABELS[s]);
  const leadZh = lead.map((l) => l.zh).join('、') || '无';
  const leadEn = lead.map((l) => l.en).join(', ') || 'none';
  const score = sectorFit(parkSectors, sector);
  if (score === 1) {
    return { score, value: 'lead', zh: `园区首位主导产业为${want.zh}`, en: `The park’s first lead sector is ${want.en}` };
  }
  if (score > 0) {
    return { score, value: 'listed', zh: `${want.zh}为园区主导产业之一（${leadZh}）`, en: `${want.en} is among the park’s lead sectors (${leadEn})` };
  }
  return { score: 0, value: 'none', zh: `园区主导产业（${leadZh}）不含${want.zh}`, en: `The park’s lead sectors (${leadEn}) do not include ${want.en}` };
}

/** 1 − |a − mid| / half over [min, max] (half = 0 → 1), clamped to 0–1. */
export function sizeScore(areaMu: number, minMu: number, maxMu: number): CriterionScore {
  const mid = (minMu + maxMu) / 2;
  return {
    score: sizeFit(areaMu, minMu, maxMu),
    value: Math.round(areaMu * 100) / 100,
    zh: `面积 ${fmt(areaMu)} 亩，需求区间中点 ${fmtPlain(mid)} 亩`,
    en: `Area ${fmt(areaMu)} 亩; the middle of the range is ${fmtPlain(mid)} 亩`,
  };
}

/** The lowest and highest known public floor among the candidates (fen/m²), or null. */
export function priceRange(floors: readonly (number | null)[]): { lo: number; hi: number } | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const f of floors) {
    if (f === null) continue;
    if (f < lo) lo = f;
    if (f > hi) hi = f;
  }
  return lo === Infinity ? null : { lo, hi };
}

/** (hi − f) / (hi − lo) on the public indicative minimum; 1 when hi = lo; unknown → 0. */
export function priceScore(floorFenPerM2: number | null, range: { lo: number; hi: number } | null): CriterionScore {
  if (floorFenPerM2 === null || range === null) {
    return { score: 0, value: null, zh: '无参考价', en: 'No indicative minimum' };
  }
  const f = fmt(floorFenPerM2 / 100);
  return {
    score: priceFit(floorFenPerM2, range),
    value: floorFenPerM2 / 100,
    zh: `参考最低价 ${f} 元/平方米（候选地块 ${fmt(range.lo / 100)}–${fmt(range.hi / 100)}）`,
    en: `Indicative minimum ${f} yuan/m² (candidates ${fmt(range.lo / 100)}–${fmt(range.hi / 100)})`,
  };
}

/** Whether any 标准地 condition is set on the plot. */
export function hasAnyCondition(c: PlotConditions): boolean {
  return Object.values(c).some((v) => v !== null && v !== undefined);
}

/** 0.6 if serviced + 0.4 if any 标准地 condition is set. */
export function readinessScore(serviced: boolean, conditionsSet: boolean): CriterionScore {
  return {
    score: readinessFit(serviced, conditionsSet),
    value: [serviced ? 'serviced' : null, conditionsSet ? 'conditions' : null].filter(Boolean).join('+') || 'none',
    zh: `${serviced ? '已通平' : '未通平'}，${conditionsSet ? '已设标准地条件' : '未设标准地条件'}`,
    en: `${serviced ? 'Serviced' : 'Not serviced'}; ${conditionsSet ? '标准地 conditions set' : 'no 标准地 conditions set'}`,
  };
}

/**
 * With `near`: the mean over its entries of max(0, 1 − d / maxKm) to the nearest hub of the kind.
 * Without: the mean over airport and rail of max(0, 1 − d / 50 km) — an assumption, stated in the
 * words (DEFAULT_ACCESS_KM). A kind with no hub recorded scores 0.
 */
export function accessScore(nearest: Partial<Record<HubKind, NearestHub>>, near: SitingRequirements['near']): CriterionScore {
  const entries = accessEntries(near);
  const zh: string[] = [];
  const en: string[] = [];
  for (const n of entries) {
    const hub = nearest[n.kind];
    if (!hub) {
      zh.push(`无${HUB_KIND_LABELS[n.kind].zh}`);
      en.push(`no ${HUB_KIND_LABELS[n.kind].en.toLowerCase()}`);
      continue;
    }
    zh.push(`${hub.nameZh} ${km1(hub.km)} 公里`);
    en.push(`${hub.nameEn} ${km1(hub.km)} km`);
  }
  const assumption = near?.length ? null : { zh: `（未指定枢纽要求时按机场、铁路站 ${DEFAULT_ACCESS_KM} 公里内线性计分，系假设）`, en: ` (with no hub requirement: airport and rail, linear to ${DEFAULT_ACCESS_KM} km, an assumption)` };
  const first = nearest[entries[0]!.kind];
  return {
    score: accessFit(nearest, near),
    value: first ? Math.round(first.km * 10) / 10 : null,
    zh: `直线距离：${zh.join('，')}${assumption?.zh ?? ''}`,
    en: `Straight-line: ${en.join(', ')}${assumption?.en ?? ''}`,
  };
}

/** min(1, n / 5) for n same-sector active allocations in the park or within 5 km. */
export function clusterScore(n: number, sector: ProjectSector): CriterionScore {
  const s = SECTOR_LABELS[sector];
  return {
    score: clusterFit(n),
    value: n,
    zh: `同园区或 ${CLUSTER_RADIUS_KM} 公里（直线距离）内有 ${n} 个${s.zh}已供地项目`,
    en: `${n} ${s.en} project${n === 1 ? '' : 's'} with land in the park or within ${CLUSTER_RADIUS_KM} km (straight line)`,
  };
}

/** Core park → 1 (五(三)12 green channel), else 0. */
export function greenChannelScore(tier: ParkTier): CriterionScore {
  return greenChannelFit(tier) === 1
    ? { score: 1, value: tier, zh: '核心园区，可走审批绿色通道（五(三)12）', en: 'Core park: the approval green channel applies (五(三)12)' }
    : { score: 0, value: tier, zh: '非核心园区，不适用审批绿色通道', en: 'Not a core park: no approval green channel' };
}

// --- Clusters -------------------------------------------------------------------------------------

/** An active allocation of the requested sector: its plot's park and centre (EPSG:4547). */
export interface ClusterPoint {
  readonly parkId: number;
  readonly xy: XY;
}

/** Points indexed for "how many in the same park or within CLUSTER_RADIUS_KM" (a 5 km grid). */
export interface ClusterIndex {
  /** The count for a plot, or `cap` as soon as it reaches `cap` (the score saturates there). */
  count(plot: { parkId: number; xy: XY }, cap?: number): number;
}

export function clusterIndex(points: readonly ClusterPoint[]): ClusterIndex {
  const cell = CLUSTER_RADIUS_KM * 1000;
  const grid = new Map<string, ClusterPoint[]>();
  const byPark = new Map<number, number>();
  for (const p of points) {
    const key = `${Math.floor(p.xy[0] / cell)}:${Math.floor(p.xy[1] / cell)}`;
    let list = grid.get(key);
    if (!list) grid.set(key, (list = []));
    list.push(p);
    byPark.set(p.parkId, (byPark.get(p.parkId) ?? 0) + 1);
  }
  return {
    count(plot, cap = Infinity) {
      let n = byPark.get(plot.parkId) ?? 0;
      if (n >= cap) return cap;
      const cx = Math.floor(plot.xy[0] / cell);
      const cy = Math.floor(plot.xy[1] / cell);
      for (let dx = -1; dx <= 1; dx++) {
        for (let dy = -1; dy <= 1; dy++) {
          for (const p of grid.get(`${cx + dx}:${cy + dy}`) ?? []) {
            if (p.parkId !== plot.parkId && planeKm(p.xy, plot.xy) <= CLUSTER_RADIUS_KM && ++n >= cap) return cap;
          }
        }
      }
      return n;
    },
  };
}

/**
 * For each plot, the number of points in the same park or within CLUSTER_RADIUS_KM (straight
 * line); each point counts once. `cap`: stop counting there (the score is 1 from CLUSTER_SATURATION).
 */
export function clusterCounts(plots: readonly { plotId: number; parkId: number; xy: XY }[], points: readonly ClusterPoint[], cap = Infinity): Map<number, number> {
  const index = clusterIndex(points);
  return new Map(plots.map((p) => [p.plotId, index.count(p, cap)]));
}

// --- Ranking --------------------------------------------------------------------------------------

export interface RankContext {
  readonly hubs: readonly SitingHub[];
  /** Same-sector active allocations per plot (see clusterCounts; may be capped at CLUSTER_SATURATION); missing → 0. */
  readonly clusterCounts: ReadonlyMap<number, number>;
  /** The exact count for the words, when clusterCounts is capped. */
  readonly clusterExact?: (plot: SitingPlot) => number;
  readonly weights: SitingWeights;
}

/** A ranked candidate: its scores per criterion, the combined score and its rank. */
export interface RankedEntry {
  readonly plot: SitingPlot;
  readonly scores: Record<SitingCriterion, number>;
  readonly score: number;
  readonly rank: number;
}

/** A ranked candidate with its words: one reason per criterion and a one-line summary. */
export interface ScoredPlot extends RankedEntry {
  readonly reasons: SitingReason[];
  readonly nearestHubs: NearestHub[];
  readonly summaryZh: string;
  readonly summaryEn: string;
}

export type PriceRange = { lo: number; hi: number } | null;

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);
const conditionsSetOf = (p: SitingPlot) => p.conditionsSet ?? hasAnyCondition(p.conditions);
/** 亩 as a float, for the size score (the hard requirement compares exactly). */
const muOf = (m2: number | string) => (Number(m2) * 3) / 2000;

/**
 * The criterion scores of one candidate (the price range is over all the candidates), each rounded
 * to the 3 decimals the answer publishes, so that re-weighting the published scores (the page's
 * sliders, combinedScore) gives exactly the server's total.
 */
export function criterionScores(plot: SitingPlot, req: SitingRequirements, ctx: RankContext, range: PriceRange): Record<SitingCriterion, number> {
  return {
    sector: round3(sectorFit(plot.parkSectors, req.sector)),
    size: round3(sizeFit(muOf(plot.areaM2), req.areaMuMin, req.areaMuMax)),
    price: round3(priceFit(plot.floorFenPerM2, range)),
    readiness: round3(readinessFit(plot.serviced, conditionsSetOf(plot))),
    access: round3(accessFit(nearestHubs(plot.xy, ctx.hubs), req.near)),
    cluster: round3(clusterFit(ctx.clusterCounts.get(plot.plotId) ?? 0)),
    greenChannel: round3(greenChannelFit(plot.parkTier)),
  };
}

/**
 * Scores every candidate and orders them (score desc, code asc), ranks from 1 — numbers only, so
 * it stays fast over tens of thousands of candidates; {@link describeEntry} adds the words.
 */
export function rankScores(candidates: readonly SitingPlot[], req: SitingRequirements, ctx: RankContext): { entries: RankedEntry[]; range: PriceRange } {
  const range = priceRange(candidates.map((c) => c.floorFenPerM2));
  const scored = candidates.map((plot) => {
    const scores = criterionScores(plot, req, ctx, range);
    return { plot, scores, score: combinedScore(scores, ctx.weights), rank: 0 };
  });
  scored.sort((a, b) => compareRanked({ score: a.score, plotCode: a.plot.plotCode }, { score: b.score, plotCode: b.plot.plotCode }));
  scored.forEach((s, i) => { s.rank = i + 1; });
  return { entries: scored, range };
}

/** The words of a ranked candidate: a reason per criterion (SITING_CRITERIA order) and the summary. */
export function describeEntry(e: RankedEntry, req: SitingRequirements, ctx: RankContext, range: PriceRange): ScoredPlot {
  const plot = e.plot;
  const nearest = nearestHubs(plot.xy, ctx.hubs);
  const per: Record<SitingCriterion, CriterionScore> = {
    sector: sectorScore(plot.parkSectors, req.sector),
    size: sizeScore(muOf(plot.areaM2), req.areaMuMin, req.areaMuMax),
    price: priceScore(plot.floorFenPerM2, range),
    readiness: readinessScore(plot.serviced, conditionsSetOf(plot)),
    access: accessScore(nearest, req.near),
    cluster: clusterScore(ctx.clusterExact ? ctx.clusterExact(plot) : (ctx.clusterCounts.get(plot.plotId) ?? 0), req.sector),
    greenChannel: greenChannelScore(plot.parkTier),
  };
  const reasons: SitingReason[] = SITING_CRITERIA.map((c) => ({
    criterion: c, value: per[c].value, score: round3(e.scores[c]), weight: ctx.weights[c], textZh: per[c].zh, textEn: per[c].en,
  }));
  // The two or three strongest contributions (weight × score), ties in criterion order.
  const strongest = SITING_CRITERIA
    .map((c, i) => ({ c, i, v: ctx.weights[c] * e.scores[c] }))
    .filter((x) => x.v > 0)
    .sort((a, b) => b.v - a.v || a.i - b.i)
    .slice(0, 3);
  return {
    ...e,
    reasons,
    nearestHubs: nearestHubList(nearest),
    summaryZh: strongest.length ? strongest.map((x) => per[x.c].zh).join('；') : '各项评分均为 0',
    summaryEn: strongest.length ? strongest.map((x, i) => (i ? lowerFirst(per[x.c].en) : per[x.c].en)).join('; ') : 'Every criterion scores 0',
  };
}

/** Scores, orders and describes every candidate (small sets; the server describes only what it returns). */
export function rankCandidates(candidates: readonly SitingPlot[], req: SitingRequirements, ctx: RankContext): ScoredPlot[] {
  const { entries, range } = rankScores(candidates, req, ctx);
  return entries.map((e) => describeEntry(e, req, ctx, range));
}
