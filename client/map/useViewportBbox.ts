import { useEffect } from 'react';
import type { BBox } from '../../shared/domain.ts';
import { setViewBbox } from '../features/invest/store.ts';
import type { MaplibreMap } from './maplibre.ts';

const round = (n: number) => Math.round(n * 1e4) / 1e4;

/** Reports the map's visible bounds (rounded to ~10 m) after every move, for the list to follow. */
export function useViewportBbox(map: MaplibreMap | null): void {
  useEffect(() => {
    if (!map) return;
    const report = () => {
      const b = map.getBounds();
      const bbox: BBox = [round(b.getWest()), round(b.getSouth()), round(b.getEast()), round(b.getNorth())];
      setViewBbox(bbox);
    };
    report();
    map.on('moveend', report);
    return () => {
      map.off('moveend', report);
    };
  }, [map]);
}
