/**
 * Domain vocabulary shared by server and client. Pure data and types: no I/O, no framework.
 * Rules as data: the literal tuples are the source, the types derive from them.
 */

/** IAB sectors (三, 四(三)8): 新一代信息技术, 人工智能, 生物医药. */
export const SECTORS = ['ngit', 'ai', 'biomed'] as const;
export type Sector = (typeof SECTORS)[number];

/** A project's sector: one of the IAB sectors, or `other` (non-IAB). */
export const PROJECT_SECTORS = [...SECTORS, 'other'] as const;
export type ProjectSector = (typeof PROJECT_SECTORS)[number];

/**
 * Park tiers (四(三)8, 五(三)12): `core` = the ten parks named in the plan (green channel);
 * `equal_policy` = the two parks that 可同等享受本扶持政策; `recognized` = parks the bureau
 * recognizes year by year (逐年认定). All three get the park policies of 五(三)13.
 * `zone` = a generated zone of the scale dataset (seeds/scale.ts): sample parcels spread over
 * the districts, NOT an IAB park — no green channel, no subsidy, left out of the dashboards and
 * hidden on the map unless asked for (issue #17).
 */
export const PARK_TIERS = ['core', 'equal_policy', 'recognized', 'zone'] as const;
export type ParkTier = (typeof PARK_TIERS)[number];
/** The tiers of IAB (value-innovation) parks: every tier but the generated `zone`. */
export const IAB_PARK_TIERS = ['core', 'equal_policy', 'recognized'] as const satisfies readonly ParkTier[];
export type IabParkTier = (typeof IAB_PARK_TIERS)[number];
/** Whether a tier is an IAB park's (not a generated zone). */
export const isIabParkTier = (tier: string): tier is IabParkTier => (IAB_PARK_TIERS as readonly string[]).includes(tier);

/** Whether a park's boundary is an indicative shape (demo) or a surveyed one (imported). */
export const BOUNDARY_SOURCES = ['indicative', 'surveyed'] as const;
export type BoundarySource = (typeof BOUNDARY_SOURCES)[number];

/**
 * Plot status (DOMAIN.md, API.md). `held` = reserved for an applicant until a date; `withdrawn`
 * (已收回) = land taken back from supply or from its user, still a parcel; `retired` (已注销) =
 * replaced by a split or merge: no longer a parcel, counted nowhere but in history and lineage.
 */
export const PLOT_STATUSES = ['available', 'held', 'allocated', 'withdrawn', 'retired'] as const;
export type PlotStatus = (typeof PLOT_STATUSES)[number];

/** The statuses of live parcels: what totals, counts, searches, tiles, lists and exports count. */
export const LIVE_PLOT_STATUSES = ['available', 'held', 'allocated', 'withdrawn'] as const satisfies readonly PlotStatus[];
export type LivePlotStatus = (typeof LIVE_PLOT_STATUSES)[number];

/** Whether a plot is a live parcel (not retired by a split or merge). */
export const isLivePlot = (status: PlotStatus | string): boolean => status !== 'retired';

/**
 * The allocation statuses that hold their plot and count against the year's quota (a plot has
 * at most one allocation in these; a cancelled or merely proposed one holds nothing).
 */
export const ACTIVE_ALLOCATION_STATUSES = ['approved', 'contracted', 'completed'] as const;

/**
 * Land use (土地用途): Guangzhou's 新型产业用地 M0 (R&D, pilot, clean production) and
 * industrial M1/M2/M3 (M3 exists in practice; the demo data uses M0–M2).
 */
export const LAND_USES = ['M0', 'M1', 'M2', 'M3'] as const;
export type LandUse = (typeof LAND_USES)[number];

/** Guangzhou's eleven districts: 6-digit administrative division codes. */
export const DISTRICT_CODES = [
  '440103', '440104', '440105', '440106', '440111', '440112',
  '440113', '440114', '440115', '440117', '440118',
] as const;
export type DistrictCode = (typeof DISTRICT_CODES)[number];

/** WGS84 bounding box in GeoJSON order: [west, south, east, north] (degrees). */
export type BBox = [west: number, south: number, east: number, north: number];

/** Approximate extent of Guangzhou (WGS84), used for sanity checks and the initial camera. */
export const GUANGZHOU_BBOX: BBox = [112.95, 22.55, 114.06, 23.94];

/** Zoom from which individual plots are drawn; below it the map shows parks only. */
export const PLOT_MIN_ZOOM = 11;

// ---------------------------------------------------------------------------
// Policy results (shared/policy). One pattern for every rule: success is `{ ok: true, … }`;
// a refusal is `{ ok: false, code, …figures, messageZh, messageEn }` with the figures as
// fields and both messages already formatted, so server and client show the same words.

/** Every user-facing policy message comes in both languages, figures already formatted. */
export interface BilingualMessage {
  readonly messageZh: string;
  readonly messageEn: string;
}

/** Malformed or out-of-range user input: which field, and why, in both languages. */
export interface ValidationFailure extends BilingualMessage {
  readonly ok: false;
  readonly code: 'VALIDATION_FAILED';
  readonly field: string;
}

/** Builds a {@link ValidationFailure} (a plain object; safe to send as JSON). */
export function validationFailed(field: string, messageZh: string, messageEn: string): ValidationFailure {
  return { ok: false, code: 'VALIDATION_FAILED', field, messageZh, messageEn };
}
