/**
 * The map in a real browser (Debian's Chromium): the built client served by the real server,
 * started in-process on an in-memory database seeded with the demo data.
 *
 * What a person does: sees the twelve parks, clicks one and reads its details, zooms in to the
 * plots and clicks one, reloads and finds the same view, switches to English — and the page
 * never talks to any host but its own (the style is offline).
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchBrowser, newContext, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, mapIdle, openPage, PHONE, startApp, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

interface ParkRow {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Park codes currently drawn on the `parks-fill` layer. */
function renderedParkCodes(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const features = window.__map!.queryRenderedFeatures({ layers: ['parks-fill'] });
    return [...new Set(features.map((f) => String(f.properties.code)))].sort();
  });
}

/** A point inside a park (its label point, computed in the page) in page coordinates. */
async function parkScreenPoint(page: Page, code: string): Promise<{ x: number; y: number; lng: number; lat: number }> {
  return page.evaluate((parkCode) => {
    const map = window.__map!;
    const label = map.querySourceFeatures('park-labels').find((f) => f.properties.code === parkCode);
    if (!label || label.geometry.type !== 'Point') throw new Error(`no label point for park ${parkCode}`);
    const [lng, lat] = label.geometry.coordinates as [number, number];
    const p = map.project([lng, lat]);
    const rect = map.getContainer().getBoundingClientRect();
    return { x: rect.left + p.x, y: rect.top + p.y, lng, lat };
  }, code);
}

/**
 * A plot drawn on screen, with a point inside it that picks that very plot, clear of the side
 * panel, legend and controls (so a click there lands on the map).
 */
async function clickablePlot(page: Page): Promise<{ id: number; code: string; x: number; y: number } | null> {
  return page.evaluate(() => {
    const map = window.__map!;
    const rect = map.getContainer().getBoundingClientRect();
    const blockers = [...document.querySelectorAll('.panel, .legend, .map-controls, .map-tools, .hubs-control')].map((el) => el.getBoundingClientRect());
    const free = (x: number, y: number) =>
      x > 20 && y > 20 && x < rect.width - 20 && y < rect.height - 20 &&
      !blockers.some((b) => x + rect.left >= b.left - 8 && x + rect.left <= b.right + 8 && y + rect.top >= b.top - 8 && y + rect.top <= b.bottom + 8);
    for (const f of map.queryRenderedFeatures({ layers: ['plots-fill'] })) {
      if (f.geometry.type !== 'Polygon') continue;
      const ring = f.geometry.coordinates[0]!.slice(0, -1) as [number, number][];
      const lng = ring.reduce((s, c) => s + c[0], 0) / ring.length;
      const lat = ring.reduce((s, c) => s + c[1], 0) / ring.length;
      const p = map.project([lng, lat]);
      if (!free(p.x, p.y)) continue;
      const top = map.queryRenderedFeatures(p, { layers: ['plots-fill'] })[0];
      if (top?.id === f.id) return { id: Number(f.id), code: String(f.properties.code), x: rect.left + p.x, y: rect.top + p.y };
    }
    return null;
  });
}

function panelTitle(page: Page) {
  return page.locator('[data-testid="side-panel"] [data-testid="panel-title"]');
}

