/**
 * Plot geometry: the types, the limits the checks use and the issue vocabulary. Positions are
 * WGS84 [lon, lat] (RFC 7946).
 */
import type { BBox } from '../domain.ts';
import type { LonLat } from './crs.ts';

export type { LonLat } from './crs.ts';
export type PlotGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;

/** A plot may lie this far (m) outside its park boundary (survey vs indicative boundary). */
export const PARK_TOLERANCE_M = 0.5;
/** …or have at least this share of its area inside the park. */
export const PARK_MIN_INSIDE_FRACTION = 0.999;
/** Intersections with another active plot up to this area (m²) are drawing noise, not overlap. */
export const OVERLAP_TOLERANCE_M2 = 0.5;
/** Surveyed vs geometric area: warn above 1 %, refuse above 5 %. */
export const AREA_WARN_FRACTION = 0.01;
export const AREA_REFUSE_FRACTION = 0.05;
/** Vertices per plot (all rings). */
export const MAX_VERTICES = 10_000;
/** A plot smaller than this (m²) is a drawing slip, not a plot. */
export const MIN_AREA_M2 = 1;

export const GEOMETRY_ISSUE_CODES = [
  'GEOMETRY_MISSING',
  'GEOMETRY_TYPE',
  'GEOMETRY_MALFORMED',
  'COORDINATE_NOT_FINITE',
  'COORDINATE_OUT_OF_RANGE',
  'LOOKS_PROJECTED',
  'OUTSIDE_GUANGZHOU',
  'RING_TOO_SHORT',
  'RING_NOT_CLOSED',
  'TOO_MANY_VERTICES',
  'WRONG_WINDING',
  'SELF_INTERSECTION',
  'HOLE_OUTSIDE_SHELL',
  'PARTS_OVERLAP',
  'AREA_TOO_SMALL',
  'OUTSIDE_PARK',
  'OVERLAPS_PLOT',
  'AREA_MISMATCH',
  'AREA_DIFFERS',
] as const;
export type GeometryIssueCode = (typeof GEOMETRY_ISSUE_CODES)[number];

export interface GeometryIssue {
  code: GeometryIssueCode;
  messageZh: string;
  messageEn: string;
  /** Where on the map, WGS84 [lon, lat], when there is one place to point at. */
  where?: LonLat;
  /** The other plot, for OVERLAPS_PLOT. */
  plotCode?: string;
  plotId?: number;
  /** Figures behind the message (m², m, fractions), for the UI. */
  figures?: Record<string, number>;
}

export interface Neighbour {
  code: string;
  id?: number;
  geometry: PlotGeometry;
}

export interface ValidationContext {
  /** The plot's park; omit to skip the containment check. */
  park?: { code: string; nameZh?: string; geometry: PlotGeometry } | null;
  /** Active plots near it (the caller pre-filters by bbox; the plot itself excluded). */
  neighbours?: readonly Neighbour[];
  /** The surveyed area (宗地面积, m²) to reconcile with the geometry. */
  surveyedAreaM2?: number | null;
  guangzhouBBox?: BBox;
  /** District boundaries: when given, the plot must lie in one of them, not just in the bbox. */
  districts?: readonly PlotGeometry[];
  maxVertices?: number;
}

export interface GeometryValidation {
  ok: boolean;
  errors: GeometryIssue[];
  warnings: GeometryIssue[];
  /** Geometric area (m², CGCS2000 GK plane, 2 decimals), or null when the shape is unusable. */
  areaM2: number | null;
  /** Closed and re-wound geometry, when closure/winding were the only errors. */
  fixed?: PlotGeometry;
}

/** Every polygon of a geometry as rings of [lon, lat]. */
export function polygonsOf(g: PlotGeometry): LonLat[][][] {
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as LonLat[][][];
}

/** The same geometry with 2-D positions (an altitude, allowed by RFC 7946, is dropped). Assumes a checked shape. */
export function stripZ<G extends PlotGeometry>(g: G): G {
  const ring = (r: GeoJSON.Position[]) => r.map((p) => [p[0]!, p[1]!]);
  return (g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: g.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: (g as GeoJSON.MultiPolygon).coordinates.map((poly) => poly.map(ring)) }) as G;
}
