/**
 * The search query: the candidate plots with their indicative minimum per m² computed in SQL
 * (see ./service.ts for the formula and why), filtered, sorted and paged. The reference data in
 * force travels as VALUES lists. Executor first.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { LandUse, Sector } from '../../../shared/domain.ts';
import { landUsesOffering } from '../../../shared/supply-modes.ts';
import type { PublicFloorBinding } from '../../../shared/policy/index.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import type { ReferenceSet } from '../reference/service.ts';
import type { ProjectFigures, SearchFilters, SearchSort } from './service.ts';
import { POLLUTION_CATEGORIES } from '../../../shared/policy/standard-land.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const fen = (yuan: number) => Math.round(yuan * 100);

/** VALUES lists of the reference data in force, as CTE bodies. */
function referenceTables(ref: ReferenceSet) {
  const bench = ref.benchmark.length
    ? sql.join(ref.benchmark.map((b) => sql`(${b.districtCode}::text, ${b.landLevel}::int, ${fen(b.yuanPerM2)}::numeric)`))
    : sql`(NULL::text, NULL::int, NULL::numeric)`;
  const grades = ref.districtGrades.length
    ? sql.join(ref.districtGrades.map((g) => sql`(${g.districtCode}::text, ${g.grade}::int)`))
    : sql`(NULL::text, NULL::int)`;
  const nmin = ref.nationalMinimum.length
    ? sql.join(ref.nationalMinimum.map((n) => sql`(${n.grade}::int, ${fen(n.yuanPerM2)}::numeric)`))
    : sql`(NULL::int, NULL::numeric)`;
  const pmin = ref.provincialMinimum.length
    ? sql.join(ref.provincialMinimum.map((n) => sql`(${n.grade}::int, ${fen(n.yuanPerM2)}::numeric)`))
    : sql`(NULL::int, NULL::numeric)`;
  return { bench, grades, nmin, pmin };
}

/**
 * The candidate rows with their floor, as one SELECT (used for the page and the count). `where`
 * holds the plain filters; the floor filter applies on the outer query.
 */
function candidates(ref: ReferenceSet, where: RawBuilder<unknown>[]) {
  const { bench, grades, nmin, pmin } = referenceTables(ref);
  const factorBp = ref.params.iabFloorFactorBp;
  const conditions = sql.join([sql`pl.status = 'available'`, ...where], sql` AND `);
  return sql`
    WITH bench(district_code, land_level, b_fen) AS (VALUES ${bench}),
         grades(district_code, grade) AS (VALUES ${grades}),
         nmin(grade, n_fen) AS (VALUES ${nmin}),
         pmin(grade, p_fen) AS (VALUES ${pmin}),
         base AS (
           SELECT pl.id, pl.code, pl.park_id, pl.area_m2, pl.land_use, pl.serviced, pl.sample, pl.bbox,
                  p.code AS park_code, p.name_zh AS park_name_zh, p.name_en AS park_name_en, p.tier AS park_tier,
                  p.sectors, p.district_code, d.name_zh AS district_name_zh, d.name_en AS district_name_en,
                  pl.area_m2 * 100 AS area_h,
                  CASE WHEN b.b_fen IS NULL OR n.n_fen IS NULL THEN NULL
                       ELSE div(b.b_fen * pl.area_m2 * 100 * ${factorBp}::numeric + 999999, 1000000) END AS bench_fen,
                  CASE WHEN b.b_fen IS NULL OR n.n_fen IS NULL THEN NULL
                       ELSE div(n.n_fen * pl.area_m2 * 100 + 99, 100) END AS nat_fen,
                  CASE WHEN b.b_fen IS NULL OR n.n_fen IS NULL OR pm.p_fen IS NULL THEN NULL
                       ELSE div(pm.p_fen * pl.area_m2 * 100 + 99, 100) END AS prov_fen
             FROM plots pl
             JOIN parks p ON p.id = pl.park_id
             JOIN districts d ON d.code = p.district_code
             LEFT JOIN grades g ON g.district_code = p.district_code
             LEFT JOIN bench b ON b.district_code = p.district_code AND b.land_level = pl.land_level
             LEFT JOIN nmin n ON n.grade = coalesce(pl.land_grade, g.grade)
             LEFT JOIN pmin pm ON pm.grade = coalesce(pl.land_grade, g.grade)
            WHERE ${conditions}
         ),
         floored AS (
           SELECT base.*,
                  greatest(bench_fen, nat_fen, prov_fen) AS floor_fen,
                  CASE WHEN bench_fen IS NULL THEN NULL
                       WHEN bench_fen >= nat_fen AND bench_fen >= coalesce(prov_fen, 0) THEN 'benchmark'
                       WHEN nat_fen >= coalesce(prov_fen, 0) THEN 'national_minimum'
                       ELSE 'provincial_minimum' END AS binding
             FROM base
         )
    SELECT floored.*, div(floor_fen * 100 + area_h - 1, area_h) AS floor_fen_per_m2 FROM floored`;
}

/** Ordered on the candidate columns (`c.`), never on the text-formatted output columns. */
const ORDER: Record<SearchSort, RawBuilder<unknown>> = {
  code: sql`c.code ASC`,
  area_asc: sql`c.area_m2 ASC, c.code ASC`,
  area_desc: sql`c.area_m2 DESC, c.code ASC`,
  floor_asc: sql`c.floor_fen_per_m2 ASC NULLS LAST, c.code ASC`,
  floor_desc: sql`c.floor_fen_per_m2 DESC NULLS LAST, c.code ASC`,
};

