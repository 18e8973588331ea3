import { useEffect } from 'react';
import { useSelectionStore, type Selection } from '../stores/selection.ts';
import { featureTargets } from './featureTargets.ts';
import type { MaplibreMap } from './maplibre.ts';

/** Marks the selected park or plot with feature-state `selected` (no geometry re-sent). */
export function useSelectionHighlight(map: MaplibreMap | null): void {
  useEffect(() => {
    if (!map) return;
    let current: Selection = null;
    const apply = (selection: Selection) => {
      for (const target of featureTargets(current)) map.setFeatureState(target, { selected: false });
      current = selection;
      for (const target of featureTargets(current)) map.setFeatureState(target, { selected: true });
    };
    apply(useSelectionStore.getState().selection);
    const unsubscribe = useSelectionStore.subscribe((s, prev) => {
      if (s.selection !== prev.selection) apply(s.selection);
    });
    return () => {
      unsubscribe();
      apply(null);
    };
  }, [map]);
}
