import { GUANGZHOU_BBOX } from '../../shared/domain.ts';
import { useT } from '../i18n/useT.ts';
import { fitBounds } from '../stores/view.ts';
import type { MaplibreMap } from './maplibre.ts';

/** Zoom and "whole city" buttons, labelled through i18n (maplibre's own control isn't). */
export function MapControls({ map }: { map: MaplibreMap }) {
  const { t } = useT();
  return (
    <div className="map-controls" role="group" aria-label={t('map.label')}>
      <button type="button" className="icon-button" aria-label={t('map.zoomIn')} title={t('map.zoomIn')} onClick={() => map.zoomIn()}>
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M10 4v12M4 10h12" /></svg>
      </button>
      <button type="button" className="icon-button" aria-label={t('map.zoomOut')} title={t('map.zoomOut')} onClick={() => map.zoomOut()}>
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M4 10h12" /></svg>
      </button>
      <button type="button" className="icon-button" aria-label={t('map.resetView')} title={t('map.resetView')} onClick={() => fitBounds(GUANGZHOU_BBOX)}>
        <svg viewBox="0 0 20 20" aria-hidden="true"><path d="M3 8V3h5M17 8V3h-5M3 12v5h5M17 12v5h-5" /></svg>
      </button>
    </div>
  );
}
