/**
 * Investor accounts (the investor issue §3): sign-up with e-mail and password (role `investor`,
 * username = the e-mail), the company they registered, and their own interests with status
 * and the bureau's reply. Sign-up does not sign in: the client calls POST /api/auth/login next,
 * so sessions, cookies and login throttling stay in one place (./auth.ts).
 *
 * Interests sent before signing up are not attached to the account later: an e-mail address is
 * not verified, so matching by it would show one company's interests to whoever typed its
 * address.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERMISSIONS } from '../../shared/roles.ts';
import { isEmail } from '../../shared/interest.ts';
import { validateUscc } from '../../shared/uscc.ts';
import { badRequest, notFound } from '../errors.ts';
import { errors, IdParams } from '../schemas/common.ts';
import { Me } from '../auth/schemas.ts';
import { InvestorProfile, OwnInterest, OwnInterestList, PageQuery, SignupBody } from '../schemas/interests.ts';
import { inTransaction } from '../db/transaction.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { assertOwnRecord } from '../auth/scope.ts';
import { createUser, USERNAME_PATTERN } from '../auth/users.ts';
import { getInterestRow, listOwnInterests, toOwnView } from '../services/interests.ts';

/** Accounts one address may create per hour. */
export const SIGNUP_LIMIT_PER_HOUR = 10;

const investorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const own = PERMISSIONS['interests.own'];

  app.post('/auth/signup', {
    config: { access: 'public', rateLimit: { max: SIGNUP_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'],
      summary: 'Create an investor account (e-mail + password); then sign in with POST /api/auth/login',
      description: `The e-mail becomes the username (ASCII letters, digits and . _ @ -). Password ≥ 10 characters. company and uscc are optional and prefill interest forms. At most ${SIGNUP_LIMIT_PER_HOUR} sign-ups per address an hour (429).`,
      body: SignupBody,
      response: { 201: Type.Object({ user: Me }), ...errors(400, 403, 409, 429) },
    },
  }, async (req, reply) => {
    const email = req.body.email.trim();
    if (!isEmail(email) || !new RegExp(USERNAME_PATTERN).test(email)) {
      throw badRequest('email must be an e-mail address of ASCII letters, digits and . _ @ - (请填写有效的电子邮箱，仅限字母、数字及 . _ @ -).', { field: 'email' });
    }
    const problem = passwordProblem(req.body.password, email);
    if (problem) throw badRequest(`password: ${problem}`, { field: 'password' });
    const company = req.body.company?.trim() || null;
    if (company !== null && [...company].length > 200) throw badRequest('company may have at most 200 characters (企业名称最多 200 个字符).', { field: 'company' });
    let uscc: string | null = null;
    if (req.body.uscc?.trim()) {
      const u = validateUscc(req.body.uscc);
      if (!u.ok) throw badRequest(`uscc: ${u.messageEn} (${u.messageZh}).`, { field: 'uscc' });
      uscc = u.normalized;
    }
    const passwordHash = await hashPassword(req.body.password);
    const user = await inTransaction(app.db, async (trx) => {
      const created = await createUser(trx, { username: email, displayName: company ?? email, role: 'investor', passwordHash, mustChangePassword: false }, { req });
      await trx.insertInto('investor_profiles').values({ user_id: created.id, company, uscc }).execute();
      return created;
    });
    return reply.code(201).send({
      user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, districtCode: user.districtCode, mustChangePassword: user.mustChangePassword },
    });
  });

  app.get('/me/profile', {
    config: { access: own },
    schema: { tags: ['interests'], summary: 'My investor profile (the company I registered with)', response: { 200: InvestorProfile, ...errors(401, 403) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const p = await app.db.selectFrom('investor_profiles').select(['company', 'uscc']).where('user_id', '=', req.user!.id).executeTakeFirst();
    return { username: req.user!.username, company: p?.company ?? null, uscc: p?.uscc ?? null };
  });

  app.get('/me/interests', {
    config: { access: own },
    schema: { tags: ['interests'], summary: 'My expressions of interest, newest first, with status and the bureau’s reply', querystring: PageQuery, response: { 200: OwnInterestList, ...errors(400, 401, 403) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    return listOwnInterests(app.db, req.user!.id, { limit: req.query.limit ?? 100, offset: req.query.offset ?? 0 });
  });

  app.get('/me/interests/:id', {
    config: { access: own },
    schema: { tags: ['interests'], summary: 'One of my expressions of interest (404 for anyone else’s)', params: IdParams, response: { 200: OwnInterest, ...errors(400, 401, 403, 404) } },
  }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const row = await getInterestRow(app.db, req.params.id);
    if (!row) throw notFound(`Interest ${req.params.id}`);
    assertOwnRecord(req.user, row.investor_user_id, `Interest ${req.params.id}`);
    return toOwnView(row);
  });
};

export default investorRoutes;
