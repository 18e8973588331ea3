/**
 * The audit log speaks words: every action code the server records (read from the server's own
 * source — each `recordEvent` action, literal, chosen by a condition or built from a kind list)
 * has Chinese and English words in client/features/admin/auditActions.ts, and every entity
 * type too. A new action without words fails here, not on an officer's screen. Plus Beijing time.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MILESTONE_KINDS } from '../../shared/contract/allocations.ts';
import { DECISION_KINDS } from '../../shared/contract/supervision.ts';
import { actionGroups, actionWords, AUDIT_ACTION_WORDS, AUDIT_ENTITY_WORDS, entityWords } from '../../client/features/admin/auditActions.ts';
import { formatShanghai } from '../../client/features/admin/auditView.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const CODE = /['"]([a-z_]+(?:\.[a-z_]+)+)['"]/g;
const TEMPLATE = /`([a-z_.]+)\$\{([^}]+)\}`/g;
/** What a template's `${…}` runs over, by the expression it uses. */
const KIND_LISTS: Record<string, readonly string[]> = { 'milestone.kind': MILESTONE_KINDS, 'body.kind': DECISION_KINDS };

/** Every action code in server/** : `action: …` in a recordEvent call, and `const action = …`. */
function serverActions(): { actions: Set<string>; entities: Set<string> } {
  const actions = new Set<string>();
  const entities = new Set<string>();
  for (const file of sourceFiles('server')) {
    const text = readFileSync(file, 'utf8');
    if (!text.includes('recordEvent')) continue;
    for (const m of text.matchAll(/\baction:\s*([^\n]*)|\bconst action\s*=\s*([^\n]*)/g)) {
      const expr = (m[1] ?? m[2] ?? '').split(/,\s*(?:entity|caller|before|after)\b/)[0]!;
      for (const c of expr.matchAll(CODE)) actions.add(c[1]!);
      for (const tm of expr.matchAll(TEMPLATE)) {
        const kinds = KIND_LISTS[tm[2]!.trim()];
        if (!kinds) throw new Error(`${file}: action template over \${${tm[2]}} — add its kind list to this test`);
        for (const k of kinds) actions.add(`${tm[1]}${k}`);
      }
    }
    for (const m of text.matchAll(/\bentity:\s*'([a-z_]+)'/g)) entities.add(m[1]!);
  }
  return { actions, entities };
}

describe('audit actions in words', () => {
  const { actions, entities } = serverActions();

  it('finds the server’s actions (the scan works)', () => {
    expect(actions.size).toBeGreaterThan(50);
    for (const a of ['user.disable', 'user.enable', 'demand.closed', 'interest.convert_hold', 'allocation.milestone.started', 'supervision.decision.reclaim', 'performance.import_replace']) {
      expect(actions).toContain(a);
    }
  });

  it('has words, in both languages, for every action the server records', () => {
    const missing = [...actions].filter((a) => !Object.hasOwn(AUDIT_ACTION_WORDS, a)).sort();
    expect(missing).toEqual([]);
    for (const a of actions) {
      const zh = actionWords(a, 'zh-CN');
      const en = actionWords(a, 'en');
      expect(zh).toMatch(/[\u4e00-\u9fff]/);
      expect(en).toMatch(/^[A-Z]/);
      expect(zh).not.toBe(a);
    }
  });

  it('has words for every entity type the server records', () => {
    const missing = [...entities].filter((e) => !Object.hasOwn(AUDIT_ENTITY_WORDS, e)).sort();
    expect(missing).toEqual([]);
    expect(entityWords('land_demand', 'zh-CN')).toBe('用地需求');
  });

  it('leaves an unknown code to be shown as itself, and is not fooled by object keys', () => {
    expect(actionWords('allocation.milestone.start', 'zh-CN')).toBeNull();
    expect(actionWords('toString', 'en')).toBeNull();
    expect(entityWords('constructor', 'en')).toBeNull();
  });

  it('offers every action once in the picker, grouped', () => {
    const groups = actionGroups('zh-CN');
    const listed = groups.flatMap((g) => g.actions.map((a) => a.code));
    expect(listed.sort()).toEqual(Object.keys(AUDIT_ACTION_WORDS).sort());
    expect(new Set(groups.map((g) => g.label)).size).toBe(groups.length);
    expect(groups.find((g) => g.actions.some((a) => a.code === 'plot.split'))?.label).toBe('地块');
  });
});

describe('audit times', () => {
  it('shows Beijing time (UTC+8), not UTC or the browser’s zone', () => {
    expect(formatShanghai('2026-05-01T16:30:05Z', 'zh-CN')).toBe('2026-05-02 00:30:05');
    expect(formatShanghai('2026-12-31T23:59:59.999Z', 'en')).toBe('2027-01-01 07:59:59');
    expect(formatShanghai('not a time', 'en')).toBe('not a time');
  });
});
