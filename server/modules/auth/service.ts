/**
 * Signing in and out, changing one's own password, and investor sign-up: each its own
 * transaction with its audit event. HTTP stays in ./routes.ts (cookies, the Origin check,
 * Retry-After); here the caller, the credentials and the session id are plain values.
 *
 * Sign-up does not sign in: the client calls POST /api/auth/login next, so sessions, cookies
 * and login throttling stay in one place. Interests sent before signing up are not attached to
 * the account later: an e-mail address is not verified, so matching by it would show one
 * company's interests to whoever typed its address.
 *
 * Sign-up does not tell whether an address is registered: a new and a taken address get the
 * same answer after the same work (the password is hashed and a transaction written either
 * way: the account, or an audit event `auth.signup_refused`). A taken address's account is left
 * untouched.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { isEmail } from '../../../shared/interest.ts';
import { validateUscc } from '../../../shared/uscc.ts';
import { unauthenticated } from './access.ts';
import { dummyPasswordHash, hashPassword, needsRehash, passwordProblem, verifyPassword } from './password.ts';
import { createSession, revokeSession, type SessionUser } from './sessions.ts';
import { checkLoginThrottle, clearLoginFailures, recordLoginFailure, type AttemptKeys } from './login-limit.ts';
import { createInvestor, findUserForLogin, setUserPassword, upgradePasswordHash, userIdByUsername, USERNAME_PATTERN, usernameKey } from '../users/service.ts';

/** A sign-in refused before any password is checked; the route sends `retryAfterS` as Retry-After. */
export class LoginThrottled extends AppError {
  constructor(public readonly retryAfterS: number) {
    super(429, 'RATE_LIMITED', `Too many failed sign-ins from this address; try again in ${retryAfterS} s (此地址登录失败次数过多，请 ${retryAfterS} 秒后再试).`, {
      reason: 'LOGIN_THROTTLED',
      retryAfterS,
    });
  }
}

/** The client's address as the server trusts it (routes always give one). */
const addressOf = (caller: Caller): string => caller.ip ?? '';

/**
 * Before a password is checked: LoginThrottled while the address, or the address and username,
 * is throttled; otherwise wait the username's short delay (at most 2 s), if any. Counts nothing:
 * only a checked failure is counted (`recordLoginFailure`).
 */
async function throttle(db: Kysely<Database>, keys: AttemptKeys): Promise<void> {
  const state = await checkLoginThrottle(db, keys);
  if (state.retryAfterS > 0) throw new LoginThrottled(state.retryAfterS);
  if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
}

export interface LoginInput {
  username: string;
  password: string;
  userAgent?: string | undefined;
  /** The session the browser signs in from, if any: it ends, so a sign-in never keeps two. */
  replacesSession?: string | undefined;
}

/**
 * POST /api/auth/login: a new session for the right username and password. Wrong username,
 * wrong password and a disabled account get the same 401; an unknown user costs the same scrypt
 * work as a known one.
 */
export async function login(db: Kysely<Database>, caller: Caller, input: LoginInput): Promise<{ token: string; user: SessionUser }> {
  const { username, password } = input;
  const ip = addressOf(caller);
  const keys = { ip, username: usernameKey(username) };
  await throttle(db, keys);

  const user = await findUserForLogin(db, username);
  const passwordOk = await verifyPassword(password, user?.password_hash ?? (await dummyPasswordHash()));
  if (!user || !passwordOk || user.disabled_at) {
    const reason = !user ? 'unknown_user' : !passwordOk ? 'wrong_password' : 'disabled';
    await inTransaction(db, async (trx) => {
      await recordLoginFailure(trx, keys);
      await recordEvent(trx, { caller, action: 'auth.login_failed', entity: 'user', entityId: user?.id ?? null, after: { username, ip, reason } });
    });
    throw unauthenticated('Wrong username or password (用户名或密码错误).', 'INVALID_CREDENTIALS');
  }

  const upgradedHash = needsRehash(user.password_hash) ? await hashPassword(password) : null;
  const session = await inTransaction(db, async (trx) => {
    await clearLoginFailures(trx, keys);
    if (input.replacesSession) await revokeSession(trx, input.replacesSession);
    if (upgradedHash) await upgradePasswordHash(trx, user.id, upgradedHash);
    const created = await createSession(trx, user.id, { ip, userAgent: input.userAgent });
    await recordEvent(trx, {
      caller,
      actor: { userId: user.id, username: user.username, role: user.role },
      action: 'auth.login',
      entity: 'user',
      entityId: user.id,
      after: { ip },
    });
    return created;
  });
  return {
    token: session.token,
    user: {
      id: user.id,
      username: user.username,
      displayName: user.display_name,
      role: user.role,
      districtCode: user.district_code,
      mustChangePassword: user.must_change_password,
    },
  };
}

