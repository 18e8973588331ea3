/**
 * Plot geometry validation, one function used by the server on every
 * geometry write and by the map editor live, so both say the same thing in the same words.
 * Pure: no I/O. Positions are WGS84 [lon, lat] (RFC 7946).
 *
 * `validatePlotGeometry(geometry, context)` checks, in order:
 *  1. shape — a Polygon or MultiPolygon with well-formed positions;
 *  2. coordinate sanity — every number finite, lon/lat in range, inside Guangzhou; eastings and
 *     northings passed as degrees are recognised and named ("looks like projected coordinates");
 *  3. rings — at least 4 positions, closed, ≤ MAX_VERTICES in all; RFC 7946 winding (exterior
 *     counter-clockwise, holes clockwise); no self-intersection (turf `kinks`, with the place);
 *     holes inside their exterior; parts of a MultiPolygon not overlapping;
 *  4. inside its park — at most PARK_TOLERANCE_M outside the boundary, or at least
 *     PARK_MIN_INSIDE_FRACTION of the area inside;
 *  5. no overlap with another active plot — an intersection larger than OVERLAP_TOLERANCE_M2
 *     is an error naming the other plot (shared edges and corners are fine);
 *  6. area reconciliation — the surveyed area against the geometric area: a warning above
 *     AREA_WARN_FRACTION, an error above AREA_REFUSE_FRACTION.
 * Closure and winding problems come with a repaired geometry (`fixed`, turf `rewind`) when they
 * are the only problems, so the editor can offer a one-click fix.
 *
 * Geometric area: the plane area in CGCS2000 / 3-degree Gauss–Krüger CM 114°E (EPSG:4547) —
 * how a 宗地面积 is surveyed in Guangzhou. (turf.area, on a sphere, reads about 0.24 % more at
 * Guangzhou's latitude; that bias alone would eat a quarter of the 1 % warning band.) The area model itself lives in ./area.ts.
 */
import { kinks } from '@turf/kinks';
import { rewind } from '@turf/rewind';
import { GUANGZHOU_BBOX, type BBox } from '../domain.ts';
import { guessCrs, type LonLat } from './crs.ts';
import { geometryAreaM2, signedArea2 } from './area.ts';
import { bboxesOverlap, geometryBBox } from './bbox.ts';
import { boundariesCross, centreOf, differenceOf, distanceToBoundaryM, metresPerDegree, overlapOf, perimeterM, pointInGeometry } from './spatial.ts';
import {
  AREA_REFUSE_FRACTION, AREA_WARN_FRACTION, MAX_VERTICES, MIN_AREA_M2, OVERLAP_TOLERANCE_M2, PARK_MIN_INSIDE_FRACTION, PARK_TOLERANCE_M,
  polygonsOf, type GeometryIssue, type GeometryIssueCode, type GeometryValidation, type Neighbour, type PlotGeometry, type ValidationContext,
} from './types.ts';

// ---------------------------------------------------------------------------------------------
// Small helpers

const fmt = (x: number, d = 6) => (Number.isFinite(x) ? Number(x.toFixed(d)).toString() : String(x));
const at = ([lon, lat]: LonLat) => `${fmt(lon)}, ${fmt(lat)}`;
const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

function issue(code: GeometryIssueCode, messageZh: string, messageEn: string, extra: Partial<GeometryIssue> = {}): GeometryIssue {
  return { code, messageZh, messageEn, ...extra };
}

// ---------------------------------------------------------------------------------------------
// 1–2. Shape and coordinates

type ShapeResult = { ok: true; geometry: PlotGeometry; vertices: number } | { ok: false; errors: GeometryIssue[] };

