/**
 * 统一社会信用代码 (Unified Social Credit Code), GB 32100-2015, as in DOMAIN.md: 18 characters
 * from `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, Z, S, V), the 18th a check character:
 *   check = (31 − (Σ value(cᵢ) × wᵢ) mod 31) mod 31,  w = 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
 * (wᵢ = 3^(i−1) mod 31). The land user (土地使用权人) of an allocation carries one.
 */

/** The 31 code characters; a character's value is its index. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights of the first 17 positions. */
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccProblem = 'length' | 'charset' | 'check';

export type UsccResult =
  | { readonly ok: true; readonly normalized: string }
  | { readonly ok: false; readonly reason: UsccProblem; readonly messageZh: string; readonly messageEn: string };

/**
 * GB 32100-2015: the check character for the first 17 characters (already upper-case).
 * Throws RangeError if `first17` is not 17 characters of the code charset.
 */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError(`usccCheckChar: need 17 characters, got ${first17.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARSET.indexOf(first17.charAt(i));
    if (v < 0) throw new RangeError(`usccCheckChar: invalid character "${first17.charAt(i)}" at position ${i + 1}`);
    sum += v * (USCC_WEIGHTS[i] as number);
  }
  return USCC_CHARSET.charAt((31 - (sum % 31)) % 31);
}

/**
 * GB 32100-2015: validates a code. Surrounding spaces are trimmed and letters upper-cased
 * (`normalized` is the canonical form to store); then length 18, charset, check character.
 */
export function validateUscc(input: string): UsccResult {
  const s = input.trim().toUpperCase();
  if (s.length !== 18) {
    return { ok: false, reason: 'length', messageZh: `统一社会信用代码应为 18 位，实际 ${s.length} 位`, messageEn: `A unified social credit code has 18 characters, got ${s.length}` };
  }
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(s.charAt(i))) {
      return {
        ok: false,
        reason: 'charset',
        messageZh: `统一社会信用代码第 ${i + 1} 位“${s.charAt(i)}”不是有效字符`,
        messageEn: `Character ${i + 1} ("${s.charAt(i)}") is not allowed in a unified social credit code`,
      };
    }
  }
  const expected = usccCheckChar(s.slice(0, 17));
  if (s.charAt(17) !== expected) {
    return { ok: false, reason: 'check', messageZh: '统一社会信用代码校验位不正确', messageEn: 'The check character of the unified social credit code is wrong' };
  }
  return { ok: true, normalized: s };
}
