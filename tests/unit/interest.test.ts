/**
 * The checks of an expression of interest (shared/interest.ts) and the indicative supply modes
 * by land use (shared/supply-modes.ts): what the browser form and the server both refuse.
 */
import { describe, expect, it } from 'vitest';
import { isEmail, normalizePhone, validateInterest } from '../../shared/interest.ts';
import { landUsesOffering, SUPPLY_MODES, supplyModesFor } from '../../shared/supply-modes.ts';
import { usccCheckChar } from '../../shared/uscc.ts';
import { ALLOCATION_MODES } from '../../shared/contract/allocations.ts';

const uscc = (() => {
  const body = '91440101MA5C00001';
  return body + usccCheckChar(body);
})();
const valid = { plotId: 1, company: ' 广州示例有限公司 ', uscc: uscc.toLowerCase(), contactName: '王', contactPhone: '+86 138 0013 8000', message: 'hi\r\nthere' };

describe('validateInterest', () => {
  it('normalizes a valid interest: trimmed company, upper-case USCC, canonical phone, \\n line breaks', () => {
    const r = validateInterest(valid);
    expect(r).toEqual({ ok: true, value: { plotId: 1, company: '广州示例有限公司', uscc, contactName: '王', contactEmail: null, contactPhone: '13800138000', message: 'hi\nthere' } });
  });

  it('reports every problem at once, one per field', () => {
    const r = validateInterest({ plotId: 0, company: '', uscc: '123', contactName: ' ', message: 'x'.repeat(2001) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.field)).toEqual(['plotId', 'company', 'uscc', 'contactName', 'contact', 'message']);
    expect(r.problems.every((p) => p.messageZh && p.messageEn)).toBe(true);
  });

  it('counts characters, not UTF-16 units, for the 2000-character message limit', () => {
    expect(validateInterest({ ...valid, message: '𠀀'.repeat(2000) }).ok).toBe(true);
    expect(validateInterest({ ...valid, message: '𠀀'.repeat(2001) }).ok).toBe(false);
  });

  it('refuses control characters and lone surrogates (but allows line breaks in the message)', () => {
    expect(validateInterest({ ...valid, company: 'A\u0000B' }).ok).toBe(false);
    expect(validateInterest({ ...valid, contactName: '\uD800' }).ok).toBe(false);
    expect(validateInterest({ ...valid, message: 'a\nb\tc' }).ok).toBe(true);
  });

  it('takes a mainland mobile or a landline with area code; e-mail of the usual shape', () => {
    for (const ok of ['13800138000', '+86 139 0000 1111', '0086-15912345678', '020-88886666', '(020) 8888 6666', '0755-12345678-123']) expect(normalizePhone(ok), ok).not.toBeNull();
    for (const bad of ['12345678901', '1380013800', '88886666', 'phone', '020-123']) expect(normalizePhone(bad), bad).toBeNull();
    expect(isEmail('a.b@example.com.cn')).toBe(true);
    for (const bad of ['a@b', 'a b@c.com', '@c.com', `${'x'.repeat(250)}@c.com`]) expect(isEmail(bad), bad).toBe(false);
  });
});

describe('supply modes by land use (indicative; the bureau confirms per plot)', () => {
  it('uses the allocation modes of API.md', () => {
    expect([...SUPPLY_MODES].sort()).toEqual([...ALLOCATION_MODES].sort());
  });

  it('offers all four on M1/M2/M3 and transfer or long-term lease on M0', () => {
    expect(supplyModesFor('M1')).toEqual(SUPPLY_MODES);
    expect(supplyModesFor('M0')).toEqual(['transfer', 'long_term_lease']);
    expect(landUsesOffering(['flexible_term'])).toEqual(['M1', 'M2', 'M3']);
    expect(landUsesOffering(['long_term_lease', 'transfer'])).toEqual(['M0', 'M1', 'M2', 'M3']);
    expect(landUsesOffering([])).toEqual(['M0', 'M1', 'M2', 'M3']);
  });
});
