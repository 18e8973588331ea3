import { describe, expect, it } from 'vitest';
import { facilitiesRatioCheck, type FacilitiesInput } from '../../../shared/policy/index.ts';

/** A 10 000 m² project by a park operator in a recognized park, with 1 500 m² of facilities. */
const project = (over: Partial<FacilitiesInput> = {}): FacilitiesInput => ({
  facilitiesFloorAreaM2: 1500,
  totalFloorAreaM2: 10_000,
  inRecognizedPark: true,
  byParkOperator: true,
  ...over,
});

describe('五(三)13 supporting facilities ratio: 15 % for a park operator in a recognized park, else 14 %', () => {
  it.each([
    // 1 500 / 10 000 = 15 % exactly: allowed
    ['operator in park, exactly 15 %', {}, true, 0.15],
    // 1 500.01 / 10 000 = 15.0001 % > 15 %
    ['operator in park, one cent over', { facilitiesFloorAreaM2: '1500.01' }, false, 0.15],
    // not the operator: 14 % applies; 1 400 / 10 000 = 14 %
    ['not the operator, exactly 14 %', { byParkOperator: false, facilitiesFloorAreaM2: 1400 }, true, 0.14],
    ['not the operator, 15 %', { byParkOperator: false }, false, 0.14],
    // the operator, but outside a recognized park: 14 %
    ['operator outside a recognized park, 15 %', { inRecognizedPark: false }, false, 0.14],
    ['no facilities at all', { facilitiesFloorAreaM2: 0 }, true, 0.15],
  ] as const)('%s → ok %s (limit %s)', (_n, over, accepted, limit) => {
    const r = facilitiesRatioCheck(project(over));
    expect(r.ok).toBe(accepted);
    expect(r).toMatchObject({ limit });
  });

  it('reports the headroom within the limit', () => {
    // 15 % of 10 000 = 1 500; 1 500 − 1 200 = 300 m²
    expect(facilitiesRatioCheck(project({ facilitiesFloorAreaM2: 1200 }))).toEqual({ ok: true, ratio: 0.12, limit: 0.15, limitBp: 1500, headroomM2: 300 });
  });

  it('refuses with the ratio (rounded up, so never shown equal to the limit) and the limit', () => {
    const r = facilitiesRatioCheck(project({ facilitiesFloorAreaM2: '1500.01' }));
    expect(r).toMatchObject({ ok: false, code: 'FACILITIES_RATIO_EXCEEDED', ratio: 0.150001, limit: 0.15, limitBp: 1500, maxFacilitiesM2: 1500 });
    // 1 500.01 / 10 000 = 15.0001 % → shown rounded up as 15.01 %
    expect('messageZh' in r ? r.messageZh : '').toBe('配套设施建筑面积占比 15.01%，超过上限 15.00%（最多 1,500.00 平方米）');
    expect('messageEn' in r ? r.messageEn : '').toBe('Supporting facilities take 15.01% of the floor area, over the 15.00% limit (at most 1,500.00 m²)');
  });

  it('rounds the allowed maximum down to the cent: 14 % of 333.33 = 46.6662 → 46.66', () => {
    expect(facilitiesRatioCheck(project({ byParkOperator: false, totalFloorAreaM2: '333.33', facilitiesFloorAreaM2: '46.67' }))).toMatchObject({
      ok: false,
      maxFacilitiesM2: 46.66,
    });
    expect(facilitiesRatioCheck(project({ byParkOperator: false, totalFloorAreaM2: '333.33', facilitiesFloorAreaM2: '46.66' })).ok).toBe(true);
  });

  it.each([
    ['totalFloorAreaM2', { totalFloorAreaM2: 0 }],
    ['facilitiesFloorAreaM2', { facilitiesFloorAreaM2: -1 }],
    ['facilitiesFloorAreaM2', { facilitiesFloorAreaM2: 10_000.01 }],
    ['totalFloorAreaM2', { totalFloorAreaM2: Number.NaN }],
  ] as const)('validates %s', (field, over) => {
    expect(facilitiesRatioCheck(project(over))).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', field });
  });
});
