/**
 * Accounts, roles, the audit trail and the plot's price floor in a real browser (Debian's
 * Chromium): the built client served by the real server, started in-process on an in-memory
 * database seeded with the demo data (and its six demo accounts).
 *
 * What people do: an administrator signs in through the login page, creates a district officer
 * who must choose a password at first sign-in, and disables them again — their session ends at
 * once. A land officer reads a plot's price floor with the cost and the plot's history; an
 * anonymous visitor sees the indicative minimum (no cost row) and no history. Wrong passwords
 * and a lockout are said plainly; a role without the right gets a 403 page, not a broken one.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { priceFloor } from '../../shared/policy/price-floor.ts';
import { formatMoney } from '../../shared/units.ts';
import { hasChromium, launchBrowser, newContext, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, DEMO_PASSWORD, openPage, startApp, submitLogin, withPage as withFreshPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

const OFFICER = { username: 'district-baiyun-test', name: '白云区测试人员', district: '440111' };

function shot(page: Page, name: string) {
  return page.screenshot({ path: path.join(RESULTS_DIR, `accounts-${name}.png`) });
}

/** Waits for the plot panel's floor and scrolls the panel so the floor is in view. */
async function showFloor(page: Page): Promise<void> {
  const floor = page.getByTestId('price-floor');
  await floor.locator('table').waitFor({ timeout: 30_000 });
  await floor.evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

describe.skipIf(!hasChromium)('accounts, roles and the price floor in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let admin: BrowserContext;
  let adminPage: Page;
  let plot: { id: number; code: string };
  let officerPassword = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, base } = await startApp());

    const res = await fetch(`${base}/api/plots?parkId=1&status=available`);
    const fc = (await res.json()) as { features: { properties: { id: number; code: string } }[] };
    plot = fc.features[0]!.properties;

    browser = await launchBrowser();
    admin = await newContext(browser);
    adminPage = await openPage(admin, pageErrors);
  });

  afterAll(() => closeAll(admin, browser, app));

  /** Runs `fn` on a page of a fresh context, its page errors collected. */
  const withPage = (fn: (page: Page) => Promise<void>) => withFreshPage(browser, fn, { pageErrors });

  it('lists the demo accounts on the login page and refuses a wrong password with a clear message', async () => {
    await withPage(async (page) => {
      await page.goto(`${base}/login`);
      await expect.poll(() => page.getByTestId('demo-accounts').isVisible(), { timeout: 15_000 }).toBe(true);
      expect(await page.getByTestId('demo-password').textContent()).toBe(DEMO_PASSWORD);
      await shot(page, 'login');

      await submitLogin(page, base, 'admin', 'not-the-password');
      await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('用户名或密码错误。');
      // Still anonymous, still on the login page, the password field cleared for another try.
      expect(new URL(page.url()).pathname).toBe('/login');
      expect(await page.getByLabel('密码', { exact: true }).inputValue()).toBe('');
      await shot(page, 'login-error');
    });
  });

  it('says how long to wait once repeated failures from this address throttle it (429)', async () => {
    await withPage(async (page) => {
      await page.goto(`${base}/login`);
      const error = page.getByTestId('login-error');
      // The fifth failure for one username from this address throttles the pair; the sixth attempt gets 429 + Retry-After.
      for (let i = 1; i <= 6; i++) {
        await page.getByLabel('用户名').fill('industry');
        await page.getByLabel('密码', { exact: true }).fill(`wrong-${i}`);
        const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/login'));
        await page.getByTestId('login-submit').click();
        const status = (await answered).status();
        await expect.poll(() => error.isVisible()).toBe(true);
        if (status === 429) break;
        expect(status).toBe(401);
      }
      await expect.poll(() => error.textContent()).toMatch(/^此地址登录失败次数过多，请 \d+ 秒后再试。$/);
      expect(await page.getByTestId('login-submit').isDisabled()).toBe(true);
      await shot(page, 'locked');
    });
  });

  it('signs the administrator in through the login page and shows the user menu', async () => {
    await submitLogin(adminPage, base, 'admin');
    await expect.poll(() => adminPage.getByTestId('user-menu-button').isVisible(), { timeout: 15_000 }).toBe(true);
    // The administrator lands on their own workspace (client/features/auth/landing.ts).
    await expect.poll(() => new URL(adminPage.url()).pathname).toBe('/admin/users');
    await adminPage.getByTestId('user-menu-button').click();
    expect(await adminPage.getByTestId('user-menu-name').textContent()).toBe('系统管理员（演示）');
    expect(await adminPage.getByTestId('user-menu-role').textContent()).toBe('系统管理员');
    expect(await adminPage.getByTestId('menu-users').isVisible()).toBe(true);
    await shot(adminPage, 'user-menu');
    await adminPage.getByTestId('menu-users').click();
    await expect.poll(() => adminPage.getByTestId('user-row-admin').isVisible()).toBe(true);
    expect(new URL(adminPage.url()).pathname).toBe('/admin/users');
  });

  it('creates a district officer (the district is required) who must change the password at first sign-in', async () => {
    const page = adminPage;
    await page.getByTestId('create-user').click();
    const dialog = page.getByTestId('create-user-dialog');
    await dialog.getByLabel('用户名').fill(OFFICER.username);
    await dialog.getByLabel('姓名 / 名称').fill(OFFICER.name);
    await dialog.getByLabel('角色').selectOption('district_officer');
    // No district yet: the form says so instead of sending.
    await dialog.getByTestId('create-user-submit').click();
    await expect.poll(() => dialog.locator('.field-error').textContent()).toBe('区级人员必须选择所属区。');
    await dialog.getByLabel('所属区').selectOption(OFFICER.district);
    officerPassword = await dialog.getByLabel('初始密码').inputValue();
    expect(officerPassword.length).toBeGreaterThanOrEqual(10);
    await shot(page, 'create-user');
    await dialog.getByTestId('create-user-submit').click();

    await expect.poll(() => page.getByTestId('created-password').textContent()).toBe(officerPassword);
    const row = page.getByTestId(`user-row-${OFFICER.username}`);
    await expect.poll(() => row.getByTestId('user-status').textContent()).toBe('正常待改密');
    expect(await row.textContent()).toContain('白云区');
    await shot(page, 'users');
  });

  it('makes the new officer choose a password before anything else, then lets them in', async () => {
    await withPage(async (page) => {
      await submitLogin(page, base, OFFICER.username, officerPassword);
      const forced = page.getByTestId('forced-password-change');
      await expect.poll(() => forced.isVisible(), { timeout: 15_000 }).toBe(true);
      await shot(page, 'forced-change');
      await forced.getByLabel('当前密码').fill(officerPassword);
      await forced.getByLabel('新密码', { exact: true }).fill('baiyun-officer-2026');
      await forced.getByLabel('再次输入新密码').fill('baiyun-officer-2026');
      await forced.getByRole('button', { name: '保存新密码' }).click();
      await expect.poll(() => forced.count(), { timeout: 15_000 }).toBe(0);
      await page.getByTestId('user-menu-button').click();
      await expect.poll(() => page.getByTestId('user-menu-district').textContent()).toBe('所属区：白云区');
      // A district officer has no user administration: the menu does not offer it…
      expect(await page.getByTestId('menu-users').count()).toBe(0);
      // …and the page itself says 403 plainly.
      await page.goto(`${base}/admin/users`);
      await expect.poll(() => page.getByTestId('access-forbidden').isVisible()).toBe(true);
      await shot(page, 'forbidden');
    });
  });

  it('disables the officer after a confirmation: the status changes, their session ends, the history shows it', async () => {
    await withPage(async (officerPage) => {
      await submitLogin(officerPage, base, OFFICER.username, 'baiyun-officer-2026');
      await expect.poll(() => officerPage.getByTestId('user-menu-button').isVisible(), { timeout: 15_000 }).toBe(true);

      const page = adminPage;
      const row = page.getByTestId(`user-row-${OFFICER.username}`);
      await row.getByTestId(`toggle-${OFFICER.username}`).click();
      const confirm = page.getByTestId('confirm-dialog');
      expect(await confirm.textContent()).toContain(OFFICER.username);
      await confirm.getByTestId('confirm-button').click();
      await expect.poll(() => row.getByTestId('user-status').textContent()).toBe('已停用');
      expect(await row.getByTestId(`toggle-${OFFICER.username}`).textContent()).toBe('启用');

      // Their next request finds the session gone: the page offers to sign in again.
      await officerPage.reload();
      await expect.poll(() => officerPage.getByTestId('sign-in-link').isVisible(), { timeout: 15_000 }).toBe(true);

      await row.getByRole('link', { name: OFFICER.username }).click();
      const history = page.getByTestId('history-list');
      await expect.poll(() => history.getByTestId('history-item').count()).toBeGreaterThanOrEqual(3);
      const actions = await history.getByTestId('history-item').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')));
      expect(actions[0]).toBe('user.disable');
      expect(actions).toContain('user.password_change');
      expect(actions).toContain('user.create');
      await shot(page, 'user-detail');
    });
  });

  it('verifies the audit chain for the administrator', async () => {
    const page = adminPage;
    await page.goto(`${base}/admin/audit`);
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toMatch(/^哈希链完整：共 \d+ 条记录/);
    await expect.poll(() => page.getByTestId('audit-table').locator('tbody tr').count()).toBeGreaterThan(5);
    await shot(page, 'audit');
  });

  it('shows a land officer the plot’s price floor with the binding term, the cost and the plot’s history', async () => {
    await withPage(async (page) => {
      await submitLogin(page, base, 'land');
      await expect.poll(() => page.getByTestId('user-menu-button').isVisible(), { timeout: 15_000 }).toBe(true);
      await page.goto(`${base}/?plot=${plot.id}`);
      await showFloor(page);

      const quote = (await (
        await fetch(`${base}/api/quotes/price-floor`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ plotId: plot.id, iab: true }) })
      ).json()) as { binding: string; floorYuanPerM2: number };
      const label = { benchmark: '基准地价', cost: '土地成本', national_minimum: '国家最低价' }[quote.binding];
      expect(await page.getByTestId('floor-binding-50').textContent()).toBe(label);
      expect(await page.getByTestId('floor-per-m2-50').textContent()).toContain(quote.floorYuanPerM2.toFixed(2));
      expect(await page.getByTestId('floor-binding-20').textContent()).toMatch(/^(基准地价|土地成本|国家最低价)$/);
      // The land officer may see the cost.
      expect(await page.getByTestId('floor-cost-50').textContent()).not.toContain('不公开');
      expect(await page.getByTestId('floor-as-of').textContent()).toMatch(/^参考数据日期：/);
      expect(await page.getByTestId('floor-flags').textContent()).toContain('基准地价为示例数据');
      await expect.poll(() => page.getByTestId('history-list').isVisible()).toBe(true);
      await shot(page, 'plot-floor-land');
    });
  });

  it('shows an anonymous visitor the indicative minimum with its caveat, no cost row and no history', async () => {
    await withPage(async (page) => {
      await page.goto(`${base}/?plot=${plot.id}`);
      await showFloor(page);
      // Public terms only — the cost is neither shown nor named as binding.
      expect(await page.getByTestId('floor-caveat').isVisible()).toBe(true);
      expect(await page.getByTestId('floor-cost-50').count()).toBe(0);
      expect(await page.getByTestId('floor-cost-20').count()).toBe(0);
      expect(await page.getByTestId('floor-binding-50').textContent()).toMatch(/^(基准地价|国家最低价|省最低价)/);
      expect(await page.getByTestId('price-floor').textContent()).not.toContain('土地成本');
      expect(await page.getByTestId('history-list').count()).toBe(0);
      expect(await page.getByTestId('sign-in-link').isVisible()).toBe(true);
      await shot(page, 'plot-floor-anonymous');
    });
  });

  it('computes a floor live in the browser with the same function as the server', async () => {
    await withPage(async (page) => {
      await page.goto(`${base}/tools/floor`);
      await page.getByTestId('tool-area').fill('20000');
      await page.getByTestId('tool-b').fill('820');
      await page.getByTestId('tool-c').fill('9,000,000');
      await page.getByTestId('tool-n').fill('600');
      await page.getByTestId('tool-term').fill('20');
      const expected = priceFloor({ areaM2: 20000, benchmarkYuanPerM2: 820, costYuan: 9_000_000, nationalMinYuanPerM2: 600, iab: true, termYears: 20 });
      if (!expected.ok) throw new Error(expected.messageEn);
      await expect.poll(() => page.getByTestId('tool-total').textContent()).toBe(formatMoney(expected.floorFen, 'zh-CN'));
      expect(await page.getByTestId('tool-binding').textContent()).toBe({ benchmark: '基准地价', cost: '土地成本', national_minimum: '国家最低价', provincial_minimum: '省最低价' }[expected.binding]);
      expect(await page.getByTestId('tool-k').textContent()).toBe(expected.termFactor.toFixed(6));
      await shot(page, 'floor-tool');

      // A term beyond 50 years is refused with the shared module's own message.
      await page.getByTestId('tool-term').fill('70');
      await expect.poll(() => page.getByTestId('tool-invalid').textContent()).toContain('出让年限必须是 1–50 的整数年');
    });
  });

  it('creates an investor account at /signup, and answers a taken address the same without signing in', async () => {
    const email = 'e2e-investor@example.com';
    const signUp = async (page: Page, password: string) => {
      await page.goto(`${base}/signup`);
      await page.getByTestId('signup-email').fill(email);
      await page.getByTestId('signup-password').fill(password);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/signup'));
      await page.getByTestId('signup-submit').click();
      return answered;
    };
    await withPage(async (page) => {
      const res = await signUp(page, 'investor-pass-2026');
      expect(res.status()).toBe(202);
      await expect.poll(() => new URL(page.url()).pathname, { timeout: 15_000 }).toBe('/me/interests');
    });
    await withPage(async (page) => {
      const res = await signUp(page, 'someone-else-2026');
      expect(res.status()).toBe(202);
      await expect
        .poll(() => page.getByTestId('signup-message').textContent())
        .toBe('如该邮箱此前未注册，账号已创建，请登录；如已注册，账号未作任何改动，请用原密码登录（忘记密码请联系主管部门）。');
      expect(new URL(page.url()).pathname).toBe('/signup');
      await shot(page, 'signup-neutral');
    });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
