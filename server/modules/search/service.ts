/**
 * Investor search (GET /api/search/plots): AVAILABLE plots only, with filters, sorting, paging
 * and each plot's indicative minimum price — the 五(三)14 floor for an IAB project over the
 * statutory 50 years, per m² — computed for every candidate row in SQL so it can be filtered and
 * sorted on at 100,000 plots.
 *
 * This is a public answer, so the figure is the INDICATIVE minimum of POLICY.md "Who may see
 * what": the public terms only — B (benchmark price by district × land level), N (national
 * minimum by the plot's grade, else its district's) and P (provincial minimum by grade, when the
 * table has one) — never C: the cost is not even read, so neither the figure, nor the binding
 * term, nor the floor filter or sort can reveal it. The reference data in force is loaded once
 * per request and joined as VALUES lists; the arithmetic mirrors `publicFloor(priceFloor(…))` of
 * shared/policy term for term, exactly (integer numerics; ⌈a/b⌉ as div(a + b − 1, b), one ceiling
 * per term):
 *   bench = ⌈B·A·factor⌉, natmin = ⌈N·A⌉, provmin = ⌈P·A⌉, floor = max, per m² = ⌈floor / A⌉ (fen),
 *   ties named in the clause's order (benchmark, national minimum, provincial minimum).
 * `tests/api/search.test.ts` checks it against `publicFloor` for every plot on both databases,
 * so the two cannot drift apart.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { BBox, LandUse, ParkTier, Sector } from '../../../shared/domain.ts';
import { m2ToMu } from '../../../shared/units.ts';
import { supplyModesFor, type SupplyMode } from '../../../shared/supply-modes.ts';
import type { PublicFloorBinding } from '../../../shared/policy/index.ts';
import { loadReference } from '../reference/service.ts';
import { searchRows } from './repository.ts';
import { parkAndDistrict } from '../plots/service.ts';
import type { PollutionCategory } from '../../../shared/policy/standard-land.ts';

import type { SearchSort } from '../../../shared/contract/search.ts';

export { SEARCH_SORTS, type SearchSort } from '../../../shared/contract/search.ts';

export interface SearchFilters {
  sector?: Sector | undefined;
  districtCode?: string | undefined;
  parkId?: number | undefined;
  minAreaMu?: number | undefined;
  maxAreaMu?: number | undefined;
  landUse?: LandUse[] | undefined;
  /** Upper bound of the IAB 50-year floor, yuan per m². */
  maxFloorYuanPerM2?: number | undefined;
  /** Plots offering every one of these modes (indicative rule by land use, shared/supply-modes.ts). */
  supplyModes?: SupplyMode[] | undefined;
  bbox?: BBox | undefined;
  /** The project's own figures: only plots whose set conditions they meet. */
  project?: ProjectFigures | undefined;
  sort: SearchSort;
  limit: number;
  offset: number;
}

/** "My project's figures" of the search (each optional; shared/policy/standard-land.ts ProjectFigures names). */
export interface ProjectFigures {
  investmentIntensityYuanPerM2?: number | undefined;
  plotRatio?: number | undefined;
  outputPerMuYuan?: number | undefined;
  taxPerMuYuan?: number | undefined;
  energyTcePer10kYuan?: number | undefined;
  pollutionCategory?: PollutionCategory | undefined;
}

export interface SearchItem {
  id: number;
  code: string;
  parkId: number;
  parkCode: string;
  parkNameZh: string;
  parkNameEn: string;
  parkTier: ParkTier;
  sectors: Sector[];
  districtCode: string;
  districtNameZh: string;
  districtNameEn: string;
  areaM2: number;
  areaMu: number;
  landUse: LandUse;
  supplyModes: SupplyMode[];
  /** Indicative minimum (public terms only), IAB, 50 years, yuan/m² (null when the reference data has no B or N for the plot). */
  floorYuanPerM2: number | null;
  /** Never `cost`: a public answer names public terms only. */
  floorBinding: PublicFloorBinding | null;
  /** [lng, lat] of the plot's bounding-box centre (WGS84). */
  centroid: [number, number];
  serviced: boolean;
  sample: boolean;
}

export interface SearchResult {
  items: SearchItem[];
  total: number;
  limit: number;
  offset: number;
  /** Date the reference data (benchmark, national minimum, parameters) was taken as of. */
  asOf: string;
  /** true when a benchmark price used is sample data or a district grade is an unconfirmed assumption. */
  referenceSample: boolean;
}

export async function searchPlots(db: Kysely<Database>, f: SearchFilters): Promise<SearchResult> {
  const ref = await loadReference(db);
  const { rows, total } = await searchRows(db, ref, f);
  const referenceSample = ref.benchmark.some((b) => b.sample) || ref.districtGrades.some((g) => g.assumption);
  return {
    items: rows.map((r) => {
      const areaM2 = Number(r.area_m2);
      return {
        id: r.id,
        code: r.code,
        ...parkAndDistrict(r),
        sectors: r.sectors,
        areaM2,
        areaMu: Math.round(m2ToMu(r.area_m2) * 100) / 100,
        landUse: r.land_use,
        supplyModes: [...supplyModesFor(r.land_use)],
        floorYuanPerM2: r.floor_per_m2 === null ? null : Number(r.floor_per_m2),
        floorBinding: r.binding,
        centroid: [Number(r.cx), Number(r.cy)] as [number, number],
        serviced: r.serviced,
        sample: r.sample,
      };
    }),
    total,
    limit: f.limit,
    offset: f.offset,
    asOf: ref.asOf,
    referenceSample,
  };
}
