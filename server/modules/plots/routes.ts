/**
 * `/plots`: the public reads of the map (plots by viewport and filters, one plot by id or by
 * code), the export (GeoJSON, CSV, zipped Shapefile: the exports module), and the bureau's map
 * editor: create, validate (dry run), edit with optimistic concurrency, delete, withdraw, split,
 * merge, history. Rules in ./service.ts and ./commands.ts; geometry rules in shared/geometry.ts.
 * Writes honour `Idempotency-Key`. A plot's holds (`/plots/:id/holds`) are the holds module's.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { LAND_USES, PLOT_STATUSES, type LandUse, type PlotStatus } from '../../../shared/domain.ts';
import { parseBBox } from '../../../shared/geometry/bbox.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { PlotCollection, PlotDetail, PlotsQuery } from '../../../shared/contract/map.ts';
import { ExportQuery } from '../../../shared/contract/exports.ts';
import {
  CreatePlotBody, DeleteQuery, DeleteResult, HistoryResult, MergeBody, MergeResult, PatchPlotBody, SplitBody, SplitResult, ValidateBody,
  ValidationResult, WithdrawBody, WriteResult,
} from '../../../shared/contract/plots.ts';
import { IdempotencyHeaders, type IdempotentResult } from '../../kernel/idempotency.ts';
import { badRequest } from '../../kernel/errors.ts';
import { callerOf } from '../../kernel/http.ts';
import {
  createPlot, deletePlot, mergePlots, patchPlot, plotCollectionBody, plotDetail, plotHistory, splitPlot, validateOnly, withdrawPlot, type PlotFilters,
  type WriteKey,
} from './service.ts';
import { EXPORT_MAX_PLOTS, exportPlots } from '../exports/service.ts';
import { examplesOf } from '../../kernel/openapi.ts';

/** Geometries of up to 10,000 vertices fit comfortably. */
const GEOMETRY_BODY_LIMIT = 4 * 1024 * 1024;

function send(reply: FastifyReply, r: IdempotentResult<unknown>) {
  return reply.code(r.status).header('idempotent-replayed', String(r.replayed)).send(r.body);
}

/** The idempotency key of a write, its route, and what makes a replay the same request. */
function writeKey(req: FastifyRequest, route: string): WriteKey {
  const key = req.headers['idempotency-key'];
  return { key: typeof key === 'string' ? key : undefined, route, request: { params: req.params, body: req.body } };
}

function parseList<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined || raw === '') return undefined;
  const items = raw.split(',').map((s) => s.trim());
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      throw badRequest(`${name} "${item}" is not one of ${allowed.join(', ')}.`);
    }
  }
  return items as T[];
}

/** The filters of GET /api/plots (and of the export) from the query string. */
function plotFilters(q: { bbox?: string | undefined; status?: string | undefined; landUse?: string | undefined; parkId?: number | undefined; sector?: PlotFilters['sector']; districtCode?: string | undefined }): Omit<PlotFilters, 'limit'> {
  let bbox;
  if (q.bbox !== undefined) {
    const parsed = parseBBox(q.bbox);
    if (!parsed.ok) throw badRequest(parsed.message);
    bbox = parsed.value;
  }
  return {
    bbox,
    status: parseList<PlotStatus>('status', q.status, PLOT_STATUSES),
    landUse: parseList<LandUse>('landUse', q.landUse, LAND_USES),
    parkId: q.parkId,
    sector: q.sector,
    districtCode: q.districtCode,
  };
}

const plotRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['plots'];
  const manage = PERMISSIONS['plots.manage'];
  const writeErrors = errors(400, 401, 403, 404, 409, 422);

  // --- Public reads ---------------------------------------------------------------------------

  app.get('/plots', {
    config: { access: 'public', cache: 'shared' },
    schema: {
      tags: ['plots'],
      operationId: 'plots.list',
      summary: 'Plots by viewport and filters (for lists and integrations; the map layer uses vector tiles)',
      description: 'Live parcels only: plots retired by a split or merge (status retired, 已注销) are left out unless asked for with status=retired; their history and lineage are at /api/plots/:id/history.',
      querystring: PlotsQuery,
      response: { 200: PlotCollection, ...errors(400) },
    },
  }, async (req, reply) => {
    // The database writes the GeoJSON (see plotsFeatureCollection); sent as is, as one string or
    // page by page. A page that fails once the answer has started is logged by Fastify, which
    // destroys the stream and the connection: the client sees a cut answer, never a wrong one.
    const body = await plotCollectionBody(app.dbRead, { ...plotFilters(req.query), limit: req.query.limit ?? 5000 });
    return reply.type('application/json; charset=utf-8').send(body as never); // the text of a PlotCollection (the schema documents it)
  });

  app.get('/plots/:id', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['plots'], operationId: 'plots.get', summary: 'One plot', params: IdParams, response: { 200: PlotDetail, ...errors(400, 404) } },
  }, async (req) => plotDetail(app.db, { id: req.params.id }));

  app.get('/plots/by-code/:code', {
    config: { access: 'public', cache: 'shared' },
    schema: {
      tags: ['plots'],
      operationId: 'plots.getByCode',
      summary: 'One plot by its code (宗地编号)',
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: PlotDetail, ...errors(400, 404) },
    },
  }, async (req) => plotDetail(app.db, { code: req.params.code }));

  app.get('/plots/export', {
    config: { access: 'public' },
    schema: {
      tags: ['plots'],
      operationId: 'plots.export',
      summary: 'Export plots as GeoJSON, CSV, a zipped Shapefile or DXF, in WGS84 or CGCS2000 GK (EPSG:4547), with English or Chinese field names',
      description:
        `Same filters as GET /api/plots. The bureau (admin, land officer, industry officer) gets every status and every field including costYuan; everyone else gets available plots and public fields only. At most ${EXPORT_MAX_PLOTS} plots (header x-export-truncated: true when cut). ` +
        'File name plots-YYYYMMDD.{geojson,csv,zip} (Guangzhou date). The Shapefile has a .prj with the CRS’s WKT and a .cpg of UTF-8, so Chinese text (location, park names) survives; DBF field names: id, code, parcel_cd, zoning_cd, park_code, park_name, district, dist_name, status, land_use, luse_code, area_m2, area_mu, geom_m2, land_level, land_grade, location, ratio_min, ratio_max, density, green_pct, height_m, invest_m2, serviced, sample, cost_yuan. ' +
        'lang=zh: Chinese names and values, the .dbf in GBK (.cpg GBK, names ≤ 10 bytes: 地块编号, 宗地代码, 面积平方米, 面积亩 …). Retired (已注销) parcels only with includeRetired=true. DXF (R12, $DWGCODEPAGE ANSI_936): one closed polyline per parcel ring on a layer per status, the plot code as TEXT at a point inside; EPSG:4547 unless crs says otherwise.',
      querystring: ExportQuery,
      produces: ['application/geo+json', 'text/csv', 'application/zip', 'application/dxf'],
      response: { 200: Type.Unknown({ description: 'The file (binary zip, CSV text or GeoJSON)' }), ...errors(400) },
    },
  }, async (req, reply) => {
    const { format, crs, lang, includeRetired } = req.query;
    const file = await exportPlots(app.db, callerOf(req), { format, crs: crs ?? (format === 'dxf' ? 'EPSG:4547' : 'EPSG:4326'), filters: plotFilters(req.query), lang: lang ?? 'en', includeRetired: includeRetired ?? false });
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="${file.filename}"`)
      .header('x-export-count', String(file.count))
      .header('x-export-truncated', String(file.truncated))
      .header('cache-control', 'no-store')
      .send(file.body);
  });

  // --- The bureau's editor --------------------------------------------------------------------

  app.post('/plots', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      operationId: 'plots.create',
      summary: 'Draw a new plot in a park',
      description:
        'Validates the geometry (shared/geometry.ts): closed rings, no self-intersection, RFC 7946 winding, inside Guangzhou, inside the park (≤ 0.5 m outside or ≥ 99.9 % inside), no overlap > 0.5 m² with an active plot (the error names it), surveyed vs geometric area (warning > 1 %, 422 > 5 %). ' +
        '422 VALIDATION_FAILED carries `errors` and `warnings` (code, messageZh, messageEn, where [lon, lat]) and, when closure/winding were the only problems, `fixed`. 409 CONFLICT (reason CODE_EXISTS) when the code is taken.',
      headers: IdempotencyHeaders,
      body: CreatePlotBody,
      response: { 201: WriteResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await createPlot(app.db, callerOf(req), req.body, writeKey(req, 'POST /api/plots'))));

  app.post('/plots/validate', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      operationId: 'plots.validate',
      summary: 'Check a geometry against its park and the active plots in the database, writing nothing',
      description: 'The editor validates live with shared/geometry.ts on the plots it has loaded; this answers with the database’s view. Give excludePlotIds for the plot(s) being replaced.',
      body: ValidateBody,
      response: { 200: ValidationResult, ...errors(400, 401, 403) },
    },
  }, async (req) => validateOnly(app.db, req.body));

  app.patch('/plots/:id', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      operationId: 'plots.update',
      summary: 'Edit a plot’s geometry and/or attributes (optimistic concurrency)',
      description:
        '`expectedRowVersion` is required: 409 CONFLICT (reason STALE_ROW_VERSION, with currentRowVersion) when someone changed the plot since it was read. ' +
        'Geometry, area and park can change while the plot is available or held; an allocated plot’s boundary is fixed (409 PLOT_UNAVAILABLE); a withdrawn plot is read-only. Every edit adds a version to the history.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: PatchPlotBody,
      requestExamples: examplesOf(PatchPlotBody, {
        'survey-update': {
          summary: '按 2026 年测绘成果更新宗地坐落和土地成本',
          value: {
            expectedRowVersion: '12',
            location: '黄埔区开创大道以北、科丰路以东',
            costYuan: 25_600_000,
            reason: '根据 2026 年测绘成果和征地补偿结算更新宗地坐落、土地成本',
          },
        },
      }),
      response: { 200: WriteResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await patchPlot(app.db, callerOf(req), req.params.id, req.body, writeKey(req, 'PATCH /api/plots/:id'))));

  app.delete('/plots/:id', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'plots.delete',
      summary: 'Delete a plot that was never allocated',
      description: '409 PLOT_UNAVAILABLE (reason HAS_HISTORY) when the plot has allocation or hold records, is part of a split/merge, or is held/allocated: withdraw it instead. The audit event keeps the deleted plot, geometry included.',
      params: IdParams,
      querystring: DeleteQuery,
      response: { 200: DeleteResult, ...writeErrors },
    },
  }, async (req) => deletePlot(app.db, callerOf(req), req.params.id, req.query.expectedRowVersion));

  app.post('/plots/:id/withdraw', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'plots.withdraw',
      summary: 'Withdraw a plot from supply (status withdrawn)',
      description: '409 PLOT_UNAVAILABLE when it is allocated (cancel the allocation first), held (release the hold first) or already withdrawn.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: WithdrawBody,
      response: { 200: WriteResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await withdrawPlot(app.db, callerOf(req), req.params.id, req.body, writeKey(req, 'POST /api/plots/:id/withdraw'))));

  app.post('/plots/:id/split', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      operationId: 'plots.split',
      summary: 'Split an available plot by a drawn line',
      description:
        'The line must cross the plot from edge to edge (its ends are extended). The parent becomes withdrawn; the pieces (largest first) are new available plots linked to it in the lineage. ' +
        'Surveyed area and cost are shared in proportion to the pieces’ geometric areas, exactly to 0.01 (the response’s areaNote says so): resurvey and PATCH the real figures. 422 with reason LINE_INVALID / LINE_DOES_NOT_SPLIT / GEOMETRY_INVALID.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: SplitBody,
      response: { 201: SplitResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await splitPlot(app.db, callerOf(req), req.params.id, req.body, writeKey(req, 'POST /api/plots/:id/split'))));

  app.post('/plots/merge', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'plots.merge',
      summary: 'Merge adjacent available plots of one park into one',
      description:
        'Adjacent = they form one piece, sharing edges (422 NOT_ADJACENT otherwise); same park (422 NOT_SAME_PARK); all available (409). Surveyed areas and costs add up; land use and level must agree or be given. ' +
        'The parents become withdrawn, linked to the new plot in the lineage.',
      headers: IdempotencyHeaders,
      body: MergeBody,
      response: { 201: MergeResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await mergePlots(app.db, callerOf(req), req.body, writeKey(req, 'POST /api/plots/merge'))));

  app.get('/plots/:id/history', {
    config: { access: PERMISSIONS['internal.read'] },
    schema: {
      tags,
      operationId: 'plots.history',
      summary: 'Every geometry/attribute version of a plot, with its parents and children',
      description: 'District officers: plots of their district only.',
      params: IdParams,
      response: { 200: HistoryResult, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => plotHistory(app.db, callerOf(req), req.params.id));
};

export default plotRoutes;
