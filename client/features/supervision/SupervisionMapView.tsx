/**
 * The supervision map: the shared city map (`useCityMap`: districts, parks, the plot tiles,
 * labels, camera sync, click-to-select) with the supervision layer on its plots — the same
 * tiles, coloured by idle stage, 亩均 grade or status through feature-state joined by plot id.
 * Its own chunk, so the list and panel show while maplibre loads.
 */
import { useT } from '../../i18n/useT.ts';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import { useCityMap } from '../../map/useCityMap.ts';
import { useMapHost } from '../../map/useMapInstance.ts';
import type { LayerMode } from './supervisionLayer.ts';
import { useSupervisionLayer } from './useSupervisionLayer.ts';

export default function SupervisionMapView({
  mode,
  stages,
  grades,
}: {
  mode: LayerMode;
  stages: ReadonlyMap<number, string> | null;
  grades: ReadonlyMap<number, string> | null;
}) {
  const { t } = useT();
  const host = useMapHost();
  useSupervisionLayer(host.map, mode, stages, grades);
  useCityMap(host);
  return (
    <div className="map-view">
      <MapCanvas host={host} label={t('sv.mapLabel')} testId="supervision-map" />
    </div>
  );
}
