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
import type { Role } from '../shared/roles.ts';
import type { SupplyMode } from '../shared/supply-modes.ts';

export type AreaGeometry = Polygon | MultiPolygon;

export interface Meta {
  sampleData: boolean;
  /** ISO date the data is current as of (null when unknown). */
  dataAsOf: string | null;
  version: string;
  /** The published demo accounts sign in here (the login page lists them). Older servers omit it. */
  demoAccounts?: boolean;
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
  /** 投资强度 required, yuan per m² of land. */
  investmentIntensityYuanPerM2: number | null;
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
    /** The body's other fields: `reason` (e.g. `LOGIN_LOCKED`), `retryAfterS`, figures… */
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The server's machine-readable reason beside `code` (`INVALID_CREDENTIALS`, `PASSWORD_CHANGE_REQUIRED`…). */
  get reason(): string | undefined {
    return typeof this.details.reason === 'string' ? this.details.reason : undefined;
  }

  /** Seconds to wait before trying again (429: the body's `retryAfterS` or the Retry-After header). */
  get retryAfterS(): number | undefined {
    const v = this.details.retryAfterS;
    return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  }
}

function isErrorBody(x: unknown): x is ApiErrorBody {
  return typeof x === 'object' && x !== null && 'message' in x && typeof (x as { message: unknown }).message === 'string';
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type ApiErrorListener = (error: ApiError, path: string) => void;
const errorListeners = new Set<ApiErrorListener>();

/**
 * Hears every error answer (the session store uses it to notice a session that ended — 401 —
 * or a password change the server now requires). Returns the unsubscribe function.
 */
export function onApiError(listener: ApiErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

function reportError(error: ApiError, path: string): ApiError {
  for (const listener of errorListeners) listener(error, path);
  return error;
}

/**
 * One request to `/api`, JSON in and out. `credentials: 'same-origin'` sends the session cookie,
 * and the browser adds our own `Origin` to writes — what the server's CSRF check wants.
 * A 204 resolves to `undefined`.
 */
async function requestJson<T>(method: Method, path: string, opts: { signal?: AbortSignal; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    signal: opts.signal,
    headers,
    credentials: 'same-origin',
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy error page, say): report the status below.
  }
  if (!res.ok) {
    const retryHeader = Number(res.headers.get('retry-after'));
    const fromHeader = Number.isFinite(retryHeader) && retryHeader > 0 ? { retryAfterS: retryHeader } : {};
    if (isErrorBody(body)) {
      const { statusCode: _s, error: _e, code, message, ...details } = body as ApiErrorBody & Record<string, unknown>;
      throw reportError(new ApiError(res.status, code ?? 'HTTP_ERROR', message, { ...fromHeader, ...details }), path);
    }
    throw reportError(new ApiError(res.status, 'HTTP_ERROR', `${res.status} ${res.statusText}`.trim(), fromHeader), path);
  }
  if (body === undefined) throw new ApiError(res.status, 'BAD_RESPONSE', `Empty or invalid JSON from ${path}`);
  return body as T;
}

function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>('GET', path, { signal });
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

// --- Accounts, users, audit, price floor (accounts issue; rules issue item 5) ----------------

/** The signed-in user (`GET /api/auth/me`). */
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  /** Set for district officers only. */
  districtCode: string | null;
  /** true: the server refuses everything but a password change until it is done. */
  mustChangePassword: boolean;
}

/** A user as administrators see it (`/api/users`). */
export interface UserRecord extends SessionUser {
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Last time any of the user's sessions was used. */
  lastSeenAt: string | null;
}

export interface NewUserBody {
  username: string;
  displayName: string;
  role: Role;
  districtCode?: string | null;
  password: string;
  mustChangePassword?: boolean;
}

export interface UserPatchBody {
  displayName?: string;
  role?: Role;
  districtCode?: string | null;
}

export interface UsersQuery {
  role?: Role;
  q?: string;
  includeDisabled?: boolean;
  limit?: number;
  offset?: number;
}

export interface AuditEvent {
  id: number;
  at: string;
  actorUserId: number | null;
  actorUsername: string | null;
  actorRole: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  actor?: string;
  action?: string;
  /** ISO 8601 date-time, inclusive. */
  from?: string;
  /** ISO 8601 date-time, exclusive. */
  to?: string;
  limit?: number;
  offset?: number;
}

export type AuditVerifyResult =
  | { ok: true; count: number; lastId: number | null; lastHash: string }
  | { ok: false; brokenAtId: number | null; reason: string; checked: number };

export type FloorBinding = 'benchmark' | 'cost' | 'national_minimum';

