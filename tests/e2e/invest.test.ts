/**
 * The investor pages in a real browser (Debian's Chromium), on the built client served by the
 * real server with an in-memory database and the demo data.
 *
 * What an investor does: filters by sector and sees the list and the map agree; opens a plot
 * sheet (the indicative minimum with its note, never the cost; policies; a live incentive
 * estimate); registers interest. Then the land officer
 * sees that interest in the queue. axe-core finds no serious or critical accessibility problem
 * on /invest and on a plot sheet, and the pages work 390 px wide. Screenshots: test-results/.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, newContext, RESULTS_DIR, skipReason } from './browser.ts';
import { moneyScale, scaleUnit } from '../../client/ui/money.ts';
import { closeAll, fullScreenshot, horizontalOverflow, mapIdle, openPage, PHONE, seriousViolations, signInByApi, startApp, uscc, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

const USCC = uscc('91440101MA5C12345');

/** The number in the result count ("共 12 宗…", "12 available plots…"). */
async function resultCount(page: Page): Promise<number> {
  const text = (await page.getByTestId('result-count').textContent()) ?? '';
  const m = /(\d[\d,]*)/.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : NaN;
}

/** Every code in the (virtualized) result list, scrolling through it. */
async function listCodes(page: Page): Promise<string[]> {
  const codes = new Set<string>();
  const scroller = page.getByTestId('result-list');
  await scroller.evaluate((el) => el.scrollTo(0, 0));
  for (let i = 0; i < 200; i++) {
    for (const c of await page.locator('[data-testid="result-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-code') ?? ''))) codes.add(c);
    const done = await scroller.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
      el.scrollBy(0, el.clientHeight * 0.8);
      return end;
    });
    if (done) break;
    await page.waitForTimeout(50);
  }
  return [...codes].sort();
}

