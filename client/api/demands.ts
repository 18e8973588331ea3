/**
 * Project land demands (`/api/demands`, 随用随供, issue #16 §4): the bureau's register, a demand's
 * ranking of the available plots, and the one-step hold or proposal for it; the overview of
 * demand against supply. District officers read their district's demands only (the server scopes).
 */
import type * as D from '../../shared/contract/demands.ts';
import type { SitingRankResponse } from '../../shared/contract/siting.ts';
import { getJson, id, query, requestJson } from './http.ts';

export type Demand = D.Demand;
export type DemandList = D.DemandList;
export type DemandStatus = D.DemandStatus;
export type DemandsQuery = D.DemandsQuery;
export type CreateDemandBody = D.CreateDemandBody;
export type PatchDemandBody = D.PatchDemandBody;
export type DemandRankBody = D.DemandRankBody;
export type DemandHoldBody = D.DemandHoldBody;
export type DemandProposeBody = D.DemandProposeBody;
export type DemandHoldResult = D.DemandHoldResult;
export type DemandProposeResult = D.DemandProposeResult;
export type DemandOverview = D.DemandOverview;
export type DemandSupplyRow = D.DemandSupplyRow;
export type DemandRanking = SitingRankResponse;

export const demandsApi = {
  list: (q: DemandsQuery, signal?: AbortSignal) => getJson<DemandList>(`/api/demands${query({ ...q })}`, signal),
  get: (demandId: number, signal?: AbortSignal) => getJson<Demand>(`/api/demands/${id(demandId)}`, signal),
  create: (body: CreateDemandBody, signal?: AbortSignal) => requestJson<Demand>('POST', '/api/demands', { signal, body }),
  patch: (demandId: number, body: PatchDemandBody, signal?: AbortSignal) => requestJson<Demand>('PATCH', `/api/demands/${id(demandId)}`, { signal, body }),
  rank: (demandId: number, body: DemandRankBody = {}, signal?: AbortSignal) =>
    requestJson<DemandRanking>('POST', `/api/demands/${id(demandId)}/rank`, { signal, body }),
  hold: (demandId: number, body: DemandHoldBody, signal?: AbortSignal) =>
    requestJson<DemandHoldResult>('POST', `/api/demands/${id(demandId)}/hold`, { signal, body }),
  propose: (demandId: number, body: DemandProposeBody, signal?: AbortSignal) =>
    requestJson<DemandProposeResult>('POST', `/api/demands/${id(demandId)}/propose`, { signal, body }),
  overview: (signal?: AbortSignal) => getJson<DemandOverview>('/api/demands/overview', signal),
};
