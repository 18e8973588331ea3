/**
 * Which coordinate system a file is in, and reading its positions: the .prj or the file's own
 * declaration first, else the person's choice, else judged from the numbers, else WGS84; a
 * notice when the numbers look like another system than the one the file is read in. Then each
 * raw geometry is checked for plausible numbers, reprojected to WGS84 (proj4), rounded and
 * re-wound to RFC 7946 (shapefiles and survey tables run clockwise).
 */
import { rewind } from '@turf/rewind';
import { CRS, geometryToWgs84, guessCrs, parseCrs, type CrsCode, type XY } from '../../../shared/geometry/crs.ts';
import { polygonsOf, stripZ, type GeometryIssue, type PlotGeometry } from '../../../shared/geometry/index.ts';
import { GUANGZHOU_BBOX } from '../../../shared/domain.ts';
import { fileRefused, type Notice, type ParsedFile } from './formats/types.ts';
import { issue, type CrsSource } from './model.ts';
import { fromLocal, mapPositions, type FourParameters } from '../../../shared/geometry/local-crs.ts';

const round9 = (x: number) => Math.round(x * 1e9) / 1e9;
const geographic = (crs: CrsCode) => !CRS[crs].projected;
const sameSystem = (a: CrsCode, b: CrsCode) => a === b || (geographic(a) && geographic(b));


export function positionsOf(g: PlotGeometry | null): XY[] {
  const out: XY[] = [];
  if (!g) return out;
  try {
    for (const poly of polygonsOf(g)) for (const ring of poly) for (let i = 0; i < ring.length; i++) if (Array.isArray(ring[i])) out.push(ring[i] as XY);
  } catch {
    // malformed: no positions
  }
  return out;
}

/** The most common guess over a sample of the file's raw positions. */
function majorityGuess(parsed: ParsedFile): { crs: CrsCode; example: XY } | null {
  const counts = new Map<CrsCode, { n: number; example: XY }>();
  let sampled = 0;
  for (const f of parsed.features) {
    const p = positionsOf(f.geometry)[0];
    if (!p) continue;
    const g = guessCrs([Number(p[0]), Number(p[1])]);
    if (g.crs && !g.swapped) {
      const c = counts.get(g.crs) ?? { n: 0, example: p };
      c.n++;
      counts.set(g.crs, c);
    }
    if (++sampled >= 200) break;
  }
  const best = [...counts.entries()].sort((a, b) => b[1].n - a[1].n)[0];
  return best && best[1].n > sampled / 2 ? { crs: best[0], example: best[1].example } : null;
}

export function resolveCrs(parsed: ParsedFile, userCrsText: string | undefined): { crs: CrsCode; source: CrsSource; notices: Notice[] } {
  const notices: Notice[] = [];
  let userCrs: CrsCode | null = null;
  if (userCrsText !== undefined && userCrsText.trim() !== '') {
    userCrs = parseCrs(userCrsText);
    if (!userCrs) throw fileRefused('CRS_UNSUPPORTED', `crs "${userCrsText}" is not supported; choose one of ${Object.keys(CRS).join(', ')}`, `不支持坐标系“${userCrsText}”，请选择 ${Object.keys(CRS).join('、')}`);
  }
  if (parsed.declared) {
    const d = parsed.declared;
    if (userCrs && !sameSystem(userCrs, d.crs)) {
      notices.push({
        code: 'CRS_FROM_FILE',
        messageZh: `文件${d.source === 'prj' ? '的 .prj' : ''}声明坐标系为 ${d.crs}（${d.name}），按文件读取，未采用所选的 ${userCrs}。`,
        messageEn: `The file${d.source === 'prj' ? "'s .prj" : ''} declares ${d.crs} (${d.name}); it was read that way, not as the chosen ${userCrs}.`,
      });
    }
    return { crs: d.crs, source: d.source, notices };
  }
  if (parsed.unrecognisedPrj) {
    if (!userCrs) throw fileRefused('CRS_UNSUPPORTED', parsed.unrecognisedPrj.messageEn, parsed.unrecognisedPrj.messageZh);
    notices.push({ code: 'PRJ_UNRECOGNISED', messageZh: `${parsed.unrecognisedPrj.messageZh}；按所选的 ${userCrs} 读取。`, messageEn: `${parsed.unrecognisedPrj.messageEn}; read as the chosen ${userCrs}.` });
    return { crs: userCrs, source: 'user', notices };
  }
  if (userCrs) return { crs: userCrs, source: 'user', notices };
  if (parsed.format !== 'geojson') {
    const guess = majorityGuess(parsed);
    if (guess) return { crs: guess.crs, source: 'detected', notices };
  }
  return { crs: 'EPSG:4326', source: 'default', notices };
}

const SOURCE_LABEL: Record<CrsSource, [string, string]> = {
  prj: ['its .prj', '.prj 文件'], file: ['the file’s own declaration', '文件自身的声明'], user: ['your choice', '所选坐标系'],
  detected: ['a guess from the numbers', '根据数值判断'], default: ['the default, WGS84', '默认的 WGS84'],
};

/** Where positions read in `crs` land, in words: "at 109.5°E, 0.0°N, about 2,600 km from Guangzhou". */
function landing(crs: CrsCode, p: XY): { en: string; zh: string } {
  const [lon, lat] = geometryToWgs84(crs, { type: 'Polygon', coordinates: [[p]] }).coordinates[0]![0] as [number, number];
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
    return { en: 'nowhere on Earth (they are not valid degrees)', zh: '地球之外（不是有效的经纬度）' };
  }
  const [w, s, e, n] = GUANGZHOU_BBOX;
  const km = Math.round(Math.hypot((lon - (w + e) / 2) * 102, (lat - (s + n) / 2) * 111));
  return { en: `at ${lon.toFixed(2)}°E, ${lat.toFixed(2)}°N, about ${km} km from Guangzhou`, zh: `${lon.toFixed(2)}°E、${lat.toFixed(2)}°N，距广州约 ${km} 公里` };
}

