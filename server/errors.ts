/**
 * Errors the API answers with: HTTP status + `{ statusCode, error, code, message }` where `code`
 * is a stable upper-snake identifier and `message` tells a person what to change
 * (ARCHITECTURE.md, HTTP API). Never a stack trace; never a 500 for bad input.
 */
import { STATUS_CODES } from 'node:http';

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'CONFLICT',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'QUOTA_EXCEEDED',
  'BELOW_PRICE_FLOOR',
  'PLOT_UNAVAILABLE',
  'SUPERSEDED',
  'FOUR_EYES',
  'SUBSIDY_CAP_EXCEEDED',
  'FACILITIES_RATIO_EXCEEDED',
  'COST_NOT_RECORDED',
  'INTERNAL',
  'SERVICE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  constructor(
    public readonly statusCode: number,
    public readonly code: ErrorCode,
    message: string,
    /** Extra machine-readable figures (e.g. remaining quota), merged into the body. */
    public readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
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
