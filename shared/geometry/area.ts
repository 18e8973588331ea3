/**
 * The one area model: the plane area in CGCS2000 / 3-degree Gauss–Krüger CM 114°E (EPSG:4547) —
 * how a 宗地面积 is surveyed in Guangzhou — for plots, parks and every intersection of them.
 * (A spherical area such as turf's reads about 0.24 % more at Guangzhou's latitude; that bias
 * alone would eat a quarter of the 1 % warning band, so nothing in the product uses it.)
 */
import { featureCollection } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { fromWgs84, type LonLat } from './crs.ts';
import { polygonsOf, type PlotGeometry } from './types.ts';

/** Twice the signed planar area of a ring (positive = counter-clockwise). */
export function signedArea2(ring: readonly (readonly number[])[]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a;
}

/** Plane area (m²) of one ring in CGCS2000 GK CM 114°E. */
export function ringAreaGK(ring: readonly LonLat[]): number {
  const xy = ring.map((p) => fromWgs84('EPSG:4547', p));
  return Math.abs(signedArea2(xy)) / 2;
}

/**
 * Geometric area in m²: the plane area in CGCS2000 / 3-degree GK CM 114°E (EPSG:4547), how
 * surveyed areas are computed. Holes subtract whatever their winding. Not rounded.
 */
export function geometryAreaM2(g: PlotGeometry): number {
  let total = 0;
  for (const poly of polygonsOf(g)) {
    poly.forEach((ring, i) => {
      const a = ringAreaGK(ring);
      total += i === 0 ? a : -a;
    });
  }
  return total;
}

/**
 * Plane area (m²) of the intersection of two geometries (turf `intersect`, then the EPSG:4547
 * plane area); 0 when they do not meet. Not rounded.
 */
export function intersectionAreaM2(a: PlotGeometry, b: PlotGeometry): number {
  const x = intersect(featureCollection<PlotGeometry>([
    { type: 'Feature', properties: {}, geometry: a },
    { type: 'Feature', properties: {}, geometry: b },
  ]));
  return x ? geometryAreaM2(x.geometry) : 0;
}
