/**
 * Reading audit events: the filters of the audit page as an API query, Beijing time, and labels
 * for known actions (what changed, in words: ./auditChanges.ts). Pure; no React.
 */
import type { AuditQuery } from '../../api/index.ts';
import { zh, type MessageKey } from '../../i18n/zh.ts';

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
