import { can, CITY_WIDE_ROLES, type Permission } from '../../shared/roles.ts';
import { useSessionStore } from '../stores/session.ts';

/** Whether the signed-in user's role holds a permission (shows or hides an action; the server decides). */
export function useCan(permission: Permission): boolean {
  return useSessionStore((s) => can(s.user?.role, permission));
}

/** Whether the signed-in user sees the whole city (admin and the bureau's officers), not one district. */
export function useCityWide(): boolean {
  return useSessionStore((s) => !!s.user && (CITY_WIDE_ROLES as readonly string[]).includes(s.user.role));
}
