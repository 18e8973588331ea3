/**
 * Chinese land conventions on plots (issue #18 §2): 宗地代码, 控规地块编号 and the 2023 用地用海 code.
 *
 * - `plots.parcel_code` (宗地代码, GB/T 37346-2019; shared/policy/parcel-code.ts): nullable; the
 *   CHECK refuses what `validateParcelCode` refuses (stored upper-case, 19 characters, one of
 *   Guangzhou's district codes, 特征码 letters, A only with J, 顺序号 not 00000). Unique among the
 *   plots that are not `retired`: a split or merge parent keeps its code in history while its
 *   pieces get new codes; a retired code is never freed for reuse by the check either, since
 *   only the live parcels are compared (the register, not the app, decides reuse). The district
 *   in the code matching the plot's park district is the application's check (it spans tables).
 * - `plots.zoning_plot_code` (控规地块编号): free text, nullable, 1–64 characters, trimmed.
 * - `land_use_classes` and `land_use_code_map`: the 2023 classes and the GB 50137 (M0–M3) → 2023
 *   mapping of shared/land-use-codes.ts (M0 → 100101 flagged `assumption`), as reference data.
 * - `plots.land_use_code`: NOT NULL, backfilled from `land_use` with the default mapping; the pair
 *   (land_use, land_use_code) must be a row of the map (foreign key), so no writer can store an M
 *   label with a code of another class. Writers that know nothing of the column (bulk seeds and
 *   imports) get the default from a trigger when they leave it null, and a change of `land_use`
 *   that leaves a code of the old class gets the new class's default.
 */
import type { Kysely } from 'kysely';
import { execAll } from '../../kernel/db/exec.ts';
import { DISTRICT_CODES } from '../../../shared/domain.ts';
import { PARCEL_CODE_PATTERN } from '../../../shared/policy/parcel-code.ts';
import { LAND_USE_CLASSES, LAND_USE_CODE_MAP } from '../../../shared/land-use-codes.ts';

const q = (s: string | null) => (s === null ? 'NULL' : `'${s.replace(/'/g, "''")}'`);

export async function up(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `CREATE TABLE land_use_classes (
       code text PRIMARY KEY CHECK (code ~ '^[0-9]{2}([0-9]{2}){0,2}$'),
       name_zh text NOT NULL,
       name_en text NOT NULL,
       level integer NOT NULL CHECK (level BETWEEN 1 AND 3),
       parent_code text REFERENCES land_use_classes(code),
       source text NOT NULL DEFAULT '国土空间调查、规划、用途管制用地用海分类指南（2023）'
     )`,
    `INSERT INTO land_use_classes (code, name_zh, name_en, level, parent_code) VALUES
       ${LAND_USE_CLASSES.map((c) => `(${q(c.code)}, ${q(c.nameZh)}, ${q(c.nameEn)}, ${c.level}, ${q(c.parent)})`).join(',\n       ')}`,
    `CREATE TABLE land_use_code_map (
       land_use text NOT NULL CHECK (land_use IN ('M0', 'M1', 'M2', 'M3')),
       land_use_code text NOT NULL REFERENCES land_use_classes(code),
       is_default boolean NOT NULL,
       assumption boolean NOT NULL,
       note_zh text NOT NULL,
       note_en text NOT NULL,
       PRIMARY KEY (land_use, land_use_code)
     )`,
    `CREATE UNIQUE INDEX land_use_code_map_one_default ON land_use_code_map (land_use) WHERE is_default`,
    `INSERT INTO land_use_code_map (land_use, land_use_code, is_default, assumption, note_zh, note_en) VALUES
       ${LAND_USE_CODE_MAP.map((m) => `(${q(m.landUse)}, ${q(m.landUseCode)}, ${m.isDefault}, ${m.assumption}, ${q(m.noteZh)}, ${q(m.noteEn)})`).join(',\n       ')}`,
    `ALTER TABLE plots ADD COLUMN parcel_code text`,
    `ALTER TABLE plots ADD COLUMN zoning_plot_code text`,
    `ALTER TABLE plots ADD COLUMN land_use_code text`,
    `UPDATE plots p SET land_use_code = m.land_use_code FROM land_use_code_map m WHERE m.land_use = p.land_use AND m.is_default`,
    `ALTER TABLE plots ALTER COLUMN land_use_code SET NOT NULL`,
    `ALTER TABLE plots ADD CONSTRAINT plots_land_use_code_mapped
       FOREIGN KEY (land_use, land_use_code) REFERENCES land_use_code_map (land_use, land_use_code)`,
    `ALTER TABLE plots ADD CONSTRAINT plots_parcel_code_valid CHECK (
       parcel_code IS NULL OR (
         parcel_code ~ '${PARCEL_CODE_PATTERN}'
         AND substr(parcel_code, 1, 6) IN (${DISTRICT_CODES.map((c) => `'${c}'`).join(', ')})
         AND (substr(parcel_code, 14, 1) <> 'A' OR substr(parcel_code, 13, 1) = 'J')
         AND substr(parcel_code, 15, 5) <> '00000'))`,
    `ALTER TABLE plots ADD CONSTRAINT plots_zoning_plot_code_valid CHECK (
       zoning_plot_code IS NULL OR (char_length(zoning_plot_code) BETWEEN 1 AND 64 AND zoning_plot_code = btrim(zoning_plot_code)))`,
    `CREATE UNIQUE INDEX plots_parcel_code_live ON plots (parcel_code) WHERE parcel_code IS NOT NULL AND status <> 'retired'`,
    `CREATE FUNCTION plots_default_land_use_code() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN
       IF NEW.land_use_code IS NULL
          OR (TG_OP = 'UPDATE' AND NEW.land_use_code IS NOT DISTINCT FROM OLD.land_use_code
              AND NOT EXISTS (SELECT 1 FROM land_use_code_map m WHERE m.land_use = NEW.land_use AND m.land_use_code = NEW.land_use_code)) THEN
         SELECT m.land_use_code INTO NEW.land_use_code FROM land_use_code_map m WHERE m.land_use = NEW.land_use AND m.is_default;
       END IF;
       RETURN NEW;
     END $$`,
    `CREATE TRIGGER plots_default_land_use_code_ins BEFORE INSERT ON plots
       FOR EACH ROW WHEN (NEW.land_use_code IS NULL) EXECUTE FUNCTION plots_default_land_use_code()`,
    `CREATE TRIGGER plots_default_land_use_code_upd BEFORE UPDATE OF land_use, land_use_code ON plots
       FOR EACH ROW WHEN (NEW.land_use IS DISTINCT FROM OLD.land_use OR NEW.land_use_code IS NULL) EXECUTE FUNCTION plots_default_land_use_code()`,
  ]);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await execAll(db, [
    `DROP TRIGGER plots_default_land_use_code_upd ON plots`,
    `DROP TRIGGER plots_default_land_use_code_ins ON plots`,
    `DROP FUNCTION plots_default_land_use_code()`,
    `DROP INDEX plots_parcel_code_live`,
    `ALTER TABLE plots DROP CONSTRAINT plots_zoning_plot_code_valid`,
    `ALTER TABLE plots DROP CONSTRAINT plots_parcel_code_valid`,
    `ALTER TABLE plots DROP CONSTRAINT plots_land_use_code_mapped`,
    `ALTER TABLE plots DROP COLUMN land_use_code`,
    `ALTER TABLE plots DROP COLUMN zoning_plot_code`,
    `ALTER TABLE plots DROP COLUMN parcel_code`,
    `DROP TABLE land_use_code_map`,
    `DROP TABLE land_use_classes`,
  ]);
}
