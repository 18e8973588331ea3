import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { GUANGZHOU_BBOX } from '../../shared/domain.ts';
import { plotTilesUrl } from '../api/index.ts';
import { useLocaleStore } from '../stores/locale.ts';
import { useViewStore } from '../stores/view.ts';
import type { BasemapInfo } from '../api/index.ts';
import { basemapInfo, initialBase, loadBasemap, showBase, withBasemap } from './basemap.ts';
import { offlineStyle } from './layers.ts';
import { AttributionControl, MaplibreMap } from './maplibre.ts';
import { styleImages } from './patterns.ts';

/** What a map view keeps: the element the map goes in, the map once its style has loaded, a load error. */
export interface MapHost {
  container: RefObject<HTMLDivElement | null>;
  map: MaplibreMap | null;
  setMap: (map: MaplibreMap | null) => void;
  error: string | null;
  onError: (message: string) => void;
  /** The base map the server configured (null until the map exists, or without one). */
  basemap: BasemapInfo | null;
  setBasemap: (info: BasemapInfo | null) => void;
}

/** The state of one map view, for `useMapInstance` (which creates the map) and `<MapCanvas>` (which shows it). */
export function useMapHost(): MapHost {
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [basemap, setBasemap] = useState<BasemapInfo | null>(null);
  const onError = useCallback((message: string) => setError(message), []);
  return { container, map, setMap, error, onError, basemap, setBasemap };
}

/**
 * Creates the maplibre map in `host.container` once — after asking the server for the base map
 * (./basemap.ts), under the app's own style — with its images and (over a base) the base's
 * attribution; sets
 * `window.__map`, hands the map to `host.setMap` when its style has loaded, and removes it on
 * unmount. Call it after the hooks that use the map, so their cleanups run while the map still
 * exists (React runs cleanups in declaration order).
 */
export function useMapInstance({ container, setMap: onReady, onError, setBasemap }: MapHost): void {
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    let cleanup: (() => void) | undefined;
    let cancelled = false;
    void loadBasemap().then((base) => {
      if (!cancelled) cleanup = createMap(el, base, onReady, onError, setBasemap);
    });
    return () => {
      cancelled = true;
      cleanup?.();
    };
    // Created once per mount; later camera/locale changes go through their own hooks.
  }, [container, onReady, onError, setBasemap]);
}

function createMap(
  el: HTMLDivElement,
  base: Awaited<ReturnType<typeof loadBasemap>>,
  onReady: (map: MaplibreMap | null) => void,
  onError: (message: string) => void,
  setBasemap: (info: BasemapInfo | null) => void,
): (() => void) | undefined {
  const camera = useViewStore.getState().camera;
  const info = basemapInfo(base);
  let map: MaplibreMap;
  try {
    map = new MaplibreMap({
      container: el,
      style: withBasemap(offlineStyle(useLocaleStore.getState().locale, plotTilesUrl()), base),
      ...(camera
        ? { center: [camera.lng, camera.lat], zoom: camera.zoom }
        : { bounds: GUANGZHOU_BBOX, fitBoundsOptions: { padding: 24 } }),
      minZoom: 7,
      maxZoom: 19,
      maxBounds: [
        [GUANGZHOU_BBOX[0] - 1.5, GUANGZHOU_BBOX[1] - 1],
        [GUANGZHOU_BBOX[2] + 1.5, GUANGZHOU_BBOX[3] + 1],
      ],
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      cooperativeGestures: false,
    });
  } catch (e) {
    onError(e instanceof Error ? e.message : String(e));
    return;
  }
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  if (info?.attribution) map.addControl(new AttributionControl({ compact: true, customAttribution: info.attribution }), 'bottom-right');
  window.__map = map;

  const onLoad = () => {
    for (const p of styleImages()) {
      if (!map.hasImage(p.id)) map.addImage(p.id, p.image, { pixelRatio: p.pixelRatio, sdf: p.sdf ?? false });
    }
    if (info) showBase(map, info, initialBase(info));
    setBasemap(info);
    onReady(map);
  };
  map.once('load', onLoad);
  return () => {
    map.off('load', onLoad);
    onReady(null);
    setBasemap(null);
    if (window.__map === map) delete window.__map;
    map.remove();
  };
}
