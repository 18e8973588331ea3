/** The map's reads in one object (`api.meta()`, `api.parks()`, `api.plot(id)` …), as the screens call them. */
import type { BasemapInfo as BasemapInfoSchema, MapSearchResult as MapSearchResultSchema, MapStyle } from '../../shared/contract/map.ts';
import type { StyleSpecification } from 'maplibre-gl';
import { getJson, query } from './http.ts';
import { metaApi } from './meta.ts';
import { parksApi } from './parks.ts';
import { plotsApi } from './plots.ts';
import { quotesApi } from './quotes.ts';
import { referenceApi } from './reference.ts';

export const api = {
  meta: metaApi.get,
  districts: parksApi.districts,
  parks: parksApi.list,
  park: parksApi.get,
  plots: plotsApi.list,
  plot: plotsApi.get,
};

/** The price floor and the reference data it rests on. */
export const floorApi = {
  forPlot: quotesApi.forPlot,
  reference: referenceApi.get,
  confirmParameter: referenceApi.confirmParameter,
};

/** The base map's style (`GET /api/map/style`) and the map search box (`GET /api/map/search`). */

export type BasemapInfo = BasemapInfoSchema;
export type BasemapStyle = Omit<MapStyle, 'sources' | 'layers' | 'sprite'> & Pick<StyleSpecification, 'sources' | 'layers' | 'sprite'>;
export type MapSearchResult = MapSearchResultSchema;
export type MapSearchHit = MapSearchResult['parks'][number] | MapSearchResult['plots'][number];

export const mapApi = {
  style: (signal?: AbortSignal) => getJson<BasemapStyle>('/api/map/style', signal),
  search: (q: string, limit: number, signal?: AbortSignal) => getJson<MapSearchResult>(`/api/map/search${query({ q, limit })}`, signal),
};
