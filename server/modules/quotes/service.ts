/**
 * Price-floor quotes (五(三)14) from figures or from a plot and the reference data in force.
 * The arithmetic is `shared/policy` — the same function the client previews with; this module
 * only gathers the inputs and says which reference versions it used. Also the "up to"
 * incentives of 五(一)2,4 五(二)7,9,10 五(四)15. Pure calculations: nothing is written.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { fenToYuan, tryYuanToFen } from '../../../shared/money.ts';
import {
  discloseFloor, estimateIncentives, priceFloor, type FloorAudience, type IncentiveInputs, type PriceFloor, type PolicyParameters, type RdLevel,
} from '../../../shared/policy/index.ts';
import type { ValidationFailure } from '../../../shared/domain.ts';
import { loadReference, type ReferenceSet } from '../reference/service.ts';
import { disclosureFor } from '../auth/scope.ts';
import { findPlotFloorFacts } from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** A policy refusal from shared/ becomes a 400 with both languages and the field. */
export function policyFailure(f: ValidationFailure): AppError {
  return badRequest(`${f.messageEn} (${f.messageZh})`, { field: f.field, messageZh: f.messageZh, messageEn: f.messageEn });
}

/**
 * The API shape of a floor for an audience: yuan numbers, computed in fen. What the
 * audience may see is decided by `discloseFloor` (shared/policy/floor-disclosure.ts) — the
 * public gets the indicative minimum from the public terms with its caveat; nothing here cuts
 * words out of a finished message.
 */
export function floorResponse(f: PriceFloor, audience: FloorAudience = 'internal') {
  const d = discloseFloor(f, audience);
  const yuanOrNull = (fen: bigint | null) => (fen === null ? null : fenToYuan(fen));
  return {
    floorYuan: fenToYuan(d.floorFen),
    floorYuanPerM2: fenToYuan(d.floorFenPerM2),
    binding: d.binding,
    /** true: the indicative minimum (public terms only); the final 出让底价 may be higher. */
    indicative: d.indicative,
    components: {
      benchmarkYuan: fenToYuan(d.components.benchmarkFen),
      costYuan: yuanOrNull(d.components.costFen),
      nationalMinimumYuan: fenToYuan(d.components.nationalMinimumFen),
      provincialMinimumYuan: yuanOrNull(d.components.provincialMinimumFen),
    },
    // Only in a bureau answer: whether C is recorded (the public is told nothing about C).
    ...(d.costRecorded === null ? {} : { costRecorded: d.costRecorded }),
    ...(d.caveat ? { caveatZh: d.caveat.zh, caveatEn: d.caveat.en } : {}),
    termFactor: d.termFactor,
    termYears: d.termYears,
    areaM2: d.areaM2,
    factor: d.factor,
    nationalMinimumFactor: d.nationalMinimumFactor,
    messageZh: d.messageZh,
    messageEn: d.messageEn,
  };
}

/**
 * 五(三)14 "不低于…成本": a proposal or approval may not rest on a floor without the cost. 422
 * COST_NOT_RECORDED, saying who records it where.
 */
export function costNotRecorded(basis: { plotId: number; plotCode: string }): AppError {
  const messageZh = `地块 ${basis.plotCode} 未登记土地成本，出让底价不完整，不能提出或批准供地。请土地管理人员在地块编辑器（/bureau/editor）中填写“土地成本”（确为 0 时须填 0 并注明原因）。`;
  const messageEn = `Plot ${basis.plotCode} has no land cost recorded, so its price floor is incomplete and no allocation can be proposed or approved on it. A land officer records it in the plot editor (/bureau/editor), field 土地成本 (Land cost); a cost of 0 is entered as 0 with a note.`;
  return new AppError(422, 'COST_NOT_RECORDED', `${messageEn} (${messageZh})`, { plotId: basis.plotId, plotCode: basis.plotCode, field: 'costYuan', messageZh, messageEn });
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
  /** C, yuan; null when not recorded (never read as 0). Internal. */
  costYuan: number | null;
  /** P (省规定的最低价) for the grade, yuan/m²; null when no provincial figure applies. */
  provincialMinYuanPerM2: number | null;
  provincialMinimumVerified: boolean | null;
  plotSample: boolean;
}

/** Gathers a plot's A, B, C, N from the plot and the reference set. */
export async function plotFloorBasis(db: Executor, plotId: number, ref: ReferenceSet): Promise<PlotFloorBasis> {
  const plot = await findPlotFloorFacts(db, plotId);
  if (!plot) throw notFound(`Plot ${plotId}`);
  return floorBasisOf(plot, ref);
}

/** The floor basis from a plot's facts already read (the approval reads them with the plot's lock). */
export function floorBasisOf(
  plot: { id: number; code: string; district_code: string; area_m2: string; land_level: number; land_grade: number | null; cost_yuan: string | null; sample: boolean },
  ref: ReferenceSet,
): PlotFloorBasis {
  const district = ref.districtGrades.find((d) => d.districtCode === plot.district_code);
  const grade = plot.land_grade ?? district?.grade;
  if (grade === undefined) throw new AppError(422, 'VALIDATION_FAILED', `No land grade (等别) is recorded for district ${plot.district_code}; add it to the district grades.`);
  const nm = ref.nationalMinimum.find((g) => g.grade === grade);
  if (!nm) throw new AppError(422, 'VALIDATION_FAILED', `No national minimum price for grade ${grade} in reference version ${ref.versions.national_minimum.id}.`);
  const b = ref.benchmark.find((r) => r.districtCode === plot.district_code && r.landLevel === plot.land_level);
  if (!b) {
    throw new AppError(422, 'VALIDATION_FAILED', `No benchmark price for district ${plot.district_code} land level ${plot.land_level} in reference version ${ref.versions.benchmark_prices.id}; import the benchmark table.`);
  }
  const pm = ref.provincialMinimum.find((g) => g.grade === grade);
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
    costYuan: plot.cost_yuan === null ? null : Number(plot.cost_yuan),
    provincialMinYuanPerM2: pm ? pm.yuanPerM2 : null,
    provincialMinimumVerified: pm ? pm.verified : null,
    plotSample: plot.sample,
  };
}

