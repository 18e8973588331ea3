/**
 * Project land demand (随用随供, 五(三)11; issue #16 §4): the bureau records a project's land need —
 * directly, or from an investor's interest — with siting requirements, runs the ranking for it,
 * and holds a plot or proposes an allocation in one step (reusing holds and proposals).
 *
 * Status: `open` (nothing held or proposed) → `matched` (a plot held, or an allocation proposed,
 * for it) → `satisfied` (its allocation approved or later) · `closed` (withdrawn by the bureau,
 * with a reason). `satisfied` is read from the allocation, so it cannot drift from it.
 *
 * District officers see the demands that name their district among `requirements.districtCodes`
 * or are matched to a plot in it; read-only.
 */
import { Type, type Static } from 'typebox';
import { Id, literals, Nullable } from './common.ts';
import { PROJECT_SECTORS } from '../domain.ts';
import { Allocation, Hold, Mode } from './allocations.ts';
import { DemandRequirements, SitingWeightsInput } from './siting.ts';

export const DEMAND_STATUSES = ['open', 'matched', 'satisfied', 'closed'] as const;
export type DemandStatus = (typeof DEMAND_STATUSES)[number];
export const DEMAND_STATUS_LABELS = {
  open: { zh: '待供地', en: 'Open' },
  matched: { zh: '已锁定地块', en: 'Matched' },
  satisfied: { zh: '已供地', en: 'Satisfied' },
  closed: { zh: '已关闭', en: 'Closed' },
} as const satisfies Record<DemandStatus, { zh: string; en: string }>;

export const DEMAND_SOURCES = ['direct', 'interest'] as const;
export type DemandSource = (typeof DEMAND_SOURCES)[number];

const DateString = (description: string) => Type.String({ maxLength: 10, description: `${description} (YYYY-MM-DD)` });

const Enterprise = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: '企业名称' }),
    uscc: Type.Optional(Type.String({ maxLength: 40, description: '统一社会信用代码 (check character verified); needed before a plot is held or proposed' })),
  },
  { additionalProperties: false },
);

