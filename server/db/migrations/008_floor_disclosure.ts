/**
 * The land price floor's missing pieces:
 *
 * - `ref_provincial_minimum`: the provincial minimum price (省规定的土地出让最低价) by land grade,
 *   versioned like the national table (kind `provincial_minimum`, rows immutable). Shipped
 *   empty: Guangdong's figures were not available (the bureau fills them in).
 * - `plots.cost_note`: why a cost is what it is. A cost of 0 is a value someone enters on
 *   purpose, so the database refuses 0 without a note (`plots_zero_cost_needs_note`); null is
 *   "not recorded" and never becomes 0. Rows already at 0 get a note saying so.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `ALTER TABLE reference_versions DROP CONSTRAINT reference_versions_kind_check`,
    `ALTER TABLE reference_versions ADD CONSTRAINT reference_versions_kind_check
       CHECK (kind IN ('parameters', 'national_minimum', 'district_grades', 'benchmark_prices', 'provincial_minimum'))`,
    `CREATE TABLE ref_provincial_minimum (
       version_id integer NOT NULL REFERENCES reference_versions (id),
       grade integer NOT NULL CHECK (grade BETWEEN 1 AND 15),
       yuan_per_m2 numeric(10, 2) NOT NULL CHECK (yuan_per_m2 > 0),
       verified boolean NOT NULL,
       source text NOT NULL,
       PRIMARY KEY (version_id, grade)
     )`,
    `CREATE TRIGGER ref_provincial_minimum_immutable BEFORE UPDATE OR DELETE ON ref_provincial_minimum FOR EACH ROW EXECUTE FUNCTION refuse_change()`,
    `ALTER TABLE plots ADD COLUMN cost_note text CHECK (cost_note IS NULL OR length(cost_note) <= 500)`,
    `UPDATE plots SET cost_note = '迁移前已登记为 0，未附说明 / recorded as 0 before a note was required' WHERE cost_yuan = 0`,
    `ALTER TABLE plots ADD CONSTRAINT plots_zero_cost_needs_note CHECK (cost_yuan IS DISTINCT FROM 0 OR length(btrim(coalesce(cost_note, ''))) > 0)`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    'ALTER TABLE plots DROP CONSTRAINT plots_zero_cost_needs_note',
    'ALTER TABLE plots DROP COLUMN cost_note',
    'DROP TABLE ref_provincial_minimum',
    // Versions are immutable (trigger of 002): lift it for this one delete only.
    'ALTER TABLE reference_versions DISABLE TRIGGER reference_versions_immutable',
    `DELETE FROM reference_versions WHERE kind = 'provincial_minimum'`,
    'ALTER TABLE reference_versions ENABLE TRIGGER reference_versions_immutable',
    `ALTER TABLE reference_versions DROP CONSTRAINT reference_versions_kind_check`,
    `ALTER TABLE reference_versions ADD CONSTRAINT reference_versions_kind_check
       CHECK (kind IN ('parameters', 'national_minimum', 'district_grades', 'benchmark_prices'))`,
  ]);
}
