/**
 * A printable location map drawn from the parcels themselves — no tiles, nothing fetched: the
 * parcel (or the park boundary) and what lies around it, projected to EPSG:4547 (CGCS2000
 * 3-degree Gauss–Krüger, 114°E — the projection the bureau's surveys use, so the drawing has
 * true shapes and a true scale bar) and fitted into an SVG view box with north up. Pure.
 */
import { fromWgs84, type XY } from '../../../shared/geometry/crs.ts';

export type AreaGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;

export interface MapShape {
  key: string;
  geometry: AreaGeometry;
  /** `focus`: the parcel or park the map is about; `neighbour`: a parcel around it; `boundary`: a park outline. */
  role: 'focus' | 'neighbour' | 'boundary';
  /** Text written at the shape's centre (a plot code), or none. */
  label?: string | undefined;
  /** Extra class (a plot status) for the fill. */
  tone?: string | undefined;
}

export interface DrawnShape {
  key: string;
  role: MapShape['role'];
  d: string;
  label: string | undefined;
  labelAt: [number, number] | null;
  tone: string | undefined;
}

export interface LocationMapModel {
  width: number;
  height: number;
  shapes: DrawnShape[];
  /** A round length in metres and its drawn width, for the scale bar. */
  scale: { metres: number; px: number };
  /** View extent in EPSG:4547 metres: [minE, minN, maxE, maxN]. */
  extent: [number, number, number, number];
}

type Rings = XY[][];

function projectedRings(g: AreaGeometry): Rings {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return polys.flatMap((poly) => poly.map((ring) => ring.map((p) => fromWgs84('EPSG:4547', [p[0] as number, p[1] as number]))));
}

function extentOf(rings: Rings): [number, number, number, number] | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const r of rings)
    for (const [x, y] of r) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
  return minX <= maxX ? [minX, minY, maxX, maxY] : null;
}

/** The largest 1-2-5 × 10ⁿ length not longer than `max` metres. */
export function niceLength(max: number): number {
  if (!(max > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [5, 2, 1]) if (m * p <= max) return m * p;
  return p;
}

/** Area-weighted centre of the largest ring (label point), in projected metres. */
function labelPoint(rings: Rings): XY | null {
  let best: { a: number; c: XY } | null = null;
  for (const r of rings) {
    let a = 0;
    let cx = 0;
    let cy = 0;
    for (let i = 0; i + 1 < r.length; i++) {
      const [x0, y0] = r[i]!;
      const [x1, y1] = r[i + 1]!;
      const f = x0 * y1 - x1 * y0;
      a += f;
      cx += (x0 + x1) * f;
      cy += (y0 + y1) * f;
    }
    if (a !== 0 && (!best || Math.abs(a) > best.a)) best = { a: Math.abs(a), c: [cx / (3 * a), cy / (3 * a)] };
  }
  return best?.c ?? null;
}

/**
 * Lays out the shapes: the view is the focus shapes' extent grown by `margin` (a share of its
 * size on each side, so the neighbours show), kept to the box's aspect; neighbours wholly outside
 * the view are left out. Coordinates in the SVG are rounded to 0.1 px.
 */
export function buildLocationMap(shapes: readonly MapShape[], opts: { width?: number; height?: number; margin?: number; pad?: number } = {}): LocationMapModel | null {
  const width = opts.width ?? 480;
  const height = opts.height ?? 320;
  const margin = opts.margin ?? 0.6;
  const pad = opts.pad ?? 12;
  const projected = shapes.map((s) => ({ s, rings: projectedRings(s.geometry) }));
  const focus = extentOf(projected.filter((p) => p.s.role !== 'neighbour').flatMap((p) => p.rings));
  if (!focus) return null;
  const [fx0, fy0, fx1, fy1] = focus;
  const fw = Math.max(fx1 - fx0, 1);
  const fh = Math.max(fy1 - fy0, 1);
  let w = fw * (1 + 2 * margin);
  let h = fh * (1 + 2 * margin);
  const aspect = (width - 2 * pad) / (height - 2 * pad);
  if (w / h > aspect) h = w / aspect;
  else w = h * aspect;
  const cx = (fx0 + fx1) / 2;
  const cy = (fy0 + fy1) / 2;
  const extent: [number, number, number, number] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
  const k = (width - 2 * pad) / w;
  const px = ([x, y]: XY): [number, number] => [Math.round((pad + (x - extent[0]) * k) * 10) / 10, Math.round((pad + (extent[3] - y) * k) * 10) / 10];
  const drawn: DrawnShape[] = [];
  for (const { s, rings } of projected) {
    const e = extentOf(rings);
    if (!e || e[2] < extent[0] || e[0] > extent[2] || e[3] < extent[1] || e[1] > extent[3]) continue;
    const d = rings
      .filter((r) => r.length >= 3)
      .map((r) => `M${r.map((p) => px(p).join(' ')).join('L')}Z`)
      .join('');
    const lp = s.label ? labelPoint(rings) : null;
    drawn.push({ key: s.key, role: s.role, d, label: s.label, labelAt: lp ? px(lp) : null, tone: s.tone });
  }
  // Focus last, so it is drawn over its neighbours; boundaries first.
  const order = { boundary: 0, neighbour: 1, focus: 2 } as const;
  drawn.sort((a, b) => order[a.role] - order[b.role]);
  const metres = niceLength(w / 4);
  return { width, height, shapes: drawn, scale: { metres, px: Math.round(metres * k * 10) / 10 }, extent };
}

/** A bbox (WGS84) around a geometry, grown by `factor` of its size each side: where to look for neighbours. */
export function searchBox(g: AreaGeometry, factor = 1): [number, number, number, number] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const poly of polys)
    for (const ring of poly)
      for (const p of ring) {
        minX = Math.min(minX, p[0] as number);
        minY = Math.min(minY, p[1] as number);
        maxX = Math.max(maxX, p[0] as number);
        maxY = Math.max(maxY, p[1] as number);
      }
  const dx = Math.max(maxX - minX, 0.001) * factor;
  const dy = Math.max(maxY - minY, 0.001) * factor;
  return [minX - dx, minY - dy, maxX + dx, maxY + dy];
}
