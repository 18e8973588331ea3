/**
 * The realistic scale dataset (issue #17): up to a million sample parcels (宗地) of real sizes —
 * 500–50,000 m², median ≈ 3,000 m² (log-normal) — spread over Guangzhou's eleven districts in
 * generated **zones** (parks of tier `zone`, sample, indicative boundary). Pure and
 * deterministic: no I/O, no clock; same districts, parks and seed → the same zones and parcels,
 * byte for byte. Streams: zones come one at a time (a zone holds a few hundred parcels), so a
 * million parcels never sit in memory at once.
 *
 * Geometry, and why nothing overlaps (by construction, no pairwise checks):
 * - Each district gets a metric frame (affine to lon/lat, rotated by a seeded angle), laid out
 *   as rows of cells ≈ 1.3 km (jittered widths and heights, as seeds/generate-plots.ts does).
 *   A cell becomes a zone slot when no district boundary edge passes within MARGIN of it and its
 *   centre is inside the district, and when its lon/lat box keeps clear of every park's. A
 *   zone is its cell shrunk by an arterial half-width, so zones never touch, and being inside
 *   their district they never meet another district's zones.
 * - Inside a zone: bands of blocks separated by roads (12–24 m). A block is a quadrilateral
 *   inside its band × column rectangle, split into one row or two back-to-back rows by a
 *   slanted mid-line; each row is cut into parcels by slanted cut lines (some kinked: pentagons)
 *   that run from the row's bottom edge to its top edge and never cross. Neighbours in a row
 *   share their cut line (the same two or three vertices): a cadastre, not graph paper. Now and
 *   then two neighbours become an L-shape and a smaller lot.
 * - Sizes: each block draws a scale (log-normal around 3,700 m²), each parcel its area around
 * it; the row depth goes with √scale, so plot shapes stay plausible at every size. Parcels
 *   whose surveyed area falls outside 500–50,000 m² are left out (unplotted land): rare.
 *
 * Zone slots are used district by district in proportion to each district's room, so any
 * `total` spreads over all eleven districts, and a zone's parcels depend only on the seed and
 * its code (the first zones of a smaller run are the same as those of a larger one).
 */
import seedrandom from 'seedrandom';
import { geometryAreaM2 } from '../shared/geometry/index.ts';
import { DISTRICT_NAMES_ZH, LAND_USES, M_PER_DEG, PLANNING, landUseFor, pick, roadNames, stepIn, type PlotSeed, type Rng } from './generate-plots.ts';

