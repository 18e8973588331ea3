/**
 * 亩均 evaluation (issue #15 §4; POLICY.md "After the sale: supervision").
 *
 * - `allocation_performance`: one row per allocation and year — 产值 and 税收 in fen (bigint),
 *   能耗 in tce, 从业人员 — all ≥ 0 in the database too. A second entry for the same year
 *   replaces the row (the service records before/after in the audit trail). `source` says how
 *   the figures came: typed in (`entry`), a CSV import (`import`) or demo data (`sample`).
 * - `mu_grade_thresholds`: the bureau's A/B/C minimums per 亩 (whole yuan), versioned like the
 *   other reference data (002_reference_data.ts): every change is a new row with an effective
 *   date, rows are immutable (the same `refuse_change` trigger), so every grade can name the
 *   version it used. Kept in its own table rather than `reference_versions`, whose kinds are a
 *   CHECK list the reference module enumerates in its routes. CHECK A ≥ B ≥ C for both figures.
 *   Seeded here with the SAMPLE thresholds of shared/policy/mu-evaluation.ts, flagged
 *   `sample = true`, until the bureau publishes its own (PUT /api/supervision/grade-thresholds).
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

/**
 * SAMPLE_MU_GRADE_THRESHOLDS (shared/policy/mu-evaluation.ts, version sample-1) as of this
 * migration, copied so the migration never changes when the module does (a test checks they agree).
 */
const S = {
  fromYear: 2020,
  source: '示例阈值，非主管部门公布数值，待市规划和自然资源局替换 / Sample thresholds, not published by the bureau; to be replaced by its own',
  A: { taxPerMuYuanMin: 300_000, outputPerMuYuanMin: 5_000_000 },
  B: { taxPerMuYuanMin: 150_000, outputPerMuYuanMin: 2_500_000 },
  C: { taxPerMuYuanMin: 50_000, outputPerMuYuanMin: 1_000_000 },
};

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE allocation_performance (
       allocation_id integer NOT NULL REFERENCES allocations (id),
       year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
       output_fen bigint NOT NULL CHECK (output_fen >= 0),
       tax_fen bigint NOT NULL CHECK (tax_fen >= 0),
       energy_tce numeric(16, 4) NOT NULL CHECK (energy_tce >= 0),
       employees integer NOT NULL CHECK (employees >= 0),
       source text NOT NULL CHECK (source IN ('entry', 'import', 'sample')),
       recorded_by text,
       recorded_at timestamptz NOT NULL DEFAULT now(),
       PRIMARY KEY (allocation_id, year)
     )`,
    `CREATE INDEX allocation_performance_year_idx ON allocation_performance (year)`,
    `CREATE TABLE mu_grade_thresholds (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       effective_from date NOT NULL,
       sample boolean NOT NULL,
       source text NOT NULL CHECK (length(btrim(source)) > 0),
       a_output_yuan bigint NOT NULL CHECK (a_output_yuan >= 0),
       a_tax_yuan bigint NOT NULL CHECK (a_tax_yuan >= 0),
       b_output_yuan bigint NOT NULL CHECK (b_output_yuan >= 0),
       b_tax_yuan bigint NOT NULL CHECK (b_tax_yuan >= 0),
       c_output_yuan bigint NOT NULL CHECK (c_output_yuan >= 0),
       c_tax_yuan bigint NOT NULL CHECK (c_tax_yuan >= 0),
       created_by text,
       created_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT mu_grade_thresholds_ordered CHECK (
         a_output_yuan >= b_output_yuan AND b_output_yuan >= c_output_yuan
         AND a_tax_yuan >= b_tax_yuan AND b_tax_yuan >= c_tax_yuan
       )
     )`,
    `CREATE INDEX mu_grade_thresholds_current_idx ON mu_grade_thresholds (effective_from DESC, id DESC)`,
    `CREATE TRIGGER mu_grade_thresholds_immutable BEFORE UPDATE OR DELETE ON mu_grade_thresholds FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    `INSERT INTO mu_grade_thresholds
       (effective_from, sample, source, a_output_yuan, a_tax_yuan, b_output_yuan, b_tax_yuan, c_output_yuan, c_tax_yuan, created_by)
     VALUES ('${S.fromYear}-01-01', true, '${S.source}',
       ${S.A.outputPerMuYuanMin}, ${S.A.taxPerMuYuanMin}, ${S.B.outputPerMuYuanMin}, ${S.B.taxPerMuYuanMin},
       ${S.C.outputPerMuYuanMin}, ${S.C.taxPerMuYuanMin}, 'system:migration')`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, ['DROP TABLE mu_grade_thresholds', 'DROP TABLE allocation_performance']);
}
