/** The one place an HTTP request becomes a plain value for the layers below routes. */
import type { FastifyRequest } from 'fastify';
import type { Caller } from './caller.ts';

export function callerOf(req: FastifyRequest): Caller {
  return { user: req.user, requestId: req.id, ip: req.ip };
}
