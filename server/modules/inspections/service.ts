/**
 * Field inspections of red-line items (issue #15 §3): a supervising officer sends one to a
 * district officer of the plot's district; the assignee (or a bureau officer) records visits with
 * findings and photos; the task closes with a conclusion. Every write is one transaction with its
 * audit event; a refusal writes nothing.
 *
 * Who may do what (on top of the routes' `supervision.read` / `supervision.inspect`):
 * - district officers see and send inspections of their own district only (403 OUT_OF_SCOPE);
 * - visits, photos and closing: the assignee, or a bureau officer (admin, land officer) — another
 *   district officer gets 403 NOT_ASSIGNEE;
 * - the assignee must be an active district officer of the plot's district (400 naming assigneeId);
 * - only a contracted or completed allocation is supervised (409 INVALID_STATUS); at most one open
 *   inspection per allocation (409 INSPECTION_OPEN; the partial unique index backs it up).
 *
 * Lock order: the allocation, then the inspection, then the audit head.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import { recordEvent } from '../../kernel/audit.ts';
import { callerUserId, type Caller, type CallerUser } from '../../kernel/caller.ts';
import { AppError, badRequest, notFound } from '../../kernel/errors.ts';
import { bureauToday, isIsoDate } from '../../kernel/dates.ts';
import { idempotent, type IdempotentResult, type WriteOptions } from '../../kernel/idempotency.ts';
import { assertCanSeeDistrict, districtScope } from '../auth/scope.ts';
import type { CloseInspectionBody, Inspection, InspectionBody, InspectionsQuery, Photo, Visit, VisitBody } from '../../../shared/contract/supervision.ts';
import { MAX_PHOTO_BYTES, PhotoError, processPhoto } from './photo.ts';
import {
  findAllocation,
  findPhoto,
  findUser,
  findVisit,
  insertInspection,
  insertPhoto,
  insertVisit,
  listInspections,
  lockAllocation,
  lockInspection,
  markClosed,
  openInspectionOf,
  photoView,
} from './repository.ts';

type Executor = Kysely<Database> | Transaction<Database>;

const both = (en: string, zh: string) => `${en} (${zh})`;
const SUPERVISED = new Set(['contracted', 'completed']);
const BUREAU_ROLES = new Set(['admin', 'land_officer']);

function signedIn(caller: Caller): CallerUser {
  callerUserId(caller);
  return caller.user!;
}

function checkDate(field: string, value: string): string {
  if (!isIsoDate(value)) throw badRequest(`${field} must be a date YYYY-MM-DD, got "${value.slice(0, 20)}" (日期格式应为 YYYY-MM-DD).`, { field });
  return value;
}

const text = (field: string, value: string, max: number) => {
  const t = value.trim();
  if (!t) throw badRequest(`${field} must not be blank (${field} 不能为空).`, { field });
  if (t.length > max) throw badRequest(`${field} is over ${max} characters (${field} 过长).`, { field });
  return t;
};

const inspectionOpen = (allocationId: number, id: number) =>
  new AppError(409, 'CONFLICT', both(`Allocation ${allocationId} already has an open inspection (${id}); close it before sending another`, `该供地已有未结的核查任务 ${id}，请先结案`), {
    reason: 'INSPECTION_OPEN',
    field: 'allocationId',
    inspectionId: id,
  });

/** The database's partial unique index refusing a second open inspection (a race the lock did not catch). */
function isOneOpenViolation(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  return e?.code === '23505' && (e.constraint === 'inspections_one_open_per_allocation' || String(e.message ?? '').includes('inspections_one_open_per_allocation'));
}

async function inspectionView(db: Executor, id: number): Promise<Inspection> {
  const [view] = await listInspections(db, { scope: { kind: 'all' }, ids: [id] });
  if (!view) throw notFound(`Inspection ${id}`);
  return view;
}

// --- Reading -----------------------------------------------------------------------------------------

/** GET /api/supervision/inspections: newest first; a district officer's own district only. */
export async function listInspectionsFor(db: Kysely<Database>, caller: Caller, query: InspectionsQuery): Promise<{ items: Inspection[] }> {
  return { items: await listInspections(db, { ...query, scope: districtScope(caller.user) }) };
}

/** GET /api/supervision/inspections/:id: 404 when missing, 403 outside a district officer's district. */
export async function getInspection(db: Kysely<Database>, caller: Caller, id: number): Promise<Inspection> {
  const view = await inspectionView(db, id);
  assertCanSeeDistrict(caller.user, view.districtCode);
  return view;
}

/** GET /api/supervision/photos/:id: the stored (stripped) bytes and their type; same scope as the inspection. */
export async function getPhoto(db: Kysely<Database>, caller: Caller, id: number) {
  const photo = await findPhoto(db, id);
  if (!photo) throw notFound(`Photo ${id}`);
  assertCanSeeDistrict(caller.user, photo.district_code);
  return { contentType: photo.content_type, data: photo.data, sha256: photo.sha256 };
}

