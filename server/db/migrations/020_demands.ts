/**
 * Project land demand (随用随供, 五(三)11; issue #16 §4; shared/contract/demands.ts).
 *
 * `land_demands`: a project's land need as the bureau records it — directly, or from an
 * investor's interest (at most one demand per interest: partial unique index) — with its siting
 * requirements (jsonb, the contract's `DemandRequirements`; the sector and the area range are
 * copied into columns so the database can hold them to their rules), the date it is needed by,
 * and what the bureau did for it: the hold and/or the proposed allocation, and their plot.
 *
 * - `status` is what the bureau did: `open`, `matched` (a plot held or an allocation proposed for
 *   it) or `closed` (withdrawn, with a reason: CHECK). `satisfied` is never stored: it is read
 *   from the linked allocation's status (approved, contracted, completed), so it cannot drift.
 * - `key_project` (IAB重点项目, 四(二)6) only on an IAB sector (CHECK).
 * - `district_codes`: the districts it concerns — those its requirements ask for, plus the
 *   matched plot's — kept by the service, GIN-indexed for a district officer's `@>` filter.
 * - `sample`: the demo's sample demands (seeds/sample-demands.ts).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE land_demands (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       project_name text NOT NULL CHECK (length(btrim(project_name)) BETWEEN 1 AND 200),
       enterprise_name text NOT NULL CHECK (length(btrim(enterprise_name)) BETWEEN 1 AND 200),
       enterprise_uscc text CONSTRAINT land_demands_uscc_valid CHECK (enterprise_uscc IS NULL OR uscc_is_valid(enterprise_uscc)),
       sector text NOT NULL CHECK (sector IN ('ngit', 'ai', 'biomed', 'other')),
       key_project boolean NOT NULL DEFAULT false,
       needed_by date NOT NULL,
       requirements jsonb NOT NULL CHECK (jsonb_typeof(requirements) = 'object'),
       area_mu_min numeric(14, 4) NOT NULL CHECK (area_mu_min >= 0),
       area_mu_max numeric(14, 4) NOT NULL CHECK (area_mu_max >= 0),
       note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
       source text NOT NULL CHECK (source IN ('direct', 'interest')),
       interest_id integer REFERENCES interests (id),
       status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matched', 'closed')),
       close_reason text CHECK (close_reason IS NULL OR length(btrim(close_reason)) BETWEEN 1 AND 1000),
       district_codes text[] NOT NULL DEFAULT '{}',
       hold_id integer REFERENCES plot_holds (id),
       allocation_id integer REFERENCES allocations (id),
       plot_id integer REFERENCES plots (id),
       sample boolean NOT NULL DEFAULT false,
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT land_demands_area_range CHECK (area_mu_min <= area_mu_max),
       CONSTRAINT land_demands_key_project_iab CHECK (NOT key_project OR sector <> 'other'),
       CONSTRAINT land_demands_source_interest CHECK ((source = 'interest') = (interest_id IS NOT NULL)),
       CONSTRAINT land_demands_closed_has_reason CHECK (status <> 'closed' OR close_reason IS NOT NULL),
       CONSTRAINT land_demands_matched_has_link CHECK (status <> 'matched' OR hold_id IS NOT NULL OR allocation_id IS NOT NULL),
       CONSTRAINT land_demands_link_has_plot CHECK ((hold_id IS NULL AND allocation_id IS NULL) OR plot_id IS NOT NULL)
     )`,
    `CREATE UNIQUE INDEX land_demands_one_per_interest ON land_demands (interest_id) WHERE interest_id IS NOT NULL`,
    `CREATE INDEX land_demands_district_codes_gin ON land_demands USING gin (district_codes)`,
    `CREATE INDEX land_demands_status_idx ON land_demands (status, id)`,
    `CREATE INDEX land_demands_sector_idx ON land_demands (sector, id)`,
    `CREATE INDEX land_demands_hold_idx ON land_demands (hold_id) WHERE hold_id IS NOT NULL`,
    `CREATE INDEX land_demands_allocation_idx ON land_demands (allocation_id) WHERE allocation_id IS NOT NULL`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP TABLE land_demands']);
}
