/**
 * 亩均 performance (issue #15 §4): a contracted or completed allocation's yearly figures (产值,
 * 税收, 能耗, 从业人员), the evaluation of a year, and the grade threshold versions.
 *
 * - A year's figures may be recorded from the contract's signing year to the current year (the
 *   bureau's calendar); a second entry for the year replaces the first (200, the audit event has
 *   before and after), a first one creates it (201).
 * - District officers record and read their own district only (403 OUT_OF_SCOPE elsewhere).
 * - Threshold versions are immutable; publishing adds one (A ≥ B ≥ C, validateThresholds).
 * Writes are `(db, caller, input)` and own their transaction, with the audit event in it.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { Caller } from '../../kernel/caller.ts';
import { callerUserId } from '../../kernel/caller.ts';
import { idempotent, type IdempotentResult, type WriteOptions } from '../../kernel/idempotency.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { bureauToday, bureauYear, isIsoDate } from '../../kernel/dates.ts';
import { assertCanSeeDistrict, districtScope } from '../auth/scope.ts';
import { forbidden } from '../auth/access.ts';
import { fenToYuan } from '../../../shared/money.ts';
import { validateThresholds } from '../../../shared/policy/index.ts';
import type { EvaluationList, Performance, PerformanceBody } from '../../../shared/contract/supervision.ts';
import type { GradeThresholdsBody, GradeThresholdsList, GradeThresholdsVersion, PerformanceList } from '../../../shared/contract/performance.ts';
import { evaluationItems, policyThresholds, wireThresholds } from './evaluation.ts';
import { readFigures, yearError } from './figures.ts';
import {
  findAllocation,
  insertThresholds,
  listPerformance,
  listThresholds,
  lockPerformance,
  PERFORMANCE_STATUSES,
  thresholdsInForce,
  upsertPerformance,
  type PerformanceAllocation,
  type PerformanceRow,
  type ThresholdsRow,
} from './repository.ts';

/** A stored year on the wire. */
export function wirePerformance(r: PerformanceRow): Performance {
  return {
    allocationId: r.allocationId, year: r.year, outputYuan: fenToYuan(r.outputFen), taxYuan: fenToYuan(r.taxFen), energyTce: Number(r.energyTce),
    employees: r.employees, source: r.source, recordedBy: r.recordedBy, recordedAt: r.recordedAt,
  };
}

/** The audit record of a year's figures (exact text, so before/after compare to the fen). */
const auditFigures = (r: PerformanceRow) => ({
  year: r.year, outputFen: r.outputFen.toString(), taxFen: r.taxFen.toString(), energyTce: r.energyTce, employees: r.employees, source: r.source,
});

/** 409 INVALID_STATUS unless the allocation is contracted or completed. */
export function assertPerformanceStatus(a: PerformanceAllocation): void {
  if (!(PERFORMANCE_STATUSES as readonly string[]).includes(a.status)) {
    throw new AppError(409, 'CONFLICT', `Allocation ${a.id} is ${a.status}; figures are recorded for a contracted or completed allocation only (仅已签订出让合同或已竣工的供地可录入亩均数据).`, {
      reason: 'INVALID_STATUS', status: a.status, allowed: [...PERFORMANCE_STATUSES],
    });
  }
}

/** GET /api/allocations/:id/performance */
export async function performanceOf(db: Kysely<Database>, caller: Caller, id: number): Promise<PerformanceList> {
  const a = await findAllocation(db, id);
  if (!a) throw notFound(`Allocation ${id}`);
  assertCanSeeDistrict(caller.user, a.districtCode);
  return { items: (await listPerformance(db, id)).map(wirePerformance) };
}

/** POST /api/allocations/:id/performance — 201 for a new year, 200 when it replaces the year's figures. */
export async function recordPerformance(
  db: Kysely<Database>,
  caller: Caller,
  input: { id: number; body: PerformanceBody },
  opts: WriteOptions = {},
): Promise<IdempotentResult<{ performance: Performance; replaced: boolean }>> {
  const { id, body } = input;
  const userId = callerUserId(caller);
  const scope = { key: opts.idempotencyKey, userId, route: 'POST /api/allocations/:id/performance', request: { id, body } };
  return idempotent(db, scope, (r) => (r.replaced ? 200 : 201), async (trx) => {
    const a = await findAllocation(trx, id, true);
    if (!a) throw notFound(`Allocation ${id}`);
    assertCanSeeDistrict(caller.user, a.districtCode);
    assertPerformanceStatus(a);
    const ye = yearError(body.year, a.signedOn, bureauYear());
    if (ye) throw badRequest(ye.message, { field: ye.field });
    const read = readFigures(body, a.areaM2);
    if (!read.ok) {
      throw badRequest(read.errors.map((e) => `${e.field}: ${e.message}`).join('; '), { field: read.errors[0]!.field, errors: read.errors });
    }
    const before = await lockPerformance(trx, id, body.year);
    const after = await upsertPerformance(trx, {
      allocationId: id, year: body.year, outputFen: read.value.figures.outputFen, taxFen: read.value.figures.taxFen,
      energyTce: read.value.energyText, employees: read.value.figures.employees, source: 'entry', recordedBy: caller.user?.username ?? null,
    });
    await recordEvent(trx, {
      caller, action: before ? 'performance.replace' : 'performance.record', entity: 'allocation', entityId: id,
      before: before ? auditFigures(before) : undefined, after: auditFigures(after),
    });
    return { performance: wirePerformance(after), replaced: before !== undefined };
  });
}

