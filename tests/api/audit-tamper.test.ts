/**
 * An audit trail a database superuser cannot rewrite unseen, on PGlite and
 * PostgreSQL. The attacker holds the owner / superuser role (they may disable the trigger and
 * know the public, unkeyed SHA-256 chain of before) but not the audit key:
 * - rewriting an event and recomputing the unkeyed chain after it → verify names that event;
 * - deleting the newest events and moving the head → verify fails;
 * - putting an older head back after cutting the tail → verify fails (in this server process);
 * - the app's own role cannot UPDATE or DELETE events at all.
 * And the migration of an existing unkeyed chain: re-signed once with an `audit.rekeyed` event
 * when it verifies; the start refused when it does not, or when the key is another one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql, type Kysely } from 'kysely';
import { randomBytes } from 'node:crypto';
import { createScratchDatabase, describeOnDatabases, type DbKind } from './context.ts';
import { call, login, type Session } from './login.ts';
import { asOwner, behindTheTrigger } from './owner.ts';
import { legacyChainHash, useAuditKey, verifyAuditChain } from '../../server/kernel/audit.ts';
import { loadAuditKey } from '../../server/kernel/audit-key.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/kernel/config.ts';
import { connectDatabase, type DatabaseHandle } from '../../server/kernel/db/connect.ts';
import { migrations } from '../../server/db/migrations/index.ts';
import type { Database } from '../../server/kernel/db/schema.ts';
import { startupSeeding } from '../../seeds/startup.ts';

type Row = Record<string, unknown> & { id: string; prev_hash: string; hash: string };

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;

/** The fields the chain covers, as the (public) code reads them back. */
const fieldsOf = (r: Record<string, unknown>) => ({
  at: new Date(r.at as string).toISOString(),
  actorUserId: r.actor_user_id as number | null,
  actorUsername: r.actor_username as string | null,
  actorRole: r.actor_role as string | null,
  action: r.action as string,
  entity: r.entity as string,
  entityId: r.entity_id as string | null,
  before: r.before ?? null,
  after: r.after ?? null,
  requestId: r.request_id as string | null,
});

