/**
 * Errors the API answers with: HTTP status + `{ statusCode, error, code, message }` where `code`
 * is a stable upper-snake identifier and `message` tells a person what to change
 * (ARCHITECTURE.md, HTTP API). Never a stack trace; never a 500 for bad input.
 */
import { STATUS_CODES } from 'node:http';

import type { ErrorCode, ErrorDetails } from '../../shared/contract/errors.ts';

/** The vocabulary (codes, `details.reason`) is the contract's: shared/contract/errors.ts. */
export { ERROR_CODES, ERROR_REASONS, type ErrorCode, type ErrorReason } from '../../shared/contract/errors.ts';

export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable figures (e.g. remaining quota) and the `reason`, merged into the body. */
    public readonly details?: ErrorDetails,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: ErrorDetails) =>
  new AppError(400, 'VALIDATION_FAILED', message, details);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} was not found.`);

export interface ErrorBody {
  statusCode: number;
  error: string;
  code: string;
  message: string;
  [k: string]: unknown;
}

export function errorBody(statusCode: number, code: string, message: string, details?: Record<string, unknown>): ErrorBody {
  return { ...details, statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
}

const both = (en: string, zh: string) => `${en} (${zh})`;

const quotaExceeded = (constraint: string) =>
  new AppError(409, 'QUOTA_EXCEEDED', both('This approval would exceed the year’s quota (or use the IAB reserve for a non-IAB project)', '本次审批将超出年度指标（或非IAB项目占用IAB预留指标）'), { constraint: constraint || null });
const duplicateNumber = (which: string) => () =>
  new AppError(409, 'CONFLICT', `This ${which} is already recorded on another allocation; check the number.`, { reason: 'DUPLICATE_NUMBER' });

/**
 * The database's own refusals of a business rule, by constraint name: each answers as the check
 * in code would have, so a violation that code let through is never a 500 (the code checks first;
 * the constraint backs it up under concurrency). Matched on SQLSTATE and the constraint's name,
 * which PGlite gives only inside the message.
 */
const CONSTRAINT_ERRORS: Record<string, { sqlState: string; error: (constraint: string) => AppError }> = {
  // The partial unique index: a plot has at most one active allocation.
  allocations_one_active_per_plot: {
    sqlState: '23505',
    error: () => new AppError(409, 'PLOT_UNAVAILABLE', both('The plot already has an active allocation; it cannot be allocated again', '该地块已有生效的供地，不能重复供应'), { constraint: 'allocations_one_active_per_plot' }),
  },
  // A 宗地代码 is on at most one live plot (migration 026); the plots module checks first.
  plots_parcel_code_live: {
    sqlState: '23505',
    error: () => new AppError(409, 'CONFLICT', both('This parcel code (宗地代码) is already on another plot', '该宗地代码已被其他地块使用'), { reason: 'CODE_EXISTS', field: 'parcelCode', constraint: 'plots_parcel_code_live' }),
  },
  // The CHECKs on a year's cached totals.
  quotas_approved_within_quota: { sqlState: '23514', error: quotaExceeded },
  quotas_non_iab_within_unreserved: { sqlState: '23514', error: quotaExceeded },
  // Unique contract and electronic supervision numbers.
  allocations_contract_no_key: { sqlState: '23505', error: duplicateNumber('contract number (出让合同编号)') },
  allocations_supervision_no_key: { sqlState: '23505', error: duplicateNumber('electronic supervision number (电子监管号)') },
  // CHECK granted ≤ cap on a park's subsidy totals, CHECK granted ≤ share × investment on a project.
  park_subsidy_totals_within_cap: {
    sqlState: '23514',
    error: () => new AppError(409, 'SUBSIDY_CAP_EXCEEDED', both('This grant would take the park over its cumulative subsidy cap', '本次补助将超过园区累计补助上限'), { constraint: 'park_subsidy_totals_within_cap' }),
  },
  park_projects_within_share: {
    sqlState: '23514',
    error: () => new AppError(409, 'SUBSIDY_CAP_EXCEEDED', both('This grant would take the project over its share of total investment', '本次补助将超过项目总投资的补助比例'), { constraint: 'park_projects_within_share' }),
  },
};

/** A named business-rule constraint's refusal as the API's answer; null for any other error. */
export function constraintError(err: unknown): AppError | null {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown } | null | undefined;
  if (!e || typeof e.code !== 'string') return null;
  const constraint = typeof e.constraint === 'string' ? e.constraint : '';
  const message = typeof e.message === 'string' ? e.message : '';
  for (const [name, entry] of Object.entries(CONSTRAINT_ERRORS)) {
    if (e.code === entry.sqlState && (constraint === name || message.includes(`"${name}"`))) return entry.error(constraint);
  }
  return null;
}

/** Runs `fn`, turning a named constraint's refusal into its API answer (other errors pass through). */
export async function withConstraintErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw constraintError(err) ?? err;
  }
}

/** snake_case column → the camelCase field name the API uses. */
const fieldOf = (column: string) => column.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

interface DatabaseErrorLike {
  code?: unknown;
  column?: unknown;
  constraint?: unknown;
  table?: unknown;
  detail?: unknown;
}

/**
 * A database error as the API's answer: a named business-rule constraint by its table above;
 * otherwise one that the caller's input caused (a value the schema let through but a column
 * or constraint refused) as a 4xx naming the field where the database says which; null for
 * anything else (a real fault: 500). SQLSTATE classes 22 (data exception) and 23 (integrity).
 */
export function fromDatabaseError(err: unknown): AppError | null {
  const named = constraintError(err);
  if (named) return named;
  const e = err as DatabaseErrorLike;
  if (!e || typeof e.code !== 'string' || !/^2[23][0-9A-Z]{3}$/.test(e.code)) return null;
  const detail = typeof e.detail === 'string' ? e.detail : '';
  const keyColumn = /Key \(([a-z0-9_, ]+)\)/.exec(detail)?.[1]?.split(',')[0]?.trim();
  const table = typeof e.table === 'string' ? e.table : undefined;
  let column = typeof e.column === 'string' ? e.column : keyColumn;
  if (!column && typeof e.constraint === 'string') {
    // Constraint names PostgreSQL generates: <table>_<column>_check / _fkey / _key.
    const m = /^(.*)_(check|fkey|key|not_null)$/.exec(e.constraint);
    if (m) column = table && m[1]!.startsWith(`${table}_`) ? m[1]!.slice(table.length + 1) : m[1];
  }
  const field = column ? fieldOf(column) : undefined;
  const where = field ? ` (field ${field})` : '';
  const details = field ? { field } : undefined;
  switch (e.code) {
    case '23505':
      return new AppError(409, 'CONFLICT', `This value is already taken${where}; choose another (该值已被使用).`, details);
    case '23503':
      return detail.includes('still referenced')
        ? new AppError(409, 'CONFLICT', `This record is still in use by others${where}, so it cannot be removed (仍被引用).`, details)
        : new AppError(400, 'VALIDATION_FAILED', `The record this refers to does not exist${where} (引用的记录不存在).`, details);
    case '23502':
      return badRequest(`A value is required${where} (缺少必填值).`, details);
    case '23514':
      return badRequest(`A value is outside what is allowed${where}${typeof e.constraint === 'string' ? `, rule ${e.constraint}` : ''} (取值不符合规则).`, details);
    case '22003':
      return badRequest(`A number is out of range${where} (数值超出范围).`, details);
    case '22001':
      return badRequest(`A text is too long${where} (文字过长).`, details);
    case '22007':
    case '22008':
      return badRequest(`A date or time is not valid${where} (日期或时间无效).`, details);
    case '22021':
    case '22P05':
      return badRequest(`A text contains a character that cannot be stored, such as NUL${where} (文字含有无法保存的字符).`, details);
    case '22P02':
      return badRequest(`A value has the wrong form${where} (格式不正确).`, details);
    default:
      // Any other data exception (class 22) is a value the database could not use; any other
      // integrity violation (class 23, e.g. an exclusion constraint) a conflict with stored data.
      return e.code.startsWith('22')
        ? badRequest(`A value could not be used${where} (取值无效).`, details)
        : new AppError(409, 'CONFLICT', `This conflicts with stored data${where} (与已有数据冲突).`, details);
  }
}
