/**
 * Investor accounts (the investor issue §3): sign-up with e-mail and password (role `investor`,
 * username = the e-mail), the company they registered, and their own interests with status
 * and the bureau's reply. Sign-up does not sign in: the client calls POST /api/auth/login next,
 * so sessions, cookies and login throttling stay in one place (./auth.ts).
 *
 * Interests sent before signing up are not attached to the account later: an e-mail address is
 * not verified, so matching by it would show one company's interests to whoever typed its
 * address.
 *
 * Sign-up does not tell whether an address is registered (issue 13 §7): a new and a taken
 * address get the same 202 and body, after the same work (the password is hashed and a
 * transaction written either way: the account, or an audit event `auth.signup_refused`). A taken
 * address's account is left untouched. With no mail server there is no confirmation mail; the
 * client signs in next, which succeeds only for the account just created (or with the
 * existing account's own password).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { isEmail } from '../../../shared/interest.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { badRequest, notFound } from '../../kernel/errors.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { InvestorProfile, OwnInterest, OwnInterestList, PageQuery, SignupAccepted, SignupBody } from '../../../shared/contract/interests.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { assertOwnRecord } from '../auth/scope.ts';
import { createUser, usernameKey } from '../users/service.ts';
import { USERNAME_PATTERN } from '../../../shared/contract/auth.ts';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { getInterestRow, listOwnInterests, toOwnView } from './service.ts';

/** Accounts one address may create per hour. */
export const SIGNUP_LIMIT_PER_HOUR = 10;

/** The one answer to every well-formed sign-up, whether the address was free or taken. */
export const SIGNUP_ACCEPTED = {
  accepted: true as const,
  messageEn: 'If this e-mail address was not registered yet, the account has been created: sign in with it. If it was, nothing was changed: sign in with that account’s password.',
  messageZh: '如该邮箱此前未注册，账号已创建，请用它登录；如已注册，账号未作任何改动，请用原密码登录。',
};

const investorRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const own = PERMISSIONS['interests.own'];

  app.post('/auth/signup', {
    config: { access: 'public', rateLimit: { max: SIGNUP_LIMIT_PER_HOUR, timeWindow: '1 hour' } },
    bodyLimit: 8 * 1024,
    schema: {
      tags: ['auth'],
      summary: 'Create an investor account (e-mail + password); then sign in with POST /api/auth/login',
      description: `The e-mail becomes the username (ASCII letters, digits and . _ @ -). Password ≥ 10 characters. company and uscc are optional and prefill interest forms. At most ${SIGNUP_LIMIT_PER_HOUR} sign-ups per address an hour (429). A well-formed sign-up always answers 202 with the same body, whether the address was free (the account is created) or taken (nothing changes): the answer does not tell whether an address is registered.`,
      body: SignupBody,
      response: { 202: SignupAccepted, ...errors(400, 403, 429) },
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
    // Hashed in both cases: a taken address costs the same time as a free one.
    const passwordHash = await hashPassword(req.body.password);
    const refused = (trx: Transaction<Database>, takenId: number | null) =>
      recordEvent(trx, { req, action: 'auth.signup_refused', entity: 'user', entityId: takenId, after: { reason: 'email_taken', ip: req.ip } });
    try {
      await inTransaction(app.db, async (trx) => {
        const taken = await trx.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', usernameKey(email)).executeTakeFirst();
        if (taken) return refused(trx, taken.id);
        const created = await createUser(trx, { username: email, displayName: company ?? email, role: 'investor', passwordHash, mustChangePassword: false }, { req });
        await trx.insertInto('investor_profiles').values({ user_id: created.id, company, uscc }).execute();
      });
    } catch (err) {
      // The same address signed up at the same moment: the unique index decided; same answer.
      if ((err as { code?: string }).code !== '23505') throw err;
      await inTransaction(app.db, (trx) => refused(trx, null));
    }
    reply.header('cache-control', 'no-store');
    return reply.code(202).send(SIGNUP_ACCEPTED);
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
