/**
 * `/api/me/*`: the signed-in investor's own records — their profile (the company they registered
 * with) and their expressions of interest with status and the bureau's reply.
 *
 * Why a folder of its own: the routes folder follows the URL, and /me spans two resources. The
 * records stay in their homes (the profile in ../users, interests in ../interests); this file
 * only says "the caller's own" and calls those services, so it has no service or repository.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { InvestorProfile, OwnInterest, OwnInterestList, PageQuery } from '../../../shared/contract/interests.ts';
import { callerOf } from '../../kernel/http.ts';
import { investorProfile } from '../users/service.ts';
import { listOwnInterests, ownInterest } from '../interests/service.ts';

const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const own = PERMISSIONS['interests.own'];

  app.get('/me/profile', {
    config: { access: own },
    schema: { tags: ['me'], operationId: 'me.profile', summary: 'My investor profile (the company I registered with)', response: { 200: InvestorProfile, ...errors(401, 403) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return investorProfile(app.db, callerOf(req));
  });

  app.get('/me/interests', {
    config: { access: own },
    schema: { tags: ['me'], operationId: 'me.listInterests', summary: 'My expressions of interest, newest first, with status and the bureau’s reply', querystring: PageQuery, response: { 200: OwnInterestList, ...errors(400, 401, 403) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listOwnInterests(app.db, callerOf(req), req.query);
  });

  app.get('/me/interests/:id', {
    config: { access: own },
    schema: { tags: ['me'], operationId: 'me.getInterest', summary: 'One of my expressions of interest (404 for anyone else’s)', params: IdParams, response: { 200: OwnInterest, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return ownInterest(app.db, callerOf(req), req.params.id);
  });
};

export default meRoutes;
