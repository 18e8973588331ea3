/**
 * Allocating plots to projects under the annual quota and the price floor (五(三)11, 五(三)14).
 *
 * - `enterprises` (土地使用权人): one row per 统一社会信用代码; the database checks the format
 *   and the GB 32100-2015 check character itself (`uscc_is_valid`), not only the server.
 * - `projects`: name, enterprise, sector (IAB `ngit`/`ai`/`biomed` with a sub-sector, or
 *   `other`), planned investment, the "key IAB project" flag. iab ⇔ sector ≠ other (CHECK).
 * - `allocations`: proposed → approved → contracted → completed, or cancelled before completion.
 *   Per-mode term CHECKs; the approved decision record (jsonb) is required once approved; the
 *   contract fields once contracted. **`allocations_one_active_per_plot`**, a partial unique
 *   index, is the last line of defence for "one active allocation per plot".
 * - `quotas`: one row per year, set by the bureau (PUT /api/quotas/:year). CHECKs: quota ≥ 5000 亩
 *   exactly (3 × quota_m2 ≥ 10,000,000; replaced by quota > 0 in migration 013, the minimum being
 *   a versioned parameter), 0 ≤ reserve ≤ quota, approved ≤ quota, and non-IAB
 *   approved ≤ quota − IAB reserve — so the invariants of 五(三)11 hold in the database whatever
 *   the code does. A year without a row cannot be charged (the server answers 409 asking for
 *   the quota to be set): the quota is an annual decision, never invented by the system.
 * - `quota_ledger`: the charges (+area) and reversals (−area) — append-only (a trigger refuses
 *   UPDATE and DELETE); a reversal must mirror its allocation's charge; one of each per
 *   allocation (UNIQUE). The cached totals on `quotas` are maintained by the ledger's own
 *   trigger, in the same statement, and a trigger on `quotas` refuses any other change to them:
 *   the totals are the ledger's sums by construction.
 * - `plot_holds`: a plot held for an applicant (name, USCC) until a date (inclusive, the
 *   bureau's calendar: Asia/Shanghai); at most one unreleased hold per plot (partial unique
 *   index). An expired hold is released lazily by the next write that reads the plot, and by a
 *   periodic sweep.
 * - `idempotency_keys`: (user, route, key) → the first successful response, written in the
 *   transaction of the effect (`Idempotency-Key` on create and approve).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

/**
 * The statuses that hold the plot and count against the quota, as this migration knew them.
 * Runtime code takes them from shared/domain.ts (ACTIVE_ALLOCATION_STATUSES); this copy stays
 * only so an importer not yet moved still compiles (lint rule layout/runtime-not-leaves names it).
 */
