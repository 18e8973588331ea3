/**
 * Timestamps from the database as API text. `pg` returns `timestamptz` as a Date and PGlite
 * may return text; both become ISO 8601 in UTC. Calendar dates ('YYYY-MM-DD', the bureau's
 * "today") are pure and live in shared/dates.ts.
 */
export { bureauToday, bureauYear, isIsoDate } from '../../shared/dates.ts';

/** A timestamp as ISO 8601 (UTC). */
export function iso(d: Date | string): string {
  return d instanceof Date ? d.toISOString() : new Date(d).toISOString();
}

/** A nullable timestamp as ISO 8601 (UTC), null kept. */
export function isoOrNull(d: Date | string | null): string | null {
  return d === null ? null : iso(d);
}
