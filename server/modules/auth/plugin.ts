/**
 * The auth plugin: who is calling, and may they?
 *
 * 1. At start-up (`onRoute`), every route under /api must declare `config.access` — a route
 *    without a rule stops the server, so a new route cannot ship unguarded. The rules are kept
 *    in a table (`routeAccessTable`) that the route × role test walks, and stated in OpenAPI.
 * 2. On every /api request (`onRequest`, i.e. before the body is parsed or validated, so
 *    401/403 always come first), the session cookie is resolved to `req.user` (or null), the
 *    route's rule is enforced, and a cookie-authenticated write must come from our own origin
 *    (CSRF, ./origin.ts).
 *
 * Registered on the root instance without encapsulation, so its hooks see every route.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { isAccess, enforceAccess, describeAccess, forbidden, type Access } from './access.ts';
import { assertSameOrigin, SAFE_METHODS } from './origin.ts';
import { findSession, SESSION_COOKIE, type ActiveSession, type SessionUser } from './sessions.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (./access.ts). Required for every route under /api. */
    access?: Access;
    /** Allowed while the user must still change their password (me, logout, change password). */
    allowPendingPasswordChange?: boolean;
  }
  interface FastifyRequest {
    /** The signed-in user, or null for an anonymous request. */
    user: SessionUser | null;
    session: ActiveSession | null;
  }
  interface FastifyInstance {
    routeAccess: RouteAccess[];
  }
}

export interface RouteAccess {
  method: string;
  url: string;
  access: Access;
}

/** The OpenAPI document and its UI describe the API: public by nature. */
const DOCS_PREFIX = '/api/docs';

/** Every /api route with its declared rule (HEAD twins of GET routes left out). */
export function routeAccessTable(app: FastifyInstance): RouteAccess[] {
  return app.routeAccess.filter((r) => r.method !== 'HEAD');
}

const authPlugin: FastifyPluginAsync = async (app) => {
  app.decorateRequest('user', null);
  app.decorateRequest('session', null);
  app.decorate('routeAccess', [] as RouteAccess[]);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api')) return;
    if (route.url.startsWith(DOCS_PREFIX) && route.config?.access === undefined) {
      route.config = { ...route.config, access: 'public' };
    }
    const access = route.config?.access;
    const methods = ([] as string[]).concat(route.method);
    if (!isAccess(access)) {
      throw new Error(
        `Route ${methods.join(',')} ${route.url} has no valid access rule. Add config: { access: 'public' | 'authenticated' | [roles…] } ` +
          `to its options (see server/modules/auth/access.ts); every /api route must say who may call it.`,
      );
    }
    for (const method of methods) app.routeAccess.push({ method, url: route.url, access });
    if (route.schema && !route.schema.hide) {
      route.schema = { ...route.schema, description: [route.schema.description, describeAccess(access)].filter(Boolean).join('\n\n') };
    }
  });

  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config;
    // The web app and its files are public and need no session lookup.
    if (config.access === undefined && !req.url.startsWith('/api')) return;

    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const session = await findSession(app.db, token);
      if (session) {
        req.session = session;
        req.user = session.user;
      } else {
        // Ended, expired or unknown: tell the browser to forget it.
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (config.access === undefined) return; // no such route: the 404 handler answers

    enforceAccess(config.access, req.user);
    if (req.user?.mustChangePassword && config.access !== 'public' && !config.allowPendingPasswordChange) {
      throw forbidden('Change your password first (请先修改密码): POST /api/auth/password.', 'PASSWORD_CHANGE_REQUIRED');
    }
    if (req.session && !SAFE_METHODS.has(req.method)) {
      assertSameOrigin(req, app.config.publicOrigin, { required: true });
    }
  });
};

// Like fastify-plugin: no encapsulation, so the hooks and decorators apply to the whole app.
(authPlugin as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export default authPlugin;
