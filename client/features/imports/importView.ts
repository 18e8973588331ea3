/**
 * The import and export page's pure parts: the preview's features as table rows and as map
 * data (green valid, amber with warnings, red with errors), the box to frame them, a refused
 * file's message in the interface language, the export form → the export URL, byte sizes.
 */
import { geometryBBox, type PlotGeometry } from '../../../shared/geometry/index.ts';
import type { BBox, LandUse, PlotStatus } from '../../../shared/domain.ts';
import { ApiError, plotExportUrl, type ExportCrs, type ExportFormat, type ExportLang, type ImportFeature, type ImportPreview } from '../../api/index.ts';
import { localizeServerMessage } from '../auth/serverMessage.ts';
import type { Locale } from '../../i18n/index.ts';

export type RowState = 'ok' | 'warning' | 'error';

export interface PreviewRow {
  index: number;
  code: string | null;
  /** 宗地代码 and 控规地块编号 read from the file (validated by the server), or null. */
  parcelCode: string | null;
  zoningPlotCode: string | null;
  parkCode: string | null;
  landUse: string | null;
  areaM2: number | null;
  geometryAreaM2: number | null;
  state: RowState;
  messages: { severity: 'error' | 'warning'; text: string }[];
}

export function rowState(f: Pick<ImportFeature, 'errors' | 'warnings'>): RowState {
  return f.errors.length ? 'error' : f.warnings.length ? 'warning' : 'ok';
}

export function previewRows(features: readonly ImportFeature[], locale: Locale): PreviewRow[] {
  const text = (i: { messageZh: string; messageEn: string }) => (locale === 'en' ? i.messageEn : i.messageZh);
  return features.map((f) => ({
    index: f.index,
    code: f.code,
    parcelCode: typeof f.attributes.parcelCode === 'string' ? f.attributes.parcelCode : null,
    zoningPlotCode: typeof f.attributes.zoningPlotCode === 'string' ? f.attributes.zoningPlotCode : null,
    parkCode: f.parkCode,
    landUse: f.landUse,
    areaM2: f.areaM2,
    geometryAreaM2: f.geometryAreaM2,
    state: rowState(f),
    messages: [...f.errors.map((e) => ({ severity: 'error' as const, text: text(e) })), ...f.warnings.map((w) => ({ severity: 'warning' as const, text: text(w) }))],
  }));
}

/** The features with a geometry, for the preview map (`id` = the feature's index in the file). */
export function previewCollection(features: readonly ImportFeature[]): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: features
      .filter((f) => f.geometry)
      .map((f) => ({ type: 'Feature' as const, id: f.index, geometry: f.geometry!, properties: { index: f.index, code: f.code ?? '', state: rowState(f) } })),
  };
}

/** The box around the features that have a geometry, or null. */
export function featuresBBox(features: readonly Pick<ImportFeature, 'geometry'>[]): BBox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const f of features) {
    if (!f.geometry) continue;
    const b = geometryBBox(f.geometry as PlotGeometry);
    if (![...b].every(Number.isFinite)) continue;
    w = Math.min(w, b[0]);
    s = Math.min(s, b[1]);
    e = Math.max(e, b[2]);
    n = Math.max(n, b[3]);
  }
  return w <= e && s <= n ? [w, s, e, n] : null;
}

/** Merges a page of features into those already loaded (by index; a page may overlap). */
export function mergeFeatures(have: readonly ImportFeature[], page: readonly ImportFeature[]): ImportFeature[] {
  const byIndex = new Map(have.map((f) => [f.index, f]));
  for (const f of page) byIndex.set(f.index, f);
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/** Parks the committed plots went to (from the preview), most plots first. */
export function parksOf(features: readonly ImportFeature[]): { parkId: number; parkCode: string | null; n: number }[] {
  const m = new Map<number, { parkId: number; parkCode: string | null; n: number }>();
  for (const f of features) {
    if (f.parkId === null || f.errors.length) continue;
    const e = m.get(f.parkId) ?? { parkId: f.parkId, parkCode: f.parkCode, n: 0 };
    e.n++;
    m.set(f.parkId, e);
  }
  return [...m.values()].sort((a, b) => b.n - a.n);
}

/**
 * A refused upload in the interface language: a hostile or broken file carries `messageZh` /
 * `messageEn` (../../server/services/import/types.ts), other errors the usual bilingual message.
 */
export function importErrorText(e: unknown, locale: Locale): string | null {
  if (!(e instanceof ApiError)) return null;
  const own = locale === 'en' ? e.details.messageEn : e.details.messageZh;
  if (typeof own === 'string' && own) return own;
  return localizeServerMessage(e.message, locale);
}

export interface ExportForm {
  format: ExportFormat;
  crs: ExportCrs;
  parkId: string;
  districtCode: string;
  status: PlotStatus[];
  landUse: LandUse[];
  /** Field names and values: the screen passes its language (zh in the Chinese UI). */
  lang?: ExportLang;
  /** Retired (已注销) parcels too. */
  includeRetired?: boolean;
}

/** The export language of a UI locale: Chinese field names in the Chinese UI. */
export const exportLangOf = (locale: Locale): ExportLang => (locale === 'en' ? 'en' : 'zh');

export function exportHref(f: ExportForm): string {
  return plotExportUrl({
    format: f.format,
    crs: f.crs,
    ...(f.parkId ? { parkId: Number(f.parkId) } : {}),
    ...(f.districtCode ? { districtCode: f.districtCode } : {}),
    status: f.status,
    landUse: f.landUse,
    ...(f.lang ? { lang: f.lang } : {}),
    ...(f.includeRetired ? { includeRetired: true } : {}),
  });
}

/** "1.2 MB", "830 KB", "512 B". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}

/** Which formats the file chooser takes (server/modules/imports/formats/index.ts detects the rest). */
export const IMPORT_ACCEPT = '.geojson,.json,.zip,.kml,.kmz,.csv,.txt';

export const IMPORT_CRS_CHOICES = ['EPSG:4547', 'EPSG:4526', 'EPSG:4326'] as const;

export function isFullyLoaded(p: Pick<ImportPreview, 'featuresTotal'>, loaded: number): boolean {
  return loaded >= p.featuresTotal;
}
