/**
 * Where a role lands after signing in when no page asked for the sign-in (`/login` opened on its
 * own, or `next` missing/unsafe): each role's own workspace, not the public map.
 * - admin → the administration (users);
 * - land officer → the bureau's allocation workspace;
 * - industry officer → the city overview of parks (subsidies are granted from there);
 * - district officer → their district's dashboard (the overview if no district is set);
 * - investor → the investor search.
 * An explicit `next` (`/login?next=/plots/P10-0014`) always wins: see `afterSignIn`.
 */
import type { Role } from '../../../shared/roles.ts';
import { safeNextPath } from './redirect.ts';

export function roleHome(user: { role: Role; districtCode: string | null }): string {
  switch (user.role) {
    case 'admin':
      return '/admin/users';
    case 'land_officer':
      return '/bureau';
    case 'industry_officer':
      return '/bureau/parks';
    case 'district_officer':
      return user.districtCode ? `/district/${encodeURIComponent(user.districtCode)}` : '/bureau/parks';
    case 'investor':
      return '/invest';
  }
}

/** The page to open after signing in: a safe `next` if one was given, else the role's workspace. */
export function afterSignIn(next: string | null | undefined, user: { role: Role; districtCode: string | null }): string {
  const safe = safeNextPath(next, '');
  return safe || roleHome(user);
}
