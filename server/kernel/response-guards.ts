/**
 * What every /api response must respect, whatever the route does:
 *
 * - `Cache-Control: no-store` on every response of a route that is not public, and on every
 *   response to a signed-in caller — allocations, holds, audit, plot history with cost,
 *   dashboards, the quota ledger, users, /api/auth/me — so no browser or proxy keeps a copy.
 *   Routes whose answer is the same for everyone (tiles, districts, parks, public plot GeoJSON)
 *   say so with `config: { cache: 'shared' }` and keep their own ETag / Cache-Control.
 * - No NaN or ±Infinity in a JSON body: a response that would carry one (serialised as `null`
 *   or worse) is a fault, refused here as a 500 and logged with the request id.
 */
import type { FastifyPluginAsync } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'shared': the response is the same for every caller and role and may be cached. */
    cache?: 'shared';
  }
}

/** The path of the first non-finite number in a value, or null. */
export function nonFinitePath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '$']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return at;
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push([v[i], `${at}[${i}]`]);
    } else if (v !== null && typeof v === 'object' && !(v instanceof Date) && !Buffer.isBuffer(v)) {
      for (const [k, x] of Object.entries(v)) stack.push([x, `${at}.${k}`]);
    }
  }
  return null;
}

const responseGuards: FastifyPluginAsync = async (app) => {
  app.addHook('preSerialization', async (req, _reply, payload) => {
    const at = nonFinitePath(payload);
    if (at !== null) throw new Error(`Response of ${req.method} ${req.routeOptions.url ?? req.url} has a non-finite number at ${at}`);
    return payload;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith('/api')) return payload;
    const config = req.routeOptions.config;
    const personal = req.user !== null || (config.access !== undefined && config.access !== 'public');
    if (personal && config.cache !== 'shared') {
      reply.header('cache-control', 'no-store');
      reply.removeHeader('etag');
    }
    return payload;
  });
};

// Like fastify-plugin: no encapsulation, so the hooks apply to every route.
(responseGuards as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;

export default responseGuards;
