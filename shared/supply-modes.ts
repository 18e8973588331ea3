/**
 * Supply modes (供地方式 / 年期方式) an investor may ask for on a plot, as data.
 * The vocabulary is the allocation `mode` of API.md: `transfer` (出让, 50 years),
 * `flexible_term` (弹性年期出让), `lease_then_transfer` (先租后让), `long_term_lease` (长期租赁),
 * all under 五(三)14.
 *
 * The rule shown to investors is by land use and is INDICATIVE — the bureau confirms the modes
 * for each plot when it answers an interest:
 * - 工业用地 M1, M2, M3: all four modes (the plan's flexible supply applies to industrial land);
 * - 新型产业用地 M0 (R&D, pilot, clean production): transfer and long-term lease — M0 is typically
 *   transferred for the full term or leased; flexible-term and lease-then-transfer are for
 *   manufacturing land in Guangzhou's practice.
 */
import type { LandUse } from './domain.ts';

export const SUPPLY_MODES = ['transfer', 'flexible_term', 'lease_then_transfer', 'long_term_lease'] as const;
export type SupplyMode = (typeof SUPPLY_MODES)[number];

export const SUPPLY_MODE_LABELS = {
  transfer: { zh: '出让（50年）', en: 'Transfer (50 years)' },
  flexible_term: { zh: '弹性年期出让', en: 'Flexible-term transfer' },
  lease_then_transfer: { zh: '先租后让', en: 'Lease, then transfer' },
  long_term_lease: { zh: '长期租赁', en: 'Long-term lease' },
} as const satisfies Record<SupplyMode, { zh: string; en: string }>;

/** The indicative modes by land use (the bureau confirms per plot). */
export const SUPPLY_MODES_BY_LAND_USE = {
  M0: ['transfer', 'long_term_lease'],
  M1: SUPPLY_MODES,
  M2: SUPPLY_MODES,
  M3: SUPPLY_MODES,
} as const satisfies Record<LandUse, readonly SupplyMode[]>;

export function isSupplyMode(x: unknown): x is SupplyMode {
  return typeof x === 'string' && (SUPPLY_MODES as readonly string[]).includes(x);
}

/** The modes indicatively available on a plot of this land use. */
export function supplyModesFor(landUse: LandUse): readonly SupplyMode[] {
  return SUPPLY_MODES_BY_LAND_USE[landUse];
}

/** The land uses on which every one of `wanted` is available (all land uses when none is asked). */
export function landUsesOffering(wanted: readonly SupplyMode[]): LandUse[] {
  return (Object.keys(SUPPLY_MODES_BY_LAND_USE) as LandUse[]).filter((lu) =>
    wanted.every((m) => (SUPPLY_MODES_BY_LAND_USE[lu] as readonly SupplyMode[]).includes(m)),
  );
}
