/**
 * Writing a polygon Shapefile (.shp, .shx, .dbf) per the ESRI Shapefile Technical Description
 * (1998) and dBASE III. Written here rather than with @mapbox/shp-write because that library
 * writes a fixed WGS84 .prj, splits Polygons and MultiPolygons into separate files, does not
 * re-wind rings to the shapefile convention, and writes dBASE text one byte per UTF-16 unit — so
 * Chinese text would not survive. Here: one file of polygons (a MultiPolygon is one record with
 * several parts), exterior rings clockwise and holes counter-clockwise, text as UTF-8 (the caller
 * ships a .cpg saying so) or GBK (Chinese field names and values for desktop GIS that expects
 * the Chinese Windows code page: language driver 0x4D and a .cpg of "GBK"). Verified by reading the output back with GDAL (tests/api/gdal-roundtrip.test.ts).
 */
import iconv from 'iconv-lite';
import type { PlotGeometry } from '../../../shared/geometry/index.ts';

export type DbfValue = string | number | boolean | null | undefined;

export interface DbfField {
  /** At most 10 bytes in the file's encoding (ASCII letters, digits and _ in UTF-8 files). */
  name: string;
  /** C text, N number, L logical. */
  type: 'C' | 'N' | 'L';
  /** N: total width and decimals. C: computed from the data when omitted. */
  length?: number;
  decimals?: number;
}

export interface ShapefileFeature {
  /** Positions in the target CRS (GIS order), any winding. */
  geometry: PlotGeometry;
  properties: Record<string, DbfValue>;
}

const SHAPE_POLYGON = 5;

function signedArea(ring: number[][]): number {
  let a = 0;
  for (let i = 0; i < ring.length - 1; i++) a += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!;
  return a / 2;
}

/** Rings of a record: each polygon's exterior clockwise, then its holes counter-clockwise. */
function recordRings(g: PlotGeometry): number[][][] {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  const rings: number[][][] = [];
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const r = ring.map((p) => [p[0]!, p[1]!]);
      const cw = signedArea(r) < 0;
      rings.push((i === 0) === cw ? r : [...r].reverse());
    });
  }
  return rings;
}

function writeHeader(v: DataView, fileBytes: number, box: [number, number, number, number]) {
  v.setInt32(0, 9994, false);
  v.setInt32(24, fileBytes / 2, false);
  v.setInt32(28, 1000, true);
  v.setInt32(32, SHAPE_POLYGON, true);
  v.setFloat64(36, box[0], true);
  v.setFloat64(44, box[1], true);
  v.setFloat64(52, box[2], true);
  v.setFloat64(60, box[3], true);
}

function writeShpShx(features: ShapefileFeature[]): { shp: Uint8Array; shx: Uint8Array } {
  const records = features.map((f) => {
    const rings = recordRings(f.geometry);
    const points = rings.reduce((n, r) => n + r.length, 0);
    let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
    for (const r of rings) for (const [x, y] of r) {
      if (x! < w) w = x!; if (x! > e) e = x!;
      if (y! < s) s = y!; if (y! > n) n = y!;
    }
    return { rings, points, box: [w, s, e, n] as [number, number, number, number], bytes: 44 + 4 * rings.length + 16 * points };
  });
  const shpBytes = 100 + records.reduce((t, r) => t + 8 + r.bytes, 0);
  const shp = new Uint8Array(shpBytes);
  const shx = new Uint8Array(100 + 8 * records.length);
  const sv = new DataView(shp.buffer), xv = new DataView(shx.buffer);
  const all: [number, number, number, number] = records.length
    ? [Math.min(...records.map((r) => r.box[0])), Math.min(...records.map((r) => r.box[1])), Math.max(...records.map((r) => r.box[2])), Math.max(...records.map((r) => r.box[3]))]
    : [0, 0, 0, 0];
  writeHeader(sv, shpBytes, all);
  writeHeader(xv, shx.length, all);
  let at = 100;
  records.forEach((r, i) => {
    xv.setInt32(100 + 8 * i, at / 2, false);
    xv.setInt32(104 + 8 * i, r.bytes / 2, false);
    sv.setInt32(at, i + 1, false);
    sv.setInt32(at + 4, r.bytes / 2, false);
    let p = at + 8;
    sv.setInt32(p, SHAPE_POLYGON, true);
    r.box.forEach((b, k) => sv.setFloat64(p + 4 + 8 * k, b, true));
    sv.setInt32(p + 36, r.rings.length, true);
    sv.setInt32(p + 40, r.points, true);
    p += 44;
    let start = 0;
    for (const ring of r.rings) {
      sv.setInt32(p, start, true);
      p += 4;
      start += ring.length;
    }
    for (const ring of r.rings) for (const [x, y] of ring) {
      sv.setFloat64(p, x!, true);
      sv.setFloat64(p + 8, y!, true);
      p += 16;
    }
    at += 8 + r.bytes;
  });
  return { shp, shx };
}