function isPositionArray(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Checks the nesting and the numbers; returns a copy with 2-D positions. */
function checkShape(input: unknown, gzBBox: BBox): ShapeResult {
  if (input === null || input === undefined) {
    return { ok: false, errors: [issue('GEOMETRY_MISSING', '缺少地块图形。', 'The plot has no geometry.')] };
  }
  const g = input as { type?: unknown; coordinates?: unknown };
  if (typeof g !== 'object' || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
    const got = typeof g === 'object' && typeof g.type === 'string' ? g.type : typeof input;
    return {
      ok: false,
      errors: [issue('GEOMETRY_TYPE', `地块图形必须是面（Polygon 或 MultiPolygon），而不是 ${got}。`, `A plot must be a Polygon or MultiPolygon, not ${got}.`)],
    };
  }
  const malformed = (what: string, whatZh: string): ShapeResult => ({
    ok: false,
    errors: [issue('GEOMETRY_MALFORMED', `图形坐标结构有误：${whatZh}。`, `The geometry's coordinates are malformed: ${what}.`)],
  });
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polys) || polys.length === 0) return malformed('no coordinates', '没有坐标');
  const errors: GeometryIssue[] = [];
  let notFinite = 0, firstNotFinite = '';
  let outOfRange = 0, firstOutOfRange: [number, number] | null = null;
  let vertices = 0;
  const outPolys: LonLat[][][] = [];
  for (let pi = 0; pi < polys.length; pi++) {
    const poly = polys[pi];
    if (!Array.isArray(poly) || poly.length === 0) return malformed(`polygon ${pi + 1} has no rings`, `第 ${pi + 1} 个面没有环`);
    const outPoly: LonLat[][] = [];
    for (let ri = 0; ri < poly.length; ri++) {
      const ring = poly[ri];
      if (!Array.isArray(ring)) return malformed(`ring ${ri + 1} is not a list of positions`, `第 ${ri + 1} 个环不是坐标列表`);
      const outRing: LonLat[] = [];
      for (let k = 0; k < ring.length; k++) {
        const pos = ring[k];
        if (!isPositionArray(pos) || pos.length < 2 || pos.length > 3) {
          return malformed(`position ${k + 1} of ring ${ri + 1} is not [lon, lat]`, `第 ${ri + 1} 个环的第 ${k + 1} 个点不是 [经度, 纬度]`);
        }
        const [x, y] = pos as [unknown, unknown];
        if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
          if (notFinite++ === 0) firstNotFinite = `${String(x)}, ${String(y)} (ring ${ri + 1}, point ${k + 1})`;
          continue;
        }
        if (x < -180 || x > 180 || y < -90 || y > 90) {
          if (outOfRange++ === 0) firstOutOfRange = [x, y];
        }
        outRing.push([x, y]);
        vertices++;
      }
      outPoly.push(outRing);
    }
    outPolys.push(outPoly);
  }
  if (notFinite) {
    errors.push(issue(
      'COORDINATE_NOT_FINITE',
      `${notFinite} 个坐标不是有限数字（NaN、Infinity 或空值），第一个：${firstNotFinite}。`,
      `${notFinite} coordinate${notFinite === 1 ? ' is' : 's are'} not a finite number (NaN, Infinity or empty); first: ${firstNotFinite}.`,
      { figures: { count: notFinite } },
    ));
  }
  if (firstOutOfRange) {
    const [x, y] = firstOutOfRange;
    const guess = guessCrs([x, y]);
    if ((guess.crs && guess.crs !== 'EPSG:4326') || Math.abs(x) > 1000 || Math.abs(y) > 1000) {
      const hint = guess.crs && guess.crs !== 'EPSG:4326' ? ` (they look like ${guess.crs}${guess.swapped ? ' with X and Y exchanged' : ''})` : '';
      const hintZh = guess.crs && guess.crs !== 'EPSG:4326' ? `（看起来是 ${guess.crs}${guess.swapped ? '，且 X/Y 互换' : ''}）` : '';
      errors.push(issue(
        'LOOKS_PROJECTED',
        `坐标 ${fmt(x, 3)}, ${fmt(y, 3)} 看起来是投影坐标（米），不是 WGS84 经纬度${hintZh}；按经纬度读会落在地球之外、远离广州（如海上）。请选择正确的坐标系（如 EPSG:4547）。`,
        `Coordinates ${fmt(x, 3)}, ${fmt(y, 3)} look like projected coordinates (metres), not WGS84 degrees${hint}; read as degrees they fall off the map, far outside Guangzhou (in the ocean). Choose the right coordinate system (e.g. EPSG:4547).`,
        { figures: { x, y, count: outOfRange } },
      ));
    } else {
      const swapped = guess.crs === 'EPSG:4326' && guess.swapped;
      errors.push(issue(
        'COORDINATE_OUT_OF_RANGE',
        `坐标 ${fmt(x)}, ${fmt(y)} 超出经纬度范围（经度 −180…180，纬度 −90…90）${swapped ? '——经纬度似乎写反了' : ''}；顺序应为 [经度, 纬度]。`,
        `Coordinates ${fmt(x)}, ${fmt(y)} are out of range (longitude −180…180, latitude −90…90)${swapped ? ' — longitude and latitude look exchanged' : ''}; the order is [lon, lat].`,
        { figures: { x, y, count: outOfRange } },
      ));
    }
  }
  if (errors.length) return { ok: false, errors };
  // Inside Guangzhou (bbox, with ~5 km of slack for a generous outline).
  const slack = 0.05;
  const [w, s, e, n] = gzBBox;
  for (const poly of outPolys) for (const ring of poly) for (const p of ring) {
    if (p[0] < w - slack || p[0] > e + slack || p[1] < s - slack || p[1] > n + slack) {
      const cx = (w + e) / 2, cy = (s + n) / 2;
      const k = metresPerDegree(cy);
      const km = Math.round(Math.hypot((p[0] - cx) * k[0], (p[1] - cy) * k[1]) / 1000);
      const swapped = p[0] >= s - 1 && p[0] <= n + 1 && p[1] >= w - 1 && p[1] <= e + 1;
      return {
        ok: false,
        errors: [issue(
          'OUTSIDE_GUANGZHOU',
          `图形位于广州市以外：点 ${at(p)} 距广州约 ${km} 公里（可能在海上）${swapped ? '——经纬度似乎写反了，应为 [经度, 纬度]' : '，请检查坐标系'}。`,
          `The geometry lies outside Guangzhou: point ${at(p)} is about ${km} km from the city (it may land in the ocean)${swapped ? ' — longitude and latitude look exchanged; the order is [lon, lat]' : '; check the coordinate system'}.`,
          { where: p, figures: { distanceKm: km } },
        )],
      };
    }
  }
  const geometry: PlotGeometry = g.type === 'Polygon' ? { type: 'Polygon', coordinates: outPolys[0]! } : { type: 'MultiPolygon', coordinates: outPolys };
  return { ok: true, geometry, vertices };
}

