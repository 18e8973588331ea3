/**
 * Geometry problems for display: the live check (shared/geometry.ts in the browser) and the
 * server's answer (422 `errors`/`warnings`, the same shape) become one list, each item with
 * its message in the interface language, where it is, and which plot it concerns; and the
 * GeoJSON the map draws as markers. Pure.
 */
import { ApiError, type GeometryIssueBody } from '../../api/index.ts';
import type { Locale } from '../../i18n/index.ts';

export type IssueSeverity = 'error' | 'warning';
export type IssueOrigin = 'live' | 'server';

export interface DisplayIssue {
  key: string;
  severity: IssueSeverity;
  origin: IssueOrigin;
  code: string;
  message: string;
  where: [number, number] | null;
  plotId: number | null;
  plotCode: string | null;
}

function whereOf(w: unknown): [number, number] | null {
  return Array.isArray(w) && w.length >= 2 && Number.isFinite(w[0]) && Number.isFinite(w[1]) ? [Number(w[0]), Number(w[1])] : null;
}

/** Errors first, then warnings, each as the list shows it. */
export function displayIssues(
  errors: readonly GeometryIssueBody[],
  warnings: readonly GeometryIssueBody[],
  origin: IssueOrigin,
  locale: Locale,
): DisplayIssue[] {
  const one = (i: GeometryIssueBody, severity: IssueSeverity, n: number): DisplayIssue => ({
    key: `${origin}-${severity}-${n}-${i.code}`,
    severity,
    origin,
    code: i.code,
    message: locale === 'en' ? i.messageEn : i.messageZh,
    where: whereOf(i.where),
    plotId: typeof i.plotId === 'number' ? i.plotId : null,
    plotCode: typeof i.plotCode === 'string' ? i.plotCode : null,
  });
  return [...errors.map((i, n) => one(i, 'error', n)), ...warnings.map((i, n) => one(i, 'warning', n))];
}

/** The issues a server error carries (422 VALIDATION_FAILED with `errors`/`warnings`), or null. */
export function issuesFromError(e: unknown): { errors: GeometryIssueBody[]; warnings: GeometryIssueBody[] } | null {
  if (!(e instanceof ApiError)) return null;
  const errors = e.details.errors, warnings = e.details.warnings;
  const list = (x: unknown) => (Array.isArray(x) ? x.filter((i): i is GeometryIssueBody => !!i && typeof i === 'object' && typeof (i as GeometryIssueBody).code === 'string') : []);
  const out = { errors: list(errors), warnings: list(warnings) };
  return out.errors.length || out.warnings.length ? out : null;
}

/** Markers for the map: one point per issue that has a place. */
export function issueMarkers(issues: readonly DisplayIssue[]): GeoJSON.FeatureCollection<GeoJSON.Point> {
  return {
    type: 'FeatureCollection',
    features: issues
      .filter((i) => i.where)
      .map((i, n) => ({
        type: 'Feature' as const,
        id: n + 1,
        geometry: { type: 'Point' as const, coordinates: i.where! },
        properties: { severity: i.severity, code: i.code, label: String(n + 1) },
      })),
  };
}

/** Plots the issues name (an overlap's other plot): the map outlines them in red. */
export function conflictPlotIds(issues: readonly DisplayIssue[]): number[] {
  return [...new Set(issues.filter((i) => i.severity === 'error' && i.plotId !== null).map((i) => i.plotId!))];
}

/** The server's bilingual message for the interface language (`messageZh`/`messageEn` when the error has them). */
export function bilingual(details: Readonly<Record<string, unknown>>, locale: Locale): string | null {
  const v = locale === 'en' ? details.messageEn : details.messageZh;
  return typeof v === 'string' && v ? v : null;
}
