/**
 * Queries of field inspections, their visits and photos (migration 016). Executor first; the
 * functions that lock take a Transaction. Rows become the contract's Inspection / Visit / Photo
 * here (`toInspectionViews`).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../kernel/db/schema.ts';
import type { DistrictScope } from '../auth/scope.ts';
import { iso } from '../../kernel/dates.ts';
import type { Inspection, InspectionsQuery, Photo, Visit } from '../../../shared/contract/supervision.ts';

type Executor = Kysely<Database> | Transaction<Database>;

/** The allocation an inspection is about, with its plot and district. */
export interface InspectedAllocation {
  id: number;
  status: string;
  plotId: number;
  plotCode: string;
  districtCode: string;
}

export async function findAllocation(db: Executor, id: number): Promise<InspectedAllocation | undefined> {
  const r = await db
    .selectFrom('allocations as a')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['a.id', 'a.status', 'pl.id as plot_id', 'pl.code as plot_code', 'pk.district_code'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  return r && { id: r.id, status: r.status, plotId: r.plot_id, plotCode: r.plot_code, districtCode: r.district_code };
}

/** Locks the allocation row, so two officers sending an inspection queue on it. */
export async function lockAllocation(trx: Transaction<Database>, id: number): Promise<void> {
  await trx.selectFrom('allocations').select('id').where('id', '=', id).forUpdate().execute();
}

export async function findUser(db: Executor, id: number) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'district_code', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function openInspectionOf(db: Executor, allocationId: number): Promise<number | undefined> {
  const r = await db.selectFrom('inspections').select('id').where('allocation_id', '=', allocationId).where('status', '=', 'open').executeTakeFirst();
  return r?.id;
}

export async function insertInspection(
  trx: Transaction<Database>,
  v: { allocationId: number; reason: string; assigneeId: number; dueOn: string | null; createdBy: number },
): Promise<number> {
  const r = await trx
    .insertInto('inspections')
    .values({ allocation_id: v.allocationId, reason: v.reason, assignee_id: v.assigneeId, due_on: v.dueOn, created_by: v.createdBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** The inspection row, its district and its creation day, locked (FOR UPDATE of the inspection). */
export async function lockInspection(trx: Transaction<Database>, id: number) {
  return trx
    .selectFrom('inspections as i')
    .innerJoin('allocations as a', 'a.id', 'i.allocation_id')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .select(['i.id', 'i.status', 'i.assignee_id', 'i.created_at', 'pk.district_code'])
    .where('i.id', '=', id)
    .forUpdate('i')
    .executeTakeFirst();
}

export async function insertVisit(trx: Transaction<Database>, v: { inspectionId: number; visitedOn: string; findings: string; recordedBy: number }): Promise<number> {
  const r = await trx
    .insertInto('inspection_visits')
    .values({ inspection_id: v.inspectionId, visited_on: v.visitedOn, findings: v.findings, recorded_by: v.recordedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function findVisit(db: Executor, inspectionId: number, visitId: number) {
  return db.selectFrom('inspection_visits').select(['id', 'visited_on']).where('id', '=', visitId).where('inspection_id', '=', inspectionId).executeTakeFirst();
}

export async function insertPhoto(
  trx: Transaction<Database>,
  v: { visitId: number; contentType: 'image/jpeg' | 'image/png'; data: Uint8Array; location: { lon: number; lat: number } | null; sha256: string; uploadedBy: number },
): Promise<number> {
  const r = await trx
    .insertInto('inspection_photos')
    .values({
      visit_id: v.visitId,
      content_type: v.contentType,
      bytes: v.data.byteLength,
      // As base64 text decoded by the database: PGlite serialises a bytea parameter byte by byte
      // (≈ 14 s for 10 MB here); base64 takes ≈ 2 s, and pg is fine either way.
      data: sql<Uint8Array>`decode(${Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength).toString('base64')}, 'base64')`,
      lon: v.location ? v.location.lon.toFixed(7) : null,
      lat: v.location ? v.location.lat.toFixed(7) : null,
      sha256: v.sha256,
      uploaded_by: v.uploadedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function markClosed(trx: Transaction<Database>, id: number, v: { conclusion: string; closedOn: string; closedBy: number }): Promise<void> {
  await trx
    .updateTable('inspections')
    .set({ status: 'closed', conclusion: v.conclusion, closed_on: v.closedOn, closed_by: v.closedBy, closed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** A photo's bytes and the district it belongs to (for the scope check). */
export async function findPhoto(db: Executor, id: number) {
  const r = await db
    .selectFrom('inspection_photos as ph')
    .innerJoin('inspection_visits as v', 'v.id', 'ph.visit_id')
    .innerJoin('inspections as i', 'i.id', 'v.inspection_id')
    .innerJoin('allocations as a', 'a.id', 'i.allocation_id')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    // base64 for the same reason as on insert (PGlite parses a bytea result slowly).
    .select(['ph.id', 'ph.content_type', sql<string>`encode(ph.data, 'base64')`.as('data'), 'ph.sha256', 'pk.district_code'])
    .where('ph.id', '=', id)
    .executeTakeFirst();
  return r && { ...r, data: Buffer.from(r.data, 'base64') };
}

// --- Views -----------------------------------------------------------------------------------------

export interface InspectionFilter extends InspectionsQuery {
  scope: DistrictScope;
  ids?: number[];
}

export async function listInspections(db: Executor, f: InspectionFilter): Promise<Inspection[]> {
  if (f.scope.kind === 'none') return [];
  let q = db
    .selectFrom('inspections as i')
    .innerJoin('allocations as a', 'a.id', 'i.allocation_id')
    .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
    .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
    .innerJoin('users as u', 'u.id', 'i.assignee_id')
    .leftJoin('users as cb', 'cb.id', 'i.created_by')
    .leftJoin('users as xb', 'xb.id', 'i.closed_by')
    .select([
      'i.id', 'i.allocation_id', 'pl.id as plot_id', 'pl.code as plot_code', 'pk.district_code', 'i.status', 'i.reason', 'i.due_on',
      'i.created_at', 'i.conclusion', 'i.closed_on', 'i.sample', 'u.id as assignee_id', 'u.username as assignee_username',
      'u.display_name as assignee_display_name', 'cb.username as created_by', 'xb.username as closed_by',
    ])
    .orderBy('i.id', 'desc');
  if (f.scope.kind === 'district') q = q.where('pk.district_code', '=', f.scope.code);
  if (f.ids) q = q.where('i.id', 'in', f.ids.length > 0 ? f.ids : [-1]);
  if (f.status) q = q.where('i.status', '=', f.status);
  if (f.allocationId) q = q.where('i.allocation_id', '=', f.allocationId);
  if (f.districtCode) q = q.where('pk.district_code', '=', f.districtCode);
  if (f.assigneeId) q = q.where('i.assignee_id', '=', f.assigneeId);
  const rows = await q.execute();
  const visits = await visitsOf(db, rows.map((r) => r.id));
  return rows.map((r) => ({
    id: r.id,
    allocationId: r.allocation_id,
    plotId: r.plot_id,
    plotCode: r.plot_code,
    districtCode: r.district_code,
    status: r.status,
    reason: r.reason,
    assignee: { id: r.assignee_id, username: r.assignee_username, displayName: r.assignee_display_name },
    dueOn: r.due_on,
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    conclusion: r.conclusion,
    closedOn: r.closed_on,
    closedBy: r.closed_by,
    visits: visits.get(r.id) ?? [],
    sample: r.sample,
  }));
}

export const photoUrl = (id: number) => `/api/supervision/photos/${id}`;

/** The visits of these inspections with their photos (metadata only), oldest first. */
async function visitsOf(db: Executor, inspectionIds: number[]): Promise<Map<number, Visit[]>> {
  const out = new Map<number, Visit[]>();
  if (inspectionIds.length === 0) return out;
  const visits = await db
    .selectFrom('inspection_visits as v')
    .leftJoin('users as u', 'u.id', 'v.recorded_by')
    .select(['v.id', 'v.inspection_id', 'v.visited_on', 'v.findings', 'v.recorded_at', 'u.username as recorded_by'])
    .where('v.inspection_id', 'in', inspectionIds)
    .orderBy('v.visited_on')
    .orderBy('v.id')
    .execute();
  const photos = visits.length === 0 ? [] : await db
    .selectFrom('inspection_photos')
    .select(['id', 'visit_id', 'content_type', 'bytes', 'lon', 'lat'])
    .where('visit_id', 'in', visits.map((v) => v.id))
    .orderBy('id')
    .execute();
  const byVisit = new Map<number, Photo[]>();
  for (const p of photos) {
    const list = byVisit.get(p.visit_id) ?? [];
    list.push(toPhotoView(p));
    byVisit.set(p.visit_id, list);
  }
  for (const v of visits) {
    const list = out.get(v.inspection_id) ?? [];
    list.push({ id: v.id, visitedOn: v.visited_on, findings: v.findings, recordedBy: v.recorded_by, recordedAt: iso(v.recorded_at), photos: byVisit.get(v.id) ?? [] });
    out.set(v.inspection_id, list);
  }
  return out;
}

export function toPhotoView(p: { id: number; content_type: 'image/jpeg' | 'image/png'; bytes: number; lon: string | null; lat: string | null }): Photo {
  return {
    id: p.id,
    contentType: p.content_type,
    bytes: p.bytes,
    location: p.lon !== null && p.lat !== null ? { lon: Number(p.lon), lat: Number(p.lat) } : null,
    url: photoUrl(p.id),
  };
}

export async function photoView(db: Executor, id: number): Promise<Photo> {
  const p = await db.selectFrom('inspection_photos').select(['id', 'content_type', 'bytes', 'lon', 'lat']).where('id', '=', id).executeTakeFirstOrThrow();
  return toPhotoView(p);
}
