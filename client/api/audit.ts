/** The audit trail (`/api/audit`): events and the chain check. */
import type { AuditEventSchema, AuditList, AuditQuery, VerifyResultSchema } from '../../shared/contract/auth.ts';
import { getJson, query } from './http.ts';

export type AuditEvent = AuditEventSchema;
export type AuditVerifyResult = VerifyResultSchema;
export type { AuditQuery };

export const auditApi = {
  list: (q: AuditQuery, signal?: AbortSignal) => getJson<AuditList>(`/api/audit${query({ ...q })}`, signal),
  verify: (signal?: AbortSignal) => getJson<AuditVerifyResult>('/api/audit/verify', signal),
};
