/**
 * Plot geometry validation (shared/geometry/validate.ts) and the editor's split/merge
 * (shared/geometry/edit.ts), with awkward inputs: empty, huge, self-intersecting, NaN, wrong
 * winding, outside Guangzhou, GK metres passed as degrees, overlaps, area reconciliation.
 * Shapes are built in CGCS2000 GK metres (EPSG:4547) so their areas are known exactly.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toWgs84 } from '../../shared/geometry/crs.ts';
import {
  AREA_REFUSE_FRACTION, geometryAreaM2, MAX_VERTICES, overlapOf, validatePlotGeometry, type LonLat, type PlotGeometry,
} from '../../shared/geometry/index.ts';
import { mergePlotGeometries, shareProportionally, splitPlotGeometry } from '../../shared/geometry/edit.ts';
import { intersectionAreaM2 } from '../../shared/geometry/area.ts';
import { readParkBoundary } from '../../shared/geometry/park-boundary.ts';

/** Origin of the test shapes: a point in 黄埔 in EPSG:4547 metres. */
const E0 = 452_000, N0 = 2_563_000;

/** A rectangle [e, n, e + w, n + h] (metres, EPSG:4547) as a WGS84 Polygon, counter-clockwise. */
function rect(e: number, n: number, w: number, h: number): GeoJSON.Polygon {
  const ring = [[e, n], [e + w, n], [e + w, n + h], [e, n + h], [e, n]].map(([x, y]) => toWgs84('EPSG:4547', [E0 + x!, N0 + y!]));
  return { type: 'Polygon', coordinates: [ring] };
}
const park = { code: 'P99', nameZh: '测试园区', geometry: rect(0, 0, 1000, 1000) };
const codes = (r: { errors: { code: string }[] }) => r.errors.map((e) => e.code);

describe('a valid plot', () => {
  it('passes with its plane area in m² (CGCS2000 GK)', () => {
    const r = validatePlotGeometry(rect(100, 100, 100, 50), { park, neighbours: [], surveyedAreaM2: 5000 });
    expect(r).toMatchObject({ ok: true, errors: [], warnings: [] });
    expect(r.areaM2).toBeCloseTo(5000, 1);
  });

  it('computes the GK plane area exactly for a square drawn in GK metres', () => {
    expect(geometryAreaM2(rect(0, 0, 100, 100))).toBeCloseTo(10_000, 3);
  });

  it('accepts a polygon with a hole and subtracts it', () => {
    const outer = rect(100, 100, 100, 100).coordinates[0]!;
    const hole = [...rect(140, 140, 20, 20).coordinates[0]!].reverse();
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [outer, hole] }, { park });
    expect(r.ok).toBe(true);
    expect(r.areaM2).toBeCloseTo(10_000 - 400, 1);
  });
});

