/** Schemas of the investor search (GET /api/search/plots). */
import { Type, type Static } from 'typebox';
import { SECTORS } from '../domain.ts';
import { BBoxString, literalUnion } from './common.ts';
import { ProjectFiguresQuery } from './supervision.ts';

/** Orders of the investor search: by code, by area, by indicative floor. */
export const SEARCH_SORTS = ['code', 'area_asc', 'area_desc', 'floor_asc', 'floor_desc'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

const Sector = literalUnion(SECTORS);
const Mu = (description: string) => Type.Number({ minimum: 0, maximum: 1_000_000, description });

export const SearchQuery = Type.Object(
  {
    sector: Type.Optional(Sector),
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: '6-digit district code, e.g. 440112' })),
    parkId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
    minAreaMu: Type.Optional(Mu('Smallest area, 亩 (1 亩 = 10000/15 m²)')),
    maxAreaMu: Type.Optional(Mu('Largest area, 亩')),
    landUse: Type.Optional(Type.String({ maxLength: 40, description: 'One land use or a comma list: M0,M1,M2,M3' })),
    maxFloorYuanPerM2: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: 'Highest indicative minimum price (IAB project, 50 years), yuan per m²' })),
    supplyModes: Type.Optional(Type.String({ maxLength: 120, description: 'Comma list of modes the plot must offer: transfer, flexible_term, lease_then_transfer, long_term_lease (indicative, by land use)' })),
    bbox: Type.Optional(BBoxString),
    sort: Type.Optional(Type.Enum(SEARCH_SORTS, { default: 'code', description: 'code · area_asc · area_desc · floor_asc · floor_desc' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    // "Plots whose 标准地 conditions my project meets": a condition the plot does not set never excludes it.
    ...ProjectFiguresQuery,
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const SearchItem = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  parkId: Type.Integer(),
  parkCode: Type.String(),
  parkNameZh: Type.String(),
  parkNameEn: Type.String(),
  parkTier: Type.String({ description: 'core | equal_policy | recognized' }),
  sectors: Type.Array(Sector),
  districtCode: Type.String(),
  districtNameZh: Type.String(),
  districtNameEn: Type.String(),
  areaM2: Type.Number(),
  areaMu: Type.Number({ description: 'Area in 亩, 2 decimals (display)' }),
  landUse: Type.String(),
  supplyModes: Type.Array(Type.String(), { description: 'Indicative supply modes by land use; the bureau confirms per plot' }),
  floorYuanPerM2: Type.Union([Type.Number(), Type.Null()], { description: 'Indicative minimum (参考最低价) for an IAB project over 50 years (五(三)14), yuan/m²: the public terms only (benchmark share, national and provincial minimum), never the cost; the final 出让底价 is set by the bureau and may be higher' }),
  floorBinding: Type.Union([Type.Literal('benchmark'), Type.Literal('national_minimum'), Type.Literal('provincial_minimum'), Type.Null()], { description: 'Which public term of the indicative minimum binds (never the cost)' }),
  centroid: Type.Tuple([Type.Number(), Type.Number()], { description: '[lng, lat] of the bounding-box centre, WGS84' }),
  serviced: Type.Boolean(),
  sample: Type.Boolean(),
});
export type SearchItem = Static<typeof SearchItem>;

export const SearchResponse = Type.Object({
  items: Type.Array(SearchItem),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
  asOf: Type.String({ description: 'Date of the reference data the floors use' }),
  referenceSample: Type.Boolean({ description: 'true when a benchmark price is sample data or a district grade an unconfirmed assumption' }),
});
export type SearchResponse = Static<typeof SearchResponse>;
