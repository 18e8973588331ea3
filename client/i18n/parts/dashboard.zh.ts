/** zh-CN strings for the dashboard screens (merged into `../zh.ts`; keys prefixed to avoid clashes). */
export const dashboardZh = {
  'dashboard.title': 'dashboard',
} as const;