describe('shape and coordinates', () => {
  it.each([
    ['missing', undefined, 'GEOMETRY_MISSING'],
    ['null', null, 'GEOMETRY_MISSING'],
    ['a point', { type: 'Point', coordinates: [113.4, 23.1] }, 'GEOMETRY_TYPE'],
    ['empty coordinates', { type: 'Polygon', coordinates: [] }, 'GEOMETRY_MALFORMED'],
    ['a string', 'POLYGON((0 0))', 'GEOMETRY_TYPE'],
    ['positions that are not pairs', { type: 'Polygon', coordinates: [[[113.4], [113.5, 23.1]]] }, 'GEOMETRY_MALFORMED'],
  ])('refuses %s', (_name, input, code) => {
    const r = validatePlotGeometry(input);
    expect(r.ok).toBe(false);
    expect(codes(r)).toContain(code);
    expect(r.areaM2).toBeNull();
  });

  it('refuses NaN, Infinity and null coordinates, counting them', () => {
    const ring = rect(0, 0, 10, 10).coordinates[0]!.map((p) => [...p]);
    ring[1] = [NaN, 23.1];
    ring[2] = [Infinity, 23.1];
    ring[3] = [null as unknown as number, 23.1];
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [ring] });
    expect(codes(r)).toEqual(['COORDINATE_NOT_FINITE']);
    expect(r.errors[0]!.figures?.count).toBe(3);
    expect(r.errors[0]!.messageEn).toMatch(/NaN/);
  });

  it('recognises GK metres passed as degrees and says so', () => {
    const ring = [[452000, 2563000], [452100, 2563000], [452100, 2563100], [452000, 2563000]];
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [ring] });
    expect(codes(r)).toEqual(['LOOKS_PROJECTED']);
    expect(r.errors[0]!.messageEn).toMatch(/looks? like projected coordinates \(metres\), not WGS84 degrees/);
    expect(r.errors[0]!.messageEn).toMatch(/EPSG:4547/);
    expect(r.errors[0]!.messageZh).toMatch(/投影坐标/);
  });

  it('refuses huge coordinates', () => {
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [[[1e30, 1e30], [1e30 + 1, 1e30], [1e30, 1e30 + 1], [1e30, 1e30]]] });
    expect(r.ok).toBe(false);
    expect(codes(r)).toEqual(['LOOKS_PROJECTED']);
  });

  it('refuses a plot outside Guangzhou, saying where and how far', () => {
    const beijing = { type: 'Polygon', coordinates: [[[116.4, 39.9], [116.41, 39.9], [116.41, 39.91], [116.4, 39.9]]] };
    const r = validatePlotGeometry(beijing);
    expect(codes(r)).toEqual(['OUTSIDE_GUANGZHOU']);
    expect(r.errors[0]!.where).toEqual([116.4, 39.9]);
    expect(r.errors[0]!.figures!.distanceKm).toBeGreaterThan(1800);
  });

  it('notices latitude and longitude exchanged', () => {
    const swapped = { type: 'Polygon', coordinates: [rect(0, 0, 50, 50).coordinates[0]!.map(([x, y]) => [y, x])] };
    const r = validatePlotGeometry(swapped);
    expect(codes(r)).toEqual(['COORDINATE_OUT_OF_RANGE']);
    expect(r.errors[0]!.messageEn).toMatch(/exchanged/);
  });

  it(`refuses more than ${MAX_VERTICES} vertices`, () => {
    const n = MAX_VERTICES + 1;
    const ring: LonLat[] = [];
    for (let i = 0; i < n; i++) {
      const a = (2 * Math.PI * i) / n;
      ring.push(toWgs84('EPSG:4547', [E0 + 500 + 100 * Math.cos(a), N0 + 500 + 100 * Math.sin(a)]));
    }
    ring.push(ring[0]!);
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [ring] });
    expect(codes(r)).toEqual(['TOO_MANY_VERTICES']);
  });
});

