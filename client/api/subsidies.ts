/**
 * Park subsidies (`/api/parks/:id/subsidies`, 五(三)13), the park projects they are granted for,
 * and park-operator projects under the facilities ratio.
 */
import type {
  GrantBody,
  GrantResult,
  OperatorProject,
  OperatorProjectBody,
  OperatorProjectList,
  ParkProject,
  ParkProjectList,
  ProjectBody,
  Subsidy,
  SubsidyChangeResult,
  SubsidyKind,
  SubsidyLimit,
  SubsidyList,
  SubsidyStatus,
} from '../../shared/contract/subsidies.ts';
import { getJson, id, requestJson } from './http.ts';

export type { GrantResult, OperatorProject, OperatorProjectBody, ParkProject, ParkProjectList, Subsidy, SubsidyKind, SubsidyList, SubsidyStatus };
export type SubsidyLimitedBy = SubsidyLimit;
export type GrantSubsidyBody = GrantBody;
export type CreateProjectBody = ProjectBody;
/** A subsidy after a write, with the park's figures after it. */
export type SubsidyChange = SubsidyChangeResult;

export const subsidiesApi = {
  subsidies: (parkId: number, signal?: AbortSignal) => getJson<SubsidyList>(`/api/parks/${id(parkId)}/subsidies`, signal),
  projects: (parkId: number, signal?: AbortSignal) => getJson<ParkProjectList>(`/api/parks/${id(parkId)}/projects`, signal),
  createProject: (parkId: number, body: CreateProjectBody, signal?: AbortSignal) =>
    requestJson<ParkProject>('POST', `/api/parks/${id(parkId)}/projects`, { signal, body }),
  grant: (parkId: number, body: GrantSubsidyBody, signal?: AbortSignal) => requestJson<GrantResult>('POST', `/api/parks/${id(parkId)}/subsidies`, { signal, body }),
  disburse: (parkId: number, subsidyId: number, disbursedOn: string | undefined, signal?: AbortSignal) =>
    requestJson<SubsidyChange>('POST', `/api/parks/${id(parkId)}/subsidies/${id(subsidyId)}/disburse`, { signal, body: disbursedOn ? { disbursedOn } : {} }),
  withdraw: (parkId: number, subsidyId: number, reason: string, signal?: AbortSignal) =>
    requestJson<SubsidyChange>('POST', `/api/parks/${id(parkId)}/subsidies/${id(subsidyId)}/withdraw`, { signal, body: { reason } }),
  operatorProjects: (parkId: number, signal?: AbortSignal) => getJson<OperatorProjectList>(`/api/parks/${id(parkId)}/operator-projects`, signal),
  registerOperatorProject: (parkId: number, body: OperatorProjectBody, signal?: AbortSignal) =>
    requestJson<OperatorProject>('POST', `/api/parks/${id(parkId)}/operator-projects`, { signal, body }),
};
