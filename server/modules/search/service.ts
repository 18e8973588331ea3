/**
 * Investor search (GET /api/search/plots): AVAILABLE plots only, with filters, sorting, paging
 * and each plot's indicative minimum price — the 五(三)14 floor for an IAB project over the
 * statutory 50 years, per m² — computed for every candidate row in SQL so it can be filtered and
 * sorted on at 100,000 plots.
 *
 * This is a public answer, so the figure is the INDICATIVE minimum of POLICY.md "Who may see
 * what": the public terms only — B (benchmark price by district × land level), N (national
 * minimum by the plot's grade, else its district's) and P (provincial minimum by grade, when the
 * table has one) — never C: the cost is not even read, so neither the figure, nor the binding
 * term, nor the floor filter or sort can reveal it. The reference data in force is loaded once
 * per request and joined as VALUES lists; the arithmetic mirrors `publicFloor(priceFloor(…))` of
 * shared/policy term for term, exactly (integer numerics; ⌈a/b⌉ as div(a + b − 1, b), one ceiling
 * per term):
 *   bench = ⌈B·A·factor⌉, natmin = ⌈N·A⌉, provmin = ⌈P·A⌉, floor = max, per m² = ⌈floor / A⌉ (fen),
 *   ties named in the clause's order (benchmark, national minimum, provincial minimum).
 * `tests/api/search.test.ts` checks it against `publicFloor` for every plot on both databases,
 * so the two cannot drift apart.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { BBox, LandUse, ParkTier, Sector } from '../../../shared/domain.ts';
import { m2ToMu } from '../../../shared/units.ts';
import { landUsesOffering, supplyModesFor, type SupplyMode } from '../../../shared/supply-modes.ts';
import type { PublicFloorBinding } from '../../../shared/policy/index.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import { loadReference, type ReferenceSet } from '../reference/service.ts';
import type { SearchSort } from '../../../shared/contract/search.ts';

export interface SearchFilters {
  sector?: Sector | undefined;
  districtCode?: string | undefined;
  parkId?: number | undefined;
  minAreaMu?: number | undefined;
  maxAreaMu?: number | undefined;
  landUse?: LandUse[] | undefined;
  /** Upper bound of the IAB 50-year floor, yuan per m². */
  maxFloorYuanPerM2?: number | undefined;
  /** Plots offering every one of these modes (indicative rule by land use, shared/supply-modes.ts). */
  supplyModes?: SupplyMode[] | undefined;
  bbox?: BBox | undefined;
  sort: SearchSort;
  limit: number;
  offset: number;
}

export interface SearchItem {
  id: number;
  code: string;
  parkId: number;
  parkCode: string;
  parkNameZh: string;
  parkNameEn: string;
  parkTier: ParkTier;
  sectors: Sector[];
  districtCode: string;
  districtNameZh: string;
  districtNameEn: string;
  areaM2: number;
  areaMu: number;
  landUse: LandUse;
  supplyModes: SupplyMode[];
  /** Indicative minimum (public terms only), IAB, 50 years, yuan/m² (null when the reference data has no B or N for the plot). */
  floorYuanPerM2: number | null;
  /** Never `cost`: a public answer names public terms only. */
  floorBinding: PublicFloorBinding | null;
  /** [lng, lat] of the plot's bounding-box centre (WGS84). */
  centroid: [number, number];
  serviced: boolean;
  sample: boolean;
}

export interface SearchResult {
  items: SearchItem[];
  total: number;
  limit: number;
  offset: number;
  /** Date the reference data (benchmark, national minimum, parameters) was taken as of. */
  asOf: string;
  /** true when a benchmark price used is sample data or a district grade is an unconfirmed assumption. */
  referenceSample: boolean;
}

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

type Row = {
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

export async function searchPlots(db: Kysely<Database>, f: SearchFilters): Promise<SearchResult> {
  const ref = await loadReference(db);
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

  const rows = candidates(ref, where);
  const floorFilter = f.maxFloorYuanPerM2 !== undefined ? sql`WHERE c.floor_fen_per_m2 <= ${String(f.maxFloorYuanPerM2)}::numeric * 100` : sql``;
  const page = await sql<Row>`
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

  const referenceSample = ref.benchmark.some((b) => b.sample) || ref.districtGrades.some((g) => g.assumption);
  return {
    items: page.rows.map((r) => {
      const areaM2 = Number(r.area_m2);
      return {
        id: r.id,
        code: r.code,
        parkId: r.park_id,
        parkCode: r.park_code,
        parkNameZh: r.park_name_zh,
        parkNameEn: r.park_name_en,
        parkTier: r.park_tier as ParkTier, // parks.tier's CHECK allows only these
        sectors: r.sectors,
        districtCode: r.district_code,
        districtNameZh: r.district_name_zh,
        districtNameEn: r.district_name_en,
        areaM2,
        areaMu: Math.round(m2ToMu(r.area_m2) * 100) / 100,
        landUse: r.land_use,
        supplyModes: [...supplyModesFor(r.land_use)],
        floorYuanPerM2: r.floor_per_m2 === null ? null : Number(r.floor_per_m2),
        floorBinding: r.binding,
        centroid: [Number(r.cx), Number(r.cy)] as [number, number],
        serviced: r.serviced,
        sample: r.sample,
      };
    }),
    total: count.rows[0]?.n ?? 0,
    limit: f.limit,
    offset: f.offset,
    asOf: ref.asOf,
    referenceSample,
  };
}
