/**
 * The yearly monitoring report (issue #15 §5; plan 六 "定期监测报告"), per district or for the
 * city: GET /api/supervision/report?year=&districtCode=. Per park: land left and supplied,
 * projects signed and landed, idle land (judged on 31 Dec of the year, or today for this year),
 * the year's 亩均 grades and 标准地 conditions unmet, and field inspections; with totals.
 *
 * Land and signed/landed are the records as they stand now (the plots and allocations keep no
 * history of their counts); idle stages are judged on the report's day; grades are the year's.
 * Scope: supervision.read; a district officer sees their own district only (403 elsewhere and
 * for the city report); omitting `districtCode` gives them their own district.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { notFound } from '../../kernel/errors.ts';
import { bureauToday } from '../../kernel/dates.ts';
import { hundredthsToM2, m2ToHundredths } from '../../../shared/units.ts';
import type { MonitoringReport, ReportPark } from '../../../shared/contract/monitoring.ts';
import { assertCanSeeDistrict, isCityWide } from '../auth/scope.ts';
import { forbidden } from '../auth/access.ts';
import { findDistrict } from '../districts/service.ts';
import { listParks } from '../parks/service.ts';
import * as repo from './repository.ts';
import { PLAN_TARGETS } from './service.ts';
import { gradeCounts, idleSummary, inspectionsOf, muOf, supervisionData, unmetCount, type SupervisionData } from './supervision.ts';

/** The day idle stages are judged on: 31 Dec of the year, or today while the year runs. */
export function reportAsOf(year: number, today: string): string {
  const end = `${year}-12-31`;
  return end < today ? end : today;
}

function figures(d: SupervisionData, parkIds: readonly number[] | null, land: { total: bigint; available: bigint; allocated: bigint }, signed: number, landed: number) {
  const keep = <T extends { parkId: number }>(xs: T[]) => (parkIds === null ? xs : xs.filter((x) => parkIds.includes(x.parkId)));
  const idle = keep(d.idle);
  const evaluation = keep(d.evaluation);
  return {
    land: {
      totalAreaM2: hundredthsToM2(land.total),
      availableAreaM2: hundredthsToM2(land.available),
      allocatedAreaM2: hundredthsToM2(land.allocated),
      availableMu: muOf(land.available),
      allocatedMu: muOf(land.allocated),
    },
    projectsSigned: signed,
    projectsLanded: landed,
    idle: idleSummary(idle),
    grades: gradeCounts(evaluation),
    evaluated: evaluation.length,
    conditionsUnmet: unmetCount(evaluation),
    inspections: parkIds === null ? inspectionsOf(d, null) : parkIds.map((id) => inspectionsOf(d, id)).reduce(
      (s, c) => ({ open: s.open + c.open, openedInYear: s.openedInYear + c.openedInYear, closedInYear: s.closedInYear + c.closedInYear }),
      { open: 0, openedInYear: 0, closedInYear: 0 },
    ),
  };
}

export async function monitoringReport(db: Kysely<Database>, caller: Caller, input: { year?: number | undefined; districtCode?: string | undefined }): Promise<MonitoringReport> {
  const today = bureauToday();
  const year = input.year ?? Number(today.slice(0, 4));
  const user = caller.user;
  let districtCode: string | null = input.districtCode ?? null;
  if (districtCode === null && !isCityWide(user)) {
    if (user?.role === 'district_officer' && user.districtCode) districtCode = user.districtCode;
    else throw forbidden('The city report is for the bureau; ask for your district.', 'OUT_OF_SCOPE');
  }
  if (districtCode !== null) assertCanSeeDistrict(user, districtCode);
  let scope = { districtCode: null as string | null, nameZh: '广州市', nameEn: 'Guangzhou' };
  if (districtCode !== null) {
    const district = await findDistrict(db, districtCode);
    if (!district) throw notFound(`District ${districtCode}`);
    scope = { districtCode, nameZh: district.name_zh, nameEn: district.name_en };
  }

  const asOf = reportAsOf(year, today);
  const parks = await listParks(db, districtCode === null ? {} : { districtCode });
  const [data, perPark, overall] = await Promise.all([
    supervisionData(db, { districtCode, asOf, evaluationYear: year, inspectionYear: year }),
    repo.allocationCounts(db, districtCode, true, today),
    repo.allocationCounts(db, districtCode, false, today),
  ]);
  const counts = new Map(perPark.map((r) => [r.park_id, r]));
  const sum = { total: 0n, available: 0n, allocated: 0n };

  const rows: ReportPark[] = parks.map((p) => {
    const land = { total: m2ToHundredths(p.figures.totalAreaM2), available: m2ToHundredths(p.figures.availableAreaM2), allocated: m2ToHundredths(p.figures.allocatedAreaM2) };
    sum.total += land.total;
    sum.available += land.available;
    sum.allocated += land.allocated;
    const c = counts.get(p.id);
    const idle = data.idle.filter((i) => i.parkId === p.id);
    const unmet = data.evaluation.filter((i) => i.parkId === p.id && i.meetsConditions.met === false);
    const sample = p.sample || idle.some((i) => i.sample) || data.evaluation.some((i) => i.parkId === p.id && i.sample);
    return {
      id: p.id,
      code: p.code,
      nameZh: p.nameZh,
      nameEn: p.nameEn,
      districtCode: p.districtCode,
      sample,
      ...figures(data, [p.id], land, c?.signed ?? 0, c?.landed ?? 0),
      idleItems: idle
        .slice()
        .sort((a, b) => b.daysLate - a.daysLate || a.allocationId - b.allocationId)
        .map((i) => ({
          allocationId: i.allocationId,
          plotCode: i.plotCode,
          projectName: i.projectName,
          enterpriseName: i.enterpriseName,
          stage: i.stage,
          daysLate: i.daysLate,
          areaM2: i.areaM2,
          feeYuan: i.feeYuan,
          decided: i.decisions.length > 0,
        })),
      unmetItems: unmet.map((i) => ({ allocationId: i.allocationId, plotCode: i.plotCode, projectName: i.projectName, grade: i.grade, fields: i.meetsConditions.unmet })),
    };
  });
  const all = overall[0];
  const parkIds = parks.map((p) => p.id);
  return {
    year,
    asOf,
    generatedAt: new Date().toISOString(),
    scope,
    thresholds: data.thresholds,
    planTargets: { ...PLAN_TARGETS, keyProjectsSignedActual: all?.key_signed ?? 0, keyProjectsLandedActual: all?.key_landed ?? 0 },
    parks: rows,
    totals: { parks: rows.length, ...figures(data, parkIds, sum, all?.signed ?? 0, all?.landed ?? 0) },
    sample: rows.some((r) => r.sample),
  };
}
