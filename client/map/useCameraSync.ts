import { useEffect } from 'react';
import { cameraMovedByMap, useViewStore, type Camera, type FitRequest } from '../stores/view.ts';
import type { MaplibreMap } from './maplibre.ts';

/**
 * Two-way camera sync without echo: the map reports its moves as `origin: 'map'`; only
 * `origin: 'app'` changes (URL restore, buttons) are applied to the map.
 */
export function useCameraSync(map: MaplibreMap | null): void {
  useEffect(() => {
    if (!map) return;
    const report = () => {
      const c = map.getCenter();
      cameraMovedByMap({ lng: c.lng, lat: c.lat, zoom: map.getZoom() });
    };
    const jump = (camera: Camera) => map.jumpTo({ center: [camera.lng, camera.lat], zoom: camera.zoom });
    const fit = (f: FitRequest) =>
      map.fitBounds(f.bbox, { padding: fitPadding(map), maxZoom: f.maxZoom ?? 16, duration: 700 });

    map.on('moveend', report);
    // The app may have asked for a camera (from the URL) before the map had loaded.
    const initial = useViewStore.getState();
    if (initial.origin === 'app' && initial.camera) jump(initial.camera);
    else report();
    if (initial.fit) fit(initial.fit);

    const unsubscribe = useViewStore.subscribe((s, prev) => {
      if (s.camera !== prev.camera && s.origin === 'app' && s.camera) jump(s.camera);
      if (s.fit !== prev.fit && s.fit) fit(s.fit);
    });
    return () => {
      unsubscribe();
      map.off('moveend', report);
    };
  }, [map]);
}

/** Leave room for the side panel (right on wide screens, bottom sheet on narrow ones). */
export function fitPadding(map: MaplibreMap): { top: number; right: number; bottom: number; left: number } {
  const { clientWidth: w, clientHeight: h } = map.getContainer();
  if (w <= 640) return { top: 40, right: 24, bottom: Math.round(h * 0.5), left: 24 };
  return { top: 48, right: Math.min(420, w * 0.4), bottom: 48, left: 48 };
}
