/**
 * What a caller may see of a land price floor (POLICY.md "Who may see what", 五(三)14). C (the
 * cost) and the 出让底价 are confidential until a sale ends (招拍挂: the 底价 is set by collective
 * decision and kept secret). The public and investors get the **indicative minimum**: the
 * largest of the public terms only — benchmark share, national and provincial minimum, each
 * term-corrected — with a caveat that the bureau sets the final reserve price and that it may be
 * higher. Nothing in a public answer depends on C, so nothing in it equals or implies C: not the
 * figure, not the figure per m², not the binding term (never `cost`), not the message.
 *
 * This is the ONE function that decides what an audience sees of a quote. The server chooses the
 * audience with `disclosureFor` (server/modules/auth/scope.ts: the bureau, and a district officer in
 * their own district, see `internal`); everything that answers the public with a floor goes
 * through {@link discloseFloor}, and the investor search's SQL computes the same public terms
 * (tests/api/search.test.ts holds them equal).
 */
import type { BilingualMessage } from '../domain.ts';
import { ceilDiv } from '../money.ts';
import { bindingTerm, floorMessage, INDICATIVE_CAVEAT, type FloorBinding, type FloorComponents, type PriceFloor } from './price-floor.ts';

/** `internal`: the full breakdown (bureau); `public`: the indicative minimum only. */
export type FloorAudience = 'internal' | 'public';

/** The terms a public answer may use and name. */
export const PUBLIC_FLOOR_TERMS = ['benchmark', 'national_minimum', 'provincial_minimum'] as const satisfies readonly FloorBinding[];
export type PublicFloorBinding = (typeof PUBLIC_FLOOR_TERMS)[number];

export interface DisclosedFloor extends BilingualMessage {
  readonly audience: FloorAudience;
  /** true: an indicative minimum from public terms (the final 出让底价 may be higher). */
  readonly indicative: boolean;
  readonly floorFen: bigint;
  readonly floorFenPerM2: bigint;
  /** Public answers: never `cost`. */
  readonly binding: FloorBinding;
  /** Public answers: `costFen` is always null. */
  readonly components: FloorComponents;
  /** Bureau answers: whether C is recorded. Public answers: null (not disclosed either way). */
  readonly costRecorded: boolean | null;
  /** Public answers: the bilingual caveat that the bureau sets the final price; bureau: null. */
  readonly caveat: { readonly zh: string; readonly en: string } | null;
  readonly termYears: number;
  readonly termFactor: number;
  readonly factor: number;
  readonly nationalMinimumFactor: number;
  readonly areaM2: number;
}

/**
 * The indicative minimum of a floor: max of its public terms (ties in the clause's order),
 * per m² rounded up to the fen. Depends on B, N, P, A and K only — never on C.
 */
export function publicFloor(f: PriceFloor): DisclosedFloor {
  const c = f.components;
  const { binding, floorFen } = bindingTerm({ benchmark: c.benchmarkFen, national_minimum: c.nationalMinimumFen, provincial_minimum: c.provincialMinimumFen });
  const floorFenPerM2 = ceilDiv(floorFen * 100n, f.areaHundredths);
  const components: FloorComponents = { benchmarkFen: c.benchmarkFen, costFen: null, nationalMinimumFen: c.nationalMinimumFen, provincialMinimumFen: c.provincialMinimumFen };
  return {
    audience: 'public',
    indicative: true,
    floorFen,
    floorFenPerM2,
    binding,
    components,
    costRecorded: null,
    caveat: INDICATIVE_CAVEAT,
    termYears: f.termYears,
    termFactor: f.termFactor,
    factor: f.factor,
    nationalMinimumFactor: f.nationalMinimumFactor,
    areaM2: f.areaM2,
    ...floorMessage({
      kind: 'indicative', floorFen, floorFenPerM2, areaH: f.areaHundredths, binding, factorBp: f.factorBp, components,
      showCost: false, termYears: f.termYears, termFactor: f.termFactor,
    }),
  };
}

/** What `audience` may see of floor `f`: the full floor (bureau) or {@link publicFloor}. */
export function discloseFloor(f: PriceFloor, audience: FloorAudience): DisclosedFloor {
  if (audience === 'public') return publicFloor(f);
  return {
    audience,
    indicative: false,
    floorFen: f.floorFen,
    floorFenPerM2: f.floorFenPerM2,
    binding: f.binding,
    components: f.components,
    costRecorded: f.costRecorded,
    caveat: null,
    termYears: f.termYears,
    termFactor: f.termFactor,
    factor: f.factor,
    nationalMinimumFactor: f.nationalMinimumFactor,
    areaM2: f.areaM2,
    messageZh: f.messageZh,
    messageEn: f.messageEn,
  };
}
