import type { floorToolZh } from './i18n.zh.ts';

/** English for the price-floor calculator: same keys as `i18n.zh.ts` or it doesn't compile. */
export const floorToolEn: Record<keyof typeof floorToolZh, string> = {
  'tool.eyebrow': 'Tools',
  'tool.lead': 'Enter a plot\'s figures to see its price floor at once. The browser runs the same function as the server, so the result agrees to the fen.',
  'tool.figures': 'Figures',
  'tool.area': 'Plot area A (m²)',
  'tool.benchmark': 'Industrial benchmark price B (yuan/m²)',
  'tool.cost': 'Land cost C (yuan, total)',
  'tool.costHint': 'Acquisition, pre-development cost and fees due; leave blank if unknown ("cost not recorded": the result is incomplete), enter 0 only if it is 0.',
  'tool.provincialMin': 'Provincial minimum price P (yuan/m², optional)',
  'tool.provincialMinHint': 'The province’s minimum transfer price; leave blank when there is no provincial figure (not counted).',
  'tool.costNotRecorded': 'No land cost entered: the floor below leaves the cost out and is incomplete.',
  'tool.nationalMin': 'National minimum price N (yuan/m²)',
  'tool.term': 'Term n (years)',
  'tool.termHint': 'A whole number 1–{max}; terms under {max} years are corrected by the factor K.',
  'tool.iab': 'IAB project (next-generation IT, AI, biomedicine)',
  'tool.fillTitle': 'Fill in B and N from the reference data',
  'tool.landLevel': 'Land level',
  'tool.fill': 'Fill in',
  'tool.filled': 'Filled in: B = ¥{b}/m², grade {grade} N = ¥{n}/m²',
  'tool.fillMissing': 'The reference data has no complete figures for that district and level.',
  'tool.result': 'Result',
  'tool.incomplete': 'Enter the area, benchmark price, national minimum price and term.',
  'tool.bindingIs': 'Set by:',
  'tool.components': 'Terms compared',
  'tool.formula': 'Floor = max({pct}% × B × A × K, C, N × A × K, P × A × K), n = {n} years; each term rounded up to the fen.',
  'tool.paramsAsOf': 'Computed with the action plan and the bureau\'s parameters: reference data in force on {date} (capitalization rate {rate}%, a bureau assumption).',
  'tool.paramsDefault': 'Reference data unavailable; computed with the action plan\'s figures and the bureau\'s default parameters.',
  'tool.unverified': 'To verify',
  'tool.sameFunction': 'Function: shared/policy/price-floor.ts (the same as the server\'s quotes and allocation checks).',

};
