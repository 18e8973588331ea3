/**
 * The investor search's filters and their place in the URL (`/invest?sector=ai&inPark=6&minMu=20&use=M1,M2
 * &maxFloor=800&modes=flexible_term&sort=floor_asc&lng=…&lat=…&z=…&plot=…`). Pure functions, so
 * reading and writing are symmetric and testable; camera and selection keys belong to
 * ../url/viewUrl.ts and are kept as they are.
 */
import { LAND_USES, SECTORS, type BBox, type LandUse, type Sector } from '../../../shared/domain.ts';
import { SUPPLY_MODES, type SupplyMode } from '../../../shared/supply-modes.ts';
import type { SearchParams, SearchSort } from '../../api/index.ts';
import { POLLUTION_CATEGORIES, type PollutionCategory } from '../../../shared/policy/standard-land.ts';

export const SORTS: readonly SearchSort[] = ['code', 'area_desc', 'area_asc', 'floor_asc', 'floor_desc'];

export interface SearchFilters {
  sector: Sector | null;
  districtCode: string | null;
  parkId: number | null;
  minAreaMu: number | null;
  maxAreaMu: number | null;
  landUse: LandUse[];
  maxFloorYuanPerM2: number | null;
  supplyModes: SupplyMode[];
  /** "My project's figures": only plots whose 标准地 conditions the project meets. */
  projectInvestmentIntensity: number | null;
  projectPlotRatio: number | null;
  projectOutputPerMu: number | null;
  projectTaxPerMu: number | null;
  projectEnergyPer10k: number | null;
  projectPollutionCategory: PollutionCategory | null;
  sort: SearchSort;
  /** Only plots in the map view (the list follows the map). */
  followMap: boolean;
}

/** The project-figure filters, their URL keys, and how many decimals each takes. */
export const PROJECT_FIGURES = [
  { key: 'projectInvestmentIntensity', url: 'pInvest', decimals: 2 },
  { key: 'projectPlotRatio', url: 'pRatio', decimals: 2 },
  { key: 'projectOutputPerMu', url: 'pOutput', decimals: 2 },
  { key: 'projectTaxPerMu', url: 'pTax', decimals: 2 },
  { key: 'projectEnergyPer10k', url: 'pEnergy', decimals: 4 },
] as const;

export const DEFAULT_FILTERS: SearchFilters = {
  sector: null,
  districtCode: null,
  parkId: null,
  minAreaMu: null,
  maxAreaMu: null,
  landUse: [],
  maxFloorYuanPerM2: null,
  supplyModes: [],
  projectInvestmentIntensity: null,
  projectPlotRatio: null,
  projectOutputPerMu: null,
  projectTaxPerMu: null,
  projectEnergyPer10k: null,
  projectPollutionCategory: null,
  sort: 'code',
  followMap: true,
};

const KEYS = ['sector', 'district', 'inPark', 'minMu', 'maxMu', 'use', 'maxFloor', 'modes', 'sort', 'view', ...PROJECT_FIGURES.map((f) => f.url), 'pPollution'] as const;

