/**
 * Public quotes: the price floor of 五(三)14 from figures or from a plot, and
 * the "up to" incentives of 五(一)2,4 五(二)7,9,10 五(四)15. Pure calculations: nothing is
 * written. Rate-limited per IP.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { FloorBody, FloorResponse } from '../../../shared/contract/quotes.ts';
import { RD_LEVELS } from '../../../shared/policy/index.ts';
import { callerOf } from '../../kernel/http.ts';
import { quoteIncentives, quotePriceFloor } from './service.ts';
import { examplesOf } from '../../kernel/openapi.ts';

const Money = Type.Number({ minimum: 0, description: 'yuan, at most 2 decimals' });

const IncentivesBody = Type.Object(
  {
    sme: Type.Boolean({ description: '中小微企业' }),
    equipmentInvestmentYuan: Type.Optional(Money),
    loanInterestPerYearYuan: Type.Optional(Money),
    loanInterestYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    informatizationInvestmentYuan: Type.Optional(Money),
    rdInstitutionLevel: Type.Optional(Type.Union([...RD_LEVELS.map((l) => Type.Literal(l)), Type.Null()])),
    nationalMajorProjectFundsYuan: Type.Optional(Money),
    technicalContractYuan: Type.Optional(Money),
    localConversion: Type.Optional(Type.Boolean()),
    genericDrugsPassed: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  },
  { additionalProperties: false },
);

const quoteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.rateLimitPerMinute, timeWindow: '1 minute' };

  app.post('/quotes/price-floor', {
    config: { access: 'public', rateLimit },
    schema: {
      tags: ['quotes'],
      operationId: 'quotes.priceFloor',
      summary: 'Land price floor (五(三)14), from figures or from a plot and the reference data in force',
      body: FloorBody,
      requestExamples: examplesOf(FloorBody, {
        'from-figures': {
          summary: '按给定数值测算 IAB 项目 50 年出让底价',
          value: { areaM2: 20_000, benchmarkYuanPerM2: 1_500, costYuan: 18_000_000, nationalMinYuanPerM2: 480, iab: true, termYears: 50 },
        },
        'from-plot': { summary: '按地块及现行参考数据测算 IAB 项目出让底价', value: { plotId: 1024, iab: true } },
      }),
      response: { 200: FloorResponse, ...errors(400, 404, 422, 429) },
    },
  }, async (req) => quotePriceFloor(app.db, callerOf(req), req.body));

  app.post('/quotes/incentives', {
    config: { access: 'public', rateLimit },
    schema: {
      tags: ['quotes'],
      operationId: 'quotes.incentives',
      summary: 'Incentives a project may get, as "up to" amounts (五(一)2,4 五(二)7,9,10 五(四)15)',
      body: IncentivesBody,
      requestExamples: examplesOf(IncentivesBody, {
        'sme-equipment': { summary: '中小微企业设备投资 2000 万元、贷款年利息 120 万元（3 年）的可享政策测算', value: { sme: true, equipmentInvestmentYuan: 20_000_000, loanInterestPerYearYuan: 1_200_000, loanInterestYears: 3 } },
      }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            id: Type.String(), clause: Type.String(), titleZh: Type.String(), titleEn: Type.String(),
            upToYuan: Type.Number(), basisZh: Type.String(), basisEn: Type.String(),
          })),
          note: Type.String(),
        }),
        ...errors(400, 429),
      },
    },
  }, async (req) => quoteIncentives(req.body));
};

export default quoteRoutes;
