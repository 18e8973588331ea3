/**
 * The OpenAPI document as integrators meet it (`/api/docs/json`, issue #19): OpenAPI 3.1 — TypeBox
 * writes JSON Schema 2020-12, which is 3.1's schema dialect, not 3.0's — with the app's version,
 * one tag per resource, the session cookie as the security scheme, and named shared schemas
 * (`components.schemas.Error`, …).
 *
 * What each operation says — its `operationId` (`resource.verb`), tags, request examples and
 * error responses — is written in the route's own `schema`, next to the route
 * (server/modules/<resource>/routes.ts). Two things are derived here instead, for every route at
 * once, because their source of truth is elsewhere:
 * - `security`, from the route's declared access (`config.access`, server/modules/auth/access.ts);
 * - request examples (`requestExamples` in a route's schema) moved where OpenAPI wants them;
 * - error responses as JSON only, also on routes that produce files;
 * - tuples in 2020-12 form (`prefixItems`), since TypeBox's `Type.Tuple` still writes the older
 *   `items: [...]` + `additionalItems`, which OpenAPI 3.1 does not allow (the server's own
 *   validation and serialisation keep reading TypeBox's form).
 *
 * The document is checked by tests/api/openapi-document.test.ts (swagger-parser and
 * `redocly lint`, see redocly.yaml) and held to api/openapi.snapshot.json.
 */
import type { FastifyDynamicSwaggerOptions, SwaggerTransformObject } from '@fastify/swagger';
import type { Static, TSchema } from 'typebox';

declare module 'fastify' {
  interface FastifySchema {
    /**
     * Named request-body examples for the document (the media type's `examples`), each with a
     * Chinese summary; build them with {@link examplesOf} so their values type-check against the
     * body. Only the document reads them (the transform below); validation never sees them.
     */
    requestExamples?: Record<string, RequestExample>;
  }
}

export interface RequestExample {
  summary: string;
  value: unknown;
}

/** Request examples whose values are checked against the body's type. */
export function examplesOf<T extends TSchema>(_body: T, examples: Record<string, { summary: string; value: Static<T> }>): Record<string, RequestExample> {
  return examples;
}

/** The security scheme's name in the document. */
export const SESSION_SCHEME = 'session';

/** One tag per resource; every operationId starts with one of these names. */
export const OPENAPI_TAGS: { name: string; description: string }[] = [
  { name: 'system', description: 'Health and what the data is' },
  { name: 'map', description: 'The base map in use (BASEMAP) and the map’s search box' },
  { name: 'districts', description: 'Guangzhou’s 11 districts (区), for the map' },
  { name: 'tiles', description: 'The plot layer as Mapbox Vector Tiles' },
  { name: 'parks', description: 'Value-innovation parks: list, detail, recognition (逐年认定), park-operator projects' },
  { name: 'plots', description: 'Plots (地块): viewport lists, detail, drawing and editing, split, merge, withdraw, history, export' },
  { name: 'search', description: 'Finding available plots for an investor' },
  { name: 'quotes', description: 'Pure calculations: the land price floor (五(三)14) and incentives' },
  { name: 'reference', description: 'Reference data by version: parameters, benchmark prices, minimum prices' },
  { name: 'auth', description: 'Sign-in with a session cookie, sign-out, password, investor sign-up' },
  { name: 'users', description: 'Accounts and roles (administrator)' },
  { name: 'me', description: 'The signed-in investor’s own profile and interests' },
  { name: 'audit', description: 'The audit log and its hash chain' },
  { name: 'allocations', description: 'Land allocations: propose, approve, cancel, contract, milestones' },
  { name: 'quotas', description: 'The annual industrial land quota (五(三)11) and its ledger' },
  { name: 'holds', description: 'Holding a plot for an applicant until a date' },
  { name: 'interests', description: 'Investors’ expressions of interest and the bureau’s queue' },
  { name: 'subsidies', description: 'Park projects and their infrastructure subsidies (20 % per project, 1亿 per park)' },
  { name: 'dashboards', description: 'District and city dashboards, park reports (also as CSV)' },
  { name: 'imports', description: 'Survey data import: preview, then commit' },
  { name: 'supervision', description: 'After the sale: idle land, decisions, progress, government delays, the monitoring report' },
  { name: 'inspections', description: 'Field inspections by district officers: visits and photos' },
  { name: 'performance', description: '亩均 figures per allocation, their CSV import, the evaluation and its grade thresholds' },
  { name: 'hubs', description: 'Transport hubs and innovation anchors (indicative points)' },
  { name: 'siting', description: 'Ranking plots for a project’s requirements, and why (not) a plot' },
  { name: 'demands', description: 'Project land demand (随用随供): record, rank, hold, propose; demand against supply' },
];

