/**
 * Subsidies per project, and honest provenance of the policy parameters.
 *
 * 1. Subsidies per project (五(三)13 "按总投资额的20%" is per project, cumulative; 1亿 per park).
 * - `park_projects`: a park's public-platform, infrastructure and facilities projects with their
 *   total investment (immutable once recorded: the grants were decided on it), the net amount
 *   granted to the project (`granted_yuan`, maintained by subsidy_ledger's trigger only, like
 *   the park's totals) and the share it was last checked against (`share_bp`), with
 *   **CHECK (granted × 10000 ≤ investment × share_bp)** — exact, so ⌊share × investment⌋ to
 *   the fen is never exceeded whatever the code does. A grant locks this row after the park's.
 * - `subsidies.project_id` (same park, by a composite foreign key) replaces the grant's own
 *   project fields; `project_granted_before_yuan` records the project's total before the grant,
 *   and CHECK granted ≤ ⌊share × investment⌋ − granted before.
 * - Existing grants move to one project each: the project takes the grant's name, kind,
 *   investment, date and author, and the grant's net amount (0 when withdrawn).
 *
 * 2. Honest provenance of the policy parameters (POLICY.md "Where each parameter comes from").
 *   The shipped parameter set said "IAB行动计划 五(三)14", verified, for figures the plan does not
 *   state. Reference versions are append-only, so each parameters version still carrying those
 *   shipped sources gets a correction version with the same effective date (a later id wins the
 *   tie, so it is the one in force) and the same values: the national rule where there is one,
 *   "局内参数（bureau assumption）" otherwise, `verified: false` until an administrator confirms
 *   it. Rows an administrator set themselves (another source) are copied unchanged. A fresh
 *   database is seeded with the honest provenance directly (server/modules/reference/service.ts).
 *   The texts here are frozen copies of shared/policy/parameters.ts at the time of writing.
 */
