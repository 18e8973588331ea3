import type { dashboardZh } from './dashboard.zh.ts';

/** English for the dashboard screens: same keys as `dashboard.zh.ts` or it doesn't compile. */
export const dashboardEn: Record<keyof typeof dashboardZh, string> = {
  'dashboard.title': 'dashboard',
};
