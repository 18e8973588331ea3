/**
 * The administrator's user forms, checked in the browser before they are sent so mistakes show
 * next to the field. The server checks the same rules again and has the last word
 * (server/modules/users/service.ts, server/modules/auth/password.ts); the patterns here mirror those.
 */
import { isRole, roleNeedsDistrict, type Role } from '../../../shared/roles.ts';
import type { NewUserBody, UserPatchBody, UserRecord } from '../../api/index.ts';

/** server/modules/users/service.ts USERNAME_PATTERN: ASCII letters, digits and . _ @ -, 2–100 characters. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{1,99}$/;
export const MIN_PASSWORD_LENGTH = 10;

export type PasswordProblem = 'tooShort' | 'containsUsername' | 'tooRepetitive';

/** The server's password policy (server/modules/auth/password.ts `passwordProblem`), for early feedback. */
export function passwordProblem(password: string, username?: string): PasswordProblem | null {
  if ([...password].length < MIN_PASSWORD_LENGTH) return 'tooShort';
  if (username && password.toLowerCase().includes(username.toLowerCase())) return 'containsUsername';
  if (new Set(password).size < 4) return 'tooRepetitive';
  return null;
}

export interface UserFormValues {
  username: string;
  displayName: string;
  role: Role | '';
  districtCode: string;
  password: string;
  mustChangePassword: boolean;
}

export type UserFormField = keyof UserFormValues;
export type UserFormProblem = 'required' | 'usernamePattern' | 'districtRequired' | PasswordProblem;
export type UserFormErrors = Partial<Record<UserFormField, UserFormProblem>>;

export const EMPTY_USER_FORM: UserFormValues = {
  username: '',
  displayName: '',
  role: '',
  districtCode: '',
  password: '',
  mustChangePassword: true,
};

/** A new user's form → the request body, or the problems by field. */
export function checkNewUser(v: UserFormValues): { ok: true; body: NewUserBody } | { ok: false; errors: UserFormErrors } {
  const errors: UserFormErrors = {};
  const username = v.username.trim();
  const displayName = v.displayName.trim();
  if (!username) errors.username = 'required';
  else if (!USERNAME_PATTERN.test(username)) errors.username = 'usernamePattern';
  if (!displayName) errors.displayName = 'required';
  if (!isRole(v.role)) errors.role = 'required';
  else if (roleNeedsDistrict(v.role) && !v.districtCode) errors.districtCode = 'districtRequired';
  const pw = passwordProblem(v.password, username || undefined);
  if (!v.password) errors.password = 'required';
  else if (pw) errors.password = pw;
  if (Object.keys(errors).length > 0 || !isRole(v.role)) return { ok: false, errors };
  return {
    ok: true,
    body: {
      username,
      displayName,
      role: v.role,
      districtCode: roleNeedsDistrict(v.role) ? v.districtCode : null,
      password: v.password,
      mustChangePassword: v.mustChangePassword,
    },
  };
}

export interface UserEditValues {
  displayName: string;
  role: Role;
  districtCode: string;
}

/** An edit of name, role or district → only what changed, or the problems. null: nothing changed. */
export function checkUserEdit(
  user: Pick<UserRecord, 'displayName' | 'role' | 'districtCode'>,
  v: UserEditValues,
): { ok: true; patch: UserPatchBody | null } | { ok: false; errors: UserFormErrors } {
  const displayName = v.displayName.trim();
  if (!displayName) return { ok: false, errors: { displayName: 'required' } };
  const needsDistrict = roleNeedsDistrict(v.role);
  if (needsDistrict && !v.districtCode) return { ok: false, errors: { districtCode: 'districtRequired' } };
  const districtCode = needsDistrict ? v.districtCode : null;
  const patch: UserPatchBody = {};
  if (displayName !== user.displayName) patch.displayName = displayName;
  if (v.role !== user.role) patch.role = v.role;
  if (districtCode !== user.districtCode) patch.districtCode = districtCode;
  return { ok: true, patch: Object.keys(patch).length > 0 ? patch : null };
}

/** No 0/O, 1/l/I: a temporary password is read out or typed from a screen. */
const PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * A temporary password for a new user or a reset: 14 characters from a 56-letter alphabet
 * (≈ 81 bits) drawn with rejection sampling, so every letter is equally likely. `random` fills
 * an array with random bytes (crypto.getRandomValues in the browser; injectable for tests).
 */
export function generatePassword(
  length = 14,
  random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b),
): string {
  const n = PASSWORD_ALPHABET.length;
  const limit = 256 - (256 % n); // bytes ≥ limit would favour the first letters
  for (let attempt = 0; attempt < 100; attempt++) {
    let out = '';
    for (let round = 0; out.length < length && round < 100; round++) {
      for (const byte of random(new Uint8Array(length * 2))) {
        if (byte < limit && out.length < length) out += PASSWORD_ALPHABET[byte % n];
      }
    }
    if (passwordProblem(out) === null) return out;
  }
  throw new Error('generatePassword: the random source keeps giving unusable passwords');
}
