/**
 * Server-side sessions. The browser holds a random token in an HttpOnly cookie; the database
 * holds only its SHA-256, so neither a copy of the table nor a backup can be replayed as a
 * cookie. A session ends when it is revoked (logout, an admin, a password change), when its
 * user is disabled (checked on every request, not only at login), after SESSION_IDLE_S without
 * use, or SESSION_MAX_S after login, whichever comes first.
 */
import { prepared } from '../../kernel/db/prepared.ts';
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { CallerUser } from '../../kernel/caller.ts';

export const SESSION_COOKIE = 'iab_session';
/** Idle timeout: a session unused this long ends (sliding). */
export const SESSION_IDLE_S = 2 * 60 * 60;
/** Absolute lifetime: a working day; the user logs in again the next morning. */
export const SESSION_MAX_S = 12 * 60 * 60;
/** last_seen_at is written at most this often per session, so reads stay reads. */
const TOUCH_EVERY_S = 60;

/** The caller as every route sees it (`req.user`). */
export type SessionUser = CallerUser;

export interface ActiveSession {
  /** SHA-256 of the token (the row's primary key). */
  id: string;
  user: SessionUser;
}

/** 32 random bytes, base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const seconds = (s: number) => sql<string>`${`${s} seconds`}::interval`;

export async function createSession(
  trx: Transaction<Database>,
  userId: number,
  client: { ip: string; userAgent: string | undefined },
): Promise<{ token: string; id: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = hashToken(token);
  await trx
    .insertInto('sessions')
    .values({
      id,
      user_id: userId,
      expires_at: sql<Date>`now() + ${seconds(SESSION_IDLE_S)}`,
      ip: client.ip.slice(0, 100),
      user_agent: client.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, id };
}

/**
 * The live session for a cookie token, with its user, or null (unknown, revoked, expired, or
 * the user disabled). Slides the idle expiry, writing at most once a minute.
 */
export async function findSession(db: Kysely<Database>, token: string): Promise<ActiveSession | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  const id = hashToken(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      'u.id as userId',
      'u.username',
      'u.display_name',
      'u.role',
      'u.district_code',
      'u.must_change_password',
      sql<boolean>`s.last_seen_at < now() - ${seconds(TOUCH_EVERY_S)}`.as('stale'),
    ])
    .where('s.id', '=', id)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .where('u.disabled_at', 'is', null)
    .modifyEnd(prepared) // every signed-in request
    .executeTakeFirst();
  if (!row) return null;
  if (row.stale) {
    await db
      .updateTable('sessions')
      .set({
        last_seen_at: sql<Date>`now()`,
        expires_at: sql<Date>`least(created_at + ${seconds(SESSION_MAX_S)}, now() + ${seconds(SESSION_IDLE_S)})`,
      })
      .where('id', '=', id)
      .execute();
  }
  return {
    id: row.id,
    user: {
      id: row.userId,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      districtCode: row.district_code,
      mustChangePassword: row.must_change_password,
    },
  };
}

export async function revokeSession(trx: Transaction<Database>, sessionId: string): Promise<boolean> {
  const res = await trx.updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('id', '=', sessionId).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** Ends every live session of a user (disable, password reset), optionally but one. Returns how many. */
export async function revokeUserSessions(trx: Transaction<Database>, userId: number, opts: { except?: string } = {}): Promise<number> {
  let q = trx.updateTable('sessions').set({ revoked_at: sql<Date>`now()` }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (opts.except) q = q.where('id', '!=', opts.except);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}
