/**
 * The one place maplibre-gl is imported for its runtime. Vite can't find maplibre 6's worker
 * on its own (the map never loads: "Worker failed to load"), so point it at the worker file
 * Vite emits (../shared/STACK-NOTES.md).
 */
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import 'maplibre-gl/dist/maplibre-gl.css';

setWorkerUrl(workerUrl);

export { Map as MaplibreMap, GeoJSONSource, ScaleControl, AttributionControl } from 'maplibre-gl';
export type { FeatureIdentifier, MapGeoJSONFeature, MapMouseEvent } from 'maplibre-gl';

declare global {
  interface Window {
    /**
     * The live map, for browser tests (`window.__map.queryRenderedFeatures(...)`) and for
     * poking at from the devtools console. Harmless: it exposes nothing the page doesn't have.
     */
    __map?: import('maplibre-gl').Map;
  }
}
