/**
 * Local (city) coordinate systems given by a planar four-parameter transformation from CGCS2000
 * 3-degree Gauss–Krüger CM 114°E (EPSG:4547) — issue #18 §2 "Local coordinates on import".
 *
 * The four parameters (平面四参数) are entered by an administrator and are often confidential, so
 * nothing is shipped. With p = (E, N) in EPSG:4547 (metres, easting first) and the rotation centre
 * c = (originE, originN) (0, 0 unless given):
 *
 *     local = c + (dE, dN) + k · R(θ) · (p − c),   k = 1 + scalePpm·10⁻⁶,
 *     R(θ) = [[cos θ, −sin θ], [sin θ, cos θ]],    θ = rotationSec arc-seconds, anticlockwise.
 *
 * The inverse (local → EPSG:4547), used on import, is p = c + R(−θ) · (local − c − (dE, dN)) / k.
 * A seven-parameter (Bursa–Wolf) transformation works on geocentric coordinates and needs the
 * local system's ellipsoid and projection as well; it is not offered.
 */

export interface FourParameters {
  /** Shift east, metres. */
  dE: number;
  /** Shift north, metres. */
  dN: number;
  /** Rotation, arc-seconds, anticlockwise positive. */
  rotationSec: number;
  /** Scale difference, parts per million (k = 1 + ppm·10⁻⁶). */
  scalePpm: number;
  /** Rotation and scale centre in EPSG:4547 (default 0, 0). */
  originE?: number;
  originN?: number;
}

/** Limits that keep a typo from passing: shifts within 10 000 km, rotation within ±1°, scale within ±1 %. */
export const FOUR_PARAMETER_LIMITS = { shiftM: 10_000_000, rotationSec: 3600, scalePpm: 10_000, originM: 10_000_000 } as const;

/** The first out-of-range or non-finite parameter's name, or null. */
export function fourParameterProblem(p: FourParameters): keyof FourParameters | null {
  const L = FOUR_PARAMETER_LIMITS;
  const checks: [keyof FourParameters, number | undefined, number][] = [
    ['dE', p.dE, L.shiftM], ['dN', p.dN, L.shiftM], ['rotationSec', p.rotationSec, L.rotationSec], ['scalePpm', p.scalePpm, L.scalePpm],
    ['originE', p.originE ?? 0, L.originM], ['originN', p.originN ?? 0, L.originM],
  ];
  for (const [name, v, max] of checks) if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > max) return name;
  return null;
}

const SEC = Math.PI / (180 * 3600);

/** EPSG:4547 → local. */
export function toLocal(p: FourParameters, [e, n]: [number, number]): [number, number] {
  const k = 1 + p.scalePpm * 1e-6, t = p.rotationSec * SEC;
  const [ce, cn] = [p.originE ?? 0, p.originN ?? 0];
  const [u, v] = [e - ce, n - cn];
  return [ce + p.dE + k * (Math.cos(t) * u - Math.sin(t) * v), cn + p.dN + k * (Math.sin(t) * u + Math.cos(t) * v)];
}

/** Local → EPSG:4547. */
export function fromLocal(p: FourParameters, [x, y]: [number, number]): [number, number] {
  const k = 1 + p.scalePpm * 1e-6, t = p.rotationSec * SEC;
  const [ce, cn] = [p.originE ?? 0, p.originN ?? 0];
  const [u, v] = [(x - ce - p.dE) / k, (y - cn - p.dN) / k];
  return [ce + Math.cos(t) * u + Math.sin(t) * v, cn - Math.sin(t) * u + Math.cos(t) * v];
}

/** A geometry's numeric positions mapped (anything else — malformed input — left for validation to report). */
export function mapPositions<G>(g: G, f: (xy: [number, number]) => [number, number]): G {
  const walk = (x: unknown): unknown => {
    if (!Array.isArray(x)) return x;
    if (x.length >= 2 && typeof x[0] === 'number' && typeof x[1] === 'number') {
      const [a, b] = f([x[0], x[1]]);
      return [a, b, ...x.slice(2)];
    }
    return x.map(walk);
  };
  if (!g || typeof g !== 'object' || !('coordinates' in g)) return g;
  return { ...g, coordinates: walk((g as { coordinates: unknown }).coordinates) } as G;
}
