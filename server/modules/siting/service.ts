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
import { fenToYuan, parseDecimal } from '../../../shared/money.ts';
import { compareM2HundredthsToMu, m2ToHundredths, m2ToMu } from '../../../shared/units.ts';
import { landUsesOffering } from '../../../shared/supply-modes.ts';
import type { SitingRequirement } from '../../../shared/contract/siting.ts';
import { checkRequirements } from '../../../shared/siting-query.ts';
import { SITING_REQUIREMENTS, type SitingExplainResponse, type SitingItem, type SitingRankResponse, type SitingRequirements, type WeightsUsed } from '../../../shared/contract/siting.ts';
import { weightsFor } from '../../../shared/policy/siting-weights.ts';
import { conditionsMet, discloseFloor, NO_CONDITIONS, type PlotConditions } from '../../../shared/policy/index.ts';
import {
  CLUSTER_SATURATION, clusterIndex, describeEntry, DISTANCE_NOTE, hardRequirementFailures, nearestHubs, planeXY, rankScores,
  type ClusterPoint, type PriceRange, type RankContext, type RankedEntry, type SitingHub, type SitingPlot,
} from '../../../shared/policy/siting.ts';
import type { XY } from '../../../shared/geometry/crs.ts';
import { loadReference, type ReferenceSet } from '../reference/service.ts';
import { computeFloor, plotFloorBasis, policyFailure } from '../quotes/service.ts';
import { disclosureFor } from '../auth/scope.ts';
import { hubsVersion, sitingHubs } from '../hubs/service.ts';
import { activeAllocationPoints, dataStamp, liveCounts, parkFacts, plotRow, plotsMaxVersion, type ParkFacts, type SitingRow } from './repository.ts';
import { availablePlots, type SnapshotPlot } from './snapshot.ts';

/** A bad requirement as a 400 naming the field, in both languages. */
function refuse(f: ValidationFailure): AppError {
  return policyFailure(f);
}

function validated(req: SitingRequirements): void {
  const problem = checkRequirements(req);
  if (problem) throw refuse(problem);
}

/**
 * Plot centres in EPSG:4547, remembered per plot while its centre is unchanged: the projection is
 * the one costly step per row (≈ 2 µs), and a plot's centre rarely moves. Bounded.
 */
const planeCache = new Map<number, { cx: string; cy: string; xy: XY }>();
function centreXY(id: number, cx: string, cy: string): XY {
  const hit = planeCache.get(id);
  if (hit && hit.cx === cx && hit.cy === cy) return hit.xy;
  if (planeCache.size > 500_000) planeCache.clear();
  const xy = planeXY([Number(cx), Number(cy)]);
  planeCache.set(id, { cx, cy, xy });
  return xy;
}

function toPlot(r: SitingRow, park: ParkFacts, extra?: { status: string; conditions: Record<string, unknown> }): SitingPlot {
  return {
    plotId: r.id,
    plotCode: r.code,
    parkId: r.park_id,
    parkSectors: park.sectors,
    parkTier: park.tier,
    districtCode: park.district_code,
    areaM2: r.area_m2,
    landUse: r.land_use,
    serviced: r.serviced,
    status: extra?.status ?? 'available',
    // Candidate rows carry only whether a condition is set (the SQL judged the conditions).
    conditions: extra ? { ...NO_CONDITIONS, ...(extra.conditions as Partial<PlotConditions>) } : NO_CONDITIONS,
    conditionsSet: r.has_cond,
    floorFenPerM2: r.floor_fen === null ? null : Number(r.floor_fen),
    centre: [Number(r.cx), Number(r.cy)],
    xy: centreXY(r.id, r.cx, r.cy),
  };
}

interface Judged {
  ref: ReferenceSet;
  /** Plots, parks and allocations as of this answer (dataStamp). */
  stamp: string;
  hubs: SitingHub[];
  parks: Map<number, ParkFacts>;
  rows: Map<number, SitingRow>;
  candidates: SitingPlot[];
  considered: number;
  excluded: Record<string, number>;
}

/**
 * The first hard requirement an available plot fails, judged in memory on the snapshot — the same
 * rules as the SQL (tests/api/siting.test.ts holds the SQL, the pure rules and this equal):
 * 亩 exactly (a float test, with the exact one near the bounds), the public floor in whole fen
 * against the budget, straight-line hub distances, and the project's figures against the plot's
 * 标准地 conditions (shared/policy/standard-land.ts conditionsMet).
 */
