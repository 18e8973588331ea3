/**
 * Field inspections of red-line items (issue #15 §3; POLICY.md "After the sale: supervision").
 *
 * - `inspections`: a task on an allocation, assigned to a district officer (that the assignee is
 *   an active district officer of the plot's district is checked by the service, which knows the
 *   plot; the foreign key keeps the user real), with why it was sent and when it is due. It is
 *   `open` until closed with a conclusion: a CHECK holds the conclusion, the day and the closer
 *   together with the status. At most one open inspection per allocation (partial unique index).
 * - `inspection_visits`: what was found on the spot, on which day, recorded by whom.
 * - `inspection_photos`: the visit's photos, JPEG or PNG of at most 10 MB, stored after stripping
 *   (server/modules/inspections/photo.ts keeps only the EXIF GPS position, copied into lon/lat);
 *   the CHECKs hold the size equal to the stored bytes and the SHA-256 well-formed.
 *
 * Everything written by the demo seed is marked `sample`.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE inspections (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       allocation_id integer NOT NULL REFERENCES allocations (id),
       reason text NOT NULL CHECK (length(btrim(reason)) BETWEEN 1 AND 1000),
       assignee_id integer NOT NULL REFERENCES users (id),
       due_on date,
       status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       conclusion text CHECK (conclusion IS NULL OR length(btrim(conclusion)) BETWEEN 1 AND 5000),
       closed_on date,
       closed_by integer REFERENCES users (id),
       closed_at timestamptz,
       sample boolean NOT NULL DEFAULT false,
       CONSTRAINT inspections_closed_has_conclusion CHECK (
         (status = 'open' AND conclusion IS NULL AND closed_on IS NULL AND closed_by IS NULL AND closed_at IS NULL)
         OR (status = 'closed' AND conclusion IS NOT NULL AND closed_on IS NOT NULL AND closed_at IS NOT NULL))
     )`,
    `CREATE UNIQUE INDEX inspections_one_open_per_allocation ON inspections (allocation_id) WHERE status = 'open'`,
    `CREATE INDEX inspections_allocation_idx ON inspections (allocation_id, id)`,
    `CREATE INDEX inspections_assignee_idx ON inspections (assignee_id, status)`,
    `CREATE TABLE inspection_visits (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       inspection_id integer NOT NULL REFERENCES inspections (id),
       visited_on date NOT NULL,
       findings text NOT NULL CHECK (length(btrim(findings)) BETWEEN 1 AND 5000),
       recorded_by integer REFERENCES users (id),
       recorded_at timestamptz NOT NULL DEFAULT now(),
       sample boolean NOT NULL DEFAULT false
     )`,
    `CREATE INDEX inspection_visits_inspection_idx ON inspection_visits (inspection_id, id)`,
    `CREATE TABLE inspection_photos (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       visit_id integer NOT NULL REFERENCES inspection_visits (id),
       content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
       bytes integer NOT NULL,
       data bytea NOT NULL,
       lon numeric(10, 7) CHECK (lon BETWEEN -180 AND 180),
       lat numeric(9, 7) CHECK (lat BETWEEN -90 AND 90),
       sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
       uploaded_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       sample boolean NOT NULL DEFAULT false,
       CONSTRAINT inspection_photos_size CHECK (bytes BETWEEN 1 AND 10485760 AND bytes = octet_length(data)),
       CONSTRAINT inspection_photos_location_whole CHECK ((lon IS NULL) = (lat IS NULL))
     )`,
    `CREATE INDEX inspection_photos_visit_idx ON inspection_photos (visit_id, id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP TABLE inspection_photos', 'DROP TABLE inspection_visits', 'DROP TABLE inspections']);
}
