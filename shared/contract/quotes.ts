/** Schemas of the price-floor quote (POST /api/quotes/price-floor, 五(三)14). */
import { Type, type Static } from 'typebox';
import { nullableValue } from './common.ts';

/**
 * One body, two ways to call it (API.md): with `plotId` the figures come from the plot and the
 * reference data; without it, all four figures are required. One object (not a JSON-schema
 * union) so a missing field gets a message that names it.
 */
export const FloorBody = Type.Object(
  {
    plotId: Type.Optional(Type.Integer({ minimum: 1, description: 'Take A, B, C, N from this plot and the reference data in force' })),
    areaM2: Type.Optional(Type.Number({ description: 'Plot area A, m² (> 0, ≤ 2 decimals)' })),
    benchmarkYuanPerM2: Type.Optional(Type.Number({ description: 'Benchmark land price B, yuan/m²' })),
    costYuan: Type.Optional(nullableValue(Type.Number({ description: 'C: acquisition + pre-development cost + fees, yuan (total); null = not recorded (the floor is then incomplete, costRecorded: false)' }))),
    nationalMinYuanPerM2: Type.Optional(Type.Number({ description: 'National minimum price N, yuan/m²' })),
    provincialMinYuanPerM2: Type.Optional(nullableValue(Type.Number({ description: 'Provincial minimum price P (省规定的最低价), yuan/m²; absent or null = no provincial figure (term absent)' }))),
    iab: Type.Boolean({ description: 'IAB project (70% of B) or not (100%)' }),
    termYears: Type.Optional(Type.Integer({ description: 'Term n in years, 1–50 (default 50)' })),
  },
  { additionalProperties: false },
);
// (nullableValue, not an anyOf: type coercion would turn a null cost into 0.)
export type FloorBody = Static<typeof FloorBody>;

export const FloorBinding = Type.Union([Type.Literal('benchmark'), Type.Literal('cost'), Type.Literal('national_minimum'), Type.Literal('provincial_minimum')], {
  description: 'Which term binds; never `cost` in an answer to the public or an investor (they get the indicative minimum from the public terms)',
});
export type FloorBinding = Static<typeof FloorBinding>;

export const FloorResponse = Type.Object({
  floorYuan: Type.Number(),
  floorYuanPerM2: Type.Number(),
  binding: FloorBinding,
  indicative: Type.Boolean({ description: 'true: the indicative minimum from the public terms only (public and investors); the final 出让底价 is set by the bureau and may be higher' }),
  components: Type.Object({
    benchmarkYuan: Type.Number(),
    costYuan: Type.Union([Type.Number(), Type.Null()], { description: 'null when the caller may not see the plot\'s cost, or (bureau, costRecorded false) when it is not recorded' }),
    nationalMinimumYuan: Type.Number(),
    provincialMinimumYuan: Type.Union([Type.Number(), Type.Null()], { description: 'P × A × K; null when no provincial figure applies' }),
  }),
  costRecorded: Type.Optional(Type.Boolean({ description: 'Bureau answers only: false = the cost is not recorded, the floor is incomplete and no allocation may be proposed or approved on it' })),
  caveatZh: Type.Optional(Type.String({ description: 'Public answers: the final 出让底价 is set by the bureau and may be higher' })),
  caveatEn: Type.Optional(Type.String()),
  termFactor: Type.Number({ description: 'K(n); 1 for 50 years' }),
  termYears: Type.Integer(),
  areaM2: Type.Number(),
  factor: Type.Number({ description: 'Share of B: 0.7 for IAB, 1 otherwise (reference parameters)' }),
  nationalMinimumFactor: Type.Number(),
  messageZh: Type.String(),
  messageEn: Type.String(),
  basis: Type.Optional(
    Type.Object({
      plotId: Type.Integer(),
      plotCode: Type.String(),
      districtCode: Type.String(),
      landLevel: Type.Integer(),
      landGrade: Type.Integer(),
      benchmarkYuanPerM2: Type.Number(),
      benchmarkSample: Type.Boolean(),
      nationalMinYuanPerM2: Type.Number(),
      nationalMinimumVerified: Type.Boolean(),
      provincialMinYuanPerM2: Type.Union([Type.Number(), Type.Null()], { description: 'P for the grade; null when no provincial figure applies' }),
      provincialMinimumVerified: Type.Union([Type.Boolean(), Type.Null()]),
      gradeVerified: Type.Boolean(),
      gradeAssumption: Type.Boolean(),
      plotSample: Type.Boolean(),
    }),
  ),
  referenceVersions: Type.Record(Type.String(), Type.Integer(), { description: 'The reference data versions used, by kind' }),
  asOf: Type.String({ description: 'Date the reference data was taken as of' }),
});
export type FloorResponse = Static<typeof FloorResponse>;
