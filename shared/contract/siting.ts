/**
 * Siting (issue #16): transport hubs and innovation anchors, the ranking of available plots for a
 * project's requirements, and "why not this plot?". Scoring rules: shared/policy/siting.ts and
 * shared/policy/siting-weights.ts; the query-string form of the requirements (GET explain, the
 * page's URL): shared/siting-query.ts.
 *
 * Distances are straight-line (直线距离) in the EPSG:4547 plane, in km, from the plot's centre to
 * the hub; hubs are indicative points (± about 1 km), never a route or a travel time.
 */
import { Type, type Static } from 'typebox';
import { Id, literals, Nullable } from './common.ts';
import { LAND_USES, PARK_TIERS, PROJECT_SECTORS } from '../domain.ts';
import { SUPPLY_MODES } from '../supply-modes.ts';
import { POLLUTION_CATEGORIES } from '../policy/standard-land.ts';
import { SITING_CRITERIA } from '../policy/siting-weights.ts';

// --- Hubs ----------------------------------------------------------------------------------------

/** Kinds of reference point a site is measured against. */
export const HUB_KINDS = ['airport', 'port', 'rail', 'metro', 'anchor'] as const;
export type HubKind = (typeof HUB_KINDS)[number];
export const HUB_KIND_LABELS = {
  airport: { zh: '机场', en: 'Airport' },
  port: { zh: '港口', en: 'Port' },
  rail: { zh: '铁路客运站', en: 'Rail station' },
  metro: { zh: '地铁站', en: 'Metro station' },
  anchor: { zh: '创新节点', en: 'Innovation anchor' },
} as const satisfies Record<HubKind, { zh: string; en: string }>;

export const HubProperties = Type.Object({
  id: Type.Integer(),
  kind: literals(HUB_KINDS),
  nameZh: Type.String(),
  nameEn: Type.String(),
  source: Type.String({ description: 'Where the location comes from (shipped: ../geodata-sources/HUBS.md, approximate)' }),
  indicative: Type.Boolean({ description: 'true: an approximate location (± about 1 km), not a survey' }),
  note: Type.String(),
});
export type HubProperties = Static<typeof HubProperties>;

export const HubFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.Integer(),
  geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Tuple([Type.Number(), Type.Number()]) }),
  properties: HubProperties,
});
export type HubFeature = Static<typeof HubFeature>;

/** `GET /api/hubs`: a GeoJSON FeatureCollection of points (WGS84). Public. */
export const HubCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(HubFeature),
});
export type HubCollection = Static<typeof HubCollection>;

// --- Requirements --------------------------------------------------------------------------------

/** Hard requirements, in the order an exclusion is attributed (a plot counts under the first it fails). */
export const SITING_REQUIREMENTS = ['available', 'area', 'landUse', 'supplyMode', 'district', 'serviced', 'price', 'near', 'conditions'] as const;
export type SitingRequirement = (typeof SITING_REQUIREMENTS)[number];

const Weight = Type.Number({ minimum: 0, maximum: 1000, description: 'Relative weight ≥ 0; the weights given are normalised to sum to 1' });

export const SitingWeightsInput = Type.Object(
  Object.fromEntries(SITING_CRITERIA.map((c) => [c, Type.Optional(Weight)])) as Record<(typeof SITING_CRITERIA)[number], ReturnType<typeof Type.Optional<typeof Weight>>>,
  { additionalProperties: false, description: 'Weights per criterion; a criterion left out weighs 0. Leave the object out for the sector’s defaults. All zero → 400.' },
);
export type SitingWeightsInput = Static<typeof SitingWeightsInput>;

export const NearRequirement = Type.Object(
  {
    kind: literals(HUB_KINDS),
    maxKm: Type.Number({ exclusiveMinimum: 0, maximum: 200, description: 'Straight-line distance to the nearest hub of this kind, km' }),
  },
  { additionalProperties: false },
);
export type NearRequirement = Static<typeof NearRequirement>;

export const ProjectFigures = Type.Object(
  {
    investmentIntensityYuanPerM2: Type.Optional(Type.Number({ minimum: 0, description: '投资强度, yuan per m² of land' })),
    plotRatio: Type.Optional(Type.Number({ minimum: 0, description: '容积率' })),
    outputPerMuYuan: Type.Optional(Type.Number({ minimum: 0, description: '亩均产值, yuan per year' })),
    taxPerMuYuan: Type.Optional(Type.Number({ minimum: 0, description: '亩均税收, yuan per year' })),
    energyTcePer10kYuan: Type.Optional(Type.Number({ minimum: 0, description: '单位产值能耗, tce per 万元' })),
    pollutionCategory: Type.Optional(literals(POLLUTION_CATEGORIES)),
  },
  { additionalProperties: false, description: 'The project’s own figures: a plot whose 标准地 condition they miss is excluded (a condition not set, or a figure not given, never excludes)' },
);
export type ProjectFigures = Static<typeof ProjectFigures>;

