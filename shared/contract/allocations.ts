/**
 * Route schemas for allocations, quotas and holds (API.md fixed points, and the rest documented
 * in OpenAPI). Bodies refuse unknown fields; the figures' own rules (USCC check character,
 * term by mode, 2 decimals, dates) are checked by shared/ and the services, which answer with
 * messages that say what to change.
 */
import { Type, type Static } from 'typebox';
import { Id, literals, Nullable, Yuan } from './common.ts';
import { PROJECT_SECTORS, type PlotStatus, type ProjectSector } from '../domain.ts';
import { SUPPLY_MODES } from '../supply-modes.ts';
import { Agreement } from './supervision.ts';
/** Which term of a floor binds; the allocation schemas state it in words (a string) and are read as this. */
import type { FloorBinding as Binding } from './quotes.ts';

/** An allocation's `mode` is the supply mode (shared/supply-modes.ts): one vocabulary. */
export const ALLOCATION_MODES = SUPPLY_MODES;
export type AllocationMode = (typeof ALLOCATION_MODES)[number];
/** proposed → approved → contracted → completed, or cancelled before completion. */
export const ALLOCATION_STATUSES = ['proposed', 'approved', 'contracted', 'completed', 'cancelled'] as const;
export type AllocationStatus = (typeof ALLOCATION_STATUSES)[number];
/** 交地 → 开工 → 竣工 (completes the allocation) → 投产 → 达产 (the last two on a completed allocation). */
export const MILESTONE_KINDS = ['handed_over', 'started', 'completed', 'production', 'full_production'] as const;
export type MilestoneKind = (typeof MILESTONE_KINDS)[number];

const DateString = (description: string) => Type.String({ maxLength: 10, description: `${description} (YYYY-MM-DD)` });
const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'Calendar year' });

export const Mode = literals(ALLOCATION_MODES, {
  description: 'transfer (出让, the statutory 50 years) · flexible_term (弹性年期出让, n < 50) · lease_then_transfer (先租后让: leaseYears of lease, then termYears of transfer, total ≤ 50) · long_term_lease (长期租赁, 5–20 years; priceYuan is the annual rent)',
});
export type Mode = Static<typeof Mode>;
export const Status = literals(ALLOCATION_STATUSES);
export type Status = Static<typeof Status>;

// --- Allocations --------------------------------------------------------------------------------

