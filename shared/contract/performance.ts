/**
 * Wire shapes of the 亩均 performance routes that shared/contract/supervision.ts does not have:
 * the list of an allocation's figures, the CSV import's preview and commit, and the grade
 * threshold versions (read and publish). The figures and the evaluation themselves are
 * supervision.ts's `Performance`, `PerformanceBody`, `EvaluationList`, `GradeThresholds`.
 */
import { Type, type Static } from 'typebox';
import { Nullable } from './common.ts';
import { GradeThresholds, Performance } from './supervision.ts';

/** GET /api/allocations/:id/performance — newest year first. */
export const PerformanceList = Type.Object({ items: Type.Array(Performance) });
export type PerformanceList = Static<typeof PerformanceList>;

export const ImportRowError = Type.Object({
  field: Type.String({ description: 'The column (contractNo, plotCode, year, outputYuan, taxYuan, energyTce, employees) or `file`' }),
  message: Type.String({ description: 'What is wrong, in Chinese and English' }),
});

export const PerformanceImportRow = Type.Object({
  row: Type.Integer({ description: 'The line in the file as a spreadsheet numbers it: the header is row 1, the first figures row 2' }),
  contractNo: Nullable(Type.String()),
  plotCode: Nullable(Type.String()),
  allocationId: Nullable(Type.Integer({ description: 'The allocation the row resolved to; null when it did not' })),
  year: Nullable(Type.Integer()),
  outputYuan: Nullable(Type.Number()),
  taxYuan: Nullable(Type.Number()),
  energyTce: Nullable(Type.Number()),
  employees: Nullable(Type.Integer()),
  /** True when the allocation already has figures for the year: committing replaces them. */
  replaces: Type.Boolean(),
  ok: Type.Boolean(),
  errors: Type.Array(ImportRowError),
});
export type PerformanceImportRow = Static<typeof PerformanceImportRow>;

/** POST /api/supervision/performance/import — nothing is written. */
export const PerformanceImportPreview = Type.Object({
  encoding: Type.Union([Type.Literal('utf-8'), Type.Literal('gbk')], { description: 'How the file was read: UTF-8 (with or without BOM), else GBK' }),
  rows: Type.Array(PerformanceImportRow),
  okCount: Type.Integer(),
  errorCount: Type.Integer(),
});
export type PerformanceImportPreview = Static<typeof PerformanceImportPreview>;

/** POST /api/supervision/performance/import/commit — every row written in one transaction. */
export const PerformanceImportCommit = Type.Object({
  encoding: Type.Union([Type.Literal('utf-8'), Type.Literal('gbk')]),
  written: Type.Integer(),
  created: Type.Integer(),
  replaced: Type.Integer(),
  rows: Type.Array(Type.Object({ row: Type.Integer(), allocationId: Type.Integer(), year: Type.Integer(), replaced: Type.Boolean() })),
});
export type PerformanceImportCommit = Static<typeof PerformanceImportCommit>;

const Minimums = Type.Object(
  {
    outputPerMuYuan: Type.Integer({ minimum: 0, description: '亩均产值 minimum, whole yuan per 亩' }),
    taxPerMuYuan: Type.Integer({ minimum: 0, description: '亩均税收 minimum, whole yuan per 亩' }),
  },
  { additionalProperties: false },
);

/** PUT /api/supervision/grade-thresholds — publish a new version (A ≥ B ≥ C). */
export const GradeThresholdsBody = Type.Object(
  {
    effectiveFrom: Type.String({ maxLength: 10, description: 'First day the version applies (YYYY-MM-DD); it grades the years from this date\'s year on' }),
    source: Type.String({ minLength: 1, maxLength: 500, description: 'Where the figures come from (the bureau\'s document)' }),
    sample: Type.Optional(Type.Boolean({ description: 'True only for placeholder figures; default false' })),
    A: Minimums,
    B: Minimums,
    C: Minimums,
  },
  { additionalProperties: false },
);
export type GradeThresholdsBody = Static<typeof GradeThresholdsBody>;

export const GradeThresholdsVersion = Type.Object({
  ...GradeThresholds.properties,
  createdBy: Nullable(Type.String()),
  createdAt: Type.String(),
});
export type GradeThresholdsVersion = Static<typeof GradeThresholdsVersion>;

/** GET /api/supervision/grade-thresholds — the version in force today and every version, newest first. */
export const GradeThresholdsList = Type.Object({
  current: Nullable(GradeThresholdsVersion),
  versions: Type.Array(GradeThresholdsVersion),
});
export type GradeThresholdsList = Static<typeof GradeThresholdsList>;