export interface DistrictForZones {
  code: string;
  nameZh: string;
  nameEn: string;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

export interface ZoneSeed {
  /** "Z" + district code + running number in the district, e.g. "Z440112-0007". */
  code: string;
  nameZh: string;
  nameEn: string;
  districtCode: string;
  sectors: ('ngit' | 'ai' | 'biomed')[];
  /** Counter-clockwise rectangle (in its district frame), 7-decimal coordinates. */
  geometry: GeoJSON.Polygon;
  areaM2: number;
  bbox: [w: number, s: number, e: number, n: number];
}

/** One generated parcel, flat and ready to insert (geometry already JSON text). */
/** A zone parcel: the plot fields of the demo generator's PlotSeed, geometry and conditions as JSON text. */
export interface ScaleParcel
  extends Pick<PlotSeed, 'code' | 'areaM2' | 'landUse' | 'landLevel' | 'location' | 'plotRatioMin' | 'plotRatioMax' | 'buildingDensityMaxPct' | 'greenRatioMinPct' | 'heightLimitM' | 'investmentIntensityYuanPerM2' | 'costYuan' | 'serviced'> {
  /** GeoJSON Polygon, RFC 7946 winding, 7-decimal coordinates, as JSON text. */
  geometryJson: string;
  bbox: [w: number, s: number, e: number, n: number];
  status: 'available' | 'held';
  /** 标准地 conditions as JSON text (the shape seeds/sample-supervision.ts gives demo plots). */
  conditionsJson: string;
}

export interface ScaleOptions {
  seed: string;
  /** Exactly this many parcels over all zones (at most what the districts hold: ≈ 1.2 M). */
  total: number;
}

/** Parcel area bounds (m²): the hard limits of the dataset. */
export const SCALE_MIN_M2 = 500;
export const SCALE_MAX_M2 = 50_000;
/** Nominal zone cell side (m). */
const CELL_M = 1300;
/** Clearance of a zone cell from its district's boundary (m). */
const MARGIN_M = 60;
/** Clearance of a zone from a park's bounding box (degrees, ≈ 200 m). */
const PARK_CLEARANCE_DEG = 0.002;

type Pt = [number, number];
type Box = [number, number, number, number];

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Standard normal from two uniforms (Box–Muller). */
function normal(rng: Rng): number {
  const u = 1 - rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

// ---------------------------------------------------------------------------------------------
// Frames and zone slots
// ---------------------------------------------------------------------------------------------

interface Frame {
  toLonLat: (u: number, v: number) => Pt;
  toUV: (lon: number, lat: number) => Pt;
}

function districtFrame(geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon, rng: Rng): Frame & { rings: Pt[][] } {
  const polys = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const ring of polys.flat()) for (const [x, y] of ring) {
    if (x! < w) w = x!; if (x! > e) e = x!;
    if (y! < s) s = y!; if (y! > n) n = y!;
  }
  const lon0 = (w + e) / 2, lat0 = (s + n) / 2;
  const kx = M_PER_DEG * Math.cos((lat0 * Math.PI) / 180), ky = M_PER_DEG;
  const theta = ((rng() - 0.5) * 40 * Math.PI) / 180; // ±20°
  const cos = Math.cos(theta), sin = Math.sin(theta);
  const toUV = (lon: number, lat: number): Pt => {
    const x = (lon - lon0) * kx, y = (lat - lat0) * ky;
    return [x * cos + y * sin, -x * sin + y * cos];
  };
  const toLonLat = (u: number, v: number): Pt => {
    const x = u * cos - v * sin, y = u * sin + v * cos;
    return [round7(lon0 + x / kx), round7(lat0 + y / ky)];
  };
  const rings = polys.flat().map((ring) => ring.map(([x, y]) => toUV(x!, y!)));
  return { rings, toUV, toLonLat };
}

/** Does segment a–b meet the rectangle [x0,x1]×[y0,y1]? (Liang–Barsky clipping.) */
function segmentMeetsRect(a: Pt, b: Pt, x0: number, x1: number, y0: number, y1: number): boolean {
  let t0 = 0, t1 = 1;
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const clip = (p: number, q: number) => {
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) { if (r > t1) return false; if (r > t0) t0 = r; }
    else { if (r < t0) return false; if (r < t1) t1 = r; }
    return true;
  };
  return clip(-dx, a[0] - x0) && clip(dx, x1 - a[0]) && clip(-dy, a[1] - y0) && clip(dy, y1 - a[1]);
}

interface Slot { x0: number; x1: number; y0: number; y1: number }

/** The zone cells of one district: wholly inside it (with MARGIN), clear of the parks. */
function districtSlots(d: DistrictForZones, parkBoxes: Box[], frame: Frame & { rings: Pt[][] }, rng: Rng): Slot[] {
  let umin = Infinity, umax = -Infinity, vmin = Infinity, vmax = -Infinity;
  for (const r of frame.rings) for (const [u, v] of r) {
    if (u < umin) umin = u; if (u > umax) umax = u;
    if (v < vmin) vmin = v; if (v > vmax) vmax = v;
  }
  const edges: [Pt, Pt][] = [];
  for (const r of frame.rings) for (let i = 0; i < r.length - 1; i++) edges.push([r[i]!, r[i + 1]!]);
  const slots: Slot[] = [];
  for (let y0 = vmin - rng() * CELL_M; y0 < vmax; ) {
    const y1 = y0 + CELL_M * (0.8 + 0.4 * rng());
    const ym = (y0 + y1) / 2;
    // The edges near this row, and where they cross its mid-line (for inside/outside).
    const near = edges.filter(([a, b]) => Math.max(a[1], b[1]) >= y0 - MARGIN_M && Math.min(a[1], b[1]) <= y1 + MARGIN_M);
    const crossings = near
      .filter(([a, b]) => (a[1] > ym) !== (b[1] > ym))
      .map(([a, b]) => a[0] + ((ym - a[1]) / (b[1] - a[1])) * (b[0] - a[0]))
      .sort((p, q) => p - q);
    for (let x0 = umin - rng() * CELL_M; x0 < umax; ) {
      const x1 = x0 + CELL_M * (0.8 + 0.4 * rng());
      const xm = (x0 + x1) / 2;
      let k = 0;
      while (k < crossings.length && crossings[k]! < xm) k++;
      const inside = k % 2 === 1
        && !near.some(([a, b]) => segmentMeetsRect(a, b, x0 - MARGIN_M, x1 + MARGIN_M, y0 - MARGIN_M, y1 + MARGIN_M));
      if (inside) {
        const corners = [frame.toLonLat(x0, y0), frame.toLonLat(x1, y0), frame.toLonLat(x1, y1), frame.toLonLat(x0, y1)];
        const w = Math.min(...corners.map((c) => c[0])), e = Math.max(...corners.map((c) => c[0]));
        const s = Math.min(...corners.map((c) => c[1])), n = Math.max(...corners.map((c) => c[1]));
        const c = PARK_CLEARANCE_DEG;
        if (!parkBoxes.some((b) => b[0] - c < e && w < b[2] + c && b[1] - c < n && s < b[3] + c)) slots.push({ x0, x1, y0, y1 });
      }
      x0 = x1;
    }
    y0 = y1;
  }
  return slots;
}

