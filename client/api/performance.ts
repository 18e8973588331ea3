/**
 * 亩均 performance (issue #15 §4): one allocation's yearly figures, the CSV import (upload →
 * preview with per-row errors and the detected encoding → all-or-nothing commit) and the year's
 * evaluation; and the yearly monitoring report (§5) with its CSV.
 */
import type { EvaluationList, EvaluationItem, GradeThresholds, Performance, PerformanceBody } from '../../shared/contract/supervision.ts';
import type { PerformanceImportCommit, PerformanceImportPreview, PerformanceImportRow } from '../../shared/contract/performance.ts';
import type { MonitoringReport, ReportPark, SupervisionSummary } from '../../shared/contract/monitoring.ts';
import { errorFromResponse, getJson, id, keyed, query, reportError, requestJson } from './http.ts';

export type { EvaluationList, EvaluationItem, GradeThresholds, Performance, PerformanceBody, MonitoringReport, ReportPark, SupervisionSummary };

export type { PerformanceImportPreview, PerformanceImportRow };
/** POST /api/supervision/performance/import/commit — every row in one transaction, or none. */
export type PerformanceImportResult = PerformanceImportCommit;

/** POST the CSV (multipart, field `file`); the preview and the commit both take the file. */
async function postCsv<T>(path: string, file: File, headers: Record<string, string> = {}): Promise<T> {
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json', ...headers } });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok || !body) throw reportError(errorFromResponse(res.status, res.statusText, body), path);
  return body as T;
}

export const performanceApi = {
  list: (allocationId: number, signal?: AbortSignal) => getJson<{ items: Performance[] }>(`/api/allocations/${id(allocationId)}/performance`, signal),
  record: (allocationId: number, body: PerformanceBody, idempotencyKey?: string) =>
    requestJson<Performance>('POST', `/api/allocations/${id(allocationId)}/performance`, { body, headers: keyed(idempotencyKey) }),
  evaluation: (q: { year: number; districtCode?: string | undefined; parkId?: number | undefined }, signal?: AbortSignal) =>
    getJson<EvaluationList>(`/api/supervision/evaluation${query(q)}`, signal),
  previewImport: (file: File) => postCsv<PerformanceImportPreview>('/api/supervision/performance/import', file),
  commitImport: (file: File, idempotencyKey?: string) => postCsv<PerformanceImportResult>('/api/supervision/performance/import/commit', file, keyed(idempotencyKey) ?? {}),
};

export const monitoringApi = {
  report: (q: { year?: number | undefined; districtCode?: string | undefined }, signal?: AbortSignal) => getJson<MonitoringReport>(`/api/supervision/report${query(q)}`, signal),
  reportCsvUrl: (q: { year?: number | undefined; districtCode?: string | undefined }) => `/api/supervision/report${query({ ...q, format: 'csv' })}`,
};
