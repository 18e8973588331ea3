/**
 * Plot editing for the bureau's map editor (the plot-data issue §1–2): create, validate (dry
 * run), edit with optimistic concurrency, delete, withdraw, split, merge, history. Rules and the
 * transaction shape in ../services/plots-write.ts; geometry rules in shared/geometry.ts.
 * Writes honour `Idempotency-Key`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import {
  CreatePlotBody, DeleteQuery, DeleteResult, HistoryResult, MergeBody, MergeResult, PatchPlotBody, SplitBody, SplitResult, ValidateBody,
  ValidationResult, WithdrawBody, WriteResult,
} from '../../../shared/contract/plots.ts';
import { IdempotencyHeaders, idempotent, type IdempotentResult } from '../../kernel/idempotency.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { createPlot, deletePlot, mergePlots, patchPlot, plotHistory, splitPlot, validateOnly, withdrawPlot } from './service.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import { notFound } from '../../kernel/errors.ts';

/** Geometries of up to 10,000 vertices fit comfortably. */
const GEOMETRY_BODY_LIMIT = 4 * 1024 * 1024;

function send(reply: FastifyReply, r: IdempotentResult<unknown>) {
  return reply.code(r.status).header('idempotent-replayed', String(r.replayed)).send(r.body);
}

function scope(req: FastifyRequest, route: string) {
  const key = req.headers['idempotency-key'];
  return { key: typeof key === 'string' ? key : undefined, userId: req.user!.id, route, request: { params: req.params, body: req.body } };
}

const plotWriteRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['plots-write'];
  const manage = PERMISSIONS['plots.manage'];
  const writeErrors = errors(400, 401, 403, 404, 409, 422);

  app.post('/plots', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Draw a new plot in a park',
      description:
        'Validates the geometry (shared/geometry.ts): closed rings, no self-intersection, RFC 7946 winding, inside Guangzhou, inside the park (≤ 0.5 m outside or ≥ 99.9 % inside), no overlap > 0.5 m² with an active plot (the error names it), surveyed vs geometric area (warning > 1 %, 422 > 5 %). ' +
        '422 VALIDATION_FAILED carries `errors` and `warnings` (code, messageZh, messageEn, where [lon, lat]) and, when closure/winding were the only problems, `fixed`. 409 CONFLICT (reason CODE_EXISTS) when the code is taken.',
      headers: IdempotencyHeaders,
      body: CreatePlotBody,
      response: { 201: WriteResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await idempotent(app.db, scope(req, 'POST /api/plots'), 201, (trx) => createPlot(trx, req, req.body))));

  app.post('/plots/validate', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Check a geometry against its park and the active plots in the database, writing nothing',
      description: 'The editor validates live with shared/geometry.ts on the plots it has loaded; this answers with the database’s view. Give excludePlotIds for the plot(s) being replaced.',
      body: ValidateBody,
      response: { 200: ValidationResult, ...errors(400, 401, 403) },
    },
  }, async (req) => validateOnly(app.db, req.body));

  app.patch('/plots/:id', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Edit a plot’s geometry and/or attributes (optimistic concurrency)',
      description:
        '`expectedRowVersion` is required: 409 CONFLICT (reason STALE_ROW_VERSION, with currentRowVersion) when someone changed the plot since it was read. ' +
        'Geometry, area and park can change while the plot is available or held; an allocated plot’s boundary is fixed (409 PLOT_UNAVAILABLE); a withdrawn plot is read-only. Every edit adds a version to the history.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: PatchPlotBody,
      response: { 200: WriteResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await idempotent(app.db, scope(req, 'PATCH /api/plots/:id'), 200, (trx) => patchPlot(trx, req, req.params.id, req.body))));

  app.delete('/plots/:id', {
    config: { access: manage },
    schema: {
      tags,
      summary: 'Delete a plot that was never allocated',
      description: '409 PLOT_UNAVAILABLE (reason HAS_HISTORY) when the plot has allocation or hold records, is part of a split/merge, or is held/allocated: withdraw it instead. The audit event keeps the deleted plot, geometry included.',
      params: IdParams,
      querystring: DeleteQuery,
      response: { 200: DeleteResult, ...writeErrors },
    },
  }, async (req) => inTransaction(app.db, (trx) => deletePlot(trx, req, req.params.id, req.query.expectedRowVersion)));

  app.post('/plots/:id/withdraw', {
    config: { access: manage },
    schema: {
      tags,
      summary: 'Withdraw a plot from supply (status withdrawn)',
      description: '409 PLOT_UNAVAILABLE when it is allocated (cancel the allocation first), held (release the hold first) or already withdrawn.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: WithdrawBody,
      response: { 200: WriteResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await idempotent(app.db, scope(req, 'POST /api/plots/:id/withdraw'), 200, (trx) => withdrawPlot(trx, req, req.params.id, req.body))));

  app.post('/plots/:id/split', {
    config: { access: manage },
    bodyLimit: GEOMETRY_BODY_LIMIT,
    schema: {
      tags,
      summary: 'Split an available plot by a drawn line',
      description:
        'The line must cross the plot from edge to edge (its ends are extended). The parent becomes withdrawn; the pieces (largest first) are new available plots linked to it in the lineage. ' +
        'Surveyed area and cost are shared in proportion to the pieces’ geometric areas, exactly to 0.01 (the response’s areaNote says so): resurvey and PATCH the real figures. 422 with reason LINE_INVALID / LINE_DOES_NOT_SPLIT / GEOMETRY_INVALID.',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: SplitBody,
      response: { 201: SplitResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await idempotent(app.db, scope(req, 'POST /api/plots/:id/split'), 201, (trx) => splitPlot(trx, req, req.params.id, req.body))));

  app.post('/plots/merge', {
    config: { access: manage },
    schema: {
      tags,
      summary: 'Merge adjacent available plots of one park into one',
      description:
        'Adjacent = they form one piece, sharing edges (422 NOT_ADJACENT otherwise); same park (422 NOT_SAME_PARK); all available (409). Surveyed areas and costs add up; land use and level must agree or be given. ' +
        'The parents become withdrawn, linked to the new plot in the lineage.',
      headers: IdempotencyHeaders,
      body: MergeBody,
      response: { 201: MergeResult, ...writeErrors },
    },
  }, async (req, reply) => send(reply, await idempotent(app.db, scope(req, 'POST /api/plots/merge'), 201, (trx) => mergePlots(trx, req, req.body))));

  app.get('/plots/:id/history', {
    config: { access: PERMISSIONS['internal.read'] },
    schema: {
      tags,
      summary: 'Every geometry/attribute version of a plot, with its parents and children',
      description: 'District officers: plots of their district only.',
      params: IdParams,
      response: { 200: HistoryResult, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const plot = await app.db
      .selectFrom('plots as pl')
      .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['pl.id', 'pk.district_code'])
      .where('pl.id', '=', req.params.id)
      .executeTakeFirst();
    if (!plot) throw notFound(`Plot ${req.params.id}`);
    assertCanSeeDistrict(req.user, plot.district_code);
    return plotHistory(app.db, plot.id);
  });
};

export default plotWriteRoutes;
