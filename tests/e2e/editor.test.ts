/**
 * The plot editor and the import/export page in a real browser (Debian's Chromium), on the
 * built client served by the real server with an in-memory database and the demo data.
 *
 * What the land officer does: chooses a park, draws a new plot on free land beside a
 * neighbour by clicking on the map — its corners placed a few pixels off the neighbour's snap
 * onto them — fills in the fields and saves; the API lists it with the drawn area (within 1 %)
 * and the neighbour's corners exactly, and the map shows it. Then moves a vertex and undoes and
 * redoes the move; draws over another plot and sees the live check name that plot and outline
 * it; saves over someone else's change and gets the conflict with a reload; reads the history.
 * On the import page: uploads a small GeoJSON (setInputFiles), sees the preview table and map,
 * commits and finds the plots created; a broken file is refused with a clear message.
 * axe-core finds no serious or critical problem; the editor works 390 px wide.
 * Screenshots: test-results/editor-*.png, import-*.png.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geometryAreaM2, geometryBBox, validatePlotGeometry, type Neighbour, type PlotGeometry } from '../../shared/geometry/index.ts';
import { hasChromium, launchBrowser, newContext, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, fullScreenshot, horizontalOverflow, mapIdle, openPage, PHONE, seriousViolations, signInByApi, startApp, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

type Pos = [number, number];
interface PlotFeature {
  id: number;
  geometry: GeoJSON.Polygon;
  properties: { id: number; code: string; status: string; areaM2: number };
}

/** Metres per degree of longitude and latitude around a latitude. */
const metres = (lat: number): [number, number] => [111_320 * Math.cos((lat * Math.PI) / 180), 110_574];
const offset = (p: Pos, v: Pos, m: number): Pos => {
  const k = metres(p[1]);
  return [p[0] + (v[0] * m) / k[0], p[1] + (v[1] * m) / k[1]];
};
const ring = (pts: Pos[]): GeoJSON.Polygon => {
  const closed = [...pts, pts[0]!];
  let a = 0;
  for (let i = 0; i < closed.length - 1; i++) a += closed[i]![0] * closed[i + 1]![1] - closed[i + 1]![0] * closed[i]![1];
  return { type: 'Polygon', coordinates: [a > 0 ? closed : [...closed].reverse()] };
};

/**
 * Free land beside a plot: an edge of an active plot with a 60 m strip outside it that touches
 * nothing else, with 15 m to spare along the edge and 20 m beyond (so nothing else is in snapping
 * reach). Returns the edge's ends, the outward unit vector and the strip.
 */
function stripBeside(park: PlotGeometry, plots: PlotFeature[]): { plot: PlotFeature; a: Pos; b: Pos; n: Pos; strip: GeoJSON.Polygon } {
  const neighbours: Neighbour[] = plots.map((f) => ({ id: f.id, code: f.properties.code, geometry: f.geometry }));
  const ctx = { park: { code: 'park', geometry: park }, neighbours };
  for (const plot of plots) {
    if (plot.geometry.type !== 'Polygon') continue;
    const r = plot.geometry.coordinates[0] as Pos[];
    for (let i = 0; i < r.length - 1; i++) {
      const a = r[i]!, b = r[i + 1]!;
      const k = metres(a[1]);
      const d: Pos = [(b[0] - a[0]) * k[0], (b[1] - a[1]) * k[1]];
      const len = Math.hypot(d[0], d[1]);
      if (len < 50 || len > 200) continue;
      const u: Pos = [d[0] / len, d[1] / len];
      const n: Pos = [u[1], -u[0]]; // right of a→b: outside a counter-clockwise ring
      const strip = ring([a, b, offset(b, n, 60), offset(a, n, 60)]);
      const a0 = offset(a, u, -15), b0 = offset(b, u, 15);
      const room = ring([a0, b0, offset(b0, n, 80), offset(a0, n, 80)]);
      if (validatePlotGeometry(room, ctx).ok && validatePlotGeometry(strip, ctx).ok) return { plot, a, b, n, strip };
    }
  }
  throw new Error('no free strip beside any plot');
}

