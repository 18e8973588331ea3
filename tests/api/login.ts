/**
 * Signing in from API tests: demo accounts, the session cookie, and the headers a browser on
 * the app's own page sends with a write (Origin = the app's origin; `app.inject` talks to
 * http://localhost).
 */
import { expect } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { DEMO_PASSWORD, DEMO_USERS } from '../../seeds/users.ts';

export { DEMO_PASSWORD, DEMO_USERS };

/** The origin `app.inject` requests come from by default (Host: localhost:80). */
export const APP_ORIGIN = 'http://localhost';

export interface Session {
  username: string;
  /** `iab_session=…`, ready for a Cookie header. */
  cookie: string;
}

export async function login(app: FastifyInstance, username: string, password = DEMO_PASSWORD, remoteAddress?: string): Promise<Session> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, ...(remoteAddress ? { remoteAddress } : {}) });
  expect(res.statusCode, `login ${username}: ${res.body}`).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'iab_session');
  expect(cookie).toBeDefined();
  return { username, cookie: `iab_session=${cookie!.value}` };
}

/** Headers of a same-origin browser request with this session. */
export function as(session: Session | null, extra: Record<string, string> = {}): Record<string, string> {
  return session ? { cookie: session.cookie, origin: APP_ORIGIN, ...extra } : { ...extra };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies loosely
type Body = Record<string, any>;

/** `app.inject` with a session (or none), JSON in and out. */
export async function call(app: FastifyInstance, session: Session | null, method: InjectOptions['method'], url: string, payload?: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method, url, headers: as(session, headers), ...(payload !== undefined ? { payload: payload as object } : {}) });
  let body: unknown = undefined;
  try {
    body = res.body ? res.json() : undefined;
  } catch {
    body = res.body;
  }
  return { status: res.statusCode, body: body as Body, headers: res.headers, res };
}
