/** Schemas of the plot editing routes: create, edit, validate, withdraw, delete, split, merge, history. */
import { Type, type Static } from 'typebox';
import { featureSchema, GeometrySchema, literalUnion, nullableValue } from './common.ts';
import { PlotDetail } from './map.ts';
import { LAND_USES, type PlotStatus } from '../domain.ts';
import { ConditionsInput } from './supervision.ts';

const LandUse = literalUnion(LAND_USES);
// One type list, not an anyOf: with type coercion an anyOf turned a null cost into 0 (see nullableValue).
const nullable = nullableValue;
const positive = (max: number, description?: string) => Type.Number({ exclusiveMinimum: 0, maximum: max, ...(description ? { description } : {}) });

/** A geometry as the caller sent it: checked by shared/geometry.ts, which says what is wrong and where. */
const GeometryInput = Type.Unknown({ description: 'GeoJSON Polygon or MultiPolygon, WGS84 [lon, lat], RFC 7946 winding (exterior counter-clockwise)' });

const RowVersion = Type.Union([Type.String({ pattern: '^[0-9]{1,19}$' }), Type.Integer({ minimum: 0 })], {
  description: 'The plot\'s rowVersion as last read; a mismatch answers 409 (someone else changed it).',
});

const Reason = Type.String({ maxLength: 500, description: 'Why (kept in the history and the audit trail)' });

/** Attributes a plot write may set (all but the identity fields optional). */
const OptionalAttributes = {
  landGrade: Type.Optional(nullable(Type.Integer({ minimum: 1, maximum: 15, description: '土地等别, when it differs from the district default' }))),
  location: Type.Optional(Type.String({ maxLength: 200, description: '宗地坐落' })),
  plotRatioMin: Type.Optional(nullable(positive(999.99))),
  plotRatioMax: Type.Optional(nullable(positive(999.99))),
  buildingDensityMaxPct: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 100 }))),
  greenRatioMinPct: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 100 }))),
  heightLimitM: Type.Optional(nullable(positive(99999.99))),
  investmentIntensityYuanPerM2: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 1e12 }))),
  costYuan: Type.Optional(nullable(Type.Number({ minimum: 0, maximum: 1e14, description: 'C of 五(三)14, yuan; internal. null = not recorded (no allocation can be proposed or approved until it is); 0 only with a costNote' }))),
  costNote: Type.Optional(nullable(Type.String({ maxLength: 500, description: 'Why the cost is what it is; required when costYuan is 0. Internal' }))),
  serviced: Type.Optional(Type.Boolean({ description: '净地' })),
  parcelCode: Type.Optional(nullable(Type.String({
    maxLength: 64,
    description: '宗地代码 (GB/T 37346-2019): 19 characters = 6-digit Guangzhou district code (the plot\'s own district) + 3-digit 地籍区 + 3-digit 地籍子区 + 特征码 (G/J/Z then A/B/S/X/C/D/E/F/W/Y) + 5-digit 顺序号; trimmed and upper-cased, then checked (400 naming parcelCode); unique among live plots (409). null clears it',
    examples: ['440112001002GB00015'],
  }))),
  zoningPlotCode: Type.Optional(nullable(Type.String({ maxLength: 64, description: '控规地块编号 (free text, trimmed; empty or null clears it)' }))),
  landUseCode: Type.Optional(Type.String({
    maxLength: 16,
    description: '用地用海 code (2023 classification) that goes with landUse: M0/M1 → 100101 (M0: an assumption, see reference data), M2 → 100102, M3 → 100103, or 1001 for any; default the landUse\'s mapped code (400 naming landUseCode otherwise)',
  })),
  conditions: Type.Optional(
    Type.Union([ConditionsInput, Type.Null()], {
      description: '标准地 conditions (public): the fields given change, a null field clears it, null clears all; checked by shared/policy/standard-land.ts validateConditions (400 CONDITIONS_INVALID naming conditions.<field>)',
    }),
  ),
};

export const CreatePlotBody = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$', description: '宗地编号, unique' }),
    parkId: Type.Integer({ minimum: 1 }),
    landUse: LandUse,
    areaM2: positive(1e10, 'Surveyed area (宗地面积), m², ≤ 2 decimals; reconciled with the geometric area (warn > 1 %, refuse > 5 %)'),
    landLevel: Type.Integer({ minimum: 1, maximum: 10, description: '土地级别' }),
    geometry: GeometryInput,
    reason: Type.Optional(Reason),
    ...OptionalAttributes,
  },
  { additionalProperties: false },
);
export type CreatePlotBody = Static<typeof CreatePlotBody>;
export type CreatePlotInput = Static<typeof CreatePlotBody>;

export const PatchPlotBody = Type.Object(
  {
    expectedRowVersion: RowVersion,
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$' })),
    parkId: Type.Optional(Type.Integer({ minimum: 1 })),
    landUse: Type.Optional(LandUse),
    areaM2: Type.Optional(positive(1e10)),
    landLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    geometry: Type.Optional(GeometryInput),
    reason: Type.Optional(Reason),
    ...OptionalAttributes,
  },
  { additionalProperties: false },
);
export type PatchPlotBody = Static<typeof PatchPlotBody>;
export type PatchPlotInput = Static<typeof PatchPlotBody>;

export const ValidateBody = Type.Object(
  {
    geometry: GeometryInput,
    parkId: Type.Optional(Type.Integer({ minimum: 1 })),
    areaM2: Type.Optional(positive(1e10)),
    excludePlotIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 50, description: 'Plots being replaced (the plot being edited, parents of a merge)' })),
  },
  { additionalProperties: false },
);
export type ValidateBody = Static<typeof ValidateBody>;
export type ValidateInput = Static<typeof ValidateBody>;

