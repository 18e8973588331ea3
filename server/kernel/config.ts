/**
 * Configuration comes only from environment variables (ARCHITECTURE.md, Operations), validated
 * at start-up: every bad value gets its own message naming the variable and what to change.
 */
import net from 'node:net';
import path from 'node:path';
import { auditKeyProblem, parseAuditKey } from './audit-key.ts';
import { BASEMAP_ENV_VARS, parseBasemap, type BasemapConfig } from './basemap-config.ts';

export interface Config {
  host: string;
  port: number;
  /** PostgreSQL connection string; unset → embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /**
   * A read replica of DATABASE_URL for cache-safe public reads (tiles, the plot list, search);
   * unset → those read the main database too. PostgreSQL only (README, Several instances).
   */
  databaseReadUrl: string | undefined;
  /** Folder of the embedded database, or `memory://` for an in-memory one (tests). */
  dataDir: string;
  /** Seed the demo data (sample plots) into an empty database. Default: on for PGlite, off for PostgreSQL. */
  seedDemo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Folder with the built client (`vite build` output). */
  clientDir: string;
  /** Requests per minute per IP on public write/quote routes. */
  rateLimitPerMinute: number;
  /** Expressions of interest stored per address in any rolling hour (POST /api/interests). */
  interestLimitPerHour: number;
  /**
   * The origin users reach the app at (PUBLIC_ORIGIN): the only origin a cookie write is accepted
   * from. Unset → http://HOST:PORT of the listening server (server/modules/auth/origin.ts), never the
   * request's Host header.
   */
  publicOrigin: string | undefined;
  /** Four eyes on approvals: the officer who proposed an allocation may not approve it. Default: on with PostgreSQL, off in the embedded demo. */
  approvalFourEyes: boolean;
  /** PostgreSQL connection of the tables' owner, for migrations (default: DATABASE_URL). */
  databaseOwnerUrl: string | undefined;
  /** The audit chain's HMAC key from AUDIT_KEY; unset → key file in DATA_DIR (server/kernel/audit-key.ts). */
  auditKey: Buffer | undefined;
  /** Fastify's trustProxy: false (default), true, a hop count, or proxy addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  /** The base map under the app's layers (BASEMAP…; ./basemap-config.ts). Default: none, offline. */
  basemap: BasemapConfig;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Every variable the server reads, with its meaning (printed in the README and on errors). */
export const ENV_VARS = {
  HOST: 'interface to listen on (default 127.0.0.1)',
  PORT: 'TCP port (default 3000; 0 = any free port)',
  DATABASE_URL: 'postgres://… connection string; unset → embedded PGlite in DATA_DIR',
  DATABASE_READ_URL: 'optional postgres://… of a read replica of DATABASE_URL: vector tiles, GET /api/plots and search read from it (default: DATABASE_URL)',
  DATA_DIR: 'folder of the embedded PGlite database (default ./data; memory:// = in memory)',
  SEED_DEMO: 'true/false: seed demo data into an empty database (default true with PGlite, false with PostgreSQL)',
  LOG_LEVEL: 'fatal|error|warn|info|debug|trace|silent (default info)',
  CLIENT_DIR: 'folder of the built web client (default ./dist/client)',
  RATE_LIMIT_PER_MINUTE: 'requests per minute per IP on public quote and write routes (default 60)',
  INTEREST_LIMIT_PER_HOUR: 'expressions of interest accepted per address in any rolling hour (default 5)',
  PUBLIC_ORIGIN: 'the origin users reach the app at, e.g. https://land.example.gov.cn (default http://HOST:PORT); the only origin cookie writes are accepted from',
  TRUST_PROXY: 'false (default) | true | a hop count | comma list of proxy addresses or CIDRs: whose X-Forwarded-For/-Proto to believe for client addresses',
  APPROVAL_FOUR_EYES: 'true/false: the officer who proposed an allocation may not approve it (default true with PostgreSQL, false with PGlite)',
  DATABASE_OWNER_URL: 'postgres://… of the tables\' owner, for migrations; DATABASE_URL is then the app role (npm run db:roles)',
  AUDIT_KEY: '64–128 hex digits: the audit chain\'s HMAC key (default: the file DATA_DIR/audit.key, created on first start)',
  TILE_CACHE_MB: 'megabytes of the in-process cache of plot tiles (default 64; 0 = no cache)',
  SPATIAL_PATH: 'jsonb forces the GeoJSON + box path on a PostGIS database (default: PostGIS when plots.geom exists)',
  ...BASEMAP_ENV_VARS,
} as const;

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const root = process.cwd();

