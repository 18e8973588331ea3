/**
 * Limits on uploaded survey files. Generous for real survey data,
 * small enough that a hostile file cannot exhaust memory or time.
 */
export const IMPORT_LIMITS = {
  /** The uploaded file. */
  maxFileBytes: 50 * 1024 * 1024,
  /** All entries of a zip, uncompressed. */
  maxUnzippedBytes: 200 * 1024 * 1024,
  /** Uncompressed ÷ compressed above this, for an entry of more than `ratioFloorBytes`, is a zip bomb. */
  maxCompressionRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  /** Features (plots) per file: a district's cadastre of 100,000 parcels in one file (issue #17). */
  maxFeatures: 100_000,
  /** Vertices per feature (also shared/geometry.ts MAX_VERTICES). */
  maxVerticesPerFeature: 10_000,
  /** Vertices in the whole file. */
  maxTotalVertices: 5_000_000,
  /** Rows of a 界址点 CSV table. */
  maxCsvRows: 2_000_000,
  /** Features returned inline by the preview (all are stored; page through GET /api/imports/:id). */
  previewFeatures: 2000,
  /** How long a preview can be committed. */
  previewTtlHours: 24,
} as const;