export const ACTIVE_ALLOCATION_STATUSES = ['approved', 'contracted', 'completed'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    // GB 32100-2015 (DOMAIN.md): 18 characters of the code charset, the 18th a check character.
    `CREATE FUNCTION uscc_is_valid(code text) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $$
     DECLARE
       charset constant text := '0123456789ABCDEFGHJKLMNPQRTUWXY';
       weights constant integer[] := ARRAY[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
       total integer := 0;
     BEGIN
       IF code IS NULL OR code !~ '^[0-9A-HJ-NP-RTUW-Y]{18}$' THEN
         RETURN false;
       END IF;
       FOR i IN 1..17 LOOP
         total := total + (strpos(charset, substr(code, i, 1)) - 1) * weights[i];
       END LOOP;
       RETURN substr(charset, ((31 - total % 31) % 31) + 1, 1) = substr(code, 18, 1);
     END $$`,
    `CREATE TABLE enterprises (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
       uscc text NOT NULL CONSTRAINT enterprises_uscc_valid CHECK (uscc_is_valid(uscc)),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT enterprises_uscc_key UNIQUE (uscc)
     )`,
    `CREATE TABLE projects (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
       enterprise_id integer NOT NULL REFERENCES enterprises (id),
       sector text NOT NULL CHECK (sector IN ('ngit', 'ai', 'biomed', 'other')),
       sub_sector text CHECK (sub_sector IS NULL OR length(btrim(sub_sector)) BETWEEN 1 AND 100),
       iab boolean NOT NULL,
       planned_investment_yuan numeric(16, 2) CHECK (planned_investment_yuan >= 0),
       key_project boolean NOT NULL DEFAULT false,
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT projects_iab_matches_sector CHECK (iab = (sector <> 'other')),
       CONSTRAINT projects_key_project_is_iab CHECK (NOT key_project OR iab)
     )`,
    `CREATE INDEX projects_enterprise_idx ON projects (enterprise_id)`,
    `CREATE TABLE quotas (
       year integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
       quota_m2 numeric(14, 2) NOT NULL,
       iab_reserve_m2 numeric(14, 2) NOT NULL DEFAULT 0,
       approved_m2 numeric(14, 2) NOT NULL DEFAULT 0,
       iab_approved_m2 numeric(14, 2) NOT NULL DEFAULT 0,
       updated_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       -- 五(三)11: not less than 5000 亩 = 10,000,000/3 m², compared exactly.
       CONSTRAINT quotas_at_least_5000_mu CHECK (quota_m2 * 3 >= 10000000),
       CONSTRAINT quotas_reserve_within_quota CHECK (iab_reserve_m2 >= 0 AND iab_reserve_m2 <= quota_m2),
       CONSTRAINT quotas_approved_non_negative CHECK (approved_m2 >= 0 AND iab_approved_m2 >= 0 AND iab_approved_m2 <= approved_m2),
       CONSTRAINT quotas_approved_within_quota CHECK (approved_m2 <= quota_m2),
       CONSTRAINT quotas_non_iab_within_unreserved CHECK (approved_m2 - iab_approved_m2 <= quota_m2 - iab_reserve_m2)
     )`,
    `CREATE TABLE allocations (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       plot_id integer NOT NULL REFERENCES plots (id),
       project_id integer NOT NULL REFERENCES projects (id),
       quota_year integer NOT NULL CHECK (quota_year BETWEEN 2000 AND 2100),
       status text NOT NULL DEFAULT 'proposed'
         CHECK (status IN ('proposed', 'approved', 'contracted', 'completed', 'cancelled')),
       mode text NOT NULL CHECK (mode IN ('transfer', 'flexible_term', 'lease_then_transfer', 'long_term_lease')),
       -- transfer / flexible_term: the term; lease_then_transfer: the transfer part (after
       -- lease_years of lease); long_term_lease: the lease years.
       term_years integer NOT NULL CHECK (term_years BETWEEN 1 AND 50),
       lease_years integer,
       -- The supply price (transfer modes) or, for long_term_lease, the annual rent.
       price_yuan numeric(16, 2) NOT NULL CHECK (price_yuan > 0),
       -- lease_then_transfer: the annual rent during the lease.
       annual_rent_yuan numeric(16, 2) CHECK (annual_rent_yuan > 0),
       iab boolean NOT NULL,
       -- The plot's surveyed area when proposed; re-taken at approval (what the quota is charged).
       area_m2 numeric(14, 2) NOT NULL CHECK (area_m2 > 0),
       proposed_floor jsonb NOT NULL,
       decision jsonb,
       contract_no text CHECK (contract_no IS NULL OR length(contract_no) BETWEEN 1 AND 64),
       supervision_no text CHECK (supervision_no IS NULL OR supervision_no ~ '^[0-9A-Za-z-]{6,40}$'),
       signed_on date,
       agreed_handover_on date,
       agreed_start_on date,
       agreed_completion_on date,
       handed_over_on date,
       started_on date,
       completed_on date,
       cancel_reason text,
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       approved_by integer REFERENCES users (id),
       approved_at timestamptz,
       contracted_at timestamptz,
       cancelled_by integer REFERENCES users (id),
       cancelled_at timestamptz,
       updated_at timestamptz NOT NULL DEFAULT now(),
       -- Terms by mode (五(三)14). The statutory 50 years is law; the configurable 5–20 years of a
       -- long-term lease is checked by shared/ with the reference data in force, the database
       -- keeps the statutory envelope.
       CONSTRAINT allocations_transfer_term CHECK (mode <> 'transfer' OR (term_years = 50 AND lease_years IS NULL AND annual_rent_yuan IS NULL)),
       CONSTRAINT allocations_flexible_term CHECK (mode <> 'flexible_term' OR (term_years < 50 AND lease_years IS NULL AND annual_rent_yuan IS NULL)),
       CONSTRAINT allocations_lease_then_transfer_term CHECK (mode <> 'lease_then_transfer'
         OR (lease_years >= 1 AND lease_years + term_years <= 50 AND annual_rent_yuan IS NOT NULL)),
       CONSTRAINT allocations_long_term_lease_term CHECK (mode <> 'long_term_lease' OR (lease_years IS NULL AND annual_rent_yuan IS NULL)),
       -- The lifecycle leaves its traces.
       CONSTRAINT allocations_decision_when_approved CHECK (status NOT IN ('approved', 'contracted', 'completed')
         OR (decision IS NOT NULL AND approved_at IS NOT NULL)),
       CONSTRAINT allocations_contract_when_contracted CHECK (status NOT IN ('contracted', 'completed')
         OR (contract_no IS NOT NULL AND supervision_no IS NOT NULL AND signed_on IS NOT NULL AND agreed_handover_on IS NOT NULL
             AND agreed_start_on IS NOT NULL AND agreed_completion_on IS NOT NULL AND contracted_at IS NOT NULL)),
       CONSTRAINT allocations_agreed_dates_order CHECK (signed_on IS NULL
         OR (signed_on <= agreed_handover_on AND agreed_handover_on <= agreed_start_on AND agreed_start_on <= agreed_completion_on)),
       CONSTRAINT allocations_milestones_order CHECK ((started_on IS NULL OR (handed_over_on IS NOT NULL AND started_on >= handed_over_on))
         AND (completed_on IS NULL OR (started_on IS NOT NULL AND completed_on >= started_on))),
       CONSTRAINT allocations_completed_when_done CHECK ((status = 'completed') = (completed_on IS NOT NULL)),
       CONSTRAINT allocations_cancelled_when_cancelled CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
     )`,
    // One active allocation per plot, whatever the code does (the last line of defence).
    `CREATE UNIQUE INDEX allocations_one_active_per_plot ON allocations (plot_id) WHERE status IN ('approved', 'contracted', 'completed')`,
    `CREATE UNIQUE INDEX allocations_contract_no_key ON allocations (contract_no) WHERE contract_no IS NOT NULL`,
    `CREATE UNIQUE INDEX allocations_supervision_no_key ON allocations (supervision_no) WHERE supervision_no IS NOT NULL`,
    `CREATE INDEX allocations_plot_idx ON allocations (plot_id, status)`,
    `CREATE INDEX allocations_year_status_idx ON allocations (quota_year, status)`,
    `CREATE INDEX allocations_project_idx ON allocations (project_id)`,
    `CREATE TABLE quota_ledger (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       year integer NOT NULL REFERENCES quotas (year),
       allocation_id integer NOT NULL REFERENCES allocations (id),
       kind text NOT NULL CHECK (kind IN ('charge', 'reversal')),
       area_m2 numeric(14, 2) NOT NULL,
       iab boolean NOT NULL,
       at timestamptz NOT NULL DEFAULT now(),
       created_by integer REFERENCES users (id),
       CONSTRAINT quota_ledger_sign CHECK ((kind = 'charge' AND area_m2 > 0) OR (kind = 'reversal' AND area_m2 < 0)),
       CONSTRAINT quota_ledger_once_per_kind UNIQUE (allocation_id, kind)
     )`,
    `CREATE INDEX quota_ledger_year_idx ON quota_ledger (year, id)`,
    // The cached totals move with the ledger, in the same statement; a reversal must mirror its charge.
    `CREATE FUNCTION quota_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.kind = 'reversal' AND NOT EXISTS (
         SELECT 1 FROM quota_ledger c
          WHERE c.allocation_id = NEW.allocation_id AND c.kind = 'charge'
            AND c.year = NEW.year AND c.iab = NEW.iab AND c.area_m2 = -NEW.area_m2
       ) THEN
         RAISE EXCEPTION 'a quota reversal must mirror its allocation''s charge (allocation %)', NEW.allocation_id
           USING ERRCODE = 'check_violation', CONSTRAINT = 'quota_ledger_reversal_mirrors_charge';
       END IF;
       UPDATE quotas
          SET approved_m2 = approved_m2 + NEW.area_m2,
              iab_approved_m2 = iab_approved_m2 + CASE WHEN NEW.iab THEN NEW.area_m2 ELSE 0 END
        WHERE year = NEW.year;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER quota_ledger_apply AFTER INSERT ON quota_ledger FOR EACH ROW EXECUTE FUNCTION quota_ledger_apply()`,
    `CREATE FUNCTION quota_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'quota_ledger is append-only: % refused; record a reversing entry instead', TG_OP
         USING ERRCODE = 'restrict_violation';
     END $$`,
    `CREATE TRIGGER quota_ledger_append_only BEFORE UPDATE OR DELETE ON quota_ledger FOR EACH ROW EXECUTE FUNCTION quota_ledger_refuse_change()`,
    `CREATE TRIGGER quota_ledger_no_truncate BEFORE TRUNCATE ON quota_ledger FOR EACH STATEMENT EXECUTE FUNCTION quota_ledger_refuse_change()`,
    // approved_m2 / iab_approved_m2 start at 0 and change only from the ledger trigger (depth 2).
    `CREATE FUNCTION quotas_totals_from_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'INSERT' THEN
         IF NEW.approved_m2 <> 0 OR NEW.iab_approved_m2 <> 0 THEN
           RAISE EXCEPTION 'a new quota year starts with nothing approved; approvals are charged through quota_ledger'
             USING ERRCODE = 'restrict_violation';
         END IF;
       ELSIF (NEW.approved_m2 IS DISTINCT FROM OLD.approved_m2 OR NEW.iab_approved_m2 IS DISTINCT FROM OLD.iab_approved_m2)
             AND pg_trigger_depth() < 2 THEN
         RAISE EXCEPTION 'quotas.approved_m2 and iab_approved_m2 are the sums of quota_ledger and change only through it'
           USING ERRCODE = 'restrict_violation';
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER quotas_totals_from_ledger BEFORE INSERT OR UPDATE ON quotas FOR EACH ROW EXECUTE FUNCTION quotas_totals_from_ledger()`,
    `CREATE TABLE plot_holds (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       plot_id integer NOT NULL REFERENCES plots (id),
       applicant_name text NOT NULL CHECK (length(btrim(applicant_name)) BETWEEN 1 AND 200),
       applicant_uscc text NOT NULL CONSTRAINT plot_holds_uscc_valid CHECK (uscc_is_valid(applicant_uscc)),
       held_until date NOT NULL,
       note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       released_at timestamptz,
       released_by integer REFERENCES users (id),
       release_reason text CHECK (release_reason IN ('released', 'expired', 'allocated')),
       CONSTRAINT plot_holds_release_recorded CHECK ((released_at IS NULL) = (release_reason IS NULL))
     )`,
    `CREATE UNIQUE INDEX plot_holds_one_active_per_plot ON plot_holds (plot_id) WHERE released_at IS NULL`,
    `CREATE INDEX plot_holds_until_idx ON plot_holds (held_until) WHERE released_at IS NULL`,
    `CREATE TABLE idempotency_keys (
       user_id integer NOT NULL REFERENCES users (id),
       route text NOT NULL,
       key text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
       request_hash text NOT NULL CHECK (request_hash ~ '^[0-9a-f]{64}$'),
       status_code integer,
       response jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (user_id, route, key)
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP TABLE idempotency_keys',
    'DROP TABLE plot_holds',
    'DROP TABLE quota_ledger',
    'DROP FUNCTION quota_ledger_refuse_change',
    'DROP FUNCTION quota_ledger_apply',
    'DROP TABLE allocations',
    'DROP TABLE quotas',
    'DROP FUNCTION quotas_totals_from_ledger',
    'DROP TABLE projects',
    'DROP TABLE enterprises',
    'DROP FUNCTION uscc_is_valid',
  ]);
}
