import { useLocaleStore } from '../stores/locale.ts';
import { useCameraSync } from './useCameraSync.ts';
import { useMapData } from './useMapData.ts';
import { useZonesStore } from './zones.ts';
import { useMapInstance, type MapHost } from './useMapInstance.ts';
import { useMapInteraction } from './useMapInteraction.ts';
import { useMapLabels } from './useMapLabels.ts';
import { useSelectionHighlight } from './useSelectionHighlight.ts';

/**
 * The city map every map screen shares: districts and parks from the API, labels in the
 * interface language, camera sync with the view store, selection highlight, hover and
 * click-to-select — and, last, the instance itself (`useMapInstance`), so its cleanup
 * (`map.remove`) runs after all of theirs. A screen's own map hooks go *before* this call, on
 * `host.map` from `useMapHost()`.
 */
export function useCityMap(host: MapHost): void {
  const locale = useLocaleStore((s) => s.locale);
  const zones = useZonesStore((s) => s.on);
  const { map, onError } = host;
  useMapData(map, onError, zones);
  useMapLabels(map, locale);
  useCameraSync(map);
  useSelectionHighlight(map);
  useMapInteraction(map);
  useMapInstance(host);
}
