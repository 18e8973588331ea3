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
  /** Days in Beijing time ("2026-05-01", from the date pickers) — or a time ("2026-05-01T09:30"), also Beijing time. */
  from: string;
  to: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilters = { entity: '', entityId: '', actor: '', action: '', from: '', to: '' };

/** The bureau's clock: every time the audit page shows or takes is Beijing time (UTC+8, no DST). */
export const AUDIT_TIME_ZONE = 'Asia/Shanghai';
const SHANGHAI_OFFSET = '+08:00';

/**
 * A Beijing-time day or day-and-time → ISO 8601 UTC, or null if it is not one. `endOfDay`: a bare
 * day means the start of the NEXT day (the API's `to` is exclusive, so "to 1 May" includes 1 May).
 */
export function shanghaiToIso(value: string, endOfDay = false): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m;
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(se ?? 0) > 59)) return null;
  const t = new Date(`${y}-${mo}-${d}T${h ?? '00'}:${mi ?? '00'}:${se ?? '00'}${SHANGHAI_OFFSET}`);
  if (Number.isNaN(t.getTime())) return null;
  if (h === undefined && endOfDay) t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString();
}

/** "2026-05-01 09:30:15" in Beijing time, whatever the browser's zone. */
export function formatShanghai(iso: string, locale: 'zh-CN' | 'en'): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: AUDIT_TIME_ZONE,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(d);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}:${get('second')}`;
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
    const iso = shanghaiToIso(f.from);
    if (!iso) return { ok: false, problem: 'badFrom' };
    query.from = iso;
  }
  if (f.to) {
    const iso = shanghaiToIso(f.to, true);
    if (!iso) return { ok: false, problem: 'badTo' };
    query.to = iso;
  }
  if (query.from && query.to && query.from >= query.to) return { ok: false, problem: 'fromAfterTo' };
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
