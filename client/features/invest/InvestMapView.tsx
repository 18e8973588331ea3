/**
 * The map of the investor search: the shared city map (`useCityMap`: districts, parks, plot
 * tiles, labels, camera sync, selection) plus the result layers, two-way hover with the list, and
 * the viewport the list follows. Map calls live in the `use*` hooks, each with symmetric cleanup;
 * the instance is created last (in `useCityMap`) so it outlives their cleanups.
 */
import { useState } from 'react';
import type { HubFeature, SearchItem } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { HubsControl } from '../../map/HubsControl.tsx';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import { useCityMap } from '../../map/useCityMap.ts';
import { useHubsLayer } from '../../map/useHubsLayer.ts';
import { useMapHost } from '../../map/useMapInstance.ts';
import { useResultHover } from '../../map/useResultHover.ts';
import { useResultLayers, useResultsData } from '../../map/useResultsLayer.ts';
import { useViewportBbox } from '../../map/useViewportBbox.ts';

export default function InvestMapView({ items }: { items: readonly SearchItem[] }) {
  const { t } = useT();
  const host = useMapHost();
  const [hubsOn, setHubsOn] = useState(false);
  const [hub, setHub] = useState<HubFeature | null>(null);
  useResultLayers(host.map);
  useResultsData(host.map, items);
  useResultHover(host.map);
  useViewportBbox(host.map);
  useHubsLayer(host.map, hubsOn, setHub);
  useCityMap(host);
  return (
    <div className="map-view">
      <MapCanvas host={host} label={t('map.label')} testId="invest-map" />
      {host.map && <HubsControl on={hubsOn} onChange={setHubsOn} picked={hub} onClosePicked={() => setHub(null)} />}
    </div>
  );
}
