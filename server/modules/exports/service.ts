/**
 * Plot export: GeoJSON, CSV (attributes + WKT), a zipped Shapefile (.shp .shx .dbf .prj .cpg) or
 * DXF (R12, closed polylines on a layer per status with the plot code inside), in WGS84
 * (EPSG:4326) or CGCS2000 GK CM 114°E (EPSG:4547), with the filters of GET /api/plots.
 *
 * `lang=zh` writes Chinese field names and values (./columns.ts), the Shapefile's .dbf in GBK
 * (names ≤ 10 bytes, .cpg "GBK"); `lang=en` (the API default, unchanged for integrators) English
 * camelCase names, a UTF-8 .dbf. Retired (已注销) parcels only with `includeRetired=true` (or by
 * status).
 *
 * Who gets what: the bureau (admin, land officer, industry officer) exports every status and
 * every field, the cost (五(三)14 C) included. Everyone else — anonymous visitors, investors,
 * district officers — exports the available plots only, without the cost: the public land
 * offer, as on the public map.
 */
import type { Kysely } from 'kysely';
import Papa from 'papaparse';
import { zipSync, strToU8 } from 'fflate';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { CRS, geometryFromWgs84 } from '../../../shared/geometry/crs.ts';
import { polygonsOf, type PlotGeometry } from '../../../shared/geometry/index.ts';
import { PLOT_STATUSES, type PlotStatus } from '../../../shared/domain.ts';
import { isCityWide } from '../auth/scope.ts';
import { CPG, writeShapefile, type DbfValue } from './shapefile.ts';
import { queryExport, type ExportFilters } from './repository.ts';
import { columnName, dbfName, exportColumns, STATUS_EN, STATUS_ZH, textValue, type Column, type ExportLang } from './columns.ts';
import { dxfLayerName, writeDxf, type DxfPolyline, type DxfText } from './dxf.ts';
import { pointOnFeature } from '@turf/turf';

export { EXPORT_MAX_PLOTS, type ExportFilters } from './repository.ts';
export { EXPORT_LANGS, type ExportLang } from './columns.ts';

export const EXPORT_FORMATS = ['geojson', 'csv', 'shp', 'dxf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_CRS = ['EPSG:4326', 'EPSG:4547'] as const;
export type ExportCrs = (typeof EXPORT_CRS)[number];

/** Geometry in the export CRS: GK to the millimetre; WGS84 as stored. */
function project(g: PlotGeometry, crs: ExportCrs): PlotGeometry {
  if (crs === 'EPSG:4326') return g;
  const mm = (x: number) => Math.round(x * 1000) / 1000;
  const p = geometryFromWgs84(crs, g);
  return (p.type === 'Polygon'
    ? { type: 'Polygon', coordinates: p.coordinates.map((r) => r.map(([x, y]) => [mm(x!), mm(y!)])) }
    : { type: 'MultiPolygon', coordinates: p.coordinates.map((poly) => poly.map((r) => r.map(([x, y]) => [mm(x!), mm(y!)]))) }) as PlotGeometry;
}

export function toWkt(g: PlotGeometry): string {
  const ring = (r: GeoJSON.Position[]) => `(${r.map((p) => `${p[0]} ${p[1]}`).join(', ')})`;
  const poly = (rings: GeoJSON.Position[][]) => `(${rings.map(ring).join(', ')})`;
  return g.type === 'Polygon' ? `POLYGON ${poly(g.coordinates)}` : `MULTIPOLYGON (${polygonsOf(g).map((p) => poly(p as GeoJSON.Position[][])).join(', ')})`;
}

/** Today in Guangzhou (Asia/Shanghai, UTC+8) as YYYYMMDD. */
export function exportDate(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

export interface ExportFile {
  body: Buffer;
  contentType: string;
  filename: string;
  count: number;
  truncated: boolean;
}

export interface ExportInput {
  format: ExportFormat;
  crs: ExportCrs;
  filters: ExportFilters;
  /** Field names and values: en (default) or zh. */
  lang?: ExportLang;
  /** Retired (已注销) parcels too; otherwise only live ones (unless asked for by status). */
  includeRetired?: boolean;
}

type Feature = { geometry: PlotGeometry; properties: Record<string, DbfValue> };

/** The properties as this language names and writes them. */
const textProperties = (f: Feature, columns: Column[], lang: ExportLang) =>
  Object.fromEntries(columns.map((c) => [columnName(c, lang), textValue(c, f.properties[c.key], lang) ?? null]));

/** AutoCAD colour per status: green available, yellow held, red allocated, cyan withdrawn, grey retired. */
const STATUS_COLOR: Record<PlotStatus, number> = { available: 3, held: 2, allocated: 1, withdrawn: 4, retired: 8 };

/** The DXF drawing: each parcel's rings on its status layer, its code as text at a point inside. */
function dxfOf(features: Feature[], crs: ExportCrs, lang: ExportLang): Buffer {
  const layerOf = (s: PlotStatus) => dxfLayerName(lang === 'zh' ? STATUS_ZH[s] : STATUS_EN[s]);
  const used = new Set<PlotStatus>();
  const polylines: DxfPolyline[] = [];
  const texts: DxfText[] = [];
  for (const f of features) {
    const status = (PLOT_STATUSES as readonly string[]).includes(String(f.properties.status)) ? f.properties.status as PlotStatus : 'available';
    used.add(status);
    const layer = layerOf(status);
    for (const poly of polygonsOf(f.geometry)) for (const ring of poly) polylines.push({ layer, ring: ring as number[][] });
    const [w, s, e, n] = bboxOf(f.geometry);
    const at = pointOnFeature(f.geometry as GeoJSON.Geometry).geometry.coordinates as [number, number];
    // About a twentieth of the parcel's smaller side: legible at the scale the parcel fills the screen.
    const height = Math.max(crs === 'EPSG:4326' ? 1e-6 : 0.1, Math.min(e - w, n - s) / 20);
    texts.push({ layer, at, height, text: String(f.properties.code ?? '') });
  }
  const layers = PLOT_STATUSES.filter((s) => used.has(s)).map((s) => ({ name: layerOf(s), color: STATUS_COLOR[s] }));
  return writeDxf({ layers, polylines, texts, decimals: crs === 'EPSG:4326' ? 9 : 4 });
}

function bboxOf(g: PlotGeometry): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of polygonsOf(g)) for (const [x, y] of poly[0] ?? []) {
    w = Math.min(w, x!); e = Math.max(e, x!); s = Math.min(s, y!); n = Math.max(n, y!);
  }
  return [w, s, e, n];
}

