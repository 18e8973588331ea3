/**
 * The base map under the app's own layers, from the environment (README, Base map / 底图):
 *
 * - `BASEMAP=none` (default): no base map; offline, no request leaves the app.
 * - `BASEMAP=tianditu` + `TIANDITU_KEY`: 天地图's vector (vec_w + cva_w) and imagery (img_w +
 *   cia_w) tiles in Web Mercator. 天地图 is in CGCS2000, so parcels need no offset.
 * - `BASEMAP=custom` + `BASEMAP_STYLE_URL` (a MapLibre style) or `BASEMAP_TILES` (XYZ or WMTS
 *   templates, comma-separated) + `BASEMAP_CRS` (CGCS2000 or WGS84): the city's own service.
 *
 * A GCJ-02 or BD-09 base (AMap, Baidu, …) is refused: the parcels are CGCS2000/WGS84, and on
 * such a base every one would be drawn tens to hundreds of metres off.
 */

export type BasemapMode = 'none' | 'tianditu' | 'custom';
export type BasemapCrs = 'CGCS2000' | 'WGS84';

export interface BasemapConfig {
  mode: BasemapMode;
  /** 天地图 key (tk), for `tianditu`. */
  tiandituKey?: string;
  /** A MapLibre style document's URL, for `custom`. */
  styleUrl?: string;
  /** Raster tile URL templates ({z}/{x}/{y}, or WMTS {TileMatrix}/{TileCol}/{TileRow}), for `custom`. */
  tiles?: string[];
  /** The datum the custom tiles are drawn in. */
  crs?: BasemapCrs;
  /** Attribution shown for a custom base (default: the style's own, or the tiles' host). */
  attribution?: string;
}

/** The variables, for ENV_VARS (config.ts). */
export const BASEMAP_ENV_VARS = {
  BASEMAP: 'none (default: no base map, nothing leaves the app) | tianditu | custom',
  TIANDITU_KEY: '天地图 key (tk), required with BASEMAP=tianditu',
  BASEMAP_STYLE_URL: 'with BASEMAP=custom: URL of a MapLibre style of the city\'s base map',
  BASEMAP_TILES: 'with BASEMAP=custom: raster tile URL template(s), XYZ {z}/{x}/{y} or WMTS {TileMatrix}/{TileCol}/{TileRow}, comma-separated',
  BASEMAP_CRS: 'with BASEMAP=custom: the datum of those tiles, CGCS2000 or WGS84 (GCJ-02 and BD-09 are refused)',
  BASEMAP_ATTRIBUTION: 'attribution shown on the map: with custom, instead of the style\'s own; with tianditu, after "© 天地图" (e.g. the 审图号)',
} as const;

/** The 天地图 tile hosts t0…t7. */
export const TIANDITU_HOSTS = Array.from({ length: 8 }, (_, i) => `t${i}.tianditu.gov.cn`);

const MODES: readonly BasemapMode[] = ['none', 'tianditu', 'custom'];

/** Normalises a datum name: upper case, no separators ("gcj-02" → "GCJ02"). */
const datumKey = (raw: string) => raw.toUpperCase().replace(/[\s_\-.]/g, '');
const ACCEPTED_CRS: Record<string, BasemapCrs> = { CGCS2000: 'CGCS2000', WGS84: 'WGS84', EPSG4326: 'WGS84', EPSG4490: 'CGCS2000' };
const SHIFTED_CRS: Record<string, string> = { GCJ02: 'GCJ-02', BD09: 'BD-09', BD09LL: 'BD-09', BD09MC: 'BD-09' };

/** A URL template is http(s) with a host; the placeholders are left as they are. */
function templateProblem(name: string, raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw.replace(/[{}]/g, ''));
  } catch {
    return `${name} "${raw}" is not a valid URL (expected e.g. https://tiles.example.gov.cn/base/{z}/{x}/{y}.png).`;
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `${name} must be http(s) URLs, got "${raw}".`;
  return null;
}

function hasTilePlaceholders(t: string): boolean {
  const xyz = t.includes('{z}') && t.includes('{x}') && (t.includes('{y}') || t.includes('{-y}'));
  const wmts = /\{TileMatrix\}/.test(t) && /\{TileCol\}/.test(t) && /\{TileRow\}/.test(t);
  return xyz || wmts || t.includes('{quadkey}') || t.includes('{bbox-epsg-3857}');
}

