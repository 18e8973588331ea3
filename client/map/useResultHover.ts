import { useEffect } from 'react';
import { setHoveredResult, useInvestSearchStore } from '../features/invest/store.ts';
import { INVEST_LAYERS, RESULTS_SOURCE } from '../features/invest/investLayers.ts';
import { PLOTS_SOURCE_LAYER, SOURCES } from './layers.ts';
import type { MapMouseEvent, MaplibreMap } from './maplibre.ts';
import { bindPointer } from './pointer.ts';

/**
 * Hover in both directions: the result under the pointer on the map becomes the hovered result
 * (the list lights its row), and the hovered result — from either side — gets the feature-state
 * `result-hover` on its plot and its dot. Paint only; no geometry is re-sent.
 */
export function useResultHover(map: MaplibreMap | null): void {
  useEffect(() => {
    if (!map) return;
    let current: number | null = null;
    const mark = (id: number | null, on: boolean) => {
      if (id === null) return;
      map.setFeatureState({ source: SOURCES.plots, sourceLayer: PLOTS_SOURCE_LAYER, id }, { 'result-hover': on });
      map.setFeatureState({ source: RESULTS_SOURCE, id }, { 'result-hover': on });
    };
    const apply = (id: number | null) => {
      if (id === current) return;
      mark(current, false);
      current = id;
      mark(current, true);
    };
    apply(useInvestSearchStore.getState().hoveredId);
    const unsubscribe = useInvestSearchStore.subscribe((s) => apply(s.hoveredId));

    const onMove = (e: MapMouseEvent) => {
      const layers = [INVEST_LAYERS.dot, INVEST_LAYERS.fill].filter((l) => map.getLayer(l));
      const f = map.queryRenderedFeatures(e.point, { layers }).find((x) => x.id !== undefined);
      setHoveredResult(f ? Number(f.id) : null);
    };
    const onOut = () => setHoveredResult(null);
    const unbind = bindPointer(map, { move: onMove, out: onOut });
    return () => {
      unsubscribe();
      unbind();
      if (map.style) apply(null);
    };
  }, [map]);
}
