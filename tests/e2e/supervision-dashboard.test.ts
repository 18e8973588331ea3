/**
 * The 亩均 and monitoring screens in a real browser (Debian's Chromium), on the demo data plus a
 * small scenario in 天河 made through the API: an allocation whose start is 400 days late (idle
 * land) and a completed one with last year's figures.
 *
 * The land officer opens the evaluation table (the sample-thresholds flag is visible, the row has
 * the grade the API gives), enters this year's figures for the completed allocation through the
 * form, and imports a CSV (preview with the detected encoding, then commit); the city overview
 * shows the supervision figures and the key projects against 100/50; the monitoring report
 * prints one A4 page per park plus the summary. 天河's officer is refused 黄埔's report.
 * Screenshots: test-results/supervision-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call as callInject, login } from '../api/login.ts';
import { bureauToday } from '../../shared/dates.ts';
import { moneyScale, scaleUnit } from '../../client/ui/money.ts';
import { hasChromium, launchBrowser, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, daysFromToday, fullScreenshot, signIn, startApp, uscc, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are read loosely here
type Json = Record<string, any>;

function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe.skipIf(!hasChromium)('亩均 evaluation, import and the monitoring report in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  const thisYear = Number(bureauToday().slice(0, 4));
  const lastYear = thisYear - 1;
  let idleId: number;
  let doneId: number;
  let donePlot: Json;
  let contractNo: string;

  beforeAll(async () => {
    ({ app, base } = await startApp());
    browser = await launchBrowser();
    const land = await login(app, 'land');
    const call = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => callInject(app, land, method, url, body, { origin: base });
    expect((await call('PUT', `/api/quotas/${thisYear}`, { quotaM2: 50_000_000, iabReserveM2: 0 })).status).toBe(200);
    const plots = (await call('GET', '/api/plots?status=available')).body.features
      .map((f: Json) => f.properties)
      .filter((p: Json) => p.districtCode === '440106')
      .slice(0, 2);
    expect(plots).toHaveLength(2);
    const make = async (plot: Json, n: number, startDaysAgo: number, completed: boolean) => {
      const floor = await call('POST', '/api/quotes/price-floor', { plotId: plot.id, iab: true });
      const r = await call('POST', '/api/allocations', {
        plotId: plot.id, quotaYear: thisYear, mode: 'transfer', termYears: 50, priceYuan: floor.body.floorYuan,
        project: { name: `监管界面测试项目 ${n}`, enterprise: { name: `监管界面测试企业 ${n}`, uscc: uscc(`91440106${String(880_000 + n).padStart(9, '0')}`) }, sector: 'ai', iab: true },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      const id = r.body.id as number;
      expect((await call('POST', `/api/allocations/${id}/approve`, {})).status).toBe(200);
      const no = `440106-UI-${id}`;
      const c = await call('POST', `/api/allocations/${id}/contract`, {
        contractNo: no, supervisionNo: `4401062026U${String(id).padStart(5, '0')}`,
        signedOn: daysFromToday(-900), agreedHandoverOn: daysFromToday(-880), agreedStartOn: daysFromToday(-startDaysAgo), agreedCompletionOn: daysFromToday(300),
      });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
      if (completed) {
        for (const [kind, days] of [['handed_over', -880], ['started', -startDaysAgo], ['completed', -60]] as const) {
          const m = await call('POST', `/api/allocations/${id}/milestones`, { kind, date: daysFromToday(days) });
          expect(m.status, JSON.stringify(m.body)).toBe(200);
        }
      }
      return { id, no };
    };
    idleId = (await make(plots[0], 1, 400, false)).id;
    const done = await make(plots[1], 2, 700, true);
    doneId = done.id;
    contractNo = done.no;
    donePlot = plots[1];
    const p = await call('POST', `/api/allocations/${doneId}/performance`, { year: lastYear, outputYuan: 50_000_000, taxYuan: 3_000_000, energyTce: 250, employees: 120 });
    expect([200, 201]).toContain(p.status);
  }, 240_000);

  afterAll(async () => {
    await closeAll(browser, app);
  });

  it('the evaluation table flags sample thresholds, shows the grade, and takes a year’s figures from the form', async () => {
    const api = (await callInject(app, await login(app, 'land'), 'GET', `/api/supervision/evaluation?year=${lastYear}`)).body as Json;
    const item = api.items.find((i: Json) => i.allocationId === doneId);
    expect(item).toBeDefined();
    await withPage(browser, async (page) => {
      await signIn(page, base, 'land');
      await page.goto(`${base}/supervision/evaluation?year=${lastYear}`);
      const row = page.getByTestId(`eval-row-${doneId}`);
      await row.waitFor();
      expect(await row.getByTestId('grade').textContent()).toBe(item.grade);
      expect(await row.textContent()).toContain(donePlot.code);
      if (api.thresholds.sample) await expect(page.getByTestId('sample-thresholds').isVisible()).resolves.toBe(true);
      await fullScreenshot(page, 'supervision-evaluation.png');

      await row.getByRole('button').click();
      const dialog = page.getByTestId('perf-entry-dialog');
      await dialog.waitFor();
      await page.getByTestId('perf-year').fill(String(thisYear));
      await page.getByTestId('perf-output').fill('-5');
      await page.getByTestId('perf-tax').fill('1200000');
      await page.getByTestId('perf-energy').fill('200');
      await page.getByTestId('perf-employees').fill('100');
      await page.getByTestId('perf-save').click();
      await expect(dialog.getByText('不能为负数').isVisible()).resolves.toBe(true);
      await page.getByTestId('perf-output').fill('40,000,000');
      await page.getByTestId('perf-save').click();
      await page.getByTestId('perf-flash').waitFor();
    });
    const list = (await callInject(app, await login(app, 'land'), 'GET', `/api/allocations/${doneId}/performance`)).body as Json;
    expect(list.items.find((p: Json) => p.year === thisYear)).toMatchObject({ outputYuan: 40_000_000, taxYuan: 1_200_000, energyTce: 200, employees: 100, source: 'entry' });
  }, 120_000);

  it('imports a CSV: preview with the detected encoding and the rows, then all of it', async () => {
    const file = path.join(RESULTS_DIR, 'supervision-import.csv');
    fs.writeFileSync(file, `\uFEFF合同编号,地块编号,年度,产值,税收,能耗,从业人员\r\n${contractNo},,${lastYear},60000000,3500000,260,125\r\n`);
    await withPage(browser, async (page) => {
      await signIn(page, base, 'land');
      await page.goto(`${base}/supervision/evaluation/import?year=${lastYear}`);
      await page.getByTestId('perf-file').setInputFiles(file);
      await page.getByTestId('perf-preview').click();
      await page.getByTestId('perf-import-preview').waitFor();
      expect(await page.getByTestId('perf-encoding').textContent()).toContain('UTF-8');
      expect(await page.getByTestId('perf-import-row-2').textContent()).toContain(contractNo);
      await fullScreenshot(page, 'supervision-import.png');
      await page.getByTestId('perf-commit').click();
      await page.getByTestId('perf-import-done').waitFor();
    });
    const list = (await callInject(app, await login(app, 'land'), 'GET', `/api/allocations/${doneId}/performance`)).body as Json;
    expect(list.items.find((p: Json) => p.year === lastYear)).toMatchObject({ outputYuan: 60_000_000, taxYuan: 3_500_000, source: 'import' });
  }, 120_000);

  it('the city overview shows supervision and the key projects against 100 and 50; the report prints one page per park', async () => {
    const land = await login(app, 'land');
    const city = (await callInject(app, land, 'GET', `/api/bureau/parks?year=${thisYear}`)).body as Json;
    const report = (await callInject(app, land, 'GET', `/api/supervision/report?year=${thisYear}&districtCode=440106`)).body as Json;
    expect(city.supervision.idle.count).toBeGreaterThanOrEqual(1);
    await withPage(browser, async (page) => {
      await signIn(page, base, 'land');
      await page.goto(`${base}/bureau/parks?year=${thisYear}`);
      await page.getByTestId('supervision-section').waitFor();
      expect(await page.getByTestId('sup-idle').textContent()).toContain(String(city.supervision.idle.count));
      const plan = await page.getByTestId('sup-plan').textContent();
      expect(plan).toContain('100');
      expect(plan).toContain('50');
      await fullScreenshot(page, 'supervision-overview.png');

      await page.goto(`${base}/supervision/report?year=${thisYear}&district=440106`);
      await page.getByTestId('mon-summary').waitFor();
      const parkPages = page.locator('article.mon-report');
      expect(await parkPages.count()).toBe(1 + report.parks.length);
      const idlePark = report.parks.find((p: Json) => p.idleItems.some((i: Json) => i.allocationId === idleId));
      expect(await page.getByTestId(`mon-park-${idlePark.code}`).textContent()).toContain('征缴闲置费');
      // Idle fees in one unit across the report (KPIs and item tables), from the largest; exact 元 on hover.
      const fees = await page.locator('[data-testid$="-fees"] .money, [data-testid="mon-fee"]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-exact-yuan'))));
      expect(fees.some((y) => y > 0)).toBe(true);
      const feeUnit = scaleUnit(moneyScale(fees, 'zh-CN'));
      const feeKpis = await page.locator('[data-testid$="-fees"] .report-kpi-value').allTextContents();
      expect(feeKpis.length).toBe(1 + report.parks.length);
      for (const k of feeKpis) expect(k).toMatch(new RegExp(`^-?[\\d,]+\\.\\d\\d ${feeUnit}$`));
      const feeCells = await page.getByTestId('mon-fee').allTextContents();
      expect(feeCells.length).toBeGreaterThan(0);
      for (const c of feeCells) expect(c).toMatch(/^-?[\d,]+\.\d\d$/);
      expect((await page.getByTestId(`mon-park-${idlePark.code}`).locator('thead').allTextContents()).join(' ')).toContain(`闲置费（${feeUnit}）`);
      expect(await page.getByTestId('mon-fee').first().getAttribute('title')).toMatch(/^精确金额：[\d,]+\.\d\d 元$/);
      await fullScreenshot(page, 'supervision-report.png');
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      fs.writeFileSync(path.join(RESULTS_DIR, 'supervision-report.pdf'), pdf);
      expect(pdfPages(pdf)).toBe(1 + report.parks.length);
    });
  }, 120_000);

  it('天河’s officer sees 天河’s report and is refused 黄埔’s', async () => {
    await withPage(browser, async (page) => {
      await signIn(page, base, 'district-tianhe');
      await page.goto(`${base}/supervision/report`);
      await page.getByTestId('mon-summary').waitFor();
      expect(await page.getByTestId('mon-district').count()).toBe(0);
      const forbidden = await page.evaluate(async () => (await fetch('/api/supervision/report?districtCode=440112')).status);
      expect(forbidden).toBe(403);
    });
  }, 120_000);
});
