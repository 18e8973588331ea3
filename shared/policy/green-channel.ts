/**
 * The approval green channel (绿色通道) of 五(三)12: "对10个价值创新园区和全市范围内的重大IAB产业
 * 建设项目 … 开辟绿色通道". An allocation is on it when the plot's park is one of the ten core
 * parks (tier `core`, 四(三)8) or the project is an IAB key project (IAB重点项目, 四(二)6).
 * Decided once, when the allocation is proposed; the server records the answer, the client
 * shows and sorts by it.
 */
import type { ParkTier } from '../domain.ts';

/** Why an allocation is on the green channel: its park is a core park, its project a key IAB project. */
export const GREEN_CHANNEL_REASONS = ['core_park', 'key_project'] as const;
export type GreenChannelReason = (typeof GREEN_CHANNEL_REASONS)[number];

export interface GreenChannel {
  readonly greenChannel: boolean;
  readonly reasons: readonly GreenChannelReason[];
}

/**
 * 五(三)12: is an allocation on the green channel? `parkTier` is the tier of the plot's park
 * (`null` when the park is not a value-innovation park); `keyProject` the project's key IAB
 * project flag (only IAB projects can carry it).
 */
export function greenChannel(input: { readonly parkTier: ParkTier | null; readonly keyProject: boolean }): GreenChannel {
  const reasons: GreenChannelReason[] = [];
  if (input.parkTier === 'core') reasons.push('core_park');
  if (input.keyProject) reasons.push('key_project');
  return { greenChannel: reasons.length > 0, reasons };
}
