/** zh-CN strings for the allocations screens (merged into `../zh.ts`; keys prefixed to avoid clashes). */
export const allocationsZh = {
  'allocations.title': 'allocations',
} as const;
