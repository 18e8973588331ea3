/**
 * Survey data import: `POST /api/imports` (multipart) → a preview with per-feature errors →
 * `POST /api/imports/:id/commit`, all or nothing. The work is in ./service.ts and ./formats/.
 * Multipart parsing is registered here only.
 *
 * Progress: the upload itself is the slow part for a person on a slow line, and the browser
 * reports it (XMLHttpRequest `upload.onprogress`); the server's processing of 10,000 plots takes
 * a few seconds (bench/import.ts), so it answers once, without a progress stream.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { errors } from '../../../shared/contract/common.ts';
import { ImportCommitResult, ImportDetail, ImportList, ImportPreview } from '../../../shared/contract/imports.ts';
import { IdempotencyHeaders } from '../../kernel/idempotency.ts';
import { callerOf } from '../../kernel/http.ts';
import { commitImport, getImport, listImports, previewImport } from './service.ts';
import { IMPORT_LIMITS } from './formats/limits.ts';
import { fileRefused } from './formats/types.ts';
import { hasControlChars } from '../../kernel/validator.ts';

const ImportParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const mb = (n: number) => `${n / 1024 / 1024} MB`;

/** An optional whole-number form field: plain digits within [min, max], else a 400 naming it. */
function wholeField(fields: Record<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = fields[name];
  if (raw === undefined || raw === '') return undefined;
  const n = /^[0-9]{1,10}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw badRequest(`${name} must be a whole number from ${min} to ${max}; got "${raw.slice(0, 40)}" (${name} 须为 ${min}–${max} 的整数).`, { field: name });
  return n;
}

