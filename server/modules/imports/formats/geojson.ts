/**
 * GeoJSON (RFC 7946; WGS84 unless an old-style `crs` member names another system, as GDAL
 * writes for projected data: `"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}`).
 * Accepts a FeatureCollection, a Feature or a bare Polygon/MultiPolygon.
 */
import { parseCrs } from '../../../../shared/geometry/crs.ts';
import type { PlotGeometry } from '../../../../shared/geometry/index.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { decodeText } from './text.ts';
import { fileRefused, type ParsedFile, type SourceFeature } from './types.ts';

/** Counts positions of a nested coordinate array (stops early past `max`). */
export function countPositions(coords: unknown, max: number): number {
  let n = 0;
  const walk = (c: unknown): void => {
    if (n > max || !Array.isArray(c)) return;
    if (c.length > 0 && !Array.isArray(c[0])) { n++; return; }
    for (const x of c) walk(x);
  };
  walk(coords);
  return n;
}

export function geometryProblem(geometry: unknown): SourceFeature['problems'][number] | null {
  if (geometry === null || geometry === undefined) return { code: 'NO_GEOMETRY', messageZh: '该要素没有图形。', messageEn: 'The feature has no geometry.' };
  const type = (geometry as { type?: unknown }).type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') {
    return { code: 'NOT_A_POLYGON', messageZh: `该要素是 ${String(type)}，不是面；地块必须是面。`, messageEn: `The feature is a ${String(type)}, not a polygon; plots are polygons.` };
  }
  return null;
}

export function parseGeoJson(data: Uint8Array, limits = IMPORT_LIMITS): ParsedFile {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeText(data));
  } catch (err) {
    throw fileRefused('GEOJSON_INVALID', `The file is not valid JSON: ${(err as Error).message}`, `文件不是有效的 JSON：${(err as Error).message}`);
  }
  const root = doc as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } };
  let raw: { geometry: unknown; properties: unknown }[];
  if (root?.type === 'FeatureCollection' && Array.isArray(root.features)) raw = root.features as typeof raw;
  else if (root?.type === 'Feature') raw = [root as unknown as (typeof raw)[number]];
  else if (root?.type === 'Polygon' || root?.type === 'MultiPolygon') raw = [{ geometry: root, properties: {} }];
  else throw fileRefused('GEOJSON_INVALID', 'The GeoJSON is not a FeatureCollection, a Feature or a Polygon', 'GeoJSON 不是 FeatureCollection、Feature 或 Polygon');
  if (raw.length > limits.maxFeatures) {
    throw fileRefused('TOO_MANY_FEATURES', `The file has ${raw.length} features, more than the limit of ${limits.maxFeatures}; split it into several files`, `文件有 ${raw.length} 个要素，超过上限 ${limits.maxFeatures}，请拆分后导入`);
  }
  let total = 0;
  const features = raw.map((f, index): SourceFeature => {
    const problem = geometryProblem(f?.geometry);
    const props = f?.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
    if (problem) return { index, properties: props, geometry: null, problems: [problem] };
    total += countPositions((f.geometry as { coordinates?: unknown }).coordinates, limits.maxTotalVertices);
    if (total > limits.maxTotalVertices) {
      throw fileRefused('TOO_MANY_VERTICES', `The file has more than ${limits.maxTotalVertices} vertices in all; split or simplify it`, `文件顶点总数超过 ${limits.maxTotalVertices}，请拆分或简化`);
    }
    return { index, properties: props, geometry: f.geometry as PlotGeometry, problems: [] };
  });
  const parsed: ParsedFile = { format: 'geojson', features, notices: [] };
  const crsName = root.crs?.properties?.name;
  if (typeof crsName === 'string') {
    const crs = parseCrs(crsName);
    if (crs) parsed.declared = { crs, source: 'file', name: crsName };
    else parsed.unrecognisedPrj = { messageEn: `The GeoJSON names the coordinate system "${crsName}", which is not supported`, messageZh: `GeoJSON 声明的坐标系“${crsName}”不受支持` };
  }
  return parsed;
}
