/**
 * What the browser tests share beyond launching Chromium (./browser.ts): the real server started
 * in-process on an in-memory database with the demo data, signing in, waiting for the map,
 * axe-core, full-page screenshots, the 390 px overflow check and a few small values.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/kernel/config.ts';
import { startupSeeding } from '../../seeds/startup.ts';
import { bureauToday } from '../../shared/dates.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { buildClientIfStale, newContext, RESULTS_DIR } from './browser.ts';

/** The demo accounts' password (seeds/users.ts). */
export const DEMO_PASSWORD = 'iab-demo-2026';

/** A phone's viewport, for the "works 390 px wide" checks. */
export const PHONE = { width: 390, height: 844 } as const;

/**
 * Builds the client if dist/client is missing or stale, starts the real server in-process on an
 * in-memory database seeded with the demo data (DATA_DIR memory://) on a free port, and makes sure
 * RESULTS_DIR exists for screenshots. Close `app` when done.
 */
export async function startApp(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; base: string }> {
  const built = await buildClientIfStale();
  if (built) console.info('e2e: built the client (dist/client was missing or stale)');
  const config = loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'warn', ...env });
  const app = await buildApp({ config, ...startupSeeding(config) });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no TCP address');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  return { app, base: `http://127.0.0.1:${address.port}` };
}

/** Closes each of `things` that was opened, in order (for afterAll, where beforeAll may have failed halfway). */
export async function closeAll(...things: ({ close: () => Promise<unknown> } | undefined)[]): Promise<void> {
  for (const thing of things) await thing?.close();
}

/** A new page in `context`; with `pageErrors`, the page's uncaught errors are collected there. */
export async function openPage(context: BrowserContext, pageErrors?: string[]): Promise<Page> {
  const page = await context.newPage();
  if (pageErrors) page.on('pageerror', (e) => pageErrors.push(e.message));
  return page;
}

/**
 * Runs `fn` on a page of a fresh context (clean cookies and storage; desktop unless `viewport`
 * says otherwise, e.g. PHONE) and closes the context afterwards, whatever happens.
 */
export async function withPage<T>(
  browser: Browser,
  fn: (page: Page, context: BrowserContext) => Promise<T>,
  options: { viewport?: { width: number; height: number }; pageErrors?: string[] } = {},
): Promise<T> {
  const context = await newContext(browser, options.viewport);
  try {
    return await fn(await openPage(context, options.pageErrors), context);
  } finally {
    await context.close();
  }
}

/** Fills in and submits the login page (it does not wait for the outcome: a wrong password is a case too). */
export async function submitLogin(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs in through the login page and waits for the user menu. */
export async function signIn(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await submitLogin(page, base, username, password);
  await page.getByTestId('user-menu-button').waitFor({ timeout: 30_000 });
}

/**
 * Signs the page in through POST /api/auth/login, sent from the page on the app's origin (so the
 * session cookie is the app's), without the login page; expects 200. Leaves the page on /api/health.
 */
export async function signInByApi(page: Page, base: string, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${base}/api/health`);
  const status = await page.evaluate(
    async ([u, pw]) => (await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: u, password: pw }) })).status,
    [username, password] as const,
  );
  expect(status).toBe(200);
}

/** Resolves when the map (`window.__map`) has loaded and finished rendering what it has. */
export async function mapIdle(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__map?.loaded() === true, null, { timeout: 30_000 });
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__map!;
        if (map.loaded() && map.areTilesLoaded() && !map.isMoving()) resolve();
        else map.once('idle', () => resolve());
      }),
  );
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * axe-core (WCAG 2.0/2.1 A and AA, best practice) on the page, or only on the element `within`
 * selects: the violations of impact serious or critical, one line each.
 */
export async function seriousViolations(page: Page, within?: string): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async (selector) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run(selector === null ? document : document.querySelector(selector), { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  }, within ?? null);
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

/**
 * A screenshot of the whole page into RESULTS_DIR/`file`: the app scrolls inside `.page`, so the
 * viewport grows to fit it first (up to 6000 px) and is put back afterwards.
 */
export async function fullScreenshot(page: Page, file: string): Promise<void> {
  const size = page.viewportSize()!;
  const height = await page.evaluate(() => {
    const scroller = document.querySelector('.page');
    return scroller ? scroller.scrollHeight + (scroller.getBoundingClientRect().top || 0) : document.documentElement.scrollHeight;
  });
  await page.setViewportSize({ width: size.width, height: Math.min(6000, Math.max(size.height, Math.ceil(height))) });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(RESULTS_DIR, file) });
  await page.setViewportSize(size);
}

/**
 * How many pixels the page scrolls sideways (≤ 0: none): the document against the window, or,
 * with `selector`, that scrolling element against its own width.
 */
export function horizontalOverflow(page: Page, selector?: string): Promise<number> {
  return page.evaluate((sel) => {
    if (sel === null) return document.documentElement.scrollWidth - window.innerWidth;
    const el = document.querySelector(sel)!;
    return el.scrollWidth - el.clientWidth;
  }, selector ?? null);
}

/** A date `n` days from today on the bureau's calendar (Asia/Shanghai), 'YYYY-MM-DD'. */
export function daysFromToday(n: number): string {
  const d = new Date(`${bureauToday()}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A valid 统一社会信用代码: the first 17 characters and their check character. */
export const uscc = (body17: string): string => body17 + usccCheckChar(body17);
