/**
 * The central input and output rules as pure functions: the schema tightening
 * every route gets (server/kernel/validator.ts), database refusals mapped to 4xx (server/kernel/errors.ts),
 * and the non-finite number guard on responses (server/kernel/response-guards.ts).
 */
import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import { hasControlChars, tighten } from '../../server/kernel/validator.ts';
import { fromDatabaseError } from '../../server/kernel/errors.ts';
import { nonFinitePath } from '../../server/kernel/response-guards.ts';

describe('tighten: bounds and text rules for every schema', () => {
  const t = (schema: object) => tighten({ type: 'object', properties: schema }) as { properties: Record<string, Record<string, unknown>> };

  it('bounds integers to int32, years to 2000–2100, keeping tighter bounds', () => {
    const s = t({ id: { type: 'integer', minimum: 1 }, year: { type: 'integer' }, quotaYear: { type: 'integer', maximum: 2050 }, n: { type: 'integer', maximum: 10 } });
    expect(s.properties.id).toMatchObject({ minimum: 1, maximum: 2147483647 });
    expect(s.properties.year).toMatchObject({ minimum: 2000, maximum: 2100 });
    expect(s.properties.quotaYear).toMatchObject({ minimum: 2000, maximum: 2050 });
    expect(s.properties.n).toMatchObject({ minimum: -2147483648, maximum: 10 });
  });

  it('bounds numbers by the column their name lands in', () => {
    const s = t({ costYuan: { type: 'number', maximum: 1e15 }, areaM2: { type: 'number' }, benchmarkYuanPerM2: { type: 'number' }, greenRatioMinPct: { type: 'number' }, lon: { type: 'number' } });
    expect(s.properties.costYuan!.maximum).toBeLessThan(1e14);
    expect(s.properties.areaM2!.maximum).toBeLessThan(1e12);
    expect(s.properties.benchmarkYuanPerM2!.maximum).toBeLessThan(1e8);
    expect(s.properties.greenRatioMinPct).toMatchObject({ minimum: 0, maximum: 100 });
    expect(s.properties.lon).toMatchObject({ minimum: -1e15, maximum: 1e15 });
  });

  it('marks strings plain or multi-line and turns a date-shaped pattern into a calendar date', () => {
    const s = t({ name: { type: 'string' }, reason: { type: 'string' }, cancelReason: { type: 'string' }, body: { type: 'string', 'x-multiline': true }, asOf: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } });
    expect(s.properties.name!.plainText).toBe('line');
    expect(s.properties.reason!.plainText).toBe('multiline');
    expect(s.properties.cancelReason!.plainText).toBe('multiline');
    expect(s.properties.body!.plainText).toBe('multiline');
    expect(s.properties.asOf!.format).toBe('date');
  });

  it('reaches nested objects, arrays and unions, and leaves the original alone', () => {
    const original = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { areaM2: { anyOf: [{ type: 'number' }, { type: 'null' }] } } } } } };
    const copy = JSON.stringify(original);
    const s = tighten(original) as { properties: { items: { items: { properties: { areaM2: { anyOf: Record<string, unknown>[] } } } } } };
    expect(s.properties.items.items.properties.areaM2.anyOf[0]!.maximum).toBeLessThan(1e12);
    expect(JSON.stringify(original)).toBe(copy);
  });

  it('control characters: none in a line, tab/newlines only in multi-line text', () => {
    expect(hasControlChars('a\u0000b')).toBe(true);
    expect(hasControlChars('a\nb')).toBe(true);
    expect(hasControlChars('a\nb\tc\r', true)).toBe(false);
    expect(hasControlChars('a\u001bb', true)).toBe(true);
    expect(hasControlChars('a\u007fb', true)).toBe(true);
    expect(hasControlChars('中文 text')).toBe(false);
  });

  it('validates as a strict ajv would: non-finite numbers refused', () => {
    const ajv = new Ajv({ strictNumbers: true });
    const v = ajv.compile({ type: 'number' });
    expect(v(Infinity)).toBe(false);
    expect(v(NaN)).toBe(false);
    expect(v(1)).toBe(true);
  });
});

describe('fromDatabaseError: input the database refused → 4xx naming the field', () => {
  it('maps the SQLSTATEs input can cause', () => {
    expect(fromDatabaseError({ code: '23514', table: 'users', constraint: 'users_display_name_check' })).toMatchObject({ statusCode: 400, details: { field: 'displayName' } });
    expect(fromDatabaseError({ code: '23502', column: 'park_id' })).toMatchObject({ statusCode: 400, details: { field: 'parkId' } });
    expect(fromDatabaseError({ code: '23503', detail: 'Key (park_id)=(999) is not present in table "parks".' })).toMatchObject({ statusCode: 400, details: { field: 'parkId' } });
    expect(fromDatabaseError({ code: '23503', detail: 'Key (id)=(1) is still referenced from table "plots".' })).toMatchObject({ statusCode: 409 });
    expect(fromDatabaseError({ code: '23505', detail: 'Key (code)=(P1) already exists.' })).toMatchObject({ statusCode: 409, details: { field: 'code' } });
    for (const code of ['22003', '22P02', '22007', '22008', '22021', '22001']) expect(fromDatabaseError({ code })?.statusCode, code).toBe(400);
  });

  it('leaves real faults alone (500)', () => {
    expect(fromDatabaseError(new Error('boom'))).toBeNull();
    expect(fromDatabaseError({ code: '40001' })).toBeNull();
    expect(fromDatabaseError({ code: '42P01' })).toBeNull();
    expect(fromDatabaseError({ code: '57014' })).toBeNull();
  });
});

describe('nonFinitePath: responses never carry NaN or Infinity', () => {
  it('finds the first non-finite number, anywhere', () => {
    expect(nonFinitePath({ a: [1, { b: 2 }], c: 'NaN' })).toBeNull();
    expect(nonFinitePath({ a: [1, { b: NaN }] })).toBe('$.a[1].b');
    expect(nonFinitePath([Infinity])).toBe('$[0]');
  });
});

describe('tighten: page sizes', () => {
  it('bounds a limit the route left open, and keeps one it set (even above the default)', () => {
    const s = tighten({ type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 50000, default: 5000 } } }) as { properties: Record<string, Record<string, unknown>> };
    expect(s.properties.limit).toMatchObject({ minimum: 1, maximum: 50000 });
    const open = tighten({ type: 'object', properties: { limit: { type: 'integer' } } }) as { properties: Record<string, Record<string, unknown>> };
    expect(open.properties.limit).toMatchObject({ minimum: 0, maximum: 1000 });
  });
});
