/**
 * Expressions of interest (API.md: POST /api/interests). An investor's own interests are under
 * /api/me (../me/routes.ts).
 *
 * - POST /api/interests — public. Rate-limited per address (INTEREST_LIMIT_PER_HOUR stored
 *   interests in any rolling hour, 429 with Retry-After), a 16 KB body limit, the honeypot field
 *   `website` (a filled value is a 400: no real person sees the field, and refusing openly
 *   never loses a lead silently), and the checks of shared/interest.ts.
 * - GET /api/interests — the queue: the bureau (admin, land officer) sees all, a district officer
 *   those on plots in their district, read-only.
 * - PATCH /api/interests/:id (reply, status), POST /api/interests/:id/hold and /propose — the
 *   bureau only; each one transaction with its audit events.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import {
  BureauInterest,
  BureauInterestList,
  CreateInterestBody,
  InterestHoldBody,
  InterestHoldResult,
  InterestProposeBody,
  InterestProposeResult,
  InterestsQuery,
  OwnInterest,
  PatchInterestBody,
} from '../../../shared/contract/interests.ts';
import { callerOf } from '../../kernel/http.ts';
import { convertToHold, convertToProposal, createInterest, interestForBureau, listQueue, RateLimited, updateInterest } from './service.ts';
import { examplesOf } from '../../kernel/openapi.ts';

/** Who may read the queue: the bureau, and district officers for their own district. */
const QUEUE_READERS = [...PERMISSIONS['interests.manage'], 'district_officer'] as const;

const interestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['interests'];
  const manage = PERMISSIONS['interests.manage'];

  app.post('/interests', {
    config: { access: 'public', rateLimit: { max: app.config.rateLimitPerMinute, timeWindow: '1 minute' } },
    bodyLimit: 16 * 1024,
    schema: {
      tags,
      operationId: 'interests.create',
      summary: 'Register interest in a plot (company, 统一社会信用代码, contact, message)',
      description:
        `Anyone, with or without an account (a signed-in investor's interest appears under GET /api/me/interests). ` +
        `At most INTEREST_LIMIT_PER_HOUR (default 5) per address in any hour: then 429 with Retry-After. Body ≤ 16 KB. ` +
        `The plot must be available (409 PLOT_UNAVAILABLE otherwise). 400 names every field to fix (details in \`problems\`).`,
      body: CreateInterestBody,
      requestExamples: examplesOf(CreateInterestBody, {
        'biomed-company': {
          summary: '生物医药企业登记用地意向',
          value: {
            plotId: 1024,
            company: '广州示例生物医药有限公司',
            uscc: '91440116MA59ABCD15',
            contactName: '李女士',
            contactPhone: '13800138000',
            message: '拟建设体外诊断试剂研发生产基地，用地约 30 亩，希望了解供地计划和出让条件。',
          },
        },
      }),
      response: { 201: OwnInterest, ...errors(400, 403, 409, 413, 429) },
    },
  }, async (req, reply) => {
    try {
      const created = await createInterest(app.db, callerOf(req), req.body, { limitPerHour: app.config.interestLimitPerHour });
      return reply.code(201).send(created);
    } catch (err) {
      if (err instanceof RateLimited) reply.header('retry-after', String(err.retryAfterS));
      throw err;
    }
  });

  app.get('/interests', {
    config: { access: QUEUE_READERS },
    schema: {
      tags,
      operationId: 'interests.list',
      summary: 'The interest queue, newest first (district officers: plots in their district, read-only)',
      description: 'Filters: plotId, status. `counts` gives the number by status for the same scope and plot.',
      querystring: InterestsQuery,
      response: { 200: BureauInterestList, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listQueue(app.db, callerOf(req), req.query);
  });

  app.get('/interests/:id', {
    config: { access: QUEUE_READERS },
    schema: { tags, operationId: 'interests.get', summary: 'One interest', params: IdParams, response: { 200: BureauInterest, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return interestForBureau(app.db, callerOf(req), req.params.id);
  });

  app.patch('/interests/:id', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'interests.update',
      summary: 'Reply to an interest and/or set its status (new, replied, closed)',
      description: 'A reply sets the status to replied unless a status is given. A converted interest keeps its status (409).',
      params: IdParams,
      body: PatchInterestBody,
      response: { 200: BureauInterest, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateInterest(app.db, callerOf(req), req.params.id, req.body));

  app.post('/interests/:id/hold', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'interests.hold',
      summary: 'Turn an interest into a hold of its plot for the company (name and USCC carried across)',
      description: 'One transaction: the hold (as POST /api/plots/:id/holds), the interest marked converted, audit events. 409 PLOT_UNAVAILABLE when the plot cannot be held.',
      params: IdParams,
      body: InterestHoldBody,
      response: { 201: InterestHoldResult, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await convertToHold(app.db, callerOf(req), req.params.id, req.body)));

  app.post('/interests/:id/propose', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'interests.propose',
      summary: 'Turn an interest into a proposed allocation to the company (name and USCC carried across)',
      description: 'One transaction: the proposal (as POST /api/allocations, price checked against the floor), the interest marked converted, audit events. 409 PLOT_UNAVAILABLE, 422 BELOW_PRICE_FLOOR, 422 COST_NOT_RECORDED.',
      params: IdParams,
      body: InterestProposeBody,
      response: { 201: InterestProposeResult, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => reply.code(201).send(await convertToProposal(app.db, callerOf(req), req.params.id, req.body)));
};

export default interestRoutes;
