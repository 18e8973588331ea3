/**
 * Where geometries lie against each other: point in polygon, distance to a boundary, crossing
 * boundaries, the overlap of two plots and their difference. Pure; positions are WGS84 [lon, lat];
 * areas are the EPSG:4547 plane area (./area.ts).
 */
import { intersect as turfIntersect } from '@turf/intersect';
import { difference as turfDifference } from '@turf/difference';
import { featureCollection, polygon as turfPolygon, multiPolygon as turfMultiPolygon } from '@turf/helpers';
import type { BBox } from '../domain.ts';
import type { LonLat } from './crs.ts';
import { geometryAreaM2, ringAreaGK, signedArea2 } from './area.ts';
import { bboxesOverlap, geometryBBox } from './bbox.ts';
import { polygonsOf, type PlotGeometry } from './types.ts';

/** Even-odd point in polygon over all rings of all parts (holes handled by the rule). Boundary: either. */
export function pointInGeometry(p: LonLat, g: PlotGeometry): boolean {
  const x = p[0], y = p[1];
  let inside = false;
  const polys = polygonsOf(g);
  for (let a = 0; a < polys.length; a++) {
    const poly = polys[a]!;
    for (let b = 0; b < poly.length; b++) {
      const ring = poly[b]!;
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const xi = ring[i]![0], yi = ring[i]![1], xj = ring[j]![0], yj = ring[j]![1];
        if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** Metres per degree of longitude / latitude around a latitude (local equirectangular frame). */
export function metresPerDegree(lat: number): [number, number] {
  const r = (lat * Math.PI) / 180;
  return [111_412.84 * Math.cos(r) - 93.5 * Math.cos(3 * r), 111_132.92 - 559.82 * Math.cos(2 * r) + 1.175 * Math.cos(4 * r)];
}

/** Distance (m) from a point to a segment, in a local metric frame. */
function pointSegmentDistanceM(p: LonLat, a: LonLat, b: LonLat, k: [number, number]): number {
  const px = p[0] * k[0], py = p[1] * k[1];
  const ax = a[0] * k[0], ay = a[1] * k[1], bx = b[0] * k[0], by = b[1] * k[1];
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Length (m) of a ring, in a local metric frame. */
export function perimeterM(ring: readonly LonLat[]): number {
  const k = metresPerDegree(ring[0]?.[1] ?? 23);
  let len = 0;
  for (let i = 0; i < ring.length - 1; i++) len += Math.hypot((ring[i + 1]![0] - ring[i]![0]) * k[0], (ring[i + 1]![1] - ring[i]![1]) * k[1]);
  return len || Infinity;
}

/** Distance (m) from a point to the boundary of a geometry. */
export function distanceToBoundaryM(p: LonLat, g: PlotGeometry): number {
  const k = metresPerDegree(p[1]);
  let best = Infinity;
  for (const poly of polygonsOf(g)) for (const ring of poly) {
    for (let i = 0; i < ring.length - 1; i++) best = Math.min(best, pointSegmentDistanceM(p, ring[i]!, ring[i + 1]!, k));
  }
  return best;
}

const orient = (a: LonLat, b: LonLat, c: LonLat) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);

/** Whether two segments cross at a point interior to both (touching and collinear overlap do not count). */
function segmentsCross(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a), o4 = orient(c, d, b);
  return ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0));
}

/** Segments of a geometry with their boxes, kept per geometry object (a park is checked against thousands of plots). */
const segmentCache = new WeakMap<PlotGeometry, [LonLat, LonLat, BBox][]>();
function segmentsOf(b: PlotGeometry): [LonLat, LonLat, BBox][] {
  let segs = segmentCache.get(b);
  if (segs) return segs;
  segs = [];
  for (const poly of polygonsOf(b)) for (const ring of poly) {
    for (let i = 0; i < ring.length - 1; i++) {
      const p = ring[i]!, q = ring[i + 1]!;
      segs.push([p, q, [Math.min(p[0], q[0]), Math.min(p[1], q[1]), Math.max(p[0], q[0]), Math.max(p[1], q[1])]]);
    }
  }
  segmentCache.set(b, segs);
  return segs;
}

