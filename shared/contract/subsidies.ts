/**
 * Route schemas for park subsidies (五(三)13; API.md fixed points), park-operator projects and
 * the facilities ratio (五(三)13), and recognizing a park (逐年认定). Bodies refuse unknown fields
 * (except a raw GeoJSON upload, which may carry foreign members); the rules themselves are
 * shared/ and the services, whose messages say what to change.
 */
import { Type, type Static } from 'typebox';
import { Id, literals, Nullable, Yuan } from './common.ts';
import { SECTORS } from '../domain.ts';
import { SUBSIDY_PROJECT_KINDS } from '../policy/subsidy.ts';
import { ParkDetail } from './map.ts';

/** granted → disbursed, or granted → withdrawn. */
export const SUBSIDY_STATUSES = ['granted', 'disbursed', 'withdrawn'] as const;
export type SubsidyStatus = (typeof SUBSIDY_STATUSES)[number];

export const SubsidyParams = Type.Object({ id: Id, sid: Id });
export type SubsidyParams = Static<typeof SubsidyParams>;

// --- Subsidies -------------------------------------------------------------------------------

export const SubsidyKind = literals(SUBSIDY_PROJECT_KINDS, { description: 'public_platform (公共服务平台), infrastructure (配套基础设施) or facilities (配套设施)' });
export type SubsidyKind = Static<typeof SubsidyKind>;
export const SubsidyStatus = literals(SUBSIDY_STATUSES, { description: 'granted → disbursed, or granted → withdrawn' });
export const SubsidyLimit = literals(['requested', 'investment_share', 'park_cap'], { description: 'Which limit set the grant (ties: the first in this order)' });
export type SubsidyLimit = Static<typeof SubsidyLimit>;

export const GrantBody = Type.Object(
  {
    projectId: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'The park project (POST /api/parks/:id/projects) the grant is for' }),
    requestedYuan: Yuan('Amount applied for (申请补助金额), > 0'),
  },
  { additionalProperties: false },
);
export type GrantBody = Static<typeof GrantBody>;

// --- Park projects (the unit of the 20 %) ---------------------------------------------------------

export const ProjectBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: '项目名称' }),
    kind: SubsidyKind,
    totalInvestmentYuan: Yuan('Total investment of the project (项目总投资), > 0; fixed once recorded'),
  },
  { additionalProperties: false },
);
export type ProjectBody = Static<typeof ProjectBody>;

