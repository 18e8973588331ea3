/**
 * The map's sources and layers as typed data. No maplibre calls here: the map
 * component adds these, and the legend reads the same palette.
 *
 * Colour changes for hover and selection go through feature-state (GeoJSON sources by `promoteId: 'id'`, the plot tiles by their MVT feature id), so no
 * geometry is re-sent to repaint.
 */
import type {
  DataDrivenPropertyValueSpecification,
  ExpressionSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import { PLOT_MIN_ZOOM, PLOT_STATUSES, SECTORS } from '../../shared/domain.ts';
import type { Locale } from '../i18n/index.ts';
import { BASE_COLORS, SECTOR_COLORS, STATUS_COLORS } from './palette.ts';

export const SOURCES = {
  districts: 'districts',
  districtLabels: 'district-labels',
  parks: 'parks',
  parkLabels: 'park-labels',
  plots: 'plots',
} as const;

/** The source-layer inside the plot vector tiles. */
export const PLOTS_SOURCE_LAYER = 'plots';
/** One point per plot for its code (server/modules/tiles/service.ts LABEL_LAYER), from zoom 15. */
export const PLOT_LABELS_SOURCE_LAYER = 'plot_labels';
/** The plot tiles exist from PLOT_MIN_ZOOM to this zoom; maplibre overzooms beyond. */
export const PLOT_TILES_MAX_ZOOM = 16;

export const LAYERS = {
  background: 'background',
  districtsFill: 'districts-fill',
  districtsLine: 'districts-line',
  parksFill: 'parks-fill',
  parksHatch: 'parks-hatch',
  plotsFill: 'plots-fill',
  plotsLine: 'plots-line',
  parksLine: 'parks-line',
  parksHighlight: 'parks-highlight',
  parksMarker: 'parks-marker',
  plotLabels: 'plot-labels',
  districtLabels: 'district-labels',
  parkLabels: 'park-labels',
} as const;

/** Layers a click or hover can pick, topmost first (a park marker stands for its park). */
export const INTERACTIVE_LAYERS = [LAYERS.parksMarker, LAYERS.plotsFill, LAYERS.parksFill] as const;

/** Below this zoom a park is only a few pixels wide, so a marker shows where it is. */
export const PARK_MARKER_MAX_ZOOM = 10.5;

/** Images the style uses, drawn in memory by patterns.ts (there is no sprite to fetch). */
export const hatchImageId = (sector: string) => `hatch-${sector}`;
/** The park marker: an SDF disc, so colour, ring and selection come from paint properties. */
export const PARK_DOT_IMAGE = 'park-dot';

/**
 * Font stack for labels. The style has no `glyphs` URL, so maplibre draws every label with the
 * browser's local fonts (no request leaves the machine); the first name's weight is sniffed.
 */
export const FONT_REGULAR = ['PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'sans-serif'];
const FONT_BOLD = ['Noto Sans CJK SC Bold', 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', 'sans-serif'];

const hover: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false];

/**
 * The plots' fill opacity: `rest` for a plot neither selected nor hovered. Screens that step the
 * plots back (search results, import preview) set it through this, so the property stays a
 * feature-state expression: swapping it for a constant while tiles carry feature state makes
 * maplibre throw "this.expression.evaluate is not a function" on the next state change.
 */
export function plotsFillOpacity(rest = 0.75): ExpressionSpecification {
  return ['case', selected, 0.95, hover, 0.9, rest];
}

function sectorColor(prop: string): ExpressionSpecification {
  const pairs = SECTORS.flatMap((s) => [s, SECTOR_COLORS[s]]);
  return ['match', ['get', prop], ...pairs, '#8a94a3'] as unknown as ExpressionSpecification;
}

function statusColor(): ExpressionSpecification {
  const pairs = PLOT_STATUSES.flatMap((s) => [s, STATUS_COLORS[s]]);
  return ['match', ['get', 'status'], ...pairs, '#999999'] as unknown as ExpressionSpecification;
}

/** Label text: short names while zoomed out (they'd collide), full names closer in. */
export function parkLabelField(locale: Locale): DataDrivenPropertyValueSpecification<string> {
  const [short, full] = locale === 'en' ? ['shortEn', 'nameEn'] : ['shortZh', 'nameZh'];
  return ['step', ['zoom'], ['get', short], 11.5, ['get', full]];
}

export function districtLabelField(locale: Locale): DataDrivenPropertyValueSpecification<string> {
  return ['get', locale === 'en' ? 'nameEn' : 'nameZh'];
}

const emptyCollection = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

export function sources(plotTilesUrl: string): Record<string, SourceSpecification> {
  return {
    [SOURCES.districts]: { type: 'geojson', data: emptyCollection(), promoteId: 'code' },
    [SOURCES.districtLabels]: { type: 'geojson', data: emptyCollection() },
    [SOURCES.parks]: { type: 'geojson', data: emptyCollection(), promoteId: 'id' },
    [SOURCES.parkLabels]: { type: 'geojson', data: emptyCollection(), promoteId: 'id' },
    [SOURCES.plots]: {
      type: 'vector',
      tiles: [plotTilesUrl],
      minzoom: PLOT_MIN_ZOOM,
      maxzoom: PLOT_TILES_MAX_ZOOM,
      // The tiles carry the plot id as the MVT feature id (not as a property): feature-state and picking use it.
    },
  };
}

export function layers(locale: Locale): LayerSpecification[] {
  return [
    { id: LAYERS.background, type: 'background', paint: { 'background-color': BASE_COLORS.background } },
    {
      id: LAYERS.districtsFill,
      type: 'fill',
      source: SOURCES.districts,
      paint: { 'fill-color': BASE_COLORS.districtFill, 'fill-opacity': 1 },
    },
    {
      id: LAYERS.districtsLine,
      type: 'line',
      source: SOURCES.districts,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': BASE_COLORS.districtLine,
        'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.8, 12, 1.6],
      },
    },
    {
      // Every park, coloured by its first sector. Fades as plots take over at higher zooms.
      id: LAYERS.parksFill,
      type: 'fill',
      source: SOURCES.parks,
      paint: {
        'fill-color': sectorColor('sector1'),
        'fill-opacity': [
          'interpolate', ['linear'], ['zoom'],
          9, ['case', selected, 0.85, hover, 0.8, 0.6],
          PLOT_MIN_ZOOM, ['case', selected, 0.4, hover, 0.35, 0.25],
          13, ['case', selected, 0.18, hover, 0.16, 0.1],
        ],
      },
    },
    {
      // Parks with a second sector get stripes in its colour over the first (e.g. P12 ngit+ai).
      id: LAYERS.parksHatch,
      type: 'fill',
      source: SOURCES.parks,
      filter: ['has', 'sector2'],
      paint: {
        'fill-pattern': ['concat', hatchImageId(''), ['get', 'sector2']],
        'fill-opacity': ['interpolate', ['linear'], ['zoom'], 9, 0.9, PLOT_MIN_ZOOM, 0.5, 13, 0.2],
      },
    },
    {
      id: LAYERS.plotsFill,
      type: 'fill',
      source: SOURCES.plots,
      'source-layer': PLOTS_SOURCE_LAYER,
      minzoom: PLOT_MIN_ZOOM,
      paint: {
        'fill-color': statusColor(),
        'fill-opacity': plotsFillOpacity(),
      },
    },
    {
      id: LAYERS.plotsLine,
      type: 'line',
      source: SOURCES.plots,
      'source-layer': PLOTS_SOURCE_LAYER,
      minzoom: PLOT_MIN_ZOOM,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', selected, BASE_COLORS.selected, hover, BASE_COLORS.hover, BASE_COLORS.plotLine],
        'line-width': [
          'interpolate', ['linear'], ['zoom'],
          PLOT_MIN_ZOOM, ['case', selected, 2.5, hover, 1.5, 0.3],
          15, ['case', selected, 3.5, hover, 2.5, 1.2],
        ],
      },
    },
    {
      // Indicative boundaries are dashed, surveyed ones solid: the map says what it knows.
      id: LAYERS.parksLine,
      type: 'line',
      source: SOURCES.parks,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': sectorColor('sector1'),
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1, 13, 2.2],
        'line-dasharray': ['case', ['==', ['get', 'boundarySource'], 'indicative'], ['literal', [3, 2]], ['literal', [1, 0]]],
      },
    },
    {
      id: LAYERS.parksHighlight,
      type: 'line',
      source: SOURCES.parks,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', selected, BASE_COLORS.selected, BASE_COLORS.hover],
        'line-width': ['interpolate', ['linear'], ['zoom'], 9, 2, 13, 3.5],
        'line-opacity': ['case', selected, 1, hover, 0.7, 0],
      },
    },
    {
      id: LAYERS.plotLabels,
      type: 'symbol',
      source: SOURCES.plots,
      'source-layer': PLOT_LABELS_SOURCE_LAYER,
      minzoom: 15,
      layout: {
        'text-field': ['get', 'code'],
        'text-font': FONT_REGULAR,
        'text-size': 11,
        'text-max-width': 8,
      },
      paint: { 'text-color': '#233040', 'text-halo-color': BASE_COLORS.labelHalo, 'text-halo-width': 1.2 },
    },
    {
      id: LAYERS.districtLabels,
      type: 'symbol',
      source: SOURCES.districtLabels,
      maxzoom: 13,
      layout: {
        'text-field': districtLabelField(locale),
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 12, 12, 16],
        'text-letter-spacing': 0.15,
        'text-max-width': 8,
        'text-padding': 4,
      },
      paint: {
        'text-color': BASE_COLORS.districtLabel,
        'text-halo-color': BASE_COLORS.labelHalo,
        'text-halo-width': 1.5,
      },
    },
    {
      id: LAYERS.parkLabels,
      type: 'symbol',
      source: SOURCES.parkLabels,
      layout: {
        'text-field': parkLabelField(locale),
        'text-font': FONT_BOLD,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 12, 14],
        'text-max-width': 9,
        'text-variable-anchor': ['left', 'right', 'top', 'bottom', 'top-left', 'bottom-left', 'top-right', 'bottom-right'],
        'text-radial-offset': 0.9,
        'text-justify': 'auto',
        'text-padding': 2,
        'symbol-sort-key': ['get', 'rank'],
      },
      paint: {
        'text-color': BASE_COLORS.parkLabel,
        'text-halo-color': BASE_COLORS.labelHalo,
        'text-halo-width': 1.6,
      },
    },
    {
      // Where each park is while parks are too small to see: a dot in the first sector's colour,
      // ringed in the second sector's (white for one-sector parks). A symbol (not a circle) so
      // labels are placed around the dots instead of over them; it sits on top, placed first.
      id: LAYERS.parksMarker,
      type: 'symbol',
      source: SOURCES.parkLabels,
      maxzoom: PARK_MARKER_MAX_ZOOM,
      layout: {
        'icon-image': PARK_DOT_IMAGE,
        'icon-size': ['interpolate', ['linear'], ['zoom'], 7, 0.8, 10, 1],
        'icon-allow-overlap': true,
        'icon-padding': 1,
      },
      paint: {
        'icon-color': sectorColor('sector1'),
        'icon-halo-color': ['case', selected, BASE_COLORS.selected, hover, BASE_COLORS.hover, ['has', 'sector2'], sectorColor('sector2'), '#ffffff'],
        'icon-halo-width': ['case', selected, 3, hover, 2.5, ['has', 'sector2'], 2.5, 1.5],
        'icon-opacity': ['interpolate', ['linear'], ['zoom'], 9.5, 1, PARK_MARKER_MAX_ZOOM, 0],
      },
    },
  ];
}

/** The whole offline style: no glyphs, sprite or tile URL outside our own origin. */
export function offlineStyle(locale: Locale, plotTilesUrl: string): StyleSpecification {
  return {
    version: 8,
    name: 'iab-park-land-offline',
    sources: sources(plotTilesUrl),
    layers: layers(locale),
  };
}
