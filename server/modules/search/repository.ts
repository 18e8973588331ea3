/**
 * The search query: the candidate plots with their indicative minimum per m² computed in SQL
 * (./public-floor.ts; see ./service.ts for the formula and why), filtered, sorted and paged. The reference data in
 * force travels as VALUES lists. Executor first.
 */
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { LandUse, Sector } from '../../../shared/domain.ts';
import { landUsesOffering } from '../../../shared/supply-modes.ts';
import type { PublicFloorBinding } from '../../../shared/policy/index.ts';
import { bboxToPgBox } from '../../kernel/db/geo.ts';
import type { ReferenceSet } from '../reference/service.ts';
import type { SearchFilters, SearchSort } from './service.ts';
import { plotsWithPublicFloor, projectMeetsConditions } from './public-floor.ts';

type Executor = Kysely<Database> | Transaction<Database>;

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

  const rows = plotsWithPublicFloor(ref, where);
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