type Json = unknown;

/** TypeBox's tuple form (`items: [...]`, `additionalItems`) in the 2020-12 form OpenAPI 3.1 wants. */
export function tuplesAsPrefixItems(doc: Json): Json {
  if (Array.isArray(doc)) return doc.map(tuplesAsPrefixItems);
  if (!doc || typeof doc !== 'object') return doc;
  const out: Record<string, Json> = {};
  const src = doc as Record<string, Json>;
  for (const [k, v] of Object.entries(src)) {
    if (k === 'items' && Array.isArray(v)) out.prefixItems = v.map(tuplesAsPrefixItems);
    else if (k === 'additionalItems' && Array.isArray(src.items)) out.items = tuplesAsPrefixItems(v);
    else out[k] = tuplesAsPrefixItems(v);
  }
  return out;
}

/**
 * Error answers are JSON whatever a route produces otherwise (`produces: ['text/csv', …]` applies
 * to every status in @fastify/swagger): each 4xx/5xx response becomes `application/json` only.
 */
export function errorsAsJson(doc: Json): Json {
  const paths = (doc as { paths?: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>> }).paths ?? {};
  for (const item of Object.values(paths)) {
    for (const op of Object.values(item)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        const media = Object.values(response.content ?? {});
        if (!/^[45]/.test(status) || media.length < 2 || !media.every((m) => m.schema?.$ref === '#/components/schemas/Error')) continue;
        response.content = { 'application/json': media[0]! };
      }
    }
  }
  return doc;
}

/** The route's access rule as OpenAPI security: public routes take a session optionally. */
function securityOf(access: unknown): Record<string, string[]>[] | undefined {
  if (access === undefined) return undefined;
  return access === 'public' ? [{}, { [SESSION_SCHEME]: [] }] : [{ [SESSION_SCHEME]: [] }];
}

/** The options of `@fastify/swagger` (server/app.ts). */
export function openapiOptions(version: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: '园区用地一张图 IAB Park Land Map API',
        version,
        description:
          'Guangzhou IAB value-innovation parks: districts, parks, plots, quotes, allocations, quotas, subsidies, supervision. ' +
          'Geometry is GeoJSON (RFC 7946, WGS84). Money in yuan, areas in m². Every error answer is the `Error` schema. ' +
          'Operation ids (`resource.verb`) are stable; changes are listed in CHANGELOG.md.',
      },
      servers: [{ url: '/', description: 'The server this document is served from' }],
      tags: OPENAPI_TAGS,
      components: {
        securitySchemes: {
          [SESSION_SCHEME]: {
            type: 'apiKey',
            in: 'cookie',
            name: 'iab_session',
            description:
              'The session cookie that POST /api/auth/login sets (HttpOnly, SameSite). A write (POST, PUT, PATCH, DELETE) with it is accepted only when its ' +
              '`Origin` header (or, without one, `Referer`) is the app’s own origin; otherwise 403 CROSS_ORIGIN_WRITE.',
          },
        },
      },
    },
    // Shared schemas (app.addSchema, TypeBox `$id`) under their own names: components.schemas.Error.
    refResolver: {
      buildLocalReference(json, _baseUri, _fragment, i) {
        return typeof json.$id === 'string' ? json.$id : `def-${i}`;
      },
    },
    transform: ({ schema, url, route }) => {
      if (!schema) return { schema, url };
      const { requestExamples, ...rest } = schema;
      const security = securityOf(route.config?.access);
      const body = requestExamples && rest.body ? { ...(rest.body as object), 'x-examples': requestExamples } : rest.body;
      return { schema: { ...rest, ...(security ? { security } : {}), ...(body ? { body } : {}) }, url };
    },
    transformObject: (documentObject) =>
      errorsAsJson(tuplesAsPrefixItems('openapiObject' in documentObject ? documentObject.openapiObject : documentObject.swaggerObject)) as ReturnType<SwaggerTransformObject>,
  };
}
