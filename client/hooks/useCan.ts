import { can, type Permission } from '../../shared/roles.ts';
import { useSessionStore } from '../stores/session.ts';

/** Whether the signed-in user's role holds a permission (shows or hides an action; the server decides). */
export function useCan(permission: Permission): boolean {
  return useSessionStore((s) => can(s.user?.role, permission));
}
