/**
 * The contract of an approved allocation (出让合同) and its milestones, as the server checks
 * them: numbers present (电子监管号 6–40 letters, digits, hyphens), dates YYYY-MM-DD in order —
 * signed ≤ agreed hand-over ≤ agreed start ≤ agreed completion — and the signing not in the
 * future; a milestone once each, in order (交地 → 开工 → 竣工), not before the one before it
 * (the first not before the signing), not in the future. Pure.
 */
import type { AllocationContract, MilestoneKind } from '../../api/index.ts';
import { isIsoDate } from '../../../shared/dates.ts';

export type ContractField = keyof AllocationContract;
export type ContractProblem =
  | { code: 'required' }
  | { code: 'date' }
  | { code: 'future'; today: string }
  | { code: 'supervisionNo' }
  | { code: 'order'; after: ContractField };

export { isIsoDate };

export const CONTRACT_DATES = ['signedOn', 'agreedHandoverOn', 'agreedStartOn', 'agreedCompletionOn'] as const satisfies readonly ContractField[];

export const EMPTY_CONTRACT: AllocationContract = { contractNo: '', supervisionNo: '', signedOn: '', agreedHandoverOn: '', agreedStartOn: '', agreedCompletionOn: '' };

export function contractProblems(v: AllocationContract, today: string): Partial<Record<ContractField, ContractProblem>> {
  const out: Partial<Record<ContractField, ContractProblem>> = {};
  if (!v.contractNo.trim()) out.contractNo = { code: 'required' };
  const sup = v.supervisionNo.trim().toUpperCase();
  if (!sup) out.supervisionNo = { code: 'required' };
  else if (!/^[0-9A-Z-]{6,40}$/.test(sup)) out.supervisionNo = { code: 'supervisionNo' };
  for (const f of CONTRACT_DATES) {
    if (!v[f]) out[f] = { code: 'required' };
    else if (!isIsoDate(v[f])) out[f] = { code: 'date' };
  }
  for (let i = 1; i < CONTRACT_DATES.length; i++) {
    const prev = CONTRACT_DATES[i - 1]!;
    const cur = CONTRACT_DATES[i]!;
    if (!out[prev] && !out[cur] && v[cur] < v[prev]) out[cur] = { code: 'order', after: prev };
  }
  if (!out.signedOn && v.signedOn > today) out.signedOn = { code: 'future', today };
  return out;
}

/** The body as the server wants it (numbers trimmed, the supervision number upper-cased). */
export function contractBody(v: AllocationContract): AllocationContract {
  return { ...v, contractNo: v.contractNo.trim(), supervisionNo: v.supervisionNo.trim().toUpperCase() };
}

export interface Milestones {
  handedOverOn: string | null;
  startedOn: string | null;
  completedOn: string | null;
}

/** The milestone to record next, or null when all are recorded. */
export function nextMilestone(m: Milestones): MilestoneKind | null {
  if (m.handedOverOn === null) return 'handed_over';
  if (m.startedOn === null) return 'started';
  if (m.completedOn === null) return 'completed';
  return null;
}

/** The earliest date the next milestone may have: the previous milestone, or the signing. */
export function milestoneFloor(kind: MilestoneKind, m: Milestones, signedOn: string | null): string | null {
  if (kind === 'handed_over') return signedOn;
  if (kind === 'started') return m.handedOverOn;
  return m.startedOn;
}

export type MilestoneProblem = { code: 'required' } | { code: 'date' } | { code: 'future'; today: string } | { code: 'beforePrevious'; floor: string };

export function milestoneProblem(date: string, floor: string | null, today: string): MilestoneProblem | null {
  if (!date) return { code: 'required' };
  if (!isIsoDate(date)) return { code: 'date' };
  if (date > today) return { code: 'future', today };
  if (floor !== null && date < floor) return { code: 'beforePrevious', floor };
  return null;
}
