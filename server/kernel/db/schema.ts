/**
 * Kysely table types, one interface per table. Column names are snake_case in SQL; the API maps rows to
 * camelCase. `numeric` columns come back as strings from both pg and PGlite; `bigint` too is
 * normalised in SQL (`::int` / `::text`) where read.
 */
import type { ColumnType, Generated } from 'kysely';
import type { BoundarySource, LandUse, ParkTier, PlotStatus, ProjectSector, Sector } from '../../../shared/domain.ts';
import type { Role } from '../../../shared/roles.ts';
import type { HubTable } from './schema-siting.ts';
import type { AllocationPerformanceTable, AllocationProgressTable, GovernmentDelayTable, InspectionPhotoTable, InspectionTable, InspectionVisitTable, MuGradeThresholdsTable, SupervisionDecisionTable, SupervisionStageTable } from './schema-supervision.ts';
import type { LandDemandTable } from './schema-demands.ts';

export type Numeric = ColumnType<string, string | number, string | number>;
export type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** jsonb: written as a JSON string (pg would turn JS arrays into PostgreSQL arrays). */
type Json<T> = ColumnType<T, string, string>;

export interface DistrictTable {
  code: string;
  name_zh: string;
  name_en: string;
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
  /** PostgreSQL `box`, written as '(west,south),(east,north)'. */
  bbox: ColumnType<string, string, string>;
}

