/**
 * The base map, scale bar and search box in Chromium (issue #18.1). With BASEMAP=none (the
 * default) the page asks no host but its own; a plot is found by its code and by its 宗地代码 and
 * the map flies to it and selects it; a park by its name. With BASEMAP=tianditu the switch shows
 * 矢量/影像 — the 天地图 tiles are answered inside the browser, so no test leaves the machine.
 */
import path from 'node:path';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, mapIdle, startApp, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

const start = startApp;

/** The map's centre and zoom. */
const camera = (page: Page) => page.evaluate(() => ({ ...window.__map!.getCenter(), zoom: window.__map!.getZoom() }));

/** Types into the search box and picks the hit whose text contains `expect`. */
async function searchAndPick(page: Page, q: string, hitText: string): Promise<void> {
  const box = page.getByTestId('map-search');
  await box.fill(q);
  const hit = page.getByTestId('map-search-hit').filter({ hasText: hitText }).first();
  await hit.waitFor({ timeout: 15_000 });
  await hit.click();
}

describe.skipIf(!hasChromium)('base map, scale bar and search in Chromium', () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  }, 300_000);
  afterAll(async () => {
    await closeAll(browser);
  });

  describe('BASEMAP=none', () => {
    let app: FastifyInstance | undefined;
    let base = '';
    let plot: { id: number; code: string; districtCode: string; bbox: [number, number, number, number] };
    const parcelCode = '440112999999GB99912';
    beforeAll(async () => {
      ({ app, base } = await start({}));
      const row = await sql<{ id: number; code: string; district_code: string; w: number; s: number; e: number; n: number }>`
        SELECT pl.id, pl.code, p.district_code,
               least((pl.bbox[0])[0], (pl.bbox[1])[0])::float8 AS w, least((pl.bbox[0])[1], (pl.bbox[1])[1])::float8 AS s,
               greatest((pl.bbox[0])[0], (pl.bbox[1])[0])::float8 AS e, greatest((pl.bbox[0])[1], (pl.bbox[1])[1])::float8 AS n
          FROM plots pl JOIN parks p ON p.id = pl.park_id
         WHERE p.district_code = '440112' AND pl.status = 'available' AND p.tier <> 'zone'
         ORDER BY pl.code LIMIT 1`.execute(app.db);
      const r = row.rows[0]!;
      plot = { id: r.id, code: r.code, districtCode: r.district_code, bbox: [r.w, r.s, r.e, r.n] };
      // A made-up 宗地代码 (地籍区/子区 999: no sample plot has it).
      await sql`UPDATE plots SET parcel_code = ${parcelCode} WHERE id = ${plot.id}`.execute(app.db);
    }, 300_000);
    afterAll(async () => {
      await closeAll(app);
    });

    it('has a metric scale bar and a search box, no base switch, and asks no other host', async () => {
      const requests: string[] = [];
      await withPage(browser!, async (page, context) => {
        context.on('request', (r) => requests.push(r.url()));
        await page.goto(base);
        await mapIdle(page);
        const scale = page.locator('.maplibregl-ctrl-scale');
        await scale.waitFor();
        expect(await scale.textContent()).toMatch(/^\d+(\.\d+)?\s?k?m$/);
        await expect(page.getByTestId('map-search').isVisible()).resolves.toBe(true);
        expect(await page.getByTestId('map-search').getAttribute('aria-label')).toMatch(/宗地代码/);
        expect(await page.getByTestId('basemap-switch').count()).toBe(0);
        await searchAndPick(page, plot.code, plot.code);
        await mapIdle(page);
      });
      expect(requests.some((u) => u.startsWith(`${base}/api/map/style`))).toBe(true);
      expect(requests.some((u) => u.startsWith(`${base}/api/map/search`))).toBe(true);
      const outside = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
      expect(outside).toEqual([]);
    }, 120_000);

    it('finds a plot by its code and by its 宗地代码: flies to it and selects it', async () => {
      await withPage(browser!, async (page) => {
        await page.goto(base);
        await mapIdle(page);
        const [w, s, e, n] = plot.bbox;
        for (const q of [plot.code.toLowerCase(), parcelCode]) {
          await page.evaluate(() => window.__map!.jumpTo({ center: [113.26, 23.13], zoom: 9 }));
          await searchAndPick(page, q, plot.code);
          await page.getByTestId('panel-title').filter({ hasText: plot.code }).waitFor({ timeout: 20_000 });
          await page.waitForFunction(() => !window.__map!.isMoving(), null, { timeout: 20_000 });
          await mapIdle(page);
          const c = await camera(page);
          expect(c.zoom).toBeGreaterThan(14);
          // The plot is in view.
          const bounds = await page.evaluate(() => window.__map!.getBounds().toArray());
          expect(bounds[0][0]).toBeLessThanOrEqual(w);
          expect(bounds[1][0]).toBeGreaterThanOrEqual(e);
          expect(bounds[0][1]).toBeLessThanOrEqual(s);
          expect(bounds[1][1]).toBeGreaterThanOrEqual(n);
          // … and drawn as the selected plot.
          const selected = await page.evaluate((id) => window.__map!.getFeatureState({ source: 'plots', sourceLayer: 'plots', id }), plot.id);
          expect(selected.selected).toBe(true);
        }
        await page.screenshot({ path: path.join(RESULTS_DIR, 'basemap-search-plot.png') });
      });
    }, 180_000);

    it('finds a park by its name and selects it', async () => {
      await withPage(browser!, async (page) => {
        await page.goto(base);
        await mapIdle(page);
        await searchAndPick(page, '生物岛', '广州国际生物岛价值创新园');
        await page.getByTestId('panel-title').filter({ hasText: '广州国际生物岛价值创新园' }).waitFor({ timeout: 20_000 });
        expect(new URL(page.url()).searchParams.toString()).toMatch(/park=\d+/);
      });
    }, 120_000);
  });

  describe('BASEMAP=tianditu', () => {
    let app: FastifyInstance | undefined;
    let base = '';
    beforeAll(async () => {
      ({ app, base } = await start({ BASEMAP: 'tianditu', TIANDITU_KEY: 'e2etestkey0123' }));
    }, 300_000);
    afterAll(async () => {
      await closeAll(app);
    });

    it('switches between 矢量, 影像 and no base, and shows the 天地图 attribution', async () => {
      const tileRequests: string[] = [];
      const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
      await withPage(browser!, async (page, context) => {
        // Answer 天地图 here: nothing leaves the machine.
        await context.route(/tianditu\.gov\.cn/, (route) => {
          tileRequests.push(route.request().url());
          return route.fulfill({ status: 200, contentType: 'image/png', body: png });
        });
        await page.goto(base);
        await mapIdle(page);
        const sw = page.getByTestId('basemap-switch');
        await sw.waitFor();
        expect(await sw.getByRole('button').allTextContents()).toEqual(['无底图', '矢量', '影像']);
        expect(await sw.getByRole('button', { name: '矢量' }).getAttribute('aria-pressed')).toBe('true');
        const visibility = () => page.evaluate(() => ['basemap-vec', 'basemap-cva', 'basemap-img', 'basemap-cia'].map((id) => window.__map!.getLayoutProperty(id, 'visibility') ?? 'visible'));
        expect(await visibility()).toEqual(['visible', 'visible', 'none', 'none']);
        expect(tileRequests.some((u) => u.includes('/vec_w/') && u.includes('tk=e2etestkey0123'))).toBe(true);
        await sw.getByRole('button', { name: '影像' }).click();
        expect(await visibility()).toEqual(['none', 'none', 'visible', 'visible']);
        await mapIdle(page);
        expect(tileRequests.some((u) => u.includes('/img_w/'))).toBe(true);
        await sw.getByRole('button', { name: '无底图' }).click();
        expect(await visibility()).toEqual(['none', 'none', 'none', 'none']);
        expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('© 天地图 / 国家地理信息公共服务平台');
        await page.screenshot({ path: path.join(RESULTS_DIR, 'basemap-tianditu.png') });
      });
    }, 180_000);
  });
});
