/**
 * The price floor for an allocation's terms (五(三)14): the supply mode's term rules, the floor
 * or rent floor from the shared policy, and the checks of the offered price against them.
 * Pure: the plot's figures and the parameters in force come from the caller.
 */
import type { AllocationMode } from '../../kernel/db/schema.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import type { ValidationFailure } from '../../../shared/domain.ts';
import { fenToYuan } from '../../../shared/money.ts';
import { formatMoney } from '../../../shared/units.ts';
import {
  checkSupplyPrice,
  checkTerms,
  floorChecksFor,
  supplyFloors,
  type FloorBinding,
  type PolicyParameters,
  type RentFloor,
  type SupplyFloorLine,
} from '../../../shared/policy/index.ts';
import type { ReferenceSet } from '../reference/service.ts';
import { floorResponse, policyFailure, type PlotFloorBasis } from '../quotes/service.ts';

const both = (en: string, zh: string) => `${en} (${zh})`;

export interface Terms {
  mode: AllocationMode;
  termYears: number;
  leaseYears: number | null;
  priceYuan: number | string;
  annualRentYuan: number | string | null;
  iab: boolean;
}

export interface FloorCheck {
  /** `price`: the supply price against the (term-corrected) floor; `annual_rent`: a rent against the rent floor. */
  subject: 'price' | 'annual_rent';
  offeredYuan: number;
  floorYuan: number;
  ok: boolean;
  shortfallYuan: number;
}

type FloorJson = ReturnType<typeof floorResponse>;

export interface FloorEvaluation {
  mode: AllocationMode;
  termYears: number;
  leaseYears: number | null;
  /** The figure the decisive check compares with: the price floor, or for a long-term lease the annual rent floor. */
  floorYuan: number;
  /** Which term of max(0.7·B·A·K, C, N·A·K) binds. */
  binding: FloorBinding;
  /** The land price floor used: K(term) for transfer modes, the 50-year floor behind a rent. */
  priceFloor: FloorJson;
  rentFloor: { annualRentFloorYuan: number; rentShareBp: number; messageZh: string; messageEn: string } | null;
  checks: FloorCheck[];
  ok: boolean;
  messageZh: string;
  messageEn: string;
}

const money = (fen: bigint, locale: 'zh-CN' | 'en') => formatMoney(fen, locale);

function fail(f: ValidationFailure, field?: string): never {
  throw policyFailure(field ? { ...f, field } : f);
}

function check(subject: FloorCheck['subject'], offered: number | string, floorFen: bigint, field: string): FloorCheck & { priceFen: bigint } {
  const c = checkSupplyPrice({ priceYuan: offered, floorFen });
  if (!c.ok && c.code === 'VALIDATION_FAILED') fail(c, field);
  const priceFen = c.priceFen;
  return {
    subject,
    offeredYuan: fenToYuan(priceFen),
    floorYuan: fenToYuan(floorFen),
    ok: c.ok,
    shortfallYuan: c.ok ? 0 : fenToYuan(c.shortfallFen),
    priceFen,
  };
}

function rentJson(r: RentFloor) {
  return { annualRentFloorYuan: fenToYuan(r.annualRentFloorFen), rentShareBp: r.rentShareBp, messageZh: r.messageZh, messageEn: r.messageEn };
}

/**
 * The mode's term rules and floors for a plot's figures. Term problems → 400 naming the field;
 * otherwise the evaluation, `ok` false when the price or rent is below its floor.
 */