function shuffle<T>(items: T[], rng: Rng): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function bboxOf(coords: readonly Pt[]): Box {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const [x, y] of coords) {
    if (x < w) w = x; if (x > e) e = x;
    if (y < s) s = y; if (y > n) n = y;
  }
  return [w, s, e, n];
}

const SECTOR_SETS: ('ngit' | 'ai' | 'biomed')[][] = [['ngit'], ['ai'], ['biomed'], ['ngit', 'ai'], ['ai', 'biomed'], ['ngit', 'biomed']];

/** A planned zone: its park row, and how to lay out its parcels. */
export interface PlannedZone {
  zone: ZoneSeed;
  /** In the district frame: the zone rectangle. */
  rect: Slot;
  frame: Frame;
  districtNameZh: string;
}

/**
 * Every zone slot of every district, in the order they are used: each next zone goes to the
 * district that has used the smallest share of its room (ties: lower code).
 */
export function planZones(districts: DistrictForZones[], parks: { geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon }[], seed: string): PlannedZone[] {
  const parkBoxes = parks.map((p) => bboxOf((p.geometry.type === 'Polygon' ? [p.geometry.coordinates] : p.geometry.coordinates).flat(2) as Pt[]));
  const perDistrict = [...districts].sort((a, b) => a.code.localeCompare(b.code)).map((d) => {
    const rng = seedrandom.alea(`${seed}/zones/${d.code}`);
    const frame = districtFrame(d.geometry, rng);
    const slots = shuffle(districtSlots(d, parkBoxes, frame, rng), rng);
    return { d, frame, slots, rng, used: 0 };
  });
  const planned: PlannedZone[] = [];
  for (;;) {
    let best: (typeof perDistrict)[number] | undefined;
    for (const x of perDistrict) {
      if (x.used >= x.slots.length) continue;
      // Every district's first zone first (all at 0), then in proportion to each one's room.
      if (!best || x.used / x.slots.length < best.used / best.slots.length) best = x;
    }
    if (!best) break;
    const cell = best.slots[best.used++]!;
    const { d, frame } = best;
    const zrng = seedrandom.alea(`${seed}/zone/${d.code}/${best.used}`);
    const half = 12 + 10 * zrng(); // arterial half-width: 24–44 m between zones
    const rect = { x0: cell.x0 + half, x1: cell.x1 - half, y0: cell.y0 + half, y1: cell.y1 - half };
    const ring = [frame.toLonLat(rect.x0, rect.y0), frame.toLonLat(rect.x1, rect.y0), frame.toLonLat(rect.x1, rect.y1), frame.toLonLat(rect.x0, rect.y1)];
    const geometry: GeoJSON.Polygon = { type: 'Polygon', coordinates: [[...ring, ring[0]!]] };
    const num = String(best.used).padStart(4, '0');
    const nameZh = DISTRICT_NAMES_ZH[d.code] ?? d.nameZh;
    planned.push({
      zone: {
        code: `Z${d.code}-${num}`,
        nameZh: `${nameZh}生成区${num}（示例数据）`,
        nameEn: `${d.nameEn} generated zone ${num} (sample)`,
        districtCode: d.code,
        sectors: pick(SECTOR_SETS, zrng),
        geometry,
        areaM2: round2(geometryAreaM2(geometry)),
        bbox: bboxOf(ring),
      },
      rect,
      frame,
      districtNameZh: nameZh,
    });
  }
  return planned;
}

// ---------------------------------------------------------------------------------------------
// Parcels inside a zone
// ---------------------------------------------------------------------------------------------

