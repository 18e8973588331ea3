/**
 * Siting in a real browser (issue #16), on the built client served by the real server with an
 * in-memory database and the demo data. An investor signs in, fills the requirements form and
 * gets a ranked list in step with the map; moves a weight slider and sees the order change — at
 * once for the plots in hand, as `combinedScore` says, then as the server ranks them; opens a
 * result's reasons; reloads the URL and gets the same list; compares the top three; opens the
 * 选址建议书 and prints it on exactly one A4 page; registers interest from a result and finds it
 * under /me/interests. The hubs layer is on here and off on /invest. 390 px: no sideways scroll.
 * axe-core finds no serious or critical problem. Screenshots: test-results/siting-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SitingRankResponse, SitingRequirements } from '../../shared/contract/siting.ts';
import { SITING_CRITERIA } from '../../shared/policy/siting-weights.ts';
import { parseSitingUrl, rerank, sliderValues, weightsInUse, withWeight } from '../../client/features/siting/sitingState.ts';
import { hasChromium, launchBrowser, newContext, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, fullScreenshot, horizontalOverflow, mapIdle, openPage, PHONE, seriousViolations, signInByApi, startApp, uscc, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

/** Page objects in a PDF (`/Type /Page`, not `/Pages`). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

/** The codes of the ranked cards, in order. */
function shownCodes(page: Page): Promise<string[]> {
  return page.locator('[data-testid="siting-result"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code') ?? ''));
}

/** The scores of the ranked cards, in order. */
function shownScores(page: Page): Promise<number[]> {
  return page.locator('[data-testid="siting-result"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-score'))));
}