import { sql, type Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';

export const PROJECT_KINDS = ['public_platform', 'infrastructure', 'facilities'] as const;

/** Shipped (wrong) source → the real one, for the parameters the plan does not state. */
const CORRECTIONS: Record<string, { from: string; to: string }> = {
  nonIabFloorFactorBp: { from: 'IAB行动计划 五(三)14', to: '局内参数（bureau assumption）' },
  capitalizationRateBp: { from: 'IAB行动计划 五(三)14', to: '局内参数（bureau assumption）；年期修正公式见 GB/T 18508 城镇土地估价规程' },
  rentFloorShareBp: { from: 'IAB行动计划 五(三)14', to: '局内参数（bureau assumption）' },
  nationalMinimum56Enabled: { from: 'IAB行动计划 五(三)14; 国土资发〔2009〕56号', to: '局内参数（bureau assumption）；政策依据 国土资发〔2009〕56号' },
  nationalMinimum56FactorBp: { from: 'IAB行动计划 五(三)14; 国土资发〔2009〕56号', to: '国土资发〔2009〕56号' },
  statutoryMaxTermYears: { from: 'IAB行动计划 五(三)14', to: '城镇国有土地使用权出让和转让暂行条例（1990）第十二条' },
  longTermLeaseMinYears: { from: 'IAB行动计划 五(三)14', to: '局内参数（bureau assumption）' },
  longTermLeaseMaxYears: { from: 'IAB行动计划 五(三)14', to: '局内参数（bureau assumption）' },
};

const VERSION_SOURCE =
  'IAB行动计划 五(三)11、13、14（70%、5000亩、20%、1亿元、15%/14%）；GB/T 18508 城镇土地估价规程（年期修正方法）；城镇国有土地使用权出让和转让暂行条例（1990）第十二条；国土资发〔2009〕56号；其余为局内参数，待核实';

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function up(db: Kysely<unknown>): Promise<void> {
  const keys = Object.keys(CORRECTIONS);
  const fixSource = `CASE ${keys.map((k) => `WHEN p.key = ${quote(k)} AND p.source = ${quote(CORRECTIONS[k]!.from)} THEN ${quote(CORRECTIONS[k]!.to)}`).join(' ')} ELSE p.source END`;
  const isShippedWrong = `(${keys.map((k) => `(p.key = ${quote(k)} AND p.source = ${quote(CORRECTIONS[k]!.from)})`).join(' OR ')})`;

  await execAll(db, [
    // --- 7. Park projects ------------------------------------------------------------------------
    `CREATE TABLE park_projects (
       id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
       park_id integer NOT NULL REFERENCES parks (id),
       name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 200),
       kind text NOT NULL CHECK (kind IN ('public_platform', 'infrastructure', 'facilities')),
       total_investment_yuan numeric(16, 2) NOT NULL CHECK (total_investment_yuan > 0),
       granted_yuan numeric(16, 2) NOT NULL DEFAULT 0,
       share_bp integer NOT NULL CHECK (share_bp BETWEEN 0 AND 10000),
       created_by integer REFERENCES users (id),
       created_at timestamptz NOT NULL DEFAULT now(),
       updated_at timestamptz NOT NULL DEFAULT now(),
       CONSTRAINT park_projects_id_park UNIQUE (id, park_id),
       CONSTRAINT park_projects_non_negative CHECK (granted_yuan >= 0),
       -- 五(三)13: a project's grants never exceed ⌊share × its total investment⌋ (exact).
       CONSTRAINT park_projects_within_share CHECK (granted_yuan * 10000 <= total_investment_yuan * share_bp)
     )`,
    `CREATE INDEX park_projects_park_idx ON park_projects (park_id, id)`,
    `ALTER TABLE subsidies ADD COLUMN project_id integer`,
    `ALTER TABLE subsidies ADD COLUMN project_granted_before_yuan numeric(16, 2) NOT NULL DEFAULT 0 CHECK (project_granted_before_yuan >= 0)`,
    // One project per existing grant, in grant order.
    `DO $$
     DECLARE r record; pid integer;
     BEGIN
       FOR r IN SELECT * FROM subsidies ORDER BY id LOOP
         INSERT INTO park_projects (park_id, name, kind, total_investment_yuan, granted_yuan, share_bp, created_by, created_at, updated_at)
         VALUES (r.park_id, r.project_name, r.kind, r.total_investment_yuan,
                 CASE WHEN r.status = 'withdrawn' THEN 0 ELSE r.granted_yuan END, r.share_bp, r.created_by, r.created_at, r.updated_at)
         RETURNING id INTO pid;
         UPDATE subsidies SET project_id = pid WHERE id = r.id;
       END LOOP;
     END $$`,
    `ALTER TABLE subsidies ALTER COLUMN project_id SET NOT NULL`,
    `ALTER TABLE subsidies ADD CONSTRAINT subsidies_project_fkey FOREIGN KEY (project_id, park_id) REFERENCES park_projects (id, park_id)`,
    `CREATE INDEX subsidies_project_idx ON subsidies (project_id, status)`,
    `ALTER TABLE subsidies ADD CONSTRAINT subsidies_within_project_share CHECK (granted_yuan <= investment_share_yuan - project_granted_before_yuan)`,
    `ALTER TABLE subsidies DROP COLUMN project_name`,
    `ALTER TABLE subsidies DROP COLUMN kind`,
    `ALTER TABLE subsidies DROP COLUMN total_investment_yuan`,
    // The project's total moves with the ledger, in the same statement as the park's.
    `CREATE OR REPLACE FUNCTION subsidy_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
       UPDATE park_projects SET granted_yuan = granted_yuan + NEW.amount_yuan, updated_at = now()
        WHERE id = (SELECT s.project_id FROM subsidies s WHERE s.id = NEW.subsidy_id);
       RETURN NEW;
     END $$`,
    // granted_yuan starts at 0 and changes only from the ledger trigger; the project's park and
    // investment are fixed once recorded (its grants were decided on them).
    `CREATE FUNCTION park_projects_guard() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF TG_OP = 'INSERT' THEN
         IF NEW.granted_yuan <> 0 THEN
           RAISE EXCEPTION 'a project''s subsidy total starts at 0; grants are recorded through subsidy_ledger'
             USING ERRCODE = 'restrict_violation';
         END IF;
       ELSE
         IF NEW.granted_yuan IS DISTINCT FROM OLD.granted_yuan AND pg_trigger_depth() < 2 THEN
           RAISE EXCEPTION 'park_projects.granted_yuan is the sum of its subsidy_ledger rows and changes only through them'
             USING ERRCODE = 'restrict_violation';
         END IF;
         IF NEW.total_investment_yuan IS DISTINCT FROM OLD.total_investment_yuan OR NEW.park_id IS DISTINCT FROM OLD.park_id THEN
           RAISE EXCEPTION 'a project''s park and total investment are fixed once recorded; record a new project instead'
             USING ERRCODE = 'restrict_violation';
         END IF;
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER park_projects_guard BEFORE INSERT OR UPDATE ON park_projects FOR EACH ROW EXECUTE FUNCTION park_projects_guard()`,
    `CREATE TRIGGER park_projects_no_delete BEFORE DELETE ON park_projects FOR EACH ROW EXECUTE FUNCTION subsidy_ledger_refuse_change()`,
  ]);

  // --- 8. Provenance correction versions ---------------------------------------------------------
  const wrong = await sql<{ id: number; effective_from: string }>`
    select v.id, v.effective_from::text as effective_from
      from reference_versions v
     where v.kind = 'parameters'
       and exists (select 1 from ref_parameters p where p.version_id = v.id and ${sql.raw(isShippedWrong)})
     order by v.effective_from, v.id`.execute(db);
  for (const v of wrong.rows) {
    const note = `Provenance correction of version ${v.id} (migration 011): the same values; sources say only what they state — the plan for 70 %, 5000亩, 20 %, 1亿, 15 %/14 %; the national rule where there is one; otherwise a bureau assumption, unverified until an administrator confirms it.`;
    const inserted = await sql<{ id: number }>`
      insert into reference_versions (kind, effective_from, note, source, created_by)
      values ('parameters', ${v.effective_from}::date, ${note}, ${VERSION_SOURCE}, 'system:migration-011')
      returning id`.execute(db);
    const id = inserted.rows[0]!.id;
    await sql`
      insert into ref_parameters (version_id, key, value, verified, source)
      select ${id}, p.key, p.value,
             case when ${sql.raw(isShippedWrong)} then false else p.verified end,
             ${sql.raw(fixSource)}
        from ref_parameters p where p.version_id = ${v.id}`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  // The correction versions stay (reference data is append-only); the projects fold back into the grants.
  await execAll(db, [
    `ALTER TABLE subsidies ADD COLUMN project_name text`,
    `ALTER TABLE subsidies ADD COLUMN kind text`,
    `ALTER TABLE subsidies ADD COLUMN total_investment_yuan numeric(16, 2)`,
    `UPDATE subsidies s SET project_name = p.name, kind = CASE WHEN p.kind = 'facilities' THEN 'infrastructure' ELSE p.kind END, total_investment_yuan = p.total_investment_yuan
       FROM park_projects p WHERE p.id = s.project_id`,
    `ALTER TABLE subsidies ALTER COLUMN project_name SET NOT NULL`,
    `ALTER TABLE subsidies ALTER COLUMN kind SET NOT NULL`,
    `ALTER TABLE subsidies ALTER COLUMN total_investment_yuan SET NOT NULL`,
    `ALTER TABLE subsidies DROP CONSTRAINT subsidies_within_project_share`,
    `ALTER TABLE subsidies DROP COLUMN project_granted_before_yuan`,
    `ALTER TABLE subsidies DROP COLUMN project_id`,
    `CREATE OR REPLACE FUNCTION subsidy_ledger_apply() RETURNS trigger LANGUAGE plpgsql AS $$
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
    'DROP TABLE park_projects',
    'DROP FUNCTION park_projects_guard',
  ]);
}