// --- Writing -----------------------------------------------------------------------------------------

/** POST /api/supervision/inspections → 201 with the inspection. */
export async function createInspection(db: Kysely<Database>, caller: Caller, body: InspectionBody, opts: WriteOptions = {}): Promise<IdempotentResult<Inspection>> {
  const user = signedIn(caller);
  const reason = text('reason', body.reason, 1000);
  const today = bureauToday();
  const dueOn = body.dueOn === undefined ? null : checkDate('dueOn', body.dueOn);
  if (dueOn !== null && dueOn < today) throw badRequest(`dueOn ${dueOn} is in the past; give a day from today (${today}) on (核查期限不能早于今天).`, { field: 'dueOn' });
  try {
    return await idempotent(db, { key: opts.idempotencyKey, userId: user.id, route: 'POST /api/supervision/inspections', request: { ...body, reason, dueOn } }, 201, async (trx) => {
      const found = await findAllocation(trx, body.allocationId);
      if (!found) throw badRequest(`Allocation ${body.allocationId} does not exist (供地记录不存在).`, { field: 'allocationId' });
      assertCanSeeDistrict(user, found.districtCode);
      // Locked, then read again: its status is judged as it stands under the lock.
      await lockAllocation(trx, found.id);
      const allocation = (await findAllocation(trx, found.id))!;
      if (!SUPERVISED.has(allocation.status)) {
        throw new AppError(409, 'CONFLICT', both(`Allocation ${allocation.id} is ${allocation.status}; only a contracted or completed allocation is inspected`, '只有已签约或已竣工的供地可以发起核查'), {
          reason: 'INVALID_STATUS',
          field: 'allocationId',
          status: allocation.status,
        });
      }
      const open = await openInspectionOf(trx, allocation.id);
      if (open !== undefined) throw inspectionOpen(allocation.id, open);
      const assignee = await findUser(trx, body.assigneeId);
      if (!assignee || assignee.role !== 'district_officer' || assignee.district_code !== allocation.districtCode || assignee.disabled_at !== null) {
        const why = !assignee ? 'no such user' : assignee.role !== 'district_officer' ? `a ${assignee.role}` : assignee.disabled_at !== null ? 'a disabled account' : `an officer of district ${assignee.district_code}`;
        throw badRequest(
          both(`assigneeId ${body.assigneeId} must be an active district officer of district ${allocation.districtCode}, where plot ${allocation.plotCode} lies; it is ${why}`, `核查人须为地块所在区（${allocation.districtCode}）的在岗区级人员`),
          { field: 'assigneeId', reason: 'ASSIGNEE_NOT_ELIGIBLE' },
        );
      }
      const id = await insertInspection(trx, { allocationId: allocation.id, reason, assigneeId: assignee.id, dueOn, createdBy: user.id });
      const view = await inspectionView(trx, id);
      await recordEvent(trx, { caller, action: 'inspection.create', entity: 'inspection', entityId: id, after: view });
      return view;
    });
  } catch (err) {
    if (isOneOpenViolation(err)) {
      const open = await openInspectionOf(db, body.allocationId);
      throw inspectionOpen(body.allocationId, open ?? 0);
    }
    throw err;
  }
}

/** The inspection, locked, for a change by its assignee or a bureau officer; refused once closed. */
async function lockForChange(trx: Transaction<Database>, user: CallerUser, id: number) {
  const row = await lockInspection(trx, id);
  if (!row) throw notFound(`Inspection ${id}`);
  assertCanSeeDistrict(user, row.district_code);
  if (!BUREAU_ROLES.has(user.role) && row.assignee_id !== user.id) {
    throw new AppError(403, 'FORBIDDEN', both(`Only the assignee of inspection ${id} or a bureau officer may record on it`, '只有核查人或市局人员可以记录'), { reason: 'NOT_ASSIGNEE' });
  }
  if (row.status !== 'open') {
    throw new AppError(409, 'CONFLICT', both(`Inspection ${id} is closed; nothing more can be recorded on it`, '核查任务已结案'), { reason: 'INSPECTION_CLOSED' });
  }
  return { ...row, createdOn: bureauToday(new Date(row.created_at)) };
}

/** A day that has happened and is not before the inspection was sent. */
function checkDay(field: string, day: string, createdOn: string, today: string) {
  checkDate(field, day);
  if (day > today) throw badRequest(`${field} ${day} is in the future; record it once it has happened (日期不能晚于今天 ${today}).`, { field });
  if (day < createdOn) throw badRequest(`${field} ${day} is before the inspection was sent (${createdOn}) (日期不能早于发起核查之日).`, { field });
}

