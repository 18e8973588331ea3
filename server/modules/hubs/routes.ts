/** Hubs (issue #16 §1): `GET /api/hubs` (public), `PATCH /api/hubs/:id` (reference.manage). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, Id } from '../../../shared/contract/common.ts';
import { HubCollection, HubFeature } from '../../../shared/contract/siting.ts';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { callerOf } from '../../kernel/http.ts';
import { listHubs, patchHub } from './service.ts';

const HubPatchBody = Type.Object(
  {
    lon: Type.Number({ minimum: 112.95, maximum: 114.06, description: 'WGS84 longitude (within Guangzhou)' }),
    lat: Type.Number({ minimum: 22.55, maximum: 23.94, description: 'WGS84 latitude (within Guangzhou)' }),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    source: Type.Optional(Type.String({ minLength: 1, maxLength: 500, description: 'Where the corrected location comes from' })),
  },
  { additionalProperties: false },
);

const hubRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/hubs', {
    config: { access: 'public' },
    schema: {
      tags: ['hubs'],
      operationId: 'hubs.list',
      summary: 'Transport hubs and innovation anchors (indicative points, ± about 1 km)',
      description: 'A GeoJSON FeatureCollection (WGS84). Every location is indicative; distances from a hub are straight-line (直线距离), never a route.',
      response: { 200: HubCollection },
    },
  }, async (_req, reply) => {
    reply.header('cache-control', 'no-cache');
    return listHubs(app.db);
  });

  app.patch('/hubs/:id', {
    config: { access: PERMISSIONS['reference.manage'] },
    schema: {
      tags: ['hubs'],
      operationId: 'hubs.update',
      summary: 'Correct a hub’s indicative location (audited)',
      params: Type.Object({ id: Id }),
      body: HubPatchBody,
      response: { 200: HubFeature, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => patchHub(app.db, callerOf(req), req.params.id, req.body));
};

export default hubRoutes;
