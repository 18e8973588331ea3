/**
 * An audit event's change in words (client/features/admin/auditChanges.ts): nested values as
 * dotted paths named part by part, lists short, booleans 是/否 (Yes/No), nothing —, long values
 * cut with the whole on hover — never raw JSON.
 */
import { describe, expect, it } from 'vitest';
import { auditValueText, fieldPathLabel, flatChanges } from '../../client/features/admin/auditChanges.ts';

describe('what an event changed', () => {
  it('lists every field of a creation, nested ones by their path', () => {
    expect(flatChanges(null, { role: 'admin', disabled: false, counts: { valid: 3, invalid: 0 } })).toEqual([
      { path: 'role', before: null, after: 'admin' },
      { path: 'disabled', before: null, after: false },
      { path: 'counts.valid', before: null, after: 3 },
      { path: 'counts.invalid', before: null, after: 0 },
    ]);
  });

  it('lists only the leaves an update changed, comparing by value whatever the key order', () => {
    const before = { areaM2: 1200, conditions: { plotRatioMin: 1.2, notes: 'a' }, tags: { a: 1, b: 2 } };
    const after = { areaM2: 1350, conditions: { plotRatioMin: 1.5, notes: 'a' }, tags: { b: 2, a: 1 } };
    expect(flatChanges(before, after)).toEqual([
      { path: 'areaM2', before: 1200, after: 1350 },
      { path: 'conditions.plotRatioMin', before: 1.2, after: 1.5 },
    ]);
  });

  it('follows a decision three levels down, and keeps lists and geometries as one value', () => {
    const after = { status: 'approved', decision: { floor: { floorYuan: 8400000, binding: 'benchmark' } }, plots: [[1, 'P10-0001']] };
    expect(flatChanges({ status: 'proposed' }, after).map((c) => c.path)).toEqual(['status', 'decision.floor.floorYuan', 'decision.floor.binding', 'plots']);
    const geometry = { type: 'Polygon', coordinates: [[[113, 23], [113.1, 23], [113.1, 23.1], [113, 23]]] };
    expect(flatChanges({ geometry }, null)).toEqual([{ path: 'geometry', before: geometry, after: null }]);
  });

  it('is empty when nothing changed; a value that is not an object is one unnamed change', () => {
    expect(flatChanges(null, null)).toEqual([]);
    expect(flatChanges(undefined, undefined)).toEqual([]);
    expect(flatChanges({ a: { b: 1 } }, { a: { b: 1 } })).toEqual([]);
    expect(flatChanges(1, 2)).toEqual([{ path: '', before: 1, after: 2 }]);
    expect(flatChanges([1], [1])).toEqual([]);
    expect(flatChanges({ conditions: {} }, { conditions: null })).toEqual([]);
  });
});

describe('field names in words', () => {
  it('names each part of a path it knows, in the interface language, and leaves the rest', () => {
    expect(fieldPathLabel('areaM2', 'zh-CN')).toBe('面积（平方米）');
    expect(fieldPathLabel('decision.floor.floorYuan', 'zh-CN')).toBe('审批决定 › 底价 › 底价（元）');
    expect(fieldPathLabel('decision.floor.floorYuan', 'en')).toBe('Decision › Floor › Floor (yuan)');
    expect(fieldPathLabel('conditions.somethingNew', 'zh-CN')).toBe('标准地条件 › somethingNew');
    expect(fieldPathLabel('', 'zh-CN')).toBe('');
  });
});

describe('values in words', () => {
  it('reads booleans as 是/否 (Yes/No) and nothing as —', () => {
    expect(auditValueText(true, 'zh-CN')).toEqual({ text: '是', full: null });
    expect(auditValueText(false, 'en')).toEqual({ text: 'No', full: null });
    expect(auditValueText(null, 'zh-CN').text).toBe('—');
    expect(auditValueText('', 'zh-CN').text).toBe('—');
    expect(auditValueText([], 'zh-CN').text).toBe('—');
    expect(auditValueText(1350, 'zh-CN')).toEqual({ text: '1350', full: null });
    // Amounts and areas grouped; ids and years not.
    expect(auditValueText(100000000, 'zh-CN', 40, 'decision.capYuan').text).toBe('100,000,000');
    expect(auditValueText(12345.5, 'en', 40, 'areaM2').text).toBe('12,345.5');
    expect(auditValueText(2026, 'zh-CN', 40, 'quotaYear').text).toBe('2026');
  });

  it('shows a list short, with the whole list on hover', () => {
    const plots = [[1, 'P10-0001'], [2, 'P10-0002'], [3, 'P10-0003'], [4, 'P10-0004'], [5, 'P10-0005']];
    expect(auditValueText(plots, 'zh-CN', 80)).toEqual({
      text: '1 P10-0001、2 P10-0002、3 P10-0003 等 5 项',
      full: '1 P10-0001、2 P10-0002、3 P10-0003、4 P10-0004、5 P10-0005',
    });
    expect(auditValueText(['ai', 'bio'], 'en')).toEqual({ text: 'ai, bio', full: null });
  });

  it('cuts a long value, whole on hover; objects and geometries never as JSON', () => {
    const long = '瑞湖一路以南、开源大道以东'.repeat(5);
    const v = auditValueText(long, 'zh-CN', 10);
    expect(v.text).toHaveLength(10);
    expect(v.text.endsWith('…')).toBe(true);
    expect(v.full).toBe(long);
    const obj = auditValueText({ floorYuan: 100, binding: 'cost' }, 'zh-CN', 80).text;
    expect(obj).toBe('底价（元）: 100；起决定作用的项: cost');
    expect(obj).not.toMatch(/[{}"]/);
    expect(auditValueText({ type: 'Polygon', coordinates: [[[113, 23], [113.1, 23], [113.1, 23.1], [113, 23]]] }, 'zh-CN').text).toBe('面（4 个点）');
  });
});
