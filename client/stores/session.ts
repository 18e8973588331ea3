/**
 * Who is signed in: loaded from `GET /api/auth/me` at start (`useSessionLoader`), set by the
 * login and password-change forms, cleared on sign-out. The server enforces every rule anyway;
 * the client uses the role only to show or hide actions (`can` in shared/roles.ts).
 * Actions are plain functions.
 */
import { create } from 'zustand';
import { ApiError, authApi, onApiError, type SessionUser } from '../api/index.ts';

export type SessionStatus = 'loading' | 'anonymous' | 'signedIn';

interface SessionState {
  status: SessionStatus;
  user: SessionUser | null;
}

export const useSessionStore = create<SessionState>(() => ({ status: 'loading', user: null }));

export function setSessionUser(user: SessionUser | null): void {
  useSessionStore.setState({ status: user ? 'signedIn' : 'anonymous', user });
}

/** Asks the server who we are; 401 means anonymous. Other failures leave us anonymous too. */
export async function loadSession(signal?: AbortSignal): Promise<void> {
  try {
    const { user } = await authApi.me(signal);
    if (!signal?.aborted) setSessionUser(user);
  } catch (e) {
    if (signal?.aborted) return;
    if (!(e instanceof ApiError && e.status === 401)) console.warn('Could not load the session:', e);
    setSessionUser(null);
  }
}

/** Signs in; throws the ApiError for the form to explain (401 wrong password, 429 locked…). */
export async function signIn(username: string, password: string): Promise<SessionUser> {
  const { user } = await authApi.login(username, password);
  setSessionUser(user);
  return user;
}

/** Ends the session on the server (204 even without one) and forgets the user here. */
export async function signOut(): Promise<void> {
  try {
    await authApi.logout();
  } finally {
    setSessionUser(null);
  }
}

/** Changes the signed-in user's password; the server answers with the updated user. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<SessionUser> {
  const { user } = await authApi.changePassword(currentPassword, newPassword);
  setSessionUser(user);
  return user;
}

/** A request was refused with 401: the session ended (expired, revoked, user disabled). */
export function sessionEnded(): void {
  if (useSessionStore.getState().user) setSessionUser(null);
}

// Any request can learn that the session is over, or that the server wants a new password
// first: keep the top bar and the password gate in step. (A 401 from the login itself is a
// wrong password, and from /auth/me it is handled by loadSession.)
onApiError((e, path) => {
  if (e.status === 401 && !path.startsWith('/api/auth/')) sessionEnded();
  const user = useSessionStore.getState().user;
  if (e.status === 403 && e.reason === 'PASSWORD_CHANGE_REQUIRED' && user && !user.mustChangePassword) {
    setSessionUser({ ...user, mustChangePassword: true });
  }
});
