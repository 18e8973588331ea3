/**
 * maplibre's metric scale bar, placed in the map tools column (under the search box) rather than
 * in a map corner, where the legend and the side panel would cover it.
 */
import { useEffect, useRef } from 'react';
import { ScaleControl, type MaplibreMap } from './maplibre.ts';

export function ScaleBar({ map }: { map: MaplibreMap }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const scale = new ScaleControl({ unit: 'metric', maxWidth: 120 });
    el.appendChild(scale.onAdd(map));
    return () => scale.onRemove();
  }, [map]);
  return <div ref={host} className="map-scale" data-testid="map-scale" />;
}
