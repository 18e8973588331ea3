/**
 * Idle land (闲置土地) after a sale, as 《闲置土地处置办法》(国土资源部令第53号, 2012) defines it:
 *
 * - art. 2: land is idle when its development has not started (动工开发) one full year after the
 *   start date agreed in the contract, or when it was started but less than ⅓ of the area was
 *   developed or less than 25 % of the total investment made, and development then stopped for
 *   one full year;
 * - art. 14: idle one full year → 土地闲置费 of 20 % of the land price; idle two full years →
 *   repossession without compensation (无偿收回). Both are decisions an officer records with a
 *   document number: this module says which stage a plot is in, never decides for the bureau;
 * - art. 8: a delay caused by the government (late handover, a change of plan, …) is recorded with
 *   its cause; it moves the dates by the recorded days and never yields a fee.
 *
 * "One full year" is counted as 《民法典》art. 201 counts periods: from the day after the agreed
 * date, ending on the same date a year later (the month's last day when there is none, e.g. from
 * 29 February); the land is idle from the day after that. So 365 days late is still `overdue` in an
 * ordinary year, and 366 days late is `overdue` when the year held a 29 February.
 *
 * Pure: dates are the bureau's calendar days 'YYYY-MM-DD'; money in fen; areas in m².
 */
import { isIsoDate } from '../dates.ts';
import { fenToYuanString, roundHalfUpDiv } from '../money.ts';

export const IDLE_STAGES = ['on_track', 'overdue', 'idle_fee', 'reclaim'] as const;
/** `on_track`: nothing late; `overdue`: past the agreed start, not yet a full year (the red warning); `idle_fee`/`reclaim`: art. 14. */
export type IdleStage = (typeof IDLE_STAGES)[number];

/** Why the land is late: never started, or started and stopped short of ⅓ of the area / 25 % of the investment. */
export type IdleKind = 'not_started' | 'stalled';

/** 20 % of the land price (art. 14), in basis points. */
export const IDLE_FEE_BP = 2000n;

export interface ProgressReport {
  /** The day the figures were recorded. */
  on: string;
  /** Area developed so far, m². */
  developedAreaM2: number;
  /** Investment made so far, fen. */
  investedFen: bigint;
}

export interface IdleInput {
  /** The start date agreed in the contract (约定动工开发日期). */
  agreedStartOn: string;
  /** The land price (出让价款), fen: the base of the fee. */
  priceFen: bigint;
  /** The plot's area, m² (the base of the ⅓ test). */
  areaM2: number;
  /** The agreed total investment, fen; null when the contract names none (then only the area test applies). */
  totalInvestmentFen: bigint | null;
  /** The day development started (动工开发, art. 30), or null. */
  startedOn: string | null;
  /** Progress figures after the start, any order. */
  progress: readonly ProgressReport[];
  /** The day construction was completed (竣工), or null. */
  completedOn: string | null;
  /** Recorded government-caused delays (art. 8), in days each. */
  governmentDelayDays: readonly number[];
  /** The day to judge on. */
  asOf: string;
}

export interface IdleAssessment {
  stage: IdleStage;
  kind: IdleKind | null;
  /** Days past the deadline that counts: the delay-adjusted agreed start (not started) or the last progress (stalled); 0 when on track. */
  daysLate: number;
  /** The agreed start moved by the recorded government delays. */
  adjustedStartOn: string;
  governmentDelayDays: number;
  /** First day the land counts as idle (art. 2), and first day of the two-year mark; null when on track. */
  idleFrom: string | null;
  reclaimFrom: string | null;
  /** 土地闲置费 at 20 % of the price, to the fen (half up), in stage `idle_fee` only. Government delays move the dates first, so they never add to it. */
  feeFen: bigint | null;
  basisZh: string;
  basisEn: string;
}

const DAY_MS = 86_400_000;

