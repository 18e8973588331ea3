import { useEffect } from 'react';
import { sitingApi, type HubCollection, type HubFeature } from '../api/index.ts';
import { useLocaleStore } from '../stores/locale.ts';
import { HUB_LAYERS, HUBS_SOURCE, hubLabelField, hubLayers, hubsSource } from './hubsLayer.ts';
import { GeoJSONSource, type MapMouseEvent, type MaplibreMap } from './maplibre.ts';
import { bindPointer } from './pointer.ts';

// One request per page load, shared by every map (the hubs are reference data).
let cached: Promise<HubCollection> | null = null;
function loadHubs(): Promise<HubCollection> {
  cached ??= sitingApi.hubs().catch((e: unknown) => {
    cached = null;
    throw e;
  });
  return cached;
}

/**
 * The hubs layer (`GET /api/hubs`) on `map`: added once (on top, below nothing the screen adds
 * later), shown or hidden with `visible`, labels in the interface language; a click on a hub
 * hands it to `onPick` (null: a click elsewhere). Removed on unmount.
 */
export function useHubsLayer(map: MaplibreMap | null, visible: boolean, onPick?: (hub: HubFeature | null) => void): void {
  const locale = useLocaleStore((s) => s.locale);

  useEffect(() => {
    if (!map) return;
    const ctrl = new AbortController();
    map.addSource(HUBS_SOURCE, hubsSource());
    for (const layer of hubLayers(useLocaleStore.getState().locale, false)) map.addLayer(layer);
    loadHubs().then(
      (hubs) => {
        const source = map.getSource(HUBS_SOURCE);
        if (!ctrl.signal.aborted && source instanceof GeoJSONSource) void source.setData(hubs as unknown as GeoJSON.FeatureCollection);
      },
      () => {
        // The hubs are context: the map works without them.
      },
    );
    return () => {
      ctrl.abort();
      if (!map.style) return;
      for (const id of Object.values(HUB_LAYERS)) if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(HUBS_SOURCE)) map.removeSource(HUBS_SOURCE);
    };
  }, [map]);

  useEffect(() => {
    if (!map || !map.getLayer(HUB_LAYERS.dot)) return;
    for (const id of Object.values(HUB_LAYERS)) map.setLayoutProperty(id, 'visibility', visible ? 'visible' : 'none');
  }, [map, visible]);

  useEffect(() => {
    if (!map || !map.getLayer(HUB_LAYERS.label)) return;
    map.setLayoutProperty(HUB_LAYERS.label, 'text-field', hubLabelField(locale));
  }, [map, locale]);

  useEffect(() => {
    if (!map || !visible) return;
    let hovered: number | null = null;
    const setHover = (id: number | null) => {
      if (id === hovered) return;
      if (hovered !== null) map.setFeatureState({ source: HUBS_SOURCE, id: hovered }, { hover: false });
      hovered = id;
      if (hovered !== null) map.setFeatureState({ source: HUBS_SOURCE, id: hovered }, { hover: true });
    };
    const pick = (e: MapMouseEvent) => map.queryRenderedFeatures(e.point, { layers: [HUB_LAYERS.dot] }).find((f) => f.id !== undefined);
    const unbind = bindPointer(map, {
      move: (e) => setHover(pick(e) ? Number(pick(e)!.id) : null),
      out: () => setHover(null),
      click: (e) => {
        const f = pick(e);
        onPick?.(f ? ({ type: 'Feature', id: Number(f.id), geometry: f.geometry, properties: f.properties } as unknown as HubFeature) : null);
      },
    });
    return () => {
      unbind();
      if (map.style) setHover(null);
    };
  }, [map, visible, onPick]);
}
