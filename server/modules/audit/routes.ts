/**
 * The audit trail: `GET /api/audit` lists events with filters, newest first;
 * `GET /api/audit/verify` walks the hash chain and names the first broken link
 * (also `npm run audit:verify`).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors } from '../../../shared/contract/common.ts';
import { listEvents, verifyChain } from './service.ts';
import { AuditList, AuditQuery, VerifyResultSchema } from '../../../shared/contract/auth.ts';

const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/audit', {
    config: { access: PERMISSIONS['audit.read'] },
    schema: {
      tags: ['audit'],
      operationId: 'audit.list',
      summary: 'Audit events, newest first',
      description: 'Filters combine with AND. `entity` + `entityId` give one record’s history; `from` is inclusive, `to` exclusive.',
      querystring: AuditQuery,
      response: { 200: AuditList, ...errors(400, 401, 403) },
    },
  }, async (req) => listEvents(app.db, req.query));

  app.get('/audit/verify', {
    config: { access: PERMISSIONS['audit.verify'] },
    schema: {
      tags: ['audit'],
      operationId: 'audit.verify',
      summary: 'Verify the audit hash chain',
      description: '`{ ok: true, count }` when every event is intact and in order; otherwise `{ ok: false, brokenAtId, reason }` for the first broken link. Answers 200 either way.',
      response: { 200: VerifyResultSchema, ...errors(401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const result = await verifyChain(app.db);
    if (!result.ok) req.log.error({ audit: result }, 'audit chain verification failed');
    return result;
  });
};

export default auditRoutes;