/** A row of parcels: bottom edge P0→P1, top edge Q0→Q1 (local frame), and its depth. */
interface Row { p0: Pt; p1: Pt; q0: Pt; q1: Pt; depth: number; scale: number; band: number }

const lerp = (a: Pt, b: Pt, t: number): Pt => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];

/** Blocks of one zone rectangle (local frame of the district): one row, or two back to back. */
function zoneBlocks(rect: Slot, rng: Rng): Row[][] {
  const blocks: Row[][] = [];
  let band = 0;
  for (let y = rect.y0; ; band++) {
    const scale = Math.min(30_000, Math.max(900, Math.exp(Math.log(3700) + 0.5 * normal(rng))));
    const depth = Math.sqrt(scale) * (0.85 + 0.45 * rng());
    const nRows = rng() < 0.75 ? 2 : 1;
    const bandH = nRows * depth;
    if (y + bandH > rect.y1) break;
    const y0 = y, y1 = y + bandH;
    for (let x = rect.x0; ; ) {
      let len = Math.sqrt(scale) * (3 + 6 * rng());
      if (x + len > rect.x1) len = rect.x1 - x;
      if (len < Math.sqrt(scale) * 0.8) break;
      const x0 = x, x1 = x + len;
      // A quadrilateral inside the band × column rectangle: each corner pulled in by 0.5–3 m.
      const j = () => 0.5 + 2.5 * rng();
      const bl: Pt = [x0 + j(), y0 + j()], br: Pt = [x1 - j(), y0 + j()];
      const tr: Pt = [x1 - j(), y1 - j()], tl: Pt = [x0 + j(), y1 - j()];
      if (nRows === 1) blocks.push([{ p0: bl, p1: br, q0: tl, q1: tr, depth, scale, band }]);
      else {
        // The shared rear line: both rows use the same two points, so its vertices coincide.
        const ml = lerp(bl, tl, 0.42 + 0.16 * rng()), mr = lerp(br, tr, 0.42 + 0.16 * rng());
        blocks.push([{ p0: bl, p1: br, q0: ml, q1: mr, depth, scale, band }, { p0: ml, p1: mr, q0: tl, q1: tr, depth, scale, band }]);
      }
      x = x1 + 12 + 12 * rng(); // a local road
    }
    y = y1 + 12 + 12 * rng();
  }
  return blocks;
}

/** Where a row is cut: fractions along its bottom (u) and top (v) edges, bends, L-shapes. */
interface RowCuts { row: Row; n: number; u: number[]; v: number[]; kink: (Pt | null)[]; lAt: Map<number, number> }

function cutRow(row: Row, rng: Rng): RowCuts {
  const { p0, p1, q0, q1, depth, scale } = row;
  const len = Math.hypot(p1[0] - p0[0], p1[1] - p0[1]);
  // Widths from areas drawn around the block's scale; the last takes what is left.
  const widths: number[] = [];
  let used = 0;
  for (;;) {
    const area = Math.min(40_000, Math.max(650, scale * Math.exp(0.3 * normal(rng))));
    const w = area / depth;
    if (used + w >= len) {
      const rest = len - used;
      if (rest * depth < 650 && widths.length > 0) widths[widths.length - 1]! += rest;
      else widths.push(rest);
      break;
    }
    widths.push(w);
    used += w;
  }
  const n = widths.length;
  // Cut k (0..n) at fraction u[k] of the bottom edge and v[k] of the top edge: slanted, never crossing.
  const u = [0];
  for (let k = 0; k < n; k++) u.push(u[k]! + widths[k]! / len);
  u[n] = 1;
  const v = u.slice();
  for (let k = 1; k < n; k++) {
    const room = Math.min(u[k]! - u[k - 1]!, u[k + 1]! - u[k]!);
    v[k] = u[k]! + (rng() - 0.5) * 0.5 * room;
  }
  // Some inner cuts bend once (pentagons): the bend moves along the row by ≤ 20 % of the narrower side.
  const kink: (Pt | null)[] = u.map(() => null);
  for (let k = 1; k < n; k++) {
    if (rng() < 0.15) {
      const room = Math.min(u[k]! - u[k - 1]!, u[k + 1]! - u[k]!, v[k]! - v[k - 1]!, v[k + 1]! - v[k]!);
      const mid = lerp(lerp(p0, p1, u[k]!), lerp(q0, q1, v[k]!), 0.35 + 0.3 * rng());
      const shift = (rng() - 0.5) * 0.4 * room;
      kink[k] = [mid[0] + (p1[0] - p0[0]) * shift, mid[1] + (p1[1] - p0[1]) * shift];
    }
  }
  // L-shapes: parcel k takes the back part (above fraction h of the depth) of parcel k+1.
  const lAt = new Map<number, number>();
  for (let k = 0; k + 1 < n; k++) {
    if (!kink[k + 1] && !kink[k + 2] && rng() < 0.06) {
      const h = 0.4 + 0.2 * rng();
      const a1 = widths[k + 1]! * depth;
      if (widths[k]! * depth + (1 - h) * a1 < 40_000 && h * a1 >= 800) {
        lAt.set(k, h);
        k += 2; // parcel k+2 gets the notch point on its left side: it cannot start an L itself
      }
    }
  }
  return { row, n, u, v, kink, lAt };
}