/** `POST /api/demands`. With `interestId`, the enterprise may be left out: the interest's company is taken. */
export const CreateDemandBody = Type.Object(
  {
    projectName: Type.String({ minLength: 1, maxLength: 200, description: '项目名称' }),
    enterprise: Type.Optional(Enterprise),
    keyProject: Type.Optional(Type.Boolean({ description: 'IAB重点项目 (四(二)6); IAB sectors only' })),
    neededBy: DateString('The date the land is needed by'),
    requirements: DemandRequirements,
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    interestId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type CreateDemandBody = Static<typeof CreateDemandBody>;

/** `PATCH /api/demands/:id`: any of the fields; `status: closed` needs `closeReason`; `open` reopens a closed one. */
export const PatchDemandBody = Type.Object(
  {
    projectName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    enterprise: Type.Optional(Enterprise),
    keyProject: Type.Optional(Type.Boolean()),
    neededBy: Type.Optional(DateString('The date the land is needed by')),
    requirements: Type.Optional(DemandRequirements),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
    closeReason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchDemandBody = Static<typeof PatchDemandBody>;

export const Demand = Type.Object({
  id: Type.Integer(),
  projectName: Type.String(),
  enterprise: Type.Object({ name: Type.String(), uscc: Nullable(Type.String()) }),
  sector: literals(PROJECT_SECTORS),
  keyProject: Type.Boolean(),
  neededBy: Type.String(),
  requirements: DemandRequirements,
  note: Type.String(),
  source: literals(DEMAND_SOURCES),
  interestId: Nullable(Type.Integer()),
  status: literals(DEMAND_STATUSES),
  closeReason: Nullable(Type.String()),
  districtCodes: Type.Array(Type.String(), { description: 'The districts it concerns: those it asks for, and the matched plot’s' }),
  holdId: Nullable(Type.Integer()),
  allocationId: Nullable(Type.Integer()),
  allocationStatus: Nullable(Type.String()),
  plotId: Nullable(Type.Integer({ description: 'The plot held or proposed for it' })),
  plotCode: Nullable(Type.String()),
  sample: Type.Boolean({ description: 'true: sample data of the demo, not a real project' }),
  waitingDays: Type.Integer({ description: 'Days since it was recorded, to today or to the day it was satisfied' }),
  overdue: Type.Boolean({ description: 'neededBy has passed without land supplied' }),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Demand = Static<typeof Demand>;

export const DemandList = Type.Object({ items: Type.Array(Demand), total: Type.Integer() });
export type DemandList = Static<typeof DemandList>;

export const DemandsQuery = Type.Object(
  {
    status: Type.Optional(literals(DEMAND_STATUSES)),
    sector: Type.Optional(literals(PROJECT_SECTORS)),
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    sort: Type.Optional(Type.Enum(['newest', 'waiting', 'needed_by'] as const, { default: 'newest', description: 'newest · waiting (longest first) · needed_by (soonest first)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type DemandsQuery = Static<typeof DemandsQuery>;

/** `POST /api/demands/:id/rank`: the demand's requirements, optionally re-weighted. */
export const DemandRankBody = Type.Object(
  {
    weights: Type.Optional(SitingWeightsInput),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  },
  { additionalProperties: false },
);
export type DemandRankBody = Static<typeof DemandRankBody>;

/** `POST /api/demands/:id/hold`: hold a plot for the demand's enterprise until a date. */
export const DemandHoldBody = Type.Object(
  {
    plotId: Id,
    until: DateString('Last day of the hold, inclusive'),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type DemandHoldBody = Static<typeof DemandHoldBody>;

/** `POST /api/demands/:id/propose`: propose an allocation of a plot to the demand's project (name, enterprise, sector, key flag from the demand). */
export const DemandProposeBody = Type.Object(
  {
    plotId: Id,
    quotaYear: Type.Integer({ minimum: 2000, maximum: 2100 }),
    mode: Mode,
    termYears: Type.Integer(),
    leaseYears: Type.Optional(Type.Integer()),
    priceYuan: Type.Number({ description: 'Supply price (transfer modes) or the annual rent of a long-term lease, yuan' }),
    annualRentYuan: Type.Optional(Type.Number()),
    subSector: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    plannedInvestmentYuan: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type DemandProposeBody = Static<typeof DemandProposeBody>;

export const DemandHoldResult = Type.Object({ demand: Demand, hold: Hold });
export type DemandHoldResult = Static<typeof DemandHoldResult>;
export const DemandProposeResult = Type.Object({ demand: Demand, allocation: Allocation });
export type DemandProposeResult = Static<typeof DemandProposeResult>;

/** One row of demand against supply. */
export const DemandSupplyRow = Type.Object({
  sector: literals(PROJECT_SECTORS),
  districtCode: Nullable(Type.String({ description: 'null: demands that name no district (anywhere in the city)' })),
  demands: Type.Integer({ description: 'Open and matched demands' }),
  muNeededMin: Type.Number({ description: 'Σ areaMuMin, 亩' }),
  muNeededMax: Type.Number({ description: 'Σ areaMuMax, 亩' }),
  fittingPlots: Type.Integer({ description: 'Distinct available plots meeting the hard requirements of at least one of these demands' }),
  muFitting: Type.Number({ description: 'Their area, 亩' }),
  unmetDemands: Type.Integer({ description: 'Demands no available plot fits' }),
  unmetMu: Type.Number({ description: 'Σ areaMuMin of the unmet demands, 亩' }),
});
export type DemandSupplyRow = Static<typeof DemandSupplyRow>;

/** `GET /api/demands/overview`: demand against supply per sector and district, and the longest waits. */
export const DemandOverview = Type.Object({
  rows: Type.Array(DemandSupplyRow, { description: 'Per sector × district asked for (a demand naming several districts counts in each)' }),
  totals: Type.Object({ demands: Type.Integer(), muNeededMin: Type.Number(), unmetDemands: Type.Integer(), unmetMu: Type.Number() }),
  longestWaiting: Type.Array(Demand, { description: 'Open and matched demands, longest waiting first (at most 10)' }),
  asOf: Type.String(),
});
export type DemandOverview = Static<typeof DemandOverview>;
