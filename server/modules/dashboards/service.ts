/**
 * The district review dashboard and the bureau's city overview: per park,
 * land (areas and plot counts by status), this year's quota charged, the subsidy against the cap,
 * projects signed and landed, the lead-sector share of allocated land against the target, and
 * overdue starts; with totals. Also the one-page park report (the CSV exports: ./csv.ts).
 *
 * Definitions (the same words as the allocation and quota services):
 * - areas and plot counts: the plots table by status (what the map shows);
 * - quota charged: the net quota ledger (charges − reversals) of the year for the park's plots —
 *   the figure of the quota report's "by park" line;
 * - subsidy: the park's net granted total (= its ledger sum) against the cap in force;
 * - signed (签约): distinct projects with an allocation contracted or completed (a contract signed:
 *   the database requires the contract number and dates from `contracted` on);
 * - landed (落地): of those, started on site — the `started_on` milestone (动工) is recorded;
 *   completion implies a start. Handover (交地) alone is not landed;
 * - key projects signed / landed: the same counts for IAB key projects (projects.key_project),
 *   against the plan's own targets (四(二)6: ≥ 100 signed and ≥ 50 landed by 2022);
 * - lead-sector share: allocated area (allocations approved, contracted or completed) whose
 *   project sector is one of the park's lead sectors ÷ all allocated area in the park, against
 *   the bureau's target — a reference parameter (`leadSectorShareTargetBp`, a bureau assumption:
 *   the plan states no such share);
 * - all of it from the allocation records, never from plot flags; live parcels only (a plot
 *   retired by a split or merge is counted through its pieces);
 * - overdue: contracted, the agreed start date has passed (bureau calendar) and no start recorded.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { notFound } from '../../kernel/errors.ts';
import { assertCanSeeDistrict } from '../auth/scope.ts';
import type { Caller } from '../../kernel/caller.ts';
import { findDistrict } from '../districts/service.ts';
import { listParks } from '../parks/service.ts';
import { fenToYuan, roundHalfUpDiv } from '../../../shared/money.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';
import type { ParkTier, Sector } from '../../../shared/domain.ts';
import { bureauToday } from '../../kernel/dates.ts';
import { grantedByPark, listSubsidies, subsidyParameters } from '../subsidies/service.ts';
import * as repo from './repository.ts';
import { supervisionData, supervisionSummary } from './supervision.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The plan's own targets for IAB key projects (四(二)6): by 2022, ≥ 100 signed and ≥ 50 landed. */
export const PLAN_TARGETS = { clause: '四(二)6', byYear: 2022, keyProjectsSigned: 100, keyProjectsLanded: 50 } as const;

const h = (m2: number | string) => m2ToHundredths(m2);
/** Hundredths of m² → hundredths of 亩 (× 3/2000), rounded half up. */
export const muHundredths = (hm2: bigint) => roundHalfUpDiv(hm2 * 3n, 2000n);
const mu = (hm2: bigint) => Number(muHundredths(hm2)) / 100;

interface AllocationStats {
  signed: number;
  landed: number;
  keySigned: number;
  keyLanded: number;
  allocatedH: bigint;
  leadH: bigint;
  overdue: number;
}
const NO_STATS: AllocationStats = { signed: 0, landed: 0, keySigned: 0, keyLanded: 0, allocatedH: 0n, leadH: 0n, overdue: 0 };

/** Allocation figures per park (or over the scope when `perPark` is false, counting a project once). */
async function allocationStats(db: Executor, districtCode: string | null, perPark: boolean, today: string) {
  const rows = await repo.allocationCounts(db, districtCode, perPark, today);
  return rows.map((r) => ({
    parkId: r.park_id,
    stats: { signed: r.signed, landed: r.landed, keySigned: r.key_signed, keyLanded: r.key_landed, allocatedH: h(r.allocated), leadH: h(r.lead), overdue: r.overdue } satisfies AllocationStats,
  }));
}

/** Net quota charged to `year` per park (charges − reversals), hundredths of m². */
async function quotaChargedByPark(db: Executor, districtCode: string | null, year: number): Promise<Map<number, bigint>> {
  const rows = await repo.quotaChargedRows(db, districtCode, year);
  return new Map(rows.map((r) => [r.park_id, h(r.charged)]));
}

