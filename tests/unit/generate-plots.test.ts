/**
 * The sample-plot generator (seeds/generate-plots.ts) on the shipped parks and on awkward
 * shapes: counts, containment, no overlaps, determinism, and plausible attributes.
 */
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import { geometryAreaM2 } from '../../shared/geometry/index.ts';
import type { FeatureCollection, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generatePlots, type ParkForPlots, type PlotSeed } from '../../seeds/generate-plots.ts';

const shipped = JSON.parse(readFileSync(new URL('../../geodata/parks.geojson', import.meta.url), 'utf8')) as FeatureCollection<
  Polygon,
  { code: string; districtCode: string; sectors: string[] }
>;
const parks: ParkForPlots[] = shipped.features.map((f) => ({
  code: f.properties.code, geometry: f.geometry, districtCode: f.properties.districtCode, sectors: f.properties.sectors,
}));
const parkByCode = new Map(parks.map((p) => [p.code, p]));

/** A square park of side `sideM` metres around a point in 黄埔 (tiny builder for odd cases). */
function squarePark(code: string, sideM: number, lon = 113.45, lat = 23.17): ParkForPlots {
  return { code, geometry: turf.polygon([squareRing(lon, lat, sideM)]).geometry, districtCode: '440112', sectors: ['ai'] };
}
function squareRing(lon: number, lat: number, sideM: number, clockwise = false): [number, number][] {
  const dLat = sideM / 2 / 111195, dLon = dLat / Math.cos((lat * Math.PI) / 180);
  const ring: [number, number][] = [[lon - dLon, lat - dLat], [lon + dLon, lat - dLat], [lon + dLon, lat + dLat], [lon - dLon, lat + dLat]];
  if (clockwise) ring.reverse();
  return [...ring, ring[0]!];
}

const byPark = (plots: PlotSeed[]) => {
  const m = new Map<string, PlotSeed[]>();
  for (const p of plots) m.set(p.parkCode, [...(m.get(p.parkCode) ?? []), p]);
  return m;
};

/** Pairs of plots whose interiors overlap by ≥ 0.5 m² (shared edges are fine); bbox prefilter. */
function overlappingPairs(plots: PlotSeed[]): string[] {
  const boxes = plots.map((p) => turf.bbox(p.geometry));
  const bad: string[] = [];
  for (let i = 0; i < plots.length; i++) {
    for (let j = i + 1; j < plots.length; j++) {
      const a = boxes[i]!, b = boxes[j]!;
      if (a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1]) continue;
      const x = turf.intersect(turf.featureCollection([turf.feature(plots[i]!.geometry), turf.feature(plots[j]!.geometry)]));
      if (x && turf.area(x) >= 0.5) bad.push(`${plots[i]!.code}/${plots[j]!.code}`);
    }
  }
  return bad;
}

const demo = generatePlots(parks, { seed: 'unit-test' });