/**
 * Structure only (a Polygon/MultiPolygon of number pairs, all finite), whatever the coordinate
 * system: what an importer checks before reprojecting.
 */
export function geometryStructureIssues(input: unknown): GeometryIssue[] {
  const r = checkShape(input, [-Infinity, -Infinity, Infinity, Infinity]);
  return r.ok ? [] : r.errors.filter((e) => e.code.startsWith('GEOMETRY_') || e.code === 'COORDINATE_NOT_FINITE');
}

// ---------------------------------------------------------------------------------------------
// 3. Rings

function samePos(a: LonLat, b: LonLat) {
  return a[0] === b[0] && a[1] === b[1];
}

/** Rings checked for length and closure; returns closed rings (a copy). */
function checkRings(g: PlotGeometry, errors: GeometryIssue[], repairable: Set<GeometryIssueCode>): PlotGeometry {
  const polys = polygonsOf(g).map((poly, pi) =>
    poly.map((ring, ri) => {
      const label = polygonsOf(g).length > 1 ? `part ${pi + 1}, ring ${ri + 1}` : `ring ${ri + 1}`;
      const labelZh = polygonsOf(g).length > 1 ? `第 ${pi + 1} 部分第 ${ri + 1} 个环` : `第 ${ri + 1} 个环`;
      const closed = ring.length > 0 && samePos(ring[0]!, ring[ring.length - 1]!);
      const distinct = closed ? ring.length - 1 : ring.length;
      if (distinct < 3) {
        errors.push(issue(
          'RING_TOO_SHORT',
          `${labelZh}只有 ${distinct} 个不同的点；面至少需要 3 个点（闭合后 4 个坐标）。`,
          `${label[0]!.toUpperCase()}${label.slice(1)} has ${distinct} distinct point${distinct === 1 ? '' : 's'}; a polygon needs at least 3 (4 positions, closed).`,
          ring[0] ? { where: ring[0] } : {},
        ));
        return ring;
      }
      if (!closed) {
        errors.push(issue(
          'RING_NOT_CLOSED',
          `${labelZh}未闭合：最后一个点应与第一个点 ${at(ring[0]!)} 相同。`,
          `${label[0]!.toUpperCase()}${label.slice(1)} is not closed: its last position must repeat the first, ${at(ring[0]!)}.`,
          { where: ring[0]! },
        ));
        repairable.add('RING_NOT_CLOSED');
        return [...ring, ring[0]!];
      }
      return ring;
    }),
  );
  return g.type === 'Polygon' ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
}

