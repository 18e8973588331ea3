/**
 * Park infrastructure subsidies (五(三)13; API.md fixed points): list a park's grants with its
 * total, cap and headroom; grant; disburse; withdraw. Handlers are schema → service → response;
 * the locking, the rule and the decision record live in ./service.ts.
 *
 * Access: `subsidies.manage` writes (shared/roles.ts); `subsidies.read` lists — a district officer
 * only the parks of their own district (403 elsewhere). `Idempotency-Key` is honoured on writes.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { TSchema } from 'typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { DisburseBody, GrantBody, GrantResult, ParkProject, ParkProjectList, ProjectBody, SubsidyChangeResult, SubsidyList, SubsidyParams, WithdrawBody } from '../../../shared/contract/subsidies.ts';
import { IdempotencyHeaders } from '../../kernel/idempotency.ts';
import { callerOf, sendResult, writeOptionsOf } from '../../kernel/http.ts';
import { disburseSubsidy, grantSubsidy, listSubsidies, withdrawSubsidy } from './service.ts';
import { createParkProject, listParkProjects } from './projects.ts';
import { examplesOf } from '../../kernel/openapi.ts';

export { sendResult };

const subsidyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['subsidies'];
  const manage = PERMISSIONS['subsidies.manage'];
  const writeErrors = errors(400, 401, 403, 404, 409, 422);
  /** The schema of a change to one subsidy (disburse, withdraw): idempotent, answered with the subsidy and the park's figures. */
  const changeSchema = <B extends TSchema>(operationId: string, summary: string, description: string, body: B) => ({
    tags,
    operationId,
    summary,
    description,
    headers: IdempotencyHeaders,
    params: SubsidyParams,
    body,
    response: { 200: SubsidyChangeResult, ...writeErrors },
  });

  app.get('/parks/:id/subsidies', {
    config: { access: PERMISSIONS['subsidies.read'] },
    schema: {
      tags,
      operationId: 'subsidies.list',
      summary: 'A park’s infrastructure subsidies with the net total granted, the cap in force and the headroom (五(三)13)',
      description: 'Newest first. A district officer sees only the parks of their own district (403 elsewhere).',
      params: IdParams,
      response: { 200: SubsidyList, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => listSubsidies(app.db, req.params.id, callerOf(req).user));

  app.get('/parks/:id/projects', {
    config: { access: PERMISSIONS['subsidies.read'] },
    schema: {
      tags,
      operationId: 'subsidies.listProjects',
      summary: 'A park’s projects (public platforms, infrastructure, facilities) with each one’s granted total and remaining 20 % headroom (五(三)13)',
      description: 'Newest first, with the park’s cap, granted and headroom. A district officer sees only the parks of their own district (403 elsewhere).',
      params: IdParams,
      response: { 200: ParkProjectList, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => listParkProjects(app.db, req.params.id, req.user));

  app.post('/parks/:id/projects', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'subsidies.createProject',
      summary: 'Record a park project (the unit of the 20 %): name, kind, total investment',
      description: 'The total investment is fixed once recorded (grants are decided on it). 201 with the project and its 20 % headroom.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: ProjectBody,
      requestExamples: examplesOf(ProjectBody, {
        'testing-centre': { summary: '登记园区公共技术服务平台（检验检测中心）项目', value: { name: '园区公共技术服务平台（检验检测中心）', kind: 'public_platform', totalInvestmentYuan: 60_000_000 } },
      }),
      response: { 201: ParkProject, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await createParkProject(app.db, callerOf(req), req.params.id, req.body, writeOptionsOf(req))));

  app.post('/parks/:id/subsidies', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'subsidies.grant',
      summary: 'Grant a subsidy to a park project: min(requested, 20 % of its total investment − already granted to it, the park’s remaining cap), rounded down to the fen',
      description:
        'The share and the cap are the parameters in force (reference data). 201 with the grant, which limit bound it (limitedBy: investment_share = the project’s remaining 20 %) and the park’s and project’s figures after it. ' +
        '404 when the project is not this park’s. 409 SUBSIDY_CAP_EXCEEDED when the park has no headroom left, when the project has had its 20 % (reason PROJECT_SHARE_EXHAUSTED), or when the share of a tiny investment rounds down to 0 — with the remaining headroom in the message and body. ' +
        'Safe under concurrency: the park’s totals row and the project row are locked, and the database refuses a total above either limit.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: GrantBody,
      requestExamples: examplesOf(GrantBody, { 'platform-grant': { summary: '为园区公共服务平台项目申请基础设施补助 800 万元', value: { projectId: 3, requestedYuan: 8_000_000 } } }),
      response: { 201: GrantResult, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await grantSubsidy(app.db, callerOf(req), { ...req.body, parkId: req.params.id }, writeOptionsOf(req))));

  app.post('/parks/:id/subsidies/:sid/disburse', {
    config: { access: manage },
    // The body is optional (the date defaults to today): a POST without one is an empty body.
    preValidation: async (req) => {
      if (req.body === undefined || req.body === null) req.body = {};
    },
    schema: changeSchema(
      'subsidies.disburse',
      'Record the disbursement of a granted subsidy (granted → disbursed)',
      'A disbursed subsidy can no longer be withdrawn (money paid out is recovered outside this system).',
      DisburseBody,
    ),
  }, async (req, reply) => sendResult(reply, await disburseSubsidy(app.db, callerOf(req), { parkId: req.params.id, id: req.params.sid, disbursedOn: req.body.disbursedOn }, writeOptionsOf(req))));

  app.post('/parks/:id/subsidies/:sid/withdraw', {
    config: { access: manage },
    schema: changeSchema(
      'subsidies.withdraw',
      'Withdraw a granted subsidy: a reversing ledger entry restores the park’s and the project’s headroom (granted → withdrawn)',
      'Only a granted (not yet disbursed) subsidy; 409 otherwise.',
      WithdrawBody,
    ),
  }, async (req, reply) => sendResult(reply, await withdrawSubsidy(app.db, callerOf(req), { parkId: req.params.id, id: req.params.sid, reason: req.body.reason }, writeOptionsOf(req))));
};

export default subsidyRoutes;
