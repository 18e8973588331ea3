/**
 * The base map under the app's layers: the style GET /api/map/style gives (server/modules/map),
 * fetched once per page, merged under the app's own sources and layers, and switched by layer
 * visibility. With BASEMAP=none the base has no source, and nothing is asked of any other host.
 */
import type { LayerSpecification, StyleSpecification } from 'maplibre-gl';
import { mapApi, type BasemapInfo, type BasemapStyle } from '../api/index.ts';
import { LAYERS } from './layers.ts';
import type { MaplibreMap } from './maplibre.ts';

let loading: Promise<BasemapStyle | null> | undefined;

/** The base style, asked once per page; null when it could not be had (the map then has no base). */
export function loadBasemap(): Promise<BasemapStyle | null> {
  loading ??= mapApi.style().catch(() => {
    loading = undefined; // try again on the next map
    return null;
  });
  return loading;
}

export const basemapInfo = (base: BasemapStyle | null): BasemapInfo | null => base?.metadata['iab:basemap'] ?? null;

/** The app's style with the base's sources, and its layers just above the app's background. */
export function withBasemap(app: StyleSpecification, base: BasemapStyle | null): StyleSpecification {
  if (!base || Object.keys(base.sources).length === 0) return app;
  const [background, ...rest] = app.layers;
  return {
    ...app,
    ...(base.sprite ? { sprite: base.sprite } : {}),
    sources: { ...base.sources, ...app.sources },
    layers: [...(background ? [background] : []), ...(base.layers as LayerSpecification[]), ...rest],
  };
}

/** The base shown at first: the one remembered on this device if it still exists, else the server's default. */
export function initialBase(info: BasemapInfo | null): string | null {
  if (!info || info.bases.length === 0) return null;
  const saved = readSaved();
  if (saved === 'none') return null;
  if (saved && info.bases.some((b) => b.id === saved)) return saved;
  return info.defaultBase;
}

const STORAGE_KEY = 'iab.basemap';
function readSaved(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/**
 * Shows one base (or none): its layers visible, the others hidden. Over a base, the districts'
 * opaque fill becomes a light wash, so roads and place names show through.
 */
export function showBase(map: MaplibreMap, info: BasemapInfo, baseId: string | null, remember = false): void {
  for (const b of info.bases) {
    for (const id of b.layers) if (map.getLayer(id)) map.setLayoutProperty(id, 'visibility', b.id === baseId ? 'visible' : 'none');
  }
  if (map.getLayer(LAYERS.districtsFill)) map.setPaintProperty(LAYERS.districtsFill, 'fill-opacity', baseId ? 0.12 : 1);
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, baseId ?? 'none');
    } catch {
      // Private mode: the choice lasts for this page only.
    }
  }
}
