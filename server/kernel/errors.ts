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
 * A database error that the caller's input caused (a value the schema let through but a column
 * or constraint refused) as a 4xx naming the field where the database says which; null for
 * anything else (a real fault: 500). SQLSTATE classes 22 (data exception) and 23 (integrity).
 */
export function fromDatabaseError(err: unknown): AppError | null {
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