export type SearchRow = {
  id: number;
  code: string;
  park_id: number;
  area_m2: string;
  land_use: LandUse;
  serviced: boolean;
  sample: boolean;
  park_code: string;
  park_name_zh: string;
  park_name_en: string;
  park_tier: string;
  sectors: Sector[];
  district_code: string;
  district_name_zh: string;
  district_name_en: string;
  binding: PublicFloorBinding | null;
  floor_per_m2: string | null;
  cx: string | number;
  cy: string | number;
};

/**
 * "Plots whose 标准地 conditions my project meets", as shared/policy/standard-land.ts
 * `conditionsMet` judges: a condition the plot does not set, or a figure the project does not
 * give, never excludes; minima are met at equality (figure ≥ min), maxima too (figure ≤ max);
 * a project of a lower or equal pollution class meets the plot's. Compared as exact numerics.
 */
function projectMeetsConditions(p: ProjectFigures | undefined): RawBuilder<unknown>[] {
  if (!p) return [];
  const out: RawBuilder<unknown>[] = [];
  const cond = (field: string) => sql`(pl.conditions->>${field})::numeric`;
  const atLeastMin = (field: string, figure: number) => sql`(NOT (pl.conditions ? ${field}) OR ${cond(field)} <= ${String(figure)}::numeric)`;
  const atMostMax = (field: string, figure: number) => sql`(NOT (pl.conditions ? ${field}) OR ${cond(field)} >= ${String(figure)}::numeric)`;
  if (p.investmentIntensityYuanPerM2 !== undefined) out.push(atLeastMin('investmentIntensityYuanPerM2Min', p.investmentIntensityYuanPerM2));
  if (p.plotRatio !== undefined) out.push(atLeastMin('plotRatioMin', p.plotRatio), atMostMax('plotRatioMax', p.plotRatio));
  if (p.outputPerMuYuan !== undefined) out.push(atLeastMin('outputPerMuYuanMin', p.outputPerMuYuan));
  if (p.taxPerMuYuan !== undefined) out.push(atLeastMin('taxPerMuYuanMin', p.taxPerMuYuan));
  if (p.energyTcePer10kYuan !== undefined) out.push(atMostMax('energyTcePer10kYuanMax', p.energyTcePer10kYuan));
  if (p.pollutionCategory !== undefined) {
    const order = sql`ARRAY[${sql.join(POLLUTION_CATEGORIES.map((c) => sql`${c}::text`))}]`;
    out.push(sql`(NOT (pl.conditions ? 'pollutionCategory') OR array_position(${order}, pl.conditions->>'pollutionCategory') >= array_position(${order}, ${p.pollutionCategory}::text))`);
  }
  return out;
}

/** One page of candidates and the number of all of them. */
export async function searchRows(db: Executor, ref: ReferenceSet, f: SearchFilters): Promise<{ rows: SearchRow[]; total: number }> {
  const where: RawBuilder<unknown>[] = [];
  if (f.sector) where.push(sql`p.sectors @> ARRAY[${f.sector}]::text[]`);
  if (f.districtCode) where.push(sql`p.district_code = ${f.districtCode}`);
  if (f.parkId !== undefined) where.push(sql`pl.park_id = ${f.parkId}`);
  // 亩 compared exactly: A m² ≥ x 亩 ⇔ 3·A ≥ 2000·x.
  if (f.minAreaMu !== undefined) where.push(sql`pl.area_m2 * 3 >= ${String(f.minAreaMu)}::numeric * 2000`);
  if (f.maxAreaMu !== undefined) where.push(sql`pl.area_m2 * 3 <= ${String(f.maxAreaMu)}::numeric * 2000`);
  let landUses = f.landUse;
  if (f.supplyModes?.length) {
    const offering = landUsesOffering(f.supplyModes);
    landUses = landUses ? landUses.filter((lu) => offering.includes(lu)) : offering;
  }
  if (landUses) {
    where.push(landUses.length ? sql`pl.land_use IN (${sql.join(landUses)})` : sql`false`);
  }
  if (f.bbox) where.push(sql`pl.bbox && ${bboxToPgBox(f.bbox)}::box`);
  where.push(...projectMeetsConditions(f.project));

  const rows = candidates(ref, where);
  const floorFilter = f.maxFloorYuanPerM2 !== undefined ? sql`WHERE c.floor_fen_per_m2 <= ${String(f.maxFloorYuanPerM2)}::numeric * 100` : sql``;
  const page = await sql<SearchRow>`
    SELECT c.id, c.code, c.park_id, c.area_m2::text AS area_m2, c.land_use, c.serviced, c.sample,
           c.park_code, c.park_name_zh, c.park_name_en, c.park_tier, c.sectors, c.district_code,
           c.district_name_zh, c.district_name_en, c.binding,
           (c.floor_fen_per_m2 / 100)::text AS floor_per_m2,
           round(((c.bbox[0])[0] + (c.bbox[1])[0])::numeric / 2, 6)::text AS cx,
           round(((c.bbox[0])[1] + (c.bbox[1])[1])::numeric / 2, 6)::text AS cy
      FROM (${rows}) c ${floorFilter}
     ORDER BY ${ORDER[f.sort]}
     LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  const count = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (${rows}) c ${floorFilter}`.execute(db);

  return { rows: page.rows, total: count.rows[0]?.n ?? 0 };
}
