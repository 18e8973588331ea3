/**
 * Sample plots (宗地) for the demo: pure and deterministic — no I/O, no database, no clock.
 * Same parks + same seed → the same plots, byte for byte; every random choice comes from
 * `seedrandom`. Everything produced is marked `sample: true`.
 *
 * Geometry, and why it cannot overlap: each park is laid out in a local metric frame as rows
 * of cells (a jittered grid: row heights and column widths vary, and each row has its own
 * column boundaries, so it does not look like graph paper). Rows never overlap and the cells
 * of a row never overlap, so plots are disjoint *by construction* — no pairwise overlap checks,
 * which is what keeps 100,000 plots fast. A plot is a cell shrunk by a road half-width on every
 * side, so neighbours are separated by a road. A cell is used only when no park boundary passes
 * through it, which keeps every plot strictly inside its park. Some cells are merged with their
 * neighbour, some split in two, some left empty (not all land in a park is plotted).
 */
import seedrandom from 'seedrandom';
import { geometryAreaM2 } from '../shared/geometry/index.ts';

export interface ParkForPlots {
  code: string;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  districtCode: string;
  sectors: string[];
}

export interface PlotSeed {
  /** Park code + running number, e.g. "P06-0012" (4 digits; more when a park has > 9999). */
  code: string;
  parkCode: string;
  /** RFC 7946 winding (counter-clockwise), 7-decimal coordinates, strictly inside the park. */
  geometry: GeoJSON.Polygon;
  /**
   * Surveyed area (宗地面积): the EPSG:4547 plane area of the geometry (CGCS2000 3-degree
   * Gauss–Krüger, CM 114°E; shared/geometry.ts), as a survey and GDAL measure it — not the
   * sphere's area (turf.area reads ≈ 0.24 % more here) — rounded to 2 decimals.
   */
  areaM2: number;
  landUse: 'M0' | 'M1' | 'M2';
  /**
   * 宗地代码 (GB/T 37346, 19 characters), sample: the park's district, 地籍区 = the park's number,
   * 地籍子区 = the plot's row, 特征码 GB (国有, 建设用地使用权 地表), 顺序号 = the plot's running number.
   * Made up like every generated fact (the plot is `sample`); null when the park code has no number
   * or a park has more than 99999 plots. Drawn from no random number, so the rest of the data stays as it was.
   */
  parcelCode: string | null;
  /** 控规地块编号, sample (free text). */
  zoningPlotCode: string | null;
  status: 'available' | 'held' | 'allocated';
  /** 土地级别 (selects the benchmark price), 1..5. */
  landLevel: number;
  /** 宗地坐落, sample text. */
  location: string;
  plotRatioMin: number;
  plotRatioMax: number;
  buildingDensityMaxPct: number;
  greenRatioMinPct: number;
  heightLimitM: number;
  /** 投资强度, yuan per m² of land. */
  investmentIntensityYuanPerM2: number;
  /** C of the price floor: acquisition + pre-development + fees, yuan. Internal, never public. */
  costYuan: number;
  /** 净地: cleared and serviced (water, power, road). */
  serviced: boolean;
  sample: true;
}

export interface GeneratePlotsOptions {
  seed: string;
  /** Plots per park, inclusive range; each park draws its count. Default [20, 60]. */
  perPark?: [min: number, max: number];
  /** Exactly this many plots in all, shared out in proportion to park area (overrides perPark). */
  total?: number;
}

export type Rng = () => number;
type Ring = [number, number][];

/** Plot cells laid out per requested plot: the excess becomes gaps and merged plots. */
const CELLS_PER_PLOT = 1.25;
/** Below this cell side (m) plots stop being plausible; a park that needs smaller ones is refused. */
const MIN_CELL_M = 10;
/** Metres per degree of latitude (sphere of radius 6371008.8 m); the layout frame only. */
export const M_PER_DEG = (Math.PI / 180) * 6371008.8;

