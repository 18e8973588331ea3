/** Schemas of the import routes: upload and preview, a page of the preview, commit. */
import { Type, type Static } from 'typebox';
import { GeometrySchema, Nullable } from './common.ts';
import { Issue } from './plots.ts';

const Notice = Type.Object(
  { code: Type.String({ description: 'CRS_MISMATCH, CRS_FROM_FILE, PRJ_UNRECOGNISED, CSV_AXES_SWAPPED, DBF_ENCODING …' }), messageZh: Type.String(), messageEn: Type.String(), suggestedCrs: Type.Optional(Type.String()) },
  { additionalProperties: true },
);

const Counts = Type.Object({ features: Type.Integer(), valid: Type.Integer(), invalid: Type.Integer(), warnings: Type.Integer() });

export const PreviewFeature = Type.Object({
  index: Type.Integer({ description: '0-based position in the file' }),
  code: Nullable(Type.String()),
  parkId: Nullable(Type.Integer()),
  parkCode: Nullable(Type.String()),
  landUse: Nullable(Type.String()),
  landLevel: Nullable(Type.Integer()),
  areaM2: Nullable(Type.Number({ description: 'Surveyed area to be recorded (the file’s, else the geometric area)' })),
  geometryAreaM2: Nullable(Type.Number({ description: 'CGCS2000 GK plane area' })),
  attributes: Type.Record(Type.String(), Type.Unknown(), { description: 'Further attributes read (location, planning conditions …)' }),
  geometry: Nullable(GeometrySchema),
  errors: Type.Array(Issue),
  warnings: Type.Array(Issue),
});
export type PreviewFeature = Static<typeof PreviewFeature>;

const Summary = {
  id: Type.String({ format: 'uuid' }),
  status: Type.Union([Type.Literal('previewed'), Type.Literal('committed'), Type.Literal('failed')]),
  filename: Type.String(),
  format: Type.Union([Type.Literal('geojson'), Type.Literal('shapefile'), Type.Literal('kml'), Type.Literal('csv')]),
  crs: Type.String(),
  crsSource: Type.Union([Type.Literal('prj'), Type.Literal('file'), Type.Literal('user'), Type.Literal('detected'), Type.Literal('default')]),
  counts: Counts,
  expiresAt: Type.String({ format: 'date-time' }),
};

export const ImportPreview = Type.Object({
  ...Summary,
  notices: Type.Array(Notice),
  features: Type.Array(PreviewFeature),
  featuresTotal: Type.Integer(),
  truncated: Type.Boolean({ description: 'More features than returned: page with GET /api/imports/:id' }),
  problems: Type.Array(Type.Object({ index: Type.Integer(), code: Nullable(Type.String()), errors: Type.Array(Issue), warnings: Type.Array(Issue) }), { description: 'Every feature with errors or warnings (up to 5000)' }),
});
export type ImportPreview = Static<typeof ImportPreview>;

const Stamps = {
  createdAt: Type.String({ format: 'date-time' }),
  committedAt: Nullable(Type.String({ format: 'date-time' })),
  failure: Nullable(Type.String()),
};

export const ImportDetail = Type.Object({ ...Summary, ...Stamps, notices: Type.Array(Notice), features: Type.Array(PreviewFeature), featuresTotal: Type.Integer(), truncated: Type.Boolean() });
export type ImportDetail = Static<typeof ImportDetail>;
export const ImportList = Type.Object({ items: Type.Array(Type.Object({ ...Summary, ...Stamps })) });
export type ImportList = Static<typeof ImportList>;
export const ImportCommitResult = Type.Object({
  id: Type.String({ format: 'uuid' }),
  status: Type.Literal('committed'),
  created: Type.Integer(),
  plots: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String() })),
});
export type ImportCommitResult = Static<typeof ImportCommitResult>;

// --- Local (city) coordinate systems (reference data, bureau only) -----------------------------

export const LocalCrsParameters = Type.Object({
  dE: Type.Number({ minimum: -10_000_000, maximum: 10_000_000, description: 'Shift east, metres' }),
  dN: Type.Number({ minimum: -10_000_000, maximum: 10_000_000, description: 'Shift north, metres' }),
  rotationSec: Type.Number({ minimum: -3600, maximum: 3600, description: 'Rotation, arc-seconds, anticlockwise positive' }),
  scalePpm: Type.Number({ minimum: -10_000, maximum: 10_000, description: 'Scale difference, ppm: k = 1 + scalePpm·10⁻⁶' }),
  originE: Type.Optional(Type.Number({ minimum: -10_000_000, maximum: 10_000_000, description: 'Rotation/scale centre, EPSG:4547 easting (default 0)' })),
  originN: Type.Optional(Type.Number({ minimum: -10_000_000, maximum: 10_000_000, description: 'Rotation/scale centre, EPSG:4547 northing (default 0)' })),
}, { additionalProperties: false });

export const LocalCrsInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Type.Literal('four_parameter', { description: 'Planar four-parameter transformation from EPSG:4547 (seven-parameter is not offered)' }),
  parameters: LocalCrsParameters,
  note: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
}, { additionalProperties: false });
export type LocalCrsInput = Static<typeof LocalCrsInput>;

export const LocalCrs = Type.Object({
  id: Type.Integer(),
  /** What an import's `crs` field takes: LOCAL:<id>. */
  crs: Type.String({ pattern: '^LOCAL:[0-9]+$' }),
  name: Type.String(),
  kind: Type.Literal('four_parameter'),
  parameters: Type.Object({ dE: Type.Number(), dN: Type.Number(), rotationSec: Type.Number(), scalePpm: Type.Number(), originE: Type.Number(), originN: Type.Number() }),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});
export type LocalCrs = Static<typeof LocalCrs>;
export const LocalCrsList = Type.Object({ items: Type.Array(LocalCrs) });
export type LocalCrsList = Static<typeof LocalCrsList>;
