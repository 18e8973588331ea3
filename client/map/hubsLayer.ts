/**
 * The hubs layer as typed data (issue #16): airports, ports, rail and metro stations and the
 * plan's innovation anchors from `GET /api/hubs`, a dot coloured by kind with its name beside it.
 * Hubs are indicative locations (± about 1 km): the legend and the picked hub's card say so.
 * Labels use the browser's local fonts like every label of the offline style (no glyphs URL).
 */
import type { DataDrivenPropertyValueSpecification, ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl';
import { HUB_KINDS, type HubKind } from '../../shared/contract/siting.ts';
import type { Locale } from '../i18n/index.ts';
import { FONT_REGULAR } from './layers.ts';
import { BASE_COLORS } from './palette.ts';

export const HUBS_SOURCE = 'hubs';

export const HUB_LAYERS = {
  dot: 'hubs-dot',
  label: 'hubs-label',
} as const;

/** One colour per kind, apart from the sector and status colours of parks and plots. */
export const HUB_COLORS = {
  airport: '#d9480f',
  port: '#1864ab',
  rail: '#343a40',
  metro: '#5c940d',
  anchor: '#a61e4d',
} as const satisfies Record<HubKind, string>;

function kindColor(): ExpressionSpecification {
  return ['match', ['get', 'kind'], ...HUB_KINDS.flatMap((k) => [k, HUB_COLORS[k]]), '#555555'] as unknown as ExpressionSpecification;
}

export function hubLabelField(locale: Locale): DataDrivenPropertyValueSpecification<string> {
  return ['get', locale === 'en' ? 'nameEn' : 'nameZh'];
}

export function hubsSource(): SourceSpecification {
  return { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' };
}

/** Metro stations only from zoom 11 (there are many); the rest at every zoom. */
export function hubLayers(locale: Locale, visible: boolean): LayerSpecification[] {
  const visibility = visible ? 'visible' : 'none';
  const hover: ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];
  return [
    {
      id: HUB_LAYERS.dot,
      type: 'circle',
      source: HUBS_SOURCE,
      filter: ['any', ['!=', ['get', 'kind'], 'metro'], ['>=', ['zoom'], 11]],
      layout: { visibility },
      paint: {
        'circle-color': kindColor(),
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['case', ['==', ['get', 'kind'], 'metro'], 3.5, 5.5], 13, 8],
        'circle-stroke-color': ['case', hover, BASE_COLORS.hover, '#ffffff'],
        'circle-stroke-width': ['case', hover, 2.5, 1.8],
      },
    },
    {
      id: HUB_LAYERS.label,
      type: 'symbol',
      source: HUBS_SOURCE,
      filter: ['any', ['!=', ['get', 'kind'], 'metro'], ['>=', ['zoom'], 12]],
      layout: {
        visibility,
        'text-field': hubLabelField(locale),
        'text-font': FONT_REGULAR,
        'text-size': ['interpolate', ['linear'], ['zoom'], 8, 11, 13, 13],
        'text-variable-anchor': ['left', 'right', 'top', 'bottom'],
        'text-radial-offset': 0.8,
        'text-justify': 'auto',
        'text-max-width': 8,
        'text-optional': true,
      },
      paint: {
        'text-color': kindColor(),
        'text-halo-color': BASE_COLORS.labelHalo,
        'text-halo-width': 1.6,
      },
    },
  ];
}