function makeJudge(req: SitingRequirements, hubs: readonly SitingHub[]) {
  const offering = req.supplyMode ? landUsesOffering([req.supplyMode]) : null;
  const budget = req.maxPriceYuanPerM2 === undefined ? null : parseDecimal(req.maxPriceYuanPerM2);
  // floor ≤ budget ⇔ floor ≤ ⌊budget × 100⌋ (whole fen).
  const budgetFen = budget ? Number((budget.num * 100n) / budget.den) : null;
  const eps = 1e-9 * Math.max(1, req.areaMuMax);
  return (p: SnapshotPlot, park: ParkFacts): SitingRequirement | null => {
    const mu = p.areaMu;
    if (mu < req.areaMuMin - eps || mu > req.areaMuMax + eps) return 'area';
    if (Math.abs(mu - req.areaMuMin) <= eps || Math.abs(mu - req.areaMuMax) <= eps) {
      const h = m2ToHundredths(p.row.area_m2);
      if (compareM2HundredthsToMu(h, req.areaMuMin) < 0 || compareM2HundredthsToMu(h, req.areaMuMax) > 0) return 'area';
    }
    if (req.landUse && !req.landUse.includes(p.row.land_use)) return 'landUse';
    if (offering && !offering.includes(p.row.land_use)) return 'supplyMode';
    if (req.districtCodes && !req.districtCodes.includes(park.district_code)) return 'district';
    if (req.serviced === true && !p.row.serviced) return 'serviced';
    if (req.maxPriceYuanPerM2 !== undefined && (budgetFen === null || p.floorFen === null || p.floorFen > budgetFen)) return 'price';
    if (req.near?.length) {
      const nearest = nearestHubs(p.xy, hubs);
      if (req.near.some((n) => { const h = nearest[n.kind]; return !h || h.km > n.maxKm; })) return 'near';
    }
    if (req.project && !conditionsMet(p.conditions, req.project).ok) return 'conditions';
    return null;
  };
}

/**
 * Every live plot judged on every hard requirement; the candidates and the exclusions. The plots
 * not available are counted in SQL; the available ones are judged in memory on the snapshot
 * (./snapshot.ts), brought up to date with the database first.
 */
async function judge(db: Kysely<Database>, req: SitingRequirements): Promise<Judged> {
  const ref = await loadReference(db);
  const [hubs, parkRows, live, maxVersion, stamp] = await Promise.all([sitingHubs(db), parkFacts(db), liveCounts(db), plotsMaxVersion(db), dataStamp(db)]);
  const parks = new Map(parkRows.map((p) => [p.id, p]));
  const plots = await availablePlots(db, ref, parkRows, { maxVersion, available: live.available, versionSum: live.availableVersionSum });
  const excluded: Record<string, number> = Object.fromEntries(SITING_REQUIREMENTS.map((r) => [r, 0]));
  excluded.available = live.other;
  const failure = makeJudge(req, hubs);
  const candidates: SitingPlot[] = [];
  const byId = new Map<number, SitingRow>();
  for (const p of plots.values()) {
    const park = parks.get(p.row.park_id)!;
    const fail = failure(p, park);
    if (fail) {
      excluded[fail] = (excluded[fail] ?? 0) + 1;
      continue;
    }
    candidates.push(toPlot(p.row, park));
    byId.set(p.row.id, p.row);
  }
  const considered = candidates.length + Object.values(excluded).reduce((s, n) => s + n, 0);
  return { ref, stamp, hubs, parks, rows: byId, candidates, considered, excluded };
}

interface Scored {
  entries: RankedEntry[];
  range: PriceRange;
  ctx: RankContext;
  weightsUsed: WeightsUsed;
}

/**
 * The active allocations of a sector as cluster points, remembered while the plots, parks and
 * allocations are unchanged (the data stamp): they change far less often than rankings are asked.
 */