export const ProposeBody = Type.Object(
  {
    plotId: Id,
    quotaYear: Year,
    mode: Mode,
    termYears: Type.Integer({ description: 'transfer: 50; flexible_term: 1–49; lease_then_transfer: the transfer part; long_term_lease: the lease, 5–20' }),
    leaseYears: Type.Optional(Type.Integer({ description: 'lease_then_transfer only: years of lease before the transfer (lease + transfer ≤ 50)' })),
    priceYuan: Yuan('Supply price for the plot (transfer modes), or the annual rent of a long-term lease'),
    annualRentYuan: Type.Optional(Yuan('lease_then_transfer only: annual rent during the lease (≥ the rent floor, 2% of the 50-year floor)')),
    project: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200, description: '项目名称' }),
        enterprise: Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200, description: '受让单位 / 土地使用权人' }),
            uscc: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码: 18 characters, check character verified (GB 32100-2015)' }),
          },
          { additionalProperties: false },
        ),
        sector: literals(PROJECT_SECTORS, { description: 'ngit / ai / biomed (IAB, iab: true) or other (iab: false)' }),
        iab: Type.Boolean({ description: 'Must agree with sector' }),
        subSector: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Sub-sector of section 三 of the plan, e.g. 集成电路, 智能机器人, 体外诊断产品' })),
        plannedInvestmentYuan: Type.Optional(Yuan('Planned total investment')),
        keyProject: Type.Optional(Type.Boolean({ description: 'A key IAB project (IAB重点项目, 四(二)6); IAB projects only' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ProposeBody = Static<typeof ProposeBody>;

const FloorSummary = Type.Object(
  {
    floorYuan: Type.Number(),
    binding: Type.Unsafe<Binding>(Type.String({ description: 'benchmark | cost | national_minimum | provincial_minimum' })),
  },
  { additionalProperties: true, description: 'The floor evaluation: floors, binding term, components, term factor, checks, messages, reference versions' },
);

const AllocationBase = {
  id: Type.Integer(),
  plotId: Type.Integer(),
  plotCode: Type.String(),
  plotStatus: Type.Unsafe<PlotStatus>(Type.String()),
  parkId: Type.Integer(),
  parkCode: Type.String(),
  districtCode: Type.String(),
  status: Status,
  quotaYear: Type.Integer(),
  mode: Mode,
  termYears: Type.Integer(),
  leaseYears: Nullable(Type.Integer()),
  priceYuan: Type.Number(),
  annualRentYuan: Nullable(Type.Number()),
  areaM2: Type.Number({ description: 'The plot area charged to the quota (taken again at approval)' }),
  areaMu: Type.Number(),
  iab: Type.Boolean(),
  floorYuan: Type.Number({ description: 'The floor in the decision record once approved; else the one computed at proposal' }),
  binding: Type.Unsafe<Binding>(Type.String({ description: 'Which term of the floor binds: benchmark | cost | national_minimum | provincial_minimum' })),
  project: Type.Object({
    id: Type.Integer(),
    name: Type.String(),
    sector: literals(PROJECT_SECTORS),
    subSector: Nullable(Type.String()),
    iab: Type.Boolean(),
    plannedInvestmentYuan: Nullable(Type.Number()),
    keyProject: Type.Boolean(),
    enterprise: Type.Object({ id: Type.Integer(), name: Type.String(), uscc: Type.String() }),
  }),
  contract: Nullable(
    Type.Object({
      contractNo: Type.String(),
      supervisionNo: Type.String(),
      signedOn: Type.String(),
      agreedHandoverOn: Type.String(),
      agreedStartOn: Type.String(),
      agreedCompletionOn: Type.String(),
    }),
  ),
  agreement: Nullable(Agreement),
  milestones: Type.Object({
    handedOverOn: Nullable(Type.String()),
    startedOn: Nullable(Type.String()),
    completedOn: Nullable(Type.String()),
    productionOn: Nullable(Type.String({ description: '投产, after completion' })),
    fullProductionOn: Nullable(Type.String({ description: '达产, after 投产' })),
  }),
  overdue: Type.Boolean({ description: 'Contracted, the agreed start date (moved by recorded government delays, art. 8) has passed and no start is recorded (red warning)' }),
  overdueDays: Nullable(Type.Integer()),
  cancelReason: Nullable(Type.String({ description: '"superseded" when another proposal for the plot was approved (see supersededBy)' })),
  supersededBy: Nullable(Type.Integer({ description: 'The allocation approved for the same plot, which closed this proposal (status cancelled, reason superseded)' })),
  greenChannel: Type.Boolean({ description: 'On the approval green channel (绿色通道, 五(三)12): the plot is in a core park or the project is a key IAB project; decided at proposal' }),
  waitingDays: Nullable(Type.Integer({ description: 'Days an open proposal has waited since it was proposed (Asia/Shanghai calendar); null once decided' })),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String()),
  contractedAt: Nullable(Type.String()),
  cancelledBy: Nullable(Type.String()),
  cancelledAt: Nullable(Type.String()),
  updatedAt: Type.String(),
  sample: Type.Boolean({ description: 'Demo sample record (seeded with the sample plots), not a real allocation' }),
};

export const AllocationItem = Type.Object(AllocationBase);
export type AllocationItem = Static<typeof AllocationItem>;

export const Allocation = Type.Object({
  ...AllocationBase,
  proposedFloor: FloorSummary,
  decision: Type.Union([
    Type.Object(
      {
        approvedAt: Type.String(),
        approvedBy: Type.Object({ userId: Nullable(Type.Integer({ description: 'null for seeded sample records' })), username: Type.String(), displayName: Type.String(), role: Type.String() }),
        floor: FloorSummary,
        inputs: Type.Object({}, { additionalProperties: true, description: 'A, B, C, N, land level and grade, with their provenance flags' }),
        reference: Type.Object({}, { additionalProperties: true, description: 'The reference data versions (id, effective date) and parameters used' }),
        quota: Type.Object({}, { additionalProperties: true, description: 'The year, ledger entry, charged area, and the quota before and after' }),
      },
      { additionalProperties: true, description: 'The decision record, written at approval' },
    ),
    Type.Null(),
  ]),
});
export type Allocation = Static<typeof Allocation>;

export const AllocationList = Type.Object({ items: Type.Array(AllocationItem), total: Type.Integer() });
export type AllocationList = Static<typeof AllocationList>;

export const AllocationsQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ description: 'One or more statuses, comma-separated', maxLength: 100 })),
    quotaYear: Type.Optional(Year),
    plotId: Type.Optional(Id),
    parkId: Type.Optional(Id),
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    sector: Type.Optional(literals(PROJECT_SECTORS)),
    iab: Type.Optional(Type.Boolean()),
    overdue: Type.Optional(Type.Boolean({ description: 'Only (or, false: no) contracted allocations whose agreed start has passed without a start' })),
    greenChannel: Type.Optional(Type.Boolean({ description: 'Only (or, false: no) allocations on the approval green channel (五(三)12)' })),
    sort: Type.Optional(literals(['newest', 'green_first'] as const, { description: 'newest (default) · green_first: green-channel allocations first, then newest' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type AllocationsQuery = Static<typeof AllocationsQuery>;

export const CancelBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 1000, description: '取消原因' })) }, { additionalProperties: false });
export type CancelBody = Static<typeof CancelBody>;

