/**
 * Field inspections with photos (issue #15 §3) on PGlite and PostgreSQL: sending one to a
 * district officer of the plot's district, district scope, visits, photo upload and download
 * (metadata stripped, GPS position kept), the 10 MB limit and the type by magic bytes, closing
 * with a conclusion, one open inspection per allocation, nothing half-written on a refusal, and
 * the audit trail.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { describeOnDatabases } from './context.ts';
import { as, call, login, type Session } from './login.ts';
import { freshPlots, MIN_QUOTA_M2, proposeAtFloor, putQuota } from './allocation-helpers.ts';
import { bureauToday } from '../../shared/dates.ts';
import { processPhoto } from '../../server/modules/inspections/photo.ts';
import { readGps } from '../../server/modules/inspections/exif.ts';
import { CAMERA_SECRETS, HUANGPU_DEGREES, cameraExif, cameraJpeg, cameraPng, pngChunks } from '../unit/photo-fixtures.ts';

const HUANGPU = '440112';
const TIANHE = '440106';
const addDays = (iso: string, n: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A multipart/form-data body with one file part. */
function multipart(field: string, filename: string, contentType: string, data: Buffer) {
  const boundary = `----insp${Math.random().toString(16).slice(2)}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function upload(app: FastifyInstance, s: Session, url: string, data: Buffer, filename = 'photo.jpg', contentType = 'image/jpeg', extra: Record<string, string> = {}) {
  const m = multipart('file', filename, contentType, data);
  const res = await app.inject({ method: 'POST', url, payload: m.payload, headers: as(s, { ...m.headers, ...extra }) });
  return { status: res.statusCode, body: res.json() as Record<string, any>, headers: res.headers }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function counts(app: FastifyInstance) {
  const r = await sql<{ i: number; v: number; p: number; e: number }>`
    select (select count(*)::int from inspections) as i, (select count(*)::int from inspection_visits) as v,
           (select count(*)::int from inspection_photos) as p, (select count(*)::int from audit_events) as e`.execute(app.db);
  return r.rows[0]!;
}

async function auditOf(app: FastifyInstance, id: number) {
  return app.db.selectFrom('audit_events').select(['action', 'actor_username', 'after']).where('entity', '=', 'inspection').where('entity_id', '=', String(id)).orderBy('id').execute();
}

describeOnDatabases('field inspections', (get) => {
  let app: FastifyInstance;
  let land: Session;
  let huangpu: Session;
  let tianhe: Session;
  let industry: Session;
  let investor: Session;
  const users: Record<string, number> = {};
  const free: number[] = [];
  let tianheAllocation: number;

  /** A contracted or completed Huangpu allocation no other test has used. */
  const huangpuAllocation = () => {
    const id = free.shift();
    expect(id, 'need another contracted Huangpu allocation').toBeDefined();
    return id!;
  };

  async function send(s: Session, allocationId: number, assignee = 'district-huangpu', extra: Record<string, unknown> = {}) {
    return call(app, s, 'POST', '/api/supervision/inspections', { allocationId, assigneeId: users[assignee], reason: '逾期未动工，现场核查', ...extra });
  }

  beforeAll(async () => {
    app = get().app;
    const sessions = await Promise.all(['land', 'district-huangpu', 'district-tianhe', 'industry', 'investor'].map((u) => login(app, u)));
    [land, huangpu, tianhe, industry, investor] = sessions as [Session, Session, Session, Session, Session];
    for (const u of await app.db.selectFrom('users').select(['id', 'username']).execute()) users[u.username] = u.id;
    const supervised = await app.db
      .selectFrom('allocations as a')
      .innerJoin('plots as pl', 'pl.id', 'a.plot_id')
      .innerJoin('parks as pk', 'pk.id', 'pl.park_id')
      .select(['a.id', 'pk.district_code'])
      .where('a.status', 'in', ['contracted', 'completed'])
      // Not one the demo already sends an inspection to (seeds/sample-supervision.ts).
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('inspections as i').select('i.id').whereRef('i.allocation_id', '=', 'a.id').where('i.status', '=', 'open'))))
      .orderBy('a.id')
      .execute();
    free.push(...supervised.filter((a) => a.district_code === HUANGPU).map((a) => a.id));
    tianheAllocation = supervised.find((a) => a.district_code === TIANHE)!.id;
    expect(free.length).toBeGreaterThanOrEqual(8);
    expect(tianheAllocation).toBeDefined();
  });

  it('a land officer sends an inspection to a district officer of the plot’s district; it is audited', async () => {
    const allocationId = huangpuAllocation();
    const due = addDays(bureauToday(), 14);
    const r = await send(land, allocationId, 'district-huangpu', { dueOn: due });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      allocationId,
      districtCode: HUANGPU,
      status: 'open',
      reason: '逾期未动工，现场核查',
      assignee: { id: users['district-huangpu'], username: 'district-huangpu' },
      dueOn: due,
      createdBy: 'land',
      conclusion: null,
      closedOn: null,
      visits: [],
      sample: false,
    });
    expect(await auditOf(app, r.body.id)).toMatchObject([{ action: 'inspection.create', actor_username: 'land' }]);
    const got = await call(app, huangpu, 'GET', `/api/supervision/inspections/${r.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(r.body);
  });

  it('refuses an assignee who is not an active district officer of that district, naming assigneeId, and writes nothing', async () => {
    const allocationId = huangpuAllocation();
    const before = await counts(app);
    for (const who of ['district-tianhe', 'industry', 'land', 'investor']) {
      const r = await send(land, allocationId, who);
      expect(r.status, who).toBe(400);
      expect(r.body).toMatchObject({ field: 'assigneeId', reason: 'ASSIGNEE_NOT_ELIGIBLE' });
      expect(r.body.message).toContain(HUANGPU);
    }
    const none = await call(app, land, 'POST', '/api/supervision/inspections', { allocationId, assigneeId: 999_999, reason: 'x' });
    expect(none.status).toBe(400);
    expect(none.body.field).toBe('assigneeId');
    // A disabled district officer of the right district is refused too.
    await app.db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', users['district-huangpu']!).execute();
    try {
      const disabled = await send(land, allocationId);
      expect(disabled.status).toBe(400);
      expect(disabled.body.message).toContain('disabled');
    } finally {
      await app.db.updateTable('users').set({ disabled_at: null }).where('id', '=', users['district-huangpu']!).execute();
    }
    expect(await counts(app)).toEqual(before);
  });

  it('keeps district officers to their district; read-only roles cannot send', async () => {
    const allocationId = huangpuAllocation();
    const out = await send(tianhe, allocationId, 'district-huangpu');
    expect(out.status).toBe(403);
    expect(out.body.reason).toBe('OUT_OF_SCOPE');
    expect((await send(industry, allocationId)).status).toBe(403);
    expect((await send(investor, allocationId)).status).toBe(403);
    const own = await send(huangpu, allocationId);
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const id = own.body.id as number;
    expect((await call(app, tianhe, 'GET', `/api/supervision/inspections/${id}`)).status).toBe(403);
    expect((await call(app, industry, 'GET', `/api/supervision/inspections/${id}`)).status).toBe(200);
    expect((await call(app, investor, 'GET', '/api/supervision/inspections')).status).toBe(403);
    const theirs = await call(app, tianhe, 'GET', '/api/supervision/inspections');
    expect(theirs.status).toBe(200);
    expect(theirs.body.items.every((i: { districtCode: string }) => i.districtCode === TIANHE)).toBe(true);
    expect(theirs.body.items.some((i: { id: number }) => i.id === id)).toBe(false);
    const mine = await call(app, huangpu, 'GET', `/api/supervision/inspections?status=open&allocationId=${allocationId}`);
    expect(mine.body.items.map((i: { id: number }) => i.id)).toEqual([id]);
    // Another district officer may not record on it, even one of a district who could see it.
    expect((await call(app, tianhe, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: bureauToday(), findings: 'x' })).status).toBe(403);
    // Tianhe's own allocation, to its own officer: fine.
    expect((await send(tianhe, tianheAllocation, 'district-tianhe')).status).toBe(201);
  });

  it('inspects only contracted or completed allocations', async () => {
    // A fresh proposal on an available Huangpu plot: not under supervision yet.
    const [plot] = await freshPlots(app, 1, { districtCode: HUANGPU });
    const year = Number(bureauToday().slice(0, 4));
    await putQuota(app, land, year, MIN_QUOTA_M2 * 2);
    const proposed = await proposeAtFloor(app, land, plot!.id, year);
    const before = await counts(app);
    const r = await send(land, proposed);
    expect(r.status, JSON.stringify(r.body)).toBe(409);
    expect(r.body).toMatchObject({ reason: 'INVALID_STATUS', field: 'allocationId', status: 'proposed' });
    const missing = await send(land, 99_999_999);
    expect(missing.status).toBe(400);
    expect(missing.body.field).toBe('allocationId');
    expect(await counts(app)).toEqual(before);
  });

  it('allows one open inspection per allocation; after closing, another may be sent', async () => {
    const allocationId = huangpuAllocation();
    const first = await send(land, allocationId);
    expect(first.status).toBe(201);
    const before = await counts(app);
    const second = await send(land, allocationId);
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ reason: 'INSPECTION_OPEN', inspectionId: first.body.id });
    expect(await counts(app)).toEqual(before);
    // The database says so too.
    await expect(sql`insert into inspections (allocation_id, reason, assignee_id) values (${allocationId}, 'x', ${users['district-huangpu']})`.execute(app.db)).rejects.toThrow(/inspections_one_open_per_allocation/);
    const closed = await call(app, land, 'POST', `/api/supervision/inspections/${first.body.id}/close`, { conclusion: '已动工，解除预警' });
    expect(closed.status).toBe(200);
    expect((await send(land, allocationId)).status).toBe(201);
  });

  it('two officers sending at once: exactly one inspection is opened, the other gets 409', async () => {
    const allocationId = huangpuAllocation();
    const admin = await login(app, 'admin');
    const [a, b] = await Promise.all([send(land, allocationId), send(admin, allocationId)]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.body.reason).toBe('INSPECTION_OPEN');
    const open = await app.db.selectFrom('inspections').select('id').where('allocation_id', '=', allocationId).where('status', '=', 'open').execute();
    expect(open).toHaveLength(1);
  });

  it('records a visit with a JPEG and a PNG photo: stored stripped, GPS position kept, served with its type', async () => {
    const created = await send(land, huangpuAllocation());
    const id = created.body.id as number;
    const today = bureauToday();
    const visit = await call(app, huangpu, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: today, findings: '现场未见施工，场地围挡完好。\n已拍照。' });
    expect(visit.status, JSON.stringify(visit.body)).toBe(201);
    expect(visit.body).toMatchObject({ visitedOn: today, recordedBy: 'district-huangpu', photos: [] });
    const visitId = visit.body.id as number;
    const url = `/api/supervision/inspections/${id}/visits/${visitId}/photos`;

    const jpeg = cameraJpeg().file;
    const up = await upload(app, huangpu, url, jpeg, 'IMG_0001.JPG');
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body.contentType).toBe('image/jpeg');
    expect(up.body.location.lat).toBeCloseTo(HUANGPU_DEGREES.lat, 6);
    expect(up.body.location.lon).toBeCloseTo(HUANGPU_DEGREES.lon, 6);
    expect(up.body.url).toBe(`/api/supervision/photos/${up.body.id}`);
    const down = await app.inject({ method: 'GET', url: up.body.url, headers: as(huangpu) });
    expect(down.statusCode).toBe(200);
    expect(down.headers['content-type']).toBe('image/jpeg');
    expect(String(down.headers['cache-control'])).toMatch(/no-store|private/);
    const stored = down.rawPayload;
    expect(stored.equals(processPhoto(jpeg).data)).toBe(true);
    expect(up.body.bytes).toBe(stored.length);
    for (const s of [...CAMERA_SECRETS, 'xap/1.0', 'ICC_PROFILE', 'secret comment', 'TRAILER']) expect(stored.toString('latin1')).not.toContain(s);
    const app1 = stored.indexOf(Buffer.from('Exif\0\0', 'latin1'));
    expect(readGps(stored.subarray(app1 + 6))).toEqual(readGps(cameraExif()));
    // Another district's officer may not fetch it; a bureau officer may.
    expect((await app.inject({ method: 'GET', url: up.body.url, headers: as(tianhe) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: up.body.url, headers: as(industry) })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: up.body.url })).statusCode).toBe(401);

    const png = await upload(app, land, url, cameraPng().file, 'scan.png', 'image/png');
    expect(png.status, JSON.stringify(png.body)).toBe(201);
    expect(png.body.contentType).toBe('image/png');
    expect(png.body.location.lat).toBeCloseTo(HUANGPU_DEGREES.lat, 6);
    const pngDown = await app.inject({ method: 'GET', url: png.body.url, headers: as(land) });
    expect(pngDown.headers['content-type']).toBe('image/png');
    expect(pngChunks(pngDown.rawPayload).map(([t]) => t)).toEqual(['IHDR', 'eXIf', 'gAMA', 'sRGB', 'IDAT', 'IEND']);

    const noGps = await upload(app, huangpu, url, cameraJpeg({ exif: cameraExif({ gps: null }) }).file);
    expect(noGps.status).toBe(201);
    expect(noGps.body.location).toBeNull();

    const view = await call(app, huangpu, 'GET', `/api/supervision/inspections/${id}`);
    expect(view.body.visits).toHaveLength(1);
    expect(view.body.visits[0].photos.map((p: { id: number }) => p.id)).toEqual([up.body.id, png.body.id, noGps.body.id]);
    const actions = (await auditOf(app, id)).map((e) => e.action);
    expect(actions).toEqual(['inspection.create', 'inspection.visit', 'inspection.photo', 'inspection.photo', 'inspection.photo']);
  });

  it('refuses photos over 10 MB, of another type, damaged, or missing — writing nothing', async () => {
    const id = (await send(land, huangpuAllocation())).body.id as number;
    const visitId = (await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: bureauToday(), findings: '现场核查' })).body.id as number;
    const url = `/api/supervision/inspections/${id}/visits/${visitId}/photos`;
    const before = await counts(app);

    const { file } = cameraJpeg({ trailer: false });
    /** A whole JPEG of exactly `size` bytes: scan data padded before EOI. */
    const jpegOf = (size: number) => Buffer.concat([file.subarray(0, file.length - 2), Buffer.alloc(size - file.length, 0x11), file.subarray(-2)]);
    const big = jpegOf(10 * 1024 * 1024 + 1);
    expect(big.length).toBe(10 * 1024 * 1024 + 1);
    const tooBig = await upload(app, land, url, big);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body).toMatchObject({ reason: 'FILE_TOO_LARGE', field: 'file' });
    expect(tooBig.body.message).toContain('10 MB');

    const gif = await upload(app, land, url, Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'), 'photo.jpg', 'image/jpeg');
    expect(gif.status).toBe(415);
    expect(gif.body.reason).toBe('NOT_AN_IMAGE');

    const cut = await upload(app, land, url, file.subarray(0, file.length - 30));
    expect(cut.status).toBe(400);
    expect(cut.body.reason).toBe('IMAGE_MALFORMED');

    const m = multipart('other', 'x.jpg', 'image/jpeg', file);
    const noFile = await app.inject({ method: 'POST', url, payload: m.payload, headers: as(land, m.headers) });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().reason).toBe('NO_FILE');

    const json = await call(app, land, 'POST', url, { file: 'abc' });
    expect(json.status).toBe(415);
    expect((await upload(app, land, `/api/supervision/inspections/${id}/visits/99999999/photos`, file)).status).toBe(404);

    expect(await counts(app)).toEqual(before);

    // Exactly 10 MB is within the limit.
    const max = await upload(app, land, url, jpegOf(10 * 1024 * 1024));
    expect(max.status, JSON.stringify(max.body)).toBe(201);
    expect(max.body.bytes).toBe(processPhoto(jpegOf(10 * 1024 * 1024)).data.length);
  });

  it('refuses visit days in the future or before the inspection was sent', async () => {
    const id = (await send(land, huangpuAllocation())).body.id as number;
    const today = bureauToday();
    const tomorrow = await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: addDays(today, 1), findings: 'x' });
    expect(tomorrow.status).toBe(400);
    expect(tomorrow.body.field).toBe('visitedOn');
    const early = await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: addDays(today, -1), findings: 'x' });
    expect(early.status).toBe(400);
    expect(early.body.field).toBe('visitedOn');
    const bad = await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: '2026-02-30', findings: 'x' });
    expect(bad.status).toBe(400);
    const blank = await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: today, findings: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.field).toBe('findings');
    // Sent ten days ago: a visit five days ago is fine.
    await app.db.updateTable('inspections').set({ created_at: new Date(Date.now() - 10 * 86_400_000) }).where('id', '=', id).execute();
    expect((await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: addDays(today, -5), findings: '五天前核查' })).status).toBe(201);
  });

  it('closes with a conclusion (open → closed, audited); nothing more can be recorded, and the database holds the rule', async () => {
    const id = (await send(land, huangpuAllocation())).body.id as number;
    const visitId = (await call(app, huangpu, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: bureauToday(), findings: '已开挖基坑' })).body.id as number;
    expect((await call(app, huangpu, 'POST', `/api/supervision/inspections/${id}/close`, { conclusion: '  ' })).status).toBe(400);
    expect((await call(app, tianhe, 'POST', `/api/supervision/inspections/${id}/close`, { conclusion: 'x' })).status).toBe(403);
    expect((await call(app, huangpu, 'POST', `/api/supervision/inspections/${id}/close`, { conclusion: 'x', closedOn: addDays(bureauToday(), 1) })).body.field).toBe('closedOn');
    const closed = await call(app, huangpu, 'POST', `/api/supervision/inspections/${id}/close`, { conclusion: '已动工（深基坑开挖完成），不构成闲置。' }, { 'idempotency-key': `close-${id}` });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', conclusion: '已动工（深基坑开挖完成），不构成闲置。', closedOn: bureauToday(), closedBy: 'district-huangpu' });
    const replay = await call(app, huangpu, 'POST', `/api/supervision/inspections/${id}/close`, { conclusion: '已动工（深基坑开挖完成），不构成闲置。' }, { 'idempotency-key': `close-${id}` });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    const before = await counts(app);
    const again = await call(app, land, 'POST', `/api/supervision/inspections/${id}/close`, { conclusion: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('INSPECTION_CLOSED');
    expect((await call(app, land, 'POST', `/api/supervision/inspections/${id}/visits`, { visitedOn: bureauToday(), findings: 'late' })).body.reason).toBe('INSPECTION_CLOSED');
    expect((await upload(app, land, `/api/supervision/inspections/${id}/visits/${visitId}/photos`, cameraJpeg().file)).status).toBe(409);
    expect(await counts(app)).toEqual(before);
    const audit = await auditOf(app, id);
    expect(audit.map((e) => e.action)).toEqual(['inspection.create', 'inspection.visit', 'inspection.close']);
    expect(audit[2]!.after).toMatchObject({ status: 'closed' });
    // CHECK: closed needs its conclusion; open has none.
    await expect(sql`update inspections set conclusion = null where id = ${id}`.execute(app.db)).rejects.toThrow(/inspections_closed_has_conclusion/);
    const list = await call(app, land, 'GET', '/api/supervision/inspections?status=closed');
    expect(list.body.items.some((i: { id: number }) => i.id === id)).toBe(true);
  });

  it('replays a keyed create and refuses the key for another request', async () => {
    const allocationId = huangpuAllocation();
    const body = { allocationId, assigneeId: users['district-huangpu'], reason: '复查' };
    const a = await call(app, land, 'POST', '/api/supervision/inspections', body, { 'idempotency-key': `create-${allocationId}` });
    const b = await call(app, land, 'POST', '/api/supervision/inspections', body, { 'idempotency-key': `create-${allocationId}` });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.id).toBe(a.body.id);
    const c = await call(app, land, 'POST', '/api/supervision/inspections', { ...body, reason: '另一个' }, { 'idempotency-key': `create-${allocationId}` });
    expect(c.status).toBe(422);
  });
});