/** `POST /api/quotes/price-floor` with a plotId. */
export interface PlotFloorQuote {
  floorYuan: number;
  floorYuanPerM2: number;
  binding: FloorBinding;
  components: {
    benchmarkYuan: number;
    /** null when the caller may not see the plot's cost. */
    costYuan: number | null;
    nationalMinimumYuan: number;
  };
  termFactor: number;
  termYears: number;
  areaM2: number;
  factor: number;
  nationalMinimumFactor: number;
  basis?: {
    plotId: number;
    plotCode: string;
    districtCode: string;
    landLevel: number;
    landGrade: number;
    benchmarkYuanPerM2: number;
    benchmarkSample: boolean;
    nationalMinYuanPerM2: number;
    nationalMinimumVerified: boolean;
    gradeVerified: boolean;
    gradeAssumption: boolean;
    plotSample: boolean;
  };
  asOf: string;
}

/** `GET /api/reference`: the reference data in force. */
export interface ReferenceData {
  asOf: string;
  parameters: { key: string; value: string; verified: boolean; source: string; clause: string }[];
  nationalMinimum: { grade: number; yuanPerM2: number; verified: boolean; source: string }[];
  districtGrades: { districtCode: string; grade: number; verified: boolean; assumption: boolean; note: string; source: string }[];
  benchmark: { districtCode: string; landLevel: number; yuanPerM2: number; sample: boolean; source: string }[];
}

const id = (n: number) => encodeURIComponent(n);

export const authApi = {
  me: (signal?: AbortSignal) => getJson<{ user: SessionUser }>('/api/auth/me', signal),
  login: (username: string, password: string, signal?: AbortSignal) =>
    requestJson<{ user: SessionUser }>('POST', '/api/auth/login', { signal, body: { username, password } }),
  logout: (signal?: AbortSignal) => requestJson<void>('POST', '/api/auth/logout', { signal }),
  changePassword: (currentPassword: string, newPassword: string, signal?: AbortSignal) =>
    requestJson<{ user: SessionUser }>('POST', '/api/auth/password', { signal, body: { currentPassword, newPassword } }),
};

export const usersApi = {
  list: (q: UsersQuery, signal?: AbortSignal) =>
    getJson<{ items: UserRecord[]; total: number }>(
      `/api/users${query({ ...q, includeDisabled: q.includeDisabled === undefined ? undefined : String(q.includeDisabled) })}`,
      signal,
    ),
  get: (userId: number, signal?: AbortSignal) => getJson<UserRecord>(`/api/users/${id(userId)}`, signal),
  create: (body: NewUserBody, signal?: AbortSignal) => requestJson<UserRecord>('POST', '/api/users', { signal, body }),
  update: (userId: number, body: UserPatchBody, signal?: AbortSignal) =>
    requestJson<UserRecord>('PATCH', `/api/users/${id(userId)}`, { signal, body }),
  disable: (userId: number, signal?: AbortSignal) => requestJson<UserRecord>('POST', `/api/users/${id(userId)}/disable`, { signal }),
  enable: (userId: number, signal?: AbortSignal) => requestJson<UserRecord>('POST', `/api/users/${id(userId)}/enable`, { signal }),
  resetPassword: (userId: number, password: string, mustChangePassword: boolean, signal?: AbortSignal) =>
    requestJson<UserRecord>('POST', `/api/users/${id(userId)}/password`, { signal, body: { password, mustChangePassword } }),
  revokeSessions: (userId: number, signal?: AbortSignal) =>
    requestJson<{ revokedSessions: number }>('POST', `/api/users/${id(userId)}/revoke-sessions`, { signal }),
};

export const auditApi = {
  list: (q: AuditQuery, signal?: AbortSignal) => getJson<{ items: AuditEvent[]; total: number }>(`/api/audit${query({ ...q })}`, signal),
  verify: (signal?: AbortSignal) => getJson<AuditVerifyResult>('/api/audit/verify', signal),
};

export const floorApi = {
  /** The plot's floor for an IAB (or other) project; the server takes A, B, C, N from the plot. */
  forPlot: (plotId: number, opts: { iab: boolean; termYears?: number }, signal?: AbortSignal) =>
    requestJson<PlotFloorQuote>('POST', '/api/quotes/price-floor', { signal, body: { plotId, ...opts } }),
  reference: (signal?: AbortSignal) => getJson<ReferenceData>('/api/reference', signal),
};

// --- Investors: search, interests, sign-up, the bureau's queue (investor issue) ------------------

export type SearchSort = 'code' | 'area_asc' | 'area_desc' | 'floor_asc' | 'floor_desc';

/** `GET /api/search/plots` parameters (all optional). */
export interface SearchParams {
  sector?: Sector;
  districtCode?: string;
  parkId?: number;
  minAreaMu?: number;
  maxAreaMu?: number;
  landUse?: LandUse[];
  maxFloorYuanPerM2?: number;
  supplyModes?: SupplyMode[];
  bbox?: BBox;
  sort?: SearchSort;
  limit?: number;
  offset?: number;
}

