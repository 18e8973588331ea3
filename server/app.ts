/**
 * The server as one Fastify plugin tree. Read top to bottom, it is the story of the server:
 * configuration and database, cross-cutting plugins (request ids, security headers,
 * compression, rate limits, OpenAPI), the error contract, the API routes, then the web app.
 * `server/main.ts` only listens and handles signals, and hands in the seed step and the demo
 * accounts from seeds/; tests call `buildApp` (tests/api/context.ts) and `inject`.
 */
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import helmet from '@fastify/helmet';
import compress from '@fastify/compress';
import zlib from 'node:zlib';
import rateLimit from '@fastify/rate-limit';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Kysely } from 'kysely';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './kernel/config.ts';
import { connectDatabase, connectReadReplica, type DatabaseHandle, type DatabaseKind } from './kernel/db/connect.ts';
import { prepareDatabase } from './kernel/db/prepare.ts';
import { auditKeyFileWarning } from './kernel/audit-key.ts';
import type { Database } from './kernel/db/schema.ts';
import { AppError, errorBody, fromDatabaseError } from './kernel/errors.ts';
import { openapiOptions } from './kernel/openapi.ts';
import { ErrorSchema } from '../shared/contract/common.ts';
import { databaseRateLimitStore } from './kernel/rate-limit-store.ts';
import { formatSchemaErrors } from './kernel/validation.ts';
import { strictValidatorCompiler } from './kernel/validator.ts';
import responseGuards from './kernel/response-guards.ts';
import systemRoutes, { type DemoAccounts } from './modules/system/routes.ts';
import districtRoutes from './modules/districts/routes.ts';
import tileRoutes from './modules/tiles/routes.ts';
import quoteRoutes from './modules/quotes/routes.ts';
import referenceRoutes from './modules/reference/routes.ts';
import authPlugin from './modules/auth/plugin.ts';
import authRoutes from './modules/auth/routes.ts';
import userRoutes from './modules/users/routes.ts';
import auditRoutes from './modules/audit/routes.ts';
import allocationRoutes from './modules/allocations/routes.ts';
import quotaRoutes from './modules/quotas/routes.ts';
import holdRoutes from './modules/holds/routes.ts';
import subsidyRoutes from './modules/subsidies/routes.ts';
import parkRoutes from './modules/parks/routes.ts';
import dashboardRoutes from './modules/dashboards/routes.ts';
import searchRoutes from './modules/search/routes.ts';
import interestRoutes from './modules/interests/routes.ts';
import meRoutes from './modules/me/routes.ts';
import plotRoutes from './modules/plots/routes.ts';
import importRoutes from './modules/imports/routes.ts';
import inspectionAssigneeRoutes from './modules/inspections-assignees/routes.ts';
import supervisionRoutes from './modules/supervision/routes.ts';
import inspectionRoutes from './modules/inspections/routes.ts';
import performanceRoutes from './modules/performance/routes.ts';
import hubRoutes from './modules/hubs/routes.ts';
import sitingRoutes from './modules/siting/routes.ts';
import demandRoutes from './modules/demands/routes.ts';
import mapRoutes from './modules/map/routes.ts';
import { basemapOrigins } from './kernel/basemap-config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Kysely<Database>;
    /**
     * Cache-safe public reads (tiles, GET /api/plots, search): a read replica when
     * DATABASE_READ_URL is set, else the same as `db`. Never for a write, a read a decision
     * depends on, sessions, limits or idempotency (README, Several instances).
     */
    dbRead: Kysely<Database>;
    dbKind: DatabaseKind;
    appVersion: string;
  }
}