  const host = env.HOST?.trim() || '127.0.0.1';

  let port = 3000;
  if (env.PORT !== undefined && env.PORT !== '') {
    const n = Number(env.PORT);
    if (!Number.isInteger(n) || n < 0 || n > 65535) problems.push(`PORT must be an integer 0–65535, got "${env.PORT}".`);
    else port = n;
  }

  let databaseUrl: string | undefined;
  if (env.DATABASE_URL !== undefined && env.DATABASE_URL !== '') {
    try {
      const u = new URL(env.DATABASE_URL);
      if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
        problems.push(`DATABASE_URL must start with postgres:// or postgresql://, got "${u.protocol}//…".`);
      } else databaseUrl = env.DATABASE_URL;
    } catch {
      problems.push('DATABASE_URL is not a valid URL (expected e.g. postgres://postgres@127.0.0.1:5432/iab).');
    }
  }

  // A read replica: only beside a PostgreSQL primary (the embedded database has none).
  let databaseReadUrl: string | undefined;
  if (env.DATABASE_READ_URL !== undefined && env.DATABASE_READ_URL.trim() !== '') {
    let u: URL | undefined;
    try {
      u = new URL(env.DATABASE_READ_URL.trim());
    } catch {
      problems.push('DATABASE_READ_URL is not a valid URL (expected the read replica\'s connection string, e.g. postgres://iab_app@replica:5432/iab).');
    }
    if (u && u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
      problems.push(`DATABASE_READ_URL must start with postgres:// or postgresql://, got "${u.protocol}//…".`);
    } else if (u && !env.DATABASE_URL) {
      problems.push('DATABASE_READ_URL needs DATABASE_URL: it names a read replica of that PostgreSQL database (the embedded database has no replica). Unset it, or set DATABASE_URL to the primary.');
    } else if (u) databaseReadUrl = env.DATABASE_READ_URL.trim();
  }

  const rawDataDir = env.DATA_DIR?.trim() || './data';
  const dataDir = rawDataDir.startsWith('memory://') ? 'memory://' : path.resolve(root, rawDataDir);

  let seedDemo = databaseUrl === undefined;
  if (env.SEED_DEMO !== undefined && env.SEED_DEMO !== '') {
    const v = env.SEED_DEMO.toLowerCase();
    if (['true', '1', 'yes'].includes(v)) seedDemo = true;
    else if (['false', '0', 'no'].includes(v)) seedDemo = false;
    else problems.push(`SEED_DEMO must be true or false, got "${env.SEED_DEMO}".`);
  }

  let logLevel: Config['logLevel'] = 'info';
  if (env.LOG_LEVEL) {
    if ((LOG_LEVELS as readonly string[]).includes(env.LOG_LEVEL)) logLevel = env.LOG_LEVEL as Config['logLevel'];
    else problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}".`);
  }

  const clientDir = path.resolve(root, env.CLIENT_DIR?.trim() || './dist/client');

  let rateLimitPerMinute = 60;
  if (env.RATE_LIMIT_PER_MINUTE) {
    const n = Number(env.RATE_LIMIT_PER_MINUTE);
    if (!Number.isInteger(n) || n < 1) problems.push(`RATE_LIMIT_PER_MINUTE must be a positive integer, got "${env.RATE_LIMIT_PER_MINUTE}".`);
    else rateLimitPerMinute = n;
  }

  let interestLimitPerHour = 5;
  if (env.INTEREST_LIMIT_PER_HOUR) {
    const n = Number(env.INTEREST_LIMIT_PER_HOUR);
    if (!Number.isInteger(n) || n < 1) problems.push(`INTEREST_LIMIT_PER_HOUR must be a positive integer, got "${env.INTEREST_LIMIT_PER_HOUR}".`);
    else interestLimitPerHour = n;
  }

  let publicOrigin: string | undefined;
  if (env.PUBLIC_ORIGIN) {
    try {
      const u = new URL(env.PUBLIC_ORIGIN);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
      publicOrigin = u.origin;
    } catch {
      problems.push(`PUBLIC_ORIGIN must be an origin like https://land.example.gov.cn, got "${env.PUBLIC_ORIGIN}".`);
    }
  }

  let approvalFourEyes = databaseUrl !== undefined;
  if (env.APPROVAL_FOUR_EYES !== undefined && env.APPROVAL_FOUR_EYES !== '') {
    const v = env.APPROVAL_FOUR_EYES.toLowerCase();
    if (['true', '1', 'yes'].includes(v)) approvalFourEyes = true;
    else if (['false', '0', 'no'].includes(v)) approvalFourEyes = false;
    else problems.push(`APPROVAL_FOUR_EYES must be true or false, got "${env.APPROVAL_FOUR_EYES}".`);
  }

  // The owner's connection for migrations, and the audit key.
  let databaseOwnerUrl: string | undefined;
  if (env.DATABASE_OWNER_URL) {
    if (!/^postgres(ql)?:\/\//.test(env.DATABASE_OWNER_URL)) problems.push('DATABASE_OWNER_URL must start with postgres:// or postgresql://.');
    else if (!databaseUrl) problems.push('DATABASE_OWNER_URL needs DATABASE_URL (the app role\'s connection) as well.');
    else databaseOwnerUrl = env.DATABASE_OWNER_URL;
  }
  let auditKey: Buffer | undefined;
  if (env.AUDIT_KEY) {
    const problem = auditKeyProblem(env.AUDIT_KEY);
    if (problem) problems.push(problem);
    else auditKey = parseAuditKey(env.AUDIT_KEY)!;
  }

  const trustProxy = parseTrustProxy(env.TRUST_PROXY, problems);
  const basemap = parseBasemap(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return { host, port, databaseUrl, databaseReadUrl, dataDir, seedDemo, logLevel, clientDir, rateLimitPerMinute, interestLimitPerHour, publicOrigin, approvalFourEyes, databaseOwnerUrl, auditKey, trustProxy, basemap };
}

function isAddressOrCidr(item: string): boolean {
  const [address, bits, extra] = item.split('/');
  if (extra !== undefined || !address) return false;
  const family = net.isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^[0-9]{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY: false | true | a hop count 1–10 | comma list of IP addresses or CIDRs. */
function parseTrustProxy(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  const v = raw?.trim() ?? '';
  if (v === '' || ['false', '0', 'no'].includes(v.toLowerCase())) return false;
  if (['true', 'yes'].includes(v.toLowerCase())) return true;
  if (/^[0-9]+$/.test(v)) {
    const n = Number(v);
    if (n >= 1 && n <= 10) return n;
    problems.push(`TRUST_PROXY as a hop count must be 1–10, got "${raw}".`);
    return false;
  }
  const items = v.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = items.filter((s) => !isAddressOrCidr(s));
  if (items.length === 0 || bad.length > 0) {
    problems.push(`TRUST_PROXY must be false, true, a hop count or a comma list of proxy IP addresses/CIDRs (e.g. 10.0.0.1,192.168.0.0/16); "${bad.join(', ') || raw}" is not.`);
    return false;
  }
  return items;
}