export const WithdrawBody = Type.Object({ reason: Reason, expectedRowVersion: Type.Optional(RowVersion) }, { additionalProperties: false });
export type WithdrawBody = Static<typeof WithdrawBody>;
export const DeleteQuery = Type.Object({ expectedRowVersion: Type.Optional(Type.String({ pattern: '^[0-9]{1,19}$' })) });
export type DeleteQuery = Static<typeof DeleteQuery>;

export const SplitBody = Type.Object(
  {
    line: Type.Object({ type: Type.Literal('LineString'), coordinates: Type.Array(Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }), { minItems: 2, maxItems: 1000 }) }, { description: 'The cut, WGS84; it must cross the plot from edge to edge (its ends are extended)' }),
    codes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$' }), { minItems: 2, maxItems: 20, description: 'Codes of the pieces, largest piece first; default `<code>-1`, `<code>-2`, …' })),
    expectedRowVersion: Type.Optional(RowVersion),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type SplitBody = Static<typeof SplitBody>;
export type SplitInput = Static<typeof SplitBody>;

export const MergeBody = Type.Object(
  {
    plotIds: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 2, maxItems: 50, uniqueItems: true }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '^\\S(.*\\S)?$', description: 'Code of the merged plot; default `<first code>-M`' })),
    landUse: Type.Optional(LandUse),
    landLevel: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    expectedRowVersions: Type.Optional(Type.Record(Type.String({ pattern: '^[0-9]+$' }), RowVersion, { description: 'plotId → rowVersion as last read' })),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);
export type MergeBody = Static<typeof MergeBody>;
export type MergeInput = Static<typeof MergeBody>;

export const Issue = Type.Object(
  {
    code: Type.String(),
    messageZh: Type.String(),
    messageEn: Type.String(),
    where: Type.Optional(Type.Array(Type.Number(), { description: '[lon, lat]' })),
    plotCode: Type.Optional(Type.String()),
    plotId: Type.Optional(Type.Integer()),
    figures: Type.Optional(Type.Record(Type.String(), Type.Number())),
  },
  { additionalProperties: true },
);
export type Issue = Static<typeof Issue>;

export const ValidationResult = Type.Object({
  ok: Type.Boolean(),
  errors: Type.Array(Issue),
  warnings: Type.Array(Issue),
  areaM2: nullable(Type.Number({ description: 'Geometric area, m² (CGCS2000 GK plane)' })),
  fixed: Type.Optional(GeometrySchema),
});
export type ValidationResult = Static<typeof ValidationResult>;

/** A plot as the bureau sees it after a write: the public detail plus internal fields and versions. */
export const EditedPlot = featureSchema(
  Type.Object({
    ...PlotDetail.properties.properties.properties,
    landGrade: nullable(Type.Integer()),
    costYuan: nullable(Type.Number()),
    costNote: nullable(Type.String()),
    rowVersion: Type.String({ description: 'Send back as expectedRowVersion' }),
    version: Type.Integer({ description: 'Current geometry/attribute version (history)' }),
    geometryAreaM2: nullable(Type.Number({ description: 'Geometric area, m² (CGCS2000 GK plane)' })),
  }),
);
export type EditedPlot = Static<typeof EditedPlot>;

export const WriteResult = Type.Object({ plot: EditedPlot, warnings: Type.Array(Issue) });
export type WriteResult = Static<typeof WriteResult>;

export const SplitResult = Type.Object({
  parent: Type.Object({ id: Type.Integer(), code: Type.String(), status: Type.String() }),
  children: Type.Array(EditedPlot),
  areaNote: Type.Object({ messageZh: Type.String(), messageEn: Type.String() }),
  warnings: Type.Array(Issue),
});
export type SplitResult = Static<typeof SplitResult>;

export const MergeResult = Type.Object({
  parents: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), status: Type.String() })),
  plot: EditedPlot,
  warnings: Type.Array(Issue),
});
export type MergeResult = Static<typeof MergeResult>;

export const DeleteResult = Type.Object({ deleted: Type.Literal(true), id: Type.Integer(), code: Type.String() });
export type DeleteResult = Static<typeof DeleteResult>;

const VersionItem = Type.Object({
  version: Type.Integer(),
  operation: Type.String({ description: 'initial · create · edit · import · split · merge' }),
  geometry: GeometrySchema,
  areaM2: Type.Number({ description: 'Surveyed area at the time' }),
  geometryAreaM2: nullable(Type.Number()),
  attributes: Type.Record(Type.String(), Type.Unknown()),
  validFrom: Type.String({ format: 'date-time' }),
  validTo: nullable(Type.String({ format: 'date-time' })),
  changedBy: nullable(Type.String()),
  reason: Type.String(),
  importId: nullable(Type.String()),
});
const LineageItem = Type.Object({ plotId: Type.Integer(), code: Type.String(), status: Type.String(), operation: Type.String(), at: Type.String({ format: 'date-time' }) });

export const HistoryResult = Type.Object({
  plotId: Type.Integer(),
  code: Type.String(),
  status: Type.Unsafe<PlotStatus>(Type.String()),
  rowVersion: Type.String({ description: 'The plot\'s current rowVersion: send it back as expectedRowVersion when editing' }),
  versions: Type.Array(VersionItem, { description: 'Oldest first; the last one with validTo null is current (none for a retired parent)' }),
  parents: Type.Array(LineageItem, { description: 'Plots this one was split from or merged from' }),
  children: Type.Array(LineageItem, { description: 'Plots made from this one' }),
});
export type HistoryResult = Static<typeof HistoryResult>;
