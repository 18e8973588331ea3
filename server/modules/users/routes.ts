/**
 * User administration: administrators list, create and edit users, change roles and districts,
 * disable and enable them (disabling ends their sessions at once), reset passwords and end
 * sessions. Every change is audited in its own transaction (./service.ts). A user changes their
 * own password with POST /api/auth/password.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { callerOf } from '../../kernel/http.ts';
import { createUserAccount, listUsers, resetPassword, revokeSessionsOf, setUserDisabled, updateUser, userById } from './service.ts';
import { CreateUserBody, ResetPasswordBody, RevokedSessions, UpdateUserBody, User, UserList, UsersQuery } from '../../../shared/contract/auth.ts';

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const access = PERMISSIONS['users.manage'];
  const tags = ['users'];

  app.get('/users', {
    config: { access },
    schema: { tags, operationId: 'users.list', summary: 'List users', querystring: UsersQuery, response: { 200: UserList, ...errors(400, 401, 403) } },
  }, async (req) => listUsers(app.db, req.query));

  app.get('/users/:id', {
    config: { access },
    schema: { tags, operationId: 'users.get', summary: 'One user', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404) } },
  }, async (req) => userById(app.db, req.params.id));

  app.post('/users', {
    config: { access },
    schema: {
      tags,
      operationId: 'users.create',
      summary: 'Create a user (by default they must change the password at first sign-in)',
      body: CreateUserBody,
      response: { 201: User, ...errors(400, 401, 403, 409) },
    },
  }, async (req, reply) => reply.code(201).send(await createUserAccount(app.db, callerOf(req), req.body)));

  app.patch('/users/:id', {
    config: { access },
    schema: {
      tags,
      operationId: 'users.update',
      summary: 'Change a user’s display name, role or district',
      description: 'Changing the role away from district_officer drops the district; changing to it needs districtCode. The last active administrator cannot lose the role.',
      params: IdParams,
      body: UpdateUserBody,
      response: { 200: User, ...errors(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateUser(app.db, callerOf(req), req.params.id, req.body));

  app.post('/users/:id/disable', {
    config: { access },
    schema: { tags, operationId: 'users.disable', summary: 'Disable a user: they cannot sign in and their sessions end at once', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404, 409) } },
  }, async (req) => setUserDisabled(app.db, callerOf(req), req.params.id, true));

  app.post('/users/:id/enable', {
    config: { access },
    schema: { tags, operationId: 'users.enable', summary: 'Enable a disabled user', params: IdParams, response: { 200: User, ...errors(400, 401, 403, 404) } },
  }, async (req) => setUserDisabled(app.db, callerOf(req), req.params.id, false));

  app.post('/users/:id/password', {
    config: { access },
    schema: {
      tags,
      operationId: 'users.resetPassword',
      summary: 'Reset a user’s password (ends all their sessions)',
      params: IdParams,
      body: ResetPasswordBody,
      response: { 200: User, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => resetPassword(app.db, callerOf(req), req.params.id, req.body));

  app.post('/users/:id/revoke-sessions', {
    config: { access },
    schema: {
      tags,
      operationId: 'users.revokeSessions',
      summary: 'End every session of a user (sign out everywhere)',
      params: IdParams,
      response: { 200: RevokedSessions, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => ({ revokedSessions: await revokeSessionsOf(app.db, callerOf(req), req.params.id) }));
};

export default userRoutes;
