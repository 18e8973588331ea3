/** User administration (`/api/users`). */
import type { CreateUserBody, RevokedSessions, UpdateUserBody, User, UserList, UsersQuery as UsersQuerySchema } from '../../shared/contract/auth.ts';
import { getJson, id, query, requestJson } from './http.ts';

/** A user as administrators see it. */
export type UserRecord = User;
export type NewUserBody = CreateUserBody;
export type UserPatchBody = UpdateUserBody;
export type UsersQuery = UsersQuerySchema;

export const usersApi = {
  list: (q: UsersQuery, signal?: AbortSignal) =>
    getJson<UserList>(`/api/users${query({ ...q, includeDisabled: q.includeDisabled === undefined ? undefined : String(q.includeDisabled) })}`, signal),
  get: (userId: number, signal?: AbortSignal) => getJson<UserRecord>(`/api/users/${id(userId)}`, signal),
  create: (body: NewUserBody, signal?: AbortSignal) => requestJson<UserRecord>('POST', '/api/users', { signal, body }),
  update: (userId: number, body: UserPatchBody, signal?: AbortSignal) => requestJson<UserRecord>('PATCH', `/api/users/${id(userId)}`, { signal, body }),
  disable: (userId: number, signal?: AbortSignal) => requestJson<UserRecord>('POST', `/api/users/${id(userId)}/disable`, { signal }),
  enable: (userId: number, signal?: AbortSignal) => requestJson<UserRecord>('POST', `/api/users/${id(userId)}/enable`, { signal }),
  resetPassword: (userId: number, password: string, mustChangePassword: boolean, signal?: AbortSignal) =>
    requestJson<UserRecord>('POST', `/api/users/${id(userId)}/password`, { signal, body: { password, mustChangePassword } }),
  revokeSessions: (userId: number, signal?: AbortSignal) => requestJson<RevokedSessions>('POST', `/api/users/${id(userId)}/revoke-sessions`, { signal }),
};
