/**
 * Issue #18 part 5 in Chromium — the small things a user meets at once:
 * - the public plot panel on the home map leads on to the sheet, the interest form and compare;
 * - after signing in each role lands on its own workspace (or on the page that asked);
 * - the audit log speaks words, in Beijing time, with pickers for its filters, and shows a nested
 *   change as field paths in words (标准地条件 › 容积率下限: 3.5 → 1.2), not JSON;
 * - the printed plot sheet carries its location map and 界址点 table on one A4 page, without the
 *   bureau's cost figures; the park report carries the park's map.
 */
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatShanghai } from '../../client/features/admin/auditView.ts';
import { hasChromium, launchBrowser, skipReason } from './browser.ts';
import { closeAll, fullScreenshot, signIn, signInByApi, startApp, submitLogin, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

interface PlotRow {
  id: number;
  code: string;
  status: string;
  parkId: number;
}

const path = (page: Page) => page.evaluate(() => location.pathname + location.search + location.hash);

describe.skipIf(!hasChromium)('small things a user meets at once', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let plot: PlotRow;

  beforeAll(async () => {
    ({ app, base } = await startApp());
    const fc = (await (await fetch(`${base}/api/plots?status=available&limit=50`)).json()) as { features: { properties: PlotRow }[] };
    plot = fc.features.map((f) => f.properties).find((p) => p.status === 'available')!;
    browser = await launchBrowser();
  });

  afterAll(() => closeAll(browser, app));

  it('leads from the public plot panel to the sheet, the interest form and compare', async () => {
    await withPage(browser, async (page) => {
      const openPanel = async () => {
        await page.goto(`${base}/?plot=${plot.id}`);
        await expect.poll(() => page.locator('[data-testid="side-panel"] [data-testid="panel-title"]').textContent(), { timeout: 30_000 }).toBe(plot.code);
      };
      await openPanel();
      await page.getByTestId('plot-link-sheet').click();
      await expect.poll(() => path(page)).toBe(`/plots/${plot.code}`);
      await expect.poll(() => page.getByTestId('sheet-title').textContent(), { timeout: 15_000 }).toBe(plot.code);

      await openPanel();
      await page.getByTestId('plot-link-interest').click();
      await expect.poll(() => path(page)).toBe(`/plots/${plot.code}#sheet-interest`);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: 5_000 }).toBe('sheet-interest');
      expect(await page.locator('#sheet-interest').isVisible()).toBe(true);

      await openPanel();
      await page.getByTestId('plot-link-compare').click();
      await expect.poll(() => path(page)).toBe(`/compare?codes=${plot.code}`);
      await expect.poll(() => page.locator('main').textContent(), { timeout: 15_000 }).toContain(plot.code);
      expect(await page.evaluate(() => localStorage.getItem('iab.compare'))).toBe(JSON.stringify([plot.code]));
    });
  });

  it('lands each role on its own workspace after signing in, and keeps the page that asked', async () => {
    const cases: [string, string][] = [
      ['admin', '/admin/users'],
      ['land', '/bureau'],
      ['industry', '/bureau/parks'],
      ['district-huangpu', '/district/440112'],
      ['investor', '/invest'],
    ];
    for (const [username, home] of cases) {
      await withPage(browser, async (page) => {
        await submitLogin(page, base, username);
        await expect.poll(() => page.evaluate(() => location.pathname), { timeout: 30_000 }).toBe(home);
      });
    }
    await withPage(browser, async (page) => {
      await page.goto(`${base}/login?next=${encodeURIComponent(`/plots/${plot.code}`)}`);
      await page.getByLabel('用户名').fill('investor');
      await page.getByLabel('密码', { exact: true }).fill('iab-demo-2026');
      await page.getByTestId('login-submit').click();
      await expect.poll(() => path(page), { timeout: 30_000 }).toBe(`/plots/${plot.code}`);
    });
  });

  it('shows the audit log in words and Beijing time, filtered with pickers', async () => {
    await withPage(browser, async (page) => {
      await signIn(page, base, 'admin');
      await page.goto(`${base}/admin/audit`);
      const rows = page.locator('[data-testid="audit-table"] tbody tr');
      await expect.poll(() => page.locator('[data-testid="audit-action"]').count(), { timeout: 30_000 }).toBeGreaterThan(0);

      // The newest event (the admin's sign-in): words, not the code; the time as Beijing time.
      const newest = (await page.evaluate(async () => (await (await fetch('/api/audit?limit=1')).json()) as { items: { action: string; at: string }[] })).items[0]!;
      const firstAction = page.locator('[data-testid="audit-action"]').first();
      expect(await firstAction.getAttribute('data-action')).toBe(newest.action);
      expect(newest.action).toBe('auth.login');
      expect(((await firstAction.textContent()) ?? '').startsWith('登录')).toBe(true);
      expect(await page.locator('[data-testid="audit-time"]').first().textContent()).toBe(formatShanghai(newest.at, 'zh-CN'));
      expect(await page.locator('[data-testid="audit-table"] thead').textContent()).toContain('北京时间');

      // Pickers, not text boxes: action, user, record type, dates.
      for (const id of ['audit-action-picker', 'audit-actor-picker', 'audit-entity-picker']) {
        expect(await page.getByTestId(id).evaluate((el) => el.tagName)).toBe('SELECT');
      }
      expect(await page.getByTestId('audit-from').getAttribute('type')).toBe('date');
      const optionText = await page.getByTestId('audit-action-picker').locator('option[value="plot.split"]').textContent();
      expect(optionText).toBe('拆分地块');

      await page.getByTestId('audit-action-picker').selectOption('auth.login');
      await page.getByTestId('audit-actor-picker').selectOption('admin');
      const today = formatShanghai(new Date().toISOString(), 'zh-CN').slice(0, 10);
      await page.getByTestId('audit-from').fill(today);
      await page.getByTestId('audit-to').fill(today);
      await page.getByTestId('audit-apply').click();
      await expect.poll(() => path(page)).toContain('action=auth.login');
      expect(await path(page)).toContain('actor=admin');
      await expect.poll(async () => {
        const actions = await page.locator('[data-testid="audit-action"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
        return actions.length > 0 && actions.every((a) => a === 'auth.login');
      }, { timeout: 15_000 }).toBe(true);
      expect(await rows.count()).toBeGreaterThan(0);
      await fullScreenshot(page, 'ui-audit.png');

    });
  });

  it('shows a nested change in the audit log as field paths in words, not JSON', async () => {
    // Another available plot (not the one the print checks use) gets 标准地 conditions: the audit
    // event's `conditions` object must read 标准地条件 › 容积率下限: 3.5 → 1.2, never as JSON.
    const fc = (await (await fetch(`${base}/api/plots?status=available&limit=50`)).json()) as { features: { properties: PlotRow }[] };
    const other = fc.features.map((f) => f.properties).filter((p) => p.status === 'available' && p.id !== plot.id).at(-1)!;
    await withPage(browser, async (page) => {
      await signInByApi(page, base, 'land');
      const status = await page.evaluate(async (id) => {
        const h = (await (await fetch(`/api/plots/${id}/history`)).json()) as { rowVersion: string };
        const res = await fetch(`/api/plots/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ expectedRowVersion: h.rowVersion, conditions: { plotRatioMin: 1.2, notes: '示例：标准地条件' }, reason: 'e2e 审计' }) });
        return res.status;
      }, other.id);
      expect(status).toBe(200);
    });
    await withPage(browser, async (page) => {
      await signIn(page, base, 'admin');
      await page.goto(`${base}/admin/audit?entity=plot&entityId=${other.id}&action=plot.update`);
      const changes = page.locator('[data-testid="audit-changes"]').first();
      await changes.waitFor({ timeout: 15_000 });
      if (await changes.getByTestId('audit-changes-more').count()) await changes.getByTestId('audit-changes-more').click();
      const ratio = changes.locator('li[data-path="conditions.plotRatioMin"]');
      await ratio.waitFor({ timeout: 5_000 });
      // (The demo plot may have had a ratio already: "— → 1.2" or "3.5 → 1.2".)
      expect((await ratio.textContent())?.replace(/\s+/g, ' ')).toMatch(/^标准地条件 › 容积率下限 (—|\d+(\.\d+)?) → 1\.2$/);
      expect(await ratio.locator('.history-field').getAttribute('title')).toBe('conditions.plotRatioMin');
      expect((await changes.locator('li[data-path="conditions.notes"]').textContent())?.replace(/\s+/g, ' ')).toMatch(/^标准地条件 › 备注 .+ → 示例：标准地条件$/);
      const texts = await changes.locator('li').allTextContents();
      for (const line of texts) expect(line).not.toMatch(/[{}[\]]|":/);
      await fullScreenshot(page, 'ui-audit-nested.png');
    });
  });

  it('prints the plot sheet on one A4 page with its location map and 界址点 table, without internal figures', async () => {
    await withPage(browser, async (page) => {
      await page.goto(`${base}/plots/${plot.code}`);
      await expect.poll(() => page.getByTestId('sheet-title').textContent(), { timeout: 15_000 }).toBe(plot.code);
      const map = page.locator('[data-testid="plot-location-map"] svg');
      await map.waitFor({ timeout: 15_000 });
      expect(await map.locator('path[data-role="focus"]').count()).toBe(1);
      await expect.poll(() => map.locator('path[data-role="neighbour"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.locator('[data-testid="plot-location-map"] img, [data-testid="plot-location-map"] image').count()).toBe(0);

      const points = page.locator('[data-testid="boundary-point"]');
      expect(await points.count()).toBeGreaterThanOrEqual(3);
      const first = await points.first().locator('th, td').allTextContents();
      expect(first[0]).toBe('J1');
      expect(first[1]).toMatch(/^2\d{6}\.\d{3}$/); // X: northing, ~2 5xx xxx m in Guangzhou
      expect(first[2]).toMatch(/^[3-6]\d{5}\.\d{3}$/); // Y: easting, false easting 500 000 m
      expect(await page.getByTestId('boundary-points').textContent()).toContain('EPSG:4547');

      await page.emulateMedia({ media: 'print' });
      expect(await map.isVisible()).toBe(true);
      expect(await page.getByTestId('boundary-points').isVisible()).toBe(true);
      expect(await page.locator('#sheet-interest').isVisible()).toBe(false);
      const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
      // One A4 page (the demo plots print at ≈ 93 % of the page's height).
      expect(pages).toBe(1);
      await fullScreenshot(page, 'ui-sheet-print.png');
    });
  });

  it('keeps the bureau’s cost figures off the printed sheet, and maps the park on its report', async () => {
    await withPage(browser, async (page) => {
      await signIn(page, base, 'land');
      await page.goto(`${base}/plots/${plot.code}`);
      await expect.poll(() => page.getByTestId('sheet-title').textContent(), { timeout: 15_000 }).toBe(plot.code);
      await page.getByTestId('floor-lead').waitFor({ timeout: 15_000 });
      // On screen the land officer sees the bureau's floor (with the cost row); on paper it is withheld.
      expect(await page.getByTestId('price-floor').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByTestId('price-floor').isVisible()).toBe(false);
      expect(await page.getByTestId('floor-print-withheld').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });

      await page.goto(`${base}/parks/${plot.parkId}/report`);
      const parkMap = page.locator('[data-testid="park-location-map"] svg');
      await parkMap.waitFor({ timeout: 30_000 });
      expect(await parkMap.locator('path[data-role="boundary"]').count()).toBe(1);
      await expect.poll(() => parkMap.locator('path[data-role="neighbour"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await page.emulateMedia({ media: 'print' });
      expect(await parkMap.isVisible()).toBe(true);
      await fullScreenshot(page, 'ui-park-report-print.png');
    });
  });
});
