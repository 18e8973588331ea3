/**
 * Hostile input against every route, generated from the OpenAPI document so a new
 * route is fuzzed without anyone writing a case for it. For every operation with path params, a
 * query string or a body (and every write): ≥ 40 malformed variants — wrong types, null, arrays,
 * huge / negative / non-finite / exponent numbers, NUL and control characters, over-long strings,
 * impossible dates, extra and missing properties, bad path ids, malformed JSON, wrong content
 * types, multipart without a boundary — sent through `app.inject` as public, investor, land and
 * admin (each variant as one of the roles the route admits, every few also as one it refuses).
 *
 * Asserts: no 5xx at all; and refused requests (4xx) change nothing — row counts and checksums
 * of every table (sessions, sign-in throttling and request rate counters aside) including the audit head, compared
 * before and after each batch of write requests whose answers were all refusals, and once over
 * all reads. Sampling is deterministic (a seeded generator), so a failure replays.
 */
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeOnDatabases } from './context.ts';
import { login, APP_ORIGIN, type Session } from './login.ts';
import { routeAccessTable } from '../../server/modules/auth/plugin.ts';

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  path: string; // OpenAPI form: /api/plots/{id}
  url: string; // Fastify form: /api/plots/:id
  pathParams: { name: string; schema: Json }[];
  queryParams: { name: string; schema: Json; required: boolean }[];
  body: Json | undefined;
}
interface Variant {
  label: string;
  path?: Record<string, string>;
  query?: string;
  payload?: string | Buffer;
  contentType?: string;
}

/** mulberry32: a small seeded generator, so the sample is the same on every run. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BAD_IDS = [
  '1e1', '0x10', '%2010', '-1', '2147483648', '99999999999999999999', '1%20', '0', 'abc', '%00', 'Infinity', '1.5', '+1',
  '%201', '01', '1e0', '1_0', '%EF%BC%91', '%D9%A1', '1n', '0b1', '0o7', '1.0', '-0', '%2B1', 'null', 'undefined', '%5B%5D',
  '%7B%7D', '%E2%80%8B1', '1%0A', '1%09', '%FF', 'NaN', '-Infinity', '1e308', '9007199254740993', '%25', '..', '%2e%2e',
];
/** Query junk sent to every route, whatever parameters it declares. */
const JUNK_QUERIES = ['%', 'a=%ZZ', '=&=', 'a[b]=1', '__proto__[x]=1', 'constructor=1', `q=${'y'.repeat(5000)}`, 'limit=1&limit=2', 'x=%00'];
const BAD_QUERY = ['Infinity', '-Infinity', 'NaN', '1e308', '-1', '99999999999999999999', '2147483648', '%00', 'a%00b', '%1B', 'x'.repeat(3000), '2026-02-30', '1e1', '0x10', '%2010', 'true', '', '[]', '{}', '1.5',
  '%201', '1%20', '01', '0b1', '%EF%BC%91', 'null', '-0', '1.0', '9007199254740993', 'a,b,,', '%2C%2C', '2026-13-01T99:99:99Z'];
const BAD_VALUES: [string, unknown][] = [
  ['null', null], ['array', ['列表']], ['empty array', []], ['object', { a: 1 }], ['true', true], ['false string', 'false'],
  ['Infinity string', 'Infinity'], ['NaN string', 'NaN'], ['1e308', 1e308], ['-1e308', -1e308], ['-1', -1], ['2^31', 2147483648],
  ['1.5', 1.5], ['huge digits', 1e20], ['numeric string', '12'], ['NUL', 'a\u0000b'], ['escape', 'a\u001bb'],
  ['newline', 'a\nb'], ['long string', 'x'.repeat(20000)], ['bad date', '2026-02-30'], ['empty string', ''], ['blank', '   '],
  ['zero', 0], ['exponent string', '1e1'],
];
const RAW_BODIES: [string, string | Buffer, string][] = [
  ['malformed JSON', '{"a":', 'application/json'],
  ['JSON with 1e400', '{"n":1e400}', 'application/json'],
  ['JSON null', 'null', 'application/json'],
  ['JSON array', '[1,2]', 'application/json'],
  ['JSON string', '"text"', 'application/json'],
  ['JSON number', '42', 'application/json'],
  ['deep nesting', '['.repeat(5000) + ']'.repeat(5000), 'application/json'],
  ['NUL in JSON', '{"a":"\\u0000"}', 'application/json'],
  ['text/plain', 'hello', 'text/plain'],
  ['form-urlencoded', 'a=1&b=2', 'application/x-www-form-urlencoded'],
  ['multipart without boundary', 'abc', 'multipart/form-data'],
  ['multipart cut short', '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.json"\r\n\r\n{"ty', 'multipart/form-data; boundary=xyz'],
  ['multipart NUL filename', '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.json"\r\n\r\n{}\r\n--xyz--\r\n', 'multipart/form-data; boundary=xyz'],
  ['empty JSON body', '', 'application/json'],
  ['binary', Buffer.from([0, 255, 254, 1, 2, 3]), 'application/octet-stream'],
];