const pointsCache = new WeakMap<object, { key: string; points: ClusterPoint[] }>();
async function clusterPoints(db: Kysely<Database>, sector: SitingRequirements['sector'], stamp: string): Promise<ClusterPoint[]> {
  const key = `${sector}|${stamp}`;
  const hit = pointsCache.get(db);
  if (hit?.key === key) return hit.points;
  const points = (await activeAllocationPoints(db, sector)).map((p) => ({ parkId: p.park_id, xy: planeXY([Number(p.cx), Number(p.cy)]) }));
  pointsCache.set(db, { key, points });
  return points;
}

async function scoreAll(db: Kysely<Database>, req: SitingRequirements, j: Judged): Promise<Scored> {
  const w = weightsFor(req.sector, req.weights);
  const points = await clusterPoints(db, req.sector, j.stamp);
  // Counting stops at the saturation for the scores; the words of a returned plot count exactly.
  const index = clusterIndex(points);
  const ctx: RankContext = {
    hubs: j.hubs,
    clusterCounts: new Map(j.candidates.map((p) => [p.plotId, index.count(p, CLUSTER_SATURATION)])),
    clusterExact: (p) => index.count(p),
    weights: w.weights,
  };
  const { entries, range } = rankScores(j.candidates, req, ctx);
  return { entries, range, ctx, weightsUsed: { weights: w.weights, source: w.source, sector: req.sector } };
}

function toItem(e: RankedEntry, req: SitingRequirements, s: Scored, r: SitingRow, park: ParkFacts): SitingItem {
  const d = describeEntry(e, req, s.ctx, s.range);
  return {
    plotId: r.id,
    plotCode: r.code,
    parkId: r.park_id,
    parkCode: park.code,
    parkNameZh: park.name_zh,
    parkNameEn: park.name_en,
    parkTier: park.tier,
    districtCode: park.district_code,
    areaM2: Number(r.area_m2),
    areaMu: Math.round(m2ToMu(r.area_m2) * 100) / 100,
    landUse: r.land_use,
    serviced: r.serviced,
    sample: r.sample,
    centroid: d.plot.centre,
    score: d.score,
    rank: d.rank,
    floorYuanPerM2: d.plot.floorFenPerM2 === null ? null : d.plot.floorFenPerM2 / 100,
    floorBinding: r.binding,
    nearestHubs: d.nearestHubs,
    reasons: d.reasons,
    summaryZh: d.summaryZh,
    summaryEn: d.summaryEn,
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
async function dataVersionOf(db: Kysely<Database>, ref: ReferenceSet, dataStampText: string): Promise<string> {
  const versions = Object.entries(ref.versions).map(([k, v]) => `${k}:${v?.id}`).sort().join(',');
  const stamp = `${versions}|${dataStampText}|${await hubsVersion(db)}`;
  return `${ref.asOf}-${createHash('sha256').update(stamp).digest('hex').slice(0, 10)}`;
}

const referenceSampleOf = (ref: ReferenceSet) => ref.benchmark.some((b) => b.sample) || ref.districtGrades.some((g) => g.assumption);

/** `POST /api/siting/rank`. */
export async function rankPlots(db: Kysely<Database>, caller: Caller, req: SitingRequirements): Promise<SitingRankResponse> {
  validated(req);
  const j = await judge(db, req);
  const s = await scoreAll(db, req, j);
  const items = s.entries.slice(0, req.limit ?? 20).map((e) => toItem(e, req, s, j.rows.get(e.plot.plotId)!, j.parks.get(e.plot.parkId)!));
  return {
    items: await withDisclosure(db, caller, items, j.ref),
    candidates: s.entries.length,
    excluded: { considered: j.considered, byRequirement: j.excluded },
    weightsUsed: s.weightsUsed,
    asOf: j.ref.asOf,
    dataVersion: await dataVersionOf(db, j.ref, j.stamp),
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
  const failures = hardRequirementFailures(toPlot(row, j.parks.get(row.park_id)!, row), req, j.hubs);
  const s = await scoreAll(db, req, j);
  const entry = failures.length ? undefined : s.entries.find((e) => e.plot.plotId === plotId);
  const item = entry ? (await withDisclosure(db, caller, [toItem(entry, req, s, j.rows.get(plotId)!, j.parks.get(row.park_id)!)], j.ref))[0]! : null;
  return {
    plotId: row.id,
    plotCode: row.code,
    eligible: item !== null,
    failures,
    item,
    candidates: s.entries.length,
    weightsUsed: s.weightsUsed,
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
