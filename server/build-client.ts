/**
 * `npm start` builds the web client when it is missing or older than its sources, so the two
 * README commands just work. Only when the folder is the default build output (a custom
 * CLIENT_DIR is someone else's build).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_OUT = path.join(ROOT, 'dist', 'client');
const SOURCES = ['client', 'shared', 'vite.config.ts', 'package.json'].map((p) => path.join(ROOT, p));

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

export function clientIsStale(outDir = DEFAULT_OUT): boolean {
  const index = path.join(outDir, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

/** Builds dist/client with Vite when it is missing or stale; returns whether it built. */
export async function buildClientIfStale(): Promise<boolean> {
  if (!clientIsStale(DEFAULT_OUT)) return false;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

export async function ensureClientBuilt(outDir: string): Promise<void> {
  // `npm run dev` serves the client from Vite's dev server instead.
  if (process.env.IAB_SKIP_CLIENT_BUILD === '1') return;
  // A custom CLIENT_DIR is someone else's build.
  if (path.resolve(outDir) !== DEFAULT_OUT || !clientIsStale(outDir)) return;
  console.log('Building the web client (vite build)…');
  await buildClientIfStale();
}