export const ContractBody = Type.Object(
  {
    contractNo: Type.String({ minLength: 1, maxLength: 64, description: '出让合同编号' }),
    supervisionNo: Type.String({ minLength: 1, maxLength: 40, description: '电子监管号 (letters, digits, hyphens)' }),
    signedOn: DateString('合同签订日期, not in the future'),
    agreedHandoverOn: DateString('约定交地时间'),
    agreedStartOn: DateString('约定开工时间'),
    agreedCompletionOn: DateString('约定竣工时间'),
  },
  { additionalProperties: false },
);
export type ContractBody = Static<typeof ContractBody>;

export const MilestoneBody = Type.Object(
  {
    kind: literals(MILESTONE_KINDS, { description: 'handed_over (交地) → started (开工) → completed (竣工, completes the allocation) on a contracted allocation; then production (投产) → full_production (达产) on the completed one' }),
    date: DateString('When it happened, not in the future'),
  },
  { additionalProperties: false },
);
export type MilestoneBody = Static<typeof MilestoneBody>;

// --- Quotas ------------------------------------------------------------------------------------------

export const YearParams = Type.Object({ year: Year });
export type YearParams = Static<typeof YearParams>;

export const Quota = Type.Object({
  year: Type.Integer(),
  quotaM2: Type.Number(),
  iabReserveM2: Type.Number(),
  approvedM2: Type.Number(),
  iabApprovedM2: Type.Number(),
  remainingM2: Type.Number({ description: 'quota − approved (what an IAB allocation may still take)' }),
  availableToNonIabM2: Type.Number({ description: 'remaining − unused IAB reserve (what a non-IAB allocation may still take)' }),
  quotaMu: Type.Number(),
  iabReserveMu: Type.Number(),
  approvedMu: Type.Number(),
  remainingMu: Type.Number(),
  availableToNonIabMu: Type.Number(),
  updatedAt: Type.String(),
});
export type Quota = Static<typeof Quota>;

