/**
 * The users and investor_profiles tables: queries with the executor first, locks that need a
 * transaction, and the row → `PublicUser` mapper. Password hashes leave this file only through
 * `findUserForLogin` (the sign-in check).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { CallerUser } from '../../kernel/caller.ts';
import type { Role } from '../../../shared/roles.ts';
import { isoOrNull } from '../../kernel/dates.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The key a typed username is looked up and throttled by: ASCII lower-cased (what
 * `lower(username)` gives for the ASCII usernames we store) and well-formed (a lone surrogate
 * becomes U+FFFD, as the database drivers would make it anyway).
 */
export function usernameKey(username: string): string {
  return username.replace(/[A-Z]/g, (c) => c.toLowerCase()).replace(LONE_SURROGATE, '\uFFFD');
}

/** A user as the admin screens see them: who they are when signed in, and their account's state. */
export interface PublicUser extends CallerUser {
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Last time any of the user's sessions was used. */
  lastSeenAt: string | null;
}

function publicUserQuery(db: Executor) {
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

export function toPublicUser(r: PublicUserRow): PublicUser {
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

export async function getUser(db: Executor, id: number): Promise<PublicUser | undefined> {
  const row = await publicUserQuery(db).where('u.id', '=', id).executeTakeFirst();
  return row && toPublicUser(row);
}

/** Locks the user's row until the transaction ends; false when there is no such user. */
export async function lockUser(trx: Transaction<Database>, id: number): Promise<boolean> {
  const locked = await trx.selectFrom('users').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
  return locked !== undefined;
}

export interface UserListFilters {
  role?: Role | undefined;
  /** Substring of username or display name. */
  q?: string | undefined;
  includeDisabled?: boolean | undefined;
  limit: number;
  offset: number;
}

export async function listUsers(db: Executor, f: UserListFilters): Promise<{ items: PublicUser[]; total: number }> {
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
export async function findUserForLogin(db: Executor, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'district_code', 'password_hash', 'must_change_password', 'disabled_at'])
    .where(sql<string>`lower(username)`, '=', usernameKey(username))
    .executeTakeFirst();
}
export type LoginRow = NonNullable<Awaited<ReturnType<typeof findUserForLogin>>>;

/** The id of the user with this username (case-insensitive), or null. */
export async function findUserIdByUsername(db: Executor, username: string): Promise<number | null> {
  const row = await db.selectFrom('users').select('id').where(sql<string>`lower(username)`, '=', usernameKey(username)).executeTakeFirst();
  return row?.id ?? null;
}

export async function districtExists(db: Executor, code: string): Promise<boolean> {
  return (await db.selectFrom('districts').select('code').where('code', '=', code).executeTakeFirst()) !== undefined;
}

/** Locks the other active administrators; how many there are. */
export async function lockOtherActiveAdmins(trx: Transaction<Database>, userId: number): Promise<number> {
  const others = await trx
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .where('id', '!=', userId)
    .forUpdate()
    .execute();
  return others.length;
}

export interface UserRowInput {
  username: string;
  displayName: string;
  role: Role;
  districtCode: string | null;
  passwordHash: string;
  mustChangePassword: boolean;
}

export async function insertUser(db: Executor, u: UserRowInput): Promise<number> {
  const { id } = await db
    .insertInto('users')
    .values({
      username: u.username,
      display_name: u.displayName,
      role: u.role,
      district_code: u.districtCode,
      password_hash: u.passwordHash,
      must_change_password: u.mustChangePassword,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function updateUserRow(db: Executor, id: number, set: { displayName: string; role: Role; districtCode: string | null }): Promise<void> {
  await db
    .updateTable('users')
    .set({ display_name: set.displayName, role: set.role, district_code: set.districtCode, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** Disabling keeps the first time it was disabled; enabling clears it. */
export async function setDisabledRow(db: Executor, id: number, disabled: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ disabled_at: disabled ? sql<Date>`coalesce(disabled_at, now())` : null, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function setPasswordRow(db: Executor, id: number, passwordHash: string, mustChangePassword: boolean): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: mustChangePassword, updated_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A stronger hash of the same password (the login upgrades old parameters); nothing else changes. */
export async function upgradePasswordHash(db: Executor, id: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

// --- Investor profiles ---------------------------------------------------------------------------

export interface InvestorProfileRow {
  company: string | null;
  uscc: string | null;
}

export async function insertInvestorProfile(db: Executor, userId: number, p: InvestorProfileRow): Promise<void> {
  await db.insertInto('investor_profiles').values({ user_id: userId, company: p.company, uscc: p.uscc }).execute();
}

export async function findInvestorProfile(db: Executor, userId: number): Promise<InvestorProfileRow | undefined> {
  return db.selectFrom('investor_profiles').select(['company', 'uscc']).where('user_id', '=', userId).executeTakeFirst();
}
