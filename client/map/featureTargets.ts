import type { Selection } from '../stores/selection.ts';
import { PLOTS_SOURCE_LAYER, SOURCES } from './layers.ts';
import type { FeatureIdentifier } from './maplibre.ts';

/** The map features that stand for a park or plot (a park: its shape and its marker/label). */
export function featureTargets(selection: Selection): FeatureIdentifier[] {
  if (!selection) return [];
  if (selection.kind === 'plot') return [{ source: SOURCES.plots, sourceLayer: PLOTS_SOURCE_LAYER, id: selection.id }];
  return [
    { source: SOURCES.parks, id: selection.id },
    { source: SOURCES.parkLabels, id: selection.id },
  ];
}
