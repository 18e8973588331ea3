import type { locateZh } from './i18n.zh.ts';

/** English strings for issue #18 part 5 (same keys as i18n.zh.ts; spread into client/i18n/en.ts). */
export const locateEn: Record<keyof typeof locateZh, string> = {
  'panelLinks.label': 'Next steps for this plot',
  'panelLinks.sheet': 'Plot sheet',
  'panelLinks.interest': 'Register interest',
  'panelLinks.compare': 'Compare',
  'panelLinks.compareN': 'Compare ({n} plots)',

  'locate.title': 'Location map and boundary points',
  'locate.plotMapTitle': 'Location of plot {code}',
  'locate.plotMapCaption': 'Red: this plot; grey: the plots around it. Drawn offline from the parcel data; not a survey.',
  'locate.parkMapTitle': 'Location of {name}',
  'locate.parkMapCaption': 'Dashed red: the park boundary; plots coloured by status. Drawn offline from the parcel data.',
  'locate.north': 'N',
  'locate.km': 'km',
  'locate.pointsCaption': 'Boundary points (界址点), CGCS2000 3-degree Gauss–Krüger, central meridian 114°E, EPSG:4547; X = northing, Y = easting, metres',
  'locate.pointNo': 'Point',
  'locate.x': 'X (northing)',
  'locate.y': 'Y (easting)',
  'locate.side': 'Side (m)',
  'locate.floorWithheld': 'The price-floor working includes internal figures (cost) and is not printed on the plot sheet.',

  'auditUi.anyAction': 'Any action',
  'auditUi.anyEntity': 'Any record type',
  'auditUi.anyone': 'Anyone',
  'auditUi.fromDay': 'From',
  'auditUi.toDay': 'To (inclusive)',
  'auditUi.atBeijing': 'Time (Beijing)',
  'auditUi.timeZoneNote': 'All times are Beijing time (UTC+8).',

  'money.exact': 'Exact amount: {value}',
};
