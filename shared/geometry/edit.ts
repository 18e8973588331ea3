/**
 * Geometry edits of the map editor: split a plot by a drawn line,
 * merge adjacent plots, share a surveyed figure between the pieces. Pure, so the editor
 * previews exactly what the server will store. Positions are WGS84 [lon, lat].
 *
 * Splitting: the line is extended at both ends far beyond the plot and closed around one side
 * with a large arc, giving a "side" polygon S; the pieces are plot ∩ S and plot − S (turf,
 * polygon-clipping). Vertices of the plot are kept as they are, so the pieces share the plot's
 * edges with its neighbours and share the cut exactly with each other.
 */
import { difference } from '@turf/difference';
import { featureCollection, polygon as turfPolygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { kinks } from '@turf/kinks';
import { rewind } from '@turf/rewind';
import { union } from '@turf/union';
import { geometryAreaM2 } from './area.ts';
import { geometryBBox } from './bbox.ts';
import type { LonLat } from './crs.ts';
import { polygonsOf, type PlotGeometry } from './types.ts';

export type EditFailure = { ok: false; code: 'LINE_INVALID' | 'LINE_DOES_NOT_SPLIT' | 'NOT_ADJACENT' | 'EDIT_FAILED'; messageZh: string; messageEn: string; where?: LonLat };

/** Pieces smaller than this (m²) are numerical crumbs of the cut, not plots. */
const CRUMB_M2 = 0.01;

const asFeature = (g: PlotGeometry): GeoJSON.Feature<PlotGeometry> => ({ type: 'Feature', properties: {}, geometry: g });

function piecesOf(g: PlotGeometry | null | undefined): GeoJSON.Polygon[] {
  if (!g) return [];
  return polygonsOf(g).map((coordinates) => rewind({ type: 'Polygon', coordinates } as GeoJSON.Polygon) as GeoJSON.Polygon);
}

/**
 * Splits a plot by a line drawn across it. The line must cross the plot (its ends may lie
 * outside; they are extended); a line that crosses a concave plot several times gives more than
 * two pieces. Returns the pieces, largest first, each with RFC 7946 winding.
 */
export function splitPlotGeometry(plot: PlotGeometry, line: GeoJSON.LineString): { ok: true; pieces: GeoJSON.Polygon[] } | EditFailure {
  const pts = (line?.coordinates ?? []) as LonLat[];
  if (line?.type !== 'LineString' || pts.length < 2 || pts.some((p) => !Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
    return { ok: false, code: 'LINE_INVALID', messageZh: '分割线必须是至少两个点的 LineString（经度, 纬度）。', messageEn: 'The split line must be a LineString of at least two [lon, lat] positions.' };
  }
  const cleaned = pts.filter((p, i) => i === 0 || p[0] !== pts[i - 1]![0] || p[1] !== pts[i - 1]![1]);
  if (cleaned.length < 2) return { ok: false, code: 'LINE_INVALID', messageZh: '分割线的点都相同。', messageEn: 'The split line has no length.' };
  const k = kinks({ type: 'LineString', coordinates: cleaned });
  if (k.features.length) {
    const where = k.features[0]!.geometry.coordinates as LonLat;
    return { ok: false, code: 'LINE_INVALID', messageZh: `分割线自相交（在 ${where.join(', ')}）。`, messageEn: `The split line crosses itself (at ${where.join(', ')}).`, where };
  }
  const [w, s, e, n] = geometryBBox(plot);
  const c: LonLat = [(w + e) / 2, (s + n) / 2];
  let reach = Math.max(e - w, n - s);
  for (const p of cleaned) reach = Math.max(reach, Math.hypot(p[0] - c[0], p[1] - c[1]));
  const extend = (from: LonLat, to: LonLat): LonLat => {
    const dx = to[0] - from[0], dy = to[1] - from[1], len = Math.hypot(dx, dy);
    return [to[0] + (dx / len) * reach * 3, to[1] + (dy / len) * reach * 3];
  };
  const start = extend(cleaned[1]!, cleaned[0]!);
  const end = extend(cleaned[cleaned.length - 2]!, cleaned[cleaned.length - 1]!);
  const extended = [start, ...cleaned, end];
  const big = reach * 20;
  const angle = (p: LonLat) => Math.atan2(p[1] - c[1], p[0] - c[0]);
  const onCircle = (a: number): LonLat => [c[0] + big * Math.cos(a), c[1] + big * Math.sin(a)];

  for (const dir of [1, -1]) {
    const a0 = angle(end);
    let a1 = angle(start);
    // Sweep from the end's angle to the start's in direction `dir`.
    if (dir > 0 && a1 <= a0) a1 += 2 * Math.PI;
    if (dir < 0 && a1 >= a0) a1 -= 2 * Math.PI;
    const arc: LonLat[] = [];
    const steps = 48;
    for (let i = 0; i <= steps; i++) arc.push(onCircle(a0 + ((a1 - a0) * i) / steps));
    const ring = [...extended, ...arc, extended[0]!];
    const side = turfPolygon([ring]);
    if (kinks(side).features.length) continue;
    try {
      const fc = featureCollection<PlotGeometry>([asFeature(plot), side]);
      const inside = intersect(fc);
      const outside = difference(fc);
      const pieces = [...piecesOf(inside?.geometry as PlotGeometry | undefined), ...piecesOf(outside?.geometry as PlotGeometry | undefined)]
        .map((p) => ({ p, a: geometryAreaM2(p) }))
        .filter((x) => x.a >= CRUMB_M2)
        .sort((x, y) => y.a - x.a)
        .map((x) => x.p);
      if (pieces.length < 2) {
        return {
          ok: false,
          code: 'LINE_DOES_NOT_SPLIT',
          messageZh: '分割线没有把地块分开：线必须从地块的一侧边界穿到另一侧。',
          messageEn: 'The line does not split the plot: it must cross the plot from one edge to another.',
        };
      }
      return { ok: true, pieces };
    } catch (err) {
      return { ok: false, code: 'EDIT_FAILED', messageZh: `无法计算分割：${(err as Error).message}`, messageEn: `Could not compute the split: ${(err as Error).message}` };
    }
  }
  return { ok: false, code: 'LINE_INVALID', messageZh: '分割线太曲折，请画一条更简单的线。', messageEn: 'The split line winds too much; draw a simpler line.' };
}

/**
 * Merges plots into one polygon. They must form one connected piece, touching along edges
 * (a shared corner is not enough). Holes smaller than a crumb (slivers between edges that do
 * not quite meet) are dropped.
 */
export function mergePlotGeometries(geometries: PlotGeometry[]): { ok: true; geometry: GeoJSON.Polygon } | EditFailure {
  if (geometries.length < 2) return { ok: false, code: 'NOT_ADJACENT', messageZh: '至少需要两个地块才能合并。', messageEn: 'Merging needs at least two plots.' };
  let merged: PlotGeometry | null;
  try {
    merged = (union(featureCollection<PlotGeometry>(geometries.map(asFeature)))?.geometry as PlotGeometry | undefined) ?? null;
  } catch (err) {
    return { ok: false, code: 'EDIT_FAILED', messageZh: `无法合并图形：${(err as Error).message}`, messageEn: `Could not merge the shapes: ${(err as Error).message}` };
  }
  const polys = merged ? polygonsOf(merged) : [];
  if (polys.length !== 1) {
    const where = polys[1]?.[0]?.[0];
    return {
      ok: false,
      code: 'NOT_ADJACENT',
      messageZh: `这些地块不相邻（合并后为 ${polys.length} 个分离的部分）：只能合并共用边界的地块。`,
      messageEn: `These plots are not adjacent (they form ${polys.length} separate pieces): only plots that share an edge can be merged.`,
      ...(where ? { where } : {}),
    };
  }
  const [shell, ...holes] = polys[0]!;
  const kept = holes.filter((h) => geometryAreaM2({ type: 'Polygon', coordinates: [h] }) >= CRUMB_M2 * 50);
  return { ok: true, geometry: rewind({ type: 'Polygon', coordinates: [shell!, ...kept] } as GeoJSON.Polygon) as GeoJSON.Polygon };
}

/**
 * Shares a figure in hundredths (0.01 m² or fen) between pieces in proportion to weights,
 * exactly: largest remainder, so the parts add up to the whole. (The split's surveyed area and
 * cost are shared this way, in proportion to the pieces' geometric areas.)
 */
export function shareProportionally(totalHundredths: bigint, weights: number[]): bigint[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) throw new RangeError('shareProportionally: weights must add up to more than 0');
  const SCALE = 1_000_000_000n;
  const w = weights.map((x) => BigInt(Math.round((x / sum) * Number(SCALE))));
  const wsum = w.reduce((a, b) => a + b, 0n);
  const base = w.map((x) => (totalHundredths * x) / wsum);
  let left = totalHundredths - base.reduce((a, b) => a + b, 0n);
  const order = w.map((x, i) => ({ i, rem: (totalHundredths * x) % wsum })).sort((a, b) => (b.rem > a.rem ? 1 : b.rem < a.rem ? -1 : a.i - b.i));
  for (const { i } of order) {
    if (left <= 0n) break;
    base[i]! += 1n;
    left -= 1n;
  }
  return base;
}
