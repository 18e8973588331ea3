/**
 * The base map's MapLibre style, built from configuration (server/kernel/basemap-config.ts):
 * nothing for `none`, 天地图's four layers for `tianditu`, the city's tiles or style for `custom`.
 * Only the base: the client adds the app's own districts, parks and plots on top.
 */
import type { BasemapConfig } from '../../kernel/basemap-config.ts';
import type { BasemapInfo, MapStyle } from '../../../shared/contract/map.ts';

/** The layer ids of the bases (the client toggles their visibility). */
export const BASE_LAYER_PREFIX = 'basemap-';

export const TIANDITU_ATTRIBUTION = '© 天地图 / 国家地理信息公共服务平台';
/** Placeholder until the deployment states the 审图号 of the published map in BASEMAP_ATTRIBUTION. */
export const TIANDITU_APPROVAL_NOTE = '审图号：以天地图所示为准';

type Style = MapStyle;
type Source = Record<string, unknown>;
type Layer = Record<string, unknown> & { id: string };

function rasterSource(tiles: string[], attribution: string | null, maxzoom = 18): Source {
  return { type: 'raster', tiles, tileSize: 256, minzoom: 1, maxzoom, ...(attribution ? { attribution } : {}) };
}

function rasterLayer(id: string, source: string, visible: boolean): Layer {
  return { id, type: 'raster', source, layout: { visibility: visible ? 'visible' : 'none' } };
}

function style(sources: Record<string, Source>, layers: Layer[], info: BasemapInfo, extra: Partial<Style> = {}): Style {
  return { version: 8, name: `iab-basemap-${info.mode}`, sources, layers, ...extra, metadata: { 'iab:basemap': info } };
}

export function noneStyle(warning: string | null = null, mode: BasemapInfo['mode'] = 'none'): Style {
  return style({}, [], { mode, crs: null, bases: [], defaultBase: null, attribution: null, warning });
}

/** 天地图 WMTS (Web Mercator, "_w") through t0…t7, with the key. */
export function tiandituStyle(key: string, note?: string): Style {
  const attribution = `${TIANDITU_ATTRIBUTION} · ${note ?? TIANDITU_APPROVAL_NOTE}`;
  const url = (layer: string) =>
    Array.from({ length: 8 }, (_, i) =>
      `https://t${i}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`);
  const sources: Record<string, Source> = {};
  const layers: Layer[] = [];
  const add = (name: string, visible: boolean) => {
    sources[`${BASE_LAYER_PREFIX}${name}`] = rasterSource(url(name), attribution);
    layers.push(rasterLayer(`${BASE_LAYER_PREFIX}${name}`, `${BASE_LAYER_PREFIX}${name}`, visible));
  };
  // Imagery below vector, each with its annotation on top; only one base shows at a time.
  add('img', false);
  add('cia', false);
  add('vec', true);
  add('cva', true);
  return style(sources, layers, {
    mode: 'tianditu',
    crs: 'CGCS2000',
    bases: [
      { id: 'vector', layers: [`${BASE_LAYER_PREFIX}vec`, `${BASE_LAYER_PREFIX}cva`] },
      { id: 'imagery', layers: [`${BASE_LAYER_PREFIX}img`, `${BASE_LAYER_PREFIX}cia`] },
    ],
    defaultBase: 'vector',
    attribution,
    warning: null,
  });
}

/** WMTS RESTful placeholders as MapLibre's ({TileMatrix} → {z}, {TileCol} → {x}, {TileRow} → {y}). */
export function maplibreTemplate(t: string): string {
  return t.replace(/\{TileMatrix\}/gi, '{z}').replace(/\{TileCol\}/gi, '{x}').replace(/\{TileRow\}/gi, '{y}');
}

/** `custom` with BASEMAP_TILES: one raster base. */
export function customTilesStyle(b: BasemapConfig): Style {
  const tiles = (b.tiles ?? []).map(maplibreTemplate);
  const attribution = b.attribution ?? new URL(tiles[0]!.replace(/[{}]/g, '')).host;
  const id = `${BASE_LAYER_PREFIX}custom`;
  return style({ [id]: rasterSource(tiles, attribution, 22) }, [rasterLayer(id, id, true)], {
    mode: 'custom',
    crs: b.crs ?? null,
    bases: [{ id: 'custom', layers: [id] }],
    defaultBase: 'custom',
    attribution,
    warning: null,
  });
}

