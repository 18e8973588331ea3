/**
 * Snapping for the map editor: a vertex being placed or dragged jumps to a neighbouring plot's
 * vertex, or onto its edge, or onto the park boundary, when the pointer is within a few pixels.
 * Vertices win over edges (a corner shared with a neighbour is the usual intent). Pure: the
 * caller passes the map's `project` (lon/lat → screen pixels), so tests use a plain function.
 *
 * A point snapped onto an edge is interpolated along the edge in lon/lat — the plane in which
 * shared/geometry.ts measures overlaps — so the new edge lies exactly on the neighbour's.
 *
 * terra-draw calls `snapToCustom`'s result on every pointer move while drawing (polygon and
 * line modes) and while dragging a vertex in select mode (`snapping: { toCustom }`).
 */
import { geometryBBox, polygonsOf, type LonLat, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { BBox } from '../../../shared/domain.ts';

export type ProjectFn = (lng: number, lat: number) => { x: number; y: number };

export interface SnapSource {
  geometry: PlotGeometry;
  kind: 'plot' | 'park';
  /** The plot's code (for the hint "snapped to P06-012"). */
  code?: string;
}

export interface SnapResult {
  position: LonLat;
  target: 'vertex' | 'edge';
  kind: SnapSource['kind'];
  code?: string;
  /** Screen distance from the pointer, px. */
  distancePx: number;
}

export const SNAP_TOLERANCE_PX = 10;

interface Prepared {
  source: SnapSource;
  bbox: BBox;
}

/** Sources with their boxes, computed once per data change (not per pointer move). */
export function prepareSnapSources(sources: readonly SnapSource[]): Prepared[] {
  return sources.map((source) => ({ source, bbox: geometryBBox(source.geometry) }));
}

/**
 * The snapped position for a pointer at screen `pointer` (and `lngLat`), or null when nothing
 * is within `tolerancePx`. `degreesPerPx` (roughly, at the pointer) lets whole sources far from
 * the pointer be skipped by their bounding box.
 */
export function snapPoint(
  pointer: { x: number; y: number },
  lngLat: LonLat,
  sources: readonly Prepared[],
  project: ProjectFn,
  tolerancePx = SNAP_TOLERANCE_PX,
  degreesPerPx?: number,
): SnapResult | null {
  const margin = degreesPerPx !== undefined ? degreesPerPx * tolerancePx * 1.5 : Infinity;
  let vertex: SnapResult | null = null;
  let edge: SnapResult | null = null;
  for (const { source, bbox } of sources) {
    if (
      lngLat[0] < bbox[0] - margin || lngLat[0] > bbox[2] + margin ||
      lngLat[1] < bbox[1] - margin || lngLat[1] > bbox[3] + margin
    ) continue;
    for (const poly of polygonsOf(source.geometry)) {
      for (const ring of poly) {
        let prev: { x: number; y: number } | null = null;
        for (let i = 0; i < ring.length; i++) {
          const p = ring[i]!;
          const s = project(p[0], p[1]);
          const d = Math.hypot(s.x - pointer.x, s.y - pointer.y);
          if (d <= tolerancePx && (!vertex || d < vertex.distancePx)) {
            vertex = { position: [p[0], p[1]], target: 'vertex', kind: source.kind, ...(source.code ? { code: source.code } : {}), distancePx: d };
          }
          if (prev && i > 0) {
            const a = ring[i - 1]!;
            const dx = s.x - prev.x, dy = s.y - prev.y;
            const len2 = dx * dx + dy * dy;
            if (len2 > 0) {
              const t = ((pointer.x - prev.x) * dx + (pointer.y - prev.y) * dy) / len2;
              if (t > 0 && t < 1) {
                const de = Math.hypot(prev.x + t * dx - pointer.x, prev.y + t * dy - pointer.y);
                if (de <= tolerancePx && (!edge || de < edge.distancePx)) {
                  edge = {
                    position: [a[0] + t * (p[0] - a[0]), a[1] + t * (p[1] - a[1])],
                    target: 'edge',
                    kind: source.kind,
                    ...(source.code ? { code: source.code } : {}),
                    distancePx: de,
                  };
                }
              }
            }
          }
          prev = s;
        }
      }
    }
  }
  return vertex ?? edge;
}
