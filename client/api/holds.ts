/** Holds on plots (`/api/plots/:id/holds`). */
import type { Hold, HoldList } from '../../shared/contract/allocations.ts';
import { getJson, id } from './http.ts';

export type HoldRecord = Hold;

export const holdsApi = {
  forPlot: (plotId: number, signal?: AbortSignal) => getJson<HoldList>(`/api/plots/${id(plotId)}/holds`, signal),
};