export const QuotaBody = Type.Object(
  {
    quotaM2: Type.Number({ description: 'The year’s industrial land quota, m² (≥ 5000 亩 = 3,333,333.34 m²)' }),
    iabReserveM2: Type.Number({ description: 'Part reserved for IAB projects, m² (0 ≤ reserve ≤ quota) — required: the IAB tilt of 五(三)11 is a decision, 0 included' }),
  },
  { additionalProperties: false },
);
export type QuotaBody = Static<typeof QuotaBody>;

const ReportLine = {
  approvedM2: Type.Number(),
  iabApprovedM2: Type.Number(),
  approvedMu: Type.Number(),
  allocations: Type.Integer(),
};

export const QuotaReport = Type.Object({
  ...Quota.properties,
  iabShareBp: Type.Integer({ description: 'IAB share of the approved area, basis points' }),
  iabTilt: Type.Object(
    {
      iabReserveM2: Type.Number(),
      reserveShareBp: Type.Integer({ description: 'Reserve ÷ quota, basis points: the tilt decided' }),
      iabApprovedM2: Type.Number(),
      iabShareBp: Type.Integer({ description: 'IAB approved ÷ approved, basis points' }),
      iabOfQuotaBp: Type.Integer({ description: 'IAB approved ÷ quota, basis points (compare with reserveShareBp)' }),
      reserveUsedM2: Type.Number({ description: 'min(IAB approved, reserve)' }),
      reserveUsedBp: Nullable(Type.Integer({ description: 'reserveUsed ÷ reserve, basis points; null when nothing was reserved' })),
      unusedReserveM2: Type.Number({ description: 'Reserve still kept from non-IAB projects' }),
    },
    { description: '五(三)11 重点向IAB产业倾斜: the IAB share of approved land against the reserve the bureau set' },
  ),
  supplyTarget: Type.Object({
    targetM2: Type.Number(),
    targetMu: Type.Number(),
    metTarget: Type.Boolean(),
    shortfallM2: Type.Number({ description: 'The 5000 亩 supply target minus the approved area (0 when met)' }),
    shortfallMu: Type.Number(),
  }),
  keyProjects: Type.Object({ approved: Type.Integer(), signed: Type.Integer(), landed: Type.Integer() }, { description: 'Key IAB projects of the year: approved, signed (contracted), landed (started) — 四(二)6' }),
  byDistrict: Type.Array(Type.Object({ districtCode: Type.String(), nameZh: Type.String(), nameEn: Type.String(), ...ReportLine })),
  byPark: Type.Array(Type.Object({ parkId: Type.Integer(), code: Type.String(), nameZh: Type.String(), nameEn: Type.String(), districtCode: Type.String(), ...ReportLine })),
  bySector: Type.Array(Type.Object({ sector: Type.Unsafe<ProjectSector>(Type.String()), ...ReportLine })),
  referenceVersions: Type.Record(Type.String(), Type.Integer()),
});
export type QuotaReport = Static<typeof QuotaReport>;

export const LedgerList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      year: Type.Integer(),
      allocationId: Type.Integer(),
      kind: literals(['charge', 'reversal'] as const),
      areaM2: Type.Number({ description: '+ charge, − reversal' }),
      iab: Type.Boolean(),
      at: Type.String(),
      createdBy: Nullable(Type.String()),
    }),
  ),
  total: Type.Integer(),
  sumM2: Type.Number({ description: 'Sum of all entries of the year = approvedM2' }),
  iabSumM2: Type.Number({ description: 'Sum of the IAB entries = iabApprovedM2' }),
});
export type LedgerList = Static<typeof LedgerList>;

export const PageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuery>;

// --- Holds -------------------------------------------------------------------------------------------

const HoldState = literals(['active', 'expired', 'released', 'allocated'] as const);

