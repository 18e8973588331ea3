/**
 * Park infrastructure subsidies over HTTP (五(三)13; API.md fixed points): the grant arithmetic
 * min(requested, 20 % × investment, cap − granted) rounded down to the fen, which limit binds,
 * 409 SUBSIDY_CAP_EXCEEDED with the headroom, disbursement, withdrawal restoring the headroom by a
 * reversing ledger entry, the ledger = cached totals invariant (also held by the database), the
 * versioned cap, Idempotency-Key replays, and role/district scoping. Each test uses its own park.
 * Expected figures are worked out by hand in the comments.
 */
import { beforeAll, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeOnDatabases } from './context.ts';
import { call, login, type Session } from './login.ts';
import { expectLedgerHonest, parkIds } from './subsidy-helpers.ts';
import { can } from '../../shared/roles.ts';
import { mapSubsidyDbError } from '../../server/services/subsidies.ts';
import { AppError } from '../../server/errors.ts';

const grant = (projectName: string, totalInvestmentYuan: number, requestedYuan: number, kind = 'infrastructure') => ({ projectName, kind, totalInvestmentYuan, requestedYuan });

describeOnDatabases('park subsidies', (get) => {
  let industry: Session;
  let ids: Record<string, number>;
  const app = () => get().app;
  const post = (url: string, body?: unknown, s: Session | null = industry, headers: Record<string, string> = {}) => call(app(), s, 'POST', url, body, headers);
  const list = (parkId: number, s: Session | null = industry) => call(app(), s, 'GET', `/api/parks/${parkId}/subsidies`);

  beforeAll(async () => {
    industry = await login(app(), 'industry');
    ids = await parkIds(app());
  });

  it('grants 20 % of the investment rounded down to the fen when that binds (limitedBy investment_share)', async () => {
    const park = ids.P01!;
    // 20 % × 12,345,678.91 = 2,469,135.782 → rounded DOWN to the fen: 2,469,135.78.
    // Remaining: 100,000,000 − 2,469,135.78 = 97,530,864.22.
    const r = await post(`/api/parks/${park}/subsidies`, grant('琶洲公共算力平台', 12_345_678.91, 3_000_000, 'public_platform'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body).toMatchObject({
      parkId: park,
      status: 'granted',
      kind: 'public_platform',
      totalInvestmentYuan: 12_345_678.91,
      requestedYuan: 3_000_000,
      grantedYuan: 2_469_135.78,
      parkGrantedYuan: 2_469_135.78,
      parkRemainingYuan: 97_530_864.22,
      capYuan: 100_000_000,
      limitedBy: 'investment_share',
      decision: { shareBp: 2000, investmentShareYuan: 2_469_135.78, capYuan: 100_000_000, parkGrantedBeforeYuan: 0, parkHeadroomBeforeYuan: 100_000_000, limitedBy: 'investment_share' },
      createdBy: 'industry',
    });
    expect(r.body.messageEn).toMatch(/20% of total investment/);

    // Requested below the share: 20 % × 10,000,000 = 2,000,000 > 1,000,000.01 → as requested.
    // Park total: 2,469,135.78 + 1,000,000.01 = 3,469,135.79; remaining 96,530,864.21.
    const r2 = await post(`/api/parks/${park}/subsidies`, grant('配套道路', 10_000_000, 1_000_000.01));
    expect(r2.status).toBe(201);
    expect(r2.body).toMatchObject({ grantedYuan: 1_000_000.01, limitedBy: 'requested', parkGrantedYuan: 3_469_135.79, parkRemainingYuan: 96_530_864.21 });
    expect(r2.body.decision.parkGrantedBeforeYuan).toBe(2_469_135.78);

    // A tie (requested = 20 % share) names "requested": 20 % × 5,000,000 = 1,000,000.
    const tie = await post(`/api/parks/${park}/subsidies`, grant('孵化器', 5_000_000, 1_000_000));
    expect(tie.body).toMatchObject({ grantedYuan: 1_000_000, limitedBy: 'requested' });

    // The list: newest first, the ledger total, the cap and the headroom (API.md).
    const l = await list(park);
    expect(l.status).toBe(200);
    expect(l.body).toMatchObject({ grantedYuan: 4_469_135.79, capYuan: 100_000_000, remainingYuan: 95_530_864.21, disbursedYuan: 0, shareBp: 2000 });
    expect(l.body.items.map((i: { id: number }) => i.id)).toEqual([tie.body.id, r2.body.id, r.body.id]);
    expect(l.body.items[2]).toMatchObject({ id: r.body.id, status: 'granted', grantedYuan: 2_469_135.78 });
    // GET /api/parks/:id shows the same figures (no longer placeholders).
    const detail = await call(app(), null, 'GET', `/api/parks/${park}`);
    expect(detail.body.properties.figures).toMatchObject({ subsidyCapYuan: 100_000_000, subsidyGrantedYuan: 4_469_135.79 });
    await expectLedgerHonest(app());
  });

  it('limits by the park’s remaining cap, then refuses with 409 SUBSIDY_CAP_EXCEEDED naming the headroom', async () => {
    const park = ids.P02!;
    // 20 % × 500,000,000 = 100,000,000 ≥ 99,999,999.99 requested → as requested; headroom 0.01.
    const big = await post(`/api/parks/${park}/subsidies`, grant('新型显示公共技术平台', 500_000_000, 99_999_999.99));
    expect(big.body).toMatchObject({ grantedYuan: 99_999_999.99, limitedBy: 'requested', parkRemainingYuan: 0.01 });
    // Requested 5, share 20 % × 100 = 20, headroom 0.01 → 0.01 (park_cap); remaining 0.
    const last = await post(`/api/parks/${park}/subsidies`, grant('路灯', 100, 5));
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ grantedYuan: 0.01, limitedBy: 'park_cap', parkGrantedYuan: 100_000_000, parkRemainingYuan: 0 });
    // Nothing left: 409 with the figures in the message and the body.
    const refused = await post(`/api/parks/${park}/subsidies`, grant('再一项', 1_000_000, 10_000));
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'SUBSIDY_CAP_EXCEEDED', capYuan: 100_000_000, parkGrantedYuan: 100_000_000, remainingYuan: 0 });
    expect(refused.body.message).toMatch(/cumulative cap of ¥100,000,000\.00/);
    expect(refused.body.message).toMatch(/remaining headroom ¥0\.00/);
    expect(refused.body.message).toMatch(/剩余额度 0\.00 元/);
    const l = await list(park);
    expect(l.body).toMatchObject({ grantedYuan: 100_000_000, remainingYuan: 0 });
    expect(l.body.items).toHaveLength(2);
    await expectLedgerHonest(app());
  });

  it('refuses a grant that rounds down to 0 (a tiny investment) with 409 and the park’s headroom, and grants one fen when it rounds to one', async () => {
    const park = ids.P04!;
    // 20 % × 0.04 = 0.008 → 0.00: nothing can be granted.
    const zero = await post(`/api/parks/${park}/subsidies`, grant('零星工程', 0.04, 0.04));
    expect(zero.status).toBe(409);
    expect(zero.body).toMatchObject({ code: 'SUBSIDY_CAP_EXCEEDED', reason: 'GRANT_ROUNDS_TO_ZERO', investmentShareYuan: 0, remainingYuan: 100_000_000 });
    expect(zero.body.message).toMatch(/remaining headroom is ¥100,000,000\.00/);
    // 20 % × 0.05 = 0.01 exactly.
    const fen = await post(`/api/parks/${park}/subsidies`, grant('零星工程', 0.05, 0.05));
    expect(fen.status).toBe(201);
    expect(fen.body).toMatchObject({ grantedYuan: 0.01, limitedBy: 'investment_share' });
    // 20 % × 0.09 = 0.018 → 0.01 (down, never up).
    const down = await post(`/api/parks/${park}/subsidies`, grant('零星工程', 0.09, 1));
    expect(down.body.grantedYuan).toBe(0.01);
    expect((await app().db.selectFrom('subsidies').select('id').where('park_id', '=', park).execute()).length).toBe(2);
  });

  it('withdraws a granted subsidy with a reversing ledger entry that restores the headroom; disbursed is final', async () => {
    const park = ids.P05!;
    // Fill to 99,000,000 (20 % × 495,000,000 = 99,000,000).
    const a = await post(`/api/parks/${park}/subsidies`, grant('南沙人工智能算力中心', 495_000_000, 99_000_000));
    expect(a.body).toMatchObject({ grantedYuan: 99_000_000, parkRemainingYuan: 1_000_000 });
    // 3,000,000 requested, 20 % × 20,000,000 = 4,000,000, headroom 1,000,000 → 1,000,000 (park_cap).
    const b = await post(`/api/parks/${park}/subsidies`, grant('配套管网', 20_000_000, 3_000_000));
    expect(b.body).toMatchObject({ grantedYuan: 1_000_000, limitedBy: 'park_cap', parkRemainingYuan: 0 });
    expect((await post(`/api/parks/${park}/subsidies`, grant('再一项', 20_000_000, 3_000_000))).status).toBe(409);

    // A reason is required.
    expect((await post(`/api/parks/${park}/subsidies/${b.body.id}/withdraw`, {})).status).toBe(400);
    const w = await post(`/api/parks/${park}/subsidies/${b.body.id}/withdraw`, { reason: '项目终止' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    expect(w.body).toMatchObject({ id: b.body.id, status: 'withdrawn', grantedYuan: 1_000_000, withdrawReason: '项目终止', withdrawnBy: 'industry', parkGrantedYuan: 99_000_000, parkRemainingYuan: 1_000_000 });
    const ledger = await app().db.selectFrom('subsidy_ledger').select(['kind', sql<string>`amount_yuan::text`.as('amount')]).where('subsidy_id', '=', b.body.id).orderBy('id').execute();
    expect(ledger).toEqual([{ kind: 'grant', amount: '1000000.00' }, { kind: 'withdrawal', amount: '-1000000.00' }]);
    // The headroom is back: 2,000,000 requested, share 4,000,000, headroom 1,000,000 → 1,000,000.
    const again = await post(`/api/parks/${park}/subsidies`, grant('配套管网二期', 20_000_000, 2_000_000));
    expect(again.body).toMatchObject({ grantedYuan: 1_000_000, limitedBy: 'park_cap', parkRemainingYuan: 0 });
    // Withdrawn twice → 409.
    const twice = await post(`/api/parks/${park}/subsidies/${b.body.id}/withdraw`, { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'CONFLICT', reason: 'INVALID_STATUS', status: 'withdrawn' });

    // Disburse: granted → disbursed (default today); then neither withdrawable nor disbursable again.
    const d = await post(`/api/parks/${park}/subsidies/${a.body.id}/disburse`, {});
    expect(d.status, JSON.stringify(d.body)).toBe(200);
    expect(d.body).toMatchObject({ status: 'disbursed', disbursedBy: 'industry', parkGrantedYuan: 100_000_000 });
    expect(d.body.disbursedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const noWithdraw = await post(`/api/parks/${park}/subsidies/${a.body.id}/withdraw`, { reason: '追回' });
    expect(noWithdraw.status).toBe(409);
    expect(noWithdraw.body.message).toMatch(/Disbursed money is recovered outside this system/);
    expect((await post(`/api/parks/${park}/subsidies/${a.body.id}/disburse`, {})).status).toBe(409);
    // No body at all is fine too (the date defaults to today).
    const bare = await app().inject({ method: 'POST', url: `/api/parks/${park}/subsidies/${a.body.id}/disburse`, headers: { cookie: industry.cookie, origin: 'http://localhost' } });
    expect(bare.statusCode, bare.body).toBe(409);
    // A future disbursement date, or one of another park's subsidy, is refused.
    expect((await post(`/api/parks/${park}/subsidies/${again.body.id}/disburse`, { disbursedOn: '2999-01-01' })).status).toBe(400);
    expect((await post(`/api/parks/${ids.P01}/subsidies/${again.body.id}/disburse`, {})).status).toBe(404);

    const l = await list(park);
    expect(l.body).toMatchObject({ grantedYuan: 100_000_000, disbursedYuan: 99_000_000, remainingYuan: 0 });
    expect(l.body.items.map((i: { status: string }) => i.status)).toEqual(['granted', 'withdrawn', 'disbursed']);
    const actions = (await app().db.selectFrom('audit_events').select('action').where('entity', '=', 'subsidy').where('entity_id', '=', String(b.body.id)).orderBy('id').execute()).map((e) => e.action);
    expect(actions).toEqual(['subsidy.grant', 'subsidy.withdraw']);
    await expectLedgerHonest(app());
  });

  it('keeps the totals equal to the ledger in the database itself: the cached total cannot be edited, nor exceed the cap', async () => {
    const db = app().db;
    const park = ids.P02!; // at the cap (100,000,000)
    await expect(sql`update park_subsidy_totals set granted_yuan = 0 where park_id = ${park}`.execute(db)).rejects.toThrow(/changes only through it/);
    await expect(sql`update subsidy_ledger set amount_yuan = 1 where park_id = ${park}`.execute(db)).rejects.toThrow(/append-only/);
    // A ledger row past the cap is refused by CHECK (granted ≤ cap), which the API maps to 409.
    const s = await db.selectFrom('subsidies').select('id').where('park_id', '=', park).executeTakeFirstOrThrow();
    let caught: unknown;
    try {
      await sql`insert into subsidy_ledger (park_id, subsidy_id, kind, amount_yuan) values (${park}, ${s.id}, 'withdrawal', -1)`.execute(db);
    } catch (err) {
      caught = err;
    }
    // (A withdrawal must mirror its grant.)
    expect(String((caught as Error | undefined)?.message)).toMatch(/mirror its grant/);
    const rowsBefore = await expectLedgerHonest(app());
    let capErr: unknown;
    try {
      await db.transaction().execute(async (trx) => {
        const sub = await trx.insertInto('subsidies').values({
          park_id: park, project_name: 'x', kind: 'infrastructure', total_investment_yuan: '100.00', requested_yuan: '1.00', granted_yuan: '1.00',
          share_bp: 2000, investment_share_yuan: '20.00', cap_yuan: '100000001.00', park_granted_before_yuan: '0.00', limited_by: 'requested',
          reference_version_id: (await trx.selectFrom('reference_versions').select('id').where('kind', '=', 'parameters').executeTakeFirstOrThrow()).id,
        }).returning('id').executeTakeFirstOrThrow();
        await trx.insertInto('subsidy_ledger').values({ park_id: park, subsidy_id: sub.id, kind: 'grant', amount_yuan: '1.00' }).execute();
      });
    } catch (err) {
      capErr = err;
    }
    const mapped = mapSubsidyDbError(capErr);
    expect(mapped).toBeInstanceOf(AppError);
    expect(mapped).toMatchObject({ statusCode: 409, code: 'SUBSIDY_CAP_EXCEEDED' });
    expect(await expectLedgerHonest(app())).toEqual(rowsBefore);
  });

  it('uses the cap and share in force (versioned reference data) and records the version', async () => {
    const park = ids.P07!;
    const admin = await login(app(), 'admin');
    const today = new Date().toISOString().slice(0, 10);
    const before = await post(`/api/parks/${park}/subsidies`, grant('智能网联测试场', 10_000_000, 2_000_000));
    expect(before.body.grantedYuan).toBe(2_000_000);
    // The bureau lowers the cap to 2,500,000 yuan (250,000,000 fen): headroom 500,000.
    const v = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: 'test: lower cap', values: { subsidyParkCapFen: '250000000' } }, admin);
    expect(v.status, JSON.stringify(v.body)).toBe(201);
    try {
      const capped = await post(`/api/parks/${park}/subsidies`, grant('测试场二期', 10_000_000, 1_000_000));
      expect(capped.body).toMatchObject({ grantedYuan: 500_000, limitedBy: 'park_cap', capYuan: 2_500_000, parkRemainingYuan: 0, decision: { referenceVersionId: v.body.id, capYuan: 2_500_000 } });
      expect((await list(park)).body).toMatchObject({ capYuan: 2_500_000, grantedYuan: 2_500_000, remainingYuan: 0 });
      expect((await post(`/api/parks/${park}/subsidies`, grant('测试场三期', 10_000_000, 1_000_000))).status).toBe(409);
    } finally {
      const restore = await post('/api/reference/parameters/versions', { effectiveFrom: today, source: 'test: restore cap', values: { subsidyParkCapFen: '10000000000' } }, admin);
      expect(restore.status).toBe(201);
    }
    expect((await list(park)).body).toMatchObject({ capYuan: 100_000_000, remainingYuan: 97_500_000 });
    await expectLedgerHonest(app());
  });

  it('replays a grant with the same Idempotency-Key instead of granting twice', async () => {
    const park = ids.P08!;
    const headers = { 'idempotency-key': 'grant-p08-1' };
    const first = await post(`/api/parks/${park}/subsidies`, grant('军民融合公共平台', 1_000_000, 100_000), industry, headers);
    const replay = await post(`/api/parks/${park}/subsidies`, grant('军民融合公共平台', 1_000_000, 100_000), industry, headers);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect((await list(park)).body.grantedYuan).toBe(100_000);
    const other = await post(`/api/parks/${park}/subsidies`, grant('另一项目', 1_000_000, 100_000), industry, headers);
    expect(other.status).toBe(422);
  });

  it.each([
    ['three decimals', grant('x', 1_000_000, 100.001), /requestedYuan|Requested amount/],
    ['a negative investment', grant('x', -5, 1), /Total investment must be greater than 0/],
    ['a zero request', grant('x', 100, 0), /Requested amount must be greater than 0/],
    ['an unknown kind', { ...grant('x', 100, 1), kind: 'housing' }, /kind/],
    ['an unknown field', { ...grant('x', 100, 1), discount: 1 }, /discount/],
    ['a blank project name', grant('   ', 100, 1), /projectName/],
  ])('refuses %s with 400 and changes nothing', async (_w, body, message) => {
    const park = ids.P11!;
    const r = await post(`/api/parks/${park}/subsidies`, body);
    expect(r.status, JSON.stringify(r.body)).toBe(400);
    expect(r.body.code).toBe('VALIDATION_FAILED');
    expect(r.body.message).toMatch(message);
    expect((await list(park)).body.items).toHaveLength(0);
  });

  it('answers 404 for a park that does not exist', async () => {
    expect((await post('/api/parks/999999/subsidies', grant('x', 100, 1))).status).toBe(404);
    expect((await list(999999)).status).toBe(404);
  });

  it('scopes the list: bureau roles and the park’s own district officers; 403 for another district, 401 anonymous', async () => {
    const huangpu = ids.P06!; // 黄埔 440112
    await post(`/api/parks/${huangpu}/subsidies`, grant('智能装备检测平台', 1_000_000, 100_000));
    const tianhe = await login(app(), 'district-tianhe');
    const own = await login(app(), 'district-huangpu');
    const denied = await list(huangpu, tianhe);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', reason: 'OUT_OF_SCOPE' });
    expect((await list(huangpu, null)).status).toBe(401);
    expect((await list(huangpu, await login(app(), 'investor'))).status).toBe(403);
    for (const s of [industry, own, await login(app(), 'land'), await login(app(), 'admin')]) {
      const r = await list(huangpu, s);
      expect(r.status, s.username).toBe(200);
      expect(r.body.grantedYuan).toBe(100_000);
    }
    // The Tianhe officer sees Tianhe's list.
    expect((await list(ids.P03!, tianhe)).status).toBe(200);
    // Writes: the subsidies.manage roles only (shared/roles.ts); the others 403, anonymous 401.
    for (const name of ['land', 'district-huangpu', 'investor', 'admin'] as const) {
      const s = await login(app(), name);
      const role = name === 'land' ? 'land_officer' : name === 'admin' ? 'admin' : name === 'investor' ? 'investor' : 'district_officer';
      const r = await post(`/api/parks/${huangpu}/subsidies`, grant('x', 1_000, 1), s);
      expect(r.status, name).toBe(can(role, 'subsidies.manage') ? 201 : 403);
    }
    expect((await post(`/api/parks/${huangpu}/subsidies`, grant('x', 1_000, 1), null)).status).toBe(401);
  });
});
