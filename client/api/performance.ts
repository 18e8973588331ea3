/**
 * 亩均 performance (issue #15 §4): one allocation's yearly figures, the CSV import (upload →
 * preview with per-row errors and the detected encoding → all-or-nothing commit) and the year's
 * evaluation; and the yearly monitoring report (§5) with its CSV.
 */
import type { EvaluationList, EvaluationItem, GradeThresholds, Performance, PerformanceBody } from '../../shared/contract/supervision.ts';
import type { MonitoringReport, ReportPark, SupervisionSummary } from '../../shared/contract/monitoring.ts';
import { errorFromResponse, getJson, id, keyed, query, reportError, requestJson } from './http.ts';

export type { EvaluationList, EvaluationItem, GradeThresholds, Performance, PerformanceBody, MonitoringReport, ReportPark, SupervisionSummary };

/** One row of an import preview: what was read, where it points, and what is wrong with it. */
export interface PerformanceImportRow {
  row: number;
  contractNo?: string | null;
  plotCode?: string | null;
  allocationId?: number | null;
  year?: number | null;
  outputYuan?: number | null;
  taxYuan?: number | null;
  energyTce?: number | null;
  employees?: number | null;
  errors: { field: string; reason?: string; message: string; messageZh?: string; messageEn?: string }[];
}

export interface PerformanceImportPreview {
  id: string;
  encoding: string;
  rows: PerformanceImportRow[];
  counts?: { rows: number; ok: number; errors: number };
}

export interface PerformanceImportResult {
  imported: number;
}

/** POST a CSV file (multipart, field `file`) to get the preview; errors are ApiErrors. */
async function previewImport(file: File, signal?: AbortSignal): Promise<PerformanceImportPreview> {
  const form = new FormData();
  form.append('file', file, file.name);
  const path = '/api/performance/imports';
  const res = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json' }, signal: signal ?? null });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok || !body) throw reportError(errorFromResponse(res.status, res.statusText, body), path);
  return body as PerformanceImportPreview;
}

export const performanceApi = {
  list: (allocationId: number, signal?: AbortSignal) => getJson<{ items: Performance[] }>(`/api/allocations/${id(allocationId)}/performance`, signal),
  record: (allocationId: number, body: PerformanceBody, idempotencyKey?: string) =>
    requestJson<Performance>('POST', `/api/allocations/${id(allocationId)}/performance`, { body, headers: keyed(idempotencyKey) }),
  evaluation: (q: { year: number; districtCode?: string | undefined; parkId?: number | undefined }, signal?: AbortSignal) =>
    getJson<EvaluationList>(`/api/supervision/evaluation${query(q)}`, signal),
  previewImport,
  commitImport: (importId: string, idempotencyKey?: string) =>
    requestJson<PerformanceImportResult>('POST', `/api/performance/imports/${encodeURIComponent(importId)}/commit`, { headers: keyed(idempotencyKey) }),
};

export const monitoringApi = {
  report: (q: { year?: number | undefined; districtCode?: string | undefined }, signal?: AbortSignal) => getJson<MonitoringReport>(`/api/supervision/report${query(q)}`, signal),
  reportCsvUrl: (q: { year?: number | undefined; districtCode?: string | undefined }) => `/api/supervision/report${query({ ...q, format: 'csv' })}`,
};