export const DISTRICT_NAMES_ZH: Record<string, string> = {
  '440103': '荔湾区', '440104': '越秀区', '440105': '海珠区', '440106': '天河区', '440111': '白云区',
  '440112': '黄埔区', '440113': '番禺区', '440114': '花都区', '440115': '南沙区', '440117': '从化区',
  '440118': '增城区',
};

/**
 * Land-use mix by lead sector: AI and software lean to 新型产业用地 M0; biomedicine needs
 * production space (M1); equipment and display manufacturing bring some M2.
 */
export const LAND_USE_WEIGHTS: Record<string, [m0: number, m1: number, m2: number]> = {
  ngit: [0.5, 0.35, 0.15],
  ai: [0.4, 0.35, 0.25],
  biomed: [0.3, 0.55, 0.15],
};
export const LAND_USES = ['M0', 'M1', 'M2'] as const;

/**
 * Planning conditions by land use. Plot ratio ranges are DOMAIN.md's indicative 黄埔 values;
 * the rest are plausible sample values (M0 taller and greener, M2 lower and denser).
 */
export const PLANNING = {
  M0: { ratio: [3.0, 5.0], density: [35, 50], green: [15, 25], height: [60, 100], invest: [10000, 15000] },
  M1: { ratio: [2.0, 4.0], density: [40, 60], green: [10, 20], height: [36, 60], invest: [8000, 12000] },
  M2: { ratio: [1.2, 3.5], density: [45, 60], green: [10, 15], height: [24, 45], invest: [8000, 11000] },
} as const satisfies Record<(typeof LAND_USES)[number], Record<string, readonly [number, number]>>;

const ROAD_HEADS = ['科', '创', '智', '新', '兴', '华', '瑞', '丰', '云', '凤', '启', '汇', '明', '康', '泰', '宏', '盛', '景', '和', '骏'];
const ROAD_TAILS = ['学', '业', '翔', '源', '发', '达', '昌', '富', '城', '谷', '岭', '湖', '园', '港', '苑'];
const ROAD_KINDS = ['路', '路', '路', '大道', '街', '一路', '二路'];

export function generatePlots(parks: ParkForPlots[], opts: GeneratePlotsOptions): PlotSeed[] {
  const counts = plotCounts(parks, opts);
  const plots: PlotSeed[] = [];
  parks.forEach((park, i) => {
    // One stream per park, derived from the seed and the park code: a park's plots do not
    // change when another park is added, removed or reordered (only its count may).
    const rng = seedrandom(`${opts.seed}/${park.code}`);
    for (const p of parkPlots(park, counts[i]!, rng)) plots.push(p);
  });
  return plots;
}

