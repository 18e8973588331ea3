/**
 * Siting (issue #16 §2), public: `POST /api/siting/rank` and `GET /api/siting/explain`. Rules
 * in ./service.ts and shared/policy/siting.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../../../shared/contract/common.ts';
import { SitingExplainQuery, SitingExplainResponse, SitingRankResponse, SitingRequirements } from '../../../shared/contract/siting.ts';
import { paramsToRequirements } from '../../../shared/siting-query.ts';
import { callerOf } from '../../kernel/http.ts';
import { policyFailure } from '../quotes/service.ts';
import { explainPlot, rankPlots } from './service.ts';

const sitingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.rateLimitPerMinute * 5, timeWindow: '1 minute' };

  app.post('/siting/rank', {
    config: { access: 'public', rateLimit },
    schema: {
      tags: ['siting'],
      operationId: 'siting.rank',
      summary: 'Rank the available plots for a project’s requirements, with every score explained',
      description:
        'Hard requirements exclude (counted under the first one each plot fails); the rest is scored 0–1 per criterion and weighted (the given weights normalised, else the sector’s defaults). ' +
        'Ordered by score, then plot code. Prices and the price criterion use the public indicative minimum only, for every caller; the bureau (and a district officer in their district) also gets internalFloor. Distances are straight-line (直线距离), EPSG:4547 plane.',
      body: SitingRequirements,
      response: { 200: SitingRankResponse, ...errors(400, 429) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return rankPlots(app.db, callerOf(req), req.body);
  });

  app.get('/siting/explain', {
    config: { access: 'public', rateLimit },
    schema: {
      tags: ['siting'],
      operationId: 'siting.explain',
      summary: 'Why (not) this plot: the requirements it fails, or its scores and rank',
      querystring: SitingExplainQuery,
      response: { 200: SitingExplainResponse, ...errors(400, 404, 429) },
    },
  }, async (req, reply) => {
    const { plotId, ...params } = req.query;
    const decoded = paramsToRequirements(params);
    if (!decoded.ok) throw policyFailure(decoded);
    reply.header('cache-control', 'no-store');
    return explainPlot(app.db, callerOf(req), plotId, decoded.value);
  });
};

export default sitingRoutes;
