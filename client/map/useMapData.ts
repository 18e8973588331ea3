import { useEffect } from 'react';
import { api } from '../api/index.ts';
import { markSampleSeen } from '../stores/dataset.ts';
import { SOURCES } from './layers.ts';
import { GeoJSONSource, type MaplibreMap } from './maplibre.ts';
import { districtLabels, parkLabels, parksForMap } from './prepare.ts';

/**
 * Loads districts and parks from the API into the map's GeoJSON sources (cancelled on unmount),
 * and the generated zones with the parks when `zones` (client/map/zones.ts).
 */
export function useMapData(map: MaplibreMap | null, onError: (message: string) => void, zones = false): void {
  useEffect(() => {
    if (!map) return;
    const ctrl = new AbortController();
    const setData = (id: string, data: GeoJSON.GeoJSON) => {
      const source = map.getSource(id);
      if (source instanceof GeoJSONSource) void source.setData(data);
    };
    Promise.all([api.districts(ctrl.signal), api.parks(ctrl.signal, { zones })])
      .then(([districts, parks]) => {
        if (ctrl.signal.aborted) return;
        setData(SOURCES.districts, districts);
        setData(SOURCES.districtLabels, districtLabels(districts));
        setData(SOURCES.parks, parksForMap(parks));
        // No labels for the zones (thousands of them): their outlines and details are enough.
        setData(SOURCES.parkLabels, parkLabels({ ...parks, features: parks.features.filter((f) => f.properties.tier !== 'zone') }));
        if (parks.features.some((f) => f.properties.sample)) markSampleSeen();
      })
      .catch((e: unknown) => {
        if (!ctrl.signal.aborted) onError(e instanceof Error ? e.message : String(e));
      });
    return () => ctrl.abort();
  }, [map, onError, zones]);
}
