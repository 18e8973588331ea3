/**
 * `npm run lint` (after eslint): every stylesheet of the product stays within 800 lines. A
 * longer one mixes features: move each feature's rules next to it
 * (client/features/<feature>/<feature>.css) and keep client/styles/ for what all screens share.
 * Exits 1 listing each stylesheet over the limit.
 */
import fs from 'node:fs';
import path from 'node:path';

const MAX_STYLESHEET_LINES = 800;
const SKIP = new Set(['node_modules', 'dist', 'data', 'test-results', '.git']);

/** Every .css file under `dir`, skipping build output and dependencies. */
function stylesheets(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...stylesheets(full));
    else if (entry.isFile() && entry.name.endsWith('.css')) found.push(full);
  }
  return found;
}

/** Lines as an editor counts them (a final newline does not start another line). */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

const root = path.resolve(import.meta.dirname, '..');
const tooLong = stylesheets(root)
  .map((file) => ({ file: path.relative(root, file), lines: lineCount(fs.readFileSync(file, 'utf8')) }))
  .filter((s) => s.lines > MAX_STYLESHEET_LINES)
  .sort((a, b) => b.lines - a.lines);

if (tooLong.length > 0) {
  for (const s of tooLong) {
    console.error(`${s.file}: ${s.lines} lines, over the ${MAX_STYLESHEET_LINES}-line limit for a stylesheet; split it by feature (client/features/<feature>/<feature>.css).`);
  }
  process.exit(1);
}
console.log(`stylesheets: all within ${MAX_STYLESHEET_LINES} lines.`);
