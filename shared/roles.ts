/**
 * Roles and what each may do, as data. The server declares each route's access
 * from these lists and the client uses the same lists to show or hide actions, so a rule is
 * written once. Pure data: no I/O, no framework.
 *
 * Who is who (the accounts issue):
 * - `admin` — bureau administrator: users, reference data, and everything a land officer does;
 * - `land_officer` — planning bureau: plots, holds, allocations, quotas;
 * - `industry_officer` — industry bureau: park subsidies;
 * - `district_officer` — bound to one district: full detail of that district, public view elsewhere;
 * - `investor` — a registered company user: their own interests and profile.
 * Anonymous callers (no session) see the public map, available plots, park information, quotes.
 */

export const ROLES = ['admin', 'land_officer', 'industry_officer', 'district_officer', 'investor'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export const ROLE_LABELS = {
  admin: { zh: '系统管理员', en: 'Administrator' },
  land_officer: { zh: '土地管理人员', en: 'Land officer' },
  industry_officer: { zh: '产业主管人员', en: 'Industry officer' },
  district_officer: { zh: '区级人员', en: 'District officer' },
  investor: { zh: '投资企业', en: 'Investor' },
} as const satisfies Record<Role, { zh: string; en: string }>;

/** Roles whose staff see every district's non-public detail (the bureau level). */
export const CITY_WIDE_ROLES = ['admin', 'land_officer', 'industry_officer'] as const satisfies readonly Role[];

/**
 * Permission → roles allowed. Routes use these lists as their `access`; the client asks
 * `can(role, permission)`. A district officer's permissions are further limited to their own
 * district by object-level checks on the server (`server/modules/auth/scope.ts`).
 */
export const PERMISSIONS = {
  /** Create users, change roles and districts, disable, reset passwords. */
  'users.manage': ['admin'],
  /** Reference data (benchmark prices, national minimums, policy parameters). */
  'reference.manage': ['admin'],
  /** Read the audit trail. */
  'audit.read': ['admin', 'land_officer'],
  /** Walk the audit hash chain. */
  'audit.verify': ['admin'],
  /** Create, edit, withdraw and import plots; holds. */
  'plots.manage': ['admin', 'land_officer'],
  /** Propose, approve, cancel allocations. */
  'allocations.manage': ['admin', 'land_officer'],
  /** Read allocations (district officers: their district only). */
  'allocations.read': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** Set the annual quota. */
  'quotas.manage': ['admin', 'land_officer'],
  /** Grant and withdraw park subsidies (the industry bureau's; the admin is the land bureau's). */
  'subsidies.manage': ['industry_officer'],
  /** Read park subsidies (district officers: their district only). */
  'subsidies.read': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** Non-public detail: cost inputs, internal notes, other parties' data (district officers: their district only). */
  'internal.read': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** A district's dashboard (district officers: their district only). */
  'districts.dashboard': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** Read and handle investors' expressions of interest. */
  'interests.manage': ['admin', 'land_officer'],
  /** An investor's own interests and profile. */
  'interests.own': ['investor'],
  /** Read supervision after the sale: idle land, evaluation, inspections (district officers: their district only). */
  'supervision.read': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** Record progress and government delays, and idle-land decisions (闲置费, 无偿收回) with their 决定文号. */
  'supervision.decide': ['admin', 'land_officer'],
  /** Send, carry out and close field inspections (district officers: their district only). */
  'supervision.inspect': ['admin', 'land_officer', 'district_officer'],
  /** Enter and import yearly 亩均 figures (district officers: their district only). */
  'performance.manage': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** Read project land demands (随用随供; district officers: those concerning their district). */
  'demands.read': ['admin', 'land_officer', 'industry_officer', 'district_officer'],
  /** Record, edit, close, rank and match project land demands. */
  'demands.manage': ['admin', 'land_officer'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Whether a role holds a permission (before any object-level check). */
export function can(role: Role | null | undefined, permission: Permission): boolean {
  return role != null && (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** District officers are bound to exactly one district; nobody else is. */
export function roleNeedsDistrict(role: Role): boolean {
  return role === 'district_officer';
}
