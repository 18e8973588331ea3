import { useEffect, type RefObject } from 'react';
import { GUANGZHOU_BBOX } from '../../shared/domain.ts';
import { plotTilesUrl } from '../api.ts';
import { useLocaleStore } from '../stores/locale.ts';
import { useViewStore } from '../stores/view.ts';
import { offlineStyle } from './layers.ts';
import { MaplibreMap } from './maplibre.ts';
import { styleImages } from './patterns.ts';

/**
 * Creates the maplibre map in `container` once, hands it to `onReady` when its style has loaded,
 * and removes it on unmount. Call it after the hooks that use the map, so their cleanups run
 * while the map still exists (React runs cleanups in declaration order).
 */
export function useMapInstance(
  container: RefObject<HTMLDivElement | null>,
  onReady: (map: MaplibreMap | null) => void,
  onError: (message: string) => void,
): void {
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const camera = useViewStore.getState().camera;
    let map: MaplibreMap;
    try {
      map = new MaplibreMap({
        container: el,
        style: offlineStyle(useLocaleStore.getState().locale, plotTilesUrl()),
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
    window.__map = map;

    const onLoad = () => {
      for (const p of styleImages()) {
        if (!map.hasImage(p.id)) map.addImage(p.id, p.image, { pixelRatio: p.pixelRatio, sdf: p.sdf ?? false });
      }
      onReady(map);
    };
    map.once('load', onLoad);
    return () => {
      map.off('load', onLoad);
      onReady(null);
      if (window.__map === map) delete window.__map;
      map.remove();
    };
    // Created once per mount; later camera/locale changes go through their own hooks.
  }, [container, onReady, onError]);
}