export const Hold = Type.Object({
  id: Type.Integer(),
  plotId: Type.Integer(),
  plotCode: Type.String(),
  districtCode: Type.String(),
  applicant: Type.Object({ name: Type.String(), uscc: Type.String() }),
  until: Type.String({ description: 'Last day of the hold, inclusive (Asia/Shanghai calendar)' }),
  note: Type.String(),
  state: HoldState,
  active: Type.Boolean(),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  releasedAt: Nullable(Type.String()),
  releasedBy: Nullable(Type.String()),
  releaseReason: Nullable(literals(['released', 'expired', 'allocated'] as const)),
});
export type Hold = Static<typeof Hold>;

export const HoldList = Type.Object({ items: Type.Array(Hold), total: Type.Integer() });
export type HoldList = Static<typeof HoldList>;

export const HoldBody = Type.Object(
  {
    applicant: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        uscc: Type.String({ minLength: 1, maxLength: 40, description: '统一社会信用代码 (check character verified)' }),
      },
      { additionalProperties: false },
    ),
    until: DateString('Last day of the hold, inclusive; today or later'),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type HoldBody = Static<typeof HoldBody>;

export const ReleaseResult = Type.Object({ plotId: Type.Integer(), plotStatus: Type.String(), hold: Nullable(Hold) });
export type ReleaseResult = Static<typeof ReleaseResult>;

export const HoldsQuery = Type.Object(
  {
    plotId: Type.Optional(Id),
    state: Type.Optional(HoldState),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type HoldsQuery = Static<typeof HoldsQuery>;

// --- The open records, as types ------------------------------------------------------------------
// `proposedFloor` and `decision` are open objects in the schema (the public document describes
// them in words); what they hold is stated here so the client reads them typed.

/** One check of a floor evaluation: the price against its floor, or a rent against the rent floor. */
export interface FloorCheckRecord {
  subject: 'price' | 'annual_rent';
  offeredYuan: number;
  floorYuan: number;
  ok: boolean;
  shortfallYuan: number;
}

/** The floor evaluation stored with a proposal and in the decision record. */
export interface FloorRecord {
  mode: AllocationMode;
  termYears: number;
  leaseYears: number | null;
  floorYuan: number;
  binding: Binding;
  priceFloor: {
    floorYuan: number;
    floorYuanPerM2: number;
    binding: Binding;
    components: { benchmarkYuan: number; costYuan: number | null; nationalMinimumYuan: number };
    termFactor: number;
    termYears: number;
    areaM2: number;
    factor: number;
  };
  rentFloor: { annualRentFloorYuan: number; rentShareBp: number } | null;
  checks: FloorCheckRecord[];
  ok: boolean;
  messageZh: string;
  messageEn: string;
  reference?: { asOf: string; versions: Record<string, { id: number; effectiveFrom: string }> };
}

/** A year's quota figures before and after a charge (the m² part of a quota). */
export type QuotaSnapshot = Pick<Quota, 'quotaM2' | 'iabReserveM2' | 'approvedM2' | 'iabApprovedM2' | 'remainingM2' | 'availableToNonIabM2'>;

/** The decision record written at approval. */
export interface DecisionRecord {
  approvedAt: string;
  approvedBy: { userId: number | null; username: string; displayName: string; role: string };
  areaM2?: number;
  areaMu?: number;
  floor: FloorRecord;
  inputs: Record<string, unknown>;
  reference: { asOf?: string; versions?: Record<string, { id: number; effectiveFrom: string }>; parameters?: Record<string, unknown> };
  quota: { year: number; ledgerEntryId: number | null; chargedM2: number; iab: boolean; before: QuotaSnapshot; after: QuotaSnapshot };
  proposal?: { floorYuan: number; floorChanged: boolean };
}

/** `GET /api/allocations/:id` (and every write's answer) with its records read typed. */
export type AllocationDetail = Omit<Allocation, 'proposedFloor' | 'decision'> & { proposedFloor: FloorRecord; decision: DecisionRecord | null };
