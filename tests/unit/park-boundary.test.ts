/**
 * Reading an uploaded park boundary (shared/geometry/park-boundary.ts; 逐年认定 of recognized parks):
 * the shapes accepted, the repairs made (repeated points, winding, elevation), and the refusals
 * with messages in both languages that say what to change.
 */
import { describe, expect, it } from 'vitest';
import { area, booleanClockwise } from '@turf/turf';
import { readParkBoundary } from '../../shared/geometry/park-boundary.ts';
import { geometryAreaM2 } from '../../shared/geometry/index.ts';

type Ring = [number, number][];
const square = (lon: number, lat: number, half = 0.004): Ring => [
  [lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half], [lon - half, lat + half], [lon - half, lat - half],
];

describe('readParkBoundary', () => {
  it('accepts a Polygon, a Feature and a one-feature FeatureCollection alike, with the EPSG:4547 plane area to the cent', () => {
    const g = { type: 'Polygon' as const, coordinates: [square(113.335, 23.135)] };
    const expected = Math.round(geometryAreaM2(g) * 100) / 100;
    expect(area(g)).toBeGreaterThan(expected * 1.002); // not the sphere's (turf)
    for (const input of [g, { type: 'Feature', properties: { code: 'R1' }, geometry: g }, { type: 'FeatureCollection', features: [{ type: 'Feature', properties: null, geometry: g }] }]) {
      const r = readParkBoundary(input);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.areaM2).toBe(expected);
    }
    const f = readParkBoundary({ type: 'Feature', properties: { code: 'R1' }, geometry: g });
    expect(f.ok && f.properties).toEqual({ code: 'R1' });
  });

  it('rewinds a clockwise outer ring to RFC 7946 order, drops repeated points and elevations', () => {
    const cw = [...square(113.335, 23.135)].reverse();
    const withDup = [cw[0]!, cw[0]!, ...cw.slice(1)].map(([x, y]) => [x, y, 12.5]);
    const r = readParkBoundary({ type: 'Polygon', coordinates: [withDup] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.removedDuplicatePoints).toBe(1);
    const ring = (r.geometry as GeoJSON.Polygon).coordinates[0]!;
    expect(ring).toHaveLength(5);
    expect(ring.every((p) => p.length === 2)).toBe(true);
    expect(booleanClockwise(ring)).toBe(false);
  });

  it('keeps a MultiPolygon of two parts, and a one-part MultiPolygon becomes a Polygon', () => {
    const two = readParkBoundary({ type: 'MultiPolygon', coordinates: [[square(113.335, 23.135)], [square(113.36, 23.14)]] });
    expect(two.ok && two.geometry.type).toBe('MultiPolygon');
    const one = readParkBoundary({ type: 'MultiPolygon', coordinates: [[square(113.335, 23.135)]] });
    expect(one.ok && one.geometry.type).toBe('Polygon');
  });

  it.each([
    ['not GeoJSON', 'hello', /must be a GeoJSON object/],
    ['a feature without geometry', { type: 'Feature', properties: {}, geometry: null }, /has no geometry/],
    ['an empty collection', { type: 'FeatureCollection', features: [] }, /holds 0 features/],
    ['a GeometryCollection', { type: 'GeometryCollection', geometries: [] }, /A GeometryCollection cannot be a park boundary/],
    ['a string coordinate', { type: 'Polygon', coordinates: [[[113.3, '23.1'], [113.31, 23.1], [113.31, 23.11], [113.3, 23.1]]] }, /invalid position/],
    ['NaN', { type: 'Polygon', coordinates: [[[113.3, NaN], [113.31, 23.1], [113.31, 23.11], [113.3, 23.1]]] }, /invalid position/],
    ['an open ring', { type: 'Polygon', coordinates: [square(113.3, 23.1).slice(0, 4)] }, /not closed/],
    ['an open hole', { type: 'Polygon', coordinates: [square(113.3, 23.1), square(113.3, 23.1, 0.001).slice(0, 4)] }, /Hole 1 is not closed/],
    ['a second part that is open', { type: 'MultiPolygon', coordinates: [[square(113.3, 23.1)], [square(113.4, 23.1).slice(0, 4)]] }, /Part 2: The outer ring is not closed/],
    ['projected metres (EPSG:4547)', { type: 'Polygon', coordinates: [square(440_000, 2_560_000, 500)] }, /projected metres/],
    ['swapped axes', { type: 'Polygon', coordinates: [square(23.1, 113.3)] }, /latitude, longitude order/],
    ['a longitude of 200', { type: 'Polygon', coordinates: [square(200, 23.1)] }, /outside the WGS84 range/],
    ['a bow tie', { type: 'Polygon', coordinates: [[[113.33, 23.13], [113.34, 23.14], [113.34, 23.13], [113.33, 23.14], [113.33, 23.13]]] }, /intersects itself/],
  ])('refuses %s', (_w, input, message) => {
    const r = readParkBoundary(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.code).toBe('VALIDATION_FAILED');
    expect(r.field).toBe('boundary');
    expect(r.messageEn).toMatch(message);
    expect(r.messageZh.length).toBeGreaterThan(4);
  });
});
