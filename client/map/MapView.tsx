/**
 * The maplibre map, filling its parent. All map calls live in the `use*` hooks of this folder,
 * each an effect with symmetric cleanup, gathered in `useCityMap` (which creates the instance
 * last, so it outlives their cleanups). The hubs layer is there to switch on (off at first), and
 * so are the generated zones of the scale dataset (client/map/zones.ts).
 */
import { useState } from 'react';
import type { HubFeature } from '../api/index.ts';
import { useT } from '../i18n/useT.ts';
import { HubsControl } from './HubsControl.tsx';
import { MapCanvas } from './MapCanvas.tsx';
import { useCityMap } from './useCityMap.ts';
import { useHubsLayer } from './useHubsLayer.ts';
import { useMapHost } from './useMapInstance.ts';
import { ZonesControl } from './ZonesControl.tsx';

export default function MapView() {
  const { t } = useT();
  const host = useMapHost();
  const [hubsOn, setHubsOn] = useState(false);
  const [hub, setHub] = useState<HubFeature | null>(null);
  useHubsLayer(host.map, hubsOn, setHub);
  useCityMap(host);
  return (
    <div className="map-view">
      <MapCanvas host={host} label={t('map.label')} />
      {host.map && (
        <HubsControl on={hubsOn} onChange={setHubsOn} picked={hub} onClosePicked={() => setHub(null)}>
          <ZonesControl />
        </HubsControl>
      )}
    </div>
  );
}
