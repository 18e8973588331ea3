/**
 * The 界址点成果表 of a parcel: its boundary points in EPSG:4547 (CGCS2000 3-degree Gauss–Krüger,
 * 114°E, no zone prefix) as Chinese survey tables write them — point number J1…Jn, X = northing,
 * Y = easting, metres to 3 decimals — and the side length to the next point. Pure.
 *
 * Order: each outer ring clockwise (north up) from its north-west corner, as 界址点 are numbered
 * in practice; a ring's first point is repeated at its end to close it. Numbering runs on across
 * the parts of a multi-part parcel and its holes (inner rings, listed after their outer ring).
 */
import { fromWgs84, toSurveyXY, type XY } from '../../../shared/geometry/crs.ts';
import type { AreaGeometry } from './locationMap.ts';

export interface BoundaryPoint {
  /** "J1"… — the closing row repeats its ring's first number. */
  no: string;
  /** Northing, metres. */
  x: number;
  /** Easting, metres. */
  y: number;
  /** Distance to the next point of the ring, metres; null on a ring's closing row. */
  side: number | null;
  /** 0 for the first ring, 1 for the next… */
  ring: number;
  closing: boolean;
}

function signedArea(r: XY[]): number {
  let a = 0;
  for (let i = 0; i < r.length; i++) {
    const [x0, y0] = r[i]!;
    const [x1, y1] = r[(i + 1) % r.length]!;
    a += x0 * y1 - x1 * y0;
  }
  return a / 2;
}

/** Open ring (no repeated last point), clockwise for outer rings and anticlockwise for holes, from its north-west point. */
function normalise(ring: XY[], outer: boolean): XY[] {
  let r = ring.slice();
  const [f, l] = [r[0], r[r.length - 1]];
  if (r.length > 1 && f && l && f[0] === l[0] && f[1] === l[1]) r.pop();
  const clockwise = signedArea(r) < 0;
  if (clockwise !== outer) r = r.reverse();
  let start = 0;
  for (let i = 1; i < r.length; i++) {
    const [e, n] = r[i]!;
    const [be, bn] = r[start]!;
    if (n - e > bn - be) start = i;
  }
  return [...r.slice(start), ...r.slice(0, start)];
}

const round3 = (v: number) => Math.round(v * 1000) / 1000;

export function boundaryPoints(g: AreaGeometry): BoundaryPoint[] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const rows: BoundaryPoint[] = [];
  let n = 0;
  let ringNo = 0;
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const pts = normalise(
        ring.map((p) => fromWgs84('EPSG:4547', [p[0] as number, p[1] as number])),
        i === 0,
      );
      if (pts.length < 3) return;
      const first = n + 1;
      pts.forEach((p, j) => {
        const next = pts[(j + 1) % pts.length]!;
        const { X, Y } = toSurveyXY(p);
        n += 1;
        rows.push({ no: `J${n}`, x: round3(X), y: round3(Y), side: Math.round(Math.hypot(next[0] - p[0], next[1] - p[1]) * 100) / 100, ring: ringNo, closing: false });
      });
      const { X, Y } = toSurveyXY(pts[0]!);
      rows.push({ no: `J${first}`, x: round3(X), y: round3(Y), side: null, ring: ringNo, closing: true });
      ringNo += 1;
    });
  }
  return rows;
}

/** "2555783.930" — always 3 decimals, no grouping (survey tables are read digit by digit). */
export function formatCoord(v: number): string {
  return v.toFixed(3);
}
