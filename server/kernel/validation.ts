/**
 * Turns JSON-schema validation errors into one sentence a person can act on, naming where the
 * bad value is ("query parameter limit", "body field project.enterprise.uscc").
 */
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

const PLACE: Record<string, string> = {
  querystring: 'query parameter',
  params: 'path parameter',
  body: 'body field',
  headers: 'header',
};

function fieldName(e: FastifySchemaValidationError): string {
  const base = (e.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
  const missing = (e.params as { missingProperty?: string } | undefined)?.missingProperty;
  if (e.keyword === 'required' && missing) return base ? `${base}.${missing}` : missing;
  return base;
}

/** The same in Chinese, shorter (the English sentence names the rule). */
const PLACE_ZH: Record<string, string> = { querystring: '查询参数', params: '路径参数', body: '字段', headers: '请求头' };
function zh(e: FastifySchemaValidationError, place: string, field: string): string {
  const what = `${place} ${field || '(整体)'}`;
  switch (e.keyword) {
    case 'required':
      return `缺少${what}`;
    case 'additionalProperties':
      return `不允许的${place} ${String((e.params as Record<string, unknown>).additionalProperty)}`;
    case 'type':
      return `${what} 类型不正确`;
    case 'plainText':
      return `${what} 含有控制字符`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${what} 超出允许范围`;
    case 'maxLength':
    case 'maxItems':
      return `${what} 过长`;
    default:
      return `${what} 格式不正确`;
  }
}

export function formatSchemaErrors(errors: FastifySchemaValidationError[], dataVar: string): Error {
  const place = PLACE[dataVar] ?? dataVar;
  const placeZh = PLACE_ZH[dataVar] ?? dataVar;
  const parts = errors.slice(0, 3).map((e) => {
    const field = fieldName(e);
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        return `${place} "${field}" is required`;
      case 'additionalProperties':
        return `${place} "${String(p.additionalProperty)}" is not allowed${field ? ` in ${field}` : ''}`;
      case 'type':
        return `${place} "${field || '(root)'}" must be ${String(p.type)}`;
      default:
        return `${place} "${field || '(root)'}" ${e.message ?? 'is invalid'}`;
    }
  });
  const chineseParts = errors.slice(0, 3).map((e) => zh(e, placeZh, fieldName(e)));
  const chinese = chineseParts.join('；');
  const problems = errors.slice(0, 3).map((e, i) => ({
    field: fieldName(e) || (e.keyword === 'additionalProperties' ? String((e.params as Record<string, unknown>).additionalProperty) : ''),
    messageEn: parts[i],
    messageZh: chineseParts[i],
  }));
  const err = new Error(`${parts.join('; ')}. (${chinese})`) as Error & { validation: unknown; statusCode: number; details: Record<string, unknown> };
  err.validation = errors;
  err.statusCode = 400;
  // Machine-readable too: the field(s) to fix, as the services' own field errors give them.
  err.details = { field: problems[0]?.field, problems };
  return err;
}
