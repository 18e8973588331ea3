/**
 * The import preview on the map: the file's plots over the parks and the existing plots (grey),
 * green when valid, amber with warnings, red with errors; the focused one outlined. Clicking a
 * plot focuses its table row.
 */
import { useEffect, useRef } from 'react';
import type { BBox } from '../../../shared/domain.ts';
import { useT } from '../../i18n/useT.ts';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import { LAYERS, plotsFillOpacity } from '../../map/layers.ts';
import { GeoJSONSource, type MapMouseEvent } from '../../map/maplibre.ts';
import { bindPointer } from '../../map/pointer.ts';
import { useMapData } from '../../map/useMapData.ts';
import { useMapHost, useMapInstance } from '../../map/useMapInstance.ts';

const SOURCE = 'im-preview';
export const IMPORT_LAYERS = { fill: 'im-preview-fill', line: 'im-preview-line' } as const;
const COLORS = { ok: '#2e9d5b', warning: '#e3a21a', error: '#d92d20' };

export function ImportPreviewMap({
  data,
  bbox,
  focus,
  onFocus,
}: {
  data: GeoJSON.FeatureCollection;
  bbox: BBox | null;
  focus: number | null;
  onFocus: (index: number) => void;
}) {
  const { t } = useT();
  const host = useMapHost();
  const { map, onError } = host;
  const focusRef = useRef(onFocus);
  useEffect(() => {
    focusRef.current = onFocus;
  });

  useMapData(map, onError);
  useEffect(() => {
    if (!map) return;
    // Existing plots stay as grey context (an overlap error names one of them); the file's plots go on top.
    if (map.getLayer(LAYERS.plotsFill)) {
      map.setPaintProperty(LAYERS.plotsFill, 'fill-color', '#aab4bf');
      map.setPaintProperty(LAYERS.plotsFill, 'fill-opacity', plotsFillOpacity(0.45));
    }
    map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'index' });
    const color = ['match', ['get', 'state'], 'error', COLORS.error, 'warning', COLORS.warning, COLORS.ok] as unknown as string;
    const focused = ['boolean', ['feature-state', 'focus'], false];
    map.addLayer({ id: IMPORT_LAYERS.fill, type: 'fill', source: SOURCE, paint: { 'fill-color': color, 'fill-opacity': ['case', focused, 0.8, 0.5] as unknown as number } });
    map.addLayer({
      id: IMPORT_LAYERS.line,
      type: 'line',
      source: SOURCE,
      paint: { 'line-color': ['case', focused, '#1f2d3d', color] as unknown as string, 'line-width': ['case', focused, 3, 1.2] as unknown as number },
    });
    const onClick = (e: MapMouseEvent) => {
      const f = map.queryRenderedFeatures(e.point, { layers: [IMPORT_LAYERS.fill] })[0];
      if (f && f.id !== undefined) focusRef.current(Number(f.id));
    };
    const onMove = (e: MapMouseEvent) => {
      map.getCanvas().style.cursor = map.queryRenderedFeatures(e.point, { layers: [IMPORT_LAYERS.fill] }).length ? 'pointer' : '';
    };
    const unbind = bindPointer(map, { move: onMove, click: onClick });
    return () => {
      unbind();
      if (!map.style) return;
      for (const id of Object.values(IMPORT_LAYERS)) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    };
  }, [map]);
  useEffect(() => {
    const source = map?.getSource(SOURCE);
    if (source instanceof GeoJSONSource) void source.setData(data);
  }, [map, data]);
  useEffect(() => {
    if (map && bbox) map.fitBounds(bbox, { padding: 32, maxZoom: 17, duration: 0 });
  }, [map, bbox]);
  useEffect(() => {
    if (!map || focus === null) return;
    map.setFeatureState({ source: SOURCE, id: focus }, { focus: true });
    const f = data.features.find((x) => x.id === focus);
    if (f) {
      const [w, s, e, n] = geometryBox(f.geometry);
      map.fitBounds([w, s, e, n], { padding: 60, maxZoom: 17.5, duration: 500 });
    }
    return () => {
      if (map.style && map.getSource(SOURCE)) map.setFeatureState({ source: SOURCE, id: focus }, { focus: false });
    };
  }, [map, focus, data]);
  useMapInstance(host);

  return (
    <div className="im-map">
      <MapCanvas host={host} label={t('editor.import.mapLabel')} testId="import-map" />
    </div>
  );
}

function geometryBox(g: GeoJSON.Geometry): [number, number, number, number] {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      w = Math.min(w, c[0] as number);
      e = Math.max(e, c[0] as number);
      s = Math.min(s, c[1] as number);
      n = Math.max(n, c[1] as number);
    } else if (Array.isArray(c)) c.forEach(visit);
  };
  visit((g as GeoJSON.Polygon).coordinates);
  return [w, s, e, n];
}
