/**
 * Plot data management: geometry history, lineage, imports.
 *
 * - `plot_versions`: one row per state of a plot's geometry and attributes, numbered from 1 per
 *   plot, with its validity interval [valid_from, valid_to) — the current version has
 *   valid_to NULL (at most one per plot: partial unique index). Written by every geometry or
 *   attribute change (server/modules/plots/service.ts) and by imports. Plots that existed before
 *   this migration get version 1 here (operation 'initial'); plots inserted later by other
 *   means (the demo seed) get it lazily, on their first change or when their history is read.
 * - `plot_lineage`: parent → child for splits and merges. Parents stay in `plots` (status
 *   `withdrawn`) so their history remains readable.
 * - `imports`: an uploaded file's preview (features in WGS84 with per-feature errors, as JSON
 *   text), kept until it is committed (all or nothing) or expires.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export const PLOT_VERSION_OPERATIONS = ['initial', 'create', 'edit', 'import', 'split', 'merge'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE imports (
       id uuid PRIMARY KEY,
       status text NOT NULL CHECK (status IN ('previewed', 'committed', 'failed')),
       filename text NOT NULL CHECK (length(filename) <= 255),
       format text NOT NULL CHECK (format IN ('geojson', 'shapefile', 'kml', 'csv')),
       crs text NOT NULL CHECK (crs IN ('EPSG:4326', 'EPSG:4490', 'EPSG:4547', 'EPSG:4526')),
       crs_source text NOT NULL CHECK (crs_source IN ('prj', 'file', 'user', 'detected', 'default')),
       default_park_id integer REFERENCES parks (id),
       created_by integer REFERENCES users (id),
       counts jsonb NOT NULL,
       -- JSON text, not jsonb: written and read whole, never queried inside (and ~4× cheaper to store on PGlite).
       preview text NOT NULL,
       failure text,
       created_at timestamptz NOT NULL DEFAULT now(),
       committed_at timestamptz,
       expires_at timestamptz NOT NULL,
       CONSTRAINT imports_committed_at CHECK ((status = 'committed') = (committed_at IS NOT NULL))
     )`,
    `CREATE INDEX imports_created_by_idx ON imports (created_by, created_at DESC)`,
    `CREATE INDEX imports_expires_idx ON imports (expires_at) WHERE status = 'previewed'`,
    `CREATE TABLE plot_versions (
       plot_id integer NOT NULL REFERENCES plots (id) ON DELETE CASCADE,
       version integer NOT NULL CHECK (version >= 1),
       geometry jsonb NOT NULL CHECK (geometry->>'type' IN ('Polygon', 'MultiPolygon')),
       area_m2 numeric(14, 2) NOT NULL CHECK (area_m2 > 0),
       geometry_area_m2 numeric(14, 2) CHECK (geometry_area_m2 >= 0),
       attributes jsonb NOT NULL,
       valid_from timestamptz NOT NULL DEFAULT now(),
       valid_to timestamptz,
       changed_by integer REFERENCES users (id),
       changed_by_username text,
       operation text NOT NULL CHECK (operation IN ('initial', 'create', 'edit', 'import', 'split', 'merge')),
       reason text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
       import_id uuid REFERENCES imports (id),
       PRIMARY KEY (plot_id, version),
       CONSTRAINT plot_versions_interval CHECK (valid_to IS NULL OR valid_to >= valid_from)
     )`,
    `CREATE UNIQUE INDEX plot_versions_current_idx ON plot_versions (plot_id) WHERE valid_to IS NULL`,
    `CREATE TABLE plot_lineage (
       parent_plot_id integer NOT NULL REFERENCES plots (id) ON DELETE CASCADE,
       child_plot_id integer NOT NULL REFERENCES plots (id) ON DELETE CASCADE,
       operation text NOT NULL CHECK (operation IN ('split', 'merge')),
       at timestamptz NOT NULL DEFAULT now(),
       created_by integer REFERENCES users (id),
       PRIMARY KEY (parent_plot_id, child_plot_id),
       CONSTRAINT plot_lineage_not_self CHECK (parent_plot_id <> child_plot_id)
     )`,
    `CREATE INDEX plot_lineage_child_idx ON plot_lineage (child_plot_id)`,
    // Version 1 of every plot that exists now, as it is now.
    `INSERT INTO plot_versions (plot_id, version, geometry, area_m2, attributes, valid_from, operation, changed_by_username)
     SELECT id, 1, geometry, area_m2,
            jsonb_build_object('code', code, 'parkId', park_id, 'status', status, 'landUse', land_use, 'landLevel', land_level,
                               'location', location, 'serviced', serviced, 'sample', sample),
            created_at, 'initial', 'system:migration-006'
       FROM plots`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP TABLE plot_lineage', 'DROP TABLE plot_versions', 'DROP TABLE imports']);
}
