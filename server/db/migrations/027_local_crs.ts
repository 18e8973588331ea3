/**
 * Local (city) coordinate systems (issue #18 §2): a name and a planar four-parameter
 * transformation from EPSG:4547 (shared/geometry/local-crs.ts), entered by an administrator.
 * Many cities keep their local system's parameters secret: they are read by the bureau only
 * (admin, land and industry officers; server/modules/reference/local-crs.ts), never by the
 * public, and the audit trail records a fingerprint of them rather than the figures.
 *
 * Imports read in such a system record it as `LOCAL:<id>` in `imports.crs`.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE local_crs (
       id serial PRIMARY KEY,
       name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
       kind text NOT NULL CHECK (kind = 'four_parameter'),
       de double precision NOT NULL,
       dn double precision NOT NULL,
       rotation_sec double precision NOT NULL CHECK (abs(rotation_sec) <= 3600),
       scale_ppm double precision NOT NULL CHECK (abs(scale_ppm) <= 10000),
       origin_e double precision NOT NULL DEFAULT 0,
       origin_n double precision NOT NULL DEFAULT 0,
       note text CHECK (length(note) <= 2000),
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    'CREATE UNIQUE INDEX local_crs_name_key ON local_crs (lower(btrim(name)))',
    'ALTER TABLE imports DROP CONSTRAINT imports_crs_check',
    `ALTER TABLE imports ADD CONSTRAINT imports_crs_check CHECK (crs IN ('EPSG:4326', 'EPSG:4490', 'EPSG:4547', 'EPSG:4526') OR crs ~ '^LOCAL:[0-9]{1,10}$')`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `DELETE FROM imports WHERE crs LIKE 'LOCAL:%'`,
    'ALTER TABLE imports DROP CONSTRAINT imports_crs_check',
    `ALTER TABLE imports ADD CONSTRAINT imports_crs_check CHECK (crs IN ('EPSG:4326', 'EPSG:4490', 'EPSG:4547', 'EPSG:4526'))`,
    'DROP TABLE local_crs',
  ]);
}
