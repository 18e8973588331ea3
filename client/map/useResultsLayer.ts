import { useEffect } from 'react';
import { INVEST_LAYERS, RESULTS_BACKDROP_OPACITY, RESULTS_SOURCE, resultLayers, resultsFilter, resultsSource } from '../features/invest/investLayers.ts';
import { LAYERS, plotsFillOpacity } from './layers.ts';
import { GeoJSONSource, type MaplibreMap } from './maplibre.ts';

/** Adds the result layers once (below the plot labels), and removes them on unmount. */
export function useResultLayers(map: MaplibreMap | null): void {
  useEffect(() => {
    if (!map) return;
    map.addSource(RESULTS_SOURCE, resultsSource());
    for (const layer of resultLayers()) map.addLayer(layer, layer.id === INVEST_LAYERS.dot ? LAYERS.districtLabels : LAYERS.plotLabels);
    // The other plots step back, so the results stand out from plots of the same status colour.
    map.setPaintProperty(LAYERS.plotsFill, 'fill-opacity', plotsFillOpacity(RESULTS_BACKDROP_OPACITY));
    return () => {
      if (!map.style) return; // the map itself is gone
      map.setPaintProperty(LAYERS.plotsFill, 'fill-opacity', plotsFillOpacity());
      for (const id of Object.values(INVEST_LAYERS)) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(RESULTS_SOURCE)) map.removeSource(RESULTS_SOURCE);
    };
  }, [map]);
}

/** A result on the map: its plot's id and code, and its centre [lng, lat]. */
export interface ResultPoint {
  id: number;
  code: string;
  centroid: [number, number];
}

/** Shows these results: their plots by id on the tiles, their centres as dots. */
export function useResultsData(map: MaplibreMap | null, items: readonly ResultPoint[]): void {
  useEffect(() => {
    if (!map || !map.getLayer(INVEST_LAYERS.fill)) return;
    const ids = items.map((i) => i.id);
    map.setFilter(INVEST_LAYERS.fill, resultsFilter(ids));
    map.setFilter(INVEST_LAYERS.line, resultsFilter(ids));
    const source = map.getSource(RESULTS_SOURCE);
    if (source instanceof GeoJSONSource) {
      void source.setData({
        type: 'FeatureCollection',
        features: items.map((i) => ({ type: 'Feature', id: i.id, geometry: { type: 'Point', coordinates: i.centroid }, properties: { id: i.id, code: i.code } })),
      });
    }
  }, [map, items]);
}
