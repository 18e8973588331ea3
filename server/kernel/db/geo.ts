import { bbox as turfBbox } from '@turf/bbox';
import type { BBox } from '../../../shared/domain.ts';

/** PostgreSQL `box` literal for a bbox: '(west,south),(east,north)'. */
export function bboxToPgBox([w, s, e, n]: BBox): string {
  return `(${w},${s}),(${e},${n})`;
}

/** The `box` literal of a geometry's bounding box, for the GiST-indexed `bbox` column. */
export function geometryPgBox(geometry: GeoJSON.Geometry): string {
  const [w, s, e, n] = turfBbox(geometry) as BBox;
  return bboxToPgBox([w, s, e, n]);
}