/** POST /api/supervision/inspections/:id/visits → 201 with the visit. */
export async function recordVisit(db: Kysely<Database>, caller: Caller, id: number, body: VisitBody, opts: WriteOptions = {}): Promise<IdempotentResult<Visit>> {
  const user = signedIn(caller);
  const findings = text('findings', body.findings, 5000);
  checkDate('visitedOn', body.visitedOn);
  return idempotent(db, { key: opts.idempotencyKey, userId: user.id, route: 'POST /api/supervision/inspections/:id/visits', request: { id, visitedOn: body.visitedOn, findings } }, 201, async (trx) => {
    const row = await lockForChange(trx, user, id);
    checkDay('visitedOn', body.visitedOn, row.createdOn, bureauToday());
    const visitId = await insertVisit(trx, { inspectionId: id, visitedOn: body.visitedOn, findings, recordedBy: user.id });
    const view = (await inspectionView(trx, id)).visits.find((v) => v.id === visitId)!;
    await recordEvent(trx, { caller, action: 'inspection.visit', entity: 'inspection', entityId: id, after: view });
    return view;
  });
}

/**
 * POST /api/supervision/inspections/:id/visits/:visitId/photos → 201 with the photo: stripped of
 * every piece of metadata but its GPS position (./photo.ts), stored in the database. 415 for a
 * file that is neither JPEG nor PNG, 400 for a damaged one, 413 over 10 MB.
 */
export async function addPhoto(db: Kysely<Database>, caller: Caller, id: number, visitId: number, file: Uint8Array, opts: WriteOptions = {}): Promise<IdempotentResult<Photo>> {
  const user = signedIn(caller);
  if (file.byteLength === 0) throw badRequest('The file is empty (文件为空).', { reason: 'EMPTY', field: 'file' });
  if (file.byteLength > MAX_PHOTO_BYTES) throw photoTooLarge();
  let processed: ReturnType<typeof processPhoto>;
  try {
    processed = processPhoto(file);
  } catch (err) {
    if (!(err instanceof PhotoError)) throw err;
    throw err.reason === 'NOT_AN_IMAGE'
      ? new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', both(`${err.message}; send a JPEG or PNG photo`, '照片须为 JPEG 或 PNG 格式'), { reason: err.reason, field: 'file' })
      : badRequest(both(`${err.message}; take or export the photo again`, '照片文件已损坏或不完整'), { reason: err.reason, field: 'file' });
  }
  const request = { id, visitId, sha256: processed.sha256 };
  return idempotent(db, { key: opts.idempotencyKey, userId: user.id, route: 'POST /api/supervision/inspections/:id/visits/:visitId/photos', request }, 201, async (trx) => {
    await lockForChange(trx, user, id);
    if (!(await findVisit(trx, id, visitId))) throw notFound(`Visit ${visitId} of inspection ${id}`);
    const photoId = await insertPhoto(trx, { visitId, contentType: processed.contentType, data: processed.data, location: processed.location, sha256: processed.sha256, uploadedBy: user.id });
    const view = await photoView(trx, photoId);
    await recordEvent(trx, { caller, action: 'inspection.photo', entity: 'inspection', entityId: id, after: { visitId, ...view, sha256: processed.sha256, originalBytes: file.byteLength } });
    return view;
  });
}

export const photoTooLarge = () =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', both(`The photo is larger than ${MAX_PHOTO_BYTES / 1024 / 1024} MB; send a smaller one`, `照片不能超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB`), {
    reason: 'FILE_TOO_LARGE',
    field: 'file',
    maxBytes: MAX_PHOTO_BYTES,
  });

/** POST /api/supervision/inspections/:id/close → 200 with the closed inspection. */
export async function closeInspection(db: Kysely<Database>, caller: Caller, id: number, body: CloseInspectionBody, opts: WriteOptions = {}): Promise<IdempotentResult<Inspection>> {
  const user = signedIn(caller);
  const conclusion = text('conclusion', body.conclusion, 5000);
  const today = bureauToday();
  const closedOn = body.closedOn === undefined ? today : checkDate('closedOn', body.closedOn);
  return idempotent(db, { key: opts.idempotencyKey, userId: user.id, route: 'POST /api/supervision/inspections/:id/close', request: { id, conclusion, closedOn } }, 200, async (trx) => {
    const row = await lockForChange(trx, user, id);
    checkDay('closedOn', closedOn, row.createdOn, today);
    const before = await inspectionView(trx, id);
    const lastVisit = before.visits.reduce<string | null>((max, v) => (max === null || v.visitedOn > max ? v.visitedOn : max), null);
    if (lastVisit !== null && closedOn < lastVisit) throw badRequest(`closedOn ${closedOn} is before the last visit (${lastVisit}) (结案日期不能早于最后一次核查).`, { field: 'closedOn' });
    await markClosed(trx, id, { conclusion, closedOn, closedBy: user.id });
    const after = await inspectionView(trx, id);
    await recordEvent(trx, { caller, action: 'inspection.close', entity: 'inspection', entityId: id, before: { status: before.status }, after: { status: after.status, conclusion, closedOn } });
    return after;
  });
}
