/**
 * The shareable view in the URL query: `/?lng=113.40000&lat=23.15000&z=12.30&plot=123`
 * (or `&park=3`). Pure functions, so reading and writing are symmetric and testable.
 * Parameters this module doesn't own are kept as they are.
 */
import type { Camera } from '../../stores/view.ts';
import type { Selection } from '../../stores/selection.ts';

export interface UrlView {
  camera: Camera | null;
  selection: Selection;
}

const OWN_KEYS = ['lng', 'lat', 'z', 'park', 'plot'] as const;

function num(params: URLSearchParams, key: string, min: number, max: number): number | null {
  const raw = params.get(key);
  if (raw === null || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) && n >= min && n <= max ? n : null;
}

function id(params: URLSearchParams, key: string): number | null {
  const raw = params.get(key);
  if (raw === null || !/^\d{1,15}$/.test(raw)) return null;
  const n = Number(raw);
  return n > 0 ? n : null;
}

/** Reads the view from a query string; anything missing or malformed reads as absent. */
export function parseViewUrl(search: string): UrlView {
  const params = new URLSearchParams(search);
  const lng = num(params, 'lng', -180, 180);
  const lat = num(params, 'lat', -85, 85);
  const zoom = num(params, 'z', 0, 24);
  const camera = lng !== null && lat !== null && zoom !== null ? { lng, lat, zoom } : null;
  const plot = id(params, 'plot');
  const park = id(params, 'park');
  const selection: Selection = plot !== null ? { kind: 'plot', id: plot } : park !== null ? { kind: 'park', id: park } : null;
  return { camera, selection };
}

/** Writes the view into a query string (with `?`, or '' when empty), keeping foreign params. */
export function formatViewUrl(view: UrlView, currentSearch = ''): string {
  const params = new URLSearchParams(currentSearch);
  for (const k of OWN_KEYS) params.delete(k);
  if (view.camera) {
    // ~1 m at 5 decimals; zoom to 1/100 of a level: short, stable URLs.
    params.set('lng', view.camera.lng.toFixed(5));
    params.set('lat', view.camera.lat.toFixed(5));
    params.set('z', view.camera.zoom.toFixed(2));
  }
  if (view.selection) params.set(view.selection.kind, String(view.selection.id));
  const s = params.toString();
  return s ? `?${s}` : '';
}
