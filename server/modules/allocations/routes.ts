/**
 * Allocations (API.md, Write): propose, list, read, approve, cancel, contract, milestones.
 * Handlers are schema → service → response; the rules, locks and the decision record live in
 * ./service.ts.
 *
 * Access: the land officer and the administrator write; the bureau reads everything, a district
 * officer only allocations of plots in their own district (lists are filtered, another
 * district's id is 403); investors and anonymous callers have no access.
 * `Idempotency-Key` is honoured on every write (create, approve, cancel, contract, milestones).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { badRequest } from '../../kernel/errors.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { Allocation, ALLOCATION_STATUSES, AllocationList, AllocationsQuery, CancelBody, ContractBody, MilestoneBody, ProposeBody } from '../../../shared/contract/allocations.ts';
import { IdempotencyHeaders } from '../../kernel/idempotency.ts';
import { callerOf, sendResult, writeOptionsOf } from '../../kernel/http.ts';
import {
  approveAllocation,
  cancelAllocation,
  contractAllocation,
  listAllocations,
  proposeAllocation,
  readAllocation,
  recordMilestone,
} from './service.ts';
import type { AllocationStatus } from '../../kernel/db/schema.ts';
import { examplesOf } from '../../kernel/openapi.ts';

function parseStatuses(raw: string | undefined): AllocationStatus[] | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const items = raw.split(',').map((s) => s.trim());
  for (const s of items) {
    if (!(ALLOCATION_STATUSES as readonly string[]).includes(s)) throw badRequest(`status "${s}" is not one of ${ALLOCATION_STATUSES.join(', ')}.`, { field: 'status' });
  }
  return items as AllocationStatus[];
}

const allocationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['allocations'];
  const read = PERMISSIONS['allocations.read'];
  const manage = PERMISSIONS['allocations.manage'];
  const writeErrors = errors(400, 401, 403, 404, 409, 422);

  app.get('/allocations', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'allocations.list',
      summary: 'List allocations (district officers: their district only)',
      description: 'Newest first (sort=green_first: green-channel allocations first). Filters: status (comma-separated), quotaYear, plotId, parkId, districtCode, sector, iab, overdue, greenChannel. Items leave out the proposal floor and the decision record (GET /api/allocations/:id has them).',
      querystring: AllocationsQuery,
      response: { 200: AllocationList, ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query;
    return listAllocations(app.db, callerOf(req), {
      status: parseStatuses(q.status),
      quotaYear: q.quotaYear,
      plotId: q.plotId,
      parkId: q.parkId,
      districtCode: q.districtCode,
      sector: q.sector,
      iab: q.iab,
      overdue: q.overdue,
      greenChannel: q.greenChannel,
      sort: q.sort,
      limit: q.limit ?? 100,
      offset: q.offset ?? 0,
    });
  });

  app.get('/allocations/:id', {
    config: { access: read },
    schema: { tags, operationId: 'allocations.get', summary: 'One allocation with its proposal floor and decision record', params: IdParams, response: { 200: Allocation, ...errors(400, 401, 403, 404) } },
  }, async (req) => readAllocation(app.db, callerOf(req), req.params.id));

  app.post('/allocations', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'allocations.propose',
      summary: 'Propose an allocation (status proposed); the price is checked against the floor in force today',
      description: 'Several proposals may exist for one plot; only one can be approved. 409 PLOT_UNAVAILABLE when the plot is allocated, withdrawn or held for another applicant; 422 BELOW_PRICE_FLOOR naming the floor and its binding term; 422 COST_NOT_RECORDED when the plot’s land cost is not recorded (a land officer records it in the plot editor).',
      headers: IdempotencyHeaders,
      body: ProposeBody,
      requestExamples: examplesOf(ProposeBody, {
        'ai-transfer': {
          summary: '人工智能项目，50年出让，按底价报价（2027年度指标）',
          value: {
            plotId: 1024,
            quotaYear: 2027,
            mode: 'transfer',
            termYears: 50,
            priceYuan: 38_600_000,
            project: {
              name: '智能网联汽车核心零部件研发制造基地',
              enterprise: { name: '广州示例智能科技有限公司', uscc: '91440101MA5CXXXX08' },
              sector: 'ai',
              iab: true,
              subSector: '智能网联汽车',
              plannedInvestmentYuan: 500_000_000,
            },
          },
        },
      }),
      response: { 201: Allocation, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await proposeAllocation(app.db, callerOf(req), req.body, writeOptionsOf(req))));

  app.post('/allocations/:id/approve', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'allocations.approve',
      summary: 'Approve: charge the quota, allocate the plot, record the decision',
      description: 'The floor is computed again from the plot and the reference data in force now. The plot’s other open proposals are closed in the same transaction (cancelled, reason superseded, supersededBy this one). 409 SUPERSEDED when this proposal was closed so; 409 FOUR_EYES when APPROVAL_FOUR_EYES is on and the caller proposed it. 409 QUOTA_EXCEEDED (remaining quota and the need, in 亩), 409 PLOT_UNAVAILABLE, 409 CONFLICT when the year has no quota set or the allocation is not proposed, 422 BELOW_PRICE_FLOOR, 422 COST_NOT_RECORDED (no land cost recorded for the plot).',
      headers: IdempotencyHeaders,
      params: IdParams,
      response: { 200: Allocation, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await approveAllocation(app.db, callerOf(req), { id: req.params.id, approvalFourEyes: app.config.approvalFourEyes }, writeOptionsOf(req))));

  app.post('/allocations/:id/cancel', {
    config: { access: manage },
    // The body is optional: a bare POST cancels without a reason.
    preValidation: async (req) => {
      req.body ??= {};
    },
    schema: {
      tags,
      operationId: 'allocations.cancel',
      summary: 'Cancel before completion: the plot becomes available, the quota is released by a reversing ledger entry',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: CancelBody,
      requestExamples: examplesOf(CancelBody, { 'withdrawn-by-enterprise': { summary: '企业放弃用地，撤回供地方案', value: { reason: '企业书面申请放弃该地块，撤回供地方案' } } }),
      response: { 200: Allocation, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await cancelAllocation(app.db, callerOf(req), { id: req.params.id, reason: req.body.reason }, writeOptionsOf(req))));

  app.post('/allocations/:id/contract', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'allocations.contract',
      summary: 'Record the signed contract of an approved allocation (status contracted)',
      description: 'Contract number (出让合同编号), electronic supervision number (电子监管号), signing date and the agreed hand-over, start and completion dates, in that order.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: ContractBody,
      response: { 200: Allocation, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await contractAllocation(app.db, callerOf(req), { id: req.params.id, contract: req.body }, writeOptionsOf(req))));

  app.post('/allocations/:id/milestones', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'allocations.recordMilestone',
      summary: 'Record hand-over, start or completion of a contracted allocation (completion completes it)',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: MilestoneBody,
      response: { 200: Allocation, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await recordMilestone(app.db, callerOf(req), { id: req.params.id, milestone: req.body }, writeOptionsOf(req))));
};

export default allocationRoutes;