/**
 * Local-frame rings (counter-clockwise, open) of a row's parcels. `bottomExtra` / `topExtra`:
 * fractions of the neighbouring row's cuts on this row's bottom / top edge (the shared rear
 * line of a block), inserted as vertices so both sides of that line have the same vertices.
 */
function rowRings(c: RowCuts, bottomExtra: number[], topExtra: number[]): Pt[][] {
  const { row: { p0, p1, q0, q1 }, n, u, v, kink, lAt } = c;
  const P = (k: number) => lerp(p0, p1, u[k]!);
  const Q = (k: number) => lerp(q0, q1, v[k]!);
  const bottom = (a: number, b: number) => bottomExtra.filter((f) => f > u[a]! && f < u[b]!).map((f) => lerp(p0, p1, f)); // ascending
  const top = (a: number, b: number) => topExtra.filter((f) => f > v[b]! && f < v[a]!).reverse().map((f) => lerp(q0, q1, f)); // descending
  const bend = (k: number): Pt[] => (kink[k] ? [kink[k]!] : []);
  const leftMid = new Map<number, Pt>(); // a point of an L-shape's notch on a straight cut
  const rings: Pt[][] = [];
  for (let k = 0; k < n; k++) {
    const h = lAt.get(k);
    if (h !== undefined) {
      const m1 = lerp(P(k + 1), Q(k + 1), h), m2 = lerp(P(k + 2), Q(k + 2), h);
      // Q(k+1) stays a vertex of the L's top edge: the row behind lists it on its side too.
      rings.push([P(k), ...bottom(k, k + 1), P(k + 1), m1, m2, Q(k + 2), ...top(k + 2, k + 1), Q(k + 1), ...top(k + 1, k), Q(k), ...bend(k)]);
      rings.push([P(k + 1), ...bottom(k + 1, k + 2), P(k + 2), m2, m1]);
      leftMid.set(k + 2, m2);
      k++;
      continue;
    }
    const mid = leftMid.get(k);
    // Bottom edge left → right, right side up, top edge right → left, left side down.
    rings.push([P(k), ...bottom(k, k + 1), P(k + 1), ...bend(k + 1), Q(k + 1), ...top(k + 1, k), Q(k), ...(mid ? [mid] : bend(k))]);
  }
  return rings;
}

/** Every parcel ring of a block, its rows' shared rear line with the same vertices on both sides. */
function blockRings(block: Row[], rng: Rng): { row: Row; ring: Pt[] }[] {
  const cuts = block.map((r) => cutRow(r, rng));
  const inner = (xs: number[]) => xs.slice(1, -1);
  const out: { row: Row; ring: Pt[] }[] = [];
  cuts.forEach((c, i) => {
    const below = i > 0 ? inner(cuts[i - 1]!.v) : [];
    const above = i + 1 < cuts.length ? inner(cuts[i + 1]!.u) : [];
    for (const ring of rowRings(c, below, above)) out.push({ row: c.row, ring });
  });
  return out;
}