describe('generatePlots on the shipped parks (default 20–60 per park)', () => {
  it('gives every park between 20 and 60 plots, with unique park-prefixed codes', () => {
    const groups = byPark(demo);
    expect([...groups.keys()].sort()).toEqual(parks.map((p) => p.code));
    for (const [code, plots] of groups) {
      expect(plots.length, code).toBeGreaterThanOrEqual(20);
      expect(plots.length, code).toBeLessThanOrEqual(60);
      plots.forEach((p, i) => expect(p.code).toBe(`${code}-${String(i + 1).padStart(4, '0')}`));
    }
    expect(new Set(demo.map((p) => p.code)).size).toBe(demo.length);
  });

  it('puts every plot inside its park', () => {
    for (const p of demo) expect(turf.booleanWithin(p.geometry, parkByCode.get(p.parkCode)!.geometry), p.code).toBe(true);
  });

  it('never overlaps two plots of a park', () => {
    for (const [code, plots] of byPark(demo)) expect(overlappingPairs(plots), code).toEqual([]);
  });

  it('records areaM2 as the EPSG:4547 plane area of the geometry (2 decimals), not the sphere’s, in plausible sizes (hectares)', () => {
    for (const p of demo) {
      expect(Math.abs(p.areaM2 - geometryAreaM2(p.geometry)), p.code).toBeLessThanOrEqual(0.00501);
      // The sphere (turf.area) reads about 0.24 % more at Guangzhou: the plane area is what a survey and GDAL give.
      const sphere = turf.area(p.geometry);
      expect((sphere - p.areaM2) / p.areaM2, p.code).toBeGreaterThan(0.002);
      expect((sphere - p.areaM2) / p.areaM2, p.code).toBeLessThan(0.003);
      expect(Math.round(p.areaM2 * 100) / 100).toBe(p.areaM2);
      expect(p.areaM2).toBeGreaterThan(2_000);
      expect(p.areaM2).toBeLessThan(300_000);
    }
    // Not every square metre is plotted: roads and unused cells remain.
    for (const [code, plots] of byPark(demo)) {
      const plotted = plots.reduce((a, p) => a + p.areaM2, 0);
      expect(plotted / geometryAreaM2(parkByCode.get(code)!.geometry), code).toBeLessThan(0.8);
    }
  });

  it('writes counter-clockwise rectangles with 7-decimal coordinates', () => {
    for (const p of demo) {
      const ring = p.geometry.coordinates[0]!;
      expect(p.geometry.coordinates).toHaveLength(1);
      expect(ring).toHaveLength(5);
      expect(ring[0]).toEqual(ring[4]);
      expect(turf.booleanClockwise(ring)).toBe(false);
      for (const [x, y] of ring) expect([Math.round(x! * 1e7) / 1e7, Math.round(y! * 1e7) / 1e7]).toEqual([x, y]);
    }
  });

  it('is mostly available, with some allocated and a few held', () => {
    const count = (s: PlotSeed['status']) => demo.filter((p) => p.status === s).length;
    expect(count('available')).toBeGreaterThan(demo.length / 2);
    expect(count('allocated')).toBeGreaterThanOrEqual(1);
    expect(count('held')).toBeGreaterThanOrEqual(1);
    expect(count('available') + count('allocated') + count('held')).toBe(demo.length);
  });

  it('gives planning conditions within DOMAIN.md’s ranges for the land use, all marked sample', () => {
    const ratio = { M0: [3.0, 5.0], M1: [2.0, 4.0], M2: [1.2, 3.5] } as const;
    for (const p of demo) {
      const [lo, hi] = ratio[p.landUse];
      expect(p.plotRatioMin).toBeGreaterThanOrEqual(lo);
      expect(p.plotRatioMax).toBeLessThanOrEqual(hi);
      expect(p.plotRatioMin).toBeLessThan(p.plotRatioMax);
      expect(p.landLevel).toBeGreaterThanOrEqual(1);
      expect(p.landLevel).toBeLessThanOrEqual(5);
      expect(Number.isInteger(p.landLevel)).toBe(true);
      expect(p.buildingDensityMaxPct).toBeGreaterThan(0);
      expect(p.buildingDensityMaxPct).toBeLessThanOrEqual(100);
      expect(p.greenRatioMinPct).toBeGreaterThan(0);
      expect(p.heightLimitM).toBeGreaterThan(0);
      expect(p.investmentIntensityYuanPerM2).toBeGreaterThanOrEqual(8000);
      expect(p.investmentIntensityYuanPerM2).toBeLessThanOrEqual(15000);
      expect(Math.round(p.costYuan * 100) / 100).toBe(p.costYuan);
      expect(p.costYuan / p.areaM2).toBeGreaterThanOrEqual(299.99);
      expect(p.costYuan / p.areaM2).toBeLessThanOrEqual(900.01);
      expect(p.location).toMatch(/^(黄埔|海珠|增城|天河|番禺|南沙|花都|从化|白云)区.+地块$/);
      expect(p.sample).toBe(true);
    }
    expect(new Set(demo.map((p) => p.landUse))).toEqual(new Set(['M0', 'M1', 'M2']));
  });

  it('names the managing district in the location, so Bio Island plots say 黄埔区', () => {
    expect(demo.filter((p) => p.parkCode === 'P09').every((p) => p.location.startsWith('黄埔区'))).toBe(true);
  });
});

describe('generatePlots determinism', () => {
  it('returns identical plots for the same parks and seed', () => {
    expect(generatePlots(parks, { seed: 'unit-test' })).toEqual(demo);
  });

  it('returns different plots for a different seed', () => {
    const other = generatePlots(parks, { seed: 'another seed' });
    expect(other).not.toEqual(demo);
    expect(other.map((p) => p.geometry)).not.toEqual(demo.slice(0, other.length).map((p) => p.geometry));
  });

  it('keeps a park’s plots when another park is removed (one random stream per park)', () => {
    const opts = { seed: 'unit-test', perPark: [30, 30] as [number, number] };
    const all = generatePlots(parks, opts).filter((p) => p.parkCode === 'P05');
    expect(generatePlots(parks.filter((p) => p.code === 'P05'), opts)).toEqual(all);
  });
});

