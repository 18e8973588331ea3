/**
 * 界址点 tables (boundary-point tables) as CSV, read with papaparse: one row per boundary point,
 * with the plot code, the point number, and **X = northing, Y = easting** (Chinese survey
 * convention; shared/crs.ts `fromSurveyXY`), optionally a ring number (圈号) for holes and
 * multi-part plots. Lon/lat columns (经度/纬度) are read as WGS84 instead. Points are taken in file
 * order (the boundary order); the point numbers name the point in messages; a ring that does
 * not repeat its first point is closed. Attribute columns (面积, 用途, 土地级别, 坐落, 宗地代码,
 * 控规地块编号 …) are taken from a plot's first row. A table whose X column holds eastings is noticed and read the other
 * way round, with a notice.
 */
import Papa from 'papaparse';
import { fromSurveyXY, guessCrs } from '../../../../shared/geometry/crs.ts';
import { pointInGeometry, type LonLat, type PlotGeometry } from '../../../../shared/geometry/index.ts';
import { IMPORT_LIMITS } from './limits.ts';
import { decodeText } from './text.ts';
import { fileRefused, type ParsedFile, type SourceFeature } from './types.ts';

const norm = (s: string) => s.trim().toLowerCase().replace(/[\s_\-（）()]/g, '');

const COLUMNS = {
  code: ['宗地编号', '地块编号', '宗地号', '地块号', '编号', 'code', 'plotcode', 'zdbh', 'dkbh'],
  /** 宗地代码: read as an attribute (./attributes.ts); groups the points only when there is no plot-code column. */
  parcel: ['宗地代码', 'zddm', 'parcelcode'],
  point: ['界址点号', '点号', '序号', 'pointno', 'point', 'pointnumber', 'jzdh', 'no'],
  x: ['x', 'x坐标', 'x坐标m', '纵坐标', '北坐标', 'northing'],
  y: ['y', 'y坐标', 'y坐标m', '横坐标', '东坐标', 'easting'],
  lon: ['lon', 'lng', 'longitude', '经度'],
  lat: ['lat', 'latitude', '纬度'],
  ring: ['圈号', '环号', 'ring', 'ringno', 'part'],
} as const;

function findColumn(headers: string[], names: readonly string[]): string | undefined {
  const wanted = names.map(norm);
  return headers.find((h) => wanted.includes(norm(h)));
}

const number = (v: unknown): number => {
  if (typeof v === 'number') return v;
  const s = String(v ?? '').trim().replace(/,/g, '');
  return s === '' ? NaN : Number(s);
};

interface Group { code: string; firstRow: Record<string, string>; rings: Map<string, { point: string; p: [number, number]; row: number }[]>; problems: SourceFeature['problems'] }

