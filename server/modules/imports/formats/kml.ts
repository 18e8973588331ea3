/**
 * KML (and KMZ), always WGS84 by the KML specification. Converted with @tmcw/togeojson on an
 * @xmldom/xmldom document. A DOCTYPE or ENTITY declaration refuses the file before any parsing:
 * KML never needs one, and they are how XML external-entity and "billion laughs" attacks work.
 */
import { DOMParser } from '@xmldom/xmldom';
import { kml } from '@tmcw/togeojson';
import type { PlotGeometry } from '../../../../shared/geometry/index.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { decodeText } from './text.ts';
import { countPositions, geometryProblem } from './geojson.ts';
import { readZip } from './zip.ts';
import { fileRefused, type ParsedFile, type SourceFeature } from './types.ts';

/** A GeometryCollection of polygons (KML MultiGeometry) as one MultiPolygon. */
function flatten(g: GeoJSON.Geometry | null): GeoJSON.Geometry | null {
  if (g?.type !== 'GeometryCollection') return g;
  const parts = g.geometries;
  if (parts.length && parts.every((p) => p.type === 'Polygon' || p.type === 'MultiPolygon')) {
    return { type: 'MultiPolygon', coordinates: parts.flatMap((p) => (p.type === 'Polygon' ? [p.coordinates] : (p as GeoJSON.MultiPolygon).coordinates)) };
  }
  return g;
}

export function parseKmlText(text: string, limits = IMPORT_LIMITS): ParsedFile {
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw fileRefused('KML_UNSAFE', 'The KML contains a DOCTYPE or ENTITY declaration, which is refused (XML external entities); export it again without one', 'KML 中含有 DOCTYPE 或 ENTITY 声明（XML 外部实体），已拒绝；请重新导出');
  }
  const problems: string[] = [];
  const doc = new DOMParser({
    onError: (level, message) => {
      if (level !== 'warning') problems.push(String(message).split('\n')[0]!);
    },
  }).parseFromString(text, 'text/xml');
  const root = doc.documentElement;
  if (problems.length || !root || root.localName?.toLowerCase() !== 'kml') {
    const why = problems[0] ?? `the root element is <${root?.nodeName ?? 'none'}>, not <kml>`;
    throw fileRefused('KML_INVALID', `The KML cannot be read: ${why}`, `KML 文件无法读取：${why}`);
  }
  const fc = kml(doc as unknown as Document);
  if (fc.features.length > limits.maxFeatures) {
    throw fileRefused('TOO_MANY_FEATURES', `The KML has ${fc.features.length} placemarks, more than the limit of ${limits.maxFeatures}`, `KML 有 ${fc.features.length} 个地标，超过上限 ${limits.maxFeatures}`);
  }
  let total = 0;
  const features = fc.features.map((f, index): SourceFeature => {
    const geometry = flatten(f.geometry);
    const props = { ...(f.properties ?? {}) } as Record<string, unknown>;
    const problem = geometryProblem(geometry);
    if (problem) return { index, properties: props, geometry: null, problems: [problem] };
    total += countPositions((geometry as PlotGeometry).coordinates, limits.maxTotalVertices);
    if (total > limits.maxTotalVertices) {
      throw fileRefused('TOO_MANY_VERTICES', `The KML has more than ${limits.maxTotalVertices} vertices in all`, `KML 顶点总数超过 ${limits.maxTotalVertices}`);
    }
    return { index, properties: props, geometry: geometry as PlotGeometry, problems: [] };
  });
  return { format: 'kml', features, declared: { crs: 'EPSG:4326', source: 'file', name: 'KML (WGS84)' }, notices: [] };
}

export function parseKml(data: Uint8Array, limits = IMPORT_LIMITS): ParsedFile {
  return parseKmlText(decodeText(data), limits);
}

/** KMZ: a zip with a .kml inside (doc.kml by convention). */
export function parseKmz(data: Uint8Array, limits = IMPORT_LIMITS): ParsedFile {
  const entries = readZip(data, (name) => name.endsWith('.kml'), limits);
  const doc = entries.find((e) => e.name.toLowerCase().endsWith('doc.kml')) ?? entries[0];
  if (!doc) throw fileRefused('KML_INVALID', 'The KMZ holds no .kml file', 'KMZ 中没有 .kml 文件');
  return parseKml(doc.data, limits);
}
