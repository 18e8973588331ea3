/**
 * Public map routes (API.md, Read): districts, parks, one park, plots by viewport and filters,
 * one plot. Handlers are a few lines: the schema validates, a repository reads, rows become
 * GeoJSON.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { LAND_USES, PLOT_STATUSES, type LandUse, type PlotStatus } from '../../../shared/domain.ts';
import { parseBBox } from '../../../shared/geometry/bbox.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { DistrictCollection, ParkCollection, ParkDetail, PlotCollection, PlotDetail, PlotsQuery } from '../../../shared/contract/map.ts';
import { findPlot, listDistricts, listParks, plotsFeatureCollectionText } from './repository.ts';
import { parkSubsidySummary } from '../subsidies/service.ts';

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

const mapRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/districts', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['map'], summary: 'Guangzhou districts (11)', response: { 200: DistrictCollection } },
  }, async (_req, reply) => {
    const districts = await listDistricts(app.db);
    reply.header('cache-control', 'public, max-age=300');
    return {
      type: 'FeatureCollection' as const,
      features: districts.map(({ geometry, ...properties }) => ({ type: 'Feature' as const, id: properties.code, geometry, properties })),
    };
  });

  app.get('/parks', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['map'], summary: 'Value-innovation parks', response: { 200: ParkCollection } },
  }, async () => {
    const parks = await listParks(app.db);
    return {
      type: 'FeatureCollection' as const,
      features: parks.map(({ geometry, figures, ...p }) => ({
        type: 'Feature' as const,
        id: p.id,
        geometry,
        properties: { ...p, plotCount: figures.plotCount, availableAreaM2: figures.availableAreaM2 },
      })),
    };
  });

  app.get('/parks/:id', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['map'], summary: 'One park with its land and subsidy figures', params: IdParams, response: { 200: ParkDetail, ...errors(400, 404) } },
  }, async (req) => {
    const [park] = await listParks(app.db, { id: req.params.id });
    if (!park) throw notFound(`Park ${req.params.id}`);
    const { geometry, figures, notes, ...p } = park;
    const n = notes as { locationConfidence?: string | null; areaNote?: string | null };
    // 五(三)13: the cap in force (reference data) and the park's net granted total (its ledger sum).
    const subsidy = await parkSubsidySummary(app.db, p.id);
    return {
      type: 'Feature' as const,
      id: p.id,
      geometry,
      properties: {
        ...p,
        locationConfidence: n.locationConfidence ?? null,
        areaNote: n.areaNote ?? null,
        figures: { ...figures, subsidyCapYuan: subsidy.capYuan, subsidyGrantedYuan: subsidy.grantedYuan },
      },
    };
  });

  app.get('/plots', {
    config: { access: 'public', cache: 'shared' },
    schema: {
      tags: ['map'],
      summary: 'Plots by viewport and filters (for lists and integrations; the map layer uses vector tiles)',
      description: 'Live parcels only: plots retired by a split or merge (status retired, 已注销) are left out unless asked for with status=retired; their history and lineage are at /api/plots/:id/history.',
      querystring: PlotsQuery,
      response: { 200: PlotCollection, ...errors(400) },
    },
  }, async (req, reply) => {
    const q = req.query;
    let bbox;
    if (q.bbox !== undefined) {
      const parsed = parseBBox(q.bbox);
      if (!parsed.ok) throw badRequest(parsed.message);
      bbox = parsed.value;
    }
    // The database writes the GeoJSON (see plotsFeatureCollectionText); sent as is.
    const body = await plotsFeatureCollectionText(app.db, {
      bbox,
      status: parseList<PlotStatus>('status', q.status, PLOT_STATUSES),
      landUse: parseList<LandUse>('landUse', q.landUse, LAND_USES),
      parkId: q.parkId,
      sector: q.sector,
      districtCode: q.districtCode,
      limit: q.limit ?? 5000,
    });
    return reply.type('application/json; charset=utf-8').send(body as never); // the text of a PlotCollection (the schema documents it)
  });

  app.get('/plots/:id', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['map'], summary: 'One plot', params: IdParams, response: { 200: PlotDetail, ...errors(400, 404) } },
  }, async (req) => {
    const plot = await findPlot(app.db, { id: req.params.id });
    if (!plot) throw notFound(`Plot ${req.params.id}`);
    // costYuan (五(三)14 C) and its note are internal; the response schema also strips anything unlisted.
    const { geometry, costYuan: _cost, costNote: _note, ...properties } = plot;
    return { type: 'Feature' as const, id: plot.id, geometry, properties };
  });

  app.get('/plots/by-code/:code', {
    config: { access: 'public', cache: 'shared' },
    schema: {
      tags: ['map'],
      summary: 'One plot by its code (宗地编号)',
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }),
      response: { 200: PlotDetail, ...errors(400, 404) },
    },
  }, async (req) => {
    const plot = await findPlot(app.db, { code: req.params.code });
    if (!plot) throw notFound(`Plot ${req.params.code}`);
    const { geometry, costYuan: _cost, costNote: _note, ...properties } = plot;
    return { type: 'Feature' as const, id: plot.id, geometry, properties };
  });
};

export default mapRoutes;
