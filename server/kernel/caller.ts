/**
 * Who is asking: the signed-in user (or nobody) and the request's id for the log and the audit
 * trail. Routes build it from the HTTP request (`callerOf` in kernel/http.ts) and pass it down as
 * a plain value, so services and repositories never see Fastify.
 */
import type { Role } from '../../shared/roles.ts';
import { AppError } from './errors.ts';

/** The signed-in user as every layer sees it. */
export interface CallerUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  districtCode: string | null;
  mustChangePassword: boolean;
}

export interface Caller {
  user: CallerUser | null;
  /** The request id (pino's reqId), recorded with audit events; null outside a request. */
  requestId: string | null;
  /** The client's address as the server trusts it (TRUST_PROXY), for throttles and logs. */
  ip?: string;
}

/** A caller outside any request (seeding, command-line tools). */
export const NO_CALLER: Caller = { user: null, requestId: null };

/** The signed-in user's id for a write; 401 without one. */
export function callerUserId(caller: Caller): number {
  if (!caller.user) throw new AppError(401, 'UNAUTHENTICATED', 'Sign in first (请先登录).');
  return caller.user.id;
}
