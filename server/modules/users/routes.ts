/**
 * User administration (accounts issue §3): administrators list, create and edit users, change
 * roles and districts, disable and enable them (disabling ends their sessions at once), reset
 * passwords and end sessions. Every change is audited in its own transaction (../auth/users.ts).
 * A user changes their own password with POST /api/auth/password.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { createUser, getUser, listUsers, revokeSessionsOf, setUserDisabled, setUserPassword, updateUser } from './service.ts';
import { CreateUserBody, ResetPasswordBody, RevokedSessions, UpdateUserBody, User, UserList, UsersQuery } from '../../../shared/contract/auth.ts';

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = PERMISSIONS['users.manage'];
  const tags = ['users'];

  app.get('/users', {
    config: { access },
    schema: { tags, summary: 'List users', querystring: UsersQuery, response: { 200: UserList, ...errors(400, 401, 403) } },
  }, async (req) => {
    const q = req.query;
    return listUsers(app.db, { role: q.role, q: q.q, includeDisabled: q.includeDisabled, limit: q.limit ?? 100, offset: q.offset ?? 0 });
  });

  app.get('/users/:id', {
    config: { access },
    schema: { tags, summary: 'One user', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404) } },
  }, async (req) => {
    const user = await getUser(app.db, req.params.id);
    if (!user) throw notFound(`User ${req.params.id}`);
    return user;
  });

  app.post('/users', {
    config: { access },
    schema: {
      tags,
      summary: 'Create a user (by default they must change the password at first sign-in)',
      body: CreateUserBody,
      response: { 201: User, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => {
    const b = req.body;
    const problem = passwordProblem(b.password, b.username);
    if (problem) throw badRequest(`password: ${problem}`);
    const passwordHash = await hashPassword(b.password);
    const user = await inTransaction(app.db, (trx) =>
      createUser(
        trx,
        { username: b.username, displayName: b.displayName, role: b.role, districtCode: b.districtCode, passwordHash, mustChangePassword: b.mustChangePassword ?? true },
        { req },
      ),
    );
    return reply.code(201).send(user);
  });

  app.patch('/users/:id', {
    config: { access },
    schema: {
      tags,
      summary: 'Change a user’s display name, role or district',
      description: 'Changing the role away from district_officer drops the district; changing to it needs districtCode. The last active administrator cannot lose the role.',
      params: IdParams,
      body: UpdateUserBody,
      response: { 200: User, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => {
    return inTransaction(app.db, (trx) => updateUser(trx, req.params.id, req.body, { req }));
  });

  app.post('/users/:id/disable', {
    config: { access },
    schema: { tags, summary: 'Disable a user: they cannot sign in and their sessions end at once', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => inTransaction(app.db, (trx) => setUserDisabled(trx, req.params.id, true, { req })));

  app.post('/users/:id/enable', {
    config: { access },
    schema: { tags, summary: 'Enable a disabled user', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404) } },
  }, async (req) => inTransaction(app.db, (trx) => setUserDisabled(trx, req.params.id, false, { req })));

  app.post('/users/:id/password', {
    config: { access },
    schema: {
      tags,
      summary: 'Reset a user’s password (ends all their sessions)',
      params: IdParams,
      body: ResetPasswordBody,
      response: { 200: User, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => {
    const target = await getUser(app.db, req.params.id);
    if (!target) throw notFound(`User ${req.params.id}`);
    const problem = passwordProblem(req.body.password, target.username);
    if (problem) throw badRequest(`password: ${problem}`);
    const hash = await hashPassword(req.body.password);
    return inTransaction(app.db, (trx) =>
      setUserPassword(trx, req.params.id, hash, { mustChangePassword: req.body.mustChangePassword ?? true, action: 'user.password_reset' }, { req }),
    );
  });

  app.post('/users/:id/revoke-sessions', {
    config: { access },
    schema: {
      tags,
      summary: 'End every session of a user (sign out everywhere)',
      params: IdParams,
      response: { 200: RevokedSessions, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => ({ revokedSessions: await inTransaction(app.db, (trx) => revokeSessionsOf(trx, req.params.id, { req })) }));
};

export default userRoutes;
