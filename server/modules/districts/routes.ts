/**
 * `/districts`: the 11 Guangzhou districts for the map. A district's dashboard
 * (`/districts/:code/dashboard*`) is served by the dashboards module.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { DistrictCollection } from '../../../shared/contract/map.ts';
import { districtCollection } from './service.ts';

const districtRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/districts', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['districts'], operationId: 'districts.list', summary: 'Guangzhou districts (11)', response: { 200: DistrictCollection } },
  }, async (_req, reply) => {
    const body = await districtCollection(app.db);
    reply.header('cache-control', 'public, max-age=300');
    return body;
  });
};

export default districtRoutes;
