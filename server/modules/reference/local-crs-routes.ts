/** Routes of the local (city) coordinate systems: GET for the bureau, POST and DELETE for an administrator (./local-crs.ts). */
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../../kernel/http.ts';
import { errors } from '../../../shared/contract/common.ts';
import { LocalCrs, LocalCrsInput, LocalCrsList } from '../../../shared/contract/imports.ts';
import { addLocalCrs, listLocalCrs, LOCAL_CRS_READERS, removeLocalCrs } from './local-crs.ts';

export function localCrsRoutes(app: FastifyInstance): void {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['reference'];
  r.get('/reference/local-crs', {
    config: { access: [...LOCAL_CRS_READERS] },
    schema: {
      tags,
      operationId: 'reference.listLocalCrs',
      summary: 'Local coordinate systems (four parameters from EPSG:4547) — confidential: the bureau only',
      description: 'Imports accept crs=LOCAL:<id>. The parameters are often secret; they are never served to the public, investors or district officers.',
      response: { 200: LocalCrsList, ...errors(401, 403) },
    },
  }, async () => ({ items: await listLocalCrs(app.db) }));

  r.post('/reference/local-crs', {
    config: { access: ['admin'] },
    schema: {
      tags,
      operationId: 'reference.createLocalCrs',
      summary: 'Add a local coordinate system (admin)',
      description: 'local = c + (dE, dN) + k·R(θ)·(p − c) with p in EPSG:4547 (E, N), c = (originE, originN) (default 0, 0), k = 1 + scalePpm·10⁻⁶, θ = rotationSec arc-seconds anticlockwise. 409 when the name is taken.',
      body: LocalCrsInput,
      response: { 201: LocalCrs, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await addLocalCrs(app.db, callerOf(req), req.body)));

  r.delete('/reference/local-crs/:id', {
    config: { access: ['admin'] },
    schema: {
      tags,
      operationId: 'reference.deleteLocalCrs',
      summary: 'Remove a local coordinate system (admin); past imports keep their record of it',
      params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
      response: { 204: Type.Null(), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    await removeLocalCrs(app.db, callerOf(req), req.params.id);
    return reply.code(204).send(null);
  });
}
