/** The shapes an import is made of: what is uploaded, each feature as previewed, what is stored. */
import type { GeometryIssue, PlotGeometry } from '../../../shared/geometry/index.ts';
import type { LandUse } from '../../../shared/domain.ts';
import type { Notice } from './formats/index.ts';
import type { ImportedAttributes } from './formats/attributes.ts';

export interface PreviewInput {
  filename: string;
  data: Uint8Array;
  crs?: string | undefined;
  parkId?: number | undefined;
  format?: string | undefined;
  landUse?: string | undefined;
  landLevel?: number | undefined;
}

export type CrsSource = 'prj' | 'file' | 'user' | 'detected' | 'default';

export interface PreviewFeature {
  index: number;
  code: string | null;
  parkId: number | null;
  parkCode: string | null;
  landUse: LandUse | null;
  landLevel: number | null;
  /** The surveyed area that will be recorded (from the file, else the geometric area). */
  areaM2: number | null;
  geometryAreaM2: number | null;
  /** Further attributes read from the file (location, planning conditions …). */
  attributes: ImportedAttributes;
  /** WGS84, RFC 7946 winding; null when the feature has no usable polygon. */
  geometry: PlotGeometry | null;
  errors: GeometryIssue[];
  warnings: GeometryIssue[];
}

export interface StoredPreview {
  features: PreviewFeature[];
  notices: Notice[];
  /** max(plots.row_version) when previewed: plots changed after it are re-checked at commit. */
  dbRowVersion: string;
}

/** A feature's error or warning, in both languages. */
export const issue = (code: string, messageZh: string, messageEn: string, extra: Partial<GeometryIssue> = {}) =>
  ({ code, messageZh, messageEn, ...extra }) as GeometryIssue;
