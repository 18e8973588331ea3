/**
 * Core map data: districts, parks, plots. Geometry is GeoJSON in jsonb with a native `box`
 * bounding box under a GiST index (no PostGIS: PGlite has none).
 * Integrity lives here too: CHECKs on every enumerated value and every figure.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE districts (
       code text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
       name_zh text NOT NULL CHECK (length(name_zh) > 0),
       name_en text NOT NULL CHECK (length(name_en) > 0),
       geometry jsonb NOT NULL CHECK (geometry->>'type' IN ('Polygon', 'MultiPolygon')),
       bbox box NOT NULL
     )`,
    `CREATE TABLE parks (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       code text NOT NULL,
       name_zh text NOT NULL CHECK (length(name_zh) > 0),
       name_en text NOT NULL CHECK (length(name_en) > 0),
       district_code text NOT NULL REFERENCES districts (code),
       tier text NOT NULL CHECK (tier IN ('core', 'equal_policy', 'recognized')),
       sectors text[] NOT NULL CHECK (cardinality(sectors) >= 1 AND sectors <@ ARRAY['ngit', 'ai', 'biomed']::text[]),
       recognized_year integer NOT NULL CHECK (recognized_year BETWEEN 2018 AND 2100),
       boundary_source text NOT NULL CHECK (boundary_source IN ('indicative', 'surveyed')),
       area_m2 numeric(14, 2) NOT NULL CHECK (area_m2 > 0),
       geometry jsonb NOT NULL CHECK (geometry->>'type' IN ('Polygon', 'MultiPolygon')),
       bbox box NOT NULL,
       sample boolean NOT NULL DEFAULT false,
       notes jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT parks_code_key UNIQUE (code)
     )`,
    `CREATE INDEX parks_bbox_idx ON parks USING gist (bbox)`,
    `CREATE INDEX parks_district_idx ON parks (district_code)`,
    `CREATE SEQUENCE plot_row_version_seq`,
    `CREATE TABLE plots (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       code text NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
       park_id integer NOT NULL REFERENCES parks (id),
       status text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'held', 'allocated', 'withdrawn')),
       land_use text NOT NULL CHECK (land_use IN ('M0', 'M1', 'M2', 'M3')),
       area_m2 numeric(14, 2) NOT NULL CHECK (area_m2 > 0),
       land_level integer NOT NULL CHECK (land_level BETWEEN 1 AND 10),
       location text NOT NULL DEFAULT '',
       plot_ratio_min numeric(5, 2) CHECK (plot_ratio_min > 0),
       plot_ratio_max numeric(5, 2) CHECK (plot_ratio_max > 0),
       building_density_max_pct numeric(5, 2) CHECK (building_density_max_pct BETWEEN 0 AND 100),
       green_ratio_min_pct numeric(5, 2) CHECK (green_ratio_min_pct BETWEEN 0 AND 100),
       height_limit_m numeric(7, 2) CHECK (height_limit_m > 0),
       investment_intensity_yuan_per_m2 numeric(14, 2) CHECK (investment_intensity_yuan_per_m2 >= 0),
       cost_yuan numeric(16, 2) CHECK (cost_yuan >= 0),
       serviced boolean NOT NULL DEFAULT false,
       geometry jsonb NOT NULL CHECK (geometry->>'type' IN ('Polygon', 'MultiPolygon')),
       bbox box NOT NULL,
       sample boolean NOT NULL DEFAULT false,
       row_version bigint NOT NULL DEFAULT nextval('plot_row_version_seq'),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT plots_code_key UNIQUE (code),
       CONSTRAINT plots_plot_ratio_range CHECK (plot_ratio_min IS NULL OR plot_ratio_max IS NULL OR plot_ratio_min <= plot_ratio_max)
     )`,
    `CREATE INDEX plots_bbox_idx ON plots USING gist (bbox)`,
    `CREATE INDEX plots_park_idx ON plots (park_id, status)`,
    `CREATE INDEX plots_status_idx ON plots (status)`,
    // Every change to a plot takes a fresh row_version, so a tile's ETag (max row_version and
    // count in the tile) changes whenever anything drawn in it changes.
    `CREATE FUNCTION plots_touch() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       NEW.row_version := nextval('plot_row_version_seq');
       NEW.updated_at := now();
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER plots_touch BEFORE UPDATE ON plots FOR EACH ROW EXECUTE FUNCTION plots_touch()`,
    `CREATE TABLE app_meta (
       key text PRIMARY KEY,
       value jsonb NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP TABLE app_meta',
    'DROP TABLE plots',
    'DROP FUNCTION plots_touch',
    'DROP SEQUENCE plot_row_version_seq',
    'DROP TABLE parks',
    'DROP TABLE districts',
  ]);
}
