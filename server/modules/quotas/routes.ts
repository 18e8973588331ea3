/**
 * The annual industrial land quota (五(三)11; API.md): public figures per year, the bureau sets
 * a year (≥ 5000 亩), the ledger behind the figures, and the report by district, park and sector
 * with the shortfall against the 5000 亩 supply target. Rules in ./service.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CITY_WIDE_ROLES, PERMISSIONS } from '../../../shared/roles.ts';
import { errors } from '../../../shared/contract/common.ts';
import { LedgerList, PageQuery, Quota, QuotaBody, QuotaReport, YearParams } from '../../../shared/contract/allocations.ts';
import { callerOf } from '../../kernel/http.ts';
import { getQuota, listLedger, listQuotas, quotaNotSet, quotaReport, setQuota } from './service.ts';
import { examplesOf } from '../../kernel/openapi.ts';

const quotaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['quotas'];

  app.get('/quotas', {
    config: { access: 'public' },
    schema: { tags, operationId: 'quotas.list', summary: 'Every year with a quota set, newest first', response: { 200: Type.Object({ items: Type.Array(Quota) }) } },
  }, async () => ({ items: await listQuotas(app.db) }));

  app.get('/quotas/:year', {
    config: { access: 'public' },
    schema: {
      tags,
      operationId: 'quotas.get',
      summary: 'A year’s industrial land quota: set, approved (net of cancellations), IAB part, remaining',
      description: 'Public figures. 404 (reason QUOTA_NOT_SET) for a year the bureau has not set.',
      params: YearParams,
      response: { 200: Quota, ...errors(400, 404) },
    },
  }, async (req) => {
    const q = await getQuota(app.db, req.params.year);
    if (!q) throw quotaNotSet(req.params.year);
    return q;
  });

  app.put('/quotas/:year', {
    config: { access: PERMISSIONS['quotas.manage'] },
    schema: {
      tags,
      operationId: 'quotas.set',
      summary: 'Set a year’s quota and IAB reserve',
      description: 'Both fields are required: the IAB reserve (五(三)11 重点向IAB产业倾斜) is a decision, 0 included; a missing field → 400 naming it. 400 below 5000 亩 (3,333,333.34 m²) or with a reserve outside 0..quota; 409 when approvals already charged to the year would no longer fit.',
      params: YearParams,
      body: QuotaBody,
      requestExamples: examplesOf(QuotaBody, {
        'year-6000-mu': { summary: '设定年度工业用地指标 6000 亩，其中 IAB 产业预留 1800 亩', value: { quotaM2: 4_000_000, iabReserveM2: 1_200_000 } },
      }),
      response: { 200: Quota, ...errors(400, 401, 403, 409) },
    },
  }, async (req) => (await setQuota(app.db, callerOf(req), { ...req.body, year: req.params.year })).quota);

  app.get('/quotas/:year/report', {
    config: { access: PERMISSIONS['allocations.read'] },
    schema: {
      tags,
      operationId: 'quotas.report',
      summary: 'A year’s quota report: used, remaining, IAB share, by district, park and sector; shortfall against the 5000 亩 target',
      params: YearParams,
      response: { 200: QuotaReport, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => quotaReport(app.db, req.params.year));

  app.get('/quotas/:year/ledger', {
    config: { access: CITY_WIDE_ROLES },
    schema: {
      tags,
      operationId: 'quotas.ledger',
      summary: 'The ledger behind a year’s figures: charges (+) and reversals (−), newest first, with their sums',
      params: YearParams,
      querystring: PageQuery,
      response: { 200: LedgerList, ...errors(400, 401, 403) },
    },
  }, async (req) => listLedger(app.db, req.params.year, { limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 }));
};

export default quotaRoutes;
