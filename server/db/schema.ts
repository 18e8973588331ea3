/**
 * Kysely table types (STYLE.md §3). Column names are snake_case in SQL; the API maps rows to
 * camelCase. `numeric` columns come back as strings from both pg and PGlite; `bigint` too is
 * normalised in SQL (`::int` / `::text`) where read.
 */
import type { ColumnType, Generated } from 'kysely';
import type { BoundarySource, LandUse, ParkTier, PlotStatus, Sector } from '../../shared/domain.ts';

type Numeric = ColumnType<string, string | number, string | number>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
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
  serviced: boolean;
  geometry: Json<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
  bbox: ColumnType<string, string, string>;
  sample: boolean;
  /** Bumped from a sequence on every insert/update: tiles use it for ETags. */
  row_version: Generated<string>;
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
}
