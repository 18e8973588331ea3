/**
 * Users: repository functions and the changes an administrator makes, each audited in the same
 * transaction. Password hashes never leave this module except to the login check; the API
 * shape is `PublicUser`. Hash passwords *before* opening the transaction (scrypt is slow).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { isRole, roleNeedsDistrict, type Role } from '../../../shared/roles.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { recordEvent, type EventInput } from '../../kernel/audit.ts';
import { revokeUserSessions } from '../auth/sessions.ts';
import { isoOrNull } from '../../kernel/dates.ts';
import { USERNAME_PATTERN } from '../../../shared/contract/auth.ts';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The key a typed username is looked up and throttled by: ASCII lower-cased (what
 * `lower(username)` gives for the ASCII usernames we store) and well-formed (a lone surrogate
 * becomes U+FFFD, as the database drivers would make it anyway).
 */
export function usernameKey(username: string): string {
  return username.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(LONE_SURROGATE, '\uFFFD');
}

export interface PublicUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  districtCode: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Last time any of the user's sessions was used. */
  lastSeenAt: string | null;
}

/** Who did it, for the audit event of a change. */
export type AuditContext = Pick<EventInput, 'req' | 'actor'>;


function publicUserQuery(db: Kysely<Database> | Transaction<Database>) {
  return db
    .selectFrom('users as u')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.district_code',
      'u.must_change_password',
      'u.disabled_at',
      'u.created_at',
      'u.updated_at',
      (eb) => eb.selectFrom('sessions as s').select((e) => e.fn.max('s.last_seen_at').as('m')).whereRef('s.user_id', '=', 'u.id').as('last_seen_at'),
    ]);
}

type PublicUserRow = Awaited<ReturnType<ReturnType<typeof publicUserQuery>['executeTakeFirstOrThrow']>>;

function toPublicUser(r: PublicUserRow): PublicUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    districtCode: r.district_code,
    mustChangePassword: r.must_change_password,
    disabled: r.disabled_at !== null,
    disabledAt: isoOrNull(r.disabled_at),
    createdAt: isoOrNull(r.created_at)!,
    updatedAt: isoOrNull(r.updated_at)!,
    lastSeenAt: isoOrNull(r.last_seen_at as Date | string | null),
  };
}

/** What an audit event records of a user (never the password hash). */
function auditView(u: PublicUser) {
  return { username: u.username, displayName: u.displayName, role: u.role, districtCode: u.districtCode, disabled: u.disabled, mustChangePassword: u.mustChangePassword };
}

export async function getUser(db: Kysely<Database> | Transaction<Database>, id: number): Promise<PublicUser | undefined> {
  const row = await publicUserQuery(db).where('u.id', '=', id).executeTakeFirst();
  return row && toPublicUser(row);
}

async function getUserForUpdate(trx: Transaction<Database>, id: number): Promise<PublicUser> {
  const locked = await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  if (!locked) throw notFound(`User ${id}`);
  return (await getUser(trx, id))!;
}

export interface UserListQuery {
  role?: Role | undefined;
  /** Substring of username or display name. */
  q?: string | undefined;
  includeDisabled?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function listUsers(db: Kysely<Database>, f: UserListQuery): Promise<{ items: PublicUser[]; total: number }> {
  let q = publicUserQuery(db);
  let c = db.selectFrom('users as u').select(sql<number>`count(*)::int`.as('n'));
  if (f.role) {
    q = q.where('u.role', '=', f.role);
    c = c.where('u.role', '=', f.role);
  }
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    q = q.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
    c = c.where((eb) => eb.or([eb('u.username', 'ilike', like), eb('u.display_name', 'ilike', like)]));
  }
  if (!f.includeDisabled) {
    q = q.where('u.disabled_at', 'is', null);
    c = c.where('u.disabled_at', 'is', null);
  }
  const [rows, count] = await Promise.all([q.orderBy('u.username').limit(f.limit).offset(f.offset).execute(), c.executeTakeFirstOrThrow()]);
  return { items: rows.map(toPublicUser), total: count.n };
}

/** The row the login checks: looked up case-insensitively. */
export async function findUserForLogin(db: Kysely<Database>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'district_code', 'password_hash', 'must_change_password', 'disabled_at'])
    .where(sql<string>`lower(username)`, '=', usernameKey(username))
    .executeTakeFirst();
}

/** A district officer needs exactly one existing district; nobody else has one. */
async function checkRoleDistrict(trx: Transaction<Database>, role: Role, districtCode: string | null): Promise<void> {
  if (roleNeedsDistrict(role)) {
    if (!districtCode) throw badRequest('A district officer needs a districtCode (the 6-digit code of their district, e.g. 440112).');
    const d = await trx.selectFrom('districts').select('code').where('code', '=', districtCode).executeTakeFirst();
    if (!d) throw badRequest(`districtCode ${districtCode} is not one of Guangzhou's districts.`);
  } else if (districtCode) {
    throw badRequest(`Only a district officer is bound to a district; leave districtCode empty for the role ${role}.`);
  }
}

