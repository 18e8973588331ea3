import type { sitingZh } from './i18n.zh.ts';

/** English strings for siting (same keys as i18n.zh.ts; spread into client/i18n/en.ts). */
export const sitingEn: Record<keyof typeof sitingZh, string> = {
  'siting.nav': 'Site finder',
  'siting.title': 'Find a site for a project',
  'siting.lead': 'Available plots ranked for your project, every score explained',
  'siting.fromSearch': 'Find a site by project requirements →',

  'siting.sector.ngit': 'New-generation IT',
  'siting.sector.ai': 'Artificial intelligence',
  'siting.sector.biomed': 'Biomedicine',
  'siting.sector.other': 'Other (non-IAB)',

  'siting.hub.airport': 'Airport',
  'siting.hub.port': 'Port',
  'siting.hub.rail': 'Rail station',
  'siting.hub.metro': 'Metro station',
  'siting.hub.anchor': 'Innovation anchor',

  'siting.form.title': 'Project land requirements',
  'siting.form.sector': 'Sector',
  'siting.form.area': 'Area (亩)',
  'siting.form.areaMin': 'Smallest area (亩)',
  'siting.form.areaMax': 'Largest area (亩)',
  'siting.form.maxPrice': 'Land budget, at most (yuan/m²)',
  'siting.form.maxPriceHint': 'Compared with the indicative minimum (public terms, IAB project, 50 years)',
  'siting.form.serviced': 'Serviced land only',
  'siting.form.near': 'Near a hub (straight line)',
  'siting.form.nearKind': 'Hub kind, row {n}',
  'siting.form.nearKm': 'Largest straight-line distance (km), row {n}',
  'siting.form.nearRemove': 'Remove hub row {n}',
  'siting.form.nearAdd': 'Add a hub',
  'siting.form.nearHint': 'Straight-line distance to the nearest hub of the kind; hubs are indicative locations (about ±1 km)',
  'siting.form.km': 'km',
  'siting.form.districts': 'Districts',
  'siting.form.any': 'Any',
  'siting.form.chosen': '{n} chosen',
  'siting.form.more': 'More requirements',
  'siting.form.landUse': 'Land use',
  'siting.form.supplyMode': 'Supply mode',
  'siting.form.projectHint': 'When given, plots whose 标准地 conditions your figures miss are left out (a condition not set never excludes)',
  'siting.form.submit': 'Find plots',
};