/** How many plots each park gets: drawn from perPark, or `total` split by area (largest remainder). */
function plotCounts(parks: ParkForPlots[], opts: GeneratePlotsOptions): number[] {
  const codes = new Set(parks.map((p) => p.code));
  if (codes.size !== parks.length) throw new Error('generatePlots: park codes must be unique');
  if (opts.total !== undefined) {
    const total = opts.total;
    if (!Number.isInteger(total) || total < 0) throw new RangeError(`generatePlots: total must be a whole number ≥ 0; got ${total}`);
    if (parks.length === 0) {
      if (total > 0) throw new RangeError('generatePlots: total > 0 needs at least one park');
      return [];
    }
    const areas = parks.map((p) => geometryAreaM2(p.geometry));
    const sum = areas.reduce((a, b) => a + b, 0);
    const quotas = areas.map((a) => (total * a) / sum);
    const counts = quotas.map(Math.floor);
    let left = total - counts.reduce((a, b) => a + b, 0);
    // Largest fractional part first; ties go to the earlier park, so the split is stable.
    const order = quotas.map((q, i) => ({ i, frac: q - Math.floor(q) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
    for (const { i } of order) {
      if (left === 0) break;
      counts[i]!++;
      left--;
    }
    return counts;
  }
  const [min, max] = opts.perPark ?? [20, 60];
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 0 || max < min) {
    throw new RangeError(`generatePlots: perPark must be whole numbers 0 ≤ min ≤ max; got [${min}, ${max}]`);
  }
  const rng = seedrandom(`${opts.seed}/counts`);
  return parks.map(() => min + Math.floor(rng() * (max - min + 1)));
}

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

interface Cell { row: number; gap: number; x0: number; x1: number; y0: number; y1: number }

/**
 * The park in a local metric frame (u east-ish, v north-ish, metres), rotated by a seeded angle
 * so street grids are not all north-aligned. The map lon/lat → (u, v) is affine, so straight
 * edges stay straight and "inside" means the same in both frames.
 */
function makeFrame(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon, rng: Rng) {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const ring of polys.flat()) {
    for (const [x, y] of ring) {
      if (x! < w) w = x!; if (x! > e) e = x!;
      if (y! < s) s = y!; if (y! > n) n = y!;
    }
  }
  const lon0 = (w + e) / 2, lat0 = (s + n) / 2;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180), ky = M_PER_DEG;
  const theta = ((rng() - 0.5) * 30 * Math.PI) / 180; // ±15°
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const toUV = (lon: number, lat: number): [number, number] => {
    const x = (lon - lon0) * kx, y = (lat - lat0) * ky;
    return [x * cos + y * sin, -x * sin + y * cos];
  };
  const toLonLat = (u: number, v: number): [number, number] => {
    const x = u * cos - v * sin, y = u * sin + v * cos;
    return [round7(lon0 + x / kx), round7(lat0 + y / ky)];
  };
  // Every ring of every part; even-odd over all of them handles holes and multi-parts alike.
  const rings: Ring[] = polys.flat().map((ring) => ring.map(([x, y]) => toUV(x!, y!)));
  return { rings, toLonLat };
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Planar area of the rings (even-odd: holes are clockwise in RFC 7946, so they subtract). */
function ringsArea(rings: Ring[]): number {
  let total = 0;
  for (const r of rings) {
    let a = 0;
    for (let i = 0; i < r.length - 1; i++) a += r[i]![0] * r[i + 1]![1] - r[i + 1]![0] * r[i]![1];
    total += a / 2;
  }
  return Math.abs(total);
}

/**
 * Lays out rows of cells of nominal side `s` and keeps the cells no boundary passes through.
 * Per row band [y0, y1]: the x-extent of every boundary piece inside the band is "blocked";
 * between blocked stretches the band is wholly inside or wholly outside the park, decided by
 * counting boundary crossings of the band's mid-line (even-odd). O(edges + cells) per row.
 */
function layoutCells(rings: Ring[], s: number, rng: Rng): Cell[] {
  let umin = Infinity, umax = -Infinity, vmin = Infinity, vmax = -Infinity;
  for (const r of rings) for (const [u, v] of r) {
    if (u < umin) umin = u; if (u > umax) umax = u;
    if (v < vmin) vmin = v; if (v > vmax) vmax = v;
  }
  const cells: Cell[] = [];
  let row = 0;
  for (let y0 = vmin - rng() * s * 0.5; y0 < vmax; row++) {
    const y1 = y0 + s * (0.8 + 0.4 * rng());
    const ym = (y0 + y1) / 2;
    const blocked: [number, number][] = [];
    const crossings: number[] = [];
    for (const r of rings) {
      for (let i = 0; i < r.length - 1; i++) {
        const [ax, ay] = r[i]!, [bx, by] = r[i + 1]!;
        if (Math.max(ay, by) < y0 || Math.min(ay, by) > y1) continue;
        if (ay === by) {
          blocked.push([Math.min(ax, bx), Math.max(ax, bx)]);
        } else {
          const ta = Math.min(1, Math.max(0, (y0 - ay) / (by - ay)));
          const tb = Math.min(1, Math.max(0, (y1 - ay) / (by - ay)));
          const xa = ax + ta * (bx - ax), xb = ax + tb * (bx - ax);
          blocked.push([Math.min(xa, xb), Math.max(xa, xb)]);
          if ((ay > ym) !== (by > ym)) crossings.push(ax + ((ym - ay) / (by - ay)) * (bx - ax));
        }
      }
    }
    blocked.sort((a, b) => a[0] - b[0]);
    crossings.sort((a, b) => a - b);
    // Inside stretches: gaps between merged blocked intervals with an odd number of crossings to the left.
    const inside: [number, number][] = [];
    let end = -Infinity;
    for (const [a, b] of blocked) {
      if (a > end && end > -Infinity) {
        const mid = (end + a) / 2;
        let k = 0;
        while (k < crossings.length && crossings[k]! < mid) k++;
        if (k % 2 === 1) inside.push([end, a]);
      }
      end = Math.max(end, b);
    }
    // Columns: widths vary, and each row starts at its own offset.
    let g = 0;
    for (let x0 = umin - rng() * s; x0 < umax; ) {
      const x1 = x0 + s * (0.7 + 0.6 * rng());
      while (g < inside.length && inside[g]![1] <= x0) g++;
      const stretch = inside[g];
      if (stretch && stretch[0] < x0 && x1 < stretch[1]) cells.push({ row, gap: g, x0, x1, y0, y1 });
      x0 = x1;
    }
    y0 = y1;
  }
  return cells;
}

/** Cells for `n` plots: a cell size giving about CELLS_PER_PLOT × n usable cells. */
function chooseCells(park: ParkForPlots, rings: Ring[], n: number, rng: Rng): { cells: Cell[]; s: number } {
  const target = n * CELLS_PER_PLOT;
  let s = Math.max(MIN_CELL_M, Math.sqrt(ringsArea(rings) / target));
  let best: { cells: Cell[]; s: number } | null = null;
  for (let attempt = 0; attempt < 16; attempt++) {
    const cells = layoutCells(rings, s, rng);
    if (cells.length >= n && (!best || Math.abs(cells.length - target) < Math.abs(best.cells.length - target))) best = { cells, s };
    if (cells.length >= n * 1.1 && cells.length <= n * 1.5) break;
    if (cells.length < n && s === MIN_CELL_M) break; // cannot shrink further
    // Cell count goes with 1/s²; damp the step so small, lumpy parks converge.
    const ratio = Math.sqrt(Math.max(cells.length, 1) / target);
    s = Math.max(MIN_CELL_M, s * Math.min(1.5, Math.max(0.6, ratio)));
  }
  if (!best) {
    throw new Error(
      `generatePlots: park ${park.code} (${Math.round(ringsArea(rings))} m²) cannot hold ${n} plots: ` +
        `even with ${MIN_CELL_M} m cells fewer than ${n} fit wholly inside it`,
    );
  }
  return best;
}

/** Indices 0..n-1 in a seeded random order (Fisher–Yates). */
function shuffled(n: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

interface Rect { row: number; x0: number; x1: number; y0: number; y1: number }

/**
 * Exactly `n` plot rectangles from the cells: with C cells, C − n + S cells' worth is removed
 * by merging M neighbour pairs and leaving U cells empty (U + M = C − n + S), and S cells are
 * split in two. Merges join two cells of the same row and the same inside stretch, so the
 * merged rectangle is still wholly inside the park.
 */
function plotRects(cells: Cell[], n: number, s: number, rng: Rng): Rect[] {
  const C = cells.length;
  const S = Math.round(n * (0.05 + 0.05 * rng())); // ~5–10% of plots come from a split
  const M = Math.min(Math.floor((C - n + S) * (0.3 + 0.3 * rng())), Math.floor(n * 0.3));
  const role: ('single' | 'mergeLeft' | 'mergeRight' | 'empty' | 'split')[] = cells.map(() => 'single');
  let merges = 0;
  for (const i of shuffled(C - 1, rng)) {
    if (merges >= M) break;
    const a = cells[i]!, b = cells[i + 1]!;
    if (a.row === b.row && a.gap === b.gap && role[i] === 'single' && role[i + 1] === 'single') {
      role[i] = 'mergeLeft';
      role[i + 1] = 'mergeRight';
      merges++;
    }
  }
  // Fewer neighbour pairs than M (a ragged little park) just means more empty cells.
  let empty = C - n + S - merges, splits = S;
  const singles = shuffled(C, rng).filter((i) => role[i] === 'single');
  // Guard: there are C − 2·merges singles and we need empty + splits of them, which holds
  // while merges + 2S ≤ n (M ≤ 0.3n, S ≈ 0.1n). Splitting one less and emptying one less
  // keeps the plot count at n.
  while (empty + splits > singles.length && splits > 0) { splits--; empty--; }
  singles.slice(0, empty).forEach((i) => (role[i] = 'empty'));
  singles.slice(empty, empty + splits).forEach((i) => (role[i] = 'split'));

  const r = Math.min(10, Math.max(0.5, s * 0.05)); // road half-width: 20 m roads at demo scale
  const rects: Rect[] = [];
  const shrink = (row: number, x0: number, x1: number, y0: number, y1: number) =>
    rects.push({ row, x0: x0 + r, x1: x1 - r, y0: y0 + r, y1: y1 - r });
  cells.forEach((c, i) => {
    switch (role[i]) {
      case 'single': shrink(c.row, c.x0, c.x1, c.y0, c.y1); break;
      case 'mergeLeft': shrink(c.row, c.x0, cells[i + 1]!.x1, c.y0, c.y1); break;
      case 'split': {
        // Across the longer side, not quite in the middle.
        const t = 0.35 + 0.3 * rng();
        if (c.x1 - c.x0 >= c.y1 - c.y0) {
          const xm = c.x0 + t * (c.x1 - c.x0);
          shrink(c.row, c.x0, xm, c.y0, c.y1);
          shrink(c.row, xm, c.x1, c.y0, c.y1);
        } else {
          const ym = c.y0 + t * (c.y1 - c.y0);
          shrink(c.row, c.x0, c.x1, c.y0, ym);
          shrink(c.row, c.x0, c.x1, ym, c.y1);
        }
        break;
      }
      default: break; // mergeRight (part of its left neighbour) or empty
    }
  });
  if (rects.length !== n) throw new Error(`generatePlots: internal error, ${rects.length} plots for ${n}`);
  return rects;
}

// ---------------------------------------------------------------------------------------------
// Attributes
// ---------------------------------------------------------------------------------------------

export const pick = <T>(items: readonly T[], rng: Rng): T => items[Math.floor(rng() * items.length)]!;
/** A multiple of `step` in [lo, hi]. */
export const stepIn = (lo: number, hi: number, step: number, rng: Rng) =>
  lo + step * Math.floor(rng() * (Math.floor((hi - lo) / step + 1e-9) + 1));

export function landUseFor(sectors: string[], rng: Rng): (typeof LAND_USES)[number] {
  const w = [0, 0, 0];
  for (const sector of sectors) (LAND_USE_WEIGHTS[sector] ?? [1, 1, 1]).forEach((x, k) => (w[k]! += x));
  const total = w[0]! + w[1]! + w[2]!;
  let u = rng() * (total || 1);
  for (let k = 0; k < 3; k++) if ((u -= w[k]!) < 0) return LAND_USES[k]!;
  return 'M1';
}

export function roadNames(count: number, rng: Rng): string[] {
  const names = new Set<string>();
  // The name space (20 × 15 × 7) is far larger than any count asked for here.
  while (names.size < count) names.add(pick(ROAD_HEADS, rng) + pick(ROAD_TAILS, rng) + pick(ROAD_KINDS, rng));
  return [...names];
}

/** The sample 宗地代码 and 控规地块编号 of a park's i-th plot in row `row` (see PlotSeed). */
export function sampleCodes(park: Pick<ParkForPlots, 'code' | 'districtCode'>, row: number, i: number): Pick<PlotSeed, 'parcelCode' | 'zoningPlotCode'> {
  const num = /^P(\d{1,3})$/.exec(park.code)?.[1];
  if (num === undefined || i + 1 > 99999 || row + 1 > 999) return { parcelCode: null, zoningPlotCode: null };
  const area = num.padStart(3, '0');
  const sub = String(row + 1).padStart(3, '0');
  return {
    parcelCode: `${park.districtCode}${area}${sub}GB${String(i + 1).padStart(5, '0')}`,
    zoningPlotCode: `KG${area.slice(1)}-${sub.slice(1)}-${String(i + 1).padStart(2, '0')}`,
  };
}

function parkPlots(park: ParkForPlots, n: number, rng: Rng): PlotSeed[] {
  if (n === 0) return [];
  const frame = makeFrame(park.geometry, rng);
  const { cells, s } = chooseCells(park, frame.rings, n, rng);
  const rects = plotRects(cells, n, s, rng);
  // Codes run row by row from the north, west to east within a row (rows were laid out from the south).
  rects.sort((a, b) => b.row - a.row || a.x0 - b.x0);

  const district = DISTRICT_NAMES_ZH[park.districtCode] ?? '广州市';
  const rows = rects[0]!.row + 1;
  const ewRoads = roadNames(rows + 1, rng); // one east–west road along the north edge of each row
  const nsRoads = roadNames(8, rng); // north–south roads, picked by position across the park
  let xMin = Infinity, xMax = -Infinity;
  for (const p of rects) { xMin = Math.min(xMin, p.x0); xMax = Math.max(xMax, p.x0); }
  const xSpan = xMax - xMin + 1;
  const baseLevel = 2 + Math.floor(rng() * 3); // a park's land sits around one benchmark level
  const width = Math.max(4, String(n).length);

  return rects.map((rect, i): PlotSeed => {
    const ring = [
      frame.toLonLat(rect.x0, rect.y0), frame.toLonLat(rect.x1, rect.y0),
      frame.toLonLat(rect.x1, rect.y1), frame.toLonLat(rect.x0, rect.y1),
    ];
    const geometry: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]!]] }; // counter-clockwise
    const areaM2 = round2(geometryAreaM2(geometry));
    const landUse = landUseFor(park.sectors, rng);
    const plan = PLANNING[landUse];
    const u = rng();
    const status = u < 0.7 ? 'available' : u < 0.9 ? 'allocated' : 'held';
    const ns = nsRoads[Math.min(7, Math.floor(((rect.x0 - xMin) / xSpan) * 8))]!;
    return {
      code: `${park.code}-${String(i + 1).padStart(width, '0')}`,
      parkCode: park.code,
      geometry,
      areaM2,
      landUse,
      ...sampleCodes(park, rect.row, i),
      status,
      landLevel: Math.min(5, Math.max(1, baseLevel + Math.floor(rng() * 3) - 1)),
      location: `${district}${ewRoads[rect.row]}以南、${ns}以东地块`,
      plotRatioMin: Math.round((plan.ratio[0] + 0.1 * Math.floor(rng() * 6)) * 10) / 10,
      plotRatioMax: Math.round((plan.ratio[1] - 0.1 * Math.floor(rng() * 6)) * 10) / 10,
      buildingDensityMaxPct: stepIn(plan.density[0], plan.density[1], 5, rng),
      greenRatioMinPct: stepIn(plan.green[0], plan.green[1], 5, rng),
      heightLimitM: stepIn(plan.height[0], plan.height[1], 6, rng),
      investmentIntensityYuanPerM2: stepIn(plan.invest[0], plan.invest[1], 500, rng),
      // A few hundred yuan per m²: acquisition, site preparation and fees (sample).
      costYuan: round2(stepIn(300, 900, 10, rng) * areaM2),
      // Allocated land has mostly been delivered as 净地; available land is often still being serviced.
      serviced: rng() < (status === 'allocated' ? 0.9 : 0.65),
      sample: true,
    };
  });
}
