/**
 * CSRF defence for cookie sessions (API.md, Security conventions): a write that a browser makes
 * with our session cookie is accepted only if its `Origin` header — or, when a browser omits it,
 * its `Referer` — is the app's own origin. Browsers always send `Origin` on cross-site POSTs and
 * a page cannot forge it, so a form or script on another site cannot act with a user's cookie.
 * `SameSite=Lax` on the cookie is the second layer.
 *
 * The app's origin is PUBLIC_ORIGIN when configured (required behind a proxy or when listening
 * on 0.0.0.0), else http://HOST:PORT of the server as it listens (the port it really got when
 * PORT=0) — what a browser at http://127.0.0.1:3000 sends as its Origin. Never the request's own
 * Host header: a request naming `evil.example` as both Host and Origin is refused.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import net from 'node:net';
import { forbidden } from './access.ts';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string): string | null {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** http://HOST:PORT: the address the server listens on, else the configured one (app.inject). */
export function listenOrigin(app: FastifyInstance): string | null {
  const address = app.server.listening ? app.server.address() : null;
  const host = address && typeof address === 'object' ? address.address : app.config.host;
  const port = address && typeof address === 'object' ? address.port : app.config.port;
  return originOf(`http://${net.isIPv6(host) ? `[${host}]` : host}:${port}`);
}

export function appOrigin(req: FastifyRequest, publicOrigin: string | undefined): string | null {
  return publicOrigin ?? listenOrigin(req.server);
}

/**
 * Throws 403 unless the request comes from the app's own origin. With `required: false` a
 * request that names no origin at all passes (non-browser clients; used for the login form).
 */
export function assertSameOrigin(req: FastifyRequest, publicOrigin: string | undefined, { required }: { required: boolean }): void {
  const header = req.headers.origin ?? req.headers.referer;
  if (header === undefined || header === '') {
    if (!required) return;
    throw forbidden('This write comes with your session cookie but without an Origin or Referer header, so it was refused (cross-site request protection).', 'CROSS_ORIGIN_WRITE');
  }
  const expected = appOrigin(req, publicOrigin);
  const actual = originOf(header);
  if (expected === null || actual !== expected) {
    throw forbidden(`Writes are accepted only from ${expected ?? 'this application'}; this one came from ${actual ?? 'an unknown origin'} (cross-site request protection).`, 'CROSS_ORIGIN_WRITE');
  }
}
