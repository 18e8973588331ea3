/**
 * The bureau screen's shareable state in the query string: `/bureau?plot=123&allocation=45&year=2026`
 * — the selected plot (the map frames it), the allocation open beside it, the quota year. Other
 * parameters (the map's camera `lng`, `lat`, `z`) are kept as they are.
 */
export interface BureauUrlState {
  plotId: number | null;
  allocationId: number | null;
  year: number | null;
}

const ID = /^[1-9]\d{0,9}$/;
const YEAR = /^(20\d\d|2100)$/;

export function parseBureauUrl(search: string): BureauUrlState {
  const q = new URLSearchParams(search);
  const id = (k: string) => {
    const v = q.get(k);
    return v !== null && ID.test(v) && Number(v) <= 2147483647 ? Number(v) : null;
  };
  const y = q.get('year');
  return { plotId: id('plot'), allocationId: id('allocation'), year: y !== null && YEAR.test(y) ? Number(y) : null };
}

/** `current` with the state written in (empty values removed); "" or "?…". */
export function formatBureauUrl(state: BureauUrlState, current: string): string {
  const q = new URLSearchParams(current);
  const put = (k: string, v: number | null) => (v === null ? q.delete(k) : q.set(k, String(v)));
  put('plot', state.plotId);
  put('allocation', state.allocationId);
  put('year', state.year);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** This year and today in Guangzhou (Asia/Shanghai), whatever the browser's time zone. */
export { bureauToday, bureauYear } from '../../../shared/dates.ts';
