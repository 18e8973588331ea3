/**
 * The review screens in a real browser (Debian's Chromium): the built client served by the real
 * server, in-process, on an in-memory database with the demo data.
 *
 * What people do: 黄埔's district officer signs in, opens "本区看板" from the top bar and sees
 * 黄埔's three parks with exactly the figures GET /api/districts/440112/dashboard gives (formatted
 * as the app formats them), and exports the table (a CSV starting with the UTF-8 BOM); 天河's
 * officer gets a plain "no access" on 黄埔's dashboard and the public is asked to sign in. The
 * industry officer grants a subsidy on a park's report — the live preview says the amount the
 * server then grants — and the headroom drops by exactly that; a withdrawal (confirmed, with a
 * reason) restores it. The land officer's park-operator project over the facilities limit is
 * refused with the ratio. The park report prints on exactly one A4 page even with long lists.
 * The bureau sees the city overview of all parks; the admin recognizes a park from a GeoJSON file
 * and it joins the overview. axe-core finds no serious or critical problem on the dashboard and
 * the report; both work 390 px wide. Screenshots: test-results/dashboard-*.png.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenToYuan, yuanToFen } from '../../shared/money.ts';
import { formatMoney } from '../../shared/units.ts';
import { exactYuan, formatYuanIn, formatYuanNumber, moneyScale, scaleUnit, type MoneyScale } from '../../client/ui/money.ts';
import { call as callInject, login } from '../api/login.ts';
import { bureauToday } from '../../shared/dates.ts';
import { hasChromium, launchBrowser, RESULTS_DIR, skipReason } from './browser.ts';
import { closeAll, daysFromToday, fullScreenshot, horizontalOverflow, PHONE, seriousViolations, signIn, startApp, uscc, withPage as withFreshPage } from './helpers.ts';

if (skipReason) console.warn(skipReason);

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API bodies are read loosely here
type Json = Record<string, any>;

/** "2,143.99": 亩 with two decimals and thousands separators, from the server's own 亩 figure. */
const mu = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
/** Money as the app shows it (shared/units formatMoney, compact: 万元 / 亿元). */
const money = (yuan: number) => formatMoney(yuanToFen(yuan), 'zh-CN', 'compact');
const fullMoney = (yuan: number) => formatMoney(yuanToFen(yuan), 'zh-CN', 'full');
/** A money column of the parks table: one unit for every row (from the column's largest figure, totals included), named in the heading. */
const moneyColumn = (figures: Json[], pick: (f: Json) => number): { scale: MoneyScale; unit: string; text: (f: Json) => string } => {
  const scale = moneyScale(figures.map(pick), 'zh-CN');
  return { scale, unit: scaleUnit(scale), text: (f) => formatYuanNumber(pick(f), scale) };
};
/** The unit under a column's heading. */
const headingUnit = async (page: Page, col: string) => ((await page.getByTestId(`sort-${col}`).first().locator('.dash-th-unit').textContent()) ?? '').trim();
const count = (n: number) => n.toLocaleString('zh-CN');
/** 17 characters of a unified social credit code (the 18th is the check character). */
const usccBody = (i: number) => `91440112${String(700_000 + i).padStart(9, '0')}`;

/** A full-page screenshot, test-results/dashboard-<name>.png. */
const shot = (page: Page, name: string) => fullScreenshot(page, `dashboard-${name}.png`);

/** The text of one figure cell (the main number, not the second line). */
async function cell(page: Page, rowTestId: string, col: string): Promise<string> {
  return ((await page.locator(`[data-testid="${rowTestId}"] [data-col="${col}"] .dash-num`).first().textContent()) ?? '').trim();
}

/** The pages in a PDF (Chromium writes one `/Type /Page` object per page). */
function pdfPages(pdf: Buffer): number {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) ?? []).length;
}