describe.skipIf(!hasChromium)('the map in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let parks: ParkRow[];
  const requests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, base } = await startApp());

    const res = await fetch(`${base}/api/parks`);
    const fc = (await res.json()) as { features: { properties: ParkRow }[] };
    parks = fc.features.map((f) => f.properties);

    browser = await launchBrowser();
    context = await newContext(browser);
    // Context-wide, so requests from maplibre's worker (tiles) are seen too.
    context.on('request', (r) => requests.push(r.url()));
    page = await openPage(context, pageErrors);
  });

  afterAll(() => closeAll(context, browser, app));

  it('draws all twelve parks at the city view, with the sample-data badge', async () => {
    expect(parks.map((p) => p.code).sort()).toEqual(
      ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08', 'P09', 'P10', 'P11', 'P12'],
    );
    await page.goto(`${base}/`);
    await mapIdle(page);
    await page.waitForFunction(
      () => new Set(window.__map!.queryRenderedFeatures({ layers: ['parks-fill'] }).map((f) => f.properties.code)).size >= 12,
      null,
      { timeout: 30_000 },
    );
    expect(await renderedParkCodes(page)).toEqual(parks.map((p) => p.code).sort());
    await expect.poll(() => page.locator('[data-testid="sample-badge"]').isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'map-city.png') });
  });

  it('opens a park in the side panel when it is clicked, noting its indicative boundary', async () => {
    const park = parks.find((p) => p.code === 'P01')!;
    const point = await parkScreenPoint(page, park.code);
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => panelTitle(page).textContent(), { timeout: 15_000 }).toBe(park.nameZh);
    expect(await page.locator('aside[aria-label="详情"]').count()).toBe(1);
    expect(await page.locator('[data-testid="indicative-note"]').textContent()).toContain('示意边界');
    await expect.poll(() => page.evaluate(() => location.search)).toContain(`park=${park.id}`);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'map-park-panel.png') });
  });

  it('shows plots from the vector tiles when zoomed into a park, and opens a clicked plot', async () => {
    const point = await parkScreenPoint(page, 'P01');
    await page.evaluate(([lng, lat]) => window.__map!.jumpTo({ center: [lng!, lat!], zoom: 14 }), [point.lng, point.lat]);
    await mapIdle(page);
    await page.waitForFunction(() => window.__map!.queryRenderedFeatures({ layers: ['plots-fill'] }).length > 0, null, {
      timeout: 30_000,
    });
    expect(requests.some((u) => u.startsWith(`${base}/api/tiles/plots/`))).toBe(true);

    const plot = await clickablePlot(page);
    expect(plot, 'a plot drawn clear of the panel and legend').not.toBeNull();
    await page.mouse.click(plot!.x, plot!.y);
    await expect.poll(() => panelTitle(page).textContent(), { timeout: 15_000 }).toBe(plot!.code);
    await expect.poll(() => page.evaluate(() => location.search)).toContain(`plot=${plot!.id}`);
    // The selection is marked on the map through feature-state.
    const state = await page.evaluate(
      (id) => window.__map!.getFeatureState({ source: 'plots', sourceLayer: 'plots', id }),
      plot!.id,
    );
    expect(state.selected).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'map-plot-panel.png') });

    // Reload: the URL brings back the same camera and the same open plot.
    const before = await page.evaluate(() => ({ zoom: window.__map!.getZoom(), search: location.search }));
    await page.reload();
    await mapIdle(page);
    await expect.poll(() => panelTitle(page).textContent(), { timeout: 15_000 }).toBe(plot!.code);
    const after = await page.evaluate(() => ({ zoom: window.__map!.getZoom(), search: location.search }));
    expect(after.zoom).toBeCloseTo(before.zoom, 1);
    expect(after.search).toContain(`plot=${plot!.id}`);
  });

  it('switches to English in one click, panel and map labels included, and remembers it', async () => {
    const plotPark = await page.evaluate(async () => {
      const id = new URLSearchParams(location.search).get('plot');
      const res = await fetch(`/api/plots/${id}`);
      return ((await res.json()) as { properties: { parkNameEn: string } }).properties.parkNameEn;
    });
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.locator('[data-testid="side-panel"]').textContent()).toContain(plotPark);
    expect(await page.locator('aside[aria-label="Details"]').count()).toBe(1);
    expect(JSON.stringify(await page.evaluate(() => window.__map!.getLayoutProperty('park-labels', 'text-field')))).toContain('nameEn');

    // A park's English name in the panel.
    const park = parks.find((p) => p.code === 'P12')!;
    await page.evaluate((id) => {
      history.replaceState(null, '', `/?park=${id}`);
    }, park.id);
    await page.reload();
    await mapIdle(page);
    await expect.poll(() => panelTitle(page).textContent(), { timeout: 15_000 }).toBe(park.nameEn);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await mapIdle(page);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'map-english.png') });

    // Escape closes the panel and drops the selection from the URL.
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('[data-testid="side-panel"]').count()).toBe(0);
    await expect.poll(() => page.evaluate(() => location.search)).not.toContain('park=');
  });

  it('works at phone width: the panel becomes a bottom sheet', async () => {
    await withPage(browser, async (p, phone) => {
      phone.on('request', (r) => requests.push(r.url()));
      const park = parks.find((x) => x.code === 'P09')!;
      await p.goto(`${base}/?park=${park.id}`);
      await mapIdle(p);
      await expect.poll(() => panelTitle(p).textContent(), { timeout: 15_000 }).toBe(park.nameZh);
      await mapIdle(p);
      const box = await p.locator('[data-testid="side-panel"]').boundingBox();
      expect(box).not.toBeNull();
      expect(box!.width).toBeGreaterThanOrEqual(389);
      expect(box!.y + box!.height).toBeGreaterThan(843);
      await p.screenshot({ path: path.join(RESULTS_DIR, 'map-phone.png') });
    }, { viewport: PHONE });
  });

  it('never requested anything from another host (offline style: no tiles, fonts or glyphs)', () => {
    expect(requests.length).toBeGreaterThan(0);
    const foreign = requests.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
