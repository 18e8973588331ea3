/**
 * Request validation with rules that hold for every route, present and future, so nonsense
 * is refused with a 400 before it can reach the database:
 *
 * - **Bodies are never coerced**: `null` is not `false`, `["x"]` is not `"x"`, `"false"` is not a
 *   boolean, `true` is not a string. NaN and ±Infinity are refused (ajv `strictNumbers`).
 * - **Query strings, path parameters and headers** are text, so they are converted here — and only
 *   plain decimals are: `10` → 10, but `1e1`, ` 10`, `0x10`, `010`, `Infinity` stay strings and fail
 *   the integer type. Path integers are digits only (`^(0|[1-9][0-9]{0,9})$`, no sign); `true` /
 *   `false` become booleans where the schema wants one.
 * - **Every number has bounds** (unless the schema's own are tighter): integers −2³¹…2³¹−1;
 *   `year`/`…Year` 2000–2100; a page size `limit` ≤ 1000; by the field's name, the range of the numeric(p,2) column it lands
 *   in — `…YuanPerM2` numeric(10,2), `…Yuan` numeric(16,2), `…M2` numeric(14,2), `…M`
 *   numeric(7,2), `…Pct` 0–100, `…Ratio…` numeric(5,2); any other number |x| ≤ 10¹⁵.
 * - **Every string refuses control characters** (NUL, ESC, line breaks …). Free-text fields allow
 *   tab and newlines: those named `reason`, `note(s)`, `message`, `reply`, `comment`,
 *   `description` (or ending so, e.g. `cancelReason`), a body that is one text (a CSV file), and
 *   any marked `x-multiline: true` (see `MultilineText` in schemas/common.ts).
 * - **Dates are calendar dates**: a string whose pattern is the `YYYY-MM-DD` shape also gets
 *   `format: date`, which refuses 2026-02-30.
 *
 * The route's schema is not changed (the OpenAPI document shows what the author wrote); the
 * rules are applied to a copy when Fastify compiles the validator.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

// ajv-formats is CommonJS: its default export may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export const INT32_MAX = 2_147_483_647;
export const INT32_MIN = -2_147_483_648;
const NUMBER_LIMIT = 1e15;
const DEFAULT_PAGE_LIMIT = 1000;

/** Bounds by field name: the numeric(p,2) column ranges of server/db/migrations. */
const NUMBER_RULES: { test: RegExp; min?: number; max: number }[] = [
  { test: /YuanPerM2$/, max: 99_999_999.99 }, // numeric(10,2) (benchmark prices; intensity is (14,2))
  { test: /Yuan$/, max: 1e14 - 1 }, // numeric(16,2): below 10¹⁴ (the last yuan left out: doubles round there)
  { test: /M2$/, max: 999_999_999_999.99 }, // numeric(14,2)
  { test: /Pct$/, min: 0, max: 100 },
  { test: /Ratio(Min|Max)?$/, max: 999.99 }, // numeric(5,2)
  { test: /[a-z]M$/, max: 99_999.99 }, // numeric(7,2), e.g. heightLimitM
];
const YEAR = /^year$|[a-z]Year$/;
const MULTILINE_NAME = /^(reason|notes?|message|reply|comment|description)$|[a-z](Reason|Notes?|Message|Reply|Comment|Description)$/;

/** Whether text has a control character (C0 or DEL); multi-line text may have tab, LF and CR. */
export function hasControlChars(text: string, multiline = false): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x7f || (c < 0x20 && !(multiline && (c === 0x09 || c === 0x0a || c === 0x0d)))) return true;
  }
  return false;
}
const DATE_SHAPE = new Set(['^\\d{4}-\\d{2}-\\d{2}$', '^[0-9]{4}-[0-9]{2}-[0-9]{2}$']);

type Schema = Record<string, unknown>;

function typesOf(s: Schema): string[] {
  const t = s.type;
  return Array.isArray(t) ? (t as string[]) : typeof t === 'string' ? [t] : [];
}

function bound(s: Schema, min: number, max: number) {
  s.maximum = typeof s.maximum === 'number' ? Math.min(s.maximum, max) : max;
  s.minimum = typeof s.minimum === 'number' ? Math.max(s.minimum, min) : min;
}

