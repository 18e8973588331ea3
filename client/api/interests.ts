/**
 * Investors' interests (`/api/interests`, `/api/me/interests`) and the bureau's queue; `investApi`
 * gathers what the investor screens call (search, a plot by code, interests, sign-up, profile).
 */
import type {
  BureauInterest,
  BureauInterestList,
  CreateInterestBody,
  InterestHoldBody,
  InterestProposeBody,
  InterestsQuery,
  InterestStatus,
  OwnInterest,
  OwnInterestList,
  PatchInterestBody,
} from '../../shared/contract/interests.ts';
import type { Allocation, Hold } from '../../shared/contract/allocations.ts';
import { authApi } from './auth.ts';
import { getJson, id, query, requestJson } from './http.ts';
import { plotsApi } from './plots.ts';
import { searchApi } from './search.ts';

export type { BureauInterest, InterestStatus, OwnInterest };
export type InterestBody = CreateInterestBody;
export type InterestQueue = BureauInterestList;
export type ProposeFromInterestBody = InterestProposeBody;
export type { InvestorProfile } from './auth.ts';

export const interestsApi = {
  registerInterest: (body: InterestBody, signal?: AbortSignal) => requestJson<OwnInterest>('POST', '/api/interests', { signal, body }),
  myInterests: (signal?: AbortSignal) => getJson<OwnInterestList>('/api/me/interests', signal),
  queue: (q: InterestsQuery, signal?: AbortSignal) => getJson<InterestQueue>(`/api/interests${query({ ...q })}`, signal),
  updateInterest: (interestId: number, body: PatchInterestBody, signal?: AbortSignal) =>
    requestJson<BureauInterest>('PATCH', `/api/interests/${id(interestId)}`, { signal, body }),
  holdFromInterest: (interestId: number, body: InterestHoldBody, signal?: AbortSignal) =>
    requestJson<{ interest: BureauInterest; hold: Hold }>('POST', `/api/interests/${id(interestId)}/hold`, { signal, body }),
  proposeFromInterest: (interestId: number, body: ProposeFromInterestBody, signal?: AbortSignal) =>
    requestJson<{ interest: BureauInterest; allocation: Allocation }>('POST', `/api/interests/${id(interestId)}/propose`, { signal, body }),
};

export const investApi = {
  search: searchApi.plots,
  plotByCode: plotsApi.byCode,
  signup: authApi.signup,
  profile: authApi.profile,
  ...interestsApi,
};
