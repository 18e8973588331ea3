/**
 * After the sale (issue #15; POLICY.md "After the sale: supervision"): 标准地 conditions, the
 * 监管协议 frozen at approval, progress milestones and government delays, idle land under
 * 《闲置土地处置办法》, officers' decisions, field inspections with photos, and the 亩均
 * evaluation. The rules themselves are shared/policy/{standard-land,idle-land,mu-evaluation}.ts;
 * these are the shapes on the wire.
 *
 * Money in yuan (≤ 2 decimals) on the wire, fen in the database; areas in m²; dates are the
 * bureau's calendar days (Asia/Shanghai) 'YYYY-MM-DD'.
 */
import { Type, type Static } from 'typebox';
import { Id, literals, Nullable, Yuan } from './common.ts';
import { POLLUTION_CATEGORIES } from '../policy/standard-land.ts';
import { MU_GRADES } from '../policy/mu-evaluation.ts';

const DateString = (description: string) => Type.String({ maxLength: 10, description: `${description} (YYYY-MM-DD)` });
const Year = Type.Integer({ minimum: 2000, maximum: 2100, description: 'Calendar year' });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });

// --- 标准地 conditions ---------------------------------------------------------------------------

/** A plot's 标准地 conditions as answered; every field null where the bureau set none. Public. */
export const Conditions = Type.Object(
  {
    investmentIntensityYuanPerM2Min: Nullable(Type.Number({ description: '投资强度 minimum, yuan per m² of land' })),
    plotRatioMin: Nullable(Type.Number({ description: '容积率 minimum' })),
    plotRatioMax: Nullable(Type.Number({ description: '容积率 maximum' })),
    outputPerMuYuanMin: Nullable(Type.Number({ description: '亩均产值 minimum, yuan per 亩 per year' })),
    taxPerMuYuanMin: Nullable(Type.Number({ description: '亩均税收 minimum, yuan per 亩 per year' })),
    energyTcePer10kYuanMax: Nullable(Type.Number({ description: '单位产值能耗 maximum, tce per 万元 of output' })),
    pollutionCategory: Nullable(literals(POLLUTION_CATEGORIES, { description: 'The most polluting industrial class admitted (GB 50137-2011 一类/二类/三类)' })),
    notes: Nullable(Type.String({ description: '环境准入 and other terms written into the 监管协议' })),
    startWithinMonths: Nullable(Type.Integer({ description: 'Start (动工) within this many months of the contract' })),
    completeWithinMonths: Nullable(Type.Integer({ description: 'Completion (竣工) within this many months of the contract' })),
  },
  { description: '标准地 conditions (null = not set); public', $id: 'Conditions' },
);
export type Conditions = Static<typeof Conditions>;

/**
 * Conditions as written (plot create/PATCH, import): every field optional; null clears it.
 * Read with shared/policy/standard-land.ts `validateConditions`, which names each bad field.
 */
export const ConditionsInput = Type.Object(
  Object.fromEntries(Object.entries(Conditions.properties).map(([k, v]) => [k, Type.Optional(v)])) as {
    [K in keyof typeof Conditions.properties]: import('typebox').TOptional<(typeof Conditions.properties)[K]>;
  },
  { additionalProperties: false, description: '标准地 conditions to set; omitted fields keep their value, null clears one' },
);
export type ConditionsInput = Static<typeof ConditionsInput>;

/**
 * The 监管协议 of an allocation: the plot's conditions copied at approval (later plot edits do
 * not change it) and, once contracted, the agreed dates and the deadlines the conditions give.
 */
export const Agreement = Type.Object(
  {
    conditions: Conditions,
    frozenAt: Type.String({ description: 'When the conditions were copied from the plot (approval)' }),
    agreedHandoverOn: Nullable(Type.String()),
    agreedStartOn: Nullable(Type.String()),
    agreedCompletionOn: Nullable(Type.String()),
  },
  { description: '监管协议: conditions frozen at approval, next to the agreed dates' },
);
export type Agreement = Static<typeof Agreement>;

/** Search filter "plots whose conditions my project meets": the project's own figures. */
export const ProjectFiguresQuery = {
  projectInvestmentIntensity: Type.Optional(Type.Number({ minimum: 0, description: 'My project: investment intensity, yuan per m²' })),
  projectPlotRatio: Type.Optional(Type.Number({ minimum: 0, description: 'My project: plot ratio' })),
  projectOutputPerMu: Type.Optional(Type.Number({ minimum: 0, description: 'My project: output per 亩, yuan per year' })),
  projectTaxPerMu: Type.Optional(Type.Number({ minimum: 0, description: 'My project: tax per 亩, yuan per year' })),
  projectEnergyPer10k: Type.Optional(Type.Number({ minimum: 0, description: 'My project: tce per 万元 of output' })),
  projectPollutionCategory: Type.Optional(literals(POLLUTION_CATEGORIES)),
};

