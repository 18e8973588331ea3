/**
 * Reading a park boundary file in the browser before it is sent (pure; the admin's park
 * recognition form). The checks are shared/geometry/park-boundary.ts — the server's own — so the form
 * can say what is wrong at once; how much lies inside the named district is measured against
 * the district outlines the map uses. The server repeats every check (and the overlap with
 * existing parks, which needs the database).
 */
import { bbox as turfBbox } from '@turf/turf';
import type { BBox } from '../../../shared/domain.ts';
import { intersectionAreaM2 } from '../../../shared/geometry/area.ts';
import { readParkBoundary, type BoundaryGeometry } from '../../../shared/geometry/park-boundary.ts';
import type { Districts } from '../../api/index.ts';

export type BoundaryRead =
  | {
      ok: true;
      geometry: BoundaryGeometry;
      areaM2: number;
      bbox: BBox;
      /** The feature's properties (may carry code, names, district, sectors). */
      properties: Record<string, unknown> | null;
      removedDuplicatePoints: number;
    }
  | { ok: false; messageZh: string; messageEn: string };

/** The text of a chosen file → a checked boundary, or why not (in both languages). */
export function readBoundaryText(text: string): BoundaryRead {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, messageZh: `文件不是有效的 JSON：${why}`, messageEn: `The file is not valid JSON: ${why}` };
  }
  const r = readParkBoundary(json);
  if (!r.ok) return { ok: false, messageZh: r.messageZh, messageEn: r.messageEn };
  return {
    ok: true,
    geometry: r.geometry,
    areaM2: r.areaM2,
    bbox: turfBbox(r.geometry) as BBox,
    properties: r.properties,
    removedDuplicatePoints: r.removedDuplicatePoints,
  };
}

export interface DistrictFit {
  /** Share of the boundary's area inside the named district (0–1). */
  insideDistrictShare: number;
  /** Share inside any of Guangzhou's districts (0–1). */
  insideCityShare: number;
  /** The district holding most of the area (null: none). */
  largestDistrictCode: string | null;
}

/** Where the boundary lies among the districts (EPSG:4547 plane areas, like the server's checks and the boundary's own area). */
export function districtFit(geometry: BoundaryGeometry, areaM2: number, districts: Districts, districtCode: string): DistrictFit {
  const [w, s, e, n] = turfBbox(geometry);
  let inside = 0;
  let named = 0;
  let largest: { code: string; area: number } | null = null;
  for (const d of districts.features) {
    const [dw, ds, de, dn] = turfBbox(d.geometry);
    if (de < w || dw > e || dn < s || ds > n) continue;
    const a = intersectionAreaM2(geometry, d.geometry);
    if (a <= 0) continue;
    inside += a;
    if (d.properties.code === districtCode) named = a;
    if (!largest || a > largest.area) largest = { code: d.properties.code, area: a };
  }
  const share = (x: number) => (areaM2 > 0 ? Math.min(1, Math.round((x / areaM2) * 10_000) / 10_000) : 0);
  return { insideDistrictShare: share(named), insideCityShare: share(inside), largestDistrictCode: largest?.code ?? null };
}

/** Metadata a boundary file's feature properties may carry, as form values (only what is there). */
export function metadataFromProperties(props: Record<string, unknown> | null): Partial<Record<'code' | 'nameZh' | 'nameEn' | 'districtCode' | 'recognizedYear', string>> & { sectors?: string[] } {
  if (!props) return {};
  const out: Partial<Record<'code' | 'nameZh' | 'nameEn' | 'districtCode' | 'recognizedYear', string>> & { sectors?: string[] } = {};
  for (const k of ['code', 'nameZh', 'nameEn', 'districtCode', 'recognizedYear'] as const) {
    const v = props[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v).trim();
  }
  const s = props.sectors;
  if (Array.isArray(s)) out.sectors = s.map(String);
  else if (typeof s === 'string') out.sectors = s.split(',').map((x) => x.trim()).filter(Boolean);
  return out;
}

/** The next free code in the plan's style: P13 after P01…P12. */
export function nextParkCode(codes: readonly string[]): string {
  let max = 0;
  for (const c of codes) {
    const m = /^P(\d+)$/.exec(c);
    if (m) max = Math.max(max, Number(m[1]));
  }
  return `P${String(max + 1).padStart(2, '0')}`;
}