export const ParkProject = Type.Object({
  id: Type.Integer(),
  parkId: Type.Integer(),
  name: Type.String(),
  kind: SubsidyKind,
  totalInvestmentYuan: Type.Number(),
  shareBp: Type.Integer({ description: 'Share of total investment in force (2000 = 20 %)' }),
  shareYuan: Type.Number({ description: '⌊share × total investment⌋ to the fen: the most the project can be granted in all' }),
  grantedYuan: Type.Number({ description: 'Net granted to the project so far (grants − withdrawals)' }),
  remainingYuan: Type.Number({ description: 'The project’s own headroom: share − granted, never below 0' }),
  availableYuan: Type.Number({ description: 'The most one grant could be now: min(the project’s headroom, the park’s headroom)' }),
  grants: Type.Integer({ description: 'Grants not withdrawn' }),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type ParkProject = Static<typeof ParkProject>;

export const ParkProjectList = Type.Object({
  items: Type.Array(ParkProject, { description: 'Newest first' }),
  grantedYuan: Type.Number({ description: 'Net granted to the park' }),
  capYuan: Type.Number({ description: 'Cumulative cap per park in force (五(三)13)' }),
  remainingYuan: Type.Number({ description: 'The park’s headroom: cap − granted, never below 0' }),
  shareBp: Type.Integer(),
});
export type ParkProjectList = Static<typeof ParkProjectList>;

export const WithdrawBody = Type.Object(
  { reason: Type.String({ minLength: 1, maxLength: 1000, description: '撤销原因 (required: a withdrawal is a decision on record)' }) },
  { additionalProperties: false },
);
export type WithdrawBody = Static<typeof WithdrawBody>;

export const DisburseBody = Type.Object(
  { disbursedOn: Type.Optional(Type.String({ maxLength: 10, description: '拨付日期 YYYY-MM-DD; default today (Asia/Shanghai); not in the future, not before the grant' })) },
  { additionalProperties: false },
);
export type DisburseBody = Static<typeof DisburseBody>;

export const Subsidy = Type.Object({
  id: Type.Integer(),
  parkId: Type.Integer(),
  parkCode: Type.String(),
  districtCode: Type.String(),
  projectId: Type.Integer(),
  projectName: Type.String(),
  kind: SubsidyKind,
  status: SubsidyStatus,
  totalInvestmentYuan: Type.Number(),
  requestedYuan: Type.Number(),
  grantedYuan: Type.Number(),
  decision: Type.Object(
    {
      shareBp: Type.Integer({ description: 'Share of total investment in force (2000 = 20 %)' }),
      investmentShareYuan: Type.Number({ description: '⌊share × the project’s total investment⌋ to the fen' }),
      projectGrantedBeforeYuan: Type.Number({ description: 'Net granted to the project before this grant' }),
      projectHeadroomBeforeYuan: Type.Number({ description: '⌊share × investment⌋ − granted to the project before' }),
      capYuan: Type.Number({ description: 'Cumulative cap per park in force' }),
      parkGrantedBeforeYuan: Type.Number({ description: 'Net granted to the park before this grant' }),
      parkHeadroomBeforeYuan: Type.Number({ description: 'cap − granted before' }),
      limitedBy: SubsidyLimit,
      referenceVersionId: Type.Integer({ description: 'The parameters version used' }),
    },
    { description: 'The decision record: grant = min(requested, ⌊share × investment⌋ − granted to the project before, cap − granted to the park before)' },
  ),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  disbursedOn: Nullable(Type.String()),
  disbursedAt: Nullable(Type.String()),
  disbursedBy: Nullable(Type.String()),
  withdrawnAt: Nullable(Type.String()),
  withdrawnBy: Nullable(Type.String()),
  withdrawReason: Nullable(Type.String()),
  updatedAt: Type.String(),
});
export type Subsidy = Static<typeof Subsidy>;

const ParkFigures = {
  parkGrantedYuan: Type.Number({ description: 'Net granted to the park after this change' }),
  parkRemainingYuan: Type.Number({ description: 'Headroom left under the cap after this change' }),
  capYuan: Type.Number(),
};

export const GrantResult = Type.Object({
  ...Subsidy.properties,
  ...ParkFigures,
  projectGrantedYuan: Type.Number({ description: 'Net granted to the project after this grant' }),
  projectRemainingYuan: Type.Number({ description: 'The project’s headroom (share − granted) after this grant' }),
  limitedBy: SubsidyLimit,
  messageZh: Type.String(),
  messageEn: Type.String(),
});
export type GrantResult = Static<typeof GrantResult>;

export const SubsidyChangeResult = Type.Object({ ...Subsidy.properties, ...ParkFigures, projectGrantedYuan: Type.Optional(Type.Number({ description: 'Net granted to the project after this change' })) });
export type SubsidyChangeResult = Static<typeof SubsidyChangeResult>;

export const SubsidyList = Type.Object({
  park: Type.Object({ id: Type.Integer(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), districtCode: Type.String(), tier: Type.String() }),
  items: Type.Array(Subsidy, { description: 'Newest first' }),
  grantedYuan: Type.Number({ description: 'Net granted (grants − withdrawals), the sum of the ledger' }),
  disbursedYuan: Type.Number({ description: 'Part of grantedYuan already disbursed' }),
  capYuan: Type.Number({ description: 'Cumulative cap per park in force (五(三)13)' }),
  remainingYuan: Type.Number({ description: 'cap − granted, never below 0' }),
  shareBp: Type.Integer({ description: 'Share of total investment in force (2000 = 20 %)' }),
});
export type SubsidyList = Static<typeof SubsidyList>;

// --- Park-operator projects (facilities ratio) -------------------------------------------------

export const OperatorProjectBody = Type.Object(
  {
    operatorName: Type.String({ minLength: 1, maxLength: 200, description: '开发运营主体' }),
    projectName: Type.String({ minLength: 1, maxLength: 200, description: '项目名称' }),
    totalFloorAreaM2: Type.Number({ description: 'Total floor area of the project (总建筑面积), m², > 0, ≤ 2 decimals' }),
    facilitiesFloorAreaM2: Type.Number({ description: 'Supporting facilities floor area (配套设施建筑面积), m², ≥ 0, ≤ 2 decimals' }),
    byParkOperator: Type.Optional(Type.Boolean({ description: 'The project is by the park’s development operator (default true): 15 %; false: the ordinary 14 %' })),
  },
  { additionalProperties: false },
);
export type OperatorProjectBody = Static<typeof OperatorProjectBody>;

export const OperatorProject = Type.Object({
  id: Type.Integer(),
  parkId: Type.Integer(),
  operatorName: Type.String(),
  projectName: Type.String(),
  byParkOperator: Type.Boolean(),
  totalFloorAreaM2: Type.Number(),
  facilitiesFloorAreaM2: Type.Number(),
  ratio: Type.Number({ description: 'facilities ÷ total (6 decimals)' }),
  limit: Type.Number({ description: 'The limit applied, e.g. 0.15' }),
  limitBp: Type.Integer(),
  headroomM2: Type.Number({ description: 'Facilities floor area still within the limit' }),
  referenceVersionId: Type.Integer(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type OperatorProject = Static<typeof OperatorProject>;

export const OperatorProjectList = Type.Object({ items: Type.Array(OperatorProject), total: Type.Integer() });
export type OperatorProjectList = Static<typeof OperatorProjectList>;

// --- Recognizing a park ------------------------------------------------------------------------

const ParkCode = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$', description: 'Unique park code, e.g. "P13"' });
const DistrictCode = Type.String({ pattern: '^[0-9]{6}$', description: 'Managing district (6-digit code)' });
const RecognizedYear = Type.Integer({ minimum: 2018, maximum: 2100, description: 'Year of recognition (逐年认定)' });
const Sectors = Type.Array(literals(SECTORS), { minItems: 1, maxItems: 3, uniqueItems: true, description: 'Lead sectors: ngit, ai, biomed' });

const GeoJsonInput = Type.Object(
  { type: literals(['Polygon', 'MultiPolygon', 'Feature', 'FeatureCollection']) },
  { additionalProperties: true, description: 'GeoJSON (RFC 7946, WGS84 lon/lat): a Polygon or MultiPolygon, a Feature with one, or a FeatureCollection with exactly one such Feature' },
);

/**
 * Either `{ code, nameZh, nameEn, districtCode, sectors, recognizedYear, boundary }` or a raw
 * GeoJSON file (Content-Type application/geo+json or application/json) whose metadata comes
 * from the query string and, failing that, from the Feature's properties. One object schema
 * covers both so a missing field gets one clear message from the service.
 */
export const CreateParkBody = Type.Object(
  {
    code: Type.Optional(ParkCode),
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    districtCode: Type.Optional(DistrictCode),
    sectors: Type.Optional(Sectors),
    recognizedYear: Type.Optional(RecognizedYear),
    boundary: Type.Optional(GeoJsonInput),
    note: Type.Optional(Type.String({ maxLength: 1000, description: 'Source of the boundary, decision number (认定文件) …' })),
    // A raw GeoJSON upload: its own members.
    type: Type.Optional(literals(['Polygon', 'MultiPolygon', 'Feature', 'FeatureCollection'])),
  },
  {
    additionalProperties: true,
    description:
      'Either { code, nameZh, nameEn, districtCode, sectors, recognizedYear, boundary, note? } (application/json), or the boundary file itself ' +
      '(application/geo+json or application/json: Polygon, MultiPolygon, Feature or a one-feature FeatureCollection) with the other fields in the query string or the feature’s properties.',
  },
);
export type CreateParkBody = Static<typeof CreateParkBody>;

export const CreateParkQuery = Type.Object(
  {
    code: Type.Optional(ParkCode),
    nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    districtCode: Type.Optional(DistrictCode),
    sectors: Type.Optional(Type.String({ maxLength: 40, description: 'Comma list: ngit,ai,biomed' })),
    recognizedYear: Type.Optional(RecognizedYear),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type CreateParkQuery = Static<typeof CreateParkQuery>;

export const BoundaryWarning = Type.Object({
  code: Type.String({ description: 'MOSTLY_OUTSIDE_DISTRICT | PARTLY_OUTSIDE_GUANGZHOU | DUPLICATE_POINTS_REMOVED' }),
  messageZh: Type.String(),
  messageEn: Type.String(),
});
export type BoundaryWarning = Static<typeof BoundaryWarning>;

export const CreateParkResult = Type.Object({
  park: ParkDetail,
  checks: Type.Object({
    areaM2: Type.Number({ description: 'Geodesic area of the boundary (turf), m²' }),
    insideGuangzhouShare: Type.Number({ description: 'Share of the area inside Guangzhou’s districts (0–1)' }),
    insideDistrictShare: Type.Number({ description: 'Share of the area inside the named district (0–1)' }),
    largestDistrictCode: Nullable(Type.String({ description: 'The district holding most of the area' })),
  }),
  warnings: Type.Array(BoundaryWarning),
});
export type CreateParkResult = Static<typeof CreateParkResult>;
