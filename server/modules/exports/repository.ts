/** The plots an export holds, with the filters of GET /api/plots. Executor first. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { geometryAreaM2 } from '../../../shared/geometry/index.ts';
import { conditionColumns, conditionsOf, planningConditions, selectPlots, type PlotSelection } from '../plots/service.ts';
import type { DbfValue } from './shapefile.ts';

/** Plots per export; past it the export says it was cut (header and metadata). */
export const EXPORT_MAX_PLOTS = 100_000;

/** The filters of GET /api/plots. */
export type ExportFilters = PlotSelection;

const num = (v: string | number | null) => (v === null ? null : Number(v));

export async function queryExport(db: Kysely<Database> | Transaction<Database>, f: ExportFilters, internal: boolean) {
  // Live parcels only, unless retired ones are asked for by status (bureau); the public only available ones.
  let q = selectPlots(db, f)
    .selectAll('pl')
    .select(['p.code as park_code', 'p.name_zh as park_name', 'p.district_code'])
    .orderBy('pl.code')
    .limit(EXPORT_MAX_PLOTS + 1);
  if (!internal) q = q.where('pl.status', '=', 'available');
  const rows = await q.execute();
  const truncated = rows.length > EXPORT_MAX_PLOTS;
  return {
    truncated,
    plots: rows.slice(0, EXPORT_MAX_PLOTS).map((r) => ({
      geometry: r.geometry,
      properties: {
        id: r.id,
        code: r.code,
        parkCode: r.park_code,
        parkName: r.park_name,
        districtCode: r.district_code,
        status: r.status,
        landUse: r.land_use,
        areaM2: Number(r.area_m2),
        geometryAreaM2: Math.round(geometryAreaM2(r.geometry) * 100) / 100,
        landLevel: r.land_level,
        landGrade: r.land_grade,
        ...planningConditions(r),
        serviced: r.serviced,
        // 标准地 conditions are public terms: in every export.
        ...conditionColumns(conditionsOf(r.conditions)),
        sample: r.sample,
        ...(internal ? { costYuan: num(r.cost_yuan) } : {}),
      } as Record<string, DbfValue>,
    })),
  };
}
