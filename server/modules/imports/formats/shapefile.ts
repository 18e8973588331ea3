/**
 * Zipped Shapefile (.shp + .shx + .dbf, optional .prj and .cpg), read with the `shapefile`
 * library after checking the structure ourselves, so broken files get a sentence a person can act
 * on instead of a parser's exception: a missing .shx/.dbf, a truncated .shp (its header, its
 * index and its bytes disagree), a .dbf with another record count, points or lines instead of
 * polygons, too many vertices. The .prj gives the CRS (shared/crs.ts); the .cpg, the dBASE
 * language id or a UTF-8 check gives the text encoding (Chinese data is UTF-8 or GBK).
 */
import { open as openShapefile } from 'shapefile';
import { detectCrsFromPrj } from '../../../../shared/geometry/crs.ts';
import type { PlotGeometry } from '../../../../shared/geometry/index.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { readZip, type ZipEntry } from './zip.ts';
import { fileRefused, type ParsedFile, type SourceFeature } from './types.ts';

const SHAPE_TYPES: Record<number, string> = {
  0: 'null shapes', 1: 'points', 3: 'lines', 5: 'polygons', 8: 'multipoints', 11: 'points (Z)', 13: 'lines (Z)', 15: 'polygons (Z)',
  18: 'multipoints (Z)', 21: 'points (M)', 23: 'lines (M)', 25: 'polygons (M)', 28: 'multipoints (M)', 31: 'multipatches',
};
const POLYGON_TYPES = new Set([5, 15, 25]);

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

function truncated(part: string, detailEn: string, detailZh: string) {
  return fileRefused('SHAPEFILE_TRUNCATED', `The ${part} is truncated or corrupt: ${detailEn}`, `${part} 文件不完整或已损坏：${detailZh}`);
}

/** Checks .shp/.shx/.dbf against one another; returns the record count. */
function checkStructure(shp: Uint8Array, shx: Uint8Array, dbf: Uint8Array, limits: typeof IMPORT_LIMITS): number {
  if (shp.length < 100 || view(shp).getInt32(0, false) !== 9994) {
    throw fileRefused('SHAPEFILE_INVALID', `The .shp is not a shapefile (${shp.length < 100 ? `only ${shp.length} bytes` : 'wrong file code'})`, '.shp 不是有效的 Shapefile 文件');
  }
  const declared = view(shp).getInt32(24, false) * 2;
  if (declared > shp.length) throw truncated('.shp', `its header says ${declared} bytes but it has ${shp.length}`, `文件头声明 ${declared} 字节，实际只有 ${shp.length} 字节`);
  const type = view(shp).getInt32(32, true);
  if (!POLYGON_TYPES.has(type)) {
    throw fileRefused('SHAPEFILE_NOT_POLYGONS', `The shapefile holds ${SHAPE_TYPES[type] ?? `shape type ${type}`}, not polygons: plots are polygons`, `该 Shapefile 是${SHAPE_TYPES[type] ?? `类型 ${type}`}，不是面；地块必须是面`);
  }
  if (shx.length < 100 || view(shx).getInt32(0, false) !== 9994 || (shx.length - 100) % 8 !== 0) {
    throw truncated('.shx', `${shx.length} bytes is not a shapefile index`, `${shx.length} 字节不是有效的索引文件`);
  }
  const n = (shx.length - 100) / 8;
  if (n > limits.maxFeatures) {
    throw fileRefused('TOO_MANY_FEATURES', `The shapefile has ${n} features, more than the limit of ${limits.maxFeatures}; split it into several files`, `该 Shapefile 有 ${n} 个要素，超过上限 ${limits.maxFeatures}，请拆分后导入`);
  }
  const sx = view(shx), sp = view(shp);
  let vertices = 0;
  for (let i = 0; i < n; i++) {
    const offset = sx.getInt32(100 + i * 8, false) * 2;
    const length = sx.getInt32(104 + i * 8, false) * 2;
    if (offset < 100 || length < 4 || offset + 8 + length > shp.length) {
      throw truncated('.shp', `record ${i + 1} of ${n} should end at byte ${offset + 8 + length} but the file has ${shp.length} bytes`, `第 ${i + 1}/${n} 条记录应在第 ${offset + 8 + length} 字节结束，但文件只有 ${shp.length} 字节`);
    }
    if (sp.getInt32(offset, false) !== i + 1) {
      throw truncated('.shp', `record ${i + 1} is not where the .shx says (byte ${offset})`, `第 ${i + 1} 条记录不在索引所指位置（第 ${offset} 字节）`);
    }
    const recType = sp.getInt32(offset + 8, true);
    if (recType !== 0 && length >= 44 + 8) vertices += Math.max(0, sp.getInt32(offset + 8 + 40, true));
    if (vertices > limits.maxTotalVertices) {
      throw fileRefused('TOO_MANY_VERTICES', `The shapefile has more than ${limits.maxTotalVertices} vertices in all; split or simplify it`, `该 Shapefile 顶点总数超过 ${limits.maxTotalVertices}，请拆分或简化`);
    }
  }
  if (dbf.length < 32) throw truncated('.dbf', `only ${dbf.length} bytes`, `只有 ${dbf.length} 字节`);
  const dv = view(dbf);
  const records = dv.getUint32(4, true), headerLength = dv.getUint16(8, true), recordLength = dv.getUint16(10, true);
  if (records !== n) {
    throw fileRefused('SHAPEFILE_MISMATCH', `The .dbf has ${records} records but the .shp has ${n} shapes: they do not belong together`, `.dbf 有 ${records} 条记录，而 .shp 有 ${n} 个图形，两者不匹配`);
  }
  if (headerLength < 33 || headerLength + records * recordLength > dbf.length) {
    throw truncated('.dbf', `it should hold ${headerLength + records * recordLength} bytes but has ${dbf.length}`, `应有 ${headerLength + records * recordLength} 字节，实际 ${dbf.length} 字节`);
  }
  return n;
}

