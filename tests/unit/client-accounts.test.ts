/**
 * The client's pure account helpers: server messages in one language, lockout waits, safe
 * redirects after sign-in, the demo account list, and the user forms — checked against the
 * server's own rules where the client mirrors them.
 */
import { describe, expect, it } from 'vitest';
import { localizeServerMessage, formatWait } from '../../client/features/auth/serverMessage.ts';
import { loginHref, safeNextPath } from '../../client/features/auth/redirect.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../client/features/auth/demo.ts';
import { roleLabel, roleLabelLoose } from '../../client/features/admin/labels.ts';
import {
  checkNewUser,
  checkUserEdit,
  EMPTY_USER_FORM,
  generatePassword,
  passwordProblem,
  USERNAME_PATTERN,
  type UserFormValues,
} from '../../client/features/admin/userForm.ts';
import { passwordProblem as serverPasswordProblem } from '../../server/modules/auth/password.ts';
import { USERNAME_PATTERN as SERVER_USERNAME_PATTERN } from '../../shared/contract/auth.ts';
import { DEMO_PASSWORD as SEED_PASSWORD, DEMO_USERS } from '../../seeds/users.ts';

describe('server messages in the interface language', () => {
  const msg = 'newPassword: The password must have at least 10 characters (密码至少 10 个字符).';

  it('gives Chinese the parenthesised Chinese part, without the field prefix', () => {
    expect(localizeServerMessage(msg, 'zh-CN')).toBe('密码至少 10 个字符');
  });

  it('gives English the text without the Chinese part', () => {
    expect(localizeServerMessage(msg, 'en')).toBe('The password must have at least 10 characters.');
    expect(localizeServerMessage('Wrong username or password (用户名或密码错误).', 'en')).toBe('Wrong username or password.');
  });

  it('leaves a message without Chinese as it is, in both languages', () => {
    const plain = 'The username "x" is taken (usernames are case-insensitive).';
    expect(localizeServerMessage(plain, 'zh-CN')).toBe(plain);
    expect(localizeServerMessage(plain, 'en')).toBe(plain);
  });

  it('reads full-width brackets and joins several Chinese parts', () => {
    expect(localizeServerMessage('A (甲). B （乙）.', 'zh-CN')).toBe('甲；乙');
  });

  it('never returns an empty string', () => {
    expect(localizeServerMessage('(只有中文)', 'en')).toBe('(只有中文)');
    expect(localizeServerMessage('', 'zh-CN')).toBe('');
  });
});

describe('how long a lockout lasts', () => {
  it.each([
    [0, '1 秒', '1 s'],
    [29.2, '30 秒', '30 s'],
    [60, '1 分钟', '1 min'],
    [125, '2 分 5 秒', '2 min 5 s'],
    [900, '15 分钟', '15 min'],
  ])('%s s → %s / %s', (s, zh, en) => {
    expect(formatWait(s, 'zh-CN')).toBe(zh);
    expect(formatWait(s, 'en')).toBe(en);
  });
});

describe('where to go after signing in', () => {
  it.each([
    ['/admin/users', '/admin/users'],
    ['/?plot=12&z=14', '/?plot=12&z=14'],
    ['/tools/floor?a=1', '/tools/floor?a=1'],
  ])('accepts the app path %s', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });

  it.each([
    [null],
    [''],
    ['https://evil.example/'],
    ['//evil.example/x'],
    ['/\\evil.example'],
    ['javascript:alert(1)'],
    ['admin/users'],
    ['/login'],
    ['/login?next=/x'],
    ['/a\nb'],
    ['/' + 'x'.repeat(2001)],
  ])('refuses %j (falls back to the map)', (next) => {
    expect(safeNextPath(next)).toBe('/');
  });

  it('links to the login page with the current page as next, or without it for the map', () => {
    expect(loginHref('/admin/users?x=1')).toBe('/login?next=%2Fadmin%2Fusers%3Fx%3D1');
    expect(loginHref('/')).toBe('/login');
    expect(loginHref('/login')).toBe('/login');
  });
});

describe('the demo accounts on the login page', () => {
  it('are exactly the seeded ones, with the seeded password', () => {
    expect(DEMO_PASSWORD).toBe(SEED_PASSWORD);
    expect(DEMO_ACCOUNTS.map((a) => [a.username, a.role])).toEqual(DEMO_USERS.map((u) => [u.username, u.role]));
    for (const a of DEMO_ACCOUNTS) {
      const seeded = DEMO_USERS.find((u) => u.username === a.username)!;
      expect(a.district !== undefined).toBe(seeded.districtCode !== null);
    }
  });
});

describe('role labels', () => {
  it('come from shared/roles.ts in the interface language', () => {
    expect(roleLabel('land_officer', 'zh-CN')).toBe('土地管理人员');
    expect(roleLabel('land_officer', 'en')).toBe('Land officer');
  });

  it('pass unknown roles from old audit events through', () => {
    expect(roleLabelLoose('auditor', 'en')).toBe('auditor');
    expect(roleLabelLoose(null, 'en')).toBeNull();
  });
});

