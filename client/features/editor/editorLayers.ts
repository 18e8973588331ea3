/**
 * The editor's own map layers (typed data, like ../map/layers.ts): the chosen park's boundary,
 * its plots as GeoJSON (so an edit shows at once, and the live check and snapping use the same
 * shapes), an overlay for a history version or a split/merge preview, and the markers of
 * geometry problems. The base style's plot tiles are hidden while the editor is open.
 *
 * Feature-state on plots (`promoteId: 'id'`): `selected`, `hover`, `conflict` (named by an
 * overlap error), `editing` (its outline drawn by terra-draw instead).
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { PLOT_STATUSES } from '../../../shared/domain.ts';
import { STATUS_COLORS } from '../../map/palette.ts';

export const ED_SOURCES = {
  park: 'ed-park',
  plots: 'ed-plots',
  /** One label point per plot, inside it (a polygon's own label repeats on every tile it spans). */
  plotLabels: 'ed-plot-labels',
  overlay: 'ed-overlay',
  issues: 'ed-issues',
} as const;

export const ED_LAYERS = {
  parkFill: 'ed-park-fill',
  parkLine: 'ed-park-line',
  plotsFill: 'ed-plots-fill',
  plotsLine: 'ed-plots-line',
  plotLabels: 'ed-plot-labels',
  overlayFill: 'ed-overlay-fill',
  overlayLine: 'ed-overlay-line',
  issuesCircle: 'ed-issues-circle',
  issuesLabel: 'ed-issues-label',
} as const;

export const EDITOR_COLORS = {
  park: '#1f3a5f',
  selected: '#f25c05',
  conflict: '#d92d20',
  warning: '#e3a21a',
  history: '#7d55b8',
  pieces: ['#2f6db5', '#c2557a', '#2e9d5b', '#e3a21a', '#7d55b8', '#0e7c86'],
} as const;

const FONT = ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'sans-serif'];
const state = (name: string): ExpressionSpecification => ['boolean', ['feature-state', name], false];

function statusColor(): ExpressionSpecification {
  const pairs = PLOT_STATUSES.flatMap((s) => [s, STATUS_COLORS[s]]);
  return ['match', ['get', 'status'], ...pairs, '#999999'] as unknown as ExpressionSpecification;
}

function pieceColor(): ExpressionSpecification {
  const pairs = EDITOR_COLORS.pieces.flatMap((c, i) => [i, c]);
  return ['match', ['%', ['coalesce', ['get', 'piece'], 0], EDITOR_COLORS.pieces.length], ...pairs, EDITOR_COLORS.pieces[0]] as unknown as ExpressionSpecification;
}

const empty = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

export function editorSources(): Record<string, SourceSpecification> {
  return {
    [ED_SOURCES.park]: { type: 'geojson', data: empty() },
    [ED_SOURCES.plots]: { type: 'geojson', data: empty(), promoteId: 'id' },
    [ED_SOURCES.plotLabels]: { type: 'geojson', data: empty() },
    [ED_SOURCES.overlay]: { type: 'geojson', data: empty() },
    [ED_SOURCES.issues]: { type: 'geojson', data: empty() },
  };
}

/** Withdrawn plots are drawn only when asked for (they are history, not land). */
export function plotsFilter(showWithdrawn: boolean): ExpressionSpecification {
  return showWithdrawn ? ['boolean', true] : ['!=', ['get', 'status'], 'withdrawn'];
}

export function editorLayers(showWithdrawn: boolean): LayerSpecification[] {
  const filter = plotsFilter(showWithdrawn);
  return [
    {
      id: ED_LAYERS.parkFill,
      type: 'fill',
      source: ED_SOURCES.park,
      paint: { 'fill-color': EDITOR_COLORS.park, 'fill-opacity': 0.05 },
    },
    {
      id: ED_LAYERS.parkLine,
      type: 'line',
      source: ED_SOURCES.park,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': EDITOR_COLORS.park,
        'line-width': 2.5,
        'line-dasharray': ['case', ['==', ['get', 'boundarySource'], 'indicative'], ['literal', [3, 2]], ['literal', [1, 0]]],
      },
    },
    {
      id: ED_LAYERS.plotsFill,
      type: 'fill',
      source: ED_SOURCES.plots,
      filter,
      paint: {
        'fill-color': statusColor(),
        'fill-opacity': ['case', state('editing'), 0.08, state('selected'), 0.85, state('hover'), 0.75, ['==', ['get', 'status'], 'withdrawn'], 0.3, 0.55],
      },
    },
    {
      id: ED_LAYERS.plotsLine,
      type: 'line',
      source: ED_SOURCES.plots,
      filter,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', state('conflict'), EDITOR_COLORS.conflict, state('selected'), EDITOR_COLORS.selected, state('hover'), '#1f2d3d', '#ffffff'],
        'line-width': ['case', state('conflict'), 4, state('selected'), 3.5, state('hover'), 2.5, 1.2],
        'line-dasharray': ['case', ['==', ['get', 'status'], 'withdrawn'], ['literal', [2, 2]], ['literal', [1, 0]]],
      },
    },
    {
      id: ED_LAYERS.plotLabels,
      type: 'symbol',
      source: ED_SOURCES.plotLabels,
      filter,
      minzoom: 14.5,
      layout: { 'text-field': ['get', 'code'], 'text-font': FONT, 'text-size': 11, 'text-max-width': 8 },
      paint: { 'text-color': '#1f2d3d', 'text-halo-color': '#ffffff', 'text-halo-width': 1.3 },
    },
    {
      id: ED_LAYERS.overlayFill,
      type: 'fill',
      source: ED_SOURCES.overlay,
      filter: ['!=', ['get', 'role'], 'history'],
      paint: { 'fill-color': pieceColor(), 'fill-opacity': 0.45 },
    },
    {
      id: ED_LAYERS.overlayLine,
      type: 'line',
      source: ED_SOURCES.overlay,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', ['==', ['get', 'role'], 'history'], EDITOR_COLORS.history, '#1f2d3d'],
        'line-width': ['case', ['==', ['get', 'role'], 'history'], 3, 1.5],
        'line-dasharray': ['literal', [2, 1.5]],
      },
    },
    {
      id: ED_LAYERS.issuesCircle,
      type: 'circle',
      source: ED_SOURCES.issues,
      paint: {
        'circle-radius': 9,
        'circle-color': ['case', ['==', ['get', 'severity'], 'error'], EDITOR_COLORS.conflict, EDITOR_COLORS.warning],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    },
    {
      id: ED_LAYERS.issuesLabel,
      type: 'symbol',
      source: ED_SOURCES.issues,
      layout: { 'text-field': ['get', 'label'], 'text-font': FONT, 'text-size': 11, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': '#ffffff' },
    },
  ];
}
