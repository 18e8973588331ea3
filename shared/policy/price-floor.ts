/**
 * The land price floor (出让底价) of 五(三)14, its term correction, rent floors for long-term
 * lease and 先租后让, and the supply-price check. All money is integer fen (bigint); every
 * minimum is rounded UP to the fen once, from the exact value.
 *
 * K(n) is exact: with r = rateBp/10000 write 1 + r = p/d (p = 10000 + rateBp, d = 10000), then
 *   K(n) = (1 − (p/d)^−n) / (1 − (p/d)^−T) = (p^n − d^n) · p^(T−n) / (p^T − d^T)
 * — a ratio of bigints (T = statutory maximum, 50), so K(T) = 1 exactly and every floor is
 * reproducible to the fen on any machine. `termFactor.value` is only for display.
 */
import { validationFailed, type BilingualMessage, type ValidationFailure } from '../domain.ts';
import {
  ceilDiv,
  formatScaled,
  mulRatioCeil,
  parseMoneyField,
  ratio,
  ratioFromBp,
  ratioToNumber,
  type Ratio,
} from '../money.ts';
import { formatAreaHundredths, formatMoney, parseAreaField } from '../units.ts';
import { DEFAULT_PARAMETERS, type PolicyParameters } from './parameters.ts';
import { checkTerms, termFailure } from './supply-terms.ts';

// ---------------------------------------------------------------------------
// K(n)

export interface TermFactor {
  readonly termYears: number;
  readonly maxTermYears: number;
  readonly rateBp: number;
  /** Exact K(n) = num/den (reduced). */
  readonly num: bigint;
  readonly den: bigint;
  /** K(n) as a number, for display only. */
  readonly value: number;
}

/**
 * 五(三)14 (弹性年期出让): the annuity term factor K(n) = (1 − (1+r)^−n) / (1 − (1+r)^−T), exact
 * (see the module comment), with r = rateBp/10000 and T = maxTermYears (50). K(T) = 1 and K
 * increases with n. r = 0 gives the limit n/T. Throws RangeError unless n is an integer in
 * 1..T — validate user input first with {@link validateTermYears}.
 */
export function termFactor(
  termYears: number,
  rateBp: number = DEFAULT_PARAMETERS.capitalizationRateBp,
  maxTermYears: number = DEFAULT_PARAMETERS.statutoryMaxTermYears,
): TermFactor {
  if (!Number.isInteger(maxTermYears) || maxTermYears < 1) throw new RangeError(`termFactor: bad maximum term ${maxTermYears}`);
  if (!Number.isInteger(termYears) || termYears < 1 || termYears > maxTermYears) {
    throw new RangeError(`termFactor: term must be an integer 1..${maxTermYears}, got ${termYears}`);
  }
  if (!Number.isInteger(rateBp) || rateBp < 0) throw new RangeError(`termFactor: bad rate ${rateBp} bp`);
  let k: Ratio;
  if (rateBp === 0) {
    k = ratio(termYears, maxTermYears);
  } else {
    const p = 10_000n + BigInt(rateBp);
    const d = 10_000n;
    const n = BigInt(termYears);
    const t = BigInt(maxTermYears);
    k = ratio((p ** n - d ** n) * p ** (t - n), p ** t - d ** t);
  }
  return { termYears, maxTermYears, rateBp, num: k.num, den: k.den, value: ratioToNumber(k) };
}

/** 五(三)14: a term in years must be an integer 1..statutory maximum (50). */
export function validateTermYears(
  termYears: number,
  params: PolicyParameters = DEFAULT_PARAMETERS,
  field = 'termYears',
): { ok: true; termYears: number } | ValidationFailure {
  const max = params.statutoryMaxTermYears;
  if (!Number.isInteger(termYears) || termYears < 1 || termYears > max) {
    return validationFailed(field, `出让年限必须是 1–${max} 的整数年`, `Term must be a whole number of years from 1 to ${max}`);
  }
  return { ok: true, termYears };
}

// ---------------------------------------------------------------------------
// The floor

/** Which term of the floor binds. Ties go to the first in this order (the clause's order, then P). */
export const FLOOR_BINDING_ORDER = ['benchmark', 'cost', 'national_minimum', 'provincial_minimum'] as const;
export type FloorBinding = (typeof FLOOR_BINDING_ORDER)[number];

