/** The map's reads in one object (`api.meta()`, `api.parks()`, `api.plot(id)` …), as the screens call them. */
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