/** Free squares of `sizeM` inside the park, away from the plots and from each other. */
function freeSquares(park: PlotGeometry, plots: PlotFeature[], sizeM: number, count: number): GeoJSON.Polygon[] {
  const neighbours: Neighbour[] = plots.map((f) => ({ id: f.id, code: f.properties.code, geometry: f.geometry }));
  const found: GeoJSON.Polygon[] = [];
  const [w, s, e, n] = geometryBBox(park);
  for (let lat = s; lat < n && found.length < count; lat += 0.0004) {
    for (let lng = w; lng < e && found.length < count; lng += 0.0004) {
      const sq = (p: Pos, m: number) => ring([p, offset(p, [1, 0], m), offset(offset(p, [1, 0], m), [0, 1], m), offset(p, [0, 1], m)]);
      const room = sq([lng, lat], sizeM + 30);
      if (!validatePlotGeometry(room, { park: { code: 'park', geometry: park }, neighbours }).ok) continue;
      const square = sq(offset(offset([lng, lat], [1, 0], 15), [0, 1], 15), sizeM);
      found.push(square);
      neighbours.push({ code: `free-${found.length}`, geometry: room });
    }
  }
  if (found.length < count) throw new Error('not enough free land in the park');
  return found;
}

/** Screen position (page coordinates) of a lon/lat on the map. */
async function screenOf(page: Page, p: Pos): Promise<{ x: number; y: number }> {
  const box = (await page.getByTestId('editor-map').boundingBox())!;
  const q = await page.evaluate((lngLat) => window.__map!.project(lngLat), p);
  return { x: box.x + q.x, y: box.y + q.y };
}

async function clickAt(page: Page, p: Pos): Promise<void> {
  const s = await screenOf(page, p);
  await page.mouse.click(s.x, s.y);
  await page.waitForTimeout(150);
}

/** The m² figure of "图形面积 9.61 亩（6,407.56 平方米）". */
async function shownAreaM2(page: Page): Promise<number> {
  const text = (await page.getByTestId('geom-area').textContent()) ?? '';
  const m = /([\d,]+(?:\.\d+)?)\s*平方米/.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : NaN;
}

