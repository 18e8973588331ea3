/**
 * Idle land executed (issue #15 §2; 《闲置土地处置办法》, 国土资源部令第53号):
 *
 * - `allocation_progress`: 开发进度 after the start — the developed area and the investment made
 *   on a day, the figures of art. 2's ⅓-area / 25 %-investment test. Append-only in use.
 * - `allocations.production_on` (投产) and `full_production_on` (达产): after completion, in
 *   that order (CHECK), like the milestones of migration 004.
 * - `government_delays`: delays caused by the government (art. 8) with their cause, days and
 *   evidence; they move the dates and never yield a fee.
 * - `supervision_decisions`: the officer's decision (征缴闲置费 / 无偿收回 / 不予处置) with its
 *   document number; a fee only on an idle_fee decision (CHECK), one idle_fee and one reclaim
 *   decision per allocation (partial unique index).
 * - `supervision_stages`: the last stage recorded per allocation, so a stage change is written
 *   to the audit trail once.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE allocation_progress (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       allocation_id integer NOT NULL REFERENCES allocations (id) ON DELETE CASCADE,
       reported_on date NOT NULL,
       developed_area_m2 numeric(14, 2) NOT NULL CONSTRAINT allocation_progress_area_non_negative CHECK (developed_area_m2 >= 0),
       invested_fen bigint NOT NULL CONSTRAINT allocation_progress_invested_non_negative CHECK (invested_fen >= 0),
       recorded_by integer REFERENCES users (id),
       recorded_at timestamptz NOT NULL DEFAULT now(),
       sample boolean NOT NULL DEFAULT false
     )`,
    `CREATE INDEX allocation_progress_allocation_idx ON allocation_progress (allocation_id, reported_on, id)`,
    `ALTER TABLE allocations
       ADD COLUMN production_on date,
       ADD COLUMN full_production_on date,
       ADD CONSTRAINT allocations_production_order CHECK (
         (production_on IS NULL OR (completed_on IS NOT NULL AND production_on >= completed_on))
         AND (full_production_on IS NULL OR (production_on IS NOT NULL AND full_production_on >= production_on)))`,
    `CREATE TABLE government_delays (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       allocation_id integer NOT NULL REFERENCES allocations (id) ON DELETE CASCADE,
       cause text NOT NULL CONSTRAINT government_delays_cause CHECK (cause IN ('late_handover', 'planning_change', 'military_or_heritage', 'other')),
       days integer NOT NULL CONSTRAINT government_delays_days CHECK (days BETWEEN 1 AND 3650),
       evidence text NOT NULL CONSTRAINT government_delays_evidence CHECK (length(btrim(evidence)) BETWEEN 1 AND 2000),
       note text CHECK (note IS NULL OR length(note) <= 2000),
       recorded_by integer REFERENCES users (id),
       recorded_at timestamptz NOT NULL DEFAULT now(),
       sample boolean NOT NULL DEFAULT false
     )`,
    `CREATE INDEX government_delays_allocation_idx ON government_delays (allocation_id)`,
    `CREATE TABLE supervision_decisions (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       allocation_id integer NOT NULL REFERENCES allocations (id) ON DELETE CASCADE,
       kind text NOT NULL CONSTRAINT supervision_decisions_kind CHECK (kind IN ('idle_fee', 'reclaim', 'no_action')),
       document_no text NOT NULL CONSTRAINT supervision_decisions_document_no CHECK (length(btrim(document_no)) BETWEEN 1 AND 80),
       decided_on date NOT NULL,
       fee_fen bigint,
       note text CHECK (note IS NULL OR length(note) <= 2000),
       decided_by integer REFERENCES users (id),
       recorded_at timestamptz NOT NULL DEFAULT now(),
       sample boolean NOT NULL DEFAULT false,
       CONSTRAINT supervision_decisions_fee_only_for_idle_fee CHECK ((kind = 'idle_fee') = (fee_fen IS NOT NULL) AND (fee_fen IS NULL OR fee_fen >= 0))
     )`,
    `CREATE UNIQUE INDEX supervision_decisions_one_per_kind ON supervision_decisions (allocation_id, kind) WHERE kind <> 'no_action'`,
    `CREATE TABLE supervision_stages (
       allocation_id integer PRIMARY KEY REFERENCES allocations (id) ON DELETE CASCADE,
       stage text NOT NULL CONSTRAINT supervision_stages_stage CHECK (stage IN ('on_track', 'overdue', 'idle_fee', 'reclaim', 'government_delay')),
       since date NOT NULL,
       updated_at timestamptz NOT NULL DEFAULT now()
     )`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `DROP TABLE supervision_stages`,
    `DROP TABLE supervision_decisions`,
    `DROP TABLE government_delays`,
    `ALTER TABLE allocations DROP CONSTRAINT allocations_production_order, DROP COLUMN production_on, DROP COLUMN full_production_on`,
    `DROP TABLE allocation_progress`,
  ]);
}