describe.skipIf(!hasChromium)('siting in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let listUrl = '';
  const pageErrors: string[] = [];

  /** The server's ranking for a query, asked directly (public). */
  async function rankByApi(q: SitingRequirements): Promise<SitingRankResponse> {
    const res = await fetch(`${base}/api/siting/rank`, { method: 'POST', headers: { 'content-type': 'application/json', origin: base }, body: JSON.stringify(q) });
    expect(res.status).toBe(200);
    return (await res.json()) as SitingRankResponse;
  }

  /** The query the page's URL holds now. */
  async function urlQuery(p: Page): Promise<SitingRequirements> {
    const q = parseSitingUrl(await p.evaluate(() => location.search));
    expect(q).not.toBeNull();
    return q!;
  }

  beforeAll(async () => {
    ({ app, base } = await startApp());
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await openPage(context, pageErrors);
    await signInByApi(page, base, 'investor');
  });

  afterAll(() => closeAll(context, browser, app));

  it('reaches the page from the search and the top navigation; the hubs layer is off on /invest', async () => {
    await page.goto(`${base}/invest`);
    await mapIdle(page);
    await page.waitForFunction(() => window.__map!.getLayer('hubs-dot') !== undefined, null, { timeout: 15_000 });
    expect(await page.evaluate(() => window.__map!.getLayoutProperty('hubs-dot', 'visibility'))).toBe('none');
    expect(await page.getByTestId('to-siting').getAttribute('href')).toBe('/invest/siting');
    await page.getByTestId('nav-invest-siting').click();
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/invest/siting');
    await mapIdle(page);
    // …and on here, showing the hubs, labelled indicative in the legend.
    await page.waitForFunction(() => window.__map!.queryRenderedFeatures({ layers: ['hubs-dot'] }).length > 0, null, { timeout: 15_000 });
    expect(await page.getByTestId('hubs-legend').textContent()).toContain('示意位置');
    // A hub clicked on the map: its card says it is an indicative location.
    const pt = await page.evaluate(() => {
      const map = window.__map!;
      const box = map.getCanvas().getBoundingClientRect();
      for (const f of map.queryRenderedFeatures({ layers: ['hubs-dot'] })) {
        const p = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
        // Clear of the zoom buttons and the hubs legend in the top left corner.
        if ((p.x > 320 || p.y > 280) && p.x < box.width - 10 && p.y < box.height - 10) return { x: box.left + p.x, y: box.top + p.y, name: String(f.properties.nameZh) };
      }
      return null;
    });
    expect(pt).not.toBeNull();
    await page.mouse.click(pt!.x, pt!.y);
    await expect.poll(() => page.getByTestId('hub-card').textContent()).toContain(pt!.name);
    expect(await page.getByTestId('hub-card').textContent()).toContain('示意位置');
    await page.getByTestId('hubs-toggle').click();
    expect(await page.evaluate(() => window.__map!.getLayoutProperty('hubs-dot', 'visibility'))).toBe('none');
    await page.getByTestId('hubs-toggle').click();
    expect(await page.evaluate(() => window.__map!.getLayoutProperty('hubs-dot', 'visibility'))).toBe('visible');
  });

  it('fills the form: a ranked list with scores, bars and reasons, in step with the map', async () => {
    await page.getByTestId('req-sector').selectOption('biomed');
    await page.getByTestId('req-area-min').fill('20');
    await page.getByTestId('req-area-max').fill('90');
    await page.getByTestId('req-max-price').fill('900');
    await page.getByTestId('req-near-add').click();
    await page.getByTestId('req-near-kind').selectOption('airport');
    await page.getByTestId('req-near-km').fill('60');
    await page.getByTestId('requirements-submit').click();

    await expect.poll(() => page.evaluate(() => location.search), { timeout: 15_000 }).toContain('near=airport:60');
    const q = await urlQuery(page);
    expect(q).toMatchObject({ sector: 'biomed', areaMuMin: 20, areaMuMax: 90, maxPriceYuanPerM2: 900, near: [{ kind: 'airport', maxKm: 60 }] });
    const api = await rankByApi(q);
    expect(api.items.length).toBeGreaterThan(3);
    await expect.poll(() => shownCodes(page), { timeout: 15_000 }).toEqual(api.items.map((i) => i.plotCode));
    const scores = await shownScores(page);
    expect(scores).toEqual(api.items.map((i) => i.score));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const first = page.locator('[data-testid="siting-result"]').first();
    expect(await first.locator('[data-testid="criterion-bars"] li').count()).toBe(SITING_CRITERIA.length);
    expect(await first.getByTestId('criterion-bars').textContent()).toMatch(/权重\s*\d+%/);
    expect((await first.getByTestId('siting-summary').textContent())!.length).toBeGreaterThan(4);
    expect(await first.getByTestId('siting-price').textContent()).toMatch(/参考最低价 [\d,]+ 元\/平方米/);
    if (api.items[0]!.sample) expect(await first.locator('.tag--sample').count()).toBe(1);
    expect(await page.getByTestId('siting-caveats').textContent()).toContain('最终出让底价由局方集体决策确定');
    expect(await page.getByTestId('siting-caveats').textContent()).toContain('直线距离');

    // The map shows the same plots, numbered; hovering a card lights its plot.
    await mapIdle(page);
    await page.waitForFunction((n) => window.__map!.querySourceFeatures('siting-ranks').length >= n, Math.min(3, api.items.length), { timeout: 15_000 });
    const ranks = await page.evaluate(() => [...new Set(window.__map!.querySourceFeatures('siting-ranks').map((f) => String(f.properties.code)))].sort());
    expect(ranks).toEqual(api.items.map((i) => i.plotCode).sort());
    await first.hover();
    const lit = await page.evaluate((id) => window.__map!.getFeatureState({ source: 'invest-results', id })['result-hover'], api.items[0]!.plotId);
    expect(lit).toBe(true);
    // Choosing a card selects the plot (the map frames it); the URL says which.
    await first.getByTestId('siting-select').click();
    await expect.poll(() => page.evaluate(() => location.search)).toContain(`plot=${api.items[0]!.plotId}`);
    expect(await first.getAttribute('class')).toContain('is-selected');
    listUrl = page.url();
    await page.screenshot({ path: path.join(RESULTS_DIR, 'siting-desktop.png') });
  });

  it('moves a weight slider: the order changes at once as combinedScore says, then as the server ranks', async () => {
    const q = await urlQuery(page);
    const inHand = await rankByApi(q);
    const before = await shownCodes(page);
    const defaults = weightsInUse(q, inHand.weightsUsed);
    // The first slider move (to 100, else to 0) that changes the order of the plots in hand.
    let move: { criterion: (typeof SITING_CRITERIA)[number]; value: number; order: string[] } | null = null;
    for (const value of [100, 0]) {
      for (const criterion of SITING_CRITERIA) {
        const order = rerank(inHand.items, weightsInUse(withWeight(q, sliderValues(defaults.weights), criterion, value), null).weights).map((i) => i.plotCode);
        if (!move && order.join() !== before.join()) move = { criterion, value, order };
      }
    }
    expect(move).not.toBeNull();

    // Hold the refetch, so what shows first is the page's own re-rank of the plots in hand.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = async (route: Route) => {
      await gate;
      // A request the page has since aborted is already gone.
      await route.continue().catch(() => undefined);
    };
    await page.route('**/api/siting/rank', held);
    await page.getByTestId(`weight-${move!.criterion}`).fill(String(move!.value));
    await expect.poll(() => shownCodes(page)).toEqual(move!.order);
    expect(await shownCodes(page)).not.toEqual(before);
    await expect.poll(() => page.evaluate(() => location.search)).toContain('weights=');
    release();
    await page.unroute('**/api/siting/rank', held);

    // The server's answer for the new weights (plots outside the first page may now enter).
    const moved = await urlQuery(page);
    expect(moved.weights?.[move!.criterion]).toBe(move!.value);
    const server = await rankByApi(moved);
    expect(server.weightsUsed.source).toBe('given');
    await expect.poll(() => shownCodes(page), { timeout: 15_000 }).toEqual(server.items.map((i) => i.plotCode));
    expect(await shownScores(page)).toEqual(server.items.map((i) => i.score));
    listUrl = page.url();

    // "恢复默认" goes back to the sector's defaults and their order.
    await page.getByTestId('weights-reset').click();
    await expect.poll(() => page.evaluate(() => location.search)).not.toContain('weights=');
    await expect.poll(() => shownCodes(page), { timeout: 15_000 }).toEqual(inHand.items.map((i) => i.plotCode));
    await page.goto(listUrl);
  });

  it('opens a result’s reasons: every criterion explained, distances straight-line', async () => {
    await expect.poll(() => page.locator('[data-testid="siting-result"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const first = page.locator('[data-testid="siting-result"]').first();
    expect(await first.getByTestId('siting-reasons').isVisible()).toBe(false);
    await first.getByTestId('siting-why').click();
    await expect.poll(() => first.getByTestId('siting-reasons').isVisible()).toBe(true);
    expect(await first.getByTestId('siting-why').getAttribute('aria-expanded')).toBe('true');
    const reasons = first.getByTestId('siting-reasons');
    expect(await reasons.locator('ul').first().locator('li').count()).toBe(SITING_CRITERIA.length);
    expect(await reasons.textContent()).toContain('直线距离');
    await fullScreenshot(page, 'siting-reasons.png');
  });

  it('answers "why not this plot?": the requirement a plot fails, or its rank', async () => {
    const big = (await (await fetch(`${base}/api/search/plots?minAreaMu=100&limit=1`)).json()) as { items: { code: string }[] };
    const code = big.items[0]!.code;
    await page.locator('.siting-whynot summary').click();
    await page.getByTestId('whynot-code').fill(code);
    await page.getByRole('button', { name: '查看原因' }).click();
    await expect.poll(() => page.getByTestId('whynot-answer').textContent(), { timeout: 15_000 }).toContain(`${code} 未满足以下条件`);
    expect(await page.getByTestId('whynot-answer').textContent()).toContain('亩');
    const top = (await shownCodes(page))[0]!;
    await page.getByTestId('whynot-code').fill(top);
    await page.getByRole('button', { name: '查看原因' }).click();
    await expect.poll(() => page.getByTestId('whynot-answer').textContent(), { timeout: 15_000 }).toContain(`${top} 满足全部硬性条件`);
    expect(await page.getByTestId('whynot-answer').textContent()).toContain('排第 1 名');
  });

  it('refuses requirements the server would refuse, naming the field', async () => {
    const before = await page.evaluate(() => location.search);
    await page.getByTestId('req-area-min').fill('95');
    await page.getByTestId('requirements-submit').click();
    await expect.poll(() => page.getByTestId('requirements-error').textContent()).toContain('最小面积 95 亩大于最大面积 90 亩');
    expect(await page.getByTestId('req-area-min').getAttribute('aria-invalid')).toBe('true');
    expect(await page.evaluate(() => location.search)).toBe(before);
    await page.getByTestId('req-area-min').fill('20');
  });

  it('has no serious accessibility problem on /invest/siting (axe-core)', async () => {
    const found = await seriousViolations(page);
    if (found.length) console.warn(found);
    expect(found).toEqual([]);
  });

  it('reproduces the list from the URL', async () => {
    const again = await context.newPage();
    await again.goto(listUrl);
    const q = parseSitingUrl(new URL(listUrl).search)!;
    const expected = (await rankByApi(q)).items.map((i) => i.plotCode);
    await expect.poll(() => shownCodes(again), { timeout: 15_000 }).toEqual(expected);
    expect(await again.getByTestId('req-area-max').inputValue()).toBe('90');
    expect(await again.getByTestId(`weight-${SITING_CRITERIA[0]}`).inputValue()).toBe(String(q.weights?.[SITING_CRITERIA[0]] ?? sliderValues(weightsInUse(q, null).weights)[SITING_CRITERIA[0]]));
    await again.close();
  });

  it('compares the top three', async () => {
    const top = (await shownCodes(page)).slice(0, 3);
    await page.getByTestId('compare-top').click();
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/compare');
    expect(new URL(page.url()).searchParams.get('codes')).toBe(top.join(','));
    await expect.poll(() => page.locator('[data-testid="compare-table"] thead th').count(), { timeout: 15_000 }).toBe(4);
    await page.goto(listUrl);
  });

  it('prints the 选址建议书 on exactly one A4 page', async () => {
    await expect.poll(() => page.locator('[data-testid="siting-result"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    const top5 = (await shownCodes(page)).slice(0, 5);
    await page.getByTestId('open-brief').click();
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/invest/siting/brief');
    await page.waitForSelector('[data-testid="siting-brief"][data-ready="true"]', { timeout: 20_000 });
    const brief = page.getByTestId('siting-brief');
    expect(await page.locator('[data-testid="brief-plot"] strong').allTextContents()).toEqual(top5);
    expect(await page.locator('[data-testid="brief-minimap"]').count()).toBe(top5.length);
    const text = (await brief.textContent())!;
    expect(text).toContain('选址建议书');
    expect(text).toContain('生物医药');
    expect(text).toContain('20 – 90');
    expect(text).toContain('机场 ≤ 60 公里');
    const version = (await rankByApi(parseSitingUrl(await page.evaluate(() => location.search))!)).dataVersion;
    expect(await page.getByTestId('brief-version').textContent()).toBe(version);
    const caveats = (await page.getByTestId('brief-caveats').textContent())!;
    expect(caveats).toContain('参考最低价');
    expect(caveats).toContain('直线距离');
    expect(caveats).toContain('示意位置');
    expect(caveats).toContain('示例数据');
    expect(await seriousViolations(page)).toEqual([]);
    await fullScreenshot(page, 'siting-brief.png');

    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.topbar').isVisible()).toBe(false);
    expect(await page.getByTestId('brief-print').isVisible()).toBe(false);
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    fs.writeFileSync(path.join(RESULTS_DIR, 'siting-brief.pdf'), pdf);
    expect(pdfPages(pdf)).toBe(1);
    await page.emulateMedia({ media: 'screen' });
  });

  it('registers interest from a result; it shows under /me/interests', async () => {
    await page.goto(listUrl);
    await expect.poll(() => page.locator('[data-testid="siting-result"]').count(), { timeout: 15_000 }).toBeGreaterThan(1);
    const second = page.locator('[data-testid="siting-result"]').nth(1);
    const code = (await second.getAttribute('data-code'))!;
    await second.getByTestId('siting-interest').click();
    const dialog = page.getByTestId('siting-interest-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.locator('h2').textContent()).toContain(code);
    expect(await dialog.getByTestId('interest-message').inputValue()).toContain('智能选址');
    await dialog.getByTestId('interest-company').fill('广州选址测试生物科技有限公司');
    await dialog.getByTestId('interest-uscc').fill(uscc('91440101MA5C54321'));
    await dialog.getByTestId('interest-contactName').fill('李经理');
    await dialog.getByTestId('interest-contactPhone').fill('139 0000 5678');
    await dialog.getByTestId('interest-submit').click();
    await expect.poll(() => dialog.getByTestId('interest-done').textContent(), { timeout: 15_000 }).toContain('已收到');

    await page.goto(`${base}/me/interests`);
    await expect.poll(() => page.getByTestId('my-interests').textContent(), { timeout: 15_000 }).toContain(code);
  });

  it('works 390 px wide: the page and the brief', async () => {
    await withPage(browser, async (p) => {
      await p.goto(listUrl);
      await mapIdle(p);
      await expect.poll(() => p.locator('[data-testid="siting-result"]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      await p.locator('[data-testid="siting-why"]').first().click();
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      expect(await horizontalOverflow(p, '.siting-side')).toBeLessThanOrEqual(0);
      await p.screenshot({ path: path.join(RESULTS_DIR, 'siting-phone.png') });
      await p.goto(`${base}/invest/siting/brief${new URL(listUrl).search}`);
      await p.waitForSelector('[data-testid="siting-brief"][data-ready="true"]', { timeout: 20_000 });
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      expect(await horizontalOverflow(p, '.page')).toBeLessThanOrEqual(0);
    }, { viewport: PHONE });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
