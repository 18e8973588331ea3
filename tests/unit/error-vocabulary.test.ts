/**
 * The error vocabulary of shared/contract/errors.ts is the whole of it: every `details.reason`
 * the server writes as a literal is listed there, and every listed reason is still answered
 * somewhere (by the server or by a shared rule whose code becomes the reason).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ERROR_REASONS } from '../../shared/contract/errors.ts';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'migrations' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const server = sources('server').map((p) => readFileSync(p, 'utf8')).join('\n');
const shared = sources('shared').filter((p) => !p.includes('contract')).map((p) => readFileSync(p, 'utf8')).join('\n');

/** Upper-snake reasons the server writes as literals: `reason: 'X'` and the import refusals `fileRefused('X'`. */
const literalReasons = new Set([
  ...[...server.matchAll(/\breason: '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!),
  ...[...server.matchAll(/fileRefused\(\s*'([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!),
]);

describe('the error vocabulary', () => {
  it('lists every reason the server writes', () => {
    const missing = [...literalReasons].filter((r) => !(ERROR_REASONS as readonly string[]).includes(r));
    expect(missing).toEqual([]);
  });

  it('lists no reason nobody answers with any more', () => {
    const unused = ERROR_REASONS.filter((r) => !server.includes(`'${r}'`) && !shared.includes(`'${r}'`));
    expect(unused).toEqual([]);
  });

  it('has no entry twice', () => {
    expect(new Set(ERROR_REASONS).size).toBe(ERROR_REASONS.length);
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });

  it('codes are stable upper-snake identifiers', () => {
    for (const code of ERROR_CODES) expect(code).toMatch(/^[A-Z][A-Z0-9_]*$/);
  });
});