/** A copy of `schema` with the central rules applied; `name` is the property it describes. */
export function tighten(schema: unknown, name?: string): unknown {
  if (Array.isArray(schema)) return schema.map((x) => tighten(x, name));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    if (k === '$id') continue; // the copy is compiled per route; ids would collide
    if ((k === 'properties' || k === 'patternProperties' || k === '$defs' || k === 'definitions') && v && typeof v === 'object') {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([pk, pv]) => [pk, tighten(pv, k === 'properties' ? pk : name)]));
    } else if (['items', 'anyOf', 'oneOf', 'allOf', 'not', 'additionalProperties', 'if', 'then', 'else', 'contains', 'prefixItems'].includes(k)) {
      out[k] = tighten(v, name);
    } else {
      out[k] = v;
    }
  }
  const types = typesOf(out);
  if (types.includes('integer')) {
    if (name && YEAR.test(name)) bound(out, 2000, 2100);
    else if (name === 'limit' && typeof out.maximum !== 'number') bound(out, 0, DEFAULT_PAGE_LIMIT); // a page size the route did not bound
    else bound(out, INT32_MIN, INT32_MAX);
  } else if (types.includes('number')) {
    const rule = name ? NUMBER_RULES.find((r) => r.test.test(name)) : undefined;
    if (rule) bound(out, rule.min ?? -rule.max, rule.max);
    else bound(out, -NUMBER_LIMIT, NUMBER_LIMIT);
  }
  if (types.includes('string')) {
    out.plainText = out['x-multiline'] === true || (name !== undefined && MULTILINE_NAME.test(name)) ? 'multiline' : 'line';
    if (typeof out.pattern === 'string' && DATE_SHAPE.has(out.pattern) && out.format === undefined) out.format = 'date';
  }
  return out;
}

function newAjv(): Ajv {
  const ajv = new Ajv({
    coerceTypes: false,
    useDefaults: true,
    removeAdditional: false, // an unknown field is an error the caller should hear about
    allErrors: false,
    strictNumbers: true,
  });
  addFormats(ajv);
  ajv.addKeyword({ keyword: 'x-multiline', schemaType: 'boolean' });
  ajv.addKeyword({
    keyword: 'plainText',
    type: 'string',
    schemaType: 'string',
    errors: false,
    validate: (mode: string, data: string) => !hasControlChars(data, mode === 'multiline'),
    error: { message: 'must not contain control characters (NUL, escape, line breaks …)' },
  });
  return ajv;
}

const QUERY_INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;
const PATH_INTEGER = /^(0|[1-9][0-9]{0,9})$/;
const DECIMAL = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,15})?$/;

function scalarKinds(s: Schema | undefined, into = new Set<string>()): Set<string> {
  if (!s) return into;
  for (const t of typesOf(s)) into.add(t);
  for (const k of ['anyOf', 'oneOf'] as const) {
    if (Array.isArray(s[k])) for (const b of s[k] as Schema[]) scalarKinds(b, into);
  }
  return into;
}

/** Converts the text of a query/path/header value to what its schema wants, digits only. */
function convert(value: unknown, kinds: Set<string>, integer: RegExp): unknown {
  if (typeof value !== 'string') return value;
  if (kinds.has('integer') && integer.test(value)) return Number(value);
  if (kinds.has('number') && DECIMAL.test(value)) return Number(value);
  if (kinds.has('boolean') && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function textValidator(ajv: Ajv, schema: Schema, part: string): ValidateFunction {
  const inner = ajv.compile(schema);
  const props = (schema.properties ?? {}) as Record<string, Schema>;
  const integer = part === 'params' ? PATH_INTEGER : QUERY_INTEGER;
  const kinds = new Map(Object.entries(props).map(([k, s]) => [k, scalarKinds(s)]));
  const itemKinds = new Map(Object.entries(props).map(([k, s]) => [k, scalarKinds(s.items as Schema | undefined)]));
  const validate = ((data: Record<string, unknown>) => {
    if (data && typeof data === 'object') {
      for (const [k, v] of Object.entries(data)) {
        const want = kinds.get(k);
        if (!want) continue;
        if (want.has('array')) data[k] = (Array.isArray(v) ? v : [v]).map((x) => convert(x, itemKinds.get(k)!, integer));
        else data[k] = convert(v, want, integer);
      }
    }
    const ok = inner(data);
    validate.errors = inner.errors;
    return ok;
  }) as ValidateFunction;
  return validate;
}

/**
 * Fastify's validator compiler. One ajv that never coerces: bodies are validated as sent; query
 * strings, params and headers first go through `textValidator`, which converts plain decimals.
 */
export function strictValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const ajv = newAjv();
  return ({ schema, httpPart }) => {
    // A body that is one text as a whole (a CSV file) is a document: lines are its nature.
    const root = schema as Schema;
    const tight = tighten(httpPart === 'body' && typesOf(root).includes('string') ? { ...root, 'x-multiline': true } : root) as Schema;
    if (httpPart === 'body' || httpPart === undefined) return ajv.compile(tight);
    return textValidator(ajv, tight, httpPart);
  };
}
