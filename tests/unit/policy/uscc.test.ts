import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { USCC_CHARSET, usccCheckChar, validateUscc } from '../../../shared/uscc.ts';

/*
 * Hand check of 91110000600037341L (a widely published code), GB 32100-2015:
 *   chars    9  1  1  1  0  0  0  0  6   0  0  0  3   7   3   4   1
 *   weights  1  3  9 27 19 26 16 17 20  29 25 13  8  24  10  30  28
 *   products 9  3  9 27  0  0  0  0 120  0  0  0 24 168  30 120  28   Σ = 538
 *   538 mod 31 = 538 − 17·31 = 538 − 527 = 11;  (31 − 11) mod 31 = 20
 *   value 20 in 0123456789ABCDEFGHJKLMNPQRTUWXY is 'L' (A=10 … H=17, J=18, K=19, L=20)  ✓
 *
 * Constructed edge codes:
 *   000000000000000000: Σ = 0 → (31 − 0) mod 31 = 0 → '0'
 *   10000000000000000Y: Σ = 1·1 = 1 → 31 − 1 = 30 → 'Y' (the last character)
 *   91440101MA59XXXXXA: 9·1 + 1·3 + 4·9 + 4·27 + 0·19 + 1·26 + 0·16 + 1·17 + M(21)·20
 *     + A(10)·29 + 5·25 + 9·13 + X(29)·(8 + 24 + 10 + 30 + 28)
 *     = 9 + 3 + 36 + 108 + 0 + 26 + 0 + 17 + 420 + 290 + 125 + 117 + 2900 = 4051
 *     4051 mod 31 = 4051 − 130·31 = 4051 − 4030 = 21 → 31 − 21 = 10 → 'A'
 */
const VALID = ['91110000600037341L', '000000000000000000', '10000000000000000Y', '91440101MA59XXXXXA'];

describe('统一社会信用代码 (GB 32100-2015, DOMAIN.md)', () => {
  it.each(VALID)('%s is valid', (code) => {
    expect(validateUscc(code)).toEqual({ ok: true, normalized: code });
    expect(usccCheckChar(code.slice(0, 17))).toBe(code.charAt(17));
  });

  it('normalizes spaces around and lower case', () => {
    expect(validateUscc(' 91110000600037341l ')).toEqual({ ok: true, normalized: '91110000600037341L' });
  });

  it.each([
    ['too short', '91110000600037341', 'length'],
    ['too long', '91110000600037341L0', 'length'],
    ['empty', '', 'length'],
    ['letter I is not in the charset', '9111000060003734IL', 'charset'],
    ['letter O', '91110000600037341O', 'charset'],
    ['letters S, V, Z', '9111000060003734SZ', 'charset'],
    ['wrong check character', '91110000600037341K', 'check'],
    ['two digits swapped', '19110000600037341L', 'check'],
  ])('refuses %s', (_n, code, reason) => {
    const r = validateUscc(code);
    expect(r).toMatchObject({ ok: false, reason });
    expect(r.ok ? '' : r.messageZh).toContain('统一社会信用代码');
  });

  it('usccCheckChar refuses bad input', () => {
    expect(() => usccCheckChar('1234')).toThrow(RangeError);
    expect(() => usccCheckChar('9111000060003734I')).toThrow(RangeError);
  });

  const first17 = fc.array(fc.constantFrom(...USCC_CHARSET), { minLength: 17, maxLength: 17 }).map((cs) => cs.join(''));

  it('property: a code completed with its check character is valid', () => {
    fc.assert(
      fc.property(first17, (s) => {
        expect(validateUscc(s + usccCheckChar(s)).ok).toBe(true);
      }),
    );
  });

  it('property: any single-character change makes a valid code fail', () => {
    // Replacements are any character other than the original, except the original's lower
    // case (which normalizes back to it). In the first 17 positions a different charset value
    // changes Σ by Δ·w with 0 < |Δ| < 31 and w ≢ 0 (mod 31, prime), so the check differs.
    const replacement = fc.oneof(fc.constantFrom(...USCC_CHARSET), fc.constantFrom(...'IOSVZ-* é'));
    fc.assert(
      fc.property(first17, fc.integer({ min: 0, max: 17 }), replacement, (s, pos, ch) => {
        const code = s + usccCheckChar(s);
        fc.pre(ch !== code.charAt(pos));
        const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
        expect(validateUscc(changed).ok).toBe(false);
      }),
    );
  });
});