describe.skipIf(!hasChromium)('the investor pages in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sheetCode = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, base } = await startApp());
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await openPage(context, pageErrors);
  });

  afterAll(() => closeAll(context, browser, app));

  it('filters by sector: the list and the map show the same plots', async () => {
    await page.goto(`${base}/invest`);
    await mapIdle(page);
    await expect.poll(() => resultCount(page), { timeout: 15_000 }).toBeGreaterThan(0);
    const everything = await resultCount(page);

    await page.getByTestId('filter-sector').selectOption('biomed');
    await expect.poll(() => page.evaluate(() => location.search)).toContain('sector=biomed');
    await expect.poll(() => resultCount(page), { timeout: 15_000 }).toBeLessThan(everything);

    // One biomedicine park, the whole of it: the list no longer follows the map, and the map zooms to the results.
    const parkSelect = page.locator('#invest-filters select').nth(2);
    const parkValue = await parkSelect.locator('option').nth(1).getAttribute('value');
    await parkSelect.selectOption(parkValue!);
    await page.getByLabel(/随地图范围筛选|Only plots in the map view/).uncheck();
    await expect.poll(() => page.evaluate(() => location.search)).toContain('view=all');
    await expect.poll(() => page.evaluate(() => location.search)).toContain(`inPark=${parkValue}`);
    await page.waitForTimeout(600);
    const n = await resultCount(page);
    expect(n).toBeGreaterThan(0);
    await page.getByTestId('zoom-to-results').click();
    await page.waitForFunction(() => window.__map!.getZoom() > 11.5, null, { timeout: 15_000 });
    await mapIdle(page);
    await page.waitForFunction(() => window.__map!.queryRenderedFeatures({ layers: ['invest-results-fill'] }).length > 0, null, { timeout: 30_000 });

    const listed = await listCodes(page);
    expect(listed).toHaveLength(n);
    // …and they are all available biomedicine plots (their park's sector), as the API says.
    const api = (await (await fetch(`${base}/api/search/plots?sector=biomed&parkId=${parkValue}&limit=500`)).json()) as { items: { id: number; code: string; sectors: string[] }[] };
    expect(api.items.map((i) => i.code).sort()).toEqual(listed);
    expect(api.items.every((i) => i.sectors.includes('biomed'))).toBe(true);
    // The map draws exactly those plots (tile features carry the plot id as their feature id).
    const codeOf = new Map(api.items.map((i) => [i.id, i.code]));
    const onMapIds = await page.evaluate(() => [...new Set(window.__map!.queryRenderedFeatures({ layers: ['invest-results-fill'] }).map((f) => Number(f.id)))]);
    expect(onMapIds.map((id) => codeOf.get(id) ?? `unlisted plot ${id}`).sort()).toEqual(listed);

    // Hovering a row lights its plot on the map (feature-state), and the URL reproduces the view.
    const firstRow = page.locator('[data-testid="result-row"]').first();
    const code = await firstRow.getAttribute('data-code');
    await firstRow.hover();
    const rowId = api.items.find((i) => i.code === code)!.id;
    const hoveredId = await page.evaluate((id) => {
      const f = window.__map!.queryRenderedFeatures({ layers: ['invest-results-fill'] }).find((x) => Number(x.id) === id);
      return f ? window.__map!.getFeatureState({ source: 'plots', sourceLayer: 'plots', id: f.id! })['result-hover'] : null;
    }, rowId);
    expect(hoveredId).toBe(true);
    await expect.poll(() => page.evaluate(() => location.search)).toMatch(/lng=.*z=/);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'invest-desktop.png') });

    const link = page.url();
    const again = await context.newPage();
    await again.goto(link);
    await mapIdle(again);
    await expect.poll(() => resultCount(again), { timeout: 15_000 }).toBe(n);
    expect(await again.getByTestId('filter-sector').inputValue()).toBe('biomed');
    await again.close();
  });

  it('has no serious accessibility problem on /invest (axe-core)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('opens a plot sheet: areas, supply modes, the floor, park policies and a live incentive estimate', async () => {
    const first = page.locator('[data-testid="result-row"] a').first();
    sheetCode = (await page.locator('[data-testid="result-row"]').first().getAttribute('data-code'))!;
    await first.click();
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe(`/plots/${sheetCode}`);
    await expect.poll(() => page.getByTestId('sheet-title').textContent(), { timeout: 15_000 }).toBe(sheetCode);
    await expect.poll(() => page.getByTestId('sheet-area-mu').textContent()).toMatch(/亩/);
    await expect.poll(() => page.getByTestId('floor-per-m2-50').textContent(), { timeout: 15_000 }).toMatch(/元\/平方米/);
    expect(await page.getByTestId('floor-per-m2-20').textContent()).toMatch(/元\/平方米/);
    expect(await page.getByTestId('floor-as-of').textContent()).toContain('参考数据日期');
    expect(await page.getByTestId('sheet-supply-modes').textContent()).toContain('出让');
    await expect.poll(() => page.getByTestId('sheet-green-channel').textContent()).toContain('绿色通道');
    expect(await page.getByTestId('sheet-policies').textContent()).toContain('15%');
    // The investor sees the indicative minimum (参考最低价) from the public terms, with its note that
    // the bureau sets the final 出让底价 and that it may be higher — and no cost: no row, no binding "土地成本".
    expect(await page.getByTestId('price-floor').locator('h3').textContent()).toContain('参考最低价');
    expect(await page.getByTestId('floor-lead').textContent()).toContain('参考最低价');
    expect(await page.getByTestId('floor-caveat').textContent()).toContain('最终出让底价由局方集体决策确定，可能高于参考最低价');
    expect(await page.locator('[data-testid="floor-cost-50"], [data-testid="floor-cost-20"]').count()).toBe(0);
    for (const n of [50, 20]) expect(await page.getByTestId(`floor-binding-${n}`).textContent()).not.toContain('土地成本');
    expect(await page.getByTestId('price-floor').textContent()).not.toContain('土地成本');
    expect(await page.getByTestId('floor-provincial_minimum-50').textContent()).toContain('无省级标准');

    // Incentives, computed in the browser as one types.
    await page.getByTestId('incentive-equipment').fill('10000000');
    await expect.poll(() => page.getByTestId('incentive-item-equipment_expansion').textContent()).toContain('200.00 万元');
    await page.getByTestId('incentive-sme').check();
    await expect.poll(() => page.getByTestId('incentive-result').textContent()).toContain('3,000.00 万元');
    // The items and the total in one unit, the exact 元 on hover.
    const amounts = await page.locator('[data-testid="incentive-result"] .money').evaluateAll((els) => els.map((e) => ({ text: e.textContent ?? '', yuan: Number(e.getAttribute('data-exact-yuan')) })));
    const unit = scaleUnit(moneyScale(amounts.map((a) => a.yuan), 'zh-CN'));
    expect(amounts.length).toBeGreaterThan(1);
    for (const a of amounts) expect(a.text.endsWith(` ${unit}`), a.text).toBe(true);
    await page.locator('.page').evaluate((el) => el.scrollTo(0, 0));
    await fullScreenshot(page, 'invest-sheet.png');
    // Printed: no top bar, buttons or forms; the figures, policies and estimate stay.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByTestId('interest-form').isVisible()).toBe(false);
    expect(await page.getByTestId('floor-per-m2-50').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'invest-sheet-print.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
  });

  it('has no serious accessibility problem on a plot sheet (axe-core)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('compares the plot side by side with another (up to three)', async () => {
    await page.getByTestId('sheet-compare').click();
    await expect.poll(() => page.getByTestId('sheet-compare').getAttribute('aria-pressed')).toBe('true');
    const other = (await (await fetch(`${base}/api/search/plots?sector=ai&limit=1`)).json()) as { items: { code: string }[] };
    await page.goto(`${base}/compare?codes=${sheetCode},${other.items[0]!.code}`);
    await expect.poll(() => page.locator('[data-testid="compare-table"] thead th').count(), { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId('compare-floor').textContent()).toMatch(/\d/);
    // The totals side by side in one unit, named in the row's label; the exact 元 on hover.
    const totals = page.getByTestId('compare-floor-total');
    const exact = await totals.locator('.money').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-exact-yuan'))));
    expect(exact).toHaveLength(2);
    expect(await totals.locator('th').textContent()).toBe(`50 年参考最低价总价（${scaleUnit(moneyScale(exact, 'zh-CN'))}）`);
    for (const c of await totals.locator('td').allTextContents()) expect(c).toMatch(/^[\d,]+\.\d\d$/);
    expect(await totals.locator('.money').first().getAttribute('title')).toMatch(/^精确金额：[\d,]+\.\d\d 元$/);
    expect(await page.getByTestId('compare-caveat').textContent()).toContain('可能高于参考最低价');
    expect(await page.getByTestId('compare-table').textContent()).not.toContain('土地成本');
    await fullScreenshot(page, 'invest-compare.png');
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto(`${base}/plots/${sheetCode}`);
    await expect.poll(() => page.getByTestId('sheet-title').textContent(), { timeout: 15_000 }).toBe(sheetCode);
  });

  it('registers interest from the sheet, with the form checking the 统一社会信用代码 first', async () => {
    await page.getByTestId('interest-company').fill('广州浏览器测试生物科技有限公司');
    await page.getByTestId('interest-uscc').fill('91440101MA5C123450');
    await page.getByTestId('interest-contactName').fill('陈经理');
    await page.getByTestId('interest-contactPhone').fill('139 0000 1234');
    await page.getByTestId('interest-message').fill('拟建设体外诊断试剂生产线，用地约 30 亩。');
    await page.getByTestId('interest-submit').click();
    await expect.poll(() => page.locator('.field-error').first().textContent()).toMatch(/校验位|统一社会信用代码/);
    await page.getByTestId('interest-uscc').fill(USCC);
    await page.getByTestId('interest-submit').click();
    await expect.poll(() => page.getByTestId('interest-done').textContent(), { timeout: 15_000 }).toContain('已收到');
  });

  it('shows the interest to the land officer in the queue', async () => {
    await signInByApi(page, base, 'land');
    await page.goto(`${base}/bureau/interests`);
    const item = page.locator(`[data-testid="queue-item"][data-plot-code="${sheetCode}"]`);
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    expect(await item.textContent()).toContain('广州浏览器测试生物科技有限公司');
    expect(await item.textContent()).toContain(USCC);
    expect(await item.getByTestId('interest-status').textContent()).toBe('待处理');
    await fullScreenshot(page, 'invest-queue.png');
  });

  it('works 390 px wide: search and sheet', async () => {
    await withPage(browser, async (p) => {
      await p.goto(`${base}/invest?sector=ai`);
      await mapIdle(p);
      await expect.poll(() => resultCount(p), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      await p.screenshot({ path: path.join(RESULTS_DIR, 'invest-phone.png') });
      await p.goto(`${base}/plots/${sheetCode}`);
      await expect.poll(() => p.getByTestId('sheet-title').textContent(), { timeout: 15_000 }).toBe(sheetCode);
      await expect.poll(() => p.getByTestId('floor-per-m2-50').textContent(), { timeout: 15_000 }).toMatch(/元/);
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      await fullScreenshot(p, 'sheet-phone.png');
    }, { viewport: PHONE });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
