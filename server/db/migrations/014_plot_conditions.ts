/**
 * 标准地 conditions (issue #15 §1; POLICY.md "After the sale: supervision").
 *
 * - `plots.conditions`: the plot's conditions as one jsonb object holding only the fields that
 *   are set (shared/policy/standard-land.ts `CONDITION_FIELDS`; a missing key is "not set").
 *   One column, not ten, because the set travels whole: into the plot versions' attribute
 *   snapshots, the exports, and the agreement. The CHECKs keep what the policy's
 *   `validateConditions` keeps, so no writer (a seed, a script) can store a value the API would
 *   refuse: numbers where numbers go, none negative, maxima above 0, 容积率 min ≤ max, whole
 *   months 1–120 with completion not before start, a known pollution category, no unknown key.
 * - `allocations.agreement_conditions` / `agreement_frozen_at`: the plot's conditions copied at
 *   approval, the 监管协议's terms. Set together or not at all; once set, never changed nor
 *   cleared (a trigger refuses it), so a later edit of the plot cannot reach an agreement.
 *   Allocations approved before this migration get the plot's conditions as they are now
 *   (empty: the column is new), frozen at their approval time.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

const NUMBERS = ['investmentIntensityYuanPerM2Min', 'plotRatioMin', 'plotRatioMax', 'outputPerMuYuanMin', 'taxPerMuYuanMin', 'energyTcePer10kYuanMax'];
const POSITIVE = ['plotRatioMax', 'energyTcePer10kYuanMax'];
const MONTHS = ['startWithinMonths', 'completeWithinMonths'];
const KEYS = [...NUMBERS, 'pollutionCategory', 'notes', ...MONTHS];

/** The CHECK body for a conditions object in column `c`. CASE keeps each cast behind its type test. */
export function conditionsCheck(c: string): string {
  const n = (k: string) => `(${c}->>'${k}')::numeric`;
  const isNum = (k: string) => `jsonb_typeof(${c}->'${k}') = 'number'`;
  const absent = (k: string) => `${c}->'${k}' IS NULL`;
  const parts = [
    `jsonb_typeof(${c}) = 'object'`,
    `(SELECT bool_and(k IN (${KEYS.map((k) => `'${k}'`).join(', ')})) FROM jsonb_object_keys(${c}) AS k) IS NOT FALSE`,
    ...NUMBERS.map((k) => `CASE WHEN ${absent(k)} THEN true WHEN ${isNum(k)} THEN ${n(k)} ${POSITIVE.includes(k) ? '>' : '>='} 0 ELSE false END`),
    ...MONTHS.map((k) => `CASE WHEN ${absent(k)} THEN true WHEN ${isNum(k)} THEN ${n(k)} BETWEEN 1 AND 120 AND ${n(k)} = trunc(${n(k)}) ELSE false END`),
    `CASE WHEN ${isNum('plotRatioMin')} AND ${isNum('plotRatioMax')} THEN ${n('plotRatioMin')} <= ${n('plotRatioMax')} ELSE true END`,
    `CASE WHEN ${isNum('startWithinMonths')} AND ${isNum('completeWithinMonths')} THEN ${n('startWithinMonths')} <= ${n('completeWithinMonths')} ELSE true END`,
    `CASE WHEN ${absent('pollutionCategory')} THEN true ELSE ${c}->>'pollutionCategory' IN ('class_1', 'class_2', 'class_3') AND jsonb_typeof(${c}->'pollutionCategory') = 'string' END`,
    `CASE WHEN ${absent('notes')} THEN true ELSE jsonb_typeof(${c}->'notes') = 'string' AND char_length(${c}->>'notes') BETWEEN 1 AND 2000 END`,
  ];
  return parts.map((p) => `(${p})`).join('\n         AND ');
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE plots ADD COLUMN conditions jsonb NOT NULL DEFAULT '{}'::jsonb`,
    // A CHECK may not hold a subquery: the key test goes through an immutable function.
    `CREATE FUNCTION plot_conditions_valid(c jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
       SELECT ${conditionsCheck('c')}
     $$`,
    `ALTER TABLE plots ADD CONSTRAINT plots_conditions_valid CHECK (plot_conditions_valid(conditions))`,
    `ALTER TABLE allocations ADD COLUMN agreement_conditions jsonb`,
    `ALTER TABLE allocations ADD COLUMN agreement_frozen_at timestamptz`,
    `ALTER TABLE allocations ADD CONSTRAINT allocations_agreement_together
       CHECK ((agreement_conditions IS NULL) = (agreement_frozen_at IS NULL))`,
    `ALTER TABLE allocations ADD CONSTRAINT allocations_agreement_conditions_valid
       CHECK (agreement_conditions IS NULL OR plot_conditions_valid(agreement_conditions))`,
    // Approved (or later) allocations from before: frozen now with what the plot has (nothing yet).
    `UPDATE allocations SET agreement_conditions = '{}'::jsonb, agreement_frozen_at = coalesce(approved_at, now())
      WHERE status IN ('approved', 'contracted', 'completed') OR approved_at IS NOT NULL`,
    `CREATE FUNCTION allocations_agreement_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF OLD.agreement_frozen_at IS NOT NULL
          AND (NEW.agreement_conditions IS DISTINCT FROM OLD.agreement_conditions
               OR NEW.agreement_frozen_at IS DISTINCT FROM OLD.agreement_frozen_at) THEN
         RAISE EXCEPTION 'allocation %: the agreement conditions are frozen at approval', OLD.id USING ERRCODE = 'check_violation';
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER allocations_agreement_frozen BEFORE UPDATE OF agreement_conditions, agreement_frozen_at ON allocations
       FOR EACH ROW EXECUTE FUNCTION allocations_agreement_frozen()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `DROP TRIGGER allocations_agreement_frozen ON allocations`,
    `DROP FUNCTION allocations_agreement_frozen()`,
    `ALTER TABLE allocations DROP CONSTRAINT allocations_agreement_conditions_valid`,
    `ALTER TABLE allocations DROP CONSTRAINT allocations_agreement_together`,
    `ALTER TABLE allocations DROP COLUMN agreement_frozen_at`,
    `ALTER TABLE allocations DROP COLUMN agreement_conditions`,
    `ALTER TABLE plots DROP CONSTRAINT plots_conditions_valid`,
    `ALTER TABLE plots DROP COLUMN conditions`,
    `DROP FUNCTION plot_conditions_valid(jsonb)`,
  ]);
}
