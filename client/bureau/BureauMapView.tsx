/**
 * The bureau's map: the shared offline map (districts, parks, plot tiles coloured by status,
 * labels, camera sync, click-to-select with feature-state highlight — the hooks of ../map) plus
 * one concern of its own: after a write that changed a plot's status (an approval, a
 * cancellation) the plot tiles are fetched again, so the plot takes its new colour without a
 * reload. The tiles answer `no-cache` with an ETag that follows the plots' row versions, so the
 * refetch is a cheap revalidation for every tile but the changed ones.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { SOURCES } from '../map/layers.ts';
import { STATUS_COLORS } from '../map/palette.ts';
import { PLOT_MIN_ZOOM, PLOT_STATUSES } from '../../shared/domain.ts';
import { useViewStore } from '../stores/view.ts';
import { MapControls } from '../map/MapControls.tsx';
import type { MaplibreMap } from '../map/maplibre.ts';
import { useCameraSync } from '../map/useCameraSync.ts';
import { useMapData } from '../map/useMapData.ts';
import { useMapInstance } from '../map/useMapInstance.ts';
import { useMapInteraction } from '../map/useMapInteraction.ts';
import { useMapLabels } from '../map/useMapLabels.ts';
import { useSelectionHighlight } from '../map/useSelectionHighlight.ts';
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
  const { t, locale } = useT();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onError = useCallback((message: string) => setError(message), []);
  const tilesVersion = useBureauStore((s) => s.tilesVersion);

  useMapData(map, onError);
  useMapLabels(map, locale);
  usePlotTilesRefresh(map, tilesVersion);
  useCameraSync(map);
  useSelectionHighlight(map);
  useMapInteraction(map);
  useMapInstance(container, setMap, onError);

  return (
    <div className="map-view">
      <div ref={container} className="map-canvas" role="region" aria-label={t('allocations.map.label')} data-testid="bureau-map" />
      {!map && !error && (
        <div className="map-status" role="status">
          <span className="spinner" aria-hidden="true" />
          {t('app.loading')}
        </div>
      )}
      {error && (
        <div className="map-status map-status--error" role="alert">
          {t('map.loadError', { message: error })}
        </div>
      )}
      {map && <MapControls map={map} />}
      <StatusKey />
    </div>
  );
}

/** What the plot colours mean — all the bureau needs to pick a plot (the main map has the full legend). */
function StatusKey() {
  const { t } = useT();
  const zoom = useViewStore((s) => s.zoom);
  return (
    <div className="bu-map-key" role="note" aria-label={t('legend.plots')}>
      {zoom < PLOT_MIN_ZOOM ? (
        <span>{t('allocations.map.zoomHint')}</span>
      ) : (
        PLOT_STATUSES.map((s) => (
          <span key={s} className="bu-map-key-item">
            <span className="bu-swatch" style={{ background: STATUS_COLORS[s] }} aria-hidden="true" />
            {t(`status.${s}`)}
          </span>
        ))
      )}
    </div>
  );
}