/** Refuses a change that would leave no active administrator. */
async function keepAnAdmin(trx: Transaction<Database>, userId: number): Promise<void> {
  const others = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '!=', userId)
    .forUpdate()
    .execute();
  if (others.length === 0) throw new AppError(409, 'CONFLICT', 'This is the last active administrator; create or enable another administrator first.');
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  districtCode?: string | null | undefined;
  passwordHash: string;
  mustChangePassword: boolean;
}

export async function createUser(trx: Transaction<Database>, input: NewUser, audit: AuditContext): Promise<PublicUser> {
  if (!new RegExp(USERNAME_PATTERN).test(input.username)) {
    throw badRequest('username must be 2–100 characters: ASCII letters, digits and . _ @ - , starting with a letter or digit.');
  }
  if (!isRole(input.role)) throw badRequest(`role "${String(input.role)}" is not a role.`);
  const districtCode = input.districtCode ?? null;
  await checkRoleDistrict(trx, input.role, districtCode);
  const taken = await trx.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', usernameKey(input.username)).executeTakeFirst();
  if (taken) throw new AppError(409, 'CONFLICT', `The username "${input.username}" is taken (usernames are case-insensitive).`);
  const { id } = await trx
    .insertInto('users')
    .values({
      username: input.username,
      display_name: input.displayName.trim(),
      role: input.role,
      district_code: districtCode,
      password_hash: input.passwordHash,
      must_change_password: input.mustChangePassword,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const user = (await getUser(trx, id))!;
  await recordEvent(trx, { ...audit, action: 'user.create', entity: 'user', entityId: id, after: auditView(user) });
  return user;
}

export interface UserPatch {
  displayName?: string | undefined;
  role?: Role | undefined;
  /** null clears it (when the role no longer needs one). */
  districtCode?: string | null | undefined;
}

export async function updateUser(trx: Transaction<Database>, id: number, patch: UserPatch, audit: AuditContext): Promise<PublicUser> {
  const before = await getUserForUpdate(trx, id);
  const role = patch.role ?? before.role;
  // Leaving the district officer role drops the district unless the patch says otherwise.
  const districtCode = patch.districtCode !== undefined ? patch.districtCode : roleNeedsDistrict(role) ? before.districtCode : null;
  await checkRoleDistrict(trx, role, districtCode);
  if (before.role === 'admin' && role !== 'admin' && !before.disabled) await keepAnAdmin(trx, id);
  await trx
    .updateTable('users')
    .set({ display_name: patch.displayName?.trim() ?? before.displayName, role, district_code: districtCode, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
  const after = (await getUser(trx, id))!;
  await recordEvent(trx, { ...audit, action: 'user.update', entity: 'user', entityId: id, before: auditView(before), after: auditView(after) });
  return after;
}

/** Disabling ends every session of the user at once; enabling lets them sign in again. */
export async function setUserDisabled(trx: Transaction<Database>, id: number, disabled: boolean, audit: AuditContext): Promise<PublicUser> {
  const before = await getUserForUpdate(trx, id);
  if (disabled && audit.req?.user?.id === id) throw new AppError(409, 'CONFLICT', 'You cannot disable your own account.');
  if (disabled && before.role === 'admin' && !before.disabled) await keepAnAdmin(trx, id);
  await trx
    .updateTable('users')
    .set({ disabled_at: disabled ? sql<Date>`coalesce(disabled_at, now())` : null, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
  const revokedSessions = disabled ? await revokeUserSessions(trx, id) : 0;
  const after = (await getUser(trx, id))!;
  await recordEvent(trx, {
    ...audit,
    action: disabled ? 'user.disable' : 'user.enable',
    entity: 'user',
    entityId: id,
    before: auditView(before),
    after: { ...auditView(after), revokedSessions },
  });
  return after;
}

/**
 * Sets a new password hash. By an administrator (reset): every session of the user ends and
 * the user must choose a new password at the next sign-in. By the user: their other sessions end.
 */
export async function setUserPassword(
  trx: Transaction<Database>,
  id: number,
  passwordHash: string,
  opts: { mustChangePassword: boolean; keepSession?: string | undefined; action: 'user.password_reset' | 'user.password_change' },
  audit: AuditContext,
): Promise<PublicUser> {
  const before = await getUserForUpdate(trx, id);
  await trx
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: opts.mustChangePassword, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
  const revokedSessions = await revokeUserSessions(trx, id, { except: opts.keepSession });
  const after = (await getUser(trx, id))!;
  await recordEvent(trx, {
    ...audit,
    action: opts.action,
    entity: 'user',
    entityId: id,
    before: { mustChangePassword: before.mustChangePassword },
    after: { mustChangePassword: after.mustChangePassword, revokedSessions },
  });
  return after;
}

/** Ends every session of a user (an administrator's "sign out everywhere"). */
export async function revokeSessionsOf(trx: Transaction<Database>, id: number, audit: AuditContext): Promise<number> {
  await getUserForUpdate(trx, id);
  const revoked = await revokeUserSessions(trx, id);
  await recordEvent(trx, { ...audit, action: 'user.sessions_revoke', entity: 'user', entityId: id, after: { revokedSessions: revoked } });
  return revoked;
}