/** A style's URL made absolute against the style's own, its {placeholders} kept as they are. */
const absolute = (u: unknown, base: string) =>
  typeof u === 'string' && !/^[a-z]+:\/\/\//i.test(u) ? new URL(u, base).toString().replace(/%7B/gi, '{').replace(/%7D/gi, '}') : u;

/**
 * `custom` with BASEMAP_STYLE_URL: the fetched style's sources and layers, renamed under the
 * base prefix (so they never clash with the app's), relative URLs made absolute. Its `glyphs` are
 * dropped: the app draws every label with local fonts (client/map/layers.ts), and a glyph server
 * would have to serve the app's font stacks too.
 */
export function customStyleFrom(b: BasemapConfig, doc: unknown): Style {
  const given = (doc ?? {}) as { version?: unknown; sources?: Record<string, Source>; layers?: Layer[]; sprite?: unknown };
  if (given.version !== 8 || typeof given.sources !== 'object' || !Array.isArray(given.layers)) {
    throw new Error('it is not a MapLibre style (version 8 with sources and layers)');
  }
  const styleUrl = b.styleUrl!;
  const sources: Record<string, Source> = {};
  const attributions = new Set<string>();
  for (const [name, src] of Object.entries(given.sources ?? {})) {
    const s: Source = { ...src };
    if (s.url) s.url = absolute(s.url, styleUrl);
    if (Array.isArray(s.tiles)) s.tiles = s.tiles.map((t) => absolute(t, styleUrl));
    if (typeof s.data === 'string') s.data = absolute(s.data, styleUrl);
    if (typeof s.attribution === 'string' && s.attribution) attributions.add(s.attribution);
    if (b.attribution) s.attribution = b.attribution;
    sources[`${BASE_LAYER_PREFIX}${name}`] = s;
  }
  const layers: Layer[] = given.layers.map((l) => ({
    ...l,
    id: `${BASE_LAYER_PREFIX}${l.id}`,
    ...(typeof l.source === 'string' ? { source: `${BASE_LAYER_PREFIX}${l.source}` } : {}),
  }));
  const sprite = typeof given.sprite === 'string' ? absolute(given.sprite, styleUrl) : given.sprite;
  const attribution = b.attribution ?? ([...attributions].join(' · ') || new URL(styleUrl).host);
  return style(sources, layers, {
    mode: 'custom',
    crs: b.crs ?? null,
    bases: [{ id: 'custom', layers: layers.map((l) => l.id) }],
    defaultBase: 'custom',
    attribution,
    warning: null,
  }, sprite === undefined ? {} : { sprite });
}

/**
 * Fetches BASEMAP_STYLE_URL (5 s at most) and keeps the result for 10 minutes (a failure for 30 s,
 * so a service that was down is tried again soon). A failure gives the style without a base and
 * a warning the map shows: the app's own layers still work.
 */
export function styleUrlLoader(b: BasemapConfig, fetchImpl: typeof fetch = fetch): () => Promise<Style> {
  let cached: { style: Style; until: number } | undefined;
  let pending: Promise<Style> | undefined;
  const load = async (): Promise<Style> => {
    try {
      const res = await fetchImpl(b.styleUrl!, { signal: AbortSignal.timeout(5000), headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`it answered HTTP ${res.status}`);
      const built = customStyleFrom(b, await res.json());
      cached = { style: built, until: Date.now() + 10 * 60_000 };
      return built;
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      const failed = noneStyle(`The base map style at BASEMAP_STYLE_URL could not be loaded (${why}); the map shows no base.`, 'custom');
      cached = { style: failed, until: Date.now() + 30_000 };
      return failed;
    }
  };
  return async () => {
    if (cached && cached.until > Date.now()) return cached.style;
    pending ??= load().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

/** The style function for the configuration: a constant, or the style URL's loader. */
export function styleSource(b: BasemapConfig): () => Promise<Style> {
  if (b.mode === 'tianditu') {
    const s = tiandituStyle(b.tiandituKey!, b.attribution);
    return async () => s;
  }
  if (b.mode === 'custom' && b.styleUrl) return styleUrlLoader(b);
  if (b.mode === 'custom') {
    const s = customTilesStyle(b);
    return async () => s;
  }
  const s = noneStyle();
  return async () => s;
}