/** GET /api/supervision/evaluation — district officers see their own district only. */
export async function evaluation(db: Kysely<Database>, caller: Caller, q: { year: number; districtCode?: string | undefined; parkId?: number | undefined }): Promise<EvaluationList> {
  const scope = districtScope(caller.user);
  if (scope.kind === 'district' && q.districtCode !== undefined && q.districtCode !== scope.code) {
    throw forbidden(`District ${q.districtCode} is outside your district (${scope.code}) (只能查看本区数据).`, 'OUT_OF_SCOPE');
  }
  const { thresholds, items } = await evaluationItems(db, q, scope);
  return { year: q.year, thresholds, items };
}

// --- Grade thresholds ----------------------------------------------------------------------------

const versionOnWire = (t: ThresholdsRow): GradeThresholdsVersion => ({ ...wireThresholds(t), createdBy: t.createdBy, createdAt: t.createdAt });

/** GET /api/supervision/grade-thresholds — the version in force today and every version. */
export async function gradeThresholds(db: Kysely<Database>): Promise<GradeThresholdsList> {
  const current = await thresholdsInForce(db, bureauToday());
  return { current: current ? versionOnWire(current) : null, versions: (await listThresholds(db)).map(versionOnWire) };
}

/** The policy's field names (`A.taxPerMuYuanMin`) as the body's (`A.taxPerMuYuan`). */
const bodyField = (f: string) => f.replace(/Min$/, '');

/** PUT/POST /api/supervision/grade-thresholds — publishes a new version (201). */
export async function publishThresholds(db: Kysely<Database>, caller: Caller, body: GradeThresholdsBody, opts: WriteOptions = {}): Promise<IdempotentResult<GradeThresholdsVersion>> {
  const userId = callerUserId(caller);
  if (!isIsoDate(body.effectiveFrom)) throw badRequest(`effectiveFrom must be a date YYYY-MM-DD, got "${body.effectiveFrom}" (生效日期格式不正确).`, { field: 'effectiveFrom' });
  const fromYear = Number(body.effectiveFrom.slice(0, 4));
  if (fromYear < 2000 || fromYear > 2100) throw badRequest(`effectiveFrom must be in 2000–2100, got ${body.effectiveFrom}.`, { field: 'effectiveFrom' });
  const source = body.source.trim();
  if (!source) throw badRequest('source must say where the thresholds come from (请填写阈值来源文件).', { field: 'source' });
  const row: Omit<ThresholdsRow, 'id' | 'createdAt'> = {
    effectiveFrom: body.effectiveFrom, sample: body.sample ?? false, source,
    a: { output: body.A.outputPerMuYuan, tax: body.A.taxPerMuYuan },
    b: { output: body.B.outputPerMuYuan, tax: body.B.taxPerMuYuan },
    c: { output: body.C.outputPerMuYuan, tax: body.C.taxPerMuYuan },
    createdBy: caller.user?.username ?? null,
  };
  const problems = validateThresholds(policyThresholds({ ...row, id: 0, createdAt: '' }));
  if (problems.length > 0) {
    const errors = problems.map((p) => ({ field: bodyField(p.field), message: `${p.messageZh} / ${p.messageEn}` }));
    throw badRequest(errors.map((e) => `${e.field}: ${e.message}`).join('; '), { field: errors[0]!.field, errors });
  }
  const scope = { key: opts.idempotencyKey, userId, route: 'PUT /api/supervision/grade-thresholds', request: body };
  return idempotent(db, scope, 201, async (trx) => {
    const t = await insertThresholds(trx, row);
    await recordEvent(trx, { caller, action: 'grade_thresholds.publish', entity: 'mu_grade_thresholds', entityId: t.id, after: versionOnWire(t) });
    return versionOnWire(t);
  });
}
