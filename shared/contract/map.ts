/** Schemas of the public map routes (API.md, Read). */
import { Type, type Static } from 'typebox';
import { BOUNDARY_SOURCES, LAND_USES, PARK_TIERS, PLOT_STATUSES, SECTORS } from '../domain.ts';
import { BBoxString, featureCollectionSchema, featureSchema, literalUnion } from './common.ts';
import { Conditions } from './supervision.ts';

const Sector = literalUnion(SECTORS);
const Tier = literalUnion(PARK_TIERS);
const PlotStatus = literalUnion(PLOT_STATUSES);
const LandUse = literalUnion(LAND_USES);

export const DistrictProperties = Type.Object({
  code: Type.String({ description: '6-digit administrative division code, e.g. "440112"' }),
  nameZh: Type.String(),
  nameEn: Type.String(),
});
export type DistrictProperties = Static<typeof DistrictProperties>;
export const DistrictCollection = featureCollectionSchema(DistrictProperties, 'Guangzhou districts');
export type DistrictCollection = Static<typeof DistrictCollection>;

const ParkBase = {
  id: Type.Integer(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  districtCode: Type.String(),
  districtNameZh: Type.String(),
  districtNameEn: Type.String(),
  tier: Tier,
  sectors: Type.Array(Sector),
  recognizedYear: Type.Integer(),
  boundarySource: literalUnion(BOUNDARY_SOURCES),
  areaM2: Type.Number({ description: 'Area of the park boundary, m²' }),
  sample: Type.Boolean({ description: 'true when the boundary is indicative (sample) data' }),
};

export const ParkListProperties = Type.Object({
  ...ParkBase,
  plotCount: Type.Integer(),
  availableAreaM2: Type.Number(),
});
export type ParkListProperties = Static<typeof ParkListProperties>;
export const ParkCollection = featureCollectionSchema(ParkListProperties, 'The value-innovation parks');
export type ParkCollection = Static<typeof ParkCollection>;
/** `GET /api/parks`: the generated sample zones (tier `zone`, issue #17) only when asked for. */
export const ParkListQuery = Type.Object(
  {
    zones: Type.Optional(Type.Boolean({ default: false, description: 'Also list the generated sample zones (tier "zone"; not IAB parks). Default false.' })),
  },
  { additionalProperties: false },
);
export type ParkListQuery = Static<typeof ParkListQuery>;

export const ParkFigures = Type.Object({
  plotCount: Type.Integer(),
  totalAreaM2: Type.Number(),
  availableAreaM2: Type.Number(),
  heldAreaM2: Type.Number(),
  allocatedAreaM2: Type.Number(),
  withdrawnAreaM2: Type.Number(),
  byStatus: Type.Object({ available: Type.Integer(), held: Type.Integer(), allocated: Type.Integer(), withdrawn: Type.Integer() }),
  subsidyCapYuan: Type.Number({ description: 'Cumulative infrastructure subsidy cap per park (五(三)13)' }),
  subsidyGrantedYuan: Type.Number(),
});
export type ParkFigures = Static<typeof ParkFigures>;
export const ParkDetail = featureSchema(
  Type.Object({
    ...ParkBase,
    locationConfidence: Type.Union([Type.String(), Type.Null()]),
    areaNote: Type.Union([Type.String(), Type.Null()]),
    figures: ParkFigures,
  }),
  'One park with its land and subsidy figures',
);
export type ParkDetail = Static<typeof ParkDetail>;

export const PlotsQuery = Type.Object({
  bbox: Type.Optional(BBoxString),
  status: Type.Optional(Type.String({ description: 'One status or a comma list: available,held,allocated,withdrawn' })),
  parkId: Type.Optional(Type.Integer({ minimum: 1 })),
  sector: Type.Optional(Sector),
  landUse: Type.Optional(Type.String({ description: 'One land use or a comma list: M0,M1,M2,M3' })),
  districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50000, default: 5000 })),
});
export type PlotsQuery = Static<typeof PlotsQuery>;

export const PlotListProperties = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  parkId: Type.Integer(),
  districtCode: Type.String(),
  status: PlotStatus,
  areaM2: Type.Number(),
  landUse: LandUse,
  landUseCode: Type.String({ description: '用地用海 code (2023 classification), e.g. 100101' }),
  parcelCode: Type.Union([Type.String(), Type.Null()], { description: '宗地代码 (GB/T 37346, 19 characters), null when not recorded' }),
  landLevel: Type.Integer(),
  sample: Type.Boolean(),
});
export type PlotListProperties = Static<typeof PlotListProperties>;
export const PlotCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(featureSchema(PlotListProperties)),
  truncated: Type.Boolean({ description: 'true when more plots matched than `limit`; narrow the bbox or filters' }),
});
export type PlotCollection = Static<typeof PlotCollection>;

