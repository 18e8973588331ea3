/**
 * What the format readers hand to the import service: features with their source attributes
 * and a polygon geometry in the file's own coordinates (GIS order: easting/northing or lon/lat),
 * plus what the file says about its coordinate system.
 */
import type { CrsCode } from '../../../../shared/geometry/crs.ts';
import type { PlotGeometry } from '../../../../shared/geometry/index.ts';
import { AppError, type ErrorReason } from '../../../kernel/errors.ts';

export const IMPORT_FORMATS = ['geojson', 'shapefile', 'kml', 'csv'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

export interface Notice {
  code: string;
  messageZh: string;
  messageEn: string;
  [k: string]: unknown;
}

export interface SourceFeature {
  /** 0-based position in the file. */
  index: number;
  properties: Record<string, unknown>;
  /** Null when the feature has no usable polygon (see `problems`). */
  geometry: PlotGeometry | null;
  /** Problems found while reading (not a polygon, broken ring…), in both languages. */
  problems: { code: string; messageZh: string; messageEn: string }[];
}

export interface ParsedFile {
  format: ImportFormat;
  features: SourceFeature[];
  /** The CRS the file declares (.prj, a GeoJSON `crs` member; KML is WGS84 by definition). */
  declared?: { crs: CrsCode; source: 'prj' | 'file'; name: string };
  /** A .prj we could not match: used only if the person chooses a CRS. */
  unrecognisedPrj?: { messageZh: string; messageEn: string };
  /** The file's coordinates are survey X/Y (界址点 tables): X northing, Y easting — already swapped. */
  notices: Notice[];
}

/** A refusal of the whole file: 400 (413 for size) with a stable reason, nothing written. */
export function fileRefused(reason: ErrorReason, messageEn: string, messageZh: string, status = 400): AppError {
  return new AppError(status, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'VALIDATION_FAILED', `${messageEn} (${messageZh})`, { reason, messageZh, messageEn });
}