function positive(raw: string | null, max = 1_000_000, decimals = 2): number | null {
  if (raw === null || raw.trim() === '' || !new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`).test(raw.trim())) return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 && n <= max ? n : null;
}

function list<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  return [...new Set(raw.split(',').filter((x): x is T => (allowed as readonly string[]).includes(x)))];
}

/** Reads the filters from a query string; anything malformed reads as "not set". */
export function parseSearchUrl(search: string): SearchFilters {
  const p = new URLSearchParams(search);
  const sector = p.get('sector');
  const district = p.get('district');
  // `park` and `plot` are the map selection (../url/viewUrl.ts); the park filter is `inPark`.
  const park = p.get('inPark');
  const sort = p.get('sort');
  return {
    sector: (SECTORS as readonly string[]).includes(sector ?? '') ? (sector as Sector) : null,
    districtCode: district && /^\d{6}$/.test(district) ? district : null,
    parkId: park && /^\d{1,9}$/.test(park) && Number(park) > 0 ? Number(park) : null,
    minAreaMu: positive(p.get('minMu')),
    maxAreaMu: positive(p.get('maxMu')),
    landUse: list(p.get('use'), LAND_USES),
    maxFloorYuanPerM2: positive(p.get('maxFloor')),
    supplyModes: list(p.get('modes'), SUPPLY_MODES),
    ...(Object.fromEntries(PROJECT_FIGURES.map((f) => [f.key, positive(p.get(f.url), 1e12, f.decimals)])) as Record<(typeof PROJECT_FIGURES)[number]['key'], number | null>),
    projectPollutionCategory: (POLLUTION_CATEGORIES as readonly string[]).includes(p.get('pPollution') ?? '') ? (p.get('pPollution') as PollutionCategory) : null,
    sort: SORTS.includes(sort as SearchSort) ? (sort as SearchSort) : 'code',
    followMap: p.get('view') !== 'all',
  };
}

/** Writes the filters into a query string (with `?`, or ''), keeping other parameters. */
export function formatSearchUrl(f: SearchFilters, currentSearch = ''): string {
  const p = new URLSearchParams(currentSearch);
  for (const k of KEYS) p.delete(k);
  if (f.sector) p.set('sector', f.sector);
  if (f.districtCode) p.set('district', f.districtCode);
  if (f.parkId !== null) p.set('inPark', String(f.parkId));
  if (f.minAreaMu !== null) p.set('minMu', String(f.minAreaMu));
  if (f.maxAreaMu !== null) p.set('maxMu', String(f.maxAreaMu));
  if (f.landUse.length) p.set('use', f.landUse.join(','));
  if (f.maxFloorYuanPerM2 !== null) p.set('maxFloor', String(f.maxFloorYuanPerM2));
  if (f.supplyModes.length) p.set('modes', f.supplyModes.join(','));
  for (const fig of PROJECT_FIGURES) if (f[fig.key] !== null) p.set(fig.url, String(f[fig.key]));
  if (f.projectPollutionCategory) p.set('pPollution', f.projectPollutionCategory);
  if (f.sort !== 'code') p.set('sort', f.sort);
  if (!f.followMap) p.set('view', 'all');
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The API parameters for the filters (and the map view when the list follows it). */
export function toSearchParams(f: SearchFilters, bbox: BBox | null): SearchParams {
  return {
    sector: f.sector ?? undefined,
    districtCode: f.districtCode ?? undefined,
    parkId: f.parkId ?? undefined,
    minAreaMu: f.minAreaMu ?? undefined,
    maxAreaMu: f.maxAreaMu ?? undefined,
    landUse: f.landUse,
    maxFloorYuanPerM2: f.maxFloorYuanPerM2 ?? undefined,
    supplyModes: f.supplyModes,
    bbox: f.followMap && bbox ? bbox : undefined,
    projectInvestmentIntensity: f.projectInvestmentIntensity ?? undefined,
    projectPlotRatio: f.projectPlotRatio ?? undefined,
    projectOutputPerMu: f.projectOutputPerMu ?? undefined,
    projectTaxPerMu: f.projectTaxPerMu ?? undefined,
    projectEnergyPer10k: f.projectEnergyPer10k ?? undefined,
    projectPollutionCategory: f.projectPollutionCategory ?? undefined,
    sort: f.sort,
  };
}

/** How many filters differ from the defaults (for the "filters (3)" button). */
export function activeFilterCount(f: SearchFilters): number {
  return [f.sector, f.districtCode, f.parkId, f.minAreaMu, f.maxAreaMu, f.maxFloorYuanPerM2, ...PROJECT_FIGURES.map((x) => f[x.key]), f.projectPollutionCategory].filter((x) => x !== null).length + (f.landUse.length ? 1 : 0) + (f.supplyModes.length ? 1 : 0);
}