export interface SearchItem {
  id: number;
  code: string;
  parkId: number;
  parkCode: string;
  parkNameZh: string;
  parkNameEn: string;
  parkTier: ParkTier;
  sectors: Sector[];
  districtCode: string;
  districtNameZh: string;
  districtNameEn: string;
  areaM2: number;
  areaMu: number;
  landUse: LandUse;
  supplyModes: SupplyMode[];
  floorYuanPerM2: number | null;
  floorBinding: FloorBinding | null;
  centroid: [number, number];
  serviced: boolean;
  sample: boolean;
}

export interface SearchPage {
  items: SearchItem[];
  total: number;
  limit: number;
  offset: number;
  asOf: string;
  referenceSample: boolean;
}

export type InterestStatus = 'new' | 'replied' | 'converted' | 'closed';

export interface InterestBody {
  plotId: number;
  company: string;
  uscc: string;
  contactName: string;
  contactEmail?: string;
  contactPhone?: string;
  message: string;
  /** The honeypot: always empty from a person. */
  website?: string;
}

/** An interest as its sender sees it. */
export interface OwnInterest {
  id: number;
  plotId: number;
  plotCode: string;
  parkNameZh: string;
  parkNameEn: string;
  company: string;
  uscc: string;
  contactName: string;
  contactEmail: string | null;
  contactPhone: string | null;
  message: string;
  status: InterestStatus;
  reply: string | null;
  repliedAt: string | null;
  createdAt: string;
}

/** An interest as the bureau sees it. */
export interface BureauInterest extends OwnInterest {
  plotStatus: PlotStatus;
  parkId: number;
  districtCode: string;
  repliedBy: string | null;
  investorUsername: string | null;
  holdId: number | null;
  allocationId: number | null;
  updatedAt: string;
}

export interface InterestQueue {
  items: BureauInterest[];
  total: number;
  counts: Record<InterestStatus, number>;
}

export interface ProposeFromInterestBody {
  quotaYear: number;
  mode: SupplyMode;
  termYears: number;
  leaseYears?: number;
  priceYuan: number;
  annualRentYuan?: number;
  project: { name: string; sector: Sector | 'other'; iab: boolean };
}

export interface InvestorProfile {
  username: string;
  company: string | null;
  uscc: string | null;
}

function searchQuery(p: SearchParams): string {
  return query({
    sector: p.sector,
    districtCode: p.districtCode,
    parkId: p.parkId,
    minAreaMu: p.minAreaMu,
    maxAreaMu: p.maxAreaMu,
    landUse: p.landUse?.length ? p.landUse.join(',') : undefined,
    maxFloorYuanPerM2: p.maxFloorYuanPerM2,
    supplyModes: p.supplyModes?.length ? p.supplyModes.join(',') : undefined,
    bbox: p.bbox?.map((n) => n.toFixed(5)).join(','),
    sort: p.sort,
    limit: p.limit,
    offset: p.offset,
  });
}

export const investApi = {
  search: (p: SearchParams, signal?: AbortSignal) => getJson<SearchPage>(`/api/search/plots${searchQuery(p)}`, signal),
  plotByCode: (code: string, signal?: AbortSignal) => getJson<PlotDetail>(`/api/plots/by-code/${encodeURIComponent(code)}`, signal),
  registerInterest: (body: InterestBody, signal?: AbortSignal) => requestJson<OwnInterest>('POST', '/api/interests', { signal, body }),
  signup: (body: { email: string; password: string; company?: string; uscc?: string }, signal?: AbortSignal) =>
    requestJson<{ user: SessionUser }>('POST', '/api/auth/signup', { signal, body }),
  profile: (signal?: AbortSignal) => getJson<InvestorProfile>('/api/me/profile', signal),
  myInterests: (signal?: AbortSignal) => getJson<{ items: OwnInterest[]; total: number }>('/api/me/interests', signal),
  queue: (q: { plotId?: number; status?: InterestStatus; limit?: number; offset?: number }, signal?: AbortSignal) =>
    getJson<InterestQueue>(`/api/interests${query({ ...q })}`, signal),
  updateInterest: (interestId: number, body: { status?: 'new' | 'replied' | 'closed'; reply?: string }, signal?: AbortSignal) =>
    requestJson<BureauInterest>('PATCH', `/api/interests/${id(interestId)}`, { signal, body }),
  holdFromInterest: (interestId: number, body: { until: string; note?: string }, signal?: AbortSignal) =>
    requestJson<{ interest: BureauInterest; hold: { id: number; until: string } }>('POST', `/api/interests/${id(interestId)}/hold`, { signal, body }),
  proposeFromInterest: (interestId: number, body: ProposeFromInterestBody, signal?: AbortSignal) =>
    requestJson<{ interest: BureauInterest; allocation: { id: number; status: string } }>('POST', `/api/interests/${id(interestId)}/propose`, { signal, body }),
};
