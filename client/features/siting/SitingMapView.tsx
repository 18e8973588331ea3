/**
 * The siting map: the city map with the ranked plots (the investor search's result layer: their
 * shapes on the tiles and a dot each), a numbered disc per rank, two-way hover with the list, and
 * the hubs layer — on by default here, since distances to hubs are part of the ranking.
 */
import { useMemo, useState } from 'react';
import type { HubFeature, SitingItem } from '../../api/index.ts';
import { useT } from '../../i18n/useT.ts';
import { HubsControl } from '../../map/HubsControl.tsx';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import { useCityMap } from '../../map/useCityMap.ts';
import { useHubsLayer } from '../../map/useHubsLayer.ts';
import { useMapHost } from '../../map/useMapInstance.ts';
import { useResultHover } from '../../map/useResultHover.ts';
import { useResultLayers, useResultsData } from '../../map/useResultsLayer.ts';
import { useRankMarkers } from './useRankMarkers.ts';

export default function SitingMapView({ items }: { items: readonly SitingItem[] }) {
  const { t } = useT();
  const host = useMapHost();
  const [hubsOn, setHubsOn] = useState(true);
  const [hub, setHub] = useState<HubFeature | null>(null);
  const points = useMemo(() => items.map((i) => ({ id: i.plotId, code: i.plotCode, centroid: i.centroid })), [items]);
  useResultLayers(host.map);
  useResultsData(host.map, points);
  useResultHover(host.map);
  useHubsLayer(host.map, hubsOn, setHub);
  useRankMarkers(host.map, items);
  useCityMap(host);
  return (
    <div className="map-view">
      <MapCanvas host={host} label={t('siting.map')} testId="siting-map" />
      {host.map && <HubsControl on={hubsOn} onChange={setHubsOn} picked={hub} onClosePicked={() => setHub(null)} />}
    </div>
  );
}
