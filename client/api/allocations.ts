/** Allocations (`/api/allocations`): propose, approve, contract, milestones, cancel. */
import type {
  AllocationDetail,
  AllocationItem,
  AllocationList,
  AllocationsQuery as AllocationsQuerySchema,
  AllocationStatus,
  ContractBody,
  DecisionRecord,
  FloorCheckRecord,
  FloorRecord,
  MilestoneBody,
  MilestoneKind,
  ProposeBody,
  QuotaSnapshot,
} from '../../shared/contract/allocations.ts';
import { getJson, id, keyed, query, requestJson } from './http.ts';

export type { AllocationDetail, AllocationItem, AllocationStatus, MilestoneKind, QuotaSnapshot };
export type AllocationProject = AllocationItem['project'];
export type AllocationContract = ContractBody;
export type AllocationFloorCheck = FloorCheckRecord;
export type AllocationFloorRecord = FloorRecord;
export type AllocationDecision = DecisionRecord;
export type ProposeAllocationBody = ProposeBody;

/** The list's filters as the screens hold them (statuses as a list, joined for the query string). */
export type AllocationsQuery = Omit<AllocationsQuerySchema, 'status'> & { status?: AllocationStatus[] };

export const allocationsApi = {
  list: (q: AllocationsQuery, signal?: AbortSignal) =>
    getJson<AllocationList>(
      `/api/allocations${query({
        ...q,
        status: q.status?.length ? q.status.join(',') : undefined,
        overdue: q.overdue === undefined ? undefined : String(q.overdue),
        greenChannel: q.greenChannel === undefined ? undefined : String(q.greenChannel),
        iab: q.iab === undefined ? undefined : String(q.iab),
      })}`,
      signal,
    ),
  get: (allocationId: number, signal?: AbortSignal) => getJson<AllocationDetail>(`/api/allocations/${id(allocationId)}`, signal),
  propose: (body: ProposeAllocationBody, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', '/api/allocations', { signal, body, headers: keyed(key) }),
  approve: (allocationId: number, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/approve`, { signal, headers: keyed(key) }),
  cancel: (allocationId: number, reason: string | undefined, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/cancel`, { signal, body: reason ? { reason } : {}, headers: keyed(key) }),
  contract: (allocationId: number, body: AllocationContract, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/contract`, { signal, body, headers: keyed(key) }),
  milestone: (allocationId: number, body: MilestoneBody, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/milestones`, { signal, body, headers: keyed(key) }),
};
