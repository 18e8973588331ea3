/**
 * `GET /api/plots/export?format=geojson|csv|shp&crs=EPSG:4326|EPSG:4547&…filters` (API.md; the
 * plot-data issue §4). The filters are those of GET /api/plots. Public: anonymous callers and
 * non-bureau roles get the available plots without internal fields; the bureau gets every
 * status and the cost (../services/exports.ts).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LAND_USES, PLOT_STATUSES, type LandUse, type PlotStatus } from '../../../shared/domain.ts';
import { parseBBox } from '../../../shared/bbox.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errors } from '../../../shared/contract/common.ts';
import { ExportQuery } from '../../../shared/contract/exports.ts';
import { isCityWide } from '../auth/scope.ts';
import { EXPORT_MAX_PLOTS, exportPlots } from './service.ts';

function parseList<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw badRequest(`${name} "${item}" is not one of ${allowed.join(', ')}.`);
  return items as T[];
}

const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/plots/export', {
    config: { access: 'public' },
    schema: {
      tags: ['exports'],
      summary: 'Export plots as GeoJSON, CSV or a zipped Shapefile, in WGS84 or CGCS2000 GK (EPSG:4547)',
      description:
        `Same filters as GET /api/plots. The bureau (admin, land officer, industry officer) gets every status and every field including costYuan; everyone else gets available plots and public fields only. At most ${EXPORT_MAX_PLOTS} plots (header x-export-truncated: true when cut). ` +
        'File name plots-YYYYMMDD.{geojson,csv,zip} (Guangzhou date). The Shapefile has a .prj with the CRS’s WKT and a .cpg of UTF-8, so Chinese text (location, park names) survives; DBF field names: id, code, park_code, park_name, district, status, land_use, area_m2, geom_m2, land_level, land_grade, location, ratio_min, ratio_max, density, green_pct, height_m, invest_m2, serviced, sample, cost_yuan.',
      querystring: ExportQuery,
      produces: ['application/geo+json', 'text/csv', 'application/zip'],
      response: { 200: Type.Unknown({ description: 'The file (binary zip, CSV text or GeoJSON)' }), ...errors(400) },
    },
  }, async (req, reply) => {
    const q = req.query;
    let bbox;
    if (q.bbox !== undefined) {
      const parsed = parseBBox(q.bbox);
      if (!parsed.ok) throw badRequest(parsed.message);
      bbox = parsed.value;
    }
    const file = await exportPlots(app.db, q.format, q.crs ?? 'EPSG:4326', {
      bbox,
      status: parseList<PlotStatus>('status', q.status, PLOT_STATUSES),
      landUse: parseList<LandUse>('landUse', q.landUse, LAND_USES),
      parkId: q.parkId,
      sector: q.sector,
      districtCode: q.districtCode,
    }, isCityWide(req.user));
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('x-export-count', String(file.count))
      .header('x-export-truncated', String(file.truncated))
      .header('cache-control', 'no-store')
      .send(file.body);
  });
};

export default exportRoutes;
