/**
 * Siting (issue #16): rank the available plots for a project's requirements
 * (`POST /api/siting/rank`), "why (not) this plot?" (`GET /api/siting/explain`, the same
 * requirements as a query string — shared/siting-query.ts), and the transport hubs and
 * innovation anchors (`GET /api/hubs`, indicative points).
 */
import type { HubCollection, HubFeature, HubKind, SitingExplainResponse, SitingItem, SitingRankResponse, SitingReason, SitingRequirements } from '../../shared/contract/siting.ts';
import { requirementsToParams } from '../../shared/siting-query.ts';
import { getJson, query, requestJson } from './http.ts';

export type { HubCollection, HubFeature, HubKind, SitingExplainResponse, SitingItem, SitingRankResponse, SitingReason, SitingRequirements };

export const sitingApi = {
  rank: (req: SitingRequirements, signal?: AbortSignal) => requestJson<SitingRankResponse>('POST', '/api/siting/rank', { signal, body: req }),
  explain: (plotId: number, req: SitingRequirements, signal?: AbortSignal) => {
    // The explain query has no `limit` (it answers for one plot).
    const { limit: _limit, ...rest } = requirementsToParams(req);
    return getJson<SitingExplainResponse>(`/api/siting/explain${query({ plotId, ...rest })}`, signal);
  },
  hubs: (signal?: AbortSignal) => getJson<HubCollection>('/api/hubs', signal),
};