/** A plausible value for a schema: the base every variant changes one thing of. */
function sample(schema: Json | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return null;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(schema[k])) return sample((schema[k] as Json[]).find((s) => s.type !== 'null') ?? (schema[k] as Json[])[0], depth + 1);
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return true;
    case 'string':
      if (schema.format === 'date') return '2026-01-01';
      if (schema.format === 'date-time') return '2026-01-01T00:00:00Z';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (typeof schema.pattern === 'string' && schema.pattern.includes('[0-9]{6}')) return '440112';
      return 'sample';
    case 'array':
      return typeof schema.minItems === 'number' && schema.minItems > 0 ? Array.from({ length: schema.minItems }, () => sample(schema.items as Json, depth + 1)) : [];
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, Json>;
      const required = new Set((schema.required ?? []) as string[]);
      return Object.fromEntries(Object.entries(props).filter(([k]) => required.has(k)).map(([k, s]) => [k, sample(s, depth + 1)]));
    }
    default:
      return null;
  }
}

function operations(app: FastifyInstance): Operation[] {
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, Json>> };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (path.startsWith('/api/docs')) continue;
    for (const [method, op] of Object.entries(methods)) {
      const params = (op.parameters ?? []) as { in: string; name: string; schema: Json; required?: boolean }[];
      const content = (op.requestBody as { content?: Record<string, { schema: Json }> } | undefined)?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        url: path.replace(/\{([^}]+)\}/g, ':$1'),
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema, required: p.required === true })),
        body: content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

/** Every malformed variant of an operation (before sampling). */
function variants(op: Operation): Variant[] {
  const out: Variant[] = [];
  for (const p of op.pathParams) {
    for (const bad of BAD_IDS) out.push({ label: `path ${p.name}=${bad}`, path: { [p.name]: bad } });
  }
  const baseQuery = Object.fromEntries(op.queryParams.filter((q) => q.required).map((q) => [q.name, String(sample(q.schema))]));
  const qs = (o: Record<string, string>) => Object.entries(o).map(([k, v]) => `${k}=${v.startsWith('%') || v.includes('%') ? v : encodeURIComponent(v)}`).join('&');
  for (const q of op.queryParams) {
    for (const bad of BAD_QUERY) out.push({ label: `query ${q.name}=${bad.slice(0, 20)}`, query: qs({ ...baseQuery, [q.name]: bad }) });
    out.push({ label: `query ${q.name} twice`, query: `${qs(baseQuery)}&${q.name}=1&${q.name}=2` });
  }
  if (op.queryParams.length > 0) out.push({ label: 'unknown query parameter', query: `${qs(baseQuery)}&zzz=%00` });
  for (const junk of JUNK_QUERIES) out.push({ label: `query junk ${junk.slice(0, 20)}`, query: op.queryParams.length ? `${qs(baseQuery)}&${junk}` : junk });
  const writes = op.method !== 'GET' && op.method !== 'HEAD';
  if (op.body) {
    const base = sample(op.body) as Json;
    const props = Object.keys((op.body.properties ?? {}) as Json);
    const required = (op.body.required ?? []) as string[];
    for (const prop of props) {
      for (const [label, value] of BAD_VALUES) out.push({ label: `body ${prop}: ${label}`, payload: JSON.stringify({ ...base, [prop]: value }), contentType: 'application/json' });
      // 1e400 is Infinity once parsed: only raw text can carry it.
      out.push({ label: `body ${prop}: 1e400`, payload: JSON.stringify({ ...base, [prop]: 0 }).replace(`"${prop}":0`, `"${prop}":1e400`), contentType: 'application/json' });
    }
    for (const prop of required) {
      const { [prop]: _gone, ...rest } = base;
      out.push({ label: `body without ${prop}`, payload: JSON.stringify(rest), contentType: 'application/json' });
    }
    out.push({ label: 'body with an extra property', payload: JSON.stringify({ ...base, zzzExtra: '\u0000' }), contentType: 'application/json' });
  }
  if (writes) {
    for (const [label, payload, contentType] of RAW_BODIES) out.push({ label, payload, contentType });
    if (!op.body) for (const [label, value] of BAD_VALUES) out.push({ label: `unexpected body field: ${label}`, payload: JSON.stringify({ zzz: value }), contentType: 'application/json' });
  }
  return out;
}

/** A deterministic sample of at least `n` variants (all of them when there are fewer). */
function pick<T>(items: T[], n: number, random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy.slice(0, n);
}

/** Row counts and checksums of every table whose content a request could change. */
async function snapshot(app: FastifyInstance): Promise<Record<string, string>> {
  const tables = await sql<{ table_name: string }>`
    SELECT table_name FROM information_schema.tables
    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
      AND table_name NOT IN ('sessions', 'login_throttle', 'rate_limits') AND table_name NOT LIKE 'kysely_%'
    ORDER BY table_name`.execute(app.db);
  const out: Record<string, string> = {};
  for (const { table_name } of tables.rows) {
    const r = await sql<{ n: string; h: string }>`SELECT count(*)::text AS n, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS h FROM ${sql.table(table_name)} t`.execute(app.db);
    out[table_name] = `${r.rows[0]!.n}:${r.rows[0]!.h}`;
  }
  return out;
}