export const BINDING_LABEL: Record<FloorBinding, { zh: string; en: string }> = {
  benchmark: { zh: '基准地价', en: 'benchmark price' },
  cost: { zh: '土地成本', en: 'land cost' },
  national_minimum: { zh: '国家最低价', en: 'national minimum price' },
  provincial_minimum: { zh: '省最低价', en: 'provincial minimum price' },
};

export interface FloorInput {
  /** Plot area A, m² (≤ 2 decimals). */
  readonly areaM2: number | string;
  /** Industrial benchmark land price B at the plot's level, yuan/m² (≤ 2 decimals). */
  readonly benchmarkYuanPerM2: number | string;
  /**
   * C: acquisition + pre-development cost + fees due, yuan, total for the plot. `null`: not
   * recorded — the floor is then incomplete (`costRecorded: false`); never read as 0.
   */
  readonly costYuan: number | string | null;
  /** N: national minimum price for the plot's grade, yuan/m². */
  readonly nationalMinYuanPerM2: number | string;
  /**
   * P: the provincial minimum price (省规定的最低价) for the plot's grade, yuan/m², term-corrected
   * like N. `null`/absent: no provincial figure applies, and the term is left out (and said so).
   */
  readonly provincialMinYuanPerM2?: number | string | null;
  /** IAB project: factor 0.70 on B; otherwise 1.00 (both configurable). */
  readonly iab: boolean;
  /**
   * 国土资发〔2009〕56号: the project is provincially prioritised and land-intensive. The 70 %-of-N
   * factor applies only when this is true AND `params.nationalMinimum56Enabled` (default off).
   */
  readonly provincialPriority56?: boolean;
  readonly params?: PolicyParameters;
}

/** The four terms of the floor, fen, each rounded up; `null` = the term is absent. */
export interface FloorComponents {
  readonly benchmarkFen: bigint;
  /** null: the cost is not recorded (bureau) or not disclosed (public). */
  readonly costFen: bigint | null;
  readonly nationalMinimumFen: bigint;
  /** null: no provincial figure applies. */
  readonly provincialMinimumFen: bigint | null;
}

export interface PriceFloor extends BilingualMessage {
  readonly ok: true;
  /** The floor for the whole plot, fen, rounded up. */
  readonly floorFen: bigint;
  readonly floorYuan: number;
  /** floorFen / A rounded UP to the fen (so unit price × A ≥ floor). */
  readonly floorFenPerM2: bigint;
  readonly floorYuanPerM2: number;
  readonly binding: FloorBinding;
  /** Each term, fen, each rounded up: max(factor·B·A·K, C, f56·N·A·K, P·A·K). */
  readonly components: FloorComponents;
  /** false: C is not recorded — the floor is incomplete and no proposal or approval may rely on it. */
  readonly costRecorded: boolean;
  readonly areaM2: number;
  /** A in hundredths of m² (exact). */
  readonly areaHundredths: bigint;
  readonly termYears: number;
  /** K(n) for display; the exact basis is in `termFactorExact`. */
  readonly termFactor: number;
  readonly termFactorExact: { readonly num: bigint; readonly den: bigint; readonly rateBp: number; readonly maxTermYears: number };
  /** Share of B: 0.7 (IAB) or 1 (non-IAB) by default. */
  readonly factor: number;
  readonly factorBp: number;
  /** Factor on N: 1, or 0.7 when the 56号 concession applies. */
  readonly nationalMinimumFactor: number;
  readonly nationalMinimumFactorBp: number;
}

interface ParsedFloorInput {
  readonly areaH: bigint;
  readonly benchmarkFen: bigint;
  readonly costFen: bigint | null;
  readonly nationalMinFen: bigint;
  readonly provincialMinFen: bigint | null;
}

