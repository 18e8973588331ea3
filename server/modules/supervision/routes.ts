/**
 * Idle-land supervision (issue #15 §2, 《闲置土地处置办法》): the idle list, decisions, and an
 * allocation's progress reports and government delays. Handlers are schema → service → answer;
 * the rules are in ./idle.ts (with shared/policy/idle-land.ts) and ./service.ts.
 *
 * Access: the idle list and the records are `supervision.read` (a district officer: their
 * district only; naming another district or another district's allocation is 403); progress
 * and government delays are written by whoever manages allocations (admin, land officer);
 * decisions are `supervision.decide`. `Idempotency-Key` is honoured on every write.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import {
  AllocationSupervision,
  AllocationSupervisionQuery,
  Decision,
  DecisionBody,
  GovernmentDelay,
  GovernmentDelayBody,
  GovernmentDelayList,
  IdleList,
  IdleQuery,
  Progress,
  ProgressBody,
  ProgressList,
} from '../../../shared/contract/supervision.ts';
import { IdempotencyHeaders } from '../../kernel/idempotency.ts';
import { callerOf, sendResult, writeOptionsOf } from '../../kernel/http.ts';
import { listGovernmentDelays, listIdle, listProgress, readAllocationSupervision, recordDecision, recordGovernmentDelay, recordProgress } from './service.ts';

const supervisionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['supervision'];
  const read = PERMISSIONS['supervision.read'];
  const decide = PERMISSIONS['supervision.decide'];
  const manage = PERMISSIONS['allocations.manage'];
  const writeErrors = errors(400, 401, 403, 404, 409, 422);

  app.get('/supervision/idle', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'supervision.idle',
      summary: 'Idle land (闲置土地): every contracted or completed allocation not on track on a day',
      description: 'Stages: overdue (past the agreed start, under a full year: warning), idle_fee (a full year: 土地闲置费 of 20 % of the price, to the fen), reclaim (two full years: 无偿收回, pending a decision), government_delay (past the original agreed start, within a recorded government delay: art. 8, no fee). Most urgent first. asOf defaults to today (Asia/Shanghai); judged on today, stage changes are written to the audit trail (supervision.stage_changed), once each. District officers: their district only (another districtCode is 403).',
      querystring: IdleQuery,
      response: { 200: IdleList, ...errors(400, 401, 403) },
    },
  }, async (req) => listIdle(app.db, callerOf(req), req.query));

  app.post('/supervision/decisions', {
    config: { access: decide },
    schema: {
      tags,
      operationId: 'supervision.recordDecision',
      summary: 'Record a decision on idle land with its document number (决定文号): idle_fee, reclaim or no_action',
      description: 'Never automatic. idle_fee needs stage idle_fee or reclaim today; reclaim needs reclaim; no_action any listed stage — otherwise 409 CONFLICT, reason STAGE_NOT_ALLOWED. feeYuan (idle_fee only) defaults to 20 % of the price, to the fen. One idle_fee and one reclaim decision per allocation (409 DECISION_RECORDED).',
      headers: IdempotencyHeaders,
      body: DecisionBody,
      response: { 201: Decision, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await recordDecision(app.db, callerOf(req), req.body, writeOptionsOf(req))));

  app.get('/allocations/:id/supervision', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'supervision.forAllocation',
      summary: 'One allocation’s supervision on a day: stage (on_track included), the idle item, progress, government delays, decisions',
      description: 'A read only (stage changes are recorded by GET /api/supervision/idle and by the writes). stage null: not contracted or completed.',
      params: IdParams,
      querystring: AllocationSupervisionQuery,
      response: { 200: AllocationSupervision, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => readAllocationSupervision(app.db, callerOf(req), { id: req.params.id, asOf: req.query.asOf }));

  app.get('/allocations/:id/progress', {
    config: { access: read },
    schema: { tags, operationId: 'supervision.listProgress', summary: 'An allocation’s progress reports (开发进度), oldest first', params: IdParams, response: { 200: ProgressList, ...errors(400, 401, 403, 404) } },
  }, async (req) => listProgress(app.db, callerOf(req), req.params.id));

  app.post('/allocations/:id/progress', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'supervision.recordProgress',
      summary: 'Record progress (developed area, investment made) of a contracted, started allocation',
      description: 'The figures of art. 2’s test: less than ⅓ of the area developed or 25 % of the planned investment made, and stopped a full year, is idle land. The date is not in the future nor before the start; the area not more than the plot’s. 409 MILESTONE_ORDER before the start.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: ProgressBody,
      response: { 201: Progress, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await recordProgress(app.db, callerOf(req), { id: req.params.id, body: req.body }, writeOptionsOf(req))));

  app.get('/allocations/:id/government-delays', {
    config: { access: read },
    schema: { tags, operationId: 'supervision.listGovernmentDelays', summary: 'An allocation’s government-caused delays (art. 8), in the order recorded', params: IdParams, response: { 200: GovernmentDelayList, ...errors(400, 401, 403, 404) } },
  }, async (req) => listGovernmentDelays(app.db, callerOf(req), req.params.id));

  app.post('/allocations/:id/government-delays', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'supervision.recordGovernmentDelay',
      summary: 'Record a government-caused delay (政府原因, art. 8) with its cause and evidence',
      description: 'Moves the agreed start (and the idle marks) by the days recorded; never yields a fee.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: GovernmentDelayBody,
      response: { 201: GovernmentDelay, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await recordGovernmentDelay(app.db, callerOf(req), { id: req.params.id, body: req.body }, writeOptionsOf(req))));
};

export default supervisionRoutes;
