/**
 * Sign in, sign out, who am I, change my password, and investor sign-up (API.md, Write).
 *
 * The session cookie `iab_session` is HttpOnly (scripts cannot read it), SameSite=Lax (not sent
 * on cross-site writes), Path=/, and Secure when the app is reached over TLS: when the request
 * itself is https (TLS in Node, or a proxy's X-Forwarded-Proto if Fastify's trustProxy is set)
 * or when PUBLIC_ORIGIN is https — set PUBLIC_ORIGIN behind a TLS-terminating proxy.
 *
 * Sign-up answers every well-formed request with the same 202 and body, whether the address was
 * free or taken (./service.ts says why); with no mail server there is no confirmation mail, and
 * the client signs in next, which succeeds only for the account just created (or with the
 * existing account's own password).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errors } from '../../../shared/contract/common.ts';
import { callerOf } from '../../kernel/http.ts';
import { assertSameOrigin } from './origin.ts';
import { SESSION_COOKIE, SESSION_MAX_S } from './sessions.ts';
import { changeOwnPassword, login, LoginThrottled, logout, signup } from './service.ts';
import { ChangePasswordBody, LoginBody, MeResponse } from '../../../shared/contract/auth.ts';
import { SignupAccepted, SignupBody } from '../../../shared/contract/interests.ts';

/** Accounts one address may create per hour. */
export const SIGNUP_LIMIT_PER_HOUR = 10;

/** The one answer to every well-formed sign-up, whether the address was free or taken. */
export const SIGNUP_ACCEPTED = {
  accepted: true as const,
  messageEn: 'If this e-mail address was not registered yet, the account has been created: sign in with it. If it was, nothing was changed: sign in with that account’s password.',
  messageZh: '如该邮箱此前未注册，账号已创建，请用它登录；如已注册，账号未作任何改动，请用原密码登录。',
};

/** A throttled sign-in or password change: 429 with Retry-After. */
async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof LoginThrottled) reply.header('retry-after', String(err.retryAfterS));
    throw err;
  }
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const cookieOptions = (req: FastifyRequest) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: req.protocol === 'https' || app.config.publicOrigin?.startsWith('https:') === true,
    maxAge: SESSION_MAX_S,
  });

  app.post('/auth/login', {
    config: { access: 'public' },
    schema: {
      tags: ['auth'],
      operationId: 'auth.login',
      summary: 'Sign in: sets the session cookie',
      description: 'Wrong username and wrong password get the same 401. Repeated failures from one address, or from one address for one username, throttle that address with growing blocks (429 with Retry-After). Failures for a username from anywhere only slow its sign-in a little (≤ 2 s), never block it. A correct password is never counted as a failure.',
      body: LoginBody,
      response: { 200: MeResponse, ...errors(400, 401, 403, 415, 429) },
    },
  }, async (req, reply) => {
    // Login CSRF: a page elsewhere must not sign the browser into another account.
    assertSameOrigin(req, app.config.publicOrigin, { required: false });
    const { token, user } = await withRetryAfter(reply, () =>
      login(app.db, callerOf(req), { ...req.body, userAgent: req.headers['user-agent'], replacesSession: req.session?.id }),
    );
    reply.setCookie(SESSION_COOKIE, token, cookieOptions(req));
    reply.header('cache-control', 'no-store');
    return { user };
  });

  app.post('/auth/logout', {
    config: { access: 'public' },
    schema: { tags: ['auth'], operationId: 'auth.logout', summary: 'Sign out: ends this session and clears the cookie (204 also without a session)', response: { 204: Type.Null(), ...errors(403) } },
  }, async (req, reply) => {
    const session = req.session;
    if (session) await logout(app.db, callerOf(req), { id: session.id, userId: session.user.id });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/auth/me', {
    config: { access: 'authenticated', allowPendingPasswordChange: true },
    schema: { tags: ['auth'], operationId: 'auth.me', summary: 'The signed-in user (401 without a session)', response: { 200: MeResponse, ...errors(401) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return { user: req.user! };
  });

  app.post('/auth/password', {
    config: { access: 'authenticated', allowPendingPasswordChange: true },
    schema: {
      tags: ['auth'],
      operationId: 'auth.changePassword',
      summary: 'Change my own password (ends my other sessions)',
      body: ChangePasswordBody,
      response: { 200: MeResponse, ...errors(400, 401, 403, 429) },
    },
  }, async (req, reply) => ({
    user: await withRetryAfter(reply, () => changeOwnPassword(app.db, callerOf(req), { ...req.body, sessionId: req.session!.id })),
  }));

  app.post('/auth/signup', {
    config: { access: 'public', rateLimit: { max: SIGNUP_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'],
      operationId: 'auth.signup',
      summary: 'Create an investor account (e-mail + password); then sign in with POST /api/auth/login',
      description: `The e-mail becomes the username (ASCII letters, digits and . _ @ -). Password ≥ 10 characters. company and uscc are optional and prefill interest forms. At most ${SIGNUP_LIMIT_PER_HOUR} sign-ups per address an hour (429). A well-formed sign-up always answers 202 with the same body, whether the address was free (the account is created) or taken (nothing changes): the answer does not tell whether an address is registered.`,
      body: SignupBody,
      response: { 202: SignupAccepted, ...errors(400, 403, 429) },
    },
  }, async (req, reply) => {
    await signup(app.db, callerOf(req), req.body);
    reply.header('cache-control', 'no-store');
    return reply.code(202).send(SIGNUP_ACCEPTED);
  });
};

export default authRoutes;