export function computeFloor(
  figures: { areaM2: number; benchmarkYuanPerM2: number; costYuan: number | null; nationalMinYuanPerM2: number; provincialMinYuanPerM2?: number | null },
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

// --- POST /api/quotes/price-floor ---------------------------------------------------------------

/** The four figures the figures form needs (a null cost is given as null, not left out). */
const FIGURES = ['areaM2', 'benchmarkYuanPerM2', 'costYuan', 'nationalMinYuanPerM2'] as const;
const OPTIONAL_FIGURES = ['provincialMinYuanPerM2'] as const;

export interface FloorQuoteInput {
  plotId?: number | undefined;
  areaM2?: number | undefined;
  benchmarkYuanPerM2?: number | undefined;
  costYuan?: number | null | undefined;
  nationalMinYuanPerM2?: number | undefined;
  provincialMinYuanPerM2?: number | null | undefined;
  iab: boolean;
  termYears?: number | undefined;
}

/**
 * A floor from a plot (what the caller may see of it: one rule, disclosureFor → discloseFloor)
 * or from the caller's own figures (the full breakdown: they sent the cost, so it tells them
 * nothing new; a plot's cost is only ever disclosed through the plotId form).
 */
export async function quotePriceFloor(db: Kysely<Database>, caller: Caller, body: FloorQuoteInput) {
  if (body.plotId !== undefined) {
    const extra = [...FIGURES, ...OPTIONAL_FIGURES].filter((f) => body[f] !== undefined);
    if (extra.length) throw badRequest(`Give either plotId or the figures, not both (remove ${extra.join(', ')}).`);
    const { floor, basis, ref } = await quotePlotFloor(db, body.plotId, body.iab, body.termYears);
    const { costYuan: _c, areaM2: _a, ...publicBasis } = basis;
    return {
      ...floorResponse(floor, disclosureFor(caller.user, basis.districtCode)),
      basis: publicBasis,
      referenceVersions: Object.fromEntries(Object.entries(ref.versions).map(([k, v]) => [k, v.id])),
      asOf: ref.asOf,
    };
  }
  const missing = FIGURES.filter((f) => body[f] === undefined);
  if (missing.length) throw badRequest(`Missing ${missing.join(', ')}: give all of ${FIGURES.join(', ')}, or a plotId.`);
  const ref = await loadReference(db);
  const figures = {
    areaM2: body.areaM2!, benchmarkYuanPerM2: body.benchmarkYuanPerM2!, costYuan: body.costYuan ?? null, nationalMinYuanPerM2: body.nationalMinYuanPerM2!,
    provincialMinYuanPerM2: body.provincialMinYuanPerM2 ?? null,
  };
  const floor = computeFloor(figures, body.iab, body.termYears, ref.params);
  return {
    ...floorResponse(floor, 'internal'),
    referenceVersions: { parameters: ref.versions.parameters.id },
    asOf: ref.asOf,
  };
}

// --- POST /api/quotes/incentives ----------------------------------------------------------------

export interface IncentivesQuoteInput {
  sme: boolean;
  equipmentInvestmentYuan?: number | undefined;
  loanInterestPerYearYuan?: number | undefined;
  loanInterestYears?: number | undefined;
  informatizationInvestmentYuan?: number | undefined;
  rdInstitutionLevel?: RdLevel | null | undefined;
  nationalMajorProjectFundsYuan?: number | undefined;
  technicalContractYuan?: number | undefined;
  localConversion?: boolean | undefined;
  genericDrugsPassed?: number | undefined;
}

/** The incentives a project may get, as "up to" amounts in yuan. */
export function quoteIncentives(b: IncentivesQuoteInput) {
  const fen = (field: string, v: number | undefined) => {
    if (v === undefined) return undefined;
    const r = tryYuanToFen(v);
    if (!r.ok) throw badRequest(`${field} must be an amount in yuan with at most 2 decimals.`);
    return r.fen;
  };
  const inputs: IncentiveInputs = {
    sme: b.sme,
    equipmentInvestmentFen: fen('equipmentInvestmentYuan', b.equipmentInvestmentYuan),
    loanInterestPerYearFen: fen('loanInterestPerYearYuan', b.loanInterestPerYearYuan),
    loanInterestYears: b.loanInterestYears,
    informatizationInvestmentFen: fen('informatizationInvestmentYuan', b.informatizationInvestmentYuan),
    rdInstitutionLevel: b.rdInstitutionLevel ?? null,
    nationalMajorProjectFundsFen: fen('nationalMajorProjectFundsYuan', b.nationalMajorProjectFundsYuan),
    technicalContractFen: fen('technicalContractYuan', b.technicalContractYuan),
    localConversion: b.localConversion,
    genericDrugsPassed: b.genericDrugsPassed,
  };
  const r = estimateIncentives(inputs);
  if (!r.ok) throw policyFailure(r);
  return {
    items: r.items.map(({ upToFen, ...i }) => ({ ...i, upToYuan: fenToYuan(upToFen) })),
    note: 'Up-to amounts under the plan; actual support is decided on merit (择优). 上限金额，实际以择优评审为准。',
  };
}
