/**
 * The maplibre map, filling its parent. All map calls live in the `use*` hooks below, each an
 * effect with symmetric cleanup; the instance is created last so it outlives their cleanups.
 */
import { useCallback, useRef, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { MapControls } from './MapControls.tsx';
import type { MaplibreMap } from './maplibre.ts';
import { useCameraSync } from './useCameraSync.ts';
import { useMapData } from './useMapData.ts';
import { useMapInstance } from './useMapInstance.ts';
import { useMapInteraction } from './useMapInteraction.ts';
import { useMapLabels } from './useMapLabels.ts';
import { useSelectionHighlight } from './useSelectionHighlight.ts';

export default function MapView() {
  const { t, locale } = useT();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onError = useCallback((message: string) => setError(message), []);

  useMapData(map, onError);
  useMapLabels(map, locale);
  useCameraSync(map);
  useSelectionHighlight(map);
  useMapInteraction(map);
  useMapInstance(container, setMap, onError);

  return (
    <div className="map-view">
      <div ref={container} className="map-canvas" role="region" aria-label={t('map.label')} />
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
    </div>
  );
}
