/** Survey imports (`/api/imports`): upload with progress, page through the preview, commit. */
import type { LandUse } from '../../shared/domain.ts';
import type { ImportCommitResult, ImportDetail, ImportPreview as ImportPreviewSchema, LocalCrs, LocalCrsInput, LocalCrsList, PreviewFeature } from '../../shared/contract/imports.ts';
import type { WithArea } from './geojson.ts';
import { errorFromResponse, getJson, query, reportError, requestJson } from './http.ts';

export type ImportFeature = WithArea<PreviewFeature>;
/** The upload's answer, or a page of it (`GET /api/imports/:id` has no `problems`). */
export type ImportPreview = Omit<ImportPreviewSchema, 'features' | 'problems'> & { features: ImportFeature[]; problems?: ImportPreviewSchema['problems'] };
export type ImportFormat = ImportPreviewSchema['format'];
export type ImportCrsSource = ImportPreviewSchema['crsSource'];
export type ImportNotice = ImportPreviewSchema['notices'][number];
export type ImportCounts = ImportPreviewSchema['counts'];
export type { ImportCommitResult, LocalCrs, LocalCrsInput };

/** The multipart fields beside the file (the route reads them by hand: no JSON schema). */
export interface ImportUploadFields {
  crs?: string;
  parkId?: number;
  format?: ImportFormat;
  landUse?: LandUse;
  landLevel?: number;
}

/**
 * `POST /api/imports` with upload progress: XMLHttpRequest reports `upload.onprogress`, which
 * fetch does not. `onProgress(sent, total)` runs while the file goes up; the promise resolves
 * with the preview once the server has read it. Errors are `ApiError`s like every other call.
 */
function uploadImport(file: File, fields: ImportUploadFields, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<ImportPreview> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, String(v));
    // Fields before the file: the server reads the parts in order.
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as ImportPreview);
        return;
      }
      reject(reportError(errorFromResponse(xhr.status, xhr.statusText, body), '/api/imports'));
    };
    xhr.onerror = () => reject(new TypeError('Network error while uploading'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('Upload cancelled', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

export const importsApi = {
  upload: uploadImport,
  /** A page of a preview's features (all of them, beyond the first ones the upload returned). */
  get: (importId: string, offset: number, limit: number, signal?: AbortSignal) =>
    getJson<Omit<ImportDetail, 'features'> & { features: ImportFeature[] }>(`/api/imports/${encodeURIComponent(importId)}${query({ offset, limit })}`, signal),
  commit: (importId: string, signal?: AbortSignal) => requestJson<ImportCommitResult>('POST', `/api/imports/${encodeURIComponent(importId)}/commit`, { signal }),
  /** Local (city) coordinate systems: the bureau reads them (confidential), an admin adds and removes them. */
  localCrs: (signal?: AbortSignal) => getJson<LocalCrsList>('/api/reference/local-crs', signal),
  addLocalCrs: (body: LocalCrsInput) => requestJson<LocalCrs>('POST', '/api/reference/local-crs', { body }),
  removeLocalCrs: (localId: number) => requestJson<null>('DELETE', `/api/reference/local-crs/${encodeURIComponent(localId)}`),
};
