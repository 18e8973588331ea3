/** The map search (GET /api/map/search): rows → the contract's items, bureau vs public. */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Role } from '../../../shared/roles.ts';
import { can } from '../../../shared/roles.ts';
import type { MapSearchResult } from '../../../shared/contract/map.ts';
import { searchParkRows, searchPlotRows } from './repository.ts';

const round = (x: number) => Math.round(x * 1e6) / 1e6;
const box = (r: { w: number; s: number; e: number; n: number }) => {
  const b = [round(Number(r.w)), round(Number(r.s)), round(Number(r.e)), round(Number(r.n))] as [number, number, number, number];
  return { bbox: b, center: [round((b[0] + b[2]) / 2), round((b[1] + b[3]) / 2)] as [number, number] };
};

/**
 * Parks first (few, and a name is what people type), then plots. Everyone sees the live plots the
 * public map shows; the bureau (plots.manage) also finds retired ones by their old codes.
 */
export async function mapSearch(db: Kysely<Database>, q: string, limit: number, role: Role | null): Promise<MapSearchResult> {
  const text = q.trim().replace(/\s+/g, ' ');
  if (text === '') return { parks: [], plots: [] };
  const [parks, plots] = await Promise.all([
    searchParkRows(db, text, Math.min(limit, 5)),
    searchPlotRows(db, text, { withRetired: can(role, 'plots.manage'), limit }),
  ]);
  return {
    parks: parks.map((r) => ({
      kind: 'park' as const,
      id: r.id,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      districtNameZh: r.district_name_zh,
      districtNameEn: r.district_name_en,
      sample: r.sample,
      ...box(r),
    })),
    plots: plots.map((r) => ({
      kind: 'plot' as const,
      id: r.id,
      code: r.code,
      parcelCode: r.parcel_code,
      location: r.location,
      status: r.status,
      parkId: r.park_id,
      parkNameZh: r.park_name_zh,
      parkNameEn: r.park_name_en,
      matched: r.matched,
      sample: r.sample,
      ...box(r),
    })),
  };
}