describe.skipIf(!hasChromium)('district dashboard, city overview, park report and park recognition in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  /** API calls beside the browser come from the app's own origin (http://127.0.0.1:PORT, the browser's), the only one writes are accepted from. */
  const call: typeof callInject = (a, s, m, u, p, h = {}) => callInject(a, s, m, u, p, { origin: base, ...h });
  let browser: Browser;
  const pageErrors: string[] = [];
  let p06 = 0;

  beforeAll(async () => {
    ({ app, base } = await startApp());
    const parks = (await (await fetch(`${base}/api/parks`)).json()) as { features: { properties: { id: number; code: string } }[] };
    p06 = parks.features.find((f) => f.properties.code === 'P06')!.properties.id;
    browser = await launchBrowser();
  });

  afterAll(() => closeAll(browser, app));

  /** Runs `fn` on a page of a fresh context (desktop unless `viewport`), its page errors collected. */
  const withPage = (fn: (page: Page) => Promise<void>, viewport?: typeof PHONE) => withFreshPage(browser, fn, { viewport, pageErrors });

  it('shows 黄埔’s officer their three parks with the figures the API gives, and exports them as CSV with a BOM', async () => {
    await withPage(async (page) => {
      await signIn(page, base, 'district-huangpu');
      await page.getByTestId('nav-district-440112').click();
      await page.getByTestId('district-dashboard').waitFor();
      expect(new URL(page.url()).pathname).toBe('/district/440112');
      await expect.poll(() => page.locator('[data-testid^="park-row-"]').count(), { timeout: 30_000 }).toBe(3);
      expect(await page.getByTestId('dashboard-title').textContent()).toBe('黄埔区价值创新园区看板');

      const api = await page.request.get(`${base}/api/districts/440112/dashboard`);
      expect(api.status()).toBe(200);
      const d = (await api.json()) as Json;
      expect(d.parks.map((p: Json) => p.code).sort()).toEqual(['P06', 'P09', 'P10']);
      const rows = [...d.parks.map((p: Json) => ({ id: `park-row-${p.code}`, f: p })), { id: 'totals-row', f: d.totals }];
      const granted = moneyColumn(rows.map((r) => r.f), (f) => f.subsidy.grantedYuan);
      const remaining = moneyColumn(rows.map((r) => r.f), (f) => f.subsidy.remainingYuan);
      // Each money column in one unit, named in its heading (亿元 once a figure reaches 1 亿元: the remaining cap does).
      expect(await headingUnit(page, 'subsidy')).toBe(granted.unit);
      expect(await headingUnit(page, 'remaining')).toBe(remaining.unit);
      expect(remaining.unit).toBe('亿元');
      for (const { id, f } of rows) {
        const shown = {
          total: await cell(page, id, 'total'),
          available: await cell(page, id, 'available'),
          held: await cell(page, id, 'held'),
          allocated: await cell(page, id, 'allocated'),
          plots: await cell(page, id, 'plots'),
          quota: await cell(page, id, 'quota'),
          subsidy: await cell(page, id, 'subsidy'),
          remaining: await cell(page, id, 'remaining'),
          signed: await cell(page, id, 'signed'),
          landed: await cell(page, id, 'landed'),
          overdue: await cell(page, id, 'overdue'),
        };
        expect(shown, id).toEqual({
          total: mu(f.areasMu.total),
          available: mu(f.areasMu.available),
          held: mu(f.areasMu.held),
          allocated: mu(f.areasMu.allocated),
          plots: count(f.plotCounts.total),
          quota: mu(f.quotaChargedMu),
          subsidy: granted.text(f),
          remaining: remaining.text(f),
          signed: count(f.projectsSigned),
          landed: count(f.projectsLanded),
          overdue: count(f.overdueMilestones),
        });
        const lead = await cell(page, id, 'leadShare');
        expect(lead, id).toBe(f.leadSectorShare.share === null ? '—' : `${(f.leadSectorShare.share * 100).toFixed(1)}%`);
      }
      // The exact 元 on hover of a money cell.
      expect(await page.locator('[data-testid="totals-row"] [data-col="remaining"] .dash-num').getAttribute('title')).toBe(`精确金额：${exactYuan(d.totals.subsidy.remainingYuan, 'zh-CN')}`);
      // m² on hover (title) and, switched on, on a second line.
      const title = await page.locator('[data-testid="park-row-P06"] [data-col="total"] .dash-num').getAttribute('title');
      expect(title).toBe(`${d.parks.find((p: Json) => p.code === 'P06').totalAreaM2.toLocaleString('en-US', { minimumFractionDigits: 2 })} 平方米`);
      await page.getByTestId('show-m2').check();
      await expect.poll(() => page.locator('[data-testid="park-row-P06"] [data-col="total"] .dash-sub').textContent()).toBe(title);
      // Three charts, each with the table as its text alternative.
      for (const c of ['chart-land', 'chart-subsidy', 'chart-lead']) expect(await page.getByTestId(c).isVisible(), c).toBe(true);
      await expect.poll(() => page.locator('[data-testid="chart-land"] svg').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect(await page.getByTestId('sample-note').isVisible()).toBe(true);

      // Sorting: largest total first, then the other way.
      await page.getByTestId('sort-total').click();
      const byTotal = [...d.parks].sort((a: Json, b: Json) => b.totalAreaM2 - a.totalAreaM2).map((p: Json) => `park-row-${p.code}`);
      expect(await page.locator('[data-testid^="park-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual(byTotal);
      expect(await page.locator('th:has([data-testid="sort-total"])').getAttribute('aria-sort')).toBe('descending');
      await page.getByTestId('sort-total').click();
      expect(await page.locator('[data-testid^="park-row-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')))).toEqual([...byTotal].reverse());
      await shot(page, 'district-huangpu');

      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-export').click()]);
      expect(download.suggestedFilename()).toBe(`黄埔区-园区看板-${d.year}.csv`);
      const bytes = fs.readFileSync((await download.path())!);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.toString('utf8');
      expect(text).toContain('园区编号 Park code');
      for (const p of d.parks) expect(text).toContain(p.nameZh);
      fs.writeFileSync(path.join(RESULTS_DIR, 'dashboard-440112.csv'), bytes);

      expect(await seriousViolations(page)).toEqual([]);

      // The main map's park panel links to the park's report and the district's dashboard.
      await page.goto(`${base}/?park=${p06}`);
      const links = page.getByTestId('park-review-links');
      await links.waitFor({ timeout: 30_000 });
      expect(await links.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))).toEqual([`/parks/${p06}/report`, '/district/440112']);
    });
  });

  it('gives 天河’s officer a plain “no access” on 黄埔’s dashboard, and asks the public to sign in', async () => {
    await withPage(async (page) => {
      await signIn(page, base, 'district-tianhe');
      await page.goto(`${base}/district/440112`);
      await page.getByTestId('access-forbidden').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid^="park-row-"]').count()).toBe(0);
      expect(await page.getByTestId('own-district-link').getAttribute('href')).toBe('/district/440106');
      await shot(page, 'no-access');
      // …and the report of a 黄埔 park likewise.
      await page.goto(`${base}/parks/${p06}/report`);
      await page.getByTestId('access-forbidden').waitFor({ timeout: 30_000 });
      // Their own district works.
      await page.getByTestId('own-district-link').click();
      await expect.poll(() => page.locator('[data-testid^="park-row-"]').count(), { timeout: 30_000 }).toBe(1);
    });
    await withPage(async (page) => {
      await page.goto(`${base}/district/440112`);
      await page.getByTestId('access-signin').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid^="park-row-"]').count()).toBe(0);
    });
  });

  it('lets the industry officer record a project and grant to it: the preview says the grant, the project’s and the park’s headroom drop by it; withdraw and disburse are confirmed', async () => {
    await withPage(async (page) => {
      await signIn(page, base, 'industry');
      await page.goto(`${base}/parks/${p06}/report`);
      await page.getByTestId('park-report').waitFor({ timeout: 30_000 });
      // The summary shows one unit (万元/亿元); the exact 元 is on hover.
      const remaining = () => page.getByTestId('subsidy-remaining-exact').getAttribute('title');
      const before = ((await page.request.get(`${base}/api/parks/${p06}/subsidies`).then((r) => r.json())) as Json).remainingYuan as number;
      await expect.poll(remaining).toContain(fullMoney(before));

      // Record the project first (五(三)13: the 20 % is per project): its whole 20 % is shown before it is sent.
      const recordProject = async (name: string, kind: string, investment: string) => {
        await page.getByTestId('project-open').click();
        await page.getByTestId('project-dialog').waitFor();
        await page.getByTestId('project-name').fill(name);
        await page.getByTestId(`project-kind-${kind}`).check();
        await page.getByTestId('project-investment').fill(investment);
        const created = page.waitForResponse((r) => r.url().endsWith(`/api/parks/${p06}/projects`) && r.request().method() === 'POST');
        await page.getByTestId('project-submit').click();
        const res = await created;
        expect(res.status()).toBe(201);
        await page.getByTestId('project-dialog').waitFor({ state: 'detached' });
        return ((await res.json()) as Json).id as number;
      };
      await page.getByTestId('project-open').click();
      await page.getByTestId('project-investment').fill('12,345,678.90');
      await expect.poll(() => page.getByTestId('project-share-hint').textContent()).toContain(money(2_469_135.78));
      await page.getByTestId('project-dialog').getByRole('button', { name: '取消' }).click();
      const pid = await recordProject('黄埔智能装备园公共技术服务平台', 'public_platform', '12,345,678.90');
      const projectRow = page.getByTestId(`project-row-${pid}`);
      /** The project's headroom as the table shows it, and as it should read in the column's one unit (from the column's largest). */
      const projectRemaining = async (yuan: number) => {
        const column = await page.locator('[data-testid="project-remaining"] > .money').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-exact-yuan'))));
        const shown = (await projectRow.locator('[data-testid="project-remaining"] > .money').textContent()) ?? '';
        return { shown, expected: formatYuanIn(yuan, moneyScale(column, 'zh-CN')) };
      };
      const remainingReads = async (yuan: number) => {
        const r = await projectRemaining(yuan);
        return r.shown === r.expected ? 'ok' : `${r.shown} ≠ ${r.expected}`;
      };
      await expect.poll(() => remainingReads(2_469_135.78), { timeout: 15_000 }).toBe('ok');

      await page.getByTestId(`project-grant-${pid}`).click();
      const dialog = page.getByTestId('grant-dialog');
      await dialog.waitFor();
      await expect.poll(() => page.getByTestId('grant-project').inputValue()).toBe(String(pid));
      await page.getByTestId('grant-requested').fill('3000000');
      // min(3,000,000, ⌊20 % × 12,345,678.90⌋ − 0 = 2,469,135.78, headroom) → the project's 20 % binds.
      const expected = 2_469_135.78;
      await expect.poll(() => page.getByTestId('grant-expected').textContent(), { timeout: 15_000 }).toBe(money(expected));
      expect(await page.getByTestId('grant-preview').textContent()).toContain('按项目总投资 20% 封顶');
      expect(await page.getByTestId('grant-project-headroom').textContent()).toBe(money(expected));
      await page.screenshot({ path: path.join(RESULTS_DIR, 'dashboard-grant-dialog.png') });
      const answered = page.waitForResponse((r) => r.url().endsWith(`/api/parks/${p06}/subsidies`) && r.request().method() === 'POST');
      await page.getByTestId('grant-submit').click();
      const res = await answered;
      expect(res.status()).toBe(201);
      const granted = ((await res.json()) as Json).grantedYuan as number;
      expect(granted).toBe(expected);
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(remaining, { timeout: 15_000 }).toContain(fullMoney(fenToYuan(yuanToFen(before) - yuanToFen(granted))));
      expect(await page.getByTestId('report-flash').textContent()).toContain(money(granted));
      // The project has had its 20 %: no second grant can be opened on it, and a chosen one is refused in the preview.
      await expect.poll(() => remainingReads(0), { timeout: 15_000 }).toBe('ok');
      expect(await page.getByTestId(`project-grant-${pid}`).isDisabled()).toBe(true);
      await page.getByTestId('grant-open').click();
      await page.getByTestId('grant-project').selectOption(String(pid));
      await page.getByTestId('grant-requested').fill('1');
      await expect.poll(() => page.getByTestId('grant-refused').textContent()).toContain('已达总投资的 20%');
      expect(await page.getByTestId('grant-submit').isDisabled()).toBe(true);
      await page.getByTestId('grant-dialog').getByRole('button', { name: '取消' }).click();
      await page.getByTestId('grant-dialog').waitFor({ state: 'detached' });
      const row = page.locator('[data-testid^="subsidy-row-"]').first();
      expect(await row.getByTestId('subsidy-status').getAttribute('data-status')).toBe('granted');
      await shot(page, 'report-granted');

      // Withdraw it: confirmed, a reason required; the headroom comes back.
      const sid = (await row.getAttribute('data-testid'))!.replace('subsidy-row-', '');
      await page.getByTestId(`withdraw-${sid}`).click();
      await page.getByTestId('confirm-button').click();
      expect(await page.getByTestId('withdraw-reason').getAttribute('aria-invalid')).toBe('true');
      await page.getByTestId('withdraw-reason').fill('项目调整，重新申报');
      await page.getByTestId('confirm-button').click();
      await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
      await expect.poll(remaining, { timeout: 15_000 }).toContain(fullMoney(before));
      expect(await page.locator(`[data-testid="subsidy-row-${sid}"] [data-testid="subsidy-status"]`).getAttribute('data-status')).toBe('withdrawn');
      // …and so does the project's.
      await expect.poll(() => remainingReads(expected), { timeout: 15_000 }).toBe('ok');

      // Another project, granted from the section's button with the project chosen in the form, then
      // disbursed (confirmed, dated): it can no longer be withdrawn.
      const roads = await recordProject('园区道路与综合管廊', 'infrastructure', '1000000');
      await page.getByTestId('grant-open').click();
      await page.getByTestId('grant-dialog').waitFor();
      await page.getByTestId('grant-project').selectOption(String(roads));
      await page.getByTestId('grant-requested').fill('150000');
      await expect.poll(() => page.getByTestId('grant-expected').textContent()).toBe(money(150_000));
      await page.getByTestId('grant-submit').click();
      await page.getByTestId('grant-dialog').waitFor({ state: 'detached' });
      await expect.poll(remaining, { timeout: 15_000 }).toContain(fullMoney(before - 150_000));
      const second = (await page.locator('[data-testid^="subsidy-row-"]').first().getAttribute('data-testid'))!.replace('subsidy-row-', '');
      expect(second).not.toBe(sid);
      await page.getByTestId(`disburse-${second}`).click();
      expect(await page.getByTestId('disburse-date').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      await page.getByTestId('confirm-button').click();
      await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
      await expect.poll(() => page.locator(`[data-testid="subsidy-row-${second}"] [data-testid="subsidy-status"]`).getAttribute('data-status'), { timeout: 15_000 }).toBe('disbursed');
      expect(await page.getByTestId(`withdraw-${second}`).count()).toBe(0);
      expect(await remaining()).toContain(fullMoney(before - 150_000));
    });
  });

  it('refuses a park-operator project over the facilities limit with the ratio, and registers one within it', async () => {
    await withPage(async (page) => {
      await signIn(page, base, 'land');
      await page.goto(`${base}/parks/${p06}/report`);
      await page.getByTestId('operator-open').click();
      await page.getByTestId('operator-name').fill('黄埔园区开发运营有限公司');
      await page.getByTestId('operator-project').fill('人才公寓与配套中心');
      await page.getByTestId('operator-total').fill('20000');
      await page.getByTestId('operator-facilities').fill('3100');
      await expect.poll(() => page.getByTestId('operator-exceeded').textContent()).toContain('15.50%');
      expect(await page.getByTestId('operator-submit').isDisabled()).toBe(true);
      await page.getByTestId('operator-facilities').fill('3000');
      await expect.poll(() => page.getByTestId('operator-preview').textContent()).toContain('15.00%');
      await page.getByTestId('operator-submit').click();
      await page.getByTestId('operator-dialog').waitFor({ state: 'detached' });
      await expect.poll(() => page.getByTestId('operator-table').textContent(), { timeout: 15_000 }).toContain('人才公寓与配套中心');
      // The industry officer's subsidy actions are not offered to the land officer.
      expect(await page.getByTestId('grant-open').count()).toBe(0);
    });
  });

  it('prints the park report on exactly one A4 page, even with long lists', async () => {
    // Fill the report: more subsidies and operator projects than the printed page lists.
    const industry = await login(app, 'industry');
    const land = await login(app, 'land');
    for (let i = 1; i <= 8; i++) {
      const project = await call(app, industry, 'POST', `/api/parks/${p06}/projects`, {
        name: `黄埔智能装备园配套基础设施工程（第 ${i} 期）道路、管网与公共停车设施`, kind: 'infrastructure', totalInvestmentYuan: 5_000_000 * i,
      });
      expect(project.status, JSON.stringify(project.body)).toBe(201);
      const r = await call(app, industry, 'POST', `/api/parks/${p06}/subsidies`, { projectId: project.body.id, requestedYuan: 800_000 });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    for (let i = 1; i <= 5; i++) {
      const r = await call(app, land, 'POST', `/api/parks/${p06}/operator-projects`, {
        operatorName: '广州黄埔智能装备园区开发运营有限公司', projectName: `产业配套综合体 ${i} 号楼`, totalFloorAreaM2: 30_000, facilitiesFloorAreaM2: 4000,
      });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
    }
    // …and six contracted allocations whose agreed start has passed (overdue starts).
    const year = Number(bureauToday().slice(0, 4));
    expect((await call(app, land, 'PUT', `/api/quotas/${year}`, { quotaM2: 50_000_000, iabReserveM2: 0 })).status).toBe(200);
    // The demo's own late starts in the park (sample supervision data) count too.
    const overdueBefore = (await call(app, land, 'GET', `/api/allocations?overdue=true&parkId=${p06}`)).body.total as number;
    const available = (await call(app, land, 'GET', `/api/plots?parkId=${p06}&status=available`)).body.features.slice(0, 6) as { properties: { id: number } }[];
    for (const [i, f] of available.entries()) {
      const plotId = f.properties.id;
      const floor = await call(app, land, 'POST', '/api/quotes/price-floor', { plotId, iab: true });
      expect(floor.status, JSON.stringify(floor.body)).toBe(200);
      const a = await call(app, land, 'POST', '/api/allocations', {
        plotId, quotaYear: year, mode: 'transfer', termYears: 50, priceYuan: floor.body.floorYuan,
        project: { name: `智能装备制造基地项目 ${i + 1}`, enterprise: { name: `广州黄埔智造科技有限公司 ${i + 1}`, uscc: uscc(usccBody(i)) }, sector: 'ai', iab: true },
      });
      expect(a.status, JSON.stringify(a.body)).toBe(201);
      expect((await call(app, land, 'POST', `/api/allocations/${a.body.id}/approve`, {})).status).toBe(200);
      const c = await call(app, land, 'POST', `/api/allocations/${a.body.id}/contract`, {
        contractNo: `440112-${year}-E2E-${a.body.id}`,
        supervisionNo: `4401122026E${String(a.body.id).padStart(5, '0')}`,
        signedOn: daysFromToday(-60), agreedHandoverOn: daysFromToday(-50), agreedStartOn: daysFromToday(-10 - i), agreedCompletionOn: daysFromToday(700),
      });
      expect(c.status, JSON.stringify(c.body)).toBe(200);
    }
    await withPage(async (page) => {
      await signIn(page, base, 'district-huangpu');
      await page.goto(`${base}/parks/${p06}/report`);
      await page.getByTestId('park-report').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('[data-testid="overdue-section"] tbody tr').count(), { timeout: 15_000 }).toBe(overdueBefore + 6);
      expect(await page.getByTestId('kpi-overdue-value').textContent()).toBe(String(overdueBefore + 6));
      // The two granted through the page above (one withdrawn), and these eight.
      await expect.poll(() => page.locator('[data-testid^="subsidy-row-"]').count(), { timeout: 15_000 }).toBe(10);
      await expect.poll(() => page.locator('[data-testid="operator-table"] tbody tr').count(), { timeout: 15_000 }).toBe(6);
      // The two projects recorded through the page above, and these eight.
      await expect.poll(() => page.locator('[data-testid="project-table"] tbody tr').count(), { timeout: 15_000 }).toBe(10);
      // Header: name, district, tier, sectors, as-of date, sample marking.
      const head = (await page.locator('.report-head').textContent()) ?? '';
      expect(head).toContain('黄埔智能装备价值创新园');
      expect(head).toMatch(/数据截至 \d{4}\/\d{2}\/\d{2}/);
      expect(await page.getByTestId('report-sample').textContent()).toContain('示例数据');
      const meta = (await page.locator('.report-meta').textContent()) ?? '';
      for (const s of ['黄埔区', '核心园区', '人工智能']) expect(meta).toContain(s);
      // Read-only for the district officer: no grant, disburse or withdraw.
      expect(await page.getByTestId('grant-open').count()).toBe(0);
      expect(await page.locator('[data-testid^="withdraw-"]').count()).toBe(0);
      expect(await page.getByTestId('print-button').textContent()).toContain('打印 / Print');
      await shot(page, 'report');

      const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
      fs.writeFileSync(path.join(RESULTS_DIR, 'dashboard-report.pdf'), pdf);
      expect(pdfPages(pdf)).toBe(1);
      // The print stylesheet: the app's bars and the screen-only controls are gone, A4 portrait.
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('.topbar').isVisible()).toBe(false);
      expect(await page.getByTestId('print-button').isVisible()).toBe(false);
      expect(await page.locator('.report-more').first().isVisible()).toBe(false);
      expect(await page.locator('.report-more-note').first().isVisible()).toBe(true);
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: path.join(RESULTS_DIR, 'dashboard-report-print.png') });
      await page.emulateMedia({ media: 'screen' });
    });
  });

  it('shows the bureau the city overview of every park with totals, and links to each report and district', async () => {
    await withPage(async (page) => {
      await signIn(page, base, 'industry');
      await page.getByTestId('nav-bureau-parks').click();
      await page.getByTestId('parks-overview').waitFor();
      const d = (await (await page.request.get(`${base}/api/bureau/parks`)).json()) as Json;
      await expect.poll(() => page.locator('[data-testid^="park-row-"]').count(), { timeout: 30_000 }).toBe(d.parks.length);
      expect(d.parks.length).toBeGreaterThanOrEqual(12);
      expect(await page.locator('[data-testid="totals-row"] th').textContent()).toBe(`合计（${d.parks.length} 个园区）`);
      expect(await cell(page, 'totals-row', 'total')).toBe(mu(d.totals.areasMu.total));
      const granted = moneyColumn([...d.parks, d.totals], (f) => f.subsidy.grantedYuan);
      expect(await headingUnit(page, 'subsidy')).toBe(granted.unit);
      expect(await cell(page, 'totals-row', 'subsidy')).toBe(granted.text(d.totals));
      const p06row = d.parks.find((p: Json) => p.code === 'P06');
      expect(await cell(page, 'park-row-P06', 'subsidy')).toBe(granted.text(p06row));
      // Every row of the column in the heading's unit: no cell carries a unit of its own.
      const texts = await page.locator('[data-col="subsidy"] .dash-num').allTextContents();
      expect(texts.length).toBe(d.parks.length + 1);
      for (const x of texts) expect(x).toMatch(/^-?[\d,]+\.\d\d$/);
      expect(p06row.subsidy.grantedYuan).toBeGreaterThan(0);
      await shot(page, 'overview');
      await page.locator('[data-testid="park-row-P06"] a[href="/district/440112"]').click();
      await expect.poll(() => page.locator('[data-testid^="park-row-"]').count(), { timeout: 30_000 }).toBe(3);
      expect(await page.getByTestId('district-select').inputValue()).toBe('440112');
      await page.getByTestId('district-select').selectOption('440106');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/district/440106');
      await expect.poll(() => page.locator('[data-testid^="park-row-"]').count(), { timeout: 30_000 }).toBe(1);
    });
    // A district officer is pointed to their own dashboard instead.
    await withPage(async (page) => {
      await signIn(page, base, 'district-huangpu');
      await page.goto(`${base}/bureau/parks`);
      await page.getByTestId('access-forbidden').waitFor({ timeout: 30_000 });
    });
  });

  it('lets the admin recognize a park from a GeoJSON file; it joins the overview at once', async () => {
    const file = path.join(RESULTS_DIR, 'dashboard-P13.geojson');
    const square = [[113.331, 23.131], [113.339, 23.131], [113.339, 23.139], [113.331, 23.139], [113.331, 23.131]];
    fs.writeFileSync(file, JSON.stringify({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { nameEn: 'Tianhe Test Recognized Park' }, geometry: { type: 'Polygon', coordinates: [square] } }],
    }));
    await withPage(async (page) => {
      await signIn(page, base, 'admin');
      await page.getByTestId('nav-admin-parks').click();
      await page.getByTestId('parks-admin').waitFor();
      await page.getByTestId('park-file').setInputFiles(file);
      // Read in the browser: the area, and (once the district is known) that it lies inside it.
      await expect.poll(() => page.getByTestId('boundary-area').textContent(), { timeout: 30_000 }).toMatch(/^1,089\.\d\d 亩/); // the EPSG:4547 plane area (the sphere read 1,091.5)
      await expect.poll(() => page.getByTestId('park-district').inputValue(), { timeout: 30_000 }).toBe('440106');
      await expect.poll(() => page.getByTestId('boundary-district').textContent()).toContain('100.0%');
      expect(await page.getByTestId('park-name-en').inputValue()).toBe('Tianhe Test Recognized Park');
      // Missing fields are said at the fields, before anything is sent.
      await page.getByTestId('recognize-submit').click();
      expect(await page.getByTestId('error-nameZh').isVisible()).toBe(true);
      await page.getByTestId('park-code').fill('P13');
      await page.getByTestId('park-name-zh').fill('天河测试认定园');
      await page.getByTestId('park-sector-ai').check();
      await shot(page, 'recognize');
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/parks') && r.request().method() === 'POST');
      await page.getByTestId('recognize-submit').click();
      expect((await answered).status()).toBe(201);
      await page.getByTestId('recognized-note').waitFor();
      await expect.poll(() => page.getByTestId('admin-park-P13').isVisible(), { timeout: 15_000 }).toBe(true);

      // The same boundary again overlaps the new park: the server's refusal is shown at the file field.
      await page.getByTestId('park-file').setInputFiles(file);
      await page.getByTestId('park-code').fill('P14');
      await page.getByTestId('park-name-zh').fill('重叠园');
      await page.getByTestId('park-sector-ai').check();
      await page.getByTestId('recognize-submit').click();
      await expect.poll(() => page.getByTestId('error-boundary').textContent(), { timeout: 15_000 }).toContain('P13');

      await page.goto(`${base}/bureau/parks`);
      await page.getByTestId('park-row-P13').waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="park-row-P13"] .dash-sample').count()).toBe(0);
    });
  });

  it('has no serious accessibility problem on the report, and works 390 px wide', async () => {
    await withPage(async (page) => {
      await signIn(page, base, 'district-huangpu');
      await page.goto(`${base}/parks/${p06}/report`);
      await page.getByTestId('park-report').waitFor({ timeout: 30_000 });
      expect(await seriousViolations(page)).toEqual([]);
    });
    await withPage(async (page) => {
      await signIn(page, base, 'district-huangpu');
      for (const [url, ready, name] of [['/district/440112', 'district-dashboard', 'phone-district'], [`/parks/${p06}/report`, 'park-report', 'phone-report']] as const) {
        await page.goto(`${base}${url}`);
        await page.getByTestId(ready).waitFor({ timeout: 30_000 });
        await page.waitForTimeout(500);
        // Nothing wider than the screen except inside the scrolling table boxes.
        expect(await horizontalOverflow(page, '.page'), url).toBeLessThanOrEqual(1);
        await shot(page, name);
      }
    }, PHONE);
    expect(pageErrors).toEqual([]);
  });
});
