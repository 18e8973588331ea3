/**
 * `/parks`: the parks on the map (list and one park with its land and subsidy figures), and park
 * administration: recognizing a park with its boundary (逐年认定; admin), and the
 * park-operator projects checked against the supporting-facilities ratio (五(三)13; admin and
 * land officers write, the bureau and the park's district officers read).
 *
 * `POST /api/parks` takes either JSON metadata with a `boundary`, or the GeoJSON file itself
 * (`application/geo+json`, or `application/json` whose top-level `type` is a GeoJSON type) with
 * the metadata in the query string or the feature's properties — so a file can be uploaded as is.
 *
 * A park's subsidies and subsidy projects (`/parks/:id/subsidies`, `/parks/:id/projects`) are
 * served by the subsidies module, its report (`/parks/:id/report`) by the dashboards module.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { CreateParkBody, CreateParkQuery, CreateParkResult, OperatorProject, OperatorProjectBody, OperatorProjectList } from '../../../shared/contract/subsidies.ts';
import { ParkCollection, ParkDetail, ParkListQuery } from '../../../shared/contract/map.ts';
import { IdempotencyHeaders, type IdempotentResult } from '../../kernel/idempotency.ts';
import { callerOf } from '../../kernel/http.ts';
import { parkCollection, parkDetailFeature, recognizePark } from './service.ts';
import { listOperatorProjects, registerOperatorProject } from './operator-projects.ts';

function sendResult(reply: FastifyReply, r: IdempotentResult<unknown>) {
  return reply.code(r.status).header('idempotent-replayed', String(r.replayed)).send(r.body);
}

function idempotencyKey(req: FastifyRequest): string | undefined {
  const key = req.headers['idempotency-key'];
  return typeof key === 'string' ? key : undefined;
}

/** A park boundary file may be larger than ordinary JSON bodies (1 MiB). */
const BOUNDARY_BODY_LIMIT = 8 * 1024 * 1024;

const parkRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // GeoJSON files (RFC 7946 media type) are JSON: parse them with the same safe parser.
  app.addContentTypeParser('application/geo+json', { parseAs: 'string', bodyLimit: BOUNDARY_BODY_LIMIT }, app.getDefaultJsonParser('error', 'error'));

  app.get('/parks', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['parks'], operationId: 'parks.list', summary: 'Value-innovation parks (and, with zones=true, the generated sample zones)', querystring: ParkListQuery, response: { 200: ParkCollection, ...errors(400) } },
  }, async (req) => parkCollection(app.db, { includeZones: req.query.zones === true }));

  app.get('/parks/:id', {
    config: { access: 'public', cache: 'shared' },
    schema: { tags: ['parks'], operationId: 'parks.get', summary: 'One park with its land and subsidy figures', params: IdParams, response: { 200: ParkDetail, ...errors(400, 404) } },
  }, async (req) => parkDetailFeature(app.db, req.params.id));

  app.post('/parks', {
    config: { access: ['admin'] },
    bodyLimit: BOUNDARY_BODY_LIMIT,
    schema: {
      tags: ['parks'],
      operationId: 'parks.recognize',
      summary: 'Recognize a park (逐年认定): tier recognized, surveyed boundary from GeoJSON; subsidy-eligible at once',
      description:
        'Refused with 400 and a message saying what to change when the boundary is not one valid polygon (closed rings, WGS84 range, no self-intersection), ' +
        'lies outside Guangzhou, or overlaps an existing park; 409 when the code is taken. Less than half inside the named district is a warning (returned and kept ' +
        'in the park’s notes), not a refusal: the managing district is an administrative fact. The area is the boundary’s geodesic area.',
      headers: IdempotencyHeaders,
      querystring: CreateParkQuery,
      body: CreateParkBody,
      response: { 201: CreateParkResult, ...errors(400, 401, 403, 409, 413, 415, 422) },
    },
  }, async (req, reply) => sendResult(reply, await recognizePark(app.db, callerOf(req), { body: req.body as Record<string, unknown>, query: req.query }, idempotencyKey(req))));

  app.get('/parks/:id/operator-projects', {
    config: { access: PERMISSIONS['internal.read'] },
    schema: {
      tags: ['parks'],
      operationId: 'parks.listOperatorProjects',
      summary: 'A park’s park-operator projects with their supporting-facilities ratio (五(三)13)',
      description: 'A district officer sees only the parks of their own district (403 elsewhere).',
      params: IdParams,
      response: { 200: OperatorProjectList, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => listOperatorProjects(app.db, callerOf(req), req.params.id));

  app.post('/parks/:id/operator-projects', {
    config: { access: PERMISSIONS['plots.manage'] },
    schema: {
      tags: ['parks'],
      operationId: 'parks.createOperatorProject',
      summary: 'Register a park-operator project: supporting facilities ≤ 15 % of the total floor area (14 % when not by the park operator)',
      description: '422 FACILITIES_RATIO_EXCEEDED with the ratio, the limit and the largest facilities area allowed.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: OperatorProjectBody,
      response: { 201: OperatorProject, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => sendResult(reply, await registerOperatorProject(app.db, callerOf(req), req.params.id, req.body, idempotencyKey(req))));
};

export default parkRoutes;
