/**
 * A small map of an uploaded park boundary among the districts and the existing parks (offline
 * style, our own data only — like the main map). The chosen district is tinted so "is it inside
 * the district?" can be seen, not just read. Decorative next to the figures beside it.
 */
import { useEffect, useRef, useState } from 'react';
import type { StyleSpecification } from 'maplibre-gl';
import { GUANGZHOU_BBOX } from '../../../shared/domain.ts';
import type { BoundaryGeometry } from '../../../shared/geometry/park-boundary.ts';
import type { Districts, Parks } from '../../api/index.ts';
import { BASE_COLORS } from '../../map/palette.ts';
import { GeoJSONSource, MaplibreMap } from '../../map/maplibre.ts';
import type { BBox } from '../../../shared/domain.ts';

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

function style(): StyleSpecification {
  return {
    version: 8,
    name: 'park-boundary-preview',
    sources: {
      districts: { type: 'geojson', data: EMPTY },
      parks: { type: 'geojson', data: EMPTY },
      boundary: { type: 'geojson', data: EMPTY },
    },
    layers: [
      { id: 'bg', type: 'background', paint: { 'background-color': BASE_COLORS.background } },
      {
        id: 'districts-fill',
        type: 'fill',
        source: 'districts',
        paint: { 'fill-color': ['case', ['==', ['get', 'chosen'], true], '#e3ecf7', BASE_COLORS.districtFill] },
      },
      {
        id: 'districts-line',
        type: 'line',
        source: 'districts',
        paint: { 'line-color': ['case', ['==', ['get', 'chosen'], true], '#2f6db5', BASE_COLORS.districtLine], 'line-width': ['case', ['==', ['get', 'chosen'], true], 2, 0.8] },
      },
      { id: 'parks-fill', type: 'fill', source: 'parks', paint: { 'fill-color': '#7d8a99', 'fill-opacity': 0.35 } },
      { id: 'parks-line', type: 'line', source: 'parks', paint: { 'line-color': '#5b6878', 'line-width': 1 } },
      { id: 'boundary-fill', type: 'fill', source: 'boundary', paint: { 'fill-color': '#f25c05', 'fill-opacity': 0.3 } },
      { id: 'boundary-line', type: 'line', source: 'boundary', paint: { 'line-color': '#c2410c', 'line-width': 2.5 } },
    ],
  };
}

export function BoundaryMap({
  districts,
  parks,
  districtCode,
  boundary,
  bbox,
  label,
}: {
  districts: Districts | null;
  parks: Parks | null;
  districtCode: string;
  boundary: BoundaryGeometry | null;
  bbox: BBox | null;
  label: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!el.current) return;
    let m: MaplibreMap;
    try {
      m = new MaplibreMap({
        container: el.current,
        style: style(),
        bounds: GUANGZHOU_BBOX,
        fitBoundsOptions: { padding: 12 },
        attributionControl: false,
        dragRotate: false,
        pitchWithRotate: false,
        cooperativeGestures: true,
      });
    } catch {
      setFailed(true);
      return;
    }
    m.touchZoomRotate.disableRotation();
    const ready = () => setMap(m);
    m.once('load', ready);
    return () => {
      m.off('load', ready);
      setMap(null);
      m.remove();
    };
  }, []);

  useEffect(() => {
    if (!map || !districts) return;
    const src = map.getSource('districts');
    if (src instanceof GeoJSONSource) {
      void src.setData({
        type: 'FeatureCollection',
        features: districts.features.map((f) => ({ ...f, properties: { ...f.properties, chosen: f.properties.code === districtCode } })),
      });
    }
  }, [map, districts, districtCode]);

  useEffect(() => {
    if (!map || !parks) return;
    const src = map.getSource('parks');
    if (src instanceof GeoJSONSource) void src.setData(parks);
  }, [map, parks]);

  useEffect(() => {
    if (!map) return;
    const src = map.getSource('boundary');
    if (src instanceof GeoJSONSource) {
      void src.setData(boundary ? { type: 'Feature', properties: {}, geometry: boundary } : EMPTY);
    }
    if (bbox) map.fitBounds(bbox, { padding: 60, maxZoom: 13.5, duration: 0 });
  }, [map, boundary, bbox]);

  if (failed) return null;
  return <div ref={el} className="dash-boundary-map" role="img" aria-label={label} data-testid="boundary-map" />;
}
