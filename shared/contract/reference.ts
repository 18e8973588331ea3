/** Schemas of the reference data (GET /api/reference and the bureau's versions of it). */
import { Type, type Static } from 'typebox';

export const Kind = Type.Union([Type.Literal('parameters'), Type.Literal('national_minimum'), Type.Literal('district_grades'), Type.Literal('benchmark_prices'), Type.Literal('provincial_minimum')]);
export type Kind = Static<typeof Kind>;
export const ParameterRow = Type.Object({
  key: Type.String(),
  value: Type.String(),
  verified: Type.Boolean({ description: 'false until an administrator confirms it (POST /api/reference/parameters/:key/confirm); shipped true only for what the plan states' }),
  source: Type.String({ description: 'The source recorded with this version' }),
  clause: Type.String({ description: 'What the parameter rests on: the plan clause, the national rule, or 局内参数 (bureau assumption)' }),
  basis: Type.String({ description: 'plan | national_rule | bureau_assumption' }),
});
export type ParameterRow = Static<typeof ParameterRow>;
export const NationalMinimumRow = Type.Object({ grade: Type.Integer(), yuanPerM2: Type.Number(), verified: Type.Boolean(), source: Type.String() });
export type NationalMinimumRow = Static<typeof NationalMinimumRow>;
export const DistrictGradeRow = Type.Object({
  districtCode: Type.String(), grade: Type.Integer(), verified: Type.Boolean(), assumption: Type.Boolean({ description: 'a sample assumption the bureau must confirm' }), note: Type.String(), source: Type.String(),
});
export type DistrictGradeRow = Static<typeof DistrictGradeRow>;
export const BenchmarkPriceRow = Type.Object({
  districtCode: Type.String(), landLevel: Type.Integer(), yuanPerM2: Type.Number(), sample: Type.Boolean({ description: 'not the official table' }), source: Type.String(),
});
export type BenchmarkPriceRow = Static<typeof BenchmarkPriceRow>;
export const VersionInfo = Type.Object({
  id: Type.Integer(),
  kind: Kind,
  effectiveFrom: Type.String({ format: 'date' }),
  note: Type.String(),
  source: Type.String(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
export type VersionInfo = Static<typeof VersionInfo>;

/** `GET /api/reference`: the reference data in force, with the version of each kind. */
export const ReferenceData = Type.Object({
  asOf: Type.String(),
  versions: Type.Record(Type.String(), VersionInfo),
  parameters: Type.Array(ParameterRow),
  nationalMinimum: Type.Array(NationalMinimumRow),
  districtGrades: Type.Array(DistrictGradeRow),
  benchmark: Type.Array(BenchmarkPriceRow),
  provincialMinimum: Type.Array(NationalMinimumRow, { description: '省规定的最低价 by grade (五(三)14 P); empty = no provincial figure applies (the shipped state)' }),
});
export type ReferenceData = Static<typeof ReferenceData>;

/** `POST /api/reference/parameters/:key/confirm` (the body itself is optional). */
export const ConfirmParameterBody = Type.Object(
  {
    source: Type.Optional(Type.String({ maxLength: 500, description: 'What it was confirmed against (document number, meeting minutes)' })),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type ConfirmParameterBody = Static<typeof ConfirmParameterBody>;

/** An administrator's confirmation of one parameter: the new version. */
export const ConfirmedParameter = Type.Object({ ...VersionInfo.properties, key: Type.String() });
export type ConfirmedParameter = Static<typeof ConfirmedParameter>;
