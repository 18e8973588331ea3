/**
 * Turns API feature collections into what the map's sources need: the sector keys the park
 * style matches on, and one label point per district and park (inside the shape, so a label
 * never floats over a neighbour and isn't repeated per tile).
 */
import { booleanPointInPolygon, centerOfMass, pointOnFeature } from '@turf/turf';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { AreaGeometry, Districts, Parks, ParkProps } from '../api/index.ts';

export type ParkMapProps = ParkProps & { sector1: string | null; sector2?: string };

export interface ParkLabelProps {
  id: number;
  sector1: string | null;
  sector2?: string;
  code: string;
  nameZh: string;
  nameEn: string;
  shortZh: string;
  shortEn: string;
  rank: number;
}

/** A point well inside the shape: its centre of mass if that's inside, else a point on it. */
export function labelPoint(feature: Feature<AreaGeometry>): [number, number] {
  const c = centerOfMass(feature);
  if (booleanPointInPolygon(c, feature)) return c.geometry.coordinates as [number, number];
  return pointOnFeature(feature).geometry.coordinates as [number, number];
}

/**
 * Short labels for the city view (the full name shows from zoom 11.5):
 * "海珠琶洲互联网价值创新园" → "海珠琶洲互联网"; a long one also drops the sector words its colour
 * already says: "白云黄金围新一代信息技术和人工智能价值创新园" → "白云黄金围".
 */
export function shortNameZh(name: string): string {
  const short = name.replace(/价值创新园$/, '');
  if (short.length <= 9) return short || name;
  return short.replace(/(新一代信息技术|人工智能|生物医药|[和及、])+$/, '') || short;
}

export function shortNameEn(name: string): string {
  return name.replace(/\s*Value[- ]Innovation Park$/i, '') || name;
}

/** The style matches on `sector1` (fill) and `sector2` (stripes); no second → no `sector2`. */
function sectorKeys(sectors: readonly string[]): { sector1: string | null; sector2?: string } {
  const [s1, s2] = sectors;
  return s2 ? { sector1: s1 ?? null, sector2: s2 } : { sector1: s1 ?? null };
}

export function parksForMap(parks: Parks): FeatureCollection<AreaGeometry, ParkMapProps> {
  return {
    type: 'FeatureCollection',
    features: parks.features.map((f) => ({
      ...f,
      id: f.properties.id,
      properties: { ...f.properties, ...sectorKeys(f.properties.sectors) },
    })),
  };
}

export function parkLabels(parks: Parks): FeatureCollection<Point, ParkLabelProps> {
  return {
    type: 'FeatureCollection',
    features: parks.features.map((f, i) => ({
      type: 'Feature',
      id: f.properties.id,
      geometry: { type: 'Point', coordinates: labelPoint(f) },
      properties: {
        id: f.properties.id,
        ...sectorKeys(f.properties.sectors),
        code: f.properties.code,
        nameZh: f.properties.nameZh,
        nameEn: f.properties.nameEn,
        shortZh: shortNameZh(f.properties.nameZh),
        shortEn: shortNameEn(f.properties.nameEn),
        rank: i,
      },
    })),
  };
}

export function districtLabels(districts: Districts): FeatureCollection<Point, { code: string; nameZh: string; nameEn: string }> {
  return {
    type: 'FeatureCollection',
    features: districts.features.map((f) => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: labelPoint(f) },
      properties: { code: f.properties.code, nameZh: f.properties.nameZh, nameEn: f.properties.nameEn },
    })),
  };
}