const requirementFields = {
  sector: literals(PROJECT_SECTORS, { description: 'ngit · ai · biomed (IAB) · other' }),
  areaMuMin: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Smallest area, 亩' }),
  areaMuMax: Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Largest area, 亩 (≥ areaMuMin)' }),
  landUse: Type.Optional(Type.Array(literals(LAND_USES), { minItems: 1, maxItems: 4, uniqueItems: true, description: 'Land uses allowed (any of)' })),
  supplyMode: Type.Optional(literals(SUPPLY_MODES, { description: 'The supply mode the project needs (indicative, by land use)' })),
  maxPriceYuanPerM2: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Budget: the indicative minimum (public terms) must not exceed it, yuan per m²' })),
  serviced: Type.Optional(Type.Boolean({ description: 'true: serviced land only (通平); false or left out: no requirement' })),
  districtCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{6}$' }), { minItems: 1, maxItems: 11, uniqueItems: true, description: 'Districts allowed (any of)' })),
  near: Type.Optional(Type.Array(NearRequirement, { maxItems: 5, description: 'Each must hold: the nearest hub of the kind within maxKm (straight line)' })),
  project: Type.Optional(ProjectFigures),
  weights: Type.Optional(SitingWeightsInput),
};

/** `POST /api/siting/rank` body. */
export const SitingRequirements = Type.Object(
  {
    ...requirementFields,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20, description: 'How many ranked plots to answer' })),
  },
  { additionalProperties: false },
);
export type SitingRequirements = Static<typeof SitingRequirements>;

/** The requirements a demand keeps (no limit). */
export const DemandRequirements = Type.Object(requirementFields, { additionalProperties: false });
export type DemandRequirements = Static<typeof DemandRequirements>;

// --- Answers -------------------------------------------------------------------------------------

export const SitingReason = Type.Object({
  criterion: literals(SITING_CRITERIA),
  value: Type.Union([Type.Number(), Type.String(), Type.Null()], { description: 'The measured value (km, 亩, yuan/m², count…), null when unknown' }),
  score: Type.Number({ minimum: 0, maximum: 1, description: 'This criterion’s score, 0–1 (3 decimals)' }),
  weight: Type.Number({ minimum: 0, maximum: 1, description: 'Its normalised weight' }),
  textZh: Type.String(),
  textEn: Type.String(),
});
export type SitingReason = Static<typeof SitingReason>;

export const NearestHub = Type.Object({
  kind: literals(HUB_KINDS),
  hubId: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  km: Type.Number({ description: 'Straight-line distance (直线距离), EPSG:4547 plane, km, 1 decimal' }),
});
export type NearestHub = Static<typeof NearestHub>;

export const SitingItem = Type.Object({
  plotId: Type.Integer(),
  plotCode: Type.String(),
  parkId: Type.Integer(),
  parkCode: Type.String(),
  parkNameZh: Type.String(),
  parkNameEn: Type.String(),
  parkTier: literals(PARK_TIERS),
  districtCode: Type.String(),
  areaM2: Type.Number(),
  areaMu: Type.Number({ description: '亩, 2 decimals' }),
  landUse: literals(LAND_USES),
  serviced: Type.Boolean(),
  sample: Type.Boolean(),
  centroid: Type.Tuple([Type.Number(), Type.Number()], { description: '[lng, lat], WGS84' }),
  score: Type.Number({ minimum: 0, maximum: 100, description: '100 × Σ weight × criterion score, 2 decimals' }),
  rank: Type.Integer({ minimum: 1 }),
  floorYuanPerM2: Nullable(Type.Number({ description: 'Indicative minimum (参考最低价, public terms only, IAB, 50 years), yuan/m²; what the price criterion and the budget use for every caller' })),
  floorBinding: Nullable(Type.Union([Type.Literal('benchmark'), Type.Literal('national_minimum'), Type.Literal('provincial_minimum')])),
  internalFloor: Type.Optional(Type.Object(
    {
      floorYuanPerM2: Nullable(Type.Number()),
      binding: Type.String({ description: 'benchmark · cost · national_minimum · provincial_minimum' }),
      costRecorded: Type.Boolean({ description: 'false: no cost recorded, so the floor is not final' }),
    },
    { description: 'Bureau callers (and a district officer in their district) only: the full floor including the cost term. Never in a public answer.' },
  )),
  nearestHubs: Type.Array(NearestHub, { description: 'The nearest hub of each kind, straight line' }),
  reasons: Type.Array(SitingReason, { description: 'One per criterion, in SITING_CRITERIA order' }),
  summaryZh: Type.String({ description: 'One line of reasons' }),
  summaryEn: Type.String(),
});
export type SitingItem = Static<typeof SitingItem>;

