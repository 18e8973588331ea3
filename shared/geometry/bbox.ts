/**
 * Bounding boxes in WGS84 degrees, GeoJSON order [west, south, east, north] (RFC 7946 §5).
 * Parsing lives here so the server's 400 messages and the client's URLs agree; the box of a
 * geometry and the overlap pre-test live here too.
 */
import type { BBox } from '../domain.ts';
import { polygonsOf, type PlotGeometry } from './types.ts';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * Parses "west,south,east,north". Refuses anything a person could have meant differently:
 * a wrong count, non-numbers, out-of-range values, west > east (no antimeridian crossing in
 * Guangzhou), south > north.
 */
export function parseBBox(input: string): ParseResult<BBox> {
  const parts = input.split(',').map((s) => s.trim());
  if (parts.length !== 4) {
    return { ok: false, message: `bbox must be four numbers "west,south,east,north" (WGS84 degrees); got ${parts.length} value${parts.length === 1 ? '' : 's'}.` };
  }
  const nums = parts.map((p) => (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(p) ? Number(p) : NaN));
  const names = ['west', 'south', 'east', 'north'] as const;
  for (let i = 0; i < 4; i++) {
    const n = nums[i]!;
    if (!Number.isFinite(n)) return { ok: false, message: `bbox ${names[i]} must be a number in degrees; got "${parts[i]}".` };
  }
  const [w, s, e, n] = nums as [number, number, number, number];
  if (w < -180 || e > 180) return { ok: false, message: 'bbox longitudes must be between -180 and 180.' };
  if (s < -90 || n > 90) return { ok: false, message: 'bbox latitudes must be between -90 and 90.' };
  if (w > e) return { ok: false, message: `bbox west (${w}) must not be greater than east (${e}); the order is west,south,east,north.` };
  if (s > n) return { ok: false, message: `bbox south (${s}) must not be greater than north (${n}); the order is west,south,east,north.` };
  return { ok: true, value: [w, s, e, n] };
}

/** The lon/lat bounds of a Web Mercator (XYZ) tile. */
export function tileToBBox(z: number, x: number, y: number): BBox {
  const n = 2 ** z;
  const lon = (xx: number) => (xx / n) * 360 - 180;
  const lat = (yy: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * yy) / n))) * 180) / Math.PI;
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

/** Grows a bbox by a fraction of its size on each side (tile buffers). */
export function padBBox([w, s, e, n]: BBox, fraction: number): BBox {
  const dx = (e - w) * fraction;
  const dy = (n - s) * fraction;
  return [w - dx, s - dy, e + dx, n + dy];
}

/** The bounding box of a geometry, [west, south, east, north]. */
export function geometryBBox(g: PlotGeometry): BBox {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const polys = polygonsOf(g);
  // Index loops: this runs for every plot of an import, several times.
  for (let i = 0; i < polys.length; i++) {
    const poly = polys[i]!;
    for (let j = 0; j < poly.length; j++) {
      const ring = poly[j]!;
      for (let k = 0; k < ring.length; k++) {
        const x = ring[k]![0], y = ring[k]![1];
        if (x < w) w = x;
        if (x > e) e = x;
        if (y < s) s = y;
        if (y > n) n = y;
      }
    }
  }
  return [w, s, e, n];
}

export function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
}