function dayNumber(iso: string, field: string): number {
  if (!isIsoDate(iso)) throw new RangeError(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(iso)}`);
  return Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
}

const fromDayNumber = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

/** `iso` plus `days` calendar days. */
export function addDays(iso: string, days: number): string {
  return fromDayNumber(dayNumber(iso, 'date') + days);
}

/** The same date `years` later; the month's last day when it has no such date (民法典 art. 201). */
export function addYears(iso: string, years: number): string {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** Days from `a` to `b` (b − a). */
export function daysBetween(a: string, b: string): number {
  return dayNumber(b, 'date') - dayNumber(a, 'date');
}

/** 20 % of the price, to the fen, half up. */
export function idleFeeFen(priceFen: bigint): bigint {
  if (priceFen < 0n) throw new RangeError('priceFen must not be negative');
  return roundHalfUpDiv(priceFen * IDLE_FEE_BP, 10000n);
}

/** Whether the last progress is short of art. 2's marks: < ⅓ of the area developed, or < 25 % of the investment made. */
export function belowDevelopmentMarks(p: ProgressReport | null, areaM2: number, totalInvestmentFen: bigint | null): boolean {
  const developed = p?.developedAreaM2 ?? 0;
  const invested = p?.investedFen ?? 0n;
  const areaShort = developed * 3 < areaM2;
  const investmentShort = totalInvestmentFen !== null && invested * 4n < totalInvestmentFen;
  return areaShort || investmentShort;
}

const ART = {
  zh: '《闲置土地处置办法》（国土资源部令第53号）',
  en: 'Measures on the Disposal of Idle Land (MLR Order No. 53)',
};

function basis(stage: IdleStage, kind: IdleKind | null, delayDays: number, fee: bigint | null): { zh: string; en: string } {
  const delay = delayDays > 0
    ? { zh: `；政府原因延误 ${delayDays} 日已顺延，不计入闲置期（第八条）`, en: `; a government-caused delay of ${delayDays} days moves the dates and does not count as idle time (art. 8)` }
    : { zh: '', en: '' };
  const what = kind === 'stalled'
    ? { zh: '已动工但开发面积不足三分之一或投资额不足百分之二十五，中止开发建设', en: 'started, but less than ⅓ of the area developed or less than 25 % of the investment made, and development stopped' }
    : { zh: '超过约定动工开发日期未动工开发', en: 'not started (动工开发, art. 30) after the agreed start date' };
  switch (stage) {
    case 'on_track':
      return { zh: `未逾期${delay.zh}`, en: `Not late${delay.en}` };
    case 'overdue':
      return { zh: `${what.zh}，未满一年：预警${delay.zh}（${ART.zh}第二条）`, en: `${what.en}, less than one full year: warning${delay.en} (${ART.en}, art. 2)` };
    case 'idle_fee':
      return {
        zh: `${what.zh}满一年，构成闲置土地，按出让价款的20%征缴土地闲置费${fee === null ? '' : `（${fenToYuanString(fee)}元）`}${delay.zh}（${ART.zh}第二条、第十四条）`,
        en: `${what.en} for one full year: idle land, 土地闲置费 of 20 % of the land price${fee === null ? '' : ` (¥${fenToYuanString(fee)})`}${delay.en} (${ART.en}, arts. 2 and 14)`,
      };
    case 'reclaim':
      return { zh: `${what.zh}满两年，可无偿收回国有建设用地使用权，待决定${delay.zh}（${ART.zh}第十四条）`, en: `${what.en} for two full years: the land may be repossessed without compensation, pending a decision${delay.en} (${ART.en}, art. 14)` };
  }
}

/**
 * The idle-land stage of an allocation on `asOf`. Throws a RangeError on a malformed date or a
 * negative figure (the caller validates input first and answers 400).
 */
export function assessIdleLand(input: IdleInput): IdleAssessment {
  const asOf = fromDayNumber(dayNumber(input.asOf, 'asOf'));
  dayNumber(input.agreedStartOn, 'agreedStartOn');
  for (const d of input.governmentDelayDays) {
    if (!Number.isInteger(d) || d < 0) throw new RangeError(`a government delay must be a whole number of days ≥ 0, got ${d}`);
  }
  const delayDays = input.governmentDelayDays.reduce((a, b) => a + b, 0);
  const adjustedStartOn = addDays(input.agreedStartOn, delayDays);
  const result = (stage: IdleStage, kind: IdleKind | null, from: string | null): IdleAssessment => {
    const late = from === null ? 0 : Math.max(0, daysBetween(from, asOf));
    const idleFrom = from === null || stage === 'on_track' ? null : addDays(addYears(from, 1), 1);
    const reclaimFrom = from === null || stage === 'on_track' ? null : addDays(addYears(from, 2), 1);
    const fee = stage === 'idle_fee' ? idleFeeFen(input.priceFen) : null;
    const b = basis(stage, kind, delayDays, fee);
    return { stage, kind, daysLate: late, adjustedStartOn, governmentDelayDays: delayDays, idleFrom, reclaimFrom, feeFen: fee, basisZh: b.zh, basisEn: b.en };
  };
  /** The stage for land late since the end of day `from`. */
  const stageSince = (from: string): IdleStage => {
    if (asOf <= from) return 'on_track';
    if (asOf <= addYears(from, 1)) return 'overdue';
    if (asOf <= addYears(from, 2)) return 'idle_fee';
    return 'reclaim';
  };

  if (input.completedOn !== null && input.completedOn <= asOf) return result('on_track', null, null);
  const started = input.startedOn !== null && input.startedOn <= asOf ? input.startedOn : null;
  if (started === null) {
    const stage = stageSince(adjustedStartOn);
    return result(stage, stage === 'on_track' ? null : 'not_started', stage === 'on_track' ? null : adjustedStartOn);
  }
  // Started: idle only if stopped a full year short of the marks; the clock runs from the last progress (or the start).
  const reports = input.progress.filter((p) => p.on <= asOf).slice().sort((a, b) => (a.on < b.on ? -1 : a.on > b.on ? 1 : 0));
  const last = reports.at(-1) ?? null;
  if (!belowDevelopmentMarks(last, input.areaM2, input.totalInvestmentFen)) return result('on_track', null, null);
  const stoppedSince = addDays(last && last.on > started ? last.on : started, delayDays);
  const stage = stageSince(stoppedSince);
  // A stop of less than a year is not a warning of its own: the land is being developed.
  if (stage === 'overdue' || stage === 'on_track') return result('on_track', null, null);
  return result(stage, 'stalled', stoppedSince);
}