describe('password policy (mirrors server/modules/auth/password.ts)', () => {
  const cases: [string, string | undefined][] = [
    ['short', undefined],
    ['aaaaaaaaaaaa', undefined],
    ['abababababab', undefined],
    ['xyz-admin-2026', 'admin'],
    ['XYZ-ADMIN-2026', 'admin'],
    ['good-password-1', 'admin'],
    ['安全的密码口令一二三四', undefined],
    ['🔐🔐🔐🔐🔐', undefined],
  ];
  it.each(cases)('%j (username %j) is judged as the server judges it', (pw, username) => {
    expect(passwordProblem(pw, username) === null).toBe(serverPasswordProblem(pw, username) === null);
  });

  it('names the problem', () => {
    expect(passwordProblem('short')).toBe('tooShort');
    expect(passwordProblem('xyz-admin-2026', 'admin')).toBe('containsUsername');
    expect(passwordProblem('abababababab')).toBe('tooRepetitive');
  });
});

describe('the new-user form', () => {
  const form = (over: Partial<UserFormValues> = {}): UserFormValues => ({
    ...EMPTY_USER_FORM,
    username: 'li.wei',
    displayName: ' 李伟 ',
    role: 'land_officer',
    password: 'temporary-pass-1',
    ...over,
  });

  it('uses the server’s username pattern', () => {
    expect(USERNAME_PATTERN.source).toBe(SERVER_USERNAME_PATTERN);
  });

  it('builds the request body, trimmed, with no district for roles without one', () => {
    const r = checkNewUser(form({ districtCode: '440112' }));
    expect(r).toEqual({
      ok: true,
      body: { username: 'li.wei', displayName: '李伟', role: 'land_officer', districtCode: null, password: 'temporary-pass-1', mustChangePassword: true },
    });
  });

  it('requires a district for a district officer', () => {
    expect(checkNewUser(form({ role: 'district_officer' }))).toEqual({ ok: false, errors: { districtCode: 'districtRequired' } });
    const ok = checkNewUser(form({ role: 'district_officer', districtCode: '440112' }));
    expect(ok.ok && ok.body.districtCode).toBe('440112');
  });

  it('reports every problem at once', () => {
    const r = checkNewUser({ ...EMPTY_USER_FORM, username: '-bad name', password: 'short' });
    expect(r).toEqual({
      ok: false,
      errors: { username: 'usernamePattern', displayName: 'required', role: 'required', password: 'tooShort' },
    });
  });

  it('refuses a password containing the username', () => {
    expect(checkNewUser(form({ password: 'li.wei-secret-1' }))).toEqual({ ok: false, errors: { password: 'containsUsername' } });
  });
});

describe('the user edit form', () => {
  const user = { displayName: '黄埔区（演示）', role: 'district_officer' as const, districtCode: '440112' };

  it('sends only what changed', () => {
    expect(checkUserEdit(user, { displayName: '黄埔区', role: 'district_officer', districtCode: '440112' })).toEqual({ ok: true, patch: { displayName: '黄埔区' } });
  });

  it('sends nothing when nothing changed', () => {
    expect(checkUserEdit(user, { displayName: ' 黄埔区（演示） ', role: 'district_officer', districtCode: '440112' })).toEqual({ ok: true, patch: null });
  });

  it('drops the district when the role no longer has one', () => {
    expect(checkUserEdit(user, { displayName: user.displayName, role: 'land_officer', districtCode: '440112' })).toEqual({
      ok: true,
      patch: { role: 'land_officer', districtCode: null },
    });
  });

  it('requires a name and, for a district officer, a district', () => {
    expect(checkUserEdit(user, { displayName: '  ', role: 'district_officer', districtCode: '440112' })).toEqual({ ok: false, errors: { displayName: 'required' } });
    expect(checkUserEdit(user, { displayName: 'x', role: 'district_officer', districtCode: '' })).toEqual({ ok: false, errors: { districtCode: 'districtRequired' } });
  });
});

describe('temporary passwords', () => {
  it('have 14 unambiguous characters and pass the server’s policy', () => {
    for (let i = 0; i < 200; i++) {
      const pw = generatePassword();
      expect(pw).toMatch(/^[a-km-np-zA-HJ-NP-Z2-9]{14}$/);
      expect(serverPasswordProblem(pw)).toBeNull();
    }
  });

  it('skip bytes that would favour the first letters (rejection sampling)', () => {
    // 56 letters: bytes 224–255 would make the first 32 letters likelier, so they are skipped.
    const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    const random = (b: Uint8Array) => b.map((_, i) => (i % 2 === 0 ? 224 + (i % 32) : (i * 5) % 56));
    const expected = Array.from({ length: 14 }, (_, k) => alphabet[((2 * k + 1) * 5) % 56]).join('');
    expect(generatePassword(14, random)).toBe(expected);
  });

  it('gives up instead of looping on a broken random source', () => {
    expect(() => generatePassword(14, (b) => b.fill(0))).toThrow(/unusable/);
  });
});
