/**
 * Route-level access rules. Every route under /api declares one in its options:
 *
 *   app.get('/parks', { config: { access: 'public' }, schema: … }, handler)
 *   app.get('/audit', { config: { access: PERMISSIONS['audit.read'] }, … }, handler)
 *
 * - `'public'`        anyone, signed in or not;
 * - `'authenticated'` any signed-in user (401 otherwise);
 * - a list of roles   those roles only (401 without a session, 403 for other roles).
 *
 * Object-level rules (which district, whose record) are checked by the route with the helpers
 * of ./scope.ts: a role list only says who may call the route at all.
 */
import { isRole, type Role } from '../../../shared/roles.ts';
import { AppError } from '../../kernel/errors.ts';
import type { SessionUser } from './sessions.ts';

export type Access = 'public' | 'authenticated' | readonly Role[];

/** Why a request was refused: a machine-readable `reason` beside the stable `code`. */
export type AuthReason =
  | 'SESSION_REQUIRED'
  | 'ROLE_NOT_ALLOWED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'CROSS_ORIGIN_WRITE'
  | 'INVALID_CREDENTIALS'
  | 'LOGIN_THROTTLED'
  | 'OUT_OF_SCOPE';

export const unauthenticated = (message: string, reason: AuthReason = 'SESSION_REQUIRED') =>
  new AppError(401, 'UNAUTHENTICATED', message, { reason });
export const forbidden = (message: string, reason: AuthReason) => new AppError(403, 'FORBIDDEN', message, { reason });

/** Whether a value is a well-formed access rule (checked for every route at start-up). */
export function isAccess(value: unknown): value is Access {
  if (value === 'public' || value === 'authenticated') return true;
  return Array.isArray(value) && value.length > 0 && value.every(isRole);
}

/** Throws 401/403 unless `user` may call a route with this rule. */
export function enforceAccess(access: Access, user: SessionUser | null): void {
  if (access === 'public') return;
  if (!user) throw unauthenticated('Sign in to use this function (请先登录).');
  if (access === 'authenticated') return;
  if (!access.includes(user.role)) {
    throw forbidden(`Your role (${user.role}) may not use this function; it is for: ${access.join(', ')}.`, 'ROLE_NOT_ALLOWED');
  }
}

/** How the OpenAPI document states a rule. */
export function describeAccess(access: Access): string {
  if (access === 'public') return 'Access: public.';
  if (access === 'authenticated') return 'Access: any signed-in user.';
  return `Access: ${access.join(', ')}.`;
}
