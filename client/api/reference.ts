/** The reference data in force (`GET /api/reference`) and an administrator's confirmation of a parameter. */
import type { ConfirmedParameter, ConfirmParameterBody, ParameterRow, ReferenceData as ReferenceAnswer } from '../../shared/contract/reference.ts';
import { getJson, requestJson } from './http.ts';

export type { ConfirmedParameter, ReferenceAnswer };
/** The reference data as the floor form reads it (it needs neither the versions nor a parameter's basis). */
export type ReferenceData = Omit<ReferenceAnswer, 'versions' | 'parameters'> & { parameters: (Omit<ParameterRow, 'basis'> & { basis?: string })[] };

export const referenceApi = {
  get: (signal?: AbortSignal) => getJson<ReferenceAnswer>('/api/reference', signal),
  /** A new version, same values, verified (audited). */
  confirmParameter: (key: string, body: ConfirmParameterBody, signal?: AbortSignal) =>
    requestJson<ConfirmedParameter>('POST', `/api/reference/parameters/${encodeURIComponent(key)}/confirm`, { signal, body }),
};
