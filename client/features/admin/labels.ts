/** Display names for roles (from shared/roles.ts) in the interface language. */
import { ROLE_LABELS, type Role } from '../../../shared/roles.ts';
import type { Locale } from '../../i18n/index.ts';

export function roleLabel(role: Role, locale: Locale): string {
  return ROLE_LABELS[role][locale === 'en' ? 'en' : 'zh'];
}

/** A role read from an audit event (any string): its label when it is a role, else as given. */
export function roleLabelLoose(role: string | null, locale: Locale): string | null {
  if (role === null) return null;
  return role in ROLE_LABELS ? roleLabel(role as Role, locale) : role;
}
