/**
 * The one way the client talks to `/api`: JSON in and out, the session cookie, an AbortSignal on
 * every call so a component can cancel what it no longer needs, and errors as `ApiError` carrying
 * the server's `code`, `reason` and figures (shared/contract/errors.ts is the vocabulary).
 */
import type { ErrorBody, ErrorCode, ErrorReason } from '../../shared/contract/errors.ts';

/**
 * The error codes of the API, and the two the client itself gives (no JSON error body; an empty
 * answer). Any other string is still taken: a newer server may answer with a code this build
 * does not know, and the screens then show its message.
 */
export type ApiErrorCode = ErrorCode | 'HTTP_ERROR' | 'BAD_RESPONSE' | (string & {});

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    /** The body's other fields: `reason` (e.g. `LOGIN_THROTTLED`), `retryAfterS`, figures… */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server's machine-readable reason beside `code` (`INVALID_CREDENTIALS`, `PASSWORD_CHANGE_REQUIRED`…). */
  get reason(): ErrorReason | undefined {
    return typeof this.details.reason === 'string' ? (this.details.reason as ErrorReason) : undefined;
  }

  /** Seconds to wait before trying again (429: the body's `retryAfterS` or the Retry-After header). */
  get retryAfterS(): number | undefined {
    const v = this.details.retryAfterS;
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }
}

export function isErrorBody(x: unknown): x is ErrorBody {
  return typeof x === 'object' && x !== null && 'message' in x && typeof (x as { message: unknown }).message === 'string';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type ApiErrorListener = (error: ApiError, path: string) => void;
const errorListeners = new Set<ApiErrorListener>();

/**
 * Hears every error answer (the session store uses it to notice a session that ended — 401 —
 * or a password change the server now requires). Returns the unsubscribe function.
 */
export function onApiError(listener: ApiErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

/** Tells the listeners, then gives the error back to be thrown. */
export function reportError(error: ApiError, path: string): ApiError {
  for (const listener of errorListeners) listener(error, path);
  return error;
}

/** The `ApiError` for an error answer: the body's code and figures, or the bare HTTP status. */
export function errorFromResponse(status: number, statusText: string, body: unknown, extra: Record<string, unknown> = {}): ApiError {
  if (isErrorBody(body)) {
    const { statusCode: _s, error: _e, code, message, ...details } = body;
    return new ApiError(status, code ?? 'HTTP_ERROR', message, { ...extra, ...details });
  }
  return new ApiError(status, 'HTTP_ERROR', `${status} ${statusText}`.trim(), extra);
}

/**
 * One request to `/api`, JSON in and out. `credentials: 'same-origin'` sends the session cookie,
 * and the browser adds our own `Origin` to writes — what the server's CSRF check wants.
 * A 204 resolves to `undefined`.
 */
export async function requestJson<T>(method: Method, path: string, opts: { signal?: AbortSignal | undefined; body?: unknown; headers?: Record<string, string> | undefined } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    signal: opts.signal,
    headers,
    credentials: 'same-origin',
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy error page, say): report the status below.
  }
  if (!res.ok) {
    const retryHeader = Number(res.headers.get('retry-after'));
    const fromHeader = Number.isFinite(retryHeader) && retryHeader > 0 ? { retryAfterS: retryHeader } : {};
    throw reportError(errorFromResponse(res.status, res.statusText, body, fromHeader), path);
  }
  if (body === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', `Empty or invalid JSON from ${path}`);
  return body as T;
}

export function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>('GET', path, { signal });
}

/** `?a=1&b=2` of the defined parameters ('' when none). */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A numeric id as a path segment. */
export const id = (n: number) => encodeURIComponent(n);

/** A write with an `Idempotency-Key` (a replay returns the first answer and changes nothing). */
export const keyed = (key: string | undefined) => (key ? { 'idempotency-key': key } : undefined);
