/**
 * Users: the changes an administrator makes (create, edit, disable, enable, reset a password,
 * end sessions), each in its own transaction with its audit event, and the building blocks other
 * services call inside theirs (sign-up, password change, seeding). The API shape is `PublicUser`;
 * password hashes are made before a transaction opens (scrypt is slow).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { isRole, roleNeedsDistrict, type Role } from '../../../shared/roles.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { recordEvent, type AuditActor } from '../../kernel/audit.ts';
import type { Caller } from '../../kernel/caller.ts';
import { inTransaction } from '../../kernel/db/transaction.ts';
import { hashPassword, passwordProblem } from '../auth/password.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import * as repo from './repository.ts';
import type { PublicUser, UserListFilters } from './repository.ts';

export { usernameKey, type PublicUser, type LoginRow } from './repository.ts';

import { USERNAME_PATTERN } from '../../../shared/contract/auth.ts';

export { USERNAME_PATTERN };

/** Who made a change, for its audit event: the caller, or a named system actor (seeding, tools). */
export interface AuditContext {
  caller?: Caller | undefined;
  actor?: AuditActor | undefined;
}

/** What an audit event records of a user (never the password hash). */
function auditView(u: PublicUser) {
  return { username: u.username, displayName: u.displayName, role: u.role, districtCode: u.districtCode, disabled: u.disabled, mustChangePassword: u.mustChangePassword };
}

async function lockedUser(trx: Transaction<Database>, id: number): Promise<PublicUser> {
  if (!(await repo.lockUser(trx, id))) throw notFound(`User ${id}`);
  return (await repo.getUser(trx, id))!;
}

/** A district officer needs exactly one existing district; nobody else has one. */
async function checkRoleDistrict(trx: Transaction<Database>, role: Role, districtCode: string | null): Promise<void> {
  if (roleNeedsDistrict(role)) {
    if (!districtCode) throw badRequest('A district officer needs a districtCode (the 6-digit code of their district, e.g. 440112).');
    if (!(await repo.districtExists(trx, districtCode))) throw badRequest(`districtCode ${districtCode} is not one of Guangzhou's districts.`);
  } else if (districtCode) {
    throw badRequest(`Only a district officer is bound to a district; leave districtCode empty for the role ${role}.`);
  }
}

/** Refuses a change that would leave no active administrator. */
async function keepAnAdmin(trx: Transaction<Database>, userId: number): Promise<void> {
  if ((await repo.lockOtherActiveAdmins(trx, userId)) === 0) {
    throw new AppError(409, 'CONFLICT', 'This is the last active administrator; create or enable another administrator first.');
  }
}

// --- Reading ---------------------------------------------------------------------------------------

export interface UserListQuery {
  role?: Role | undefined;
  q?: string | undefined;
  includeDisabled?: boolean | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

export function listUsers(db: Kysely<Database>, q: UserListQuery): Promise<{ items: PublicUser[]; total: number }> {
  const filters: UserListFilters = { role: q.role, q: q.q, includeDisabled: q.includeDisabled, limit: q.limit ?? 100, offset: q.offset ?? 0 };
  return repo.listUsers(db, filters);
}

/** One user; 404 when there is none. */
export async function userById(db: Kysely<Database>, id: number): Promise<PublicUser> {
  const user = await repo.getUser(db, id);
  if (!user) throw notFound(`User ${id}`);
  return user;
}

/** The row the sign-in checks (with the password hash), looked up case-insensitively. */
export function findUserForLogin(db: Kysely<Database>, username: string) {
  return repo.findUserForLogin(db, username);
}

/** The id of the user with this username (case-insensitive), or null. */
export function userIdByUsername(trx: Transaction<Database>, username: string): Promise<number | null> {
  return repo.findUserIdByUsername(trx, username);
}

/** Replaces a hash made with older parameters, at a successful sign-in. */
export function upgradePasswordHash(trx: Transaction<Database>, id: number, passwordHash: string): Promise<void> {
  return repo.upgradePasswordHash(trx, id, passwordHash);
}

// --- Creating --------------------------------------------------------------------------------------

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  districtCode?: string | null | undefined;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** Creates a user inside the caller's transaction, with its audit event. */
export async function createUser(trx: Transaction<Database>, input: NewUser, audit: AuditContext): Promise<PublicUser> {
  if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
    throw badRequest('username must be 2–100 characters: ASCII letters, digits and . _ @ - , starting with a letter or digit.');
  }
  if (!isRole(input.role)) throw badRequest(`role "${String(input.role)}" is not a role.`);
  const districtCode = input.districtCode ?? null;
  await checkRoleDistrict(trx, input.role, districtCode);
  if ((await repo.findUserIdByUsername(trx, input.username)) !== null) {
    throw new AppError(409, 'CONFLICT', `The username "${input.username}" is taken (usernames are case-insensitive).`);
  }
  const id = await repo.insertUser(trx, {
    username: input.username,
    displayName: input.displayName.trim(),
    role: input.role,
    districtCode,
    passwordHash: input.passwordHash,
    mustChangePassword: input.mustChangePassword,
  });
  const user = (await repo.getUser(trx, id))!;
  await recordEvent(trx, { ...audit, action: 'user.create', entity: 'user', entityId: id, after: auditView(user) });
  return user;
}

export interface CreateUserInput {
  username: string;
  displayName: string;
  role: Role;
  districtCode?: string | null | undefined;
  password: string;
  mustChangePassword?: boolean | undefined;
}

