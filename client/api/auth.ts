/** Signing in and out, the password, and an investor's sign-up and profile (`/api/auth`, `/api/me`). */
import type { ChangePasswordBody, LoginBody, Me, MeResponse } from '../../shared/contract/auth.ts';
import type { InvestorProfile, SignupAccepted, SignupBody } from '../../shared/contract/interests.ts';
import { getJson, requestJson } from './http.ts';

/** The signed-in user (`GET /api/auth/me`). */
export type SessionUser = Me;
export type { InvestorProfile };

export const authApi = {
  me: (signal?: AbortSignal) => getJson<MeResponse>('/api/auth/me', signal),
  login: (username: string, password: string, signal?: AbortSignal) =>
    requestJson<MeResponse>('POST', '/api/auth/login', { signal, body: { username, password } satisfies LoginBody }),
  logout: (signal?: AbortSignal) => requestJson<void>('POST', '/api/auth/logout', { signal }),
  changePassword: (currentPassword: string, newPassword: string, signal?: AbortSignal) =>
    requestJson<MeResponse>('POST', '/api/auth/password', { signal, body: { currentPassword, newPassword } satisfies ChangePasswordBody }),
  /** 202, the same for a free and a taken address: sign in next to know. */
  signup: (body: SignupBody, signal?: AbortSignal) => requestJson<SignupAccepted>('POST', '/api/auth/signup', { signal, body }),
  profile: (signal?: AbortSignal) => getJson<InvestorProfile>('/api/me/profile', signal),
};