const nullableNumber = Type.Union([Type.Number(), Type.Null()]);
/** 宗地代码, 控规地块编号 and the 2023 用地用海 code of a plot: public facts (migration 026). */
const PlotCodes = {
  landUseCode: Type.String({ description: '用地用海 code of the 2023 national classification (国土空间调查、规划、用途管制用地用海分类), e.g. 100101; landUse keeps the GB 50137 label (M0–M3)' }),
  landUseCodeNameZh: Type.String({ description: 'Name of landUseCode, e.g. 一类工业用地' }),
  landUseCodeNameEn: Type.String(),
  parcelCode: Type.Union([Type.String(), Type.Null()], { description: '宗地代码 (GB/T 37346-2019, 19 characters: district, 地籍区, 地籍子区, 特征码, 顺序号); null when not recorded' }),
  zoningPlotCode: Type.Union([Type.String(), Type.Null()], { description: '控规地块编号 (free text); null when not recorded' }),
};
export const PlotDetail = featureSchema(
  Type.Object({
    id: Type.Integer(),
    code: Type.String(),
    parkId: Type.Integer(),
    parkCode: Type.String(),
    parkNameZh: Type.String(),
    parkNameEn: Type.String(),
    districtCode: Type.String(),
    districtNameZh: Type.String(),
    districtNameEn: Type.String(),
    status: PlotStatus,
    areaM2: Type.Number({ description: 'Surveyed area (宗地面积), m²' }),
    landUse: LandUse,
    ...PlotCodes,
    landLevel: Type.Integer({ description: '土地级别 (selects the benchmark price)' }),
    location: Type.String({ description: '宗地坐落' }),
    plotRatioMin: nullableNumber,
    plotRatioMax: nullableNumber,
    buildingDensityMaxPct: nullableNumber,
    greenRatioMinPct: nullableNumber,
    heightLimitM: nullableNumber,
    investmentIntensityYuanPerM2: nullableNumber,
    serviced: Type.Boolean({ description: '净地: cleared and serviced' }),
    conditions: Conditions,
    sample: Type.Boolean(),
    updatedAt: Type.String({ format: 'date-time' }),
  }),
  'One plot, with the fields the public may see',
);
export type PlotDetail = Static<typeof PlotDetail>;

export const TileParams = Type.Object({
  z: Type.Integer({ minimum: 0, maximum: 22 }),
  x: Type.Integer({ minimum: 0 }),
  y: Type.Integer({ minimum: 0 }),
});
export type TileParams = Static<typeof TileParams>;

// --- The base map (GET /api/map/style) and the map search (GET /api/map/search) ---------------

/** One base the map can show, and the style layers that make it (shown or hidden together). */
export const BasemapBase = Type.Object({
  id: Type.String({ description: '"vector" (矢量), "imagery" (影像) or "custom"' }),
  layers: Type.Array(Type.String(), { description: 'Ids of the style layers of this base' }),
});
export type BasemapBase = Static<typeof BasemapBase>;

export const BasemapInfo = Type.Object({
  mode: Type.Union([Type.Literal('none'), Type.Literal('tianditu'), Type.Literal('custom')]),
  crs: Type.Union([Type.Literal('CGCS2000'), Type.Literal('WGS84'), Type.Null()], { description: 'Datum of the base tiles (null without a base)' }),
  bases: Type.Array(BasemapBase, { description: 'The bases to switch between; "none" (no base) is always possible' }),
  defaultBase: Type.Union([Type.String(), Type.Null()], { description: 'The base shown at first (null: none)' }),
  attribution: Type.Union([Type.String(), Type.Null()]),
  warning: Type.Union([Type.String(), Type.Null()], { description: 'Why the configured base is missing (e.g. the style URL did not answer)' }),
});
export type BasemapInfo = Static<typeof BasemapInfo>;

/**
 * A MapLibre style (version 8) with the base map only: the client adds the app's own sources and
 * layers (districts, parks, plots) on top. `metadata["iab:basemap"]` says which layers make which base.
 */
export const MapStyle = Type.Object(
  {
    version: Type.Literal(8),
    name: Type.String(),
    sources: Type.Record(Type.String(), Type.Unknown()),
    layers: Type.Array(Type.Unknown()),
    sprite: Type.Optional(Type.Unknown()),
    metadata: Type.Object({ 'iab:basemap': BasemapInfo }, { additionalProperties: true }),
  },
  { additionalProperties: false, description: 'MapLibre style of the base map in use' },
);
export type MapStyle = Static<typeof MapStyle>;

export const MapSearchQuery = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100, description: 'Plot code, park name, 宗地代码 or 坐落 text (case-insensitive, part of it)' }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
  },
  { additionalProperties: false },
);
export type MapSearchQuery = Static<typeof MapSearchQuery>;

const LngLat = Type.Tuple([Type.Number(), Type.Number()], { description: '[lng, lat], WGS84' });
const BBoxTuple = Type.Tuple([Type.Number(), Type.Number(), Type.Number(), Type.Number()], { description: '[west, south, east, north], WGS84' });

export const MapSearchPlot = Type.Object({
  kind: Type.Literal('plot'),
  id: Type.Integer(),
  code: Type.String(),
  parcelCode: Type.Union([Type.String(), Type.Null()], { description: '宗地代码 (null when not recorded)' }),
  location: Type.String({ description: '宗地坐落' }),
  status: PlotStatus,
  parkId: Type.Integer(),
  parkNameZh: Type.String(),
  parkNameEn: Type.String(),
  matched: Type.Union([Type.Literal('code'), Type.Literal('parcelCode'), Type.Literal('location')], { description: 'Which field matched' }),
  bbox: BBoxTuple,
  center: LngLat,
  sample: Type.Boolean(),
});
export type MapSearchPlot = Static<typeof MapSearchPlot>;

export const MapSearchPark = Type.Object({
  kind: Type.Literal('park'),
  id: Type.Integer(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  districtNameZh: Type.String(),
  districtNameEn: Type.String(),
  bbox: BBoxTuple,
  center: LngLat,
  sample: Type.Boolean(),
});
export type MapSearchPark = Static<typeof MapSearchPark>;

export const MapSearchResult = Type.Object({
  parks: Type.Array(MapSearchPark),
  plots: Type.Array(MapSearchPlot),
});
export type MapSearchResult = Static<typeof MapSearchResult>;
