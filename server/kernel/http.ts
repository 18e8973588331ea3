/** The one place an HTTP request becomes a plain value for the layers below routes, and back. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from './caller.ts';
import type { IdempotentResult, WriteOptions } from './idempotency.ts';

export function callerOf(req: FastifyRequest): Caller {
  return { user: req.user, requestId: req.id, ip: req.ip };
}

/** A write's options from its request: the `Idempotency-Key` header, if any. */
export function writeOptionsOf(req: FastifyRequest): WriteOptions {
  const key = req.headers['idempotency-key'];
  return { idempotencyKey: typeof key === 'string' ? key : undefined };
}

/** Sends a write's result; a replayed one says so in `Idempotent-Replayed: true`. */
export function sendResult(reply: FastifyReply, r: IdempotentResult<unknown>) {
  return reply.code(r.status).header('idempotent-replayed', String(r.replayed)).send(r.body);
}