export interface ParkTable {
  id: Generated<number>;
  code: string;
  name_zh: string;
  name_en: string;
  district_code: string;
  tier: ParkTier;
  sectors: ColumnType<Sector[], Sector[], Sector[]>;
  recognized_year: number;
  boundary_source: BoundarySource;
  area_m2: Numeric;
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
  bbox: ColumnType<string, string, string>;
  sample: boolean;
  notes: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlotTable {
  id: Generated<number>;
  code: string;
  park_id: number;
  status: PlotStatus;
  land_use: LandUse;
  /** Surveyed area (宗地面积), authoritative; the geometric area is a validation. */
  area_m2: Numeric;
  land_level: number;
  location: string;
  plot_ratio_min: Numeric | null;
  plot_ratio_max: Numeric | null;
  building_density_max_pct: Numeric | null;
  green_ratio_min_pct: Numeric | null;
  height_limit_m: Numeric | null;
  investment_intensity_yuan_per_m2: Numeric | null;
  /** C of 五(三)14: acquisition + pre-development cost + fees. Internal: never in public responses. */
  cost_yuan: Numeric | null;
  /** Why the cost is what it is; required when cost_yuan is 0 (migration 008). Internal. */
  cost_note: ColumnType<string | null, string | null | undefined, string | null>;
  serviced: boolean;
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
  bbox: ColumnType<string, string, string>;
  sample: boolean;
  /** 土地等别 when it differs from the district's default grade (migration 002). */
  land_grade: number | null;
  /** 标准地 conditions, only the fields set (migration 014; shared/policy/standard-land.ts). Public. */
  conditions: ColumnType<Record<string, unknown>, string | undefined, string>;
  /** 宗地代码 (GB/T 37346), upper-case, unique among non-retired plots (migration 026; shared/policy/parcel-code.ts). Public. */
  parcel_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** 控规地块编号, free text (migration 026). Public. */
  zoning_plot_code: ColumnType<string | null, string | null | undefined, string | null>;
  /** 用地用海 2023 code; (land_use, land_use_code) is a row of land_use_code_map; a trigger fills the default when left null (migration 026). */
  land_use_code: ColumnType<string, string | null | undefined, string | null>;
  /** Bumped from a sequence on every insert/update: tiles use it for ETags. */
  row_version: Generated<string>;
  /** The map list's Feature text up to its last property, written by PostgreSQL with the row (generated, migration 031). */
  list_feature: ColumnType<string, never, never>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppMetaTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

export interface Database {
  districts: DistrictTable;
  parks: ParkTable;
  plots: PlotTable;
  app_meta: AppMetaTable;
  users: UserTable;
  sessions: SessionTable;
  login_throttle: LoginThrottleTable;
  rate_limits: RateLimitTable;
  local_crs: LocalCrsTable;
  audit_events: AuditEventTable;
  audit_head: AuditHeadTable;
  reference_versions: ReferenceVersionTable;
  ref_parameters: RefParameterTable;
  ref_national_minimum: RefNationalMinimumTable;
  ref_district_grades: RefDistrictGradeTable;
  ref_benchmark_prices: RefBenchmarkPriceTable;
  ref_provincial_minimum: RefProvincialMinimumTable;
  enterprises: EnterpriseTable;
  projects: ProjectTable;
  allocations: AllocationTable;
  quotas: QuotaTable;
  quota_ledger: QuotaLedgerTable;
  plot_holds: PlotHoldTable;
  idempotency_keys: IdempotencyKeyTable;
  park_subsidy_totals: ParkSubsidyTotalsTable;
  subsidies: SubsidyTable;
  subsidy_ledger: SubsidyLedgerTable;
  park_operator_projects: ParkOperatorProjectTable;
  park_projects: ParkProjectTable;
  plot_versions: PlotVersionTable;
  plot_lineage: PlotLineageTable;
  imports: ImportTable;
  interests: InterestTable;
  investor_profiles: InvestorProfileTable;
  inspections: InspectionTable;
  inspection_visits: InspectionVisitTable;
  inspection_photos: InspectionPhotoTable;
  allocation_progress: AllocationProgressTable;
  government_delays: GovernmentDelayTable;
  supervision_decisions: SupervisionDecisionTable;
  supervision_stages: SupervisionStageTable;
  allocation_performance: AllocationPerformanceTable;
  mu_grade_thresholds: MuGradeThresholdsTable;
  hubs: HubTable;
  land_demands: LandDemandTable;
}

// --- Reference data (migration 002): versioned, rows immutable -------------------------------

export interface ReferenceVersionTable {
  id: Generated<number>;
  kind: 'parameters' | 'national_minimum' | 'district_grades' | 'benchmark_prices' | 'provincial_minimum';
  effective_from: ColumnType<Date | string, string, string>;
  note: string;
  source: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface RefParameterTable { version_id: number; key: string; value: string; verified: boolean; source: string }
export interface RefNationalMinimumTable { version_id: number; grade: number; yuan_per_m2: Numeric; verified: boolean; source: string }
/** 省规定的最低价 by grade (migration 008); shipped empty. */
export interface RefProvincialMinimumTable { version_id: number; grade: number; yuan_per_m2: Numeric; verified: boolean; source: string }
export interface RefDistrictGradeTable {
  version_id: number; district_code: string; grade: number; verified: boolean; assumption: boolean; note: string; source: string;
}
export interface RefBenchmarkPriceTable {
  version_id: number; district_code: string; land_level: number; yuan_per_m2: Numeric; sample: boolean; source: string;
}

// --- Accounts and audit (migration 003) -------------------------------------------------------

export interface UserTable {
  id: Generated<number>;
  /** ASCII, unique case-insensitively (index on lower(username)). */
  username: string;
  display_name: string;
  role: Role;
  /** Set iff role = district_officer (CHECK). */
  district_code: string | null;
  /** `scrypt$N$r$p$salt$hash` (server/modules/auth/password.ts); never leaves the server. */
  password_hash: string;
  must_change_password: Generated<boolean>;
  disabled_at: Date | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SessionTable {
  /** SHA-256 (hex) of the cookie token; the token itself is never stored. */
  id: string;
  user_id: number;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  revoked_at: Date | null;
  ip: string | null;
  user_agent: string | null;
}

/** A request rate limit's counter: one per route and client key (migration 024, server/kernel/rate-limit-store.ts). */
export interface RateLimitTable {
  /** `<METHOD> <route url>|<client key>`, e.g. `POST /api/quotes/price-floor|10.0.0.7`. */
  key: string;
  window_start: Timestamp;
  window_end: Timestamp;
  hits: number;
}

/** A local (city) coordinate system: four parameters from EPSG:4547 (migration 027). Confidential. */
export interface LocalCrsTable {
  id: Generated<number>;
  name: string;
  kind: 'four_parameter';
  de: number;
  dn: number;
  rotation_sec: number;
  scale_ppm: number;
  origin_e: ColumnType<number, number | undefined, number>;
  origin_n: ColumnType<number, number | undefined, number>;
  note: string | null;
  created_by: number | null;
  created_at: Timestamp;
}

export interface LoginThrottleTable {
  /** `ip:<address>`, `pair:<address>|<lower-case username>` or `user:<lower-case username>` (migration 012). */
  key: string;
  failures: number;
  last_failure_at: Timestamp;
}

export interface AuditEventTable {
  /** bigint: read it as `id::text` (pg gives strings, PGlite numbers). Assigned by the database. */
  id: ColumnType<string, never, never>;
  at: Timestamp;
  actor_user_id: number | null;
  actor_username: string | null;
  actor_role: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json<unknown> | null;
  after: Json<unknown> | null;
  request_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  singleton: boolean;
  last_id: ColumnType<string | null, never, string | number | null>;
  last_hash: string;
  /** Migration 012: events in the chain, the head's HMAC, the chain's scheme and key fingerprint. */
  event_count: ColumnType<string, string | number | undefined, string | number>;
  mac: string | null;
  scheme: 'sha256' | 'hmac-sha256';
  key_id: string | null;
}

// --- Allocations, quotas, holds (migration 004) ---------------------------------------------

/** `date` columns: 'YYYY-MM-DD' text on both drivers (server/kernel/db/connect.ts). */
export type DateText = ColumnType<string, string, string>;

export interface EnterpriseTable {
  id: Generated<number>;
  name: string;
  /** 统一社会信用代码, normalised (upper case); unique; check character verified by the database too. */
  uscc: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Demo sample record (migration 009). */
  sample: Generated<boolean>;
}

export interface ProjectTable {
  id: Generated<number>;
  name: string;
  enterprise_id: number;
  sector: ProjectSector;
  sub_sector: string | null;
  /** iab ⇔ sector ≠ 'other' (CHECK). */
  iab: boolean;
  planned_investment_yuan: Numeric | null;
  key_project: Generated<boolean>;
  created_by: number | null;
  created_at: Timestamp;
  /** Demo sample record (migration 009). */
  sample: Generated<boolean>;
}

export type { AllocationMode, AllocationStatus } from '../../../shared/contract/allocations.ts';
import type { AllocationMode, AllocationStatus } from '../../../shared/contract/allocations.ts';

export interface AllocationTable {
  id: Generated<number>;
  plot_id: number;
  project_id: number;
  quota_year: number;
  status: ColumnType<AllocationStatus, AllocationStatus | undefined, AllocationStatus>;
  mode: AllocationMode;
  term_years: number;
  lease_years: number | null;
  /** Supply price, or the annual rent of a long-term lease. */
  price_yuan: Numeric;
  annual_rent_yuan: Numeric | null;
  iab: boolean;
  area_m2: Numeric;
  proposed_floor: Json<unknown>;
  decision: Json<unknown> | null;
  contract_no: string | null;
  supervision_no: string | null;
  signed_on: DateText | null;
  agreed_handover_on: DateText | null;
  agreed_start_on: DateText | null;
  agreed_completion_on: DateText | null;
  handed_over_on: DateText | null;
  started_on: DateText | null;
  completed_on: DateText | null;
  cancel_reason: string | null;
  created_by: number | null;
  created_at: Timestamp;
  approved_by: number | null;
  approved_at: Date | string | null;
  contracted_at: Date | string | null;
  cancelled_by: number | null;
  cancelled_at: Date | string | null;
  updated_at: Timestamp;
  /** Demo sample record (migration 009). */
  sample: Generated<boolean>;
  /** The allocation that took the plot when this proposal was closed as superseded (migration 010). */
  superseded_by: number | null;
  /** On the approval green channel (五(三)12), decided at proposal time (migration 010). */
  green_channel: Generated<boolean>;
  /** 投产 and 达产, after completion, in that order (migration 015). */
  production_on: ColumnType<string | null, string | null | undefined, string | null>;
  full_production_on: ColumnType<string | null, string | null | undefined, string | null>;
  /** The plot's 标准地 conditions frozen at approval: the 监管协议 (migration 014). */
  agreement_conditions: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  agreement_frozen_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface QuotaTable {
  year: number;
  quota_m2: Numeric;
  iab_reserve_m2: Numeric;
  /** Cached sums of quota_ledger, maintained by its trigger only. */
  approved_m2: ColumnType<string, never, never>;
  iab_approved_m2: ColumnType<string, never, never>;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Demo sample quota year (migration 009). */
  sample: Generated<boolean>;
}

export interface QuotaLedgerTable {
  /** bigint: read as `id::text`. */
  id: ColumnType<string, never, never>;
  year: number;
  allocation_id: number;
  kind: 'charge' | 'reversal';
  /** Signed: + charge, − reversal. */
  area_m2: Numeric;
  iab: boolean;
  at: Timestamp;
  created_by: number | null;
  /**
   * On the charges `approval_charge` makes (migration 032): the year as it locked it — m² as jsonb
   * numbers under quota_m2, iab_reserve_m2, approved_m2, iab_approved_m2.
   */
  year_before: ColumnType<unknown, never, never>;
}

export interface PlotHoldTable {
  id: Generated<number>;
  plot_id: number;
  applicant_name: string;
  applicant_uscc: string;
  /** Last day of the hold (inclusive), Asia/Shanghai calendar. */
  held_until: DateText;
  note: Generated<string>;
  created_by: number | null;
  created_at: Timestamp;
  released_at: Date | string | null;
  released_by: number | null;
  release_reason: 'released' | 'expired' | 'allocated' | null;
}

export interface IdempotencyKeyTable {
  user_id: number;
  route: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json<unknown> | null;
  created_at: Timestamp;
}

// --- Park subsidies and the facilities ratio (migration 005) ------------------------------------

/** A park project's kind (migration 011; grants took their kind from their project since). */
export type { SubsidyProjectKind as SubsidyKind } from '../../../shared/policy/subsidy.ts';
import type { SubsidyProjectKind as SubsidyKind } from '../../../shared/policy/subsidy.ts';
export type { SubsidyStatus } from '../../../shared/contract/subsidies.ts';
import type { SubsidyStatus } from '../../../shared/contract/subsidies.ts';

export interface ParkSubsidyTotalsTable {
  park_id: number;
  /** Net granted (grants − withdrawals): maintained by subsidy_ledger's trigger only. */
  granted_yuan: ColumnType<string, never, never>;
  /** The cap the last grant was checked against (CHECK granted ≤ cap). */
  cap_yuan: Numeric;
  updated_at: Timestamp;
}

export interface SubsidyTable {
  id: Generated<number>;
  park_id: number;
  /** The park project the grant is for (migration 011; same park). */
  project_id: number;
  requested_yuan: Numeric;
  granted_yuan: Numeric;
  status: ColumnType<SubsidyStatus, SubsidyStatus | undefined, SubsidyStatus>;
  share_bp: number;
  investment_share_yuan: Numeric;
  cap_yuan: Numeric;
  park_granted_before_yuan: Numeric;
  /** Net granted to the project before this grant (migration 011). */
  project_granted_before_yuan: ColumnType<string, string | number | undefined, string | number>;
  limited_by: 'requested' | 'investment_share' | 'park_cap';
  reference_version_id: number;
  created_by: number | null;
  created_at: Timestamp;
  disbursed_on: DateText | null;
  disbursed_at: Date | string | null;
  disbursed_by: number | null;
  withdrawn_at: Date | string | null;
  withdrawn_by: number | null;
  withdraw_reason: string | null;
  updated_at: Timestamp;
}

export interface SubsidyLedgerTable {
  /** bigint: read as `id::text`. */
  id: ColumnType<string, never, never>;
  park_id: number;
  subsidy_id: number;
  kind: 'grant' | 'withdrawal';
  /** Signed: + grant, − withdrawal. */
  amount_yuan: Numeric;
  at: Timestamp;
  created_by: number | null;
}

export interface ParkOperatorProjectTable {
  id: Generated<number>;
  park_id: number;
  operator_name: string;
  project_name: string;
  by_park_operator: Generated<boolean>;
  total_floor_area_m2: Numeric;
  facilities_floor_area_m2: Numeric;
  /** facilities ÷ total, generated by the database (6 decimals). */
  ratio: ColumnType<string, never, never>;
  limit_bp: number;
  reference_version_id: number;
  created_by: number | null;
  created_at: Timestamp;
}

/** A park's public-platform, infrastructure or facilities project (migration 011), the unit of the 20 %. */
export interface ParkProjectTable {
  id: Generated<number>;
  park_id: number;
  name: string;
  kind: SubsidyKind;
  /** Fixed once recorded (a trigger refuses changes). */
  total_investment_yuan: Numeric;
  /** Net granted (grants − withdrawals): maintained by subsidy_ledger's trigger only. */
  granted_yuan: ColumnType<string, never, never>;
  /** The share last checked against (CHECK granted × 10000 ≤ investment × share_bp). */
  share_bp: number;
  created_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

// --- Plot versions, lineage, imports (migration 006) -------------------------------------------

export interface PlotVersionTable {
  plot_id: number;
  version: number;
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
  /** The surveyed area at the time. */
  area_m2: Numeric;
  /** The geometric area (CGCS2000 GK plane) at the time. */
  geometry_area_m2: Numeric | null;
  /** Snapshot of the plot's attributes (camelCase keys). */
  attributes: Json<Record<string, unknown>>;
  valid_from: Timestamp;
  valid_to: Date | string | null;
  changed_by: number | null;
  changed_by_username: string | null;
  operation: 'initial' | 'create' | 'edit' | 'import' | 'split' | 'merge';
  reason: Generated<string>;
  import_id: string | null;
}

export interface PlotLineageTable {
  parent_plot_id: number;
  child_plot_id: number;
  operation: 'split' | 'merge';
  at: Timestamp;
  created_by: number | null;
}

export interface ImportTable {
  id: string;
  status: 'previewed' | 'committed' | 'failed';
  filename: string;
  format: 'geojson' | 'shapefile' | 'kml' | 'csv';
  crs: string;
  crs_source: 'prj' | 'file' | 'user' | 'detected' | 'default';
  default_park_id: number | null;
  created_by: number | null;
  counts: Json<Record<string, number>>;
  /** JSON text (not jsonb): see migration 006. */
  preview: string;
  failure: string | null;
  created_at: Timestamp;
  committed_at: Date | string | null;
  expires_at: Date | string;
}

// --- Investors' interests (migration 007) --------------------------------------------------------

export interface InterestTable {
  id: Generated<number>;
  plot_id: number;
  company: string;
  /** 统一社会信用代码, normalised; check character verified by the database too. */
  uscc: string;
  contact_name: string;
  contact_email: string | null;
  contact_phone: string | null;
  message: Generated<string>;
  status: ColumnType<'new' | 'replied' | 'converted' | 'closed', 'new' | 'replied' | 'converted' | 'closed' | undefined, 'new' | 'replied' | 'converted' | 'closed'>;
  reply: string | null;
  replied_at: Date | string | null;
  replied_by: number | null;
  /** The investor account that sent it; null for an anonymous submission. */
  investor_user_id: number | null;
  /** HMAC-SHA-256 of the sender's address (hex); never the address. */
  ip_hash: string;
  hold_id: number | null;
  allocation_id: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface InvestorProfileTable {
  user_id: number;
  company: string | null;
  uscc: string | null;
  created_at: Timestamp;
}

export type * from './schema-supervision.ts';
export type * from './schema-demands.ts';
