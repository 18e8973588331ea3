import { useEffect } from 'react';
import { clearSelection, select, type Selection } from '../stores/selection.ts';
import { INTERACTIVE_LAYERS, LAYERS } from './layers.ts';
import type { MapGeoJSONFeature, MapMouseEvent, MaplibreMap } from './maplibre.ts';
import { featureTargets } from './featureTargets.ts';
import { bindPointer } from './pointer.ts';

/** Hover (feature-state `hover`, pointer cursor) and click-to-select on parks and plots. */
export function useMapInteraction(map: MaplibreMap | null): void {
  useEffect(() => {
    if (!map) return;
    let hovered: Selection = null;

    const pick = (e: MapMouseEvent): Selection => {
      const layers = INTERACTIVE_LAYERS.filter((id) => map.getLayer(id));
      const f: MapGeoJSONFeature | undefined = map
        .queryRenderedFeatures(e.point, { layers })
        .find((x) => x.id !== undefined);
      if (!f) return null;
      return { kind: f.layer.id === LAYERS.plotsFill ? 'plot' : 'park', id: Number(f.id) };
    };
    const setHover = (next: Selection) => {
      if (hovered?.kind === next?.kind && hovered?.id === next?.id) return;
      for (const target of featureTargets(hovered)) map.setFeatureState(target, { hover: false });
      hovered = next;
      for (const target of featureTargets(hovered)) map.setFeatureState(target, { hover: true });
      map.getCanvas().style.cursor = hovered ? 'pointer' : '';
    };

    const onMove = (e: MapMouseEvent) => setHover(pick(e));
    const onOut = () => setHover(null);
    const onClick = (e: MapMouseEvent) => {
      const picked = pick(e);
      if (picked) select(picked);
      else clearSelection();
    };

    const unbind = bindPointer(map, { move: onMove, out: onOut, click: onClick });
    return () => {
      unbind();
      setHover(null);
    };
  }, [map]);
}