describe('rings', () => {
  it('finds a bow-tie self-intersection and says where', () => {
    const [a, b, c, d] = rect(0, 0, 100, 100).coordinates[0]!;
    const r = validatePlotGeometry({ type: 'Polygon', coordinates: [[a!, c!, b!, d!, a!]] });
    expect(codes(r)).toContain('SELF_INTERSECTION');
    const where = r.errors.find((e) => e.code === 'SELF_INTERSECTION')!.where!;
    const centre = toWgs84('EPSG:4547', [E0 + 50, N0 + 50]);
    expect(where[0]).toBeCloseTo(centre[0], 6);
    expect(where[1]).toBeCloseTo(centre[1], 6);
    expect(r.fixed).toBeUndefined();
  });

  it('refuses clockwise exterior rings and offers the rewound geometry', () => {
    const cw = { type: 'Polygon' as const, coordinates: [[...rect(0, 0, 100, 100).coordinates[0]!].reverse()] };
    const r = validatePlotGeometry(cw);
    expect(codes(r)).toEqual(['WRONG_WINDING']);
    expect(r.errors[0]!.messageEn).toMatch(/counter-clockwise.*rewind/);
    expect(validatePlotGeometry(r.fixed).ok).toBe(true);
  });

  it('refuses an unclosed ring, names the first point, and offers the closed one', () => {
    const open = { type: 'Polygon' as const, coordinates: [rect(0, 0, 100, 100).coordinates[0]!.slice(0, -1)] };
    const r = validatePlotGeometry(open);
    expect(codes(r)).toEqual(['RING_NOT_CLOSED']);
    expect(r.errors[0]!.where).toEqual(open.coordinates[0]![0]);
    expect(validatePlotGeometry(r.fixed).ok).toBe(true);
  });

  it('refuses rings with fewer than three distinct points', () => {
    const [a, b] = rect(0, 0, 10, 10).coordinates[0]!;
    expect(codes(validatePlotGeometry({ type: 'Polygon', coordinates: [[a!, b!, a!]] }))).toEqual(['RING_TOO_SHORT']);
  });

  it('refuses a hole outside its exterior and overlapping MultiPolygon parts', () => {
    const hole = [...rect(300, 300, 10, 10).coordinates[0]!].reverse();
    expect(codes(validatePlotGeometry({ type: 'Polygon', coordinates: [rect(0, 0, 100, 100).coordinates[0]!, hole] }))).toContain('HOLE_OUTSIDE_SHELL');
    const multi = { type: 'MultiPolygon', coordinates: [rect(0, 0, 100, 100).coordinates, rect(50, 50, 100, 100).coordinates] };
    expect(codes(validatePlotGeometry(multi))).toContain('PARTS_OVERLAP');
  });

  it('refuses a sliver of no area', () => {
    expect(codes(validatePlotGeometry(rect(0, 0, 1, 0.5)))).toEqual(['AREA_TOO_SMALL']);
  });
});

describe('inside the park', () => {
  it('allows up to 0.5 m outside the boundary', () => {
    expect(validatePlotGeometry(rect(-0.4, 100, 100, 100), { park }).ok).toBe(true);
  });

  it('allows a thin strip outside when 99.9 % of the area is inside', () => {
    // A 1 m deep, 10 m wide bump through the south edge of a 1000 m × 100 m plot: 5 m² of 100 000 m².
    const ring = rect(0, 0, 1000, 100).coordinates[0]!;
    const bump = [[495, 0], [500, -1], [505, 0]].map(([x, y]) => toWgs84('EPSG:4547', [E0 + x!, N0 + y!]));
    const bulge = [ring[0]!, ...bump, ...ring.slice(1)];
    expect(validatePlotGeometry({ type: 'Polygon', coordinates: [bulge] }, { park }).ok).toBe(true);
  });

  it('refuses a plot sticking out, with the outside area, the distance and the place', () => {
    const r = validatePlotGeometry(rect(950, 100, 100, 100), { park });
    expect(codes(r)).toEqual(['OUTSIDE_PARK']);
    const e = r.errors[0]!;
    expect(e.figures!.outsideAreaM2).toBeCloseTo(5000, 0);
    expect(e.figures!.maxDistanceM).toBeCloseTo(50, 1);
    expect(e.messageEn).toMatch(/P99/);
    expect(e.where).toBeDefined();
  });

  it('catches an edge crossing a notch of a concave park even when every vertex is inside', () => {
    // A U-shaped park: the notch is x 400..600, y 500..1000.
    const u = [[0, 0], [1000, 0], [1000, 1000], [600, 1000], [600, 500], [400, 500], [400, 1000], [0, 1000], [0, 0]]
      .map(([x, y]) => toWgs84('EPSG:4547', [E0 + x!, N0 + y!]));
    const uPark = { code: 'PU', geometry: { type: 'Polygon' as const, coordinates: [u] } };
    const r = validatePlotGeometry(rect(300, 700, 400, 100), { park: uPark });
    expect(codes(r)).toEqual(['OUTSIDE_PARK']);
  });
});

