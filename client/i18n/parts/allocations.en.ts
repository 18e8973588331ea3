import type { allocationsZh } from './allocations.zh.ts';

/** English for the allocations screens: same keys as `allocations.zh.ts` or it doesn't compile. */
export const allocationsEn: Record<keyof typeof allocationsZh, string> = {
  'allocations.title': 'allocations',
};