// --- Progress, government delays -----------------------------------------------------------------

/** POST /api/allocations/:id/progress — 开发进度 after the start (art. 2's ⅓ area / 25 % investment). */
export const ProgressBody = Type.Object(
  {
    on: DateString('The day the figures were taken, not in the future'),
    developedAreaM2: Type.Number({ minimum: 0, description: '已开发面积, m²' }),
    investedYuan: Yuan('已完成投资'),
  },
  { additionalProperties: false },
);
export type ProgressBody = Static<typeof ProgressBody>;

export const GOVERNMENT_DELAY_CAUSES = ['late_handover', 'planning_change', 'military_or_heritage', 'other'] as const;
export type GovernmentDelayCause = (typeof GOVERNMENT_DELAY_CAUSES)[number];

/** POST /api/allocations/:id/government-delays — art. 8 政府原因. */
export const GovernmentDelayBody = Type.Object(
  {
    cause: literals(GOVERNMENT_DELAY_CAUSES, { description: 'late_handover (未按约定交地) · planning_change (规划调整) · military_or_heritage (军事管制、文物保护) · other' }),
    days: Type.Integer({ minimum: 1, maximum: 3650, description: 'Days the dates move' }),
    evidence: Type.String({ minLength: 1, maxLength: 2000, description: '证明材料: document number or description' }),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type GovernmentDelayBody = Static<typeof GovernmentDelayBody>;

export const GovernmentDelay = Type.Object({
  id: Type.Integer(),
  allocationId: Type.Integer(),
  cause: literals(GOVERNMENT_DELAY_CAUSES),
  days: Type.Integer(),
  evidence: Type.String(),
  note: Nullable(Type.String()),
  recordedBy: Nullable(Type.String()),
  recordedAt: Type.String(),
});
export type GovernmentDelay = Static<typeof GovernmentDelay>;

export const GovernmentDelayList = Type.Object({ items: Type.Array(GovernmentDelay) });
export type GovernmentDelayList = Static<typeof GovernmentDelayList>;

/** A progress report as answered (POST and GET /api/allocations/:id/progress). */
export const Progress = Type.Object({
  id: Type.Integer(),
  allocationId: Type.Integer(),
  on: Type.String(),
  developedAreaM2: Type.Number(),
  investedYuan: Type.Number(),
  recordedBy: Nullable(Type.String()),
  recordedAt: Type.String(),
  sample: Type.Boolean(),
});
export type Progress = Static<typeof Progress>;

export const ProgressList = Type.Object({ items: Type.Array(Progress) });
export type ProgressList = Static<typeof ProgressList>;

// --- Idle land ---------------------------------------------------------------------------------

/** `government_delay`: past the agreed start but within the recorded government delay (art. 8, no fee). */
export const SUPERVISION_STAGES = ['overdue', 'idle_fee', 'reclaim', 'government_delay'] as const;
export type SupervisionStage = (typeof SUPERVISION_STAGES)[number];

export const DECISION_KINDS = ['idle_fee', 'reclaim', 'no_action'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export const Decision = Type.Object({
  id: Type.Integer(),
  allocationId: Type.Integer(),
  kind: literals(DECISION_KINDS, { description: 'idle_fee (征缴土地闲置费) · reclaim (无偿收回) · no_action (不予处置, with reasons)' }),
  documentNo: Type.String({ description: '决定文号' }),
  decidedOn: Type.String(),
  feeYuan: Nullable(Type.Number()),
  note: Nullable(Type.String()),
  decidedBy: Nullable(Type.String()),
  recordedAt: Type.String(),
});
export type Decision = Static<typeof Decision>;

/** POST /api/supervision/decisions — recorded by an officer; never automatic. */
export const DecisionBody = Type.Object(
  {
    allocationId: Id,
    kind: literals(DECISION_KINDS),
    documentNo: Type.String({ minLength: 1, maxLength: 80, description: '决定文号, e.g. 穗规划资源闲决〔2026〕12号' }),
    decidedOn: DateString('决定日期, not in the future'),
    feeYuan: Type.Optional(Yuan('idle_fee only: the fee decided; defaults to 20 % of the price')),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type DecisionBody = Static<typeof DecisionBody>;

export const IdleItem = Type.Object({
  allocationId: Type.Integer(),
  plotId: Type.Integer(),
  plotCode: Type.String(),
  parkId: Type.Integer(),
  parkCode: Type.String(),
  districtCode: Type.String(),
  projectName: Type.String(),
  enterpriseName: Type.String(),
  stage: literals(SUPERVISION_STAGES),
  kind: Nullable(literals(['not_started', 'stalled'] as const)),
  daysLate: Type.Integer(),
  areaM2: Type.Number(),
  priceYuan: Type.Number(),
  feeYuan: Nullable(Type.Number({ description: '土地闲置费, 20 % of the price to the fen (idle_fee only)' })),
  agreedStartOn: Type.String(),
  adjustedStartOn: Type.String({ description: 'The agreed start moved by recorded government delays' }),
  governmentDelayDays: Type.Integer(),
  idleFrom: Nullable(Type.String()),
  reclaimFrom: Nullable(Type.String()),
  basis: Bilingual,
  decisions: Type.Array(Decision),
  openInspectionId: Nullable(Type.Integer()),
  sample: Type.Boolean(),
});
export type IdleItem = Static<typeof IdleItem>;

export const IdleQuery = Type.Object(
  {
    asOf: Type.Optional(DateString('Day to judge on; default today (Asia/Shanghai)')),
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    parkId: Type.Optional(Id),
    stage: Type.Optional(literals(SUPERVISION_STAGES)),
  },
  { additionalProperties: false },
);
export type IdleQuery = Static<typeof IdleQuery>;

export const IdleList = Type.Object({ items: Type.Array(IdleItem), asOf: Type.String() });
export type IdleList = Static<typeof IdleList>;

/** GET /api/allocations/:id/supervision — one allocation's supervision record on a day (a read only). */
export const AllocationSupervisionQuery = Type.Object(
  { asOf: Type.Optional(DateString('Day to judge on; default today (Asia/Shanghai)')) },
  { additionalProperties: false },
);
export type AllocationSupervisionQuery = Static<typeof AllocationSupervisionQuery>;

export const AllocationSupervision = Type.Object({
  allocationId: Type.Integer(),
  asOf: Type.String(),
  stage: Nullable(literals(['on_track', ...SUPERVISION_STAGES] as const, { description: 'null: not under supervision (not contracted or completed)' })),
  /** As in the idle list; null when on track or not under supervision. */
  item: Nullable(IdleItem),
  progress: Type.Array(Progress),
  governmentDelays: Type.Array(GovernmentDelay),
  decisions: Type.Array(Decision),
});
export type AllocationSupervision = Static<typeof AllocationSupervision>;

// --- Inspections -------------------------------------------------------------------------------

export const INSPECTION_STATUSES = ['open', 'closed'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

export const Photo = Type.Object({
  id: Type.Integer(),
  contentType: literals(['image/jpeg', 'image/png'] as const),
  bytes: Type.Integer(),
  location: Nullable(Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'From the photo\'s EXIF GPS (kept); every other metadata stripped' })),
  url: Type.String({ description: 'GET this for the image' }),
});
export type Photo = Static<typeof Photo>;

export const Visit = Type.Object({
  id: Type.Integer(),
  visitedOn: Type.String(),
  findings: Type.String(),
  recordedBy: Nullable(Type.String()),
  recordedAt: Type.String(),
  photos: Type.Array(Photo),
});
export type Visit = Static<typeof Visit>;

export const Inspection = Type.Object({
  id: Type.Integer(),
  allocationId: Type.Integer(),
  plotId: Type.Integer(),
  plotCode: Type.String(),
  districtCode: Type.String(),
  status: literals(INSPECTION_STATUSES),
  reason: Type.String({ description: 'Why the inspection was sent (e.g. the idle stage)' }),
  assignee: Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String() }),
  dueOn: Nullable(Type.String()),
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
  conclusion: Nullable(Type.String()),
  closedOn: Nullable(Type.String()),
  closedBy: Nullable(Type.String()),
  visits: Type.Array(Visit),
  sample: Type.Boolean(),
});
export type Inspection = Static<typeof Inspection>;

export const InspectionBody = Type.Object(
  {
    allocationId: Id,
    assigneeId: Id,
    reason: Type.String({ minLength: 1, maxLength: 1000 }),
    dueOn: Type.Optional(DateString('Visit by')),
  },
  { additionalProperties: false },
);
export type InspectionBody = Static<typeof InspectionBody>;

export const VisitBody = Type.Object(
  {
    visitedOn: DateString('The day of the visit, not in the future'),
    findings: Type.String({ minLength: 1, maxLength: 5000, 'x-multiline': true }),
  },
  { additionalProperties: false },
);
export type VisitBody = Static<typeof VisitBody>;

export const CloseInspectionBody = Type.Object(
  {
    conclusion: Type.String({ minLength: 1, maxLength: 5000, 'x-multiline': true }),
    closedOn: Type.Optional(DateString('Default today')),
  },
  { additionalProperties: false },
);
export type CloseInspectionBody = Static<typeof CloseInspectionBody>;

export const InspectionsQuery = Type.Object(
  {
    status: Type.Optional(literals(INSPECTION_STATUSES)),
    allocationId: Type.Optional(Id),
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    assigneeId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type InspectionsQuery = Static<typeof InspectionsQuery>;

export const InspectionList = Type.Object({ items: Type.Array(Inspection) });
export type InspectionList = Static<typeof InspectionList>;

// --- 亩均 performance and evaluation -----------------------------------------------------------

/** POST /api/allocations/:id/performance — one year's figures (replaces that year's if recorded). */
export const PerformanceBody = Type.Object(
  {
    year: Year,
    outputYuan: Yuan('产值'),
    taxYuan: Yuan('税收'),
    energyTce: Type.Number({ description: '能耗, tonnes of standard coal equivalent' }),
    employees: Type.Integer({ description: '从业人员' }),
  },
  { additionalProperties: false },
);
export type PerformanceBody = Static<typeof PerformanceBody>;

export const Performance = Type.Object({
  allocationId: Type.Integer(),
  year: Type.Integer(),
  outputYuan: Type.Number(),
  taxYuan: Type.Number(),
  energyTce: Type.Number(),
  employees: Type.Integer(),
  source: literals(['entry', 'import', 'sample'] as const),
  recordedBy: Nullable(Type.String()),
  recordedAt: Type.String(),
});
export type Performance = Static<typeof Performance>;

export const ConditionGap = Type.Object({
  field: Type.String({ description: 'The condition (a Conditions field)' }),
  required: Type.Union([Type.Number(), Type.String()]),
  actual: Type.Union([Type.Number(), Type.String()]),
  gap: Nullable(Type.Number({ description: 'How far short, in the condition\'s unit' })),
  unit: Type.String(),
});

export const MeetsConditions = Type.Object({
  met: Nullable(Type.Boolean({ description: 'true: every checked condition met; false: one or more unmet; null: none could be checked' })),
  unmet: Type.Array(ConditionGap),
  unchecked: Type.Array(Type.Object({ field: Type.String(), reason: Type.String() })),
});

export const GradeThresholds = Type.Object({
  versionId: Type.Integer(),
  effectiveFrom: Type.String(),
  sample: Type.Boolean({ description: 'Sample thresholds shipped with the demo, to be replaced by the bureau\'s' }),
  source: Type.String(),
  A: Type.Object({ outputPerMuYuan: Type.Number(), taxPerMuYuan: Type.Number() }),
  B: Type.Object({ outputPerMuYuan: Type.Number(), taxPerMuYuan: Type.Number() }),
  C: Type.Object({ outputPerMuYuan: Type.Number(), taxPerMuYuan: Type.Number() }),
});
export type GradeThresholds = Static<typeof GradeThresholds>;

export const EvaluationItem = Type.Object({
  allocationId: Type.Integer(),
  plotId: Type.Integer(),
  plotCode: Type.String(),
  parkId: Type.Integer(),
  parkCode: Type.String(),
  districtCode: Type.String(),
  projectName: Type.String(),
  enterpriseName: Type.String(),
  year: Type.Integer(),
  areaMu: Type.Number(),
  outputYuan: Type.Number(),
  taxYuan: Type.Number(),
  energyTce: Type.Number(),
  employees: Type.Integer(),
  outputPerMuYuan: Type.Integer(),
  taxPerMuYuan: Type.Integer(),
  energyPer10kYuan: Nullable(Type.Number()),
  grade: literals(MU_GRADES),
  meetsConditions: MeetsConditions,
  sample: Type.Boolean(),
});
export type EvaluationItem = Static<typeof EvaluationItem>;

export const EvaluationQuery = Type.Object(
  {
    year: Year,
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    parkId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type EvaluationQuery = Static<typeof EvaluationQuery>;

export const EvaluationList = Type.Object({ year: Type.Integer(), thresholds: GradeThresholds, items: Type.Array(EvaluationItem) });
export type EvaluationList = Static<typeof EvaluationList>;
