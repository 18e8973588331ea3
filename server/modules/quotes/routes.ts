/**
 * Public quotes (API.md, Quotes): the price floor of 五(三)14 from figures or from a plot, and
 * the "up to" incentives of 五(一)2,4 五(二)7,9,10 五(四)15. Pure calculations: nothing is
 * written. Rate-limited per IP.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { FloorBody, FloorResponse } from '../../../shared/contract/quotes.ts';
import { badRequest } from '../../kernel/errors.ts';
import { tryYuanToFen, fenToYuan } from '../../../shared/money.ts';
import { estimateIncentives, RD_LEVELS, type IncentiveInputs } from '../../../shared/policy/index.ts';
import { loadReference } from '../reference/service.ts';
import { computeFloor, floorResponse, policyFailure, quotePlotFloor } from './service.ts';
import { disclosureFor } from '../auth/scope.ts';

const Money = Type.Number({ minimum: 0, description: 'yuan, at most 2 decimals' });

const FIGURES = ['areaM2', 'benchmarkYuanPerM2', 'costYuan', 'nationalMinYuanPerM2'] as const;
const OPTIONAL_FIGURES = ['provincialMinYuanPerM2'] as const;

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
      summary: 'Land price floor (五(三)14), from figures or from a plot and the reference data in force',
      body: FloorBody,
      response: { 200: FloorResponse, ...errors(400, 404, 422, 429) },
    },
  }, async (req) => {
    const body = req.body;
    if (body.plotId !== undefined) {
      const extra = [...FIGURES, ...OPTIONAL_FIGURES].filter((f) => body[f] !== undefined);
      if (extra.length) throw badRequest(`Give either plotId or the figures, not both (remove ${extra.join(', ')}).`);
      const { floor, basis, ref } = await quotePlotFloor(app.db, body.plotId, body.iab, body.termYears);
      // What this caller may see of the plot's floor: one rule (disclosureFor → discloseFloor).
      const { costYuan: _c, areaM2: _a, ...publicBasis } = basis;
      return {
        ...floorResponse(floor, disclosureFor(req.user, basis.districtCode)),
        basis: publicBasis,
        referenceVersions: Object.fromEntries(Object.entries(ref.versions).map(([k, v]) => [k, v.id])),
        asOf: ref.asOf,
      };
    }
    const missing = FIGURES.filter((f) => body[f] === undefined);
    if (missing.length) throw badRequest(`Missing ${missing.join(', ')}: give all of ${FIGURES.join(', ')}, or a plotId.`);
    const ref = await loadReference(app.db);
    const figures = {
      areaM2: body.areaM2!, benchmarkYuanPerM2: body.benchmarkYuanPerM2!, costYuan: body.costYuan ?? null, nationalMinYuanPerM2: body.nationalMinYuanPerM2!,
      provincialMinYuanPerM2: body.provincialMinYuanPerM2 ?? null,
    };
    const floor = computeFloor(figures, body.iab, body.termYears, ref.params);
    return {
      // The caller's own figures, about no plot: the full breakdown (they sent the cost, so it
      // tells them nothing new). A plot's cost is only ever disclosed through the plotId form.
      ...floorResponse(floor, 'internal'),
      referenceVersions: { parameters: ref.versions.parameters.id },
      asOf: ref.asOf,
    };
  });

  app.post('/quotes/incentives', {
    config: { access: 'public', rateLimit },
    schema: {
      tags: ['quotes'],
      summary: 'Incentives a project may get, as "up to" amounts (五(一)2,4 五(二)7,9,10 五(四)15)',
      body: IncentivesBody,
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
  }, async (req) => {
    const b = req.body;
    const fen = (field: string, v: number | undefined) => {
      if (v === undefined) return undefined;
      const r = tryYuanToFen(v);
      if (!r.ok) throw badRequest(`${field} must be an amount in yuan with at most 2 decimals.`);
      return r.fen;
    };
    const inputs: IncentiveInputs = {
      sme: b.sme,
      equipmentInvestmentFen: fen('equipmentInvestmentYuan', b.equipmentInvestmentYuan),
      loanInterestPerYearFen: fen('loanInterestPerYearYuan', b.loanInterestPerYearYuan),
      loanInterestYears: b.loanInterestYears,
      informatizationInvestmentFen: fen('informatizationInvestmentYuan', b.informatizationInvestmentYuan),
      rdInstitutionLevel: b.rdInstitutionLevel ?? null,
      nationalMajorProjectFundsFen: fen('nationalMajorProjectFundsYuan', b.nationalMajorProjectFundsYuan),
      technicalContractFen: fen('technicalContractYuan', b.technicalContractYuan),
      localConversion: b.localConversion,
      genericDrugsPassed: b.genericDrugsPassed,
    };
    const r = estimateIncentives(inputs);
    if (!r.ok) throw policyFailure(r);
    return {
      items: r.items.map(({ upToFen, ...i }) => ({ ...i, upToYuan: fenToYuan(upToFen) })),
      note: 'Up-to amounts under the plan; actual support is decided on merit (择优). 上限金额，实际以择优评审为准。',
    };
  });
};

export default quoteRoutes;