/** The text encoding of the .dbf: .cpg, else the dBASE language id, else UTF-8 if it decodes, else GB18030. */
export function dbfEncoding(dbf: Uint8Array, cpg: string | undefined): string {
  const label = cpg?.trim().toLowerCase();
  if (label) {
    if (/utf-?8|65001/.test(label)) return 'utf-8';
    if (/gb18030|54936/.test(label)) return 'gb18030';
    if (/gbk|936|gb2312|cp936/.test(label)) return 'gbk';
    if (/big5|950/.test(label)) return 'big5';
    try {
      return new TextDecoder(label).encoding;
    } catch {
      // an unknown label: fall through to the checks below
    }
  }
  const ldid = dbf[29];
  if (ldid === 0x4d || ldid === 0x7a) return 'gbk';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(dbf.subarray(32));
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

export async function parseShapefileZip(data: Uint8Array, limits = IMPORT_LIMITS): Promise<ParsedFile> {
  const entries = readZip(data, (name) => /\.(shp|shx|dbf|prj|cpg)$/.test(name), limits);
  const byBase = new Map<string, Map<string, ZipEntry>>();
  for (const e of entries) {
    const m = /^(.*)\.(shp|shx|dbf|prj|cpg)$/i.exec(e.name)!;
    const base = m[1]!.toLowerCase();
    if (!byBase.has(base)) byBase.set(base, new Map());
    byBase.get(base)!.set(m[2]!.toLowerCase(), e);
  }
  const withShp = [...byBase.entries()].filter(([, parts]) => parts.has('shp'));
  if (withShp.length === 0) {
    throw fileRefused('SHAPEFILE_MISSING_PART', 'The zip holds no .shp file: a zipped Shapefile needs .shp, .shx and .dbf (and preferably .prj)', '压缩包中没有 .shp 文件：Shapefile 需要 .shp、.shx 和 .dbf（最好还有 .prj）');
  }
  if (withShp.length > 1) {
    throw fileRefused('SHAPEFILE_SEVERAL', `The zip holds ${withShp.length} shapefiles (${withShp.map(([b]) => b).join(', ')}); upload one at a time`, `压缩包中有 ${withShp.length} 个 Shapefile，请一次上传一个`);
  }
  const [base, parts] = withShp[0]!;
  for (const ext of ['shx', 'dbf'] as const) {
    if (!parts.has(ext)) {
      throw fileRefused('SHAPEFILE_MISSING_PART', `The shapefile ${base}.shp has no .${ext} beside it in the zip: a Shapefile needs .shp, .shx and .dbf together`, `压缩包中 ${base}.shp 缺少 .${ext} 文件：Shapefile 需要 .shp、.shx 和 .dbf`);
    }
  }
  const shp = parts.get('shp')!.data, shx = parts.get('shx')!.data, dbf = parts.get('dbf')!.data;
  const n = checkStructure(shp, shx, dbf, limits);
  const prj = parts.get('prj') ? new TextDecoder('utf-8').decode(parts.get('prj')!.data) : undefined;
  const cpg = parts.get('cpg') ? new TextDecoder('utf-8').decode(parts.get('cpg')!.data) : undefined;
  const encoding = dbfEncoding(dbf, cpg);

  const features: SourceFeature[] = [];
  try {
    const source = await openShapefile(shp, dbf, { encoding });
    for (let index = 0; index < n; index++) {
      const r = await source.read();
      if (r.done) break;
      const geometry = r.value.geometry as GeoJSON.Geometry | null;
      const problems: SourceFeature['problems'] = [];
      if (!geometry) problems.push({ code: 'NO_GEOMETRY', messageZh: '该要素没有图形（空图形）。', messageEn: 'The feature has no geometry (a null shape).' });
      features.push({ index, properties: (r.value.properties ?? {}) as Record<string, unknown>, geometry: geometry as PlotGeometry | null, problems });
    }
  } catch (err) {
    throw fileRefused('SHAPEFILE_INVALID', `The shapefile cannot be read: ${(err as Error).message}`, `Shapefile 无法读取：${(err as Error).message}`);
  }
  const parsed: ParsedFile = { format: 'shapefile', features, notices: [] };
  if (prj !== undefined) {
    const d = detectCrsFromPrj(prj);
    if (d.ok) parsed.declared = { crs: d.crs, source: 'prj', name: d.name };
    else parsed.unrecognisedPrj = { messageZh: d.messageZh, messageEn: d.messageEn };
  }
  if (encoding !== 'utf-8') {
    parsed.notices.push({ code: 'DBF_ENCODING', encoding, messageZh: `属性表按 ${encoding} 编码读取${cpg ? '（.cpg）' : '（没有 .cpg 文件，按内容判断）'}。`, messageEn: `The attribute table was read as ${encoding}${cpg ? ' (.cpg)' : ' (no .cpg file; judged from its bytes)'}.` });
  }
  return parsed;
}
