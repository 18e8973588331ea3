/**
 * Price-floor quotes (五(三)14) from figures or from a plot and the reference data in force.
 * The arithmetic is `shared/policy` — the same function the client previews with; this module
 * only gathers the inputs and says which reference versions it used.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { fenToYuan } from '../../shared/money.ts';
import { formatMoney } from '../../shared/units.ts';
import { priceFloor, type PriceFloor, type PolicyParameters } from '../../shared/policy/index.ts';
import type { ValidationFailure } from '../../shared/domain.ts';
import { loadReference, type ReferenceSet } from './reference.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A policy refusal from shared/ becomes a 400 with both languages and the field. */
export function policyFailure(f: ValidationFailure): AppError {
  return badRequest(`${f.messageEn} (${f.messageZh})`, { field: f.field, messageZh: f.messageZh, messageEn: f.messageEn });
}

/** The API shape of a floor (API.md): yuan numbers, computed in fen. */
export function floorResponse(f: PriceFloor, opts: { hideCost?: boolean } = {}) {
  return {
    floorYuan: fenToYuan(f.floorFen),
    floorYuanPerM2: fenToYuan(f.floorFenPerM2),
    binding: f.binding,
    components: {
      benchmarkYuan: fenToYuan(f.components.benchmarkFen),
      costYuan: opts.hideCost ? null : fenToYuan(f.components.costFen),
      nationalMinimumYuan: fenToYuan(f.components.nationalMinimumFen),
    },
    termFactor: f.termFactor,
    termYears: f.termYears,
    areaM2: f.areaM2,
    factor: f.factor,
    nationalMinimumFactor: f.nationalMinimumFactor,
    // The messages spell the cost out; replace its exact formatted text, not a pattern.
    messageZh: opts.hideCost ? f.messageZh.replaceAll(`土地成本 ${formatMoney(f.components.costFen, 'zh-CN')}`, '土地成本（不公开）') : f.messageZh,
    // The English amount has thousands commas (¥9,286,122.80): match the whole figure, not up to the first comma.
    messageEn: opts.hideCost ? f.messageEn.replaceAll(`land cost ${formatMoney(f.components.costFen, 'en')}`, 'land cost (not public)') : f.messageEn,
  };
}

export interface PlotFloorBasis {
  plotId: number;
  plotCode: string;
  districtCode: string;
  areaM2: number;
  landLevel: number;
  landGrade: number;
  benchmarkYuanPerM2: number;
  benchmarkSample: boolean;
  nationalMinYuanPerM2: number;
  nationalMinimumVerified: boolean;
  gradeVerified: boolean;
  gradeAssumption: boolean;
  costYuan: number;
  plotSample: boolean;
}

/** Gathers a plot's A, B, C, N from the plot and the reference set. */
export async function plotFloorBasis(db: Executor, plotId: number, ref: ReferenceSet): Promise<PlotFloorBasis> {
  const plot = await db
    .selectFrom('plots as pl')
    .innerJoin('parks as p', 'p.id', 'pl.park_id')
    .select(['pl.id', 'pl.code', 'pl.area_m2', 'pl.land_level', 'pl.land_grade', 'pl.cost_yuan', 'pl.sample', 'p.district_code'])
    .where('pl.id', '=', plotId)
    .executeTakeFirst();
  if (!plot) throw notFound(`Plot ${plotId}`);
  const district = ref.districtGrades.find((d) => d.districtCode === plot.district_code);
  const grade = plot.land_grade ?? district?.grade;
  if (grade === undefined) throw new AppError(422, 'VALIDATION_FAILED', `No land grade (等别) is recorded for district ${plot.district_code}; add it to the district grades.`);
  const nm = ref.nationalMinimum.find((g) => g.grade === grade);
  if (!nm) throw new AppError(422, 'VALIDATION_FAILED', `No national minimum price for grade ${grade} in reference version ${ref.versions.national_minimum.id}.`);
  const b = ref.benchmark.find((r) => r.districtCode === plot.district_code && r.landLevel === plot.land_level);
  if (!b) {
    throw new AppError(422, 'VALIDATION_FAILED', `No benchmark price for district ${plot.district_code} land level ${plot.land_level} in reference version ${ref.versions.benchmark_prices.id}; import the benchmark table.`);
  }
  return {
    plotId: plot.id,
    plotCode: plot.code,
    districtCode: plot.district_code,
    areaM2: Number(plot.area_m2),
    landLevel: plot.land_level,
    landGrade: grade,
    benchmarkYuanPerM2: b.yuanPerM2,
    benchmarkSample: b.sample,
    nationalMinYuanPerM2: nm.yuanPerM2,
    nationalMinimumVerified: nm.verified,
    gradeVerified: plot.land_grade !== null || (district?.verified ?? false),
    gradeAssumption: plot.land_grade === null && (district?.assumption ?? true),
    costYuan: Number(plot.cost_yuan ?? 0),
    plotSample: plot.sample,
  };
}

export function computeFloor(
  figures: { areaM2: number; benchmarkYuanPerM2: number; costYuan: number; nationalMinYuanPerM2: number },
  iab: boolean,
  termYears: number | undefined,
  params: PolicyParameters,
): PriceFloor {
  const f = priceFloor({ ...figures, iab, termYears, params });
  if (!f.ok) throw policyFailure(f);
  return f;
}

/** A plot's floor with everything needed to explain it. */
export async function quotePlotFloor(db: Executor, plotId: number, iab: boolean, termYears: number | undefined, asOf?: string) {
  const ref = await loadReference(db, asOf);
  const basis = await plotFloorBasis(db, plotId, ref);
  const floor = computeFloor(basis, iab, termYears, ref.params);
  return { floor, basis, ref };
}
