/**
 * Supervision on the dashboards and the yearly monitoring report (issue #15 §5; plan 六 "regular
 * monitoring reports"): idle land, 亩均 grades, 标准地 conditions unmet and open inspections,
 * summed per park, per district and for the city. The per-item records they are counted from are
 * GET /api/supervision/idle (IdleItem) and GET /api/supervision/evaluation (EvaluationItem).
 */
import { Type, type Static } from 'typebox';
import { literals, Nullable } from './common.ts';
import { SUPERVISION_STAGES } from './supervision.ts';

const Grades = Type.Object(
  { A: Type.Integer(), B: Type.Integer(), C: Type.Integer(), D: Type.Integer() },
  { description: 'Allocations graded A/B/C/D in the evaluation year' },
);
export type GradeCounts = Static<typeof Grades>;

export const IdleSummary = Type.Object(
  {
    count: Type.Integer({ description: 'Idle land: allocations at stage idle_fee or reclaim' }),
    areaM2: Type.Number({ description: 'Their area, m²' }),
    areaMu: Type.Number({ description: 'Their area, 亩 (2 decimals)' }),
    feesDecidedYuan: Type.Number({ description: 'Idle fees decided by officers (decisions of kind idle_fee), yuan' }),
    byStage: Type.Object(Object.fromEntries(SUPERVISION_STAGES.map((s) => [s, Type.Integer()])) as Record<(typeof SUPERVISION_STAGES)[number], ReturnType<typeof Type.Integer>>),
  },
  { description: 'Idle land under 《闲置土地处置办法》 as of the day' },
);
export type IdleSummary = Static<typeof IdleSummary>;

export const ThresholdsRef = Type.Object({
  versionId: Type.Integer(),
  effectiveFrom: Type.String(),
  sample: Type.Boolean({ description: 'Sample thresholds (to be replaced by the bureau)' }),
  source: Type.String(),
});

export const ParkGrades = Type.Object({ parkId: Type.Integer(), parkCode: Type.String(), ...Grades.properties });

/** The `supervision` object of the district dashboard and of the city overview. */
export const SupervisionSummary = Type.Object(
  {
    asOf: Type.String({ description: 'Idle stages judged on this day (YYYY-MM-DD, Asia/Shanghai)' }),
    evaluationYear: Type.Integer({ description: '亩均 evaluation year counted (the dashboard year − 1: the last complete year)' }),
    idle: IdleSummary,
    grades: Grades,
    gradesByPark: Type.Array(ParkGrades),
    conditionsUnmet: Type.Integer({ description: 'Evaluated allocations with one or more 标准地 conditions unmet' }),
    inspectionsOpen: Type.Integer({ description: 'Field inspections not yet closed' }),
    thresholds: Nullable(ThresholdsRef),
    sample: Type.Boolean({ description: 'Some of the records counted are sample (demo) data' }),
  },
  { description: 'Supervision after the sale (issue #15 §5)' },
);
export type SupervisionSummary = Static<typeof SupervisionSummary>;

export const ReportQuery = Type.Object(
  {
    year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Report year (default: this year, Asia/Shanghai)' })),
    districtCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$', description: 'One district; omitted: the city (a district officer: their own district)' })),
    format: Type.Optional(literals(['json', 'csv'] as const, { description: 'csv: UTF-8 with a BOM, Chinese and English headers' })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

const ReportIdleItem = Type.Object({
  allocationId: Type.Integer(),
  plotCode: Type.String(),
  projectName: Type.String(),
  enterpriseName: Type.String(),
  stage: literals(SUPERVISION_STAGES),
  daysLate: Type.Integer(),
  areaM2: Type.Number(),
  feeYuan: Nullable(Type.Number()),
  decided: Type.Boolean({ description: 'An officer recorded a decision (决定文号)' }),
});

const ReportUnmet = Type.Object({
  allocationId: Type.Integer(),
  plotCode: Type.String(),
  projectName: Type.String(),
  grade: literals(['A', 'B', 'C', 'D'] as const),
  fields: Type.Array(Type.Object({ field: Type.String(), required: Type.Union([Type.Number(), Type.String()]), actual: Type.Union([Type.Number(), Type.String()]), gap: Nullable(Type.Number()), unit: Type.String() })),
});

const ReportFigures = {
  land: Type.Object({
    totalAreaM2: Type.Number(),
    availableAreaM2: Type.Number({ description: 'Land left to supply (plots available), m²' }),
    allocatedAreaM2: Type.Number({ description: 'Land supplied (plots allocated), m²' }),
    availableMu: Type.Number(),
    allocatedMu: Type.Number(),
  }),
  projectsSigned: Type.Integer({ description: '签约: distinct projects contracted or completed' }),
  projectsLanded: Type.Integer({ description: '落地: of those, started on site' }),
  idle: IdleSummary,
  grades: Grades,
  evaluated: Type.Integer({ description: 'Allocations with figures for the year' }),
  conditionsUnmet: Type.Integer(),
  inspections: Type.Object({
    open: Type.Integer({ description: 'Open now' }),
    openedInYear: Type.Integer({ description: 'Opened in the report year' }),
    closedInYear: Type.Integer({ description: 'Closed in the report year' }),
  }),
};

export const ReportPark = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  districtCode: Type.String(),
  sample: Type.Boolean({ description: 'Indicative park boundary, or sample records counted' }),
  ...ReportFigures,
  idleItems: Type.Array(ReportIdleItem),
  unmetItems: Type.Array(ReportUnmet),
});
export type ReportPark = Static<typeof ReportPark>;

export const MonitoringReport = Type.Object({
  year: Type.Integer(),
  asOf: Type.String({ description: 'Idle stages judged on this day: 31 Dec of the year, or today for this year' }),
  generatedAt: Type.String({ format: 'date-time' }),
  scope: Type.Object({ districtCode: Nullable(Type.String()), nameZh: Type.String(), nameEn: Type.String() }),
  thresholds: Nullable(ThresholdsRef),
  planTargets: Type.Object({
    clause: Type.String(),
    byYear: Type.Integer(),
    keyProjectsSigned: Type.Integer(),
    keyProjectsLanded: Type.Integer(),
    keyProjectsSignedActual: Type.Integer(),
    keyProjectsLandedActual: Type.Integer(),
  }),
  parks: Type.Array(ReportPark),
  totals: Type.Object({ parks: Type.Integer(), ...ReportFigures }),
  sample: Type.Boolean({ description: 'Some of the records counted are sample (demo) data' }),
});
export type MonitoringReport = Static<typeof MonitoringReport>;
