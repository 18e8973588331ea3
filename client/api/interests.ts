/**
 * Investors' interests (`/api/interests`, `/api/me/interests`) and the bureau's queue; `investApi`
 * gathers what the investor screens call (search, a plot by code, interests, sign-up, profile).
 */
import type * as I from '../../shared/contract/interests.ts';
import { authApi } from './auth.ts';
import { getJson, id, query, requestJson } from './http.ts';
import { plotsApi } from './plots.ts';
import { searchApi } from './search.ts';

export type BureauInterest = I.BureauInterest;
export type InterestStatus = I.InterestStatus;
export type OwnInterest = I.OwnInterest;
export type InterestBody = I.CreateInterestBody;
export type InterestQueue = I.BureauInterestList;
export type ProposeFromInterestBody = I.InterestProposeBody;
export type { InvestorProfile } from './auth.ts';

export const interestsApi = {
  registerInterest: (body: InterestBody, signal?: AbortSignal) => requestJson<OwnInterest>('POST', '/api/interests', { signal, body }),
  myInterests: (signal?: AbortSignal) => getJson<I.OwnInterestList>('/api/me/interests', signal),
  queue: (q: I.InterestsQuery, signal?: AbortSignal) => getJson<InterestQueue>(`/api/interests${query({ ...q })}`, signal),
  updateInterest: (interestId: number, body: I.PatchInterestBody, signal?: AbortSignal) =>
    requestJson<BureauInterest>('PATCH', `/api/interests/${id(interestId)}`, { signal, body }),
  holdFromInterest: (interestId: number, body: I.InterestHoldBody, signal?: AbortSignal) =>
    requestJson<I.InterestHoldResult>('POST', `/api/interests/${id(interestId)}/hold`, { signal, body }),
  proposeFromInterest: (interestId: number, body: ProposeFromInterestBody, signal?: AbortSignal) =>
    requestJson<I.InterestProposeResult>('POST', `/api/interests/${id(interestId)}/propose`, { signal, body }),
};

export const investApi = {
  search: searchApi.plots,
  plotByCode: plotsApi.byCode,
  signup: authApi.signup,
  profile: authApi.profile,
  ...interestsApi,
};
