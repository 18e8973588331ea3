/**
 * Plot export: GeoJSON, CSV (attributes + WKT) or a zipped Shapefile
 * (.shp .shx .dbf .prj .cpg), in WGS84 (EPSG:4326) or CGCS2000 GK CM 114°E (EPSG:4547), with the
 * filters of GET /api/plots.
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
import { isCityWide } from '../auth/scope.ts';
import { writeShapefile, type DbfField } from './shapefile.ts';
import { queryExport, type ExportFilters } from './repository.ts';
import { CONDITION_COLUMNS } from '../plots/service.ts';

export { EXPORT_MAX_PLOTS, type ExportFilters } from './repository.ts';

export const EXPORT_FORMATS = ['geojson', 'csv', 'shp'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const EXPORT_CRS = ['EPSG:4326', 'EPSG:4547'] as const;
export type ExportCrs = (typeof EXPORT_CRS)[number];

/** One column: its name in GeoJSON/CSV, in the .dbf, and how to read it from a row. */
interface Column { key: string; dbf: DbfField; internal?: boolean }

const COLUMNS: Column[] = [
  { key: 'id', dbf: { name: 'id', type: 'N', length: 10, decimals: 0 } },
  { key: 'code', dbf: { name: 'code', type: 'C' } },
  { key: 'parkCode', dbf: { name: 'park_code', type: 'C' } },
  { key: 'parkName', dbf: { name: 'park_name', type: 'C' } },
  { key: 'districtCode', dbf: { name: 'district', type: 'C', length: 6 } },
  { key: 'status', dbf: { name: 'status', type: 'C', length: 10 } },
  { key: 'landUse', dbf: { name: 'land_use', type: 'C', length: 2 } },
  { key: 'areaM2', dbf: { name: 'area_m2', type: 'N', length: 16, decimals: 2 } },
  { key: 'geometryAreaM2', dbf: { name: 'geom_m2', type: 'N', length: 16, decimals: 2 } },
  { key: 'landLevel', dbf: { name: 'land_level', type: 'N', length: 4, decimals: 0 } },
  { key: 'landGrade', dbf: { name: 'land_grade', type: 'N', length: 4, decimals: 0 } },
  { key: 'location', dbf: { name: 'location', type: 'C' } },
  { key: 'plotRatioMin', dbf: { name: 'ratio_min', type: 'N', length: 10, decimals: 2 } },
  { key: 'plotRatioMax', dbf: { name: 'ratio_max', type: 'N', length: 10, decimals: 2 } },
  { key: 'buildingDensityMaxPct', dbf: { name: 'density', type: 'N', length: 10, decimals: 2 } },
  { key: 'greenRatioMinPct', dbf: { name: 'green_pct', type: 'N', length: 10, decimals: 2 } },
  { key: 'heightLimitM', dbf: { name: 'height_m', type: 'N', length: 10, decimals: 2 } },
  { key: 'investmentIntensityYuanPerM2', dbf: { name: 'invest_m2', type: 'N', length: 16, decimals: 2 } },
  { key: 'serviced', dbf: { name: 'serviced', type: 'L' } },
  // 标准地 conditions (public): conditionPlotRatioMin …, c_ratio_mn … in a Shapefile.
  ...CONDITION_COLUMNS.map((c): Column => ({
    key: c.key,
    dbf: c.kind === 'text' ? { name: c.dbf, type: 'C' } : { name: c.dbf, type: 'N', length: c.kind === 'months' ? 4 : 18, decimals: c.decimals },
  })),
  { key: 'sample', dbf: { name: 'sample', type: 'L' } },
  { key: 'costYuan', dbf: { name: 'cost_yuan', type: 'N', length: 18, decimals: 2 }, internal: true },
];

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
}

/** The file for GET /api/plots/export: the bureau's full export, or everyone else's public one. */
export async function exportPlots(db: Kysely<Database>, caller: Caller, { format, crs, filters }: ExportInput): Promise<ExportFile> {
  const internal = isCityWide(caller.user);
  const { plots, truncated } = await queryExport(db, filters, internal);
  const columns = COLUMNS.filter((c) => internal || !c.internal);
  const base = `plots-${exportDate()}`;
  const features = plots.map((p) => ({ geometry: project(p.geometry, crs), properties: p.properties }));
  if (format === 'geojson') {
    const fc = {
      type: 'FeatureCollection',
      ...(crs !== 'EPSG:4326' ? { crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crs.slice(5)}` } } } : {}),
      truncated,
      features: features.map((f) => ({ type: 'Feature', id: f.properties.id, geometry: f.geometry, properties: f.properties })),
    };
    return { body: Buffer.from(JSON.stringify(fc)), contentType: 'application/geo+json; charset=utf-8', filename: `${base}.geojson`, count: features.length, truncated };
  }
  if (format === 'csv') {
    const rows = features.map((f) => [...columns.map((c) => f.properties[c.key] ?? ''), toWkt(f.geometry)]);
    const text = Papa.unparse({ fields: [...columns.map((c) => c.key), 'WKT'], data: rows as unknown[][] }, { newline: '\r\n' });
    return { body: Buffer.from(`\uFEFF${text}\r\n`, 'utf8'), contentType: 'text/csv; charset=utf-8', filename: `${base}.csv`, count: features.length, truncated };
  }
  const shp = writeShapefile(
    features.map((f) => ({ geometry: f.geometry, properties: Object.fromEntries(columns.map((c) => [c.dbf.name, f.properties[c.key]])) })),
    columns.map((c) => c.dbf),
  );
  const zip = zipSync({
    [`${base}.shp`]: shp.shp,
    [`${base}.shx`]: shp.shx,
    [`${base}.dbf`]: shp.dbf,
    [`${base}.prj`]: strToU8(CRS[crs].prjWkt),
    [`${base}.cpg`]: strToU8('UTF-8'),
  }, { level: 6 });
  return { body: Buffer.from(zip), contentType: 'application/zip', filename: `${base}.zip`, count: features.length, truncated };
}
