/**
 * The scale dataset generator (seeds/scale.ts, issue #17): determinism, the size distribution
 * (500–50,000 m², median ≈ 3,000 m²), zones inside their districts and clear of the parks,
 * parcels inside their zones, no overlaps (bbox + turf on a sample), and shared edges between
 * neighbours (a cadastre: pairs of parcels with the same two consecutive vertices).
 */
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateScale, planZones, SCALE_MAX_M2, SCALE_MIN_M2, type DistrictForZones, type ScaleParcel, type ZoneSeed } from '../../seeds/scale.ts';
import { geometryAreaM2, validatePlotGeometry } from '../../shared/geometry/index.ts';

const read = <P>(name: string) =>
  JSON.parse(readFileSync(new URL(`../../geodata/${name}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, P>;
const districts: DistrictForZones[] = read<{ code: string; nameZh: string; nameEn: string }>('districts.geojson').features.map((f) => ({
  code: f.properties.code, nameZh: f.properties.nameZh, nameEn: f.properties.nameEn, geometry: f.geometry,
}));
const parks = read<{ code: string }>('parks.geojson').features.map((f) => ({ code: f.properties.code, geometry: f.geometry }));

function run(total: number, seed = 'unit-scale') {
  const zones: ZoneSeed[] = [];
  const parcels: (ScaleParcel & { zone: string })[] = [];
  for (const z of generateScale(districts, parks, { seed, total })) {
    zones.push(z.zone);
    for (const p of z.parcels) parcels.push({ ...p, zone: z.zone.code });
  }
  return { zones, parcels };
}

const N = 20_000;
const big = run(N);
const geom = (p: ScaleParcel) => JSON.parse(p.geometryJson) as Polygon;
const overlaps = (a: number[], b: number[]) => !(a[2]! < b[0]! || b[2]! < a[0]! || a[3]! < b[1]! || b[3]! < a[1]!);

describe('generateScale', () => {
  it('gives exactly the parcels asked for, with unique zone-prefixed codes, spread over all eleven districts', () => {
    expect(big.parcels).toHaveLength(N);
    expect(new Set(big.parcels.map((p) => p.code)).size).toBe(N);
    for (const p of big.parcels.slice(0, 500)) expect(p.code.startsWith(`${p.zone}-`)).toBe(true);
    expect(new Set(big.zones.map((z) => z.districtCode)).size).toBe(11);
    expect(run(0).parcels).toHaveLength(0);
  });

  it('is deterministic: same seed → same zones and parcels; another seed → others', () => {
    const again = run(3_000);
    expect(again.parcels).toEqual(big.parcels.slice(0, 3_000)); // also: a smaller run is a prefix of a larger one
    expect(again.zones.map((z) => z.code)).toEqual(big.zones.slice(0, again.zones.length).map((z) => z.code));
    const other = run(3_000, 'another seed');
    expect(other.parcels.map((p) => p.geometryJson)).not.toEqual(again.parcels.map((p) => p.geometryJson));
  });

  it('draws realistic sizes: 500–50,000 m², median within 2,500–3,500 m², a spread of sizes', () => {
    const areas = big.parcels.map((p) => p.areaM2).sort((a, b) => a - b);
    expect(areas[0]!).toBeGreaterThanOrEqual(SCALE_MIN_M2);
    expect(areas[areas.length - 1]!).toBeLessThanOrEqual(SCALE_MAX_M2);
    const median = areas[areas.length >> 1]!;
    expect(median).toBeGreaterThanOrEqual(2_500);
    expect(median).toBeLessThanOrEqual(3_500);
    expect(areas[Math.floor(areas.length * 0.9)]! / areas[Math.floor(areas.length * 0.1)]!).toBeGreaterThan(3); // not all alike
    expect(areas[areas.length - 1]!).toBeGreaterThan(15_000);
  });

  it('stores the EPSG:4547 plane area of each geometry, and a bbox that bounds it', () => {
    for (const p of big.parcels.slice(0, 2_000)) {
      const g = geom(p);
      expect(p.areaM2).toBe(Math.round(geometryAreaM2(g) * 100) / 100);
      expect(p.bbox).toEqual(turf.bbox(g));
    }
  });

  it('makes valid counter-clockwise polygons of 4 to 8 corners: quadrilaterals, pentagons and some L-shapes', () => {
    const corners = new Map<number, number>();
    for (const p of big.parcels.slice(0, 5_000)) {
      const g = geom(p);
      expect(validatePlotGeometry(g).ok, p.code).toBe(true);
      expect(turf.booleanClockwise(g.coordinates[0]!), p.code).toBe(false);
      const n = g.coordinates[0]!.length - 1;
      corners.set(n, (corners.get(n) ?? 0) + 1);
    }
    expect(corners.get(4) ?? 0).toBeGreaterThan(1_000);
    expect(corners.get(5) ?? 0).toBeGreaterThan(100);
    expect([...corners.keys()].some((n) => n >= 6)).toBe(true);
  });

  it('puts zones inside their districts, clear of the parks and of each other', () => {
    const plans = planZones(districts, parks, 'unit-scale');
    const byCode = new Map(districts.map((d) => [d.code, d]));
    for (const z of plans.slice(0, 120).map((p) => p.zone)) {
      expect(turf.booleanWithin(z.geometry, byCode.get(z.districtCode)!.geometry), z.code).toBe(true);
      for (const park of parks) expect(turf.booleanIntersects(z.geometry, park.geometry), `${z.code}/${park.code}`).toBe(false);
    }
    const zs = plans.map((p) => p.zone);
    for (let i = 0; i < zs.length; i++) {
      for (let j = i + 1; j < zs.length; j++) {
        if (!overlaps(zs[i]!.bbox, zs[j]!.bbox)) continue;
        expect(turf.booleanIntersects(zs[i]!.geometry, zs[j]!.geometry), `${zs[i]!.code}/${zs[j]!.code}`).toBe(false);
      }
    }
    expect(zs.length * 300).toBeGreaterThan(1_000_000); // room for a million parcels
  });

  it('puts every parcel inside its zone, none overlapping another (a sample of zones)', () => {
    const zoneByCode = new Map(big.zones.map((z) => [z.code, z]));
    const sampleZones = new Set(big.zones.slice(0, 6).map((z) => z.code));
    const sample = big.parcels.filter((p) => sampleZones.has(p.zone));
    expect(sample.length).toBeGreaterThan(1_000);
    for (const p of sample) expect(turf.booleanWithin(geom(p), zoneByCode.get(p.zone)!.geometry), p.code).toBe(true);
    const bad: string[] = [];
    const gs = sample.map(geom);
    for (let i = 0; i < sample.length; i++) {
      for (let j = i + 1; j < sample.length; j++) {
        if (!overlaps(sample[i]!.bbox, sample[j]!.bbox)) continue;
        const x = turf.intersect(turf.featureCollection([turf.feature(gs[i]!), turf.feature(gs[j]!)]));
        if (x && geometryAreaM2(x.geometry) > 0.01) bad.push(`${sample[i]!.code}/${sample[j]!.code}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('shares edges between neighbours: pairs of parcels with the same two consecutive vertices', () => {
    const owner = new Map<string, string>();
    let shared = 0;
    for (const p of big.parcels.slice(0, 3_000)) {
      const ring = geom(p).coordinates[0]!;
      for (let i = 0; i < ring.length - 1; i++) {
        const a = ring[i]!.join(','), b = ring[i + 1]!.join(',');
        const other = owner.get(`${b}|${a}`); // a neighbour runs the shared edge the other way
        if (other !== undefined && other !== p.code) shared++;
        owner.set(`${a}|${b}`, p.code);
      }
    }
    expect(shared).toBeGreaterThan(2_000);
  });

  it('marks parcels available or held, with attributes in the ranges of the demo generator', () => {
    const held = big.parcels.filter((p) => p.status === 'held').length;
    expect(held).toBeGreaterThan(0);
    expect(held / N).toBeLessThan(0.06);
    for (const p of big.parcels.slice(0, 1_000)) {
      expect(['M0', 'M1', 'M2']).toContain(p.landUse);
      expect(p.landLevel).toBeGreaterThanOrEqual(1);
      expect(p.landLevel).toBeLessThanOrEqual(5);
      expect(p.plotRatioMin).toBeLessThanOrEqual(p.plotRatioMax);
      expect(p.location).toMatch(/以南、.+以东地块$/);
      expect(JSON.parse(p.conditionsJson)).toMatchObject({ startWithinMonths: 12, completeWithinMonths: 36 });
    }
  });

  it('refuses a total the districts cannot hold, and a bad total', () => {
    expect(() => [...generateScale(districts, parks, { seed: 'x', total: -1 })]).toThrow(RangeError);
    expect(() => [...generateScale(districts.slice(2, 3), parks, { seed: 'x', total: 1_000_000 })]).toThrow(/hold/);
  });
});