/** The file for GET /api/plots/export: the bureau's full export, or everyone else's public one. */
export async function exportPlots(db: Kysely<Database>, caller: Caller, { format, crs, filters, lang = 'en', includeRetired = false }: ExportInput): Promise<ExportFile> {
  const internal = isCityWide(caller.user);
  const { plots, truncated, present } = await queryExport(db, filters, internal, includeRetired);
  const columns = exportColumns(internal, present);
  const base = `plots-${exportDate()}`;
  const features: Feature[] = plots.map((p) => ({ geometry: project(p.geometry, crs), properties: p.properties }));
  if (format === 'geojson') {
    const fc = {
      type: 'FeatureCollection',
      ...(crs !== 'EPSG:4326' ? { crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crs.slice(5)}` } } } : {}),
      truncated,
      features: features.map((f) => ({ type: 'Feature', id: f.properties.id, geometry: f.geometry, properties: textProperties(f, columns, lang) })),
    };
    return { body: Buffer.from(JSON.stringify(fc)), contentType: 'application/geo+json; charset=utf-8', filename: `${base}.geojson`, count: features.length, truncated };
  }
  if (format === 'csv') {
    const rows = features.map((f) => [...columns.map((c) => textValue(c, f.properties[c.key], lang) ?? ''), toWkt(f.geometry)]);
    const text = Papa.unparse({ fields: [...columns.map((c) => columnName(c, lang)), 'WKT'], data: rows as unknown[][] }, { newline: '\r\n' });
    return { body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv`, count: features.length, truncated };
  }
  if (format === 'dxf') {
    return { body: dxfOf(features, crs, lang), contentType: 'application/dxf', filename: `${base}.dxf`, count: features.length, truncated };
  }
  const encoding = lang === 'zh' ? 'gbk' : 'utf8';
  const shp = writeShapefile(
    features.map((f) => ({
      geometry: f.geometry,
      // Logicals stay T/F in the .dbf; words (是/否) only for text fields.
      properties: Object.fromEntries(columns.map((c) => [dbfName(c, lang), c.dbf.type === 'C' ? textValue(c, f.properties[c.key], lang) : f.properties[c.key]])),
    })),
    // Chinese values are longer than the English codes: text widths from the data.
    columns.map((c) => ({ ...c.dbf, name: dbfName(c, lang), ...(lang === 'zh' && c.dbf.type === 'C' && c.zhValue ? { length: undefined } : {}) })),
    encoding,
  );
  const zip = zipSync({
    [`${base}.shp`]: shp.shp,
    [`${base}.shx`]: shp.shx,
    [`${base}.dbf`]: shp.dbf,
    [`${base}.prj`]: strToU8(CRS[crs].prjWkt),
    [`${base}.cpg`]: strToU8(CPG[encoding]),
  }, { level: 6 });
  return { body: Buffer.from(zip), contentType: 'application/zip', filename: `${base}.zip`, count: features.length, truncated };
}
