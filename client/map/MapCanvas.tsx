/**
 * What every map view shows around its maplibre map: the element the map is drawn in (a labelled
 * region), a loading status until the style has loaded, the load error, the zoom buttons, the
 * search box, the metric scale bar, and the base-map switch when the server configured a base.
 */
import { useT } from '../i18n/useT.ts';
import { BasemapSwitch } from './BasemapSwitch.tsx';
import { MapControls } from './MapControls.tsx';
import { MapSearch } from './MapSearch.tsx';
import { ScaleBar } from './ScaleBar.tsx';
import './map-tools.css';
import type { MapHost } from './useMapInstance.ts';

export function MapCanvas({ host, label, testId }: { host: MapHost; label: string; testId?: string }) {
  const { t } = useT();
  const { container, map, error } = host;
  return (
    <>
      <div ref={container} className="map-canvas" role="region" aria-label={label} data-testid={testId} />
      {!map && !error && <MapLoading />}
      {error && (
        <div className="map-status map-status--error" role="alert">
          {t('map.loadError', { message: error })}
        </div>
      )}
      {map && <MapControls map={map} />}
      {map && (
        <div className="map-tools">
          <MapSearch map={map} />
          <ScaleBar map={map} />
          {host.basemap && host.basemap.bases.length > 0 && <BasemapSwitch map={map} info={host.basemap} />}
          {host.basemap?.warning && <p className="map-tools__warning" role="status">{t('basemap.unavailable')}</p>}
        </div>
      )}
    </>
  );
}

/** The map's loading status (also the fallback while a lazy map chunk loads). */
export function MapLoading() {
  const { t } = useT();
  return (
    <div className="map-status" role="status">
      <span className="spinner" aria-hidden="true" />
      {t('app.loading')}
    </div>
  );
}
