/**
 * The map of the investor search: the shared offline map (districts, parks, plot tiles, labels,
 * camera sync, selection) plus the result layers, two-way hover with the list, and the viewport
 * the list follows. Map calls live in the `use*` hooks, each with symmetric cleanup; the
 * instance is created last so it outlives their cleanups (as in ./MapView.tsx).
 */
import { useCallback, useRef, useState } from 'react';
import type { SearchItem } from '../api.ts';
import { useT } from '../i18n/useT.ts';
import { MapControls } from './MapControls.tsx';
import type { MaplibreMap } from './maplibre.ts';
import { useCameraSync } from './useCameraSync.ts';
import { useMapData } from './useMapData.ts';
import { useMapInstance } from './useMapInstance.ts';
import { useMapInteraction } from './useMapInteraction.ts';
import { useMapLabels } from './useMapLabels.ts';
import { useResultHover } from './useResultHover.ts';
import { useResultLayers, useResultsData } from './useResultsLayer.ts';
import { useSelectionHighlight } from './useSelectionHighlight.ts';
import { useViewportBbox } from './useViewportBbox.ts';

export default function InvestMapView({ items }: { items: readonly SearchItem[] }) {
  const { t, locale } = useT();
  const container = useRef<HTMLDivElement>(null);
  const [map, setMap] = useState<MaplibreMap | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onError = useCallback((message: string) => setError(message), []);

  useMapData(map, onError);
  useMapLabels(map, locale);
  useResultLayers(map);
  useResultsData(map, items);
  useResultHover(map);
  useViewportBbox(map);
  useCameraSync(map);
  useSelectionHighlight(map);
  useMapInteraction(map);
  useMapInstance(container, setMap, onError);

  return (
    <div className="map-view">
      <div ref={container} className="map-canvas" role="region" aria-label={t('map.label')} data-testid="invest-map" />
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
