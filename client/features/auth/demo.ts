/**
 * The published demo accounts (seeds/users.ts; password in the README). The login page lists
 * them only while the server says they sign in here (`/api/meta` → `demoAccounts`). Kept as
 * data here rather than imported from seeds/, which belongs to the server's build.
 */
import type { Role } from '../../../shared/roles.ts';

export const DEMO_PASSWORD = 'iab-demo-2026';

export const DEMO_ACCOUNTS: readonly { username: string; role: Role; district?: { zh: string; en: string } }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'land', role: 'land_officer' },
  { username: 'industry', role: 'industry_officer' },
  { username: 'district-huangpu', role: 'district_officer', district: { zh: '黄埔区', en: 'Huangpu' } },
  { username: 'district-tianhe', role: 'district_officer', district: { zh: '天河区', en: 'Tianhe' } },
  { username: 'investor', role: 'investor' },
];
