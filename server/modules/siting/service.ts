/**
 * Siting (issue #16 §2): rank the available plots for a project's requirements, explain a plot,
 * and list the plots that fit (for the bureau's demand overview). Nothing is written.
 *
 * The hard requirements SQL can judge run in SQL on plot and park columns
 * (./repository.ts); the hub distances (straight-line, EPSG:4547 plane) and the scores are
 * computed here with the pure rules of shared/policy/siting.ts on the rows that pass.
 *
 * Confidentiality (POLICY.md "Who may see what"): every figure, score, order and word is built
 * from the PUBLIC indicative minimum; the land cost is never read for that. Only a caller whose
 * disclosure is internal for a returned plot's district (the bureau; a district officer in their
 * own district — the quotes' rule, `disclosureFor`) gets `internalFloor` on that item, computed
 * afterwards by the quotes service; it changes nothing else in the answer.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { AppError, notFound } from '../../kernel/errors.ts';
import type { ValidationFailure } from '../../../shared/domain.ts';
import { fenToYuan } from '../../../shared/money.ts';
import { m2ToMu } from '../../../shared/units.ts';
import { checkRequirements } from '../../../shared/siting-query.ts';
import { SITING_REQUIREMENTS, type SitingExplainResponse, type SitingItem, type SitingRankResponse, type SitingRequirements, type WeightsUsed } from '../../../shared/contract/siting.ts';
import { weightsFor } from '../../../shared/policy/siting-weights.ts';
import { discloseFloor, NO_CONDITIONS, type PlotConditions } from '../../../shared/policy/index.ts';
import {
  clusterCounts, DISTANCE_NOTE, hardRequirementFailures, nearestHubs, planeXY, rankCandidates,
  type ScoredPlot, type SitingHub, type SitingPlot,
} from '../../../shared/policy/siting.ts';
import { loadReference, type ReferenceSet } from '../reference/service.ts';
import { computeFloor, plotFloorBasis, policyFailure } from '../quotes/service.ts';
import { disclosureFor } from '../auth/scope.ts';
import { hubsVersion, sitingHubs } from '../hubs/service.ts';
import { activeAllocationPoints, dataStamp, plotRow, requirementRows, type SitingRow } from './repository.ts';

/** A bad requirement as a 400 naming the field, in both languages. */
function refuse(f: ValidationFailure): AppError {
  return policyFailure(f);
}

function validated(req: SitingRequirements): void {
  const problem = checkRequirements(req);
  if (problem) throw refuse(problem);
}

function toPlot(r: SitingRow): SitingPlot {
  const centre: [number, number] = [Number(r.cx), Number(r.cy)];
  return {
    plotId: r.id,
    plotCode: r.code,
    parkId: r.park_id,
    parkSectors: r.sectors,
    parkTier: r.park_tier,
    districtCode: r.district_code,
    areaM2: r.area_m2,
    landUse: r.land_use,
    serviced: r.serviced,
    status: r.status,
    conditions: { ...NO_CONDITIONS, ...(r.conditions as Partial<PlotConditions>) },
    floorFenPerM2: r.floor_fen === null ? null : Number(r.floor_fen),
    centre,
    xy: planeXY(centre),
  };
}

interface Ranking {
  ref: ReferenceSet;
  hubs: SitingHub[];
  rows: Map<number, SitingRow>;
  candidates: SitingPlot[];
  considered: number;
  excluded: Record<string, number>;
}

/** Every live plot judged on every hard requirement; the candidates and the exclusions. */
async function judge(db: Kysely<Database>, req: SitingRequirements): Promise<Ranking> {
  const ref = await loadReference(db);
  const hubs = await sitingHubs(db);
  const { rows, excluded: sqlExcluded } = await requirementRows(db, ref, req);
  const excluded: Record<string, number> = Object.fromEntries(SITING_REQUIREMENTS.map((r) => [r, 0]));
  for (const [k, n] of Object.entries(sqlExcluded)) excluded[k] = (excluded[k] ?? 0) + Number(n);
  const candidates: SitingPlot[] = [];
  const byId = new Map<number, SitingRow>();
  for (const r of rows) {
    const plot = toPlot(r);
    if (req.near?.length) {
      const nearest = nearestHubs(plot.xy, hubs);
      if (req.near.some((n) => { const h = nearest[n.kind]; return !h || h.km > n.maxKm; })) {
        excluded.near!++;
        continue;
      }
    }
    if (!r.cond_ok) {
      excluded.conditions!++;
      continue;
    }
    candidates.push(plot);
    byId.set(plot.plotId, r);
  }
  const considered = candidates.length + Object.values(excluded).reduce((s, n) => s + n, 0);
  return { ref, hubs, rows: byId, candidates, considered, excluded };
}

async function scoreAll(db: Kysely<Database>, req: SitingRequirements, j: Ranking): Promise<{ ranked: ScoredPlot[]; weightsUsed: WeightsUsed }> {
  const w = weightsFor(req.sector, req.weights);
  const points = (await activeAllocationPoints(db, req.sector)).map((p) => ({ parkId: p.park_id, xy: planeXY([Number(p.cx), Number(p.cy)]) }));
  const counts = clusterCounts(j.candidates, points);
  const ranked = rankCandidates(j.candidates, req, { hubs: j.hubs, clusterCounts: counts, weights: w.weights });
  return { ranked, weightsUsed: { weights: w.weights, source: w.source, sector: req.sector } };
}

