/**
 * The price-floor calculator's form: typed text → shared/policy's priceFloor (the function the
 * server quotes with), the reference parameters read as the server reads them, and the link
 * that opens the calculator with a plot's figures.
 */
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FLOOR_FORM,
  floorFormFromSearch,
  floorFromForm,
  floorToolHref,
  parametersFromReference,
  referenceFigures,
  type FloorFormValues,
} from '../../client/features/floor/floorForm.ts';
import type { ReferenceData } from '../../client/api/index.ts';
import { DEFAULT_PARAMETERS, priceFloor } from '../../shared/policy/index.ts';

const form = (over: Partial<FloorFormValues> = {}): FloorFormValues => ({
  area: '10000',
  benchmark: '800',
  cost: '3000000',
  nationalMin: '600',
  provincialMin: '',
  iab: true,
  term: '50',
  ...over,
});

describe('computing as the person types', () => {
  it('is the shared function’s result, to the fen', () => {
    const r = floorFromForm(form({ term: '20' }));
    const expected = priceFloor({ areaM2: 10_000, benchmarkYuanPerM2: 800, costYuan: 3_000_000, nationalMinYuanPerM2: 600, iab: true, termYears: 20 });
    expect(r.state).toBe('ok');
    expect(r.state === 'ok' && r.floor).toEqual(expected);
  });

  it('accepts thousands separators, spaces and full-width digits as people type them', () => {
    const r = floorFromForm(form({ area: '10,000', cost: ' 3 000 000 ', benchmark: '８００', nationalMin: '６００．００' }));
    expect(r.state === 'ok' && r.floor.floorFen).toBe(600_000_000n);
  });

  it('waits while a required figure is blank; a blank cost is "not recorded", never 0 (五(三)14)', () => {
    expect(floorFromForm(EMPTY_FLOOR_FORM).state).toBe('incomplete');
    expect(floorFromForm(form({ nationalMin: '' })).state).toBe('incomplete');
    expect(floorFromForm(form({ term: ' ' })).state).toBe('incomplete');
    const noCost = floorFromForm(form({ cost: '' }));
    expect(noCost.state === 'ok' && noCost.floor.components.costFen).toBeNull();
    expect(noCost.state === 'ok' && noCost.floor.costRecorded).toBe(false);
    // A typed 0 is a recorded cost of 0.
    const zero = floorFromForm(form({ cost: '0' }));
    expect(zero.state === 'ok' && zero.floor.costRecorded).toBe(true);
  });

  it('takes an optional provincial minimum P as a fourth term (blank: absent)', () => {
    // P = 900 × 10 000 = 9 000 000 > N 6 000 000 > 0.7·B·A 5 600 000 > C 3 000 000
    const r = floorFromForm(form({ provincialMin: '900' }));
    expect(r.state === 'ok' && r.floor.binding).toBe('provincial_minimum');
    expect(r.state === 'ok' && r.floor.floorFen).toBe(900_000_000n);
    const none = floorFromForm(form());
    expect(none.state === 'ok' && none.floor.components.provincialMinimumFen).toBeNull();
  });

  it.each([
    ['term', { term: '51' }],
    ['termYears', { term: '2.5' }],
    ['area', { area: '-1' }],
    ['area', { area: '0' }],
    ['benchmark', { benchmark: '12.345' }],
    ['nationalMin', { nationalMin: 'abc' }],
  ])('says what is wrong with a bad figure (%s)', (_what, over) => {
    const r = floorFromForm(form(over));
    expect(r.state).toBe('invalid');
    if (r.state === 'invalid') {
      expect(r.failure.messageZh).not.toBe('');
      expect(r.failure.messageEn).not.toBe('');
    }
  });

  it('uses the parameters in force (a non-IAB project takes 100 % of B)', () => {
    const iab = floorFromForm(form({ benchmark: '1500' }));
    const other = floorFromForm(form({ benchmark: '1500', iab: false }));
    expect(iab.state === 'ok' && iab.floor.components.benchmarkFen).toBe(1_050_000_000n);
    expect(other.state === 'ok' && other.floor.components.benchmarkFen).toBe(1_500_000_000n);
    const changed = floorFromForm(form({ benchmark: '1500' }), { ...DEFAULT_PARAMETERS, iabFloorFactorBp: 8000 });
    expect(changed.state === 'ok' && changed.floor.components.benchmarkFen).toBe(1_200_000_000n);
  });
});

describe('parameters from GET /api/reference', () => {
  const row = (key: string, value: string) => ({ key, value, verified: true, source: 's', clause: 'c' });

  it('reads each value with the type of its default', () => {
    const p = parametersFromReference([
      row('iabFloorFactorBp', '6500'),
      row('nationalMinimum56Enabled', 'true'),
      row('subsidyParkCapFen', '20000000000'),
    ]);
    expect(p.iabFloorFactorBp).toBe(6500);
    expect(p.nationalMinimum56Enabled).toBe(true);
    expect(p.subsidyParkCapFen).toBe(20_000_000_000n);
    expect(p.capitalizationRateBp).toBe(DEFAULT_PARAMETERS.capitalizationRateBp);
  });

  it('keeps the default for unknown keys and unreadable values', () => {
    const p = parametersFromReference([row('somethingNew', '1'), row('capitalizationRateBp', 'six'), row('subsidyParkCapFen', '1e10'), row('statutoryMaxTermYears', ' ')]);
    expect(p).toEqual(DEFAULT_PARAMETERS);
  });
});

describe('B and N from the reference data', () => {
  const ref: ReferenceData = {
    asOf: '2026-01-01',
    parameters: [],
    nationalMinimum: [{ grade: 3, yuanPerM2: 600, verified: true, source: '' }],
    districtGrades: [{ districtCode: '440112', grade: 3, verified: false, assumption: true, note: '', source: '' }],
    benchmark: [{ districtCode: '440112', landLevel: 4, yuanPerM2: 820, sample: true, source: '' }],
    provincialMinimum: [],
  };

  it('looks up B by district and level, N by the district’s grade, with their flags', () => {
    expect(referenceFigures(ref, '440112', 4)).toEqual({
      benchmark: 820,
      benchmarkSample: true,
      nationalMin: 600,
      grade: 3,
      gradeAssumption: true,
      nationalMinimumVerified: true,
      provincialMin: null,
      provincialMinimumVerified: null,
    });
  });

  it('is null when any figure is missing', () => {
    expect(referenceFigures(ref, '440112', 5)).toBeNull();
    expect(referenceFigures(ref, '440106', 4)).toBeNull();
    expect(referenceFigures({ ...ref, nationalMinimum: [] }, '440112', 4)).toBeNull();
  });
});

describe('the calculator link', () => {
  it('carries the figures and reads them back', () => {
    const href = floorToolHref({ area: '16559.37', benchmark: '820', nationalMin: '600', term: '20' });
    expect(href).toBe('/tools/floor?a=16559.37&b=820&n=600&term=20');
    expect(floorFormFromSearch(href.slice(href.indexOf('?')))).toEqual({ ...EMPTY_FLOOR_FORM, area: '16559.37', benchmark: '820', nationalMin: '600', term: '20' });
  });

  it('marks a non-IAB project, and is bare without figures', () => {
    expect(floorToolHref({ iab: false })).toBe('/tools/floor?iab=0');
    expect(floorFormFromSearch('?iab=0').iab).toBe(false);
    expect(floorToolHref({})).toBe('/tools/floor');
  });

  it('cuts absurdly long values from a hand-made link', () => {
    expect(floorFormFromSearch(`?a=${'9'.repeat(500)}`).area).toHaveLength(40);
  });
});