describe('generatePlots with a total', () => {
  it('gives exactly 5000 plots, shared out in proportion to park area', () => {
    const plots = generatePlots(parks, { seed: 'total', total: 5000 });
    expect(plots).toHaveLength(5000);
    const areas = parks.map((p) => geometryAreaM2(p.geometry));
    const sum = areas.reduce((a, b) => a + b, 0);
    const groups = byPark(plots);
    parks.forEach((p, i) => {
      expect(Math.abs(groups.get(p.code)!.length - (5000 * areas[i]!) / sum), p.code).toBeLessThan(1);
    });
    expect(new Set(plots.map((p) => p.code)).size).toBe(5000);
    for (const p of plots) expect(Math.abs(p.areaM2 - geometryAreaM2(p.geometry))).toBeLessThanOrEqual(0.00501);
  });

  it('gives no plots for total 0 or no parks', () => {
    expect(generatePlots(parks, { seed: 's', total: 0 })).toEqual([]);
    expect(generatePlots([], { seed: 's' })).toEqual([]);
    expect(generatePlots([], { seed: 's', total: 0 })).toEqual([]);
  });

  it('widens codes to 5 digits when a park has more than 9999 plots', () => {
    const plots = generatePlots([squarePark('PX', 2000)], { seed: 'wide', total: 10_000 });
    expect(plots).toHaveLength(10_000);
    expect(plots[0]!.code).toBe('PX-00001');
    expect(plots[9_999]!.code).toBe('PX-10000');
  });

  // Speed is measured in bench/ (npm run bench:plots prints the seeding time), not asserted here.
  it('makes exactly 100,000 plots with unique codes for the benchmarks', () => {
    const plots = generatePlots(parks, { seed: 'bench', total: 100_000 });
    expect(plots).toHaveLength(100_000);
    expect(new Set(plots.map((p) => p.code)).size).toBe(100_000);
  }, 60_000);
});

describe('generatePlots on awkward parks', () => {
  it('handles a MultiPolygon park: plots in either part, none across the gap', () => {
    const a = squareRing(113.45, 23.17, 800), b = squareRing(113.47, 23.17, 600);
    const park: ParkForPlots = { code: 'PM', geometry: { type: 'MultiPolygon', coordinates: [[a], [b]] }, districtCode: '440112', sectors: ['ngit'] };
    const plots = generatePlots([park], { seed: 'multi', perPark: [25, 25] });
    expect(plots).toHaveLength(25);
    const inA = plots.filter((p) => turf.booleanWithin(p.geometry, turf.polygon([a]))).length;
    const inB = plots.filter((p) => turf.booleanWithin(p.geometry, turf.polygon([b]))).length;
    expect(inA + inB).toBe(25);
    expect(inA).toBeGreaterThan(0);
    expect(inB).toBeGreaterThan(0);
    expect(overlappingPairs(plots)).toEqual([]);
  });

  it('keeps plots out of a hole in the park', () => {
    const outer = squareRing(113.45, 23.17, 1200), hole = squareRing(113.45, 23.17, 500, true);
    const park: ParkForPlots = { code: 'PH', geometry: { type: 'Polygon', coordinates: [outer, hole] }, districtCode: '440112', sectors: ['biomed'] };
    const plots = generatePlots([park], { seed: 'hole', perPark: [40, 40] });
    expect(plots).toHaveLength(40);
    for (const p of plots) {
      expect(turf.booleanWithin(p.geometry, park.geometry), p.code).toBe(true);
      expect(turf.booleanIntersects(p.geometry, turf.polygon([[...hole].reverse()])), p.code).toBe(false);
    }
  });

  it('still gives its minimum in a tiny park (1 ha) by using smaller cells', () => {
    const plots = generatePlots([squarePark('PT', 100)], { seed: 'tiny', perPark: [20, 20] });
    expect(plots).toHaveLength(20);
    for (const p of plots) expect(turf.booleanWithin(p.geometry, squarePark('PT', 100).geometry)).toBe(true);
    expect(overlappingPairs(plots)).toEqual([]);
  });

  it('says why when a park is too small for the plots asked of it', () => {
    expect(() => generatePlots([squarePark('PZ', 15)], { seed: 'x', perPark: [20, 20] })).toThrow(/park PZ .*cannot hold 20 plots/);
  });

  it('refuses a nonsense range or total', () => {
    expect(() => generatePlots(parks, { seed: 'x', perPark: [5, 2] })).toThrow(RangeError);
    expect(() => generatePlots(parks, { seed: 'x', total: -1 })).toThrow(RangeError);
    expect(() => generatePlots(parks, { seed: 'x', total: 2.5 })).toThrow(RangeError);
  });
});
