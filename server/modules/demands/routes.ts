/**
 * Project land demand (随用随供; API.md /api/demands; shared/contract/demands.ts).
 *
 * - GET /api/demands, GET /api/demands/overview, GET /api/demands/:id — demands.read; a district
 *   officer sees the demands concerning their district (403 for another's), read-only.
 * - POST /api/demands, PATCH /api/demands/:id, POST /api/demands/:id/rank — demands.manage.
 * - POST /api/demands/:id/hold — demands.manage and plots.manage (a hold, as POST /api/plots/:id/holds).
 * - POST /api/demands/:id/propose — demands.manage and allocations.manage (a proposal, as POST /api/allocations).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS, type Permission, type Role } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { SitingRankResponse } from '../../../shared/contract/siting.ts';
import {
  CreateDemandBody,
  Demand,
  DemandHoldBody,
  DemandHoldResult,
  DemandList,
  DemandOverview,
  DemandProposeBody,
  DemandProposeResult,
  DemandRankBody,
  DemandsQuery,
  PatchDemandBody,
} from '../../../shared/contract/demands.ts';
import { callerOf } from '../../kernel/http.ts';
import { createDemand, demandOverview, holdForDemand, listDemands, proposeForDemand, rankForDemand, readDemand, updateDemand } from './service.ts';

/** The roles holding every one of the permissions. */
const allOf = (...ps: Permission[]): Role[] => (PERMISSIONS[ps[0]!] as readonly Role[]).filter((r) => ps.every((p) => (PERMISSIONS[p] as readonly Role[]).includes(r)));

const demandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['demands'];
  const read = PERMISSIONS['demands.read'];
  const manage = PERMISSIONS['demands.manage'];

  app.get('/demands', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'demands.list',
      summary: 'Project land demands (随用随供): filter by status, sector, district; sort newest, waiting or needed_by',
      description: 'District officers: the demands whose districts (asked for, or the matched plot’s) include theirs. `status` is as read: satisfied when the linked allocation is approved or later.',
      querystring: DemandsQuery,
      response: { 200: DemandList, ...errors(400, 401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listDemands(app.db, callerOf(req), req.query);
  });

  app.post('/demands', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'demands.create',
      summary: 'Record a project land demand, directly or from an investor’s interest',
      description:
        'Requirements as for POST /api/siting/rank (checked the same way: 400 names `requirements.<field>`); neededBy a real date; the USCC’s check character when given; keyProject only for an IAB sector. ' +
        'With interestId the enterprise defaults to the interest’s company and USCC (404 for no such interest, 409 DEMAND_EXISTS when it already has its demand).',
      body: CreateDemandBody,
      response: { 201: Demand, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await createDemand(app.db, callerOf(req), req.body)));

  // Before /demands/:id, so "overview" is never read as an id.
  app.get('/demands/overview', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'demands.overview',
      summary: 'Demand against supply per sector and district (亩 needed, available plots that fit, unmet demand) and the longest waits',
      description: 'Over open and matched demands. A demand naming no district counts under districtCode null; one naming several, in each. District officers: their district’s rows and demands.',
      response: { 200: DemandOverview, ...errors(401, 403) },
    },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return demandOverview(app.db, callerOf(req));
  });

  app.get('/demands/:id', {
    config: { access: read },
    schema: { tags, operationId: 'demands.get', summary: 'One project land demand', params: IdParams, response: { 200: Demand, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return readDemand(app.db, callerOf(req), req.params.id);
  });

  app.patch('/demands/:id', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'demands.update',
      summary: 'Edit a demand; close it with a reason (status closed, closeReason); reopen it (status open)',
      description: 'The enterprise cannot change while a plot is held or an allocation proposed for it (409 DEMAND_MATCHED); a satisfied demand cannot be closed (409).',
      params: IdParams,
      body: PatchDemandBody,
      response: { 200: Demand, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateDemand(app.db, callerOf(req), req.params.id, req.body));

  app.post('/demands/:id/rank', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'demands.rank',
      summary: 'Rank the plots for the demand’s requirements (as POST /api/siting/rank, as the calling bureau user)',
      description: 'Optional weights replace the demand’s own (or the sector defaults); limit 1–200 (default 20).',
      params: IdParams,
      body: DemandRankBody,
      response: { 200: SitingRankResponse, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => rankForDemand(app.db, callerOf(req), req.params.id, req.body ?? {}));

  app.post('/demands/:id/hold', {
    config: { access: allOf('demands.manage', 'plots.manage') },
    schema: {
      tags,
      operationId: 'demands.hold',
      summary: 'Hold a plot for the demand’s enterprise until a date; the demand becomes matched',
      description:
        'One transaction: the hold (as POST /api/plots/:id/holds: 409 PLOT_UNAVAILABLE when the plot cannot be held), the demand matched with the plot, audit events. ' +
        '400 enterprise.uscc when the demand has no USCC; 409 DEMAND_CLOSED, DEMAND_MATCHED.',
      params: IdParams,
      body: DemandHoldBody,
      response: { 201: DemandHoldResult, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await holdForDemand(app.db, callerOf(req), req.params.id, req.body)));

  app.post('/demands/:id/propose', {
    config: { access: allOf('demands.manage', 'allocations.manage') },
    schema: {
      tags,
      operationId: 'demands.propose',
      summary: 'Propose an allocation of a plot to the demand’s project (name, enterprise, sector, key flag from the demand); the demand becomes matched',
      description:
        'One transaction: the proposal (as POST /api/allocations: price checked against the floor), the demand matched, audit events. ' +
        '409 PLOT_UNAVAILABLE, DEMAND_CLOSED, DEMAND_MATCHED; 422 BELOW_PRICE_FLOOR, COST_NOT_RECORDED; 400 enterprise.uscc when the demand has no USCC.',
      params: IdParams,
      body: DemandProposeBody,
      response: { 201: DemandProposeResult, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => reply.code(201).send(await proposeForDemand(app.db, callerOf(req), req.params.id, req.body)));
};

export default demandRoutes;