const VERSION = (JSON.parse(fs.readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** What a seed step loaded, for the start-up log (counts of rows it inserted). */
export interface SeedReport {
  districts: number;
  parks: number;
  plots: number;
}

export interface BuildOptions {
  config: Config;
  /** An already-open database (tests share one per file); otherwise one is opened from config. */
  database?: DatabaseHandle;
  /**
   * Fills a migrated database (base geodata, reference data, demo data), run after the
   * migrations as the app role. The launcher and the test helpers pass the one from seeds/; the
   * server itself never imports seeds, so the sample data stays outside the runtime.
   */
  seed?: (db: Kysely<Database>) => Promise<SeedReport>;
  /**
   * The published demo accounts: `/api/meta` says whether their password still opens one of
   * them, so the login page lists them only then. Without it, it says false.
   */
  demoAccounts?: DemoAccounts;
}

/** A hop count as Fastify's trust function: the nearest `hops` addresses are our proxies. */
const trustHops = (hops: number) => (_address: string, hop: number) => hop < hops;

export async function buildApp({ config, database, seed, demoAccounts }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: config.logLevel === 'silent' ? false : {
      level: config.logLevel,
      redact: ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]'],
    },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // Client addresses (rate limits, audit) from X-Forwarded-For only behind a trusted proxy.
    trustProxy: typeof config.trustProxy === 'number' ? trustHops(config.trustProxy) : config.trustProxy,
    schemaErrorFormatter: formatSchemaErrors,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();
  // Strict input for every route (./validator.ts): no coercion of bodies, digits-only ids,
  // bounded numbers, no control characters, real calendar dates.
  app.setValidatorCompiler(strictValidatorCompiler());

  // --- Database: open, migrate, then the launcher's seed step ----------------------------------
  const handle = database ?? (await connectDatabase(config));
  app.decorate('config', config);
  app.decorate('db', handle.db);
  app.decorate('dbKind', handle.kind);
  app.decorate('appVersion', VERSION);
  if (!database) app.addHook('onClose', async () => handle.close());
  // As the owner: migrations, the app role's grants, the audit chain signed with the key.
  // Then every query of the app runs as the app role where the database allows.
  const prepared = await prepareDatabase(handle, config);
  if (prepared.resigned > 0) app.log.warn({ events: prepared.resigned, keyId: prepared.key.id }, 'the audit chain was re-signed with the audit key (event audit.rekeyed)');
  const keyWarning = auditKeyFileWarning(prepared.key);
  if (keyWarning) app.log.warn(keyWarning);
  const role = await handle.useAppRole();
  if (role.how === 'owner') app.log.warn(role.warning);
  else app.log.info({ role: role.role, how: role.how }, 'database queries run as the app role');
  // The read replica, if any (PostgreSQL only; config.ts refuses it without DATABASE_URL).
  const replica = config.databaseReadUrl && handle.kind === 'postgres' ? await connectReadReplica(config.databaseReadUrl) : undefined;
  app.decorate('dbRead', replica?.db ?? handle.db);
  if (replica) {
    app.addHook('onClose', async () => replica.close());
    app.log.info('tiles, the plot list and search read from the replica (DATABASE_READ_URL)');
  }
  if (seed) {
    const seeded = await seed(handle.db);
    if (seeded.districts || seeded.parks || seeded.plots) {
      app.log.info({ seeded }, 'seeded an empty database');
    }
  }

  // --- Cross-cutting plugins -------------------------------------------------------------------
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  // The base map's tile hosts, and only them (none with BASEMAP=none): README, Base map.
  const tileOrigins = basemapOrigins(config.basemap);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // maplibre runs its worker from our own origin (and may use blob: URLs).
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', ...tileOrigins],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'", ...tileOrigins],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: false, // set by the TLS-terminating proxy, where one exists
  });
  // The fastest levels: a viewport's GeoJSON (≈ 225 kB for 500 parcels) takes 1.4 ms at gzip 1
  // against 3.1 ms at the default 6, for 8 % more bytes; brotli 1 is smaller than gzip 6 and
  // faster still. The server's CPU is what a viewport under load waits for (bench:viewport).
  // Compressed in one call up to 512 kB (every viewport answer of one page: GET /api/plots sends
  // bigger ones page by page): the plugin's default on two cores is 8 kB, above which each answer
  // goes through a zlib stream in the thread pool — a stream, a pipeline and several writes per
  // answer, which cost a 100-parcel viewport more main-thread time than its compression.
  await app.register(compress, {
    threshold: 1024,
    syncThreshold: 512 * 1024,
    zlibOptions: { level: 1 },
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
  });
  await app.register(responseGuards);
  // Counted in the database (table rate_limits), so every instance on it shares the counts;
  // a database error lets the request through (server/kernel/rate-limit-store.ts says why).
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(handle.db, app.log), skipOnError: true });
  // Who is calling and may they: session cookie → req.user, every /api route's declared access,
  // CSRF on cookie-authenticated writes. Before any route, so its onRoute hook sees them all.
  await app.register(cookie);
  await app.register(authPlugin);

  // The OpenAPI 3.1 document (server/kernel/openapi.ts); the one Error schema every error answer refers to.
  app.addSchema(ErrorSchema);
  await app.register(swagger, openapiOptions(VERSION));
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });

  // --- The error contract ----------------------------------------------------------------------
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply.code(err.statusCode).send(errorBody(err.statusCode, err.code, err.message, err.details));
    }
    if ((err as FastifyError).validation) {
      return reply.code(400).send(errorBody(400, 'VALIDATION_FAILED', err.message, (err as { details?: Record<string, unknown> }).details));
    }
    const fromDb = fromDatabaseError(err);
    if (fromDb) {
      req.log.info({ err, reqId: req.id }, 'input refused by the database');
      return reply.code(fromDb.statusCode).send(errorBody(fromDb.statusCode, fromDb.code, fromDb.message, fromDb.details));
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code =
        status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 429 ? 'RATE_LIMITED' : status === 404 ? 'NOT_FOUND' : 'VALIDATION_FAILED';
      return reply.code(status).send(errorBody(status, code, err.message));
    }
    req.log.error({ err, reqId: req.id }, 'unhandled error');
    return reply.code(500).send(errorBody(500, 'INTERNAL', `Internal error; quote request id ${req.id} to the administrator.`));
  });

  // --- API -----------------------------------------------------------------------------------------
  await app.register(
    async (api) => {
      await api.register(systemRoutes, { demoAccounts });
      await api.register(districtRoutes);
      await api.register(tileRoutes);
      await api.register(quoteRoutes);
      await api.register(referenceRoutes);
      await api.register(authRoutes);
      await api.register(userRoutes);
      await api.register(auditRoutes);
      await api.register(allocationRoutes);
      await api.register(quotaRoutes);
      await api.register(holdRoutes);
      await api.register(subsidyRoutes);
      await api.register(parkRoutes);
      await api.register(dashboardRoutes);
      await api.register(searchRoutes);
      await api.register(interestRoutes);
      await api.register(meRoutes);
      await api.register(plotRoutes);
      await api.register(importRoutes);
      await api.register(inspectionAssigneeRoutes);
      await api.register(supervisionRoutes);
      await api.register(inspectionRoutes);
      await api.register(performanceRoutes);
      await api.register(hubRoutes);
      await api.register(sitingRoutes);
      await api.register(demandRoutes);
      await api.register(mapRoutes);
    },
    { prefix: '/api' },
  );

  // --- The web app -------------------------------------------------------------------------------
  const indexHtml = path.join(config.clientDir, 'index.html');
  const hasClient = fs.existsSync(indexHtml);
  if (hasClient) {
    await app.register(fastifyStatic, { root: config.clientDir, wildcard: false, index: false, maxAge: '1h' });
  }
  app.setNotFoundHandler((req, reply) => {
    const url = req.url.split('?')[0] ?? '';
    if (url.startsWith('/api') || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return reply.code(404).send(errorBody(404, 'NOT_FOUND', `No route ${req.method} ${url}. See /api/docs for the API.`));
    }
    // Single-page app: every other GET is a client route (/, /invest, /plots/:code, …).
    if (!hasClient) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('The web client is not built. Run `npm run build` (npm start does this for you).');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });

  return app;
}
