/** The investor search (`GET /api/search/plots`). */
import type { BBox, LandUse } from '../../shared/domain.ts';
import type { SupplyMode } from '../../shared/supply-modes.ts';
import type { SearchItem, SearchQuery, SearchResponse, SearchSort } from '../../shared/contract/search.ts';
import { getJson, query } from './http.ts';

export type { SearchItem, SearchSort };
export type SearchPage = SearchResponse;

/** The search's filters as the screens hold them (lists and the bbox joined for the query string). */
export type SearchParams = Omit<SearchQuery, 'landUse' | 'supplyModes' | 'bbox'> & { landUse?: LandUse[]; supplyModes?: SupplyMode[]; bbox?: BBox };

function searchQuery(p: SearchParams): string {
  return query({
    sector: p.sector,
    districtCode: p.districtCode,
    parkId: p.parkId,
    minAreaMu: p.minAreaMu,
    maxAreaMu: p.maxAreaMu,
    landUse: p.landUse?.length ? p.landUse.join(',') : undefined,
    maxFloorYuanPerM2: p.maxFloorYuanPerM2,
    supplyModes: p.supplyModes?.length ? p.supplyModes.join(',') : undefined,
    bbox: p.bbox?.map((n) => n.toFixed(5)).join(','),
    projectInvestmentIntensity: p.projectInvestmentIntensity,
    projectPlotRatio: p.projectPlotRatio,
    projectOutputPerMu: p.projectOutputPerMu,
    projectTaxPerMu: p.projectTaxPerMu,
    projectEnergyPer10k: p.projectEnergyPer10k,
    projectPollutionCategory: p.projectPollutionCategory,
    sort: p.sort,
    limit: p.limit,
    offset: p.offset,
  });
}

export const searchApi = {
  plots: (p: SearchParams, signal?: AbortSignal) => getJson<SearchPage>(`/api/search/plots${searchQuery(p)}`, signal),
};
