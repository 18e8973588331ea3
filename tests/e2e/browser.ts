/**
 * Browser-test helpers: Debian's Chromium through playwright-core (never `playwright install`;
 * ../shared/STACK-NOTES.md), and building the web client when its build is missing or stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = fs.existsSync(CHROMIUM_PATH);

/** Why the browser suite is skipped, or null when it can run. */
export const skipReason = hasChromium
  ? null
  : `e2e: SKIPPED — no Chromium at ${CHROMIUM_PATH}. Install it with ` +
    '`apt-get update && apt-get install -y chromium` (or set CHROMIUM_PATH) to run the browser tests.';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLIENT_DIR = path.join(ROOT, 'dist', 'client');
/** Where tests save screenshots (gitignored). */
export const RESULTS_DIR = path.join(ROOT, 'test-results');

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches Chromium. Playwright gives the browser a fresh temporary profile, and each
 * `browser.newContext()` is a clean one on top (own storage and cache), so tests don't leak
 * state into each other.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}

/** A fresh context (clean localStorage) with a desktop viewport and the Chinese locale. */
export async function newContext(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.newContext({ viewport, locale: 'zh-CN', deviceScaleFactor: 1 });
}

// One staleness rule for `npm start` and the browser tests: server/build-client.ts.
export { buildClientIfStale, clientIsStale as clientBuildIsStale } from '../../server/build-client.ts';
