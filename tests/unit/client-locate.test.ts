/**
 * Issue #18 part 5, pure pieces: the 界址点 table (EPSG:4547, X = northing, J1 at the north-west
 * corner, clockwise), the offline location map's layout, one money unit per group, the landing
 * page per role, and the public panel's compare list.
 */
import { describe, expect, it } from 'vitest';
import { toWgs84 } from '../../shared/geometry/crs.ts';
import { boundaryPoints, formatCoord } from '../../client/features/locate/boundaryPoints.ts';
import { buildLocationMap, niceLength, searchBox } from '../../client/features/locate/locationMap.ts';
import { exactYuan, formatYuanIn, formatYuanNumber, moneyScale, scaleUnit } from '../../client/ui/money.ts';
import { afterSignIn, roleHome } from '../../client/features/auth/landing.ts';
import { compareWith } from '../../client/features/invest/compareStore.ts';

/** A WGS84 ring from EPSG:4547 [easting, northing] corners (closed). */
const ring = (corners: [number, number][]) => [...corners, corners[0]!].map((p) => toWgs84('EPSG:4547', p) as [number, number]);
// A 100 m × 60 m rectangle near Guangzhou, written anticlockwise from the south-west corner (as GeoJSON does).
const E0 = 428_200;
const N0 = 2_555_700;
const rect: GeoJSON.Polygon = { type: 'Polygon', coordinates: [ring([[E0, N0], [E0 + 100, N0], [E0 + 100, N0 + 60], [E0, N0 + 60]])] };

describe('界址点 table', () => {
  it('numbers J1…Jn clockwise from the north-west corner, X = northing and Y = easting to the millimetre, and closes on J1', () => {
    const rows = boundaryPoints(rect);
    expect(rows.map((r) => r.no)).toEqual(['J1', 'J2', 'J3', 'J4', 'J1']);
    const open = rows.slice(0, 4);
    const expected = [
      [N0 + 60, E0],
      [N0 + 60, E0 + 100],
      [N0, E0 + 100],
      [N0, E0],
    ];
    open.forEach((r, i) => {
      expect(Math.abs(r.x - expected[i]![0]!)).toBeLessThan(0.002);
      expect(Math.abs(r.y - expected[i]![1]!)).toBeLessThan(0.002);
      expect(Number.isInteger(Math.round(r.x * 1000))).toBe(true);
    });
    expect(open.map((r) => r.side)).toEqual([100, 60, 100, 60]);
    expect(rows[4]).toMatchObject({ closing: true, side: null, x: rows[0]!.x, y: rows[0]!.y });
  });

  it('gives the same table whichever way and from whichever corner the ring is written', () => {
    const reversed: GeoJSON.Polygon = { type: 'Polygon', coordinates: [ring([[E0 + 100, N0 + 60], [E0 + 100, N0], [E0, N0], [E0, N0 + 60]])] };
    expect(boundaryPoints(reversed)).toEqual(boundaryPoints(rect));
  });

  it('runs the numbering on across the parts of a multi-part parcel', () => {
    const far = ring([[E0 + 500, N0], [E0 + 550, N0], [E0 + 550, N0 + 50]]);
    const rows = boundaryPoints({ type: 'MultiPolygon', coordinates: [rect.coordinates, [far]] });
    expect(rows.map((r) => r.no)).toEqual(['J1', 'J2', 'J3', 'J4', 'J1', 'J5', 'J6', 'J7', 'J5']);
    expect(rows.filter((r) => r.ring === 1)).toHaveLength(4);
  });

  it('writes coordinates with exactly three decimals, ungrouped', () => {
    expect(formatCoord(2555783.93)).toBe('2555783.930');
    expect(formatCoord(428285.9634)).toBe('428285.963');
  });
});

