/**
 * Reading a park boundary from an uploaded GeoJSON file (四(三)8 逐年认定: the bureau adds a park
 * with its surveyed boundary). Pure: server and client run the same checks, so the upload form
 * can show the problem before sending. Checks that need the database (inside Guangzhou, inside
 * the named district, no overlap with another park) are the server's.
 *
 * Accepted: a Polygon or MultiPolygon geometry, a Feature with one, or a FeatureCollection with
 * exactly one such Feature. Coordinates are WGS84 longitude, latitude (RFC 7946); a third value
 * (elevation) is dropped. Refused with a message saying what to change: anything else, open or
 * degenerate rings, coordinates outside the WGS84 range (with a hint when they look projected —
 * CGCS2000 Gauss–Krüger metres — or swapped to latitude, longitude), self-intersections.
 * Repeated consecutive points are removed (they are common in exported files and would count as
 * self-intersections) and rings are rewound to RFC 7946 order (outer counter-clockwise).
 */
import { kinks } from '@turf/kinks';
import { rewind } from '@turf/rewind';
import { geometryAreaM2 } from './area.ts';
import { validationFailed, type ValidationFailure } from '../domain.ts';

export type BoundaryGeometry = GeoJSON.Polygon | GeoJSON.MultiPolygon;

export interface ParkBoundary {
  readonly ok: true;
  readonly geometry: BoundaryGeometry;
  /** Plane area in EPSG:4547 (the one area model of ./area.ts, as plots are measured), m², rounded to the cent. */
  readonly areaM2: number;
  /** The uploaded Feature's properties, if any (they may carry the park's code and names). */
  readonly properties: Record<string, unknown> | null;
  /** Repeated consecutive points removed while reading. */
  readonly removedDuplicatePoints: number;
}

const fail = (zh: string, en: string): ValidationFailure => validationFailed('boundary', zh, en);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Unwraps Feature / FeatureCollection to one geometry, or says why not. */
function unwrap(input: unknown): { geometry: unknown; properties: Record<string, unknown> | null } | ValidationFailure {
  if (!isObject(input) || typeof input.type !== 'string') {
    return fail('边界必须是 GeoJSON 对象（Polygon、MultiPolygon、Feature 或 FeatureCollection）', 'The boundary must be a GeoJSON object (Polygon, MultiPolygon, Feature or FeatureCollection)');
  }
  if (input.type === 'FeatureCollection') {
    const features = Array.isArray(input.features) ? input.features : null;
    if (!features) return fail('FeatureCollection 缺少 features 数组', 'The FeatureCollection has no "features" array');
    if (features.length !== 1) {
      return fail(
        `文件包含 ${features.length} 个要素；园区边界必须恰好是一个面要素（多块用 MultiPolygon）`,
        `The file holds ${features.length} features; a park boundary must be exactly one polygon feature (use a MultiPolygon for several parts)`,
      );
    }
    return unwrap(features[0]);
  }
  if (input.type === 'Feature') {
    if (!isObject(input.geometry)) return fail('要素没有几何图形', 'The feature has no geometry');
    return { geometry: input.geometry, properties: isObject(input.properties) ? input.properties : null };
  }
  return { geometry: input, properties: null };
}

type Position = [number, number];

/** A ring's positions as [lon, lat], validated for number and range; repeated points dropped. */
interface Where { zh: string; en: string }

