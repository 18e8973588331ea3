/**
 * Field inspections (issue #15 §3): `/api/supervision/inspections…` and the photos they hold,
 * `GET /api/supervision/photos/:id`. Handlers are schema → service → response; the rules, the
 * scope checks and the transactions are in ./service.ts, photo stripping in ./photo.ts.
 *
 * Access: `supervision.read` to read (district officers: their district only), `supervision.inspect`
 * to write (visits, photos and closing: the assignee or a bureau officer). `Idempotency-Key` is
 * honoured on every write. Multipart parsing is registered here only (this plugin's scope).
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { PERMISSIONS } from '../../../shared/roles.ts';
import { errors, IdParams } from '../../../shared/contract/common.ts';
import { CloseInspectionBody, Inspection, InspectionBody, InspectionList, InspectionsQuery, Photo, Visit, VisitBody } from '../../../shared/contract/supervision.ts';
import { AppError, badRequest } from '../../kernel/errors.ts';
import { IdempotencyHeaders } from '../../kernel/idempotency.ts';
import { callerOf, sendResult, writeOptionsOf } from '../../kernel/http.ts';
import { MAX_PHOTO_BYTES } from './photo.ts';
import { addPhoto, closeInspection, createInspection, getInspection, getPhoto, listInspectionsFor, photoTooLarge, recordVisit } from './service.ts';

const VisitParams = Type.Object({
  id: IdParams.properties.id,
  visitId: Type.Integer({ minimum: 1, maximum: 2147483647, description: 'Numeric id of the visit' }),
});

const inspectionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['inspections'];
  const read = PERMISSIONS['supervision.read'];
  const inspect = PERMISSIONS['supervision.inspect'];
  const writeErrors = errors(400, 401, 403, 404, 409, 422);

  await app.register(multipart, {
    limits: { fileSize: MAX_PHOTO_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6, headerPairs: 100 },
    throwFileSizeLimit: true,
  });

  app.get('/supervision/inspections', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'inspections.list',
      summary: 'Field inspections, newest first, with their visits and photos (photo metadata; GET each photo’s url for the image)',
      description: 'A district officer sees only their own district’s.',
      querystring: InspectionsQuery,
      response: { 200: InspectionList, ...errors(400, 401, 403) },
    },
  }, async (req) => listInspectionsFor(app.db, callerOf(req), req.query));

  app.post('/supervision/inspections', {
    config: { access: inspect },
    schema: {
      tags,
      operationId: 'inspections.create',
      summary: 'Send a field inspection of a contracted or completed allocation to a district officer of its district',
      description:
        '201 with the inspection. 400 naming assigneeId (reason ASSIGNEE_NOT_ELIGIBLE) when the assignee is not an active district officer of the plot’s district; ' +
        '403 OUT_OF_SCOPE for a district officer outside their district; 409 INVALID_STATUS for an allocation not contracted or completed; ' +
        '409 INSPECTION_OPEN when the allocation already has an open inspection (one at a time).',
      headers: IdempotencyHeaders,
      body: InspectionBody,
      response: { 201: Inspection, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await createInspection(app.db, callerOf(req), req.body, writeOptionsOf(req))));

  app.get('/supervision/inspections/:id', {
    config: { access: read },
    schema: { tags, operationId: 'inspections.get', summary: 'One field inspection with its visits and photos', params: IdParams, response: { 200: Inspection, ...errors(400, 401, 403, 404) } },
  }, async (req) => getInspection(app.db, callerOf(req), req.params.id));

  app.post('/supervision/inspections/:id/visits', {
    config: { access: inspect },
    schema: {
      tags,
      operationId: 'inspections.recordVisit',
      summary: 'Record a visit: the day (not in the future, not before the inspection was sent) and the findings',
      description: 'The assignee or a bureau officer (403 NOT_ASSIGNEE otherwise); 409 INSPECTION_CLOSED once closed. 201 with the visit.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: VisitBody,
      response: { 201: Visit, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await recordVisit(app.db, callerOf(req), req.params.id, req.body, writeOptionsOf(req))));

  app.post('/supervision/inspections/:id/visits/:visitId/photos', {
    config: { access: inspect },
    schema: {
      tags,
      operationId: 'inspections.addPhoto',
      summary: 'Add a photo to a visit (multipart/form-data, field `file`): JPEG or PNG, at most 10 MB',
      description:
        'The type is judged from the bytes, not the name (415 NOT_AN_IMAGE otherwise); a truncated or damaged image is 400 IMAGE_MALFORMED; over 10 MB is 413 FILE_TOO_LARGE. ' +
        'Every piece of metadata is stripped (camera, times, comments, XMP, ICC, thumbnails) except the EXIF GPS position, which is kept in the image and answered as `location`, and the EXIF Orientation (so a portrait photo shows upright). ' +
        'The assignee or a bureau officer; 409 INSPECTION_CLOSED once closed. 201 with the photo.',
      consumes: ['multipart/form-data'],
      headers: IdempotencyHeaders,
      params: VisitParams,
      response: { 201: Photo, ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
    },
  }, async (req, reply) => {
    if (!req.isMultipart()) {
      throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the photo as multipart/form-data in the field "file" (以 multipart/form-data 的 file 字段上传照片).');
    }
    let file: Buffer | undefined;
    try {
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          const data = await part.toBuffer();
          if (part.fieldname === 'file') file = data;
        }
      }
    } catch (err) {
      if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw photoTooLarge();
      if (err instanceof AppError) throw err;
      throw badRequest(`The multipart body could not be read: ${(err as Error).message} (上传内容格式不正确).`, { reason: 'MALFORMED_MULTIPART' });
    }
    if (!file) throw badRequest('No photo: send it in the multipart field "file" (缺少 file 字段).', { reason: 'NO_FILE', field: 'file' });
    const data = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
    return sendResult(reply, await addPhoto(app.db, callerOf(req), req.params.id, req.params.visitId, data, writeOptionsOf(req)));
  });

  app.post('/supervision/inspections/:id/close', {
    config: { access: inspect },
    schema: {
      tags,
      operationId: 'inspections.close',
      summary: 'Close an open inspection with its conclusion (open → closed)',
      description: 'closedOn defaults to today; not in the future, not before the inspection was sent or its last visit. The assignee or a bureau officer. 200 with the closed inspection.',
      headers: IdempotencyHeaders,
      params: IdParams,
      body: CloseInspectionBody,
      response: { 200: Inspection, ...writeErrors },
    },
  }, async (req, reply) => sendResult(reply, await closeInspection(app.db, callerOf(req), req.params.id, req.body, writeOptionsOf(req))));

  app.get('/supervision/photos/:id', {
    config: { access: read },
    schema: {
      tags,
      operationId: 'inspections.getPhoto',
      summary: 'An inspection photo’s image (as stored: metadata stripped but the GPS position)',
      description: 'image/jpeg or image/png. Same scope as the inspection (a district officer: their district only). Never cached by shared caches.',
      params: IdParams,
      response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const photo = await getPhoto(app.db, callerOf(req), req.params.id);
    reply.type(photo.contentType);
    reply.header('cache-control', 'private, no-store');
    reply.header('content-disposition', `inline; filename="inspection-photo-${req.params.id}.${photo.contentType === 'image/png' ? 'png' : 'jpg'}"`);
    return reply.send(photo.data);
  });
};

export default inspectionRoutes;
