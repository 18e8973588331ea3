import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeParameters,
  decodeParameterValue,
  DEFAULT_PARAMETERS,
  encodeParameterValue,
  isParameterKey,
  readParameterInput,
  type PolicyParameterKey,
} from '../../../shared/policy/index.ts';

const KEYS = Object.keys(DEFAULT_PARAMETERS) as PolicyParameterKey[];
const rowsOf = (p: Record<string, unknown>) => Object.entries(p).map(([key, v]) => ({ key, value: encodeParameterValue(v as never) }));

describe('decodeParameters: stored text → the parameters, with what was not read', () => {
  it('reads back what was stored, for every key', () => {
    const rows = rowsOf(DEFAULT_PARAMETERS as unknown as Record<string, unknown>);
    expect(decodeParameters(rows)).toEqual({ values: DEFAULT_PARAMETERS, problems: [] });
  });

  it('round-trips any value of the default’s type', () => {
    const value = (k: PolicyParameterKey) => {
      const d = DEFAULT_PARAMETERS[k];
      return typeof d === 'bigint' ? fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }) : typeof d === 'boolean' ? fc.boolean() : fc.integer();
    };
    fc.assert(
      fc.property(fc.constantFrom(...KEYS).chain((k) => value(k).map((v) => [k, v] as const)), ([key, v]) => {
        const d = decodeParameters([{ key, value: encodeParameterValue(v) }]);
        expect(d.problems).toEqual([]);
        expect(d.values[key]).toBe(v);
      }),
    );
  });

  it('keeps the default and names the row for unknown keys and unreadable values', () => {
    const d = decodeParameters([
      { key: 'somethingNew', value: '1' },
      { key: 'capitalizationRateBp', value: 'six' },
      { key: 'subsidyParkCapFen', value: '1e10' },
      { key: 'nationalMinimum56Enabled', value: 'yes' },
      { key: 'statutoryMaxTermYears', value: ' ' },
      { key: 'iabFloorFactorBp', value: '6500' },
    ]);
    expect(d.values).toEqual({ ...DEFAULT_PARAMETERS, iabFloorFactorBp: 6500 });
    expect(d.problems).toEqual([
      { key: 'somethingNew', value: '1', reason: 'unknown_key', expected: null },
      { key: 'capitalizationRateBp', value: 'six', reason: 'unreadable', expected: 'number' },
      { key: 'subsidyParkCapFen', value: '1e10', reason: 'unreadable', expected: 'integer' },
      { key: 'nationalMinimum56Enabled', value: 'yes', reason: 'unreadable', expected: 'boolean' },
      { key: 'statutoryMaxTermYears', value: ' ', reason: 'unreadable', expected: 'number' },
    ]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ key: fc.oneof(fc.constantFrom(...KEYS), fc.string()), value: fc.string() })), (rows) => {
        const d = decodeParameters(rows);
        expect(d.problems.length).toBeLessThanOrEqual(rows.length);
        for (const k of KEYS) expect(typeof d.values[k]).toBe(typeof DEFAULT_PARAMETERS[k]);
      }),
    );
  });

  it('does not take inherited names for parameters', () => {
    expect(isParameterKey('constructor')).toBe(false);
    expect(isParameterKey('toString')).toBe(false);
    expect(decodeParameterValue('nationalMinimum56Enabled', 'false')).toBe(false);
  });
});

describe('readParameterInput: an administrator’s value for a new version', () => {
  it('takes the default’s type and says what it must be', () => {
    expect(readParameterInput('nationalMinimum56Enabled', true)).toEqual({ ok: true, value: true });
    expect(readParameterInput('nationalMinimum56Enabled', 'true')).toEqual({ ok: false, message: 'must be true or false' });
    expect(readParameterInput('subsidyParkCapFen', '20000000000')).toEqual({ ok: true, value: 20_000_000_000n });
    expect(readParameterInput('subsidyParkCapFen', 12)).toEqual({ ok: true, value: 12n });
    expect(readParameterInput('subsidyParkCapFen', 1.5)).toEqual({ ok: false, message: 'must be a whole number of fen' });
    expect(readParameterInput('subsidyParkCapFen', '-1')).toEqual({ ok: false, message: 'must be a whole number of fen' });
    expect(readParameterInput('capitalizationRateBp', 650)).toEqual({ ok: true, value: 650 });
    expect(readParameterInput('capitalizationRateBp', '650')).toEqual({ ok: false, message: 'must be an integer' });
  });
});