function parseFloorInput(input: FloorInput): ParsedFloorInput | ValidationFailure {
  const area = parseAreaField('areaM2', { zh: '宗地面积', en: 'Plot area' }, input.areaM2, 'positive');
  if (!area.ok) return area;
  const b = parseMoneyField('benchmarkYuanPerM2', { zh: '基准地价', en: 'Benchmark price' }, input.benchmarkYuanPerM2);
  if (!b.ok) return b;
  let costFen: bigint | null = null;
  if (input.costYuan !== null) {
    const c = parseMoneyField('costYuan', { zh: '土地成本', en: 'Land cost' }, input.costYuan);
    if (!c.ok) return c;
    costFen = c.fen;
  }
  const n = parseMoneyField('nationalMinYuanPerM2', { zh: '国家最低价', en: 'National minimum price' }, input.nationalMinYuanPerM2);
  if (!n.ok) return n;
  let provincialMinFen: bigint | null = null;
  if (input.provincialMinYuanPerM2 !== undefined && input.provincialMinYuanPerM2 !== null) {
    const pm = parseMoneyField('provincialMinYuanPerM2', { zh: '省最低价', en: 'Provincial minimum price' }, input.provincialMinYuanPerM2);
    if (!pm.ok) return pm;
    provincialMinFen = pm.fen;
  }
  return { areaH: area.hundredths, benchmarkFen: b.fen, costFen, nationalMinFen: n.fen, provincialMinFen };
}

function yuanNumber(fen: bigint): number {
  return ratioToNumber(ratio(fen, 100n));
}

/**
 * The binding term among the present ones: the largest, ties to the first in
 * {@link FLOOR_BINDING_ORDER}. Terms given as null are absent.
 */
export function bindingTerm(terms: Partial<Record<FloorBinding, bigint | null>>): { binding: FloorBinding; floorFen: bigint } {
  let best: { binding: FloorBinding; floorFen: bigint } | null = null;
  for (const b of FLOOR_BINDING_ORDER) {
    const v = terms[b];
    if (v === undefined || v === null) continue;
    if (best === null || v > best.floorFen) best = { binding: b, floorFen: v };
  }
  if (best === null) throw new RangeError('bindingTerm: no term present');
  return best;
}

/** What a floor message is made of (so each audience's message is composed, never cut). */
export interface FloorMessageParts {
  /** `floor`: the 出让底价 (bureau); `indicative`: the indicative minimum from public terms only. */
  readonly kind: 'floor' | 'indicative';
  readonly floorFen: bigint;
  readonly floorFenPerM2: bigint;
  readonly areaH: bigint;
  readonly binding: FloorBinding;
  readonly factorBp: number;
  /** Terms to list; `cost` only in a bureau message. */
  readonly components: FloorComponents;
  /** Whether the message names the cost term at all (bureau: yes; public: never). */
  readonly showCost: boolean;
  readonly termYears: number;
  readonly termFactor: number;
}

