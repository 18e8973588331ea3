/**
 * Holds: a land officer holds an available plot for an applicant until a date; the bureau and
 * the plot's district see them. Expired holds release themselves: lazily in every write that
 * locks the plot, and by a sweep every minute (any replica may run it; each plot is re-checked
 * under its lock). Rules in ./service.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { Hold, HoldBody, HoldList, HoldsQuery, PageQuery, ReleaseResult } from '../../../shared/contract/allocations.ts';
import { callerOf } from '../../kernel/http.ts';
import { createHold, listHolds, listPlotHolds, releaseHold, sweepExpiredHolds } from './service.ts';

/** How often the sweep releases expired holds (the lazy release covers writes in between). */
const SWEEP_EVERY_MS = 60_000;

const holdRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['holds'];
  const read = PERMISSIONS['allocations.read'];
  const manage = PERMISSIONS['plots.manage'];

  app.get('/holds', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'holds.list',
      summary: 'Holds, newest first (district officers: their district only)',
      description: 'state: active (in force today), expired, released, allocated (ended by the holder’s approved allocation).',
      querystring: HoldsQuery,
      response: { 200: HoldList, ...errors(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query;
    return listHolds(app.db, callerOf(req), { plotId: q.plotId, state: q.state, limit: q.limit ?? 100, offset: q.offset ?? 0 });
  });

  app.get('/plots/:id/holds', {
    config: { access: read },
    schema: { tags, operationId: 'holds.listForPlot', summary: 'A plot’s holds, newest first', params: IdParams, querystring: PageQuery, response: { 200: HoldList, ...errors(400, 401, 403, 404) } },
  }, async (req) => listPlotHolds(app.db, callerOf(req), req.params.id, { limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 }));

  app.post('/plots/:id/holds', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'holds.create',
      summary: 'Hold an available plot for an applicant until a date (inclusive)',
      description: '409 PLOT_UNAVAILABLE when the plot is not available (allocated, withdrawn, or already held). Only the holder (same 统一社会信用代码) can then be approved for it.',
      params: IdParams,
      body: HoldBody,
      response: { 201: Hold, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await createHold(app.db, callerOf(req), { ...req.body, plotId: req.params.id })));

  app.post('/plots/:id/holds/release', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'holds.release',
      summary: 'Release the plot’s hold: the plot becomes available',
      description: '409 CONFLICT (reason NO_ACTIVE_HOLD) when there is nothing to release, e.g. the hold has already expired.',
      params: IdParams,
      response: { 200: ReleaseResult, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => releaseHold(app.db, callerOf(req), req.params.id));

  const sweep = () => {
    sweepExpiredHolds(app.db).then(
      (n) => { if (n) app.log.info({ released: n }, 'released expired plot holds'); },
      (err: unknown) => app.log.warn({ err }, 'expired-hold sweep failed; it runs again in a minute'),
    );
  };
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();
  app.addHook('onReady', async () => sweep());
  app.addHook('onClose', async () => clearInterval(timer));
};

export default holdRoutes;
