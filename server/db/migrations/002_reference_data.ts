/**
 * Reference data the bureau maintains (POLICY.md "*configurable*"): policy parameters, the
 * national minimum price grades (国土资发〔2006〕307号), each district's grade, and the benchmark
 * price table (基准地价). Every change is a new version with an effective date; old versions are
 * kept (rows are immutable: a trigger refuses UPDATE and DELETE), so every computed figure can
 * name the version it used.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE reference_versions (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       kind text NOT NULL CHECK (kind IN ('parameters', 'national_minimum', 'district_grades', 'benchmark_prices')),
       effective_from date NOT NULL,
       note text NOT NULL DEFAULT '',
       source text NOT NULL CHECK (length(source) > 0),
       created_by text,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE INDEX reference_versions_current_idx ON reference_versions (kind, effective_from DESC, id DESC)`,
    `CREATE TABLE ref_parameters (
       version_id integer NOT NULL REFERENCES reference_versions (id),
       key text NOT NULL,
       value text NOT NULL,
       verified boolean NOT NULL,
       source text NOT NULL,
       PRIMARY KEY (version_id, key)
     )`,
    `CREATE TABLE ref_national_minimum (
       version_id integer NOT NULL REFERENCES reference_versions (id),
       grade integer NOT NULL CHECK (grade BETWEEN 1 AND 15),
       yuan_per_m2 numeric(10, 2) NOT NULL CHECK (yuan_per_m2 > 0),
       verified boolean NOT NULL,
       source text NOT NULL,
       PRIMARY KEY (version_id, grade)
     )`,
    `CREATE TABLE ref_district_grades (
       version_id integer NOT NULL REFERENCES reference_versions (id),
       district_code text NOT NULL REFERENCES districts (code),
       grade integer NOT NULL CHECK (grade BETWEEN 1 AND 15),
       verified boolean NOT NULL,
       assumption boolean NOT NULL,
       note text NOT NULL DEFAULT '',
       source text NOT NULL,
       PRIMARY KEY (version_id, district_code)
     )`,
    `CREATE TABLE ref_benchmark_prices (
       version_id integer NOT NULL REFERENCES reference_versions (id),
       district_code text NOT NULL REFERENCES districts (code),
       land_level integer NOT NULL CHECK (land_level BETWEEN 1 AND 10),
       yuan_per_m2 numeric(10, 2) NOT NULL CHECK (yuan_per_m2 > 0),
       sample boolean NOT NULL,
       source text NOT NULL,
       PRIMARY KEY (version_id, district_code, land_level)
     )`,
    `CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       RAISE EXCEPTION '% on % is not allowed: reference data is versioned; add a new version instead', TG_OP, TG_TABLE_NAME
         USING ERRCODE = 'restrict_violation';
     END $$`,
    ...['reference_versions', 'ref_parameters', 'ref_national_minimum', 'ref_district_grades', 'ref_benchmark_prices'].map(
      (t) => `CREATE TRIGGER ${t}_immutable BEFORE UPDATE OR DELETE ON ${t} FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    ),
    // A plot may carry its own 等别 (grade) where it differs from its district's default.
    `ALTER TABLE plots ADD COLUMN land_grade integer CHECK (land_grade BETWEEN 1 AND 15)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'ALTER TABLE plots DROP COLUMN land_grade',
    'DROP TABLE ref_benchmark_prices',
    'DROP TABLE ref_district_grades',
    'DROP TABLE ref_national_minimum',
    'DROP TABLE ref_parameters',
    'DROP TABLE reference_versions',
    'DROP FUNCTION refuse_change',
  ]);
}