/** 五(三)14: the bilingual explanation of a floor, from its parts. */
export function floorMessage(p: FloorMessageParts): BilingualMessage {
  const label = BINDING_LABEL[p.binding];
  const kText = p.termFactor.toFixed(6);
  const pct = formatScaled(BigInt(p.factorBp), 2);
  const c = p.components;
  const zhTerms = [`基准地价×${pct}%部分 ${formatMoney(c.benchmarkFen, 'zh-CN')}`];
  const enTerms = [`benchmark × ${pct}% part ${formatMoney(c.benchmarkFen, 'en')}`];
  if (p.showCost) {
    zhTerms.push(c.costFen === null ? '土地成本 未登记' : `土地成本 ${formatMoney(c.costFen, 'zh-CN')}`);
    enTerms.push(c.costFen === null ? 'land cost not recorded' : `land cost ${formatMoney(c.costFen, 'en')}`);
  }
  zhTerms.push(`国家最低价部分 ${formatMoney(c.nationalMinimumFen, 'zh-CN')}`);
  enTerms.push(`national minimum part ${formatMoney(c.nationalMinimumFen, 'en')}`);
  zhTerms.push(c.provincialMinimumFen === null ? '省最低价 无适用标准（未计入）' : `省最低价部分 ${formatMoney(c.provincialMinimumFen, 'zh-CN')}`);
  enTerms.push(c.provincialMinimumFen === null ? 'provincial minimum: no figure applies (term absent)' : `provincial minimum part ${formatMoney(c.provincialMinimumFen, 'en')}`);
  const area = { zh: formatAreaHundredths(p.areaH, 'm2', 'zh-CN'), en: formatAreaHundredths(p.areaH, 'm2', 'en') };
  const head = p.kind === 'floor'
    ? { zh: '出让底价', en: 'Floor', by: { zh: `由${label.zh}决定`, en: `set by the ${label.en}` } }
    : { zh: '参考最低价', en: 'Indicative minimum', by: { zh: `按公开条件计算，由${label.zh}决定`, en: `from the public terms only, set by the ${label.en}` } };
  let zh =
    `${head.zh} ${formatMoney(p.floorFen, 'zh-CN')}（${formatScaled(p.floorFenPerM2, 2)} 元/平方米，面积 ${area.zh}），${head.by.zh}：` +
    `${zhTerms.join('，')}；年限 ${p.termYears} 年，K=${kText}`;
  let en =
    `${head.en} ${formatMoney(p.floorFen, 'en')} (${formatMoney(p.floorFenPerM2, 'en')}/m², area ${area.en}), ${head.by.en}: ` +
    `${enTerms.join(', ')}; term ${p.termYears} years, K=${kText}`;
  if (p.kind === 'floor' && p.showCost && c.costFen === null) {
    zh += '。土地成本未登记：底价不完整，不能据此提出或批准供地';
    en += '. The land cost is not recorded: this floor is incomplete and no allocation may be proposed or approved on it';
  }
  if (p.kind === 'indicative') {
    zh += `。${INDICATIVE_CAVEAT.zh}`;
    en += `. ${INDICATIVE_CAVEAT.en}`;
  }
  return { messageZh: zh, messageEn: en };
}

/** What the public and investors are told with every indicative minimum (POLICY.md "Who may see what"). */
export const INDICATIVE_CAVEAT = {
  zh: '参考最低价仅按公开条件（基准地价、国家及省最低价）计算；最终出让底价由局方集体决策确定，可能更高',
  en: 'The indicative minimum uses the public terms only (benchmark share, national and provincial minimum); the final reserve price (出让底价) is set by the bureau and may be higher',
} as const;

function computeFloor(x: ParsedFloorInput, iab: boolean, priority56: boolean, k: TermFactor, p: PolicyParameters): PriceFloor {
  const factorBp = iab ? p.iabFloorFactorBp : p.nonIabFloorFactorBp;
  const f = ratioFromBp(factorBp);
  const nFactorBp = priority56 && p.nationalMinimum56Enabled ? p.nationalMinimum56FactorBp : 10_000;
  const nf = ratioFromBp(nFactorBp);
  // fen/m² × (hundredths of m²)/100 × factor × K, one ceiling each.
  const benchmarkFen = ceilDiv(x.benchmarkFen * x.areaH * f.num * k.num, 100n * f.den * k.den);
  const nationalMinimumFen = ceilDiv(x.nationalMinFen * x.areaH * nf.num * k.num, 100n * nf.den * k.den);
  // P × A × K (term-corrected like N; the 56号 factor is about N only), rounded up.
  const provincialMinimumFen = x.provincialMinFen === null ? null : ceilDiv(x.provincialMinFen * x.areaH * k.num, 100n * k.den);
  const costFen = x.costFen;
  const components: FloorComponents = { benchmarkFen, costFen, nationalMinimumFen, provincialMinimumFen };
  const { binding, floorFen } = bindingTerm({ benchmark: benchmarkFen, cost: costFen, national_minimum: nationalMinimumFen, provincial_minimum: provincialMinimumFen });
  const floorFenPerM2 = ceilDiv(floorFen * 100n, x.areaH);
  return {
    ok: true,
    floorFen,
    floorYuan: yuanNumber(floorFen),
    floorFenPerM2,
    floorYuanPerM2: yuanNumber(floorFenPerM2),
    binding,
    components,
    costRecorded: costFen !== null,
    areaM2: Number(x.areaH) / 100,
    areaHundredths: x.areaH,
    termYears: k.termYears,
    termFactor: k.value,
    termFactorExact: { num: k.num, den: k.den, rateBp: k.rateBp, maxTermYears: k.maxTermYears },
    factor: factorBp / 10_000,
    factorBp,
    nationalMinimumFactor: nFactorBp / 10_000,
    nationalMinimumFactorBp: nFactorBp,
    ...floorMessage({ kind: 'floor', floorFen, floorFenPerM2, areaH: x.areaH, binding, factorBp, components, showCost: true, termYears: k.termYears, termFactor: k.value }),
  };
}