describe.skipIf(!hasChromium)('the plot editor and survey import in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let parkId = 0;
  let parkGeometry: PlotGeometry;
  let plots: PlotFeature[] = [];
  let created: PlotFeature;

  const get = async <T,>(url: string): Promise<T> => (await (await fetch(`${base}${url}`)).json()) as T;
  const activePlots = async (id: number) => (await get<{ features: PlotFeature[] }>(`/api/plots?parkId=${id}`)).features.filter((f) => f.properties.status !== 'withdrawn');

  beforeAll(async () => {
    ({ app, base } = await startApp());
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await openPage(context, pageErrors);
    await signInByApi(page, base, 'land');
    const parks = await get<{ features: { geometry: PlotGeometry; properties: { id: number; code: string } }[] }>('/api/parks');
    const park = parks.features.find((f) => f.properties.code === 'P06')!;
    parkId = park.properties.id;
    parkGeometry = park.geometry;
    plots = await activePlots(parkId);
  });

  afterAll(() => closeAll(context, browser, app));

  it('draws a new plot beside a neighbour, its corners snapped onto the neighbour’s, and saves it', async () => {
    const { plot: neighbour, a, b, n, strip } = stripBeside(parkGeometry, plots);
    await page.goto(`${base}/bureau/editor`);
    await mapIdle(page);
    await page.getByTestId('park-select').selectOption(String(parkId));
    await expect.poll(() => page.getByTestId('plot-list').locator('li').count(), { timeout: 15_000 }).toBe(plots.length);
    const [w, s, e, nn] = geometryBBox(strip);
    await page.evaluate((center) => window.__map!.jumpTo({ center, zoom: 17 }), [(w + e) / 2, (s + nn) / 2] as Pos);
    await mapIdle(page);
    await page.getByTestId('draw-plot').click();
    expect(await page.getByTestId('editor-page').getAttribute('data-tool')).toBe('draw');

    // Two corners ~2.5 m (≈ 5 px) off the neighbour's corners: they snap onto them. Then the far side, and close.
    const farA = offset(a, n, 60), farB = offset(b, n, 60);
    await clickAt(page, offset(a, n, 2.5));
    await clickAt(page, offset(b, n, 2.5));
    await clickAt(page, farB);
    await clickAt(page, farA);
    await clickAt(page, a);
    await expect.poll(() => page.getByTestId('editor-page').getAttribute('data-tool')).toBe('create');
    await expect.poll(() => page.getByTestId('check-status').textContent()).toContain('图形检查通过');
    const drawnArea = await shownAreaM2(page);
    expect(Math.abs(drawnArea - geometryAreaM2(strip)) / geometryAreaM2(strip)).toBeLessThan(0.01);

    await page.getByTestId('field-code').fill('P06-E2E-1');
    await page.getByTestId('field-landUse').selectOption('M1');
    await page.getByTestId('field-landLevel').selectOption('3');
    await page.getByTestId('field-location').fill('黄埔区测试路以东');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-draw.png') });
    await page.getByTestId('save-plot').click();
    await expect.poll(() => page.getByTestId('editor-flash').textContent(), { timeout: 15_000 }).toContain('P06-E2E-1');

    // The API has it: the drawn area within 1 %, surveyed area = geometric area, the neighbour's corners exactly.
    const after = await activePlots(parkId);
    created = after.find((f) => f.properties.code === 'P06-E2E-1')!;
    expect(created).toBeDefined();
    expect(created.properties.status).toBe('available');
    const apiArea = geometryAreaM2(created.geometry);
    expect(Math.abs(apiArea - geometryAreaM2(strip)) / geometryAreaM2(strip)).toBeLessThan(0.01);
    expect(Math.abs(created.properties.areaM2 - apiArea) / apiArea).toBeLessThan(0.001);
    const corners = created.geometry.coordinates[0]!;
    for (const corner of [a, b]) expect(corners.some((p) => Math.abs(p[0]! - corner[0]) < 1e-9 && Math.abs(p[1]! - corner[1]) < 1e-9)).toBe(true);
    expect(neighbour.properties.code).not.toBe('P06-E2E-1');

    // …and the map shows it, selected, with the URL pointing at it.
    await mapIdle(page);
    await expect.poll(() => page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['ed-plots-fill'] }).some((f) => f.properties.code === 'P06-E2E-1'))).toBe(true);
    expect(await page.evaluate(() => location.search)).toBe(`?park=${parkId}&plot=${created.id}`);
    expect(await page.getByTestId('plot-panel').textContent()).toContain('P06-E2E-1');
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-saved.png') });
  });

  it('moves a vertex, and undoes and redoes the move (buttons and Ctrl+Z / Ctrl+Shift+Z)', async () => {
    await page.getByTestId('edit-plot').click();
    await expect.poll(() => page.getByTestId('editor-page').getAttribute('data-tool')).toBe('edit');
    const before = await shownAreaM2(page);
    // Drag a far corner 25 px towards the plot's middle: the plot gets smaller.
    const far = created.geometry.coordinates[0]!.map((p) => [p[0]!, p[1]!] as Pos).find((p) => !plots.some((f) => f.geometry.coordinates[0]!.some((q) => q[0] === p[0] && q[1] === p[1])))!;
    const [w, s, e, n] = geometryBBox(created.geometry);
    const from = await screenOf(page, far);
    const mid = await screenOf(page, [(w + e) / 2, (s + n) / 2]);
    const len = Math.hypot(mid.x - from.x, mid.y - from.y);
    const to = { x: from.x + ((mid.x - from.x) / len) * 25, y: from.y + ((mid.y - from.y) / len) * 25 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
    await page.mouse.move(to.x, to.y, { steps: 5 });
    await page.mouse.up();
    await expect.poll(() => shownAreaM2(page)).toBeLessThan(before * 0.99);
    const moved = await shownAreaM2(page);
    expect(await page.getByTestId('undo').isEnabled()).toBe(true);

    await page.getByTestId('undo').click();
    await expect.poll(() => shownAreaM2(page)).toBe(before);
    expect(await page.getByTestId('redo').isEnabled()).toBe(true);
    await page.getByTestId('redo').click();
    await expect.poll(() => shownAreaM2(page)).toBe(moved);
    await page.keyboard.press('Control+z');
    await expect.poll(() => shownAreaM2(page)).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await expect.poll(() => shownAreaM2(page)).toBe(moved);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-vertex.png') });
    await page.getByRole('button', { name: '取消' }).click();
    await expect.poll(() => page.getByTestId('editor-page').getAttribute('data-tool')).toBe('browse');
    // Cancelled: nothing was written.
    const again = (await activePlots(parkId)).find((f) => f.id === created.id)!;
    expect(again.geometry).toEqual(created.geometry);
  });

  it('catches an overlap live: names the other plot, marks where, outlines it in red, and refuses to save', async () => {
    const victim = plots.find((f) => f.properties.status === 'available' && f.geometry.type === 'Polygon')!;
    const [w, s, e, n] = geometryBBox(victim.geometry);
    const c: Pos = [(w + e) / 2, (s + n) / 2];
    await page.evaluate((p) => window.__map!.jumpTo({ center: p, zoom: 17 }), c);
    await mapIdle(page);
    await page.getByTestId('snap-toggle').uncheck();
    await page.getByTestId('draw-plot').click();
    const corners: Pos[] = [offset(c, [-1, -1], 15), offset(c, [1, -1], 15), offset(c, [1, 1], 15), offset(c, [-1, 1], 15)];
    for (const p of [...corners, corners[0]!]) await clickAt(page, p);
    await expect.poll(() => page.getByTestId('editor-page').getAttribute('data-tool')).toBe('create');
    await expect.poll(() => page.getByTestId('issue-list').textContent()).toContain(victim.properties.code);
    expect(await page.getByTestId('issue-list').locator('li[data-code="OVERLAPS_PLOT"]').count()).toBe(1);
    expect(await page.getByTestId('save-plot').isDisabled()).toBe(true);
    await expect.poll(() => page.evaluate((id) => window.__map!.getFeatureState({ source: 'ed-plots', id }).conflict, victim.id)).toBe(true);
    await mapIdle(page);
    expect(await page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['ed-issues-circle'] }).length)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-overlap.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: '取消' }).click();
    await page.getByTestId('snap-toggle').check();
    expect(await activePlots(parkId)).toHaveLength(plots.length + 1); // nothing written
  });

  it('saving over someone else’s change gets the conflict and a reload; the history keeps both versions', async () => {
    await page.getByTestId('plot-list').locator(`li[data-code="P06-E2E-1"] .ed-plot-row`).click();
    await expect.poll(() => page.getByTestId('plot-panel').textContent()).toContain('P06-E2E-1');
    await page.getByTestId('edit-plot').click();
    await expect.poll(() => page.getByTestId('editor-page').getAttribute('data-tool')).toBe('edit');
    // Someone else edits the plot meanwhile.
    const status = await page.evaluate(async (id) => {
      const h = await (await fetch(`/api/plots/${id}/history`)).json();
      const res = await fetch(`/api/plots/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ expectedRowVersion: h.rowVersion, location: '他人修改的坐落' }) });
      return res.status;
    }, created.id);
    expect(status).toBe(200);
    await page.getByTestId('field-location').fill('我的修改');
    await page.getByTestId('save-plot').click();
    await expect.poll(() => page.getByTestId('save-error').textContent(), { timeout: 15_000 }).toContain('已被他人修改');
    await page.getByTestId('reload-conflict').click();
    await expect.poll(() => page.getByTestId('editor-page').getAttribute('data-tool')).toBe('browse');
    const detail = await get<{ properties: { location: string } }>(`/api/plots/${created.id}`);
    expect(detail.properties.location).toBe('他人修改的坐落');

    await page.getByTestId('history-tab').click();
    await expect.poll(() => page.getByTestId('history-row').count(), { timeout: 15_000 }).toBe(2);
    expect(await page.getByTestId('history-table').textContent()).toMatch(/v2 修改[\s\S]*v1 新建/);
    await page.getByTestId('history-show').last().click();
    await mapIdle(page);
    await expect.poll(() => page.evaluate(() => window.__map!.queryRenderedFeatures({ layers: ['ed-overlay-line'] }).length)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-history.png') });
  });

  it('has no serious accessibility problem on the editor (axe-core)', async () => {
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('splits a plot with a drawn line: the park report’s totals stay the same, the parent (retired) leaves the list', async () => {
    /** The report's area figures (亩 and m²) and plot count, as the page shows them. */
    const reportFigures = async () => {
      await page.goto(`${base}/parks/${parkId}/report`);
      await page.getByTestId('park-report').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('kpi-total-value').textContent(), { timeout: 15_000 }).toMatch(/\d/);
      const kpi = async (id: string) => {
        const note = (await page.getByTestId(id).locator('.report-kpi-note').textContent()) ?? '';
        return { value: (await page.getByTestId(`${id}-value`).textContent()) ?? '', m2: note.split('·')[0]!.trim(), count: Number(/([\d,]+)\s*宗/.exec(note)?.[1]?.replace(/,/g, '') ?? NaN) };
      };
      return { total: await kpi('kpi-total'), available: await kpi('kpi-available'), allocated: await kpi('kpi-allocated'), held: await kpi('kpi-held') };
    };
    const before = await reportFigures();
    expect(before.total.count).toBeGreaterThan(0);
    const target = (await activePlots(parkId)).find((f) => f.properties.status === 'available' && f.geometry.type === 'Polygon' && f.id !== created.id)!;

    await page.goto(`${base}/bureau/editor`);
    await mapIdle(page);
    await page.getByTestId('park-select').selectOption(String(parkId));
    await page.getByTestId('plot-list').locator(`li[data-code="${target.properties.code}"] .ed-plot-row`).click();
    await expect.poll(() => page.getByTestId('plot-panel').textContent()).toContain(target.properties.code);
    const [w, s, e, n] = geometryBBox(target.geometry);
    await page.evaluate((center) => window.__map!.jumpTo({ center, zoom: 17 }), [(w + e) / 2, (s + n) / 2] as Pos);
    await mapIdle(page);
    await page.getByTestId('split-plot').click();
    // A line across the middle (its ends are extended to the boundary); clicking the last point again ends it.
    const x = (w + e) / 2;
    await clickAt(page, [x, s + (n - s) * 0.2]);
    await clickAt(page, [x, s + (n - s) * 0.8]);
    await clickAt(page, [x, s + (n - s) * 0.8]);
    await expect.poll(() => page.getByTestId('split-confirm').isEnabled(), { timeout: 15_000 }).toBe(true);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-split.png') });
    await page.getByTestId('split-confirm').click();
    await expect.poll(() => page.getByTestId('editor-flash').textContent(), { timeout: 15_000 }).toContain(target.properties.code);
    await expect.poll(() => page.getByTestId('plot-list').locator(`li[data-code="${target.properties.code}"]`).count()).toBe(0);
    expect(await page.getByTestId('plot-list').locator(`li[data-code="${target.properties.code}-1"]`).count()).toBe(1);
    const detail = await get<{ properties: { status: string } }>(`/api/plots/${target.id}`);
    expect(detail.properties.status).toBe('retired');

    // The report: the same land, one more parcel (two pieces for the retired parent).
    const after = await reportFigures();
    expect(after.total.value).toBe(before.total.value);
    expect(after.total.m2).toBe(before.total.m2);
    expect(after.available).toEqual({ ...before.available, count: before.available.count + 1 });
    expect(after.allocated).toEqual(before.allocated);
    expect(after.held).toEqual(before.held);
    expect(after.total.count).toBe(before.total.count + 1);
    await page.screenshot({ path: path.join(RESULTS_DIR, 'editor-split-report.png') });
  });

  it('imports a GeoJSON: preview table and map, commit, the plots created', async () => {
    const parks = await get<{ features: { geometry: PlotGeometry; properties: { id: number; code: string } }[] }>('/api/parks');
    const p10 = parks.features.find((f) => f.properties.code === 'P10')!;
    const squares = freeSquares(p10.geometry, await activePlots(p10.properties.id), 50, 3);
    const file = JSON.stringify({
      type: 'FeatureCollection',
      features: squares.map((g, i) => ({ type: 'Feature', properties: { code: `IMP-E2E-${i + 1}`, landUse: 'M1', landLevel: 3, areaM2: Math.round(geometryAreaM2(g) * 100) / 100 }, geometry: g })),
    });
    await page.goto(`${base}/bureau/imports`);
    await page.getByTestId('import-file').setInputFiles({ name: 'survey.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(file) });
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-preview').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('import-counts').textContent()).toContain('3 宗可导入');
    expect(await page.getByTestId('import-row').count()).toBe(3);
    expect(await page.locator('[data-testid="import-row"][data-state="ok"]').count()).toBe(3);
    expect(await page.getByTestId('import-table').textContent()).toContain('IMP-E2E-2');
    await mapIdle(page);
    await expect.poll(() => page.evaluate(() => new Set(window.__map!.queryRenderedFeatures({ layers: ['im-preview-fill'] }).map((f) => f.properties.index)).size)).toBe(3);
    await page.getByTestId('import-row').nth(1).click();
    await expect.poll(() => page.evaluate(() => window.__map!.getFeatureState({ source: 'im-preview', id: 1 }).focus)).toBe(true);
    await fullScreenshot(page, 'import-preview.png');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('import-commit').click();
    await page.getByTestId('confirm-button').click();
    await expect.poll(() => page.getByTestId('import-result').textContent(), { timeout: 20_000 }).toContain('已导入 3 宗地块');
    const listed = (await activePlots(p10.properties.id)).map((f) => f.properties.code);
    expect(listed).toEqual(expect.arrayContaining(['IMP-E2E-1', 'IMP-E2E-2', 'IMP-E2E-3']));
    await fullScreenshot(page, 'import-done.png');

    // The same file again: every code exists and every plot overlaps — shown per row, commit disabled.
    await page.getByTestId('import-file').setInputFiles({ name: 'survey.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(file) });
    await page.getByTestId('import-upload').click();
    await expect.poll(() => page.getByTestId('import-counts').textContent(), { timeout: 20_000 }).toContain('3 宗有错误');
    expect(await page.getByTestId('import-commit').isDisabled()).toBe(true);
    expect(await page.getByTestId('import-row').first().textContent()).toContain('已存在');

    // A broken file is refused with a clear message, nothing written.
    await page.getByTestId('import-file').setInputFiles({ name: 'broken.geojson', mimeType: 'application/geo+json', buffer: Buffer.from('{"type": "FeatureCollection", "features": [') });
    await page.getByTestId('import-upload').click();
    await expect.poll(() => page.getByTestId('import-error').textContent(), { timeout: 20_000 }).toContain('不是有效的 JSON');

    // The result links to the editor with the park, where the imported plots are.
    await page.goto(`${base}/bureau/editor?park=${p10.properties.id}`);
    await expect.poll(() => page.getByTestId('plot-list').textContent(), { timeout: 15_000 }).toContain('IMP-E2E-3');
  });

  it('offers export downloads with the chosen format, CRS and filters', async () => {
    await page.goto(`${base}/bureau/imports`);
    await page.getByTestId('export-format-shp').check();
    await page.getByLabel(/EPSG:4547/).last().check();
    await page.getByTestId('export-park').selectOption(String(parkId));
    const href = await page.getByTestId('export-download').getAttribute('href');
    // The Chinese UI (the default) asks for Chinese field names: lang=zh.
    expect(href).toBe(`/api/plots/export?format=shp&crs=EPSG%3A4547&parkId=${parkId}&lang=zh`);
    const res = await page.evaluate(async (url) => {
      const r = await fetch(url);
      return { status: r.status, type: r.headers.get('content-type'), count: r.headers.get('x-export-count') };
    }, href!);
    expect(res.status).toBe(200);
    expect(res.type).toContain('zip');
    expect(Number(res.count)).toBeGreaterThan(0);
  });

  it('works 390 px wide', async () => {
    await withPage(browser, async (p) => {
      await signInByApi(p, base, 'land');
      await p.goto(`${base}/bureau/editor?park=${parkId}&plot=${created.id}`);
      await mapIdle(p);
      await expect.poll(() => p.getByTestId('plot-panel').textContent(), { timeout: 15_000 }).toContain('P06-E2E-1');
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      const map = (await p.getByTestId('editor-map').boundingBox())!;
      expect(map.width).toBeLessThanOrEqual(390);
      expect(map.height).toBeGreaterThan(250);
      await p.screenshot({ path: path.join(RESULTS_DIR, 'editor-phone.png') });
      await p.goto(`${base}/bureau/imports`);
      await p.getByTestId('import-section').waitFor();
      expect(await horizontalOverflow(p)).toBeLessThanOrEqual(0);
      await fullScreenshot(p, 'import-phone.png');
    }, { viewport: PHONE });
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
