/**
 * Object-level checks: a role says who may call a route, these say which records. Routes call
 * them after loading the record, with the record's own district or owner — never with a value
 * taken from the request, so knowing an id is never enough.
 *
 * - bureau roles (admin, land officer, industry officer) see every district's detail;
 * - a district officer sees the detail of their own district, and elsewhere only what the
 *   public sees;
 * - an investor sees their own records and otherwise what the public sees.
 */
import { CITY_WIDE_ROLES, type Role } from '../../../shared/roles.ts';
import { notFound } from '../../kernel/errors.ts';
import { forbidden, unauthenticated } from './access.ts';
import type { SessionUser } from './sessions.ts';

export function isCityWide(user: SessionUser | null): boolean {
  return user !== null && (CITY_WIDE_ROLES as readonly Role[]).includes(user.role);
}

/** Whether the user may see a district's non-public detail (cost inputs, internal notes, parties). */
export function canSeeDistrictDetail(user: SessionUser | null, districtCode: string): boolean {
  if (isCityWide(user)) return true;
  return user?.role === 'district_officer' && user.districtCode === districtCode;
}

/**
 * Field-level disclosure for a record in a district: `internal` → the full record, `public` →
 * only what an anonymous visitor sees. Use it to choose the response shape.
 */
export function disclosureFor(user: SessionUser | null, districtCode: string): 'internal' | 'public' {
  return canSeeDistrictDetail(user, districtCode) ? 'internal' : 'public';
}

/** For routes that exist only to show non-public detail: 401 without a session, 403 outside the user's district. */
export function assertCanSeeDistrict(user: SessionUser | null, districtCode: string): void {
  if (!user) throw unauthenticated('Sign in to see this detail (请先登录).');
  if (!canSeeDistrictDetail(user, districtCode)) {
    const where = user.role === 'district_officer' ? `your district is ${user.districtCode}` : `your role (${user.role}) has no district detail`;
    throw forbidden(`This is non-public detail of district ${districtCode}; ${where}.`, 'OUT_OF_SCOPE');
  }
}

/**
 * Which districts' detail a list may include: every district, exactly one, or none — to turn
 * into a WHERE clause, so a list never fetches rows the caller may not see.
 */
export type DistrictScope = { kind: 'all' } | { kind: 'district'; code: string } | { kind: 'none' };

export function districtScope(user: SessionUser | null): DistrictScope {
  if (isCityWide(user)) return { kind: 'all' };
  if (user?.role === 'district_officer' && user.districtCode) return { kind: 'district', code: user.districtCode };
  return { kind: 'none' };
}

/**
 * For records owned by one user (an investor's interests, profile): 401 without a session, and
 * 404 — not 403 — for someone else's record, so an id reveals nothing about records one may not see.
 */
export function assertOwnRecord(user: SessionUser | null, ownerUserId: number | null, what: string): void {
  if (!user) throw unauthenticated('Sign in to see your records (请先登录).');
  if (ownerUserId === null || ownerUserId !== user.id) throw notFound(what);
}
