/** Which reader a file needs: the `format` field if given, else the name, else the first bytes. */
import { IMPORT_FORMATS, fileRefused, type ImportFormat, type ParsedFile } from './types.ts';
import { isZip, readZip } from './zip.ts';
import { parseGeoJson } from './geojson.ts';
import { parseKml, parseKmz } from './kml.ts';
import { parseBoundaryCsv } from './csv.ts';
import { parseShapefileZip } from './shapefile.ts';
import { IMPORT_LIMITS } from './limits.ts';

export { IMPORT_LIMITS } from './limits.ts';
export { IMPORT_FORMATS, type ImportFormat, type ParsedFile, type SourceFeature, type Notice } from './types.ts';

export function detectFormat(filename: string, data: Uint8Array, override?: string): { format: ImportFormat; kmz: boolean } {
  if (override) {
    const f = override.toLowerCase() === 'shp' || override.toLowerCase() === 'zip' ? 'shapefile' : override.toLowerCase();
    if (!(IMPORT_FORMATS as readonly string[]).includes(f)) {
      throw fileRefused('UNKNOWN_FORMAT', `format must be one of ${IMPORT_FORMATS.join(', ')}; got "${override}"`, `格式应为 ${IMPORT_FORMATS.join('、')} 之一`);
    }
    return { format: f as ImportFormat, kmz: f === 'kml' && isZip(data) };
  }
  const name = filename.toLowerCase();
  if (name.endsWith('.kmz')) return { format: 'kml', kmz: true };
  if (name.endsWith('.kml')) return { format: 'kml', kmz: false };
  if (name.endsWith('.geojson') || name.endsWith('.json')) return { format: 'geojson', kmz: false };
  if (name.endsWith('.csv') || name.endsWith('.txt')) return { format: 'csv', kmz: false };
  if (name.endsWith('.zip') || isZip(data)) {
    // A zip with a .kml inside is a KMZ; otherwise a zipped Shapefile.
    const kml = readZip(data, (n) => n.endsWith('.kml'), IMPORT_LIMITS).length > 0;
    return { format: kml ? 'kml' : 'shapefile', kmz: kml };
  }
  if (name.endsWith('.shp')) {
    throw fileRefused('SHAPEFILE_MISSING_PART', 'Upload a Shapefile as one .zip holding its .shp, .shx, .dbf and .prj files', 'Shapefile 请打包为一个 .zip 上传（含 .shp、.shx、.dbf 和 .prj）');
  }
  const head = new TextDecoder().decode(data.subarray(0, 200)).replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('{')) return { format: 'geojson', kmz: false };
  if (head.startsWith('<')) return { format: 'kml', kmz: false };
  throw fileRefused('UNKNOWN_FORMAT', `Cannot tell the format of "${filename}": use .geojson, .zip (Shapefile), .kml/.kmz or .csv, or give the format field`, `无法识别“${filename}”的格式：请使用 .geojson、.zip（Shapefile）、.kml/.kmz 或 .csv，或指定 format`);
}

export async function parseFile(format: ImportFormat, kmz: boolean, data: Uint8Array, limits = IMPORT_LIMITS): Promise<ParsedFile> {
  switch (format) {
    case 'geojson': return parseGeoJson(data, limits);
    case 'kml': return kmz ? parseKmz(data, limits) : parseKml(data, limits);
    case 'csv': return parseBoundaryCsv(data, limits);
    case 'shapefile': return parseShapefileZip(data, limits);
  }
}
