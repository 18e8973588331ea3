/** The served OpenAPI document for the tests: fetched as an integrator fetches it, and its operations. */
import { expect } from 'vitest';
import type { FastifyInstance } from 'fastify';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read as plain JSON
export type Doc = Record<string, any>;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Every operation of the document with its method and path. */
export function operations(doc: Doc): { method: string; path: string; op: Doc }[] {
  return Object.entries(doc.paths as Record<string, Doc>).flatMap(([p, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([m, op]) => ({ method: m, path: p, op: op as Doc })),
  );
}

/** The served document, as JSON over HTTP (what an integrator downloads). */
export async function servedDocument(app: FastifyInstance): Promise<Doc> {
  const res = await app.inject({ method: 'GET', url: '/api/docs/json' });
  expect(res.statusCode).toBe(200);
  return res.json() as Doc;
}

