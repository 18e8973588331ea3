import type { referenceZh } from './i18n.zh.ts';

/** The reference page (/admin/reference): where each policy parameter comes from, and confirming it. */
export const referenceEn: Record<keyof typeof referenceZh, string> = {
  'nav.reference': 'Reference data',
  'reference.title': 'Reference data: policy parameters',
  'reference.intro': 'Each parameter names its real source: the plan’s clause for what the plan states (70 %, 5000 亩, 20 %, 1亿元, 15 %/14 %); the national rule or standard where there is one; otherwise a bureau assumption. Parameters an administrator has not confirmed are marked “to verify”.',
  'reference.asOf': 'Version in force on {date} (#{version})',
  'reference.col.parameter': 'Parameter',
  'reference.col.value': 'Value',
  'reference.col.basis': 'Basis',
  'reference.col.source': 'Recorded source',
  'reference.col.status': 'Status',
  'reference.basis.plan': 'Action plan',
  'reference.basis.national_rule': 'National rule',
  'reference.basis.bureau_assumption': 'Bureau assumption',
  'reference.verified': 'Verified',
  'reference.unverified': 'To verify',
  'reference.confirm': 'Confirm',
  'reference.confirmTitle': 'Confirm parameter: {label}',
  'reference.confirmBody': 'Confirm that “{label}” = {value} is right? A new version effective today is added (same value, marked verified); the old version is kept and the confirmation is audited.',
  'reference.confirmSource': 'Confirmed against (document, minutes; optional)',
  'reference.confirmed': 'Confirmed “{label}” (new version #{version}).',
  'reference.readOnly': 'Read-only: parameters are confirmed by an administrator.',
  'reference.yes': 'yes',
  'reference.no': 'no',
  'reference.unit.years': '{n} years',
  'reference.unit.mu': '{n} mu',
};