function readRing(raw: unknown, where: Where): { ring: Position[]; removed: number } | ValidationFailure {
  if (!Array.isArray(raw)) return fail(`${where.zh}不是坐标数组`, `${where.en} is not an array of positions`);
  const ring: Position[] = [];
  let removed = 0;
  for (const p of raw) {
    if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number' || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      return fail(`${where.zh}含有无效坐标 ${JSON.stringify(p)?.slice(0, 60)}；坐标应为 [经度, 纬度]`, `${where.en} has an invalid position ${JSON.stringify(p)?.slice(0, 60)}; a position is [longitude, latitude]`);
    }
    const [lon, lat] = p as [number, number];
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) {
      if (Math.abs(lon) > 1000 || Math.abs(lat) > 1000) {
        return fail(
          `坐标 [${lon}, ${lat}] 超出 WGS84 经纬度范围，看起来是投影坐标（米，例如 CGCS2000 高斯-克吕格 EPSG:4547/4526）；请先转换为 WGS84 经纬度`,
          `Position [${lon}, ${lat}] is outside the WGS84 range and looks like projected metres (e.g. CGCS2000 Gauss–Krüger EPSG:4547/4526); convert it to WGS84 longitude/latitude first`,
        );
      }
      if (Math.abs(lon) <= 90 && Math.abs(lat) <= 180) {
        return fail(
          `坐标 [${lon}, ${lat}] 的纬度超出范围，看起来是“纬度, 经度”顺序；GeoJSON 要求 [经度, 纬度]`,
          `Position [${lon}, ${lat}] has a latitude out of range and looks like latitude, longitude order; GeoJSON positions are [longitude, latitude]`,
        );
      }
      return fail(`坐标 [${lon}, ${lat}] 超出 WGS84 范围（经度 −180…180，纬度 −90…90）`, `Position [${lon}, ${lat}] is outside the WGS84 range (longitude −180…180, latitude −90…90)`);
    }
    const prev = ring[ring.length - 1];
    if (prev && prev[0] === lon && prev[1] === lat) {
      removed++;
      continue;
    }
    ring.push([lon, lat]);
  }
  if (ring.length >= 2) {
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      return fail(`${where.zh}未闭合：首尾坐标必须相同`, `${where.en} is not closed: its first and last positions must be the same`);
    }
  }
  if (ring.length < 4) {
    return fail(`${where.zh}至少需要 3 个不同的顶点（4 个坐标，首尾相同）`, `${where.en} needs at least 3 distinct corners (4 positions, the last repeating the first)`);
  }
  return { ring, removed };
}

function readPolygon(raw: unknown, where: Where): { rings: Position[][]; removed: number } | ValidationFailure {
  if (!Array.isArray(raw) || raw.length === 0) return fail(`${where.zh || '多边形'}没有环`, `${where.en || 'The polygon '}has no rings`);
  const rings: Position[][] = [];
  let removed = 0;
  for (let i = 0; i < raw.length; i++) {
    const r = readRing(raw[i], i === 0 ? { zh: `${where.zh}外环`, en: `${where.en}The outer ring` } : { zh: `${where.zh}内环 ${i}`, en: `${where.en}Hole ${i}` });
    if ('ok' in r) return r;
    rings.push(r.ring);
    removed += r.removed;
  }
  return { rings, removed };
}

/** Reads and checks an uploaded park boundary (see the module comment). */
export function readParkBoundary(input: unknown): ParkBoundary | ValidationFailure {
  const u = unwrap(input);
  if ('ok' in u) return u;
  const g = u.geometry as Record<string, unknown>;
  let geometry: BoundaryGeometry;
  let removed = 0;
  if (g.type === 'Polygon') {
    const p = readPolygon(g.coordinates, { zh: '', en: '' });
    if ('ok' in p) return p;
    geometry = { type: 'Polygon', coordinates: p.rings };
    removed = p.removed;
  } else if (g.type === 'MultiPolygon') {
    if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) return fail('MultiPolygon 没有多边形', 'The MultiPolygon has no polygons');
    const polys: Position[][][] = [];
    for (let i = 0; i < g.coordinates.length; i++) {
      const p = readPolygon(g.coordinates[i], { zh: `第 ${i + 1} 块的`, en: `Part ${i + 1}: ` });
      if ('ok' in p) return p;
      polys.push(p.rings);
      removed += p.removed;
    }
    geometry = polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
  } else {
    return fail(
      `几何类型 ${String(g.type)} 不能作为园区边界；需要 Polygon 或 MultiPolygon`,
      `A ${String(g.type)} cannot be a park boundary; it must be a Polygon or MultiPolygon`,
    );
  }
  const feature: GeoJSON.Feature<BoundaryGeometry> = { type: 'Feature', properties: {}, geometry };
  const k = kinks(feature);
  if (k.features.length > 0) {
    const [lon, lat] = k.features[0]!.geometry.coordinates as [number, number];
    return fail(
      `边界自相交（共 ${k.features.length} 处，第一处约在 ${lon.toFixed(6)}, ${lat.toFixed(6)}）；请修正边界`,
      `The boundary intersects itself (${k.features.length} place${k.features.length === 1 ? '' : 's'}, the first near ${lon.toFixed(6)}, ${lat.toFixed(6)}); fix the outline`,
    );
  }
  // RFC 7946 winding: outer rings counter-clockwise, holes clockwise.
  const rewound = rewind(feature, { reverse: false }) as GeoJSON.Feature<BoundaryGeometry>;
  const areaM2 = Math.round(geometryAreaM2(rewound.geometry) * 100) / 100;
  if (!(areaM2 >= 0.01)) return fail('边界面积为 0', 'The boundary has no area');
  return { ok: true, geometry: rewound.geometry, areaM2, properties: u.properties, removedDuplicatePoints: removed };
}
