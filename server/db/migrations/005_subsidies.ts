/**
 * Park infrastructure subsidies and the supporting-facilities ratio (五(三)13).
 *
 * - `subsidies`: one row per grant decision — the park, the project (name, kind, total
 *   investment), what was requested and what was granted, and the decision itself: the share of
 *   investment in force (bp), ⌊share × investment⌋, the cap in force, the park's total before,
 *   which limit bound (`limited_by`) and the reference-data version used. Lifecycle:
 *   granted → disbursed, or granted → withdrawn. A disbursed grant is final here (money paid out
 *   is recovered by a clawback outside this system, not by withdrawing the decision).
 *   CHECKs keep the decision honest: granted ≤ requested, ≤ the share, ≤ cap − total before.
 * - `subsidy_ledger`: signed rows, +grant and −withdrawal (a withdrawal mirrors its grant; one
 *   of each per subsidy). Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE.
 * - `park_subsidy_totals`: per park the cached net total granted and the cap it was last
 *   checked against, **CHECK (granted ≤ cap)** — the 1亿 invariant in the database whatever the
 *   code does. The row is what a grant locks (`SELECT … FOR UPDATE`). `granted_yuan` changes
 *   only through the ledger's trigger (same statement), so the totals are the ledger's sums by
 *   construction; a trigger on the totals refuses any other change. Rows are created on first
 *   use (a park recognized later gets one at its first grant).
 * - `park_operator_projects`: projects by a park's development operator with their floor areas,
 *   the facilities ratio (a generated column) and the limit applied (bp) — CHECK facilities ≤
 *   limit × total, compared exactly.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export const SUBSIDY_KINDS = ['public_platform', 'infrastructure'] as const;
export const SUBSIDY_STATUSES = ['granted', 'disbursed', 'withdrawn'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE park_subsidy_totals (
       park_id integer PRIMARY KEY REFERENCES parks (id),
       granted_yuan numeric(16, 2) NOT NULL DEFAULT 0,
       cap_yuan numeric(16, 2) NOT NULL CHECK (cap_yuan >= 0),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT park_subsidy_totals_non_negative CHECK (granted_yuan >= 0),
       -- 五(三)13: cumulative grants per park never exceed the cap (1亿元 by default).
       CONSTRAINT park_subsidy_totals_within_cap CHECK (granted_yuan <= cap_yuan)
     )`,
    `CREATE TABLE subsidies (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       park_id integer NOT NULL REFERENCES parks (id),
       project_name text NOT NULL CHECK (length(btrim(project_name)) BETWEEN 1 AND 200),
       kind text NOT NULL CHECK (kind IN ('public_platform', 'infrastructure')),
       total_investment_yuan numeric(16, 2) NOT NULL CHECK (total_investment_yuan > 0),
       requested_yuan numeric(16, 2) NOT NULL CHECK (requested_yuan > 0),
       -- A decision that rounds to nothing is refused, never recorded: a grant is > 0.
       granted_yuan numeric(16, 2) NOT NULL CHECK (granted_yuan > 0),
       status text NOT NULL DEFAULT 'granted' CHECK (status IN ('granted', 'disbursed', 'withdrawn')),
       share_bp integer NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
       investment_share_yuan numeric(16, 2) NOT NULL CHECK (investment_share_yuan >= 0),
       cap_yuan numeric(16, 2) NOT NULL CHECK (cap_yuan >= 0),
       park_granted_before_yuan numeric(16, 2) NOT NULL CHECK (park_granted_before_yuan >= 0),
       limited_by text NOT NULL CHECK (limited_by IN ('requested', 'investment_share', 'park_cap')),
       reference_version_id integer NOT NULL REFERENCES reference_versions (id),
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       disbursed_on date,
       disbursed_at timestamptz,
       disbursed_by integer REFERENCES users (id),
       withdrawn_at timestamptz,
       withdrawn_by integer REFERENCES users (id),
       withdraw_reason text CHECK (withdraw_reason IS NULL OR length(btrim(withdraw_reason)) BETWEEN 1 AND 1000),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT subsidies_within_limits CHECK (granted_yuan <= requested_yuan AND granted_yuan <= investment_share_yuan
         AND granted_yuan <= cap_yuan - park_granted_before_yuan),
       CONSTRAINT subsidies_disbursed_when_disbursed CHECK ((status = 'disbursed') = (disbursed_at IS NOT NULL AND disbursed_on IS NOT NULL)),
       CONSTRAINT subsidies_withdrawn_when_withdrawn CHECK ((status = 'withdrawn') = (withdrawn_at IS NOT NULL AND withdraw_reason IS NOT NULL))
     )`,
    `CREATE INDEX subsidies_park_idx ON subsidies (park_id, status)`,
    `CREATE TABLE subsidy_ledger (
       id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       park_id integer NOT NULL REFERENCES parks (id),
       subsidy_id integer NOT NULL REFERENCES subsidies (id),
       kind text NOT NULL CHECK (kind IN ('grant', 'withdrawal')),
       amount_yuan numeric(16, 2) NOT NULL,
       at timestamptz NOT NULL DEFAULT now(),
       created_by integer REFERENCES users (id),
       CONSTRAINT subsidy_ledger_sign CHECK ((kind = 'grant' AND amount_yuan > 0) OR (kind = 'withdrawal' AND amount_yuan < 0)),
       CONSTRAINT subsidy_ledger_once_per_kind UNIQUE (subsidy_id, kind)
     )`,
    `CREATE INDEX subsidy_ledger_park_idx ON subsidy_ledger (park_id, id)`,
    // The cached total moves with the ledger, in the same statement. A grant must match its
    // subsidy row; a withdrawal must mirror its grant.
    `CREATE FUNCTION subsidy_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.kind = 'grant' AND NOT EXISTS (
         SELECT 1 FROM subsidies s WHERE s.id = NEW.subsidy_id AND s.park_id = NEW.park_id AND s.granted_yuan = NEW.amount_yuan
       ) THEN
         RAISE EXCEPTION 'a subsidy ledger grant must match its subsidy (subsidy %)', NEW.subsidy_id
           USING ERRCODE = 'check_violation', CONSTRAINT = 'subsidy_ledger_grant_matches_subsidy';
       END IF;
       IF NEW.kind = 'withdrawal' AND NOT EXISTS (
         SELECT 1 FROM subsidy_ledger g
          WHERE g.subsidy_id = NEW.subsidy_id AND g.kind = 'grant' AND g.park_id = NEW.park_id AND g.amount_yuan = -NEW.amount_yuan
       ) THEN
         RAISE EXCEPTION 'a subsidy withdrawal must mirror its grant (subsidy %)', NEW.subsidy_id
           USING ERRCODE = 'check_violation', CONSTRAINT = 'subsidy_ledger_withdrawal_mirrors_grant';
       END IF;
       UPDATE park_subsidy_totals SET granted_yuan = granted_yuan + NEW.amount_yuan, updated_at = now() WHERE park_id = NEW.park_id;
       IF NOT FOUND THEN
         RAISE EXCEPTION 'park % has no subsidy totals row; create it before recording a grant', NEW.park_id
           USING ERRCODE = 'foreign_key_violation';
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER subsidy_ledger_apply AFTER INSERT ON subsidy_ledger FOR EACH ROW EXECUTE FUNCTION subsidy_ledger_apply()`,
    `CREATE FUNCTION subsidy_ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION 'subsidy_ledger is append-only: % refused; record a reversing entry instead', TG_OP
         USING ERRCODE = 'restrict_violation';
     END $$`,
    `CREATE TRIGGER subsidy_ledger_append_only BEFORE UPDATE OR DELETE ON subsidy_ledger FOR EACH ROW EXECUTE FUNCTION subsidy_ledger_refuse_change()`,
    `CREATE TRIGGER subsidy_ledger_no_truncate BEFORE TRUNCATE ON subsidy_ledger FOR EACH STATEMENT EXECUTE FUNCTION subsidy_ledger_refuse_change()`,
    // granted_yuan starts at 0 and changes only from the ledger trigger (depth 2).
    `CREATE FUNCTION park_subsidy_totals_from_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'INSERT' THEN
         IF NEW.granted_yuan <> 0 THEN
           RAISE EXCEPTION 'a park''s subsidy total starts at 0; grants are recorded through subsidy_ledger'
             USING ERRCODE = 'restrict_violation';
         END IF;
       ELSIF NEW.granted_yuan IS DISTINCT FROM OLD.granted_yuan AND pg_trigger_depth() < 2 THEN
         RAISE EXCEPTION 'park_subsidy_totals.granted_yuan is the sum of subsidy_ledger and changes only through it'
           USING ERRCODE = 'restrict_violation';
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER park_subsidy_totals_from_ledger BEFORE INSERT OR UPDATE ON park_subsidy_totals
       FOR EACH ROW EXECUTE FUNCTION park_subsidy_totals_from_ledger()`,
    `CREATE TABLE park_operator_projects (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       park_id integer NOT NULL REFERENCES parks (id),
       operator_name text NOT NULL CHECK (length(btrim(operator_name)) BETWEEN 1 AND 200),
       project_name text NOT NULL CHECK (length(btrim(project_name)) BETWEEN 1 AND 200),
       by_park_operator boolean NOT NULL DEFAULT true,
       total_floor_area_m2 numeric(14, 2) NOT NULL CHECK (total_floor_area_m2 > 0),
       facilities_floor_area_m2 numeric(14, 2) NOT NULL CHECK (facilities_floor_area_m2 >= 0),
       ratio numeric(7, 6) GENERATED ALWAYS AS (round(facilities_floor_area_m2 / total_floor_area_m2, 6)) STORED,
       limit_bp integer NOT NULL CHECK (limit_bp BETWEEN 0 AND 10000),
       reference_version_id integer NOT NULL REFERENCES reference_versions (id),
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT park_operator_projects_within_limit CHECK (facilities_floor_area_m2 * 10000 <= total_floor_area_m2 * limit_bp)
     )`,
    `CREATE INDEX park_operator_projects_park_idx ON park_operator_projects (park_id, id)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'DROP TABLE park_operator_projects',
    'DROP TABLE subsidy_ledger',
    'DROP FUNCTION subsidy_ledger_refuse_change',
    'DROP FUNCTION subsidy_ledger_apply',
    'DROP TABLE subsidies',
    'DROP TABLE park_subsidy_totals',
    'DROP FUNCTION park_subsidy_totals_from_ledger',
  ]);
}