describe('location map', () => {
  const neighbour: GeoJSON.Polygon = { type: 'Polygon', coordinates: [ring([[E0 + 120, N0], [E0 + 200, N0], [E0 + 200, N0 + 60], [E0 + 120, N0 + 60]])] };
  const faraway: GeoJSON.Polygon = { type: 'Polygon', coordinates: [ring([[E0 + 90_000, N0], [E0 + 90_100, N0], [E0 + 90_100, N0 + 60]])] };

  it('fits the parcel in the box north up, draws its neighbours under it and leaves out what is outside the view', () => {
    const m = buildLocationMap(
      [
        { key: 'f', geometry: rect, role: 'focus', label: 'P10-0014' },
        { key: 'n', geometry: neighbour, role: 'neighbour', tone: 'available' },
        { key: 'x', geometry: faraway, role: 'neighbour' },
      ],
      { width: 400, height: 300, margin: 1, pad: 10 },
    )!;
    expect(m.shapes.map((s) => s.key)).toEqual(['n', 'f']);
    const focus = m.shapes.find((s) => s.key === 'f')!;
    const pts = [...focus.d.matchAll(/(-?[\d.]+) (-?[\d.]+)/g)].map((x): [number, number] => [Number(x[1]), Number(x[2])]);
    for (const [x, y] of pts) {
      expect(x).toBeGreaterThanOrEqual(10);
      expect(x).toBeLessThanOrEqual(390);
      expect(y).toBeGreaterThanOrEqual(10);
      expect(y).toBeLessThanOrEqual(290);
    }
    // North up: the first corner written (south-west) is lower on the drawing than the north-west one.
    expect(pts[0]![1]).toBeGreaterThan(pts[3]![1]);
    // True shape: 100 m by 60 m stays 5:3.
    const xs = pts.map((p) => p[0]!);
    const ys = pts.map((p) => p[1]!);
    expect((Math.max(...xs) - Math.min(...xs)) / (Math.max(...ys) - Math.min(...ys))).toBeCloseTo(100 / 60, 1);
    expect(focus.labelAt).not.toBeNull();
    expect(focus.label).toBe('P10-0014');
    // Scale bar: a round length, drawn at the map's scale.
    const pxPerM = (Math.max(...xs) - Math.min(...xs)) / 100;
    expect([1, 2, 5].some((k) => m.scale.metres / k === 10 ** Math.round(Math.log10(m.scale.metres / k)))).toBe(true);
    expect(m.scale.px).toBeCloseTo(m.scale.metres * pxPerM, 0);
  });

  it('has nothing to draw without a focus shape', () => {
    expect(buildLocationMap([{ key: 'n', geometry: neighbour, role: 'neighbour' }])).toBeNull();
  });

  it('picks 1-2-5 scale lengths and a search box around the parcel', () => {
    expect([niceLength(730), niceLength(199), niceLength(1), niceLength(0)]).toEqual([500, 100, 1, 0]);
    const b = searchBox(rect, 1);
    const inner = searchBox(rect, 0);
    expect(b[0]).toBeLessThan(inner[0]);
    expect(b[3]).toBeGreaterThan(inner[3]);
  });
});

describe('money in one unit', () => {
  it('uses 亿元 for a group once its largest figure reaches 1 亿元, else 万元 — even for small figures', () => {
    const zh = moneyScale([100_000_000, 35_000_000, 5_000], 'zh-CN');
    expect(zh).toBe('yi');
    expect([100_000_000, 35_000_000, 5_000].map((y) => formatYuanIn(y, zh, 'zh-CN'))).toEqual(['1.00 亿元', '0.35 亿元', '0.00 亿元']);
    const wan = moneyScale([99_999_999.99, 8_000], 'zh-CN');
    expect(wan).toBe('wan');
    expect(formatYuanIn(8_000, wan, 'zh-CN')).toBe('0.80 万元');
    expect(formatYuanIn(-12_345, wan, 'zh-CN')).toBe('-1.23 万元');
  });

  it('uses ¥ million or plain yuan in English, and gives the exact 元 for the hover', () => {
    expect(formatYuanIn(35_000_000, moneyScale([35_000_000, 1], 'en'), 'en')).toBe('¥35.00M');
    expect(formatYuanIn(5_000, moneyScale([5_000], 'en'), 'en')).toBe('¥5,000.00');
    expect(exactYuan(35_000_000.5, 'zh-CN')).toBe('35,000,000.50 元');
  });

  it('gives the figure alone for a column whose heading names the unit', () => {
    const column = [100_000_000, 18_000_000, 0];
    const scale = moneyScale(column, 'zh-CN');
    expect(scaleUnit(scale)).toBe('亿元');
    expect(column.map((y) => formatYuanNumber(y, scale))).toEqual(['1.00', '0.18', '0.00']);
    expect(formatYuanNumber(-12_345, 'wan')).toBe('-1.23');
    expect(formatYuanNumber(123_456_789, 'wan')).toBe('12,345.68');
    expect([scaleUnit('wan'), scaleUnit('million'), scaleUnit('yuan')]).toEqual(['万元', '¥ million', 'yuan']);
  });
});

describe('landing after sign-in', () => {
  it('sends each role to its own workspace', () => {
    expect(roleHome({ role: 'admin', districtCode: null })).toBe('/admin/users');
    expect(roleHome({ role: 'land_officer', districtCode: null })).toBe('/bureau');
    expect(roleHome({ role: 'industry_officer', districtCode: null })).toBe('/bureau/parks');
    expect(roleHome({ role: 'district_officer', districtCode: '440112' })).toBe('/district/440112');
    expect(roleHome({ role: 'investor', districtCode: null })).toBe('/invest');
  });

  it('keeps the page that asked for the sign-in, but never an unsafe one', () => {
    const investor = { role: 'investor' as const, districtCode: null };
    expect(afterSignIn('/plots/P10-0014#sheet-interest', investor)).toBe('/plots/P10-0014#sheet-interest');
    expect(afterSignIn('//evil.example', investor)).toBe('/invest');
    expect(afterSignIn(null, { role: 'district_officer', districtCode: '440113' })).toBe('/district/440113');
  });
});

describe('the public panel’s compare link', () => {
  it('adds the plot to those chosen, keeps at most three (the newest) and does not repeat it', () => {
    expect(compareWith([], 'A')).toEqual(['A']);
    expect(compareWith(['A', 'B'], 'A')).toEqual(['A', 'B']);
    expect(compareWith(['A', 'B', 'C'], 'D')).toEqual(['B', 'C', 'D']);
  });
});