/** The parcels of one planned zone (its whole capacity), in code order. */
export function zoneParcels(plan: PlannedZone, seed: string): ScaleParcel[] {
  const { zone, rect, frame } = plan;
  const rng = seedrandom.alea(`${seed}/${zone.code}`);
  const blocks = zoneBlocks(rect, rng);
  const bands = blocks.length ? blocks[blocks.length - 1]![0]!.band + 1 : 0;
  const ewRoads = roadNames(bands + 1, rng);
  const nsRoads = roadNames(8, rng);
  const baseLevel = 2 + Math.floor(rng() * 3);
  const width = rect.x1 - rect.x0;
  const out: ScaleParcel[] = [];
  for (const block of blocks) {
    for (const { row, ring: local } of blockRings(block, rng)) {
      const ring = local.map(([x, y]) => frame.toLonLat(x, y));
      ring.push(ring[0]!);
      const geometry: GeoJSON.Polygon = { type: 'Polygon', coordinates: [ring] };
      const areaM2 = round2(geometryAreaM2(geometry));
      // Attributes are drawn for every parcel, kept or not, so the stream stays in step.
      const landUse = landUseFor(zone.sectors, rng);
      const plan2 = PLANNING[landUse];
      const status = rng() < 0.97 ? 'available' : 'held';
      const cx = local.reduce((s, p) => s + p[0], 0) / local.length;
      const ns = nsRoads[Math.min(7, Math.max(0, Math.floor(((cx - rect.x0) / width) * 8)))]!;
      const landLevel = Math.min(5, Math.max(1, baseLevel + Math.floor(rng() * 3) - 1));
      const plotRatioMin = Math.round((plan2.ratio[0] + 0.1 * Math.floor(rng() * 6)) * 10) / 10;
      const plotRatioMax = Math.round((plan2.ratio[1] - 0.1 * Math.floor(rng() * 6)) * 10) / 10;
      const buildingDensityMaxPct = stepIn(plan2.density[0], plan2.density[1], 5, rng);
      const greenRatioMinPct = stepIn(plan2.green[0], plan2.green[1], 5, rng);
      const heightLimitM = stepIn(plan2.height[0], plan2.height[1], 6, rng);
      const invest = stepIn(plan2.invest[0], plan2.invest[1], 500, rng);
      const costYuan = round2(stepIn(300, 900, 10, rng) * areaM2);
      const serviced = rng() < 0.65;
      if (areaM2 < SCALE_MIN_M2 || areaM2 > SCALE_MAX_M2) continue; // unplotted land
      const biomed = zone.sectors.includes('biomed'), ngit = zone.sectors.includes('ngit');
      out.push({
        code: '', // numbered below, in the order kept
        geometryJson: `{"type":"Polygon","coordinates":[[${ring.map(([x, y]) => `[${x},${y}]`).join(',')}]]}`,
        bbox: bboxOf(ring),
        areaM2,
        landUse,
        status,
        landLevel,
        location: `${plan.districtNameZh}${ewRoads[row.band]}以南、${ns}以东地块`,
        plotRatioMin,
        plotRatioMax,
        buildingDensityMaxPct,
        greenRatioMinPct,
        heightLimitM,
        investmentIntensityYuanPerM2: invest,
        costYuan,
        serviced,
        // As seedSampleConditions gives the demo's plots (sample/supervision.ts), written here
        // so a million rows need no UPDATE afterwards.
        conditionsJson: JSON.stringify({
          investmentIntensityYuanPerM2Min: invest,
          plotRatioMin,
          plotRatioMax,
          outputPerMuYuanMin: biomed ? 2_000_000 : ngit ? 1_500_000 : 1_200_000,
          taxPerMuYuanMin: biomed ? 120_000 : 100_000,
          ...(out.length % 2 === 0 ? { energyTcePer10kYuanMax: 0.35 } : {}),
          pollutionCategory: biomed ? 'class_2' : 'class_1',
          notes: '示例数据：演示用标准地条件，非实际出让条件 / sample conditions for the demo, not real terms of sale',
          startWithinMonths: 12,
          completeWithinMonths: 36,
        }),
      });
    }
  }
  out.forEach((p, i) => (p.code = `${zone.code}-${String(i + 1).padStart(4, '0')}`));
  return out;
}

/**
 * The zones and their parcels for exactly `total` parcels, one zone at a time (the last one
 * only partly plotted). Throws when the districts cannot hold `total`.
 */
export function* generateScale(
  districts: DistrictForZones[],
  parks: { geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon }[],
  opts: ScaleOptions,
): Generator<{ zone: ZoneSeed; parcels: ScaleParcel[] }> {
  const { total, seed } = opts;
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`generateScale: total must be a whole number ≥ 0; got ${total}`);
  if (total === 0) return;
  let left = total;
  for (const plan of planZones(districts, parks, seed)) {
    const parcels = zoneParcels(plan, seed);
    if (parcels.length === 0) continue;
    yield { zone: plan.zone, parcels: parcels.length > left ? parcels.slice(0, left) : parcels };
    left -= Math.min(left, parcels.length);
    if (left === 0) return;
  }
  throw new RangeError(`generateScale: the districts' zones hold ${total - left} parcels, fewer than the ${total} asked for`);
}

export { LAND_USES };
