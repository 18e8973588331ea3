/**
 * 亩均 performance and evaluation (issue #15 §4): an allocation's yearly figures, the CSV import
 * (preview, then commit of the same file), the evaluation of a year, and the grade threshold
 * versions. Handlers are schema → service → response; rules in ./service.ts, ./import.ts and
 * ./evaluation.ts. Multipart parsing is registered here only.
 *
 * Access: figures — performance.manage; evaluation and thresholds — supervision.read (district
 * officers: their own district, 403 OUT_OF_SCOPE elsewhere); publishing thresholds — the roles
 * of supervision.decide (administrator, land officer). `Idempotency-Key` is honoured on writes.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { EvaluationList, EvaluationQuery, Performance, PerformanceBody } from '../../../shared/contract/supervision.ts';
import { GradeThresholdsBody, GradeThresholdsList, GradeThresholdsVersion, PerformanceImportCommit, PerformanceImportPreview, PerformanceList } from '../../../shared/contract/performance.ts';
import { IdempotencyHeaders } from '../../kernel/idempotency.ts';
import { callerOf, sendResult, writeOptionsOf } from '../../kernel/http.ts';
import { evaluation, gradeThresholds, performanceOf, publishThresholds, recordPerformance } from './service.ts';
import { commitPerformanceImport, MAX_IMPORT_ROWS, previewPerformanceImport } from './import.ts';

const MAX_CSV_BYTES = 5 * 1024 * 1024;

/** The uploaded CSV's bytes (multipart field `file`); 415 / 400 / 413 naming what is wrong. */
async function csvUpload(req: FastifyRequest): Promise<Uint8Array> {
  if (!req.isMultipart()) {
    throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the CSV as multipart/form-data in the field "file" (以 multipart/form-data 的 file 字段上传).');
  }
  let data: Buffer | undefined;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.fieldname === 'file') data = bytes;
      }
    }
  } catch (err) {
    if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
      throw new AppError(413, 'PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_CSV_BYTES / 1024 / 1024} MB; split it (文件过大，请拆分).`, { reason: 'FILE_TOO_LARGE' });
    }
    if (err instanceof AppError) throw err;
    throw badRequest(`The multipart body could not be read: ${(err as Error).message} (上传内容格式不正确).`, { reason: 'MALFORMED_MULTIPART' });
  }
  if (!data) throw badRequest('No file: send it in the multipart field "file" (缺少 file 字段).', { reason: 'NO_FILE', field: 'file' });
  if (data.length === 0) throw badRequest('The file is empty (文件为空).', { reason: 'EMPTY', field: 'file' });
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

const CSV_HELP = [
  `multipart/form-data with the field \`file\`: a CSV (UTF-8 with or without BOM, or GBK), ≤ ${MAX_CSV_BYTES / 1024 / 1024} MB, ≤ ${MAX_IMPORT_ROWS} rows.`,
  'Columns: 合同编号 (contractNo) or 地块编号 (plotCode: its current contracted or completed allocation), 年度 (year), 产值 (outputYuan, yuan), 税收 (taxYuan, yuan), 能耗 (energyTce, tce), 从业人员 (employees).',
  '`row` numbers lines as a spreadsheet does (header = row 1). A year already recorded is replaced on commit (`replaces`).',
].join('\n\n');

const performanceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['performance'];
  const manage = PERMISSIONS['performance.manage'];
  const read = PERMISSIONS['supervision.read'];
  const publish = PERMISSIONS['supervision.decide'];

  await app.register(multipart, {
    limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6, headerPairs: 100 },
    throwFileSizeLimit: true,
  });

  app.get('/allocations/:id/performance', {
    config: { access: manage },
    schema: { tags, operationId: 'performance.list', summary: 'An allocation’s yearly 亩均 figures, newest year first', params: IdParams, response: { 200: PerformanceList, ...errors(400, 401, 403, 404) } },
  }, async (req) => performanceOf(app.db, callerOf(req), req.params.id));

  app.post('/allocations/:id/performance', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'performance.record',
      summary: 'Record a year’s figures (产值, 税收, 能耗, 从业人员) of a contracted or completed allocation',
      description: '201 for a new year; 200 when the year was recorded (the figures are replaced; the audit event keeps both). 400 naming the field for a year before the contract’s signing year or after the current year, and for negative, non-finite, fractional (employees) or too large figures. 409 INVALID_STATUS unless contracted or completed. District officers: their own district (403 OUT_OF_SCOPE).',
      params: IdParams,
      headers: IdempotencyHeaders,
      body: PerformanceBody,
      response: { 200: Performance, 201: Performance, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const r = await recordPerformance(app.db, callerOf(req), { id: req.params.id, body: req.body }, writeOptionsOf(req));
    return reply.code(r.status as 200 | 201).header('idempotent-replayed', String(r.replayed)).send(r.body.performance);
  });

  app.post('/supervision/performance/import', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'performance.previewImport',
      summary: 'Preview a CSV of yearly figures: every row with its errors (nothing is written)',
      description: `${CSV_HELP}\n\n400 CSV_ENCODING (neither UTF-8 nor GBK text), CSV_COLUMNS (a key or figure column missing), EMPTY, CSV_TOO_MANY_ROWS.`,
      consumes: ['multipart/form-data'],
      response: { 200: PerformanceImportPreview, ...errors(400, 401, 403, 413, 415) },
    },
  }, async (req) => previewPerformanceImport(app.db, callerOf(req), await csvUpload(req)));

  app.post('/supervision/performance/import/commit', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'performance.commitImport',
      summary: 'Import the same CSV: every row in one transaction, or none',
      description: `${CSV_HELP}\n\nThe file is checked again; 422 IMPORT_HAS_ERRORS (with \`rows\`: each bad row and its errors) when any row has an error, and nothing is written.`,
      consumes: ['multipart/form-data'],
      headers: IdempotencyHeaders,
      response: { 201: PerformanceImportCommit, ...errors(400, 401, 403, 413, 415, 422) },
    },
  }, async (req, reply) => sendResult(reply, await commitPerformanceImport(app.db, callerOf(req), await csvUpload(req), writeOptionsOf(req))));

  app.get('/supervision/evaluation', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'performance.evaluation',
      summary: 'The 亩均 evaluation of a year: per-亩 output and tax (to the yuan), energy per 万元, grade A–D, conditions met',
      description: 'One item per contracted or completed allocation with figures for the year, on the allocation’s area. Graded with the threshold version that applies to the year (latest effective on or before 31 December of the year); 409 NO_GRADE_THRESHOLDS before every version. District officers: their own district.',
      querystring: EvaluationQuery,
      response: { 200: EvaluationList, ...errors(400, 401, 403, 409) },
    },
  }, async (req) => evaluation(app.db, callerOf(req), req.query));

  app.get('/supervision/grade-thresholds', {
    config: { access: read },
    schema: { tags, operationId: 'performance.getGradeThresholds', summary: 'The 亩均 grade thresholds: the version in force today and every version (sample ones flagged)', response: { 200: GradeThresholdsList, ...errors(401, 403) } },
  }, async () => gradeThresholds(app.db));

  const publishSchema = {
    tags,
    summary: 'Publish a new version of the 亩均 grade thresholds (A ≥ B ≥ C, whole yuan per 亩)',
    description: 'Versions are never edited: this adds one, which grades the years from its effective date’s year on. 400 naming the field (e.g. `B.taxPerMuYuan` above `A.taxPerMuYuan`).',
    headers: IdempotencyHeaders,
    body: GradeThresholdsBody,
    response: { 201: GradeThresholdsVersion, ...errors(400, 401, 403, 422) },
  };
  for (const method of ['put', 'post'] as const) {
    // PUT and POST do the same (both publish a new version); each its own operationId.
    const operationId = method === 'put' ? 'performance.putGradeThresholds' : 'performance.publishGradeThresholds';
    app[method]('/supervision/grade-thresholds', { config: { access: publish }, schema: { ...publishSchema, operationId } }, async (req, reply) =>
      sendResult(reply, await publishThresholds(app.db, callerOf(req), req.body, writeOptionsOf(req))));
  }
};

export default performanceRoutes;