describe('overlap with other plots', () => {
  const neighbour = { code: 'P99-0001', id: 7, geometry: rect(200, 200, 100, 100) };

  it('allows a shared edge and a shared corner', () => {
    expect(validatePlotGeometry(rect(300, 200, 100, 100), { neighbours: [neighbour] }).ok).toBe(true);
    expect(validatePlotGeometry(rect(300, 300, 100, 100), { neighbours: [neighbour] }).ok).toBe(true);
  });

  it('refuses an overlap above 0.5 m², naming the other plot and the place', () => {
    const r = validatePlotGeometry(rect(290, 200, 100, 100), { neighbours: [neighbour] });
    expect(codes(r)).toEqual(['OVERLAPS_PLOT']);
    expect(r.errors[0]).toMatchObject({ plotCode: 'P99-0001', plotId: 7 });
    expect(r.errors[0]!.figures!.overlapAreaM2).toBeCloseTo(1000, 0);
    expect(r.errors[0]!.messageEn).toMatch(/P99-0001/);
  });

  it('tolerates drawing noise under 0.5 m²', () => {
    expect(validatePlotGeometry(rect(299.996, 200, 100, 100), { neighbours: [neighbour] }).ok).toBe(true);
  });

  it('finds overlaps of non-convex shapes too (through turf)', () => {
    const l = [[0, 0], [300, 0], [300, 100], [100, 100], [100, 300], [0, 300], [0, 0]].map(([x, y]) => toWgs84('EPSG:4547', [E0 + x!, N0 + y!]));
    const lShape: PlotGeometry = { type: 'Polygon', coordinates: [l] };
    expect(overlapOf(lShape, rect(50, 50, 100, 100)).areaM2).toBeCloseTo(7500, 0);
    expect(overlapOf(lShape, rect(150, 150, 100, 100)).areaM2).toBe(0);
  });
});

describe('area reconciliation', () => {
  it('says nothing within 1 %', () => {
    expect(validatePlotGeometry(rect(0, 0, 100, 100), { surveyedAreaM2: 10_090 }).warnings).toEqual([]);
  });
  it('warns above 1 %', () => {
    const r = validatePlotGeometry(rect(0, 0, 100, 100), { surveyedAreaM2: 10_300 });
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => w.code)).toEqual(['AREA_DIFFERS']);
    expect(r.warnings[0]!.messageEn).toMatch(/10300.*10000.*2\.9/);
  });
  it(`refuses above ${AREA_REFUSE_FRACTION * 100} %`, () => {
    const r = validatePlotGeometry(rect(0, 0, 100, 100), { surveyedAreaM2: 11_000 });
    expect(codes(r)).toEqual(['AREA_MISMATCH']);
  });
});

