/** The plots an export holds, with the filters of GET /api/plots. Executor first. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { geometryAreaM2 } from '../../../shared/geometry/index.ts';
import { m2ToMu } from '../../../shared/units.ts';
import { conditionColumns, conditionsOf, planningConditions, plColumns, selectPlots, type PlotSelection } from '../plots/service.ts';
import type { DbfValue } from './shapefile.ts';

/** Plots per export; past it the export says it was cut (header and metadata). */
export const EXPORT_MAX_PLOTS = 100_000;

/** The filters of GET /api/plots. */
export type ExportFilters = PlotSelection;

const num = (v: string | number | null) => (v === null ? null : Number(v));

/** parcelCode, zoningPlotCode, landUseCode (migration 026): written only where the plot rows have the column. */
const OPTIONAL = [['parcel_code', 'parcelCode'], ['zoning_plot_code', 'zoningPlotCode'], ['land_use_code', 'landUseCode']] as const;

export async function queryExport(db: Kysely<Database> | Transaction<Database>, f: ExportFilters, internal: boolean, includeRetired = false) {
  // Live parcels only, unless retired (已注销) ones are asked for — by status or includeRetired (bureau);
  // the public only available ones.
  const retiredToo = includeRetired && !f.status?.length;
  let q = (retiredToo ? selectPlots(db, { ...f, status: ['available', 'held', 'allocated', 'withdrawn', 'retired'] }) : selectPlots(db, f))
    .leftJoin('districts as d', 'd.code', 'p.district_code')
    .select(plColumns)
    .select(['p.code as park_code', 'p.name_zh as park_name', 'p.district_code', 'd.name_zh as district_name'])
    .orderBy('pl.code')
    .limit(EXPORT_MAX_PLOTS + 1);
  if (!internal) q = q.where('pl.status', '=', 'available');
  const rows = await q.execute();
  const truncated = rows.length > EXPORT_MAX_PLOTS;
  const present = new Set<string>(OPTIONAL.filter(([col]) => rows[0] && col in rows[0]).map(([, key]) => key));
  return {
    truncated,
    present,
    plots: rows.slice(0, EXPORT_MAX_PLOTS).map((r) => ({
      geometry: r.geometry,
      properties: {
        id: r.id,
        code: r.code,
        parkCode: r.park_code,
        parkName: r.park_name,
        districtCode: r.district_code,
        districtName: r.district_name ?? null,
        status: r.status,
        landUse: r.land_use,
        areaM2: Number(r.area_m2),
        areaMu: Math.round(m2ToMu(Number(r.area_m2)) * 10_000) / 10_000,
        geometryAreaM2: Math.round(geometryAreaM2(r.geometry) * 100) / 100,
        landLevel: r.land_level,
        landGrade: r.land_grade,
        ...planningConditions(r),
        serviced: r.serviced,
        // 标准地 conditions are public terms: in every export.
        ...conditionColumns(conditionsOf(r.conditions)),
        sample: r.sample,
        ...(internal ? { costYuan: num(r.cost_yuan) } : {}),
        ...Object.fromEntries(OPTIONAL.filter(([col]) => col in r).map(([col, key]) => [key, (r as Record<string, unknown>)[col] ?? null])),
      } as Record<string, DbfValue>,
    })),
  };
}
