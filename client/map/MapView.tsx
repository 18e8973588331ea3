/**
 * The maplibre map, filling its parent. All map calls live in the `use*` hooks of this folder,
 * each an effect with symmetric cleanup, gathered in `useCityMap` (which creates the instance
 * last, so it outlives their cleanups).
 */
import { useT } from '../i18n/useT.ts';
import { MapCanvas } from './MapCanvas.tsx';
import { useCityMap } from './useCityMap.ts';
import { useMapHost } from './useMapInstance.ts';

export default function MapView() {
  const { t } = useT();
  const host = useMapHost();
  useCityMap(host);
  return (
    <div className="map-view">
      <MapCanvas host={host} label={t('map.label')} />
    </div>
  );
}
