/**
 * 五(三)14: the floors a proposal in a supply mode is checked against, decided once for the
 * server (which refuses a price below them) and the client (which previews them while typing).
 * Which checks a mode takes is {@link floorChecksFor}; each line here carries that check's rule
 * and the floor it compares with. Comparing an offered figure is `checkSupplyPrice`.
 */
import type { ValidationFailure } from '../domain.ts';
import type { SupplyMode } from '../supply-modes.ts';
import { DEFAULT_PARAMETERS } from './parameters.ts';
import { leaseThenTransfer, longTermLease, priceFloor, type FloorInput, type LeaseThenTransfer, type LongTermLease, type PriceFloor } from './price-floor.ts';
import { checkTerms, floorChecksFor, termFailure, type FloorCheckRule } from './supply-terms.ts';

/** One floor a figure of the proposal is compared with. */
export interface SupplyFloorLine extends FloorCheckRule {
  /** The floor for the whole plot, fen (for a rent: per year). */
  readonly floorFen: bigint;
  /** The land price floor behind it: K(term) for a price, the statutory-term floor behind a rent. */
  readonly basis: PriceFloor;
  /** Rent floors only: the share of the statutory-term floor (200 = 2 %). */
  readonly rentShareBp: number | null;
}

export type SupplyFloors =
  | { readonly ok: true; readonly mode: 'transfer' | 'flexible_term'; readonly lines: readonly SupplyFloorLine[]; readonly floor: PriceFloor }
  | { readonly ok: true; readonly mode: 'long_term_lease'; readonly lines: readonly SupplyFloorLine[]; readonly lease: LongTermLease }
  | { readonly ok: true; readonly mode: 'lease_then_transfer'; readonly lines: readonly SupplyFloorLine[]; readonly ltt: LeaseThenTransfer };

/**
 * The floors for a mode's terms: the mode's term rule is checked first (a failure in both
 * languages, see `termFailure`), then the figures; lines in the order of `floorChecksFor(mode)`.
 * `leaseYears` is read only for a lease-then-transfer. A cost that is null (not recorded) is
 * left out — never read as 0 — and the floor says `costRecorded: false`.
 */
export function supplyFloors(
  input: FloorInput,
  mode: SupplyMode,
  terms: { termYears: number; leaseYears: number | null },
): SupplyFloors | ValidationFailure {
  const params = input.params ?? DEFAULT_PARAMETERS;
  const [first, second] = floorChecksFor(mode).checks as [FloorCheckRule, FloorCheckRule | undefined];
  switch (mode) {
    case 'transfer':
    case 'flexible_term': {
      const t = checkTerms(mode, { termYears: terms.termYears, leaseYears: null }, params);
      if (!t.ok) return termFailure(mode, t.problem);
      const floor = priceFloor({ ...input, termYears: terms.termYears });
      if (!floor.ok) return floor;
      return { ok: true, mode, floor, lines: [{ ...first, floorFen: floor.floorFen, basis: floor, rentShareBp: null }] };
    }
    case 'long_term_lease': {
      const lease = longTermLease({ ...input, leaseYears: terms.termYears });
      if (!lease.ok) return lease;
      return { ok: true, mode, lease, lines: [{ ...first, floorFen: lease.annualRentFloorFen, basis: lease.floor50, rentShareBp: lease.rentShareBp }] };
    }
    case 'lease_then_transfer': {
      if (terms.leaseYears === null) return termFailure(mode, { code: 'LEASE_YEARS_REQUIRED', field: 'leaseYears' });
      const ltt = leaseThenTransfer({ ...input, leaseYears: terms.leaseYears, transferYears: terms.termYears });
      if (!ltt.ok) return ltt;
      return {
        ok: true,
        mode,
        ltt,
        lines: [
          { ...first, floorFen: ltt.annualRentFloorFen, basis: ltt.rent.floor50, rentShareBp: ltt.rent.rentShareBp },
          { ...second!, floorFen: ltt.transferFloor.floorFen, basis: ltt.transferFloor, rentShareBp: null },
        ],
      };
    }
  }
}