/** Reads the BASEMAP* variables; each problem goes to `problems` (one line, naming the variable). */
export function parseBasemap(env: Record<string, string | undefined>, problems: string[]): BasemapConfig {
  const rawMode = env.BASEMAP?.trim().toLowerCase() || 'none';
  if (!(MODES as readonly string[]).includes(rawMode)) {
    problems.push(`BASEMAP must be one of ${MODES.join(', ')}, got "${env.BASEMAP}".`);
    return { mode: 'none' };
  }
  const mode = rawMode as BasemapMode;
  if (mode === 'none') return { mode };

  if (mode === 'tianditu') {
    const key = env.TIANDITU_KEY?.trim();
    if (!key) {
      problems.push('BASEMAP=tianditu needs TIANDITU_KEY: the 天地图 key (tk) of your account at console.tianditu.gov.cn. Set it, or use BASEMAP=none.');
      return { mode: 'none' };
    }
    if (!/^[0-9A-Za-z]{8,64}$/.test(key)) {
      problems.push('TIANDITU_KEY must be the 天地图 key as issued: letters and digits only.');
      return { mode: 'none' };
    }
    const note = env.BASEMAP_ATTRIBUTION?.trim();
    return { mode, tiandituKey: key, ...(note ? { attribution: note } : {}) };
  }

  // custom
  const before = problems.length;
  const styleUrl = env.BASEMAP_STYLE_URL?.trim() || undefined;
  const tiles = (env.BASEMAP_TILES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (!styleUrl && tiles.length === 0) {
    problems.push('BASEMAP=custom needs BASEMAP_STYLE_URL (a MapLibre style) or BASEMAP_TILES (tile URL templates, comma-separated), with BASEMAP_CRS.');
  }
  if (styleUrl && tiles.length > 0) problems.push('Set either BASEMAP_STYLE_URL or BASEMAP_TILES, not both.');
  if (styleUrl) {
    const p = templateProblem('BASEMAP_STYLE_URL', styleUrl);
    if (p) problems.push(p);
  }
  for (const t of tiles) {
    const p = templateProblem('BASEMAP_TILES', t);
    if (p) problems.push(p);
    else if (!hasTilePlaceholders(t)) problems.push(`BASEMAP_TILES "${t}" has no tile placeholders: use {z}/{x}/{y} (XYZ) or {TileMatrix}/{TileCol}/{TileRow} (WMTS).`);
  }

  let crs: BasemapCrs | undefined;
  const rawCrs = env.BASEMAP_CRS?.trim();
  if (!rawCrs) {
    problems.push('BASEMAP=custom needs BASEMAP_CRS, the datum the base map is drawn in: CGCS2000 or WGS84.');
  } else {
    const key = datumKey(rawCrs);
    if (SHIFTED_CRS[key]) {
      problems.push(
        `BASEMAP_CRS=${rawCrs}: a ${SHIFTED_CRS[key]} base map is refused. The parcels are in CGCS2000/WGS84, and on a ${SHIFTED_CRS[key]} base (AMap, Tencent, Baidu…) ` +
          'every parcel would be drawn tens to hundreds of metres off its real place. Use a CGCS2000 or WGS84 base (天地图: BASEMAP=tianditu, or the city\'s own tile service).',
      );
    } else if (ACCEPTED_CRS[key]) crs = ACCEPTED_CRS[key];
    else problems.push(`BASEMAP_CRS must be CGCS2000 or WGS84, got "${rawCrs}".`);
  }
  if (problems.length > before || !crs) return { mode: 'none' };
  const attribution = env.BASEMAP_ATTRIBUTION?.trim() || undefined;
  return { mode, crs, ...(styleUrl ? { styleUrl } : { tiles }), ...(attribution ? { attribution } : {}) };
}

/** The origins (scheme://host[:port]) the browser fetches the base map from: what the CSP allows. */
export function basemapOrigins(b: BasemapConfig): string[] {
  if (b.mode === 'tianditu') return TIANDITU_HOSTS.map((h) => `https://${h}`);
  if (b.mode === 'custom') {
    const urls = b.styleUrl ? [b.styleUrl] : (b.tiles ?? []);
    return [...new Set(urls.map((u) => new URL(u.replace(/[{}]/g, '')).origin))];
  }
  return [];
}
