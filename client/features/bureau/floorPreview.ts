/**
 * The live floor preview of the Allocate panel (五(三)14), computed in the browser by the very
 * functions the server checks a proposal with (shared/policy: `supplyFloors` — which checks a
 * supply mode takes and their floors — and `checkSupplyPrice`), so the preview and the server
 * agree to the fen.
 *
 * The plot's inputs — area A, benchmark B at its land level, cost C, national minimum N and
 * provincial minimum P for its grade — come from one `POST /api/quotes/price-floor { plotId }`
 * (the bureau sees C, or that it is not recorded: then the preview leaves C out and the server
 * refuses the proposal with COST_NOT_RECORDED), and the
 * parameters (IAB share of B, capitalization rate, rent share) from `GET /api/reference`.
 */
import type { ValidationFailure } from '../../../shared/domain.ts';
import { ceilDiv, fenToYuanString } from '../../../shared/money.ts';
import {
  checkSupplyPrice,
  DEFAULT_PARAMETERS,
  floorChecksFor,
  supplyFloors,
  type FloorBinding,
  type PolicyParameters,
  type PriceFloor,
  type SupplyFloorLine,
} from '../../../shared/policy/index.ts';
import { m2ToHundredths } from '../../../shared/units.ts';
import type { SupplyMode } from '../../../shared/supply-modes.ts';
import type { PlotFloorQuote } from '../../api/index.ts';

/** A plot's floor inputs and their provenance flags. */
export interface PlotFloorInputs {
  areaM2: number;
  benchmarkYuanPerM2: number;
  /** null: not recorded (costRecorded false) or not disclosed to this user; never read as 0. */
  costYuan: number | null;
  /** false: the plot's cost is not recorded (no proposal or approval may rely on the floor); null: not disclosed. */
  costRecorded: boolean | null;
  nationalMinYuanPerM2: number;
  /** P for the plot's grade; null when no provincial figure applies. */
  provincialMinYuanPerM2: number | null;
  provincialMinimumVerified: boolean | null;
  landLevel: number | null;
  landGrade: number | null;
  benchmarkSample: boolean;
  plotSample: boolean;
  gradeAssumption: boolean;
  nationalMinimumVerified: boolean;
  asOf: string;
}

/** The inputs behind a plot quote (any term: A, B, C and N do not depend on it). */
export function inputsFromQuote(q: PlotFloorQuote): PlotFloorInputs | null {
  if (!q.basis) return null;
  return {
    areaM2: q.areaM2,
    benchmarkYuanPerM2: q.basis.benchmarkYuanPerM2,
    costYuan: q.components.costYuan,
    costRecorded: q.costRecorded ?? null,
    nationalMinYuanPerM2: q.basis.nationalMinYuanPerM2,
    provincialMinYuanPerM2: q.basis.provincialMinYuanPerM2 ?? null,
    provincialMinimumVerified: q.basis.provincialMinimumVerified ?? null,
    landLevel: q.basis.landLevel,
    landGrade: q.basis.landGrade,
    benchmarkSample: q.basis.benchmarkSample,
    plotSample: q.basis.plotSample,
    gradeAssumption: q.basis.gradeAssumption,
    nationalMinimumVerified: q.basis.nationalMinimumVerified,
    asOf: q.asOf,
  };
}

/** One comparison the server will make: the price (or a rent) against its floor. */
export interface PreviewLine {
  /** `price`: the supply price (transfer modes); `annual_rent`: a lease's annual rent. */
  subject: 'price' | 'annual_rent';
  /** The floor for the whole plot, fen (for a rent: per year). */
  floorFen: bigint;
  /** The floor per m² of the plot, fen, rounded up. */
  floorPerM2Fen: bigint;
  binding: FloorBinding;
  /** The term of the land price behind this floor (a rent's is the 50-year floor). */
  termYears: number;
  termFactor: number;
  /** The land-price floor this line stands on (its four components). */
  basis: PriceFloor;
  /** Rent floors only: the share of the 50-year floor (200 = 2 %). */
  rentShareBp: number | null;
  /** What was typed (fen, whole plot), or null when blank. */
  offeredFen: bigint | null;
  /** null until a figure is typed. */
  ok: boolean | null;
  shortfallFen: bigint;
}

