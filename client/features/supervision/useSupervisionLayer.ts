import { useEffect } from 'react';
import { LAYERS, PLOTS_SOURCE_LAYER, SOURCES } from '../../map/layers.ts';
import type { MaplibreMap } from '../../map/maplibre.ts';
import { fillColor, GRADE_STATE, STAGE_STATE, type LayerMode } from './supervisionLayer.ts';

const target = (id: number) => ({ source: SOURCES.plots, sourceLayer: PLOTS_SOURCE_LAYER, id });

/** Sets `key` as feature-state on each plot of `values`, and removes it again on change or unmount. */
function usePlotState(map: MaplibreMap | null, key: string, values: ReadonlyMap<number, string> | null): void {
  useEffect(() => {
    if (!map || !values) return;
    for (const [plotId, value] of values) map.setFeatureState(target(plotId), { [key]: value });
    return () => {
      if (!map.getSource(SOURCES.plots)) return;
      for (const plotId of values.keys()) map.removeFeatureState(target(plotId), key);
    };
  }, [map, key, values]);
}

/**
 * The supervision layer on the shared plot tiles: each plot's idle stage and 亩均 grade joined
 * by id as feature-state, and the plot fill coloured by the chosen mode (put back as it was on
 * unmount). Hover and selection keep their own feature-state and paint.
 */
export function useSupervisionLayer(
  map: MaplibreMap | null,
  mode: LayerMode,
  stages: ReadonlyMap<number, string> | null,
  grades: ReadonlyMap<number, string> | null,
): void {
  usePlotState(map, STAGE_STATE, stages);
  usePlotState(map, GRADE_STATE, grades);
  useEffect(() => {
    if (!map || !map.getLayer(LAYERS.plotsFill)) return;
    const before = map.getPaintProperty(LAYERS.plotsFill, 'fill-color');
    map.setPaintProperty(LAYERS.plotsFill, 'fill-color', fillColor(mode));
    return () => {
      if (map.getLayer(LAYERS.plotsFill)) map.setPaintProperty(LAYERS.plotsFill, 'fill-color', before);
    };
  }, [map, mode]);
}