export function parseBoundaryCsv(data: Uint8Array, limits = IMPORT_LIMITS): ParsedFile {
  const text = decodeText(data).replace(/^\uFEFF/, '');
  const res = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: 'greedy', transformHeader: (h) => h.trim() });
  const headers = res.meta.fields ?? [];
  if (res.data.length > limits.maxCsvRows) {
    throw fileRefused('TOO_MANY_FEATURES', `The table has ${res.data.length} rows, more than the limit of ${limits.maxCsvRows}`, `表格有 ${res.data.length} 行，超过上限 ${limits.maxCsvRows}`);
  }
  const codeCol = findColumn(headers, COLUMNS.code) ?? findColumn(headers, COLUMNS.parcel);
  const pointCol = findColumn(headers, COLUMNS.point);
  const lonCol = findColumn(headers, COLUMNS.lon), latCol = findColumn(headers, COLUMNS.lat);
  const xCol = findColumn(headers, COLUMNS.x), yCol = findColumn(headers, COLUMNS.y);
  const ringCol = findColumn(headers, COLUMNS.ring);
  const lonLat = lonCol !== undefined && latCol !== undefined;
  if (!codeCol || (!lonLat && (!xCol || !yCol))) {
    throw fileRefused(
      'CSV_INVALID',
      `The table needs a plot code column (宗地编号/code, or 宗地代码) and X and Y columns (X = northing, Y = easting) or 经度/纬度; it has: ${headers.join(', ') || '(no header)'}`,
      `界址点表需要宗地编号（或宗地代码）列，以及 X、Y 坐标列（X 为北坐标，Y 为东坐标）或经度、纬度列；现有列：${headers.join('、') || '（无表头）'}`,
    );
  }
  const groups = new Map<string, Group>();
  res.data.forEach((row, i) => {
    const code = String(row[codeCol] ?? '').trim();
    const point = pointCol ? String(row[pointCol] ?? '').trim() : String(i + 1);
    const rowNo = i + 2; // 1-based, after the header
    let g = groups.get(code);
    if (!g) {
      if (groups.size >= limits.maxFeatures) {
        throw fileRefused('TOO_MANY_FEATURES', `The table has more than ${limits.maxFeatures} plots; split it into several files`, `表格中的地块超过 ${limits.maxFeatures} 个，请拆分后导入`);
      }
      g = { code, firstRow: row, rings: new Map(), problems: [] };
      groups.set(code, g);
    }
    const a = number(lonLat ? row[lonCol!] : row[xCol!]);
    const b = number(lonLat ? row[latCol!] : row[yCol!]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) {
      if (g.problems.length < 3) {
        const raw = lonLat ? `${row[lonCol!]}, ${row[latCol!]}` : `X=${row[xCol!]}, Y=${row[yCol!]}`;
        g.problems.push({ code: 'COORDINATE_NOT_FINITE', messageZh: `界址点 ${point}（第 ${rowNo} 行）的坐标不是有效数字：${raw}。`, messageEn: `Point ${point} (row ${rowNo}) has a coordinate that is not a finite number: ${raw}.` });
      }
      return;
    }
    // X = northing, Y = easting → GIS order [easting, northing]; lon/lat as they are.
    const p: [number, number] = lonLat ? [a, b] : fromSurveyXY(a, b);
    const ring = ringCol ? String(row[ringCol] ?? '1').trim() || '1' : '1';
    if (!g.rings.has(ring)) g.rings.set(ring, []);
    g.rings.get(ring)!.push({ point, p, row: rowNo });
  });

  const notices: ParsedFile['notices'] = [];
  // A table whose X column holds eastings (the GIS habit): read it the other way round, and say so.
  const sample = [...groups.values()].flatMap((g) => [...g.rings.values()].flat()).slice(0, 50).map((v) => v.p);
  const swaps = sample.filter((p) => guessCrs(p).swapped).length;
  const swapped = !lonLat && sample.length > 0 && swaps > sample.length / 2;
  if (swapped) {
    notices.push({
      code: 'CSV_AXES_SWAPPED',
      messageZh: '表中 X 列是东坐标、Y 列是北坐标（与测量习惯 X 为北坐标相反），已按此读取，请确认。',
      messageEn: 'The X column holds eastings and Y northings (the survey convention is X = northing); the table was read that way — please check.',
    });
  }

  let index = 0;
  const features: SourceFeature[] = [];
  for (const g of groups.values()) {
    const properties: Record<string, unknown> = { ...g.firstRow };
    for (const col of [pointCol, xCol, yCol, lonCol, latCol, ringCol]) if (col) delete properties[col];
    const problems = [...g.problems];
    if (!g.code) problems.push({ code: 'MISSING_CODE', messageZh: '有界址点没有宗地编号。', messageEn: 'Some boundary points have no plot code.' });
    const rings: LonLat[][] = [];
    for (const [ringNo, pts] of [...g.rings.entries()].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
      const ring = pts.map((v) => (swapped ? [v.p[1], v.p[0]] : v.p) as LonLat);
      if (ring.length && (ring[0]![0] !== ring[ring.length - 1]![0] || ring[0]![1] !== ring[ring.length - 1]![1])) ring.push(ring[0]!);
      if (ring.length < 4) {
        problems.push({ code: 'RING_TOO_SHORT', messageZh: `第 ${ringNo} 圈只有 ${Math.max(0, ring.length - 1)} 个界址点，至少需要 3 个。`, messageEn: `Ring ${ringNo} has ${Math.max(0, ring.length - 1)} boundary points; a plot needs at least 3.` });
        continue;
      }
      rings.push(ring);
    }
    let geometry: PlotGeometry | null = null;
    if (!problems.length && rings.length) {
      // Ring 1 is the boundary; a later ring inside it is a hole, outside it another part.
      const polys: LonLat[][][] = [[rings[0]!]];
      for (const r of rings.slice(1)) {
        const host = polys.find((poly) => pointInGeometry(r[0]!, { type: 'Polygon', coordinates: [poly[0]!] }));
        if (host) host.push(r);
        else polys.push([r]);
      }
      geometry = polys.length === 1 ? { type: 'Polygon', coordinates: polys[0]! } : { type: 'MultiPolygon', coordinates: polys };
    }
    features.push({ index: index++, properties: { ...properties, [codeCol]: g.code }, geometry, problems });
  }
  if (!features.length) throw fileRefused('CSV_INVALID', 'The table has no boundary points', '界址点表中没有数据');
  return { format: 'csv', features, notices };
}
