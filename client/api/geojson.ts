/**
 * The contract passes geometry through undescribed (`{ type, coordinates }`, validated on write);
 * what the server sends in a plot or park is a GeoJSON Polygon or MultiPolygon. These read a
 * contract feature type as the GeoJSON type maplibre and turf take, keeping its properties.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';

export type AreaGeometry = Polygon | MultiPolygon;

/** A contract Feature with its geometry read as an area. */
export type AreaFeature<F extends { properties: unknown }> = Feature<AreaGeometry, F['properties']>;

/** A contract FeatureCollection (and its other members, e.g. `truncated`) with area features. */
export type AreaCollection<C extends { features: readonly { properties: unknown }[] }> = Omit<C, 'type' | 'features'> &
  FeatureCollection<AreaGeometry, C['features'][number]['properties']>;

/** A contract object whose `geometry` member is an area (or null where the contract allows it). */
export type WithArea<T extends { geometry: unknown }> = Omit<T, 'geometry'> & { geometry: null extends T['geometry'] ? AreaGeometry | null : AreaGeometry };
