/**
 * The SQL pieces of the public indicative minimum per plot (see ./service.ts for the formula and
 * why it never reads the cost): the reference data in force as VALUES lists, the plots with
 * their floor, and "the project meets the plot's 标准地 conditions". Shared by the search and
 * the siting ranking (server/modules/siting), so both compute the same figure the same way.
 */
import { sql, type RawBuilder } from 'kysely';
import type { ReferenceSet } from '../reference/service.ts';
import { POLLUTION_CATEGORIES } from '../../../shared/policy/standard-land.ts';

/** The project's own figures (shared/policy/standard-land.ts ProjectFigures names). */
export interface ProjectFigureFilter {
  investmentIntensityYuanPerM2?: number | undefined;
  plotRatio?: number | undefined;
  outputPerMuYuan?: number | undefined;
  taxPerMuYuan?: number | undefined;
  energyTcePer10kYuan?: number | undefined;
  pollutionCategory?: (typeof POLLUTION_CATEGORIES)[number] | undefined;
}

const fen = (yuan: number) => Math.round(yuan * 100);

/** VALUES lists of the reference data in force, as CTE bodies. */
export function referenceTables(ref: ReferenceSet) {
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
 * The plots with their public indicative floor, as one SELECT (`floor_fen_per_m2`, `binding`,
 * and the plot, park and district columns). `where` holds the plain filters on `pl.` (plots) and
 * `p.` (parks); the rows are the AVAILABLE plots unless `status` says otherwise (the siting
 * ranking looks at every live plot to count why each is excluded). `extra` adds columns to the
 * row (e.g. a requirement's truth value). Plots of generated zones are left out. Used by the
 * search and by siting.
 */
export function plotsWithPublicFloor(
  ref: ReferenceSet,
  where: RawBuilder<unknown>[],
  { status = sql`pl.status = 'available'`, extra = [] }: { status?: RawBuilder<unknown>; extra?: RawBuilder<unknown>[] } = {},
) {
  const { bench, grades, nmin, pmin } = referenceTables(ref);
  const factorBp = ref.params.iabFloorFactorBp;
  // Generated zones (tier 'zone', sample cadastre at scale, issue #17) are map context, not land
  // on offer: never in the search or a siting ranking.
  const conditions = sql.join([status, sql`p.tier <> 'zone'`, ...where], sql` AND `);
  const extraColumns = extra.length ? sql`, ${sql.join(extra)}` : sql``;
  return sql`
    WITH bench(district_code, land_level, b_fen) AS (VALUES ${bench}),
         grades(district_code, grade) AS (VALUES ${grades}),
         nmin(grade, n_fen) AS (VALUES ${nmin}),
         pmin(grade, p_fen) AS (VALUES ${pmin}),
         base AS (
           SELECT pl.id, pl.code, pl.park_id, pl.area_m2, pl.land_use, pl.serviced, pl.sample, pl.bbox,
                  p.code AS park_code, p.name_zh AS park_name_zh, p.name_en AS park_name_en, p.tier AS park_tier,
                  p.sectors, p.district_code, d.name_zh AS district_name_zh, d.name_en AS district_name_en,
                  pl.area_m2 * 100 AS area_h${extraColumns},
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


/**
 * "Plots whose 标准地 conditions my project meets", as shared/policy/standard-land.ts
 * `conditionsMet` judges: a condition the plot does not set, or a figure the project does not
 * give, never excludes; minima are met at equality (figure ≥ min), maxima too (figure ≤ max);
 * a project of a lower or equal pollution class meets the plot's. Compared as exact numerics.
 */
export function projectMeetsConditions(p: ProjectFigureFilter | undefined): RawBuilder<unknown>[] {
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