/** POST /api/users: an administrator creates an account (by default the password must be changed at first sign-in). */
export async function createUserAccount(db: Kysely<Database>, caller: Caller, b: CreateUserInput): Promise<PublicUser> {
  const problem = passwordProblem(b.password, b.username);
  if (problem) throw badRequest(`password: ${problem}`);
  const passwordHash = await hashPassword(b.password);
  return inTransaction(db, (trx) =>
    createUser(
      trx,
      { username: b.username, displayName: b.displayName, role: b.role, districtCode: b.districtCode, passwordHash, mustChangePassword: b.mustChangePassword ?? true },
      { caller },
    ),
  );
}

/** An investor account and its profile (the company it registered), inside the sign-up's transaction. */
export async function createInvestor(
  trx: Transaction<Database>,
  caller: Caller,
  input: { email: string; company: string | null; uscc: string | null; passwordHash: string },
): Promise<PublicUser> {
  const created = await createUser(
    trx,
    { username: input.email, displayName: input.company ?? input.email, role: 'investor', passwordHash: input.passwordHash, mustChangePassword: false },
    { caller },
  );
  await repo.insertInvestorProfile(trx, created.id, { company: input.company, uscc: input.uscc });
  return created;
}

/** GET /api/me/profile: the signed-in investor's username and the company they registered. */
export async function investorProfile(db: Kysely<Database>, caller: Caller): Promise<{ username: string; company: string | null; uscc: string | null }> {
  const me = caller.user!;
  const p = await repo.findInvestorProfile(db, me.id);
  return { username: me.username, company: p?.company ?? null, uscc: p?.uscc ?? null };
}

// --- Changing --------------------------------------------------------------------------------------

export interface UserPatch {
  displayName?: string | undefined;
  role?: Role | undefined;
  /** null clears it (when the role no longer needs one). */
  districtCode?: string | null | undefined;
}

/** PATCH /api/users/:id: display name, role, district; the last active administrator keeps the role. */
export function updateUser(db: Kysely<Database>, caller: Caller, id: number, patch: UserPatch): Promise<PublicUser> {
  return inTransaction(db, async (trx) => {
    const before = await lockedUser(trx, id);
    const role = patch.role ?? before.role;
    // Leaving the district officer role drops the district unless the patch says otherwise.
    const districtCode = patch.districtCode !== undefined ? patch.districtCode : roleNeedsDistrict(role) ? before.districtCode : null;
    await checkRoleDistrict(trx, role, districtCode);
    if (before.role === 'admin' && role !== 'admin' && !before.disabled) await keepAnAdmin(trx, id);
    await repo.updateUserRow(trx, id, { displayName: patch.displayName?.trim() ?? before.displayName, role, districtCode });
    const after = (await repo.getUser(trx, id))!;
    await recordEvent(trx, { caller, action: 'user.update', entity: 'user', entityId: id, before: auditView(before), after: auditView(after) });
    return after;
  });
}

/** Disabling ends every session of the user at once; enabling lets them sign in again. */
export function setUserDisabled(db: Kysely<Database>, caller: Caller, id: number, disabled: boolean): Promise<PublicUser> {
  return inTransaction(db, async (trx) => {
    const before = await lockedUser(trx, id);
    if (disabled && caller.user?.id === id) throw new AppError(409, 'CONFLICT', 'You cannot disable your own account.');
    if (disabled && before.role === 'admin' && !before.disabled) await keepAnAdmin(trx, id);
    await repo.setDisabledRow(trx, id, disabled);
    const revokedSessions = disabled ? await revokeUserSessions(trx, id) : 0;
    const after = (await repo.getUser(trx, id))!;
    await recordEvent(trx, {
      caller,
      action: disabled ? 'user.disable' : 'user.enable',
      entity: 'user',
      entityId: id,
      before: auditView(before),
      after: { ...auditView(after), revokedSessions },
    });
    return after;
  });
}

/**
 * Sets a new password hash inside the caller's transaction. By an administrator (reset): every
 * session of the user ends and the user must choose a new password at the next sign-in. By the
 * user: their other sessions end.
 */
export async function setUserPassword(
  trx: Transaction<Database>,
  caller: Caller,
  id: number,
  passwordHash: string,
  opts: { mustChangePassword: boolean; keepSession?: string | undefined; action: 'user.password_reset' | 'user.password_change' },
): Promise<PublicUser> {
  const before = await lockedUser(trx, id);
  await repo.setPasswordRow(trx, id, passwordHash, opts.mustChangePassword);
  const revokedSessions = await revokeUserSessions(trx, id, { except: opts.keepSession });
  const after = (await repo.getUser(trx, id))!;
  await recordEvent(trx, {
    caller,
    action: opts.action,
    entity: 'user',
    entityId: id,
    before: { mustChangePassword: before.mustChangePassword },
    after: { mustChangePassword: after.mustChangePassword, revokedSessions },
  });
  return after;
}

/** POST /api/users/:id/password: an administrator sets a new password; all the user's sessions end. */
export async function resetPassword(db: Kysely<Database>, caller: Caller, id: number, input: { password: string; mustChangePassword?: boolean | undefined }): Promise<PublicUser> {
  const target = await userById(db, id);
  const problem = passwordProblem(input.password, target.username);
  if (problem) throw badRequest(`password: ${problem}`);
  const hash = await hashPassword(input.password);
  return inTransaction(db, (trx) => setUserPassword(trx, caller, id, hash, { mustChangePassword: input.mustChangePassword ?? true, action: 'user.password_reset' }));
}

/** Ends every session of a user (an administrator's "sign out everywhere"); how many ended. */
export function revokeSessionsOf(db: Kysely<Database>, caller: Caller, id: number): Promise<number> {
  return inTransaction(db, async (trx) => {
    await lockedUser(trx, id);
    const revoked = await revokeUserSessions(trx, id);
    await recordEvent(trx, { caller, action: 'user.sessions_revoke', entity: 'user', entityId: id, after: { revokedSessions: revoked } });
    return revoked;
  });
}
