/**
 * Reading audit events: what changed between `before` and `after`, the filters of the audit
 * page as an API query, and labels for known actions. Pure; no React.
 */
import type { AuditQuery } from '../../api/index.ts';
import { zh, type MessageKey } from '../../i18n/zh.ts';

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Same value, compared as canonical JSON (object key order does not matter). */
function same(a: unknown, b: unknown): boolean {
  const canon = (v: unknown): string =>
    isRecord(v)
      ? `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canon(v[k])}`).join(',')}}`
      : Array.isArray(v)
        ? `[${v.map(canon).join(',')}]`
        : JSON.stringify(v ?? null);
  return canon(a) === canon(b);
}

/**
 * The fields an event changed, in the order they first appear: for a creation (no `before`)
 * every field of `after`, for an update only those whose value differs. A value that is not an
 * object on either side is one change named "".
 */
export function changedFields(before: unknown, after: unknown): FieldChange[] {
  const b = before ?? null;
  const a = after ?? null;
  if (b !== null && !isRecord(b)) return same(b, a) ? [] : [{ field: '', before: b, after: a }];
  if (a !== null && !isRecord(a)) return [{ field: '', before: b, after: a }];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return keys
    .filter((k) => !same(b?.[k], a?.[k]))
    .map((k) => ({ field: k, before: b?.[k] ?? null, after: a?.[k] ?? null }));
}

/** A value from an event as short text: "—" for none, JSON for objects, cut at `max` characters. */
export function formatAuditValue(v: unknown, max = 80): string {
  if (v === null || v === undefined || v === '') return '—';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The message key naming an action (`audit.action.user.create`), or null when unknown. */
export function actionMessageKey(action: string): MessageKey | null {
  const key = `audit.action.${action}`;
  return key in zh ? (key as MessageKey) : null;
}

export interface AuditFilters {
  entity: string;
  entityId: string;
  actor: string;
  action: string;
  /** `<input type="datetime-local">` values (local time, "2026-05-01T09:30"), or "". */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { entity: '', entityId: '', actor: '', action: '', from: '', to: '' };

/** A datetime-local value (the browser's time zone) → ISO 8601 UTC, or null if it is not one. */
export function localDateTimeToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?$/.test(value)) return null;
  const d = new Date(value.includes('T') ? value : `${value}T00:00`);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export type AuditFilterProblem = 'badFrom' | 'badTo' | 'fromAfterTo';

/** The page's filters → `GET /api/audit` parameters (blank filters left out). */
export function auditQueryFrom(
  f: AuditFilters,
  page: { limit: number; offset: number },
): { ok: true; query: AuditQuery } | { ok: false; problem: AuditFilterProblem } {
  const query: AuditQuery = { limit: page.limit, offset: page.offset };
  for (const key of ['entity', 'entityId', 'actor', 'action'] as const) {
    const v = f[key].trim();
    if (v) query[key] = v;
  }
  if (f.from) {
    const iso = localDateTimeToIso(f.from);
    if (!iso) return { ok: false, problem: 'badFrom' };
    query.from = iso;
  }
  if (f.to) {
    const iso = localDateTimeToIso(f.to);
    if (!iso) return { ok: false, problem: 'badTo' };
    query.to = iso;
  }
  if (query.from && query.to && query.from > query.to) return { ok: false, problem: 'fromAfterTo' };
  return { ok: true, query };
}

const FILTER_KEYS = ['entity', 'entityId', 'actor', 'action', 'from', 'to'] as const;

/** Filters from a page's query string (`?entity=user&entityId=7`), so a filtered view can be linked. */
export function filtersFromSearch(search: string): AuditFilters {
  const q = new URLSearchParams(search);
  const f = { ...EMPTY_AUDIT_FILTERS };
  for (const k of FILTER_KEYS) f[k] = q.get(k) ?? '';
  return f;
}

/** The query string for filters ("" when none are set). */
export function searchFromFilters(f: AuditFilters): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (f[k].trim()) q.set(k, f[k].trim());
  const s = q.toString();
  return s ? `?${s}` : '';
}
