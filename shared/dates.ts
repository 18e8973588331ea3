/**
 * Calendar dates as the bureau keeps them: Guangzhou time (Asia/Shanghai) whatever the machine's
 * or browser's zone, and 'YYYY-MM-DD' text that names a real day. Used by the server (holds,
 * contracts, dashboards) and by the client's date inputs, so both sides agree on "today".
 */
const DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const YEAR = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' });

/** Today on the bureau's calendar (Asia/Shanghai), 'YYYY-MM-DD'. */
export function bureauToday(now: Date = new Date()): string {
  return DAY.format(now);
}

/** This year on the bureau's calendar (Asia/Shanghai). */
export function bureauYear(now: Date = new Date()): number {
  return Number(YEAR.format(now));
}

/** A real calendar date 'YYYY-MM-DD' (not 2026-02-30). */
export function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