/** POST /api/auth/logout: ends the session the request came with. */
export async function logout(db: Kysely<Database>, caller: Caller, session: { id: string; userId: number }): Promise<void> {
  await inTransaction(db, async (trx) => {
    await revokeSession(trx, session.id);
    await recordEvent(trx, { caller, action: 'auth.logout', entity: 'user', entityId: session.userId });
  });
}

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
  /** The session making the change: it stays, every other one ends. */
  sessionId: string;
}

/** POST /api/auth/password: a wrong current password counts like a failed sign-in. */
export async function changeOwnPassword(db: Kysely<Database>, caller: Caller, input: PasswordChange): Promise<SessionUser> {
  const me = caller.user!;
  const { currentPassword, newPassword } = input;
  const problem = passwordProblem(newPassword, me.username);
  if (problem) throw badRequest(`newPassword: ${problem}`);
  if (newPassword === currentPassword) throw badRequest('newPassword must differ from the current password.');
  const keys = { ip: addressOf(caller), username: usernameKey(me.username) };
  await throttle(db, keys);
  const row = await findUserForLogin(db, me.username);
  if (!row || !(await verifyPassword(currentPassword, row.password_hash))) {
    await inTransaction(db, (trx) => recordLoginFailure(trx, keys));
    throw badRequest('currentPassword is not your current password (当前密码不正确).');
  }
  const hash = await hashPassword(newPassword);
  const updated = await inTransaction(db, async (trx) => {
    await clearLoginFailures(trx, keys);
    return setUserPassword(trx, caller, me.id, hash, { mustChangePassword: false, keepSession: input.sessionId, action: 'user.password_change' });
  });
  return { id: updated.id, username: updated.username, displayName: updated.displayName, role: updated.role, districtCode: updated.districtCode, mustChangePassword: updated.mustChangePassword };
}

export interface SignupInput {
  email: string;
  password: string;
  company?: string | undefined;
  uscc?: string | undefined;
}

/**
 * POST /api/auth/signup: an investor account (username = the e-mail) and its profile, or — for
 * a taken address — only the audit event `auth.signup_refused`. Returns nothing either way.
 */
export async function signup(db: Kysely<Database>, caller: Caller, input: SignupInput): Promise<void> {
  const email = input.email.trim();
  if (!isEmail(email) || !new RegExp(USERNAME_PATTERN).test(email)) {
    throw badRequest('email must be an e-mail address of ASCII letters, digits and . _ @ - (请填写有效的电子邮箱，仅限字母、数字及 . _ @ -).', { field: 'email' });
  }
  const problem = passwordProblem(input.password, email);
  if (problem) throw badRequest(`password: ${problem}`, { field: 'password' });
  const company = input.company?.trim() || null;
  if (company !== null && [...company].length > 200) throw badRequest('company may have at most 200 characters (企业名称最多 200 个字符).', { field: 'company' });
  let uscc: string | null = null;
  if (input.uscc?.trim()) {
    const u = validateUscc(input.uscc);
    if (!u.ok) throw badRequest(`uscc: ${u.messageEn} (${u.messageZh}).`, { field: 'uscc' });
    uscc = u.normalized;
  }
  // Hashed in both cases: a taken address costs the same time as a free one.
  const passwordHash = await hashPassword(input.password);
  const refused = (trx: Transaction<Database>, takenId: number | null) =>
    recordEvent(trx, { caller, action: 'auth.signup_refused', entity: 'user', entityId: takenId, after: { reason: 'email_taken', ip: addressOf(caller) } });
  try {
    await inTransaction(db, async (trx) => {
      const takenId = await userIdByUsername(trx, email);
      if (takenId !== null) return refused(trx, takenId);
      await createInvestor(trx, caller, { email, company, uscc, passwordHash });
    });
  } catch (err) {
    // The same address signed up at the same moment: the unique index decided; same answer.
    if ((err as { code?: string }).code !== '23505') throw err;
    await inTransaction(db, (trx) => refused(trx, null));
  }
}
