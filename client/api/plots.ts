/**
 * Plots: the map's reads (`GET /api/plots`, one plot, by code), the vector tiles, and the
 * editor's writes and history (server/modules/plots/routes.ts).
 */
import type { BBox, PlotStatus } from '../../shared/domain.ts';
import type { PlotCollection, PlotDetail as PlotDetailSchema, PlotListProperties, PlotsQuery } from '../../shared/contract/map.ts';
import type {
  CreatePlotBody as CreatePlotSchema,
  DeleteResult,
  EditedPlot as EditedPlotSchema,
  HistoryResult,
  Issue,
  MergeBody,
  MergeResult as MergeResultSchema,
  PatchPlotBody as PatchPlotSchema,
  SplitBody,
  SplitResult as SplitResultSchema,
  ValidateBody,
  ValidationResult,
  WithdrawBody,
  WriteResult,
} from '../../shared/contract/plots.ts';
import type { AreaCollection, AreaFeature, AreaGeometry, WithArea } from './geojson.ts';
import { getJson, id, query, requestJson } from './http.ts';

export type PlotProps = PlotListProperties;
export type PlotDetailProps = PlotDetailSchema['properties'];
export type Plots = AreaCollection<PlotCollection>;
export type PlotDetail = AreaFeature<PlotDetailSchema>;

/** The map's plot filters (sent as `GET /api/plots` parameters; bbox as "w,s,e,n"). */
export type PlotQuery = Omit<PlotsQuery, 'bbox' | 'status' | 'landUse' | 'districtCode'> & { bbox?: BBox; status?: PlotStatus; landUse?: PlotProps['landUse'] };

/** A geometry problem as shared/geometry.ts states it (the server's 422 `errors`/`warnings`). */
export type GeometryIssueBody = Issue;

export type CreatePlotBody = WithArea<CreatePlotSchema>;
export type PatchPlotBody = Omit<PatchPlotSchema, 'geometry'> & { geometry?: AreaGeometry };
export type EditedPlotProps = EditedPlotSchema['properties'];
export type EditedPlot = AreaFeature<EditedPlotSchema>;
export type PlotWriteResult = Omit<WriteResult, 'plot'> & { plot: EditedPlot };
export type GeometryCheck = Omit<ValidationResult, 'fixed'> & { fixed?: AreaGeometry };
export type PlotVersion = WithArea<HistoryResult['versions'][number]>;
/** A parent or child of a plot (the contract types its status as a string; it is a plot status). */
export type LineageItem = Omit<HistoryResult['parents'][number], 'status'> & { status: PlotStatus };
export type PlotHistory = Omit<HistoryResult, 'versions' | 'parents' | 'children'> & { versions: PlotVersion[]; parents: LineageItem[]; children: LineageItem[] };
export type SplitResult = Omit<SplitResultSchema, 'children'> & { children: EditedPlot[] };
export type MergeResult = Omit<MergeResultSchema, 'plot'> & { plot: EditedPlot };

/** URL template of the plot vector tiles (absolute: maplibre's worker resolves it). */
export function plotTilesUrl(origin: string = location.origin): string {
  return `${origin}/api/tiles/plots/{z}/{x}/{y}.pbf`;
}

export const plotsApi = {
  list: (q: PlotQuery, signal?: AbortSignal) => getJson<Plots>(`/api/plots${query({ ...q, bbox: q.bbox?.join(',') })}`, signal),
  get: (plotId: number, signal?: AbortSignal) => getJson<PlotDetail>(`/api/plots/${encodeURIComponent(plotId)}`, signal),
  byCode: (code: string, signal?: AbortSignal) => getJson<PlotDetail>(`/api/plots/by-code/${encodeURIComponent(code)}`, signal),
};

/** The editor's plot writes and history. */
export const plotEditApi = {
  create: (body: CreatePlotBody, signal?: AbortSignal) => requestJson<PlotWriteResult>('POST', '/api/plots', { signal, body }),
  validate: (body: Omit<ValidateBody, 'geometry'> & { geometry: AreaGeometry }, signal?: AbortSignal) =>
    requestJson<GeometryCheck>('POST', '/api/plots/validate', { signal, body }),
  patch: (plotId: number, body: PatchPlotBody, signal?: AbortSignal) => requestJson<PlotWriteResult>('PATCH', `/api/plots/${id(plotId)}`, { signal, body }),
  remove: (plotId: number, expectedRowVersion?: string, signal?: AbortSignal) =>
    requestJson<DeleteResult>('DELETE', `/api/plots/${id(plotId)}${query({ expectedRowVersion })}`, { signal }),
  withdraw: (plotId: number, body: WithdrawBody, signal?: AbortSignal) => requestJson<PlotWriteResult>('POST', `/api/plots/${id(plotId)}/withdraw`, { signal, body }),
  split: (plotId: number, body: SplitBody, signal?: AbortSignal) =>
    requestJson<SplitResult>('POST', `/api/plots/${id(plotId)}/split`, { signal, body }),
  merge: (body: MergeBody, signal?: AbortSignal) => requestJson<MergeResult>('POST', '/api/plots/merge', { signal, body }),
  history: (plotId: number, signal?: AbortSignal) => getJson<PlotHistory>(`/api/plots/${id(plotId)}/history`, signal),
};