export type FloorPreview =
  | { state: 'incomplete' }
  | { state: 'invalid'; failure: ValidationFailure }
  | { state: 'ok'; lines: PreviewLine[]; belowFloor: boolean };

export interface PreviewTerms {
  mode: SupplyMode;
  termYears: number;
  leaseYears: number | null;
  iab: boolean;
  /** The supply price (or a long-term lease's annual rent), fen for the whole plot. */
  priceFen: bigint | null;
  /** lease-then-transfer: the annual rent during the lease, fen. */
  annualRentFen: bigint | null;
}

function line(l: SupplyFloorLine, areaM2: number, offeredFen: bigint | null): PreviewLine {
  const check = offeredFen === null ? null : checkSupplyPrice({ priceYuan: fenToYuanString(offeredFen), floorFen: l.floorFen });
  const ok = check === null ? null : check.ok;
  return {
    subject: l.subject,
    floorFen: l.floorFen,
    floorPerM2Fen: ceilDiv(l.floorFen * 100n, m2ToHundredths(areaM2)),
    binding: l.basis.binding,
    termYears: l.basis.termYears,
    termFactor: l.basis.termFactor,
    basis: l.basis,
    rentShareBp: l.rentShareBp,
    offeredFen,
    ok,
    shortfallFen: check && !check.ok && check.code === 'BELOW_PRICE_FLOOR' ? check.shortfallFen : 0n,
  };
}

/**
 * The floors for these terms and how the typed price (and rent) compare: the mode's checks and
 * floors are `supplyFloors` of shared/policy, the server's own. `invalid` carries the shared
 * module's bilingual reason (a term out of range, say). A cost that is null (not recorded) is
 * left out — never read as 0 — and the floor says `costRecorded: false`.
 */
export function previewFloor(inputs: PlotFloorInputs, t: PreviewTerms, params: PolicyParameters = DEFAULT_PARAMETERS): FloorPreview {
  if (floorChecksFor(t.mode).leaseYearsField && t.leaseYears === null) return { state: 'incomplete' };
  const floors = supplyFloors(
    {
      areaM2: inputs.areaM2,
      benchmarkYuanPerM2: inputs.benchmarkYuanPerM2,
      costYuan: inputs.costYuan,
      nationalMinYuanPerM2: inputs.nationalMinYuanPerM2,
      provincialMinYuanPerM2: inputs.provincialMinYuanPerM2,
      iab: t.iab,
      params,
    },
    t.mode,
    { termYears: t.termYears, leaseYears: t.leaseYears },
  );
  if (!floors.ok) return { state: 'invalid', failure: floors };
  // Each check's offered figure: the price field, or (lease-then-transfer) the rent field.
  const offered = (l: SupplyFloorLine) => (l.field === 'annualRentYuan' ? t.annualRentFen : t.priceFen);
  const lines = floors.lines.map((l) => line(l, inputs.areaM2, offered(l)));
  return { state: 'ok', lines, belowFloor: lines.some((l) => l.ok === false) };
}

/** The floor the price field stands for (for "use the floor"): the price line, or a lease's rent. */
export function priceFieldFloor(p: FloorPreview): bigint | null {
  if (p.state !== 'ok') return null;
  const l = p.lines.find((x) => x.subject === 'price') ?? p.lines[0];
  return l ? l.floorFen : null;
}

/** lease-then-transfer: the rent floor for the rent field. */
export function rentFieldFloor(p: FloorPreview): bigint | null {
  if (p.state !== 'ok' || p.lines.length < 2) return null;
  return p.lines.find((x) => x.subject === 'annual_rent')?.floorFen ?? null;
}
