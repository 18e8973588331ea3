/**
 * The review screens: a district's dashboard, the bureau's city overview and a park's report
 * (with CSV downloads); `dashboardApi` also carries the subsidy and park calls those screens make.
 */
import type { BureauParks, DashboardPark, DashboardTotals, DistrictDashboard, ParkReport } from '../../shared/contract/dashboards.ts';
import { getJson, id, query } from './http.ts';
import { parksApi } from './parks.ts';
import { subsidiesApi } from './subsidies.ts';

export type { BureauParks, DashboardPark, DashboardTotals, DistrictDashboard, ParkReport };
/** The figures a park's line and the totals share. */
export type DashboardFigures = Omit<DashboardTotals, 'parks'>;

const yearQuery = (year?: number) => query({ year });

export const dashboardsApi = {
  district: (code: string, year: number | undefined, signal?: AbortSignal) =>
    getJson<DistrictDashboard>(`/api/districts/${encodeURIComponent(code)}/dashboard${yearQuery(year)}`, signal),
  districtCsvUrl: (code: string, year?: number) => `/api/districts/${encodeURIComponent(code)}/dashboard.csv${yearQuery(year)}`,
  parks: (year: number | undefined, signal?: AbortSignal) => getJson<BureauParks>(`/api/bureau/parks${yearQuery(year)}`, signal),
  parksCsvUrl: (year?: number) => `/api/bureau/parks.csv${yearQuery(year)}`,
  report: (parkId: number, year: number | undefined, signal?: AbortSignal) => getJson<ParkReport>(`/api/parks/${id(parkId)}/report${yearQuery(year)}`, signal),
};

export const dashboardApi = { ...dashboardsApi, ...subsidiesApi, recognizePark: parksApi.recognize };
