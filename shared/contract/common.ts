/**
 * Reusable route schemas: the error body, ids, and the one bbox query that every
 * map endpoint shares. TypeBox schemas are JSON Schema, so they also feed the OpenAPI document.
 */
import { Type, type Static, type TLiteral, type TSchema, type TUnion } from 'typebox';
import { ERROR_CODE_TEXT, ERROR_CODES, ERROR_REASON_TEXT, ERROR_REASONS } from './errors.ts';

const listed = (texts: Record<string, string>) => Object.entries(texts).map(([k, t]) => `- \`${k}\` — ${t}`).join('\n');

/**
 * The body of every error answer, once, as `components.schemas.Error` of the OpenAPI document
 * (server/app.ts adds it as a shared schema): `code` and `reason` are the enums of
 * shared/contract/errors.ts, each value with its meaning.
 */
export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer({ minimum: 400, maximum: 599, description: 'The HTTP status, repeated' }),
    error: Type.String({ description: 'The HTTP status text, e.g. Conflict' }),
    code: Type.Enum(ERROR_CODES, { description: `Stable upper-snake identifier:\n${listed(ERROR_CODE_TEXT)}` }),
    message: Type.String({ description: 'What went wrong and what to change (English and Chinese)' }),
    reason: Type.Optional(Type.Enum(ERROR_REASONS, { description: `Where one code covers several situations, which one:\n${listed(ERROR_REASON_TEXT)}` })),
  },
  {
    additionalProperties: true,
    $id: 'Error',
    title: 'Error',
    description: 'Every 4xx/5xx answer. Besides these fields, the figures of the case (e.g. `field`, `remainingM2`, `floorYuan`, `retryAfterS`) where the operation names them.',
  },
);
export type ErrorSchema = Static<typeof ErrorSchema>;

/** What each error status means, as the OpenAPI document's response description. */
const ERROR_STATUS_TEXT: Record<number, string> = {
  400: 'Invalid input (VALIDATION_FAILED; `field` and `reason` say which)',
  401: 'Not signed in (UNAUTHENTICATED)',
  403: 'Not allowed for this user or origin (FORBIDDEN)',
  404: 'Not found (NOT_FOUND)',
  409: 'Conflicts with the stored state (CONFLICT or a specific code)',
  413: 'Too large (PAYLOAD_TOO_LARGE)',
  415: 'Unsupported content type (UNSUPPORTED_MEDIA_TYPE)',
  422: 'Refused by a business rule (a specific code)',
  429: 'Too many requests (RATE_LIMITED); see Retry-After',
  500: 'Server fault (INTERNAL)',
  503: 'Unavailable (SERVICE_UNAVAILABLE)',
};

/** A reference to the shared `Error` schema, typed as it. */
const errorRef = (status: number) =>
  Type.Unsafe<ErrorSchema>({ $ref: 'Error#', description: ERROR_STATUS_TEXT[status] ?? 'Error' });

/** Response map for the error statuses a route may return: each one the shared `Error` schema. */
export function errors<const S extends readonly number[]>(...statuses: S) {
  return Object.fromEntries(statuses.map((s) => [s, errorRef(s)])) as { [K in S[number]]: ReturnType<typeof errorRef> };
}

export const IdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Numeric id' }),
});
export type IdParams = Static<typeof IdParams>;

/**
 * A free-text field that may span lines (tab and newlines allowed; other control characters are
 * refused for every string by server/kernel/validator.ts). Fields named reason, note, message, reply,
 * comment or description are multi-line already; use this for any other name.
 */
export const MultilineText = (options: import('typebox').TStringOptions = {}) => Type.String({ ...options, 'x-multiline': true });

export const BBoxString = Type.String({
  description: 'Bounding box "west,south,east,north" in WGS84 degrees (RFC 7946 order), e.g. 113.3,23.0,113.5,23.2',
  examples: ['113.3,23.0,113.5,23.2'],
  maxLength: 200,
});
export type BBoxString = Static<typeof BBoxString>;

/** GeoJSON geometry: passed through as is (validated on write, not re-described per response). */
export const GeometrySchema = Type.Object(
  {
    type: Type.String(),
    coordinates: Type.Array(Type.Unknown()),
  },
  { description: 'GeoJSON geometry (RFC 7946, WGS84 lon/lat)' },
);
export type GeometrySchema = Static<typeof GeometrySchema>;

export function featureSchema<P extends import('typebox').TSchema>(properties: P, description?: string) {
  return Type.Object(
    {
      type: Type.Literal('Feature'),
      id: Type.Optional(Type.Union([Type.Integer(), Type.String()])),
      geometry: GeometrySchema,
      properties,
    },
    description ? { description } : {},
  );
}

export function featureCollectionSchema<P extends import('typebox').TSchema>(properties: P, description?: string) {
  return Type.Object(
    {
      type: Type.Literal('FeatureCollection'),
      features: Type.Array(featureSchema(properties)),
    },
    description ? { description } : {},
  );
}

/**
 * A value or null, as ONE JSON-schema type list (`type: [t, "null"]`) rather than an anyOf: with
 * the validator's type coercion an anyOf turns null into 0 (number first) or 0 into null (null
 * first) — an unknown cost must stay null and a cost of 0 must stay 0.
 */
export function nullableValue<T extends TSchema & { type: string }>(t: T) {
  return Type.Unsafe<Static<T> | null>({ ...t, type: [t.type, 'null'] });
}

/**
 * A union of string literals (`anyOf` of `const`s) from one of shared/'s value lists, so an enum is
 * written once (shared/domain.ts) and the schema follows it.
 */
export function literalUnion<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}): TUnion<LiteralsOf<T>> {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as unknown as TUnion<LiteralsOf<T>>;
}
type LiteralsOf<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> };

/** A string enum (`enum: [...]`) of one of shared/'s value lists. */
export const literals = <const T extends string[]>(values: readonly [...T], options: Record<string, unknown> = {}) => Type.Enum<T>(values, options);
/** A value or null, as an `anyOf` (answers; an input that must keep null apart from 0 takes nullableValue). */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A row id (a positive PostgreSQL integer). */
export const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
/** An amount in yuan, at most 2 decimals. */
export const Yuan = (description: string) => Type.Number({ description: `${description}, yuan (≤ 2 decimals)` });