export function boundariesCross(a: PlotGeometry, b: PlotGeometry): boolean {
  const bSegs = segmentsOf(b);
  for (const poly of polygonsOf(a)) for (const ring of poly) {
    for (let i = 0; i < ring.length - 1; i++) {
      const p = ring[i]!, q = ring[i + 1]!;
      const w = Math.min(p[0], q[0]), e = Math.max(p[0], q[0]), s = Math.min(p[1], q[1]), n = Math.max(p[1], q[1]);
      for (const [c, d, bb] of bSegs) {
        if (bb[0] > e || bb[2] < w || bb[1] > n || bb[3] < s) continue;
        if (segmentsCross(p, q, c, d)) return true;
      }
    }
  }
  return false;
}

function toFeature(g: PlotGeometry): GeoJSON.Feature<PlotGeometry> {
  return g.type === 'Polygon' ? turfPolygon(g.coordinates) : turfMultiPolygon(g.coordinates);
}

/** A single-ring polygon that is convex (collinear runs allowed). */
function convexRing(g: PlotGeometry): LonLat[] | null {
  if (g.type !== 'Polygon' || g.coordinates.length !== 1) return null;
  const ring = g.coordinates[0] as LonLat[];
  const n = ring.length - 1;
  if (n < 3) return null;
  let sign = 0;
  for (let i = 0; i < n; i++) {
    const o = orient(ring[i]!, ring[(i + 1) % n]!, ring[(i + 2) % n]!);
    if (o === 0) continue;
    const s = o > 0 ? 1 : -1;
    if (sign === 0) sign = s;
    else if (s !== sign) return null;
  }
  return sign === 0 ? null : ring;
}

/** Sutherland–Hodgman: the intersection of a polygon with a convex one (both as open-or-closed rings). */
function clipConvex(subject: LonLat[], clip: LonLat[]): LonLat[] {
  const c = clip.slice(0, -1);
  if (signedArea2(clip) < 0) c.reverse();
  let out = subject.slice(0, -1);
  for (let i = 0; i < c.length && out.length; i++) {
    const a = c[i]!, b = c[(i + 1) % c.length]!;
    const input = out;
    out = [];
    for (let j = 0; j < input.length; j++) {
      const p = input[j]!, q = input[(j + 1) % input.length]!;
      const op = orient(a, b, p), oq = orient(a, b, q);
      if (op >= 0) out.push(p);
      if ((op > 0 && oq < 0) || (op < 0 && oq > 0)) {
        const t = op / (op - oq);
        out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
      }
    }
  }
  return out.length >= 3 ? [...out, out[0]!] : [];
}

export const centreOf = (ring: readonly LonLat[]): LonLat => {
  const pts = ring.length > 1 ? ring.slice(0, -1) : ring;
  const sx = pts.reduce((s, p) => s + p[0], 0), sy = pts.reduce((s, p) => s + p[1], 0);
  return [sx / pts.length, sy / pts.length];
};

/**
 * Area (m²) of the intersection of two plots and a point inside it. Convex single-ring plots
 * (most plots) are clipped directly; anything else goes through turf `intersect`.
 * Throws only if turf cannot process the shapes.
 */
export function overlapOf(a: PlotGeometry, b: PlotGeometry): { areaM2: number; where?: LonLat } {
  if (!bboxesOverlap(geometryBBox(a), geometryBBox(b))) return { areaM2: 0 };
  const ca = convexRing(a), cb = convexRing(b);
  if (ca && cb) {
    const ring = clipConvex(ca, cb);
    if (!ring.length) return { areaM2: 0 };
    const areaM2 = ringAreaGK(ring);
    return areaM2 > 0 ? { areaM2, where: centreOf(ring) } : { areaM2: 0 };
  }
  const inter = turfIntersect(featureCollection<PlotGeometry>([toFeature(a), toFeature(b)]));
  if (!inter) return { areaM2: 0 };
  const g = inter.geometry as PlotGeometry;
  const areaM2 = geometryAreaM2(g);
  const largest = polygonsOf(g).map((p) => p[0]!).sort((x, y) => ringAreaGK(y) - ringAreaGK(x))[0];
  return { areaM2, ...(largest ? { where: centreOf(largest) } : {}) };
}

/** The difference a − b as a geometry (turf, polygon-clipping); null when empty. */
export function differenceOf(a: PlotGeometry, b: PlotGeometry): PlotGeometry | null {
  const d = turfDifference(featureCollection<PlotGeometry>([toFeature(a), toFeature(b)]));
  return d ? (d.geometry as PlotGeometry) : null;
}

