/**
 * Policy parameters as stored and sent: each value is text (`ref_parameters.value`, the rows of
 * `GET /api/reference`) and takes the type of its default in {@link DEFAULT_PARAMETERS} — a
 * number, a bigint (fen) or a boolean. Decoded once here for the server (which refuses stored
 * values it cannot read) and the client (which keeps the default and can say which were unread).
 */
import { DEFAULT_PARAMETERS, type PolicyParameterKey, type PolicyParameters } from './parameters.ts';

export type ParameterValue = PolicyParameters[PolicyParameterKey];

/** Why a stored value was not used. */
export interface ParameterProblem {
  readonly key: string;
  readonly value: string;
  /** `unknown_key`: not a parameter of this version of the product; `unreadable`: not of the default's type. */
  readonly reason: 'unknown_key' | 'unreadable';
  /** The type the value should have had (null for an unknown key). */
  readonly expected: 'integer' | 'number' | 'boolean' | null;
}

export interface DecodedParameters {
  /** The defaults with every readable value applied. */
  readonly values: PolicyParameters;
  /** Every row not applied, in input order (empty = all read). */
  readonly problems: readonly ParameterProblem[];
}

const defaults = DEFAULT_PARAMETERS as unknown as Record<string, ParameterValue | undefined>;

/** Whether `key` names a policy parameter. */
export function isParameterKey(key: string): key is PolicyParameterKey {
  return Object.prototype.hasOwnProperty.call(DEFAULT_PARAMETERS, key);
}

/** One stored value as the type of its default, or null when it cannot be read as that type. */
export function decodeParameterValue(key: PolicyParameterKey, text: string): ParameterValue | null {
  const def = DEFAULT_PARAMETERS[key];
  if (typeof def === 'bigint') return /^-?\d+$/.test(text) ? BigInt(text) : null;
  if (typeof def === 'boolean') return text === 'true' ? true : text === 'false' ? false : null;
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : null;
}

/** A value as stored: decimal text for numbers and fen, `true`/`false` for switches. */
export function encodeParameterValue(v: ParameterValue): string {
  return typeof v === 'bigint' ? v.toString() : String(v);
}

/**
 * Stored rows → the parameters: the defaults, each readable row applied. Unknown keys and
 * unreadable values are left out and listed in `problems` (the caller decides: refuse or keep
 * the default).
 */
export function decodeParameters(rows: readonly { key: string; value: string }[]): DecodedParameters {
  const out: Record<string, ParameterValue> = { ...DEFAULT_PARAMETERS };
  const problems: ParameterProblem[] = [];
  for (const r of rows) {
    if (!isParameterKey(r.key)) {
      problems.push({ key: r.key, value: r.value, reason: 'unknown_key', expected: null });
      continue;
    }
    const v = decodeParameterValue(r.key, r.value);
    if (v === null) {
      const def = defaults[r.key];
      problems.push({ key: r.key, value: r.value, reason: 'unreadable', expected: typeof def === 'bigint' ? 'integer' : typeof def === 'boolean' ? 'boolean' : 'number' });
      continue;
    }
    out[r.key] = v;
  }
  return { values: out as unknown as PolicyParameters, problems };
}

/**
 * A value an administrator sends for a new parameters version (JSON): a boolean for a switch,
 * whole fen (a digit string or a safe integer) for money, an integer otherwise. The message
 * says what the value must be.
 */
export function readParameterInput(key: PolicyParameterKey, raw: unknown): { ok: true; value: ParameterValue } | { ok: false; message: string } {
  const def = DEFAULT_PARAMETERS[key];
  if (typeof def === 'boolean') return typeof raw === 'boolean' ? { ok: true, value: raw } : { ok: false, message: 'must be true or false' };
  if (typeof def === 'bigint') {
    const fen = typeof raw === 'string' && /^\d+$/.test(raw) ? BigInt(raw) : typeof raw === 'number' && Number.isSafeInteger(raw) ? BigInt(raw) : null;
    return fen === null ? { ok: false, message: 'must be a whole number of fen' } : { ok: true, value: fen };
  }
  return typeof raw === 'number' && Number.isInteger(raw) ? { ok: true, value: raw } : { ok: false, message: 'must be an integer' };
}
