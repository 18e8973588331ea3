/**
 * Supervision after the sale (`/supervision`, issue #15 §5) in a real browser (Debian's
 * Chromium), on the built client served by the real server with an in-memory database and the
 * demo data.
 *
 * Set up through the API: a district officer of a plot's district (created by the admin) and,
 * on that plot, a contracted allocation whose agreed start is 400 days past — idle land for more
 * than a year, so stage idle_fee with a fee of 20 % of the price (《闲置土地处置办法》 第十四条).
 * Then what people do: the district officer opens the supervision layer from the top bar, sees
 * the plot coloured as idle on the same plot tiles, clicks it, reads the stage, the fee to the
 * fen and the article; opens an inspection assigned to themself, records a visit with a photo
 * (a file that is not a photo refused first, in words), sees the visit and its photo listed,
 * and closes the inspection. The land officer records the fee decision with its 决定文号 (the fee
 * prefilled to the fen) and switches the layer to 亩均 grades: the legend shows A–D.
 */
import path from 'node:path';
import zlib from 'node:zlib';
import { pointOnFeature } from '@turf/turf';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bureauYear } from '../../shared/dates.ts';
import { roundHalfUpDiv } from '../../shared/money.ts';
import { formatMoney } from '../../shared/units.ts';
import { hasChromium, launchBrowser, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, daysFromToday, mapIdle, seriousViolations, signIn, signInByApi, startApp, uscc, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

const YEAR = bureauYear();
const INSPECTOR = 'e2e-inspector';
const INSPECTOR_PASSWORD = 'inspect-2026-e2e';

/** A JSON call from the page: the session cookie and our Origin go with it, as from the app. */
async function apiCall<T = Record<string, unknown>>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u as string, {
        method: m as string,
        headers: b === undefined ? {} : { 'content-type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      return { status: res.status, body: await res.json() };
    },
    [method, url, body] as const,
  );
}

/** A small, valid PNG (8×8, RGB, a gradient), built here: signature, IHDR, IDAT, IEND with their CRCs. */
function tinyPng(): Buffer {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf: Buffer) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const size = 8;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < size; x++) rows.push(x * 30, y * 30, 160);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

interface PlotRow {
  id: number;
  code: string;
  landUse: string;
}

/** Frames the plot at zoom 17 and clicks it where the map draws it. */
async function clickPlot(page: Page, base: string, plotId: number): Promise<void> {
  const feature = (await (await fetch(`${base}/api/plots/${plotId}`)).json()) as GeoJSON.Feature;
  const [lng, lat] = pointOnFeature(feature).geometry.coordinates as [number, number];
  await page.evaluate(() => window.__map!.getContainer().scrollIntoView({ block: 'center' }));
  await page.evaluate(([x, y]) => window.__map!.jumpTo({ center: [x!, y!], zoom: 17 }), [lng, lat]);
  await mapIdle(page);
  await page.waitForFunction((id) => window.__map!.queryRenderedFeatures({ layers: ['plots-fill'] }).some((f) => f.id === id), plotId, { timeout: 30_000 });
  const point = await page.evaluate(
    ([x, y, id]) => {
      const map = window.__map!;
      const p = map.project([x!, y!]);
      const top = map.queryRenderedFeatures(p, { layers: ['plots-fill'] })[0];
      const rect = map.getContainer().getBoundingClientRect();
      return { x: rect.left + p.x, y: rect.top + p.y, hit: top?.id === id };
    },
    [lng, lat, plotId] as const,
  );
  expect(point.hit).toBe(true);
  await page.mouse.click(point.x, point.y);
}

