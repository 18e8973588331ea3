import type { MapMouseEvent, MaplibreMap } from './maplibre.ts';

/** What a screen does when the pointer moves over the map, leaves it, or clicks it. */
export interface PointerHandlers {
  move?: (e: MapMouseEvent) => void;
  out?: () => void;
  click?: (e: MapMouseEvent) => void;
}

/** Binds the given pointer handlers to the map; returns the function that unbinds them (for an effect's cleanup). */
export function bindPointer(map: MaplibreMap, { move, out, click }: PointerHandlers): () => void {
  if (move) map.on('mousemove', move);
  if (out) map.on('mouseout', out);
  if (click) map.on('click', click);
  return () => {
    if (move) map.off('mousemove', move);
    if (out) map.off('mouseout', out);
    if (click) map.off('click', click);
  };
}