export function evaluateFloor(basis: PlotFloorBasis, params: PolicyParameters, t: Terms): FloorEvaluation {
  const figures = { areaM2: basis.areaM2, benchmarkYuanPerM2: basis.benchmarkYuanPerM2, costYuan: basis.costYuan, nationalMinYuanPerM2: basis.nationalMinYuanPerM2, provincialMinYuanPerM2: basis.provincialMinYuanPerM2, iab: t.iab, params };
  // Which fields and checks the mode takes, and its term rule, are shared/policy's; the words are ours.
  const fields = floorChecksFor(t.mode);
  const terms = checkTerms(t.mode, { termYears: t.termYears, leaseYears: t.leaseYears }, params);
  const problem = terms.ok ? null : terms.problem;
  if (problem?.code === 'LEASE_YEARS_NOT_ALLOWED') throw badRequest(`leaseYears is only for mode lease_then_transfer (先租后让); remove it for ${t.mode}.`, { field: 'leaseYears' });
  if (!fields.annualRentField && t.annualRentYuan !== null) {
    throw badRequest(`annualRentYuan is only for mode lease_then_transfer; ${t.mode === 'long_term_lease' ? 'for a long-term lease priceYuan is the annual rent' : `remove it for ${t.mode}`}.`, { field: 'annualRentYuan' });
  }
  if (problem?.code === 'LEASE_YEARS_REQUIRED') throw badRequest('leaseYears is required for mode lease_then_transfer (先租后让): the years of lease before the transfer.', { field: 'leaseYears' });
  if (fields.annualRentField && t.annualRentYuan === null) throw badRequest('annualRentYuan is required for mode lease_then_transfer: the annual rent during the lease.', { field: 'annualRentYuan' });
  if (problem?.code === 'TERM_NOT_STATUTORY') {
    throw badRequest(`A transfer (出让) is for the statutory ${problem.statutory} years; for ${t.termYears} years use mode flexible_term (弹性年期出让).`, { field: 'termYears' });
  }
  if (problem?.code === 'TERM_OUT_OF_RANGE' && t.mode === 'flexible_term') {
    throw badRequest(`A flexible-term transfer (弹性年期出让) is for ${problem.min}–${problem.max} whole years; for ${problem.max + 1} years use mode transfer.`, { field: 'termYears' });
  }
  // Any other term problem comes back from supplyFloors in both languages.
  const floors = supplyFloors(figures, t.mode, { termYears: t.termYears, leaseYears: t.leaseYears });
  if (!floors.ok) fail(floors, floors.field === 'transferYears' || t.mode !== 'lease_then_transfer' ? 'termYears' : floors.field);
  const offered = (l: SupplyFloorLine) => (l.field === 'annualRentYuan' ? t.annualRentYuan! : t.priceYuan);
  const checked = floors.lines.map((l) => check(l.subject, offered(l), l.floorFen, l.field));

  switch (floors.mode) {
    case 'transfer':
    case 'flexible_term': {
      const { floor } = floors;
      const [c] = checked as [ReturnType<typeof check>];
      const below = checkSupplyPrice({ priceYuan: t.priceYuan, floorFen: floor.floorFen });
      return {
        mode: floors.mode, termYears: t.termYears, leaseYears: null, floorYuan: c.floorYuan, binding: floor.binding,
        priceFloor: floorResponse(floor), rentFloor: null, checks: [strip(c)], ok: c.ok,
        messageZh: below.ok ? floor.messageZh : `${below.messageZh}。${floor.messageZh}`,
        messageEn: below.ok ? floor.messageEn : `${below.messageEn}. ${floor.messageEn}`,
      };
    }
    case 'long_term_lease': {
      const { lease } = floors;
      const [c] = checked as [ReturnType<typeof check>];
      const zh = c.ok ? lease.messageZh : `年租金 ${money(c.priceFen, 'zh-CN')} 低于年租金底价 ${money(lease.annualRentFloorFen, 'zh-CN')}`;
      const en = c.ok ? lease.messageEn : `Annual rent ${money(c.priceFen, 'en')} is below the annual rent floor ${money(lease.annualRentFloorFen, 'en')}`;
      return {
        mode: floors.mode, termYears: t.termYears, leaseYears: null, floorYuan: c.floorYuan, binding: lease.floor50.binding,
        priceFloor: floorResponse(lease.floor50), rentFloor: rentJson(lease), checks: [strip(c)], ok: c.ok,
        messageZh: c.ok ? `${lease.messageZh}。${lease.floor50.messageZh}` : `${zh}。${lease.messageZh}。${lease.floor50.messageZh}`,
        messageEn: c.ok ? `${lease.messageEn}. ${lease.floor50.messageEn}` : `${en}. ${lease.messageEn}. ${lease.floor50.messageEn}`,
      };
    }
    case 'lease_then_transfer': {
      const { ltt } = floors;
      const [rent, price] = checked as [ReturnType<typeof check>, ReturnType<typeof check>];
      const parts: { zh: string[]; en: string[] } = { zh: [], en: [] };
      if (!rent.ok) {
        parts.zh.push(`年租金 ${money(rent.priceFen, 'zh-CN')} 低于年租金底价 ${money(ltt.annualRentFloorFen, 'zh-CN')}`);
        parts.en.push(`Annual rent ${money(rent.priceFen, 'en')} is below the annual rent floor ${money(ltt.annualRentFloorFen, 'en')}`);
      }
      if (!price.ok) {
        parts.zh.push(`出让价格 ${money(price.priceFen, 'zh-CN')} 低于 ${t.termYears} 年出让底价 ${money(ltt.transferFloor.floorFen, 'zh-CN')}`);
        parts.en.push(`Transfer price ${money(price.priceFen, 'en')} is below the ${t.termYears}-year transfer floor ${money(ltt.transferFloor.floorFen, 'en')}`);
      }
      // The first failing check is the decisive one; without failures, the transfer floor.
      const decisive = !rent.ok && price.ok ? rent : price;
      return {
        mode: floors.mode, termYears: t.termYears, leaseYears: ltt.leaseYears, floorYuan: decisive.floorYuan,
        binding: decisive === rent ? ltt.rent.floor50.binding : ltt.transferFloor.binding,
        priceFloor: floorResponse(ltt.transferFloor), rentFloor: rentJson(ltt.rent), checks: [strip(rent), strip(price)], ok: rent.ok && price.ok,
        messageZh: [...parts.zh, ltt.messageZh].join('。'),
        messageEn: [...parts.en, ltt.messageEn].join('. '),
      };
    }
  }
}

