/** The year's industrial land quota (`/api/quotas/:year`) and its report. */
import type { Quota, QuotaBody, QuotaReport } from '../../shared/contract/allocations.ts';
import { getJson, id, requestJson } from './http.ts';

/** `GET /api/quotas/:year`. */
export type QuotaFigures = Quota;
export type { QuotaReport };
/** One line of the report's breakdowns (by district, park or sector). */
export type QuotaReportLine = Pick<QuotaReport['byDistrict'][number], 'approvedM2' | 'iabApprovedM2' | 'approvedMu' | 'allocations'>;

export const quotasApi = {
  get: (year: number, signal?: AbortSignal) => getJson<QuotaFigures>(`/api/quotas/${id(year)}`, signal),
  set: (year: number, body: QuotaBody, signal?: AbortSignal) => requestJson<QuotaFigures>('PUT', `/api/quotas/${id(year)}`, { signal, body }),
  report: (year: number, signal?: AbortSignal) => getJson<QuotaReport>(`/api/quotas/${id(year)}/report`, signal),
};