export const WeightsUsed = Type.Object({
  weights: Type.Object(Object.fromEntries(SITING_CRITERIA.map((c) => [c, Type.Number()])) as Record<(typeof SITING_CRITERIA)[number], ReturnType<typeof Type.Number>>),
  source: Type.Union([Type.Literal('given'), Type.Literal('sector_default')], { description: 'given: normalised from the request; sector_default: the defaults for the sector (a stated assumption)' }),
  sector: literals(PROJECT_SECTORS),
});
export type WeightsUsed = Static<typeof WeightsUsed>;

export const SitingExcluded = Type.Object({
  considered: Type.Integer({ description: 'Live plots looked at' }),
  byRequirement: Type.Record(Type.String(), Type.Integer(), { description: 'Plots excluded, under the first requirement (SITING_REQUIREMENTS order) they fail' }),
});
export type SitingExcluded = Static<typeof SitingExcluded>;

export const SitingRankResponse = Type.Object({
  items: Type.Array(SitingItem),
  candidates: Type.Integer({ description: 'Plots meeting every hard requirement (items are the best `limit` of them)' }),
  excluded: SitingExcluded,
  weightsUsed: WeightsUsed,
  asOf: Type.String({ description: 'Date of the reference data the floors use' }),
  dataVersion: Type.String({ description: 'Identifies the plots and reference data ranked (for the printed brief)' }),
  referenceSample: Type.Boolean(),
  distanceNoteZh: Type.String({ description: '直线距离 …' }),
  distanceNoteEn: Type.String(),
});
export type SitingRankResponse = Static<typeof SitingRankResponse>;

export const SitingFailure = Type.Object({
  requirement: literals(SITING_REQUIREMENTS),
  textZh: Type.String(),
  textEn: Type.String(),
});
export type SitingFailure = Static<typeof SitingFailure>;

/** `GET /api/siting/explain?plotId=&…`: which requirements exclude the plot, or its scores and rank. */
export const SitingExplainResponse = Type.Object({
  plotId: Type.Integer(),
  plotCode: Type.String(),
  eligible: Type.Boolean(),
  failures: Type.Array(SitingFailure, { description: 'Every hard requirement the plot fails (empty when eligible)' }),
  item: Nullable(SitingItem),
  candidates: Type.Integer(),
  weightsUsed: WeightsUsed,
  asOf: Type.String(),
});
export type SitingExplainResponse = Static<typeof SitingExplainResponse>;

/** The query string of GET /api/siting/explain (the same requirements, flattened; shared/siting-query.ts). */
export const SitingExplainQuery = Type.Object(
  {
    plotId: Id,
    sector: Type.String({ maxLength: 20 }),
    areaMuMin: Type.String({ maxLength: 20 }),
    areaMuMax: Type.String({ maxLength: 20 }),
    landUse: Type.Optional(Type.String({ maxLength: 40, description: 'Comma list: M0,M1' })),
    supplyMode: Type.Optional(Type.String({ maxLength: 40 })),
    maxPrice: Type.Optional(Type.String({ maxLength: 20 })),
    serviced: Type.Optional(Type.String({ maxLength: 5, description: 'true or false' })),
    districts: Type.Optional(Type.String({ maxLength: 100, description: 'Comma list of district codes' })),
    near: Type.Optional(Type.String({ maxLength: 200, description: 'kind:maxKm, comma-separated: airport:40,rail:10' })),
    project: Type.Optional(Type.String({ maxLength: 300, description: 'figure:value, comma-separated: investmentIntensityYuanPerM2:8000,taxPerMuYuan:300000,pollutionCategory:class_2' })),
    weights: Type.Optional(Type.String({ maxLength: 200, description: 'criterion:weight, comma-separated: price:3,access:1' })),
    limit: Type.Optional(Type.String({ maxLength: 5, description: 'Accepted (requirementsToParams writes it) and checked; explain ranks every candidate whatever it says' })),
  },
  { additionalProperties: false },
);
export type SitingExplainQuery = Static<typeof SitingExplainQuery>;