/**
 * 五(三)14: the land price floor for a plot supplied for `termYears` (default 50):
 *   floor = max(factor × B × A × K(n), C, f56 × N × A × K(n), P × A × K(n))
 * factor = 0.70 for IAB, 1.00 otherwise; f56 = 0.70 only under 国土资发〔2009〕56号 (default
 * off), else 1; P (省规定的最低价) only when a provincial figure applies. Each land-value term
 * is rounded UP to the fen from its exact value; C (the cost) is never term-corrected, and a C
 * of null (not recorded) leaves the floor incomplete (`costRecorded: false`), never 0. Ties name the first term in {@link FLOOR_BINDING_ORDER}.
 * Invalid input returns a {@link ValidationFailure} naming the field.
 */
export function priceFloor(input: FloorInput & { readonly termYears?: number }): PriceFloor | ValidationFailure {
  const params = input.params ?? DEFAULT_PARAMETERS;
  const x = parseFloorInput(input);
  if ('ok' in x) return x;
  const term = validateTermYears(input.termYears ?? params.statutoryMaxTermYears, params);
  if (!term.ok) return term;
  const k = termFactor(term.termYears, params.capitalizationRateBp, params.statutoryMaxTermYears);
  return computeFloor(x, input.iab, input.provincialPriority56 === true, k, params);
}

// ---------------------------------------------------------------------------
// Supply price check

export interface PriceBelowFloor extends BilingualMessage {
  readonly ok: false;
  readonly code: 'BELOW_PRICE_FLOOR';
  readonly priceFen: bigint;
  readonly floorFen: bigint;
  readonly shortfallFen: bigint;
}

/**
 * 五(三)14 ("不低于…的原则确定"): a supply (transfer) price below the floor is refused, with the
 * floor in the error. Equal to the floor is allowed.
 */
export function checkSupplyPrice(input: {
  readonly priceYuan: number | string;
  readonly floorFen: bigint;
}): { ok: true; priceFen: bigint; marginFen: bigint } | PriceBelowFloor | ValidationFailure {
  const price = parseMoneyField('priceYuan', { zh: '出让价格', en: 'Supply price' }, input.priceYuan);
  if (!price.ok) return price;
  if (price.fen >= input.floorFen) return { ok: true, priceFen: price.fen, marginFen: price.fen - input.floorFen };
  return {
    ok: false,
    code: 'BELOW_PRICE_FLOOR',
    priceFen: price.fen,
    floorFen: input.floorFen,
    shortfallFen: input.floorFen - price.fen,
    messageZh: `出让价格 ${formatMoney(price.fen, 'zh-CN')} 低于出让底价 ${formatMoney(input.floorFen, 'zh-CN')}`,
    messageEn: `Supply price ${formatMoney(price.fen, 'en')} is below the floor ${formatMoney(input.floorFen, 'en')}`,
  };
}

// ---------------------------------------------------------------------------
// Rent floors: long-term lease and 先租后让

export interface RentFloor extends BilingualMessage {
  readonly ok: true;
  /** rentShare × the 50-year floor, rounded UP to the fen. */
  readonly annualRentFloorFen: bigint;
  readonly annualRentFloorYuan: number;
  readonly rentShareBp: number;
  /** The 50-year floor the rent is derived from, with its components. */
  readonly floor50: PriceFloor;
}

function rentFrom(floor50: PriceFloor, p: PolicyParameters): RentFloor {
  const annualRentFloorFen = mulRatioCeil(floor50.floorFen, ratioFromBp(p.rentFloorShareBp));
  const share = formatScaled(BigInt(p.rentFloorShareBp), 2);
  return {
    ok: true,
    annualRentFloorFen,
    annualRentFloorYuan: yuanNumber(annualRentFloorFen),
    rentShareBp: p.rentFloorShareBp,
    floor50,
    messageZh: `年租金底价 ${formatMoney(annualRentFloorFen, 'zh-CN')}（${p.statutoryMaxTermYears}年期出让底价 ${formatMoney(floor50.floorFen, 'zh-CN')} × ${share}%）`,
    messageEn: `Annual rent floor ${formatMoney(annualRentFloorFen, 'en')} (${share}% of the ${p.statutoryMaxTermYears}-year floor ${formatMoney(floor50.floorFen, 'en')})`,
  };
}

