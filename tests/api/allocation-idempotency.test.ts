/**
 * Idempotency-Key on allocation writes: a replayed create or approval returns the first answer
 * and writes nothing more; the same key with another body is refused; keys are per user; a
 * refused attempt does not use its key up.
 */
import { expect, it } from 'vitest';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { expectQuotaHonest, floorOf, freshPlots, MIN_QUOTA_M2, proposal, proposeAtFloor, putQuota } from './allocation-helpers.ts';

const BIG_QUOTA_M2 = 50_000_000;
/** One land officer proposes and approves (four eyes has its own tests). */
const ONE_OFFICER = { APPROVAL_FOUR_EYES: 'false' };

describeOnDatabases('allocation idempotency', (get) => {
  let land: Session;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = land, headers: Record<string, string> = {}) => call(app(), s, 'POST', url, body, headers);
  const getJson = (url: string, s: Session | null = land) => call(app(), s, 'GET', url);

  it('signs in and sets the year used below', async () => {
    land = await login(app(), 'land');
    await putQuota(app(), land, 2026, BIG_QUOTA_M2, 0);
  });

  it('replays a create with the same Idempotency-Key and creates nothing; the same key with another body → 422', async () => {
    const [plot] = await freshPlots(app(), 1);
    const floor = await floorOf(app(), land, plot!.id, true);
    const body = proposal(plot!.id, 2026, floor);
    const key = `create-${plot!.id}-${Date.now()}`;
    const first = await post('/api/allocations', body, land, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBe('false');
    const again = await post('/api/allocations', body, land, { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await getJson(`/api/allocations?plotId=${plot!.id}`)).body.total).toBe(1);
    const other = await post('/api/allocations', { ...body, priceYuan: floor + 1 }, land, { 'idempotency-key': key });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'IDEMPOTENCY_KEY_REUSED' });
    expect(other.body.message).toMatch(/use a new key/);
    // Keys are per user: the administrator's same key is a new request.
    const admin = await login(app(), 'admin');
    const byAdmin = await post('/api/allocations', body, admin, { 'idempotency-key': key });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body.id).not.toBe(first.body.id);
    expect((await post('/api/allocations', body, land, { 'idempotency-key': '' })).status).toBe(400);
  });

  it('replays an approval with the same key: one charge, the same answer; a failed attempt is not remembered', async () => {
    const [plot] = await freshPlots(app(), 1);
    const id = await proposeAtFloor(app(), land, plot!.id, 2034);
    const key = `approve-${id}`;
    // No quota for 2034 yet: refused, and the key is not used up.
    const refused = await post(`/api/allocations/${id}/approve`, undefined, land, { 'idempotency-key': key });
    expect(refused.status).toBe(409);
    await putQuota(app(), land, 2034, MIN_QUOTA_M2);
    const first = await post(`/api/allocations/${id}/approve`, undefined, land, { 'idempotency-key': key });
    expect(first.status).toBe(200);
    const replay = await post(`/api/allocations/${id}/approve`, undefined, land, { 'idempotency-key': key });
    expect(replay.status).toBe(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    const charges = await app().db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', id).execute();
    expect(charges).toHaveLength(1);
    await expectQuotaHonest(app(), 2034);
    // Without the key, a second approval is the ordinary 409.
    expect((await post(`/api/allocations/${id}/approve`)).status).toBe(409);
    // The same key on another allocation's approval is a different request.
    const [p2] = await freshPlots(app(), 1);
    const id2 = await proposeAtFloor(app(), land, p2!.id, 2034);
    expect((await post(`/api/allocations/${id2}/approve`, undefined, land, { 'idempotency-key': key })).status).toBe(422);
    // Cancel takes a key too.
    const c1 = await post(`/api/allocations/${id}/cancel`, { reason: 'x' }, land, { 'idempotency-key': `cancel-${id}` });
    const c2 = await post(`/api/allocations/${id}/cancel`, { reason: 'x' }, land, { 'idempotency-key': `cancel-${id}` });
    expect([c1.status, c2.status]).toEqual([200, 200]);
    expect(await app().db.selectFrom('quota_ledger').select('id').where('allocation_id', '=', id).execute()).toHaveLength(2);
  });
}, ONE_OFFICER);
