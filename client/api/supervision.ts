/**
 * Supervision after the sale (`/api/supervision/*`, issue #15): idle land and the officers'
 * decisions, field inspections with their visits and photos, the 亩均 evaluation, and who an
 * inspection can be assigned to. Typed from shared/contract/supervision.ts (type-only imports).
 */
import type {
  CloseInspectionBody,
  Decision,
  DecisionBody,
  DecisionKind,
  EvaluationItem,
  EvaluationList,
  GovernmentDelay,
  GovernmentDelayList,
  IdleItem,
  IdleList,
  IdleQuery,
  Inspection,
  InspectionBody,
  InspectionList,
  InspectionsQuery,
  Photo,
  SupervisionStage,
  Visit,
  VisitBody,
} from '../../shared/contract/supervision.ts';
import type { Inspector, InspectorList } from '../../shared/contract/inspection-assignees.ts';
import { errorFromResponse, getJson, id, keyed, query, reportError, requestJson } from './http.ts';

export type {
  Decision, DecisionBody, DecisionKind, EvaluationItem, EvaluationList, GovernmentDelay, IdleItem, IdleList, Inspection, InspectionBody,
  Inspector, Photo, SupervisionStage, Visit, VisitBody,
};

/**
 * `POST …/visits/:visitId/photos`: one JPEG or PNG as multipart `file` (fetch, so the session
 * cookie and our Origin go with it). The server keeps the EXIF location and strips the rest.
 */
async function uploadPhoto(inspectionId: number, visitId: number, file: File, signal?: AbortSignal): Promise<Photo> {
  const path = `/api/supervision/inspections/${id(inspectionId)}/visits/${id(visitId)}/photos`;
  const form = new FormData();
  form.append('file', file, file.name);
  const res = await fetch(path, { method: 'POST', body: form, signal, credentials: 'same-origin', headers: { accept: 'application/json' } });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok || body === undefined) throw reportError(errorFromResponse(res.status, res.statusText, body), path);
  return body as Photo;
}

export const supervisionApi = {
  idle: (q: IdleQuery, signal?: AbortSignal) => getJson<IdleList>(`/api/supervision/idle${query({ ...q })}`, signal),
  decide: (body: DecisionBody, key?: string, signal?: AbortSignal) =>
    requestJson<Decision>('POST', '/api/supervision/decisions', { signal, body, headers: keyed(key) }),
  evaluation: (year: number, signal?: AbortSignal) => getJson<EvaluationList>(`/api/supervision/evaluation${query({ year })}`, signal),
  inspections: (q: InspectionsQuery, signal?: AbortSignal) => getJson<InspectionList>(`/api/supervision/inspections${query({ ...q })}`, signal),
  inspection: (inspectionId: number, signal?: AbortSignal) => getJson<Inspection>(`/api/supervision/inspections/${id(inspectionId)}`, signal),
  openInspection: (body: InspectionBody, key?: string, signal?: AbortSignal) =>
    requestJson<Inspection>('POST', '/api/supervision/inspections', { signal, body, headers: keyed(key) }),
  recordVisit: (inspectionId: number, body: VisitBody, key?: string, signal?: AbortSignal) =>
    requestJson<Visit>('POST', `/api/supervision/inspections/${id(inspectionId)}/visits`, { signal, body, headers: keyed(key) }),
  uploadPhoto,
  closeInspection: (inspectionId: number, body: CloseInspectionBody, key?: string, signal?: AbortSignal) =>
    requestJson<Inspection>('POST', `/api/supervision/inspections/${id(inspectionId)}/close`, { signal, body, headers: keyed(key) }),
  inspectors: (districtCode: string | undefined, signal?: AbortSignal) =>
    getJson<InspectorList>(`/api/supervision/inspectors${query({ districtCode })}`, signal),
  governmentDelays: (allocationId: number, signal?: AbortSignal) =>
    getJson<GovernmentDelayList>(`/api/allocations/${id(allocationId)}/government-delays`, signal),
};