/**
 * 五(三)14 (租赁): the annual rent floor = rentShare (2 %) × the floor at the statutory maximum
 * term (50 years), rounded UP to the fen. The 50-year floor is first rounded up to the fen
 * itself; the 2 % is taken of that figure.
 */
export function rentFloor(input: FloorInput): RentFloor | ValidationFailure {
  const params = input.params ?? DEFAULT_PARAMETERS;
  const floor50 = priceFloor({ ...input, termYears: params.statutoryMaxTermYears });
  return floor50.ok ? rentFrom(floor50, params) : floor50;
}

export interface LongTermLease extends RentFloor {
  readonly leaseYears: number;
  /** annualRentFloorFen × leaseYears, for information. */
  readonly totalRentFloorFen: bigint;
}

/**
 * 五(三)14 (长期租赁): a long-term lease of 5–20 whole years (configurable; the rule is
 * `termRule` in supply-terms.ts); returns the annual rent floor (see {@link rentFloor}) and its total over the lease.
 */
export function longTermLease(input: FloorInput & { readonly leaseYears: number }): LongTermLease | ValidationFailure {
  const terms = checkTerms('long_term_lease', { termYears: input.leaseYears, leaseYears: null }, input.params ?? DEFAULT_PARAMETERS);
  if (!terms.ok) return termFailure('long_term_lease', terms.problem);
  const rent = rentFloor(input);
  if (!rent.ok) return rent;
  return { ...rent, leaseYears: input.leaseYears, totalRentFloorFen: rent.annualRentFloorFen * BigInt(input.leaseYears) };
}

export interface LeaseThenTransfer extends BilingualMessage {
  readonly ok: true;
  readonly leaseYears: number;
  readonly transferYears: number;
  /** Annual rent floor during the lease (2 % of the 50-year floor, rounded up). */
  readonly annualRentFloorFen: bigint;
  /** annualRentFloorFen × leaseYears. */
  readonly leaseRentFloorTotalFen: bigint;
  /** The transfer floor for the remaining term, K(transferYears). */
  readonly transferFloor: PriceFloor;
  readonly rent: RentFloor;
}

/**
 * 五(三)14 (先租后让): lease for `leaseYears`, then transfer for `transferYears`; both whole
 * years ≥ 1 and lease + transfer ≤ 50 (the statutory maximum; `termRule` in supply-terms.ts). Returns the lease's annual rent
 * floor (2 % of the 50-year floor) and the transfer floor term-corrected with K(transferYears).
 */
export function leaseThenTransfer(
  input: FloorInput & { readonly leaseYears: number; readonly transferYears: number },
): LeaseThenTransfer | ValidationFailure {
  const terms = checkTerms('lease_then_transfer', { termYears: input.transferYears, leaseYears: input.leaseYears }, input.params ?? DEFAULT_PARAMETERS);
  if (!terms.ok) return termFailure('lease_then_transfer', terms.problem);
  const rent = rentFloor(input);
  if (!rent.ok) return rent;
  const transferFloor = priceFloor({ ...input, termYears: input.transferYears });
  if (!transferFloor.ok) return transferFloor;
  return {
    ok: true,
    leaseYears: input.leaseYears,
    transferYears: input.transferYears,
    annualRentFloorFen: rent.annualRentFloorFen,
    leaseRentFloorTotalFen: rent.annualRentFloorFen * BigInt(input.leaseYears),
    transferFloor,
    rent,
    messageZh: `先租后让：租赁 ${input.leaseYears} 年，${rent.messageZh}；出让 ${input.transferYears} 年，${transferFloor.messageZh}`,
    messageEn: `Lease then transfer: lease ${input.leaseYears} years, ${rent.messageEn}; transfer ${input.transferYears} years, ${transferFloor.messageEn}`,
  };
}
