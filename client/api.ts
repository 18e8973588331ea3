/**
 * Typed fetch client for the server's `/api` (../shared/API.md). Every call takes an
 * AbortSignal so a component can cancel what it no longer needs (STYLE.md §11). Errors come back
 * as `ApiError` carrying the server's `{ statusCode, code, message }`.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type {
  BBox,
  BoundarySource,
  DistrictCode,
  LandUse,
  ParkTier,
  PlotStatus,
  Sector,
} from '../shared/domain.ts';

export type AreaGeometry = Polygon | MultiPolygon;

export interface Meta {
  sampleData: boolean;
  /** ISO date the data is current as of (null when unknown). */
  dataAsOf: string | null;
  version: string;
}

export interface DistrictProps {
  code: DistrictCode;
  nameZh: string;
  nameEn: string;
}

export interface ParkProps {
  id: number;
  /** "P01".."P12" for the plan's parks. */
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: DistrictCode;
  tier: ParkTier;
  sectors: Sector[];
  recognizedYear: number | null;
  boundarySource: BoundarySource;
  areaM2: number;
  sample: boolean;
  plotCount: number;
  availableAreaM2: number;
}

export interface ParkFigures {
  plotCount: number;
  totalAreaM2: number;
  availableAreaM2: number;
  heldAreaM2: number;
  allocatedAreaM2: number;
  withdrawnAreaM2: number;
  /** Plot counts by status. */
  byStatus: Record<PlotStatus, number>;
  subsidyCapYuan: number;
  subsidyGrantedYuan: number;
}

export interface ParkDetailProps extends ParkProps {
  districtNameZh: string;
  districtNameEn: string;
  figures: ParkFigures;
}

export interface PlotProps {
  id: number;
  code: string;
  parkId: number;
  status: PlotStatus;
  areaM2: number;
  landUse: LandUse;
  sample: boolean;
}

export interface PlotDetailProps extends PlotProps {
  parkCode: string;
  parkNameZh: string;
  parkNameEn: string;
  districtCode: DistrictCode;
  districtNameZh: string;
  districtNameEn: string;
  landLevel: number | string | null;
  location: string | null;
  plotRatioMin: number | null;
  plotRatioMax: number | null;
  buildingDensityMaxPct: number | null;
  greenRatioMinPct: number | null;
  heightLimitM: number | null;
  serviced: boolean | null;
  updatedAt: string;
}

export interface PlotQuery {
  bbox?: BBox;
  status?: PlotStatus;
  parkId?: number;
  sector?: Sector;
  landUse?: LandUse;
  limit?: number;
}

/** The server's error body (ARCHITECTURE.md, HTTP API). */
export interface ApiErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return typeof x === 'object' && x !== null && 'message' in x && typeof (x as { message: unknown }).message === 'string';
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { signal, headers: { accept: 'application/json' } });
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy error page, say): report the status below.
  }
  if (!res.ok) {
    if (isErrorBody(body)) throw new ApiError(res.status, body.code ?? 'HTTP_ERROR', body.message);
    throw new ApiError(res.status, 'HTTP_ERROR', `${res.status} ${res.statusText}`.trim());
  }
  if (body === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', `Empty or invalid JSON from ${path}`);
  return body as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export type Districts = FeatureCollection<AreaGeometry, DistrictProps>;
export type Parks = FeatureCollection<AreaGeometry, ParkProps>;
export type ParkDetail = Feature<AreaGeometry, ParkDetailProps>;
export type Plots = FeatureCollection<AreaGeometry, PlotProps>;
export type PlotDetail = Feature<AreaGeometry, PlotDetailProps>;

export const api = {
  meta: (signal?: AbortSignal) => getJson<Meta>('/api/meta', signal),
  districts: (signal?: AbortSignal) => getJson<Districts>('/api/districts', signal),
  parks: (signal?: AbortSignal) => getJson<Parks>('/api/parks', signal),
  park: (id: number, signal?: AbortSignal) => getJson<ParkDetail>(`/api/parks/${encodeURIComponent(id)}`, signal),
  plots: (q: PlotQuery, signal?: AbortSignal) =>
    getJson<Plots>(
      `/api/plots${query({ ...q, bbox: q.bbox?.join(',') })}`,
      signal,
    ),
  plot: (id: number, signal?: AbortSignal) => getJson<PlotDetail>(`/api/plots/${encodeURIComponent(id)}`, signal),
};

/** URL template of the plot vector tiles (absolute: maplibre's worker resolves it). */
export function plotTilesUrl(origin: string = location.origin): string {
  return `${origin}/api/tiles/plots/{z}/{x}/{y}.pbf`;
}