function leadShare(allocatedH: bigint, leadH: bigint, targetBp: number) {
  return {
    allocatedAreaM2: hundredthsToM2(allocatedH),
    leadSectorAreaM2: hundredthsToM2(leadH),
    /** lead ÷ allocated, 4 decimals; null when nothing is allocated. */
    share: allocatedH === 0n ? null : Number(roundHalfUpDiv(leadH * 10_000n, allocatedH)) / 10_000,
    target: targetBp / 10_000,
    /** Compared exactly: lead ≥ target × allocated. */
    meetsTarget: allocatedH === 0n ? null : leadH * 10_000n >= allocatedH * BigInt(targetBp),
  };
}

/** The lead-sector target in force and where it comes from (a bureau setting, not the plan). */
async function leadTargetOf(db: Executor, targetBp: number) {
  const r = await repo.leadTargetSource(db, bureauToday());
  return { share: targetBp / 10_000, source: r?.source ?? 'bureau assumption (default)', verified: r?.verified ?? false, bureauSetting: true as const };
}

interface LandH {
  total: bigint;
  available: bigint;
  held: bigint;
  allocated: bigint;
  withdrawn: bigint;
}

function landFigures(l: LandH) {
  return {
    totalAreaM2: hundredthsToM2(l.total),
    availableAreaM2: hundredthsToM2(l.available),
    heldAreaM2: hundredthsToM2(l.held),
    allocatedAreaM2: hundredthsToM2(l.allocated),
    withdrawnAreaM2: hundredthsToM2(l.withdrawn),
    areasMu: { total: mu(l.total), available: mu(l.available), held: mu(l.held), allocated: mu(l.allocated), withdrawn: mu(l.withdrawn) },
  };
}

/** Per-park rows and totals for the parks of one district, or of the city (`districtCode` null). */
async function parkRows(db: Executor, districtCode: string | null, year: number) {
  const today = bureauToday();
  const parks = await listParks(db, districtCode === null ? {} : { districtCode });
  const ids = parks.map((p) => p.id);
  const [{ params, versionId }, granted, quota, perPark, overall] = await Promise.all([
    subsidyParameters(db),
    grantedByPark(db, ids),
    quotaChargedByPark(db, districtCode, year),
    allocationStats(db, districtCode, true, today),
    allocationStats(db, districtCode, false, today),
  ]);
  const statsByPark = new Map(perPark.map((r) => [r.parkId, r.stats]));
  const cap = params.subsidyParkCapFen;
  const sum: LandH = { total: 0n, available: 0n, held: 0n, allocated: 0n, withdrawn: 0n };
  const counts = { total: 0, available: 0, held: 0, allocated: 0, withdrawn: 0 };
  let quotaSum = 0n;
  let grantedSum = 0n;
  let remainingSum = 0n;

  const rows = parks.map((p) => {
    const f = p.figures;
    const land: LandH = { total: h(f.totalAreaM2), available: h(f.availableAreaM2), held: h(f.heldAreaM2), allocated: h(f.allocatedAreaM2), withdrawn: h(f.withdrawnAreaM2) };
    for (const k of Object.keys(sum) as (keyof LandH)[]) sum[k] += land[k];
    counts.total += f.plotCount;
    for (const k of ['available', 'held', 'allocated', 'withdrawn'] as const) counts[k] += f.byStatus[k];
    const s = statsByPark.get(p.id) ?? NO_STATS;
    const q = quota.get(p.id) ?? 0n;
    const g = granted.get(p.id) ?? 0n;
    const remaining = cap > g ? cap - g : 0n;
    quotaSum += q;
    grantedSum += g;
    remainingSum += remaining;
    return {
      id: p.id,
      code: p.code,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      districtCode: p.districtCode,
      tier: p.tier as ParkTier,
      sectors: p.sectors as Sector[],
      recognizedYear: p.recognizedYear,
      sample: p.sample,
      ...landFigures(land),
      plotCounts: { total: f.plotCount, ...f.byStatus },
      quotaChargedM2: hundredthsToM2(q),
      quotaChargedMu: mu(q),
      subsidy: { grantedYuan: fenToYuan(g), capYuan: fenToYuan(cap), remainingYuan: fenToYuan(remaining) },
      projectsSigned: s.signed,
      projectsLanded: s.landed,
      leadSectorShare: leadShare(s.allocatedH, s.leadH, params.leadSectorShareTargetBp),
      overdueMilestones: s.overdue,
    };
  });
  const all = overall[0]?.stats ?? NO_STATS;
  const totals = {
    parks: rows.length,
    ...landFigures(sum),
    plotCounts: counts,
    quotaChargedM2: hundredthsToM2(quotaSum),
    quotaChargedMu: mu(quotaSum),
    subsidy: { grantedYuan: fenToYuan(grantedSum), capYuan: fenToYuan(cap * BigInt(rows.length)), remainingYuan: fenToYuan(remainingSum) },
    // Distinct projects over the scope (a project with plots in two parks counts once).
    projectsSigned: all.signed,
    projectsLanded: all.landed,
    leadSectorShare: leadShare(all.allocatedH, all.leadH, params.leadSectorShareTargetBp),
    overdueMilestones: all.overdue,
  };
  const planTargets = { ...PLAN_TARGETS, keyProjectsSignedActual: all.keySigned, keyProjectsLandedActual: all.keyLanded };
  const leadTarget = await leadTargetOf(db, params.leadSectorShareTargetBp);
  return { rows, totals, planTargets, leadTarget, referenceVersions: { parameters: versionId } };
}

