/**
 * The bureau's project land demand (随用随供, issue #16 §4) in a real browser (Debian's Chromium),
 * on the built client served by the real server with an in-memory database and the demo data.
 *
 * What a land officer does: finds an investor's interest in the queue, turns it into a demand
 * (the form prefilled from the interest: company, code, the plot's 亩 ± 20 %, the plot's
 * district), ranks the available plots for it (scores, a bar per criterion, the internal floor
 * beside the indicative one), is refused a proposal below the floor in the server's words, then
 * holds the first plot in one step — the demand shows matched with the plot's link and the plot
 * shows held. The register keeps its filters in the URL. A district officer (黄埔) sees only the
 * demands concerning their district, read-only, and their district's overview. axe-core finds no
 * serious problem; the pages work 390 px wide; English is one click away.
 */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { m2ToMu } from '../../shared/units.ts';
import { localizeServerMessage } from '../../client/features/auth/serverMessage.ts';
import { bureauYear } from '../../shared/dates.ts';
import { hasChromium, launchBrowser, newContext, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, fullScreenshot, horizontalOverflow, openPage, PHONE, seriousViolations, signIn, signInByApi, startApp, uscc, withPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

const HUANGPU = '440112';
const COMPANY = '广州需求测试生物科技有限公司';
const USCC = uscc('91440112MA5DEM001');
const YEAR = bureauYear();

interface PlotRow {
  id: number;
  code: string;
  status: string;
  areaM2: number;
  landUse: string;
  districtCode: string;
}
interface DemandJson {
  id: number;
  status: string;
  districtCodes: string[];
  plotId: number | null;
  plotCode: string | null;
  holdId: number | null;
  interestId: number | null;
  sample: boolean;
  enterprise: { name: string; uscc: string | null };
  requirements: { sector: string; areaMuMin: number; areaMuMax: number; districtCodes?: string[] };
}

/** A JSON call from the page: the session cookie and our Origin go with it, as from the app. */
async function apiCall<T = Record<string, unknown>>(page: Page, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([m, u, b]) => {
      const res = await fetch(u as string, { method: m as string, headers: b === undefined ? {} : { 'content-type': 'application/json' }, body: b === undefined ? undefined : JSON.stringify(b) });
      return { status: res.status, body: await res.json() };
    },
    [method, url, body] as const,
  );
}

const rowIds = (page: Page) => page.locator('[data-testid="demand-row"]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-id'))));

