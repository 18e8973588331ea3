/** The plot export (`GET /api/plots/export`): a download link for the current filters. */
import type { LandUse, PlotStatus } from '../../shared/domain.ts';
import type { ExportQuery as ExportQuerySchema } from '../../shared/contract/exports.ts';
import { query } from './http.ts';

export type ExportFormat = ExportQuerySchema['format'];
export type ExportCrs = NonNullable<ExportQuerySchema['crs']>;

export type ExportLang = NonNullable<ExportQuerySchema['lang']>;

/** The export's filters as the screens hold them (lists joined for the query string). */
export type ExportQuery = Omit<ExportQuerySchema, 'crs' | 'status' | 'landUse' | 'bbox' | 'includeRetired'> & { crs: ExportCrs; status?: PlotStatus[]; landUse?: LandUse[]; includeRetired?: boolean };

/** The download URL of `GET /api/plots/export` for these filters. */
export function plotExportUrl(q: ExportQuery): string {
  return `/api/plots/export${query({
    format: q.format,
    crs: q.crs,
    parkId: q.parkId,
    districtCode: q.districtCode,
    sector: q.sector,
    status: q.status?.length ? q.status.join(',') : undefined,
    landUse: q.landUse?.length ? q.landUse.join(',') : undefined,
    // The API's default is en (integrators); the Chinese UI asks for zh.
    lang: q.lang,
    includeRetired: q.includeRetired ? 'true' : undefined,
  })}`;
}
