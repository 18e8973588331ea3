import { useEffect } from 'react';
import type { LayerSpecification } from 'maplibre-gl';
import type { SitingItem } from '../../api/index.ts';
import { FONT_REGULAR } from '../../map/layers.ts';
import { GeoJSONSource, type MapMouseEvent, type MaplibreMap } from '../../map/maplibre.ts';
import { BASE_COLORS } from '../../map/palette.ts';
import { bindPointer } from '../../map/pointer.ts';
import { RESULT_COLOR } from '../invest/investLayers.ts';
import { setHoveredResult, useInvestSearchStore } from '../invest/store.ts';
import { select } from '../../stores/selection.ts';

export const RANK_SOURCE = 'siting-ranks';
export const RANK_LAYERS = { disc: 'siting-rank-disc', text: 'siting-rank-text' } as const;

function rankLayers(): LayerSpecification[] {
  const hovered = ['boolean', ['feature-state', 'result-hover'], false] as const;
  return [
    {
      id: RANK_LAYERS.disc,
      type: 'circle',
      source: RANK_SOURCE,
      paint: {
        'circle-color': ['case', hovered as never, BASE_COLORS.hover, RESULT_COLOR],
        'circle-radius': ['case', hovered as never, 12, 10],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 1.8,
        // From zoom 15 the plot's code label sits at its centre: lift the disc above it.
        'circle-translate': ['step', ['zoom'], ['literal', [0, 0]], 15, ['literal', [0, -18]]],
      },
    },
    {
      id: RANK_LAYERS.text,
      type: 'symbol',
      source: RANK_SOURCE,
      layout: { 'text-field': ['to-string', ['get', 'rank']], 'text-font': FONT_REGULAR, 'text-size': 12, 'text-allow-overlap': true, 'text-ignore-placement': true },
      paint: { 'text-color': '#ffffff', 'text-translate': ['step', ['zoom'], ['literal', [0, 0]], 15, ['literal', [0, -18]]] },
    },
  ];
}

/**
 * Numbered discs at the ranked plots' centres (the list's rank), on top of the map: hovering one
 * lights its card (the shared `result-hover`), clicking it selects the plot. Lower ranks are
 * drawn under higher ones (the best on top).
 */
export function useRankMarkers(map: MaplibreMap | null, items: readonly SitingItem[]): void {
  useEffect(() => {
    if (!map) return;
    map.addSource(RANK_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] }, promoteId: 'id' });
    for (const layer of rankLayers()) map.addLayer(layer);
    let current: number | null = null;
    const mark = (id: number | null, on: boolean) => {
      if (id !== null) map.setFeatureState({ source: RANK_SOURCE, id }, { 'result-hover': on });
    };
    const apply = (id: number | null) => {
      if (id === current) return;
      mark(current, false);
      current = id;
      mark(current, true);
    };
    const unsubscribe = useInvestSearchStore.subscribe((s) => apply(s.hoveredId));
    const pick = (e: MapMouseEvent) => map.queryRenderedFeatures(e.point, { layers: [RANK_LAYERS.disc] }).find((f) => f.id !== undefined);
    const unbind = bindPointer(map, {
      move: (e) => {
        const f = pick(e);
        if (f) setHoveredResult(Number(f.id));
      },
      click: (e) => {
        const f = pick(e);
        // After the city map's own click handler (which would pick the park underneath).
        if (f) setTimeout(() => select({ kind: 'plot', id: Number(f.id) }), 0);
      },
    });
    return () => {
      unsubscribe();
      unbind();
      if (!map.style) return;
      for (const id of Object.values(RANK_LAYERS)) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(RANK_SOURCE)) map.removeSource(RANK_SOURCE);
    };
  }, [map]);

  useEffect(() => {
    const source = map?.getSource(RANK_SOURCE);
    if (!(source instanceof GeoJSONSource)) return;
    void source.setData({
      type: 'FeatureCollection',
      // Best last, so it is drawn on top.
      features: [...items].reverse().map((i) => ({ type: 'Feature', id: i.plotId, geometry: { type: 'Point', coordinates: i.centroid }, properties: { id: i.plotId, code: i.plotCode, rank: i.rank } })),
    });
  }, [map, items]);
}