describe.skipIf(!hasChromium)('supervision after the sale in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let plot: PlotRow & { districtCode: string };
  let allocationId = 0;
  let priceYuan = 0;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, base } = await startApp());
    const fc = (await (await fetch(`${base}/api/plots?status=available`)).json()) as { features: { properties: PlotRow }[] };
    const candidate = fc.features.map((f) => f.properties).find((p) => p.landUse !== 'M0');
    expect(candidate).toBeDefined();
    const detail = (await (await fetch(`${base}/api/plots/${candidate!.id}`)).json()) as { properties: PlotRow & { districtCode: string } };
    plot = detail.properties;
    browser = await launchBrowser();
  });

  afterAll(() => closeAll(browser, app));

  it('sets up, through the API, a district officer and a contracted plot whose start is 400 days late', async () => {
    await withPage(browser, async (page) => {
      await signInByApi(page, base, 'admin');
      const user = await apiCall(page, 'POST', '/api/users', {
        username: INSPECTOR, displayName: '区核查员（测试）', role: 'district_officer', districtCode: plot.districtCode, password: INSPECTOR_PASSWORD, mustChangePassword: false,
      });
      expect(user.status, JSON.stringify(user.body)).toBe(201);
    });
    await withPage(browser, async (page) => {
      await signInByApi(page, base, 'land');
      expect((await apiCall(page, 'PUT', `/api/quotas/${YEAR}`, { quotaM2: 4_000_000, iabReserveM2: 666_666.67 })).status).toBe(200);
      const floor = (await apiCall<{ floorYuan: number }>(page, 'POST', '/api/quotes/price-floor', { plotId: plot.id, iab: true, termYears: 50 })).body.floorYuan;
      // Odd fen, so the 20 % fee has to be rounded half up to the fen.
      priceYuan = Math.ceil(floor) + 1234.57;
      const proposed = await apiCall<{ id: number }>(page, 'POST', '/api/allocations', {
        plotId: plot.id, quotaYear: YEAR, mode: 'transfer', termYears: 50, priceYuan,
        project: { name: '闲置监管测试项目', enterprise: { name: '广州闲置测试科技有限公司', uscc: uscc('91440101MA5CBUR07') }, sector: 'ai', iab: true },
      });
      expect(proposed.status, JSON.stringify(proposed.body)).toBe(201);
      allocationId = proposed.body.id;
      const approved = await apiCall(page, 'POST', `/api/allocations/${allocationId}/approve`);
      expect(approved.status, JSON.stringify(approved.body)).toBe(200);
      const contracted = await apiCall(page, 'POST', `/api/allocations/${allocationId}/contract`, {
        contractNo: `440100-${YEAR}-SUP-${allocationId}`, supervisionNo: `4401${YEAR}S${String(allocationId).padStart(5, '0')}`,
        signedOn: daysFromToday(-500), agreedHandoverOn: daysFromToday(-480), agreedStartOn: daysFromToday(-400), agreedCompletionOn: daysFromToday(300),
      });
      expect(contracted.status, JSON.stringify(contracted.body)).toBe(200);
      const idle = await apiCall<{ items: { allocationId: number; stage: string; daysLate: number; feeYuan: number | null }[] }>(page, 'GET', '/api/supervision/idle');
      expect(idle.status).toBe(200);
      expect(idle.body.items.find((i) => i.allocationId === allocationId)).toMatchObject({ stage: 'idle_fee', daysLate: 400 });
    });
  });

  it('lets the district officer open the supervision layer, click the idle plot and read the stage, the fee and the article', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, base, INSPECTOR, INSPECTOR_PASSWORD);
      await page.getByTestId('nav-supervision').click();
      await expect.poll(() => page.evaluate(() => location.pathname)).toBe('/supervision');
      await page.getByTestId('supervision-page').waitFor();
      await mapIdle(page);
      // The red-line list beside the map has the plot.
      await page.getByTestId(`redline-${plot.code}`).waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('supervision-legend').getAttribute('data-mode')).toBe('stage');

      await clickPlot(page, base, plot.id);
      // Coloured on the same plot tiles, by feature-state joined on the plot id.
      const state = await page.evaluate((id) => window.__map!.getFeatureState({ source: 'plots', sourceLayer: 'plots', id }), plot.id);
      expect(state.sv_stage).toBe('idle_fee');
      expect(state.selected).toBe(true);

      const panel = page.getByTestId('idle-panel');
      await panel.waitFor({ timeout: 15_000 });
      await expect.poll(() => page.getByTestId('idle-stage').textContent()).toBe('闲置满一年（征缴土地闲置费）');
      expect(await page.getByTestId('idle-days').textContent()).toBe('400 天');
      // 20 % of the price, to the fen, half up.
      const feeFen = roundHalfUpDiv(BigInt(Math.round(priceYuan * 100)) * 20n, 100n);
      expect(await page.getByTestId('idle-fee').textContent()).toBe(formatMoney(feeFen, 'zh-CN'));
      expect(await page.getByTestId('idle-basis').textContent()).toContain('第十四条');
      // A district officer records no decision (the bureau does).
      expect(await page.getByTestId('decision-add').count()).toBe(0);

      // In English the panel says the same, citing art. 14.
      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => page.getByTestId('idle-stage').textContent()).toBe('Idle ≥ 1 year (idle-land fee)');
      expect(await page.getByTestId('idle-fee').textContent()).toBe(formatMoney(feeFen, 'en'));
      expect(await page.getByTestId('idle-basis').textContent()).toMatch(/\barts?\.\s*(\d+\s+and\s+)?14\b/);
      await page.getByTestId('lang-toggle').click();
      await expect.poll(() => page.getByTestId('idle-stage').textContent()).toBe('闲置满一年（征缴土地闲置费）');

      // Opens an inspection, assigned to a district officer of the plot's district (here: themself).
      await page.getByTestId('inspection-open').click();
      const select = page.getByTestId('inspection-assignee-select');
      await expect.poll(() => select.locator('option').count(), { timeout: 15_000 }).toBeGreaterThan(1);
      const ownOption = await select.locator('option', { hasText: INSPECTOR }).getAttribute('value');
      await select.selectOption(ownOption!);
      await page.getByTestId('inspection-submit').click();
      const card = page.getByTestId('inspection-card');
      await card.waitFor({ timeout: 15_000 });
      expect(await card.getAttribute('data-status')).toBe('open');
      expect(await page.getByTestId('inspection-assignee').textContent()).toContain('区核查员（测试）');

      // Records a visit: a file that is not a photo is refused in words; a PNG goes up with the visit.
      await page.getByTestId('visit-add').click();
      await page.getByTestId('visit-findings-input').fill('现场未见施工迹象，地块围挡完好，未动工。');
      await page.getByTestId('visit-photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
      await expect.poll(() => page.getByTestId('visit-photo-error').textContent()).toBe('照片须为 JPEG 或 PNG 格式（所选文件：notes.txt）。');
      await page.getByTestId('visit-photo').setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: tinyPng() });
      expect(await page.getByTestId('visit-photo-error').count()).toBe(0);
      const upload = page.waitForResponse((r) => /\/visits\/\d+\/photos$/.test(r.url()) && r.request().method() === 'POST');
      await page.getByTestId('visit-submit').click();
      expect((await upload).status()).toBe(201);

      // Listed: the visit's findings and its photo, which loads.
      await expect.poll(() => page.getByTestId('visit-findings').textContent(), { timeout: 15_000 }).toBe('现场未见施工迹象，地块围挡完好，未动工。');
      const img = page.getByTestId('visit-photo-img');
      await img.waitFor({ timeout: 15_000 });
      await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), { timeout: 15_000 }).toBe(8);
      const listed = await apiCall<{ items: { visits: { photos: { contentType: string }[] }[] }[] }>(page, 'GET', `/api/supervision/inspections?allocationId=${allocationId}`);
      expect(listed.body.items[0]!.visits[0]!.photos).toEqual([expect.objectContaining({ contentType: 'image/png' })]);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'supervision-visit.png') });
      expect(await seriousViolations(page, '[data-testid="supervision-side"]')).toEqual([]);

      // Closes it with a conclusion.
      await page.getByTestId('inspection-close').click();
      await page.getByTestId('close-conclusion').fill('确认闲置满一年，建议按第十四条征缴土地闲置费。');
      await page.getByTestId('close-submit').click();
      await expect.poll(() => card.getAttribute('data-status'), { timeout: 15_000 }).toBe('closed');
      expect(await page.getByTestId('inspection-conclusion').textContent()).toContain('确认闲置满一年');
    } finally {
      await context.close();
    }
  });

  it('lets the bureau switch the layer to 亩均 grades: the legend shows A–D (after recording the fee decision)', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    try {
      await signIn(page, base, 'land');
      await page.getByTestId('nav-supervision').click();
      await page.getByTestId('supervision-page').waitFor();
      await mapIdle(page);

      // From the red-line list: the plot's panel, and the decision the bureau records (fee prefilled to the fen).
      await page.getByTestId(`redline-${plot.code}`).click();
      await page.getByTestId('idle-panel').waitFor({ timeout: 15_000 });
      await page.waitForFunction(() => (window.__map?.getZoom() ?? 0) > 14, null, { timeout: 20_000 });
      await page.getByTestId('decision-add').click();
      expect(await page.getByTestId('decision-kind').inputValue()).toBe('idle_fee');
      const feeFen = roundHalfUpDiv(BigInt(Math.round(priceYuan * 100)) * 20n, 100n);
      expect(await page.getByTestId('decision-fee').inputValue()).toBe((Number(feeFen) / 100).toFixed(2));
      await page.getByTestId('decision-submit').click();
      await expect.poll(() => page.getByTestId('decision-documentNo').getAttribute('aria-invalid')).toBe('true');
      await page.getByTestId('decision-documentNo').fill(`穗规划资源闲决〔${YEAR}〕12号`);
      await page.getByTestId('decision-submit').click();
      const decision = page.getByTestId('decision-item');
      await expect.poll(() => decision.textContent(), { timeout: 15_000 }).toContain(`穗规划资源闲决〔${YEAR}〕12号`);
      expect(await decision.textContent()).toContain(formatMoney(feeFen, 'zh-CN'));
      await page.getByTestId('panel-back').click();

      await page.getByTestId('layer-grade').check();
      const legend = page.getByTestId('supervision-legend');
      await expect.poll(() => legend.getAttribute('data-mode')).toBe('grade');
      const rows = page.getByTestId('legend-rows').locator('li');
      expect(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-key')))).toEqual(['A', 'B', 'C', 'D', 'none']);
      expect(await rows.allTextContents()).toEqual(['A 级', 'B 级', 'C 级', 'D 级', '无评价数据']);
      // The plot fill now reads the grade joined by plot id.
      const paint = await page.evaluate(() => JSON.stringify(window.__map!.getPaintProperty('plots-fill', 'fill-color')));
      expect(paint).toContain('sv_grade');
      // The evaluation loaded for the year shown (no error in the legend).
      await expect.poll(() => page.getByTestId('grade-year').inputValue()).toBe(String(YEAR - 1));
      expect(await legend.locator('[role="alert"]').count()).toBe(0);
      await page.screenshot({ path: path.join(RESULTS_DIR, 'supervision-grades.png') });
      // And back to the idle stages.
      await page.getByTestId('layer-stage').check();
      expect(JSON.stringify(await page.evaluate(() => window.__map!.getPaintProperty('plots-fill', 'fill-color')))).toContain('sv_stage');
    } finally {
      await context.close();
    }
  });

  it('threw no uncaught error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
