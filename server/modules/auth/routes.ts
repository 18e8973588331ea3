/**
 * Sign in, sign out, who am I, change my password (API.md, Write; accounts issue §1).
 *
 * The session cookie `iab_session` is HttpOnly (scripts cannot read it), SameSite=Lax (not sent
 * on cross-site writes), Path=/, and Secure when the app is reached over TLS: when the request
 * itself is https (TLS in Node, or a proxy's X-Forwarded-Proto if Fastify's trustProxy is set)
 * or when PUBLIC_ORIGIN is https — set PUBLIC_ORIGIN behind a TLS-terminating proxy.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { errors } from '../../../shared/contract/common.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { unauthenticated } from './access.ts';
import { assertSameOrigin } from './origin.ts';
import { dummyPasswordHash, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.ts';
import { createSession, revokeSession, SESSION_COOKIE, SESSION_MAX_S, type SessionUser } from './sessions.ts';
import { checkLoginThrottle, clearLoginFailures, recordLoginFailure, type AttemptKeys } from './login-limit.ts';
import { findUserForLogin, setUserPassword, usernameKey } from '../users/service.ts';
import { ChangePasswordBody, LoginBody, MeResponse } from '../../../shared/contract/auth.ts';

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cookieOptions = (req: FastifyRequest) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: req.protocol === 'https' || app.config.publicOrigin?.startsWith('https:') === true,
    maxAge: SESSION_MAX_S,
  });

  /**
   * Before a password is checked: 429 with Retry-After while the address, or the address and
   * username, is throttled; otherwise wait the username's short delay (at most 2 s), if any.
   * Counts nothing: only a checked failure is counted (`recordLoginFailure`).
   */
  async function throttle(reply: FastifyReply, keys: AttemptKeys): Promise<void> {
    const state = await checkLoginThrottle(app.db, keys);
    if (state.retryAfterS > 0) {
      reply.header('retry-after', String(state.retryAfterS));
      throw new AppError(429, 'RATE_LIMITED', `Too many failed sign-ins from this address; try again in ${state.retryAfterS} s (此地址登录失败次数过多，请 ${state.retryAfterS} 秒后再试).`, {
        reason: 'LOGIN_THROTTLED',
        retryAfterS: state.retryAfterS,
      });
    }
    if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
  }

  app.post('/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      summary: 'Sign in: sets the session cookie',
      description: 'Wrong username and wrong password get the same 401. Repeated failures from one address, or from one address for one username, throttle that address with growing blocks (429 with Retry-After). Failures for a username from anywhere only slow its sign-in a little (≤ 2 s), never block it. A correct password is never counted as a failure.',
      body: LoginBody,
      response: { 200: MeResponse, ...errors(400, 401, 403, 415, 429) },
    },
  }, async (req, reply) => {
    // Login CSRF: a page elsewhere must not sign the browser into another account.
    assertSameOrigin(req, app.config.publicOrigin, { required: false });
    const { username, password } = req.body;
    const keys = { ip: req.ip, username: usernameKey(username) };
    await throttle(reply, keys);

    const user = await findUserForLogin(app.db, username);
    // An unknown user costs the same scrypt work as a known one: no enumeration by timing.
    const passwordOk = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
    if (!user || !passwordOk || user.disabled_at) {
      const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
      await inTransaction(app.db, async (trx) => {
        await recordLoginFailure(trx, keys);
        await recordEvent(trx, { req, action: 'auth.login_failed', entity: 'user', entityId: user?.id ?? null, after: { username, ip: req.ip, reason } });
      });
      throw unauthenticated('Wrong username or password (用户名或密码错误).', 'INVALID_CREDENTIALS');
    }

    const upgradedHash = needsRehash(user.password_hash) ? await hashPassword(password) : null;
    const session = await inTransaction(app.db, async (trx) => {
      await clearLoginFailures(trx, keys);
      if (req.session) await revokeSession(trx, req.session.id);
      if (upgradedHash) await trx.updateTable('users').set({ password_hash: upgradedHash }).where('id', '=', user.id).execute();
      const created = await createSession(trx, user.id, { ip: req.ip, userAgent: req.headers['user-agent'] });
      await recordEvent(trx, {
        req,
        actor: { userId: user.id, username: user.username, role: user.role },
        action: 'auth.login',
        entity: 'user',
        entityId: user.id,
        after: { ip: req.ip },
      });
      return created;
    });
    reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(req));
    reply.header('cache-control', 'no-store');
    const me: SessionUser = {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      districtCode: user.district_code,
      mustChangePassword: user.must_change_password,
    };
    return { user: me };
  });

  app.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], summary: 'Sign out: ends this session and clears the cookie (204 also without a session)', response: { 204: Type.Null(), ...errors(403) } },
  }, async (req, reply) => {
    const session = req.session;
    if (session) {
      await inTransaction(app.db, async (trx) => {
        await revokeSession(trx, session.id);
        await recordEvent(trx, { req, action: 'auth.logout', entity: 'user', entityId: session.user.id });
      });
    }
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/auth/me', {
    config: { access: 'authenticated', allowPendingPasswordChange: true },
    schema: { tags: ['auth'], summary: 'The signed-in user (401 without a session)', response: { 200: MeResponse, ...errors(401) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return { user: req.user! };
  });

  app.post('/auth/password', {
    config: { access: 'authenticated', allowPendingPasswordChange: true },
    schema: {
      tags: ['auth'],
      summary: 'Change my own password (ends my other sessions)',
      body: ChangePasswordBody,
      response: { 200: MeResponse, ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => {
    const me = req.user!;
    const { currentPassword, newPassword } = req.body;
    const problem = passwordProblem(newPassword, me.username);
    if (problem) throw badRequest(`newPassword: ${problem}`);
    if (newPassword === currentPassword) throw badRequest('newPassword must differ from the current password.');
    // A wrong current password is a password guess like a failed login: same counters.
    const keys = { ip: req.ip, username: usernameKey(me.username) };
    await throttle(reply, keys);
    const row = await findUserForLogin(app.db, me.username);
    if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
      await inTransaction(app.db, (trx) => recordLoginFailure(trx, keys));
      throw badRequest('currentPassword is not your current password (当前密码不正确).');
    }
    const hash = await hashPassword(newPassword);
    const updated = await inTransaction(app.db, async (trx) => {
      await clearLoginFailures(trx, keys);
      return setUserPassword(trx, me.id, hash, { mustChangePassword: false, keepSession: req.session!.id, action: 'user.password_change' }, { req });
    });
    return {
      user: { id: updated.id, username: updated.username, displayName: updated.displayName, role: updated.role, districtCode: updated.districtCode, mustChangePassword: updated.mustChangePassword },
    };
  });
};

export default authRoutes;
