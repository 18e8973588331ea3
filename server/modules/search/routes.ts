/**
 * Investor search: public, no login. Available plots only, with the
 * indicative IAB floor per m² (never its cost component). Rules in ./service.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LAND_USES, type LandUse } from '../../../shared/domain.ts';
import { parseBBox } from '../../../shared/geometry/bbox.ts';
import { SUPPLY_MODES, type SupplyMode } from '../../../shared/supply-modes.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errors } from '../../../shared/contract/common.ts';
import { SearchQuery, SearchResponse } from '../../../shared/contract/search.ts';
import { searchPlots } from './service.ts';

function parseList<T extends string>(name: string, raw: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const items = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw badRequest(`${name} "${item}" is not one of ${allowed.join(', ')}.`, { field: name });
  }
  return items as T[];
}

const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/search/plots', {
    config: { access: 'public', rateLimit: { max: app.config.rateLimitPerMinute * 5, timeWindow: '1 minute' } },
    schema: {
      tags: ['search'],
      operationId: 'search.plots',
      summary: 'Find available plots: filters, sorting, paging, and the indicative minimum price per m²',
      description:
        'Only available plots. floorYuanPerM2 is the indicative minimum (参考最低价) of 五(三)14 for an IAB project over 50 years: the public terms only (benchmark share, national and provincial minimum) from the reference data in force (asOf), for every caller; the final 出让底价 is set by the bureau and may be higher. ' +
        'Areas in 亩 are compared exactly (1 亩 = 10000/15 m²). The project… figures keep only plots whose 标准地 conditions the project meets (minimum met at equality; a condition the plot does not set never excludes it). supplyModes filters by the indicative modes per land use (shared/supply-modes.ts); the bureau confirms per plot.',
      querystring: SearchQuery,
      response: { 200: SearchResponse, ...errors(400, 429) },
    },
  }, async (req, reply) => {
    const q = req.query;
    let bbox;
    if (q.bbox !== undefined) {
      const parsed = parseBBox(q.bbox);
      if (!parsed.ok) throw badRequest(parsed.message, { field: 'bbox' });
      bbox = parsed.value;
    }
    if (q.minAreaMu !== undefined && q.maxAreaMu !== undefined && q.minAreaMu > q.maxAreaMu) {
      throw badRequest(`minAreaMu (${q.minAreaMu}) must not be greater than maxAreaMu (${q.maxAreaMu}).`, { field: 'minAreaMu' });
    }
    reply.header('cache-control', 'no-cache');
    return searchPlots(app.dbRead, {
      sector: q.sector,
      districtCode: q.districtCode,
      parkId: q.parkId,
      minAreaMu: q.minAreaMu,
      maxAreaMu: q.maxAreaMu,
      landUse: parseList<LandUse>('landUse', q.landUse, LAND_USES),
      maxFloorYuanPerM2: q.maxFloorYuanPerM2,
      supplyModes: parseList<SupplyMode>('supplyModes', q.supplyModes, SUPPLY_MODES),
      bbox,
      project: {
        investmentIntensityYuanPerM2: q.projectInvestmentIntensity,
        plotRatio: q.projectPlotRatio,
        outputPerMuYuan: q.projectOutputPerMu,
        taxPerMuYuan: q.projectTaxPerMu,
        energyTcePer10kYuan: q.projectEnergyPer10k,
        pollutionCategory: q.projectPollutionCategory,
      },
      sort: q.sort ?? 'code',
      limit: q.limit ?? 50,
      offset: q.offset ?? 0,
    });
  });
};

export default searchRoutes;