describe.skipIf(!hasChromium)('the bureau’s project land demand in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let plot: PlotRow;
  let interestId = 0;
  let demandId = 0;
  let heldPlot: { id: number; code: string } | null = null;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    ({ app, base } = await startApp());
    // An available plot of industrial land in 黄埔 (the district officer's district).
    const fc = (await (await fetch(`${base}/api/plots?status=available&districtCode=${HUANGPU}`)).json()) as { features: { properties: PlotRow }[] };
    const candidates = fc.features.map((f) => f.properties).filter((p) => p.landUse !== 'M0' && p.districtCode === HUANGPU);
    expect(candidates.length).toBeGreaterThan(0);
    plot = candidates[0]!;
    browser = await launchBrowser();
    context = await newContext(browser);
    page = await openPage(context, pageErrors);
  });

  afterAll(() => closeAll(context, browser, app));

  it('turns an investor’s interest into a demand through the prefilled form', async () => {
    // The demo has no interests: an investor registers one (anonymously, as the public form does).
    await page.goto(`${base}/api/health`);
    const interest = await apiCall<{ id: number }>(page, 'POST', '/api/interests', {
      plotId: plot.id,
      company: COMPANY,
      uscc: USCC,
      contactName: '李经理',
      contactPhone: '13900004321',
      message: '拟建设体外诊断试剂研发生产基地。',
    });
    expect(interest.status, JSON.stringify(interest.body)).toBe(201);
    interestId = interest.body.id;

    await signIn(page, base, 'land');
    await page.getByTestId('nav-bureau-demand').waitFor();
    await page.goto(`${base}/bureau/interests`);
    const card = page.locator(`[data-testid="queue-item"][data-plot-code="${plot.code}"]`);
    await card.waitFor({ timeout: 20_000 });
    await card.getByTestId('to-demand').click();
    const dialog = page.getByTestId('demand-form-dialog');
    await dialog.waitFor({ timeout: 15_000 });

    // Prefilled from the interest: the company, its code, the plot's 亩 ± 20 % in whole 亩, its district.
    const mu = m2ToMu(plot.areaM2);
    expect(await dialog.getByTestId('demand-from-interest').textContent()).toContain(`#${interestId}`);
    expect(await dialog.getByTestId('demand-enterpriseName').inputValue()).toBe(COMPANY);
    expect(await dialog.getByTestId('demand-uscc').inputValue()).toBe(USCC);
    expect(await dialog.getByTestId('demand-projectName').inputValue()).toBe(`${COMPANY}用地项目`);
    expect(Number(await dialog.getByTestId('req-area-min').inputValue())).toBe(Math.floor(Math.round(mu * 0.8 * 10_000) / 10_000));
    expect(Number(await dialog.getByTestId('req-area-max').inputValue())).toBe(Math.ceil(Math.round(mu * 1.2 * 10_000) / 10_000));
    expect(await dialog.getByTestId(`req-district-${HUANGPU}`).isChecked()).toBe(true);

    // A problem is shown at its field and nothing is sent.
    await dialog.getByTestId('demand-projectName').fill('');
    let posts = 0;
    const count = (r: { url: () => string; method: () => string }) => {
      if (r.method() === 'POST' && r.url().endsWith('/api/demands')) posts++;
    };
    page.on('request', count);
    await dialog.getByTestId('requirements-submit').click();
    await expect.poll(() => dialog.locator('.field-error').first().textContent()).toBe('请填写此项');
    page.off('request', count);
    expect(posts).toBe(0);

    await dialog.getByTestId('demand-projectName').fill('体外诊断试剂研发生产基地');
    await dialog.getByTestId('req-sector').selectOption('biomed');
    await dialog.getByTestId('demand-keyProject').check();
    expect(await seriousViolations(page, '[data-testid="demand-form-dialog"]')).toEqual([]);
    const created = page.waitForResponse((r) => r.url().endsWith('/api/demands') && r.request().method() === 'POST');
    await dialog.getByTestId('requirements-submit').click();
    const res = await created;
    expect(res.status()).toBe(201);
    const d = (await res.json()) as DemandJson;
    demandId = d.id;
    expect(d).toMatchObject({ status: 'open', interestId, sample: false, enterprise: { name: COMPANY, uscc: USCC } });
    expect(d.requirements.districtCodes).toEqual([HUANGPU]);

    // The demand opens.
    await expect.poll(() => page.evaluate(() => location.pathname)).toBe(`/bureau/demand/${demandId}`);
    expect(await page.getByTestId('demand-title').textContent()).toBe('体外诊断试剂研发生产基地');
    expect(await page.getByTestId('demand-status').getAttribute('data-status')).toBe('open');
    const words = await page.getByTestId('demand-requirements').textContent();
    expect(words).toContain('生物医药');
    expect(words).toContain('区域：黄埔区');
  });

  it('ranks the available plots: scores in order, a bar per criterion, the internal floor beside the indicative one', async () => {
    await page.getByTestId('demand-rank-run').click();
    await page.getByTestId('demand-ranked-list').waitFor({ timeout: 30_000 });
    const items = page.getByTestId('ranked-plot');
    expect(await items.count()).toBeGreaterThan(0);
    const scores = await page.getByTestId('ranked-score').evaluateAll((els) => els.map((e) => Number(e.querySelector('.dm-score-value')!.textContent!.replace(/,/g, ''))));
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const first = items.first();
    expect(await first.locator('.dm-bar-row').count()).toBe(7);
    expect(await first.getByTestId('ranked-indicative').textContent()).toMatch(/元\/平方米|无法计算/);
    // The bureau sees its internal floor (the cost term) — the public never does.
    expect(await first.getByTestId('ranked-internal').count()).toBe(1);
    // Every ranked plot meets the hard requirements: in 黄埔, within the range.
    const api = await apiCall<{ items: { plotId: number; districtCode: string; areaMu: number; plotCode: string }[] }>(page, 'POST', `/api/demands/${demandId}/rank`, {});
    expect(api.status).toBe(200);
    const d = (await apiCall<DemandJson>(page, 'GET', `/api/demands/${demandId}`)).body;
    for (const i of api.body.items) {
      expect(i.districtCode).toBe(HUANGPU);
      expect(i.areaMu).toBeGreaterThanOrEqual(d.requirements.areaMuMin - 0.01);
      expect(i.areaMu).toBeLessThanOrEqual(d.requirements.areaMuMax + 0.01);
    }
    expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-plot-code')))).toEqual(api.body.items.map((i) => i.plotCode));
    await first.locator('.dm-reasons summary').click();
    expect((await first.locator('.dm-reasons li').count())).toBe(7);
    expect(await seriousViolations(page, '[data-testid="demand-detail"]')).toEqual([]);
    await fullScreenshot(page, 'demand-ranked.png');
  });

  it('shows the server’s refusal of a proposal below the floor, in Chinese', async () => {
    // The year's quota, so that the price is what the server refuses.
    const q = await apiCall(page, 'PUT', `/api/quotas/${YEAR}`, { quotaM2: 4_000_000, iabReserveM2: 666_666.67 });
    expect([200, 201]).toContain(q.status);
    const first = page.getByTestId('ranked-plot').first();
    await first.getByTestId('ranked-propose').click();
    const dialog = page.getByTestId('demand-propose-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('demand-propose-price').fill('1');
    const refused = page.waitForResponse((r) => r.url().endsWith(`/api/demands/${demandId}/propose`));
    await dialog.getByTestId('demand-propose-submit').click();
    const res = await refused;
    // Below the floor (or, for a plot without its land cost recorded, not yet proposable): a 422 with the rule's words.
    expect(res.status()).toBe(422);
    const body = (await res.json()) as { code: string; message: string; messageZh?: string };
    expect(['BELOW_PRICE_FLOOR', 'COST_NOT_RECORDED']).toContain(body.code);
    const zh = body.messageZh ?? localizeServerMessage(body.message, 'zh-CN');
    expect(zh).toMatch(/[\u4e00-\u9fff]/);
    await expect.poll(() => dialog.getByTestId('demand-propose-error').textContent(), { timeout: 15_000 }).toBe(zh);
    await dialog.getByRole('button', { name: '取消' }).click();
    expect((await apiCall<DemandJson>(page, 'GET', `/api/demands/${demandId}`)).body.status).toBe('open');
  });

  it('holds the first ranked plot in one step: the demand shows matched with the plot, the plot shows held', async () => {
    const first = page.getByTestId('ranked-plot').first();
    heldPlot = { id: Number(await first.getAttribute('data-plot-id')), code: (await first.getAttribute('data-plot-code'))! };
    await first.getByTestId('ranked-hold').click();
    const dialog = page.getByTestId('demand-hold-dialog');
    await dialog.waitFor();
    const held = page.waitForResponse((r) => r.url().endsWith(`/api/demands/${demandId}/hold`));
    await dialog.getByTestId('demand-hold-submit').click();
    expect((await held).status()).toBe(201);
    await expect.poll(() => page.getByTestId('demand-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('matched');
    expect(await page.getByTestId('demand-matched-plot').textContent()).toBe(heldPlot.code);
    expect(await page.getByTestId('demand-flash').textContent()).toContain(heldPlot.code);
    // No second hold or proposal for a matched demand.
    expect(await page.getByTestId('ranked-hold').count()).toBe(0);

    const p = (await apiCall<{ properties: { status: string } }>(page, 'GET', `/api/plots/${heldPlot.id}`)).body;
    expect(p.properties.status).toBe('held');
    await page.getByTestId('demand-matched-plot').click();
    await page.getByTestId('plot-sheet').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator('.sheet-head .chip').first().textContent()).toContain('预留中');
  });

  it('closes a demand with its reason and reopens it', async () => {
    const created = await apiCall<DemandJson>(page, 'POST', '/api/demands', {
      projectName: '天河人工智能算力中心项目',
      enterprise: { name: '广州需求关闭测试科技有限公司' },
      neededBy: '2027-03-31',
      requirements: { sector: 'ai', areaMuMin: 10, areaMuMax: 30, districtCodes: ['440106'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    await page.goto(`${base}/bureau/demand/${created.body.id}`);
    await page.getByTestId('demand-close').click();
    const dialog = page.getByTestId('demand-close-dialog');
    // No reason, no closing.
    expect(await dialog.getByTestId('demand-close-submit').isDisabled()).toBe(true);
    await dialog.getByTestId('demand-close-reason-input').fill('企业改为租赁厂房，暂不需要用地');
    await dialog.getByTestId('demand-close-submit').click();
    await expect.poll(() => page.getByTestId('demand-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('closed');
    expect(await page.getByTestId('demand-close-reason').textContent()).toBe('已关闭：企业改为租赁厂房，暂不需要用地');
    // A closed demand is not ranked or matched.
    expect(await page.getByTestId('demand-rank').count()).toBe(0);
    await page.getByTestId('demand-reopen').click();
    await expect.poll(() => page.getByTestId('demand-status').getAttribute('data-status'), { timeout: 15_000 }).toBe('open');
    expect((await apiCall<DemandJson & { closeReason: string | null }>(page, 'GET', `/api/demands/${created.body.id}`)).body.status).toBe('open');
  });

  it('lists the demand in the register, with filters and sort kept in the URL', async () => {
    await page.goto(`${base}/bureau/demand`);
    await page.getByTestId('demand-table').waitFor();
    const row = page.locator(`[data-testid="demand-row"][data-id="${demandId}"]`);
    await row.waitFor({ timeout: 15_000 });
    expect(await row.getAttribute('data-status')).toBe('matched');
    expect(await row.getByTestId('demand-plot').textContent()).toBe(heldPlot!.code);
    expect(await row.getByTestId('demand-key').count()).toBe(1);
    expect(await row.getByTestId('demand-sample').count()).toBe(0);
    // The demo's sample demands say so on their rows.
    const samples = page.locator('[data-testid="demand-row"][data-sample="true"]');
    expect(await samples.count()).toBeGreaterThan(0);
    expect(await samples.first().getByTestId('demand-sample').textContent()).toBe('示例数据');

    await page.getByTestId('filter-status').selectOption('matched');
    await page.getByTestId('filter-sort').selectOption('waiting');
    await expect.poll(() => page.evaluate(() => location.search)).toBe('?status=matched&sort=waiting');
    await expect.poll(async () => (await page.locator('[data-testid="demand-row"]').evaluateAll((rs) => rs.map((r) => r.getAttribute('data-status')))).every((s) => s === 'matched')).toBe(true);
    const listed = (await apiCall<{ items: DemandJson[] }>(page, 'GET', '/api/demands?status=matched&sort=waiting')).body.items.map((x) => x.id);
    await expect.poll(() => rowIds(page)).toEqual(listed);
    // The URL reproduces the view.
    await page.reload();
    await expect.poll(() => page.getByTestId('filter-status').inputValue(), { timeout: 15_000 }).toBe('matched');
    expect(await page.getByTestId('filter-sort').inputValue()).toBe('waiting');
    expect(await seriousViolations(page, '[data-testid="demand-page"]')).toEqual([]);
  });

  it('shows demand against supply, with totals and the longest waits', async () => {
    await page.getByTestId('demand-tab-overview').click();
    await page.getByTestId('demand-overview-table').waitFor();
    const ov = (await apiCall<{ rows: { sector: string; districtCode: string | null }[]; totals: { demands: number; unmetDemands: number }; longestWaiting: { id: number }[] }>(page, 'GET', '/api/demands/overview')).body;
    await expect.poll(() => page.getByTestId('overview-row').count(), { timeout: 15_000 }).toBe(ov.rows.length);
    expect(await page.getByTestId('overview-total-demands').textContent()).toBe(String(ov.totals.demands));
    expect(await page.getByTestId('overview-total-unmet').textContent()).toBe(String(ov.totals.unmetDemands));
    expect(await page.getByTestId('longest-item').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))))).toEqual(ov.longestWaiting.map((d) => d.id));
    expect(await seriousViolations(page, '[data-testid="demand-page"]')).toEqual([]);
    await fullScreenshot(page, 'demand-overview.png');
  });

  it('shows the 黄埔 district officer only the demands concerning 黄埔, read-only, and 黄埔’s overview', async () => {
    const all = (await apiCall<{ items: DemandJson[] }>(page, 'GET', '/api/demands?limit=1000')).body.items;
    // Some demand of the demo does not concern 黄埔, so the scoping has something to hide.
    expect(all.some((d) => !d.districtCodes.includes(HUANGPU))).toBe(true);
    const expected = all.filter((d) => d.districtCodes.includes(HUANGPU)).map((d) => d.id).sort((a, b) => a - b);
    expect(expected).toContain(demandId);

    await withPage(browser, async (p) => {
      await signIn(p, base, 'district-huangpu');
      await p.getByTestId('nav-bureau-demand').click();
      await p.getByTestId('demand-table').waitFor();
      await expect.poll(async () => (await rowIds(p)).sort((a, b) => a - b), { timeout: 15_000 }).toEqual(expected);
      expect(await p.getByTestId('demand-new').count()).toBe(0);

      await p.locator(`[data-testid="demand-row"][data-id="${demandId}"] [data-testid="demand-link"]`).click();
      await p.getByTestId('demand-detail').waitFor({ timeout: 15_000 });
      expect(await p.getByTestId('demand-read-only').isVisible()).toBe(true);
      for (const id of ['demand-rank-run', 'ranked-hold', 'ranked-propose', 'demand-close', 'demand-reopen']) expect(await p.getByTestId(id).count()).toBe(0);

      await p.goto(`${base}/bureau/demand/overview`);
      await p.getByTestId('demand-overview-table').waitFor();
      const ov = (await apiCall<{ rows: { districtCode: string | null }[] }>(p, 'GET', '/api/demands/overview')).body;
      expect(ov.rows.every((r) => r.districtCode === HUANGPU || r.districtCode === null)).toBe(true);
      await expect.poll(() => p.getByTestId('overview-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-district'))), { timeout: 15_000 }).toEqual(ov.rows.map((r) => r.districtCode ?? ''));
      expect(await seriousViolations(p, '[data-testid="demand-page"]')).toEqual([]);
    }, { pageErrors });
  });

  it('works 390 px wide: register, demand with its ranking, overview', async () => {
    await withPage(browser, async (p) => {
      await signInByApi(p, base, 'land');
      for (const url of ['/bureau/demand', `/bureau/demand/${demandId}`, '/bureau/demand/overview']) {
        await p.goto(`${base}${url}`);
        await p.locator('[data-testid="demand-page"], [data-testid="demand-detail"]').first().waitFor({ timeout: 20_000 });
        if (url === '/bureau/demand') await p.getByTestId('demand-row').first().waitFor({ timeout: 15_000 });
        if (url.endsWith(String(demandId))) {
          await p.getByTestId('demand-rank-run').click();
          await p.getByTestId('demand-ranked-list').waitFor({ timeout: 30_000 });
        }
        if (url.endsWith('overview')) await p.getByTestId('overview-row').first().waitFor({ timeout: 15_000 });
        expect(await horizontalOverflow(p), url).toBeLessThanOrEqual(0);
        expect(await horizontalOverflow(p, '.page'), url).toBeLessThanOrEqual(0);
        await p.screenshot({ path: path.join(RESULTS_DIR, `demand-phone-${url.split('/').pop()}.png`), fullPage: true });
      }
      // And the form, opened on a phone.
      await p.goto(`${base}/bureau/demand`);
      await p.getByTestId('demand-new').click();
      await p.getByTestId('demand-form-dialog').waitFor();
      expect(await horizontalOverflow(p, '[data-testid="demand-form-dialog"]')).toBeLessThanOrEqual(0);
    }, { viewport: PHONE, pageErrors });
  });

  it('speaks English after one click', async () => {
    await page.goto(`${base}/bureau/demand`);
    await page.getByTestId('demand-table').waitFor();
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Project land demand');
    expect(await page.getByTestId('nav-bureau-demand').textContent()).toBe('Demand');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('项目用地需求');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
