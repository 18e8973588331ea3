/** Schemas of the district dashboard, the bureau's city overview and the park report. */
import { Type, type Static } from 'typebox';
import { literals, Nullable } from './common.ts';
import { PARK_TIERS, SECTORS } from '../domain.ts';
import { Subsidy } from './subsidies.ts';
import { SupervisionSummary } from './monitoring.ts';

export const DistrictParams = Type.Object({ code: Type.String({ pattern: '^[0-9]{6}$', description: '6-digit district code, e.g. 440106' }) });
export type DistrictParams = Static<typeof DistrictParams>;
export const DashboardQuery = Type.Object(
  { year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'Quota year for "quota charged" (default: this year, Asia/Shanghai)' })) },
  { additionalProperties: false },
);
export type DashboardQuery = Static<typeof DashboardQuery>;

const PlotCounts = Type.Object({ total: Type.Integer(), available: Type.Integer(), held: Type.Integer(), allocated: Type.Integer(), withdrawn: Type.Integer() });
const AreasMu = Type.Object(
  { total: Type.Number(), available: Type.Number(), held: Type.Number(), allocated: Type.Number(), withdrawn: Type.Number() },
  { description: 'The same areas in 亩 (2 decimals, for display)' },
);
const SubsidyFigures = Type.Object({
  grantedYuan: Type.Number({ description: 'Net granted (the ledger sum)' }),
  capYuan: Type.Number({ description: 'Cap in force (per park; in totals, the sum over the parks)' }),
  remainingYuan: Type.Number(),
});
const LeadSectorShare = Type.Object({
  allocatedAreaM2: Type.Number({ description: 'Area of allocations approved, contracted or completed' }),
  leadSectorAreaM2: Type.Number({ description: 'Of which: projects in one of the park’s lead sectors' }),
  share: Nullable(Type.Number({ description: 'lead ÷ allocated (4 decimals); null when nothing is allocated' })),
  target: Type.Number({ description: 'Target share (reference parameter leadSectorShareTargetBp, default 0.8): a bureau setting, not in the plan' }),
  meetsTarget: Nullable(Type.Boolean()),
});

const Figures = {
  totalAreaM2: Type.Number(),
  availableAreaM2: Type.Number(),
  heldAreaM2: Type.Number(),
  allocatedAreaM2: Type.Number(),
  withdrawnAreaM2: Type.Number(),
  areasMu: AreasMu,
  plotCounts: PlotCounts,
  quotaChargedM2: Type.Number({ description: 'Net quota charged to the year (charges − reversals), m²' }),
  quotaChargedMu: Type.Number(),
  subsidy: SubsidyFigures,
  projectsSigned: Type.Integer({ description: 'Distinct projects with an allocation contracted or completed (签约)' }),
  projectsLanded: Type.Integer({ description: 'Of those, started on site (落地)' }),
  leadSectorShare: LeadSectorShare,
  overdueMilestones: Type.Integer({ description: 'Contracted allocations whose agreed start date has passed with no start' }),
};

export const DashboardPark = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  districtCode: Type.String(),
  tier: literals(PARK_TIERS),
  sectors: Type.Array(literals(SECTORS)),
  recognizedYear: Type.Integer(),
  sample: Type.Boolean({ description: 'The park boundary is indicative (sample) data' }),
  ...Figures,
});
export type DashboardPark = Static<typeof DashboardPark>;

export const DashboardTotals = Type.Object({ parks: Type.Integer(), ...Figures });
export type DashboardTotals = Static<typeof DashboardTotals>;

const District = Type.Object({ code: Type.String(), nameZh: Type.String(), nameEn: Type.String() });
const Common = {
  year: Type.Integer(),
  asOf: Type.String({ format: 'date-time' }),
  leadSectorTarget: Type.Number(),
  leadTarget: Type.Object(
    { share: Type.Number(), source: Type.String(), verified: Type.Boolean(), bureauSetting: Type.Literal(true) },
    { description: 'The lead-sector target in force: a bureau setting from the reference data (not in the IAB plan), with its source' },
  ),
  planTargets: Type.Object(
    {
      clause: Type.String({ description: '四(二)6' }),
      byYear: Type.Integer(),
      keyProjectsSigned: Type.Integer({ description: 'Target: IAB key projects signed' }),
      keyProjectsLanded: Type.Integer({ description: 'Target: IAB key projects landed' }),
      keyProjectsSignedActual: Type.Integer({ description: 'IAB key projects with an allocation contracted or completed, in scope' }),
      keyProjectsLandedActual: Type.Integer({ description: 'Of those, started on site (started_on recorded)' }),
    },
    { description: 'The plan’s own targets (四(二)6) and the counts from the allocation records' },
  ),
  parks: Type.Array(DashboardPark),
  totals: DashboardTotals,
  referenceVersions: Type.Object({ parameters: Type.Integer() }),
  supervision: SupervisionSummary,
};

export const DistrictDashboard = Type.Object({ district: District, ...Common });
export type DistrictDashboard = Static<typeof DistrictDashboard>;
export const BureauParks = Type.Object(Common);
export type BureauParks = Static<typeof BureauParks>;

export const ParkReport = Type.Object({
  district: District,
  year: Type.Integer(),
  asOf: Type.String({ format: 'date-time' }),
  park: Type.Object({ ...DashboardPark.properties, areaM2: Type.Number({ description: 'Area of the park boundary' }), boundarySource: Type.String() }),
  subsidies: Type.Object({
    items: Type.Array(Subsidy),
    grantedYuan: Type.Number(),
    disbursedYuan: Type.Number(),
    capYuan: Type.Number(),
    remainingYuan: Type.Number(),
  }),
  overdue: Type.Array(
    Type.Object({
      allocationId: Type.Integer(),
      plotCode: Type.String(),
      projectName: Type.String(),
      enterpriseName: Type.String(),
      agreedStartOn: Type.String(),
      overdueDays: Type.Integer(),
      areaM2: Type.Number(),
    }),
  ),
});
export type ParkReport = Static<typeof ParkReport>;

export const CsvFile = Type.String({ description: 'text/csv; charset=utf-8, with a BOM (Excel), CRLF line ends' });
export type CsvFile = Static<typeof CsvFile>;
