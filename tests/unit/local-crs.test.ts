/** The four-parameter local system (shared/geometry/local-crs.ts): a made-up transformation, its round trip and its limits. */
import { describe, expect, it } from 'vitest';
import { fourParameterProblem, fromLocal, mapPositions, toLocal, type FourParameters } from '../../shared/geometry/local-crs.ts';

// Made up: no city's real parameters (those are confidential and never shipped).
const P: FourParameters = { dE: -412_345.678, dN: -2_487_654.321, rotationSec: 123.45, scalePpm: -37.5, originE: 440_000, originN: 2_560_000 };

describe('four-parameter local system', () => {
  it('round trips EPSG:4547 → local → EPSG:4547 within 1 mm over Guangzhou', () => {
    let worst = 0;
    for (let e = 370_000; e <= 480_000; e += 5_500) for (let n = 2_490_000; n <= 2_650_000; n += 7_300) {
      const back = fromLocal(P, toLocal(P, [e, n]));
      worst = Math.max(worst, Math.hypot(back[0] - e, back[1] - n));
    }
    expect(worst).toBeLessThan(0.001);
  });

  it('shifts, rotates anticlockwise and scales about the centre as documented', () => {
    const pure = { dE: 0, dN: 0, rotationSec: 90 * 3600 / 100, scalePpm: 0 }; // 0.9°
    const [x, y] = toLocal({ ...pure, rotationSec: 3600 }, [1000, 0]); // 1° anticlockwise
    expect(x).toBeCloseTo(1000 * Math.cos(Math.PI / 180), 9);
    expect(y).toBeCloseTo(1000 * Math.sin(Math.PI / 180), 9);
    expect(toLocal({ dE: 10, dN: -20, rotationSec: 0, scalePpm: 0 }, [100, 200])).toEqual([110, 180]);
    const [sx, sy] = toLocal({ dE: 0, dN: 0, rotationSec: 0, scalePpm: 1000, originE: 100, originN: 100 }, [1100, 100]);
    expect(sx).toBeCloseTo(100 + 1000 * 1.001, 9);
    expect(sy).toBeCloseTo(100, 9);
    expect(toLocal(pure, [0, 0])).toEqual([0, 0]);
  });

  it('keeps the lengths in proportion k and the angles', () => {
    const a = toLocal(P, [430_000, 2_550_000]), b = toLocal(P, [430_300, 2_550_400]);
    expect(Math.hypot(b[0] - a[0], b[1] - a[1])).toBeCloseTo(500 * (1 - 37.5e-6), 6);
  });

  it('refuses parameters out of range or not finite, naming the parameter', () => {
    expect(fourParameterProblem(P)).toBeNull();
    expect(fourParameterProblem({ ...P, rotationSec: 7200 })).toBe('rotationSec');
    expect(fourParameterProblem({ ...P, scalePpm: Number.NaN })).toBe('scalePpm');
    expect(fourParameterProblem({ ...P, dN: 1e12 })).toBe('dN');
  });

  it('maps the positions of polygons and multipolygons, keeping Z and leaving malformed values', () => {
    const g = { type: 'MultiPolygon', coordinates: [[[[1, 2, 9], [3, 4], ['x', 5] as unknown as number[]]]] };
    const out = mapPositions(g, ([x, y]) => [x * 10, y * 10]);
    expect(out.coordinates[0]![0]).toEqual([[10, 20, 9], [30, 40], ['x', 5]]);
    expect(g.coordinates[0]![0]![0]).toEqual([1, 2, 9]); // not changed in place
  });
});