export type DashboardParkRow = Awaited<ReturnType<typeof parkRows>>['rows'][number];

const thisYear = () => Number(bureauToday().slice(0, 4));

/**
 * The dashboards' supervision figures (issue #15 §5): idle land judged today, the 亩均 grades and
 * conditions unmet of the last complete year (year − 1), inspections open now.
 */
async function dashboardSupervision(db: Kysely<Database>, districtCode: string | null, year: number, parks: readonly { id: number; code: string }[]) {
  const asOf = bureauToday();
  const evaluationYear = year - 1;
  const data = await supervisionData(db, { districtCode, asOf, evaluationYear, inspectionYear: year });
  return supervisionSummary(data, parks, asOf, evaluationYear);
}

/** GET /api/districts/:code/dashboard: 401 anonymous, 403 another district's officer, 404 no such district. */
export async function districtDashboard(db: Kysely<Database>, caller: Caller, input: { code: string; year?: number | undefined }) {
  const { code, year = thisYear() } = input;
  assertCanSeeDistrict(caller.user, code);
  const district = await findDistrict(db, code);
  if (!district) throw notFound(`District ${code}`);
  const { rows, totals, planTargets, leadTarget, referenceVersions } = await parkRows(db, code, year);
  const supervision = await dashboardSupervision(db, code, year, rows);
  return {
    district: { code: district.code, nameZh: district.name_zh, nameEn: district.name_en },
    year,
    asOf: new Date().toISOString(),
    leadSectorTarget: leadTarget.share,
    leadTarget,
    planTargets,
    parks: rows,
    totals,
    referenceVersions,
    supervision,
  };
}

/** GET /api/bureau/parks: every park with the same figures, and the city totals. */
export async function bureauParks(db: Kysely<Database>, input: { year?: number | undefined }) {
  const { year = thisYear() } = input;
  const { rows, totals, planTargets, leadTarget, referenceVersions } = await parkRows(db, null, year);
  const supervision = await dashboardSupervision(db, null, year, rows);
  return { year, asOf: new Date().toISOString(), leadSectorTarget: leadTarget.share, leadTarget, planTargets, parks: rows, totals, referenceVersions, supervision };
}

/**
 * GET /api/parks/:id/report: everything the printable one-page park report shows — the park's
 * dashboard row, its district, its subsidies and its overdue starts.
 */
export async function parkReport(db: Kysely<Database>, caller: Caller, input: { parkId: number; year?: number | undefined }) {
  const { parkId, year = thisYear() } = input;
  const [park] = await listParks(db, { id: parkId });
  if (!park) throw notFound(`Park ${parkId}`);
  assertCanSeeDistrict(caller.user, park.districtCode);
  const { rows } = await parkRows(db, park.districtCode, year);
  const row = rows.find((r) => r.id === parkId)!;
  const subsidies = await listSubsidies(db, parkId, caller.user);
  const today = bureauToday();
  const overdue = await repo.overdueStarts(db, parkId, today);
  const days = (from: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
  return {
    district: { code: park.districtCode, nameZh: park.districtNameZh, nameEn: park.districtNameEn },
    year,
    asOf: new Date().toISOString(),
    park: { ...row, areaM2: park.areaM2, boundarySource: park.boundarySource },
    subsidies: { items: subsidies.items, grantedYuan: subsidies.grantedYuan, disbursedYuan: subsidies.disbursedYuan, capYuan: subsidies.capYuan, remainingYuan: subsidies.remainingYuan },
    overdue: overdue.map((r) => ({
      allocationId: r.id,
      plotCode: r.plot_code,
      projectName: r.project_name,
      enterpriseName: r.enterprise_name,
      agreedStartOn: r.agreed_start_on,
      overdueDays: days(r.agreed_start_on),
      areaM2: Number(r.area_m2),
    })),
  };
}
