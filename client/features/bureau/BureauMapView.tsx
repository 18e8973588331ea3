/**
 * The bureau's map: the shared city map (districts, parks, plot tiles coloured by status,
 * labels, camera sync, click-to-select with feature-state highlight — `useCityMap`) plus
 * one concern of its own: after a write that changed a plot's status (an approval, a
 * cancellation) the plot tiles are fetched again, so the plot takes its new colour without a
 * reload. The tiles answer `no-cache` with an ETag that follows the plots' row versions, so the
 * refetch is a cheap revalidation for every tile but the changed ones.
 */
import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/useT.ts';
import { SOURCES } from '../../map/layers.ts';
import { STATUS_COLORS } from '../../map/palette.ts';
import { PLOT_MIN_ZOOM, LIVE_PLOT_STATUSES } from '../../../shared/domain.ts';
import { useViewStore } from '../../stores/view.ts';
import { MapCanvas } from '../../map/MapCanvas.tsx';
import type { MaplibreMap } from '../../map/maplibre.ts';
import { useCityMap } from '../../map/useCityMap.ts';
import { useMapHost } from '../../map/useMapInstance.ts';
import { useBureauStore } from './store.ts';

/** Reloads the plot tiles whenever `tilesVersion` moves on (not on mount). */
function usePlotTilesRefresh(map: MaplibreMap | null, tilesVersion: number): void {
  const seen = useRef(tilesVersion);
  useEffect(() => {
    if (!map || seen.current === tilesVersion) return;
    seen.current = tilesVersion;
    if (map.getSource(SOURCES.plots)) map.refreshTiles(SOURCES.plots);
  }, [map, tilesVersion]);
}

export default function BureauMapView() {
  const { t } = useT();
  const host = useMapHost();
  const tilesVersion = useBureauStore((s) => s.tilesVersion);
  usePlotTilesRefresh(host.map, tilesVersion);
  useCityMap(host);
  return (
    <div className="map-view">
      <MapCanvas host={host} label={t('allocations.map.label')} testId="bureau-map" />
      <StatusKey />
    </div>
  );
}

/** What the plot colours mean — all the bureau needs to pick a plot (the main map has the full legend). */
function StatusKey() {
  const { t } = useT();
  const zoom = useViewStore((s) => s.zoom);
  return (
    <div className="bu-map-key map-key" role="note" aria-label={t('legend.plots')}>
      {zoom < PLOT_MIN_ZOOM ? (
        <span>{t('allocations.map.zoomHint')}</span>
      ) : (
        LIVE_PLOT_STATUSES.map((s) => (
          <span key={s} className="bu-map-key-item">
            <span className="bu-swatch" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
            {t(`status.${s}`)}
          </span>
        ))
      )}
    </div>
  );
}