export type DbfEncoding = 'utf8' | 'gbk';

const utf8 = new TextEncoder();
const encode = (s: string, enc: DbfEncoding): Uint8Array => (enc === 'gbk' ? new Uint8Array(iconv.encode(s, 'gbk')) : utf8.encode(s));

/** GBK bytes of `s`, cut to at most `max` bytes before a character (1 byte ASCII, else 2). */
function gbkBytes(s: string, max: number): Uint8Array {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    const w = encode(ch, 'gbk').length;
    if (bytes + w > max) break;
    out += ch;
    bytes += w;
  }
  return encode(out, 'gbk');
}

/** The bytes of `s` in `enc`, cut to at most `max` bytes on a character boundary. */
function textBytes(s: string, max: number, enc: DbfEncoding): Uint8Array {
  if (enc === 'gbk') return gbkBytes(s, max);
  let b = utf8.encode(s);
  if (b.length <= max) return b;
  b = b.subarray(0, max);
  let end = max;
  while (end > 0 && (b[end]! & 0xc0) === 0x80) end--; // back to the lead byte of a cut character
  const lead = b[end]!;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return b.subarray(0, end + need <= max ? end + need : end);
}

function formatNumber(v: DbfValue, f: Required<Pick<DbfField, 'length' | 'decimals'>>): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) return ' '.repeat(f.length);
  const s = v.toFixed(f.decimals);
  return s.length > f.length ? '*'.repeat(f.length) : s.padStart(f.length, ' ');
}

function writeDbf(features: ShapefileFeature[], fields: DbfField[], enc: DbfEncoding): Uint8Array {
  const cols = fields.map((f) => {
    if (f.type === 'N') return { ...f, length: f.length ?? 18, decimals: f.decimals ?? 0 };
    if (f.type === 'L') return { ...f, length: 1, decimals: 0 };
    const longest = Math.max(1, ...features.map((ft) => encode(String(ft.properties[f.name] ?? ''), enc).length));
    return { ...f, length: Math.min(254, f.length ?? longest), decimals: 0 };
  });
  const headerLength = 32 + 32 * cols.length + 1;
  const recordLength = 1 + cols.reduce((t, c) => t + c.length, 0);
  const out = new Uint8Array(headerLength + recordLength * features.length + 1);
  const v = new DataView(out.buffer);
  const now = new Date();
  out[0] = 0x03;
  out[1] = now.getUTCFullYear() - 1900;
  out[2] = now.getUTCMonth() + 1;
  out[3] = now.getUTCDate();
  v.setUint32(4, features.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  if (enc === 'gbk') out[29] = 0x4d; // language driver: code page 936 (GBK)
  cols.forEach((c, i) => {
    const at = 32 + 32 * i;
    out.set(encode(c.name, enc).subarray(0, 10), at);
    out[at + 11] = c.type.charCodeAt(0);
    out[at + 16] = c.length;
    out[at + 17] = c.decimals;
  });
  out[headerLength - 1] = 0x0d;
  let at = headerLength;
  for (const f of features) {
    out[at] = 0x20; // not deleted
    let p = at + 1;
    for (const c of cols) {
      const val = f.properties[c.name];
      out.fill(0x20, p, p + c.length);
      if (c.type === 'C') out.set(textBytes(val === null || val === undefined ? '' : String(val), c.length, enc), p);
      else if (c.type === 'L') out[p] = val === true ? 0x54 : val === false ? 0x46 : 0x3f; // T, F, ?
      else out.set(utf8.encode(formatNumber(val, c)), p);
      p += c.length;
    }
    at += recordLength;
  }
  out[at] = 0x1a;
  return out;
}

/** The .cpg that says how the .dbf text is encoded. */
export const CPG: Record<DbfEncoding, string> = { utf8: 'UTF-8', gbk: 'GBK' };

/** The three files of a polygon shapefile. The caller adds the .prj and the .cpg (CPG[encoding]). */
export function writeShapefile(features: ShapefileFeature[], fields: DbfField[], encoding: DbfEncoding = 'utf8'): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const names = new Set<string>();
  for (const f of fields) {
    const ok = encoding === 'gbk'
      ? f.name.length > 0 && iconv.decode(Buffer.from(encode(f.name, 'gbk')), 'gbk') === f.name && encode(f.name, 'gbk').length <= 10 && !/[\s\0]/.test(f.name)
      : /^[A-Za-z][A-Za-z0-9_]{0,9}$/.test(f.name);
    if (!ok) throw new Error(`writeShapefile: field name "${f.name}" must be ${encoding === 'gbk' ? '≤ 10 bytes in GBK' : 'ASCII, ≤ 10 characters'}`);
    if (names.has(f.name)) throw new Error(`writeShapefile: field name "${f.name}" twice`);
    names.add(f.name);
  }
  return { ...writeShpShx(features), dbf: writeDbf(features, fields, encoding) };
}