function checkWinding(g: PlotGeometry, errors: GeometryIssue[], repairable: Set<GeometryIssueCode>): void {
  for (const poly of polygonsOf(g)) {
    for (let ri = 0; ri < poly.length; ri++) {
      const a = signedArea2(poly[ri]!);
      const wrong = ri === 0 ? a < 0 : a > 0;
      if (wrong) {
        errors.push(issue(
          'WRONG_WINDING',
          ri === 0
            ? '外环应为逆时针方向（RFC 7946）；可一键反转（rewind）修复。'
            : '内环（洞）应为顺时针方向（RFC 7946）；可一键反转（rewind）修复。',
          ri === 0
            ? 'The exterior ring must run counter-clockwise (RFC 7946); reverse it (rewind) to fix.'
            : 'A hole must run clockwise (RFC 7946); reverse it (rewind) to fix.',
          { where: poly[ri]![0]! },
        ));
        repairable.add('WRONG_WINDING');
        return;
      }
    }
  }
}

/** Consecutive duplicate positions removed (they are harmless but confuse `kinks`). */
function dedupe(ring: LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  for (const p of ring) if (!out.length || !samePos(out[out.length - 1]!, p)) out.push(p);
  return out;
}

function checkSimple(g: PlotGeometry, errors: GeometryIssue[]): void {
  const polys = polygonsOf(g).map((poly) => poly.map(dedupe));
  // Per part: crossings between different parts are reported as overlapping parts below.
  const crossings = polys.flatMap((poly) => kinks({ type: 'Polygon', coordinates: poly } as GeoJSON.Polygon).features);
  if (crossings.length) {
    const where = crossings[0]!.geometry.coordinates as LonLat;
    const n = crossings.length;
    errors.push(issue(
      'SELF_INTERSECTION',
      `图形自相交（边界交叉 ${n} 处），第一处在 ${at(where)}。`,
      `The boundary crosses itself (${n} crossing${n === 1 ? '' : 's'}); the first is at ${at(where)}.`,
      { where, figures: { count: n } },
    ));
    return;
  }
  // Holes inside their exterior (no crossings, so one vertex decides).
  for (const poly of polys) {
    const shell: PlotGeometry = { type: 'Polygon', coordinates: [poly[0]!] };
    for (let ri = 1; ri < poly.length; ri++) {
      const p = poly[ri]![0]!;
      if (!pointInGeometry(p, shell)) {
        errors.push(issue('HOLE_OUTSIDE_SHELL', `内环（洞）位于外环之外，在 ${at(p)}。`, `A hole lies outside its exterior ring, at ${at(p)}.`, { where: p }));
        return;
      }
    }
  }
  // Parts of a MultiPolygon must not overlap one another.
  if (polys.length > 1) {
    for (let i = 0; i < polys.length; i++) for (let j = i + 1; j < polys.length; j++) {
      const o = overlapOf({ type: 'Polygon', coordinates: polys[i]! }, { type: 'Polygon', coordinates: polys[j]! });
      if (o.areaM2 > OVERLAP_TOLERANCE_M2) {
        errors.push(issue(
          'PARTS_OVERLAP',
          `多部分图形的第 ${i + 1} 与第 ${j + 1} 部分重叠 ${round2(o.areaM2)} 平方米。`,
          `Parts ${i + 1} and ${j + 1} of the MultiPolygon overlap by ${round2(o.areaM2)} m².`,
          { ...(o.where ? { where: o.where } : {}), figures: { overlapAreaM2: round2(o.areaM2) } },
        ));
        return;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4–6. Park, neighbours, area

function checkPark(g: PlotGeometry, areaM2: number, park: NonNullable<ValidationContext['park']>, errors: GeometryIssue[]): void {
  const parkName = park.nameZh ? `${park.code} ${park.nameZh}` : park.code;
  let allInside = true;
  for (const poly of polygonsOf(g)) for (const ring of poly) for (const p of ring) {
    if (!pointInGeometry(p, park.geometry) && distanceToBoundaryM(p, park.geometry) > 1e-3) { allInside = false; break; }
  }
  if (allInside && !boundariesCross(g, park.geometry)) return;
  let outside: PlotGeometry | null;
  try {
    outside = differenceOf(g, park.geometry);
  } catch {
    outside = g; // cannot compute: judged by the vertices below
  }
  if (!outside) return;
  const outsideM2 = Math.min(areaM2, geometryAreaM2(outside));
  const insideFraction = areaM2 > 0 ? 1 - outsideM2 / areaM2 : 0;
  // How far outside: the farthest vertex of the outside part, or — for a piece whose vertices
  // all sit on the park boundary (a plot bridging a notch) — its mean width 2·area/perimeter.
  let worst = 0, where: LonLat | undefined;
  for (const poly of polygonsOf(outside)) {
    for (const ring of poly) for (const p of ring) {
      if (pointInGeometry(p, park.geometry)) continue;
      const d = distanceToBoundaryM(p, park.geometry);
      if (d > worst) { worst = d; where = p; }
    }
    const width = (2 * geometryAreaM2({ type: 'Polygon', coordinates: poly })) / perimeterM(poly[0]!);
    if (width > worst) { worst = width; where = centreOf(poly[0]!); }
  }
  if (insideFraction >= PARK_MIN_INSIDE_FRACTION || worst <= PARK_TOLERANCE_M) return;
  errors.push(issue(
    'OUTSIDE_PARK',
    `地块超出园区 ${parkName} 的边界：${round2(outsideM2)} 平方米（${pct(1 - insideFraction)}）在园区外，最远处 ${worst.toFixed(2)} 米，在 ${where ? at(where) : '—'}（允许 ${PARK_TOLERANCE_M} 米或 ${pct(1 - PARK_MIN_INSIDE_FRACTION)}）。`,
    `The plot extends outside park ${parkName}: ${round2(outsideM2)} m² (${pct(1 - insideFraction)}) lies outside, up to ${worst.toFixed(2)} m beyond the boundary${where ? ` at ${at(where)}` : ''} (allowed: ${PARK_TOLERANCE_M} m, or ${pct(1 - PARK_MIN_INSIDE_FRACTION)} of the area).`,
    { ...(where ? { where } : {}), figures: { outsideAreaM2: round2(outsideM2), maxDistanceM: Number(worst.toFixed(3)), insideFraction } },
  ));
}

function checkNeighbours(g: PlotGeometry, neighbours: readonly Neighbour[], errors: GeometryIssue[]): void {
  const box = geometryBBox(g);
  for (const nb of neighbours) {
    if (!bboxesOverlap(box, geometryBBox(nb.geometry))) continue;
    let o: { areaM2: number; where?: LonLat };
    try {
      o = overlapOf(g, nb.geometry);
    } catch {
      errors.push(issue('OVERLAPS_PLOT', `无法计算与地块 ${nb.code} 的重叠，请检查两者的图形。`, `Could not compute the overlap with plot ${nb.code}; check both shapes.`, { plotCode: nb.code, ...(nb.id !== undefined ? { plotId: nb.id } : {}) }));
      continue;
    }
    if (o.areaM2 > OVERLAP_TOLERANCE_M2) {
      errors.push(issue(
        'OVERLAPS_PLOT',
        `与地块 ${nb.code} 重叠 ${round2(o.areaM2)} 平方米${o.where ? `（在 ${at(o.where)} 附近）` : ''}；共用边界可以，重叠不行。`,
        `Overlaps plot ${nb.code} by ${round2(o.areaM2)} m²${o.where ? ` (around ${at(o.where)})` : ''}; sharing an edge is fine, overlapping is not.`,
        { plotCode: nb.code, ...(nb.id !== undefined ? { plotId: nb.id } : {}), ...(o.where ? { where: o.where } : {}), figures: { overlapAreaM2: round2(o.areaM2) } },
      ));
    }
  }
}

/** Surveyed vs geometric area: `null` when within 1 %, else the warning or the refusal. */
export function reconcileArea(surveyedM2: number, geometricM2: number): GeometryIssue | null {
  if (!(surveyedM2 > 0) || !(geometricM2 > 0)) return null;
  const diff = Math.abs(geometricM2 - surveyedM2) / surveyedM2;
  if (diff <= AREA_WARN_FRACTION) return null;
  const figures = { surveyedAreaM2: round2(surveyedM2), geometryAreaM2: round2(geometricM2), difference: diff };
  const refuse = diff > AREA_REFUSE_FRACTION;
  const zh = `登记面积 ${round2(surveyedM2)} 平方米与图形面积 ${round2(geometricM2)} 平方米相差 ${pct(diff)}`;
  const en = `The surveyed area ${round2(surveyedM2)} m² and the geometric area ${round2(geometricM2)} m² differ by ${pct(diff)}`;
  return refuse
    ? issue('AREA_MISMATCH', `${zh}，超过 ${pct(AREA_REFUSE_FRACTION)}：请核对图形或面积。`, `${en}, more than ${pct(AREA_REFUSE_FRACTION)}: check the boundary or the area.`, { figures })
    : issue('AREA_DIFFERS', `${zh}（超过 ${pct(AREA_WARN_FRACTION)}），请核对。`, `${en} (more than ${pct(AREA_WARN_FRACTION)}); please check.`, { figures });
}

// ---------------------------------------------------------------------------------------------
// The check

/** Validates a plot geometry in its context. Never throws for bad input. */
export function validatePlotGeometry(input: unknown, ctx: ValidationContext = {}): GeometryValidation {
  const shape = checkShape(input, ctx.guangzhouBBox ?? GUANGZHOU_BBOX);
  if (!shape.ok) return { ok: false, errors: shape.errors, warnings: [], areaM2: null };
  const errors: GeometryIssue[] = [];
  const warnings: GeometryIssue[] = [];
  const max = ctx.maxVertices ?? MAX_VERTICES;
  if (shape.vertices > max) {
    errors.push(issue('TOO_MANY_VERTICES', `图形有 ${shape.vertices} 个点，超过上限 ${max}；请先简化。`, `The geometry has ${shape.vertices} vertices, more than the limit of ${max}; simplify it first.`, { figures: { vertices: shape.vertices, max } }));
    return { ok: false, errors, warnings, areaM2: null };
  }
  const repairable = new Set<GeometryIssueCode>();
  let g = checkRings(shape.geometry, errors, repairable);
  if (errors.some((e) => e.code === 'RING_TOO_SHORT')) return { ok: false, errors, warnings, areaM2: null };
  checkWinding(g, errors, repairable);
  // Later checks run on the repaired shape, so one call reports everything that is wrong.
  if (repairable.size) g = rewind(g) as PlotGeometry;
  const before = errors.length;
  checkSimple(g, errors);
  const simple = errors.length === before;
  const areaM2 = geometryAreaM2(g);
  if (simple && areaM2 < MIN_AREA_M2) {
    errors.push(issue('AREA_TOO_SMALL', `图形面积仅 ${areaM2.toFixed(3)} 平方米，不是有效地块。`, `The geometry's area is only ${areaM2.toFixed(3)} m²; that is not a plot.`, { figures: { areaM2 } }));
  }
  if (simple && areaM2 >= MIN_AREA_M2) {
    if (ctx.districts?.length) {
      const inCity = polygonsOf(g).every((poly) => ctx.districts!.some((d) => pointInGeometry(poly[0]![0]!, d)));
      if (!inCity) {
        const p = polygonsOf(g)[0]![0]![0]!;
        errors.push(issue('OUTSIDE_GUANGZHOU', `图形不在广州市任何一个区内（${at(p)}）。`, `The geometry is not in any Guangzhou district (${at(p)}).`, { where: p }));
      }
    }
    if (ctx.park) checkPark(g, areaM2, ctx.park, errors);
    if (ctx.neighbours?.length) checkNeighbours(g, ctx.neighbours, errors);
    if (ctx.surveyedAreaM2 != null) {
      const r = reconcileArea(ctx.surveyedAreaM2, areaM2);
      if (r) (r.code === 'AREA_MISMATCH' ? errors : warnings).push(r);
    }
  }
  const onlyRepairable = errors.length > 0 && errors.every((e) => repairable.has(e.code));
  return {
    ok: errors.length === 0,
    errors,
    warnings,
    areaM2: simple ? round2(areaM2) : null,
    ...(onlyRepairable ? { fixed: g } : {}),
  };
}
