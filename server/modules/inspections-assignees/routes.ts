/**
 * `/supervision/inspectors`: who a field inspection can be assigned to. Beside the inspections
 * module (helper insp's) because the users list is for administrators only, while a district
 * officer opening an inspection must pick a colleague of their own district.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors } from '../../../shared/contract/common.ts';
import { InspectorList, InspectorsQuery } from '../../../shared/contract/inspection-assignees.ts';
import { callerOf } from '../../kernel/http.ts';
import { listInspectors } from './service.ts';

const inspectionAssigneeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/supervision/inspectors', {
    config: { access: PERMISSIONS['supervision.inspect'] },
    schema: {
      tags: ['inspections'],
      operationId: 'inspections.listInspectors',
      summary: 'District officers a field inspection can be assigned to (a district officer: own district only)',
      querystring: InspectorsQuery,
      response: { 200: InspectorList, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listInspectors(app.db, callerOf(req), req.query);
  });
};

export default inspectionAssigneeRoutes;
