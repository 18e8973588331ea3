/**
 * The investor search's result layers, as typed data: the result plots outlined
 * and filled over the plot tiles (a filter on their ids — no geometry is re-sent), and a dot at
 * each result's centre from a small GeoJSON source, so results show at every zoom (plots appear
 * only from PLOT_MIN_ZOOM). Hover from the list or the map is the feature-state `result-hover`.
 */
import type { ExpressionSpecification, FilterSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { PLOTS_SOURCE_LAYER, SOURCES } from '../../map/layers.ts';
import { BASE_COLORS } from '../../map/palette.ts';

export const RESULTS_SOURCE = 'invest-results';

export const INVEST_LAYERS = {
  fill: 'invest-results-fill',
  line: 'invest-results-line',
  dot: 'invest-results-dot',
} as const;

/** The result colour: a strong teal that reads against every status colour and park fill. */
export const RESULT_COLOR = '#0b7a75';

/** The dots fade out once the plot shapes are large enough to see. */
const DOT_MAX_ZOOM = 13.5;

/** Opacity of the other plots (by status) behind the results. */
export const RESULTS_BACKDROP_OPACITY = 0.3;

const hovered: ExpressionSpecification = ['boolean', ['feature-state', 'result-hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/** Only the plots whose id is in the current results. */
export function resultsFilter(ids: readonly number[]): FilterSpecification {
  return ['in', ['id'], ['literal', [...ids]]];
}

export function resultsSource(): SourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
}

export function resultLayers(): LayerSpecification[] {
  return [
    {
      id: INVEST_LAYERS.fill,
      type: 'fill',
      source: SOURCES.plots,
      'source-layer': PLOTS_SOURCE_LAYER,
      filter: resultsFilter([]),
      paint: { 'fill-color': RESULT_COLOR, 'fill-opacity': ['case', selected, 0.85, hovered, 0.85, 0.6] },
    },
    {
      id: INVEST_LAYERS.line,
      type: 'line',
      source: SOURCES.plots,
      'source-layer': PLOTS_SOURCE_LAYER,
      filter: resultsFilter([]),
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', selected, BASE_COLORS.selected, hovered, BASE_COLORS.hover, RESULT_COLOR],
        'line-width': ['case', selected, 3.5, hovered, 3, 1.6],
      },
    },
    {
      id: INVEST_LAYERS.dot,
      type: 'circle',
      source: RESULTS_SOURCE,
      maxzoom: DOT_MAX_ZOOM,
      paint: {
        'circle-color': ['case', hovered, BASE_COLORS.hover, RESULT_COLOR],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['case', hovered, 6, 3.5], 13, ['case', hovered, 8, 5]],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.2,
        'circle-opacity': ['interpolate', ['linear'], ['zoom'], 12.5, 0.95, DOT_MAX_ZOOM, 0],
        'circle-stroke-opacity': ['interpolate', ['linear'], ['zoom'], 12.5, 1, DOT_MAX_ZOOM, 0],
      },
    },
  ];
}