const ROLES = ['public', 'investor', 'land', 'admin'] as const;
type RoleName = (typeof ROLES)[number];
const ROLE_OF: Record<Exclude<RoleName, 'public'>, string> = { investor: 'investor', land: 'land_officer', admin: 'admin' };
/** Per route this many variants at least (all when a route has fewer). */
const PER_ROUTE = 44;
/** Routes whose refusals legitimately write: failed sign-ins are audited and throttled; a sign-out ends a session. */
const WRITES_WHEN_REFUSED = new Set(['POST /api/auth/login', 'POST /api/auth/signup', 'POST /api/auth/logout']);

describeOnDatabases('fuzz: every route × malformed input × role', (get) => {
  const app = () => get().app;

  it('answers no 5xx and changes nothing when it refuses', { timeout: 300_000 }, async () => {
    await app().ready();
    const sessions: Record<RoleName, Session | null> = {
      public: null,
      investor: await login(app(), 'investor'),
      land: await login(app(), 'land'),
      admin: await login(app(), 'admin'),
    };
    const access = new Map(routeAccessTable(app()).map((r) => [`${r.method} ${r.url}`, r.access]));
    const admits = (key: string, role: RoleName) => {
      const a = access.get(key);
      if (a === 'public') return true;
      if (role === 'public') return false;
      return a === 'authenticated' || (Array.isArray(a) && a.includes(ROLE_OF[role] as never));
    };

    const random = rng(13);
    // Reads first (one snapshot around all of them: a read never writes, whatever its answer), then writes.
    const ops = operations(app())
      .filter((op) => op.pathParams.length + op.queryParams.length > 0 || op.body || op.method !== 'GET')
      .sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
    expect(ops.length).toBeGreaterThan(50);
    const fives: string[] = [];
    const changed: string[] = [];
    let sent = 0;
    let address = 0;
    const readsBefore = await snapshot(app());

    let readsChecked = false;
    for (const op of ops) {
      const key = `${op.method} ${op.url}`;
      if (op.method !== 'GET' && !readsChecked) {
        readsChecked = true;
        expect(await snapshot(app()), 'reads changed stored data').toEqual(readsBefore);
      }
      const all = variants(op);
      const chosen = pick(all, PER_ROUTE, random);
      expect(chosen.length, `${key}: only ${all.length} variants`).toBeGreaterThanOrEqual(40);
      const allowed = ROLES.filter((r) => admits(key, r) && !(key === 'POST /api/auth/logout' && r !== 'public'));
      const refusedRoles = ROLES.filter((r) => !allowed.includes(r));
      const writes = op.method !== 'GET';
      let before = writes ? await snapshot(app()) : undefined;
      let batch: string[] = [];
      let batchAccepted = false;

      const flush = async () => {
        if (!writes) return;
        const after = await snapshot(app());
        if (!batchAccepted && !WRITES_WHEN_REFUSED.has(key)) {
          const diff = Object.keys(after).filter((t) => after[t] !== before![t]);
          if (diff.length > 0) changed.push(`${key}: tables ${diff.join(', ')} changed by refused requests ${batch.join(' | ')}`);
        }
        before = after;
        batch = [];
        batchAccepted = false;
      };

      for (let i = 0; i < chosen.length; i++) {
        const v = chosen[i]!;
        const roles: RoleName[] = [allowed.length ? allowed[i % allowed.length]! : refusedRoles[i % refusedRoles.length]!];
        if (i % 6 === 0 && refusedRoles.length && allowed.length) roles.push(refusedRoles[i % refusedRoles.length]!);
        for (const role of roles) {
          let url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => v.path?.[name] ?? '999999');
          if (v.query !== undefined) url += `?${v.query}`;
          else {
            const required = op.queryParams.filter((q) => q.required).map((q) => `${q.name}=${encodeURIComponent(String(sample(q.schema)))}`);
            if (required.length) url += `?${required.join('&')}`;
          }
          const session = sessions[role];
          const headers: Record<string, string> = { ...(session ? { cookie: session.cookie, origin: APP_ORIGIN } : {}) };
          if (v.contentType) headers['content-type'] = v.contentType;
          address++;
          const opts: InjectOptions = { method: op.method as InjectOptions['method'], url, headers, remoteAddress: `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}` };
          if (v.payload !== undefined) opts.payload = v.payload;
          const res = await app().inject(opts);
          sent++;
          if (res.statusCode >= 500) fives.push(`${role} ${op.method} ${url.slice(0, 120)} [${v.label}] → ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (res.statusCode < 400) batchAccepted = true;
          else batch.push(`${role} ${v.label} → ${res.statusCode}`);
        }
        if (writes && (i + 1) % 8 === 0) await flush();
      }
      await flush();
    }

    expect(readsChecked).toBe(true);
    expect(fives, `${fives.length} × 5xx of ${sent} requests`).toEqual([]);
    expect(changed).toEqual([]);
    expect(sent).toBeGreaterThan(ops.length * 40);
  });
});
