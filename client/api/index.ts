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
} from '../../shared/domain.ts';
import type { Role } from '../../shared/roles.ts';
import type { SupplyMode } from '../../shared/supply-modes.ts';

// Response types the server defines: one source of truth (type-only; nothing of the server is bundled).
import type { AuditEvent } from '../../server/kernel/audit.ts';
import type { SearchItem, SearchResult as SearchPage } from '../../server/modules/search/service.ts';
import type { HoldView as HoldRecord } from '../../server/modules/holds/service.ts';
export type { AuditEvent, HoldRecord, SearchItem, SearchPage };

export type AreaGeometry = Polygon | MultiPolygon;

export interface Meta {
  sampleData: boolean;
  /** ISO date the data is current as of (null when unknown). */
  dataAsOf: string | null;
  version: string;
  /** The published demo accounts sign in here (the login page lists them). Older servers omit it. */
  demoAccounts?: boolean;
  /** APPROVAL_FOUR_EYES: the proposer of an allocation may not approve it. Older servers omit it. */
  approvalFourEyes?: boolean;
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
    /** The body's other fields: `reason` (e.g. `LOGIN_THROTTLED`), `retryAfterS`, figures… */
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
async function requestJson<T>(method: Method, path: string, opts: { signal?: AbortSignal; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
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

export type FloorBinding = 'benchmark' | 'cost' | 'national_minimum' | 'provincial_minimum';

/** `POST /api/quotes/price-floor` with a plotId. */
export interface PlotFloorQuote {
  floorYuan: number;
  floorYuanPerM2: number;
  /** Never `cost` in a public (indicative) answer. */
  binding: FloorBinding;
  /** true: the indicative minimum from the public terms (public, investors); the final 出让底价 may be higher. */
  indicative: boolean;
  components: {
    benchmarkYuan: number;
    /** null when the caller may not see the plot's cost, or (bureau, costRecorded false) when it is not recorded. */
    costYuan: number | null;
    nationalMinimumYuan: number;
    /** null when no provincial figure applies. */
    provincialMinimumYuan: number | null;
  };
  /** Bureau answers only: false = the cost is not recorded (no allocation may be proposed or approved). */
  costRecorded?: boolean;
  /** Public answers: the final 出让底价 is set by the bureau and may be higher. */
  caveatZh?: string;
  caveatEn?: string;
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
    provincialMinYuanPerM2: number | null;
    provincialMinimumVerified: boolean | null;
    gradeVerified: boolean;
    gradeAssumption: boolean;
    plotSample: boolean;
  };
  asOf: string;
}

/** `GET /api/reference`: the reference data in force. */
export interface ReferenceData {
  asOf: string;
  /** `clause`: what the parameter rests on; `basis`: plan | national_rule | bureau_assumption; `verified` false until an administrator confirms it. */
  parameters: { key: string; value: string; verified: boolean; source: string; clause: string; basis?: string }[];
  nationalMinimum: { grade: number; yuanPerM2: number; verified: boolean; source: string }[];
  districtGrades: { districtCode: string; grade: number; verified: boolean; assumption: boolean; note: string; source: string }[];
  benchmark: { districtCode: string; landLevel: number; yuanPerM2: number; sample: boolean; source: string }[];
  /** 省规定的最低价 by grade; empty = no provincial figure applies (the shipped state). */
  provincialMinimum: { grade: number; yuanPerM2: number; verified: boolean; source: string }[];
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
  reference: (signal?: AbortSignal) => getJson<ReferenceData & { versions: Record<string, { id: number; effectiveFrom: string }> }>('/api/reference', signal),
  /** An administrator confirms one parameter: a new version, same values, verified (audited). */
  confirmParameter: (key: string, body: { source?: string }, signal?: AbortSignal) =>
    requestJson<{ id: number; key: string; effectiveFrom: string }>('POST', `/api/reference/parameters/${encodeURIComponent(key)}/confirm`, { signal, body }),
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
    /** 202, the same for a free and a taken address (issue 13 §7): sign in next to know. */
    requestJson<{ accepted: true; messageEn: string; messageZh: string }>('POST', '/api/auth/signup', { signal, body }),
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

// --- Allocations, quotas, holds (allocation issue) ------------------------------------------------

export type AllocationStatus = 'proposed' | 'approved' | 'contracted' | 'completed' | 'cancelled';
export type MilestoneKind = 'handed_over' | 'started' | 'completed';

export interface AllocationProject {
  id: number;
  name: string;
  sector: Sector | 'other';
  subSector: string | null;
  iab: boolean;
  plannedInvestmentYuan: number | null;
  keyProject: boolean;
  enterprise: { id: number; name: string; uscc: string };
}

export interface AllocationContract {
  contractNo: string;
  supervisionNo: string;
  signedOn: string;
  agreedHandoverOn: string;
  agreedStartOn: string;
  agreedCompletionOn: string;
}

/** An allocation as `GET /api/allocations` lists it. */
export interface AllocationItem {
  id: number;
  plotId: number;
  plotCode: string;
  plotStatus: PlotStatus;
  parkId: number;
  parkCode: string;
  districtCode: string;
  status: AllocationStatus;
  quotaYear: number;
  mode: SupplyMode;
  termYears: number;
  leaseYears: number | null;
  /** The supply price, or the annual rent of a long-term lease. */
  priceYuan: number;
  annualRentYuan: number | null;
  areaM2: number;
  areaMu: number;
  iab: boolean;
  floorYuan: number;
  binding: FloorBinding;
  project: AllocationProject;
  contract: AllocationContract | null;
  milestones: { handedOverOn: string | null; startedOn: string | null; completedOn: string | null };
  overdue: boolean;
  overdueDays: number | null;
  cancelReason: string | null;
  /** The allocation approved for the same plot that closed this proposal (cancelled, reason superseded). */
  supersededBy: number | null;
  /** On the approval green channel (五(三)12): core park or key IAB project. */
  greenChannel: boolean;
  /** Days an open proposal has waited since it was proposed; null once decided. */
  waitingDays: number | null;
  createdBy: string | null;
  createdAt: string;
  approvedBy: string | null;
  approvedAt: string | null;
  contractedAt: string | null;
  cancelledBy: string | null;
  cancelledAt: string | null;
  updatedAt: string;
  /** Demo sample record (seeded with the sample plots). */
  sample?: boolean;
}

/** One check of a floor evaluation: the price against its floor, or a rent against the rent floor. */
export interface AllocationFloorCheck {
  subject: 'price' | 'annual_rent';
  offeredYuan: number;
  floorYuan: number;
  ok: boolean;
  shortfallYuan: number;
}

/** The floor evaluation stored with a proposal and in the decision record. */
export interface AllocationFloorRecord {
  mode: SupplyMode;
  termYears: number;
  leaseYears: number | null;
  floorYuan: number;
  binding: FloorBinding;
  priceFloor: {
    floorYuan: number;
    floorYuanPerM2: number;
    binding: FloorBinding;
    components: { benchmarkYuan: number; costYuan: number | null; nationalMinimumYuan: number };
    termFactor: number;
    termYears: number;
    areaM2: number;
    factor: number;
  };
  rentFloor: { annualRentFloorYuan: number; rentShareBp: number } | null;
  checks: AllocationFloorCheck[];
  ok: boolean;
  messageZh: string;
  messageEn: string;
  reference?: { asOf: string; versions: Record<string, { id: number; effectiveFrom: string }> };
}

export interface QuotaSnapshot {
  quotaM2: number;
  iabReserveM2: number;
  approvedM2: number;
  iabApprovedM2: number;
  remainingM2: number;
  availableToNonIabM2: number;
}

/** The decision record written at approval. */
export interface AllocationDecision {
  approvedAt: string;
  approvedBy: { userId: number; username: string; displayName: string; role: string };
  areaM2?: number;
  areaMu?: number;
  floor: AllocationFloorRecord;
  inputs: Record<string, unknown>;
  reference: { asOf?: string; versions?: Record<string, { id: number; effectiveFrom: string }>; parameters?: Record<string, unknown> };
  quota: { year: number; ledgerEntryId: number | null; chargedM2: number; iab: boolean; before: QuotaSnapshot; after: QuotaSnapshot };
  proposal?: { floorYuan: number; floorChanged: boolean };
}

/** `GET /api/allocations/:id` (and every write's answer). */
export interface AllocationDetail extends AllocationItem {
  proposedFloor: AllocationFloorRecord;
  decision: AllocationDecision | null;
}

export interface AllocationsQuery {
  status?: AllocationStatus[];
  quotaYear?: number;
  plotId?: number;
  parkId?: number;
  districtCode?: string;
  overdue?: boolean;
  greenChannel?: boolean;
  sort?: 'newest' | 'green_first';
  limit?: number;
  offset?: number;
}

/** `POST /api/allocations`. */
export interface ProposeAllocationBody {
  plotId: number;
  quotaYear: number;
  mode: SupplyMode;
  termYears: number;
  leaseYears?: number;
  priceYuan: number;
  annualRentYuan?: number;
  project: {
    name: string;
    enterprise: { name: string; uscc: string };
    sector: Sector | 'other';
    iab: boolean;
    subSector?: string;
    plannedInvestmentYuan?: number;
    keyProject?: boolean;
  };
}

/** `GET /api/quotas/:year`. */
export interface QuotaFigures extends QuotaSnapshot {
  year: number;
  quotaMu: number;
  iabReserveMu: number;
  approvedMu: number;
  remainingMu: number;
  availableToNonIabMu: number;
  updatedAt: string;
}

export interface QuotaReportLine {
  approvedM2: number;
  iabApprovedM2: number;
  approvedMu: number;
  allocations: number;
}

/** `GET /api/quotas/:year/report`. */
export interface QuotaReport extends QuotaFigures {
  iabShareBp: number;
  /** 五(三)11: the IAB share of approved land against the reserve the bureau set. */
  iabTilt: {
    iabReserveM2: number;
    reserveShareBp: number;
    iabApprovedM2: number;
    iabShareBp: number;
    iabOfQuotaBp: number;
    reserveUsedM2: number;
    reserveUsedBp: number | null;
    unusedReserveM2: number;
  };
  supplyTarget: { targetM2: number; targetMu: number; metTarget: boolean; shortfallM2: number; shortfallMu: number };
  keyProjects: { approved: number; signed: number; landed: number };
  byDistrict: (QuotaReportLine & { districtCode: string; nameZh: string; nameEn: string })[];
  byPark: (QuotaReportLine & { parkId: number; code: string; nameZh: string; nameEn: string; districtCode: string })[];
  bySector: (QuotaReportLine & { sector: Sector | 'other' })[];
}


/** A write with an `Idempotency-Key` (a replay returns the first answer and changes nothing). */
const keyed = (key: string | undefined) => (key ? { 'idempotency-key': key } : undefined);

export const allocationsApi = {
  list: (q: AllocationsQuery, signal?: AbortSignal) =>
    getJson<{ items: AllocationItem[]; total: number }>(
      `/api/allocations${query({
        ...q,
        status: q.status?.length ? q.status.join(',') : undefined,
        overdue: q.overdue === undefined ? undefined : String(q.overdue),
        greenChannel: q.greenChannel === undefined ? undefined : String(q.greenChannel),
      })}`,
      signal,
    ),
  get: (allocationId: number, signal?: AbortSignal) => getJson<AllocationDetail>(`/api/allocations/${id(allocationId)}`, signal),
  propose: (body: ProposeAllocationBody, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', '/api/allocations', { signal, body, headers: keyed(key) }),
  approve: (allocationId: number, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/approve`, { signal, headers: keyed(key) }),
  cancel: (allocationId: number, reason: string | undefined, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/cancel`, { signal, body: reason ? { reason } : {}, headers: keyed(key) }),
  contract: (allocationId: number, body: AllocationContract, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/contract`, { signal, body, headers: keyed(key) }),
  milestone: (allocationId: number, body: { kind: MilestoneKind; date: string }, key?: string, signal?: AbortSignal) =>
    requestJson<AllocationDetail>('POST', `/api/allocations/${id(allocationId)}/milestones`, { signal, body, headers: keyed(key) }),
};

export const quotasApi = {
  get: (year: number, signal?: AbortSignal) => getJson<QuotaFigures>(`/api/quotas/${id(year)}`, signal),
  set: (year: number, body: { quotaM2: number; iabReserveM2: number }, signal?: AbortSignal) =>
    requestJson<QuotaFigures>('PUT', `/api/quotas/${id(year)}`, { signal, body }),
  report: (year: number, signal?: AbortSignal) => getJson<QuotaReport>(`/api/quotas/${id(year)}/report`, signal),
};

export const holdsApi = {
  forPlot: (plotId: number, signal?: AbortSignal) => getJson<{ items: HoldRecord[]; total: number }>(`/api/plots/${id(plotId)}/holds`, signal),
};

// --- Plot data: the map editor, survey import and export (plot-data issue) ------------------

/** A geometry problem as shared/geometry.ts states it (the server's 422 `errors`/`warnings`). */
export interface GeometryIssueBody {
  code: string;
  messageZh: string;
  messageEn: string;
  /** [lon, lat] of the place to point at, when there is one. */
  where?: number[];
  plotCode?: string;
  plotId?: number;
  figures?: Record<string, number>;
}

/** Attributes a plot write may set (POST /api/plots, PATCH /api/plots/:id). */
export interface PlotWriteAttributes {
  landGrade?: number | null;
  location?: string;
  plotRatioMin?: number | null;
  plotRatioMax?: number | null;
  buildingDensityMaxPct?: number | null;
  greenRatioMinPct?: number | null;
  heightLimitM?: number | null;
  investmentIntensityYuanPerM2?: number | null;
  /** null = not recorded (never sent as 0 for an empty field); 0 only with a costNote. */
  costYuan?: number | null;
  /** Why the cost is what it is; required when costYuan is 0. */
  costNote?: string | null;
  serviced?: boolean;
}

export interface CreatePlotBody extends PlotWriteAttributes {
  code: string;
  parkId: number;
  landUse: LandUse;
  /** Surveyed area (宗地面积), m², ≤ 2 decimals. */
  areaM2: number;
  landLevel: number;
  geometry: AreaGeometry;
  reason?: string;
}

export interface PatchPlotBody extends PlotWriteAttributes {
  expectedRowVersion: string;
  code?: string;
  parkId?: number;
  landUse?: LandUse;
  areaM2?: number;
  landLevel?: number;
  geometry?: AreaGeometry;
  reason?: string;
}

export interface EditedPlotProps extends PlotDetailProps {
  landGrade: number | null;
  costYuan: number | null;
  rowVersion: string;
  version: number;
  geometryAreaM2: number | null;
}
export type EditedPlot = Feature<AreaGeometry, EditedPlotProps>;

export interface PlotWriteResult {
  plot: EditedPlot;
  warnings: GeometryIssueBody[];
}

export interface GeometryCheck {
  ok: boolean;
  errors: GeometryIssueBody[];
  warnings: GeometryIssueBody[];
  areaM2: number | null;
  fixed?: AreaGeometry;
}

export interface PlotVersion {
  version: number;
  /** initial · create · edit · import · split · merge */
  operation: string;
  geometry: AreaGeometry;
  areaM2: number;
  geometryAreaM2: number | null;
  attributes: Record<string, unknown>;
  validFrom: string;
  validTo: string | null;
  changedBy: string | null;
  reason: string;
  importId: string | null;
}

export interface LineageItem {
  plotId: number;
  code: string;
  status: PlotStatus;
  operation: string;
  at: string;
}

export interface PlotHistory {
  plotId: number;
  code: string;
  status: PlotStatus;
  /** Send back as expectedRowVersion. */
  rowVersion: string;
  versions: PlotVersion[];
  parents: LineageItem[];
  children: LineageItem[];
}

export interface SplitResult {
  parent: { id: number; code: string; status: string };
  children: EditedPlot[];
  areaNote: { messageZh: string; messageEn: string };
  warnings: GeometryIssueBody[];
}

export interface MergeResult {
  parents: { id: number; code: string; status: string }[];
  plot: EditedPlot;
  warnings: GeometryIssueBody[];
}

/** The editor's plot writes and history (server/modules/plots/routes.ts). */
export const plotEditApi = {
  create: (body: CreatePlotBody, signal?: AbortSignal) => requestJson<PlotWriteResult>('POST', '/api/plots', { signal, body }),
  validate: (body: { geometry: AreaGeometry; parkId?: number; areaM2?: number; excludePlotIds?: number[] }, signal?: AbortSignal) =>
    requestJson<GeometryCheck>('POST', '/api/plots/validate', { signal, body }),
  patch: (plotId: number, body: PatchPlotBody, signal?: AbortSignal) => requestJson<PlotWriteResult>('PATCH', `/api/plots/${id(plotId)}`, { signal, body }),
  remove: (plotId: number, expectedRowVersion?: string, signal?: AbortSignal) =>
    requestJson<{ deleted: true; id: number; code: string }>('DELETE', `/api/plots/${id(plotId)}${query({ expectedRowVersion })}`, { signal }),
  withdraw: (plotId: number, body: { reason: string; expectedRowVersion?: string }, signal?: AbortSignal) =>
    requestJson<PlotWriteResult>('POST', `/api/plots/${id(plotId)}/withdraw`, { signal, body }),
  split: (plotId: number, body: { line: GeoJSON.LineString; codes?: string[]; expectedRowVersion?: string; reason?: string }, signal?: AbortSignal) =>
    requestJson<SplitResult>('POST', `/api/plots/${id(plotId)}/split`, { signal, body }),
  merge: (
    body: { plotIds: number[]; code?: string; landUse?: LandUse; landLevel?: number; expectedRowVersions?: Record<string, string>; reason?: string },
    signal?: AbortSignal,
  ) => requestJson<MergeResult>('POST', '/api/plots/merge', { signal, body }),
  history: (plotId: number, signal?: AbortSignal) => getJson<PlotHistory>(`/api/plots/${id(plotId)}/history`, signal),
};

export type ImportFormat = 'geojson' | 'shapefile' | 'kml' | 'csv';
export type ImportCrsSource = 'prj' | 'file' | 'user' | 'detected' | 'default';

export interface ImportNotice {
  code: string;
  messageZh: string;
  messageEn: string;
  suggestedCrs?: string;
}

export interface ImportFeature {
  /** 0-based position in the file. */
  index: number;
  code: string | null;
  parkId: number | null;
  parkCode: string | null;
  landUse: string | null;
  landLevel: number | null;
  /** Surveyed area to be recorded (the file's, else the geometric area). */
  areaM2: number | null;
  geometryAreaM2: number | null;
  attributes: Record<string, unknown>;
  geometry: AreaGeometry | null;
  errors: GeometryIssueBody[];
  warnings: GeometryIssueBody[];
}

export interface ImportCounts {
  features: number;
  valid: number;
  invalid: number;
  warnings: number;
}

export interface ImportPreview {
  id: string;
  status: 'previewed' | 'committed' | 'failed';
  filename: string;
  format: ImportFormat;
  crs: string;
  crsSource: ImportCrsSource;
  counts: ImportCounts;
  expiresAt: string;
  notices: ImportNotice[];
  features: ImportFeature[];
  featuresTotal: number;
  truncated: boolean;
  /** Every feature with errors or warnings (up to 5000). */
  problems?: { index: number; code: string | null; errors: GeometryIssueBody[]; warnings: GeometryIssueBody[] }[];
}

export interface ImportCommitResult {
  id: string;
  status: 'committed';
  created: number;
  plots: { id: number; code: string }[];
}

export interface ImportUploadFields {
  crs?: string;
  parkId?: number;
  format?: ImportFormat;
  landUse?: LandUse;
  landLevel?: number;
}

/**
 * `POST /api/imports` with upload progress: XMLHttpRequest reports `upload.onprogress`, which
 * fetch does not. `onProgress(sent, total)` runs while the file goes up; the promise resolves
 * with the preview once the server has read it. Errors are `ApiError`s like every other call.
 */
function uploadImport(file: File, fields: ImportUploadFields, onProgress: (sent: number, total: number) => void, signal?: AbortSignal): Promise<ImportPreview> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== '') form.append(k, String(v));
    // Fields before the file: the server reads the parts in order.
    form.append('file', file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/imports');
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as ImportPreview);
        return;
      }
      if (isErrorBody(body)) {
        const { statusCode: _s, error: _e, code, message, ...details } = body as ApiErrorBody & Record<string, unknown>;
        reject(reportError(new ApiError(xhr.status, code ?? 'HTTP_ERROR', message, details), '/api/imports'));
      } else {
        reject(reportError(new ApiError(xhr.status, 'HTTP_ERROR', `${xhr.status} ${xhr.statusText}`.trim()), '/api/imports'));
      }
    };
    xhr.onerror = () => reject(new TypeError('Network error while uploading'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    if (signal) {
      if (signal.aborted) {
        reject(new DOMException('Upload cancelled', 'AbortError'));
        return;
      }
      signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

export const importsApi = {
  upload: uploadImport,
  /** A page of a preview's features (all of them, beyond the first ones the upload returned). */
  get: (importId: string, offset: number, limit: number, signal?: AbortSignal) =>
    getJson<ImportPreview>(`/api/imports/${encodeURIComponent(importId)}${query({ offset, limit })}`, signal),
  commit: (importId: string, signal?: AbortSignal) => requestJson<ImportCommitResult>('POST', `/api/imports/${encodeURIComponent(importId)}/commit`, { signal }),
};

export type ExportFormat = 'geojson' | 'csv' | 'shp';
export type ExportCrs = 'EPSG:4326' | 'EPSG:4547';

export interface ExportQuery {
  format: ExportFormat;
  crs: ExportCrs;
  parkId?: number;
  districtCode?: string;
  sector?: Sector;
  status?: PlotStatus[];
  landUse?: LandUse[];
}

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
  })}`;
}

// --- Review: district dashboard, city overview, park report, subsidies, park recognition (dashboard issue) ---

export interface DashboardFigures {
  totalAreaM2: number;
  availableAreaM2: number;
  heldAreaM2: number;
  allocatedAreaM2: number;
  withdrawnAreaM2: number;
  /** The same areas in 亩, 2 decimals (the server's rounding). */
  areasMu: { total: number; available: number; held: number; allocated: number; withdrawn: number };
  plotCounts: { total: number; available: number; held: number; allocated: number; withdrawn: number };
  /** Net quota charged to the dashboard's year (charges − reversals). */
  quotaChargedM2: number;
  quotaChargedMu: number;
  /** Net granted against the cap in force (in totals: the caps summed over the parks). */
  subsidy: { grantedYuan: number; capYuan: number; remainingYuan: number };
  /** Distinct projects with an allocation contracted or completed (签约). */
  projectsSigned: number;
  /** Of those, started on site (落地). */
  projectsLanded: number;
  leadSectorShare: {
    allocatedAreaM2: number;
    leadSectorAreaM2: number;
    /** lead ÷ allocated, 4 decimals; null when nothing is allocated. */
    share: number | null;
    target: number;
    meetsTarget: boolean | null;
  };
  /** Contracted allocations past their agreed start date with no start recorded. */
  overdueMilestones: number;
}

export interface DashboardPark extends DashboardFigures {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: string;
  tier: ParkTier;
  sectors: Sector[];
  recognizedYear: number;
  sample: boolean;
}

export interface DashboardTotals extends DashboardFigures {
  parks: number;
}

/** `GET /api/bureau/parks` (and the common part of a district's dashboard). */
export interface BureauParks {
  year: number;
  asOf: string;
  leadSectorTarget: number;
  /** The lead-sector target: a bureau setting from the reference data (not in the plan). */
  leadTarget?: { share: number; source: string; verified: boolean; bureauSetting: true };
  /** The plan's own targets (四(二)6) with the counts of IAB key projects from the allocation records. */
  planTargets?: { clause: string; byYear: number; keyProjectsSigned: number; keyProjectsLanded: number; keyProjectsSignedActual: number; keyProjectsLandedActual: number };
  parks: DashboardPark[];
  totals: DashboardTotals;
  referenceVersions: { parameters: number };
}

/** `GET /api/districts/:code/dashboard`. */
export interface DistrictDashboard extends BureauParks {
  district: DistrictProps;
}

export type SubsidyKind = 'public_platform' | 'infrastructure' | 'facilities';
export type SubsidyStatus = 'granted' | 'disbursed' | 'withdrawn';
export type SubsidyLimitedBy = 'requested' | 'investment_share' | 'park_cap';

export interface Subsidy {
  id: number;
  parkId: number;
  parkCode: string;
  districtCode: string;
  projectId: number;
  projectName: string;
  kind: SubsidyKind;
  status: SubsidyStatus;
  totalInvestmentYuan: number;
  requestedYuan: number;
  grantedYuan: number;
  decision: {
    shareBp: number;
    investmentShareYuan: number;
    capYuan: number;
    parkGrantedBeforeYuan: number;
    parkHeadroomBeforeYuan: number;
    projectGrantedBeforeYuan: number;
    projectHeadroomBeforeYuan: number;
    limitedBy: SubsidyLimitedBy;
    referenceVersionId: number;
  };
  createdBy: string | null;
  createdAt: string;
  disbursedOn: string | null;
  disbursedAt: string | null;
  disbursedBy: string | null;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
  withdrawReason: string | null;
  updatedAt: string;
}

/** `GET /api/parks/:id/subsidies`. */
export interface SubsidyList {
  park: { id: number; code: string; nameZh: string; nameEn: string; districtCode: string; tier: string };
  items: Subsidy[];
  grantedYuan: number;
  disbursedYuan: number;
  capYuan: number;
  remainingYuan: number;
  shareBp: number;
}

export interface GrantSubsidyBody {
  projectId: number;
  requestedYuan: number;
}

/** A park project, the unit of the 20 % (`GET`/`POST /api/parks/:id/projects`). */
export interface ParkProject {
  id: number;
  parkId: number;
  name: string;
  kind: SubsidyKind;
  totalInvestmentYuan: number;
  shareBp: number;
  /** ⌊share × investment⌋: the most the project can be granted in all. */
  shareYuan: number;
  grantedYuan: number;
  /** The project's own headroom: share − granted. */
  remainingYuan: number;
  /** min(the project's headroom, the park's headroom). */
  availableYuan: number;
  grants: number;
  createdBy: string | null;
  createdAt: string;
}

export interface ParkProjectList {
  items: ParkProject[];
  grantedYuan: number;
  capYuan: number;
  remainingYuan: number;
  shareBp: number;
}

export interface CreateProjectBody {
  name: string;
  kind: SubsidyKind;
  totalInvestmentYuan: number;
}

/** A subsidy after a write, with the park's figures after it. */
export interface SubsidyChange extends Subsidy {
  parkGrantedYuan: number;
  parkRemainingYuan: number;
  capYuan: number;
}

export interface GrantResult extends SubsidyChange {
  limitedBy: SubsidyLimitedBy;
  projectGrantedYuan: number;
  projectRemainingYuan: number;
  messageZh: string;
  messageEn: string;
}

/** `GET /api/parks/:id/report`. */
export interface ParkReport {
  district: DistrictProps;
  year: number;
  asOf: string;
  park: DashboardPark & { areaM2: number; boundarySource: BoundarySource };
  subsidies: { items: Subsidy[]; grantedYuan: number; disbursedYuan: number; capYuan: number; remainingYuan: number };
  overdue: {
    allocationId: number;
    plotCode: string;
    projectName: string;
    enterpriseName: string;
    agreedStartOn: string;
    overdueDays: number;
    areaM2: number;
  }[];
}

export interface OperatorProject {
  id: number;
  parkId: number;
  operatorName: string;
  projectName: string;
  byParkOperator: boolean;
  totalFloorAreaM2: number;
  facilitiesFloorAreaM2: number;
  /** facilities ÷ total. */
  ratio: number;
  /** The limit applied, e.g. 0.15. */
  limit: number;
  limitBp: number;
  headroomM2: number;
  referenceVersionId: number;
  createdBy: string | null;
  createdAt: string;
}

export interface OperatorProjectBody {
  operatorName: string;
  projectName: string;
  totalFloorAreaM2: number;
  facilitiesFloorAreaM2: number;
  byParkOperator?: boolean;
}

export interface RecognizeParkBody {
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: string;
  sectors: Sector[];
  recognizedYear: number;
  boundary: AreaGeometry;
  note?: string;
}

export interface RecognizeParkResult {
  park: ParkDetail;
  checks: { areaM2: number; insideGuangzhouShare: number; insideDistrictShare: number; largestDistrictCode: string | null };
  warnings: { code: string; messageZh: string; messageEn: string }[];
}

const yearQuery = (year?: number) => query({ year });

export const dashboardApi = {
  district: (code: string, year: number | undefined, signal?: AbortSignal) =>
    getJson<DistrictDashboard>(`/api/districts/${encodeURIComponent(code)}/dashboard${yearQuery(year)}`, signal),
  districtCsvUrl: (code: string, year?: number) => `/api/districts/${encodeURIComponent(code)}/dashboard.csv${yearQuery(year)}`,
  parks: (year: number | undefined, signal?: AbortSignal) => getJson<BureauParks>(`/api/bureau/parks${yearQuery(year)}`, signal),
  parksCsvUrl: (year?: number) => `/api/bureau/parks.csv${yearQuery(year)}`,
  report: (parkId: number, year: number | undefined, signal?: AbortSignal) => getJson<ParkReport>(`/api/parks/${id(parkId)}/report${yearQuery(year)}`, signal),
  subsidies: (parkId: number, signal?: AbortSignal) => getJson<SubsidyList>(`/api/parks/${id(parkId)}/subsidies`, signal),
  projects: (parkId: number, signal?: AbortSignal) => getJson<ParkProjectList>(`/api/parks/${id(parkId)}/projects`, signal),
  createProject: (parkId: number, body: CreateProjectBody, signal?: AbortSignal) =>
    requestJson<ParkProject>('POST', `/api/parks/${id(parkId)}/projects`, { signal, body }),
  grant: (parkId: number, body: GrantSubsidyBody, signal?: AbortSignal) =>
    requestJson<GrantResult>('POST', `/api/parks/${id(parkId)}/subsidies`, { signal, body }),
  disburse: (parkId: number, subsidyId: number, disbursedOn: string | undefined, signal?: AbortSignal) =>
    requestJson<SubsidyChange>('POST', `/api/parks/${id(parkId)}/subsidies/${id(subsidyId)}/disburse`, { signal, body: disbursedOn ? { disbursedOn } : {} }),
  withdraw: (parkId: number, subsidyId: number, reason: string, signal?: AbortSignal) =>
    requestJson<SubsidyChange>('POST', `/api/parks/${id(parkId)}/subsidies/${id(subsidyId)}/withdraw`, { signal, body: { reason } }),
  operatorProjects: (parkId: number, signal?: AbortSignal) =>
    getJson<{ items: OperatorProject[]; total: number }>(`/api/parks/${id(parkId)}/operator-projects`, signal),
  registerOperatorProject: (parkId: number, body: OperatorProjectBody, signal?: AbortSignal) =>
    requestJson<OperatorProject>('POST', `/api/parks/${id(parkId)}/operator-projects`, { signal, body }),
  recognizePark: (body: RecognizeParkBody, signal?: AbortSignal) => requestJson<RecognizeParkResult>('POST', '/api/parks', { signal, body }),
};