describeOnDatabases('audit chain against a database superuser without the key', (get) => {
  const app = () => get().app;
  let admin: Session;
  beforeAll(async () => {
    admin = await login(app(), 'admin');
    for (const name of ['tamper-a', 'tamper-b', 'tamper-c']) {
      const res = await call(app(), admin, 'POST', '/api/users', { username: name, displayName: name, role: 'investor', password: 'correct horse battery' });
      expect(res.status).toBe(201);
    }
  });
  const verify = async () => (await call(app(), admin, 'GET', '/api/audit/verify')).body;
  const events = (db: Kysely<Database>, fromId = '0') =>
    db.selectFrom('audit_events').selectAll().select(sql<string>`id::text`.as('id')).where(sql<boolean>`id >= ${fromId}::bigint`).orderBy('audit_events.id').execute() as unknown as Promise<Row[]>;
  const head = (db: Kysely<Database>) => db.selectFrom('audit_head').selectAll().select(sql<string>`last_id::text`.as('last_id')).executeTakeFirstOrThrow();

  /** Puts events and head back as they were (the attacker's work undone). */
  const restore = (rows: Row[], h: Awaited<ReturnType<typeof head>>) =>
    behindTheTrigger(get(), async (owner) => {
      for (const r of rows) {
        await sql`UPDATE audit_events SET after = ${r.after === null ? null : JSON.stringify(r.after)}::jsonb, prev_hash = ${r.prev_hash}, hash = ${r.hash} WHERE id = ${r.id}::bigint`.execute(owner);
      }
      await sql`UPDATE audit_head SET last_id = ${h.last_id}::bigint, last_hash = ${h.last_hash}, event_count = ${h.event_count}::bigint, mac = ${h.mac}`.execute(owner);
    });

  it('runs the app’s queries as the role iab_app, which cannot change or remove events', async () => {
    const me = await sql<{ u: string }>`SELECT current_user::text AS u`.execute(app().db);
    expect(me.rows[0]!.u).toBe('iab_app');
    await expect(sql`UPDATE audit_events SET action = 'x'`.execute(app().db)).rejects.toThrow(/permission denied for table audit_events/);
    await expect(sql`DELETE FROM audit_events`.execute(app().db)).rejects.toThrow(/permission denied for table audit_events/);
    // The head: only the columns an append moves (all under the key's MAC); not its scheme or key id, not removable.
    await expect(sql`UPDATE audit_head SET scheme = 'sha256'`.execute(app().db)).rejects.toThrow(/permission denied/);
    await expect(sql`UPDATE audit_head SET key_id = NULL`.execute(app().db)).rejects.toThrow(/permission denied/);
    await expect(sql`DELETE FROM audit_head`.execute(app().db)).rejects.toThrow(/permission denied/);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('names the rewritten event when an event is edited and the unkeyed SHA-256 chain recomputed after it', async () => {
    const all = await events(app().db);
    const target = all.find((r) => r.action === 'user.create' && (r.after as { username?: string } | null)?.username === 'tamper-b')!;
    const fromTarget = all.filter((r) => BigInt(r.id) >= BigInt(target.id));
    const before = await head(app().db);
    await behindTheTrigger(get(), async (owner) => {
      let prev = target.prev_hash;
      for (const r of fromTarget) {
        const after = r.id === target.id ? { ...(r.after as object), role: 'admin' } : r.after;
        const hash = legacyChainHash(prev, fieldsOf({ ...r, after }));
        await sql`UPDATE audit_events SET after = ${after === null ? null : JSON.stringify(after)}::jsonb, prev_hash = ${prev}, hash = ${hash} WHERE id = ${r.id}::bigint`.execute(owner);
        prev = hash;
      }
      await sql`UPDATE audit_head SET last_hash = ${prev}`.execute(owner);
    });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAtId: Number(target.id) });
    expect(result.reason).toMatch(/changed after it was written/);
    await restore(fromTarget, before);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('fails when the newest events are deleted and the head moved to the new end', async () => {
    const before = await head(app().db);
    const all = await events(app().db);
    const [newLast, ...cut] = all.slice(-3);
    await behindTheTrigger(get(), async (owner) => {
      await sql`DELETE FROM audit_events WHERE id > ${newLast!.id}::bigint`.execute(owner);
      await sql`UPDATE audit_head SET last_id = ${newLast!.id}::bigint, last_hash = ${newLast!.hash}, event_count = event_count - ${cut.length}`.execute(owner);
    });
    const result = await verify();
    expect(result).toMatchObject({ ok: false, brokenAtId: Number(newLast!.id) });
    expect(result.reason).toMatch(/head .*was altered: its MAC does not match/);
    // Deleting the tail without moving the head is named too.
    await asOwner(get(), (owner) => sql`UPDATE audit_head SET last_id = ${before.last_id}::bigint, last_hash = ${before.last_hash}, event_count = ${before.event_count}::bigint`.execute(owner));
    const cutOnly = await verify();
    expect(cutOnly).toMatchObject({ ok: false });
    expect(cutOnly.reason).toMatch(/events were removed or the head was moved/);
    // Put the events back.
    await asOwner(get(), async (owner) => {
      for (const r of cut) {
        await sql`INSERT INTO audit_events (id, at, actor_user_id, actor_username, actor_role, action, entity, entity_id, before, after, request_id, prev_hash, hash)
          OVERRIDING SYSTEM VALUE VALUES (${r.id}::bigint, ${r.at as Date}, ${r.actor_user_id as number | null}, ${r.actor_username as string | null}, ${r.actor_role as string | null}, ${r.action as string}, ${r.entity as string},
          ${r.entity_id as string | null}, ${r.before === null ? null : JSON.stringify(r.before)}::jsonb, ${r.after === null ? null : JSON.stringify(r.after)}::jsonb, ${r.request_id as string | null}, ${r.prev_hash}, ${r.hash})`.execute(owner);
      }
    });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('fails when an older head (with its valid MAC) is put back after the tail was cut', async () => {
    const old = await head(app().db);
    expect(await verify()).toMatchObject({ ok: true, count: Number(old.event_count) });
    const more = await call(app(), admin, 'POST', '/api/users', { username: 'tamper-d', displayName: 'd', role: 'investor', password: 'correct horse battery' });
    expect(more.status).toBe(201);
    expect(await verify()).toMatchObject({ ok: true, count: Number(old.event_count) + 1 });
    await behindTheTrigger(get(), async (owner) => {
      await sql`DELETE FROM audit_events WHERE id > ${old.last_id}::bigint`.execute(owner);
      await sql`UPDATE audit_head SET last_id = ${old.last_id}::bigint, last_hash = ${old.last_hash}, event_count = ${old.event_count}::bigint, mac = ${old.mac}`.execute(owner);
    });
    const result = await verify();
    expect(result).toMatchObject({ ok: false });
    expect(result.reason).toMatch(/older head put back/);
  });
});

// --- Migrating an existing, unkeyed chain ---------------------------------------------------------

const before012 = Object.keys(migrations)
  .filter((name) => name < '012')
  .sort()
  .at(-1)!;

/** A database as it was before migration 012, with `n` events in the old unkeyed chain. */
async function legacyDatabase(kind: DbKind, n: number, tamperAt?: number): Promise<{ handle: DatabaseHandle; drop: () => Promise<void> }> {
  const scratch = kind === 'postgres' ? await createScratchDatabase() : null;
  const handle = await connectDatabase({ databaseUrl: scratch?.url, dataDir: 'memory://', poolSize: 2 });
  // As the owner, on a connection of its own: the app's pool is left unused until the app starts.
  await handle.asOwner(async (db) => {
    const { error } = await new Migrator({ db, provider: { getMigrations: async () => migrations } }).migrateTo(before012);
    if (error) throw error;
    let prev = (await db.selectFrom('audit_head').select('last_hash').executeTakeFirstOrThrow()).last_hash;
    for (let i = 0; i < n; i++) {
      const fields = { at: new Date().toISOString(), actorUserId: null, actorUsername: 'system:legacy', actorRole: null, action: 'legacy.event', entity: 'test', entityId: String(i), before: null, after: { i }, requestId: null };
      const hash = legacyChainHash(prev, fields);
      const stored = i === tamperAt ? { i: -1 } : fields.after;
      const row = await sql<{ id: string }>`INSERT INTO audit_events (at, actor_username, action, entity, entity_id, after, prev_hash, hash)
        VALUES (${fields.at}, ${fields.actorUsername}, ${fields.action}, ${fields.entity}, ${fields.entityId}, ${JSON.stringify(stored)}::jsonb, ${prev}, ${hash}) RETURNING id::text AS id`.execute(db);
      await sql`UPDATE audit_head SET last_id = ${row.rows[0]!.id}::bigint, last_hash = ${hash}`.execute(db);
      prev = hash;
    }
  });
  return {
    handle,
    drop: async () => {
      await handle.close();
      await scratch?.drop();
    },
  };
}

const config = (extra: Record<string, string> = {}) => loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent', SEED_DEMO: 'true', ...extra });
/** The app on an existing database, seeded as the launcher seeds it. */
const start = (extra: Record<string, string>, database: DatabaseHandle) => {
  const c = config(extra);
  return buildApp({ config: c, database, ...startupSeeding(c) });
};

for (const kind of ['pglite', 'postgres'] as const) {
  describe.skipIf(kind === 'postgres' && !TEST_DATABASE_URL)(`an existing unkeyed audit chain [${kind}]`, () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      // Back to this process's own key for any later file sharing the worker.
      useAuditKey(loadAuditKey({ auditKey: undefined, dataDir: 'memory://' }));
      for (const drop of drops) await drop();
    });

    it('is re-signed with the key once at start-up, with an audit.rekeyed event, and then verifies', async () => {
      const legacy = await legacyDatabase(kind, 5);
      drops.push(legacy.drop);
      const oldHashes = (await legacy.handle.asOwner((db) => db.selectFrom('audit_events').select('hash').orderBy('id').execute())).map((r) => r.hash);
      const key = randomBytes(32).toString('hex');
      const app = await start({ AUDIT_KEY: key }, legacy.handle);
      try {
        const admin = await login(app, 'admin');
        expect((await call(app, admin, 'GET', '/api/audit/verify')).body).toMatchObject({ ok: true });
        const rekeyed = await call(app, admin, 'GET', '/api/audit?action=audit.rekeyed');
        expect(rekeyed.body.total).toBe(1);
        expect(rekeyed.body.items[0]).toMatchObject({ id: 6, actorUsername: 'system:audit-rekey', after: { events: 5, unkeyedHeadHash: oldHashes.at(-1) } });
        const newHashes = (await legacy.handle.db.selectFrom('audit_events').select('hash').where('action', '=', 'legacy.event').orderBy('id').execute()).map((r) => r.hash);
        expect(newHashes).toHaveLength(5);
        newHashes.forEach((h, i) => expect(h).not.toBe(oldHashes[i]));
      } finally {
        await app.close();
      }
      // A second start with the same key changes nothing.
      const again = await start({ AUDIT_KEY: key }, legacy.handle);
      try {
        const n = await again.db.selectFrom('audit_events').select(sql<number>`count(*)::int`.as('n')).where('action', '=', 'audit.rekeyed').executeTakeFirstOrThrow();
        expect(n.n).toBe(1);
        expect((await verifyAuditChain(again.db)).ok).toBe(true);
      } finally {
        await again.close();
      }
      // Another key: the start is refused, naming both key ids.
      await expect(start({ AUDIT_KEY: randomBytes(32).toString('hex') }, legacy.handle)).rejects.toThrow(/signed with another key \(id [0-9a-f]{16}\) than this server's/);
    });

    it('is not re-signed when it does not verify: the start is refused, naming the broken event', async () => {
      const legacy = await legacyDatabase(kind, 4, 2);
      drops.push(legacy.drop);
      await expect(start({ AUDIT_KEY: randomBytes(32).toString('hex') }, legacy.handle)).rejects.toThrow(/audit trail is broken at event 3 .*not re-signed/);
      const head = await legacy.handle.asOwner((db) => db.selectFrom('audit_head').select('scheme').executeTakeFirstOrThrow());
      expect(head.scheme).toBe('sha256');
    });
  });
}
