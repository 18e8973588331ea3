/**
 * Builders for import tests: sample plots in a park (the seed generator), and the same plots as
 * GeoJSON, a zipped Shapefile (any CRS, .prj or not, parts left out), KML, a 界址点 CSV table;
 * and a multipart upload through `app.inject`.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';
import type { FastifyInstance } from 'fastify';
import { generatePlots, type PlotSeed } from '../../seeds/generate-plots.ts';
import { CRS, geometryFromWgs84, toSurveyXY, type CrsCode } from '../../shared/geometry/crs.ts';
import { writeShapefile } from '../../server/modules/exports/shapefile.ts';
import { as, type Session } from './login.ts';
import { inTransaction } from '../../server/kernel/db/transaction.ts';
import { removeSampleAllocations } from '../../seeds/sample-allocations.ts';
import { asOwner } from './owner.ts';

type ParkFeature = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, { code: string; districtCode: string; sectors: string[] }>;

export const shippedParks = (JSON.parse(fs.readFileSync(new URL('../../geodata/parks.geojson', import.meta.url), 'utf8')) as GeoJSON.FeatureCollection).features as ParkFeature[];

/** `n` sample plots inside a park, renamed `<prefix>-0001…` (deterministic). */
export function samplePlots(parkCode: string, n: number, prefix: string, seed = 'import-test'): PlotSeed[] {
  const park = shippedParks.find((p) => p.properties.code === parkCode)!;
  return generatePlots([{ code: park.properties.code, geometry: park.geometry, districtCode: park.properties.districtCode, sectors: park.properties.sectors }], { seed, total: n })
    .map((p, i) => ({ ...p, code: `${prefix}-${String(i + 1).padStart(4, '0')}` }));
}

/** Removes a park's plots so an import has room (test databases only). */
export async function clearPark(app: FastifyInstance, parkCode: string): Promise<number> {
  const park = await app.db.selectFrom('parks').select('id').where('code', '=', parkCode).executeTakeFirstOrThrow();
  const plots = app.db.selectFrom('plots').select('id').where('park_id', '=', park.id);
  // …and sample allocation records: that sets the ledger's append-only trigger aside, which only the tables' owner may do.
  await asOwner({ app, kind: app.dbKind }, (db) => inTransaction(db, (trx) => removeSampleAllocations(trx, { parkId: park.id })));
  await app.db.deleteFrom('plot_holds').where('plot_id', 'in', plots).execute(); // the demo data's sample holds
  await app.db.deleteFrom('plots').where('park_id', '=', park.id).execute();
  return park.id;
}

const props = (p: PlotSeed) => ({ code: p.code, landUse: p.landUse, areaM2: p.areaM2, landLevel: p.landLevel, location: p.location });

export function geojsonOf(plots: PlotSeed[], crs: CrsCode = 'EPSG:4326'): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    ...(crs !== 'EPSG:4326' ? { crs: { type: 'name', properties: { name: `urn:ogc:def:crs:EPSG::${crs.slice(5)}` } } } : {}),
    features: plots.map((p) => ({ type: 'Feature', properties: props(p), geometry: crs === 'EPSG:4326' ? p.geometry : geometryFromWgs84(crs, p.geometry) })),
  });
}

export interface ShapefileOptions {
  crs?: CrsCode;
  /** The .prj to ship: the CRS's (default), another text, or none. */
  prj?: string | null;
  omit?: ('shx' | 'dbf')[];
  /** Cut the .shp to this fraction of its bytes. */
  truncateShp?: number;
  name?: string;
}

export function shapefileZip(plots: PlotSeed[], o: ShapefileOptions = {}): Uint8Array {
  const crs = o.crs ?? 'EPSG:4547';
  const { shp, shx, dbf } = writeShapefile(
    plots.map((p) => ({ geometry: geometryFromWgs84(crs, p.geometry), properties: { code: p.code, land_use: p.landUse, area_m2: p.areaM2, land_level: p.landLevel, location: p.location } })),
    [{ name: 'code', type: 'C' }, { name: 'land_use', type: 'C', length: 2 }, { name: 'area_m2', type: 'N', length: 16, decimals: 2 }, { name: 'land_level', type: 'N', length: 4, decimals: 0 }, { name: 'location', type: 'C' }],
  );
  const name = o.name ?? 'plots';
  const files: Record<string, Uint8Array> = { [`${name}.shp`]: o.truncateShp ? shp.subarray(0, Math.floor(shp.length * o.truncateShp)) : shp, [`${name}.cpg`]: strToU8('UTF-8') };
  if (!o.omit?.includes('shx')) files[`${name}.shx`] = shx;
  if (!o.omit?.includes('dbf')) files[`${name}.dbf`] = dbf;
  const prj = o.prj === undefined ? CRS[crs].prjWkt : o.prj;
  if (prj !== null) files[`${name}.prj`] = strToU8(prj);
  return zipSync(files);
}

export function kmlOf(plots: PlotSeed[]): string {
  const placemarks = plots.map((p) => `
    <Placemark>
      <name>${p.code}</name>
      <ExtendedData><Data name="landUse"><value>${p.landUse}</value></Data><Data name="areaM2"><value>${p.areaM2}</value></Data><Data name="landLevel"><value>${p.landLevel}</value></Data></ExtendedData>
      <Polygon><outerBoundaryIs><LinearRing><coordinates>${p.geometry.coordinates[0]!.map(([x, y]) => `${x},${y},0`).join(' ')}</coordinates></LinearRing></outerBoundaryIs></Polygon>
    </Placemark>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>测试</name>${placemarks}\n</Document></kml>`;
}

/**
 * A 界址点 table: 宗地编号, 界址点号, X (northing), Y (easting), attributes on every row; the
 * points clockwise as surveys list them, the first point repeated at the end.
 */
export function boundaryCsv(plots: PlotSeed[], crs: 'EPSG:4547' | 'EPSG:4526', mutate?: (row: string[], plot: PlotSeed, k: number) => void): string {
  const lines = ['宗地编号,界址点号,X,Y,宗地面积,土地用途,土地级别,坐落'];
  for (const p of plots) {
    const ring = geometryFromWgs84(crs, p.geometry).coordinates[0]!.slice().reverse();
    ring.forEach((pos, k) => {
      const { X, Y } = toSurveyXY([pos[0]!, pos[1]!]);
      const row = [p.code, `J${(k % (ring.length - 1)) + 1}`, X.toFixed(3), Y.toFixed(3), String(p.areaM2), p.landUse, String(p.landLevel), p.location];
      mutate?.(row, p, k);
      lines.push(row.join(','));
    });
  }
  return lines.join('\n');
}

/** A multipart/form-data body with one file and some fields. */
export function multipart(fields: Record<string, string>, file?: { filename: string; data: Uint8Array | string; field?: string }) {
  const boundary = `----iabtest${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
    chunks.push(typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies loosely
type Body = Record<string, any>;

export async function upload(app: FastifyInstance, session: Session | null, filename: string, data: Uint8Array | string, fields: Record<string, string> = {}) {
  const { payload, headers } = multipart(fields, { filename, data });
  const res = await app.inject({ method: 'POST', url: '/api/imports', payload, headers: as(session, headers) });
  let body: Body;
  try {
    body = res.json();
  } catch {
    body = { raw: res.body };
  }
  return { status: res.statusCode, body };
}

export async function plotCount(app: FastifyInstance): Promise<number> {
  const r = await app.db.selectFrom('plots').select(app.db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}
