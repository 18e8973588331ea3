import { useEffect } from 'react';
import type { Locale } from '../i18n/index.ts';
import { districtLabelField, LAYERS, parkLabelField } from './layers.ts';
import type { MaplibreMap } from './maplibre.ts';

/** Map labels follow the interface language (nameZh / nameEn). */
export function useMapLabels(map: MaplibreMap | null, locale: Locale): void {
  useEffect(() => {
    if (!map) return;
    map.setLayoutProperty(LAYERS.districtLabels, 'text-field', districtLabelField(locale));
    map.setLayoutProperty(LAYERS.parkLabels, 'text-field', parkLabelField(locale));
  }, [map, locale]);
}
