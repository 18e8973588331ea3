/**
 * The approval's last statements and its COMMIT go in one message (server/kernel/db/transaction.ts
 * `commitWith`), with their parameters written in as literals (`inlined`), and its hot queries
 * are named prepared statements (server/kernel/db/prepared.ts). Here, on both databases:
 * - a literal carries exactly what the parameter carried (quotes, backslashes, Chinese, dates,
 *   JSON, bytes, null);
 * - what `commitWith` sends is committed with the transaction's earlier writes; when one of its
 *   statements fails, or the COMMIT itself fails on a deferred constraint, nothing of the
 *   transaction is written and the error reaches the caller;
 * - on PostgreSQL, a marked query is kept as a named statement by the connection that ran it;
 * - the BEGIN goes with the transaction's first statement (`DEFERRED_BEGIN`): that statement is
 *   inside the transaction (rolled back with it), answers what it answers alone, also when its
 *   text cannot be rewritten (dollar quotes), and a transaction that sent nothing ends cleanly.
 */
import { expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../server/kernel/db/schema.ts';
import { commitWith, inlined, inTransaction } from '../../server/kernel/db/transaction.ts';
import { quoteLiteral } from '../../server/kernel/db/literals.ts';
import pg from 'pg';
import { prepared, PREPARED_MARK } from '../../server/kernel/db/prepared.ts';
import { describeOnDatabases } from './context.ts';
import { freshPlots } from './allocation-helpers.ts';

const VALUES: [string, unknown][] = [
  ['null', null],
  ['integer', 42],
  ['negative decimal', -1234.56],
  ['quotes', `it's "quoted" ''twice''`],
  ['backslashes', 'C:\\土地\\n\\x00 not a newline'],
  ['Chinese and emoji', '黄埔区 知识城 🌱'],
  ['dollar signs', '$1 $$ $tag$ costs $2'],
  ['date', new Date('2026-01-02T03:04:05.678Z')],
  ['JSON', { a: [1, "x'y"], b: { c: null, d: '\\' } }],
  ['boolean', true],
  ['bytes', Buffer.from([0, 1, 39, 92, 255])],
];

describeOnDatabases('One message for the last statements and the commit', (get) => {
  const db = () => get().app.db as Kysely<Database>;

  it('writes each parameter as a literal with the same text', async () => {
    // `commitWith` inlines only on PostgreSQL, where pg serializes parameters; PGlite serializes
    // dates, objects and bytes its own way, so there only the plain values are compared.
    const plain = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number';
    for (const [what, value] of VALUES) {
      if (get().kind === 'pglite' && !plain(value)) continue;
      // Bytes go in as bytea (text cannot hold NUL), the rest as text.
      const q = Buffer.isBuffer(value) ? sql<{ t: string | null }>`select ${value}::bytea::text as t` : sql<{ t: string | null }>`select ${value}::text as t`;
      const viaParameter = (await q.execute(db())).rows[0]!.t;
      const viaLiteral = (await sql.raw<{ t: string | null }>(inlined(q.compile(db()))).execute(db())).rows[0]!.t;
      expect(viaLiteral, what).toBe(viaParameter);
    }
  });

  it('refuses dollar-quoted text it cannot rewrite safely', () => {
    expect(() => inlined(sql`select $body$ x $body$, ${1}`.compile(db()))).toThrow(/dollar-quoted/);
  });

  it('commits what commitWith sends with the earlier writes of the transaction', async () => {
    const [a, b] = await freshPlots(get().app, 2);
    await inTransaction(db(), async (trx) => {
      await trx.updateTable('plots').set({ zoning_plot_code: 'ONE-MSG-A' }).where('id', '=', a!.id).execute();
      await commitWith(trx, [sql`update plots set zoning_plot_code = ${'ONE-MSG-B'} where id = ${b!.id}`]);
    }, { bodyCommits: true });
    const rows = await db().selectFrom('plots').select(['id', 'zoning_plot_code']).where('id', 'in', [a!.id, b!.id]).orderBy('id').execute();
    expect(rows.map((r) => r.zoning_plot_code)).toEqual(['ONE-MSG-A', 'ONE-MSG-B']);
  });

  it('writes nothing when a statement sent with the commit fails', async () => {
    const [a] = await freshPlots(get().app, 1);
    const attempt = inTransaction(db(), async (trx) => {
      await trx.updateTable('plots').set({ zoning_plot_code: 'MUST-NOT-STAY' }).where('id', '=', a!.id).execute();
      await commitWith(trx, [sql`update plots set area_m2 = ${-1} where id = ${a!.id}`]);
    }, { bodyCommits: true });
    await expect(attempt).rejects.toMatchObject({ code: '23514' });
    const row = await db().selectFrom('plots').select('zoning_plot_code').where('id', '=', a!.id).executeTakeFirstOrThrow();
    expect(row.zoning_plot_code).not.toBe('MUST-NOT-STAY');
  });

  it('writes nothing when the COMMIT fails on a deferred constraint', async () => {
    const [a] = await freshPlots(get().app, 1);
    // "allocated ⇔ one active allocation" (migration 009) is checked at COMMIT.
    const attempt = inTransaction(db(), async (trx) => {
      await trx.updateTable('plots').set({ zoning_plot_code: 'MUST-NOT-STAY' }).where('id', '=', a!.id).execute();
      await commitWith(trx, [sql`update plots set status = 'allocated' where id = ${a!.id}`]);
    }, { bodyCommits: true });
    await expect(attempt).rejects.toThrow(/plots_allocated_iff_one_active_allocation|active allocation/);
    const row = await db().selectFrom('plots').select(['status', 'zoning_plot_code']).where('id', '=', a!.id).executeTakeFirstOrThrow();
    expect(row.status).not.toBe('allocated');
    expect(row.zoning_plot_code).not.toBe('MUST-NOT-STAY');
  });

  it('keeps a marked query as a named statement on the connection that ran it (PostgreSQL)', async () => {
    const marked = sql<{ n: number }>`${prepared} select ${7}::integer + 1 as n`;
    const found = await db().connection().execute(async (conn) => {
      expect((await marked.execute(conn)).rows[0]!.n).toBe(8);
      expect((await marked.execute(conn)).rows[0]!.n).toBe(8);
      if (get().kind !== 'postgres') return null;
      return (await sql<{ n: string }>`select count(*)::text as n from pg_prepared_statements where statement like ${`%${PREPARED_MARK}%`}`.execute(conn)).rows[0]!.n;
    });
    if (get().kind === 'postgres') expect(Number(found)).toBeGreaterThanOrEqual(1);
    else expect(found).toBeNull();
  });

  it('quotes literals exactly as pg.escapeLiteral does', () => {
    for (const [, v] of VALUES) if (typeof v === 'string') expect(quoteLiteral(v)).toBe(pg.escapeLiteral(v));
    for (const v of ['', "'", '\\', "\\'\\''", 'a\nb', '黄埔\\区']) expect(quoteLiteral(v)).toBe(pg.escapeLiteral(v));
  });

  it('sends the BEGIN with the first statement: that statement is rolled back with the transaction', async () => {
    const [a] = await freshPlots(get().app, 1);
    const attempt = inTransaction(db(), async (trx) => {
      // The first statement (parameters with quotes and backslashes), then a failing one.
      await trx.updateTable('plots').set({ zoning_plot_code: "FIRST-'\\-MUST-NOT-STAY" }).where('id', '=', a!.id).execute();
      await trx.updateTable('plots').set({ area_m2: '-1' }).where('id', '=', a!.id).execute();
    }, { bodyCommits: true });
    await expect(attempt).rejects.toMatchObject({ code: '23514' });
    const row = await db().selectFrom('plots').select('zoning_plot_code').where('id', '=', a!.id).executeTakeFirstOrThrow();
    expect(row.zoning_plot_code).not.toBe("FIRST-'\\-MUST-NOT-STAY");
  });

  it('answers the first statement as it would alone, in the transaction, whatever its text', async () => {
    const [a] = await freshPlots(get().app, 1);
    const out = await inTransaction(db(), async (trx) => {
      const first = await sql<{ code: string; n: number; t: string }>`
        select code, ${41}::integer + 1 as n, ${"it's \\ 土地"}::text as t from plots where id = ${a!.id}`.execute(trx);
      return { first: first.rows[0]! };
    }, { bodyCommits: true });
    expect(out.first).toMatchObject({ code: a!.code, n: 42, t: "it's \\ 土地" });
    // Dollar-quoted text cannot be written with literals: BEGIN goes on its own first.
    const [b] = await freshPlots(get().app, 1);
    const attempt = inTransaction(db(), async (trx) => {
      await sql`update plots set zoning_plot_code = $q$DOLLAR-MUST-NOT-STAY$q$ where id = ${b!.id}`.execute(trx);
      await sql`select 1/0`.execute(trx);
    }, { bodyCommits: true });
    await expect(attempt).rejects.toMatchObject({ code: '22012' });
    const row = await db().selectFrom('plots').select('zoning_plot_code').where('id', '=', b!.id).executeTakeFirstOrThrow();
    expect(row.zoning_plot_code).not.toBe('DOLLAR-MUST-NOT-STAY');
    // Nothing sent: the transaction ends without a word to the database, and the pool goes on.
    await expect(inTransaction(db(), async () => { throw new Error('before any statement'); }, { bodyCommits: true })).rejects.toThrow('before any statement');
    expect(await inTransaction(db(), async () => 'nothing', { bodyCommits: true })).toBe('nothing');
    const after = await sql<{ n: number }>`select 1 as n`.execute(db());
    expect(after.rows[0]!.n).toBe(1);
  });

  it('runs every statement of the transaction in one transaction (PostgreSQL: the BEGIN went first)', async () => {
    if (get().kind !== 'postgres') return;
    const xids = await inTransaction(db(), async (trx) => {
      const a = await sql<{ x: string }>`select txid_current()::text as x`.execute(trx);
      const b = await sql<{ x: string }>`select txid_current()::text as x`.execute(trx);
      return [a.rows[0]!.x, b.rows[0]!.x];
    }, { bodyCommits: true });
    expect(xids[0]).toBe(xids[1]);
  });
});