const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['imports'];
  const manage = PERMISSIONS['plots.manage'];

  await app.register(multipart, {
    limits: { fileSize: IMPORT_LIMITS.maxFileBytes, files: 1, fields: 10, fieldSize: 1000, parts: 12, headerPairs: 100 },
    throwFileSizeLimit: true,
  });

  app.post('/imports', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'imports.upload',
      summary: 'Upload survey data and get a preview (nothing is imported yet)',
      description: [
        'multipart/form-data with the field `file` and optional fields: `crs` (EPSG:4547, EPSG:4526, EPSG:4326 or EPSG:4490), `parkId` (the park of plots that do not name one; otherwise each plot goes to the park containing it), `format` (geojson, shapefile, kml, csv — else judged from the name and bytes), `landUse` and `landLevel` (defaults for plots without them).',
        'Formats: GeoJSON; zipped Shapefile (.shp .shx .dbf, .prj for the CRS, .cpg for the encoding); KML/KMZ (WGS84); CSV 界址点 tables (plot code, point number, X = northing, Y = easting, optional 圈号 ring number and attribute columns).',
        'CRS: the .prj (or the file’s own declaration) wins; else `crs`; else judged from the numbers; else WGS84 (`crsSource`: prj, file, user, detected, default). A file whose numbers look like another CRS gets a CRS_MISMATCH notice saying where it would land.',
        `Limits: file ≤ ${mb(IMPORT_LIMITS.maxFileBytes)} (413), zip ≤ ${mb(IMPORT_LIMITS.maxUnzippedBytes)} uncompressed and ≤ ${IMPORT_LIMITS.maxCompressionRatio}:1 (zip bombs, 413), ≤ ${IMPORT_LIMITS.maxFeatures} features, ≤ ${IMPORT_LIMITS.maxVerticesPerFeature} vertices per feature, ≤ ${IMPORT_LIMITS.maxTotalVertices} in all. Unsafe zip paths, KML with DOCTYPE/ENTITY, broken or truncated shapefiles and missing .shx/.dbf answer 400 with a \`reason\`.`,
        `The response lists the first ${IMPORT_LIMITS.previewFeatures} features (WGS84, with errors and warnings) and every feature with a problem; page through all with GET /api/imports/:id.`,
      ].join('\n\n'),
      consumes: ['multipart/form-data'],
      response: { 201: ImportPreview, ...errors(400, 401, 403, 413, 415) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data in the field "file" (以 multipart/form-data 的 file 字段上传).');
    }
    let file: { filename: string; data: Buffer } | undefined;
    const fields: Record<string, string> = {};
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.fieldname === 'file') file = { filename: part.filename || 'upload', data };
        } else {
          fields[part.fieldname] = String(part.value ?? '');
        }
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') {
        throw fileRefused('FILE_TOO_LARGE', `The file is larger than ${mb(IMPORT_LIMITS.maxFileBytes)}; split it into several files`, `文件超过 ${mb(IMPORT_LIMITS.maxFileBytes)}，请拆分后上传`, 413);
      }
      if (err instanceof AppError) throw err;
      // The parser's own complaints (no boundary, body cut short, too many parts …) are the
      // caller's malformed request, not our fault.
      throw badRequest(`The multipart body could not be read: ${(err as Error).message} (上传内容格式不正确).`, { reason: 'MALFORMED_MULTIPART' });
    }
    if (!file) throw badRequest('No file: send it in the multipart field "file" (缺少 file 字段).', { reason: 'NO_FILE' });
    if (hasControlChars(file.filename) || [...file.filename].length > 255) {
      throw badRequest('The file name has control characters or is over 255 characters; rename the file (文件名含控制字符或过长).', { reason: 'BAD_FILENAME', field: 'filename' });
    }
    for (const [name, value] of Object.entries(fields)) {
      if (hasControlChars(value)) throw badRequest(`Field ${name} has control characters (${name} 含控制字符).`, { field: name });
    }
    if (file.data.length === 0) throw fileRefused('EMPTY', 'The file is empty', '文件为空');
    const parkId = wholeField(fields, 'parkId', 1, 2147483647);
    const landLevel = wholeField(fields, 'landLevel', 1, 10);
    const preview = await previewImport(app.db, callerOf(req), {
      filename: file.filename,
      data: new Uint8Array(file.data.buffer, file.data.byteOffset, file.data.byteLength),
      crs: fields.crs,
      parkId,
      format: fields.format || undefined,
      landUse: fields.landUse || undefined,
      landLevel,
    }, req.log);
    return reply.code(201).send(preview);
  });

  app.get('/imports', {
    config: { access: manage },
    schema: { tags, operationId: 'imports.list', summary: 'Recent imports (your own; an admin sees all)', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })) }), response: { 200: ImportList, ...errors(400, 401, 403) } },
  }, async (req) => listImports(app.db, callerOf(req), req.query.limit ?? 50));

  app.get('/imports/:id', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'imports.get',
      summary: 'A preview with all its features, page by page',
      params: ImportParams,
      querystring: Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0, default: 0 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 1000 })) }),
      response: { 200: ImportDetail, ...errors(400, 401, 403, 404) },
    },
  }, async (req) => getImport(app.db, callerOf(req), req.params.id, req.query.offset ?? 0, req.query.limit ?? 1000));

  app.post('/imports/:id/commit', {
    config: { access: manage },
    schema: {
      tags,
      operationId: 'imports.commit',
      summary: 'Import the previewed plots: all or nothing',
      description:
        '422 VALIDATION_FAILED (reason IMPORT_HAS_ERRORS) when any feature has errors; 409 CONFLICT when a code was taken or an overlapping plot drawn since the preview (reason CODE_EXISTS / PLOT_OVERLAP — the import is then marked failed), or when it was committed already, failed or expired (IMPORT_COMMITTED / IMPORT_FAILED / IMPORT_EXPIRED). Nothing is written in any of these cases.',
      params: ImportParams,
      headers: IdempotencyHeaders,
      response: { 201: ImportCommitResult, ...errors(400, 401, 403, 404, 409, 422) },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const r = await commitImport(app.db, callerOf(req), req.params.id, typeof key === 'string' ? key : undefined, req.log);
    return reply.code(r.status as 201).header('idempotent-replayed', String(r.replayed)).send(r.body);
  });
};

export default importRoutes;