function strip(c: FloorCheck & { priceFen: bigint }): FloorCheck {
  const { priceFen: _p, ...rest } = c;
  return rest;
}

export function referenceSummary(ref: ReferenceSet) {
  return {
    asOf: ref.asOf,
    versions: Object.fromEntries(Object.entries(ref.versions).map(([k, v]) => [k, { id: v.id, effectiveFrom: v.effectiveFrom }])) as Record<string, { id: number; effectiveFrom: string }>,
  };
}

export function belowFloor(ev: FloorEvaluation, ref: ReferenceSet, extra: { when: 'propose' | 'approve'; proposedFloorYuan?: number } ) {
  const failing = ev.checks.find((c) => !c.ok)!;
  const changed = extra.proposedFloorYuan !== undefined && extra.proposedFloorYuan !== ev.floorYuan;
  const zhNote = changed ? `（提议时底价为 ${extra.proposedFloorYuan} 元，参考数据已更新）` : '';
  const enNote = changed ? ` (the floor was ¥${extra.proposedFloorYuan} when proposed; the reference data has changed since)` : '';
  return new AppError(422, 'BELOW_PRICE_FLOOR', both(`${ev.messageEn}${enNote}`, `${ev.messageZh}${zhNote}`), {
    subject: failing.subject,
    offeredYuan: failing.offeredYuan,
    floorYuan: failing.floorYuan,
    shortfallYuan: failing.shortfallYuan,
    binding: ev.binding,
    termYears: ev.termYears,
    termFactor: ev.priceFloor.termFactor,
    components: ev.priceFloor.components,
    rentFloor: ev.rentFloor,
    checks: ev.checks,
    referenceVersions: Object.fromEntries(Object.entries(ref.versions).map(([k, v]) => [k, v.id])),
    checkedAt: extra.when,
    ...(extra.proposedFloorYuan !== undefined ? { proposedFloorYuan: extra.proposedFloorYuan } : {}),
    messageZh: `${ev.messageZh}${zhNote}`,
    messageEn: `${ev.messageEn}${enNote}`,
  });
}

export function termsOf(a: { mode: AllocationMode; termYears: number; leaseYears?: number | null | undefined; priceYuan: number | string; annualRentYuan?: number | string | null | undefined }, iab?: boolean): Terms {
  return {
    mode: a.mode,
    termYears: a.termYears,
    leaseYears: a.leaseYears ?? null,
    priceYuan: a.priceYuan,
    annualRentYuan: a.annualRentYuan ?? null,
    iab: iab ?? (a as unknown as { project: { iab: boolean } }).project.iab,
  };
}