/** The file's numbers look like another system than the one it is read in: say so, and where they land. */
export function crsMismatch(parsed: ParsedFile, crs: CrsCode, source: CrsSource): Notice | null {
  const guess = majorityGuess(parsed);
  if (!guess || sameSystem(guess.crs, crs)) return null;
  const where = landing(crs, guess.example);
  const ex = `${guess.example[0]}, ${guess.example[1]}`;
  const [srcEn, srcZh] = SOURCE_LABEL[source];
  return {
    code: 'CRS_MISMATCH',
    suggestedCrs: guess.crs,
    messageEn: `The coordinates (e.g. ${ex}) look like ${guess.crs} (${CRS[guess.crs].nameEn}), but the file was read as ${crs} (${srcEn}): read that way they land ${where.en} — in the ocean, outside Guangzhou. ${source === 'prj' || source === 'file' ? 'The file declares the wrong coordinate system; fix it, or ' : ''}Upload again with crs=${guess.crs}.`,
    messageZh: `坐标（如 ${ex}）看起来是 ${guess.crs}（${CRS[guess.crs].nameZh}），但文件按 ${crs}（${srcZh}）读取：这样读会落在${where.zh}——海上，广州以外。${source === 'prj' || source === 'file' ? '文件声明的坐标系有误，请更正，或' : '请'}选择 crs=${guess.crs} 重新上传。`,
  };
}

/** A raw geometry's positions, finite and plausible for `crs`, or the issue. */
export function rawProblem(g: PlotGeometry, crs: CrsCode): GeometryIssue | null {
  const pts = positionsOf(g);
  const [x0, y0, x1, y1] = CRS[crs].guangzhouRange;
  const slackX = geographic(crs) ? 0 : 10_000_000, slackY = geographic(crs) ? 0 : 10_000_000;
  for (const p of pts) {
    const [x, y] = [p[0], p[1]];
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y)) {
      return issue('COORDINATE_NOT_FINITE', `坐标不是有效数字（NaN、Infinity 或空值）：${String(x)}, ${String(y)}。`, `A coordinate is not a finite number (NaN, Infinity or empty): ${String(x)}, ${String(y)}.`);
    }
    if (!geographic(crs) && (x < x0 - slackX || x > x1 + slackX || y < y0 - slackY || y > y1 + slackY)) {
      const g2 = guessCrs([x, y]);
      const hint = g2.crs ? ` They look like ${g2.crs}${g2.swapped ? ' with X and Y exchanged' : ''}.` : '';
      return issue('COORDINATE_OUT_OF_RANGE', `坐标 ${x}, ${y} 不是合理的 ${crs} 坐标（数值过大或坐标系不对）。`, `Coordinates ${x}, ${y} are not plausible ${crs} coordinates (too large, or the wrong coordinate system).${hint}`, { figures: { x, y } });
    }
  }
  return null;
}

export function countVertices(g: PlotGeometry): number {
  return positionsOf(g).length;
}

/** Projects to WGS84, rounds to 1e-9° (0.1 mm), re-winds to RFC 7946. */
export function toStorage(g: PlotGeometry, crs: CrsCode): PlotGeometry {
  const flat = stripZ(g);
  const wgs = geographic(crs) ? flat : geometryToWgs84(crs, flat);
  const rounded = (wgs.type === 'Polygon'
    ? { type: 'Polygon', coordinates: wgs.coordinates.map((r) => r.map(([x, y]) => [round9(x!), round9(y!)])) }
    : { type: 'MultiPolygon', coordinates: wgs.coordinates.map((poly) => poly.map((r) => r.map(([x, y]) => [round9(x!), round9(y!)]))) }) as PlotGeometry;
  return rewind(rounded) as PlotGeometry;
}

/**
 * A file in a local (city) system (crs=LOCAL:<id>): its positions taken to EPSG:4547 with the
 * inverse of the system's four parameters, so the rest of the import (checks, reprojection to
 * WGS84, the preview) reads it as EPSG:4547. The person's choice wins over a .prj: a local system
 * has no EPSG code and its files often carry a borrowed or wrong one — a notice says so.
 */
export function fromLocalSystem(parsed: ParsedFile, local: { id: number; name: string; parameters: FourParameters }): ParsedFile {
  const notices: Notice[] = [{
    code: 'CRS_LOCAL',
    messageZh: `按本地坐标系“${local.name}”（LOCAL:${local.id}）读取，经四参数换算为 EPSG:4547${parsed.declared || parsed.unrecognisedPrj ? '；文件自带的坐标系声明（.prj）未采用' : ''}。`,
    messageEn: `Read in the local system "${local.name}" (LOCAL:${local.id}) and taken to EPSG:4547 by its four parameters${parsed.declared || parsed.unrecognisedPrj ? "; the file's own CRS declaration (.prj) was not used" : ''}.`,
  }];
  const { declared: _d, unrecognisedPrj: _u, ...rest } = parsed;
  return {
    ...rest,
    notices: [...notices, ...parsed.notices],
    features: parsed.features.map((f) => (f.geometry ? { ...f, geometry: mapPositions(f.geometry, (xy) => fromLocal(local.parameters, xy)) } : f)),
  };
}
