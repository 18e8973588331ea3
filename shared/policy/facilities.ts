/**
 * Supporting facilities ratio of 五(三)13: for a value-innovation park's development operator,
 * "配套设施建筑面积占项目总建筑面积的比例可从14%提高到15%". Compared exactly in integer
 * hundredths of m² against a ratio in basis points.
 */
import { validationFailed, type BilingualMessage, type ValidationFailure } from '../domain.ts';
import { ceilDiv, floorDiv, formatScaled } from '../money.ts';
import { formatAreaHundredths, parseAreaField } from '../units.ts';
import { DEFAULT_PARAMETERS, type PolicyParameters } from './parameters.ts';

export interface FacilitiesInput {
  /** Floor area of supporting facilities (talent apartments, schools, clinics, shops…), m². */
  readonly facilitiesFloorAreaM2: number | string;
  /** The project's total floor area, m² (> 0). */
  readonly totalFloorAreaM2: number | string;
  /** The project is in a value-innovation park of any tier (core, equal_policy, recognized). */
  readonly inRecognizedPark: boolean;
  /** The project is by the park's development/operating entity (开发运营主体). */
  readonly byParkOperator: boolean;
  readonly params?: PolicyParameters;
}

export interface FacilitiesOk {
  readonly ok: true;
  /** facilities / total, for display. */
  readonly ratio: number;
  readonly limit: number;
  readonly limitBp: number;
  /** Facilities floor area that could still be added within the limit, m² (rounded down). */
  readonly headroomM2: number;
}

export interface FacilitiesExceeded extends BilingualMessage {
  readonly ok: false;
  readonly code: 'FACILITIES_RATIO_EXCEEDED';
  readonly ratio: number;
  readonly limit: number;
  readonly limitBp: number;
  /** Largest facilities floor area allowed, m² (rounded down to the cent). */
  readonly maxFacilitiesM2: number;
}

/**
 * 五(三)13: the limit is 15 % only for a park operator's project in a recognized park (both
 * flags); 14 % otherwise (both configurable). Exactly at the limit is allowed. The ratio in
 * the message is shown rounded UP to 0.01 %, so an excess never displays as equal to the limit.
 */
export function facilitiesRatioCheck(input: FacilitiesInput): FacilitiesOk | FacilitiesExceeded | ValidationFailure {
  const p = input.params ?? DEFAULT_PARAMETERS;
  const fac = parseAreaField('facilitiesFloorAreaM2', { zh: '配套设施建筑面积', en: 'Facilities floor area' }, input.facilitiesFloorAreaM2);
  if (!fac.ok) return fac;
  const total = parseAreaField('totalFloorAreaM2', { zh: '项目总建筑面积', en: 'Total floor area' }, input.totalFloorAreaM2, 'positive');
  if (!total.ok) return total;
  const f = fac.hundredths;
  const t = total.hundredths;
  if (f > t) {
    return validationFailed('facilitiesFloorAreaM2', '配套设施建筑面积不能超过项目总建筑面积', 'Facilities floor area must not exceed the total floor area');
  }
  const limitBp = input.inRecognizedPark && input.byParkOperator ? p.facilitiesRatioParkOperatorBp : p.facilitiesRatioDefaultBp;
  const maxH = floorDiv(t * BigInt(limitBp), 10_000n);
  const ratio = Number(f) / Number(t);
  const limit = limitBp / 10_000;
  if (f * 10_000n <= t * BigInt(limitBp)) {
    return { ok: true, ratio, limit, limitBp, headroomM2: Number(maxH - f) / 100 };
  }
  const pct = formatScaled(ceilDiv(f * 10_000n, t), 2); // ratio in hundredths of a percent, rounded up
  const lim = formatScaled(BigInt(limitBp), 2);
  return {
    ok: false,
    code: 'FACILITIES_RATIO_EXCEEDED',
    ratio,
    limit,
    limitBp,
    maxFacilitiesM2: Number(maxH) / 100,
    messageZh: `配套设施建筑面积占比 ${pct}%，超过上限 ${lim}%（最多 ${formatAreaHundredths(maxH, 'm2', 'zh-CN')}）`,
    messageEn: `Supporting facilities take ${pct}% of the floor area, over the ${lim}% limit (at most ${formatAreaHundredths(maxH, 'm2', 'en')})`,
  };
}
