/**
 * Turns JSON-schema validation errors into one sentence a person can act on, naming where the
 * bad value is ("query parameter limit", "body field project.enterprise.uscc").
 */
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

const PLACE: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

function fieldName(e: FastifySchemaValidationError): string {
  const base = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (e.params as { missingProperty?: string } | undefined)?.missingProperty;
  if (e.keyword === 'required' && missing) return base ? `${base}.${missing}` : missing;
  return base;
}

export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const place = PLACE[dataVar] ?? dataVar;
  const parts = errors.slice(0, 3).map((e) => {
    const field = fieldName(e);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        return `${place} "${field}" is required`;
      case 'additionalProperties':
        return `${place} "${String(p.additionalProperty)}" is not allowed${field ? ` in ${field}` : ''}`;
      case 'type':
        return `${place} "${field || '(root)'}" must be ${String(p.type)}`;
      default:
        return `${place} "${field || '(root)'}" ${e.message ?? 'is invalid'}`;
    }
  });
  const err = new Error(`${parts.join('; ')}.`) as Error & { validation: unknown; statusCode: number };
  err.validation = errors;
  err.statusCode = 400;
  return err;
}