describe('split and merge', () => {
  const plot = rect(100, 100, 200, 100);
  const across = (x: number): GeoJSON.LineString => ({
    type: 'LineString',
    coordinates: [toWgs84('EPSG:4547', [E0 + x, N0 + 90]), toWgs84('EPSG:4547', [E0 + x, N0 + 210])],
  });

  it('splits by a line across into two pieces whose areas add up', () => {
    const r = splitPlotGeometry(plot, across(150));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pieces).toHaveLength(2);
    const areas = r.pieces.map(geometryAreaM2);
    expect(areas[0]).toBeCloseTo(15_000, 0);
    expect(areas[1]).toBeCloseTo(5_000, 0);
    for (const p of r.pieces) expect(validatePlotGeometry(p).ok).toBe(true);
    // The pieces touch but do not overlap.
    expect(overlapOf(r.pieces[0]!, r.pieces[1]!).areaM2).toBeLessThan(0.01);
  });

  it('splits by a bent line, whose ends may stop short of the edges', () => {
    const line: GeoJSON.LineString = {
      type: 'LineString',
      coordinates: [[150, 105], [180, 150], [150, 195]].map(([x, y]) => toWgs84('EPSG:4547', [E0 + x!, N0 + y!])),
    };
    const r = splitPlotGeometry(plot, line);
    expect(r.ok && r.pieces.length).toBe(2);
  });

  it('refuses a line that misses the plot, and a self-crossing line', () => {
    expect(splitPlotGeometry(plot, { type: 'LineString', coordinates: [toWgs84('EPSG:4547', [E0 + 500, N0 + 500]), toWgs84('EPSG:4547', [E0 + 600, N0 + 500])] })).toMatchObject({ ok: false, code: 'LINE_DOES_NOT_SPLIT' });
    const zig = [[120, 90], [180, 210], [180, 90], [120, 210]].map(([x, y]) => toWgs84('EPSG:4547', [E0 + x!, N0 + y!]));
    expect(splitPlotGeometry(plot, { type: 'LineString', coordinates: zig })).toMatchObject({ ok: false, code: 'LINE_INVALID' });
    expect(splitPlotGeometry(plot, { type: 'LineString', coordinates: [[113, 23]] })).toMatchObject({ ok: false, code: 'LINE_INVALID' });
  });

  it('merges the pieces back into the original area', () => {
    const r = splitPlotGeometry(plot, across(150));
    if (!r.ok) throw new Error(r.messageEn);
    const m = mergePlotGeometries(r.pieces);
    expect(m.ok).toBe(true);
    if (m.ok) expect(geometryAreaM2(m.geometry)).toBeCloseTo(20_000, 0);
  });

  it('refuses to merge plots that do not touch', () => {
    expect(mergePlotGeometries([rect(0, 0, 10, 10), rect(20, 0, 10, 10)])).toMatchObject({ ok: false, code: 'NOT_ADJACENT' });
  });

  it('shares a surveyed figure in proportion, exactly to the hundredth', () => {
    expect(shareProportionally(1_000_001n, [3, 1])).toEqual([750_001n, 250_000n]);
    const parts = shareProportionally(12_345_67n, [1, 1, 1]);
    expect(parts.reduce((a, b) => a + b, 0n)).toBe(12_345_67n);
  });
});

describe('one area model: the EPSG:4547 plane area', () => {
  it('measures plots, park boundaries and intersections alike', () => {
    const a = rect(0, 0, 200, 100);
    const b = rect(100, 0, 200, 100);
    const boundary = readParkBoundary(a);
    if (!boundary.ok) throw new Error(boundary.messageEn);
    expect(boundary.areaM2).toBeCloseTo(20_000, 1);
    expect(boundary.areaM2).toBe(Math.round(geometryAreaM2(a) * 100) / 100);
    expect(intersectionAreaM2(a, b)).toBeCloseTo(10_000, 0);
    expect(intersectionAreaM2(a, b)).toBeCloseTo(overlapOf(a, b).areaM2, 3);
    expect(intersectionAreaM2(a, rect(500, 500, 10, 10))).toBe(0);
  });

  it('is the only area in product code: no spherical (turf) area in client, server, shared or seeds', () => {
    const root = join(import.meta.dirname, '../..');
    const files = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : /\.(ts|tsx)$/.test(e.name) ? [join(dir, e.name)] : []);
    const offenders = ['client', 'server', 'shared', 'seeds'].flatMap(files).filter((f) => {
      const text = readFileSync(join(root, f), 'utf8');
      const turfImports = [...text.matchAll(/import\s*(?:\*\s*as\s+(\w+)|\{([^}]*)\})\s*from\s*'@turf\/(\w+)'/g)];
      return turfImports.some(([, ns, names, pkg]) =>
        pkg === 'area' || (names !== undefined && /(^|[\s,])area(\s|,|$)/.test(names)) || (ns !== undefined && new RegExp(`\\b${ns}\\.area\\(`).test(text)));
    });
    expect(offenders).toEqual([]);
  });
});