function toItem(s: ScoredPlot, r: SitingRow): SitingItem {
  return {
    plotId: r.id,
    plotCode: r.code,
    parkId: r.park_id,
    parkCode: r.park_code,
    parkNameZh: r.park_name_zh,
    parkNameEn: r.park_name_en,
    parkTier: r.park_tier,
    districtCode: r.district_code,
    areaM2: Number(r.area_m2),
    areaMu: Math.round(m2ToMu(r.area_m2) * 100) / 100,
    landUse: r.land_use,
    serviced: r.serviced,
    sample: r.sample,
    centroid: s.plot.centre,
    score: s.score,
    rank: s.rank,
    floorYuanPerM2: s.plot.floorFenPerM2 === null ? null : s.plot.floorFenPerM2 / 100,
    floorBinding: r.binding,
    nearestHubs: s.nearestHubs,
    reasons: s.reasons,
    summaryZh: s.summaryZh,
    summaryEn: s.summaryEn,
  };
}

/**
 * The full floor (incl. the cost term), IAB, 50 years, for a caller whose disclosure is internal
 * in the plot's district; undefined otherwise. Computed after the ranking: it changes nothing else.
 */
async function internalFloorFor(db: Kysely<Database>, caller: Caller, item: SitingItem, ref: ReferenceSet): Promise<SitingItem['internalFloor']> {
  if (disclosureFor(caller.user, item.districtCode) !== 'internal') return undefined;
  try {
    const basis = await plotFloorBasis(db, item.plotId, ref);
    const d = discloseFloor(computeFloor(basis, true, 50, ref.params), 'internal');
    return { floorYuanPerM2: fenToYuan(d.floorFenPerM2), binding: d.binding, costRecorded: d.costRecorded ?? false };
  } catch (err) {
    // No benchmark, grade or national minimum for the plot: no floor can be computed (nor is one final).
    if (err instanceof AppError && err.statusCode < 500) return { floorYuanPerM2: null, binding: 'unknown', costRecorded: false };
    throw err;
  }
}

async function withDisclosure(db: Kysely<Database>, caller: Caller, items: SitingItem[], ref: ReferenceSet): Promise<SitingItem[]> {
  if (!caller.user) return items;
  const out: SitingItem[] = [];
  for (const item of items) {
    const internalFloor = await internalFloorFor(db, caller, item, ref);
    out.push(internalFloor ? { ...item, internalFloor } : item);
  }
  return out;
}

/** Identifies the plots, parks, allocations, hubs and reference versions ranked. */
async function dataVersionOf(db: Kysely<Database>, ref: ReferenceSet): Promise<string> {
  const versions = Object.entries(ref.versions).map(([k, v]) => `${k}:${v?.id}`).sort().join(',');
  const stamp = `${versions}|${await dataStamp(db)}|${await hubsVersion(db)}`;
  return `${ref.asOf}-${createHash('sha256').update(stamp).digest('hex').slice(0, 10)}`;
}

const referenceSampleOf = (ref: ReferenceSet) => ref.benchmark.some((b) => b.sample) || ref.districtGrades.some((g) => g.assumption);

/** `POST /api/siting/rank`. */
export async function rankPlots(db: Kysely<Database>, caller: Caller, req: SitingRequirements): Promise<SitingRankResponse> {
  validated(req);
  const j = await judge(db, req);
  const { ranked, weightsUsed } = await scoreAll(db, req, j);
  const limit = req.limit ?? 20;
  const items = ranked.slice(0, limit).map((s) => toItem(s, j.rows.get(s.plot.plotId)!));
  return {
    items: await withDisclosure(db, caller, items, j.ref),
    candidates: ranked.length,
    excluded: { considered: j.considered, byRequirement: j.excluded },
    weightsUsed,
    asOf: j.ref.asOf,
    dataVersion: await dataVersionOf(db, j.ref),
    referenceSample: referenceSampleOf(j.ref),
    distanceNoteZh: DISTANCE_NOTE.zh,
    distanceNoteEn: DISTANCE_NOTE.en,
  };
}

/** `GET /api/siting/explain`: every requirement the plot fails, or its item and rank. 404 for an unknown plot. */
export async function explainPlot(db: Kysely<Database>, caller: Caller, plotId: number, req: SitingRequirements): Promise<SitingExplainResponse> {
  validated(req);
  const j = await judge(db, req);
  const row = await plotRow(db, j.ref, plotId, req);
  if (!row) throw notFound(`Plot ${plotId}`);
  const failures = hardRequirementFailures(toPlot(row), req, j.hubs);
  const { ranked, weightsUsed } = await scoreAll(db, req, j);
  const scored = failures.length ? undefined : ranked.find((s) => s.plot.plotId === plotId);
  const item = scored ? (await withDisclosure(db, caller, [toItem(scored, j.rows.get(plotId)!)], j.ref))[0]! : null;
  return {
    plotId: row.id,
    plotCode: row.code,
    eligible: item !== null,
    failures,
    item,
    candidates: ranked.length,
    weightsUsed,
    asOf: j.ref.asOf,
  };
}

/** The available plots meeting every hard requirement (for the demand overview); no scores. */
export async function candidatePlots(db: Kysely<Database>, req: SitingRequirements): Promise<{ plotId: number; code: string; areaM2: number; districtCode: string }[]> {
  validated(req);
  const j = await judge(db, req);
  return j.candidates
    .map((p) => ({ plotId: p.plotId, code: p.plotCode, areaM2: Number(p.areaM2), districtCode: p.districtCode }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}
