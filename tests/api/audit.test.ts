/**
 * The audit trail: events written in the transaction of the
 * change, append-only in the database itself (triggers, and the app role's privileges), chained
 * with a keyed MAC, and a verification that names the first
 * broken link — on PGlite and PostgreSQL.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { canonicalJson, recordEvent, systemActor, verifyAuditChain } from '../../server/kernel/audit.ts';
import { inTransaction } from '../../server/kernel/db/transaction.ts';
import { asOwner, behindTheTrigger } from './owner.ts';

describeOnDatabases('audit trail', (get) => {
  const app = () => get().app;
  const db = () => get().app.db;
  let admin: Session;
  let land: Session;
  beforeAll(async () => {
    admin = await login(app(), 'admin');
    land = await login(app(), 'land');
  });
  const count = async () => (await db().selectFrom('audit_events').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow()).n;
  const createUser = async (username: string) => {
    const res = await call(app(), admin, 'POST', '/api/users', { username, displayName: username, role: 'investor', password: 'correct horse battery' });
    expect(res.status).toBe(201);
    return res.body as { id: number };
  };

  it('starts with the demo accounts’ creation, attributed to the seeding', async () => {
    const res = await call(app(), admin, 'GET', '/api/audit?action=user.create&actor=system:demo-seed');
    expect(res.body.total).toBe(6);
    expect(res.body.items[0]).toMatchObject({ entity: 'user', actorUserId: null, actorRole: null, before: null });
    expect(JSON.stringify(res.body)).not.toMatch(/scrypt|password_hash/);
  });

  it('records who did what to which record, with before, after and the request id', async () => {
    const u = await createUser('audited-one');
    const res = await call(app(), admin, 'POST', `/api/users/${u.id}/disable`, undefined, { 'x-request-id': 'req-audit-test-0001' });
    expect(res.status).toBe(200);
    const history = await call(app(), land, 'GET', `/api/audit?entity=user&entityId=${u.id}`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['user.disable', 'user.create']);
    const [disable] = history.body.items;
    expect(disable).toMatchObject({
      actorUsername: 'admin',
      actorRole: 'admin',
      entity: 'user',
      entityId: String(u.id),
      requestId: 'req-audit-test-0001',
      before: { username: 'audited-one', disabled: false },
      after: { username: 'audited-one', disabled: true, revokedSessions: 0 },
    });
    expect(Date.now() - Date.parse(disable.at)).toBeLessThan(60_000);
    expect(disable.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(history.body.items[1].hash).toBe(disable.prevHash);
  });

  it('records sign-ins, failed sign-ins and sign-outs', async () => {
    const s = await login(app(), 'industry');
    await app().inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '10.77.0.1', payload: { username: 'industry', password: 'wrong-password' } });
    await call(app(), s, 'POST', '/api/auth/logout');
    const events = (await call(app(), admin, 'GET', '/api/audit?entity=user&limit=3')).body.items;
    expect(events.map((e: { action: string }) => e.action)).toEqual(['auth.logout', 'auth.login_failed', 'auth.login']);
    expect(events[1]).toMatchObject({ actorUsername: null, after: { username: 'industry', ip: '10.77.0.1', reason: 'wrong_password' } });
    expect(events[2]).toMatchObject({ actorUsername: 'industry', actorRole: 'industry_officer' });
  });

  it('writes no event when the change fails: the event is part of the transaction', async () => {
    const before = await count();
    const head = await db().selectFrom('audit_head').select('last_hash').executeTakeFirstOrThrow();
    await expect(
      inTransaction(db(), async (trx) => {
        await recordEvent(trx, { actor: systemActor('test'), action: 'test.doomed', entity: 'test', entityId: 1, after: { x: 1 } });
        throw new Error('the change fails after its event was written');
      }),
    ).rejects.toThrow(/fails/);
    expect(await count()).toBe(before);
    expect((await db().selectFrom('audit_head').select('last_hash').executeTakeFirstOrThrow()).last_hash).toBe(head.last_hash);
    // Through the API: a refused change (duplicate username) leaves no event either.
    const dup = await call(app(), admin, 'POST', '/api/users', { username: 'ADMIN', displayName: 'x', role: 'investor', password: 'correct horse battery' });
    expect(dup.status).toBe(409);
    expect(await count()).toBe(before);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE of events: the app role has no such privilege, and the owner meets the triggers', async () => {
    const { id } = await db().selectFrom('audit_events').select(sql<string>`id::text`.as('id')).orderBy('audit_events.id', 'desc').limit(1).executeTakeFirstOrThrow();
    // The app's own connection (role iab_app).
    await expect(sql`UPDATE audit_events SET action = 'user.nothing' WHERE id = ${id}::bigint`.execute(db())).rejects.toThrow(/permission denied for table audit_events/);
    await expect(sql`DELETE FROM audit_events WHERE id = ${id}::bigint`.execute(db())).rejects.toThrow(/permission denied for table audit_events/);
    await expect(sql`TRUNCATE audit_events`.execute(db())).rejects.toThrow(/permission denied for table audit_events/);
    await expect(sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`.execute(db())).rejects.toThrow(/must be owner/);
    // The owner: the triggers refuse.
    await asOwner(get(), async (owner) => {
      await expect(sql`UPDATE audit_events SET action = 'user.nothing' WHERE id = ${id}::bigint`.execute(owner)).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(sql`DELETE FROM audit_events WHERE id = ${id}::bigint`.execute(owner)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(sql`DELETE FROM audit_events`.execute(owner)).rejects.toThrow(/append-only/);
      await expect(sql`TRUNCATE audit_events`.execute(owner)).rejects.toThrow(/append-only: TRUNCATE refused/);
    });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('detects an event changed behind the triggers’ back, names it, and verifies again once restored', async () => {
    const target = await db()
      .selectFrom('audit_events')
      .select([sql<string>`id::text`.as('id'), sql<string>`after::text`.as('after')])
      .where('action', '=', 'user.disable')
      .orderBy('audit_events.id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    // Only the owner (or a superuser) can do this; the verification is there for exactly that case.
    const tamper = (after: string) => behindTheTrigger(get(), (owner) => sql`UPDATE audit_events SET after = ${after}::jsonb WHERE id = ${target.id}::bigint`.execute(owner));
    await tamper(JSON.stringify({ ...JSON.parse(target.after), disabled: false }));
    const broken = await call(app(), admin, 'GET', '/api/audit/verify');
    expect(broken.status).toBe(200);
    expect(broken.body).toMatchObject({ ok: false, brokenAtId: Number(target.id) });
    expect(broken.body.reason).toMatch(/changed after it was written/);
    await tamper(target.after);
    expect((await call(app(), admin, 'GET', '/api/audit/verify')).body.ok).toBe(true);
  });

  it('detects an event removed from the middle and from the end of the chain', async () => {
    await createUser('chain-a');
    await createUser('chain-b');
    const last2 = await db().selectFrom('audit_events').selectAll().select(sql<string>`id::text`.as('id')).orderBy('audit_events.id', 'desc').limit(2).execute();
    const [last, middle] = last2 as unknown as Record<string, unknown>[];
    const reinsert = (r: Record<string, unknown>) =>
      asOwner(get(), (owner) =>
        sql`INSERT INTO audit_events (id, at, actor_user_id, actor_username, actor_role, action, entity, entity_id, before, after, request_id, prev_hash, hash)
          OVERRIDING SYSTEM VALUE VALUES (${r.id}::bigint, ${r.at as Date}, ${r.actor_user_id}, ${r.actor_username}, ${r.actor_role}, ${r.action}, ${r.entity},
          ${r.entity_id}, ${r.before === null ? null : JSON.stringify(r.before)}::jsonb, ${r.after === null ? null : JSON.stringify(r.after)}::jsonb, ${r.request_id}, ${r.prev_hash}, ${r.hash})`.execute(owner),
      );

    await behindTheTrigger(get(), (owner) => sql`DELETE FROM audit_events WHERE id = ${middle!.id}::bigint`.execute(owner));
    const gap = await verifyAuditChain(db());
    expect(gap).toMatchObject({ ok: false, brokenAtId: Number(last!.id) });
    if (!gap.ok) expect(gap.reason).toMatch(/does not follow/);
    await reinsert(middle!);

    await behindTheTrigger(get(), (owner) => sql`DELETE FROM audit_events WHERE id = ${last!.id}::bigint`.execute(owner));
    const tail = await verifyAuditChain(db());
    expect(tail.ok).toBe(false);
    if (!tail.ok) expect(tail.reason).toMatch(/events were removed or the head was moved/);
    await reinsert(last!);
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });

  it('keeps one linear chain under concurrent writes', async () => {
    const users = await Promise.all(Array.from({ length: 5 }, (_, i) => createUser(`concurrent-${i}`)));
    const before = await count();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(app(), admin, 'PATCH', `/api/users/${users[i % 5]!.id}`, { displayName: `Concurrent ${i}` })),
    ).then((results) => results.forEach((r) => expect(r.status).toBe(200)));
    expect(await count()).toBe(before + 50);
    const result = await verifyAuditChain(db());
    expect(result).toMatchObject({ ok: true });
    const prevs = await db().selectFrom('audit_events').select('prev_hash').execute();
    expect(new Set(prevs.map((p) => p.prev_hash)).size).toBe(prevs.length); // no two events share a predecessor: no fork
  });

  it('filters by entity, id, actor, action and time, and pages', async () => {
    const all = await call(app(), admin, 'GET', '/api/audit?limit=1000');
    expect(all.body.total).toBe(await count());
    const page = await call(app(), admin, 'GET', '/api/audit?limit=2&offset=1');
    expect(page.body.items.map((e: { id: number }) => e.id)).toEqual(all.body.items.slice(1, 3).map((e: { id: number }) => e.id));
    const byActor = await call(app(), admin, 'GET', '/api/audit?actor=ADMIN&action=user.update');
    expect(byActor.body.total).toBeGreaterThanOrEqual(50);
    for (const e of byActor.body.items) expect(e).toMatchObject({ actorUsername: 'admin', action: 'user.update' });
    const future = await call(app(), admin, 'GET', `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`);
    expect(future.body).toEqual({ items: [], total: 0 });
    const past = await call(app(), admin, 'GET', '/api/audit?to=2000-01-01T00:00:00Z');
    expect(past.body.total).toBe(0);
  });

  it.each([
    ['a limit above 1000', 'limit=1001'],
    ['a date that is not a date', 'from=yesterday'],
    ['from after to', 'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ['a NUL in a filter', 'entity=%00'],
  ])('refuses %s with 400', async (_what, query) => {
    const res = await call(app(), admin, 'GET', `/api/audit?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });

  it('lets the land officer read but only the admin verify', async () => {
    expect((await call(app(), land, 'GET', '/api/audit/verify')).status).toBe(403);
    const ok = await call(app(), admin, 'GET', '/api/audit/verify');
    expect(ok.body).toMatchObject({ ok: true, count: await count() });
  });
});

describe('canonical JSON (what the hash covers)', () => {
  it('sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 'ü' })).toBe('{"b":"ü"}');
    expect(canonicalJson(undefined)).toBe('null');
  });
});
